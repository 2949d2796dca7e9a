import { InvalidArgumentError, NonFiniteError, ShapeMismatchError, describe } from '../errors.js';
import { Matrix } from '../linalg/Matrix.js';
import { qrR } from '../linalg/svd.js';
import { leastSquares } from './leastSquares.js';

/** Options of {@link stlsq}. */
export interface StlsqOptions {
  /** The regression matrix B (rows×p). */
  design: Matrix;
  /** The targets, one per row of B. */
  target: ArrayLike<number>;
  /** Coefficients with |θⱼ| < threshold are set to zero (default 0.05). */
  threshold?: number;
  /** Iteration limit (default 20). */
  maxIterations?: number;
  /**
   * The fit with some coefficients forced to zero (default: least squares on the other
   * columns). Replace it to threshold inside a constrained fit (e.g. an enforced symmetry).
   */
  fit?: (fixedZero: readonly boolean[]) => Float64Array;
}

/** Result of {@link stlsq}. */
export interface StlsqResult {
  /** The sparse coefficients, length p. */
  theta: Float64Array;
  /** Which coefficients are active (non-zero). */
  active: boolean[];
  iterations: number;
  /** True when the active set stopped changing before the iteration limit. */
  converged: boolean;
}

/**
 * Least squares on column subsets of one matrix A (rows×p) against the columns of Y (rows×t),
 * through one Householder QR of [A | Y] = Q·R computed once: ‖A_S·w − yᵢ‖² = ‖R₁₁[:, S]·w − R₁₂[:, i]‖²
 * + (a part that does not depend on w), so every refit is the minimum-norm least-squares solution of a
 * p×|S| problem (thin SVD, {@link leastSquares}) instead of a rows×|S| one. A_S = Q·R₁₁[:, S] with Q
 * orthonormal: the same singular values, hence the same rank decisions and the same minimum-norm solution.
 * When rows ≤ p + t there is nothing to reduce and the subsets of A are solved directly.
 */
function subsetLeastSquares(a: Matrix, y: Matrix): (cols: readonly number[], target: number) => Float64Array {
  const p = a.cols;
  const t = y.cols;
  let reduced = a;
  let rhs = y;
  if (a.rows > p + t) {
    const r = qrR(Matrix.hstack([a, y]));
    reduced = new Matrix(p, p);
    rhs = new Matrix(p, t);
    for (let i = 0; i < p; i++) {
      reduced.data.set(r.data.subarray(i * (p + t), i * (p + t) + p), i * p);
      rhs.data.set(r.data.subarray(i * (p + t) + p, (i + 1) * (p + t)), i * t);
    }
  }
  return (cols, target) => {
    const q = cols.length;
    const sub = new Matrix(reduced.rows, q);
    for (let i = 0; i < reduced.rows; i++) for (let c = 0; c < q; c++) sub.data[i * q + c] = reduced.data[i * p + cols[c]!]!;
    const b = new Float64Array(reduced.rows);
    for (let i = 0; i < reduced.rows; i++) b[i] = rhs.data[i * t + target]!;
    return leastSquares(sub, b).x;
  };
}

/** The thresholding loop shared by {@link stlsq} and {@link stlsqPerOutput}. */
function thresholdLoop(p: number, fit: (fixedZero: readonly boolean[]) => Float64Array, { threshold, maxIterations }: { threshold: number; maxIterations: number }): StlsqResult {
  let zero = new Array<boolean>(p).fill(false);
  let theta = fit(zero);
  let iterations = 0;
  let converged = false;
  for (let it = 1; it <= maxIterations; it++) {
    iterations = it;
    const next = Array.from(theta, (v, j) => zero[j]! || Math.abs(v) < threshold);
    if (next.every((z, j) => z === zero[j])) {
      converged = true;
      break;
    }
    zero = next;
    theta = fit(zero);
    for (let j = 0; j < p; j++) if (zero[j]) theta[j] = 0;
  }
  return { theta, active: zero.map((z) => !z), iterations, converged };
}

function checkThresholds(fn: string, options: { threshold?: number | undefined; maxIterations?: number | undefined }): { threshold: number; maxIterations: number } {
  const threshold = options.threshold ?? 0.05;
  if (!(threshold >= 0) || !Number.isFinite(threshold)) throw new InvalidArgumentError(`${fn}: 'threshold' must be a finite number ≥ 0; received ${describe(threshold)}`);
  const maxIterations = options.maxIterations ?? 20;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new InvalidArgumentError(`${fn}: 'maxIterations' must be an integer ≥ 1; received ${describe(maxIterations)}`);
  return { threshold, maxIterations };
}

/**
 * Sequentially thresholded least squares (Brunton, Proctor & Kutz 2016, SINDy): fit, zero
 * the coefficients below `threshold`, refit on the rest, until the active set is stable.
 * The default fit factors [B | y] once (Householder QR) and solves every refit on the p×p triangle.
 * @throws ShapeMismatchError, NonFiniteError, InvalidArgumentError
 * @example
 * const { theta, active } = stlsq({ design: Theta, target: dxdt, threshold: 0.1 });
 */
export function stlsq(options: StlsqOptions): StlsqResult {
  const fn = 'stlsq';
  const B = options?.design;
  if (!(B instanceof Matrix)) throw new InvalidArgumentError(`${fn}: 'design' must be a Matrix; received ${describe(B)}`);
  const y = Float64Array.from(options.target ?? []);
  if (y.length !== B.rows) throw new ShapeMismatchError(`${fn}: 'target' must have ${B.rows} entries (one per row of 'design'); received ${y.length}`);
  if (!B.isFinite() || !y.every(Number.isFinite)) throw new NonFiniteError(`${fn}: 'design' and 'target' must be finite; received NaN or ±Infinity`);
  const settings = checkThresholds(fn, options);
  const p = B.cols;
  let fit = options.fit;
  if (!fit) {
    const solve = subsetLeastSquares(B, new Matrix(y.length, 1, y));
    fit = (zero) => {
      const keep = zero.flatMap((z, j) => (z ? [] : [j]));
      const x = solve(keep, 0);
      const theta = new Float64Array(p);
      keep.forEach((j, c) => (theta[j] = x[c]!));
      return theta;
    };
  }
  return thresholdLoop(p, fit, settings);
}

/**
 * STLSQ for a multi-output model Ẏ ≈ Θ·Ξᵀ (Θ: S×K library matrix, Y: S×n, Ξ: n×K): the block design
 * of all outputs is block diagonal, so each output is its own least-squares problem on its active
 * library columns, all solved from one QR of [Θ | Y]. Returns θ = vec(Ξ) row-major and the same
 * iterations and active sets as {@link stlsq} on the block design (one threshold loop over all outputs).
 * Inputs are validated by the caller ({@link sindy}).
 */
export function stlsqPerOutput(theta: Matrix, targets: Matrix, options: { threshold?: number; maxIterations?: number }): StlsqResult {
  const settings = checkThresholds('stlsq', options);
  const K = theta.cols;
  const n = targets.cols;
  const solve = subsetLeastSquares(theta, targets);
  return thresholdLoop(
    n * K,
    (zero) => {
      const out = new Float64Array(n * K);
      for (let i = 0; i < n; i++) {
        const keep: number[] = [];
        for (let k = 0; k < K; k++) if (!zero[i * K + k]) keep.push(k);
        if (keep.length === 0) continue;
        const x = solve(keep, i);
        keep.forEach((k, c) => (out[i * K + k] = x[c]!));
      }
      return out;
    },
    settings,
  );
}
