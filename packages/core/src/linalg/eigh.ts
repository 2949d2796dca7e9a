import { ShapeMismatchError } from '../errors.js';
import { Matrix } from './Matrix.js';

/** A symmetric eigendecomposition S = Q·diag(values)·Qᵀ. */
export interface EighResult {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** n×n, orthonormal eigenvectors in columns, in the order of `values`. */
  vectors: Matrix;
}

/** √(a² + b²) without overflow. */
function hypot(a: number, b: number): number {
  if (Math.abs(a) > Math.abs(b)) {
    const r = b / a;
    return Math.abs(a) * Math.sqrt(1 + r * r);
  }
  if (b === 0) return 0;
  const r = a / b;
  return Math.abs(b) * Math.sqrt(1 + r * r);
}

/** The working arrays of {@link tred2} and {@link tql2}. */
interface Work {
  n: number;
  v: Float64Array;
  d: Float64Array;
  e: Float64Array;
}

/**
 * Householder reduction to tridiagonal form (JAMA's tred2). `v` (n×n, row-major) holds the
 * matrix transposed on entry and the accumulated transform transposed on exit, so the hot
 * loops run along rows; `d` gets the diagonal, `e` the subdiagonal.
 */
function tred2({ n, v, d, e }: Work): void {
  for (let j = 0; j < n; j++) d[j] = v[j * n + n - 1]!;
  for (let i = n - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = v[j * n + i - 1]!;
        v[j * n + i] = 0;
        v[i * n + j] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k]! /= scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        v[i * n + j] = f;
        g = e[j]! + v[j * n + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[j * n + k]! * d[k]!;
          e[k]! += v[j * n + k]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j]! /= h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j]! -= hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) v[j * n + k]! -= f * e[k]! + g * d[k]!;
        d[j] = v[j * n + i - 1]!;
        v[j * n + i] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < n - 1; i++) {
    v[i * n + n - 1] = v[i * n + i]!;
    v[i * n + i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[(i + 1) * n + k]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += v[(i + 1) * n + k]! * v[j * n + k]!;
        for (let k = 0; k <= i; k++) v[j * n + k]! -= g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) v[(i + 1) * n + k] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[j * n + n - 1]!;
    v[j * n + n - 1] = 0;
  }
  v[n * n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL on the tridiagonal (d, e) (JAMA's tql2), rotating `v` (transposed) along; eigenvalues end ascending. */
function tql2({ n, v, d, e }: Work): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = Number.EPSILON;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n && !(Math.abs(e[m]!) <= eps * tst1)) m++;
    if (m > l) {
      do {
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          for (let k = 0; k < n; k++) {
            h = v[(i + 1) * n + k]!;
            v[(i + 1) * n + k] = s * v[i * n + k]! + c * h;
            v[i * n + k] = c * v[i * n + k]! - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i]!;
    for (let j = i + 1; j < n; j++) {
      if (d[j]! < p) {
        k = j;
        p = d[j]!;
      }
    }
    if (k !== i) {
      d[k] = d[i]!;
      d[i] = p;
      for (let j = 0; j < n; j++) {
        p = v[i * n + j]!;
        v[i * n + j] = v[k * n + j]!;
        v[k * n + j] = p;
      }
    }
  }
}

/**
 * Eigendecomposition of a symmetric matrix: Householder tridiagonalization and the implicit
 * QL algorithm (JAMA's tred2/tql2, the same arithmetic as ml-matrix's port, on one flat
 * Float64Array: a training loop calls it every step on small Gram matrices, where
 * converting to and from another matrix type cost more than the algorithm). Only the upper
 * triangle's symmetry is assumed, not checked: symmetrize first if in doubt.
 * @throws ShapeMismatchError for non-square input
 */
export function eigh(s: Matrix): EighResult {
  if (!s.isSquare) throw new ShapeMismatchError(`eigh: 's' must be square; received ${s.rows}×${s.cols}`);
  const n = s.rows;
  if (n === 0) return { values: new Float64Array(0), vectors: new Matrix(0, 0) };
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) v[j * n + i] = s.data[i * n + j]!;
  const values = new Float64Array(n);
  const e = new Float64Array(n);
  const work = { n, v, d: values, e };
  tred2(work);
  tql2(work);
  // v holds the eigenvectors transposed: row k is eigenvector k
  const vectors = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) vectors.data[i * n + k] = v[k * n + i]!;
  return { values, vectors };
}
