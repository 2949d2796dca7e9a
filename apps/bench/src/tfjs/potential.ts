import { createRng } from '@liesym/core';

/**
 * The example task: a particle in a rotation-invariant potential on R³,
 * U(x) = cos(2|x|) + ¼|x|², invariant under O(3).
 */
function potential(x: ArrayLike<number>): number {
  const r = Math.hypot(x[0]!, x[1]!, x[2]!);
  return Math.cos(2 * r) + 0.25 * r * r;
}

/** Seeded samples: positions ~ N(0, I₃), targets U. */
export function dataset(n: number, seed: number): { x: number[][]; y: number[][] } {
  const rng = createRng(seed);
  const x = Array.from({ length: n }, () => Array.from({ length: 3 }, () => rng.normal()));
  return { x, y: x.map((r) => [potential(r)]) };
}
