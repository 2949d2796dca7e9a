/**
 * The named ONNX models the tests and the bench build, all on {@link onnxModel}. Each
 * returns a builder: `.encode()` for bytes, `.writeTo(path)` for a file, `.spec` to adapt
 * (e.g. `onnxModel({ ...randomMlp(sizes, { seed }).spec, producer: 'me' })`).
 */
import { InvalidArgumentError, ShapeMismatchError, createRng, describe } from '@liesym/core';
import { normalVector } from '../samples.js';
import { onnxModel, type NodeSpec, type OnnxModelBuilder, type TensorSpec } from './OnnxModelBuilder.js';

/**
 * F(x) = tanh(0.3·Σᵢ mᵢ·xᵢ²) on Rⁿ, n = metric.length, from Mul, MatMul and Tanh: invariant
 * under the group preserving the form diag(metric) (SO(3) for [1, 1, 1], SO(1,3) for
 * [1, −1, −1, −1]). Input 'x' [N, n], output 'y' [N, 1].
 * @param options.dtype the model's float type (default 'float32')
 */
export function quadraticInvariant(options: { metric: readonly number[]; dtype?: 'float32' | 'float64' }): OnnxModelBuilder {
  const { metric, dtype = 'float32' } = options;
  if (!Array.isArray(metric) || metric.length === 0 || !metric.every(Number.isFinite)) {
    throw new InvalidArgumentError(`quadraticInvariant: 'metric' must be a non-empty array of finite numbers; received ${describe(metric)}`);
  }
  const n = metric.length;
  return onnxModel({
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

/** F(x) = tanh(|x|²)·x + 0.5·J·x on R², J = [[0, −1], [1, 0]]: SO(2)-equivariant, not scaling- or reflection-equivariant. */
export function so2Equivariant(): OnnxModelBuilder {
  return onnxModel({
    inputs: [{ name: 'x', dims: ['N', 2] }],
    outputs: [{ name: 'y', dims: ['N', 2] }],
    initializers: [
      { name: 'ones', dims: [2, 1], data: [1, 1] },
      // Row vectors: x·Jᵀ with Jᵀ = [[0, 1], [−1, 0]], scaled by 0.5.
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

/** One dense layer y = W·x + b: W row-major dimOut×dimIn. */
export interface DenseLayerSpec {
  W: readonly number[];
  b: readonly number[];
  dimIn: number;
  dimOut: number;
}

/**
 * An MLP x ↦ Wₖ·σ(… σ(W₁x + b₁) …) + bₖ in float32: each layer a Gemm (transB = 1, weight
 * [out, in]) named `dense{k}`, or with `matmul` a MatMul (weight [in, out]) named `dense{k}`
 * plus an Add; σ between layers. Input 'x' [N, dimIn], output 'y' [N, dimOut].
 * @param options.activation the ONNX op between layers (default 'Tanh')
 * @throws ShapeMismatchError when W or b does not fit dimIn, dimOut, or layers do not chain
 */
export function mlp(layers: readonly DenseLayerSpec[], options: { matmul?: boolean; activation?: string } = {}): OnnxModelBuilder {
  const fn = 'mlp';
  if (!Array.isArray(layers) || layers.length === 0) throw new InvalidArgumentError(`${fn}: 'layers' must be a non-empty array; received ${describe(layers)}`);
  const initializers: TensorSpec[] = [];
  const nodes: NodeSpec[] = [];
  let cur = 'x';
  layers.forEach((l, k) => {
    if (k > 0 && l.dimIn !== layers[k - 1]!.dimOut) {
      throw new ShapeMismatchError(`${fn}: 'layers[${k}].dimIn' must equal layers[${k - 1}].dimOut = ${layers[k - 1]!.dimOut}; received ${describe(l.dimIn)}`);
    }
    if (l.W?.length !== l.dimIn * l.dimOut || l.b?.length !== l.dimOut) {
      throw new ShapeMismatchError(`${fn}: 'layers[${k}]' must have dimIn·dimOut = ${l.dimIn * l.dimOut} weights and dimOut = ${l.dimOut} biases; received ${describe(l.W)} and ${describe(l.b)}`);
    }
    const last = k === layers.length - 1;
    const out = last ? 'y' : `h${k}`;
    const pre = last ? out : `z${k}`;
    if (options.matmul) {
      const Wt = Array.from({ length: l.dimIn * l.dimOut }, (_, idx) => l.W[(idx % l.dimOut) * l.dimIn + Math.floor(idx / l.dimOut)]!);
      initializers.push({ name: `W${k}`, dims: [l.dimIn, l.dimOut], data: Wt }, { name: `b${k}`, dims: [l.dimOut], data: l.b });
      nodes.push({ op: 'MatMul', inputs: [cur, `W${k}`], outputs: [`m${k}`], name: `dense${k}` });
      nodes.push({ op: 'Add', inputs: [`m${k}`, `b${k}`], outputs: [pre] });
    } else {
      initializers.push({ name: `W${k}`, dims: [l.dimOut, l.dimIn], data: l.W }, { name: `b${k}`, dims: [l.dimOut], data: l.b });
      nodes.push({ op: 'Gemm', inputs: [cur, `W${k}`, `b${k}`], outputs: [pre], attrs: { transB: 1 }, name: `dense${k}` });
    }
    if (!last) nodes.push({ op: options.activation ?? 'Tanh', inputs: [pre], outputs: [out] });
    cur = out;
  });
  return onnxModel({
    inputs: [{ name: 'x', dims: ['N', layers[0]!.dimIn] }],
    outputs: [{ name: 'y', dims: ['N', layers[layers.length - 1]!.dimOut] }],
    initializers,
    nodes,
  });
}

/**
 * A seeded random tanh {@link mlp} with layer sizes `sizes` (e.g. [3, 8, 2]): layer k has
 * W ~ N(0, 1/dimIn) from seed `seed + k` and b ~ N(0, 0.1²) from seed `seed + 100 + k`.
 */
export function randomMlp(sizes: readonly number[], options: { seed: number; matmul?: boolean }): OnnxModelBuilder {
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((s) => Number.isInteger(s) && s >= 1)) {
    throw new InvalidArgumentError(`randomMlp: 'sizes' must be at least two integers ≥ 1; received ${describe(sizes)}`);
  }
  const { seed } = options;
  const layers = sizes.slice(1).map((dimOut, k) => {
    const dimIn = sizes[k]!;
    return { dimIn, dimOut, W: normalVector(dimIn * dimOut, { seed: seed + k, scale: 1 / Math.sqrt(dimIn) }), b: normalVector(dimOut, { seed: seed + 100 + k, scale: 0.1 }) };
  });
  return mlp(layers, options.matmul === undefined ? {} : { matmul: options.matmul });
}

/**
 * A circular (periodic) 3×3 convolution of an image [N, C, H, W] → [N, Co, H, W], seeded
 * kernel and bias, optionally followed by tanh: wrap-around padding from Slice + Concat,
 * then a valid Conv. Exactly translation-equivariant on the periodic grid. Input 'image', output 'out'.
 */
export function circularConv(shape: { C: number; Co: number; H: number; W: number }, options: { seed: number; tanh?: boolean }): OnnxModelBuilder {
  const { C, Co, H, W } = shape;
  const { seed, tanh = false } = options;
  const int64 = (name: string, v: number[]): TensorSpec => ({ name, dims: [v.length], data: v, dtype: 'int64' });
  return onnxModel({
    inputs: [{ name: 'image', dims: ['N', C, H, W] }],
    outputs: [{ name: 'out', dims: ['N', Co, H, W] }],
    initializers: [
      { name: 'K', dims: [Co, C, 3, 3], data: normalVector(Co * C * 9, { seed, scale: 0.5 }) },
      { name: 'bias', dims: [Co], data: normalVector(Co, { seed: seed + 1, scale: 0.1 }) },
      int64('s_last', [-1]), int64('e_end', [2 ** 31]), int64('s0', [0]), int64('e1', [1]),
      int64('ax2', [2]), int64('ax3', [3]),
    ],
    nodes: [
      // rows: [last row; image; first row], then the same for columns.
      { op: 'Slice', inputs: ['image', 's_last', 'e_end', 'ax2'], outputs: ['top'] },
      { op: 'Slice', inputs: ['image', 's0', 'e1', 'ax2'], outputs: ['bottom'] },
      { op: 'Concat', inputs: ['top', 'image', 'bottom'], outputs: ['rows'], attrs: { axis: 2 } },
      { op: 'Slice', inputs: ['rows', 's_last', 'e_end', 'ax3'], outputs: ['left'] },
      { op: 'Slice', inputs: ['rows', 's0', 'e1', 'ax3'], outputs: ['right'] },
      { op: 'Concat', inputs: ['left', 'rows', 'right'], outputs: ['padded'], attrs: { axis: 3 } },
      { op: 'Conv', inputs: ['padded', 'K', 'bias'], outputs: [tanh ? 'conv' : 'out'], attrs: { kernel_shape: [3, 3] } },
      ...(tanh ? [{ op: 'Tanh', inputs: ['conv'], outputs: ['out'] }] : []),
    ],
  });
}

/**
 * A small Lorentz-invariant network on R⁴ (float32, opset 13), the demo's bundled model:
 * F(x) = w₂ᵀ·tanh(w₁·q(x) + b₁) + b₂ with q(x) = x₀² − x₁² − x₂² − x₃², from MatMul, Mul, Add
 * and Tanh; w₁, b₁, w₂ ∈ R^hidden seeded, b₂ = 0.1. Its symmetry algebra inside gl(4) is
 * so(1,3), of dimension 6. Input 'x' [N, 4], output 'y' [N, 1].
 * @param options.seed seed of w₁, b₁, w₂ (the demo uses 2024)
 * @param options.hidden hidden width (the demo uses 8)
 */
export function lorentzInvariantNetwork(options: { seed: number; hidden: number }): OnnxModelBuilder {
  const { seed, hidden } = options;
  if (!Number.isInteger(hidden) || hidden < 1) throw new InvalidArgumentError(`lorentzInvariantNetwork: 'hidden' must be an integer ≥ 1; received ${describe(hidden)}`);
  const rng = createRng(seed);
  const w1 = Array.from({ length: hidden }, () => rng.normal());
  const b1 = Array.from({ length: hidden }, () => 0.5 * rng.normal());
  const w2 = Array.from({ length: hidden }, () => rng.normal() / Math.sqrt(hidden));
  return onnxModel({
    name: 'lorentz_invariant',
    inputs: [{ name: 'x', dims: ['N', 4] }],
    outputs: [{ name: 'y', dims: ['N', 1] }],
    initializers: [
      { name: 'eta', dims: [4, 4], data: [1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1] },
      { name: 'ones', dims: [4, 1], data: [1, 1, 1, 1] },
      { name: 'w1', dims: [1, hidden], data: w1 },
      { name: 'b1', dims: [hidden], data: b1 },
      { name: 'w2', dims: [hidden, 1], data: w2 },
      { name: 'b2', dims: [1], data: [0.1] },
    ],
    nodes: [
      { op: 'MatMul', inputs: ['x', 'eta'], outputs: ['xe'] },
      { op: 'Mul', inputs: ['x', 'xe'], outputs: ['p'] },
      { op: 'MatMul', inputs: ['p', 'ones'], outputs: ['q'] },
      { op: 'MatMul', inputs: ['q', 'w1'], outputs: ['z'] },
      { op: 'Add', inputs: ['z', 'b1'], outputs: ['z1'] },
      { op: 'Tanh', inputs: ['z1'], outputs: ['h'] },
      { op: 'MatMul', inputs: ['h', 'w2'], outputs: ['y0'] },
      { op: 'Add', inputs: ['y0', 'b2'], outputs: ['y'] },
    ],
  });
}
