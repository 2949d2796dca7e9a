/**
 * The weights findLayers reads beyond dense layers (grouped/depthwise Conv, ConvTranspose,
 * BatchNormalization, LayerNormalization, LSTM), checked entry by entry against the weight
 * tensors and against onnxruntime's outputs; the weight nodes it names as unread; and the
 * by-name layer analysis of a DAG.
 */
import { S, V, UnknownNameError, ShapeMismatchError } from '@liesym/core';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { normalVector } from '@liesym/test-utils';
import { onnxModel, type ModelSpec } from '@liesym/test-utils/onnx';
import { analyzeGraphLayers, analyzeLayers, findLayers, findLinearLayers, onnx } from '../src/index.js';
import type { GraphProto } from '../src/proto.js';

const graphOf = (spec: ModelSpec): GraphProto => onnx.ModelProto.decode(onnxModel(spec).encode()).graph!;

/** Runs a model built in code with onnxruntime: the named output as float32 values. */
async function run(spec: ModelSpec, feeds: Record<string, { dims: number[]; data: number[] }>, output: string): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(onnxModel(spec).encode());
  try {
    const t = Object.fromEntries(Object.entries(feeds).map(([k, v]) => [k, new ort.Tensor('float32', Float32Array.from(v.data), v.dims)]));
    return (await session.run(t))[output]!.data as Float32Array;
  } finally {
    await session.release();
  }
}

const f32 = (v: number): number => Math.fround(v);
/** |a − b| ≤ 1e-5·(1 + |b|): float32 outputs against Float64 reconstructions. */
const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-5 * (1 + Math.abs(b));

/**
 * A 3×3 Conv (pads 1, stride 1) from its taps: y[o, r, c] = b[o] + Σ_t taps[t]·x[:, r + kh − 1, c + kw − 1].
 * The reference for "the taps are the convolution": ONNX Conv is a cross-correlation.
 */
function convFromTaps(layer: { taps: Array<{ rows: number; cols: number; get(i: number, j: number): number }>; b: Float64Array | undefined }, x: number[], shape: { H: number; W: number }): number[] {
  const { H, W } = shape;
  const [co, ci] = [layer.taps[0]!.rows, layer.taps[0]!.cols];
  const y = new Array<number>(co * H * W).fill(0);
  for (let o = 0; o < co; o++) {
    for (let r = 0; r < H; r++) {
      for (let c = 0; c < W; c++) {
        let s = layer.b?.[o] ?? 0;
        for (let t = 0; t < 9; t++) {
          const [rr, cc] = [r + Math.floor(t / 3) - 1, c + (t % 3) - 1];
          if (rr < 0 || rr >= H || cc < 0 || cc >= W) continue;
          for (let i = 0; i < ci; i++) s += layer.taps[t]!.get(o, i) * x[(i * H + rr) * W + cc]!;
        }
        y[(o * H + r) * W + c] = s;
      }
    }
  }
  return y;
}

describe('findLayers: grouped and depthwise Conv', () => {
  const convSpec = (o: { cin: number; cout: number; group: number; w: number[]; b: number[] }): ModelSpec => ({
    inputs: [{ name: 'x', dims: [1, o.cin, 4, 5] }],
    outputs: [{ name: 'y', dims: [1, o.cout, 4, 5] }],
    initializers: [
      { name: 'K', dims: [o.cout, o.cin / o.group, 3, 3], data: o.w },
      { name: 'B', dims: [o.cout], data: o.b },
    ],
    nodes: [{ op: 'Conv', name: 'conv', inputs: ['x', 'K', 'B'], outputs: ['y'], attrs: { group: o.group, kernel_shape: [3, 3], pads: [1, 1, 1, 1] } }],
  });

  it('depthwise (group = C = 3): every tap is diagonal with the channel weights, Cin columns, and reproduces onnxruntime', async () => {
    const w = normalVector(27, { seed: 1 });
    const spec = convSpec({ cin: 3, cout: 3, group: 3, w, b: [0.1, -0.2, 0.3] });
    const [layer, ...rest] = findLinearLayers(graphOf(spec));
    expect(rest).toHaveLength(0);
    expect(layer!.opType).toBe('Conv');
    expect(layer!.taps).toHaveLength(9);
    for (let t = 0; t < 9; t++) {
      const tap = layer!.taps![t]!;
      expect([tap.rows, tap.cols]).toEqual([3, 3]);
      for (let o = 0; o < 3; o++) for (let i = 0; i < 3; i++) expect(tap.get(o, i)).toBe(o === i ? f32(w[o * 9 + t]!) : 0);
    }
    expect(layer!.W).toBe(layer!.taps![4]);
    expect([layer!.W.rows, layer!.W.cols]).toEqual([3, 3]);
    const x = normalVector(3 * 20, { seed: 2 });
    const y = await run(spec, { x: { dims: [1, 3, 4, 5], data: x } }, 'y');
    const ref = convFromTaps({ taps: layer!.taps!, b: layer!.b }, x.map(f32), { H: 4, W: 5 });
    expect(ref.filter((v, k) => !close(y[k]!, v))).toEqual([]);
  });

  it('grouped (Cin 4 → Cout 6, group 2): block-diagonal taps, checked entry by entry, and onnxruntime agrees', async () => {
    const w = normalVector(6 * 2 * 9, { seed: 3 });
    const spec = convSpec({ cin: 4, cout: 6, group: 2, w, b: normalVector(6, { seed: 4 }) });
    const [layer] = findLinearLayers(graphOf(spec));
    expect([layer!.W.rows, layer!.W.cols]).toEqual([6, 4]);
    for (let t = 0; t < 9; t++) {
      const tap = layer!.taps![t]!;
      for (let o = 0; o < 6; o++) {
        for (let i = 0; i < 4; i++) {
          // Output o is in group ⌊o/3⌋, input i in group ⌊i/2⌋; weight[o, i mod 2, t].
          expect(tap.get(o, i)).toBe(Math.floor(o / 3) === Math.floor(i / 2) ? f32(w[(o * 2 + (i % 2)) * 9 + t]!) : 0);
        }
      }
    }
    expect(layer!.W.get(4, 3)).toBe(f32(w[(4 * 2 + 1) * 9 + 4]!));
    const x = normalVector(4 * 20, { seed: 5 });
    const y = await run(spec, { x: { dims: [1, 4, 4, 5], data: x } }, 'y');
    const ref = convFromTaps({ taps: layer!.taps!, b: layer!.b }, x.map(f32), { H: 4, W: 5 });
    expect(ref.filter((v, k) => !close(y[k]!, v))).toEqual([]);
  });

  it('a depthwise Conv is S(3)-equivariant on its channels exactly when the three kernels are equal', () => {
    const k = normalVector(9, { seed: 23 });
    const same = graphOf(convSpec({ cin: 3, cout: 3, group: 3, w: [...k, ...k, ...k], b: [0.2, 0.2, 0.2] }));
    const differ = graphOf(convSpec({ cin: 3, cout: 3, group: 3, w: [...k, ...k, ...k.map((v) => v * 1.5)], b: [0.2, 0.2, 0.2] }));
    const reps = { conv: { in: V(S(3)), out: V(S(3)) } };
    const [eq] = analyzeLayers(same, { reps });
    const [br] = analyzeLayers(differ, { reps });
    expect([eq!.verdict, eq!.max]).toEqual(['holds', 0]);
    // W_t = diag(1, 1, 1.5)·k_t; a permutation P that moves channel 2 (the 3-cycle, or a transposition with 2)
    // has P·W_t − W_t·P with two entries ±0.5·k_t: over the taps √2·0.5·‖k‖, relative to ‖W‖ = ‖k‖·√(1 + 1 + 2.25).
    expect(br!.verdict).toBe('broken');
    expect(br!.max).toBeCloseTo((Math.SQRT2 * 0.5) / Math.sqrt(4.25), 6);
  });
});

describe('findLayers: ConvTranspose, BatchNormalization, LayerNormalization', () => {
  /** y[o, p] = Σᵢ W[o, i]·x[i, p] + b[o] over P pixels, channel-major. */
  const perPixel = (l: { W: { rows: number; cols: number; get(i: number, j: number): number }; b: Float64Array | undefined }, x: number[], P: number): number[] =>
    Array.from({ length: l.W.rows * P }, (_, k) => {
      const [o, p] = [Math.floor(k / P), k % P];
      let s = l.b?.[o] ?? 0;
      for (let i = 0; i < l.W.cols; i++) s += l.W.get(o, i) * x[i * P + p]!;
      return s;
    });

  it('ConvTranspose 1×1 (Cin 4, group 2, Cout 6): W is the transposed grouped kernel and y = W·x + b per pixel as onnxruntime computes', async () => {
    const w = normalVector(4 * 3, { seed: 6 });
    const b = normalVector(6, { seed: 7 });
    const spec: ModelSpec = {
      inputs: [{ name: 'x', dims: [1, 4, 2, 3] }],
      outputs: [{ name: 'y', dims: [1, 6, 2, 3] }],
      initializers: [
        { name: 'K', dims: [4, 3, 1, 1], data: w },
        { name: 'B', dims: [6], data: b },
      ],
      nodes: [{ op: 'ConvTranspose', name: 'up', inputs: ['x', 'K', 'B'], outputs: ['y'], attrs: { group: 2 } }],
    };
    const [layer] = findLinearLayers(graphOf(spec));
    expect(layer!.opType).toBe('ConvTranspose');
    expect([layer!.W.rows, layer!.W.cols]).toEqual([6, 4]);
    // Output 4 = group 1, position 1; input 3 = group 1: weight[3, 1]. Input 1 is group 0: no path to output 4.
    expect(layer!.W.get(4, 3)).toBe(f32(w[3 * 3 + 1]!));
    expect(layer!.W.get(4, 1)).toBe(0);
    expect(layer!.W.get(0, 1)).toBe(f32(w[1 * 3 + 0]!));
    const x = normalVector(4 * 6, { seed: 8 });
    const y = await run(spec, { x: { dims: [1, 4, 2, 3], data: x } }, 'y');
    expect(perPixel(layer!, x.map(f32), 6).filter((v, k) => !close(y[k]!, v))).toEqual([]);
  });

  it('BatchNormalization: W = diag(scale/√(var+ε)), b = B − mean·scale/√(var+ε), reproducing onnxruntime', async () => {
    const [scale, B, mean, variance] = [[1.5, -0.5, 2], [0.1, 0.2, -0.3], [0.4, -1, 2], [0.25, 1, 4]];
    const spec: ModelSpec = {
      inputs: [{ name: 'x', dims: [1, 3, 4] }],
      outputs: [{ name: 'y', dims: [1, 3, 4] }],
      initializers: [
        { name: 's', dims: [3], data: scale },
        { name: 'B', dims: [3], data: B },
        { name: 'm', dims: [3], data: mean },
        { name: 'v', dims: [3], data: variance },
      ],
      nodes: [{ op: 'BatchNormalization', name: 'bn', inputs: ['x', 's', 'B', 'm', 'v'], outputs: ['y'], attrs: { epsilon: 0.05 } }],
    };
    const [layer] = findLinearLayers(graphOf(spec));
    expect(layer!.opType).toBe('BatchNormalization');
    // Channel 0 by hand: 1.5/√(0.25 + 0.05) and 0.1 − 0.4·that.
    const g0 = f32(1.5) / Math.sqrt(f32(0.25) + f32(0.05));
    expect(layer!.W.get(0, 0)).toBeCloseTo(g0, 12);
    expect(layer!.W.get(0, 1)).toBe(0);
    expect(layer!.b![0]!).toBeCloseTo(f32(0.1) - f32(0.4) * g0, 12);
    const x = normalVector(12, { seed: 9 });
    const y = await run(spec, { x: { dims: [1, 3, 4], data: x } }, 'y');
    expect(perPixel(layer!, x.map(f32), 4).filter((v, k) => !close(y[k]!, v))).toEqual([]);
  });

  it('BatchNormalization without epsilon uses 1e-5', () => {
    const spec: ModelSpec = {
      inputs: [{ name: 'x', dims: [1, 1] }],
      outputs: [{ name: 'y', dims: [1, 1] }],
      initializers: ['s', 'B', 'm', 'v'].map((name) => ({ name, dims: [1], data: [{ s: 2, v: 1 }[name] ?? 0] })),
      nodes: [{ op: 'BatchNormalization', inputs: ['x', 's', 'B', 'm', 'v'], outputs: ['y'] }],
    };
    const [layer] = findLinearLayers(graphOf(spec));
    expect(layer!.W.get(0, 0)).toBeCloseTo(2 / Math.sqrt(1 + 1e-5), 14);
    expect(layer!.name).toBe('BatchNormalization#0');
  });

  it('LayerNormalization: W = diag(Scale), b = B is the map after normalization, as onnxruntime computes', async () => {
    const [scale, B] = [[0.5, 2, -1, 1.5], [0.1, 0, -0.2, 0.3]];
    const spec: ModelSpec = {
      opset: 17,
      inputs: [{ name: 'x', dims: [2, 4] }],
      outputs: [{ name: 'y', dims: [2, 4] }],
      initializers: [
        { name: 'g', dims: [4], data: scale },
        { name: 'B', dims: [4], data: B },
      ],
      nodes: [{ op: 'LayerNormalization', name: 'ln', inputs: ['x', 'g', 'B'], outputs: ['y'] }],
    };
    const [layer] = findLinearLayers(graphOf(spec));
    expect(layer!.opType).toBe('LayerNormalization');
    expect(Array.from(layer!.W.data)).toEqual([0.5, 0, 0, 0, 0, 2, 0, 0, 0, 0, -1, 0, 0, 0, 0, 1.5]);
    const x = normalVector(8, { seed: 10 }).map(f32);
    const y = await run(spec, { x: { dims: [2, 4], data: x } }, 'y');
    for (let r = 0; r < 2; r++) {
      const row = x.slice(4 * r, 4 * r + 4);
      const mu = row.reduce((a, v) => a + v, 0) / 4;
      const sd = Math.sqrt(row.reduce((a, v) => a + (v - mu) ** 2, 0) / 4 + 1e-5);
      const xhat = row.map((v) => (v - mu) / sd);
      for (let j = 0; j < 4; j++) expect(close(y[4 * r + j]!, layer!.W.get(j, j) * xhat[j]! + layer!.b![j]!)).toBe(true);
    }
  });
});

describe('findLayers: LSTM', () => {
  it('reads W[d] (4H×I, b = Wb + Rb) and R[d] (4H×H) per direction, gate order i, o, f, c, as one onnxruntime step computes', async () => {
    const [H, I] = [2, 3];
    const W = normalVector(2 * 4 * H * I, { seed: 11 });
    const R = normalVector(2 * 4 * H * H, { seed: 12 });
    const B = normalVector(2 * 8 * H, { seed: 13 });
    const h0 = [0.3, -0.4, 0.2, 0.5];
    const c0 = [0.6, -0.1, -0.7, 0.25];
    const spec: ModelSpec = {
      inputs: [{ name: 'x', dims: [1, 1, I] }],
      outputs: [{ name: 'Y', dims: [1, 2, 1, H] }],
      initializers: [
        { name: 'W', dims: [2, 4 * H, I], data: W },
        { name: 'R', dims: [2, 4 * H, H], data: R },
        { name: 'B', dims: [2, 8 * H], data: B },
        { name: 'h0', dims: [2, 1, H], data: h0 },
        { name: 'c0', dims: [2, 1, H], data: c0 },
      ],
      nodes: [{ op: 'LSTM', name: 'lstm', inputs: ['x', 'W', 'R', 'B', '', 'h0', 'c0'], outputs: ['Y'], attrs: { hidden_size: H, direction: 'bidirectional' } }],
    };
    const { layers, unread } = findLayers(graphOf(spec));
    expect(unread).toEqual([]);
    expect(layers.map((l) => [l.name, l.opType, l.W.rows, l.W.cols])).toEqual([
      ['lstm.W[0]', 'LSTM', 8, 3],
      ['lstm.R[0]', 'LSTM', 8, 2],
      ['lstm.W[1]', 'LSTM', 8, 3],
      ['lstm.R[1]', 'LSTM', 8, 2],
    ]);
    expect(layers[2]!.W.get(5, 2)).toBe(f32(W[4 * H * I + 5 * I + 2]!));
    expect(layers[3]!.W.get(7, 1)).toBe(f32(R[4 * H * H + 7 * H + 1]!));
    expect(layers[2]!.b![3]!).toBeCloseTo(f32(B[16 + 3]!) + f32(B[24 + 3]!), 12);
    expect(layers[1]!.b).toBeUndefined();
    const x = [0.5, -1, 0.8];
    const y = await run(spec, { x: { dims: [1, 1, I], data: x } }, 'Y');
    const sig = (v: number): number => 1 / (1 + Math.exp(-v));
    for (let d = 0; d < 2; d++) {
      const [Wd, Rd] = [layers[2 * d]!, layers[2 * d + 1]!];
      const z = Wd.W.mulVec(Float64Array.from(x, f32)).map((v, j) => v + Wd.b![j]! + Rd.W.mulVec(Float64Array.from(h0.slice(d * H, d * H + H), f32))[j]!);
      for (let k = 0; k < H; k++) {
        const [i, o, f, c] = [sig(z[k]!), sig(z[H + k]!), sig(z[2 * H + k]!), Math.tanh(z[3 * H + k]!)];
        const h = o * Math.tanh(f * f32(c0[d * H + k]!) + i * c);
        expect(close(y[d * H + k]!, h)).toBe(true);
      }
    }
  });
});

describe('findLayers: what it cannot read, it names', () => {
  it('names computed, float16, external, rank-3 and left-operand weights, GRU and unread LSTM peepholes with the reason', () => {
    const w9 = normalVector(9, { seed: 14 });
    const spec: ModelSpec = {
      inputs: [{ name: 'x', dims: ['N', 3] }, { name: 'seq', dims: [1, 1, 3] }],
      outputs: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'k'].map((name) => ({ name, dims: ['N', 3] })),
      initializers: [
        { name: 'Wraw', dims: [3, 3], data: w9 },
        { name: 'Wh', dims: [3, 3], data: w9 },
        { name: 'We', dims: [3, 3], data: w9 },
        { name: 'W3', dims: [2, 3, 3], data: [...w9, ...w9] },
        { name: 'Wl', dims: [3, 3], data: w9 },
        { name: 'Wg', dims: [1, 6, 3], data: normalVector(18, { seed: 15 }) },
        { name: 'Rg', dims: [1, 6, 2], data: normalVector(12, { seed: 16 }) },
        { name: 'Wlstm', dims: [1, 8, 3], data: normalVector(24, { seed: 17 }) },
        { name: 'Rlstm', dims: [1, 8, 2], data: normalVector(16, { seed: 18 }) },
        { name: 'P', dims: [1, 6], data: normalVector(6, { seed: 19 }) },
      ],
      nodes: [
        { op: 'Transpose', name: 'wt', inputs: ['Wraw'], outputs: ['Wt'] },
        { op: 'Gemm', name: 'computed', inputs: ['x', 'Wt'], outputs: ['a'] },
        { op: 'MatMul', name: 'half', inputs: ['x', 'Wh'], outputs: ['b'] },
        { op: 'MatMul', name: 'external', inputs: ['x', 'We'], outputs: ['c'] },
        { op: 'MatMul', name: 'rank3', inputs: ['x', 'W3'], outputs: ['d'] },
        { op: 'MatMul', name: 'left', inputs: ['Wl', 'x'], outputs: ['e'] },
        { op: 'GRU', name: 'gru', inputs: ['seq', 'Wg', 'Rg'], outputs: ['f'], attrs: { hidden_size: 2 } },
        { op: 'Gemm', name: 'cbias', inputs: ['x', 'Wl', 'x'], outputs: ['k'] },
        { op: 'LSTM', name: 'peep', inputs: ['seq', 'Wlstm', 'Rlstm', '', '', '', '', 'P'], outputs: ['g'], attrs: { hidden_size: 2 } },
      ],
    };
    const graph = graphOf(spec);
    const init = (name: string) => graph.initializer!.find((t) => t.name === name)!;
    init('Wh').dataType = 10;
    init('We').dataLocation = 1;
    const { layers, unread } = findLayers(graph);
    expect(layers.map((l) => l.name)).toEqual(['cbias', 'peep.W[0]', 'peep.R[0]']);
    expect(layers[0]!.b).toBeUndefined();
    const reasons = Object.fromEntries(unread.map((u) => [u.name, u.reason]));
    expect(unread.map((u) => [u.name, u.opType])).toEqual([
      ['computed', 'Gemm'],
      ['half', 'MatMul'],
      ['external', 'MatMul'],
      ['rank3', 'MatMul'],
      ['left', 'MatMul'],
      ['gru', 'GRU'],
      ['cbias.C', 'Gemm'],
      ['peep.P', 'LSTM'],
    ]);
    expect(reasons['computed']).toBe("its weight B 'Wt' is computed in the graph by Transpose node 'wt'");
    expect(reasons['half']).toMatch(/'Wh' is float16/);
    expect(reasons['external']).toMatch(/external file/);
    expect(reasons['rank3']).toMatch(/rank 3 \(dims \[2, 3, 3\]\)/);
    expect(reasons['left']).toMatch(/first operand .*'x', which is a graph input/);
    expect(reasons['gru']).toMatch(/GRU weights are not read yet/);
    expect(reasons['peep.P']).toMatch(/peephole/);
    expect(reasons['cbias.C']).toBe("its bias C 'x' is a graph input, not a constant; the weights are read, the bias is not checked");
    expect(findLinearLayers(graph)).toHaveLength(3);
  });
});

describe('layers of a DAG (residual Add, a MatMul of two graph values, a Conv in an If branch)', () => {
  const a = 0.7;
  const c = 0.2;
  // fc: W = a·I + c·11ᵀ and b = 0.1·1, S(3)-equivariant; proj: a random 3×3, not.
  const Wfc = Array.from({ length: 9 }, (_, k) => (k % 4 === 0 ? a : 0) + c);
  const Wp = normalVector(9, { seed: 20 });
  const branch = (name: string, seed: number) => ({
    graph: {
      name,
      inputs: [],
      outputs: [{ name: `${name}_y`, dims: ['N', 2, 1, 1] }],
      initializers: [{ name: `${name}_K`, dims: [2, 3, 1, 1], data: normalVector(6, { seed }) }],
      nodes: [{ op: 'Conv', name: `${name}_conv`, inputs: ['r4', `${name}_K`], outputs: [`${name}_y`] }],
    },
  });
  const spec: ModelSpec = {
    inputs: [{ name: 'x', dims: ['N', 3] }, { name: 'cond', dims: [], dtype: 'bool' }],
    outputs: [{ name: 's', dims: ['N', 'N'] }, { name: 'y', dims: ['N', 2, 1, 1] }],
    initializers: [
      { name: 'Wfc', dims: [3, 3], data: Wfc },
      { name: 'bfc', dims: [3], data: [0.1, 0.1, 0.1] },
      { name: 'Wp', dims: [3, 3], data: Wp },
      { name: 'shape4', dims: [4], data: [-1, 3, 1, 1], dtype: 'int64' },
    ],
    nodes: [
      { op: 'Gemm', name: 'fc', inputs: ['x', 'Wfc', 'bfc'], outputs: ['h'], attrs: { transB: 1 } },
      { op: 'Add', name: 'res', inputs: ['h', 'x'], outputs: ['r'] },
      { op: 'MatMul', name: 'proj', inputs: ['r', 'Wp'], outputs: ['q'] },
      { op: 'Transpose', name: 'kt', inputs: ['r'], outputs: ['rt'], attrs: { perm: [1, 0] } },
      { op: 'MatMul', name: 'scores', inputs: ['q', 'rt'], outputs: ['s'] },
      { op: 'Reshape', name: 'to4', inputs: ['r', 'shape4'], outputs: ['r4'] },
      { op: 'If', name: 'gate', inputs: ['cond'], outputs: ['y'], attrs: { then_branch: branch('then', 21), else_branch: branch('else', 22) } },
    ],
  };
  const s3 = S(3);

  it('is a model onnxruntime runs: the attention scores are N×N', async () => {
    const session = await ort.InferenceSession.create(onnxModel(spec).encode());
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6]), [2, 3]), cond: new ort.Tensor('bool', Uint8Array.from([1]), []) });
    await session.release();
    expect(out['s']!.dims).toEqual([2, 2]);
    expect(out['y']!.dims).toEqual([2, 2, 1, 1]);
  });

  it('finds fc, proj and both branch convs with their path, and names the MatMul of two graph values', () => {
    const { layers, unread } = findLayers(graphOf(spec));
    expect(layers.map((l) => [l.name, l.opType, l.path.join(' > ')])).toEqual([
      ['fc', 'Gemm', ''],
      ['proj', 'MatMul', ''],
      ['then_conv', 'Conv', 'gate/then'],
      ['else_conv', 'Conv', 'gate/else'],
    ]);
    expect(unread).toEqual([
      {
        name: 'scores',
        opType: 'MatMul',
        path: [],
        reason: "both operands are computed in the graph ('q' is computed in the graph by MatMul node 'proj', 'rt' is computed in the graph by Transpose node 'kt'): a product of two graph values (e.g. attention scores) has no constant weight",
      },
    ]);
  });

  it('analyzes by layer name: fc holds, proj is broken, the branch convs are skipped and the scores listed as unread', () => {
    const graph = graphOf(spec);
    const reps = { fc: { in: V(s3), out: V(s3) }, proj: { in: V(s3), out: V(s3) } };
    const r = analyzeGraphLayers(graph, { reps });
    expect(r.layers.map((l) => [l.name, l.verdict])).toEqual([
      ['fc', 'holds'],
      ['proj', 'broken'],
    ]);
    expect(r.layers[0]!.max).toBe(0);
    expect(r.layers[1]!.max).toBeGreaterThan(0.1);
    expect(r.skipped.map((l) => [l.name, l.path])).toEqual([
      ['then_conv', ['gate/then']],
      ['else_conv', ['gate/else']],
    ]);
    expect(r.unread.map((u) => u.name)).toEqual(['scores']);
    expect(analyzeLayers(graph, { reps }).map((l) => l.max)).toEqual(r.layers.map((l) => l.max));
    // Chain form on the same graph: one boundary per layer in graph order (4 layers → 5 reps).
    expect(() => analyzeLayers(graph, { reps: [V(s3), V(s3), V(s3)] })).toThrow(/5 Representations .*fc, proj, then_conv, else_conv/);
  });

  it('refuses an unknown or unread name, wrong dims and malformed entries, naming them', () => {
    const graph = graphOf(spec);
    expect(() => analyzeGraphLayers(graph, { reps: { scores: { in: V(s3), out: V(s3) } } })).toThrow(UnknownNameError);
    expect(() => analyzeGraphLayers(graph, { reps: { scores: { in: V(s3), out: V(s3) } } })).toThrow(/'scores', which could not be read \(both operands/);
    expect(() => analyzeGraphLayers(graph, { reps: { then_conv: { in: V(s3), out: V(s3) } } })).toThrow(ShapeMismatchError);
    expect(() => analyzeGraphLayers(graph, { reps: { fc: { in: V(s3) } as never } })).toThrow(/'reps'\['fc'\] must be \{ in: Representation, out: Representation \}/);
    expect(() => analyzeGraphLayers(graph, { reps: {} })).toThrow(/non-empty object/);
  });
});
