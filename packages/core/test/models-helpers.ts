/** Shared helpers of the models-* tests: seeded samplers. */
import { Matrix, createRng, orthonormalColumns, type Rng } from '../src/index.js';

/** S points uniform in [−1, 1]ⁿ as nested arrays. */
export function uniformCube(rng: Rng, s: number, n: number): number[][] {
  return Array.from({ length: s }, () => Array.from({ length: n }, () => 2 * rng.uniform() - 1));
}

/** A unit vector / orthonormal frame of r columns in Rᵐ, as arrays (Gram–Schmidt of Gaussians). */
export function orthonormalFrame(rng: Rng, m: number, r: number): number[][] {
  // Column k holds the k-th batch of m normal draws; orthonormalColumns is Gram–Schmidt, twice.
  const G = new Matrix(m, r);
  for (let k = 0; k < r; k++) for (let i = 0; i < m; i++) G.set(i, k, rng.normal());
  const Q = orthonormalColumns(G);
  return Array.from({ length: Q.cols }, (_, k) => Array.from(Q.column(k)));
}

export { createRng };
