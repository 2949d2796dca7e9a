import { SO, V, createRng } from '@liesym/core';
import { describe, expect, it } from 'vitest';
import { UnsupportedModelError, checkSymmetry, findLinearLayers, loadModel, promoteModel } from '../src/index.js';
import { normalVector, tempPath } from '@liesym/test-utils';
import { mlp, quadraticInvariant, randomMlp } from '@liesym/test-utils/onnx';

describe('promoteModel (tfjs + @liesym/tfjs symmetryRegularizer)', () => {
  it('imports an MLP with 0 epochs and writes identical outputs back (round trip through tfjs)', async () => {
    for (const matmul of [false, true]) {
      const src = randomMlp([3, 5, 2], { seed: 71, matmul }).writeTo(tempPath(`promote-rt-${matmul}.onnx`));
      const out = tempPath(`promote-rt-${matmul}-out.onnx`);
      const r = await promoteModel(src, out, { x: [[0, 0, 0]], y: [[0, 0]], epochs: 0 });
      expect(r.layers.map((l) => l.activation)).toEqual(['tanh', 'linear']);
      const a = await loadModel(src);
      const b = await loadModel(out);
      const xs = normalVector(30, { seed: 72 });
      const ya = await a.evaluate(xs, 10);
      const yb = await b.evaluate(xs, 10);
      ya.forEach((v, i) => expect(yb[i]!).toBeCloseTo(v, 6));
      expect(b.proto.graph!.node!.map((n) => n.opType)).toEqual(a.proto.graph!.node!.map((n) => n.opType));
    }
  });

  it('fine-tunes a linear layer toward SO(3) equivariance: the Lie derivative drops, the model still runs', async () => {
    const rng = createRng(81);
    const x = Array.from({ length: 64 }, () => [rng.normal(), rng.normal(), rng.normal()]);
    // Targets of an equivariant map (2·x) plus a small non-equivariant part the penalty should suppress.
    const y = x.map(([a, b, c]) => [2 * a! + 0.05 * b!, 2 * b!, 2 * c!]);
    const src = mlp([{ W: normalVector(9, { seed: 82, scale: 0.7 }), b: [0, 0, 0], dimIn: 3, dimOut: 3 }]).writeTo(tempPath('promote-lin.onnx'));
    const before = await checkSymmetry(await loadModel(src), { group: SO(3), repIn: V(SO(3)), repOut: V(SO(3)), samples: 32 });
    const out = tempPath('promote-lin-out.onnx');
    const r = await promoteModel(src, out, { x, y, reps: [V(SO(3)), V(SO(3))], weight: 0.05, epochs: 150, learningRate: 0.05, batchSize: 64 });
    expect(r.loss[r.loss.length - 1]!).toBeLessThan(r.loss[0]!);
    const tuned = await loadModel(out);
    const after = await checkSymmetry(tuned, { group: SO(3), repIn: V(SO(3)), repOut: V(SO(3)), samples: 32 });
    expect(after.maxRelative).toBeLessThan(0.2 * before.maxRelative);
    const W = findLinearLayers(tuned.proto.graph!)[0]!.W;
    expect(W.trace() / 3).toBeGreaterThan(1.5);
  });

  it('refuses graphs that are not MLPs', async () => {
    await expect(promoteModel(quadraticInvariant({ metric: [1, 1, 1] }).writeTo(tempPath('promote-bad.onnx')), tempPath('x.onnx'), { x: [[0, 0, 0]], y: [[0]] })).rejects.toBeInstanceOf(UnsupportedModelError);
  });
});
