import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Matrix } from '@liesym/core';
import { UnsupportedModelError, analyzeTransforms, attributeLayers } from '../src/index.js';
import { useBackend } from './helpers.js';

const H = 10;
const init = (seed: number): ReturnType<typeof tf.initializers.randomNormal> => tf.initializers.randomNormal({ mean: 0, stddev: 0.5, seed });

/** A residual block (3×3 conv + tanh, plus a 1×1 skip conv) then `head`: pooling (translation-friendly) or flatten + dense. */
function residual(head: 'pool' | 'flatten'): tf.LayersModel {
  const x = tf.input({ shape: [H, H, 1], name: 'image' });
  const c = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', activation: 'tanh', kernelInitializer: init(1), useBias: false, name: 'conv' }).apply(x) as tf.SymbolicTensor;
  const k = tf.layers.conv2d({ filters: 2, kernelSize: 1, kernelInitializer: init(2), useBias: false, name: 'skip' }).apply(x) as tf.SymbolicTensor;
  const r = tf.layers.add({ name: 'residual' }).apply([c, k]) as tf.SymbolicTensor;
  const h = (head === 'pool' ? tf.layers.globalAveragePooling2d({ name: 'pool' }) : tf.layers.flatten({ name: 'flatten' })).apply(r) as tf.SymbolicTensor;
  const y = tf.layers.dense({ units: 2, kernelInitializer: init(3), name: 'head' }).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: y });
}

/** Smooth bumps that vanish towards the border, [H, W, 1]. */
function bumps(S: number): Matrix {
  const X = new Matrix(S, H * H);
  for (let s = 0; s < S; s++) {
    for (let p = 0; p < H * H; p++) {
      const [y, x] = [Math.floor(p / H) - 4.5 - 0.4 * s, (p % H) - 4.5 + 0.3 * s];
      X.data[s * H * H + p] = Math.exp(-(x * x + y * y) / 5);
    }
  }
  return X;
}

describe('attributeLayers on tfjs LayersModels', () => {
  it('splits a functional residual model’s error over its layers; the parts add up to the whole', async () => {
    await useBackend('cpu');
    const model = residual('pool');
    const xs = bumps(3);
    tf.tidy(() => void model.predict(tf.zeros([1, H, H, 1]))); // builds the weights before counting tensors
    const before = tf.memory().numTensors;
    const r = await attributeLayers(model, { transforms: ['translation-x', 'rotation', 'brightness'], samples: xs, step: 5e-3 });
    expect(tf.memory().numTensors).toBe(before);
    const whole = analyzeTransforms(model, { transforms: ['translation-x', 'rotation', 'brightness'], samples: xs, step: 5e-3 });
    expect(r.transforms[0]!.nodes.map((n) => n.name)).toEqual(['conv', 'skip', 'residual', 'pool', 'head']);
    expect(r.layout).toBe('NHWC');
    for (const [k, t] of r.transforms.entries()) {
      expect(t.closure * t.total.error).toBeLessThan(1e-4);
      expect(Math.abs(t.total.perUnit - whole.transforms[k]!.perUnit) / whole.transforms[k]!.perUnit).toBeLessThan(1e-2);
    }
    const light = r.transforms[2]!;
    expect(light.nodes.filter((n) => n.propagated).map((n) => n.name).sort()).toEqual(['conv', 'skip']);
    expect(r.spatial.some((s) => s.startsWith('conv:0 [3, 10, 10, 2] as a 10×10 grid'))).toBe(true);
  });

  it('Flatten is where translation breaks: it drops the grid that pooling averages over', async () => {
    await useBackend('cpu');
    const xs = bumps(3);
    const pooled = await attributeLayers(residual('pool'), { transforms: ['translation-x'], samples: xs });
    const flat = await attributeLayers(residual('flatten'), { transforms: ['translation-x'], samples: xs });
    const at = (r: typeof flat, name: string) => r.transforms[0]!.nodes.find((n) => n.name === name)!;
    expect(at(flat, 'flatten').error).toBeGreaterThan(10 * at(pooled, 'pool').error);
    expect(at(flat, 'head').propagated).toBe(false); // a Dense layer on a fixed vector has no defect of its own
  });

  it('refuses an NCHW layout, shared layers and bad options', async () => {
    await useBackend('cpu');
    await expect(attributeLayers(residual('pool'), null as never)).rejects.toThrow(InvalidArgumentError);
    const shared = tf.layers.dense({ units: 4, name: 'shared' });
    const x = tf.input({ shape: [4] });
    const twice = tf.model({ inputs: x, outputs: shared.apply(shared.apply(x)) as tf.SymbolicTensor });
    await expect(attributeLayers(twice, { transforms: 'signal' })).rejects.toThrow(/layer 'shared' \(Dense\) is applied 2 times/);
    const planar = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [4, 10, 10] }), tf.layers.dense({ units: 2 })] });
    await expect(attributeLayers(planar, { transforms: ['rotation'], layout: 'NCHW' })).rejects.toThrow(UnsupportedModelError);
  });
});
