import { InvalidArgumentError, NonFiniteError, NotConvergedError, ShapeMismatchError, describe } from '../errors.js';
import { Matrix } from '../linalg/Matrix.js';
import { singularValues } from '../linalg/singularValues.js';
import { eigh } from '../linalg/eigh.js';
import { choleskyInPlace, eliminateEqualities, type EqualityElimination } from '../linalg/equalityElimination.js';
import { addProduct, admmIterationCost, gramOfRows, newtonNuclearNorm, newtonStepCost, newtonStepMemory } from './nuclearNormNewton.js';

/**
 * The convex program
 *
 *     minimize_z  ½·zᵀPz + cᵀz + ‖mat(A·z + b)‖_*   subject to  E·z = f
 *
 * where mat(·) reshapes a vector of length rows·cols into a rows×cols matrix (row-major)
 * and ‖·‖_* is the nuclear norm (sum of singular values).
 */
export interface NuclearNormProblem {
  /** (rows·cols)×k: the linear map z ↦ vec(X), row-major vec. Sparse matrices are exploited. */
  A: Matrix;
  /** [rows, cols] of X = mat(A·z + b). */
  shape: readonly [number, number];
  /** Offset, length rows·cols (default 0). */
  b?: Float64Array;
  /** k×k symmetric positive semidefinite quadratic term (default 0). */
  P?: Matrix;
  /** Linear term, length k (default 0). */
  c?: Float64Array;
  /** Equality constraints E·z = f, E: e×k (default none). */
  E?: Matrix;
  /** Right-hand side of the equality constraints, length e. */
  f?: Float64Array;
}

/** Options of {@link solveNuclearNorm}. */
export interface NuclearNormSolveOptions {
  /** Iteration limit of ADMM (default 20000); also caps Newton's steps unless `maxNewtonIterations` is given. */
  maxIterations?: number;
  /** Relative primal and dual residual tolerance of ADMM (default 1e-9). */
  tolerance?: number;
  /** Relative tolerance of the optimality certificate (duality gap and stationarity, default 1e-7). */
  gapTolerance?: number;
  /** Initial ADMM penalty ρ (default 1, or tr(P)/tr(AᵀA) with a quadratic term; adapted by residual balancing). */
  rho?: number;
  /** Over-relaxation α ∈ (0, 2) (default 1.6). */
  relaxation?: number;
  /** Throw NotConvergedError instead of returning `converged: false` (default false). */
  throwOnNotConverged?: boolean;
  /**
   * Start ADMM from an earlier solution of a related problem (same A and shape; E, f, P or c may
   * differ, e.g. a few more rows of data): its `multiplier` and `rho`, and optionally its `X`.
   * Pass the earlier {@link NuclearNormSolveResult} itself. Only the starting point changes: the
   * same residuals and certificate decide convergence.
   */
  warmStart?: { multiplier: Matrix; rho: number; X?: Matrix };
  /**
   * `'admm'`: ADMM only. `'newton'`: Newton's method on the smoothed nuclear norm, following the
   * smoothing to zero (a path-following second-order method; no fallback: `converged` is false when
   * it does not certify). `'auto'` (default): Newton when one Newton step is cheap, in absolute
   * terms (its Hessian, (k − rank E)²·(rows·cols + min(rows, cols)²) flops, ≤ {@link NEWTON_STEP_FLOPS})
   * or against ADMM (≤ {@link NEWTON_ADMM_RATIO} ADMM iterations: Newton certifies in tens of steps
   * where ADMM takes thousands of iterations near a rank change), and its Hessian features fit in
   * {@link NEWTON_MAX_DOUBLES}; with ADMM, warm-started from Newton's subgradient, when Newton does
   * not certify; ADMM otherwise.
   * Both are certified by the same duality gap and stationarity residual.
   */
  method?: 'auto' | 'admm' | 'newton';
  /** Newton step limit (default min(200, maxIterations)). */
  maxNewtonIterations?: number;
  /**
   * A starting point z (length k), e.g. the solution of a related problem (E or f with a few rows
   * more or fewer): it is projected onto E·z = f (the nearest feasible point). Newton starts from it
   * with a smaller smoothing (μ = {@link NEWTON_START_SMOOTHING}·max(σ₁, scale) instead of a tenth); ADMM
   * starts X from mat(A·z + b). Only the starting point changes: the same certificate decides
   * convergence. The saving is modest and not guaranteed (about 15 % of Newton's steps on the
   * recovery bench's bisection; none from the optimum of a small completion, where the path's
   * first levels move the iterate off it).
   */
  start?: Float64Array;
}

/** The first smoothing of Newton from a `start`, relative to the scale of X (a cold start uses 1/10). */
export const NEWTON_START_SMOOTHING = 1e-3;

/** The largest Newton step (in flops of its Hessian) for which `method: 'auto'` always chooses Newton. */
export const NEWTON_STEP_FLOPS = 4e7;

/** `method: 'auto'` also chooses Newton when one step costs at most this many ADMM iterations. */
export const NEWTON_ADMM_RATIO = 50;

/** The most doubles one Newton step may hold for its Hessian (2.5e7: 200 MB) under `method: 'auto'`. */
export const NEWTON_MAX_DOUBLES = 2.5e7;

/** Result and convergence diagnostics of {@link solveNuclearNorm}. */
export interface NuclearNormSolveResult {
  /** The minimizer, length k (satisfies E·z = f to rounding when the constraints are consistent). */
  z: Float64Array;
  /** mat(A·z + b), rows×cols. */
  X: Matrix;
  /** ½zᵀPz + cᵀz + ‖X‖_* at z. */
  objective: number;
  /** ‖X‖_*. */
  nuclearNorm: number;
  /** Singular values of X, ascending. */
  singularValues: Float64Array;
  /** True when the ADMM residuals and the optimality certificate met their tolerances. */
  converged: boolean;
  iterations: number;
  /** ‖X_admm − (A·z + b)‖ / max(‖X‖, ‖A·z‖, ‖b‖) at the end. */
  primalResidual: number;
  /** ‖ρ·Aᵀ(X_k − X_{k−1})‖ / max(‖ρ·Aᵀ·U‖, ‖c‖) at the end. */
  dualResidual: number;
  /**
   * Complementary-slackness gap ‖X‖_* − ⟨G, X⟩ ≥ 0 for the ADMM subgradient G (‖G‖₂ ≤ 1):
   * with a zero {@link kktResidual} it bounds objective − optimum.
   */
  dualityGap: number;
  /** dualityGap / max(‖X‖_*, scale of the data). */
  relativeGap: number;
  /** Stationarity: min_λ ‖P·z + c + Aᵀ·vec(G) + Eᵀ·λ‖ / max(‖Aᵀ·vec(G)‖, typical column norm of A). */
  kktResidual: number;
  /** The final ADMM penalty ρ. */
  rho: number;
  /**
   * The multiplier of the splitting X = mat(A·z + b), rows×cols: at convergence a subgradient
   * G ∈ ∂‖X‖_* (‖G‖₂ ≤ 1 up to the tolerance). With `rho`, the state a warm start needs.
   */
  multiplier: Matrix;
  /** Which method produced the result: `'newton'`, or `'admm'` (also after a Newton fallback). */
  method: 'admm' | 'newton';
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** Compressed sparse rows of a dense matrix: Lie-derivative maps have few non-zeros per row. */
class Csr {
  readonly rows: number;
  readonly cols: number;
  private readonly ptr: Int32Array;
  private readonly idx: Int32Array;
  private readonly val: Float64Array;
  constructor(a: Matrix) {
    this.rows = a.rows;
    this.cols = a.cols;
    let nnz = 0;
    for (let i = 0; i < a.data.length; i++) if (a.data[i] !== 0) nnz++;
    this.ptr = new Int32Array(a.rows + 1);
    this.idx = new Int32Array(nnz);
    this.val = new Float64Array(nnz);
    let p = 0;
    for (let r = 0; r < a.rows; r++) {
      const off = r * a.cols;
      for (let j = 0; j < a.cols; j++) {
        const v = a.data[off + j]!;
        if (v !== 0) {
          this.idx[p] = j;
          this.val[p] = v;
          p++;
        }
      }
      this.ptr[r + 1] = p;
    }
  }
  mul(x: ArrayLike<number>): Float64Array {
    const out = new Float64Array(this.rows);
    for (let r = 0; r < this.rows; r++) {
      let s = 0;
      for (let p = this.ptr[r]!; p < this.ptr[r + 1]!; p++) s += this.val[p]! * x[this.idx[p]!]!;
      out[r] = s;
    }
    return out;
  }
  mulT(v: ArrayLike<number>): Float64Array {
    const out = new Float64Array(this.cols);
    for (let r = 0; r < this.rows; r++) {
      const vr = v[r]!;
      if (vr === 0) continue;
      for (let p = this.ptr[r]!; p < this.ptr[r + 1]!; p++) out[this.idx[p]!]! += vr * this.val[p]!;
    }
    return out;
  }
  gram(): Matrix {
    const k = this.cols;
    const g = new Float64Array(k * k);
    for (let r = 0; r < this.rows; r++) {
      for (let a = this.ptr[r]!; a < this.ptr[r + 1]!; a++) {
        const ia = this.idx[a]! * k;
        const va = this.val[a]!;
        for (let c = this.ptr[r]!; c < this.ptr[r + 1]!; c++) g[ia + this.idx[c]!]! += va * this.val[c]!;
      }
    }
    return new Matrix(k, k, g);
  }
}

/** ‖mat(v)‖₂ (rows×cols, row-major) from the eigenvalues of the smaller Gram matrix. */
function spectralNorm(v: Float64Array, rows: number, cols: number): number {
  const wide = cols > rows;
  const n = wide ? rows : cols;
  const g = new Matrix(n, n);
  if (wide) {
    for (let a = 0; a < rows; a++) for (let b = a; b < rows; b++) g.data[a * n + b] = dot(v.subarray(a * cols, (a + 1) * cols), v.subarray(b * cols, (b + 1) * cols));
  } else {
    for (let i = 0; i < rows; i++) {
      const off = i * cols;
      for (let a = 0; a < n; a++) {
        const va = v[off + a]!;
        if (va === 0) continue;
        for (let b = a; b < n; b++) g.data[a * n + b]! += va * v[off + b]!;
      }
    }
  }
  for (let a = 0; a < n; a++) for (let b = 0; b < a; b++) g.data[a * n + b] = g.data[b * n + a]!;
  const e = eigh(g).values;
  return Math.sqrt(Math.max(e[n - 1] ?? 0, 0));
}

/**
 * The rows and columns of mat(A·z + b) (R×C, row-major) that are not identically zero, with
 * A and b restricted to them; undefined when every line is live (or none is).
 */
function liveLines({ A, b, R, C }: { A: Matrix; b: Float64Array; R: number; C: number }): { A: Matrix; b: Float64Array; rows: number[]; cols: number[] } | undefined {
  const k = A.cols;
  const rowLive = new Uint8Array(R);
  const colLive = new Uint8Array(C);
  for (let e = 0; e < R * C; e++) {
    let live = b[e] !== 0;
    for (let j = 0; !live && j < k; j++) live = A.data[e * k + j] !== 0;
    if (live) {
      rowLive[Math.floor(e / C)] = 1;
      colLive[e % C] = 1;
    }
  }
  const rows = [...rowLive.keys()].filter((i) => rowLive[i]);
  const cols = [...colLive.keys()].filter((j) => colLive[j]);
  if ((rows.length === R && cols.length === C) || rows.length === 0 || cols.length === 0) return undefined;
  const n = rows.length * cols.length;
  const As = new Matrix(n, k);
  const bs = new Float64Array(n);
  let e = 0;
  for (const i of rows) {
    for (const j of cols) {
      const src = i * C + j;
      As.data.set(A.data.subarray(src * k, (src + 1) * k), e * k);
      bs[e++] = b[src]!;
    }
  }
  return { A: As, b: bs, rows, cols };
}

/**
 * Singular-value soft-thresholding, the proximal map of τ‖·‖_*:
 * argmin_X τ‖X‖_* + ½‖X − V‖²_F = U·max(Σ − τ, 0)·Vᵀ. Computed from the eigendecomposition of
 * the smaller Gram matrix as V·R·diag(max(1 − τ/σ, 0))·Rᵀ, which only multiplies by factors in
 * [0, 1], so the rounding in small σ never leaks into kept directions.
 * @returns X, rows×cols like v, and its rank
 */
export function singularValueThreshold(v: Matrix, tau: number): { X: Matrix; rank: number } {
  const wide = v.cols > v.rows;
  const M = wide ? v.transpose() : v;
  const n = M.cols;
  const rows = M.rows;
  // Every product below is a set of dot products of contiguous rows (gramOfRows, rowDots); each
  // entry is summed over its index in order, as the direct loops would.
  // Gram MᵀM: the dot products of the columns of M (the rows of Mᵀ), Newton's Hessian kernel.
  const g = new Matrix(n, n);
  gramOfRows(M.transpose().data, { rows: n, len: rows, out: g.data });
  const e = eigh(g);
  const ev = e.vectors.data;
  // Kept directions only: X = (M·R_k)·diag(f)·R_kᵀ costs O(rows·n·rank), not O(rows·n²).
  const kept: number[] = [];
  const factor: number[] = [];
  for (let k = 0; k < n; k++) {
    const sigma = Math.sqrt(Math.max(e.values[k]!, 0));
    if (sigma <= tau) continue;
    kept.push(k);
    factor.push(1 - tau / sigma);
  }
  const rank = kept.length;
  // R_k by rows (Rk[b, c] = R[b, kept[c]]) and by columns (Rt[c, a] = R[a, kept[c]]).
  const Rk = new Float64Array(n * rank);
  const Rt = new Float64Array(rank * n);
  for (let a = 0; a < n; a++) {
    for (let c = 0; c < rank; c++) {
      const x = ev[a * n + kept[c]!]!;
      Rk[a * rank + c] = x;
      Rt[c * n + a] = x;
    }
  }
  // MR = M·R_k·diag(f), then X = MR·R_kᵀ.
  const MR = new Float64Array(rows * rank);
  rowDots(M.data, Rt, { ra: rows, rb: rank, len: n, out: MR });
  for (let i = 0; i < rows; i++) for (let c = 0; c < rank; c++) MR[i * rank + c]! *= factor[c]!;
  const out = new Matrix(rows, n);
  rowDots(MR, Rk, { ra: rows, rb: n, len: rank, out: out.data });
  return { X: wide ? out.transpose() : out, rank };
}

/**
 * out[i·rb + j] = Σ_k A[i·len + k]·B[j·len + k] (rows of A against rows of B, summed over k in
 * order; A·Bᵀ). Two rows of A against four of B at a time: each loaded entry serves two or four
 * products. The symmetric case A = B is {@link gramOfRows}.
 */
function rowDots(A: Float64Array, B: Float64Array, { ra, rb, len, out }: { ra: number; rb: number; len: number; out: Float64Array }): void {
  const dot1 = (a: number, b: number): number => {
    let s = 0;
    for (let k = 0; k < len; k++) s += A[a + k]! * B[b + k]!;
    return s;
  };
  let i = 0;
  for (; i + 2 <= ra; i += 2) {
    const a0 = i * len;
    const a1 = a0 + len;
    const o0 = i * rb;
    const o1 = o0 + rb;
    let j = 0;
    for (; j + 4 <= rb; j += 4) {
      const b0 = j * len;
      const b1 = b0 + len;
      const b2 = b1 + len;
      const b3 = b2 + len;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let k = 0; k < len; k++) {
        const x0 = A[a0 + k]!;
        const x1 = A[a1 + k]!;
        const y0 = B[b0 + k]!;
        const y1 = B[b1 + k]!;
        const y2 = B[b2 + k]!;
        const y3 = B[b3 + k]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s02 += x0 * y2;
        s03 += x0 * y3;
        s10 += x1 * y0;
        s11 += x1 * y1;
        s12 += x1 * y2;
        s13 += x1 * y3;
      }
      out[o0 + j] = s00;
      out[o0 + j + 1] = s01;
      out[o0 + j + 2] = s02;
      out[o0 + j + 3] = s03;
      out[o1 + j] = s10;
      out[o1 + j + 1] = s11;
      out[o1 + j + 2] = s12;
      out[o1 + j + 3] = s13;
    }
    for (; j < rb; j++) {
      out[o0 + j] = dot1(a0, j * len);
      out[o1 + j] = dot1(a1, j * len);
    }
  }
  for (; i < ra; i++) for (let j = 0; j < rb; j++) out[i * rb + j] = dot1(i * len, j * len);
}

/**
 * Solves minimize_z ½zᵀPz + cᵀz + ‖mat(A·z + b)‖_* subject to E·z = f by ADMM on the
 * splitting X = A·z + b: an equality-constrained least-squares z-step (one factorization of
 * its KKT matrix, reused for every ρ when P = 0), a singular-value soft-thresholding X-step,
 * over-relaxation and residual balancing of ρ.
 *
 * Convergence is declared only when the relative primal and dual residuals are below
 * `tolerance` **and** the optimality certificate holds to `gapTolerance`: with G the ADMM
 * subgradient (‖G‖₂ ≤ 1), the complementary-slackness gap ‖X‖_* − ⟨G, X⟩ and the
 * stationarity residual min_λ ‖Pz + c + AᵀG + Eᵀλ‖ are both small relative to the data.
 * Nothing fails silently: otherwise `converged` is false, or NotConvergedError is thrown
 * with `throwOnNotConverged`.
 *
 * Shapes: A (rows·cols)×k, b rows·cols, P k×k, c k, E e×k, f e.
 * @throws ShapeMismatchError, NonFiniteError, InvalidArgumentError; NotConvergedError with `throwOnNotConverged`
 * @example
 * // min ‖diag(z₀, 1)‖_*: z₀ = 0, objective 1.
 * const r = solveNuclearNorm({ A: Matrix.from([[1], [0], [0], [0]]), b: Float64Array.of(0, 0, 0, 1), shape: [2, 2] });
 * r.z[0]; // ≈ 0
 */
export function solveNuclearNorm(problem: NuclearNormProblem, options: NuclearNormSolveOptions = {}): NuclearNormSolveResult {
  const fn = 'solveNuclearNorm';
  if (problem === null || typeof problem !== 'object') throw new InvalidArgumentError(`${fn}: 'problem' must be an object; received ${describe(problem)}`);
  const { A } = problem;
  if (!(A instanceof Matrix)) throw new InvalidArgumentError(`${fn}: 'A' must be a Matrix; received ${describe(A)}`);
  const [rows, cols] = problem.shape ?? [];
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows! < 1 || cols! < 1 || rows! * cols! !== A.rows) {
    throw new ShapeMismatchError(`${fn}: 'shape' must be [rows, cols] with rows·cols = A.rows = ${A.rows}; received [${rows}, ${cols}]`);
  }
  const R = rows!;
  const C = cols!;
  const k = A.cols;
  const N = A.rows;
  const b = problem.b ?? new Float64Array(N);
  if (b.length !== N) throw new ShapeMismatchError(`${fn}: 'b' must have ${N} entries; received ${b.length}`);
  const c = problem.c ?? new Float64Array(k);
  if (c.length !== k) throw new ShapeMismatchError(`${fn}: 'c' must have ${k} entries; received ${c.length}`);
  const P = problem.P;
  if (P !== undefined && (!(P instanceof Matrix) || P.rows !== k || P.cols !== k)) {
    throw new ShapeMismatchError(`${fn}: 'P' must be a ${k}×${k} Matrix; received ${describe(P)}`);
  }
  const E = problem.E;
  if (E !== undefined && (!(E instanceof Matrix) || E.cols !== k)) throw new ShapeMismatchError(`${fn}: 'E' must be a Matrix with ${k} columns; received ${describe(E)}`);
  const ne = E?.rows ?? 0;
  const f = problem.f ?? new Float64Array(ne);
  if (f.length !== ne) throw new ShapeMismatchError(`${fn}: 'f' must have ${ne} entries (one per row of 'E'); received ${f.length}`);
  if (!A.isFinite() || !b.every(Number.isFinite) || !c.every(Number.isFinite) || (P && !P.isFinite()) || (E && !E.isFinite()) || !f.every(Number.isFinite)) {
    throw new NonFiniteError(`${fn}: 'A', 'b', 'c', 'P', 'E' and 'f' must be finite; received NaN or ±Infinity`);
  }
  const maxIterations = options.maxIterations ?? 20000;
  const tol = options.tolerance ?? 1e-9;
  const gapTol = options.gapTolerance ?? 1e-7;
  const alpha = options.relaxation ?? 1.6;
  let rho = options.rho ?? 1;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new InvalidArgumentError(`${fn}: 'maxIterations' must be an integer ≥ 1; received ${describe(maxIterations)}`);
  }
  for (const [name, v] of [
    ['tolerance', tol],
    ['gapTolerance', gapTol],
    ['rho', rho],
  ] as const) {
    if (!(v > 0) || !Number.isFinite(v)) throw new InvalidArgumentError(`${fn}: '${name}' must be a finite number > 0; received ${describe(v)}`);
  }
  const method = options.method ?? 'auto';
  if (method !== 'auto' && method !== 'admm' && method !== 'newton') {
    throw new InvalidArgumentError(`${fn}: 'method' must be 'auto', 'admm' or 'newton'; received ${describe(method)}`);
  }
  const maxNewton = options.maxNewtonIterations ?? Math.min(200, maxIterations);
  if (!Number.isInteger(maxNewton) || maxNewton < 1) {
    throw new InvalidArgumentError(`${fn}: 'maxNewtonIterations' must be an integer ≥ 1; received ${describe(maxNewton)}`);
  }
  if (!(alpha > 0 && alpha < 2)) throw new InvalidArgumentError(`${fn}: 'relaxation' must be in (0, 2); received ${describe(alpha)}`);
  const warm = options.warmStart;
  if (warm !== undefined) {
    const okMatrix = (M: unknown): boolean => M instanceof Matrix && M.rows === R && M.cols === C && M.isFinite();
    if (warm === null || typeof warm !== 'object' || !okMatrix(warm.multiplier) || (warm.X !== undefined && !okMatrix(warm.X))) {
      throw new ShapeMismatchError(`${fn}: 'warmStart' must hold a finite ${R}×${C} Matrix 'multiplier' (and optionally 'X') from a problem of the same shape; received ${describe(warm)}`);
    }
    if (!(warm.rho > 0) || !Number.isFinite(warm.rho)) throw new InvalidArgumentError(`${fn}: 'warmStart.rho' must be a finite number > 0; received ${describe(warm.rho)}`);
    if (options.rho === undefined) rho = warm.rho;
  }
  const start = options.start;
  if (start !== undefined) {
    if (!(start instanceof Float64Array) || start.length !== k) {
      throw new ShapeMismatchError(`${fn}: 'start' must be a Float64Array of ${k} entries (one per column of A); received ${describe(start)}`);
    }
    for (let i = 0; i < k; i++) if (!Number.isFinite(start[i]!)) throw new NonFiniteError(`${fn}: 'start' must be finite; entry ${i} is ${start[i]}`);
  }

  // Rows and columns of mat(A·z + b) that are zero for every z (the derivatives of a degree-d
  // polynomial have degree < d) change neither ‖·‖_* nor the minimizer: solve without them.
  const lines = liveLines({ A, b, R, C });
  if (lines) {
    const nr = lines.rows.length;
    const nc = lines.cols.length;
    const restrict = (M: Matrix): Matrix => {
      const out = new Matrix(nr, nc);
      lines.rows.forEach((i, a) => lines.cols.forEach((j, c2) => (out.data[a * nc + c2] = M.data[i * C + j]!)));
      return out;
    };
    const expand = (M: Matrix): Matrix => {
      const out = new Matrix(R, C);
      lines.rows.forEach((i, a) => lines.cols.forEach((j, c2) => (out.data[i * C + j] = M.data[a * nc + c2]!)));
      return out;
    };
    const ws = options.warmStart;
    const subOptions = ws ? { ...options, warmStart: { ...ws, multiplier: restrict(ws.multiplier), ...(ws.X ? { X: restrict(ws.X) } : {}) } } : options;
    const sub = solveNuclearNorm({ ...problem, A: lines.A, b: lines.b, shape: [nr, nc] }, subOptions);
    const sv = new Float64Array(Math.min(R, C));
    sv.set(sub.singularValues, sv.length - sub.singularValues.length);
    return { ...sub, X: expand(sub.X), multiplier: expand(sub.multiplier), singularValues: sv };
  }
  const As = new Csr(A);
  const hasP = P !== undefined && P.maxAbs() > 0;
  if (hasP && options.rho === undefined && warm === undefined) {
    // Balance the two curvatures of the z-step: ρ·tr(AᵀA) ≈ tr(P), tr(AᵀA) = ‖A‖_F².
    const tA = A.norm() ** 2;
    if (tA > 0) rho = P!.trace() / tA;
  }
  // The z-step min ½zᵀHz − rhsᵀz s.t. E·z = f, H = P + ρAᵀA (AᵀA without P: ρ scales out), by eliminating
  // E·z = f once (z = z₀ + N·t, Householder QR of Eᵀ) and a Cholesky factor of NᵀHN per ρ: far cheaper
  // than an eigendecomposition of the (k + e)×(k + e) KKT matrix.
  const el = ne > 0 ? eliminateEqualities(E!.data, { e: ne, k, f }) : undefined;
  const kf = el ? el.kf : k;
  const scale = Math.max(norm(b), norm(c), norm(f), Number.MIN_VALUE);
  // A typical column norm of A: floors of the residual scales when the solution is X = 0.
  const normA = Math.max(A.norm() / Math.sqrt(Math.max(k, 1)), Number.MIN_VALUE);
  const newtonCost = newtonStepCost(R, C, kf);
  const newtonCheap = newtonCost <= NEWTON_STEP_FLOPS || (newtonCost <= NEWTON_ADMM_RATIO * admmIterationCost(R, C, kf) && newtonStepMemory(R, C, kf) <= NEWTON_MAX_DOUBLES);
  if (method === 'newton' || (method === 'auto' && newtonCheap)) {
    const nt = solveByNewton({ A, b, P: hasP ? P : undefined, c, el, R, C, scale, kktScale: (G) => Math.max(norm(As.mulT(G)), normA), maxIterations: maxNewton, gapTolerance: gapTol, ...(start ? { start } : {}) });
    if (nt.converged || method === 'newton') {
      if (!nt.converged && options.throwOnNotConverged) {
        throw new NotConvergedError(`${fn}: Newton did not certify in ${nt.iterations} steps (relative gap ${nt.relativeGap.toExponential(2)}, stationarity ${nt.kktResidual.toExponential(2)}; tolerance ${gapTol})`);
      }
      return { ...nt, rho: options.rho ?? warm?.rho ?? 1 };
    }
    // Not certified (a degenerate or badly conditioned program): ADMM from Newton's subgradient.
    return solveNuclearNorm(problem, { ...options, method: 'admm', warmStart: { multiplier: nt.multiplier, rho: options.rho ?? warm?.rho ?? 1, X: nt.X } });
  }
  const toReduced = (w: ArrayLike<number>, out: Float64Array): Float64Array => {
    if (!el) {
      for (let j = 0; j < k; j++) out[j] = w[j]!;
      return out;
    }
    out.fill(0);
    const Nm = el.N;
    for (let i = 0; i < k; i++) {
      const wi = w[i]!;
      if (wi === 0) continue;
      const off = i * kf;
      for (let c = 0; c < kf; c++) out[c]! += Nm[off + c]! * wi;
    }
    return out;
  };
  interface ZSolver {
    L: Float64Array;
    hz0: Float64Array;
  }
  const factorize = (r: number): ZSolver => {
    const H = new Float64Array(k * k);
    for (let i = 0; i < k * k; i++) H[i] = (hasP ? r : 1) * AtA.data[i]! + (hasP ? P!.data[i]! : 0);
    const z0 = el ? el.z0 : new Float64Array(k);
    const hz0 = new Float64Array(k);
    for (let i = 0; i < k; i++) {
      let s = 0;
      for (let j = 0; j < k; j++) s += H[i * k + j]! * z0[j]!;
      hz0[i] = s;
    }
    let Hr: Float64Array;
    if (!el) Hr = H;
    else {
      // NᵀHN: HN (k×kf), then Nᵀ(HN).
      const Nm = el.N;
      const HN = new Float64Array(k * kf);
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          const h = H[i * k + j]!;
          if (h === 0) continue;
          const oj = j * kf;
          const oi = i * kf;
          for (let c = 0; c < kf; c++) HN[oi + c]! += h * Nm[oj + c]!;
        }
      }
      Hr = new Float64Array(kf * kf);
      for (let i = 0; i < k; i++) {
        const oi = i * kf;
        for (let a = 0; a < kf; a++) {
          const n = Nm[oi + a]!;
          if (n === 0) continue;
          const oa = a * kf;
          for (let c = 0; c < kf; c++) Hr[oa + c]! += n * HN[oi + c]!;
        }
      }
    }
    let maxDiag = 0;
    for (let i = 0; i < kf; i++) maxDiag = Math.max(maxDiag, Math.abs(Hr[i * kf + i]!));
    // A singular NᵀHN (directions free of both A and E) gets the smallest ridge that factors.
    for (let ridge = 0; ; ridge = ridge === 0 ? 1e-14 * Math.max(maxDiag, Number.MIN_VALUE) : ridge * 100) {
      const L = Hr.slice();
      for (let i = 0; i < kf; i++) L[i * kf + i]! += ridge;
      if (choleskyInPlace(L, kf)) return { L, hz0 };
    }
  };
  // AᵀA for the z-step, formed only on the ADMM path (Newton never needs it).
  const AtA = As.gram();
  let solver = factorize(rho);
  const rho0 = rho;

  const rhsBuf = new Float64Array(k);
  const tBuf = new Float64Array(kf);
  const zStep = (v: Float64Array): Float64Array => {
    const atv = As.mulT(v);
    for (let j = 0; j < k; j++) rhsBuf[j] = (hasP ? rho * atv[j]! - c[j]! : atv[j]! - c[j]! / rho) - solver.hz0[j]!;
    const t = toReduced(rhsBuf, tBuf);
    const L = solver.L;
    for (let i = 0; i < kf; i++) {
      let s = t[i]!;
      const oi = i * kf;
      for (let p = 0; p < i; p++) s -= L[oi + p]! * t[p]!;
      t[i] = s / L[oi + i]!;
    }
    for (let i = kf - 1; i >= 0; i--) {
      let s = t[i]!;
      for (let p = i + 1; p < kf; p++) s -= L[p * kf + i]! * t[p]!;
      t[i] = s / L[i * kf + i]!;
    }
    if (!el) return t.slice();
    const out = el.z0.slice();
    const Nm = el.N;
    for (let i = 0; i < k; i++) {
      let s = 0;
      const oi = i * kf;
      for (let c2 = 0; c2 < kf; c2++) s += Nm[oi + c2]! * t[c2]!;
      out[i]! += s;
    }
    return out;
  };

  // Stationarity min_λ ‖w + Eᵀλ‖ = ‖Nᵀw‖ (N an orthonormal basis of null(E)).
  const redBuf = new Float64Array(kf);
  const stationarity = (w: Float64Array): number => (el ? norm(toReduced(w, redBuf)) : norm(w));

  let z: Float64Array = new Float64Array(k);
  let X: Float64Array = new Float64Array(N);
  const U = new Float64Array(N); // scaled multiplier; G = −ρU ∈ ∂‖X‖_*
  if (start) {
    // X = mat(A·z + b) at the start projected onto E·z = f.
    const zs = el ? el.z0.slice() : start.slice();
    if (el) {
      const t = toReduced(Float64Array.from(start, (v, i) => v - el.z0[i]!), new Float64Array(kf));
      for (let i = 0; i < k; i++) zs[i]! += dot(el.N.subarray(i * kf, (i + 1) * kf), t);
    }
    X = A.mulVec(zs);
    for (let i = 0; i < N; i++) X[i]! += b[i]!;
  }
  if (warm) {
    for (let i = 0; i < N; i++) U[i] = -warm.multiplier.data[i]! / rho;
    if (warm.X) X = warm.X.data.slice();
  }
  let iterations = 0;
  let primal = Infinity;
  let dualRes = Infinity;
  let converged = false;
  let cert = { gap: Infinity, rel: Infinity, kkt: Infinity };
  let sinceAdapt = 0;
  let adaptations = 0;

  // The singular values of X at the z of the last certificate, reused by the result.
  let certSv: Float64Array | undefined;
  let certZ: Float64Array | undefined;
  const certificate = (): { gap: number; rel: number; kkt: number } => {
    const G = new Float64Array(N);
    for (let i = 0; i < N; i++) G[i] = -rho * U[i]!;
    const s0 = spectralNorm(G, R, C);
    if (s0 > 1) for (let i = 0; i < N; i++) G[i]! /= s0;
    const w = As.mulT(G);
    const pz = hasP ? P!.mulVec(z) : undefined;
    for (let j = 0; j < k; j++) w[j]! += c[j]! + (pz ? pz[j]! : 0);
    const Xz = As.mul(z);
    for (let i = 0; i < N; i++) Xz[i]! += b[i]!;
    let nuc = 0;
    certSv = singularValues(new Matrix(R, C, Xz));
    certZ = z;
    for (const s of certSv) nuc += s;
    const gap = Math.max(nuc - dot(G, Xz), 0);
    const sc = Math.max(nuc, scale);
    return { gap, rel: gap / sc, kkt: stationarity(w) / Math.max(norm(As.mulT(G)), normA) };
  };

  for (let it = 1; it <= maxIterations; it++) {
    iterations = it;
    const v = new Float64Array(N);
    for (let i = 0; i < N; i++) v[i] = X[i]! - b[i]! + U[i]!;
    z = zStep(v);
    const Az = As.mul(z);
    const Xin = new Float64Array(N);
    const h = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      h[i] = alpha * Az[i]! + (1 - alpha) * (X[i]! - b[i]!);
      Xin[i] = h[i]! + b[i]! - U[i]!;
    }
    const Xold = X;
    X = singularValueThreshold(new Matrix(R, C, Xin), 1 / rho).X.data;
    const r = new Float64Array(N);
    const dX = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      U[i]! += X[i]! - h[i]! - b[i]!;
      r[i] = X[i]! - Az[i]! - b[i]!;
      dX[i] = X[i]! - Xold[i]!;
    }
    const pScale = Math.max(norm(X), norm(Az), norm(b), scale * normA);
    // Not relative to ‖c‖: with a heavy quadratic term c dwarfs the nuclear norm's gradient.
    const dScale = Math.max(rho * norm(As.mulT(U)), normA);
    primal = norm(r) / pScale;
    dualRes = (rho * norm(As.mulT(dX))) / dScale;
    if (primal < tol && dualRes < tol) {
      cert = certificate();
      if (cert.rel < gapTol && cert.kkt < gapTol) {
        converged = true;
        break;
      }
    }
    sinceAdapt++;
    if (sinceAdapt >= 25 && adaptations < (hasP ? 60 : 10000)) {
      // Residual balancing keeps the two residuals within a factor 10 of each other.
      let factor = 1;
      if (primal > 10 * dualRes && rho < 1e6 * rho0) factor = 2;
      else if (dualRes > 10 * primal && rho > 1e-6 * rho0) factor = 0.5;
      if (factor !== 1) {
        rho *= factor;
        for (let i = 0; i < N; i++) U[i]! /= factor;
        adaptations++;
        sinceAdapt = 0;
        if (hasP) solver = factorize(rho);
      }
    }
  }
  if (!converged) cert = certificate();
  const Xz = As.mul(z);
  for (let i = 0; i < N; i++) Xz[i]! += b[i]!;
  const Xm = new Matrix(R, C, Xz);
  const sv = certZ === z && certSv ? certSv : singularValues(Xm);
  let nuc = 0;
  for (const s of sv) nuc += s;
  let objective = nuc + dot(c, z);
  if (hasP) objective += 0.5 * dot(z, P!.mulVec(z));
  if (!converged && options.throwOnNotConverged) {
    throw new NotConvergedError(
      `${fn}: ADMM did not converge in ${iterations} iterations (relative primal residual ${primal.toExponential(2)}, dual ${dualRes.toExponential(2)}, relative gap ${cert.rel.toExponential(2)}, stationarity ${cert.kkt.toExponential(2)}; tolerances ${tol}, ${gapTol})`,
    );
  }
  return {
    z,
    X: Xm,
    objective,
    nuclearNorm: nuc,
    singularValues: sv.slice().reverse(),
    converged,
    iterations,
    primalResidual: primal,
    dualResidual: dualRes,
    dualityGap: cert.gap,
    relativeGap: cert.rel,
    kktResidual: cert.kkt,
    rho,
    multiplier: new Matrix(R, C, U.map((u) => -rho * u)),
    method: 'admm',
  };
}

/**
 * The Newton path of {@link solveNuclearNorm}: reduces the program to t (z = z₀ + N·t), solves it
 * with {@link newtonNuclearNorm} and assembles the result (all of it but `rho`).
 */
function solveByNewton({
  A,
  b,
  P,
  c,
  el,
  R,
  C,
  scale,
  kktScale,
  maxIterations,
  gapTolerance,
  start,
}: {
  A: Matrix;
  b: Float64Array;
  P: Matrix | undefined;
  c: Float64Array;
  el: EqualityElimination | undefined;
  R: number;
  C: number;
  scale: number;
  kktScale: (G: Float64Array) => number;
  maxIterations: number;
  gapTolerance: number;
  start?: Float64Array;
}): Omit<NuclearNormSolveResult, 'rho'> {
  const k = A.cols;
  const n = A.rows;
  const kf = el ? el.kf : k;
  // Ã = A·N, b̃ = A·z₀ + b, P̃ = NᵀPN, c̃ = Nᵀ(c + P·z₀).
  let At: Float64Array;
  let bt: Float64Array;
  let Pt: Float64Array | undefined;
  let ct: Float64Array;
  if (!el) {
    At = A.data;
    bt = b;
    Pt = P?.data;
    ct = c;
  } else {
    const Nm = el.N;
    At = new Float64Array(n * kf);
    addProduct(A.data, Nm, { rows: n, inner: k, len: kf, inout: At, scale: 1 });
    bt = b.slice();
    for (let e = 0; e < n; e++) {
      const oe = e * k;
      let v = 0;
      for (let i = 0; i < k; i++) v += A.data[oe + i]! * el.z0[i]!;
      bt[e]! += v;
    }
    const cz = c.slice();
    if (P) {
      const pz = P.mulVec(el.z0);
      for (let i = 0; i < k; i++) cz[i]! += pz[i]!;
    }
    ct = new Float64Array(kf);
    for (let i = 0; i < k; i++) for (let j = 0; j < kf; j++) ct[j]! += Nm[i * kf + j]! * cz[i]!;
    if (P) {
      const PN = new Float64Array(k * kf);
      for (let i = 0; i < k; i++) for (let l = 0; l < k; l++) {
        const v = P.data[i * k + l]!;
        if (v !== 0) for (let j = 0; j < kf; j++) PN[i * kf + j]! += v * Nm[l * kf + j]!;
      }
      Pt = new Float64Array(kf * kf);
      for (let i = 0; i < k; i++) for (let a = 0; a < kf; a++) {
        const v = Nm[i * kf + a]!;
        if (v !== 0) for (let j = 0; j < kf; j++) Pt[a * kf + j]! += v * PN[i * kf + j]!;
      }
    }
  }
  // The start in the reduced coordinates: t = Nᵀ(z − z₀), the nearest point of E·z = f.
  let t0: Float64Array | undefined;
  if (start) {
    if (!el) t0 = start.slice();
    else {
      t0 = new Float64Array(kf);
      for (let i = 0; i < k; i++) {
        const d = start[i]! - el.z0[i]!;
        if (d !== 0) for (let j = 0; j < kf; j++) t0[j]! += el.N[i * kf + j]! * d;
      }
    }
  }
  const r = newtonNuclearNorm(
    { A: At, b: bt, R, C, kf, c: ct, ...(Pt ? { P: Pt } : {}), ...(el ? { lift: { A: A.data, k, N: el.N } } : {}) },
    { maxIterations, gapTolerance, scale, kktScale, ...(t0 ? { start: t0, startSmoothing: NEWTON_START_SMOOTHING } : {}) },
  );
  let z: Float64Array = r.t;
  if (el) {
    z = el.z0.slice();
    for (let i = 0; i < k; i++) z[i]! += dot(el.N.subarray(i * kf, (i + 1) * kf), r.t);
  }
  const Xz = A.mulVec(z);
  for (let i = 0; i < n; i++) Xz[i]! += b[i]!;
  let nuc = 0;
  for (const s of r.singularValues) nuc += s;
  let objective = nuc + dot(c, z);
  if (P) objective += 0.5 * dot(z, P.mulVec(z));
  return {
    z,
    X: new Matrix(R, C, Xz),
    objective,
    nuclearNorm: nuc,
    singularValues: r.singularValues.slice().reverse(),
    converged: r.converged,
    iterations: r.iterations,
    primalResidual: 0,
    dualResidual: 0,
    dualityGap: r.gap,
    relativeGap: r.relativeGap,
    kktResidual: r.kktResidual,
    multiplier: new Matrix(R, C, r.G),
    method: 'newton',
  };
}
