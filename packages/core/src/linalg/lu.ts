import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';
import { Matrix } from './Matrix.js';

/**
 * LU factorization with partial pivoting, P·A = L·U, of a square matrix.
 * `singular` is true when a pivot is exactly zero or below n·ε·max|A|.
 */
export class LuDecomposition {
  readonly n: number;
  readonly singular: boolean;
  private readonly lu: Float64Array;
  private readonly piv: Int32Array;

  constructor(a: Matrix) {
    if (!a.isSquare) {
      throw new ShapeMismatchError(`LuDecomposition: 'a' must be square; received ${a.rows}×${a.cols}`);
    }
    const n = a.rows;
    const lu = a.data.slice();
    const piv = new Int32Array(n);
    for (let i = 0; i < n; i++) piv[i] = i;
    const tiny = n * Number.EPSILON * Math.max(a.maxAbs(), Number.MIN_VALUE);
    let singular = false;
    for (let k = 0; k < n; k++) {
      let p = k;
      let best = Math.abs(lu[k * n + k]!);
      for (let i = k + 1; i < n; i++) {
        const v = Math.abs(lu[i * n + k]!);
        if (v > best) {
          best = v;
          p = i;
        }
      }
      if (p !== k) {
        for (let j = 0; j < n; j++) {
          const t = lu[k * n + j]!;
          lu[k * n + j] = lu[p * n + j]!;
          lu[p * n + j] = t;
        }
        const t = piv[k]!;
        piv[k] = piv[p]!;
        piv[p] = t;
      }
      const pivot = lu[k * n + k]!;
      if (Math.abs(pivot) <= tiny) {
        singular = true;
        continue;
      }
      for (let i = k + 1; i < n; i++) {
        const f = (lu[i * n + k]! /= pivot);
        if (f === 0) continue;
        for (let j = k + 1; j < n; j++) lu[i * n + j]! -= f * lu[k * n + j]!;
      }
    }
    this.n = n;
    this.lu = lu;
    this.piv = piv;
    this.singular = singular;
  }

  /** Solves A·X = B for X. */
  solve(b: Matrix): Matrix {
    const n = this.n;
    if (b.rows !== n) {
      throw new ShapeMismatchError(`LuDecomposition.solve: 'b' must have ${n} rows; received ${b.rows}`);
    }
    const m = b.cols;
    const x = new Float64Array(n * m);
    for (let i = 0; i < n; i++) x.set(b.data.subarray(this.piv[i]! * m, this.piv[i]! * m + m), i * m);
    const lu = this.lu;
    for (let k = 0; k < n; k++) {
      for (let i = k + 1; i < n; i++) {
        const f = lu[i * n + k]!;
        if (f === 0) continue;
        for (let j = 0; j < m; j++) x[i * m + j]! -= f * x[k * m + j]!;
      }
    }
    for (let k = n - 1; k >= 0; k--) {
      const d = lu[k * n + k]!;
      for (let j = 0; j < m; j++) x[k * m + j]! /= d;
      for (let i = 0; i < k; i++) {
        const f = lu[i * n + k]!;
        if (f === 0) continue;
        for (let j = 0; j < m; j++) x[i * m + j]! -= f * x[k * m + j]!;
      }
    }
    return new Matrix(n, m, x);
  }
}

/**
 * The inverse of a square, non-singular matrix.
 * @throws ShapeMismatchError for non-square input; InvalidArgumentError when singular
 */
export function inverse(a: Matrix, fn = 'inverse'): Matrix {
  const lu = new LuDecomposition(a);
  if (lu.singular) {
    throw new InvalidArgumentError(`${fn}: 'a' must be invertible; received a singular ${a.rows}×${a.cols} matrix`);
  }
  return lu.solve(Matrix.identity(a.rows));
}

/**
 * Solves A·X = B.
 * @throws InvalidArgumentError when A is singular; ShapeMismatchError when shapes disagree
 */
export function solve(a: Matrix, b: Matrix): Matrix {
  const lu = new LuDecomposition(a);
  if (lu.singular) {
    throw new InvalidArgumentError(`solve: 'a' must be invertible; received a singular ${a.rows}×${a.cols} matrix`);
  }
  return lu.solve(b);
}
