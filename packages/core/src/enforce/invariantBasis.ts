import { InvalidArgumentError, NotConvergedError, ShapeMismatchError, UnsupportedOperationError, describe } from '../errors.js';
import { checkAtol, checkRtol } from '../tolerances.js';
import { Matrix } from '../linalg/Matrix.js';
import { nullspace } from '../linalg/nullspace.js';
import { Representation, hom, representationStructure } from '../reps/Representation.js';
import { scaleInPlace } from '../linalg/powerOfTwo.js';
import { type FactorData, type ReducedSolve, constraintResidual, factorView, kronApply, kronSumApply, lieScaleExponent } from './factorView.js';
import { orbitAverager } from './orbitProjector.js';
import { orbitBasis, permutationOrbits } from './permutationOrbits.js';
import { iterativeInvariantBasis } from './iterativeSolver.js';
import { splitTensorBasis } from './splitTensorSolver.js';
import { toleranceOptions, weightSpaceBasis } from './weightSpaceSolver.js';

/**
 * The solver that produced a basis:
 * - `'trivial'`: the group has no generators on this representation; the basis is I.
 * - `'dense-svd'` / `'dense-gram'`: the dense reference — nullspace of the stacked constraints
 *   [dρ(ξ₁); …; ρ(h₁) − I; …] by Jacobi SVD (≤ 160 unknowns) or the Gram matrix's eigenvectors.
 * - `'direct-sum'`: a direct sum ρ₁ ⊕ ρ₂ ⊕ …, solved part by part (invariants of a sum are the sums of invariants).
 * - `'permutation-orbits'`: every ρ(hⱼ) permutes the tensor-product basis and there is no Lie algebra:
 *   the invariants are the normalized indicator vectors of the orbits (union–find; exact, sparse).
 * - `'orbits+dense'`: the same orbits first, then the Lie-algebra constraints imposed on the orbit
 *   basis densely (mixed groups such as SO(3) × Sₙ on point clouds).
 * - `'split-tensor'`: orthogonal tensor products A ⊗ B split into halves; invariants built from
 *   the halves' isotypic decompositions (Casimir eigenspaces, copies matched by a random probe).
 * - `'split-tensor+dense'`: the same for the identity component, then the discrete generators imposed densely.
 * - `'weight-space'`: the constraints imposed on the zero-weight space of one generator (products of
 *   the factors' eigenvectors whose eigenvalues sum to 0), densely.
 * - `'iterative'`: matrix-free block Lanczos on G = Σ CᵢᵀCᵢ over the lazy constraints Cᵢ (dρ(ξᵢ) and
 *   ρ(hⱼ) − I, never formed), in rounds of growing block size (src/symmetry/iterativeSolver.ts);
 *   `singularValues` then holds only the computed part of the spectrum. Used when no structured solver
 *   applies: above 4096 unknowns always, below with a budget of about a quarter of the dense cost (the
 *   dense solver runs when the budget is exceeded).
 */
export type BasisMethod =
  | 'trivial'
  | 'dense-svd'
  | 'dense-gram'
  | 'direct-sum'
  | 'permutation-orbits'
  | 'orbits+dense'
  | 'split-tensor'
  | 'split-tensor+dense'
  | 'weight-space'
  | 'iterative';

/** Options of {@link invariantBasis} and {@link equivariantBasis}. */
export interface InvariantBasisOptions {
  /**
   * Relative tolerance of the dimension decision (see {@link nullspace}; default 10·max(m, n)·ε of the problem solved).
   * Every solver decides on the constraints [2ᵏ·dρ(ξᵢ); ρ(hⱼ) − I], with k = 0 unless the largest entry of
   * the dρ(ξᵢ) lies beyond 2^±64, where 2ᵏ brings it into [1, 2) (exact; no invariant changes): `atol`,
   * `singularValues` and `threshold` refer to those constraints.
   */
  rtol?: number;
  /** Absolute tolerance of the dimension decision (default 0; structured methods floor it at 1e-9 times a bound on the constraint norms). */
  atol?: number;
  /**
   * Which solver: `'auto'` (default) tries the structured solvers at every size (a direct sum part by
   * part, then orbits, splitting, weight spaces; each result verified), and when none applies uses the
   * dense reference up to `denseLimit` unknowns, the matrix-free iterative solver above it (within a
   * budget below 4096 unknowns, then dense). `'structured'` is the same without the dense shortcut (the
   * iterative solver is tried at every size); `'dense'` (or `'svd'` / `'gram'` to also pick the dense
   * nullspace algorithm) forces the reference; `'orbits'`, `'split'`, `'weight-space'` force one
   * structured solver and throw when it does not apply; `'iterative'` forces the matrix-free block-Lanczos solver.
   */
  method?: 'auto' | 'structured' | 'dense' | 'svd' | 'gram' | 'orbits' | 'split' | 'weight-space' | 'iterative';
  /**
   * Largest dimension `'auto'` hands straight to the dense reference when no structured solver applies
   * (default 729, e.g. 6 tensor factors of dimension 3, a few seconds); above it the iterative solver is tried first.
   */
  denseLimit?: number;
}

/** Result of {@link invariantBasis} and {@link equivariantBasis}. */
export interface BasisResult {
  /** dim × r matrix with orthonormal columns spanning the invariant subspace. */
  basis: Matrix;
  /** r, the dimension of the invariant subspace (= `basis.cols`). */
  dimension: number;
  /**
   * r, the dimension of the invariant subspace (the nullity of the constraints, not a rank).
   * @deprecated Use `dimension` (same value); `rank` will be removed in the next minor version.
   */
  rank: number;
  /**
   * The spectrum the dimension was decided on, ascending. Dense methods: all singular values of the
   * stacked constraint matrix (r of them ≈ 0). `'orbits+dense'`, `'split-tensor+dense'`,
   * `'weight-space'`: the singular values of the reduced constraint problem (fewer than dim).
   * `'trivial'`: dim zeros. `'permutation-orbits'`, `'split-tensor'`: empty (the dimension comes from an
   * exact construction, not a spectrum); `'direct-sum'`: the parts' spectra merged.
   */
  singularValues: Float64Array;
  /**
   * Spectral gap at the decision (see {@link nullspace}). For `'split-tensor'`: the smallest
   * distance between Casimir eigenvalue clusters divided by the largest spread inside one. Infinity when exact.
   */
  gap: number;
  /** Absolute threshold used for the decision (for `'split-tensor'`, the Casimir clustering tolerance). */
  threshold: number;
  /** The solver that ran (see {@link BasisMethod}). */
  method: BasisMethod;
}

function checkRep(fn: string, arg: string, rep: unknown): Representation {
  if (!(rep instanceof Representation)) {
    throw new InvalidArgumentError(`${fn}: '${arg}' must be a Representation; received ${describe(rep)}`);
  }
  return rep;
}

const METHODS = ['auto', 'structured', 'dense', 'svd', 'gram', 'orbits', 'split', 'weight-space', 'iterative'] as const;

/**
 * Validates {@link InvariantBasisOptions} at a public entry `fn`: rtol finite in [0, 1) (checkRtol),
 * atol finite ≥ 0 (checkAtol), a known method, denseLimit ≥ 0. Every entry that solves or keys a
 * basis calls it before anything else (a NaN rtol must neither pass nor share a cache key with the default).
 * @throws InvalidArgumentError naming `fn` and the option
 */
export function checkBasisOptions(fn: string, options: InvariantBasisOptions): void {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError(`${fn}: 'options' must be an object; received ${describe(options)}`);
  }
  if (options.rtol !== undefined) checkRtol(fn, options.rtol, 'options.rtol');
  if (options.atol !== undefined) checkAtol(fn, options.atol, 'options.atol');
  if (options.method !== undefined && !(METHODS as readonly string[]).includes(options.method)) {
    throw new InvalidArgumentError(`${fn}: 'options.method' must be one of ${METHODS.join(', ')}; received ${describe(options.method)}`);
  }
  const dl = options.denseLimit;
  if (dl !== undefined && !(typeof dl === 'number' && dl >= 0)) {
    throw new InvalidArgumentError(`${fn}: 'options.denseLimit' must be a number ≥ 0; received ${describe(dl)}`);
  }
}

/** Largest relative constraint residual a structured result may have before it is rejected. */
const STRUCTURED_RESIDUAL = 1e-9;

/** Above this many unknowns the dense fallback would need hours and gigabytes: the matrix-free iterative solver runs instead. */
const DENSE_FALLBACK_LIMIT = 4096;

/** The one place a BasisResult is built: `dimension` (and its deprecated alias `rank`) is basis.cols. */
export function basisResult({ basis, singularValues, gap, threshold }: ReducedSolve, method: BasisMethod): BasisResult {
  return { basis, dimension: basis.cols, rank: basis.cols, singularValues, gap, threshold, method };
}

function denseBasis(rep: Representation, options: InvariantBasisOptions, method: 'auto' | 'svd' | 'gram'): BasisResult {
  const n = rep.dim;
  const blocks: Matrix[] = [];
  for (let i = 0; i < rep.generatorCount; i++) blocks.push(rep.drho(i).toDense());
  const k = lieScaleExponent(Math.max(0, ...blocks.map((b) => b.maxAbs())));
  if (k !== 0) for (const b of blocks) scaleInPlace(b.data, k);
  for (let j = 0; j < rep.discreteCount; j++) blocks.push(rep.rho(j).toDense().sub(Matrix.identity(n)));
  const r = nullspace(blocks, { ...toleranceOptions(options), method });
  return basisResult(r, r.method === 'svd' ? 'dense-svd' : 'dense-gram');
}

/**
 * Tolerances for a reduced problem: the caller's, plus an absolute floor 1e-9·s with s a bound on
 * the constraint operators' norms (Σ over factors of ‖dρ(ξᵢ)‖_F, and 2 for an orthogonal ρ(h) − I),
 * because a reduced constraint matrix may be zero up to rounding, where a relative test cannot decide.
 */
function reducedTolerances(factors: readonly FactorData[], options: InvariantBasisOptions): { rtol?: number; atol: number } {
  let s = factors[0]!.disc.length > 0 ? 2 : 0;
  for (let i = 0; i < factors[0]!.lie.length; i++) s = Math.max(s, factors.reduce((acc, f) => acc + f.lie[i]!.norm(), 0));
  const out: { rtol?: number; atol: number } = { atol: Math.max(options.atol ?? 0, 1e-9 * s) };
  if (options.rtol !== undefined) out.rtol = options.rtol;
  return out;
}

/** Imposes the constraints `blocks` (each dim × r, applied to q) on span(q) and returns q·Z. */
function restrict(q: Matrix, blocks: Matrix[], tolerances: { rtol?: number; atol: number }): ReducedSolve {
  if (blocks.length === 0 || q.cols === 0) {
    return { basis: q, singularValues: new Float64Array(q.cols), gap: Infinity, threshold: 0 };
  }
  const r = nullspace(blocks, tolerances);
  return { basis: q.mul(r.basis), singularValues: r.singularValues, gap: r.gap, threshold: r.threshold };
}

function hasLie(factors: readonly FactorData[]): boolean {
  return factors[0]!.lie.some((_, i) => factors.some((f) => f.lie[i]!.maxAbs() !== 0));
}

function tryOrbits(factors: readonly FactorData[], options: InvariantBasisOptions): BasisResult | undefined {
  if (factors[0]!.disc.length === 0) return undefined;
  const o = permutationOrbits(factors);
  if (!o) return undefined;
  const n = o.orbit.length;
  const r = o.sizes.length;
  // Many orbits (a discrete part that barely acts): the dense orbit basis would not pay off.
  if (r * n > 5e7 || (hasLie(factors) && r > 3000)) return undefined;
  const q = orbitBasis(o);
  if (!hasLie(factors)) return basisResult({ basis: q, singularValues: new Float64Array(0), gap: Infinity, threshold: 0 }, 'permutation-orbits');
  const blocks: Matrix[] = [];
  for (let i = 0; i < factors[0]!.lie.length; i++) {
    const ms = factors.map((f) => f.lie[i]!);
    if (ms.some((m) => m.maxAbs() !== 0)) blocks.push(kronSumApply(ms, q));
  }
  return basisResult(restrict(q, blocks, reducedTolerances(factors, options)), 'orbits+dense');
}

function trySplit(factors: readonly FactorData[], options: InvariantBasisOptions): BasisResult | undefined {
  if (!hasLie(factors)) return undefined;
  const s = splitTensorBasis(factors);
  if (!s) return undefined;
  const p = factors[0]!.disc.length;
  if (p === 0) return basisResult({ basis: s.basis, singularValues: new Float64Array(0), gap: s.gap, threshold: s.threshold }, 'split-tensor');
  const blocks: Matrix[] = [];
  for (let j = 0; j < p; j++) blocks.push(kronApply(factors.map((f) => f.disc[j]!), s.basis).sub(s.basis));
  return basisResult(restrict(s.basis, blocks, reducedTolerances(factors, options)), 'split-tensor+dense');
}

function tryWeight(factors: readonly FactorData[], options: InvariantBasisOptions): BasisResult | undefined {
  if (!hasLie(factors)) return undefined;
  const w = weightSpaceBasis(factors, reducedTolerances(factors, options));
  return w && basisResult(w, 'weight-space');
}

const SOLVERS = { orbits: tryOrbits, split: trySplit, 'weight-space': tryWeight } as const;

function verified(r: BasisResult | undefined, factors: readonly FactorData[]): BasisResult | undefined {
  if (!r) return undefined;
  // Orbit indicators satisfy ρ(hⱼ)v = v exactly; only the Lie-algebra part needs checking.
  const exactDiscrete = r.method === 'permutation-orbits' || r.method === 'orbits+dense';
  return constraintResidual(factors, r.basis, { checkDiscrete: !exactDiscrete }) <= STRUCTURED_RESIDUAL ? r : undefined;
}

function solve(rep: Representation, options: InvariantBasisOptions): BasisResult {
  const n = rep.dim;
  if (rep.generatorCount === 0 && rep.discreteCount === 0) {
    return basisResult({ basis: Matrix.identity(n), singularValues: new Float64Array(n), gap: Infinity, threshold: 0 }, 'trivial');
  }
  const m = options.method ?? 'auto';
  if (m === 'dense' || m === 'svd' || m === 'gram') return denseBasis(rep, options, m === 'dense' ? 'auto' : m);
  if (m === 'iterative') return basisResult(iterativeInvariantBasis(rep, toleranceOptions(options)), 'iterative');
  const structure = representationStructure(rep);
  if (structure.kind === 'directSum' && (m === 'auto' || m === 'structured')) {
    const parts = structure.parts.map((p) => solve(p, options));
    const basis = Matrix.blockDiag(parts.map((p) => p.basis));
    const sv = Float64Array.from(parts.flatMap((p) => Array.from(p.singularValues))).sort();
    return basisResult({ basis, singularValues: sv, gap: Math.min(...parts.map((p) => p.gap)), threshold: Math.max(...parts.map((p) => p.threshold)) }, 'direct-sum');
  }
  const factors = factorView(rep);
  if (m === 'orbits' || m === 'split' || m === 'weight-space') {
    const r = factors && verified(SOLVERS[m](factors, options), factors);
    if (!r) {
      throw new UnsupportedOperationError(
        `invariantBasis: 'options.method' '${m}' does not apply to ${rep.key} (dim ${n}); use 'auto' or 'dense'`,
      );
    }
    return r;
  }
  if (factors) {
    for (const name of ['orbits', 'split', 'weight-space'] as const) {
      const r = verified(SOLVERS[name](factors, options), factors);
      if (r) return r;
    }
  }
  // No structured solver applies: small problems go straight to the dense reference.
  if (m === 'auto' && n <= (options.denseLimit ?? 729)) return denseBasis(rep, options, 'auto');
  if (n > DENSE_FALLBACK_LIMIT) return basisResult(iterativeInvariantBasis(rep, toleranceOptions(options)), 'iterative');
  // Below the limit the iterative solver gets a budget of about a quarter of the dense cost (Krylov
  // dimension ≤ n/4, 60 block steps): measured 30–140× faster than dense on a small, well-separated
  // nullspace (2048 unknowns: 0.34 s vs 46 s), but 10× slower on a large nullspace of a non-normal
  // generator (729 unknowns, rank 141), where it stops at the budget and the dense solver runs.
  try {
    const budget = { maxKrylovDim: Math.max(64, Math.floor(n / 4)), maxIterations: 60 };
    return basisResult(iterativeInvariantBasis(rep, { ...toleranceOptions(options), ...budget }), 'iterative');
  } catch (e) {
    if (!(e instanceof NotConvergedError)) throw e;
  }
  return denseBasis(rep, options, 'auto');
}

/**
 * An orthonormal basis of the invariant subspace {v : dρ(ξᵢ)·v = 0 ∀i, ρ(hⱼ)·v = v ∀j}, the
 * nullspace of the stacked constraints [dρ(ξ₁); …; ρ(h₁) − I; …]. By default a structured solver
 * runs whenever one applies, at any size, chosen automatically and reported in `method`: a direct sum
 * part by part, permutation orbits, splitting a tensor product A ⊗ B into its halves' decompositions,
 * or the zero-weight space of a Kronecker-sum generator. Every structured result is checked: its
 * relative constraint residual must be ≤ 1e-9, otherwise the next solver runs. When none applies, the
 * dense reference runs up to `denseLimit` unknowns (default 729); above, the matrix-free iterative
 * solver (within a budget, then the dense one, up to 4096 unknowns; without budget above 4096).
 * `method: 'dense'` forces the reference, whose spectrum always holds all dim singular values.
 *
 * @param rep the representation
 * @param options tolerances and solver choice (see {@link InvariantBasisOptions})
 * @throws InvalidArgumentError for a bad option; UnsupportedOperationError when a forced structured method does not apply;
 * NotConvergedError when the iterative solver reaches its iteration limit
 * @example
 * invariantBasis(V(SO(3)).pow(2)).dimension; // 1: the identity δᵢⱼ
 * invariantBasis(V(SO(3)).pow(8)).method; // 'split-tensor' (6561 unknowns, dimension 91)
 */
export function invariantBasis(rep: Representation, options: InvariantBasisOptions = {}): BasisResult {
  checkRep('invariantBasis', 'rep', rep);
  checkBasisOptions('invariantBasis', options);
  return solve(rep, options);
}

/**
 * An orthonormal basis of the equivariant linear maps W: repIn → repOut
 * (ρ_out(g)·W = W·ρ_in(g)), as vectors vec(W) in row-major order: W[i][j] at
 * i·repIn.dim + j. Same as invariantBasis(hom(repIn, repOut)).
 * @throws InvalidRepresentationError when the representations are of different groups; InvalidArgumentError
 * for a bad option (rtol outside [0, 1), atol < 0, NaN, …) and as {@link invariantBasis}
 * @example
 * equivariantBasis(V(SO(2)), V(SO(2))).dimension; // 2: span{I, J}
 */
export function equivariantBasis(repIn: Representation, repOut: Representation, options: InvariantBasisOptions = {}): BasisResult {
  checkRep('equivariantBasis', 'repIn', repIn);
  checkRep('equivariantBasis', 'repOut', repOut);
  checkBasisOptions('equivariantBasis', options);
  return solve(hom(repIn, repOut), options);
}

/** The orthogonal projector onto equivariant maps (see {@link equivariantProjector}). */
export interface EquivariantProjector {
  /** The basis Q (dimOut·dimIn × r) the projector is Q·Qᵀ. */
  readonly basis: Matrix;
  /** Projects a dimOut×dimIn matrix W onto the nearest (Frobenius) equivariant map. */
  project(w: Matrix): Matrix;
  /** The dense (dimOut·dimIn)² projector matrix Q·Qᵀ. */
  matrix(): Matrix;
}

/**
 * The orthogonal projection onto Hom_G(repIn, repOut) in the Frobenius inner product:
 * W ↦ Σₖ ⟨W, Bₖ⟩ Bₖ. When the group acts on both sides by permutations only (no Lie algebra acting),
 * `project` averages W over the orbits of its entries instead — the same projection, in O(dimOut·dimIn),
 * so 1536-wide layers project in milliseconds — and `basis` / `matrix()` are computed only when read.
 * @throws as {@link equivariantBasis} (InvalidArgumentError for a bad option, named after equivariantProjector);
 * ShapeMismatchError from `project` for a W that is not dimOut×dimIn
 * @example
 * equivariantProjector(V(SO(3)), V(SO(3))).project(W); // (tr W / 3)·I
 */
export function equivariantProjector(
  repIn: Representation,
  repOut: Representation,
  options: InvariantBasisOptions = {},
): EquivariantProjector {
  checkRep('equivariantProjector', 'repIn', repIn);
  checkRep('equivariantProjector', 'repOut', repOut);
  checkBasisOptions('equivariantProjector', options);
  const dimIn = repIn.dim;
  const dimOut = repOut.dim;
  const check = (w: Matrix): void => {
    if (!(w instanceof Matrix) || w.rows !== dimOut || w.cols !== dimIn) {
      throw new ShapeMismatchError(`equivariantProjector.project: 'w' must be a ${dimOut}×${dimIn} Matrix; received ${describe(w)}`);
    }
  };
  // A group acting by permutations alone (S(n), A(n), time reversal, channel swaps given as
  // permutation matrices): average over the orbits of the entries, without a dense basis; the
  // basis is then computed only if asked for.
  const average = (options.method ?? 'auto') === 'auto' ? orbitAverager(repIn, repOut) : undefined;
  if (average) {
    let basis: Matrix | undefined;
    const lazy = (): Matrix => (basis ??= solve(hom(repIn, repOut), options).basis);
    return {
      get basis(): Matrix {
        return lazy();
      },
      project(w: Matrix): Matrix {
        check(w);
        return new Matrix(dimOut, dimIn, average(w.data));
      },
      matrix(): Matrix {
        const q = lazy();
        return q.mul(q.transpose());
      },
    };
  }
  const { basis } = solve(hom(repIn, repOut), options);
  return {
    basis,
    project(w: Matrix): Matrix {
      check(w);
      const c = basis.transpose().mulVec(w.data);
      return new Matrix(dimOut, dimIn, basis.mulVec(c));
    },
    matrix(): Matrix {
      return basis.mul(basis.transpose());
    },
  };
}
