import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeMismatchError, createRng, imageTransforms } from '@liesym/core';
import { UnsupportedModelError, analyzeTransforms, checkDiscrete } from '../src/index.js';
import { BACKENDS, useBackend } from './helpers.js';

const init = (seed: number): ReturnType<typeof tf.initializers.randomNormal> => tf.initializers.randomNormal({ mean: 0, stddev: 0.5, seed });

/** 1×1 conv then global average pooling: the same sum over pixels for any permutation of them. */
function pooled(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 1, activation: 'tanh', kernelInitializer: init(1), biasInitializer: init(2) }),
      tf.layers.globalAveragePooling2d({}),
    ],
  });
}

/** Flatten then Dense: a different weight per pixel, so no flip or turn holds. */
function flatDense(): tf.LayersModel {
  return tf.sequential({ layers: [tf.layers.flatten({ inputShape: [6, 6, 2] }), tf.layers.dense({ units: 3, kernelInitializer: init(3), biasInitializer: init(4) })] });
}

const rows = (count: number, dim: number, seed: number): number[][] => {
  const r = createRng(seed);
  return Array.from({ length: count }, () => Array.from({ length: dim }, () => r.normal()));
};

describe.each(BACKENDS)('checkDiscrete on tfjs LayersModels (%s)', (backend) => {
  it('GlobalAveragePooling2D after a 1×1 conv holds every flip and turn; Flatten+Dense breaks them', async () => {
    await useBackend(backend);
    const names = ['flip-horizontal', 'flip-vertical', 'rotate180', 'rotate90', 'transpose'];
    const a = pooled();
    tf.tidy(() => void a.predict(tf.zeros([1, 6, 6, 2]))); // builds the weights before counting tensors
    const before = tf.memory().numTensors;
    const r = checkDiscrete(a, { transforms: names, samples: 8, seed: 1 });
    expect(r.discrete.map((d) => d.verdict)).toEqual(names.map(() => 'holds'));
    expect(r.maxRelative).toBeLessThan(1e-6); // float32 rounding of the mean's summation order only
    expect(r.evaluations).toBe(8 * (names.length + 1));
    const b = flatDense();
    const s = checkDiscrete(b, { transforms: names, samples: 8, seed: 1 });
    expect(s.discrete.map((d) => d.verdict)).toEqual(names.map(() => 'broken'));
    for (const d of s.discrete) expect(d.residual).toBeGreaterThan(0.3);
    expect(tf.memory().numTensors - before).toBe(b.weights.length); // only the second model's weights: no tensor leaked
    a.dispose();
    b.dispose();
  });
});

describe('checkDiscrete on tfjs LayersModels: layout, permutations, errors', () => {
  it('reads [H, W, C] by default and [C, H, W] when asked', async () => {
    await useBackend('cpu');
    // y = (Σ x over the left half of each row, Σ over the right half) on a [2, 4, 1] input (H, W, C):
    // flipping the width swaps the halves, so flip-horizontal holds with the outputs swapped.
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 4, 1] }), tf.layers.dense({ units: 2, useBias: false })] });
    const left = [1, 1, 0, 0, 1, 1, 0, 0];
    const right = [0, 0, 1, 1, 0, 0, 1, 1];
    const kernel = left.map((l, i) => [l, right[i]!]);
    model.layers[1]!.setWeights([tf.tensor2d(kernel)]);
    const nhwc = checkDiscrete(model, { transforms: ['flip-horizontal'], outputPermutation: [1, 0], samples: 6 });
    expect(nhwc.discrete[0]!.residual).toBeLessThan(1e-6);
    // As NCHW, [2, 4, 1] is 2 channels of 4×1 images: flip-horizontal moves nothing (width 1), so P_h = swap breaks.
    const nchw = checkDiscrete(model, { transforms: ['flip-horizontal'], outputPermutation: [1, 0], layout: 'NCHW', samples: 6 });
    expect(nchw.verdict).toBe('broken');
    expect(() => checkDiscrete(model, { transforms: ['time-reversal'], samples: 2 })).toThrow(ShapeMismatchError);
    expect(() => checkDiscrete(model, { transforms: ['flip-horizontal'], outputPermutation: [0, 1, 2], samples: 2 })).toThrow(/checkDiscrete: 'outputPermutation' must permute the model's 2 outputs; received 3/);
    expect(() => checkDiscrete({} as tf.LayersModel, { transforms: ['rotate180'] })).toThrow(UnsupportedModelError);
    model.dispose();
  });
});

describe('analyzeTransforms on tfjs LayersModels', () => {
  it("a conv net's translation-x change per pixel is the hand finite difference along −∂u/∂x", async () => {
    await useBackend('cpu');
    const [H, W, C] = [6, 7, 2];
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [H, W, C], filters: 2, kernelSize: 3, padding: 'same', kernelInitializer: init(5), useBias: false }),
        tf.layers.flatten({}),
        tf.layers.dense({ units: 1, kernelInitializer: init(6), biasInitializer: init(7) }),
      ],
    });
    const x = rows(1, H * W * C, 9)[0]!;
    const r = analyzeTransforms(model, { transforms: ['translation-x'], samples: [x] });
    expect(r.layout).toBe('NHWC');
    expect(r.kind).toBe('image');
    // By hand: v = −(u[i, j+1] − u[i, j−1])/2 with the border replicated, then (F(x + hv) − F(x − hv))/2h.
    const at = (i: number, j: number, c: number): number => x[(i * W + Math.min(W - 1, Math.max(0, j))) * C + c]!;
    const v = new Float64Array(H * W * C);
    for (let i = 0; i < H; i++) for (let j = 0; j < W; j++) for (let c = 0; c < C; c++) v[(i * W + j) * C + c] = -(at(i, j + 1, c) - at(i, j - 1, c)) / 2;
    const h = 0.05; // F is affine in x: the central difference is exact up to float32 rounding
    const f = (s: number): number => tf.tidy(() => (model.predict(tf.tensor4d(x.map((u, k) => u + s * h * v[k]!), [1, H, W, C])) as tf.Tensor).dataSync()[0]!);
    const hand = Math.abs(f(1) - f(-1)) / (2 * h);
    expect(Math.abs(r.transforms[0]!.perUnit - hand) / hand).toBeLessThan(1e-3);
    expect(Math.abs(r.transforms[0]!.error - hand / Math.abs(f(0))) / r.transforms[0]!.error).toBeLessThan(1e-3);
    expect(r.transforms[0]!.action).toBe('invariant');
    // The family's own velocity is the one built by hand.
    const fam = imageTransforms({ shape: [H, W, C], layout: 'NHWC', names: ['translation-x'] });
    const vel = fam.velocities(Float64Array.from(x))[0]!;
    expect(Math.max(...vel.map((a, k) => Math.abs(a - v[k]!)))).toBeLessThan(1e-12);
    model.dispose();
  });

  it('a 1×1 conv is rotation-equivariant on its image output; the pooled model invariant', async () => {
    await useBackend('cpu');
    const conv = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 2, kernelSize: 1, kernelInitializer: init(8), useBias: false })] });
    const r = analyzeTransforms(conv, { transforms: ['rotation', 'translation-y'], samples: 4, seed: 2 });
    expect(r.transforms.map((t) => t.action)).toEqual(['equivariant', 'equivariant']);
    expect(r.transforms.map((t) => t.verdict)).toEqual(['holds', 'holds']);
    for (const t of r.transforms) expect(t.error).toBeLessThan(1e-4); // pointwise in the pixels: v_out(Wx) = W v_in(x) exactly
    const p = pooled();
    const q = analyzeTransforms(p, { transforms: ['translation-x'], samples: 4, seed: 2 });
    expect(q.transforms[0]!.action).toBe('invariant');
    conv.dispose();
    p.dispose();
  });

  it('gain on a signal: a linear map without bias is equivariant (0), with bias b the change per percent is ‖b‖/100', async () => {
    await useBackend('cpu');
    const T = 8;
    const W = rows(T, T, 11);
    const b = Array.from({ length: T }, (_, i) => (i % 2 === 0 ? 0.5 : -0.25));
    const make = ({ bias }: { bias: boolean }): tf.LayersModel => {
      const m = tf.sequential({ layers: [tf.layers.dense({ inputShape: [T], units: T, useBias: bias })] });
      m.layers[0]!.setWeights(bias ? [tf.tensor2d(W), tf.tensor1d(b)] : [tf.tensor2d(W)]);
      return m;
    };
    const plain = make({ bias: false });
    // A tolerance below float32's finite-difference default (1e-2): the bias' effect is ~1e-3 relative.
    const r = analyzeTransforms(plain, { transforms: ['gain'], samples: 6, seed: 4, tolerance: 2e-4 });
    expect(r.kind).toBe('signal');
    expect(r.transforms[0]!.action).toBe('equivariant');
    expect(r.transforms[0]!.verdict).toBe('holds');
    expect(r.transforms[0]!.error).toBeLessThan(1e-6); // 4e-8 measured: rounding only
    const biased = make({ bias: true });
    const s = analyzeTransforms(biased, { transforms: ['gain'], samples: 6, seed: 4, tolerance: 2e-4 });
    // d/dt [(1 + t/100)⁻¹ (W(1 + t/100)x + b)] = −b/100 at every sample.
    const norm = Math.hypot(...b);
    expect(Math.abs(s.transforms[0]!.perUnit - norm / 100) / (norm / 100)).toBeLessThan(1e-3);
    expect(s.transforms[0]!.error).toBeCloseTo(s.transforms[0]!.perUnit / s.outputScale, 12);
    expect(s.transforms[0]!.verdict).toBe('broken');
    expect(() => analyzeTransforms(plain, { transforms: 'image' })).toThrow(/analyzeTransforms: image transforms need input .*\[8\]/);
    expect(() => analyzeTransforms(plain, { transforms: ['gain', 'rotation'] })).toThrow(InvalidArgumentError);
    plain.dispose();
    biased.dispose();
  });
});
