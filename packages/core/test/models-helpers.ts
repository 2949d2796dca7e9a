/** Shared helpers of the models-* tests: seeded samplers and a relative error. */
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

/** ‖a − b‖∞ / ‖b‖∞. */
export function relInf(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / den;
}

export { createRng };
