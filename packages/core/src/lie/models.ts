import {
  EmptyInputError,
  InvalidArgumentError,
  NonFiniteError,
  ShapeMismatchError,
  UnsupportedOperationError,
  describe,
} from '../errors.js';
import { Matrix, toMatrix } from '../linalg/Matrix.js';
import type { GroupAction } from './GroupAction.js';
import type { FunctionLibrary } from './MonomialLibrary.js';
import { finiteDifferenceJacobian } from './finiteDifferences.js';
import { sampleWeights } from './samples.js';

/**
 * A model F_θ: R^dimIn → R^dimOut seen by the Lie derivative. `derivative(ξ, θ)` returns
 * L_ξ F_θ as a vector of `rowCount` numbers (coefficients when exact, or the values at
 * the samples with rows (sample, output) scaled by √w_s). For models linear in θ,
 * `derivativeMatrix(ξ)` is the rowCount×parameterCount matrix M_ξ with
 * derivative(ξ, θ) = M_ξ·θ: the bilinear form read in the parameter slot.
 */
export interface LieModel {
  readonly kind: string;
  readonly dimIn: number;
  readonly dimOut: number;
  /** Number of parameters p (0 for a fixed black-box function). */
  readonly parameterCount: number;
  readonly rowCount: number;
  readonly linearInParameters: boolean;
  /** L_ξ F_θ (θ ignored by fixed models). */
  derivative(action: GroupAction, theta?: Float64Array): Float64Array;
  /** M_ξ (rowCount × parameterCount). @throws UnsupportedOperationError when not linear in θ */
  derivativeMatrix(action: GroupAction): Matrix;
  /** The output of F_θ at x (used for discrete-symmetry checks). */
  evaluate?(x: Float64Array, theta?: Float64Array): Float64Array;
}

function checkAction(model: LieModel, a: GroupAction, fn: string): void {
  if (a.dimIn !== model.dimIn || a.dimOut !== model.dimOut) {
    throw new ShapeMismatchError(
      `${fn}: the action must act on R^${model.dimIn} → R^${model.dimOut}; received R^${a.dimIn} → R^${a.dimOut}`,
    );
  }
}

function checkTheta(model: LieModel, theta: Float64Array | undefined, fn: string): Float64Array {
  if (theta === undefined || theta.length !== model.parameterCount) {
    throw new ShapeMismatchError(`${fn}: 'theta' must have ${model.parameterCount} entries; received ${theta ? theta.length : 'undefined'}`);
  }
  return theta;
}

/**
 * The linear (affine) layer F(x) = W·x + b, W: dimOut×dimIn, with parameters
 * θ = [vec(W) row-major, b]. Exact closed form for affine actions ξ_M(x) = A·x + c:
 * L_ξ F(x) = (W·A − τ·W)·x + (W·c − τ·b). Rows: the dimOut·dimIn entries of the
 * linear part, then the dimOut entries of the constant part.
 */
export function linearMapModel(spec: { dimIn: number; dimOut: number; bias?: boolean }): LieModel {
  const { dimIn: n, dimOut: m } = spec;
  for (const [k, v] of [
    ['dimIn', n],
    ['dimOut', m],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new InvalidArgumentError(`linearMapModel: '${k}' must be an integer ≥ 1; received ${describe(v)}`);
  }
  const bias = spec.bias ?? false;
  const p = m * n + (bias ? m : 0);
  const model: LieModel = {
    kind: 'linear-map',
    dimIn: n,
    dimOut: m,
    parameterCount: p,
    rowCount: m * n + m,
    linearInParameters: true,
    derivativeMatrix(action) {
      checkAction(model, action, 'linearMapModel.derivativeMatrix');
      const aff = action.affine;
      if (!aff) {
        throw new UnsupportedOperationError(
          `linearMapModel.derivativeMatrix: a linear layer has an exact Lie derivative only under affine actions; sample it with basisExpansionModel or functionModel instead`,
        );
      }
      const { A, b: c, tau } = aff;
      const M = new Matrix(m * n + m, p);
      const cols = p;
      // (W·A)[i][j] = Σ_k W[i][k] A[k][j];  (τ·W)[i][j] = Σ_k τ[i][k] W[k][j]
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          const row = (i * n + j) * cols;
          for (let k = 0; k < n; k++) M.data[row + i * n + k]! += A.data[k * n + j]!;
          for (let k = 0; k < m; k++) M.data[row + k * n + j]! -= tau.data[i * m + k]!;
        }
      }
      for (let i = 0; i < m; i++) {
        const row = (m * n + i) * cols;
        for (let k = 0; k < n; k++) M.data[row + i * n + k]! += c[k]!;
        if (bias) for (let k = 0; k < m; k++) M.data[row + m * n + k]! -= tau.data[i * m + k]!;
      }
      return M;
    },
    derivative(action, theta) {
      return model.derivativeMatrix(action).mulVec(checkTheta(model, theta, 'linearMapModel.derivative'));
    },
    evaluate(x, theta) {
      const t = checkTheta(model, theta, 'linearMapModel.evaluate');
      const y = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        let s = bias ? t[m * n + i]! : 0;
        for (let j = 0; j < n; j++) s += t[i * n + j]! * x[j]!;
        y[i] = s;
      }
      return y;
    },
  };
  return model;
}

/** Where and how {@link checkSamples} validates: the entry `fn`, the argument's name (default 'xs'), the coordinates each sample must have, the sample weights. */
interface SampleCheck {
  fn: string;
  arg?: string;
  dim?: number | undefined;
  weights?: ArrayLike<number> | undefined;
}

/** Validated samples as rows of a matrix, plus normalized weights (default uniform 1/S). */
export function checkSamples(xs: unknown, { fn, arg = 'xs', dim, weights }: SampleCheck): { X: Matrix; sqrtW: Float64Array } {
  const X = toMatrix(xs, fn, arg);
  if (X.rows === 0) throw new EmptyInputError(`${fn}: '${arg}' must hold at least one sample; received none`);
  if (dim !== undefined && X.cols !== dim) {
    throw new ShapeMismatchError(`${fn}: every sample in '${arg}' must have ${dim} coordinates; received ${X.cols}`);
  }
  const sqrtW = sampleWeights(fn, X.rows, weights);
  return { X, sqrtW };
}

/**
 * The basis expansion F(x) = W·φ(x) with a function library φ, W: dimOut×size, parameters
 * θ = vec(W) row-major. L_ξ F(x) = W·Dφ(x)·ξ_M(x) − τ_ξ(x)·W·φ(x), linear in W.
 *
 * Without `samples` the Lie derivative is exact: the library must be closed under the
 * (affine) action (e.g. {@link MonomialLibrary}); rows are the coefficients of
 * L_ξ F = (W·M_ξ − τ·W)·φ, indexed (output, library function). With `samples` rows are
 * (sample, output), scaled by √w_s.
 */
export function basisExpansionModel(spec: {
  library: FunctionLibrary;
  dimOut: number;
  samples?: Matrix | number[][];
  weights?: ArrayLike<number>;
}): LieModel {
  const fn = 'basisExpansionModel';
  const lib = spec.library;
  const m = spec.dimOut;
  if (!Number.isInteger(m) || m < 1) throw new InvalidArgumentError(`${fn}: 'dimOut' must be an integer ≥ 1; received ${describe(m)}`);
  const K = lib.size;
  const p = m * K;
  const sampled = spec.samples !== undefined ? checkSamples(spec.samples, { fn, dim: lib.m, weights: spec.weights, arg: 'samples' }) : undefined;
  const phis = sampled ? Array.from({ length: sampled.X.rows }, (_, s) => lib.evaluate(sampled.X.row(s))) : [];
  const jacs = sampled ? Array.from({ length: sampled.X.rows }, (_, s) => lib.jacobian(sampled.X.row(s))) : [];
  const model: LieModel = {
    kind: sampled ? 'basis-expansion-sampled' : 'basis-expansion-exact',
    dimIn: lib.m,
    dimOut: m,
    parameterCount: p,
    rowCount: sampled ? sampled.X.rows * m : m * K,
    linearInParameters: true,
    derivativeMatrix(action) {
      checkAction(model, action, `${fn}.derivativeMatrix`);
      if (!sampled) {
        const aff = action.affine;
        const M = aff && lib.actionMatrix ? lib.actionMatrix(aff.A, aff.b) : undefined;
        if (!aff || !M) {
          throw new UnsupportedOperationError(
            `${fn}.derivativeMatrix: an exact Lie derivative needs an affine action and a library closed under it; pass 'samples' for a sampled one`,
          );
        }
        const tau = aff.tau;
        // vec(W·M) = (I ⊗ Mᵀ) vec W; vec(τ·W) = (τ ⊗ I) vec W
        const D = new Matrix(m * K, p);
        for (let i = 0; i < m; i++) {
          for (let k = 0; k < K; k++) {
            const row = (i * K + k) * p;
            for (let l = 0; l < K; l++) D.data[row + i * K + l]! += M.data[l * K + k]!;
            for (let r = 0; r < m; r++) D.data[row + r * K + k]! -= tau.data[i * m + r]!;
          }
        }
        return D;
      }
      const S = sampled.X.rows;
      const D = new Matrix(S * m, p);
      for (let s = 0; s < S; s++) {
        const x = sampled.X.row(s);
        const g = jacs[s]!.mulVec(action.field(x)); // Dφ(x)·ξ_M(x), length K
        const phi = phis[s]!;
        const tau = action.tau(x);
        const w = sampled.sqrtW[s]!;
        for (let i = 0; i < m; i++) {
          const row = (s * m + i) * p;
          for (let k = 0; k < K; k++) D.data[row + i * K + k]! += w * g[k]!;
          for (let r = 0; r < m; r++) {
            const t = tau.data[i * m + r]!;
            if (t === 0) continue;
            for (let k = 0; k < K; k++) D.data[row + r * K + k]! -= w * t * phi[k]!;
          }
        }
      }
      return D;
    },
    derivative(action, theta) {
      return model.derivativeMatrix(action).mulVec(checkTheta(model, theta, `${fn}.derivative`));
    },
    evaluate(x, theta) {
      const t = checkTheta(model, theta, `${fn}.evaluate`);
      const phi = lib.evaluate(x);
      const y = new Float64Array(m);
      for (let i = 0; i < m; i++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += t[i * K + k]! * phi[k]!;
        y[i] = s;
      }
      return y;
    },
  };
  return model;
}

/** Options of {@link functionModel}. */
export interface FunctionModelOptions {
  /** The exact Jacobian DF(x) (dimOut×dimIn). Default: central finite differences with an automatic step. */
  jacobian?: (x: Float64Array) => Matrix | number[][];
  /** Sample weights w_s (default 1/S each). */
  weights?: ArrayLike<number>;
}

/**
 * A fixed black-box function F: R^dimIn → R^dimOut evaluated at samples x_s. Its Lie
 * derivative at the samples, rows (sample, output) scaled by √w_s, is computed from
 * F(x_s) and DF(x_s), both evaluated once here. Not linear in any parameters: only the
 * generator slot of the bilinear form is available.
 * @throws EmptyInputError for no samples; NonFiniteError when f returns NaN/±Infinity
 */
export function functionModel(
  f: (x: Float64Array) => ArrayLike<number>,
  xs: Matrix | number[][],
  options: FunctionModelOptions = {},
): LieModel & {
  readonly values: readonly Float64Array[];
  readonly jacobians: readonly Matrix[];
  readonly samples: Matrix;
  /**
   * √(Σ_s w_s (‖DF(x_s)‖²‖ξ_M(x_s)‖² + ‖τ_ξ(x_s)‖²‖F(x_s)‖²)): a bound on the size of the two
   * terms whose difference is L_ξ F, hence the scale of its rounding and differencing errors.
   */
  termScale(action: GroupAction): number;
} {
  const fn = 'functionModel';
  if (typeof f !== 'function') throw new InvalidArgumentError(`${fn}: 'f' must be a function; received ${describe(f)}`);
  const { X, sqrtW } = checkSamples(xs, { fn, weights: options.weights });
  const S = X.rows;
  const n = X.cols;
  const call = (x: Float64Array): Float64Array => {
    const y = f(x);
    if (y === null || typeof y !== 'object' || typeof (y as ArrayLike<number>).length !== 'number') {
      throw new InvalidArgumentError(`${fn}: 'f' must return an array of numbers; returned ${describe(y)}`);
    }
    return Float64Array.from(y);
  };
  const values: Float64Array[] = [];
  const jacobians: Matrix[] = [];
  let m = -1;
  for (let s = 0; s < S; s++) {
    const x = X.row(s);
    const y = call(x);
    if (m < 0) m = y.length;
    if (y.length !== m) throw new ShapeMismatchError(`${fn}: 'f' must return ${m} numbers for every sample; returned ${y.length} at sample ${s}`);
    for (let i = 0; i < m; i++) {
      if (!Number.isFinite(y[i]!)) throw new NonFiniteError(`${fn}: 'f' returned ${describe(y[i])} at sample ${s}, output ${i}`);
    }
    let J: Matrix;
    if (options.jacobian) {
      J = toMatrix(options.jacobian(x), fn, 'jacobian(x)');
      if (J.rows !== m || J.cols !== n) {
        throw new ShapeMismatchError(`${fn}: 'jacobian' must return a ${m}×${n} matrix; returned ${J.rows}×${J.cols} at sample ${s}`);
      }
    } else {
      J = finiteDifferenceJacobian(call, x);
      if (!J.isFinite()) throw new NonFiniteError(`${fn}: the finite-difference Jacobian at sample ${s} is not finite`);
    }
    values.push(y);
    jacobians.push(J);
  }
  if (m === 0) throw new ShapeMismatchError(`${fn}: 'f' must return at least one number; returned 0`);
  const model = {
    kind: 'function',
    dimIn: n,
    dimOut: m,
    parameterCount: 0,
    rowCount: S * m,
    linearInParameters: false,
    values,
    jacobians,
    samples: X,
    derivative(action: GroupAction): Float64Array {
      checkAction(model, action, `${fn}.derivative`);
      const out = new Float64Array(S * m);
      for (let s = 0; s < S; s++) {
        const x = X.row(s);
        const jd = jacobians[s]!.mulVec(action.field(x));
        const ty = action.tau(x).mulVec(values[s]!);
        const w = sqrtW[s]!;
        for (let i = 0; i < m; i++) out[s * m + i] = w * (jd[i]! - ty[i]!);
      }
      return out;
    },
    termScale(action: GroupAction): number {
      checkAction(model, action, `${fn}.termScale`);
      let s2 = 0;
      for (let s = 0; s < S; s++) {
        const x = X.row(s);
        const xi = action.field(x);
        let xi2 = 0;
        for (let i = 0; i < xi.length; i++) xi2 += xi[i]! ** 2;
        let f2 = 0;
        for (let i = 0; i < m; i++) f2 += values[s]![i]! ** 2;
        s2 += sqrtW[s]! ** 2 * (jacobians[s]!.norm() ** 2 * xi2 + action.tau(x).norm() ** 2 * f2);
      }
      return Math.sqrt(s2);
    },
    derivativeMatrix(): Matrix {
      throw new UnsupportedOperationError(
        `${fn}.derivativeMatrix: a black-box function has no parameters the Lie derivative is linear in; use the generator slot (LieDerivative.inGenerators)`,
      );
    },
    evaluate: (x: Float64Array) => call(x),
  };
  return model;
}
