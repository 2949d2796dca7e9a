import { InvalidArgumentError, Matrix, Representation, ShapeMismatchError, UnsupportedModelError, checkLayerSymmetry, describe, defaultTolerance } from '@liesym/core';
import type { LayerSymmetryCheck } from '@liesym/core';
import { collectConstants, floatAttribute, intAttribute, readTensor, tensorDims, walkNodes, writeTensor } from './proto.js';
import type { ConstantRef, GraphProto, NodeProto } from './proto.js';

/** A weight layer found in an ONNX graph. */
export interface LinearLayer {
  /** Position among the weight layers, in graph order (subgraphs after their parent node). */
  index: number;
  /** Node name (or `opType#index` when unnamed) and op type. */
  name: string;
  opType: 'Gemm' | 'MatMul' | 'Conv';
  /** The node itself (onnx-proto NodeProto). */
  node: NodeProto;
  /** Where the node sits: the names of enclosing `If`/`Loop` nodes and subgraphs. */
  path: string[];
  /** The constant holding the weights, and where it was found. */
  weight: ConstantRef;
  /** The constant bias (Gemm C, the Add after a MatMul, Conv B), if any. */
  bias: ConstantRef | undefined;
  /**
   * The weights as the linear map W: dimOut×dimIn with y = W·x (Gemm: B or Bᵀ by transB,
   * times alpha; MatMul: the [in, out] weight transposed). For Conv: the Cout×Cin map of the
   * centre tap; `taps` holds all of them.
   */
  W: Matrix;
  /** Conv only: one Cout×(Cin/group) map per kernel position. */
  taps: Matrix[] | undefined;
  /** The bias as a vector of length dimOut. */
  b: Float64Array | undefined;
  /** Whether projectModel can rewrite this layer (Gemm/MatMul with constant float weights). */
  projectable: boolean;
}

function findBias(node: NodeProto, constants: Map<string, ConstantRef>, nodes: ReadonlyArray<{ node: NodeProto }>): ConstantRef | undefined {
  if (node.opType === 'Gemm' || node.opType === 'Conv') {
    const c = node.input?.[2];
    return c ? constants.get(c) : undefined;
  }
  const out = node.output?.[0];
  const add = nodes.find(({ node: n }) => n.opType === 'Add' && (n.input ?? []).includes(out ?? '\u0000'));
  if (!add) return undefined;
  const other = (add.node.input ?? []).find((i) => i !== out);
  return other ? constants.get(other) : undefined;
}

/**
 * Finds the weight layers of a graph, recursing into `If`/`Loop` subgraphs: Gemm and
 * MatMul nodes whose weight input is a constant (an initializer or a `Constant` node),
 * and Conv nodes with constant kernels.
 * @throws UnsupportedModelError for weight tensors liesym cannot read (external data, float16)
 */
export function findLinearLayers(graph: GraphProto): LinearLayer[] {
  const fn = 'findLinearLayers';
  const constants = collectConstants(graph);
  const nodes = walkNodes(graph);
  const layers: LinearLayer[] = [];
  for (const { node, path } of nodes) {
    const op = node.opType;
    if (op !== 'Gemm' && op !== 'MatMul' && op !== 'Conv') continue;
    const wName = node.input?.[1];
    const weight = wName ? constants.get(wName) : undefined;
    if (!weight) continue;
    const dims = tensorDims(weight.tensor);
    const data = readTensor(weight.tensor, fn);
    const bias = findBias(node, constants, nodes);
    const b = bias ? readTensor(bias.tensor, fn) : undefined;
    const index = layers.length;
    const name = node.name || `${op}#${index}`;
    const float = weight.tensor.dataType === 1 || weight.tensor.dataType === 11;
    if (op === 'Conv') {
      if (dims.length < 3) continue;
      const [co, ci] = [dims[0]!, dims[1]!];
      const k = dims.slice(2).reduce((a, c) => a * c, 1);
      const taps = Array.from({ length: k }, (_, t) => {
        const m = new Matrix(co, ci);
        for (let o = 0; o < co; o++) for (let i = 0; i < ci; i++) m.data[o * ci + i] = data[(o * ci + i) * k + t]!;
        return m;
      });
      layers.push({ index, name, opType: op, node, path, weight, bias, W: taps[Math.floor(k / 2)]!, taps, b, projectable: false });
      continue;
    }
    if (dims.length !== 2) continue;
    let W: Matrix;
    let projectable = float;
    if (op === 'Gemm') {
      if (intAttribute(node, 'transA', 0) !== 0) projectable = false;
      const B = new Matrix(dims[0]!, dims[1]!, data);
      W = (intAttribute(node, 'transB', 0) === 1 ? B : B.transpose()).scale(floatAttribute(node, 'alpha', 1));
      if (bias && floatAttribute(node, 'beta', 1) !== 1 && b) b.forEach((v, i) => (b[i] = v * floatAttribute(node, 'beta', 1)));
    } else {
      W = new Matrix(dims[0]!, dims[1]!, data).transpose();
    }
    if (b && b.length !== W.rows) projectable = false;
    layers.push({ index, name, opType: op, node, path, weight, bias, W, taps: undefined, b, projectable });
  }
  return layers;
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
      `${fn}: 'reps' must hold ${layers.length + 1} Representations (one per layer boundary of the ${layers.length} weight layers); received ${Array.isArray(reps) ? reps.length : describe(reps)}`,
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

/** Options of {@link analyzeLayers}. */
export interface AnalyzeLayersOptions {
  /**
   * One representation per layer boundary: reps[k] acts on the input of weight layer k and
   * reps[k + 1] on its output (for Conv layers: on the channels). Give the graph input's,
   * the hidden ones and the output's: layers.length + 1 entries.
   */
  reps: readonly Representation[];
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
}

/**
 * Layer-wise symmetry analysis of an ONNX graph: finds the weight layers (see
 * {@link findLinearLayers}) and checks each with core's `checkLayerSymmetry` — the
 * closed-form Lie derivative L_ξ W = W·dρ_in(ξ) − dρ_out(ξ)·W, the discrete residuals and
 * the bias (continuous then discrete generators), relative to ‖W‖, with verdicts — for
 * user-given boundary representations. Elementwise activations are equivariant for
 * permutation-like representations, so a network whose layers all hold is equivariant.
 *
 * @throws ShapeMismatchError when reps do not fit the layers; InvalidArgumentError for a wrong
 *   rep count; InvalidRepresentationError for reps of different groups
 * @example
 * const model = await loadModel('mlp.onnx');
 * analyzeLayers(model.proto.graph!, { reps: [V(S(3)), directSum(V(S(3)), V(S(3))), Scalar] });
 */
export function analyzeLayers(graph: GraphProto, options: AnalyzeLayersOptions): LayerReport[] {
  const fn = 'analyzeLayers';
  const layers = findLinearLayers(graph);
  const reps = layerReps(layers, options?.reps, fn);
  if (layers.length === 0) throw new UnsupportedModelError(`${fn}: the graph has no Gemm, MatMul or Conv node with constant weights`);
  return layers.map((layer, k) => {
    const [repIn, repOut] = reps[k]!;
    const W = layer.W;
    const dtype = layer.weight.tensor.dataType === 11 ? 'float64' : 'float32';
    const tolerance = options.tolerance ?? defaultTolerance('check', { derivative: 'exact', dtype });
    const check = checkLayerSymmetry(layer.taps ?? W, { repIn, repOut, tolerance, ...(layer.b ? { bias: layer.b } : {}) });
    return { index: k, name: layer.name, opType: layer.opType, shape: [W.rows, W.cols], ...check };
  });
}
