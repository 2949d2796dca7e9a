import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeMismatchError, gridTransform, so2FieldRotation, type Rng } from '@liesym/core';
import { assertEquivariant } from '@liesym/test-utils';
import { steerableConv2d, toPlainModel } from '../src/index.js';
import { maxRelDiff, randn, roundTrip, useBackend } from './helpers.js';

/** Channel frequencies of fields in order: [0, 1, 1] is one scalar channel and one (cos, sin) pair. */
function channelsOf(fields: number[]): number[] {
  return fields.flatMap((m) => (m === 0 ? [0] : [m, m]));
}

/** The output fields of a layer with F filters per frequency, in the layer's channel order. */
function outputFields(frequencies: number[], filters: number): number[] {
  return frequencies.flatMap((m) => Array.from({ length: filters }, () => m));
}

/** ρ(θ) on a flattened image [H, H, C] of fields: pixels by core's gridTransform (bilinear off 90°), each field by so2FieldRotation(m, θ). */
function rotateImage(x: ArrayLike<number>, options: { size: number; fields: number[]; angle: number }): Float64Array {
  const t = gridTransform({ angle: options.angle }, { size: options.size });
  const C = channelsOf(options.fields).length;
  const moved = new Float64Array(x.length);
  for (let e = 0; e < t.values.length; e++) {
    const [p, q, w] = [t.rowIndex[e]!, t.colIndex[e]!, t.values[e]!];
    for (let c = 0; c < C; c++) moved[p * C + c]! += w * x[q * C + c]!;
  }
  const out = new Float64Array(x.length);
  let c = 0;
  for (const m of options.fields) {
    const R = so2FieldRotation(m, options.angle);
    const d = R.rows;
    for (let p = 0; p < options.size * options.size; p++) {
      for (let i = 0; i < d; i++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += R.get(i, j) * moved[p * C + c + j]!;
        out[p * C + c + i] = s;
      }
    }
    c += d;
  }
  return out;
}

function quarterTurnRep(size: number, fields: number[]) {
  return {
    dim: size * size * channelsOf(fields).length,
    group: { name: 'C4', key: 'C4', sample: (rng: Rng) => Math.floor(rng.uniform() * 4) % 4 },
    key: `fields(${fields.join(',')})`,
    rhoOf: (a: number) => ({ matvec: (x: Float64Array) => rotateImage(x, { size, fields, angle: (a * Math.PI) / 2 }) }),
  };
}

function batch(model: tf.LayersModel, dims: { size: number; channels: number }) {
  return {
    batch: (xs: readonly Float64Array[]) =>
      tf.tidy(() => {
        const flat = Float32Array.from(xs.flatMap((x) => Array.from(x)));
        const y = model.predict(tf.tensor4d(flat, [xs.length, dims.size, dims.size, dims.channels])) as tf.Tensor;
        const d = y.size / xs.length;
        const data = y.dataSync();
        return xs.map((_, i) => Array.from(data.subarray(i * d, (i + 1) * d)));
      }),
  };
}

function predict(model: tf.LayersModel, x: Float64Array, dims: { size: number; channels: number }): Float64Array {
  const y = tf.tidy(() => model.predict(tf.tensor4d(Float32Array.from(x), [1, dims.size, dims.size, dims.channels])) as tf.Tensor);
  const out = Float64Array.from(y.dataSync());
  y.dispose();
  return out;
}

/** ‖a − b‖ / ‖b‖ over the pixels within `radius` of the grid's centre. */
function croppedRelativeError(a: Float64Array, b: Float64Array, options: { size: number; channels: number; radius: number }): number {
  const ctr = (options.size - 1) / 2;
  let num = 0;
  let den = 0;
  for (let i = 0; i < options.size; i++) {
    for (let j = 0; j < options.size; j++) {
      if (Math.hypot(i - ctr, j - ctr) > options.radius) continue;
      for (let c = 0; c < options.channels; c++) {
        const p = (i * options.size + j) * options.channels + c;
        num += (a[p]! - b[p]!) ** 2;
        den += b[p]! ** 2;
      }
    }
  }
  return Math.sqrt(num / den);
}

const H = 9;

describe('steerableConv2d', () => {
  it('is exactly equivariant for quarter turns: scalars invariant, frequency-m fields turned by so2FieldRotation(m, π/2) (float32 < 1e-5)', async () => {
    await useBackend('cpu');
    const mid = outputFields([0, 1, 2], 2);
    const model = tf.sequential({
      layers: [
        steerableConv2d({ rotation: 'SO(2)', filters: 2, kernelSize: 5, maxFrequency: 2, inputShape: [H, H, 2], seed: 1 }),
        steerableConv2d({ rotation: 'SO(2)', filters: 2, kernelSize: 3, frequencies: [1, 0], inputFrequencies: mid, seed: 2 }),
      ],
    });
    model.layers[0]!.setWeights(model.layers[0]!.getWeights().map((w, i, all) => (i === all.length - 1 ? tf.tensor1d([0.3, -0.2]) : w)));
    const elements = [0, 1, 2, 3];
    const repIn = quarterTurnRep(H, [0, 0]);
    const first = tf.sequential({ layers: [model.layers[0]!] });
    const r1 = await assertEquivariant(batch(first, { size: H, channels: 2 }), repIn, quarterTurnRep(H, mid), { dtype: 'float32', seed: 3, samples: 3, elements, tolerance: 1e-5 });
    expect(r1.max).toBeLessThan(1e-5);
    const r2 = await assertEquivariant(batch(model, { size: H, channels: 2 }), repIn, quarterTurnRep(H, outputFields([1, 0], 2)), { dtype: 'float32', seed: 4, samples: 3, elements, tolerance: 1e-5 });
    expect(r2.max).toBeLessThan(1e-5);
    // the check can fail: reading the frequency-2 fields as frequency 1 (ρ₁(π/2) ≠ ρ₂(π/2) = −I) is rejected
    const wrong = quarterTurnRep(H, mid.map((m) => (m === 2 ? 1 : m)));
    await expect(assertEquivariant(batch(first, { size: H, channels: 2 }), repIn, wrong, { dtype: 'float32', seed: 3, samples: 3, elements: [1], tolerance: 1e-5 })).rejects.toThrow();
  });

  it('45° turns of a smooth image: the relative equivariance error is ≥ 10× below a plain random conv2d', async () => {
    await useBackend('cpu');
    const size = 33;
    const k = 5;
    const frequencies = [0, 1, 2];
    const filters = 3;
    const fields = outputFields(frequencies, filters);
    const C = channelsOf(fields).length;
    const steer = tf.sequential({ layers: [steerableConv2d({ rotation: 'SO(2)', filters, kernelSize: k, frequencies, inputShape: [size, size, 1], seed: 5 })] });
    const plain = tf.sequential({ layers: [tf.layers.conv2d({ filters: C, kernelSize: k, padding: 'same', inputShape: [size, size, 1], kernelInitializer: tf.initializers.glorotNormal({ seed: 6 }) })] });
    // a smooth pattern: Gaussian blobs (σ = 2.5 px) of random signs at random places inside the disk
    const blobs = randn(6, 3, 7);
    const ctr = (size - 1) / 2;
    const x = new Float64Array(size * size);
    for (let i = 0; i < size; i++) {
      for (let j = 0; j < size; j++) {
        for (const [u, v, a] of blobs) x[i * size + j]! += a! * Math.exp(-((i - ctr - 3 * u!) ** 2 + (j - ctr - 3 * v!) ** 2) / (2 * 2.5 ** 2));
      }
    }
    const angle = Math.PI / 4;
    const xr = rotateImage(x, { size, fields: [0], angle });
    const crop = { size, channels: C, radius: ctr - k };
    const dims = { size, channels: 1 };
    const steerError = croppedRelativeError(predict(steer, xr, dims), rotateImage(predict(steer, x, dims), { size, fields, angle }), crop);
    const plainError = croppedRelativeError(predict(plain, xr, dims), rotateImage(predict(plain, x, dims), { size, fields: Array.from({ length: C }, () => 0), angle }), crop);
    console.log(`45° relative equivariance error: steerable ${steerError.toExponential(3)}, plain conv2d ${plainError.toExponential(3)}, ratio ${(plainError / steerError).toFixed(1)}`);
    expect(steerError).toBeLessThan(0.03);
    expect(plainError).toBeGreaterThan(0.1);
    expect(steerError * 10).toBeLessThan(plainError);
  });

  it('saves and loads with identical outputs, on cpu and wasm', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      await useBackend(backend);
      const model = tf.sequential({
        layers: [
          steerableConv2d({ rotation: 'SO(2)', filters: 2, kernelSize: 3, maxFrequency: 1, inputShape: [H, H, 1], seed: 7 }),
          steerableConv2d({ rotation: 'SO(2)', filters: 1, kernelSize: 5, frequencies: [2, 0], inputFrequencies: [0, 0, 1, 1], seed: 8 }),
        ],
      });
      const x = tf.tensor4d(randn(1, H * H, 9).flat(), [1, H, H, 1]);
      const loaded = await roundTrip(model);
      const a = (model.predict(x) as tf.Tensor).dataSync();
      const b = (loaded.predict(x) as tf.Tensor).dataSync();
      expect(maxRelDiff(a, b)).toBe(0);
      expect(loaded.layers[1]!.getConfig()['frequencies']).toEqual([2, 0]);
      expect(loaded.layers[1]!.getClassName()).toBe('SteerableConv2d');
      tf.dispose([x]);
    }
    await useBackend('cpu');
  });

  it('folds into plain conv2d layers with the same outputs (toPlainModel)', async () => {
    await useBackend('cpu');
    const model = tf.sequential({
      layers: [
        steerableConv2d({ rotation: 'SO(2)', filters: 2, kernelSize: 5, maxFrequency: 2, inputShape: [H, H, 1], seed: 3 }),
        tf.layers.reLU(),
        steerableConv2d({ rotation: 'SO(2)', filters: 3, kernelSize: 3, frequencies: [0], useBias: false, inputFrequencies: outputFields([0, 1, 2], 2), seed: 4 }),
      ],
    });
    const first = model.layers[0]!;
    first.setWeights(first.getWeights().map((w, i, all) => (i === all.length - 1 ? tf.tensor1d([0.1, -0.2]) : w)));
    const plain = await toPlainModel(model);
    expect(plain.layers.map((l) => l.getClassName())).toEqual(['Conv2D', 'ReLU', 'Conv2D']);
    expect(plain.layers[0]!.getWeights().map((w) => w.shape)).toEqual([[5, 5, 1, 10], [10]]);
    expect(plain.layers[2]!.getWeights().map((w) => w.shape)).toEqual([[3, 3, 10, 3]]);
    const x = tf.tensor4d(randn(2, H * H, 11).flat(), [2, H, H, 1]);
    expect(maxRelDiff((model.predict(x) as tf.Tensor).dataSync(), (plain.predict(x) as tf.Tensor).dataSync())).toBeLessThan(1e-6);
  });

  it('trains: gradients reach the basis coefficients and lower the loss, and the trained layer stays quarter-turn equivariant', async () => {
    await useBackend('cpu');
    const layer = steerableConv2d({ rotation: 'SO(2)', filters: 1, kernelSize: 3, maxFrequency: 1, inputShape: [H, H, 1], seed: 2 });
    const model = tf.sequential({ layers: [layer] });
    model.compile({ optimizer: tf.train.adam(0.05), loss: 'meanSquaredError' });
    const x = tf.tensor4d(randn(4, H * H, 3).flat(), [4, H, H, 1]);
    const target = tf.tensor4d(randn(4 * H * H, 3, 4).flat(), [4, H, H, 3]);
    const history = await model.fit(x, target, { epochs: 15, batchSize: 4, verbose: 0 });
    const losses = history.history['loss'] as number[];
    expect(losses[losses.length - 1]!).toBeLessThan(0.8 * losses[0]!);
    const r = await assertEquivariant(batch(model, { size: H, channels: 1 }), quarterTurnRep(H, [0]), quarterTurnRep(H, [0, 1]), { dtype: 'float32', seed: 5, samples: 2, elements: [1, 2, 3], tolerance: 1e-5 });
    expect(r.max).toBeLessThan(1e-5);
    tf.dispose([x, target]);
  });

  it('keeps no tensors after predict, and frees its bases and weights on dispose', async () => {
    await useBackend('cpu');
    const before = tf.memory().numTensors;
    const model = tf.sequential({ layers: [steerableConv2d({ rotation: 'SO(2)', filters: 2, kernelSize: 5, maxFrequency: 2, inputShape: [H, H, 1], seed: 1 })] });
    const built = tf.memory().numTensors;
    const x = tf.tensor4d(randn(1, H * H, 2).flat(), [1, H, H, 1]);
    tf.dispose(model.predict(x) as tf.Tensor);
    expect(tf.memory().numTensors).toBe(built + 1);
    x.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects bad arguments and inputs with typed errors', async () => {
    await useBackend('cpu');
    expect(() => steerableConv2d({ rotation: 'SO(3)' as never, filters: 2 })).toThrow(InvalidArgumentError);
    expect(() => steerableConv2d({ rotation: 'SO(2)', filters: 0 })).toThrow(/filters/);
    expect(() => steerableConv2d({ rotation: 'SO(2)', filters: 2, kernelSize: 4 })).toThrow(/kernelSize/);
    expect(() => steerableConv2d({ rotation: 'SO(2)', filters: 2, frequencies: [0, 0] })).toThrow(/frequencies/);
    expect(() => steerableConv2d({ rotation: 'SO(2)', filters: 2, maxFrequency: -1 })).toThrow(/maxFrequency/);
    expect(() => steerableConv2d({ rotation: 'SO(2)', filters: 2, inputFrequencies: [0.5] })).toThrow(InvalidArgumentError);
    expect(() => tf.sequential({ layers: [steerableConv2d({ rotation: 'SO(2)', filters: 2, inputShape: [8, 9, 1] })] })).toThrow(ShapeMismatchError);
    expect(() => tf.sequential({ layers: [steerableConv2d({ rotation: 'SO(2)', filters: 2, inputFrequencies: [0, 1], inputShape: [9, 9, 2] })] })).toThrow(ShapeMismatchError);
    // a 3×3 kernel has harmonics up to 2 on its ring: frequency 3 is out of reach from scalars
    expect(() => tf.sequential({ layers: [steerableConv2d({ rotation: 'SO(2)', filters: 2, kernelSize: 3, frequencies: [3], inputShape: [9, 9, 1] })] })).toThrow(/kernelSize/);
  });
});
