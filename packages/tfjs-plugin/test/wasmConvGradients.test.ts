import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { UnsupportedOperationError } from '@liesym/core';
import { groupConv2d, registerWasmConvGradients } from '../src/index.js';
import { maxRelDiff, useBackend } from './helpers.js';

registerWasmConvGradients();

/** dL/dW of L = Σ conv2d(x, W) ⊙ dy on one backend (dy fixed, so dL/dW = Conv2DBackpropFilter(x, dy)). */
async function kernelGradient(backend: 'cpu' | 'wasm', args: { x: Float32Array; xShape: number[]; w: Float32Array; wShape: number[]; strides: number; pad: 'valid' | 'same'; dyData: (n: number) => Float32Array }) {
  await useBackend(backend);
  return tf.tidy(() => {
    const xt = tf.tensor4d(args.x, args.xShape as [number, number, number, number]);
    const wt = tf.tensor4d(args.w, args.wShape as [number, number, number, number]);
    const y = tf.conv2d(xt, wt, args.strides, args.pad);
    const dy = tf.tensor(args.dyData(y.size), y.shape);
    const g = tf.grad((k) => tf.sum(tf.mul(tf.conv2d(xt, k as tf.Tensor4D, args.strides, args.pad), dy)))(wt);
    return { shape: g.shape, data: g.dataSync().slice() };
  });
}

function seeded(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = s / 1073741824 - 1;
  }
  return out;
}

describe('registerWasmConvGradients', () => {
  const cases = [
    { x: [2, 7, 7, 3], w: [3, 3, 3, 4], strides: 1 },
    { x: [1, 9, 6, 2], w: [5, 3, 2, 3], strides: 1 },
    { x: [3, 8, 8, 1], w: [2, 2, 1, 5], strides: 1 },
    { x: [2, 9, 10, 2], w: [3, 3, 2, 2], strides: 2 },
    { x: [4, 11, 11, 3], w: [4, 4, 3, 2], strides: 3 },
  ];
  for (const c of cases) {
    for (const pad of ['valid', 'same'] as const) {
      it(`matches the cpu backend's gradient for x ${c.x.join('×')}, W ${c.w.join('×')}, stride ${c.strides}, ${pad}`, async () => {
        const x = seeded(c.x.reduce((a, b) => a * b), 1);
        const w = seeded(c.w.reduce((a, b) => a * b), 2);
        const args = { x, xShape: c.x, w, wShape: c.w, strides: c.strides, pad, dyData: (n: number) => seeded(n, 3) };
        const cpu = await kernelGradient('cpu', args);
        const wasm = await kernelGradient('wasm', args);
        expect(wasm.shape).toEqual(c.w);
        expect(Math.max(...cpu.data.map(Math.abs))).toBeGreaterThan(0.1);
        expect(maxRelDiff(wasm.data, cpu.data)).toBeLessThan(1e-5);
      });
    }
  }

  it('leaves no tensors or wasm buffers behind', async () => {
    await useBackend('wasm');
    const x = tf.randomNormal([2, 6, 6, 2], 0, 1, 'float32', 4) as tf.Tensor4D;
    const w = tf.randomNormal([3, 3, 2, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const f = tf.grad((k) => tf.sum(tf.conv2d(x, k as tf.Tensor4D, 1, 'same')));
    f(w).dispose();
    const before = { tensors: tf.memory().numTensors, data: tf.engine().backend.numDataIds() };
    for (let i = 0; i < 3; i++) f(w).dispose();
    expect({ tensors: tf.memory().numTensors, data: tf.engine().backend.numDataIds() }).toEqual(before);
    tf.dispose([x, w]);
  });

  it("gives tf.gather's gradient (UnsortedSegmentSum) equal to the cpu backend's, repeated and unused rows included", async () => {
    const grads: Float32Array[] = [];
    for (const backend of ['cpu', 'wasm'] as const) {
      await useBackend(backend);
      grads.push(
        tf.tidy(() => {
          const x = tf.tensor3d(seeded(5 * 3 * 2, 7), [5, 3, 2]);
          const dy = tf.tensor3d(seeded(6 * 3 * 2, 8), [6, 3, 2]);
          const idx = tf.tensor1d([4, 0, 4, 2, 1, 4], 'int32');
          return tf.grad((t) => tf.sum(tf.mul(tf.gather(t, idx), dy)))(x).dataSync() as Float32Array;
        }),
      );
    }
    expect(grads[1]!.length).toBe(30);
    expect(grads[0]!.slice(18, 24).every((v) => v === 0)).toBe(true); // row 3 is never gathered
    expect(maxRelDiff(grads[1]!, grads[0]!)).toBeLessThan(1e-6);
  });

  it('is idempotent: a second call registers nothing', () => {
    expect(registerWasmConvGradients()).toEqual([]);
    expect(tf.getKernel(tf.UnsortedSegmentSum, 'wasm')).toBeDefined();
  });

  it('refuses NCHW data with a typed error naming the kernel and the argument', async () => {
    await useBackend('wasm');
    const x = tf.zeros([1, 5, 5, 2]);
    const dy = tf.zeros([1, 3, 3, 2]);
    const kernel = tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')!;
    const call = () => kernel.kernelFunc({ inputs: { x, dy }, backend: tf.engine().backend, attrs: { strides: 1, pad: 'valid', dataFormat: 'NCHW', dimRoundingMode: undefined, filterShape: [3, 3, 2, 2] } as unknown as tf.NamedAttrMap });
    expect(call).toThrow(UnsupportedOperationError);
    expect(call).toThrow(/registerWasmConvGradients: Conv2DBackpropFilter \(wasm\): 'dataFormat' must be 'NHWC'.*received "NCHW"/);
    tf.dispose([x, dy]);
  });

  it('lets a tf.layers.conv2d model and a C4 group conv model fit on wasm (the loss falls)', async () => {
    await useBackend('wasm');
    const x = tf.randomNormal([16, 8, 8, 1], 0, 1, 'float32', 6);
    const y = tf.tidy(() => tf.mean(tf.square(x), [1, 2]).greater(1).toFloat().concat(tf.mean(tf.square(x), [1, 2]).lessEqual(1).toFloat(), 1));
    const models = [
      tf.sequential({ layers: [tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu', inputShape: [8, 8, 1], kernelInitializer: tf.initializers.heNormal({ seed: 1 }) }), tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: 2 }) })] }),
      tf.sequential({ layers: [groupConv2d({ group: 'C4', filters: 2, kernelSize: 3, inputShape: [8, 8, 1], seed: 1 }), tf.layers.reLU(), groupConv2d({ group: 'C4', filters: 2, kernelSize: 3, input: 'group', seed: 2 }), tf.layers.reLU()] }),
    ];
    for (const m of models) {
      m.add(tf.layers.globalAveragePooling2d({}));
      m.add(tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }) }));
      m.compile({ optimizer: tf.train.adam(0.02), loss: 'categoricalCrossentropy' });
      const h = await m.fit(x, y, { epochs: 15, batchSize: 16, verbose: 0 });
      const loss = h.history['loss'] as number[];
      expect(Number.isFinite(loss.at(-1))).toBe(true);
      expect(loss.at(-1)!).toBeLessThan(0.9 * loss[0]!);
      m.dispose();
    }
    tf.dispose([x, y]);
  });
});
