import { ShapeMismatchError } from '../errors.js';
import { checkRtol } from '../tolerances.js';
import { Matrix } from '../linalg/Matrix.js';
import { stableNorm } from '../linalg/powerOfTwo.js';
import { svd } from '../linalg/svd.js';

/** Result of {@link leastSquares}. */
export interface LeastSquaresResult {
  /** The minimum-norm least-squares solution, length A.cols. */
  x: Float64Array;
  /** Numerical rank of A at the relative tolerance. */
  rank: number;
  /** ‖A·x − y‖. */
  residual: number;
  /** Singular values of A, ascending (like every spectrum in a liesym result; `svd().s` is descending). */
  singularValues: Float64Array;
}

/**
 * The minimum-norm least-squares solution x = A⁺·y (thin SVD, singular values below
 * rtol·σ_max dropped), with the rank it used.
 * @param a m×n
 * @param y length m
 * @param rtol relative cut-off of singular values (default 1e-12)
 * @throws ShapeMismatchError when y.length ≠ m; InvalidArgumentError for an rtol outside [0, 1)
 * @example
 * leastSquares(Matrix.from([[1, 1]]), Float64Array.of(2)).x; // [1, 1]
 */
export function leastSquares(a: Matrix, y: ArrayLike<number>, rtol = 1e-12): LeastSquaresResult {
  if (y.length !== a.rows) throw new ShapeMismatchError(`leastSquares: 'y' must have ${a.rows} entries; received ${y.length}`);
  checkRtol('leastSquares', rtol);
  const n = a.cols;
  if (a.rows === 0 || n === 0) return { x: new Float64Array(n), rank: 0, residual: Math.hypot(...Array.from(y)), singularValues: new Float64Array(0) };
  const { U, s, V } = svd(a);
  const k = s.length;
  const cut = rtol * (s[0] ?? 0);
  const x = new Float64Array(n);
  let rank = 0;
  for (let j = 0; j < k; j++) {
    if (!(s[j]! > cut) || s[j] === 0) continue;
    rank++;
    let d = 0;
    for (let i = 0; i < a.rows; i++) d += U.data[i * k + j]! * y[i]!;
    d /= s[j]!;
    for (let i = 0; i < n; i++) x[i]! += d * V.data[i * k + j]!;
  }
  const r = a.mulVec(x);
  for (let i = 0; i < a.rows; i++) r[i]! -= y[i]!;
  return { x, rank, residual: stableNorm(r), singularValues: s.slice().reverse() };
}
