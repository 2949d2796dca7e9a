/**
 * One instance of the recovery experiment (liesym's set-up): a target polynomial with a hidden
 * symmetry, its monomial library, the candidate group, the samples and the true coefficients.
 * The same seed gives the same numbers on every call (createRng(1000 + seed), one stream).
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
function makeTarget(spec: InstanceSpec, rng: Rng): { F: (x: Float64Array) => number; libDegree: number } {
  const inner = new MonomialLibrary(spec.r, spec.d);
  const coef = Array.from({ length: inner.size }, () => rng.normal());
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

/** The instance of one seed in liesym's set-up. */
export function makeInstance(spec: InstanceSpec): RecoveryInstance {
  const rng = createRng(1000 + spec.seed);
  const { F, libDegree } = makeTarget(spec, rng);
  const library = new MonomialLibrary(spec.m, libDegree);
  const nLib = library.size;
  // The true coefficients: F lies in the library's span, so least squares on ample samples is exact.
  const ref = Array.from({ length: 2 * nLib + 20 }, () => Array.from({ length: spec.m }, () => 2 * rng.uniform() - 1));
  const yRef = ref.map((x) => F(Float64Array.from(x)));
  const ls = leastSquares(designMatrix(library, ref), yRef);
  if (ls.residual > 1e-8 * Math.hypot(...yRef)) throw new Error(`makeInstance: the target is not in the library (residual ${ls.residual})`);
  const xs = Array.from({ length: nLib }, () => Array.from({ length: spec.m }, () => 2 * rng.uniform() - 1));
  const ys = xs.map((x) => [F(Float64Array.from(x))]);
  const group = spec.candidate === 'T' ? T(spec.m) : SE(spec.m);
  return { library, group, xs, ys, wStar: ls.x, nLib };
}
