import { InvalidArgumentError, NotConvergedError, describe } from '../errors.js';
import type { LinearOperator } from '../linalg/LinearOperator.js';
import { Matrix } from '../linalg/Matrix.js';
import { eigh } from '../linalg/eigh.js';
import { scaleInPlace, stableNorm, timesPowerOfTwo } from '../linalg/powerOfTwo.js';
import { createRng, type Rng } from '../linalg/random.js';
import type { Representation } from '../reps/Representation.js';
import { checkAtol, checkRtol } from '../tolerances.js';
import { type ReducedSolve, lieScaleExponent } from './factorView.js';

/** Options of {@link iterativeInvariantBasis}. */
export interface IterativeBasisOptions {
  /** Relative tolerance of the rank decision on σ (default 10·max(m, n)·ε of the stacked constraints, as the dense solver). */
  rtol?: number;
  /** Absolute tolerance of the rank decision on σ (default 0). */
  atol?: number;
  /** Initial block size (default min(n, 8)); doubled after every round whose block was entirely null. */
  blockSize?: number;
  /** Limit on block-Lanczos steps summed over all rounds (default 2000). */
  maxIterations?: number;
  /** Limit on the Krylov basis size of one round (default min(n, 1500)). */
  maxKrylovDim?: number;
  /** Seed of the random start blocks (default 0). */
  seed?: number;
}

/** Largest relative constraint residual ‖Cᵢv‖ / ‖Cᵢ‖ a returned basis vector may have. */
const ITERATIVE_RESIDUAL = 1e-9;

/** The (r+1)-th Ritz pair counts as converged when ‖G·v − θ·v‖ ≤ this · θ (an unconverged null direction has ratio ≫ 1). */
const GAP_PAIR_RTOL = 1e-2;

interface Constraint {
  matvec(x: Float64Array): Float64Array;
  rmatvec(y: Float64Array): Float64Array;
  /** Power-iteration estimate of ‖C‖₂ (a lower bound; 0 for the zero operator). */
  norm: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function axpy(y: Float64Array, a: number, x: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i]! += a * x[i]!;
}

function randomVector(n: number, rng: Rng): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.normal();
  return v;
}

/** ‖C‖₂ by power iteration on CᵀC (30 steps from a random start; a lower bound, tight to a few digits). */
function normEstimate(op: LinearOperator | Constraint, n: number, rng: Rng): number {
  let v = randomVector(n, rng);
  let nv = stableNorm(v);
  let est = 0;
  for (let it = 0; it < 30 && nv > 0; it++) {
    for (let i = 0; i < n; i++) v[i]! /= nv;
    const cv = op.matvec(v);
    const ncv = stableNorm(cv);
    est = Math.max(est, ncv);
    // Normalized before the transpose is applied, so that ‖CᵀCv‖ cannot overflow at any scale of C.
    if (ncv > 0) for (let i = 0; i < cv.length; i++) cv[i]! /= ncv;
    v = op.rmatvec(cv);
    nv = stableNorm(v);
  }
  return est;
}

/**
 * The constraint operators dρ(ξᵢ) and ρ(hⱼ) − I of `rep`, lazily; the dρ(ξᵢ) multiplied by 2ᵏ,
 * k = lieScaleExponent of their largest norm (exact; 0 unless that norm is beyond 2^±64).
 */
function constraints(rep: Representation, rng: Rng): Constraint[] {
  const n = rep.dim;
  const out: Constraint[] = [];
  const lie = Array.from({ length: rep.generatorCount }, (_, i) => {
    const op = rep.drho(i);
    return { op, norm: normEstimate(op, n, rng) };
  });
  const k = lieScaleExponent(Math.max(0, ...lie.map((l) => l.norm)));
  for (const { op, norm } of lie) {
    out.push({ matvec: (x) => scaleInPlace(op.matvec(x), k), rmatvec: (y) => scaleInPlace(op.rmatvec(y), k), norm: timesPowerOfTwo(norm, k) });
  }
  for (let j = 0; j < rep.discreteCount; j++) {
    const op = rep.rho(j);
    const c: Constraint = {
      matvec: (x) => {
        const y = op.matvec(x);
        for (let k = 0; k < n; k++) y[k]! -= x[k]!;
        return y;
      },
      rmatvec: (y) => {
        const x = op.rmatvec(y);
        for (let k = 0; k < n; k++) x[k]! -= y[k]!;
        return x;
      },
      norm: 0,
    };
    c.norm = normEstimate(c, n, rng);
    out.push(c);
  }
  return out.filter((c) => c.norm > 0);
}

/** G·v = Σ Cᵢᵀ(Cᵢ·v), with σ(v)² = Σ ‖Cᵢ·v‖² = vᵀGv computed from C directly (no squaring of rounding errors). */
function applyG(cs: readonly Constraint[], v: Float64Array): { gv: Float64Array; sigma: number; worst: number } {
  const gv = new Float64Array(v.length);
  let s2 = 0;
  let worst = 0;
  for (const c of cs) {
    const cv = c.matvec(v);
    const nc = dot(cv, cv);
    s2 += nc;
    worst = Math.max(worst, Math.sqrt(nc) / c.norm);
    axpy(gv, 1, c.rmatvec(cv));
  }
  return { gv, sigma: Math.sqrt(s2), worst };
}

/** Orthogonalizes v against `basis` (classical Gram–Schmidt, two passes); returns its remaining norm. */
function orthogonalize(v: Float64Array, basis: readonly Float64Array[]): number {
  for (let pass = 0; pass < 2; pass++) for (const q of basis) axpy(v, -dot(q, v), q);
  return Math.sqrt(dot(v, v));
}

interface RoundResult {
  /** Null vectors found in this round (orthonormal, orthogonal to the locked ones). */
  nulls: Float64Array[];
  nullSigma: number[];
  /** σ of the remaining Ritz pairs (the first refined from C, the others √θ), ascending. */
  rest: number[];
  lambdaMax: number;
  steps: number;
}

interface RoundContext {
  cs: readonly Constraint[];
  n: number;
  locked: readonly Float64Array[];
  rtol: number;
  atol: number;
  maxKrylovDim: number;
  stepsLeft: number;
  lambdaMax: number;
  rng: Rng;
}

/**
 * One round of block Lanczos with full reorthogonalization on G restricted to the complement of
 * the locked vectors, started from a random block of size b. In exact arithmetic the Krylov space
 * contains exactly min(b, r′) null directions (r′ = remaining nullity: Gᵏ·X has no null component
 * for k ≥ 1), so a round that finds fewer than b has found all of them.
 */
function lanczosRound(ctx: RoundContext, b: number): RoundResult {
  const { cs, n, locked } = ctx;
  const q: Float64Array[] = [];
  // tq[k][i] = qᵢᵀ·G·q_k for i ≤ k: the Rayleigh quotient matrix, built once per column.
  const tq: Float64Array[] = [];
  let block: Float64Array[] = [];
  for (let k = 0; k < b; k++) {
    const v = randomVector(n, ctx.rng);
    const nv = orthogonalize(v, [...locked, ...block]);
    if (nv > 1e-8 * Math.sqrt(n)) block.push(v.map((x) => x / nv));
  }
  let lambdaMax = ctx.lambdaMax;
  let steps = 0;
  let nextCheck = 1;
  for (;;) {
    const gBlock: Float64Array[] = [];
    for (const v of block) {
      const gv = applyG(cs, v).gv;
      q.push(v);
      gBlock.push(gv);
      tq.push(Float64Array.from(q, (qi) => dot(qi, gv)));
    }
    steps++;
    const m = q.length;
    // The next block: G·(current block), orthogonalized against everything kept so far.
    const next: Float64Array[] = [];
    for (const w of gBlock) {
      const before = Math.sqrt(dot(w, w));
      const nw = orthogonalize(w, [...locked, ...q, ...next]);
      if (nw > 1e-10 * Math.max(before, Number.MIN_VALUE) && nw > 0) next.push(w.map((x) => x / nw));
    }
    const exhausted = next.length === 0 || m + next.length > n - locked.length;
    if (exhausted || steps >= nextCheck || m + next.length > ctx.maxKrylovDim || steps >= ctx.stepsLeft) {
      nextCheck = steps < 4 ? steps + 1 : 2 * steps;
      const done = rayleighRitz(ctx, { q, tq }, { b, exact: exhausted, lambdaMax });
      lambdaMax = done.lambdaMax;
      if (done.result) return { ...done.result, steps };
      if (exhausted || m + next.length > ctx.maxKrylovDim || steps >= ctx.stepsLeft) {
        throw new NotConvergedError(
          `invariantBasis: the iterative solver did not converge within ${steps} block steps (block size ${b}, Krylov dimension ${m}, ` +
            `${locked.length} null vectors locked; limits: ${ctx.stepsLeft} steps, Krylov dimension ${ctx.maxKrylovDim}); ` +
            `raise the limits or use { method: 'dense' }`,
        );
      }
    }
    block = next;
  }
}

/** A round's Krylov basis q and its Rayleigh quotients tq[k][i] = qᵢᵀ·G·q_k (i ≤ k). */
interface KrylovBasis {
  q: readonly Float64Array[];
  tq: readonly Float64Array[];
}

/** Where a round stands: its block size b, whether its Krylov space is exhausted (Ritz pairs exact), the largest eigenvalue so far. */
interface RoundState {
  b: number;
  exact: boolean;
  lambdaMax: number;
}

/** Rayleigh–Ritz on span(q): returns the round's result when its convergence test passes. */
function rayleighRitz(ctx: RoundContext, { q, tq }: KrylovBasis, { b, exact, lambdaMax: lambdaMax0 }: RoundState): { result?: Omit<RoundResult, 'steps'>; lambdaMax: number } {
  const m = q.length;
  const n = ctx.n;
  const t = new Matrix(m, m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      const v = tq[j]![i]!;
      t.data[i * m + j] = v;
      t.data[j * m + i] = v;
    }
  }
  const e = eigh(t);
  const lambdaMax = Math.max(lambdaMax0, e.values[m - 1] ?? 0);
  const threshold = Math.max(ctx.rtol * Math.sqrt(lambdaMax), ctx.atol);
  const ritz = (k: number): Float64Array => {
    const v = new Float64Array(n);
    for (let i = 0; i < m; i++) axpy(v, e.vectors.data[i * m + k]!, q[i]!);
    return v;
  };
  const nulls: Float64Array[] = [];
  const nullSigma: number[] = [];
  let k = 0;
  let nextSigma = Infinity;
  let nextConverged = true;
  for (; k < m; k++) {
    const v = ritz(k);
    const { gv, sigma } = applyG(ctx.cs, v);
    if (sigma <= threshold && k < b) {
      nulls.push(v);
      nullSigma.push(sigma);
      continue;
    }
    nextSigma = sigma;
    if (sigma <= threshold) break;
    const theta = e.values[k]!;
    axpy(gv, -theta, v);
    nextConverged = exact || (theta > 0 && Math.sqrt(dot(gv, gv)) <= GAP_PAIR_RTOL * theta);
    break;
  }
  // A full block of null vectors is a complete round (the caller grows the block); otherwise the
  // first non-null Ritz pair must have converged, so that no null direction is still hidden in it.
  if (nulls.length < b && !nextConverged) return { lambdaMax };
  const rest: number[] = [];
  if (k < m) rest.push(nextSigma);
  for (let j = k + 1; j < m; j++) rest.push(Math.sqrt(Math.max(e.values[j]!, 0)));
  return { result: { nulls, nullSigma, rest, lambdaMax }, lambdaMax };
}

function checkIterativeOptions(options: IterativeBasisOptions): void {
  const fn = 'iterativeInvariantBasis';
  if (options.rtol !== undefined) checkRtol(fn, options.rtol, 'options.rtol');
  if (options.atol !== undefined) checkAtol(fn, options.atol, 'options.atol');
  for (const key of ['blockSize', 'maxIterations', 'maxKrylovDim'] as const) {
    const v = options[key];
    if (v !== undefined && !(Number.isInteger(v) && v >= 1)) {
      throw new InvalidArgumentError(`${fn}: 'options.${key}' must be an integer ≥ 1; received ${describe(v)}`);
    }
  }
}

/** Result of {@link iterativeInvariantBasis}: a reduced solve with its diagnostics. */
export interface IterativeBasisResult extends ReducedSolve {
  /** Block-Lanczos steps taken over all rounds. */
  iterations: number;
  /** The block size of the last round. */
  blockSize: number;
  /** Largest relative constraint residual maxᵢ ‖Cᵢ·v‖ / ‖Cᵢ‖ over the basis vectors (verified ≤ 1e-9). */
  residual: number;
}

/**
 * An orthonormal basis of the common nullspace of the constraints Cᵢ ∈ {dρ(ξᵢ), ρ(hⱼ) − I}, i.e. of
 * the positive semidefinite G = Σ CᵢᵀCᵢ, matrix-free: G is only applied to vectors through
 * `rep.drho(i)` / `rep.rho(j)` matvecs, never formed (memory O(n·m) for a Krylov basis of m vectors).
 *
 * Block Lanczos with full reorthogonalization and Rayleigh–Ritz, in rounds: a round starts from a
 * random block of b vectors (orthogonal to the null vectors already locked) and grows its Krylov space
 * until every Ritz vector it calls null has σ = (Σ‖Cᵢv‖²)^½ ≤ max(rtol·σ_max, atol) and the next Ritz
 * pair has converged (‖G·v − θ·v‖ ≤ 0.01·θ). Since Gᵏ·X has no null component for k ≥ 1, a round captures
 * min(b, remaining nullity) null directions: when it finds b, they are locked and a round with block 2b
 * follows; when it finds fewer, the nullspace is complete. Every basis vector is then verified:
 * ‖Cᵢ·v‖ ≤ 1e-9·‖Cᵢ‖ (‖Cᵢ‖ by power iteration).
 *
 * `singularValues` reports only the computed part of the spectrum, ascending: σ of the r null vectors and
 * of the first Ritz vector above them (both computed from C), then √θ of the last round's other Ritz
 * values (upper bounds of the true singular values, not converged). `gap` = σ_{r+1}/σ_r.
 *
 * @param rep the representation (dimension n)
 * @param options tolerances, block size and iteration limits (see {@link IterativeBasisOptions})
 * @returns basis n × r (orthonormal columns), singular values, gap, threshold, iterations
 * @throws NotConvergedError when the step or Krylov-dimension limit is reached, or a basis vector fails the residual check
 * @example
 * iterativeInvariantBasis(V(SO(3)).pow(4)).basis.cols; // 3
 */
export function iterativeInvariantBasis(rep: Representation, options: IterativeBasisOptions = {}): IterativeBasisResult {
  checkIterativeOptions(options);
  const n = rep.dim;
  const rng = createRng(options.seed ?? 0);
  const cs = constraints(rep, rng);
  const rows = (rep.generatorCount + rep.discreteCount) * n;
  const rtol = options.rtol ?? 10 * Math.max(rows, n) * Number.EPSILON;
  const atol = options.atol ?? 0;
  const maxIterations = options.maxIterations ?? 2000;
  const maxKrylovDim = Math.min(n, options.maxKrylovDim ?? 1500);
  let b = Math.max(1, Math.min(n, options.blockSize ?? 8));
  if (cs.length === 0) {
    return {
      basis: Matrix.identity(n),
      singularValues: new Float64Array(n),
      gap: Infinity,
      threshold: atol,
      iterations: 0,
      blockSize: 0,
      residual: 0,
    };
  }
  const locked: Float64Array[] = [];
  const sigmas: number[] = [];
  let rest: number[] = [];
  let lambdaMax = Math.max(...cs.map((c) => c.norm * c.norm));
  let steps = 0;
  while (locked.length < n) {
    const ctx: RoundContext = { cs, n, locked, rtol, atol, maxKrylovDim, stepsLeft: maxIterations - steps, lambdaMax, rng };
    const r = lanczosRound(ctx, Math.min(b, n - locked.length));
    steps += r.steps;
    lambdaMax = r.lambdaMax;
    locked.push(...r.nulls);
    sigmas.push(...r.nullSigma);
    rest = r.rest;
    if (r.nulls.length < Math.min(b, n - locked.length + r.nulls.length)) break;
    b *= 2;
  }
  const threshold = Math.max(rtol * Math.sqrt(lambdaMax), atol);
  const rank = locked.length;
  let residual = 0;
  for (const v of locked) residual = Math.max(residual, applyG(cs, v).worst);
  if (residual > ITERATIVE_RESIDUAL) {
    throw new NotConvergedError(
      `invariantBasis: the iterative solver's basis has relative constraint residual ${residual.toExponential(2)} > ${ITERATIVE_RESIDUAL} ` +
        `(rank ${rank}, threshold ${threshold.toExponential(2)}); tighten 'rtol' / 'atol' or use { method: 'dense' }`,
    );
  }
  const basis = new Matrix(n, rank);
  locked.forEach((v, k) => {
    for (let i = 0; i < n; i++) basis.data[i * rank + k] = v[i]!;
  });
  const sv = Float64Array.from([...sigmas, ...rest]).sort();
  const below = rank > 0 ? sv[rank - 1]! : threshold;
  const above = rank < sv.length ? sv[rank]! : threshold;
  return {
    basis,
    singularValues: sv,
    gap: below === 0 ? Infinity : above / below,
    threshold,
    iterations: steps,
    blockSize: b,
    residual,
  };
}
