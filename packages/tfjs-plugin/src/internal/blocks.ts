import { Scalar, equivariantBasis, invariantBasis, type Matrix, type Representation } from '@liesym/core';

/** A run of consecutive equal parts of a direct sum: `count` copies of `rep`. */
export interface Run {
  rep: Representation;
  count: number;
  /** Offset of the run's first coordinate in the whole representation. */
  offset: number;
}

/** The parts of a representation grouped into runs of equal keys (a non-sum is one run). */
export function runsOf(rep: Representation): Run[] {
  const parts = (rep as Representation & { parts?: readonly Representation[] }).parts;
  const list = Array.isArray(parts) ? parts : [rep];
  const runs: Run[] = [];
  let offset = 0;
  for (let i = 0; i < list.length; ) {
    let j = i + 1;
    while (j < list.length && list[j]!.key === list[i]!.key) j++;
    runs.push({ rep: list[i]!, count: j - i, offset });
    offset += (j - i) * list[i]!.dim;
    i = j;
  }
  return runs;
}

/** The irreducible-ish parts of a representation (a direct sum's parts, else itself). */
export function partsOf(rep: Representation): readonly Representation[] {
  const parts = (rep as Representation & { parts?: readonly Representation[] }).parts;
  return Array.isArray(parts) ? parts : [rep];
}

// Bases are memoized by the representations' canonical keys, which include the group key.
// Until core has its own basis cache (issue 3) this keeps one solve per distinct block.
const homCache = new Map<string, Matrix>();
const invCache = new Map<string, Matrix>();

/** Orthonormal basis of Hom_G(a, b) as vec(B) row-major (b.dim·a.dim × r), memoized by key. */
export function homBasis(a: Representation, b: Representation): Matrix {
  const key = `${a.key}→${b.key}`;
  let m = homCache.get(key);
  if (!m) {
    m = equivariantBasis(a, b).basis;
    homCache.set(key, m);
  }
  return m;
}

/** Orthonormal basis of the invariant vectors of `rep` (dim × s), memoized by key. */
export function invBasis(rep: Representation): Matrix {
  let m = invCache.get(rep.key);
  if (!m) {
    m = invariantBasis(rep).basis;
    invCache.set(rep.key, m);
  }
  return m;
}

/** True for the trivial one-dimensional representation. */
export function isScalar(rep: Representation): boolean {
  return rep === Scalar || rep.key === 'Scalar';
}
