import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  EmptyInputError,
  InvalidArgumentError,
  ShapeMismatchError,
  UnsupportedOperationError,
  imageCandidates,
  imageIndexMaps,
  nuclearNorm,
  resolveCandidate,
  Matrix,
} from '@liesym/core';
import { checkDiscrete, functionSymmetryPenalty, registerWasmConvGradients } from '../src/index.js';
import { BACKENDS, maxRelDiff, randn, useBackend } from './helpers.js';

const [H, W] = [5, 5];
const n = H * W;

/** F(x) = K·vec(x) on [B, 5, 5, 1] images (a flatten and a dense layer without bias). */
function linearImageModel(seed: number, units = 3): tf.Sequential {
  return tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [H, W, 1] }), tf.layers.dense({ units, useBias: false, kernelInitializer: tf.initializers.glorotNormal({ seed }) })],
  });
}

/** The dense kernel as rows K[i][p] (output i, pixel p). */
function kernelRows(model: tf.LayersModel): number[][] {
  const k = model.layers[1]!.getWeights()[0]!.dataSync(); // [n, m]
  const m = k.length / n;
  return Array.from({ length: m }, (_, i) => Array.from({ length: n }, (_, p) => k[p * m + i]!));
}

/** A small ReLU CNN on [B, 5, 5, 1] images → 4 class probabilities. */
function tinyCnn(seed: number): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [H, W, 1], kernelInitializer: tf.initializers.heNormal({ seed }) }),
      tf.layers.globalMaxPooling2d({}),
      tf.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }) }),
    ],
  });
}

describe.each(BACKENDS)('functionSymmetryPenalty on image models, %s', (backend) => {
  it('transforms: column k of D_F is (F(h_k·x) − P_k·F(x))/√S, exactly, for images given as [S, H, W, C]', async () => {
    await useBackend(backend);
    const model = linearImageModel(3);
    const X = randn(6, n, 5);
    const images = tf.tensor4d(X.flat(), [6, H, W, 1]);
    const p = functionSymmetryPenalty(model, { samples: images, transforms: ['rotate90', 'flip-horizontal'], outputPermutation: [1, 0, 2], weight: 1 });
    images.dispose();
    const d = p.discoverMatrix();
    expect(d.shape).toEqual([6 * 3, 2]);
    const K = kernelRows(model);
    const maps = imageIndexMaps({ shape: [H, W, 1], layout: 'NHWC', names: ['rotate90', 'flip-horizontal'] });
    const perm = [1, 0, 2];
    const expected = new Matrix(18, 2);
    X.forEach((x, s) => {
      const f = K.map((row) => row.reduce((a, w, q) => a + w * x[q]!, 0));
      maps.forEach((t, k) => {
        const moved = Array.from(t.input, (src) => x[src]!);
        K.forEach((row, i) => {
          const fh = row.reduce((a, w, q) => a + w * moved[q]!, 0);
          expected.set(s * 3 + i, k, (fh - f[perm[i]!]!) / Math.sqrt(6));
        });
      });
    });
    expect(maxRelDiff(d.dataSync(), expected.data)).toBeLessThan(1e-5);
    expect(Math.abs(p.loss().dataSync()[0]! / nuclearNorm(expected).value - 1)).toBeLessThan(1e-5);
    expect(p.transforms.map((t) => t.name)).toEqual(['rotate90', 'flip-horizontal']);
    expect(p.candidate).toEqual([]);
    d.dispose();
    p.dispose();
  });

  it('transforms: an invariant model (global average pool) has D_F = 0, a plain CNN does not', async () => {
    await useBackend(backend);
    const invariant = tf.sequential({ layers: [tf.layers.globalAveragePooling2d({ inputShape: [H, W, 1] }), tf.layers.dense({ units: 2, kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }) })] });
    const X = randn(8, n, 11);
    const all = ['rotate90', 'rotate180', 'rotate270', 'flip-horizontal', 'flip-vertical', 'transpose'];
    const zero = functionSymmetryPenalty(invariant, { samples: X, transforms: all, weight: 1 });
    const cnn = tinyCnn(2);
    const broken = functionSymmetryPenalty(cnn, { samples: X, transforms: all, weight: 1 });
    const [z, b] = [zero.loss().dataSync()[0]!, broken.loss().dataSync()[0]!];
    expect(z).toBeLessThan(1e-6);
    expect(b).toBeGreaterThan(1e-3);
    expect(broken.lastSingularValues.length).toBe(6);
    zero.dispose();
    broken.dispose();
  });

  it("a structured image candidate: D_F's columns are K·t_j(x)/√S with core's field tangents (a linear model, float32 precision)", async () => {
    await useBackend(backend);
    const model = linearImageModel(4, 2);
    const candidate = imageCandidates({ shape: [H, W, 1], outputShape: [2], layout: 'NHWC', derivative: 'border' });
    const sub = { ...candidate, generators: candidate.generators.filter((g) => ['rotation', 'translation-x', 'scaling'].includes(g.name)) };
    const X = randn(4, n, 8);
    const p = functionSymmetryPenalty(model, { samples: X, candidate: sub, weight: 1 });
    const d = p.discoverMatrix();
    const res = resolveCandidate(sub, { dimIn: n, dimOut: 2 });
    const q = res.pairs.length;
    expect(d.shape).toEqual([4 * 2, q]);
    expect(q).toBe(3);
    const K = kernelRows(model);
    const expected = new Matrix(8, q);
    X.forEach((x, s) => {
      res.actIn.tangents(res.pairs.map((pr) => pr[0]), Float64Array.from(x)).forEach((t, j) => {
        K.forEach((row, i) => expected.set(s * 2 + i, j, row.reduce((a, w, k) => a + w * t[k]!, 0) / Math.sqrt(4)));
      });
    });
    expect(maxRelDiff(d.dataSync(), expected.data)).toBeLessThan(2e-3);
    d.dispose();
    p.dispose();
  });

  it('the penalty gradient over transforms matches finite differences in the weights', async () => {
    await useBackend(backend);
    const model = linearImageModel(6, 2);
    const X = randn(5, n, 3);
    const p = functionSymmetryPenalty(model, { samples: X, transforms: ['rotate90', 'flip-vertical'], weight: 1 });
    const kernel = model.layers[1]!.trainableWeights[0]!.read() as tf.Variable;
    const { grads, value } = tf.variableGrads(() => p.loss(), [kernel]);
    value.dispose();
    const g = Object.values(grads)[0]!.dataSync();
    const W0 = Float64Array.from(model.layers[1]!.getWeights()[0]!.dataSync());
    const dir = randn(1, W0.length, 21)[0]!;
    const valueAt = (t: number) => {
      model.layers[1]!.setWeights([tf.tensor2d(Float32Array.from(W0, (w, i) => w + t * dir[i]!), [n, 2])]);
      return p.loss().dataSync()[0]!;
    };
    const eps = 1e-2;
    const fd = (valueAt(eps) - valueAt(-eps)) / (2 * eps);
    const analytic = dir.reduce((s, v, i) => s + v * g[i]!, 0);
    expect(Math.abs(fd - analytic)).toBeLessThan(2e-2 * Math.abs(analytic) + 1e-4);
    expect(Math.abs(analytic)).toBeGreaterThan(1e-3);
    p.dispose();
  });

  it('training a CNN with the penalty over quarter turns makes it far more invariant than without (checkDiscrete)', async () => {
    registerWasmConvGradients();
    await useBackend(backend);
    const X = randn(48, n, 17);
    const labels = X.map((x) => (x.reduce((a, v) => a + v * v, 0) > n ? 1 : 0)); // a rotation-invariant rule
    const xs = tf.tensor4d(X.flat(), [48, H, W, 1]);
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 4).toFloat();
    const residual = (gamma: number): number => {
      const model = tinyCnn(9);
      const penalty = functionSymmetryPenalty(model, { samples: xs, batchSize: 16, seed: 1, transforms: ['rotate90', 'flip-horizontal'], weight: gamma });
      const opt = tf.train.adam(1e-2);
      for (let it = 0; it < 60; it++) {
        const cost = opt.minimize(() => {
          const ce = tf.losses.softmaxCrossEntropy(ys, tf.log(tf.add(model.apply(xs) as tf.Tensor, 1e-7)));
          return gamma === 0 ? (ce as tf.Scalar) : tf.add(ce, penalty.loss());
        }, true);
        cost?.dispose();
      }
      const r = checkDiscrete(model, { transforms: ['rotate90', 'flip-horizontal'], samples: X });
      penalty.dispose();
      opt.dispose();
      return r.maxRelative;
    };
    const [plain, promoted] = [residual(0), residual(1)];
    expect(plain).toBeGreaterThan(1e-2);
    expect(promoted).toBeLessThan(0.3 * plain);
    tf.dispose([xs, ys]);
  });

  it('rejects bad transform options and mis-shaped images with typed errors', async () => {
    await useBackend(backend);
    const model = linearImageModel(1);
    const X = randn(4, n, 1);
    const bad = (o: object) => () => functionSymmetryPenalty(model, { samples: X, ...o } as never);
    expect(bad({})).toThrow(/exactly one of 'candidate' \(a Lie algebra\) and 'transforms' \(group elements\); received neither/);
    expect(bad({ candidate: 'gl-lift', transforms: ['rotate90'] })).toThrow(/received both/);
    expect(bad({ transforms: ['rotate45'] })).toThrow(InvalidArgumentError);
    expect(bad({ transforms: [] })).toThrow(EmptyInputError);
    expect(bad({ transforms: ['time-reversal'] })).toThrow(ShapeMismatchError);
    expect(bad({ transforms: ['rotate90'], outputPermutation: [0, 1] })).toThrow(/'outputPermutation' must permute the model's 3 outputs/);
    expect(bad({ transforms: [{ name: 'half', input: new Int32Array(3) }] })).toThrow(ShapeMismatchError);
    const wrongShape = tf.zeros([2, 4, 5, 1]);
    expect(bad({ samples: wrongShape, transforms: ['rotate180'] })).toThrow(/'samples' must be \[S, 25\] or \[S, 5, 5, 1\].*received shape \[2, 4, 5, 1\]/);
    wrongShape.dispose();
    const wide = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [3, 5, 1] }), tf.layers.dense({ units: 1 })] });
    expect(() => functionSymmetryPenalty(wide, { samples: randn(2, 15, 1), transforms: ['rotate90'] })).toThrow(UnsupportedOperationError);
  });
});
