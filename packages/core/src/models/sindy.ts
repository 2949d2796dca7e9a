import { deprecatedOption } from '../deprecatedOption.js';
import { EmptyInputError, InvalidArgumentError, NonFiniteError, ShapeMismatchError, describe } from '../errors.js';
import type { Group } from '../groups/Group.js';
import type { GroupAction } from '../lie/GroupAction.js';
import type { FunctionLibrary } from '../lie/MonomialLibrary.js';
import { Matrix, toMatrix } from '../linalg/Matrix.js';
import { checkRtol } from '../tolerances.js';
import { blockDesign, libraryMatrix } from './designMatrix.js';
import { libraryForm, resolveActions } from './fitSymmetric.js';
import type { NuclearNormSolveResult, NuclearNormSolveOptions } from '../symmetry/solveNuclearNorm.js';
import { stlsq, stlsqPerOutput, type StlsqResult } from './stlsq.js';
import { FITTED_RTOL, symmetricRegression, symmetryReport, type SymmetryReport } from './symmetricRegression.js';
import { timeDerivative, type TimeDerivativeOptions } from './timeDerivative.js';

/** Options of {@link sindy}. */
export interface SindyOptions {
  /** The library θ(x) of candidate terms (m = state dimension n). */
  library: FunctionLibrary;
  /** One trajectory (T×n) or several, sampled every `dt`. */
  trajectories: Matrix | number[][] | ReadonlyArray<Matrix | number[][]>;
  /** dx/dt at the same samples (same shapes); default: {@link timeDerivative} with `derivative`. */
  derivatives?: Matrix | number[][] | ReadonlyArray<Matrix | number[][]>;
  /** How to differentiate when `derivatives` is omitted (`dt` required then). */
  derivative?: TimeDerivativeOptions;
  /**
   * `'plain'` (default): sequentially thresholded least squares;
   * `'enforce'`: the same inside the vector fields with [ξ_M, f] = 0 for every generator of
   * `group` (tangent lift);
   * `'discover'`: plain SINDy, then the symmetries of the fitted vector field;
   * `'promote'`: min ‖Θ·Ξ − Ẋ‖² + γ‖D(Ξ)‖_* (or min ‖D(Ξ)‖_* s.t. ΘΞ = Ẋ without `weight`), then thresholding.
   */
  mode?: 'plain' | 'enforce' | 'discover' | 'promote';
  /** The group acting on the state (linear when d = n, affine when d = n + 1); values by the tangent lift. */
  group?: Group;
  /** Explicit actions on R^n → R^n instead of `group` (use `tangentLift`). */
  actions?: readonly GroupAction[];
  /** STLSQ threshold on |Ξ| (default 0.05; 0 disables thresholding). */
  threshold?: number;
  /** STLSQ iteration limit (default 20). */
  maxIterations?: number;
  /** γ, the weight of the penalized promote form. */
  weight?: number;
  /** @deprecated use `weight` (the project's word for γ); read until the next minor version. */
  gamma?: number;
  /**
   * Relative tolerance of the rank decisions (a finite number in [0, 1)). Defaults: the enforce nullspace of
   * the tangent-lift constraints is exact, `defaultTolerance('rank')` = 1e-9; the symmetry report of the fitted
   * field, in every mode, `defaultTolerance('rank', { derivative: 'fitted' })` = 1e-3 (Ξ is estimated from
   * finite-difference derivatives, so a symmetry holds only to that error: σ ≈ 1e-5 for the Hopf field's so(2)).
   */
  rtol?: number;
  /** Options of the convex solver (promote). */
  solver?: NuclearNormSolveOptions;
  /** `'throw'` (default) or `'flag'` when the promote solver does not converge. */
  onNotConverged?: 'throw' | 'flag';
}

/** Result of {@link sindy}. */
export interface SindyResult {
  /** n×K coefficients: dx/dt = Ξ·θ(x) (row i is the equation of xᵢ; columns follow the library). */
  coefficients: Matrix;
  /** vec(Ξ) row-major. */
  theta: Float64Array;
  /** Which coefficients are active. */
  active: boolean[];
  /** ‖Θ·Ξ − Ẋ‖ / ‖Ẋ‖ over all samples. */
  relativeResidual: number;
  /** STLSQ iterations and whether its active set settled. */
  iterations: number;
  converged: boolean;
  /** The symmetries of the fitted vector field (when a group or actions were given). */
  symmetry?: SymmetryReport;
  /** For `'enforce'`: the dimension of the equivariant coefficient subspace. */
  enforcedDimension?: number;
  /** For `'promote'`: the last convex solve's diagnostics. */
  solver?: NuclearNormSolveResult;
  /** The derivatives used, stacked over trajectories (rows × n). */
  derivatives: Matrix;
  /** The fitted vector field f(x) = Ξ·θ(x). */
  predict(x: ArrayLike<number>): Float64Array;
}

function asList(v: SindyOptions['trajectories'], fn: string, arg: string): Matrix[] {
  const isList = Array.isArray(v) && v.length > 0 && (v[0] instanceof Matrix || Array.isArray(v[0]?.[0]));
  const list = (isList ? v : [v]) as ReadonlyArray<Matrix | number[][]>;
  return list.map((t, k) => toMatrix(t, fn, list.length > 1 ? `${arg}[${k}]` : arg));
}

/**
 * Sparse identification of nonlinear dynamics dx/dt = Ξ·θ(x) (SINDy) with the three uses of
 * the Lie derivative under the tangent lift (L_ξ f = [ξ_M, f] = Df·ξ_M − Dξ_M·f): enforce a
 * symmetry on the fitted vector field, discover the symmetries of a fit, or promote them with
 * the nuclear norm. Derivatives by fourth-order finite differences or Savitzky–Golay
 * smoothing for noisy data.
 *
 * @throws ShapeMismatchError, EmptyInputError, NonFiniteError, InvalidArgumentError;
 *   NotConvergedError (promote, unless `onNotConverged: 'flag'`)
 * @example
 * const r = sindy({ library: new MonomialLibrary(2, 3), trajectories: xs, derivative: { dt: 0.01 },
 *   mode: 'enforce', group: SO(2) });
 * r.coefficients.toArray();
 */
export function sindy(options: SindyOptions): SindyResult {
  const fn = 'sindy';
  const weight = deprecatedOption<number>(fn, options ?? {}, { name: 'weight', alias: 'gamma' });
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be an object; received ${describe(options)}`);
  const lib = options.library;
  if (!lib || typeof lib.evaluate !== 'function') throw new InvalidArgumentError(`${fn}: 'library' must be a FunctionLibrary; received ${describe(lib)}`);
  const n = lib.m;
  const mode = options.mode ?? 'plain';
  if (!['plain', 'enforce', 'discover', 'promote'].includes(mode)) {
    throw new InvalidArgumentError(`${fn}: 'mode' must be 'plain', 'enforce', 'discover' or 'promote'; received ${describe(mode)}`);
  }
  if (options.rtol !== undefined) checkRtol(fn, options.rtol);
  if (options.trajectories === undefined) throw new EmptyInputError(`${fn}: 'trajectories' is required; received undefined`);
  const trajs = asList(options.trajectories, fn, 'trajectories');
  trajs.forEach((t, k) => {
    if (t.cols !== n) throw new ShapeMismatchError(`${fn}: trajectory ${k} must have ${n} columns (the library's m); received ${t.cols}`);
    if (t.rows === 0) throw new EmptyInputError(`${fn}: trajectory ${k} is empty`);
  });
  let ders: Matrix[];
  if (options.derivatives !== undefined) {
    ders = asList(options.derivatives, fn, 'derivatives');
    if (ders.length !== trajs.length) throw new ShapeMismatchError(`${fn}: 'derivatives' must hold ${trajs.length} arrays (one per trajectory); received ${ders.length}`);
    ders.forEach((d, k) => {
      if (d.rows !== trajs[k]!.rows || d.cols !== n) {
        throw new ShapeMismatchError(`${fn}: 'derivatives'[${k}] must be ${trajs[k]!.rows}×${n}; received ${d.rows}×${d.cols}`);
      }
    });
  } else {
    if (!options.derivative) throw new InvalidArgumentError(`${fn}: give 'derivatives' or 'derivative' ({ dt, method }); received neither`);
    ders = trajs.map((t) => timeDerivative(t, options.derivative!));
  }
  const X = Matrix.vstack(trajs);
  const Xdot = Matrix.vstack(ders);
  if (!Xdot.isFinite()) throw new NonFiniteError(`${fn}: the derivatives must be finite; received NaN or ±Infinity`);
  // Θ (S×K): the library at every sample. Plain and discover fits solve one least-squares problem per
  // output on its active columns (stlsqPerOutput); enforce and promote couple the outputs through the
  // Lie-derivative constraints and work on the block design B = blockDesign(Θ, n).
  const Theta = libraryMatrix(lib, X, fn);
  const y = Xdot.data;
  const threshold = options.threshold ?? 0.05;
  const needsGroup = mode !== 'plain';
  const hasGroup = options.group !== undefined || options.actions !== undefined;
  if (needsGroup && !hasGroup) throw new InvalidArgumentError(`${fn}: mode '${mode}' needs 'group' or 'actions'; received neither`);
  const form = hasGroup ? libraryForm({ library: lib, dimOut: n, samples: X }, resolveActions(fn, { ...options, output: 'tangent' }, { dimIn: n, dimOut: n })).form : undefined;
  let enforcedDimension: number | undefined;
  let solver: NuclearNormSolveResult | undefined;
  let allConverged = true;
  const limits = { threshold, ...(options.maxIterations !== undefined ? { maxIterations: options.maxIterations } : {}) };
  let st: StlsqResult;
  if (mode === 'enforce' || mode === 'promote') {
    const B = blockDesign(Theta, n);
    const common = {
      design: B,
      target: y,
      ...(options.rtol !== undefined ? { rtol: options.rtol } : {}),
      ...(options.solver ? { solver: options.solver } : {}),
      ...(options.onNotConverged ? { onNotConverged: options.onNotConverged } : {}),
    };
    const fit = (fixedZero: readonly boolean[]): Float64Array => {
      const r = symmetricRegression({
        ...common,
        form: form!,
        mode,
        fixedZero,
        ...(mode === 'promote' && weight !== undefined ? { weight } : {}),
      });
      if (r.enforce) enforcedDimension ??= r.enforce.dimension;
      if (r.solver) solver = r.solver;
      allConverged &&= r.converged;
      return r.theta;
    };
    st = stlsq({ design: B, target: y, ...limits, fit });
  } else {
    st = stlsqPerOutput(Theta, Xdot, limits);
  }
  const theta = st.theta;
  const coefficients = new Matrix(n, lib.size, theta.slice());
  const K = lib.size;
  let r2 = 0;
  let y2 = 0;
  for (let s = 0; s < Theta.rows; s++) {
    for (let i = 0; i < n; i++) {
      let pred = 0;
      for (let k = 0; k < K; k++) pred += Theta.data[s * K + k]! * theta[i * K + k]!;
      const yi = y[s * n + i]!;
      r2 += (pred - yi) ** 2;
      y2 += yi ** 2;
    }
  }
  return {
    coefficients,
    theta,
    active: st.active,
    relativeResidual: y2 > 0 ? Math.sqrt(r2 / y2) : Math.sqrt(r2),
    iterations: st.iterations,
    converged: st.converged && allConverged,
    ...(form ? { symmetry: symmetryReport(form, theta, options.rtol ?? FITTED_RTOL) } : {}),
    ...(enforcedDimension !== undefined ? { enforcedDimension } : {}),
    ...(solver ? { solver } : {}),
    derivatives: Xdot,
    predict(x) {
      const xv = Float64Array.from(x);
      if (xv.length !== n) throw new ShapeMismatchError(`${fn}.predict: 'x' must have ${n} entries; received ${xv.length}`);
      return coefficients.mulVec(lib.evaluate(xv));
    },
  };
}
