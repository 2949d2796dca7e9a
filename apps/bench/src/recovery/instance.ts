/**
 * One instance of the recovery experiment: a target polynomial with a hidden symmetry, its
 * monomial library, the candidate group, the samples and the true coefficients. The same seed
 * gives the same numbers on every call.
 *
 * Two set-ups (see apps/bench/README.md, "Recovery table"):
 * - `makeInstance` is liesym's: φ's coefficients standard normal, createRng(1000 + seed), one stream.
 * - `makeAuthorsInstance` follows the experiment of nzolman/unified-symmetry-ml
 *   (symm_ml/numerics/lib_coefs.py, recover_opt.py, optimize.py): φ's coefficients uniform in
 *   [0, 1), n_lib + 1 samples, and the Lie derivative evaluated at N random points of [−1, 1]ᵐ
 *   (N = C(m + d − 1, m) + 1 for T(m), C(m + d, m) + 1 for SE(m), d the library degree)
 *   instead of liesym's exact coefficient matrix. Their random streams (numpy, JAX) are not
 *   reproduced: the same distributions, not the same numbers.
 *
 * "ortho": F(x) = φ(Uᵀx), U an m×r random orthonormal matrix, φ a random polynomial of degree d.
 * "quad":  F(x) = φ(|x − c₁|², …, |x − c_r|²), cₖ uniform in [−1, 1]ᵐ, library degree 2d.
 * The candidate group acts on the input only (output invariant): T(m) or SE(m).
 */
import { Matrix, MonomialLibrary, SE, T, createRng, designMatrix, leastSquares, orthonormalColumns, type Group, type Rng } from '@liesym/core';

export type RecoveryCase = 'ortho' | 'quad';
export type RecoveryCandidate = 'T' | 'SE';

export interface InstanceSpec {
  case: RecoveryCase;
  candidate: RecoveryCandidate;
  /** Input dimension. */
  m: number;
  /** Number of hidden features (columns of U, or centers). */
  r: number;
  /** Degree of φ. */
  d: number;
  seed: number;
}

export interface RecoveryInstance {
  library: MonomialLibrary;
  group: Group;
  /** nLib samples in [−1, 1]ᵐ; the experiment uses the first n of them. */
  xs: number[][];
  /** F at xs, one output each. */
  ys: number[][];
  /** The true coefficients of F in the library (length nLib). */
  wStar: Float64Array;
  nLib: number;
}

/** An m×r matrix with orthonormal columns (Gram–Schmidt of a Gaussian matrix), as rows of Uᵀ. */
function randomOrthonormal(rng: Rng, m: number, r: number): number[][] {
  // Column k holds the k-th batch of m normal draws; orthonormalColumns is Gram–Schmidt, twice.
  const G = new Matrix(m, r);
  for (let k = 0; k < r; k++) for (let i = 0; i < m; i++) G.set(i, k, rng.normal());
  const Q = orthonormalColumns(G);
  return Array.from({ length: Q.cols }, (_, k) => Array.from(Q.column(k)));
}

/** The target function of one seed, and the degree of the library it lives in. */
function makeTarget(spec: InstanceSpec, { rng, coefficients }: { rng: Rng; coefficients: 'normal' | 'uniform01' }): { F: (x: Float64Array) => number; libDegree: number } {
  const inner = new MonomialLibrary(spec.r, spec.d);
  const coef = Array.from({ length: inner.size }, () => (coefficients === 'normal' ? rng.normal() : rng.uniform()));
  const phi = (z: Float64Array): number => inner.evaluate(z).reduce((s, v, k) => s + coef[k]! * v, 0);
  if (spec.case === 'ortho') {
    const U = randomOrthonormal(rng, spec.m, spec.r);
    return {
      F: (x) => phi(Float64Array.from(U, (u) => u.reduce((s, ui, i) => s + ui * x[i]!, 0))),
      libDegree: spec.d,
    };
  }
  const centers = Array.from({ length: spec.r }, () => Array.from({ length: spec.m }, () => 2 * rng.uniform() - 1));
  return {
    F: (x) => phi(Float64Array.from(centers, (c) => c.reduce((s, ci, i) => s + (x[i]! - ci) ** 2, 0))),
    libDegree: 2 * spec.d,
  };
}

/** `count` points uniform in [−1, 1]ᵐ. */
function cube(rng: Rng, { count, m }: { count: number; m: number }): number[][] {
  return Array.from({ length: count }, () => Array.from({ length: m }, () => 2 * rng.uniform() - 1));
}

/** The coefficients of F in the library: F lies in its span, so least squares on ample samples is exact. */
function trueCoefficients(library: MonomialLibrary, { F, rng }: { F: (x: Float64Array) => number; rng: Rng }): Float64Array {
  const ref = cube(rng, { count: 2 * library.size + 20, m: library.m });
  const yRef = ref.map((x) => F(Float64Array.from(x)));
  const ls = leastSquares(designMatrix(library, ref), yRef);
  if (ls.residual > 1e-8 * Math.hypot(...yRef)) throw new Error(`makeInstance: the target is not in the library (residual ${ls.residual})`);
  return ls.x;
}

/** The instance of one seed in liesym's set-up. */
export function makeInstance(spec: InstanceSpec): RecoveryInstance {
  const rng = createRng(1000 + spec.seed);
  const { F, libDegree } = makeTarget(spec, { rng, coefficients: 'normal' });
  const library = new MonomialLibrary(spec.m, libDegree);
  const nLib = library.size;
  const wStar = trueCoefficients(library, { F, rng });
  const xs = cube(rng, { count: nLib, m: spec.m });
  const ys = xs.map((x) => [F(Float64Array.from(x))]);
  const group = spec.candidate === 'T' ? T(spec.m) : SE(spec.m);
  return { library, group, xs, ys, wStar, nLib };
}

/** An instance of the authors' set-up: its samples, and where their Lie derivative is evaluated. */
export interface AuthorsInstance extends RecoveryInstance {
  /** The points of [−1, 1]ᵐ at which the Lie derivative is sampled (their `N_sample`). */
  lieSamples: number[][];
}

/** C(n, k). */
export function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/**
 * The instance of one seed in the authors' set-up (distributions of nzolman/unified-symmetry-ml):
 * φ's coefficients uniform in [0, 1); U from a Gaussian m×r matrix (they take r rows of the full
 * left singular factor, which spans a uniformly distributed subspace just as Gram–Schmidt does);
 * cₖ uniform in [−1, 1]ᵐ; n_lib + 1 samples uniform in [−1, 1]ᵐ with Y = Θ·W*; the Lie-derivative
 * samples drawn from a second stream (theirs is JAX's PRNGKey(seed)).
 */
export function makeAuthorsInstance(spec: InstanceSpec): AuthorsInstance {
  const rng = createRng(2000 + spec.seed);
  const { F, libDegree } = makeTarget(spec, { rng, coefficients: 'uniform01' });
  const library = new MonomialLibrary(spec.m, libDegree);
  const nLib = library.size;
  const wStar = trueCoefficients(library, { F, rng });
  const xs = cube(rng, { count: nLib + 1, m: spec.m });
  const ys = xs.map((x) => [library.evaluate(Float64Array.from(x)).reduce((s, v, k) => s + v * wStar[k]!, 0)]);
  // T(m)'s Lie derivatives ∂ᵢF have degree d − 1, SE(m)'s have degree d: just enough points (+1).
  const lieDegree = spec.candidate === 'T' ? libDegree - 1 : libDegree;
  const lieSamples = cube(createRng(3000 + spec.seed), { count: binomial(spec.m + lieDegree, lieDegree) + 1, m: spec.m });
  const group = spec.candidate === 'T' ? T(spec.m) : SE(spec.m);
  return { library, group, xs, ys, wStar, nLib, lieSamples };
}
