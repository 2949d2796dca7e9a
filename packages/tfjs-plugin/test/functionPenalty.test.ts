import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  EmptyInputError,
  InvalidArgumentError,
  Matrix,
  NonFiniteError,
  ShapeMismatchError,
  UnsupportedOperationError,
  discoverSymmetries,
  finiteDifferenceStep,
  imageCandidates,
  nuclearNorm,
  nuclearNormPenalty,
} from '@liesym/core';
import { functionSymmetryPenalty, modelEvaluator } from '../src/index.js';
import { BACKENDS, maxRelDiff, randn, useBackend } from './helpers.js';

/** A small seeded tanh network R³ → R². */
function tanhNet(seed: number): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 8, inputShape: [3], activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({ seed }) }),
      tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }) }),
    ],
  });
}

/** ‖a − b‖_F / ‖b‖_F. */
function relFro(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

describe.each(BACKENDS)('functionSymmetryPenalty on %s', (backend) => {
  it("core's central differences match the exact Lie derivative, Richardson closer still; the deprecated 'forward' gets central ones", async () => {
    await useBackend(backend);
    const model = tanhNet(3);
    const X = randn(12, 3, 41);
    // exact: core's engine on the model's tf.grad Jacobians (same rows, columns and 1/√S scaling)
    const exact = discoverSymmetries(modelEvaluator(model), X, { candidate: 'gl-input' }).matrix;
    const at = (o: { richardson?: boolean; difference?: 'forward'; step?: number }) => {
      const p = functionSymmetryPenalty(model, { samples: X, candidate: 'gl-input', ...o });
      const d = p.discoverMatrix();
      const data = d.dataSync().slice();
      d.dispose();
      p.dispose();
      return data;
    };
    const central = relFro(at({}), exact.data);
    const richardson = relFro(at({ richardson: true }), exact.data);
    expect(central).toBeLessThan(1e-4);
    expect(richardson).toBeLessThan(central);
    expect(maxRelDiff(at({ difference: 'forward' }), at({}))).toBe(0);
    // a step 10× the default: central differences' O(h²) error shows, Richardson's O(h⁴) does not
    const big = 10 * finiteDifferenceStep({ dtype: 'float32' });
    expect(relFro(at({ step: big }), exact.data)).toBeGreaterThan(20 * relFro(at({ step: big, richardson: true }), exact.data));
    const p = functionSymmetryPenalty(model, { samples: X, candidate: 'gl-input' });
    expect(p.step).toBe(finiteDifferenceStep({ dtype: 'float32' }));
    p.dispose();
  });

  it("normalize 'frobenius' does not change when F is scaled, the plain nuclear norm does", async () => {
    await useBackend(backend);
    const model = tanhNet(5);
    const X = randn(10, 3, 7);
    const plain = functionSymmetryPenalty(model, { samples: X, candidate: 'gl-input', weight: 1 });
    const scaled = functionSymmetryPenalty(model, { samples: X, candidate: 'gl-input', weight: 1, normalize: 'frobenius' });
    const before = [plain.loss().dataSync()[0]!, scaled.loss().dataSync()[0]!];
    const sv = plain.lastSingularValues;
    expect(Array.from(sv)).toEqual(Array.from(sv).sort((a, b) => a - b)); // ascending
    expect(Array.from(scaled.lastSingularValues)).toEqual(Array.from(scaled.lastSingularValues).sort((a, b) => a - b));
    const fro = Math.hypot(...sv);
    expect(before[1]! / (before[0]! / fro)).toBeCloseTo(1, 4);
    expect(before[1]!).toBeGreaterThanOrEqual(1);
    expect(before[1]!).toBeLessThanOrEqual(Math.sqrt(sv.length) + 1e-6);
    const last = model.layers[1]!;
    last.setWeights(last.getWeights().map((w) => tf.mul(w, 3)));
    const after = [plain.loss().dataSync()[0]!, scaled.loss().dataSync()[0]!];
    expect(after[0]! / before[0]!).toBeCloseTo(3, 3);
    expect(Math.abs(after[1]! / before[1]! - 1)).toBeLessThan(1e-4);
    plain.dispose();
    scaled.dispose();
  });

  it("the gradient of the 'frobenius' penalty matches finite differences and is orthogonal to scaling F", async () => {
    await useBackend(backend);
    // a linear model: D_F is linear in W, so the penalty is a smooth function of W
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], useBias: false, kernelInitializer: tf.initializers.glorotNormal({ seed: 2 }) })] });
    const X = randn(8, 3, 17);
    const p = functionSymmetryPenalty(model, { samples: X, candidate: 'gl-input', weight: 1, normalize: 'frobenius' });
    const kernel = model.layers[0]!.trainableWeights[0]!.read() as tf.Variable;
    const { grads } = tf.variableGrads(() => p.loss(), [kernel]);
    const g = Object.values(grads)[0]!.dataSync();
    const W = Float64Array.from(model.getWeights()[0]!.dataSync());
    const dir = randn(1, W.length, 9)[0]!;
    const valueAt = (t: number) => {
      model.setWeights([tf.tensor2d(Float32Array.from(W, (w, i) => w + t * dir[i]!), [3, 2])]);
      return p.loss().dataSync()[0]!;
    };
    const eps = 1e-2;
    const fd = (valueAt(eps) - valueAt(-eps)) / (2 * eps);
    const analytic = dir.reduce((s, v, i) => s + v * g[i]!, 0);
    expect(Math.abs(fd - analytic)).toBeLessThan(2e-2 * Math.max(1e-3, Math.abs(analytic)) + 1e-4);
    // scaling W scales F: the value is flat along W, so ⟨∇, W⟩ = 0
    const along = W.reduce((s, v, i) => s + v * g[i]!, 0);
    expect(Math.abs(along) / Math.sqrt(Array.from(g).reduce((s, v) => s + v * v, 0) * W.reduce((s, v) => s + v * v, 0))).toBeLessThan(1e-4);
    p.dispose();
  });

  it('reweight δ is Σ wᵢσᵢ of D_F with wᵢ = δσ_max / (δσ_max + σᵢ), and its gradient is that sum with the weights held', async () => {
    await useBackend(backend);
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], useBias: false, kernelInitializer: tf.initializers.glorotNormal({ seed: 4 }) })] });
    const X = randn(8, 3, 19);
    const delta = 0.1;
    const p = functionSymmetryPenalty(model, { samples: X, candidate: 'gl-input', weight: 2, reweight: delta });
    expect(p.reweight).toBe(delta);
    const d = p.discoverMatrix();
    const D = new Matrix(d.shape[0], d.shape[1], Float64Array.from(d.dataSync()));
    d.dispose();
    const want = nuclearNormPenalty(D, { reweight: delta });
    // by hand: Σ wᵢσᵢ with wᵢ = δσ_max / (δσ_max + σᵢ)
    const s = Array.from(want.singularValues).filter((v) => v > 0);
    const top = Math.max(...s);
    const byHand = s.reduce((t, v) => t + ((delta * top) / (delta * top + v)) * v, 0);
    const value = p.loss().dataSync()[0]!;
    expect(Math.abs(value / (2 * byHand) - 1)).toBeLessThan(1e-5);
    expect(value).toBeLessThan(2 * nuclearNorm(D).value * 0.99); // weights < 1: below the plain nuclear norm
    // the gradient is that of the surrogate Σ wᵢσᵢ(W) with the weights held at the current W: central differences of it
    const kernel = model.layers[0]!.trainableWeights[0]!.read() as tf.Variable;
    const { grads } = tf.variableGrads(() => p.loss(), [kernel]);
    const g = Object.values(grads)[0]!.dataSync();
    const W = Float64Array.from(model.getWeights()[0]!.dataSync());
    const held = Array.from(want.singularValues, (v) => (v > 0 ? (delta * top) / (delta * top + v) : 0)); // ascending, as σ
    const dir = randn(1, W.length, 29)[0]!;
    const surrogateAt = (t: number) => {
      model.setWeights([tf.tensor2d(Float32Array.from(W, (w, i) => w + t * dir[i]!), [3, 2])]);
      const dt = p.discoverMatrix();
      const sv = nuclearNormPenalty(new Matrix(dt.shape[0], dt.shape[1], Float64Array.from(dt.dataSync()))).singularValues;
      dt.dispose();
      return 2 * Array.from(sv).reduce((acc, v, i) => acc + held[i]! * v, 0);
    };
    const eps = 1e-2;
    const fd = (surrogateAt(eps) - surrogateAt(-eps)) / (2 * eps);
    const analytic = dir.reduce((acc, v, i) => acc + v * g[i]!, 0);
    expect(Math.abs(fd - analytic)).toBeLessThan(2e-2 * Math.abs(analytic) + 1e-4);
    // weights that were differentiated through (or the plain nuclear norm's, all 1) would give another derivative
    const plainAt = (t: number) => {
      model.setWeights([tf.tensor2d(Float32Array.from(W, (w, i) => w + t * dir[i]!), [3, 2])]);
      const dt = p.discoverMatrix();
      const v = nuclearNorm(new Matrix(dt.shape[0], dt.shape[1], Float64Array.from(dt.dataSync()))).value;
      dt.dispose();
      return 2 * v;
    };
    expect(Math.abs((plainAt(eps) - plainAt(-eps)) / (2 * eps) - analytic)).toBeGreaterThan(0.1 * Math.abs(analytic));
    p.dispose();
  });

  it('batchSize draws a fresh seeded subset at every evaluation', async () => {
    await useBackend(backend);
    const model = tanhNet(7);
    const X = randn(40, 3, 23);
    const a = functionSymmetryPenalty(model, { samples: X, batchSize: 8, seed: 4, candidate: 'gl-input' });
    const b = functionSymmetryPenalty(model, { xs: X, batchSize: 8, seed: 4, candidate: 'gl-input' }); // the deprecated name
    const [a1, a2, b1] = [a.discoverMatrix(), a.discoverMatrix(), b.discoverMatrix()];
    expect(a1.shape).toEqual([8 * 2, 9]);
    expect(maxRelDiff(a1.dataSync(), b1.dataSync())).toBe(0);
    expect(maxRelDiff(a1.dataSync(), a2.dataSync())).toBeGreaterThan(1e-2);
    // every row of the subset is one of the pool's: the full pool's matrix contains it
    const full = functionSymmetryPenalty(model, { samples: X, candidate: 'gl-input' });
    const all = full.discoverMatrix();
    const rows = (t: tf.Tensor, scale: number) => Array.from({ length: t.shape[0]! }, (_, r) => Array.from(t.dataSync().slice(r * 9, r * 9 + 9), (v) => v * scale));
    const pool = rows(all, Math.sqrt(40));
    for (const row of rows(a1, Math.sqrt(8))) expect(pool.some((p) => maxRelDiff(p, row) < 1e-5)).toBe(true);
    for (const t of [a1, a2, b1, all]) t.dispose();
    for (const p of [a, b, full]) p.dispose();
  });

  it('a sampler is called at every evaluation and its tensors are freed', async () => {
    await useBackend(backend);
    const model = tanhNet(9);
    let calls = 0;
    const p = functionSymmetryPenalty(model, { sampler: () => tf.randomNormal([6, 3], 0, 1, 'float32', ++calls), candidate: 'gl-input', weight: 0.1 });
    p.loss().dispose();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) p.loss().dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(calls).toBe(6);
    expect(p.lastSingularValues.length).toBe(9);
    p.dispose();
  });

  it('the plain penalty still equals the exact nuclear norm on a linear model with central differences', async () => {
    await useBackend(backend);
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3], useBias: false, kernelInitializer: tf.initializers.glorotNormal({ seed: 12 }) })] });
    const X = randn(5, 3, 13);
    const p = functionSymmetryPenalty(model, { samples: X, candidate: 'gl-input', weight: 2 });
    const K = model.getWeights()[0]!.dataSync();
    const d = new Matrix(5, 9);
    X.forEach((x, s) => {
      for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) d.data[s * 9 + a * 3 + b] = (K[a]! * x[b]!) / Math.sqrt(5);
    });
    expect(Math.abs(p.loss().dataSync()[0]! / (2 * nuclearNorm(d).value) - 1)).toBeLessThan(1e-4);
    p.dispose();
  });

  it('rejects bad options with typed errors that name the argument', async () => {
    await useBackend(backend);
    const model = tanhNet(1);
    const X = randn(4, 3, 1);
    const bad = (o: object) => () => functionSymmetryPenalty(model, { candidate: 'gl-input', ...o } as never);
    expect(bad({})).toThrow(/exactly one of 'samples' and 'sampler'; received neither/);
    expect(bad({ samples: X, sampler: () => X })).toThrow(InvalidArgumentError);
    expect(bad({ samples: X, batchSize: 5 })).toThrow(/'batchSize' must be an integer in \[1, 4\].*received 5/);
    expect(bad({ samples: X, batchSize: 1.5 })).toThrow(InvalidArgumentError);
    expect(bad({ sampler: () => X, batchSize: 2 })).toThrow(/'batchSize' must be absent with 'sampler'/);
    expect(bad({ samples: X, difference: 'backward' })).toThrow(/'difference' must be 'central' or 'forward'; received "backward"/);
    expect(bad({ samples: X, normalize: 'max' })).toThrow(/'normalize' must be 'none' or 'frobenius'; received "max"/);
    expect(bad({ samples: X, reweight: 0 })).toThrow(/functionSymmetryPenalty: 'reweight' must be a finite number > 0; received 0/);
    expect(bad({ samples: X, reweight: '0.1' })).toThrow(InvalidArgumentError);
    expect(bad({ samples: X, reweight: 0.1, normalize: 'frobenius' })).toThrow(/'reweight' and 'normalize' cannot be combined/);
    expect(bad({ samples: X, step: 0 })).toThrow(/'step' must be a number in \(0, 1\); received 0/);
    expect(bad({ samples: X, weight: -1 })).toThrow(/'weight' must be finite and ≥ 0; received -1/);
    expect(bad({ samples: randn(4, 2, 1) })).toThrow(ShapeMismatchError);
    expect(bad({ samples: [] })).toThrow(EmptyInputError);
    expect(bad({ samples: [[0, Number.NaN, 1]] })).toThrow(NonFiniteError);
    expect(bad({ samples: tf.tensor2d([[0, Number.NaN, 1]]) })).toThrow(NonFiniteError);
    // an image-to-image model: its candidate moves the output field too, which the penalty cannot difference in tfjs
    const seg = tf.sequential({ layers: [tf.layers.conv2d({ filters: 1, kernelSize: 1, inputShape: [2, 2, 1] })] });
    const fields = imageCandidates({ shape: [2, 2, 1], outputShape: [2, 2, 1], layout: 'NHWC' });
    expect(() => functionSymmetryPenalty(seg, { samples: randn(3, 4, 1), candidate: fields })).toThrow(/on output fields/);
    expect(() => functionSymmetryPenalty(seg, { samples: randn(3, 4, 1), candidate: fields })).toThrow(UnsupportedOperationError);
    const wrong = functionSymmetryPenalty(model, { sampler: () => randn(3, 4, 1), candidate: 'gl-input' });
    expect(() => wrong.loss()).toThrow(/every sample in 'sampler\(\)' must have 3 coordinates.*received 4/);
    wrong.dispose();
  });
});
