import { InvalidArgumentError, describe } from './errors.js';

/** Floating-point type a model computes in (plugins pass their framework's). */
export type Dtype = 'float32' | 'float64';

/**
 * How the derivatives of a model were obtained: `'exact'` (closed form, chain rule, autodiff),
 * `'finite-difference'` (central differences of model evaluations), or `'fitted'` (the model's
 * coefficients were estimated from data, so its symmetries hold only to the estimation error).
 */
export type DerivativeKind = 'exact' | 'finite-difference' | 'fitted';

/** What a tolerance decides (see {@link TOLERANCES}). */
export type ToleranceUse = 'rank' | 'check' | 'equivariance';

/**
 * The one tolerance table every package takes its defaults from, by use, derivative kind and
 * dtype (like e3nn's `FLOAT_TOLERANCE`). Each entry is relative:
 * - `rank`: a singular value σ of a discover or constraint matrix counts as zero when
 *   σ ≤ rtol·max(σ_max, s), s the size of the terms whose difference the matrix holds;
 * - `check`: a symmetry holds when every ‖L_ξF‖ and ‖K_hF − F‖ is ≤ tol times the output scale;
 * - `equivariance`: ‖F(ρ_in(g)x) − ρ_out(g)F(x)‖ ≤ tol·‖F‖ for finite group elements g.
 *
 * The rule behind the numbers: exact float64 arithmetic loses ~1e-13 relative in these sums,
 * central differences balance truncation and rounding at ε^(2/3) (~4e-11 in float64, ~3e-5 in
 * float32), and fitted coefficients carry the estimation error of the data (~1e-5 for clean
 * data). Each entry leaves two to three orders of magnitude of margin above that error and stays
 * far below the O(1) relative size of a broken symmetry.
 */
export const TOLERANCES: Readonly<Record<ToleranceUse, Readonly<Record<DerivativeKind, Readonly<Record<Dtype, number>>>>>> = {
  rank: {
    exact: { float64: 1e-9, float32: 1e-3 },
    'finite-difference': { float64: 1e-6, float32: 1e-3 },
    fitted: { float64: 1e-3, float32: 1e-2 },
  },
  check: {
    exact: { float64: 1e-8, float32: 1e-4 },
    'finite-difference': { float64: 1e-5, float32: 1e-2 },
    fitted: { float64: 1e-3, float32: 1e-2 },
  },
  equivariance: {
    exact: { float64: 1e-9, float32: 1e-3 },
    'finite-difference': { float64: 1e-9, float32: 1e-3 },
    fitted: { float64: 1e-3, float32: 1e-2 },
  },
};

/**
 * The default relative tolerance of {@link TOLERANCES} for a use, derivative kind and dtype.
 * @example
 * defaultTolerance('rank', { derivative: 'finite-difference', dtype: 'float32' }); // 1e-3
 */
export function defaultTolerance(use: ToleranceUse, options: { derivative?: DerivativeKind; dtype?: Dtype } = {}): number {
  const row = TOLERANCES[use];
  if (row === undefined) throw new InvalidArgumentError(`defaultTolerance: 'use' must be 'rank', 'check' or 'equivariance'; received ${describe(use)}`);
  const byDtype = row[options.derivative ?? 'exact'];
  if (byDtype === undefined) {
    throw new InvalidArgumentError(`defaultTolerance: 'derivative' must be 'exact', 'finite-difference' or 'fitted'; received ${describe(options.derivative)}`);
  }
  const tol = byDtype[options.dtype ?? 'float64'];
  if (tol === undefined) throw new InvalidArgumentError(`defaultTolerance: 'dtype' must be 'float32' or 'float64'; received ${describe(options.dtype)}`);
  return tol;
}

/**
 * Validates a relative tolerance: a finite number in [0, 1). (rtol ≥ 1 would call every
 * singular value zero and every model symmetric.)
 * @throws InvalidArgumentError naming `fn` and `arg`
 */
export function checkRtol(fn: string, value: unknown, arg = 'rtol'): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) {
    throw new InvalidArgumentError(`${fn}: '${arg}' must be a number in [0, 1); received ${describe(value)}`);
  }
  return value;
}

/**
 * Validates an absolute tolerance: a finite number ≥ 0.
 * @throws InvalidArgumentError naming `fn` and `arg`
 */
export function checkAtol(fn: string, value: unknown, arg = 'atol'): number {
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) {
    throw new InvalidArgumentError(`${fn}: '${arg}' must be a finite number ≥ 0; received ${describe(value)}`);
  }
  return value;
}
