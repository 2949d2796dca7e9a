import { BasisCache, Scalar, hom, partCoordinates, type Matrix, type Representation } from '@liesym/core';

/** The bases of every equivariant layer: core's content-addressed cache, so each distinct block is solved once per process. */
export const layerBases = new BasisCache({ maxEntries: 256 });

/** Orthonormal basis of Hom_G(a, b) as vec(B) row-major (b.dim·a.dim × r), through the cache. */
export function homBasis(a: Representation, b: Representation, cache: BasisCache = layerBases): Matrix {
  return cache.invariantBasisSync(hom(a, b)).basis;
}

/** Orthonormal basis of the invariant vectors of `rep` (dim × s), through the cache. */
export function invBasis(rep: Representation, cache: BasisCache = layerBases): Matrix {
  return cache.invariantBasisSync(rep).basis;
}

/** True for the trivial one-dimensional representation. */
export function isScalar(rep: Representation): boolean {
  return rep === Scalar || rep.key === 'Scalar';
}

/** The parts of `rep` (core's `partCoordinates`) as float32 masks: its Scalar coordinates, and a k×dim indicator of its non-scalar parts. */
export function partMasks(rep: Representation): { k: number; scalarMask: Float32Array; indicator: Float32Array } {
  const { scalars, parts } = partCoordinates(rep);
  const n = rep.dim;
  const scalarMask = new Float32Array(n);
  for (const i of scalars) scalarMask[i] = 1;
  const indicator = new Float32Array(Math.max(parts.length, 1) * n);
  parts.forEach((p, g) => indicator.fill(1, g * n + p.offset, g * n + p.offset + p.dim));
  return { k: parts.length, scalarMask, indicator };
}
