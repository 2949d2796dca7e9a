import { InvalidArgumentError, Matrix, Representation, ShapeMismatchError, UnknownNameError, UnsupportedModelError, checkLayerSymmetry, describe, defaultTolerance } from '@liesym/core';
import type { LayerSymmetryCheck } from '@liesym/core';
import { collectConstants, floatAttribute, intAttribute, walkNodes, writeTensor } from './proto.js';
import type { ConstantRef, GraphProto, NodeProto } from './proto.js';
import { isWeightOp, readNode } from './readWeights.js';
import type { WeightOpType } from './readWeights.js';

/** A weight layer found in an ONNX graph. */
export interface LinearLayer {
  /** Position among the weight layers, in graph order (subgraphs after their parent node). */
  index: number;
  /**
   * Node name (or `opType#index` when unnamed) and op type. An LSTM gives two layers per
   * direction d: `name.W[d]` (the input map) and `name.R[d]` (the recurrent map).
   */
  name: string;
  opType: WeightOpType;
  /** The node itself (onnx-proto NodeProto). */
  node: NodeProto;
  /** Where the node sits: the names of enclosing `If`/`Loop` nodes and subgraphs. */
  path: string[];
  /** The constant holding the weights (BatchNormalization/LayerNormalization: the scale; LSTM: W or R), and where it was found. */
  weight: ConstantRef;
  /** The constant bias (Gemm C, the Add after a MatMul, Conv/ConvTranspose B, the normalizations' B, the LSTM's B), if any. */
  bias: ConstantRef | undefined;
  /**
   * The weights as the linear map W: dimOut×dimIn with y = W·x, on the last axis (channels for
   * convolutions and BatchNormalization):
   * - Gemm: B or Bᵀ by transB, times alpha; MatMul: the [in, out] weight transposed.
   * - Conv (weight [Cout, Cin/g, k…]) and ConvTranspose (weight [Cin, Cout/g, k…]): the
   *   Cout×Cin map of the centre tap, block-diagonal for `group` g > 1 (depthwise: diagonal);
   *   `taps` holds all of them.
   * - BatchNormalization (inference form): diag(scale/√(var + ε)).
   * - LayerNormalization over the last axis: diag(Scale), the map applied after the
   *   normalization (x − mean)/√(var + ε), which itself is not a linear map.
   * - LSTM: W[d] (4H×I) or R[d] (4H×H), rows in ONNX gate order i, o, f, c (H rows each).
   */
  W: Matrix;
  /** Conv/ConvTranspose only: one Cout×Cin map per kernel position (row-major over the kernel dims). */
  taps: Matrix[] | undefined;
  /**
   * The bias as a vector of length dimOut (times beta for Gemm; BatchNormalization:
   * B − mean·scale/√(var + ε); LSTM input map: Wb[d] + Rb[d], none on the recurrent map).
   */
  b: Float64Array | undefined;
  /** Whether projectModel can rewrite this layer (Gemm/MatMul with constant float weights). */
  projectable: boolean;
}

/** A weight node that liesym found but could not read: what it is, where, and why. */
export interface UnreadLayer {
  /** Node name (or `opType → first output` when unnamed); an LSTM's unread peepholes are `name.P`. */
  name: string;
  opType: string;
  /** As {@link LinearLayer.path}. */
  path: string[];
  /**
   * Why, e.g. "its weight 'W' is computed in the graph by Transpose node 't'", "both operands are
   * computed in the graph (…)" (a MatMul of two graph values), "… is float16, which liesym does
   * not read", external data, a rank it does not handle, "GRU weights are not read yet".
   */
  reason: string;
}

/** {@link findLayers}' result. */
export interface LayerScan {
  layers: LinearLayer[];
  unread: UnreadLayer[];
}

/** Ranks of the graph values whose shapes the graph declares (inputs, outputs, value_info), subgraphs included. */
function valueRanks(graph: GraphProto, into = new Map<string, number>()): Map<string, number> {
  for (const v of [...(graph.input ?? []), ...(graph.output ?? []), ...(graph.valueInfo ?? [])]) {
    const dims = v.type?.tensorType?.shape?.dim;
    if (v.name && dims) into.set(v.name, dims.length);
  }
  for (const node of graph.node ?? []) {
    for (const a of node.attribute ?? []) for (const g of [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]) valueRanks(g, into);
  }
  return into;
}

/**
 * Finds the weight layers of a graph (any DAG), recursing into `If`/`Loop` subgraphs, and names
 * every weight node it could not read. Read: Gemm and MatMul with a constant weight (an
 * initializer or a `Constant` node), Conv and ConvTranspose (grouped and depthwise too) with
 * constant kernels, BatchNormalization with constant scale/B/mean/var, LayerNormalization over
 * the last axis with constant Scale (and B), LSTM with constant W and R (and B). Each as
 * y = W·x + b, see {@link LinearLayer}. Named in `unread` with the reason: any of these whose
 * weights are computed in the graph (with the node that computes them) or are float16,
 * bfloat16 or external data, ranks it does not handle, a MatMul of two graph values
 * (attention), and GRU, RNN, Einsum, quantized and fused ops it does not read yet.
 * Unreadable weights are listed, never thrown.
 * @example
 * const { layers, unread } = findLayers(model.proto.graph!);
 * layers.map((l) => `${l.name} ${l.opType} ${l.W.rows}×${l.W.cols}`); // [ 'conv1 Conv 8×3', 'bn1 BatchNormalization 8×8', … ]
 * unread.map((u) => `${u.name}: ${u.reason}`);                        // [ "scores: both operands are computed in the graph (…)" ]
 */
export function findLayers(graph: GraphProto): LayerScan {
  const constants = collectConstants(graph);
  const nodes = walkNodes(graph);
  const producers = new Map<string, NodeProto>();
  for (const { node } of nodes) for (const out of node.output ?? []) if (out) producers.set(out, node);
  const ranks = valueRanks(graph);
  const layers: LinearLayer[] = [];
  const unread: UnreadLayer[] = [];
  for (const { node, path } of nodes) {
    const op = node.opType ?? '';
    if (!isWeightOp(op)) continue;
    const read = readNode({ node, constants, producers, nodes, ranks });
    if ('reason' in read) {
      unread.push({ name: node.name || `${op} → ${node.output?.[0] ?? ''}`, opType: op, path, reason: read.reason });
      continue;
    }
    const base = node.name || `${op}#${layers.length}`;
    for (const { suffix, ...map } of read.maps) layers.push({ index: layers.length, name: `${base}${suffix}`, opType: op as WeightOpType, node, path, ...map });
    for (const p of read.partial) unread.push({ name: `${base}${p.suffix}`, opType: op, path, reason: p.reason });
  }
  return { layers, unread };
}

/**
 * The weight layers of a graph: `findLayers(graph).layers` (see {@link findLayers}, which also
 * names the weight nodes that could not be read).
 * @example
 * findLinearLayers(model.proto.graph!).map((l) => [l.name, l.W.rows, l.W.cols]); // [ [ 'fc1', 6, 3 ], [ 'fc2', 1, 6 ] ]
 */
export function findLinearLayers(graph: GraphProto): LinearLayer[] {
  return findLayers(graph).layers;
}

/**
 * Writes a layer back into its tensors: W (dimOut×dimIn, y = W·x) into the Gemm/MatMul
 * weight (transposed and divided by alpha as the node needs) and, when given, b into the
 * bias (divided by Gemm's beta). Values are rounded to the tensors' dtype.
 */
export function storeLayer(layer: LinearLayer, values: { W: Matrix; b?: ArrayLike<number> }, fn: string): void {
  const { node, opType } = layer;
  const stored = opType === 'Gemm' && intAttribute(node, 'transB', 0) === 1 ? values.W : values.W.transpose();
  writeTensor(layer.weight.tensor, opType === 'Gemm' ? stored.scale(1 / floatAttribute(node, 'alpha', 1)).data : stored.data, fn);
  if (values.b && layer.bias) {
    const beta = opType === 'Gemm' ? floatAttribute(node, 'beta', 1) : 1;
    writeTensor(layer.bias.tensor, Array.from(values.b, (v) => v / beta), fn);
  }
}

/**
 * The (input, output) representations of every layer from the boundary representations
 * reps[0..layers.length].
 * @throws InvalidArgumentError for a wrong count; ShapeMismatchError when a layer does not fit
 */
export function layerReps(layers: readonly LinearLayer[], reps: unknown, fn: string): Array<[Representation, Representation]> {
  if (!Array.isArray(reps) || reps.length !== layers.length + 1 || !reps.every((r) => r instanceof Representation)) {
    throw new InvalidArgumentError(
      `${fn}: 'reps' must hold ${layers.length + 1} Representations (one per layer boundary of the ${layers.length} weight layers${layers.length > 0 ? `: ${layers.map((l) => l.name).join(', ')}` : ''}); received ${Array.isArray(reps) ? reps.length : describe(reps)}`,
    );
  }
  return layers.map((layer, k) => {
    const [repIn, repOut] = [reps[k] as Representation, reps[k + 1] as Representation];
    if (repIn.dim !== layer.W.cols || repOut.dim !== layer.W.rows) {
      throw new ShapeMismatchError(`${fn}: layer ${k} ('${layer.name}') maps ${layer.W.cols} → ${layer.W.rows}; received reps[${k}].dim = ${repIn.dim} and reps[${k + 1}].dim = ${repOut.dim}`);
    }
    return [repIn, repOut];
  });
}

/** The representations on one layer's input and output, for {@link analyzeGraphLayers} by name. */
export interface LayerBoundaryReps {
  /** On the layer's input (dim = W's columns; channels for convolutions). */
  in: Representation;
  /** On the layer's output (dim = W's rows). */
  out: Representation;
}

/** Options of {@link analyzeLayers} and {@link analyzeGraphLayers}. */
export interface AnalyzeLayersOptions {
  /**
   * Either a chain: one representation per layer boundary, reps[k] on the input of weight layer
   * k and reps[k + 1] on its output (for Conv layers: on the channels), layers.length + 1
   * entries in graph order. Or, for any DAG, by layer name (see {@link findLayers}):
   * `{ [layerName]: { in, out } }`; layers without an entry are not checked (listed in
   * `skipped` by {@link analyzeGraphLayers}).
   */
  reps: readonly Representation[] | Readonly<Record<string, LayerBoundaryReps>>;
  /**
   * A relative violation ≤ tolerance holds. Default: core's `TOLERANCES.check.exact` for the
   * weights' dtype (1e-4 for float32 tensors, 1e-8 for float64).
   */
  tolerance?: number;
}

/** Per-layer symmetry violation: core's {@link LayerSymmetryCheck} and where the layer is. */
export interface LayerReport extends LayerSymmetryCheck {
  index: number;
  name: string;
  opType: string;
  shape: [number, number];
  /** As {@link LinearLayer.path}: the enclosing `If`/`Loop` nodes and subgraphs. */
  path: string[];
}

/** A layer that was read but not checked (no entry in `reps` by name). */
export interface SkippedLayer {
  index: number;
  name: string;
  opType: string;
  path: string[];
}

/** {@link analyzeGraphLayers}' result. */
export interface GraphLayersReport {
  /** The checked layers, in graph order. */
  layers: LayerReport[];
  /** Layers read but without representations (by-name form only; empty for a chain). */
  skipped: SkippedLayer[];
  /** Weight nodes that could not be read, with the reason (see {@link findLayers}). */
  unread: UnreadLayer[];
}

/** The (layer, repIn, repOut) triples to check, and the layers skipped. */
function pairs(scan: LayerScan, reps: unknown, fn: string): { checks: Array<[LinearLayer, Representation, Representation]>; skipped: LinearLayer[] } {
  const { layers } = scan;
  if (Array.isArray(reps)) {
    const r = layerReps(layers, reps, fn);
    return { checks: layers.map((l, k) => [l, ...r[k]!]), skipped: [] };
  }
  if (reps === null || typeof reps !== 'object' || Object.keys(reps).length === 0) {
    throw new InvalidArgumentError(`${fn}: 'reps' must be an array of Representations (one per layer boundary) or a non-empty object { [layerName]: { in, out } }; received ${describe(reps)}`);
  }
  const byName = reps as Record<string, unknown>;
  for (const name of Object.keys(byName)) {
    if (!layers.some((l) => l.name === name)) {
      const why = scan.unread.find((u) => u.name === name);
      throw new UnknownNameError(
        `${fn}: 'reps' names layer '${name}'${why ? `, which could not be read (${why.reason})` : ''}; expected one of the weight layers: ${layers.map((l) => `'${l.name}'`).join(', ') || 'none'}`,
      );
    }
  }
  const checks: Array<[LinearLayer, Representation, Representation]> = [];
  const skipped: LinearLayer[] = [];
  for (const layer of layers) {
    if (!Object.hasOwn(byName, layer.name)) {
      skipped.push(layer);
      continue;
    }
    const entry = byName[layer.name] as Partial<LayerBoundaryReps> | null;
    const [repIn, repOut] = [entry?.in, entry?.out];
    if (!(repIn instanceof Representation) || !(repOut instanceof Representation)) {
      throw new InvalidArgumentError(`${fn}: 'reps'['${layer.name}'] must be { in: Representation, out: Representation }; received ${describe(entry)}`);
    }
    if (repIn.dim !== layer.W.cols || repOut.dim !== layer.W.rows) {
      throw new ShapeMismatchError(`${fn}: layer '${layer.name}' maps ${layer.W.cols} → ${layer.W.rows}; received 'reps'['${layer.name}'].in.dim = ${repIn.dim} and .out.dim = ${repOut.dim}`);
    }
    checks.push([layer, repIn, repOut]);
  }
  return { checks, skipped };
}

function analyze(graph: GraphProto, options: AnalyzeLayersOptions, fn: string): GraphLayersReport {
  const scan = findLayers(graph);
  const { checks, skipped } = pairs(scan, options?.reps, fn);
  if (scan.layers.length === 0) {
    throw new UnsupportedModelError(`${fn}: the graph has no weight layer liesym reads${scan.unread.length > 0 ? `; not read: ${scan.unread.map((u) => `'${u.name}' (${u.reason})`).join('; ')}` : ' (Gemm, MatMul, Conv, ConvTranspose, BatchNormalization, LayerNormalization, LSTM with constant weights)'}`);
  }
  const layers = checks.map(([layer, repIn, repOut]) => {
    const W = layer.W;
    const dtype = layer.weight.tensor.dataType === 11 ? 'float64' : 'float32';
    const tolerance = options.tolerance ?? defaultTolerance('check', { derivative: 'exact', dtype });
    const check = checkLayerSymmetry(layer.taps ?? W, { repIn, repOut, tolerance, ...(layer.b ? { bias: layer.b } : {}) });
    return { index: layer.index, name: layer.name, opType: layer.opType, shape: [W.rows, W.cols] as [number, number], path: layer.path, ...check };
  });
  const where = ({ index, name, opType, path }: LinearLayer): SkippedLayer => ({ index, name, opType, path });
  return { layers, skipped: skipped.map(where), unread: scan.unread };
}

/**
 * Layer-wise symmetry analysis of an ONNX graph: finds the weight layers (see
 * {@link findLayers}) and checks each with core's `checkLayerSymmetry` — the
 * closed-form Lie derivative L_ξ W = W·dρ_in(ξ) − dρ_out(ξ)·W, the discrete residuals and
 * the bias (continuous then discrete generators), relative to ‖W‖, with verdicts — for
 * user-given representations: a chain of boundary representations, or per layer by name
 * (any DAG; {@link analyzeGraphLayers} also returns the skipped and unread layers).
 * Elementwise activations are equivariant for permutation-like representations, so a chain
 * whose layers all hold is equivariant.
 *
 * @throws ShapeMismatchError when reps do not fit the layers; InvalidArgumentError for a wrong
 *   rep count or malformed reps; UnknownNameError for a name that is no layer;
 *   InvalidRepresentationError for reps of different groups; UnsupportedModelError when no layer is read
 * @example
 * const model = await loadModel('mlp.onnx');
 * analyzeLayers(model.proto.graph!, { reps: [V(S(3)), directSum(V(S(3)), V(S(3))), Scalar] });
 * analyzeLayers(model.proto.graph!, { reps: { fc1: { in: V(S(3)), out: directSum(V(S(3)), V(S(3))) } } }); // fc1 only
 */
export function analyzeLayers(graph: GraphProto, options: AnalyzeLayersOptions): LayerReport[] {
  return analyze(graph, options, 'analyzeLayers').layers;
}

/**
 * {@link analyzeLayers} with everything a DAG analysis needs to be honest: the checked
 * `layers`, the `skipped` ones (read, but no representations given by name) and the
 * `unread` weight nodes with the reason (see {@link findLayers}).
 *
 * @throws as {@link analyzeLayers}
 * @example
 * const r = analyzeGraphLayers(model.proto.graph!, { reps: { proj: { in: V(S(4)), out: V(S(4)) } } });
 * r.layers.map((l) => [l.name, l.verdict]); // [ [ 'proj', 'holds' ] ]
 * r.skipped.map((l) => l.name);             // [ 'head' ]
 * r.unread.map((u) => u.reason);            // [ "both operands are computed in the graph (…)" ]
 */
export function analyzeGraphLayers(graph: GraphProto, options: AnalyzeLayersOptions): GraphLayersReport {
  return analyze(graph, options, 'analyzeGraphLayers');
}
