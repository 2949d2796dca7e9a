import { InvalidArgumentError, ShapeMismatchError, describe } from '../errors.js';
import { Group } from '../groups/Group.js';
import { checkSamples } from '../lie/models.js';
import { Matrix } from '../linalg/Matrix.js';
import { eigh } from '../linalg/eigh.js';
import { nullspace, orthonormalColumns } from '../linalg/nullspace.js';
import { groupActions } from './groupActions.js';
import { checkRtol } from '../tolerances.js';
import { leastSquares } from './leastSquares.js';

/** Options of {@link discoverDataSymmetries}. */
export interface DataSymmetryOptions {
  /**
   * The candidate vector fields: `'gl'` (all linear fields A·x, n² generators), `'affine'`
   * (A·x + b, n² + n), a {@link Group} (linear when d = n, homogeneous affine when d = n + 1),
   * or explicit n×n matrices A (fields A·x).
   */
  candidate: 'gl' | 'affine' | Group | ReadonlyArray<Matrix | number[][]>;
  /** Intrinsic dimension k of the data's support (default: the largest gap of the averaged local PCA spectrum). */
  manifoldDim?: number;
  /** Neighbours per local PCA (default min(S − 1, max(2k + 4, 12)) with k the intrinsic dimension, or 12). */
  neighbors?: number;
  /**
   * Relative tolerance: σ ≤ rtol·σ_max counts as a symmetry (a finite number in [0, 1); default 0.02).
   * The rule: the conditions are built from tangent spaces estimated by local PCA, whose error (of order
   * the squared neighbourhood size) exceeds a fitted model's: so(3) on 400 points of the sphere has
   * σ/σ_max ≈ 2e-3, above `defaultTolerance('rank', { derivative: 'fitted' })` = 1e-3, while broken
   * directions sit at ≥ 0.05. 0.02 keeps an order of magnitude of margin on both sides.
   */
  rtol?: number;
  /**
   * `'quadratic'` (default): refine each local PCA plane by fitting the normal coordinates as
   * quadratic functions of the tangent ones (second-order accurate on curved supports, so the
   * tangent error shrinks like h² with the neighbourhood size h); `'pca'`: the PCA plane alone
   * (first-order: its tilt grows with the asymmetry of the neighbourhood).
   */
  tangentFit?: 'quadratic' | 'pca';
}

/** Result of {@link discoverDataSymmetries}. */
export interface DataSymmetryResult {
  /** Dimension of the algebra of candidate fields tangent to the data. */
  dimension: number;
  /** All q singular values, ascending. */
  singularValues: Float64Array;
  /** The symmetry generators as (A, b) with ξ_M(x) = A·x + b, orthonormal in coefficients. */
  generators: Array<{ A: Matrix; b: Float64Array }>;
  /** The intrinsic dimension used for the tangent spaces. */
  manifoldDim: number;
  gap: number;
  threshold: number;
  /** The orthonormal candidate basis the spectrum refers to. */
  candidate: Array<{ A: Matrix; b: Float64Array }>;
}

function candidateFields(fn: string, cand: DataSymmetryOptions['candidate'], n: number): Array<{ A: Matrix; b: Float64Array }> {
  if (cand === 'gl' || cand === 'affine') {
    const out: Array<{ A: Matrix; b: Float64Array }> = [];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const A = new Matrix(n, n);
        A.data[i * n + j] = 1;
        out.push({ A, b: new Float64Array(n) });
      }
    }
    if (cand === 'affine') {
      for (let i = 0; i < n; i++) {
        const b = new Float64Array(n);
        b[i] = 1;
        out.push({ A: new Matrix(n, n), b });
      }
    }
    return out;
  }
  if (cand instanceof Group) {
    return groupActions(cand, { dimIn: n }).map((a) => ({ A: a.affine!.A, b: a.affine!.b }));
  }
  if (!Array.isArray(cand) || cand.length === 0) {
    throw new InvalidArgumentError(`${fn}: 'candidate' must be 'gl', 'affine', a Group or a non-empty array of n×n matrices; received ${describe(cand)}`);
  }
  return cand.map((m, k) => {
    const A = m instanceof Matrix ? m : Matrix.from(m as number[][], `candidate[${k}]`);
    if (A.rows !== n || A.cols !== n) throw new ShapeMismatchError(`${fn}: 'candidate'[${k}] must be ${n}×${n}; received ${A.rows}×${A.cols}`);
    return { A, b: new Float64Array(n) };
  });
}

/**
 * The symmetries of a data set (of the support of its distribution, not of a function): the
 * candidate vector fields ξ_M that are tangent to the data. At each sample x_s the tangent
 * space is estimated by local PCA (the k leading principal directions of its neighbours) and
 * the normal projector I − P_s gives the condition (I − P_s)·ξ_M(x_s) = 0, linear in the
 * generator coefficients. Stacking it over samples gives one matrix; its nullspace is the
 * symmetry algebra and its singular values measure how far each direction is from one.
 * Neighbours are found by brute force (O(S²·n)): meant for up to a few thousand samples.
 *
 * @param xs S×n samples on (or near) a k-dimensional manifold
 * @throws EmptyInputError, ShapeMismatchError, NonFiniteError, InvalidArgumentError
 * @example
 * const r = discoverDataSymmetries(pointsOnSphere, { candidate: 'gl' });
 * r.dimension; // 3: so(3)
 */
export function discoverDataSymmetries(xs: Matrix | number[][], options: DataSymmetryOptions): DataSymmetryResult {
  const fn = 'discoverDataSymmetries';
  if (options === null || typeof options !== 'object' || options.candidate === undefined) {
    throw new InvalidArgumentError(`${fn}: 'options.candidate' is required ('gl', 'affine', a Group or matrices); received ${describe(options?.candidate)}`);
  }
  const { X } = checkSamples(xs, { fn });
  const S = X.rows;
  const n = X.cols;
  const fields = candidateFields(fn, options.candidate, n);
  const q = fields.length;
  const rtol = options.rtol === undefined ? 0.02 : checkRtol(fn, options.rtol);
  if (options.manifoldDim !== undefined && (!Number.isInteger(options.manifoldDim) || options.manifoldDim < 1 || options.manifoldDim >= n)) {
    throw new InvalidArgumentError(`${fn}: 'manifoldDim' must be an integer in [1, ${n - 1}]; received ${describe(options.manifoldDim)}`);
  }
  const tangentFit = options.tangentFit ?? 'quadratic';
  if (tangentFit !== 'quadratic' && tangentFit !== 'pca') throw new InvalidArgumentError(`${fn}: 'tangentFit' must be 'quadratic' or 'pca'; received ${describe(tangentFit)}`);
  const kGuess = options.manifoldDim ?? n - 1;
  const kn = options.neighbors ?? Math.min(S - 1, Math.max(2 * (1 + kGuess + (kGuess * (kGuess + 1)) / 2) + 4, 12));
  if (!Number.isInteger(kn) || kn < 2 || kn > S - 1) {
    throw new InvalidArgumentError(`${fn}: 'neighbors' must be an integer in [2, ${S - 1}] (S − 1 for ${S} samples); received ${describe(kn)}`);
  }
  // Local PCA at every sample: eigenvectors of the neighbours' covariance, descending.
  const locals: { values: Float64Array; vectors: Matrix; nb: number[] }[] = [];
  const dist = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    for (let t = 0; t < S; t++) {
      let d = 0;
      for (let j = 0; j < n; j++) d += (X.data[s * n + j]! - X.data[t * n + j]!) ** 2;
      dist[t] = d;
    }
    const order = Array.from({ length: S }, (_, t) => t).sort((a, b) => dist[a]! - dist[b]!);
    const nb = order.slice(0, kn + 1); // includes s itself
    const mean = new Float64Array(n);
    for (const t of nb) for (let j = 0; j < n; j++) mean[j]! += X.data[t * n + j]! / nb.length;
    const Cv = new Matrix(n, n);
    for (const t of nb) {
      for (let a = 0; a < n; a++) {
        const da = X.data[t * n + a]! - mean[a]!;
        for (let b = 0; b < n; b++) Cv.data[a * n + b]! += da * (X.data[t * n + b]! - mean[b]!);
      }
    }
    const e = eigh(Cv);
    locals.push({ values: e.values.slice().reverse(), vectors: e.vectors, nb });
  }
  let k = options.manifoldDim;
  if (k === undefined) {
    // The largest ratio between consecutive averaged local variances.
    const avg = new Float64Array(n);
    for (const l of locals) {
      const tot = l.values.reduce((a, v) => a + Math.max(v, 0), 0) || 1;
      for (let j = 0; j < n; j++) avg[j]! += Math.max(l.values[j]!, 0) / tot / S;
    }
    let best = 1;
    let bestRatio = 0;
    for (let j = 1; j < n; j++) {
      const ratio = avg[j - 1]! / Math.max(avg[j]!, Number.MIN_VALUE);
      if (ratio > bestRatio) {
        bestRatio = ratio;
        best = j;
      }
    }
    k = best;
  }
  const nn = n - k; // normal directions per sample
  // Orthonormal normal bases, n × nn per sample (eigh is ascending: the first n − k eigenvectors).
  const normals = locals.map(({ vectors, nb }, s) => {
    const N0 = new Matrix(n, nn);
    for (let i = 0; i < n; i++) for (let a = 0; a < nn; a++) N0.data[i * nn + a] = vectors.data[i * n + a]!;
    if (tangentFit === 'pca') return N0;
    // w_b(u) ≈ c + L_b·u + quadratic(u) around x_s; the normal of the fitted graph at u = 0 is
    // ν_b = N e_b − T L_bᵀ.
    const T0 = new Matrix(n, k);
    for (let i = 0; i < n; i++) for (let a = 0; a < k; a++) T0.data[i * k + a] = vectors.data[i * n + nn + a]!;
    const nq = 1 + k + (k * (k + 1)) / 2;
    const V = new Matrix(nb.length, nq);
    const W = new Matrix(nb.length, nn);
    nb.forEach((t, r) => {
      const d = new Float64Array(n);
      for (let i = 0; i < n; i++) d[i] = X.data[t * n + i]! - X.data[s * n + i]!;
      const u = T0.transpose().mulVec(d);
      const w = N0.transpose().mulVec(d);
      let c = 0;
      V.data[r * nq + c++] = 1;
      for (let a = 0; a < k; a++) V.data[r * nq + c++] = u[a]!;
      for (let a = 0; a < k; a++) for (let b = a; b < k; b++) V.data[r * nq + c++] = u[a]! * u[b]!;
      for (let b = 0; b < nn; b++) W.data[r * nn + b] = w[b]!;
    });
    const nu = new Matrix(n, nn);
    for (let b = 0; b < nn; b++) {
      const coef = leastSquares(V, W.column(b)).x;
      for (let i = 0; i < n; i++) {
        let v = N0.data[i * nn + b]!;
        for (let a = 0; a < k; a++) v -= T0.data[i * k + a]! * coef[1 + a]!;
        nu.data[i * nn + b] = v;
      }
    }
    const q = orthonormalColumns(nu);
    return q.cols === nn ? q : N0;
  });
  // Rows (s, normal direction ν): νᵀ·ξ_M(x_s) / √S, one column per candidate field.
  const D = new Matrix(S * nn, q);
  const w = 1 / Math.sqrt(S);
  for (let s = 0; s < S; s++) {
    const x = X.row(s);
    const Ns = normals[s]!;
    const vals = fields.map(({ A, b }) => {
      const v = A.mulVec(x);
      for (let i = 0; i < n; i++) v[i]! += b[i]!;
      return v;
    });
    for (let a = 0; a < nn; a++) {
      const row = (s * nn + a) * q;
      for (let j = 0; j < q; j++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += Ns.data[i * nn + a]! * vals[j]![i]!;
        D.data[row + j] = w * d;
      }
    }
  }
  const ns = nullspace(D, { rtol });
  const generators = Array.from({ length: ns.dimension }, (_, c) => {
    const coef = ns.basis.column(c);
    const A = new Matrix(n, n);
    const b = new Float64Array(n);
    coef.forEach((cj, j) => {
      const f = fields[j]!;
      for (let i = 0; i < n * n; i++) A.data[i]! += cj * f.A.data[i]!;
      for (let i = 0; i < n; i++) b[i]! += cj * f.b[i]!;
    });
    return { A, b };
  });
  return { dimension: ns.dimension, singularValues: ns.singularValues, generators, manifoldDim: k, gap: ns.gap, threshold: ns.threshold, candidate: fields };
}
