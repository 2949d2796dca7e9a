import { deprecatedOption } from '../deprecatedOption.js';
import { InvalidArgumentError, ShapeMismatchError, describe } from '../errors.js';
import { Group } from '../groups/Group.js';
import type { GroupAction } from '../lie/GroupAction.js';
import { LieDerivative } from '../lie/LieDerivative.js';
import type { FunctionLibrary } from '../lie/MonomialLibrary.js';
import { basisExpansionModel, checkSamples } from '../lie/models.js';
import { Matrix, toMatrix } from '../linalg/Matrix.js';
import { checkRtol } from '../tolerances.js';
import { designMatrix } from './designMatrix.js';
import { groupActions } from './groupActions.js';
import {
  symmetricRegression,
  type SymmetricRegressionResult,
  type SymmetryMode,
} from './symmetricRegression.js';
import type { NuclearNormSolveOptions } from '../symmetry/solveNuclearNorm.js';

/** Options of {@link fitSymmetric}. */
export interface FitSymmetricOptions {
  /** The function library φ (owns the column order of W). */
  library: FunctionLibrary;
  /** Training inputs, S×m. */
  xs: Matrix | number[][];
  /** Training outputs, S×dimOut. */
  ys: Matrix | number[][];
  /** `'enforce'`, `'discover'` or `'promote'` (see {@link symmetricRegression}). */
  mode: SymmetryMode;
  /**
   * The candidate (discover, promote) or imposed (enforce) symmetry group, acting on the
   * input: linearly when group.d = m, affinely in homogeneous coordinates when group.d = m + 1
   * (T(m), SE(m)); outputs transform by `output`. Give `group` or `actions`.
   */
  group?: Group;
  /** `'invariant'` (default, τ = 0) or `'tangent'` (τ = A: vector fields). Used with `group`. */
  output?: 'invariant' | 'tangent';
  /** Explicit actions instead of `group` (acting on R^m → R^dimOut). */
  actions?: readonly GroupAction[];
  /**
   * Where the Lie derivative is evaluated when it cannot be exact (a library without
   * `actionMatrix`, or a non-affine action): samples, default `xs`. Ignored when exact.
   */
  lieSamples?: Matrix | number[][];
  /** γ, the weight of the penalized promote form; omit for min ‖D(W)‖_* s.t. ΘW = Y. */
  weight?: number;
  /** @deprecated use `weight` (the project's word for γ); read until the next minor version. */
  gamma?: number;
  /**
   * Relative tolerance of the rank decisions (a finite number in [0, 1)). Defaults as in
   * {@link symmetricRegression}: 1e-9 for the enforce nullspace (exact constraints), 1e-3 =
   * `defaultTolerance('rank', { derivative: 'fitted' })` for the symmetry report of the fitted W.
   */
  rtol?: number;
  /** Options of the convex solver. */
  solver?: NuclearNormSolveOptions;
  /** `'throw'` (default) or `'flag'` when the solver does not converge. */
  onNotConverged?: 'throw' | 'flag';  /**
   * For `'promote'`: a starting W (dimOut × library size), e.g. the fit of the same problem with a few
   * samples more or fewer (`result.W`). The solver starts there (projected onto ΘW = Y); the
   * certificate is the same (see `NuclearNormSolveOptions.start` for what it saves).
   */
  start?: Matrix;
}

/** Result of {@link fitSymmetric}: the fit, the symmetries it has, and the diagnostics. */
export interface FitSymmetricResult extends SymmetricRegressionResult {
  /** dimOut×size coefficients: F(x) = W·φ(x). */
  W: Matrix;
  /** Whether the Lie derivative was exact (closed library, affine actions) or sampled. */
  exact: boolean;
  /** The bilinear form used (model × candidate generators). */
  form: LieDerivative;
  /** F(x) = W·φ(x) for a new input. */
  predict(x: ArrayLike<number>): Float64Array;
}

/**
 * Fits F(x) = W·φ(x) to data with symmetry: **enforce** a group (least squares over the
 * W with L_ξ(W·φ) = 0), **discover** the symmetries of the least-squares fit (the
 * nullspace of D(W) = [L_ξ₁F, …, L_ξ_qF], with its spectrum) or **promote** symmetry by
 * the nuclear norm: min ‖D(W)‖_* s.t. ΘW = Y, or min ‖ΘW − Y‖² + γ‖D(W)‖_*.
 * The Lie derivative is exact when the library is closed under the (affine) action
 * (MonomialLibrary with linear groups, T(m), SE(m), scalings), sampled otherwise.
 *
 * Shapes: xs S×m, ys S×dimOut, W dimOut×size, θ = vec(W) row-major.
 * @throws ShapeMismatchError, EmptyInputError, NonFiniteError, InvalidArgumentError;
 *   NotConvergedError (promote, unless `onNotConverged: 'flag'`)
 * @example
 * const lib = new MonomialLibrary(5, 2);
 * const r = fitSymmetric({ library: lib, xs, ys, mode: 'promote', group: T(5) });
 * r.symmetry.dimension; // 4 for F(x) = φ(uᵀx)
 */
export function fitSymmetric(options: FitSymmetricOptions): FitSymmetricResult {
  const fn = 'fitSymmetric';
  const weight = deprecatedOption<number>(fn, options ?? {}, { name: 'weight', alias: 'gamma' });
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be an object; received ${describe(options)}`);
  const lib = options.library;
  if (!lib || typeof lib.evaluate !== 'function' || typeof lib.jacobian !== 'function') {
    throw new InvalidArgumentError(`${fn}: 'library' must be a FunctionLibrary (e.g. new MonomialLibrary(m, d) or customLibrary(...)); received ${describe(lib)}`);
  }
  if (options.rtol !== undefined) checkRtol(fn, options.rtol);
  const { X } = checkSamples(options.xs, { fn, dim: lib.m });
  const Y = toMatrix(options.ys, fn, 'ys');
  if (Y.rows !== X.rows) throw new ShapeMismatchError(`${fn}: 'ys' must have one row per sample in 'xs' (${X.rows}); received ${Y.rows}`);
  if (Y.cols < 1) throw new ShapeMismatchError(`${fn}: 'ys' rows must have at least one entry; received ${Y.cols}`);
  const dimOut = Y.cols;
  const { form, exact } = libraryForm({ library: lib, dimOut, samples: options.lieSamples ?? X }, resolveActions(fn, options, { dimIn: lib.m, dimOut }));
  const B = designMatrix(lib, X, { dimOut });
  let start: Float64Array | undefined;
  if (options.start !== undefined) {
    const S0 = options.start;
    if (!(S0 instanceof Matrix) || S0.rows !== dimOut || S0.cols !== lib.size) {
      throw new ShapeMismatchError(`${fn}: 'start' must be a ${dimOut}×${lib.size} Matrix (dimOut × library size, like result.W); received ${describe(S0)}`);
    }
    start = S0.data;
  }
  const r = symmetricRegression({
    design: B,
    target: Y.data,
    form,
    mode: options.mode,
    ...(weight !== undefined ? { weight } : {}),
    ...(options.rtol !== undefined ? { rtol: options.rtol } : {}),
    ...(options.solver ? { solver: options.solver } : {}),
    ...(options.onNotConverged ? { onNotConverged: options.onNotConverged } : {}),
    ...(start ? { start } : {}),
  });
  const W = new Matrix(dimOut, lib.size, r.theta.slice());
  return {
    ...r,
    W,
    exact,
    form,
    predict(x) {
      const xv = Float64Array.from(x);
      if (xv.length !== lib.m) throw new ShapeMismatchError(`${fn}.predict: 'x' must have ${lib.m} entries; received ${xv.length}`);
      return W.mulVec(lib.evaluate(xv));
    },
  };
}

/**
 * The bilinear Lie-derivative form of F(x) = W·φ(x) (W: dimOut × library size) under `actions`: exact
 * when the library is closed under them (it has `actionMatrix` and every action is affine), otherwise
 * sampled at `samples`.
 */
export function libraryForm(
  { library, dimOut, samples }: { library: FunctionLibrary; dimOut: number; samples: Matrix | number[][] },
  actions: readonly GroupAction[],
): { form: LieDerivative; exact: boolean } {
  const exact = library.actionMatrix !== undefined && actions.every((a) => a.affine !== undefined);
  const model = basisExpansionModel({ library, dimOut, ...(exact ? {} : { samples }) });
  return { form: new LieDerivative(model, actions), exact };
}

/** The actions from `group` or `actions`, checked against the model's shape. */
export function resolveActions(
  fn: string,
  options: { group?: Group; actions?: readonly GroupAction[]; output?: 'invariant' | 'tangent' },
  { dimIn, dimOut }: { dimIn: number; dimOut: number },
): GroupAction[] {
  if ((options.group === undefined) === (options.actions === undefined)) {
    throw new InvalidArgumentError(`${fn}: give exactly one of 'group' and 'actions'; received ${options.group ? 'both' : 'neither'}`);
  }
  let actions: GroupAction[];
  if (options.group !== undefined) {
    if (!(options.group instanceof Group)) throw new InvalidArgumentError(`${fn}: 'group' must be a Group; received ${describe(options.group)}`);
    actions = groupActions(options.group, { dimIn, output: options.output ?? 'invariant', dimOut });
  } else {
    if (!Array.isArray(options.actions) || options.actions.length === 0) {
      throw new InvalidArgumentError(`${fn}: 'actions' must be a non-empty array of GroupAction; received ${describe(options.actions)}`);
    }
    actions = [...options.actions];
  }
  actions.forEach((a, j) => {
    if (a.dimIn !== dimIn || a.dimOut !== dimOut) {
      throw new ShapeMismatchError(`${fn}: action ${j} must act on R^${dimIn} → R^${dimOut}; received R^${a.dimIn} → R^${a.dimOut}`);
    }
  });
  return actions;
}
