/**
 * Reading the weights of one ONNX node as linear maps y = W·x + b (per kernel tap for
 * convolutions), or the reason they cannot be read. Only reading: every Lie derivative and
 * check is core's.
 */
import { Matrix, UnsupportedModelError } from '@liesym/core';
import { floatAttribute, intAttribute, readTensor, tensorDims } from './proto.js';
import type { ConstantRef, NodeProto } from './proto.js';
import type { LinearLayer } from './layers.js';

/** The op types whose weights are read into layers. */
export type WeightOpType = 'Gemm' | 'MatMul' | 'Conv' | 'ConvTranspose' | 'BatchNormalization' | 'LayerNormalization' | 'LSTM';

/** What reading one node needs: its constants, who computes each graph value, every node (for a MatMul's Add). */
export interface ReadContext {
  node: NodeProto;
  constants: Map<string, ConstantRef>;
  producers: Map<string, NodeProto>;
  nodes: ReadonlyArray<{ node: NodeProto }>;
  /** Ranks of graph values whose shape the graph declares (inputs, outputs, value_info). */
  ranks: Map<string, number>;
}

/** One map read from a node; an LSTM gives several, named by `suffix`. */
type ReadMap = Pick<LinearLayer, 'weight' | 'bias' | 'W' | 'taps' | 'b' | 'projectable'> & { suffix: string };

/** Parts of a node that were not read, while the rest was (suffix of the name, reason). */
type Notes = Array<{ suffix: string; reason: string }>;

/** A node's maps, and the parts of it that were not read (suffix, reason). */
interface ReadResult {
  maps: ReadMap[];
  partial: Notes;
}

/** Weight-carrying ops liesym names but does not read yet. */
const NOT_READ: Readonly<Record<string, string>> = {
  GRU: 'GRU weights are not read yet (liesym reads LSTM)',
  RNN: 'RNN weights are not read yet (liesym reads LSTM)',
  Einsum: 'Einsum is not read (its equation is not parsed into a linear map)',
  QLinearConv: 'quantized weights (QLinearConv) are not read',
  QLinearMatMul: 'quantized weights (QLinearMatMul) are not read',
  MatMulInteger: 'integer weights (MatMulInteger) are not read',
  ConvInteger: 'integer weights (ConvInteger) are not read',
  MatMulNBits: 'n-bit quantized weights (MatMulNBits) are not read',
  QGemm: 'quantized weights (QGemm) are not read',
  DeformConv: 'DeformConv is not read (its sampling offsets are inputs)',
  InstanceNormalization: 'InstanceNormalization scale/B are not read yet',
  GroupNormalization: 'GroupNormalization scale/bias are not read yet',
  RMSNormalization: 'RMSNormalization scale is not read yet',
  SimplifiedLayerNormalization: 'SimplifiedLayerNormalization scale is not read yet',
  SkipLayerNormalization: 'SkipLayerNormalization (a fused residual + LayerNorm) is not read yet',
  EmbedLayerNormalization: 'EmbedLayerNormalization is not read',
  Attention: 'Attention (a fused attention block) is not read',
  MultiHeadAttention: 'MultiHeadAttention (a fused attention block) is not read',
  FusedConv: 'FusedConv is not read yet',
  FusedGemm: 'FusedGemm is not read yet',
  FusedMatMul: 'FusedMatMul is not read yet',
};

/** Every op type {@link readNode} reads or names. */
export function isWeightOp(op: string): boolean {
  return ['Gemm', 'MatMul', 'Conv', 'ConvTranspose', 'BatchNormalization', 'LayerNormalization', 'LSTM'].includes(op) || NOT_READ[op] !== undefined;
}

/** Thrown inside a reader: the node is listed as unread with this reason. */
class Unread extends Error {}

/** Where a non-constant value comes from, in words. */
function origin(ctx: ReadContext, value: string): string {
  const p = ctx.producers.get(value);
  return p ? `computed in the graph by ${p.opType} node '${p.name || p.output?.[0] || ''}'` : 'a graph input, not a constant';
}

function constant(ctx: ReadContext, index: number, role: string): ConstantRef {
  const value = ctx.node.input?.[index];
  if (!value) throw new Unread(`it has no ${role} input`);
  const ref = ctx.constants.get(value);
  if (!ref) throw new Unread(`its ${role} '${value}' is ${origin(ctx, value)}`);
  return ref;
}

/**
 * An optional bias input: its constant, or undefined when absent; a bias computed in the graph
 * leaves the weights readable and is noted (the bias is then not checked).
 */
function optionalBias(ctx: ReadContext, at: { index: number; role: string }, notes: Notes): ConstantRef | undefined {
  const value = ctx.node.input?.[at.index];
  if (!value) return undefined;
  const ref = ctx.constants.get(value);
  if (!ref) notes.push({ suffix: `.${at.role}`, reason: `its bias ${at.role} '${value}' is ${origin(ctx, value)}; the weights are read, the bias is not checked` });
  return ref;
}

/** The tensor's values; float16, external data, strings become the reason. */
function values(ref: ConstantRef, role: string): Float64Array {
  const dtype = ref.tensor.dataType ?? 0;
  if (dtype === 10 || dtype === 16) throw new Unread(`its ${role} '${ref.name}' is ${dtype === 10 ? 'float16' : 'bfloat16'}, which liesym does not read`);
  try {
    return readTensor(ref.tensor, 'findLayers');
  } catch (e) {
    if (e instanceof UnsupportedModelError) throw new Unread(`its ${role}: ${e.message.replace(/^findLayers: /, '')}`);
    throw e;
  }
}

function isFloat(ref: ConstantRef): boolean {
  return ref.tensor.dataType === 1 || ref.tensor.dataType === 11;
}

function vector(ref: ConstantRef, role: string, length: number): Float64Array {
  const v = values(ref, role);
  if (v.length !== length) throw new Unread(`its ${role} '${ref.name}' has ${v.length} entries; expected ${length}`);
  return v;
}

/** A MatMul's bias: the constant operand of the Add that consumes its output. */
function addBias(ctx: ReadContext): ConstantRef | undefined {
  const out = ctx.node.output?.[0];
  const add = ctx.nodes.find(({ node: n }) => n.opType === 'Add' && (n.input ?? []).includes(out ?? '\u0000'));
  if (!add) return undefined;
  const other = (add.node.input ?? []).find((i) => i !== out);
  return other ? ctx.constants.get(other) : undefined;
}

function readDense(ctx: ReadContext, notes: Notes): ReadMap {
  const { node } = ctx;
  const gemm = node.opType === 'Gemm';
  if (!gemm && !ctx.constants.has(node.input?.[1] ?? '') && ctx.constants.has(node.input?.[0] ?? '')) {
    throw new Unread(`its constant is the first operand (A·X acts on the rows of '${node.input?.[1] ?? ''}', which is ${origin(ctx, node.input?.[1] ?? '')}); liesym reads X·W`);
  }
  if (!gemm && !ctx.constants.has(node.input?.[1] ?? '')) {
    const [a, b] = [node.input?.[0] ?? '', node.input?.[1] ?? ''];
    throw new Unread(`both operands are computed in the graph ('${a}' is ${origin(ctx, a)}, '${b}' is ${origin(ctx, b)}): a product of two graph values (e.g. attention scores) has no constant weight`);
  }
  const weight = constant(ctx, 1, gemm ? 'weight B' : 'weight');
  const dims = tensorDims(weight.tensor);
  if (dims.length !== 2) throw new Unread(`its weight '${weight.name}' has rank ${dims.length} (dims [${dims.join(', ')}]); liesym reads rank-2 ${node.opType} weights`);
  const data = values(weight, 'weight');
  const bias = gemm ? optionalBias(ctx, { index: 2, role: 'C' }, notes) : addBias(ctx);
  const b = bias ? values(bias, 'bias') : undefined;
  let projectable = isFloat(weight);
  let W: Matrix;
  if (gemm) {
    if (intAttribute(node, 'transA', 0) !== 0) projectable = false;
    const B = new Matrix(dims[0]!, dims[1]!, data);
    W = (intAttribute(node, 'transB', 0) === 1 ? B : B.transpose()).scale(floatAttribute(node, 'alpha', 1));
    const beta = floatAttribute(node, 'beta', 1);
    if (b && beta !== 1) b.forEach((v, i) => (b[i] = v * beta));
  } else {
    W = new Matrix(dims[0]!, dims[1]!, data).transpose();
  }
  if (b && b.length !== W.rows) projectable = false;
  return { suffix: '', weight, bias, W, taps: undefined, b, projectable };
}

/**
 * Conv (weight [Cout, Cin/g, k…]) and ConvTranspose (weight [Cin, Cout/g, k…]) as one Cout×Cin
 * channel map per kernel tap; with `group` g > 1 each tap is block-diagonal (group j maps its
 * Cin/g inputs to its Cout/g outputs). `W` is the centre tap.
 */
function readConv(ctx: ReadContext, notes: Notes): ReadMap {
  const { node } = ctx;
  const transpose = node.opType === 'ConvTranspose';
  const weight = constant(ctx, 1, 'weight');
  const dims = tensorDims(weight.tensor);
  if (dims.length < 3) throw new Unread(`its weight '${weight.name}' has rank ${dims.length} (dims [${dims.join(', ')}]); liesym reads ${node.opType} weights of rank ≥ 3`);
  const g = intAttribute(node, 'group', 1);
  const [d0, d1] = [dims[0]!, dims[1]!];
  if (!(g >= 1) || d0 % g !== 0) throw new Unread(`its group ${g} does not divide the weight's first dim ${d0}`);
  // Conv: d0 = Cout, d1 = Cin/g. ConvTranspose: d0 = Cin, d1 = Cout/g.
  const [co, ci] = transpose ? [d1 * g, d0] : [d0, d1 * g];
  const [coG, ciG] = [co / g, ci / g];
  const k = dims.slice(2).reduce((a, c) => a * c, 1);
  const data = values(weight, 'weight');
  const taps = Array.from({ length: k }, (_, t) => {
    const m = new Matrix(co, ci);
    for (let o = 0; o < co; o++) {
      const grp = Math.floor(o / coG);
      for (let j = 0; j < ciG; j++) {
        const i = grp * ciG + j;
        // Conv: weight[o, j, t]; ConvTranspose: weight[i, o mod Cout/g, t].
        m.data[o * ci + i] = transpose ? data[(i * coG + (o % coG)) * k + t]! : data[(o * ciG + j) * k + t]!;
      }
    }
    return m;
  });
  const bias = optionalBias(ctx, { index: 2, role: 'B' }, notes);
  const b = bias ? vector(bias, 'bias B', co) : undefined;
  return { suffix: '', weight, bias, W: taps[Math.floor(k / 2)]!, taps, b, projectable: false };
}

/** BatchNormalization in inference form: W = diag(scale/√(var+ε)), b = B − mean·scale/√(var+ε). */
function readBatchNorm(ctx: ReadContext): ReadMap {
  const { node } = ctx;
  if (intAttribute(node, 'training_mode', 0) !== 0) throw new Unread('it is in training mode (batch statistics), not a fixed map');
  const weight = constant(ctx, 1, 'scale');
  const s = values(weight, 'scale');
  const bias = constant(ctx, 2, 'B');
  const B = vector(bias, 'B', s.length);
  const mean = vector(constant(ctx, 3, 'mean'), 'mean', s.length);
  const variance = vector(constant(ctx, 4, 'var'), 'var', s.length);
  const eps = floatAttribute(node, 'epsilon', 1e-5);
  const gain = s.map((v, c) => v / Math.sqrt(variance[c]! + eps));
  return { suffix: '', weight, bias, W: Matrix.diag(gain), taps: undefined, b: B.map((v, c) => v - mean[c]! * gain[c]!), projectable: false };
}

/** LayerNormalization over the last axis: the map after normalization, W = diag(Scale), b = B. */
function readLayerNorm(ctx: ReadContext, notes: Notes): ReadMap {
  const { node } = ctx;
  const weight = constant(ctx, 1, 'Scale');
  const dims = tensorDims(weight.tensor);
  const axis = intAttribute(node, 'axis', -1);
  const rank = ctx.ranks.get(node.input?.[0] ?? '');
  const lastAxis = axis === -1 || (rank !== undefined && axis === rank - 1);
  if (dims.filter((d) => d !== 1).length > 1 || !lastAxis) {
    throw new Unread(`it normalizes over axis ${axis} with Scale dims [${dims.join(', ')}]; liesym reads LayerNormalization over the last axis only`);
  }
  const s = values(weight, 'Scale');
  const bias = optionalBias(ctx, { index: 2, role: 'B' }, notes);
  const b = bias ? vector(bias, 'B', s.length) : undefined;
  return { suffix: '', weight, bias, W: Matrix.diag(s), taps: undefined, b, projectable: false };
}

/**
 * LSTM (W [dirs, 4H, I], R [dirs, 4H, H], B [dirs, 8H]): per direction d the input map
 * `.W[d]` (4H×I, b = Wb + Rb) and the recurrent map `.R[d]` (4H×H); rows in ONNX gate order
 * i, o, f, c.
 */
function readLstm(ctx: ReadContext, notes: Notes): ReadMap[] {
  const { node } = ctx;
  const wRef = constant(ctx, 1, 'W');
  const rRef = constant(ctx, 2, 'R');
  const bRef = optionalBias(ctx, { index: 3, role: 'B' }, notes);
  const [wd, rd] = [tensorDims(wRef.tensor), tensorDims(rRef.tensor)];
  if (wd.length !== 3 || rd.length !== 3 || wd[1]! % 4 !== 0 || rd[0] !== wd[0] || rd[1] !== wd[1] || rd[2]! * 4 !== wd[1]) {
    throw new Unread(`its W dims [${wd.join(', ')}] and R dims [${rd.join(', ')}] are not [dirs, 4H, I] and [dirs, 4H, H]`);
  }
  if (intAttribute(node, 'layout', 0) !== 0 && intAttribute(node, 'layout', 0) !== 1) throw new Unread('its layout attribute is neither 0 nor 1');
  const [dirs, h4, I] = [wd[0]!, wd[1]!, wd[2]!];
  const H = h4 / 4;
  const [w, r] = [values(wRef, 'W'), values(rRef, 'R')];
  const bAll = bRef ? vector(bRef, 'B', dirs * 8 * H) : undefined;
  const maps: ReadMap[] = [];
  for (let d = 0; d < dirs; d++) {
    const b = bAll ? Float64Array.from({ length: h4 }, (_, j) => bAll[d * 8 * H + j]! + bAll[d * 8 * H + h4 + j]!) : undefined;
    maps.push({ suffix: `.W[${d}]`, weight: wRef, bias: bRef, W: new Matrix(h4, I, w.slice(d * h4 * I, (d + 1) * h4 * I)), taps: undefined, b, projectable: false });
    maps.push({ suffix: `.R[${d}]`, weight: rRef, bias: undefined, W: new Matrix(h4, H, r.slice(d * h4 * H, (d + 1) * h4 * H)), taps: undefined, b: undefined, projectable: false });
  }
  if (node.input?.[7]) notes.push({ suffix: '.P', reason: 'its peephole weights P are not read (the W and R maps are)' });
  return maps;
}

/** The weight maps of one node; throws {@link Unread} with the reason they cannot be read. */
function readMaps(ctx: ReadContext): ReadResult {
  const op = ctx.node.opType ?? '';
  const known = NOT_READ[op];
  if (known !== undefined) throw new Unread(known);
  const partial: Notes = [];
  const read: Record<string, (() => ReadMap[]) | undefined> = {
    Gemm: () => [readDense(ctx, partial)],
    MatMul: () => [readDense(ctx, partial)],
    Conv: () => [readConv(ctx, partial)],
    ConvTranspose: () => [readConv(ctx, partial)],
    BatchNormalization: () => [readBatchNorm(ctx)],
    LayerNormalization: () => [readLayerNorm(ctx, partial)],
    LSTM: () => readLstm(ctx, partial),
  };
  const reader = read[op];
  if (!reader) throw new Unread(`${op} is not a weight op liesym reads`);
  return { maps: reader(), partial };
}

/** The maps of one node, or the reason none could be read. */
export function readNode(ctx: ReadContext): ReadResult | { reason: string } {
  try {
    return readMaps(ctx);
  } catch (e) {
    if (e instanceof Unread) return { reason: e.message };
    throw e;
  }
}
