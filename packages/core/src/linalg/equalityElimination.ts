/**
 * Elimination of linear equality constraints E·z = f (E: e×k, row-major) through a Householder QR with
 * column pivoting of Eᵀ: z = z₀ + N·t with N an orthonormal basis of null(E) (k×(k − rank)) and z₀ the
 * least-norm solution of the independent rows. Cost O(k·e·rank + k²·rank), against O((k + e)³) for an
 * eigendecomposition of the KKT matrix.
 */
export interface EqualityElimination {
  /** k×kf row-major orthonormal basis of null(E). */
  N: Float64Array;
  /** Dimension of null(E). */
  kf: number;
  /** The least-norm solution of the rank independent rows. */
  z0: Float64Array;
  rank: number;
}

export function eliminateEqualities(E: Float64Array, { e, k, f }: { e: number; k: number; f: Float64Array }): EqualityElimination {
  // M = Eᵀ, column j of M is row j of E: store columns contiguously (cols[j·k + i] = E[j, i]).
  const cols = E.slice();
  const perm = Array.from({ length: e }, (_, j) => j);
  const norms = new Float64Array(e);
  for (let j = 0; j < e; j++) {
    let s = 0;
    for (let i = 0; i < k; i++) s += cols[j * k + i]! ** 2;
    norms[j] = s;
  }
  let maxNorm0 = 0;
  for (let j = 0; j < e; j++) maxNorm0 = Math.max(maxNorm0, Math.sqrt(norms[j]!));
  const tol = 1e-12 * Math.max(k, e) * maxNorm0;
  const vs: Float64Array[] = [];
  const diag: number[] = [];
  const rCols: Float64Array[] = []; // column j of R (entries 0..rank-1), in pivot order
  let rank = 0;
  const steps = Math.min(e, k);
  for (let s = 0; s < steps; s++) {
    let best = s;
    let bestNorm = -1;
    for (let j = s; j < e; j++) {
      let t = 0;
      for (let i = s; i < k; i++) t += cols[j * k + i]! ** 2;
      norms[j] = t;
      if (t > bestNorm) {
        bestNorm = t;
        best = j;
      }
    }
    if (!(Math.sqrt(bestNorm) > tol)) break;
    if (best !== s) {
      const tmp = cols.slice(s * k, (s + 1) * k);
      cols.copyWithin(s * k, best * k, (best + 1) * k);
      cols.set(tmp, best * k);
      [perm[s], perm[best]] = [perm[best]!, perm[s]!];
    }
    // Householder vector v (length k, zero above s) with (I − 2vvᵀ)·col_s = α·e_s.
    const alpha = -Math.sign(cols[s * k + s]! || 1) * Math.sqrt(bestNorm);
    const v = new Float64Array(k);
    for (let i = s; i < k; i++) v[i] = cols[s * k + i]!;
    v[s]! -= alpha;
    let vn = 0;
    for (let i = s; i < k; i++) vn += v[i]! ** 2;
    vn = Math.sqrt(vn);
    if (vn > 0) for (let i = s; i < k; i++) v[i]! /= vn;
    for (let j = s; j < e; j++) {
      let d = 0;
      for (let i = s; i < k; i++) d += v[i]! * cols[j * k + i]!;
      d *= 2;
      for (let i = s; i < k; i++) cols[j * k + i]! -= d * v[i]!;
    }
    vs.push(v);
    diag.push(cols[s * k + s]!);
    rank++;
  }
  for (let j = 0; j < rank; j++) rCols.push(cols.slice(j * k, j * k + rank));
  // Forward substitution R₁₁ᵀ·w = f_π (R₁₁ upper triangular: R[i, j] = rCols[j][i]).
  const w = new Float64Array(k);
  for (let j = 0; j < rank; j++) {
    let s = f[perm[j]!]!;
    for (let i = 0; i < j; i++) s -= rCols[j]![i]! * w[i]!;
    w[j] = s / diag[j]!;
  }
  // z₀ = Q·[w; 0] and N = Q·[0; I]: apply the reflectors in reverse order.
  const applyQ = (x: Float64Array): void => {
    for (let s = rank - 1; s >= 0; s--) {
      const v = vs[s]!;
      let d = 0;
      for (let i = s; i < k; i++) d += v[i]! * x[i]!;
      d *= 2;
      for (let i = s; i < k; i++) x[i]! -= d * v[i]!;
    }
  };
  applyQ(w);
  const kf = k - rank;
  const N = new Float64Array(k * kf);
  const col = new Float64Array(k);
  for (let c = 0; c < kf; c++) {
    col.fill(0);
    col[rank + c] = 1;
    applyQ(col);
    for (let i = 0; i < k; i++) N[i * kf + c] = col[i]!;
  }
  return { N, kf, z0: w, rank };
}

/**
 * In-place Cholesky factor L (lower, row-major n×n) of a symmetric positive definite matrix;
 * false when a pivot is not positive (then `a` is garbage).
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let p = 0; p < j; p++) d -= a[j * n + p]! ** 2;
    if (!(d > 0)) return false;
    const ljj = Math.sqrt(d);
    a[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let p = 0; p < j; p++) s -= a[i * n + p]! * a[j * n + p]!;
      a[i * n + j] = s / ljj;
    }
    for (let p = j + 1; p < n; p++) a[j * n + p] = 0;
  }
  return true;
}
