/** Builds small ONNX models in code (onnx-proto), deterministically, for the tests. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@liesym/core';
import { onnx, type AttributeProto, type TensorProto, type ValueInfoProto } from '../src/proto.js';

type Dim = number | string;
const DTYPE = { float32: 1, float64: 11, int32: 6, int64: 7 } as const;

export interface NodeSpec {
  op: string;
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, number | string | number[]>;
  name?: string;
}

export interface GraphSpec {
  inputs: Array<{ name: string; dims: Dim[]; dtype?: keyof typeof DTYPE }>;
  outputs: Array<{ name: string; dims: Dim[]; dtype?: keyof typeof DTYPE }>;
  initializers?: Array<{ name: string; dims: number[]; data: ArrayLike<number>; dtype?: 'float32' | 'float64' | 'int64' }>;
  nodes: NodeSpec[];
  opset?: number;
}

function valueInfo(v: { name: string; dims: Dim[]; dtype?: keyof typeof DTYPE }): ValueInfoProto {
  return {
    name: v.name,
    type: {
      tensorType: {
        elemType: DTYPE[v.dtype ?? 'float32'],
        shape: { dim: v.dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, v: number | string | number[]): AttributeProto {
  if (typeof v === 'string') return { name, type: 3, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: 7, ints: v };
  return Number.isInteger(v) ? { name, type: 2, i: v } : { name, type: 1, f: v };
}

/** A tensor initializer with raw little-endian data. */
export function tensor(name: string, dims: number[], data: ArrayLike<number>, dtype: 'float32' | 'float64' | 'int64' = 'float32'): TensorProto {
  const arr = dtype === 'float32' ? Float32Array.from(data) : dtype === 'float64' ? Float64Array.from(data) : BigInt64Array.from(Array.from(data, (x) => BigInt(x)));
  return { name, dims, dataType: DTYPE[dtype], rawData: new Uint8Array(arr.buffer) };
}

/** Encodes a graph as an ONNX ModelProto (IR 8, default opset 13). */
export function buildModel(spec: GraphSpec): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'liesym-test',
    opsetImport: [{ domain: '', version: spec.opset ?? 13 }],
    graph: {
      name: 'test',
      input: spec.inputs.map(valueInfo),
      output: spec.outputs.map(valueInfo),
      initializer: (spec.initializers ?? []).map((t) => tensor(t.name, t.dims, t.data, t.dtype)),
      node: spec.nodes.map((n, i) => ({
        name: n.name ?? `${n.op}_${i}`,
        opType: n.op,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(k, v)),
      })),
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

const dir = mkdtempSync(join(tmpdir(), 'liesym-onnx-test-'));

/** A fresh path in the test's temp folder. */
export function tempPath(name: string): string {
  return join(dir, name);
}

/** Writes a model to the temp folder and returns its path. */
export function writeModel(name: string, spec: GraphSpec): string {
  const path = tempPath(name);
  writeFileSync(path, buildModel(spec));
  return path;
}

/** Seeded normal numbers. */
export function randn(n: number, seed: number, scale = 1): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => scale * rng.normal());
}

/** F(x) = tanh(0.3·xᵀηx) on R^n, η = diag(metric): a quadratic-form invariant. */
export function quadraticInvariant(name: string, metric: number[], dtype: 'float32' | 'float64' = 'float32'): string {
  const n = metric.length;
  return writeModel(name, {
    inputs: [{ name: 'x', dims: ['N', n], dtype }],
    outputs: [{ name: 'y', dims: ['N', 1], dtype }],
    initializers: [{ name: 'eta', dims: [n, 1], data: metric.map((m) => 0.3 * m), dtype }],
    nodes: [
      { op: 'Mul', inputs: ['x', 'x'], outputs: ['x2'] },
      { op: 'MatMul', inputs: ['x2', 'eta'], outputs: ['q'] },
      { op: 'Tanh', inputs: ['q'], outputs: ['y'] },
    ],
  });
}

/** F(x) = tanh(|x|²)·x + 0.5·J·x on R²: SO(2)-equivariant, not scaling-equivariant. */
export function so2Equivariant(name: string): string {
  return writeModel(name, {
    inputs: [{ name: 'x', dims: ['N', 2] }],
    outputs: [{ name: 'y', dims: ['N', 2] }],
    initializers: [
      { name: 'ones', dims: [2, 1], data: [1, 1] },
      // x·Jᵀ with J = [[0, −1], [1, 0]]: Jᵀ = [[0, 1], [−1, 0]], scaled by 0.5.
      { name: 'Jt', dims: [2, 2], data: [0, 0.5, -0.5, 0] },
    ],
    nodes: [
      { op: 'Mul', inputs: ['x', 'x'], outputs: ['x2'] },
      { op: 'MatMul', inputs: ['x2', 'ones'], outputs: ['r2'] },
      { op: 'Tanh', inputs: ['r2'], outputs: ['a'] },
      { op: 'Mul', inputs: ['a', 'x'], outputs: ['ax'] },
      { op: 'MatMul', inputs: ['x', 'Jt'], outputs: ['jx'] },
      { op: 'Add', inputs: ['ax', 'jx'], outputs: ['y'] },
    ],
  });
}

/**
 * An MLP x ↦ W₂·tanh(W₁x + b₁) + b₂ (Gemm with transB = 1, weights [out, in]), or with
 * MatMul + Add (weights [in, out]) when `matmul`. Weights given row-major as W: out×in.
 */
export function mlp(name: string, layers: Array<{ W: number[]; b: number[]; dimIn: number; dimOut: number }>, options: { matmul?: boolean; activation?: string } = {}): string {
  const initializers: NonNullable<GraphSpec['initializers']> = [];
  const nodes: NodeSpec[] = [];
  let cur = 'x';
  layers.forEach((l, k) => {
    const out = k === layers.length - 1 ? 'y' : `h${k}`;
    const pre = k === layers.length - 1 ? out : `z${k}`;
    if (options.matmul) {
      const Wt = Array.from({ length: l.dimIn * l.dimOut }, (_, idx) => {
        const i = Math.floor(idx / l.dimOut);
        const o = idx % l.dimOut;
        return l.W[o * l.dimIn + i]!;
      });
      initializers.push({ name: `W${k}`, dims: [l.dimIn, l.dimOut], data: Wt }, { name: `b${k}`, dims: [l.dimOut], data: l.b });
      nodes.push({ op: 'MatMul', inputs: [cur, `W${k}`], outputs: [`m${k}`], name: `dense${k}` });
      nodes.push({ op: 'Add', inputs: [`m${k}`, `b${k}`], outputs: [pre] });
    } else {
      initializers.push({ name: `W${k}`, dims: [l.dimOut, l.dimIn], data: l.W }, { name: `b${k}`, dims: [l.dimOut], data: l.b });
      nodes.push({ op: 'Gemm', inputs: [cur, `W${k}`, `b${k}`], outputs: [pre], attrs: { transB: 1 }, name: `dense${k}` });
    }
    if (k < layers.length - 1) nodes.push({ op: options.activation ?? 'Tanh', inputs: [pre], outputs: [out] });
    cur = out;
  });
  return writeModel(name, {
    inputs: [{ name: 'x', dims: ['N', layers[0]!.dimIn] }],
    outputs: [{ name: 'y', dims: ['N', layers[layers.length - 1]!.dimOut] }],
    initializers,
    nodes,
  });
}

/** A random MLP with the given layer sizes (seeded). */
export function randomMlp(name: string, sizes: number[], seed: number, options: { matmul?: boolean } = {}): string {
  const layers = sizes.slice(1).map((dimOut, k) => {
    const dimIn = sizes[k]!;
    return { dimIn, dimOut, W: randn(dimIn * dimOut, seed + k, 1 / Math.sqrt(dimIn)), b: randn(dimOut, seed + 100 + k, 0.1) };
  });
  return mlp(name, layers, options);
}

/**
 * tanh of a circular (periodic) 3×3 convolution of an image [N, C, H, W] → [N, Co, H, W]:
 * wrap-around padding built from Slice + Concat, then a valid Conv. Exactly
 * translation-equivariant on the periodic grid.
 */
export function circularConv(name: string, shape: { C: number; Co: number; H: number; W: number }, seed: number, options: { tanh?: boolean } = {}): string {
  const { C, Co, H, W } = shape;
  const int64 = (n: string, v: number[]): { name: string; dims: number[]; data: number[]; dtype: 'int64' } => ({ name: n, dims: [v.length], data: v, dtype: 'int64' });
  return writeModel(name, {
    inputs: [{ name: 'image', dims: ['N', C, H, W] }],
    outputs: [{ name: 'out', dims: ['N', Co, H, W] }],
    initializers: [
      { name: 'K', dims: [Co, C, 3, 3], data: randn(Co * C * 9, seed, 0.5) },
      { name: 'bias', dims: [Co], data: randn(Co, seed + 1, 0.1) },
      int64('s_last', [-1]), int64('e_end', [2 ** 31]), int64('s0', [0]), int64('e1', [1]),
      int64('ax2', [2]), int64('ax3', [3]),
    ],
    nodes: [
      // rows: [last row; image; first row]
      { op: 'Slice', inputs: ['image', 's_last', 'e_end', 'ax2'], outputs: ['top'] },
      { op: 'Slice', inputs: ['image', 's0', 'e1', 'ax2'], outputs: ['bottom'] },
      { op: 'Concat', inputs: ['top', 'image', 'bottom'], outputs: ['rows'], attrs: { axis: 2 } },
      { op: 'Slice', inputs: ['rows', 's_last', 'e_end', 'ax3'], outputs: ['left'] },
      { op: 'Slice', inputs: ['rows', 's0', 'e1', 'ax3'], outputs: ['right'] },
      { op: 'Concat', inputs: ['left', 'rows', 'right'], outputs: ['padded'], attrs: { axis: 3 } },
      { op: 'Conv', inputs: ['padded', 'K', 'bias'], outputs: [options.tanh ? 'conv' : 'out'], attrs: { kernel_shape: [3, 3] } },
      ...(options.tanh ? [{ op: 'Tanh', inputs: ['conv'], outputs: ['out'] }] : []),
    ],
  });
}
