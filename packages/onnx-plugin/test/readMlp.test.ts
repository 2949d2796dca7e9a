import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Matrix, UnsupportedOperationError } from '@liesym/core';
import { NonFiniteError, OutputExistsError, UnsupportedModelError, findLinearLayers, loadModel, projectModel, promoteModel, readMlp } from '../src/index.js';
import { S, Scalar, V, directSum } from '@liesym/core';
import { normalVector, tempPath } from '@liesym/test-utils';
import { mlp, quadraticInvariant, randomMlp } from '@liesym/test-utils/onnx';

describe('readMlp (what a trainer needs: layers, activations, a safe weight writer)', () => {
  it('reads Gemm and MatMul MLPs and writes identical outputs back through writeWeights', async () => {
    for (const matmul of [false, true]) {
      const src = randomMlp([3, 5, 2], { seed: 71, matmul }).writeTo(tempPath(`readmlp-${matmul}.onnx`));
      const m = readMlp(src);
      expect(m.layers.map((l) => l.activation)).toEqual(['tanh', 'linear']);
      expect(m.layers.map((l) => [l.W.rows, l.W.cols])).toEqual([[5, 3], [2, 5]]);
      const out = tempPath(`readmlp-${matmul}-out.onnx`);
      m.writeWeights(out, { layers: m.layers });
      const [a, b] = [await loadModel(src), await loadModel(out)];
      const xs = normalVector(30, { seed: 72 });
      const [ya, yb] = [await a.evaluate(xs, 10), await b.evaluate(xs, 10)];
      ya.forEach((v, i) => expect(yb[i]!).toBeCloseTo(v, 6));
      expect(() => m.writeWeights(out, { layers: m.layers })).toThrow(OutputExistsError);
      expect(() => m.writeWeights(src, { layers: m.layers, force: true })).toThrow(/never writes onto its input/);
    }
  });

  it('writes new weights, refuses wrong shapes and NaN', async () => {
    const src = mlp([{ W: normalVector(9, { seed: 82 }), b: [0, 0, 0], dimIn: 3, dimOut: 3 }]).writeTo(tempPath('readmlp-lin.onnx'));
    const m = readMlp(src);
    const out = tempPath('readmlp-lin-2.onnx');
    m.writeWeights(out, { layers: [{ W: Matrix.identity(3).scale(2), b: [1, 1, 1] }] });
    const W = findLinearLayers((await loadModel(out)).proto.graph!)[0]!.W;
    expect(Array.from(W.data)).toEqual([2, 0, 0, 0, 2, 0, 0, 0, 2]);
    expect(() => m.writeWeights(tempPath('readmlp-bad.onnx'), { layers: [{ W: Matrix.identity(2) }] })).toThrow(/must be 3×3/);
    const nan = Matrix.identity(3);
    nan.data[0] = Number.NaN;
    expect(() => m.writeWeights(tempPath('readmlp-nan.onnx'), { layers: [{ W: nan }] })).toThrow(NonFiniteError);
  });

  it('refuses graphs that are not MLPs', () => {
    expect(() => readMlp(quadraticInvariant({ metric: [1, 1, 1] }).writeTo(tempPath('readmlp-quad.onnx')))).toThrow(UnsupportedModelError);
  });
});

describe('promoteModel (deprecated)', () => {
  it('throws a typed error naming the new import, and writes nothing', async () => {
    const src = randomMlp([3, 5, 1], { seed: 3 }).writeTo(tempPath('promote-dep.onnx'));
    const out = tempPath('promote-dep-out.onnx');
    await expect(promoteModel(src, out, { x: [[0, 0, 0]], y: [[0]] })).rejects.toThrow(UnsupportedOperationError);
    await expect(promoteModel(src, out, { x: [[0, 0, 0]], y: [[0]] })).rejects.toThrow(/import \{ promoteOnnxModel \} from '@liesym\/tfjs\/onnx'/);
  });
});

describe('projectModel file rules', () => {
  const reps = [V(S(3)), directSum(V(S(3)), V(S(3))), Scalar];
  it("requires a boolean force ('false' is not false) and refuses NaN weights", async () => {
    const src = randomMlp([3, 6, 1], { seed: 61 }).writeTo(tempPath('proj-force.onnx'));
    const out = tempPath('proj-force-out.onnx');
    writeFileSync(out, 'precious');
    await expect(projectModel(src, out, { reps, force: 'false' as unknown as boolean })).rejects.toThrow(/'force' must be a boolean; received "false"/);
    expect(readFileSync(out, 'utf8')).toBe('precious');
    const W = normalVector(18, { seed: 4 });
    W[3] = Number.NaN;
    const nan = mlp([{ W, b: new Array(6).fill(0), dimIn: 3, dimOut: 6 }, { W: normalVector(6, { seed: 5 }), b: [0], dimIn: 6, dimOut: 1 }]).writeTo(tempPath('proj-nan.onnx'));
    await expect(projectModel(nan, tempPath('proj-nan-out.onnx'), { reps })).rejects.toThrow(NonFiniteError);
  });
});
