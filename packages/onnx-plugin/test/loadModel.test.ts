import { writeFileSync } from 'node:fs';
import { S, Scalar, ShapeMismatchError, V, directSum } from '@liesym/core';
import { describe, expect, it } from 'vitest';
import { ModelFileError, UnknownNameError, UnsupportedModelError, analyzeLayers, findLinearLayers, loadModel } from '../src/index.js';
import { normalVector, tempPath } from '@liesym/test-utils';
import { mlp, onnxModel, randomMlp, type GraphSpec } from '@liesym/test-utils/onnx';

describe('loadModel', () => {
  it('describes inputs and outputs, fixes dims, holds extra inputs and evaluates in batches', async () => {
    // y = x·W + s, with s a second input [1, 2] held fixed (tiled over the batch).
    const W = normalVector(6, { seed: 1 });
    const path = onnxModel({
      inputs: [{ name: 'x', dims: ['batch', 3] }, { name: 's', dims: ['batch', 2] }],
      outputs: [{ name: 'y', dims: ['batch', 2] }],
      initializers: [{ name: 'W', dims: [3, 2], data: W }],
      nodes: [
        { op: 'MatMul', inputs: ['x', 'W'], outputs: ['xw'] },
        { op: 'Add', inputs: ['xw', 's'], outputs: ['y'] },
      ],
    }).writeTo(tempPath('two-inputs.onnx'));
    const m = await loadModel(path, { fixedInputs: { s: { data: [10, 20], dims: [1, 2] } }, maxBatch: 2 });
    expect(m.inputs.map((i) => [i.name, i.dtype, i.shape, i.dynamic])).toEqual([
      ['x', 'float32', ['batch', 3], [0]],
      ['s', 'float32', ['batch', 2], [0]],
    ]);
    expect(m.outputs[0]!.name).toBe('y');
    expect([m.dimIn, m.dimOut]).toEqual([3, 2]);
    const xs = [1, 2, 3, -1, 0, 2, 0.5, 0.5, 0.5];
    const runs = m.stats.runs;
    const y = await m.evaluate(xs, 3);
    expect(m.stats.runs - runs).toBe(2);
    for (let s = 0; s < 3; s++) {
      for (let o = 0; o < 2; o++) {
        let v = o === 0 ? 10 : 20;
        for (let k = 0; k < 3; k++) v += xs[s * 3 + k]! * W[k * 2 + o]!;
        expect(y[s * 2 + o]!).toBeCloseTo(v, 4);
      }
    }
    // Default for the extra input: zeros.
    const m0 = await loadModel(path);
    expect((await m0.evaluate([1, 0, 0], 1))[0]!).toBeCloseTo(W[0]!, 6);
  });

  it('uses a fixed leading dim as a fixed batch, padding the last run', async () => {
    const path = onnxModel({
      inputs: [{ name: 'x', dims: [4, 2] }],
      outputs: [{ name: 'y', dims: [4, 2] }],
      nodes: [{ op: 'Neg', inputs: ['x'], outputs: ['y'] }],
    }).writeTo(tempPath('fixed.onnx'));
    const m = await loadModel(path);
    const y = await m.evaluate([1, 2, 3, 4, 5, 6], 3);
    expect(Array.from(y)).toEqual([-1, -2, -3, -4, -5, -6]);
  });

  it('throws typed errors naming the problem', async () => {
    await expect(loadModel(tempPath('missing.onnx'))).rejects.toBeInstanceOf(ModelFileError);
    const bad = tempPath('bad.onnx');
    writeFileSync(bad, 'not a model at all');
    await expect(loadModel(bad)).rejects.toBeInstanceOf(ModelFileError);
    const mlpPath = randomMlp([3, 4, 1], { seed: 1 }).writeTo(tempPath('err-mlp.onnx'));
    await expect(loadModel(mlpPath, { input: 'nope' })).rejects.toBeInstanceOf(UnknownNameError);
    await expect(loadModel(mlpPath, { output: 'nope' })).rejects.toThrow(/no output 'nope'.*'y'/);
    await expect(loadModel(mlpPath, { inputs: { x: [1, 5] } })).rejects.toBeInstanceOf(ShapeMismatchError);
    const ints = onnxModel({
      inputs: [{ name: 'k', dims: ['N', 2], dtype: 'int64' }],
      outputs: [{ name: 'y', dims: ['N', 2], dtype: 'int64' }],
      nodes: [{ op: 'Identity', inputs: ['k'], outputs: ['y'] }],
    }).writeTo(tempPath('ints.onnx'));
    await expect(loadModel(ints)).rejects.toBeInstanceOf(UnsupportedModelError);
    const open = onnxModel({
      inputs: [{ name: 'x', dims: ['N', 'D'] }],
      outputs: [{ name: 'y', dims: ['N', 'D'] }],
      nodes: [{ op: 'Neg', inputs: ['x'], outputs: ['y'] }],
    }).writeTo(tempPath('open.onnx'));
    await expect(loadModel(open)).rejects.toThrow(/dynamic dim 1 \(D\)/);
    const fixedOpen = await loadModel(open, { inputs: { x: [1, 4] } });
    expect(fixedOpen.dimIn).toBe(4);
  });
});

describe('graph parsing', () => {
  it('finds weights in initializers, Constant nodes and If subgraphs', async () => {
    const W0 = normalVector(6 * 3, { seed: 2, scale: 0.5 });
    const W1 = normalVector(6, { seed: 3, scale: 0.5 });
    const W1b = normalVector(6, { seed: 4, scale: 0.5 });
    // If branches are subgraphs reading the outer 'h'; the first layer's weight is a Constant node.
    const branch = (name: string, w: number[]): { graph: GraphSpec } => ({
      graph: {
        name,
        inputs: [],
        outputs: [{ name: `${name}_y`, dims: ['N', 1] }],
        initializers: [{ name: `${name}_W`, dims: [1, 6], data: w }],
        nodes: [{ op: 'Gemm', name: `${name}_gemm`, inputs: ['h', `${name}_W`], outputs: [`${name}_y`], attrs: { transB: 1 } }],
      },
    });
    const path = onnxModel({
      inputs: [{ name: 'x', dims: ['N', 3] }],
      outputs: [{ name: 'y', dims: ['N', 1] }],
      initializers: [{ name: 'cond', dims: [], data: [1] }],
      nodes: [
        { op: 'Constant', inputs: [], outputs: ['W0'], attrs: { value: { tensor: { name: 'W0', dims: [6, 3], data: W0 } } } },
        { op: 'Gemm', inputs: ['x', 'W0'], outputs: ['z'], attrs: { transB: 1 }, name: 'first' },
        { op: 'Tanh', inputs: ['z'], outputs: ['h'] },
        { op: 'Cast', inputs: ['cond'], outputs: ['c'], attrs: { to: 9 } },
        { op: 'If', inputs: ['c'], outputs: ['y'], attrs: { then_branch: branch('then', W1), else_branch: branch('else', W1b) } },
      ],
    }).writeTo(tempPath('if.onnx'));
    const m = await loadModel(path);
    const x = [0.1, 0.2, 0.3];
    const y = await m.evaluate(x, 1);
    // cond = 1: the then branch, y = W₁·tanh(W₀·x).
    const h = Array.from({ length: 6 }, (_, j) => Math.tanh(x.reduce((s, v, i) => s + W0[j * 3 + i]! * v, 0)));
    expect(y[0]!).toBeCloseTo(h.reduce((s, v, j) => s + W1[j]! * v, 0), 6);
    const layers = findLinearLayers(m.proto.graph!);
    expect(layers.map((l) => [l.name, l.weight.source, l.W.rows, l.W.cols])).toEqual([
      ['first', 'Constant', 6, 3],
      ['then_gemm', 'initializer', 1, 6],
      ['else_gemm', 'initializer', 1, 6],
    ]);
    expect(layers[1]!.path[0]).toMatch(/then/);
    expect(layers[0]!.W.data[4]!).toBeCloseTo(W0[4]!, 6);
  });

  it('analyzeLayers reports exact zeros for equivariant weights and the violation otherwise', async () => {
    const s3 = S(3);
    // W₀ = [I; 1·1ᵀ/3]-style S(3)-equivariant 6×3 map, W₁ = constant row (invariant).
    const eq = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3];
    const path = mlp([
      { W: eq, b: [0.1, 0.1, 0.1, 0.2, 0.2, 0.2], dimIn: 3, dimOut: 6 },
      { W: [1, 1, 1, 2, 2, 2], b: [0.5], dimIn: 6, dimOut: 1 },
    ]).writeTo(tempPath('eq.onnx'));
    const m = await loadModel(path);
    const rep = analyzeLayers(m.proto.graph!, { reps: [V(s3), directSum(V(s3), V(s3)), Scalar] });
    expect(rep.map((l) => l.max)).toEqual([0, 0]);
    expect(() => analyzeLayers(m.proto.graph!, { reps: [V(s3), Scalar] })).toThrow(/3 Representations/);
  });
});
