import { writeFileSync } from 'node:fs';
import { S, Scalar, ShapeMismatchError, V, directSum } from '@liesym/core';
import { describe, expect, it } from 'vitest';
import { ModelFileError, UnknownNameError, UnsupportedModelError, analyzeLayers, findLinearLayers, loadModel } from '../src/index.js';
import { randn, randomMlp, tempPath, tensor, writeModel } from './models.js';

describe('loadModel', () => {
  it('describes inputs and outputs, fixes dims, holds extra inputs and evaluates in batches', async () => {
    // y = x·W + s, with s a second input [1, 2] held fixed (tiled over the batch).
    const W = randn(6, 1);
    const path = writeModel('two-inputs.onnx', {
      inputs: [{ name: 'x', dims: ['batch', 3] }, { name: 's', dims: ['batch', 2] }],
      outputs: [{ name: 'y', dims: ['batch', 2] }],
      initializers: [{ name: 'W', dims: [3, 2], data: W }],
      nodes: [
        { op: 'MatMul', inputs: ['x', 'W'], outputs: ['xw'] },
        { op: 'Add', inputs: ['xw', 's'], outputs: ['y'] },
      ],
    });
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
    const path = writeModel('fixed.onnx', {
      inputs: [{ name: 'x', dims: [4, 2] }],
      outputs: [{ name: 'y', dims: [4, 2] }],
      nodes: [{ op: 'Neg', inputs: ['x'], outputs: ['y'] }],
    });
    const m = await loadModel(path);
    const y = await m.evaluate([1, 2, 3, 4, 5, 6], 3);
    expect(Array.from(y)).toEqual([-1, -2, -3, -4, -5, -6]);
  });

  it('throws typed errors naming the problem', async () => {
    await expect(loadModel(tempPath('missing.onnx'))).rejects.toBeInstanceOf(ModelFileError);
    const bad = tempPath('bad.onnx');
    writeFileSync(bad, 'not a model at all');
    await expect(loadModel(bad)).rejects.toBeInstanceOf(ModelFileError);
    const mlp = randomMlp('err-mlp.onnx', [3, 4, 1], 1);
    await expect(loadModel(mlp, { input: 'nope' })).rejects.toBeInstanceOf(UnknownNameError);
    await expect(loadModel(mlp, { output: 'nope' })).rejects.toThrow(/no output 'nope'.*'y'/);
    await expect(loadModel(mlp, { inputs: { x: [1, 5] } })).rejects.toBeInstanceOf(ShapeMismatchError);
    const ints = writeModel('ints.onnx', {
      inputs: [{ name: 'k', dims: ['N', 2], dtype: 'int64' }],
      outputs: [{ name: 'y', dims: ['N', 2], dtype: 'int64' }],
      nodes: [{ op: 'Identity', inputs: ['k'], outputs: ['y'] }],
    });
    await expect(loadModel(ints)).rejects.toBeInstanceOf(UnsupportedModelError);
    const open = writeModel('open.onnx', {
      inputs: [{ name: 'x', dims: ['N', 'D'] }],
      outputs: [{ name: 'y', dims: ['N', 'D'] }],
      nodes: [{ op: 'Neg', inputs: ['x'], outputs: ['y'] }],
    });
    await expect(loadModel(open)).rejects.toThrow(/dynamic dim 1 \(D\)/);
    const fixedOpen = await loadModel(open, { inputs: { x: [1, 4] } });
    expect(fixedOpen.dimIn).toBe(4);
  });
});

describe('graph parsing', () => {
  it('finds weights in initializers, Constant nodes and If subgraphs', async () => {
    const W0 = randn(6 * 3, 2, 0.5);
    const W1 = randn(6, 3, 0.5);
    const W1b = randn(6, 4, 0.5);
    const branch = (name: string, w: number[]): Record<string, unknown> => ({
      name,
      node: [{ opType: 'Gemm', name: `${name}_gemm`, input: ['h', `${name}_W`], output: [`${name}_y`], attribute: [{ name: 'transB', type: 2, i: 1 }] }],
      initializer: [tensor(`${name}_W`, [1, 6], w)],
      output: [{ name: `${name}_y`, type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: 1 }] } } } }],
    });
    const path = writeModel('if.onnx', {
      inputs: [{ name: 'x', dims: ['N', 3] }],
      outputs: [{ name: 'y', dims: ['N', 1] }],
      initializers: [{ name: 'cond', dims: [], data: [1] , dtype: 'float32' }],
      nodes: [
        { op: 'Constant', inputs: [], outputs: ['W0'], attrs: {} },
        { op: 'Gemm', inputs: ['x', 'W0'], outputs: ['z'], attrs: { transB: 1 }, name: 'first' },
        { op: 'Tanh', inputs: ['z'], outputs: ['h'] },
        { op: 'Cast', inputs: ['cond'], outputs: ['c'], attrs: { to: 9 } },
        { op: 'If', inputs: ['c'], outputs: ['y'], attrs: {} },
      ],
    });
    // Attach the Constant's value and the If branches (tensor/graph attributes) by hand.
    const { onnx } = await import('../src/proto.js');
    const { readFileSync } = await import('node:fs');
    const proto = onnx.ModelProto.decode(readFileSync(path));
    const nodes = proto.graph!.node!;
    nodes[0]!.attribute = [{ name: 'value', type: 4, t: tensor('W0', [6, 3], W0) }];
    nodes[4]!.attribute = [
      { name: 'then_branch', type: 5, g: branch('then', W1) },
      { name: 'else_branch', type: 5, g: branch('else', W1b) },
    ];
    writeFileSync(path, onnx.ModelProto.encode(proto).finish());
    const m = await loadModel(path);
    const y = await m.evaluate([0.1, 0.2, 0.3], 1);
    expect(Number.isFinite(y[0]!)).toBe(true);
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
    const { mlp } = await import('./models.js');
    const path = mlp('eq.onnx', [
      { W: eq, b: [0.1, 0.1, 0.1, 0.2, 0.2, 0.2], dimIn: 3, dimOut: 6 },
      { W: [1, 1, 1, 2, 2, 2], b: [0.5], dimIn: 6, dimOut: 1 },
    ]);
    const m = await loadModel(path);
    const rep = analyzeLayers(m.proto.graph!, { reps: [V(s3), directSum(V(s3), V(s3)), Scalar] });
    expect(rep.map((l) => l.max)).toEqual([0, 0]);
    expect(() => analyzeLayers(m.proto.graph!, { reps: [V(s3), Scalar] })).toThrow(/3 Representations/);
  });
});
