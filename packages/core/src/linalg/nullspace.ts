import { InvalidArgumentError, ShapeMismatchError, describe } from '../errors.js';
import { checkAtol, checkRtol } from '../tolerances.js';
import { Matrix } from './Matrix.js';
import { eigh } from './eigh.js';
import { normalizingExponent, scaleInPlace, timesPowerOfTwo } from './powerOfTwo.js';
import { qrR, svd } from './svd.js';

/** Options of {@link nullspace}. */
export interface NullspaceOptions {
  /**
   * Relative tolerance: a singular value σ counts as zero when σ ≤ rtol·σ_max; a finite number in
   * [0, 1) (rtol ≥ 1 would call every σ zero). Default: 10·max(m, n)·ε (ε = 2.2e-16), the usual
   * backward-error bound of the SVD.
   */
  rtol?: number;
  /**
   * Absolute tolerance: σ ≤ atol also counts as zero (a finite number ≥ 0, default 0). Use it when the whole
   * matrix may be zero up to rounding, where a relative test alone cannot decide.
   */
  atol?: number;
  /**
   * `'svd'`: Householder QR then one-sided Jacobi SVD of the stacked matrix (most accurate).
   * `'gram'`: eigenvectors of CᵀC, then each singular value below 1e-4·σ_max recomputed as ‖C·v‖ (faster for
   * many columns; the small singular values are recomputed from C, not taken as √λ).
   * `'auto'` (default): `'svd'` up to 160 columns, `'gram'` above.
   */
  method?: 'auto' | 'svd' | 'gram';
}

/** Result of {@link nullspace}. */
export interface NullspaceResult {
  /** n×r matrix whose orthonormal columns span the nullspace (r = `dimension`). */
  basis: Matrix;
  /** All n singular values of C (zeros included when C has fewer rows than columns), ascending. */
  singularValues: Float64Array;
  /** r, the dimension of the nullspace (the nullity of C). */
  dimension: number;
  /** The rank of C, n − `dimension`. */
  rank: number;
  /**
   * r, the dimension of the nullspace.
   * @deprecated Use `dimension` (same value); `nullity` will be removed in the next minor version.
   */
  nullity: number;
  /** The absolute threshold used: max(rtol·σ_max, atol). */
  threshold: number;
  /**
   * The spectral gap at the decision: smallest singular value above the threshold divided
   * by the largest at or below it (Infinity when the latter is 0; when one side is empty,
   * the threshold stands in for it).
   */
  gap: number;
  /** Which algorithm ran. */
  method: 'svd' | 'gram';
}

/** Computes CᵀC for C given as stacked blocks, skipping zeros (constraint matrices are sparse). */
function gramOfBlocks(blocks: readonly Matrix[], n: number): Matrix {
  const g = new Float64Array(n * n);
  const idx = new Int32Array(n);
  const val = new Float64Array(n);
  for (const b of blocks) {
    for (let r = 0; r < b.rows; r++) {
      let nnz = 0;
      const off = r * n;
      for (let j = 0; j < n; j++) {
        const v = b.data[off + j]!;
        if (v !== 0) {
          idx[nnz] = j;
          val[nnz] = v;
          nnz++;
        }
      }
      // The upper triangle only (idx is ascending); mirrored below. Dense rows skip the indirection.
      if (nnz === n) {
        const row = b.data.subarray(off, off + n);
        for (let a = 0; a < n; a++) {
          const va = row[a]!;
          const ga = a * n;
          for (let c = a; c < n; c++) g[ga + c]! += va * row[c]!;
        }
        continue;
      }
      for (let a = 0; a < nnz; a++) {
        const ia = idx[a]! * n;
        const va = val[a]!;
        for (let c = a; c < nnz; c++) g[ia + idx[c]!]! += va * val[c]!;
      }
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) g[i * n + j] = g[j * n + i]!;
  return new Matrix(n, n, g);
}

/**
 * ‖C·vⱼ‖ for the chosen eigenvector columns of CᵀC (the small singular values, which √λ
 * cannot resolve below √ε·σ_max); every other column keeps √max(λ, 0), accurate to
 * ε·(σ_max/σ)² relative, i.e. better than 1e-8 above 1e-4·σ_max.
 */
function refinedSingularValues(blocks: readonly Matrix[], e: { values: Float64Array; vectors: Matrix }): Float64Array {
  const n = e.values.length;
  const lmax = Math.max(0, ...e.values);
  const sigma = Float64Array.from(e.values, (l) => Math.sqrt(Math.max(l, 0)));
  const small = Array.from({ length: n }, (_, j) => j).filter((j) => e.values[j]! < 1e-8 * lmax);
  if (small.length === 0) return sigma;
  const v = new Matrix(n, small.length);
  small.forEach((j, c) => {
    for (let i = 0; i < n; i++) v.data[i * small.length + c] = e.vectors.data[i * n + j]!;
  });
  const out = new Float64Array(small.length);
  for (const b of blocks) {
    const p = b.mul(v);
    for (let i = 0; i < p.rows; i++) for (let c = 0; c < p.cols; c++) out[c]! += p.data[i * p.cols + c]! ** 2;
  }
  small.forEach((j, c) => (sigma[j] = Math.sqrt(out[c]!)));
  return sigma;
}

/**
 * The nullspace {v : C·v = 0} of a matrix, given whole or as blocks stacked by rows
 * (C = [C₁; C₂; …]), with the full singular spectrum and the gap the rank decision
 * was made on. The decision runs on C·2ᵏ with its largest entry in [1, 2) (an exact rescaling), so
 * 1e100·C and 1e-200·C get the same dimension and relative spectrum as C.
 *
 * @param c an m×n matrix, or an array of blocks with n columns each
 * @throws ShapeMismatchError when blocks have different column counts; InvalidArgumentError for an rtol outside
 * [0, 1) or an atol that is negative, NaN or infinite
 * @example
 * const { basis, dimension, rank } = nullspace(Matrix.from([[1, 1, 0]])); // dimension 2 (basis 3×2), rank 1
 */
export function nullspace(c: Matrix | readonly Matrix[], options: NullspaceOptions = {}): NullspaceResult {
  const blocks = c instanceof Matrix ? [c] : c;
  if (blocks.length === 0) {
    throw new InvalidArgumentError(`nullspace: 'c' must be a matrix or a non-empty array of blocks; received an empty array`);
  }
  const n = blocks[0]!.cols;
  let m = 0;
  for (const b of blocks) {
    if (b.cols !== n) {
      throw new ShapeMismatchError(`nullspace: every block of 'c' must have ${n} columns; received ${b.cols}`);
    }
    m += b.rows;
  }
  const rtol = options.rtol === undefined ? 10 * Math.max(m, n) * Number.EPSILON : checkRtol('nullspace', options.rtol);
  const atol = options.atol === undefined ? 0 : checkAtol('nullspace', options.atol);
  if (options.method !== undefined && options.method !== 'auto' && options.method !== 'svd' && options.method !== 'gram') {
    throw new InvalidArgumentError(`nullspace: 'method' must be 'auto', 'svd' or 'gram'; received ${describe(options.method)}`);
  }
  const method = options.method === undefined || options.method === 'auto' ? (n <= 160 ? 'svd' : 'gram') : options.method;
  // Decide on C·2ᵏ with its largest entry in [1, 2) (exact): neither the Jacobi sums nor CᵀC
  // overflow or underflow at any finite scale; σ and the threshold are scaled back at the end.
  const k = normalizingExponent(blocks.map((b) => b.data));
  const scaled = k === 0 ? blocks : blocks.map((b) => new Matrix(b.rows, b.cols, scaleInPlace(b.data.slice(), k)));

  let sigma: Float64Array; // ascending
  let vecs: Matrix; // columns in the order of sigma
  if (method === 'svd') {
    let a = scaled.length === 1 ? scaled[0]! : Matrix.vstack(scaled);
    if (a.rows > n) a = qrR(a);
    else if (a.rows < n) a = Matrix.vstack([a, new Matrix(n - a.rows, n)]);
    const r = svd(a);
    sigma = r.s.slice().reverse();
    vecs = new Matrix(n, n);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) vecs.data[i * n + k] = r.V.data[i * n + (n - 1 - k)]!;
  } else {
    const e = eigh(gramOfBlocks(scaled, n));
    const refined = refinedSingularValues(scaled, e);
    const order = Array.from({ length: n }, (_, k) => k).sort((x, y) => refined[x]! - refined[y]!);
    sigma = new Float64Array(n);
    vecs = new Matrix(n, n);
    order.forEach((k, pos) => {
      sigma[pos] = refined[k]!;
      for (let i = 0; i < n; i++) vecs.data[i * n + pos] = e.vectors.data[i * n + k]!;
    });
  }
  const smax = n > 0 ? sigma[n - 1]! : 0;
  const threshold = Math.max(rtol * smax, timesPowerOfTwo(atol, k));
  let dimension = 0;
  while (dimension < n && sigma[dimension]! <= threshold) dimension++;
  const below = dimension > 0 ? sigma[dimension - 1]! : threshold;
  const above = dimension < n ? sigma[dimension]! : threshold;
  const gap = below === 0 ? Infinity : above / below;
  return {
    basis: vecs.columns(0, dimension),
    singularValues: scaleInPlace(sigma, -k),
    dimension,
    rank: n - dimension,
    nullity: dimension,
    threshold: timesPowerOfTwo(threshold, -k),
    gap,
    method,
  };
}

/**
 * Orthonormalizes the columns of `a` (modified Gram–Schmidt, twice for stability);
 * returns only the columns that are independent to relative tolerance `rtol` (a column counts
 * when its remaining norm exceeds rtol·√m·max|aᵢⱼ|, at any finite scale of `a`).
 * @example
 * orthonormalColumns(Matrix.from([[1, 2], [1, 2]])).cols; // 1
 */
export function orthonormalColumns(a: Matrix, rtol = 1e-10): Matrix {
  const m = a.rows;
  const cols: Float64Array[] = [];
  // Work on A·2ᵏ with its largest entry in [1, 2) (exact; the span is the same): column norms can neither overflow nor underflow.
  const k = normalizingExponent([a.data]);
  const scale = Math.max(timesPowerOfTwo(a.maxAbs(), k), Number.MIN_VALUE) * Math.sqrt(m);
  for (let j = 0; j < a.cols; j++) {
    const v = scaleInPlace(a.column(j), k);
    for (let pass = 0; pass < 2; pass++) {
      for (const q of cols) {
        let d = 0;
        for (let i = 0; i < m; i++) d += q[i]! * v[i]!;
        for (let i = 0; i < m; i++) v[i]! -= d * q[i]!;
      }
    }
    let nrm = 0;
    for (let i = 0; i < m; i++) nrm += v[i]! * v[i]!;
    nrm = Math.sqrt(nrm);
    if (nrm > rtol * scale) {
      for (let i = 0; i < m; i++) v[i]! /= nrm;
      cols.push(v);
    }
  }
  const out = new Matrix(m, cols.length);
  cols.forEach((q, k) => {
    for (let i = 0; i < m; i++) out.data[i * cols.length + k] = q[i]!;
  });
  return out;
}
