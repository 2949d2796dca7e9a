import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeMismatchError, UnsupportedModelError, createRng, kernelGenerators, stackedNuclearNorm } from '@liesym/core';
import { SymmetryMonitor, convLayerSymmetries, convSymmetryRegularizer } from '../src/index.js';
import { randn, roundTrip, useBackend } from './helpers.js';

describe('convSymmetryRegularizer', () => {
  it('equals γ·‖D_K‖_* from core and its gradient matches central finite differences (float64 reference)', async () => {
    await useBackend('cpu');
    const rng = createRng(4);
    const shape = [5, 5, 2, 3] as const;
    const w = Float64Array.from({ length: 150 }, () => rng.normal());
    const reg = convSymmetryRegularizer({ weight: 0.5 });
    const x = tf.tensor4d(Float32Array.from(w), [...shape]);
    const value = reg.apply(x).dataSync()[0]!;
    const grad = tf.grad((k: tf.Tensor) => reg.apply(k))(x).dataSync();
    const { generators } = kernelGenerators({ size: 5, channelsIn: 2, channelsOut: 3, candidate: ['rotation', 'reflection'] });
    const f = (v: Float64Array) => 0.5 * stackedNuclearNorm([{ generators, w: v }]).value;
    expect(Math.abs(value - f(w)) / f(w)).toBeLessThan(1e-5);
    expect(reg.lastSingularValues.length).toBe(2);
    const h = 1e-6;
    for (const i of [0, 17, 63, 149]) {
      const [p, m] = [Float64Array.from(w), Float64Array.from(w)];
      p[i]! += h;
      m[i]! -= h;
      const fd = (f(p) - f(m)) / (2 * h);
      expect(Math.abs(grad[i]! - fd)).toBeLessThan(1e-4 * Math.max(1, Math.abs(fd)));
    }
  });

  it('training with it lowers the filters\' rotation and mirror Lie derivatives', async () => {
    await useBackend('cpu');
    const layer = tf.layers.conv2d({ filters: 4, kernelSize: 5, padding: 'same', inputShape: [9, 9, 1], kernelInitializer: tf.initializers.randomNormal({ seed: 2 }) });
    const model = tf.sequential({ layers: [layer] });
    const reg = convSymmetryRegularizer({ weight: 1 });
    const opt = tf.train.adam(0.02);
    const k0 = layer.getWeights()[0]!;
    const before = reg.apply(k0).dataSync()[0]!;
    for (let s = 0; s < 60; s++) opt.minimize(() => reg.apply(layer.trainableWeights[0]!.read()));
    const after = reg.apply(layer.getWeights()[0]!).dataSync()[0]!;
    expect(after).toBeLessThan(0.2 * before);
    expect(model.layers.length).toBe(1);
  });

  it('serializes with the layer, and rejects bad input', async () => {
    await useBackend('cpu');
    const model = tf.sequential({ layers: [tf.layers.conv2d({ filters: 2, kernelSize: 3, inputShape: [5, 5, 1], kernelRegularizer: convSymmetryRegularizer({ weight: 0.2, candidate: ['rotation'] }) })] });
    const loaded = await roundTrip(model);
    expect(loaded.layers[0]!.getConfig()['kernelRegularizer']).toMatchObject({ className: 'ConvSymmetryRegularizer', config: { weight: 0.2 } });
    expect(() => convSymmetryRegularizer({ candidate: ['shear' as never] })).toThrow(InvalidArgumentError);
    expect(() => convSymmetryRegularizer({ weight: -1 })).toThrow(InvalidArgumentError);
    expect(() => convSymmetryRegularizer().apply(tf.zeros([3, 4, 1, 1]))).toThrow(ShapeMismatchError);
  });
});

describe('convLayerSymmetries', () => {
  it('reports a promoted layer as more rotation- and mirror-symmetric than before, per layer', async () => {
    await useBackend('cpu');
    const conv = tf.layers.conv2d({ filters: 3, kernelSize: 5, padding: 'same', inputShape: [9, 9, 1], kernelInitializer: tf.initializers.randomNormal({ seed: 6 }) });
    const model = tf.sequential({ layers: [conv, tf.layers.flatten({}), tf.layers.dense({ units: 2 })] });
    const before = convLayerSymmetries(model, { rtol: 0.15 });
    expect(before.map((l) => l.layer)).toEqual([conv.name]);
    expect(before[0]!.dimension).toBe(0);
    const reg = convSymmetryRegularizer({ weight: 1 });
    const opt = tf.train.adam(0.02);
    for (let s = 0; s < 150; s++) opt.minimize(() => reg.apply(conv.trainableWeights[0]!.read()));
    const after = convLayerSymmetries(model, { rtol: 0.15 });
    expect(after[0]!.norms.rotation!).toBeLessThan(0.3 * before[0]!.norms.rotation!);
    expect(after[0]!.norms.reflection!).toBeLessThan(0.3 * before[0]!.norms.reflection!);
    // one output-scaling candidate keeps the function-level part of the record small; the per-layer part is what is checked
    const identity2 = [[1, 0], [0, 1]];
    const zeros81 = Array.from({ length: 81 }, () => new Array<number>(81).fill(0));
    const monitor = new SymmetryMonitor({ samples: randn(4, 81, 1), convLayers: true, candidate: [[zeros81, identity2]] });
    const flatModel = tf.sequential({ layers: [tf.layers.reshape({ targetShape: [9, 9, 1], inputShape: [81] }), conv, tf.layers.flatten({}), tf.layers.dense({ units: 2 })] });
    monitor.setModel(flatModel);
    const rec = monitor.record(0);
    expect(rec.convLayers?.[0]?.rotation).toBeCloseTo(after[0]!.norms.rotation!, 5);
    expect(() => convLayerSymmetries({} as never)).toThrow(UnsupportedModelError);
  });
});
