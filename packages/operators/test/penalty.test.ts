import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmptyInputError } from '@liesym/core';
import {
  Grid,
  discoverOperatorSymmetries,
  tfOperator,
  fieldsToTensor,
  fno,
  gaussianSources,
  nuclearNormTf,
  operatorSymmetryPenalty,
  rotationGenerator,
  scalingGenerator,
  screenedPoisson,
  trainOperator,
} from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

describe('promote: operator-level penalty γ‖D_N‖_*', () => {
  it('nuclearNormTf has the gradient U·Vᵀ (checked by central differences)', () => {
    const m = tf.randomNormal([12, 3], 0, 1, 'float32', 5) as tf.Tensor2D;
    const d = tf.randomNormal([12, 3], 0, 1, 'float32', 6) as tf.Tensor2D;
    const g = tf.grad((x: tf.Tensor) => nuclearNormTf(x as tf.Tensor2D))(m);
    const eps = 1e-2;
    const fd = (nuclearNormTf(tf.add(m, d.mul(eps)) as tf.Tensor2D).dataSync()[0]! - nuclearNormTf(tf.sub(m, d.mul(eps)) as tf.Tensor2D).dataSync()[0]!) / (2 * eps);
    const an = tf.sum(tf.mul(g, d)).dataSync()[0]!;
    expect(Math.abs(an - fd)).toBeLessThan(1e-3 * Math.abs(fd) + 1e-4);
  });

  it("the penalty's gradient in the FNO weights matches central differences", () => {
    const grid = new Grid({ size: [16, 16] });
    const samples = gaussianSources(grid, { count: 2, seed: 1, elongation: 2 });
    const model = fno({ gridSize: [16, 16], width: 4, modes: 3, layers: 1, seed: 2 });
    const pen = operatorSymmetryPenalty(samples, { candidate: [rotationGenerator(), scalingGenerator()], weight: 1 });
    const apply = (x: tf.Tensor): tf.Tensor => model.apply(x) as tf.Tensor;
    const vars = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
    const { value, grads } = tf.variableGrads(() => pen(apply), vars);
    const p0 = value.dataSync()[0]!;
    expect(p0).toBeGreaterThan(0);
    // Directional derivative along a random direction in all weights.
    const dirs = vars.map((v, i) => tf.randomNormal(v.shape, 0, 1, 'float32', 100 + i));
    const analytic = vars.reduce((s, v, i) => s + tf.sum(tf.mul(grads[v.name]!, dirs[i]!)).dataSync()[0]!, 0);
    const orig = vars.map((v) => v.clone());
    const eps = 3e-3;
    const at = (t: number): number => {
      vars.forEach((v, i) => v.assign(tf.add(orig[i]!, dirs[i]!.mul(t))));
      return pen(apply).dataSync()[0]!;
    };
    const fd = (at(eps) - at(-eps)) / (2 * eps);
    vars.forEach((v, i) => v.assign(orig[i]!));
    expect(Math.abs(analytic - fd)).toBeLessThan(2e-2 * Math.abs(fd));
    pen.dispose();
  });

  it('training with the penalty lowers ‖D_N‖_* compared with training without it', () => {
    const grid = new Grid({ size: [16, 16] });
    // Wide blobs: resolved on 16×16, so ℒ_ξ u is accurate and the penalty's floor is low.
    const f = gaussianSources(grid, { count: 8, seed: 4, elongation: 1.5, width: [0.6, 0.8] });
    const x = fieldsToTensor(f);
    const y = fieldsToTensor(f.map((s) => screenedPoisson(s)));
    const run = (weight: number): number => {
      const model = fno({ gridSize: [16, 16], width: 4, modes: 3, layers: 1, seed: 3 });
      const pen = operatorSymmetryPenalty(f.slice(0, 2), { candidate: [rotationGenerator()], weight });
      trainOperator(model, { inputs: x, targets: y, epochs: 40, batchSize: 4, learningRate: 1e-2, ...(weight > 0 ? { penalty: pen } : {}) });
      const probe = operatorSymmetryPenalty(f.slice(2, 4), { candidate: [rotationGenerator()] });
      const v = probe((t) => model.apply(t) as tf.Tensor).dataSync()[0]!;
      pen.dispose();
      probe.dispose();
      return v;
    };
    const plain = run(0);
    const promoted = run(10);
    // Measured: 0.028 vs 0.051 (seeded).
    expect(promoted).toBeLessThan(0.7 * plain);
  });

  it('is the discover matrix of core\'s engine: same orthonormal candidate, stencil and step rule as discoverOperatorSymmetries on the same model', () => {
    const grid = new Grid({ size: [16, 16] });
    const samples = gaussianSources(grid, { count: 2, seed: 1, elongation: 2, width: [0.6, 0.8] });
    const model = fno({ gridSize: [16, 16], width: 4, modes: 3, layers: 1, seed: 2 });
    const candidate = [rotationGenerator(), scalingGenerator()];
    const pen = operatorSymmetryPenalty(samples, { candidate });
    const ours = pen.matrix((x) => model.apply(x) as tf.Tensor);
    const found = discoverOperatorSymmetries(tfOperator(model, grid), samples, { candidate });
    // tfOperator marks the model float32: core's float32 step and finite-difference rank tolerance.
    expect(found.rtol).toBe(1e-3);
    const a = ours.dataSync();
    const b = found.matrix.data;
    expect(a.length).toBe(b.length);
    const diff = Math.hypot(...Array.from(a, (v, i) => v - b[i]!)) / Math.hypot(...b);
    expect(diff).toBeLessThan(1e-4); // measured 9e-6: float32 differencing against core's float64
    // γ‖D_N‖_* with the new name and its deprecated alias, and the nuclear norm itself from core.
    const apply = (x: tf.Tensor): tf.Tensor => model.apply(x) as tf.Tensor;
    const sum = Array.from(found.singularValues).reduce((s, v) => s + v, 0);
    const v1 = pen(apply).dataSync()[0]!;
    expect(Math.abs(v1 - sum)).toBeLessThan(1e-4 * sum); // measured 3e-7
    const w = operatorSymmetryPenalty(samples, { candidate, weight: 2.5 });
    const g = operatorSymmetryPenalty(samples, { candidate, gamma: 2.5 });
    expect(w(apply).dataSync()[0]!).toBeCloseTo(2.5 * v1, 4);
    expect(g(apply).dataSync()[0]!).toBeCloseTo(2.5 * v1, 4);
    expect(() => operatorSymmetryPenalty(samples, { candidate, weight: 1, gamma: 2 })).toThrow(/'weight' and its deprecated alias 'gamma' disagree/);
    for (const p of [pen, w, g]) p.dispose();
    ours.dispose();
  });

  it('rejects an empty sample set', () => {
    expect(() => operatorSymmetryPenalty([], { candidate: [rotationGenerator()] })).toThrow(EmptyInputError);
  });
});
