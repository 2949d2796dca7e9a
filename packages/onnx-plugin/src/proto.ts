/**
 * Reading and writing ONNX protobufs (onnx-proto): tensors as Float64 arrays, the
 * constants of a graph (initializers, `Constant` nodes, `If`/`Loop` subgraphs).
 */
import onnxProto from 'onnx-proto';
import { UnsupportedModelError } from '@liesym/core';

/** The onnx-proto namespace (ModelProto, GraphProto, TensorProto, …). */
export const onnx = onnxProto.onnx;
export type ModelProto = InstanceType<typeof onnxProto.onnx.ModelProto>;
export type GraphProto = onnxProto.onnx.IGraphProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type NodeProto = onnxProto.onnx.INodeProto;

/** ONNX TensorProto.DataType codes and their names (the ones liesym reads): DATA_TYPES[1] = 'float32', …. */
const DATA_TYPES: Readonly<Record<number, string>> = Object.fromEntries(
  ['float32', 'uint8', 'int8', 'uint16', 'int16', 'int32', 'int64', 'string', 'bool', 'float16', 'float64', 'uint32', 'uint64'].map((name, i) => [i + 1, name]),
);

/** A protobuf int64 (number or Long) as a JS number. */
function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v !== null && typeof v === 'object' && 'toNumber' in v) return (v as { toNumber(): number }).toNumber();
  return Number(v);
}

/** The dims of a tensor as numbers. */
export function tensorDims(t: TensorProto): number[] {
  return (t.dims ?? []).map(toNumber);
}

/**
 * The values of a numeric tensor as Float64 (float32, float64 and integer types).
 * @throws UnsupportedModelError for external data, strings or float16
 */
export function readTensor(t: TensorProto, fn: string): Float64Array {
  const dtype = t.dataType ?? 0;
  const name = t.name ?? '';
  if (t.dataLocation === 1) {
    throw new UnsupportedModelError(`${fn}: tensor '${name}' keeps its data in an external file, which liesym does not read; received data_location EXTERNAL`);
  }
  const size = tensorDims(t).reduce((a, b) => a * b, 1);
  const raw = t.rawData;
  if (raw && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const out = new Float64Array(size);
    const read: Record<number, [number, (o: number) => number]> = {
      1: [4, (o) => view.getFloat32(o, true)],
      11: [8, (o) => view.getFloat64(o, true)],
      6: [4, (o) => view.getInt32(o, true)],
      7: [8, (o) => Number(view.getBigInt64(o, true))],
      2: [1, (o) => view.getUint8(o)],
      3: [1, (o) => view.getInt8(o)],
      9: [1, (o) => view.getUint8(o)],
    };
    const r = read[dtype];
    if (!r) throw new UnsupportedModelError(`${fn}: tensor '${name}' has dtype ${DATA_TYPES[dtype] ?? dtype}; liesym reads float32, float64, int8/uint8, int32, int64 and bool tensors`);
    for (let i = 0; i < size; i++) out[i] = r[1](i * r[0]);
    return out;
  }
  if (dtype === 1 && t.floatData) return Float64Array.from(t.floatData);
  if (dtype === 11 && t.doubleData) return Float64Array.from(t.doubleData);
  if ((dtype === 6 || dtype === 2 || dtype === 3 || dtype === 9) && t.int32Data) return Float64Array.from(t.int32Data);
  if (dtype === 7 && t.int64Data) return Float64Array.from(t.int64Data.map(toNumber));
  throw new UnsupportedModelError(`${fn}: tensor '${name}' has dtype ${DATA_TYPES[dtype] ?? dtype}; liesym reads float32, float64 and integer tensors`);
}

/**
 * Replaces the values of a float32/float64 tensor in place (as raw little-endian data),
 * keeping its name, dims and dtype. Float64 values are rounded to float32 for float32 tensors.
 */
export function writeTensor(t: TensorProto, values: ArrayLike<number>, fn: string): void {
  const dtype = t.dataType ?? 0;
  if (dtype !== 1 && dtype !== 11) {
    throw new UnsupportedModelError(`${fn}: tensor '${t.name ?? ''}' must be float32 or float64 to be rewritten; received ${DATA_TYPES[dtype] ?? dtype}`);
  }
  const arr = dtype === 1 ? Float32Array.from(values) : Float64Array.from(values);
  t.rawData = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
  t.floatData = [];
  t.doubleData = [];
}

/** A constant tensor of a graph and where it came from. */
export interface ConstantRef {
  name: string;
  tensor: TensorProto;
  source: 'initializer' | 'Constant';
}

/** The subgraphs held by a node's attributes (`If` branches, `Loop`/`Scan` bodies). */
/** The subgraphs of a node (`If` branches, `Loop`/`Scan` bodies). */
function subgraphs(node: NodeProto): GraphProto[] {
  const out: GraphProto[] = [];
  for (const a of node.attribute ?? []) {
    if (a.g) out.push(a.g);
    for (const g of a.graphs ?? []) out.push(g);
  }
  return out;
}

/**
 * Every constant visible in a graph, recursively: initializers, `Constant` nodes (value
 * attribute) and the constants of subgraphs. Inner names shadow outer ones as in ONNX scoping.
 */
export function collectConstants(graph: GraphProto, into = new Map<string, ConstantRef>()): Map<string, ConstantRef> {
  for (const t of graph.initializer ?? []) into.set(t.name ?? '', { name: t.name ?? '', tensor: t, source: 'initializer' });
  for (const node of graph.node ?? []) {
    if (node.opType === 'Constant') {
      const value = (node.attribute ?? []).find((a) => a.name === 'value' && a.t);
      const out = node.output?.[0];
      if (value?.t && out) into.set(out, { name: out, tensor: value.t, source: 'Constant' });
    }
    for (const g of subgraphs(node)) collectConstants(g, into);
  }
  return into;
}

/** Every node of a graph and its subgraphs, in order, with the path of graph names. */
export function walkNodes(graph: GraphProto, path: string[] = []): Array<{ node: NodeProto; path: string[] }> {
  const out: Array<{ node: NodeProto; path: string[] }> = [];
  for (const node of graph.node ?? []) {
    out.push({ node, path });
    for (const g of subgraphs(node)) out.push(...walkNodes(g, [...path, `${node.name || node.opType}/${g.name ?? ''}`]));
  }
  return out;
}

/** An integer attribute of a node (default when absent). */
export function intAttribute(node: NodeProto, name: string, fallback: number): number {
  const a = (node.attribute ?? []).find((x) => x.name === name);
  return a?.i === undefined || a.i === null ? fallback : toNumber(a.i);
}

/** A float attribute of a node (default when absent). */
export function floatAttribute(node: NodeProto, name: string, fallback: number): number {
  const a = (node.attribute ?? []).find((x) => x.name === name);
  return a?.f === undefined || a.f === null ? fallback : a.f;
}

/**
 * The tensors a node reads: its inputs, and the outer-scope names its subgraphs read (an `If`
 * branch may read any tensor of the enclosing graph without naming it as an input).
 */
export function nodeReads(node: NodeProto): string[] {
  const reads = new Set((node.input ?? []).filter((i) => i !== ''));
  const outer = (g: GraphProto): Set<string> => {
    const defined = new Set<string>([...(g.input ?? []).map((i) => i.name ?? ''), ...(g.initializer ?? []).map((t) => t.name ?? '')]);
    const used = new Set<string>();
    for (const n of g.node ?? []) {
      for (const i of n.input ?? []) if (i !== '' && !defined.has(i)) used.add(i);
      for (const sub of subgraphs(n)) for (const i of outer(sub)) if (!defined.has(i)) used.add(i);
      for (const o of n.output ?? []) defined.add(o);
    }
    for (const o of g.output ?? []) if (o.name && !defined.has(o.name)) used.add(o.name);
    return used;
  };
  for (const g of subgraphs(node)) for (const name of outer(g)) reads.add(name);
  return [...reads];
}
