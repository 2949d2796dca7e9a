import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  BasisCache,
  D,
  InvalidRepresentationError,
  O,
  S,
  SO,
  SO13,
  Scalar,
  ShapeMismatchError,
  V,
  defaultTolerance,
  directSum,
  type Representation,
} from '@liesym/core';
import {
  EquivariantDense,
  equivariantDense,
  equivariantMLP,
  equivarianceError,
  gateRep,
  gatedNonlinearity,
  modelEvaluator,
  NormNonlinearity,
  normNonlinearity,
  normOutputRep,
  symmetryRegularizer,
  toPlainModel,
} from '../src/index.js';
import { assertEquivariant } from '@liesym/test-utils';
import { BACKENDS, maxRelDiff, randn, roundTrip, useBackend } from './helpers.js';

const copies = (r: Representation, k: number): Representation[] => Array.from({ length: k }, () => r);

function single(layer: tf.layers.Layer, dimIn: number): tf.Sequential {
  return tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [dimIn] }), layer] });
}

describe.each(BACKENDS)('equivariant layers on %s', (backend) => {
  const G = SO(3);
  const denseCases: Array<[string, Representation, Representation, number]> = [
    ['SO(3) 2V⊕Scalar → V⊗V⊕Scalar', directSum(V(G), V(G), Scalar), directSum(V(G).pow(2), Scalar), 2 * 1 + 1 + 1],
    ['O(3) V⊕Scalar → V⊕2Scalar', directSum(V(O(3)), Scalar), directSum(V(O(3)), Scalar, Scalar), 1 + 2],
    ['S(4) V → V⊕Scalar (discrete)', V(S(4)), directSum(V(S(4)), Scalar), 2 + 1],
    ['D(6) V → V (discrete)', V(D(6)), V(D(6)), 1],
  ];

  it.for(denseCases)('equivariantDense %s is equivariant with the expected number of coefficients', async ([, repIn, repOut, kernelParams]) => {
    await useBackend(backend);
    const layer = equivariantDense({ repIn, repOut, seed: 3, useBias: false });
    const model = single(layer, repIn.dim);
    expect(layer.countParams()).toBe(kernelParams);
    await assertEquivariant(modelEvaluator(model), repIn, repOut, { dtype: 'float32', seed: 5, samples: 12 });
    const k = layer.kernel();
    expect(tf.norm(k).dataSync()[0]).toBeGreaterThan(1e-3);
    k.dispose();
  });

  it('builds one basis per distinct block, shared through a content-addressed cache', async () => {
    await useBackend(backend);
    const basisCache = new BasisCache();
    const rep = directSum(...copies(V(G), 8), ...copies(Scalar, 8));
    const first = equivariantDense({ repIn: rep, repOut: rep, basisCache });
    single(first, rep.dim);
    // blocks V→V, V→Scalar, Scalar→V, Scalar→Scalar; the biases' invariants of V and Scalar are
    // the same content as Hom(Scalar, V) and Hom(Scalar, Scalar), so they hit those entries
    expect(basisCache.size).toBe(4);
    // 8·8 coefficients per V→V and Scalar→Scalar block (dim Hom = 1 each), none across; biases 8
    expect(first.countParams()).toBe(64 + 64 + 8);
    single(equivariantDense({ repIn: rep, repOut: directSum(rep, V(G)), basisCache }), rep.dim);
    expect(basisCache.size).toBe(4);
  });

  it('the bias lives in the invariant subspace of repOut', async () => {
    await useBackend(backend);
    const repOut = directSum(V(G), Scalar, Scalar);
    const layer = equivariantDense({ repIn: V(G), repOut });
    single(layer, 3);
    expect(layer.trainableWeights.map((w) => w.shape)).toEqual([[1, 1, 1], [2, 1]]);
  });

  it('gated and norm nonlinearities are equivariant', async () => {
    await useBackend(backend);
    const H = O(3);
    const hidden = directSum(...copies(V(H), 3), Scalar, Scalar);
    const repIn = directSum(V(H), V(H), Scalar);
    const model = tf.sequential({
      layers: [
        equivariantDense({ repIn, repOut: gateRep(hidden), inputShape: [repIn.dim], seed: 1 }),
        gatedNonlinearity({ rep: hidden }),
        normNonlinearity({ rep: hidden, appendNorms: true }),
      ],
    });
    const repOut = normOutputRep(hidden, { appendNorms: true });
    expect(normOutputRep(hidden, true).key).toBe(repOut.key); // the deprecated boolean form
    expect(repOut.dim).toBe(hidden.dim + 3);
    await assertEquivariant(modelEvaluator(model), repIn, repOut, { dtype: 'float32', seed: 2, samples: 12 });
  });

  it('squared norms: x_p·σ(‖x_p‖² + b) and ‖x_p‖², smooth where a part vanishes, equivariant end to end, saved and loaded', async () => {
    await useBackend(backend);
    const H = O(3);
    const rep = directSum(V(H), Scalar);
    const at = (layer: tf.layers.Layer, x: number[]) => Array.from((single(layer, 4).predict(tf.tensor2d([x])) as tf.Tensor).dataSync());
    const sq = normNonlinearity({ rep, activation: 'linear', appendNorms: true, squared: true });
    const plainNorm = normNonlinearity({ rep, activation: 'linear', appendNorms: true });
    const v = [0.3, -0.4, 1.2]; // ‖v‖² = 1.69
    const sig = 1 / (1 + Math.exp(-1.69));
    expect(maxRelDiff(at(sq, [...v, 0.7]), [...v.map((c) => c * sig), 0.7, 1.69])).toBeLessThan(1e-6);
    // at t·v the appended channel is t²‖v‖² (a polynomial), where ‖·‖ gives t‖v‖ (a cone)
    for (const t of [1e-1, 1e-2]) {
      expect(at(sq, [...v.map((c) => t * c), 0])[4]! / t ** 2).toBeCloseTo(1.69, 4);
      expect(at(plainNorm, [...v.map((c) => t * c), 0])[4]! / t).toBeCloseTo(1.3, 3); // √(t²‖v‖² + 1e-8) / t
    }
    const repIn = directSum(V(H), V(H), Scalar);
    const repOut = directSum(V(H), Scalar);
    const hidden = directSum(...copies(V(H), 3), Scalar, Scalar);
    const model = equivariantMLP({ repIn, repOut, hidden, seed: 4, squaredNorms: true });
    const cfg = model.layers.filter((l) => l.getClassName() === 'NormNonlinearity').map((l) => l.getConfig()['squared']);
    expect(cfg).toEqual([true, true]);
    await assertEquivariant(modelEvaluator(model), repIn, repOut, { dtype: 'float32', seed: 6, samples: 16 });
    const x = tf.tensor2d(randn(5, repIn.dim, 3));
    const loaded = await roundTrip(model);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
    const other = equivariantMLP({ repIn, repOut, hidden, seed: 4 });
    expect(maxRelDiff((other.predict(x) as tf.Tensor).dataSync(), (model.predict(x) as tf.Tensor).dataSync())).toBeGreaterThan(1e-3);
    expect(() => equivariantMLP({ repIn, repOut, hidden, norms: false, squaredNorms: true })).toThrow(/equivariantMLP: 'squaredNorms' needs the norm layers, but 'norms' is false/);
    expect(() => normNonlinearity({ rep, squared: 'yes' as unknown as boolean })).toThrow(/normNonlinearity: 'squared' must be a boolean; received/);
    expect(() => equivariantMLP({ repIn, repOut, hidden, squaredNorms: null as unknown as boolean })).toThrow(/equivariantMLP: 'squaredNorms' must be a boolean; received null/);
    // a layer saved before 'squared' existed (no key in its config) loads with the norms themselves
    const { squared: _dropped, ...before } = sq.getConfig();
    const old = NormNonlinearity.fromConfig(NormNonlinearity, before as tf.serialization.ConfigDict) as NormNonlinearity;
    expect(old.squared).toBe(false);
    expect(maxRelDiff(at(old, [...v, 0.7]), at(plainNorm, [...v, 0.7]))).toBeLessThan(1e-6);
  });

  it('equivariantMLP is equivariant end to end', async () => {
    await useBackend(backend);
    const H = O(3);
    const repIn = directSum(V(H), V(H));
    const repOut = directSum(V(H), Scalar);
    const model = equivariantMLP({ repIn, repOut, hidden: directSum(...copies(V(H), 4), ...copies(Scalar, 4)), depth: 2, seed: 7 });
    await assertEquivariant(modelEvaluator(model), repIn, repOut, { dtype: 'float32', seed: 9, samples: 16 });
    // this package's equivarianceError (core's, batched through modelEvaluator) agrees
    expect(equivarianceError(model, { repIn, repOut, samples: 16, rng: 9 }).max).toBeLessThan(defaultTolerance('equivariance', { dtype: 'float32' }));
    const plainLike = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [6] })] });
    expect(equivarianceError(plainLike, { repIn, repOut, samples: 8 }).max).toBeGreaterThan(1e-2);
  });

  it('save/load round-trips with identical outputs (layers and a symmetryRegularizer)', async () => {
    await useBackend(backend);
    const H = SO(3);
    const repIn = directSum(V(H), V(H), Scalar);
    const model = equivariantMLP({ repIn, repOut: V(H).pow(2), hidden: directSum(...copies(V(H), 2), Scalar), seed: 11 });
    const x = tf.tensor2d(randn(7, repIn.dim, 4));
    const loaded = await roundTrip(model);
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(model.layers.map((l) => l.getClassName()));
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));

    const reg = symmetryRegularizer({ repIn: V(H), repOut: directSum(V(H), Scalar), weight: 0.3 });
    const dense = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3], kernelRegularizer: reg })] });
    const loaded2 = await roundTrip(dense);
    const r2 = (loaded2.layers[0] as unknown as { kernelRegularizer: { getConfig(): unknown } }).kernelRegularizer;
    expect(r2.getConfig()).toEqual(reg.getConfig());
  });

  it('toPlainModel folds equivariant layers into dense layers with the same outputs', async () => {
    await useBackend(backend);
    const H = O(3);
    const repIn = directSum(V(H), Scalar);
    const model = equivariantMLP({ repIn, repOut: directSum(V(H), Scalar), hidden: directSum(...copies(V(H), 3), Scalar, Scalar), seed: 2 });
    const plain = await toPlainModel(model);
    expect(plain.layers.some((l) => l instanceof EquivariantDense)).toBe(false);
    expect(plain.layers.filter((l) => l.getClassName() === 'Dense').length).toBe(3);
    const x = tf.tensor2d(randn(9, repIn.dim, 8));
    const a = (model.predict(x) as tf.Tensor).dataSync();
    const b = (plain.predict(x) as tf.Tensor).dataSync();
    expect(maxRelDiff(a, b)).toBeLessThan(1e-6);
    await assertEquivariant(modelEvaluator(plain), repIn, directSum(V(H), Scalar), { dtype: 'float32', seed: 8, samples: 16 });
  });

  it('bad input gets typed errors naming the layer, expected and received sizes', async () => {
    await useBackend(backend);
    const layer = equivariantDense({ repIn: directSum(V(G), Scalar), repOut: V(G), name: 'eq_in' });
    expect(() => single(layer, 5)).toThrow(ShapeMismatchError);
    expect(() => single(equivariantDense({ repIn: directSum(V(G), Scalar), repOut: V(G), name: 'eq_in2' }), 5)).toThrow(
      /EquivariantDense 'eq_in2'.*repIn\.dim = 4.*received 5/,
    );
    expect(() => equivariantDense({ repIn: V(SO(3)), repOut: V(O(3)) })).toThrow(InvalidRepresentationError);
    expect(() => single(gatedNonlinearity({ rep: directSum(V(G), Scalar) }), 4)).toThrow(/rep\.dim \+ gates = 4 \+ 1 = 5; received 4/);
    expect(() => normNonlinearity({ rep: V(SO13()) })).toThrow(InvalidRepresentationError);
    expect(() => equivariantMLP({ repIn: V(G), repOut: Scalar, hidden: V(G), depth: 0 })).toThrow(/depth/);
  });
});

describe('saved weights keep their meaning', () => {
  it('a layer block up to 729 unknowns uses the dense basis, as 0.1 did (the default structured basis differs)', async () => {
    const { SO, V, equivariantBasis, invariantBasis, hom } = await import('@liesym/core');
    const { homBasis } = await import('../src/internal/blocks.js');
    const v2 = V(SO(3)).pow(2);
    const dense = equivariantBasis(v2, v2, { method: 'dense' }).basis;
    const layer = homBasis(v2, v2);
    expect(layer.cols).toBe(3);
    expect(layer.sub(dense).maxAbs()).toBe(0);
    // The structured default spans the same space in another basis: coefficients saved against the
    // dense one would silently mean other weights under it.
    const structured = invariantBasis(hom(v2, v2)).basis;
    expect(structured.sub(dense).maxAbs()).toBeGreaterThan(0.1);
  });
});
