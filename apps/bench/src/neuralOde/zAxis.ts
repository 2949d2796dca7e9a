import { Matrix, O, Scalar, V, directSum, type Representation } from '@liesym/core';

/** I₄ ⊗ E: a 3 × 3 matrix acting on each of the four 3-vectors of (q₁, q₂, p₁, p₂), as rows. */
export function onFourVectors(E: Matrix): number[][] {
  return Array.from({ length: 12 }, (_, r) => Array.from({ length: 12 }, (_, c) => (Math.floor(r / 3) === Math.floor(c / 3) ? E.get(r % 3, c % 3) : 0)));
}

/**
 * The state (q₁, q₂, p₁, p₂) ∈ R¹², each 3-vector (x, y, z) as V ⊕ Scalar of O(2): V the (x, y)
 * plane, Scalar z, in the coordinates' own order (no permutation). O(2) is the rotations about z
 * and the reflection x ↦ −x, the orthogonal maps that keep gravity (along −z) and so the double
 * spring pendulum's field; dρ of its generator is I₄ ⊗ E_z with E_z the rotation about z in so(3).
 */
export const zAxisRep: Representation = directSum(...Array.from({ length: 4 }, () => directSum(V(O(2)), Scalar)));
