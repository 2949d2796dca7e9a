import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import { Matrix, SO, V, createRng } from '@liesym/core';
import { checkSymmetry, findLinearLayers, loadModel } from '@liesym/onnx';
import { normalVector, tempPath } from '@liesym/test-utils';
import { mlp, quadraticInvariant, randomMlp } from '@liesym/test-utils/onnx';
import { beforeAll, describe, expect, it } from 'vitest';
import { promoteDenseLayers } from '../src/index.js';
import { promoteOnnxModel } from '../src/onnx.js';

const sha = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('promoteOnnxModel (@liesym/tfjs/onnx: readMlp + promoteDenseLayers + writeWeights)', () => {
  it('imports an MLP with 0 epochs and writes identical outputs back (round trip through tfjs)', async () => {
    for (const matmul of [false, true]) {
      const src = randomMlp([3, 5, 2], { seed: 71, matmul }).writeTo(tempPath(`promote-rt-${matmul}.onnx`));
      const out = tempPath(`promote-rt-${matmul}-out.onnx`);
      const r = await promoteOnnxModel(src, out, { x: [[0, 0, 0]], y: [[0, 0]], epochs: 0 });
      expect(r.layers.map((l) => l.activation)).toEqual(['tanh', 'linear']);
      const [a, b] = [await loadModel(src), await loadModel(out)];
      const xs = normalVector(30, { seed: 72 });
      const [ya, yb] = [await a.evaluate(xs, 10), await b.evaluate(xs, 10)];
      ya.forEach((v, i) => expect(yb[i]!).toBeCloseTo(v, 6));
      expect(b.proto.graph!.node!.map((n) => n.opType)).toEqual(a.proto.graph!.node!.map((n) => n.opType));
    }
  });

  it('fine-tunes a linear layer toward SO(3) equivariance: the Lie derivative drops, the model still runs', async () => {
    const rng = createRng(81);
    const x = Array.from({ length: 64 }, () => [rng.normal(), rng.normal(), rng.normal()]);
    const y = x.map(([a, b, c]) => [2 * a! + 0.05 * b!, 2 * b!, 2 * c!]);
    const src = mlp([{ W: normalVector(9, { seed: 82, scale: 0.7 }), b: [0, 0, 0], dimIn: 3, dimOut: 3 }]).writeTo(tempPath('promote-lin.onnx'));
    const before = await checkSymmetry(await loadModel(src), { group: SO(3), repIn: V(SO(3)), repOut: V(SO(3)), samples: 32 });
    const out = tempPath('promote-lin-out.onnx');
    const epochs: number[] = [];
    const r = await promoteOnnxModel(src, out, { x, y, reps: [V(SO(3)), V(SO(3))], weight: 0.05, epochs: 150, learningRate: 0.05, batchSize: 64, onEpoch: (e) => epochs.push(e) });
    expect(epochs).toHaveLength(150);
    expect(r.loss[r.loss.length - 1]!).toBeLessThan(r.loss[0]!);
    const tuned = await loadModel(out);
    const after = await checkSymmetry(tuned, { group: SO(3), repIn: V(SO(3)), repOut: V(SO(3)), samples: 32 });
    expect(after.maxRelative).toBeLessThan(0.2 * before.maxRelative);
    expect(findLinearLayers(tuned.proto.graph!)[0]!.W.trace() / 3).toBeGreaterThan(1.5);
  });

  it('checks the output before training: an existing file, the input, a non-boolean force; refuses non-MLPs', async () => {
    const src = randomMlp([3, 4, 1], { seed: 5 }).writeTo(tempPath('promote-rules.onnx'));
    const out = tempPath('promote-rules-out.onnx');
    writeFileSync(out, 'keep');
    const [s0, o0] = [sha(src), sha(out)];
    const data = { x: [[0, 0, 0]], y: [[0]], epochs: 1 };
    await expect(promoteOnnxModel(src, out, data)).rejects.toThrow(/already exists/);
    await expect(promoteOnnxModel(src, src, { ...data, force: true })).rejects.toThrow(/never writes onto its input/);
    await expect(promoteOnnxModel(src, out, { ...data, force: 1 as unknown as boolean })).rejects.toThrow(/'force' must be a boolean/);
    expect([sha(src), sha(out)]).toEqual([s0, o0]);
    await expect(promoteOnnxModel(quadraticInvariant({ metric: [1, 1, 1] }).writeTo(tempPath('promote-bad.onnx')), tempPath('x.onnx'), data)).rejects.toThrow(/only MLPs can be imported/);
  });
});

describe('promoteDenseLayers', () => {
  it('trains leaky-relu chains (a dense + LeakyReLU pair) and validates its options', async () => {
    const W = new Matrix(2, 2, Float64Array.from([1, 0, 0, 1]));
    const r = await promoteDenseLayers([{ W, b: [0, 0], activation: 'leaky-relu' }], { x: [[1, -1]], y: [[1, -0.01]], epochs: 0 });
    expect(Array.from(r.layers[0]!.W.data)).toEqual([1, 0, 0, 1]);
    await expect(promoteDenseLayers([{ W, activation: 'softmax' as never }], { x: [[1, 1]], y: [[1, 1]] })).rejects.toThrow(/activation must be/);
    await expect(promoteDenseLayers([{ W, activation: 'linear' }], { x: [[1, 1]], y: [[1, 1]], epochs: 1.5 })).rejects.toThrow(/'epochs' must be an integer/);
    await expect(promoteDenseLayers([{ W, activation: 'linear' }], { x: [[1, 1, 1]], y: [[1, 1]] })).rejects.toThrow(/'x' must be S×2/);
  });
});
