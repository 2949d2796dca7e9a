import { InvalidArgumentError, Matrix, Representation, ShapeMismatchError, UnsupportedModelError } from '@liesym/core';
import {
  collectConstants,
  floatAttribute,
  intAttribute,
  readTensor,
  tensorDims,
  walkNodes,
  type ConstantRef,
  type GraphProto,
  type NodeProto,
} from './proto.js';

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

/** Options of {@link analyzeLayers}. */
export interface AnalyzeLayersOptions {
  /**
   * One representation per layer boundary: reps[k] acts on the input of weight layer k and
   * reps[k + 1] on its output (for Conv layers: on the channels). Give the graph input's,
   * the hidden ones and the output's: layers.length + 1 entries.
   */
  reps: readonly Representation[];
}

/** Per-layer symmetry violation. */
export interface LayerReport {
  index: number;
  name: string;
  opType: string;
  shape: [number, number];
  /** ‖L_ξᵢ W‖ / ‖W‖ per generator, L_ξ W = W·dρ_in(ξ) − dρ_out(ξ)·W (summed over taps for Conv). */
  lieDerivatives: number[];
  /**
   * ‖ρ_out(h)·W − W·ρ_in(h)‖ / ‖W‖ per discrete generator: zero exactly when
   * ρ_out(h)⁻¹·W·ρ_in(h) = W, and equal to its norm for orthogonal ρ_out (permutations, signs).
   */
  discrete: number[];
  /** ‖dρ_out(ξᵢ)·b‖ / ‖b‖ per generator (bias invariance), when there is a bias. */
  bias: number[] | undefined;
  /** The largest of all the above. */
  max: number;
}

/**
 * Layer-wise symmetry analysis of an ONNX graph: finds the weight layers (see
 * {@link findLinearLayers}) and reports for each the Lie derivative
 * L_ξ W = W·dρ_in(ξ) − dρ_out(ξ)·W and the discrete residuals for user-given boundary
 * representations, relative to ‖W‖. Elementwise activations are equivariant for
 * permutation-like representations, so a network whose layers all pass is equivariant.
 *
 * @throws ShapeMismatchError when reps do not fit the layers; InvalidArgumentError for a wrong rep count
 * @example
 * const model = await loadModel('mlp.onnx');
 * analyzeLayers(model.proto.graph!, { reps: [V(S(3)), directSum(V(S(3)), V(S(3))), Scalar] });
 */
export function analyzeLayers(graph: GraphProto, options: AnalyzeLayersOptions): LayerReport[] {
  const fn = 'analyzeLayers';
  const layers = findLinearLayers(graph);
  const reps = options?.reps;
  if (!Array.isArray(reps) || reps.length !== layers.length + 1 || !reps.every((r) => r instanceof Representation)) {
    throw new InvalidArgumentError(`${fn}: 'reps' must hold ${layers.length + 1} Representations (one per layer boundary of the ${layers.length} weight layers); received ${Array.isArray(reps) ? reps.length : typeof reps}`);
  }
  if (layers.length === 0) throw new UnsupportedModelError(`${fn}: the graph has no Gemm, MatMul or Conv node with constant weights`);
  return layers.map((layer, k) => {
    const rin = reps[k]!;
    const rout = reps[k + 1]!;
    const W = layer.W;
    if (rin.dim !== W.cols || rout.dim !== W.rows) {
      throw new ShapeMismatchError(`${fn}: layer ${k} ('${layer.name}') maps ${W.cols} → ${W.rows}; received reps[${k}].dim = ${rin.dim} and reps[${k + 1}].dim = ${rout.dim}`);
    }
    const group = rin.group ?? rout.group;
    const q = group?.lieAlgebra.length ?? 0;
    const p = group?.discreteGenerators.length ?? 0;
    const taps = layer.taps ?? [W];
    const wNorm = Math.hypot(...taps.map((t) => t.norm())) || 1;
    const din = (i: number): Matrix => (rin.group ? rin.drho(i).toDense() : new Matrix(rin.dim, rin.dim));
    const dout = (i: number): Matrix => (rout.group ? rout.drho(i).toDense() : new Matrix(rout.dim, rout.dim));
    const lieDerivatives = Array.from({ length: q }, (_, i) => {
      const a = din(i);
      const c = dout(i);
      return Math.hypot(...taps.map((t) => t.mul(a).sub(c.mul(t)).norm())) / wNorm;
    });
    const discrete = Array.from({ length: p }, (_, j) => {
      const hin = rin.group ? rin.rho(j).toDense() : Matrix.identity(rin.dim);
      const hout = rout.group ? rout.rho(j).toDense() : Matrix.identity(rout.dim);
      // ρ_out(h)⁻¹·W·ρ_in(h) − W, compared as ρ_out(h)·W − W·ρ_in(h) scaled back: same zero set,
      // and equal in norm for orthogonal ρ_out (permutations, reflections).
      return Math.hypot(...taps.map((t) => hout.mul(t).sub(t.mul(hin)).norm())) / wNorm;
    });
    const b = layer.b;
    const bNorm = b ? Math.hypot(...b) : 0;
    const bias = b && bNorm > 0 ? Array.from({ length: q }, (_, i) => Math.hypot(...dout(i).mulVec(b)) / bNorm) : undefined;
    const max = Math.max(0, ...lieDerivatives, ...discrete, ...(bias ?? []));
    return { index: k, name: layer.name, opType: layer.opType, shape: [W.rows, W.cols], lieDerivatives, discrete, bias, max };
  });
}
