import * as tf from '@tensorflow/tfjs';
import {
  InvalidArgumentError,
  Matrix,
  describe,
  finiteDifferenceStencil,
  finiteDifferenceStep,
  gridFieldAction,
  checkPenaltyOptions,
  nuclearNormPenalty,
  periodicDerivativeMatrix,
  samplePool,
  stepAlong,
  type FiniteDifferenceOptions,
  type OperatorGenerator,
} from '@liesym/core';
import { assertFields, type Field } from './Grid.js';
import { generatorFromMatrix } from './fieldGenerators.js';
import { orthonormalCandidates } from './discoverOperatorSymmetries.js';

/** Options of {@link nuclearNormTf}: core's `nuclearNormPenalty` options and a spectrum callback. */
export interface NuclearNormTfOptions {
  /** 'none' (default) or 'frobenius' (‖M‖_* / ‖M‖_F). */
  normalize?: 'none' | 'frobenius';
  /** δ > 0: the reweighted nuclear norm Σ wᵢσᵢ with wᵢ = δσ₁ / (δσ₁ + σᵢ) held fixed (default: none). */
  reweight?: number;
  /** Receives M's singular values (ascending) at every evaluation. */
  onSpectrum?: (singularValues: Float64Array) => void;
}

/**
 * ‖M‖_* for a 2-D tfjs tensor, differentiable: the value and the subgradient U·Vᵀ come from
 * core's float64 SVD (`nuclearNormPenalty`; tfjs has none), bridged with tf.customGrad. With
 * `normalize: 'frobenius'` the scale-free ‖M‖_* / ‖M‖_F, with `reweight: δ` the reweighted
 * nuclear norm, each with its gradient.
 * @throws InvalidArgumentError for bad options (from core)
 * @example const r = nuclearNormTf(tf.randomNormal([100, 4])); // scalar
 */
export function nuclearNormTf(m: tf.Tensor2D, options: NuclearNormTfOptions = {}): tf.Scalar {
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const t = args[0] as tf.Tensor2D;
    const save = args[1] as tf.GradSaveFunc;
    const [rows, cols] = t.shape;
    const { normalize, reweight } = options;
    const r = nuclearNormPenalty(new Matrix(rows, cols, Float64Array.from(t.dataSync())), { ...(normalize ? { normalize } : {}), ...(reweight !== undefined ? { reweight } : {}) });
    options.onSpectrum?.(r.singularValues);
    const g = tf.tensor2d(Float32Array.from(r.gradient.data), [rows, cols]);
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
  /**
   * A fresh random subset of this many of the `samples` at every evaluation (core's `samplePool`;
   * default: all samples, every time). With a few fixed fields the operator can become symmetric
   * at those fields only; a large pool of unlabeled fields with a small batch constrains it everywhere.
   */
  batchSize?: number;
  /** Seed of the random subsets (default 0). */
  seed?: number;
  /**
   * 'none' (default): γ‖D_N‖_*. 'frobenius': γ‖D_N‖_* / ‖D_N‖_F (core's `nuclearNormPenalty`), unchanged
   * when N's response is scaled, so it cannot be lowered by flattening N — only by lowering D_N's rank; but it
   * rewards growing the largest singular value (a generator the data break), and with probe fields that excite
   * modes the data do not constrain it can blow up N's response there.
   */
  normalize?: 'none' | 'frobenius';
  /**
   * δ > 0: the reweighted nuclear norm γ·Σ wᵢσᵢ, wᵢ = δσ₁ / (δσ₁ + σᵢ) fixed at each evaluation (core's
   * `nuclearNormPenalty` with `reweight`; default: the plain nuclear norm). Generators far from symmetric
   * (σᵢ ≈ σ₁, e.g. one the data break) get weight ≈ δ, nearly symmetric ones ≈ 1: the push goes to the
   * directions that can become symmetric instead of flattening N along a broken one. 0.1 is a good start.
   */
  reweight?: number;
}

/** A promote penalty bound to its sample fields: call it with the operator inside a gradient tape. */
export interface OperatorPenalty {
  /** γ‖D_N‖_* for the operator `apply` (a differentiable scalar). */
  (apply: (x: tf.Tensor) => tf.Tensor): tf.Scalar;
  /** The orthonormalized candidate (columns of D_N). */
  readonly candidate: readonly OperatorGenerator[];
  /** The discover matrix D_N of `apply` (rows (sample, point, channel) / √S × candidates) on the next sample subset, for inspection. */
  matrix(apply: (x: tf.Tensor) => tf.Tensor): tf.Tensor2D;
  /** Singular values of D_N at the last evaluation of the penalty, ascending (empty before the first). */
  readonly lastSingularValues: Float64Array;
  /** Frees the constant tensors. */
  dispose(): void;
}

/**
 * The operator-level promote penalty γ‖D_N‖_* over sample fields u₁…u_S: D_N's column for candidate ξ is
 * L_ξ N(u_s) = DN(u_s)[ℒ_in u_s] − ℒ_out N(u_s), stacked over samples. ℒ_in u_s is core's field action
 * (float64, constant); DN by core's stencil and step rule (h·‖ℒ_in u‖ = step·‖u‖, default step ε^(1/3) of
 * float32) and ℒ_out by core's periodic derivative matrix, both in tfjs, so the penalty is differentiable
 * in the model's weights; its subgradient is core's float64 nuclear norm's. For a custom loop ({@link trainOperator}).
 *
 * Three choices decide whether promotion works on an FNO (measured on bench:operators, poisson-isotropic):
 * - Sample fields: the penalty constrains N only where the fields have spectral content. Smooth fields
 *   excite only low modes, and the modes the data do not reach stay free; give a pool of unlabeled fields
 *   that excite every retained mode (e.g. narrow round blobs) with a small `batchSize`. Each field's rows
 *   grow with its gradient, and on a grid even an exactly equivariant FNO breaks a rotation of narrow fields
 *   a little (about 3× what it does on smooth ones), so a pool of narrow fields alone spends the penalty
 *   there; mix in fields drawn like the operator's inputs.
 * - The surrogate: with a candidate generator the data break (σ₁ large), ‖D_N‖_*'s gradient mostly shrinks
 *   N along it — at the modes the data do not constrain, N is flattened instead of made symmetric.
 *   `reweight: 0.1` moves the push to the nearly symmetric directions.
 * - The schedule: the penalty's subgradient does not shrink as N nears the symmetry, so Adam moves the
 *   weights the data leave free toward it at roughly the learning rate per step; a longer run with a final
 *   learning rate well below the first (e.g. 3× the steps, lr/30) gets much closer than a larger weight.
 * @throws EmptyInputError; GridMismatchError; InvalidArgumentError (naming 'weight', 'channelsOut', 'batchSize',
 *   'seed', 'normalize' or 'reweight')
 * @example
 * const pen = operatorSymmetryPenalty(samples, { candidate: [rotationGenerator(), scalingGenerator()], weight: 0.1 });
 * // or a pool of unlabeled fields, 4 fresh ones per step, with the reweighted surrogate:
 * const pooled = operatorSymmetryPenalty(pool, { candidate: [rotationGenerator(), scalingGenerator()], weight: 0.1, batchSize: 4, reweight: 0.1 });
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
  const { normalize, reweight } = checkPenaltyOptions(fn, options);
  const actIn = gridFieldAction(grid.spec(cIn));
  const [q, K, P] = [generators.length, offsets.length, grid.points];
  const n = P * cIn;
  const pool = samplePool(new Matrix(samples.length, n, Float64Array.from(samples.flatMap((u) => Array.from(u.data)))), {
    ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    fn,
  });
  const S = pool.batchSize;
  /** The inputs: the S fields, then u_s + o_k·h·ℒ_in u_s for every (sample, generator, offset), and the stencil's o_k-weights / h. */
  const prepare = (U: Matrix): { X: tf.Tensor; wk: tf.Tensor } => {
    const data = new Float64Array(S * (1 + q * K) * n);
    data.set(U.data);
    const coef = new Float32Array(S * q * K);
    let row = S;
    for (let s = 0; s < S; s++) {
      const u = U.data.subarray(s * n, (s + 1) * n);
      actIn.tangents(pairs.map(([a]) => a), u).forEach((v, j) => {
        const h = stepAlong(u, v, step);
        offsets.forEach((o, k) => {
          const out = data.subarray(row * n, (row + 1) * n);
          for (let i = 0; i < n; i++) out[i] = u[i]! + o * h * v[i]!;
          row++;
          coef[(s * q + j) * K + k] = h > 0 ? weights[k]! / h : 0;
        });
      });
    }
    return { X: tf.tensor(Float32Array.from(data), [S * (1 + q * K), ...grid.size, cIn]), wk: tf.tensor(coef, [S, q, K, 1]) };
  };
  // A fixed sample set is prepared once; a pool with a batch size at every evaluation.
  const fixed = S === pool.size ? prepare(pool.next()) : undefined;
  if (fixed) for (const t of [fixed.X, fixed.wk]) tf.keep(t);
  const diff = grid.size.map((len, a) => tf.keep(tf.tensor2d(Float32Array.from(periodicDerivativeMatrix(len, { spacing: grid.spacing(a) })), [len, len])));
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
      const { X, wk } = fixed ?? prepare(pool.next());
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

  let last: Float64Array = new Float64Array(0);
  const onSpectrum = (sv: Float64Array): void => {
    last = sv;
  };
  const norm = { ...(normalize !== 'none' ? { normalize } : {}), ...(reweight !== undefined ? { reweight } : {}), onSpectrum };
  const penalty = ((apply: (x: tf.Tensor) => tf.Tensor): tf.Scalar => tf.tidy(() => nuclearNormTf(matrix(apply), norm).mul(weight) as tf.Scalar)) as OperatorPenalty;
  Object.defineProperty(penalty, 'candidate', { value: generators });
  Object.defineProperty(penalty, 'lastSingularValues', { get: () => last });
  (penalty as { matrix: OperatorPenalty['matrix'] }).matrix = matrix;
  (penalty as { dispose: () => void }).dispose = () => {
    for (const t of [...(fixed ? [fixed.X, fixed.wk] : []), xi, V, sv, ...diff]) t.dispose();
  };
  return penalty;
}
