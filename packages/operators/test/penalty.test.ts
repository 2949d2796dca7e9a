import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { EmptyInputError, InvalidArgumentError } from '@liesym/core';
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
  transformField,
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

  it('with batchSize draws a fresh seeded subset of the pool at every evaluation, and reports the spectrum it used', () => {
    const grid = new Grid({ size: [16, 16] });
    const pool = gaussianSources(grid, { count: 12, seed: 7, width: [0.6, 0.8] });
    const model = fno({ gridSize: [16, 16], width: 4, modes: 3, layers: 1, seed: 2 });
    const apply = (x: tf.Tensor): tf.Tensor => model.apply(x) as tf.Tensor;
    const candidate = [rotationGenerator(), scalingGenerator()];
    const a = operatorSymmetryPenalty(pool, { candidate, batchSize: 3, seed: 5 });
    const b = operatorSymmetryPenalty(pool, { candidate, batchSize: 3, seed: 5 });
    const [a1, a2, b1] = [a.matrix(apply), a.matrix(apply), b.matrix(apply)];
    expect(a1.shape).toEqual([3 * 256, 2]);
    expect(Array.from(a1.dataSync())).toEqual(Array.from(b1.dataSync()));
    expect(Array.from(a1.dataSync())).not.toEqual(Array.from(a2.dataSync()));
    expect(a.lastSingularValues.length).toBe(0);
    const v = a(apply).dataSync()[0]!;
    expect(a.lastSingularValues.length).toBe(2);
    expect(Math.abs(v - a.lastSingularValues[0]! - a.lastSingularValues[1]!)).toBeLessThan(1e-4 * v);
    // reweight δ: Σ wᵢσᵢ with wᵢ = δσ₁/(δσ₁ + σᵢ) on the same subset as an unweighted twin's spectrum.
    const r = operatorSymmetryPenalty(pool, { candidate, batchSize: 3, seed: 9, reweight: 0.1 });
    const plain = operatorSymmetryPenalty(pool, { candidate, batchSize: 3, seed: 9 });
    const rv = r(apply).dataSync()[0]!;
    plain(apply);
    const [s0, s1] = [plain.lastSingularValues[0]!, plain.lastSingularValues[1]!];
    const e = 0.1 * s1;
    expect(rv).toBeCloseTo((e / (e + s0)) * s0 + (e / (e + s1)) * s1, 4);
    for (const t of [a1, a2, b1]) t.dispose();
    for (const p of [a, b, r, plain]) p.dispose();
  });

  it('bad options get InvalidArgumentError naming the argument', () => {
    const grid = new Grid({ size: [16, 16] });
    const pool = gaussianSources(grid, { count: 4, seed: 7 });
    const candidate = [rotationGenerator()];
    expect(() => operatorSymmetryPenalty(pool, { candidate, batchSize: 5 })).toThrow(/operatorSymmetryPenalty: 'batchSize' must be an integer in \[1, 4\].*received 5/);
    expect(() => operatorSymmetryPenalty(pool, { candidate, batchSize: 0 })).toThrow(InvalidArgumentError);
    expect(() => operatorSymmetryPenalty(pool, { candidate, batchSize: 2, seed: -1 })).toThrow(/'seed' must be an integer/);
    expect(() => operatorSymmetryPenalty(pool, { candidate, reweight: 0 })).toThrow(/operatorSymmetryPenalty: 'reweight' must be a finite number > 0.*received 0/);
    expect(() => operatorSymmetryPenalty(pool, { candidate, reweight: Number.NaN })).toThrow(/'reweight'.*received NaN/);
    expect(() => operatorSymmetryPenalty(pool, { candidate, reweight: 0.1, normalize: 'frobenius' })).toThrow(/'reweight' and 'normalize' cannot be combined/);
    expect(() => operatorSymmetryPenalty(pool, { candidate, normalize: 'max' as never })).toThrow(/'normalize' must be 'none' or 'frobenius'; received "max"/);
  });

  it('a pool of narrow probe fields (fresh per step) with reweight makes a small FNO more rotation-symmetric than ‖D_N‖_* on two fixed smooth fields (issue 14)', () => {
    // Training packets oriented along y (carrier 3, spectra near k = (0, ±3)); the penalty's candidate holds
    // rotation and scaling, which the data break (κ). The rotated test set lives at k ≈ (±3, 0).
    const grid = new Grid({ size: [16, 16] });
    const f = gaussianSources(grid, { count: 8, seed: 4, blobs: 1, radius: 0.5, width: [0.7, 0.9], carrier: 3 });
    const x = fieldsToTensor(f);
    const y = fieldsToTensor(f.map((s) => screenedPoisson(s)));
    const rotated = f.map((u) => transformField(u, { kind: 'd4', element: 1 }));
    const rotatedY = rotated.map((s) => screenedPoisson(s));
    const candidate = [rotationGenerator(), scalingGenerator()];
    const run = (penalty: 'old' | 'new'): number => {
      const model = fno({ gridSize: [16, 16], width: 4, modes: 4, layers: 1, seed: 3 });
      const pen =
        penalty === 'old'
          ? operatorSymmetryPenalty(gaussianSources(grid, { count: 2, seed: 9, blobs: 2, radius: 0.5, width: [0.8, 1.2] }), { candidate, weight: 0.1 })
          : operatorSymmetryPenalty(gaussianSources(grid, { count: 64, seed: 8, blobs: 2, radius: 0.5, width: [0.35, 0.45] }), { candidate, weight: 0.1, batchSize: 2, reweight: 0.1, step: 1e-3 });
      trainOperator(model, { inputs: x, targets: y, epochs: 150, batchSize: 8, learningRate: 1e-2, finalLearningRate: 3e-3, penalty: pen });
      pen.dispose();
      const pred = tfOperator(model, grid)(rotated);
      const err = pred.reduce((t, p, i) => t + p.axpy(-1, rotatedY[i]!).norm() / rotatedY[i]!.norm(), 0) / pred.length;
      model.dispose();
      return err;
    };
    const old = run('old');
    const fresh = run('new');
    // Relative error on the sources rotated by 90°; measured (seeded): 0.78 with the old set-up, 0.40 with the new.
    expect(fresh).toBeLessThan(0.7 * old);
    tf.dispose([x, y]);
  });

  it('rejects an empty sample set', () => {
    expect(() => operatorSymmetryPenalty([], { candidate: [rotationGenerator()] })).toThrow(EmptyInputError);
  });
});
