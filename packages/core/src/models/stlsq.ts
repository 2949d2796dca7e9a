import { InvalidArgumentError, NonFiniteError, ShapeMismatchError, describe } from '../errors.js';
import { Matrix } from '../linalg/Matrix.js';
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
 * Sequentially thresholded least squares (Brunton, Proctor & Kutz 2016, SINDy): fit, zero
 * the coefficients below `threshold`, refit on the rest, until the active set is stable.
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
  const threshold = options.threshold ?? 0.05;
  if (!(threshold >= 0) || !Number.isFinite(threshold)) throw new InvalidArgumentError(`${fn}: 'threshold' must be a finite number ≥ 0; received ${describe(threshold)}`);
  const maxIterations = options.maxIterations ?? 20;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new InvalidArgumentError(`${fn}: 'maxIterations' must be an integer ≥ 1; received ${describe(maxIterations)}`);
  const p = B.cols;
  const fit =
    options.fit ??
    ((zero: readonly boolean[]): Float64Array => {
      const keep = zero.flatMap((z, j) => (z ? [] : [j]));
      const sub = new Matrix(B.rows, keep.length);
      for (let i = 0; i < B.rows; i++) keep.forEach((j, c) => (sub.data[i * keep.length + c] = B.data[i * p + j]!));
      const x = leastSquares(sub, y).x;
      const theta = new Float64Array(p);
      keep.forEach((j, c) => (theta[j] = x[c]!));
      return theta;
    });
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
