import { NotConvergedError } from '../errors.js';
import type { Matrix } from './Matrix.js';
import { qrR } from './svd.js';
import { normalizingExponent, scaleInPlace } from './powerOfTwo.js';

/**
 * Eigenvalues (unsorted) of the symmetric tridiagonal matrix with diagonal `d` and off-diagonal
 * `e` (e[i] couples i and i + 1; e[n − 1] is ignored), both overwritten (d gets the eigenvalues), by
 * implicit QL with a shift from the leading 2×2 block. Off-diagonals at or below ε·‖T‖ deflate, so
 * every eigenvalue is accurate to a few ε·‖T‖.
 * @throws NotConvergedError when one eigenvalue takes more than 60 sweeps (not seen in practice)
 * @example
 * const d = Float64Array.of(0, 0);
 * tridiagonalEigenvalues(d, Float64Array.of(2, 0)); // d is now [2, -2]
 */
export function tridiagonalEigenvalues(d: Float64Array, e: Float64Array): void {
  const n = d.length;
  if (n === 0) return;
  e[n - 1] = 0;
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]!) + Math.abs(e[i]!));
  const tol = Number.EPSILON * norm;
  for (let l = 0; l < n; l++) {
    for (let sweep = 0; ; sweep++) {
      let m = l;
      while (m < n - 1 && Math.abs(e[m]!) > tol) m++;
      if (m === l) break;
      if (m === l + 1) {
        // An isolated 2×2 block: its eigenvalues in closed form (exact ±|e| on a zero diagonal).
        const mean = (d[l]! + d[l + 1]!) / 2;
        const rad = Math.hypot((d[l]! - d[l + 1]!) / 2, e[l]!);
        d[l] = mean + rad;
        d[l + 1] = mean - rad;
        e[l] = 0;
        break;
      }
      if (sweep >= 60) throw new NotConvergedError(`tridiagonalEigenvalues: eigenvalue ${l} of a ${n}×${n} tridiagonal matrix did not converge in 60 sweeps`);
      // Shift: the eigenvalue of the leading 2×2 block nearer d[l]; then chase the bulge from m up to l.
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = Math.hypot(g, 1);
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let split = false;
      for (let i = m - 1; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // The rotation underflowed: the matrix has split at i + 1; restart the search.
          d[i + 1]! -= p;
          e[m] = 0;
          split = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - p;
        r = (d[i]! - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
      }
      if (split) continue;
      d[l]! -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}

/**
 * The singular values of a square n×n matrix (row-major; `a` is not modified), descending, without
 * singular vectors: Householder reflections from both sides reduce it to an upper bidiagonal
 * matrix B (diagonal d, superdiagonal e; about 8n³/3 flops), and B's singular values are the
 * non-negative eigenvalues of its Golub–Kahan matrix, the 2n×2n tridiagonal with zero diagonal and
 * off-diagonal d₀, e₀, d₁, e₁, …, d_{n−1} (eigenvalues ±σ), found by {@link tridiagonalEigenvalues}
 * in O(n²). Accurate to a few n·ε·σ_max in absolute terms, the accuracy a rank decision at a
 * relative cut-off well above ε needs; one-sided Jacobi ({@link svd}) costs about 5n³ per sweep
 * and takes 6–10 sweeps. The reflections run on a·2ᵏ with its largest entry in [1, 2) (exact).
 * @example
 * squareSingularValues(Float64Array.of(3, 0, 0, 4), 2); // [4, 3]
 */
export function squareSingularValues(a: Float64Array, n: number): Float64Array {
  if (n === 0) return new Float64Array(0);
  const k = normalizingExponent([a]);
  const B = scaleInPlace(a.slice(0, n * n), k);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const v = new Float64Array(n);
  const w = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    // Left reflection: zero column c below the diagonal (rows c+1…), update columns c+1….
    let norm = 0;
    for (let i = c; i < n; i++) norm += B[i * n + c]! * B[i * n + c]!;
    norm = Math.sqrt(norm);
    if (norm === 0) d[c] = 0;
    else {
      const alpha = B[c * n + c]! > 0 ? -norm : norm;
      let vn2 = 0;
      for (let i = c; i < n; i++) {
        v[i] = B[i * n + c]!;
        if (i === c) v[i]! -= alpha;
        vn2 += v[i]! * v[i]!;
      }
      d[c] = alpha;
      if (vn2 > 0 && c + 1 < n) {
        w.fill(0, c + 1);
        for (let i = c; i < n; i++) {
          const vi = v[i]!;
          if (vi === 0) continue;
          const row = i * n;
          for (let j = c + 1; j < n; j++) w[j]! += vi * B[row + j]!;
        }
        const beta = 2 / vn2;
        for (let i = c; i < n; i++) {
          const f = beta * v[i]!;
          if (f === 0) continue;
          const row = i * n;
          for (let j = c + 1; j < n; j++) B[row + j]! -= f * w[j]!;
        }
      }
    }
    if (c + 1 >= n) break;
    // Right reflection: zero row c beyond the superdiagonal (columns c+2…), update rows c+1….
    const rc = c * n;
    norm = 0;
    for (let j = c + 1; j < n; j++) norm += B[rc + j]! * B[rc + j]!;
    norm = Math.sqrt(norm);
    if (norm === 0) {
      e[c] = 0;
      continue;
    }
    const alpha = B[rc + c + 1]! > 0 ? -norm : norm;
    let un2 = 0;
    for (let j = c + 1; j < n; j++) {
      v[j] = B[rc + j]!;
      if (j === c + 1) v[j]! -= alpha;
      un2 += v[j]! * v[j]!;
    }
    e[c] = alpha;
    if (un2 === 0) continue;
    const beta = 2 / un2;
    for (let i = c + 1; i < n; i++) {
      const row = i * n;
      let s = 0;
      for (let j = c + 1; j < n; j++) s += B[row + j]! * v[j]!;
      const f = beta * s;
      if (f === 0) continue;
      for (let j = c + 1; j < n; j++) B[row + j]! -= f * v[j]!;
    }
  }
  // The Golub–Kahan tridiagonal of B: zero diagonal, off-diagonal d₀, e₀, d₁, e₁, ….
  const td = new Float64Array(2 * n);
  const te = new Float64Array(2 * n);
  for (let c = 0; c < n; c++) {
    te[2 * c] = d[c]!;
    if (c + 1 < n) te[2 * c + 1] = e[c]!;
  }
  tridiagonalEigenvalues(td, te);
  // Eigenvalues ±σ: the n largest are the σ (a zero σ gives a pair ±rounding: |·|).
  const sorted = Array.from(td).sort((x, y) => y - x);
  const s = Float64Array.from(sorted.slice(0, n), (x) => Math.abs(x)).sort().reverse();
  return scaleInPlace(s, -k);
}

/**
 * The singular values of any m×n matrix, descending, without vectors: the triangular factor of
 * a Householder QR ({@link qrR}; of Aᵀ when A is wide), then {@link squareSingularValues}. For the
 * optimality certificates of the nuclear-norm solvers, which only need σ (their sum, and the
 * spectrum reported with the solution).
 * @example
 * singularValues(Matrix.from([[3, 0, 0], [0, 4, 0]])); // [4, 3]
 */
export function singularValues(a: Matrix): Float64Array {
  const t = a.rows < a.cols ? a.transpose() : a;
  const r = t.rows > t.cols ? qrR(t) : t;
  return squareSingularValues(r.data, r.cols);
}
