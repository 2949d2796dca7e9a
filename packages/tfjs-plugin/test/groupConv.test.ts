import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, ShapeMismatchError, gridTransform, planarGroup, type PlanarGroupName, type Rng } from '@liesym/core';
import { assertEquivariant } from '@liesym/test-utils';
import { groupConv2d, groupPooling, toPlainModel } from '../src/index.js';
import { maxRelDiff, randn, roundTrip, useBackend } from './helpers.js';

const H = 9;

/** ρ(g) on flattened images [H, H, F·|G_ch|]: pixels by T_g, group channels f·|G| + g′ ← f·|G| + g⁻¹g′ (none when groupChannels is false). */
function imageRep(name: PlanarGroupName, options: { channels: number; groupChannels: boolean }) {
  const g = planarGroup(name);
  const G = options.groupChannels ? g.order : 1;
  const C = options.channels * G;
  const ts = g.elements.map((e) => gridTransform(e, { size: H }));
  return {
    dim: H * H * C,
    group: { name, key: name, sample: (rng: Rng) => Math.floor(rng.uniform() * g.order) % g.order },
    key: `image(${name}, ${C})`,
    rhoOf: (a: number) => ({
      matvec: (x: Float64Array) => {
        const t = ts[a]!;
        const out = new Float64Array(x.length);
        for (let e = 0; e < t.values.length; e++) {
          const [p, q] = [t.rowIndex[e]!, t.colIndex[e]!];
          for (let f = 0; f < options.channels; f++) {
            for (let h = 0; h < G; h++) {
              const src = options.groupChannels ? g.multiply[g.inverse[a]!]![h]! : h;
              out[p * C + f * G + h] = x[q * C + f * G + src]!;
            }
          }
        }
        return out;
      },
    }),
  };
}

function batch(model: tf.LayersModel, dims: { channels: number }) {
  return {
    batch: (xs: readonly Float64Array[]) =>
      tf.tidy(() => {
        const flat = Float32Array.from(xs.flatMap((x) => Array.from(x)));
        const y = model.predict(tf.tensor4d(flat, [xs.length, H, H, dims.channels])) as tf.Tensor;
        const d = y.size / xs.length;
        const data = y.dataSync();
        return xs.map((_, i) => Array.from(data.subarray(i * d, (i + 1) * d)));
      }),
  };
}

describe('groupConv2d', () => {
  it.each(['C4', 'D4'] as const)('%s: lifting and group-to-group layers are exactly equivariant for every element (float32 < 1e-5)', async (name) => {
    await useBackend('cpu');
    const G = planarGroup(name).order;
    const model = tf.sequential({
      layers: [groupConv2d({ group: name, filters: 3, kernelSize: 3, inputShape: [H, H, 2], seed: 1 }), tf.layers.reLU(), groupConv2d({ group: name, filters: 2, kernelSize: 5, input: 'group', seed: 2 })],
    });
    const elements = Array.from({ length: G }, (_, a) => a);
    const repIn = imageRep(name, { channels: 2, groupChannels: false });
    const repOut = imageRep(name, { channels: 2, groupChannels: true });
    const r = await assertEquivariant(batch(model, { channels: 2 }), repIn, repOut, { dtype: 'float32', seed: 3, samples: 3, elements, tolerance: 1e-5 });
    expect(r.max).toBeLessThan(1e-5);
    // after group pooling the feature map is an ordinary image that turns with the input
    const pooled = tf.sequential({ layers: [...model.layers, groupPooling({ group: name })] });
    await assertEquivariant(batch(pooled, { channels: 2 }), repIn, imageRep(name, { channels: 2, groupChannels: false }), { dtype: 'float32', seed: 4, samples: 3, elements, tolerance: 1e-5 });
  });

  it('C8 is equivariant under its exact quarter turns, and the plain layer it folds to is not', async () => {
    await useBackend('cpu');
    const model = tf.sequential({ layers: [groupConv2d({ group: 'C8', filters: 2, kernelSize: 5, inputShape: [H, H, 1], seed: 5 })] });
    const repIn = imageRep('C8', { channels: 1, groupChannels: false });
    const repOut = imageRep('C8', { channels: 2, groupChannels: true });
    await assertEquivariant(batch(model, { channels: 1 }), repIn, repOut, { dtype: 'float32', seed: 3, samples: 3, elements: [0, 2, 4, 6], tolerance: 1e-5 });
    const plain = tf.sequential({ layers: [tf.layers.conv2d({ filters: 16, kernelSize: 5, padding: 'same', inputShape: [H, H, 1], kernelInitializer: 'glorotNormal' })] });
    await expect(assertEquivariant(batch(plain, { channels: 1 }), repIn, repOut, { dtype: 'float32', seed: 3, samples: 3, elements: [2], tolerance: 1e-5 })).rejects.toThrow();
  });

  it('saves and loads with identical outputs, on cpu and wasm', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      await useBackend(backend);
      const model = tf.sequential({
        layers: [groupConv2d({ group: 'D4', filters: 2, inputShape: [H, H, 1], seed: 7 }), groupConv2d({ group: 'D4', filters: 2, input: 'group', seed: 8 }), groupPooling({ group: 'D4', mode: 'mean' })],
      });
      const x = tf.tensor4d(randn(1, H * H, 9).flat(), [1, H, H, 1]);
      const loaded = await roundTrip(model);
      const a = (model.predict(x) as tf.Tensor).dataSync();
      const b = (loaded.predict(x) as tf.Tensor).dataSync();
      expect(maxRelDiff(a, b)).toBe(0);
      expect(loaded.layers[1]!.getConfig()['input']).toBe('group');
      tf.dispose([x]);
    }
    await useBackend('cpu');
  });

  it('folds into plain conv2d layers with the same outputs (toPlainModel)', async () => {
    await useBackend('cpu');
    const model = tf.sequential({
      layers: [groupConv2d({ group: 'C4', filters: 2, inputShape: [H, H, 1], seed: 3 }), tf.layers.reLU(), groupConv2d({ group: 'C4', filters: 3, input: 'group', seed: 4 }), groupPooling({ group: 'C4' })],
    });
    model.layers[0]!.setWeights([model.layers[0]!.getWeights()[0]!, tf.tensor1d([0.1, -0.2])]);
    const plain = await toPlainModel(model);
    expect(plain.layers.map((l) => l.getClassName())).toEqual(['Conv2D', 'ReLU', 'Conv2D', 'GroupPooling']);
    expect(plain.layers[2]!.getWeights()[0]!.shape).toEqual([3, 3, 8, 12]);
    const x = tf.tensor4d(randn(2, H * H, 11).flat(), [2, H, H, 1]);
    expect(maxRelDiff((model.predict(x) as tf.Tensor).dataSync(), (plain.predict(x) as tf.Tensor).dataSync())).toBeLessThan(1e-6);
  });

  it('rejects bad arguments and inputs with typed errors', async () => {
    await useBackend('cpu');
    expect(() => groupConv2d({ group: 'C6' as never, filters: 2 })).toThrow(InvalidArgumentError);
    expect(() => groupConv2d({ group: 'C4', filters: 0 })).toThrow(InvalidArgumentError);
    expect(() => groupConv2d({ group: 'C4', filters: 2, kernelSize: 4 })).toThrow(/kernelSize/);
    expect(() => groupConv2d({ group: 'C4', filters: 2, input: 'field' as never })).toThrow(InvalidArgumentError);
    expect(() => groupPooling({ group: 'C4', mode: 'sum' as never })).toThrow(InvalidArgumentError);
    expect(() => tf.sequential({ layers: [groupConv2d({ group: 'C4', filters: 2, inputShape: [8, 9, 1] })] })).toThrow(ShapeMismatchError);
    expect(() => tf.sequential({ layers: [groupConv2d({ group: 'C4', filters: 2, input: 'group', inputShape: [9, 9, 6] })] })).toThrow(ShapeMismatchError);
  });
});
