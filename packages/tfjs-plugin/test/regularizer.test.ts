import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  LieDerivative,
  Matrix,
  SO,
  Scalar,
  V,
  affineAction,
  createRng,
  directSum,
  layerGenerators,
  layerLieDerivatives,
  linearMapModel,
  nuclearNorm,
  svd,
  symmetryPenalty,
  type Representation,
} from '@liesym/core';
import { functionSymmetryPenalty, modelSymmetryPenalty, symmetryRegularizer } from '../src/index.js';
import { BACKENDS, randn, useBackend } from './helpers.js';

const G = SO(3);

/** Core's dense formulation of the same penalty: LieDerivative + symmetryPenalty (SVD). */
function corePenalty(repIn: Representation, repOut: Representation, w: Float64Array) {
  const n = repIn.dim;
  const m = repOut.dim;
  const actions = G.lieAlgebra.map((_, j) =>
    affineAction({ A: repIn.drho(j).toDense().scale(Math.SQRT1_2), tau: repOut.drho(j).toDense().scale(Math.SQRT1_2) }),
  );
  return symmetryPenalty(new LieDerivative(linearMapModel({ dimIn: n, dimOut: m }), actions), w);
}

/** Singular values (descending) and right singular vectors of D_W = [L_ξ₀W, L_ξ₁W, L_ξ₂W]/√2 for a tfjs kernel. */
function lieSpectrum(kernel: tf.Tensor, repIn: Representation, repOut: Representation): { s: Float64Array; V: Matrix } {
  const [n, m] = kernel.shape as [number, number];
  const k = kernel.dataSync();
  const w = new Float64Array(m * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < m; b++) w[b * n + a] = k[a * m + b]!;
  const d = new Matrix(m * n, 3);
  layerLieDerivatives(layerGenerators(repIn, repOut).generators, w).forEach((col, j) => col.forEach((v, r) => (d.data[r * 3 + j] = v * Math.SQRT1_2)));
  const { s, V } = svd(d);
  return { s, V };
}

/** max |a − sort↑(b)| / max b: `a` must be `b`'s singular values in ascending order. */
function relSpectrum(a: Float64Array, b: Float64Array): number {
  const up = b.slice().sort();
  expect(a.length).toBe(up.length);
  return Math.max(...Array.from(a, (v, i) => Math.abs(v - up[i]!))) / up[up.length - 1]!;
}

describe.each(BACKENDS)('promote penalties on %s', (backend) => {
  it('symmetryRegularizer: tf gradient equals the float64 gradient and finite differences', async () => {
    await useBackend(backend);
    const repIn = directSum(V(G), Scalar);
    const repOut = directSum(V(G), V(G));
    const reg = symmetryRegularizer({ repIn, repOut, weight: 0.7 });
    const kernel = tf.tensor2d(randn(4, 6, 21));
    const grad = tf.grad((k: tf.Tensor) => reg.apply(k))(kernel);
    const k = kernel.dataSync();
    const w = new Float64Array(24);
    for (let a = 0; a < 4; a++) for (let b = 0; b < 6; b++) w[b * 4 + a] = k[a * 6 + b]!;
    const ref = corePenalty(repIn, repOut, w);
    expect(Math.abs(reg.apply(kernel).dataSync()[0]! - 0.7 * ref.value) / ref.value).toBeLessThan(1e-6);
    // the spectrum is ascending (core's rule; it was descending before 0.2)
    expect(relSpectrum(reg.lastSingularValues, ref.singularValues)).toBeLessThan(1e-6);
    const g = grad.dataSync();
    let err = 0;
    for (let a = 0; a < 4; a++) for (let b = 0; b < 6; b++) err = Math.max(err, Math.abs(g[a * 6 + b]! - 0.7 * ref.gradient[b * 4 + a]!));
    expect(err).toBeLessThan(1e-5);
    const dir = tf.tensor2d(randn(4, 6, 22));
    const h = 1e-2;
    const fd = (reg.apply(tf.add(kernel, tf.mul(dir, h))).dataSync()[0]! - reg.apply(tf.sub(kernel, tf.mul(dir, h))).dataSync()[0]!) / (2 * h);
    const an = tf.sum(tf.mul(grad, dir)).dataSync()[0]!;
    expect(Math.abs(fd - an) / Math.abs(an)).toBeLessThan(1e-2);
  });

  it('drives σ_min(D_W) → 0 for the symmetry the target has (about z) and leaves the broken generators alone', async () => {
    await useBackend(backend);
    // target W* = diag(1, 1, 2): symmetric under rotations about z (ξ₀ = L₀₁), not about x or y
    const rng = createRng(4);
    const X = randn(30, 3, 40);
    const Y = X.map(([a, b, c]) => [a! + 0.03 * rng.normal(), b! + 0.03 * rng.normal(), 2 * c! + 0.03 * rng.normal()]);
    const train = (weight: number) => {
      const layer = tf.layers.dense({
        units: 3,
        useBias: false,
        inputShape: [3],
        kernelInitializer: tf.initializers.zeros(),
        ...(weight > 0 ? { kernelRegularizer: symmetryRegularizer({ repIn: V(G), repOut: V(G), weight }) } : {}),
      });
      const model = tf.sequential({ layers: [layer] });
      model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
      const x = tf.tensor2d(X);
      const y = tf.tensor2d(Y);
      const fast = tf.train.sgd(0.1);
      const slow = tf.train.sgd(0.01);
      // plain (sub)gradient descent with a decaying step: the penalty has a kink at σ = 0
      for (let s = 0; s < 500; s++) {
        const opt = s < 300 ? fast : slow;
        opt.minimize(() => {
          const mse = tf.losses.meanSquaredError(y, model.apply(x) as tf.Tensor) as tf.Scalar;
          const losses = layer.calculateLosses();
          return losses.length ? tf.add(mse, losses[0]!) : mse;
        });
      }
      return lieSpectrum(layer.getWeights()[0]!, V(G), V(G));
    };
    const plain = train(0);
    const promoted = train(0.03);
    const target = lieSpectrum(tf.tensor2d([[1, 0, 0], [0, 1, 0], [0, 0, 2]]), V(G), V(G));
    expect(target.s[2]).toBeLessThan(1e-12);
    // the smallest singular value (a rotation symmetry) is driven to 0 …
    expect(plain.s[2]).toBeGreaterThan(3e-3);
    expect(promoted.s[2]).toBeLessThan(0.1 * plain.s[2]!);
    // … about (nearly) the z axis, generator ξ₀ = L₀₁ …
    expect(Math.abs(promoted.V.get(0, 2))).toBeGreaterThan(0.99);
    // … while the two broken generators keep singular values near the target's
    for (const j of [0, 1]) expect(Math.abs(promoted.s[j]! - target.s[j]!) / target.s[j]!).toBeLessThan(0.3);
  });

  it("takes a candidate algebra as 'candidate' (the deprecated 'generators' is the same), and configs round-trip both spellings", async () => {
    await useBackend(backend);
    const kernel = tf.tensor2d(randn(3, 2, 5));
    const a = symmetryRegularizer({ candidate: 'gl-input', weight: 1 });
    const b = symmetryRegularizer({ generators: 'gl-input', weight: 1 });
    const va = a.apply(kernel).dataSync()[0]!;
    expect(b.apply(kernel).dataSync()[0]).toBe(va);
    // exact: D[(i, j), (a, b)] = (W·E_ab)_ij = W_ia·δ_jb for W = Kᵀ (2×3): nuclear norm of a 6×9 matrix
    const K = kernel.dataSync();
    const d = new Matrix(6, 9);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let c = 0; c < 3; c++) d.data[(i * 3 + j) * 9 + c * 3 + j] = K[c * 2 + i]!;
    expect(Math.abs(va / nuclearNorm(d).value - 1)).toBeLessThan(1e-6);
    expect(a.getConfig()).toEqual({ weight: 1, candidate: { name: '"gl-input"' } });
    expect(b.getConfig()).toEqual(a.getConfig());
    const Cls = a.constructor as unknown as { fromConfig(cls: unknown, c: object): typeof a };
    const old = Cls.fromConfig(a.constructor, { weight: 1, rtol: 1e-6, generators: { name: '"gl-input"' } });
    expect(old.options.candidate).toBe('gl-input');
    expect(old.apply(kernel).dataSync()[0]).toBe(va);
  });

  it('model-level penalty: one nuclear norm of the stacked per-layer matrices', async () => {
    await useBackend(backend);
    const hidden = directSum(V(G), V(G), Scalar);
    const d1 = tf.layers.dense({ units: hidden.dim, inputShape: [3] });
    const d2 = tf.layers.dense({ units: 3 });
    tf.sequential({ layers: [d1, d2] });
    const penalty = modelSymmetryPenalty({
      layers: [
        { layer: d1, repIn: V(G), repOut: hidden },
        { layer: d2, repIn: hidden, repOut: V(G) },
      ],
      weight: 1,
    });
    const value = penalty.loss().dataSync()[0]!;
    const toW = (t: tf.Tensor) => {
      const [n, m] = t.shape as [number, number];
      const k = t.dataSync();
      const w = new Float64Array(m * n);
      for (let a = 0; a < n; a++) for (let b = 0; b < m; b++) w[b * n + a] = k[a * m + b]!;
      return w;
    };
    const blocks = [
      [V(G), hidden, toW(d1.getWeights()[0]!)],
      [hidden, V(G), toW(d2.getWeights()[0]!)],
    ] as const;
    const stacked = Matrix.vstack(
      blocks.map(([ri, ro, w]) => {
        const cols = layerLieDerivatives(layerGenerators(ri, ro).generators, w);
        const dm = new Matrix(w.length, 3);
        cols.forEach((c, j) => c.forEach((v, r) => (dm.data[r * 3 + j] = v * Math.SQRT1_2)));
        return dm;
      }),
    );
    expect(Math.abs(value - nuclearNorm(stacked).value) / value).toBeLessThan(1e-5);
    expect(relSpectrum(penalty.lastSingularValues, nuclearNorm(stacked).singularValues)).toBeLessThan(1e-5);
    const grads = tf.variableGrads(() => penalty.loss(), [d1.trainableWeights[0]!.read() as tf.Variable, d2.trainableWeights[0]!.read() as tf.Variable]);
    expect(Object.keys(grads.grads).length).toBe(2);
    expect(Object.values(grads.grads).every((g) => tf.norm(g).dataSync()[0]! > 0)).toBe(true);
  });

  it('function-level penalty equals the exact nuclear norm for a linear model', async () => {
    await useBackend(backend);
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3], useBias: false })] });
    const X = randn(6, 3, 31);
    const penalty = functionSymmetryPenalty(model, { xs: X, candidate: 'gl-input', weight: 1, step: 1e-2 });
    const value = penalty.loss().dataSync()[0]!;
    const K = model.getWeights()[0]!.dataSync();
    // exact D[(s,i), (a,b)] = (W·E_ab·x_s)_i / √S = W[i][a]·x_s[b] / √S
    const d = new Matrix(6 * 2, 9);
    X.forEach((x, s) => {
      for (let i = 0; i < 2; i++) for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) d.data[(s * 2 + i) * 9 + a * 3 + b] = (K[a * 2 + i]! * x[b]!) / Math.sqrt(6);
    });
    expect(Math.abs(value - nuclearNorm(d).value) / value).toBeLessThan(1e-3);
    const { grads, value: v } = tf.variableGrads(() => penalty.loss());
    expect(v.dataSync()[0]).toBeCloseTo(value, 4);
    expect(Object.keys(grads).length).toBe(1);
    penalty.dispose();
  });
});
