import { deprecatedOption } from '../deprecatedOption.js';
import { InvalidArgumentError, NonFiniteError, NotConvergedError, ShapeMismatchError, describe } from '../errors.js';
import { enforceSymmetry } from '../enforce/enforceSymmetry.js';
import { LieDerivative } from '../lie/LieDerivative.js';
import { Matrix } from '../linalg/Matrix.js';
import { nullspace } from '../linalg/nullspace.js';
import { stableNorm } from '../linalg/powerOfTwo.js';
import { checkRtol, defaultTolerance } from '../tolerances.js';
import { leastSquares } from './leastSquares.js';
import { choleskyInPlace } from '../linalg/equalityElimination.js';
import { solveNuclearNorm, type NuclearNormSolveOptions, type NuclearNormSolveResult } from '../symmetry/solveNuclearNorm.js';

/** The three uses of the Lie derivative in a regression. */
export type SymmetryMode = 'enforce' | 'discover' | 'promote';

/** Options of {@link symmetricRegression}. */
export interface SymmetricRegressionOptions {
  /** The regression matrix B (rows×p): predictions are B·θ. */
  design: Matrix;
  /** The targets y, one per row of B. */
  target: ArrayLike<number>;
  /** The bilinear Lie-derivative form of the model (p parameters) and its candidate generators. */
  form: LieDerivative;
  /**
   * - `'enforce'`: least squares over the θ with L_ξ F_θ = 0 for every generator;
   * - `'discover'`: plain (minimum-norm) least squares, then the symmetries of the fit;
   * - `'promote'`: min ‖D(θ)‖_* s.t. B·θ = y (no `weight`), or
   *   min ‖B·θ − y‖² + γ‖D(θ)‖_* (with `weight` = γ), D(θ) = [L_ξ₁F_θ, …, L_ξ_qF_θ].
   */
  mode: SymmetryMode;
  /** γ, the weight of the penalized promote form (omit for the constrained form). */
  weight?: number;
  /** @deprecated use `weight` (the project's word for γ); read until the next minor version. */
  gamma?: number;
  /**
   * Relative tolerance of the rank decisions (a finite number in [0, 1)); when given, it is used for
   * both. The defaults follow one rule ({@link TOLERANCES}): a decision on matrices built from the
   * group and the library alone is exact, one on fitted coefficients holds only to their estimation error.
   * - the enforce nullspace of the constraints M_ξⱼ: `defaultTolerance('rank')` = 1e-9;
   * - the symmetry report of the fit, in every mode (θ is estimated from data; after `'promote'` also only
   *   to the solver's tolerance): `defaultTolerance('rank', { derivative: 'fitted' })` = 1e-3.
   */
  rtol?: number;
  /** Options of the convex solver ({@link solveNuclearNorm}). */
  solver?: NuclearNormSolveOptions;
  /** `'throw'` (default): NotConvergedError when the solver does not converge; `'flag'`: return `converged: false`. */
  onNotConverged?: 'throw' | 'flag';
  /** Parameters forced to zero (for sequential thresholding), one flag per parameter. */
  fixedZero?: readonly boolean[];
  /**
   * For `'promote'`: a starting θ (p entries), e.g. the fit of a related problem (a few samples more
   * or fewer), passed to the solver as its `start` (see {@link NuclearNormSolveOptions.start}).
   * Only where the solver starts changes, not what it certifies.
   */
  start?: Float64Array;
}

/** The symmetry algebra of a fitted model inside the candidate generators. */
export interface SymmetryReport {
  /** Dimension of the algebra of generators ξ = Σ cⱼξⱼ with L_ξ F_θ = 0. */
  dimension: number;
  /** All q singular values of D(θ), ascending: `dimension` of them below the threshold. */
  singularValues: Float64Array;
  /** q×dimension: orthonormal coefficient vectors c of the symmetries found. */
  coefficients: Matrix;
  /** Gap at the rank decision (see `nullspace`). */
  gap: number;
  /** The absolute threshold max(rtol·σ_max, rtol·‖θ‖·maxⱼ‖M_ξⱼ‖_F/√p). */
  threshold: number;
}

/** Result of {@link symmetricRegression}. */
export interface SymmetricRegressionResult {
  mode: SymmetryMode;
  /** The fitted parameters, length p. */
  theta: Float64Array;
  /** ‖B·θ − y‖ / ‖y‖ (0 when y = 0). */
  relativeResidual: number;
  /** The symmetries of the fitted model (discover slot at θ). */
  symmetry: SymmetryReport;
  /**
   * For `'enforce'`: the dimension of the symmetric parameter subspace, its orthonormal basis and the
   * singular values of the stacked constraints, ascending (see {@link enforceSymmetry}).
   */
  enforce?: { dimension: number; basis: Matrix; singularValues: Float64Array };
  /** For `'promote'`: the convex solver's result and diagnostics. */
  solver?: NuclearNormSolveResult;
  /** False only when the solver stopped early and `onNotConverged` is `'flag'`. */
  converged: boolean;
}

/** Default rtol of a rank decision on exact constraints (the enforce nullspace of M_ξⱼ, built from the group and library). */
const EXACT_RTOL = defaultTolerance('rank');

/**
 * Default rtol of a symmetry report on fitted coefficients: a fitted model holds its symmetries only to
 * the estimation error of its coefficients (e.g. σ ≈ 1e-5 for so(2) of a Hopf field fitted from finite
 * differences, against ≥ 1 for broken generators), far above an exact tolerance.
 */
export const FITTED_RTOL = defaultTolerance('rank', { derivative: 'fitted' });

/**
 * Reads the symmetries of a model's parameters θ off D(θ) = [L_ξ₁F_θ, …, L_ξ_qF_θ]: the generators with
 * singular value σ ≤ max(rtol·σ_max, rtol·‖θ‖·maxⱼ‖M_ξⱼ‖_F/√p).
 * @param rtol relative tolerance, a finite number in [0, 1) (for fitted θ, `defaultTolerance('rank', { derivative: 'fitted' })`)
 * @throws InvalidArgumentError for a bad rtol; ShapeMismatchError for a θ of the wrong length
 * @example
 * symmetryReport(form, fit.theta, 1e-3).dimension; // 1 for a rotation-invariant fit and candidate gl(2)
 */
export function symmetryReport(form: LieDerivative, theta: ArrayLike<number>, rtol: number): SymmetryReport {
  checkRtol('symmetryReport', rtol);
  const D = form.inGenerators(theta);
  // A symmetric model has D ≈ 0, where a threshold relative to σ_max(D) cannot decide: also
  // compare with ‖θ‖·maxⱼ‖M_ξⱼ‖_F/√p, the size of a column M_ξⱼθ for a θ in no special direction.
  let mScale = 0;
  for (let j = 0; j < form.generatorCount; j++) mScale = Math.max(mScale, form.matrixOf(j).norm());
  const ns = nullspace(D, { rtol, atol: (rtol * stableNorm(theta) * mScale) / Math.sqrt(Math.max(form.parameterCount, 1)) });
  return { dimension: ns.dimension, singularValues: ns.singularValues, coefficients: ns.basis, gap: ns.gap, threshold: ns.threshold };
}

/** The matrix of θ ↦ vec(D(θ)) (row-major D: rows × q), with rows (r, j) = row r of M_ξⱼ. */
export function discoverOperator(form: LieDerivative): Matrix {
  const q = form.generatorCount;
  const R = form.rowCount;
  const p = form.parameterCount;
  const out = new Matrix(R * q, p);
  for (let j = 0; j < q; j++) {
    const M = form.matrixOf(j);
    for (let r = 0; r < R; r++) out.data.set(M.data.subarray(r * p, (r + 1) * p), (r * q + j) * p);
  }
  return out;
}

/**
 * Regression B·θ ≈ y for a model linear in its parameters, with the three modes of the
 * Lie derivative (enforce, discover, promote). The low-level engine of
 * {@link fitSymmetric} and {@link sindy}; use it with any design matrix whose columns
 * follow the parameter order of `form`.
 *
 * @throws ShapeMismatchError, NonFiniteError, InvalidArgumentError; NotConvergedError
 *   when promote's solver does not converge (unless `onNotConverged: 'flag'`)
 * @example
 * const r = symmetricRegression({ design: B, target: y, form, mode: 'promote' });
 * r.symmetry.dimension; // the symmetries of the promoted fit
 */
export function symmetricRegression(options: SymmetricRegressionOptions): SymmetricRegressionResult {
  const fn = 'symmetricRegression';
  const { design: B, form, mode } = options;
  if (!(B instanceof Matrix)) throw new InvalidArgumentError(`${fn}: 'design' must be a Matrix; received ${describe(B)}`);
  if (!(form instanceof LieDerivative)) throw new InvalidArgumentError(`${fn}: 'form' must be a LieDerivative; received ${describe(form)}`);
  const p = form.parameterCount;
  if (B.cols !== p) throw new ShapeMismatchError(`${fn}: 'design' must have one column per parameter (${p}); received ${B.cols}`);
  const y = Float64Array.from(options.target ?? []);
  if (y.length !== B.rows) throw new ShapeMismatchError(`${fn}: 'target' must have one entry per row of 'design' (${B.rows}); received ${y.length}`);
  if (!y.every(Number.isFinite)) throw new NonFiniteError(`${fn}: 'target' must be finite; received NaN or ±Infinity`);
  if (!B.isFinite()) throw new NonFiniteError(`${fn}: 'design' must be finite; received NaN or ±Infinity`);
  if (mode !== 'enforce' && mode !== 'discover' && mode !== 'promote') {
    throw new InvalidArgumentError(`${fn}: 'mode' must be 'enforce', 'discover' or 'promote'; received ${describe(mode)}`);
  }
  const gamma = deprecatedOption<number>(fn, options, { name: 'weight', alias: 'gamma' });
  if (gamma !== undefined && (!(gamma > 0) || !Number.isFinite(gamma))) {
    throw new InvalidArgumentError(`${fn}: 'weight' must be a finite number > 0 (or omitted for the constrained form); received ${describe(gamma)}`);
  }
  const rtol = options.rtol === undefined ? undefined : checkRtol(fn, options.rtol);
  const zero = options.fixedZero;
  if (zero !== undefined && zero.length !== p) throw new ShapeMismatchError(`${fn}: 'fixedZero' must have ${p} entries; received ${zero.length}`);
  const start = options.start;
  if (start !== undefined) {
    if (!(start instanceof Float64Array) || start.length !== p) throw new ShapeMismatchError(`${fn}: 'start' must be a Float64Array of ${p} entries (one per parameter); received ${describe(start)}`);
    if (!start.every(Number.isFinite)) throw new NonFiniteError(`${fn}: 'start' must be finite; received NaN or ±Infinity`);
    if (mode !== 'promote') throw new InvalidArgumentError(`${fn}: 'start' is used by mode 'promote' only; received mode ${describe(mode)}`);
  }
  if (options.solver?.start !== undefined) {
    throw new InvalidArgumentError(`${fn}: give the starting θ as 'start' (in θ's units), not 'solver.start' (the solver works at unit scale of the target); received solver.start`);
  }
  const zeroRows: Matrix[] = [];
  if (zero?.some(Boolean)) {
    const Z = new Matrix(zero.filter(Boolean).length, p);
    let r = 0;
    zero.forEach((isZero, j) => {
      if (isZero) Z.data[r++ * p + j] = 1;
    });
    zeroRows.push(Z);
  }
  const yNorm = Math.hypot(...y);
  const relRes = (theta: Float64Array): number => {
    const r = B.mulVec(theta);
    let s = 0;
    for (let i = 0; i < y.length; i++) s += (r[i]! - y[i]!) ** 2;
    return yNorm > 0 ? Math.sqrt(s) / yNorm : Math.sqrt(s);
  };
  // Least squares restricted to span(Q).
  const fitIn = (Q: Matrix): Float64Array => {
    if (Q.cols === 0) return new Float64Array(p);
    const ls = leastSquares(B.mul(Q), y);
    return Q.mulVec(ls.x);
  };
  const freeBasis = (): Matrix | undefined => (zeroRows.length > 0 ? nullspace(zeroRows[0]!).basis : undefined);

  if (mode === 'enforce') {
    // The enforce slot of the form, with the fixed zeros as extra linear constraints.
    const ns = enforceSymmetry(form, { rtol: rtol ?? EXACT_RTOL, discrete: zeroRows });
    const theta = fitIn(ns.basis);
    return {
      mode,
      theta,
      relativeResidual: relRes(theta),
      symmetry: symmetryReport(form, theta, rtol ?? FITTED_RTOL),
      enforce: { dimension: ns.dimension, basis: ns.basis, singularValues: ns.singularValues },
      converged: true,
    };
  }
  if (mode === 'discover') {
    const F = freeBasis();
    const theta = F ? fitIn(F) : leastSquares(B, y).x;
    return { mode, theta, relativeResidual: relRes(theta), symmetry: symmetryReport(form, theta, rtol ?? FITTED_RTOL), converged: true };
  }
  // promote
  const q = form.generatorCount;
  const R = form.rowCount;
  const Dop = discoverOperator(form);
  let solved: NuclearNormSolveResult;
  let theta: Float64Array;
  if (gamma === undefined) {
    // min ‖D(θ)‖_* s.t. B·θ = y (least-squares consistent: BᵀB·θ = Bᵀy when B·θ = y has no solution).
    const consistent = hasFullRowRank(B) || leastSquares(B, y).residual <= 1e-9 * Math.max(yNorm, Number.MIN_VALUE);
    let E = consistent ? B : B.transpose().mul(B);
    let f = consistent ? y : B.transpose().mulVec(y);
    if (zeroRows.length > 0) {
      E = Matrix.vstack([E, zeroRows[0]!]);
      f = Float64Array.from([...f, ...new Float64Array(zeroRows[0]!.rows)]);
    }
    // The solution is positively homogeneous in y: solve at unit scale.
    const s = Math.max(yNorm, Number.MIN_VALUE);
    const fs = f.map((v) => v / s);
    solved = solveNuclearNorm({ A: Dop, shape: [R, q], E, f: fs }, withStart(scaleFreeWarmStart(options.solver), start, s));
    theta = solved.z.map((v) => v * s);
  } else {
    // min (1/γ)·‖B·θ − y‖² + ‖D(θ)‖_*: P = 2BᵀB/γ, c = −2Bᵀy/γ.
    const Bt = B.transpose();
    const P = Bt.mul(B).scale(2 / gamma);
    const c = Bt.mulVec(y).map((v) => (-2 * v) / gamma);
    const extra = zeroRows.length > 0 ? { E: zeroRows[0]!, f: new Float64Array(zeroRows[0]!.rows) } : {};
    solved = solveNuclearNorm({ A: Dop, shape: [R, q], P, c, ...extra }, withStart(scaleFreeWarmStart(options.solver), start, 1));
    theta = solved.z;
  }
  if (!solved.converged && (options.onNotConverged ?? 'throw') === 'throw') {
    throw new NotConvergedError(
      `${fn}: the promote solver did not converge in ${solved.iterations} iterations (relative primal residual ${solved.primalResidual.toExponential(2)}, dual ${solved.dualResidual.toExponential(2)}, relative gap ${solved.relativeGap.toExponential(2)}, stationarity ${solved.kktResidual.toExponential(2)}); raise 'solver.maxIterations' or pass onNotConverged: 'flag'`,
    );
  }
  return {
    mode,
    theta,
    relativeResidual: relRes(theta),
    symmetry: symmetryReport(form, theta, rtol ?? FITTED_RTOL),
    solver: solved,
    converged: solved.converged,
  };
}

/**
 * Whether B (S×p, S ≤ p) has full row rank, so that B·θ = y is solvable for every y: B·Bᵀ has a
 * Cholesky factor whose pivots all stay above 1e-10 of the largest diagonal entry. O(S²p),
 * against a full SVD of B; false is inconclusive (the caller checks by least squares).
 */
function hasFullRowRank(B: Matrix): boolean {
  const S = B.rows;
  const p = B.cols;
  if (S > p || S === 0) return false;
  const G = new Float64Array(S * S);
  let maxDiag = 0;
  for (let a = 0; a < S; a++) {
    const ra = B.data.subarray(a * p, (a + 1) * p);
    for (let b = 0; b <= a; b++) {
      const rb = B.data.subarray(b * p, (b + 1) * p);
      let sum = 0;
      for (let j = 0; j < p; j++) sum += ra[j]! * rb[j]!;
      G[a * S + b] = sum;
      G[b * S + a] = sum;
    }
    maxDiag = Math.max(maxDiag, G[a * S + a]!);
  }
  if (!(maxDiag > 0) || !choleskyInPlace(G, S)) return false;
  for (let a = 0; a < S; a++) if (!(G[a * S + a]! ** 2 > 1e-10 * maxDiag)) return false;
  return true;
}

/**
 * The solver options with a warm start reduced to its scale-free part: the constrained form is
 * solved at unit scale of y, so an earlier X (at another scale) would start the iterations off;
 * the multiplier (a subgradient of the nuclear norm) and ρ do not depend on the scale.
 */
/** The solver options with `start` (θ, in the caller's units) at the solve's scale s (z = θ/s). */
function withStart(solver: NuclearNormSolveOptions, start: Float64Array | undefined, s: number): NuclearNormSolveOptions {
  return start ? { ...solver, start: start.map((v) => v / s) } : solver;
}

function scaleFreeWarmStart(solver: NuclearNormSolveOptions | undefined): NuclearNormSolveOptions {
  const ws = solver?.warmStart;
  if (!ws || ws.X === undefined) return solver ?? {};
  return { ...solver, warmStart: { multiplier: ws.multiplier, rho: ws.rho } };
}
