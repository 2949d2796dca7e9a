import { NotConvergedError } from '../errors.js';
import { Matrix } from './Matrix.js';
import { normalizingExponent, scaleInPlace } from './powerOfTwo.js';

/** A thin singular value decomposition A = U·diag(s)·Vᵀ. */
export interface SvdResult {
  /** m×k, orthonormal columns (k = min(m, n)); columns for σ = 0 are zero. */
  U: Matrix;
  /**
   * The k singular values, descending: the order of a decomposition (column k of U and V belongs
   * to s[k]). Results that report a spectrum for a decision (nullspace, bases, least squares) list
   * it ascending instead.
   */
  s: Float64Array;
  /** n×k, orthonormal columns. */
  V: Matrix;
}

/**
 * Reduces a tall m×n matrix (m > n) to its n×n triangular factor R of A = Q·R by
 * Householder reflections (Q is not formed). R has A's singular values and right
 * singular vectors, at a fraction of the cost for the SVD that follows. The reflections run on
 * A·2ᵏ with its largest entry in [1, 2) (exact), so no column norm overflows or underflows.
 * @example
 * qrR(Matrix.from([[3], [4]])).get(0, 0); // ±5
 */
export function qrR(a: Matrix): Matrix {
  const m = a.rows;
  const n = a.cols;
  if (m <= n) return a;
  const k = normalizingExponent([a.data]);
  // Work column-major (each column contiguous) for cache-friendly reflections.
  const w = scaleInPlace(a.transpose().data, k);
  const v = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    const ck = k * m;
    let norm = 0;
    for (let i = k; i < m; i++) norm += w[ck + i]! * w[ck + i]!;
    norm = Math.sqrt(norm);
    if (norm === 0) continue;
    const alpha = w[ck + k]! > 0 ? -norm : norm;
    let vnorm2 = 0;
    for (let i = k; i < m; i++) {
      v[i] = w[ck + i]!;
    }
    v[k]! -= alpha;
    for (let i = k; i < m; i++) vnorm2 += v[i]! * v[i]!;
    if (vnorm2 === 0) continue;
    for (let j = k; j < n; j++) {
      const cj = j * m;
      let d = 0;
      for (let i = k; i < m; i++) d += v[i]! * w[cj + i]!;
      const f = (2 * d) / vnorm2;
      if (f === 0) continue;
      for (let i = k; i < m; i++) w[cj + i]! -= f * v[i]!;
    }
  }
  const r = new Matrix(n, n);
  for (let j = 0; j < n; j++) for (let i = 0; i <= j; i++) r.data[i * n + j] = w[j * m + i]!;
  scaleInPlace(r.data, -k);
  return r;
}

/**
 * The Jacobi rotation of two stored vectors of `len` entries, vectors p and q of the row-major
 * array `a` (entries p·len … and q·len …): (x, y) ↦ (c·x − s·y, s·x + c·y).
 */
function rotateVectors(a: Float64Array, len: number, { p, q, c, s }: { p: number; q: number; c: number; s: number }): void {
  const ap = p * len;
  const aq = q * len;
  for (let i = 0; i < len; i++) {
    const x = a[ap + i]!;
    const y = a[aq + i]!;
    a[ap + i] = c * x - s * y;
    a[aq + i] = s * x + c * y;
  }
}

/**
 * Thin SVD by one-sided Jacobi rotations (Hestenes). Accurate to high relative
 * precision, including the small singular values that rank decisions depend on. The rotations
 * run on A·2ᵏ with its largest entry in [1, 2) and σ is scaled back by 2⁻ᵏ: both exact, so any
 * finite scale works (sums of squares would otherwise overflow beyond ~1e154 and underflow below ~1e-154).
 *
 * @param a any m×n matrix
 * @param options.maxSweeps sweep limit (default 80)
 * @returns U, s (descending: the order of the decomposition), V
 * @throws NotConvergedError when the sweep limit is reached
 * @example
 * svd(Matrix.from([[1e200, 0], [0, 2e200]])).s; // [2e200, 1e200]
 */
export function svd(a: Matrix, options: { maxSweeps?: number } = {}): SvdResult {
  if (a.rows < a.cols) {
    const t = svd(a.transpose(), options);
    return { U: t.V, s: t.s, V: t.U };
  }
  const m = a.rows;
  const n = a.cols;
  const maxSweeps = options.maxSweeps ?? 80;
  const scale = normalizingExponent([a.data]);
  // cols[j] = column j of A·2^scale (contiguous), vs[j] = column j of V.
  const cols = scaleInPlace(a.transpose().data, scale);
  const vs = new Float64Array(n * n);
  for (let j = 0; j < n; j++) vs[j * n + j] = 1;
  // Convergence test of LAPACK's dgesvj: |aₚ·a_q| ≤ √m·ε·‖aₚ‖‖a_q‖. Columns whose norm is
  // below ε·‖A‖_F are rounding noise: rotating them against each other never settles.
  const tol = Math.sqrt(m) * Number.EPSILON;
  let frob2 = 0;
  for (let i = 0; i < cols.length; i++) frob2 += cols[i]! * cols[i]!;
  const tiny = frob2 * Number.EPSILON * Number.EPSILON;
  let converged = n < 2;
  for (let sweep = 0; sweep < maxSweeps && !converged; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      const cp = p * m;
      for (let q = p + 1; q < n; q++) {
        const cq = q * m;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          const x = cols[cp + i]!;
          const y = cols[cq + i]!;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || alpha <= tiny || beta <= tiny || Math.abs(gamma) <= tol * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const rotation = { p, q, c, s: c * t };
        rotateVectors(cols, m, rotation);
        rotateVectors(vs, n, rotation);
      }
    }
    if (!rotated) converged = true;
  }
  if (!converged) {
    throw new NotConvergedError(`svd: one-sided Jacobi did not converge in ${maxSweeps} sweeps for a ${m}×${n} matrix`);
  }
  const sig = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += cols[j * m + i]! * cols[j * m + i]!;
    sig[j] = Math.sqrt(s);
  }
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => sig[y]! - sig[x]!);
  const U = new Matrix(m, n);
  const V = new Matrix(n, n);
  const s = new Float64Array(n);
  order.forEach((j, k) => {
    const sj = sig[j]!;
    s[k] = sj;
    if (sj > 0) for (let i = 0; i < m; i++) U.data[i * n + k] = cols[j * m + i]! / sj;
    for (let i = 0; i < n; i++) V.data[i * n + k] = vs[j * n + i]!;
  });
  return { U, s: scaleInPlace(s, -scale), V };
}
