import * as tf from '@tensorflow/tfjs';
import {
  InvalidArgumentError,
  Matrix,
  describe,
  finiteDifferenceStencil,
  finiteDifferenceStep,
  gridFieldAction,
  nuclearNorm,
  periodicDerivativeMatrix,
  stepAlong,
  type FiniteDifferenceOptions,
  type OperatorGenerator,
} from '@liesym/core';
import { Field, assertFields } from './Grid.js';
import { generatorFromMatrix } from './fieldGenerators.js';
import { orthonormalCandidates } from './discoverOperatorSymmetries.js';
import { fieldsToTensor } from './tfFields.js';

/**
 * ‖M‖_* for a 2-D tfjs tensor, differentiable: the value and the subgradient U·Vᵀ come from
 * core's float64 SVD (tfjs has none), bridged with tf.customGrad.
 * @example const r = nuclearNormTf(tf.randomNormal([100, 4])); // scalar
 */
export function nuclearNormTf(m: tf.Tensor2D): tf.Scalar {
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const t = args[0] as tf.Tensor2D;
    const save = args[1] as tf.GradSaveFunc;
    const [rows, cols] = t.shape;
    const r = nuclearNorm(new Matrix(rows, cols, Float64Array.from(t.dataSync())));
    const g = tf.tensor2d(Float32Array.from(r.subgradient.data), [rows, cols]);
    save([g]);
    return { value: tf.scalar(r.value), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]!) };
  });
  return f(m) as tf.Scalar;
}

/** Options of {@link operatorSymmetryPenalty}: core's finite-difference options (`step`, `richardson`) and the candidate. */
export interface OperatorPenaltyOptions extends FiniteDifferenceOptions {
  /** Candidate generators whose span the penalty pushes toward symmetry. */
  candidate: readonly OperatorGenerator[];
  /** The penalty's weight γ (default 1). */
  weight?: number;
  /** @deprecated use `weight` (kept for one minor version) */
  gamma?: number;
  /** Output channels of the operator (default 1). */
  channelsOut?: number;
}

/** A promote penalty bound to its sample fields: call it with the operator inside a gradient tape. */
export interface OperatorPenalty {
  /** γ‖D_N‖_* for the operator `apply` (a differentiable scalar). */
  (apply: (x: tf.Tensor) => tf.Tensor): tf.Scalar;
  /** The orthonormalized candidate (columns of D_N). */
  readonly candidate: readonly OperatorGenerator[];
  /** The discover matrix D_N of `apply` (rows (sample, point, channel) / √S × candidates), for inspection. */
  matrix(apply: (x: tf.Tensor) => tf.Tensor): tf.Tensor2D;
  /** Frees the constant tensors. */
  dispose(): void;
}

/**
 * The operator-level promote penalty γ‖D_N‖_* over sample fields u₁…u_S: D_N's column for candidate ξ is
 * L_ξ N(u_s) = DN(u_s)[ℒ_in u_s] − ℒ_out N(u_s), stacked over samples. ℒ_in u_s is core's field action
 * (float64, constant); DN by core's stencil and step rule (h·‖ℒ_in u‖ = step·‖u‖, default step ε^(1/3) of
 * float32) and ℒ_out by core's periodic derivative matrix, both in tfjs, so the penalty is differentiable
 * in the model's weights; its subgradient is core's float64 nuclear norm's. For a custom loop ({@link trainOperator}).
 * @throws EmptyInputError; GridMismatchError; InvalidArgumentError
 * @example
 * const pen = operatorSymmetryPenalty(samples, { candidate: [rotationGenerator(), scalingGenerator()], weight: 0.1 });
 * const loss = () => tf.add(mse, pen((x) => model.apply(x) as tf.Tensor));
 */
export function operatorSymmetryPenalty(samples: readonly Field[], options: OperatorPenaltyOptions): OperatorPenalty {
  const fn = 'operatorSymmetryPenalty';
  const { grid, channels: cIn } = assertFields(samples, { fn, arg: 'samples' });
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' with a 'candidate' is required; received ${describe(options)}`);
  const { weight: w, gamma, channelsOut: cOut = 1 } = options;
  if (w !== undefined && gamma !== undefined && w !== gamma) throw new InvalidArgumentError(`${fn}: 'weight' and its deprecated alias 'gamma' disagree; received ${w} and ${gamma}`);
  const weight = w ?? gamma ?? 1;
  if (!(weight >= 0 && Number.isFinite(weight))) throw new InvalidArgumentError(`${fn}: 'weight' must be a finite number ≥ 0; received ${describe(weight)}`);
  if (!Number.isInteger(cOut) || cOut < 1) throw new InvalidArgumentError(`${fn}: 'channelsOut' must be an integer ≥ 1; received ${describe(cOut)}`);
  const step = finiteDifferenceStep({ ...options, dtype: 'float32', fn });
  const { offsets, weights } = finiteDifferenceStencil(options);
  const { pairs, generators } = orthonormalCandidates(options.candidate, { grid, channelsIn: cIn, channelsOut: cOut, fn });
  const actIn = gridFieldAction(grid.spec(cIn));
  const [S, q, K, P] = [samples.length, generators.length, offsets.length, grid.points];
  // Inputs: the samples, then u_s + o_k·h·ℒ_in u_s for every (sample, generator, offset).
  const perturbed: Float64Array[] = [];
  const coef = new Float32Array(S * q * K);
  samples.forEach((u, s) => {
    actIn.tangents(pairs.map(([a]) => a), u.data).forEach((v, j) => {
      const h = stepAlong(u.data, v, step);
      offsets.forEach((o, k) => {
        perturbed.push(u.data.map((x, i) => x + o * h * v[i]!));
        coef[(s * q + j) * K + k] = h > 0 ? weights[k]! / h : 0;
      });
    });
  });
  const X = tf.keep(fieldsToTensor([...samples, ...perturbed.map((d) => new Field(grid, cIn, d))]));
  const wk = tf.keep(tf.tensor(coef, [S, q, K, 1]));
  const diff = grid.size.map((n, a) => tf.keep(tf.tensor2d(Float32Array.from(periodicDerivativeMatrix(n, { spacing: grid.spacing(a) })), [n, n])));
  const parts = pairs.map(([, b]) => generatorFromMatrix(b, grid.dims, cOut));
  const coords = Array.from({ length: P }, (_, p) => grid.coordinate(p));
  // Per generator: ξ_a(x) = (A·x + b)_a at every point for each axis, V (c×c) and s (c).
  const xi = tf.keep(tf.tensor(parts.flatMap((g) => grid.size.flatMap((_, a) => coords.map((x) => g.b![a]! + g.A![a]!.reduce((t, v, k) => t + v * x[k]!, 0)))), [q, grid.dims, 1, P, 1]));
  const V = tf.keep(tf.tensor(parts.flatMap((g) => g.V!.flat()), [q, cOut, cOut]));
  const sv = tf.keep(tf.tensor(parts.flatMap((g) => [...g.s!]), [q, 1, 1, cOut]));
  /** ∂y/∂x_axis: the axis to the front, times the derivative matrix, back. */
  const derivative = (y: tf.Tensor, axis: number): tf.Tensor => {
    const perm = [axis + 1, ...Array.from({ length: y.rank }, (_, i) => i).filter((i) => i !== axis + 1)];
    const t = y.transpose(perm);
    return tf.matMul(diff[axis]!, t.reshape([t.shape[0]!, -1])).reshape(t.shape).transpose(perm.map((_, i) => perm.indexOf(i)));
  };
  const matrix = (apply: (x: tf.Tensor) => tf.Tensor): tf.Tensor2D =>
    tf.tidy(() => {
      const Y = apply(X);
      const c = Y.shape[Y.shape.length - 1]!;
      if (c !== cOut) throw new InvalidArgumentError(`${fn}: the operator returns ${c} channels but 'channelsOut' is ${cOut}`);
      const y0 = Y.slice(0, S);
      // Column j: DN(u_s)[ℒ_in u_s] by the stencil, minus ℒ_out N(u_s) = Σₐ ξₐ·∂ₐN − V·N − s.
      const fd = tf.sum(tf.mul(Y.slice(S, S * q * K).reshape([S, q, K, P * c]), wk), 2).transpose([1, 0, 2]);
      const flow = tf.sum(tf.mul(xi, tf.stack(grid.size.map((_, a) => derivative(y0, a).reshape([S, P, c])))), 1);
      const value = tf.matMul(tf.tile(y0.reshape([1, S * P, c]), [q, 1, 1]), V, false, true).reshape([q, S, P, c]);
      const out = tf.sub(tf.sub(flow, value), sv).reshape([q, S, P * c]);
      return tf.sub(fd, out).reshape([q, S * P * c]).transpose().div(Math.sqrt(S)) as tf.Tensor2D;
    });

  const penalty = ((apply: (x: tf.Tensor) => tf.Tensor): tf.Scalar => tf.tidy(() => nuclearNormTf(matrix(apply)).mul(weight) as tf.Scalar)) as OperatorPenalty;
  Object.defineProperty(penalty, 'candidate', { value: generators });
  (penalty as { matrix: OperatorPenalty['matrix'] }).matrix = matrix;
  (penalty as { dispose: () => void }).dispose = () => {
    for (const t of [X, wk, xi, V, sv, ...diff]) t.dispose();
  };
  return penalty;
}
