/** Known dimensions of invariant and equivariant spaces, and the shape of the solver's output. */
import { describe, expect, it } from 'vitest';
import {
  A,
  D,
  GL,
  Matrix,
  O,
  S,
  SO,
  SL,
  SO13,
  Scalar,
  Scaling,
  Sp,
  T,
  V,
  Z,
  directSum,
  equivariantBasis,
  equivariantProjector,
  hom,
  invariantBasis,
  leastSquares,
  nullspace,
  svd,
  tensorProduct,
  type BasisResult,
  type Representation,
} from '../src/index.js';
import { ETA, alignment, expectEquivariantBasis, expectAscending, offSpanError, orthonormalityError, randomMatrix, relErr, symplecticJ } from './helpers.js';

/** The constraint blocks [dρ(ξᵢ); ρ(hⱼ) − I] of a representation. */
function constraintBlocks(rep: Representation): Matrix[] {
  const blocks: Matrix[] = [];
  for (let i = 0; i < rep.generatorCount; i++) blocks.push(rep.drho(i).toDense());
  for (let j = 0; j < rep.discreteCount; j++) blocks.push(rep.rho(j).toDense().sub(Matrix.identity(rep.dim)));
  return blocks;
}

/** maxₖ ‖Cₖ·Q‖ / max(‖Cₖ‖, 1) over the constraint blocks (0 for an empty basis). */
function constraintResidual(rep: Representation, q: Matrix): number {
  return constraintBlocks(rep).reduce((worst, c) => Math.max(worst, c.mul(q).norm() / Math.max(c.norm(), 1)), 0);
}

/**
 * The default dispatch (structured solvers first) and the dense reference agree on the dimension and
 * the subspace; the dense spectrum holds all dim singular values, ascending, and the default one is
 * ascending too (reduced or empty for a structured method). Returns the default result.
 */
function expectDefaultAgreesWithDense(rep: Representation, dimension: number): BasisResult {
  const r = invariantBasis(rep);
  const dense = invariantBasis(rep, { method: 'dense' });
  expect([r.dimension, dense.dimension]).toEqual([dimension, dimension]);
  expectAscending(dense.singularValues, rep.dim);
  expectAscending(r.singularValues, r.singularValues.length);
  expect(relErr(r.basis.mul(r.basis.transpose()), dense.basis.mul(dense.basis.transpose()), Math.sqrt(Math.max(dimension, 1)))).toBeLessThan(1e-9);
  return r;
}

function levi3(): Float64Array {
  const e = new Float64Array(27);
  const set = ([i, j, k]: [number, number, number], v: number): void => {
    e[(i * 3 + j) * 3 + k] = v;
  };
  set([0, 1, 2], 1);
  set([1, 2, 0], 1);
  set([2, 0, 1], 1);
  set([0, 2, 1], -1);
  set([2, 1, 0], -1);
  set([1, 0, 2], -1);
  return e;
}

describe('invariants of tensor powers', () => {
  const so3 = V(SO(3));
  // dim of SO(3)-invariants of V^⊗k (Motzkin-type sums): 1, 0, 1, 1, 3, 6, 15.
  it.each([
    [0, 1],
    [1, 0],
    [2, 1],
    [3, 1],
    [4, 3],
    [5, 6],
  ])('SO(3): V^⊗%i has %i invariants', (k, rank) => {
    const rep = so3.pow(k);
    const r = expectDefaultAgreesWithDense(rep, rank);
    expect(r.basis.rows).toBe(rep.dim);
    expect(r.basis.cols).toBe(rank);
    expect(orthonormalityError(r.basis)).toBeLessThan(1e-12);
    if (rank > 0) expectEquivariantBasis(r.basis, { repIn: rep, repOut: Scalar, elements: [SO(3).sample(1), SO(3).sample(2)] });
  });

  it('SO(3): V^⊗6 has 15 invariants, by a structured solver at default options (the dense reference took ~5 s)', () => {
    const rep = so3.pow(6);
    const r = invariantBasis(rep);
    expect(r.method).not.toMatch(/^dense/);
    expect(r.method).toBe('split-tensor');
    expect(r.dimension).toBe(15);
    expect(orthonormalityError(r.basis)).toBeLessThan(1e-10);
    expectEquivariantBasis(r.basis, { repIn: rep, repOut: Scalar, elements: [SO(3).sample(3)] });
    // On V^⊗5 the same dispatch matches the dense reference: 6 invariants, the same subspace.
    expect(expectDefaultAgreesWithDense(so3.pow(5), 6).method).toBe('split-tensor');
  });

  it('SO(3): the invariant of V⊗V⊗V is the Levi-Civita symbol ε_ijk', () => {
    const r = invariantBasis(so3.pow(3));
    expect(r.dimension).toBe(1);
    expect(alignment(r.basis.column(0), levi3())).toBeGreaterThan(1 - 1e-12);
  });

  it('SO(3): the invariant of V⊗V is δ_ij', () => {
    const r = invariantBasis(so3.pow(2));
    expect(alignment(r.basis.column(0), Matrix.identity(3).data)).toBeGreaterThan(1 - 1e-12);
  });

  it('O(3): V^⊗3 has no invariant (ε is a pseudotensor), V^⊗2 and V^⊗4 keep theirs', () => {
    expect(invariantBasis(V(O(3)).pow(3)).dimension).toBe(0);
    expect(invariantBasis(V(O(3)).pow(2)).dimension).toBe(1);
    expect(invariantBasis(V(O(3)).pow(4)).dimension).toBe(3);
  });

  // Bell numbers B(k) for n ≥ k.
  it.each([
    [0, 1],
    [1, 1],
    [2, 2],
    [3, 5],
    [4, 15],
  ])('S(4): V^⊗%i has %i invariants', (k, rank) => {
    const rep = V(S(4)).pow(k);
    const r = expectDefaultAgreesWithDense(rep, rank);
    expect(orthonormalityError(r.basis)).toBeLessThan(1e-12);
    if (rank > 0) expectEquivariantBasis(r.basis, { repIn: rep, repOut: Scalar, elements: S(4).discreteGenerators });
  });

  it('SO(1,3): V⊗V has one invariant, proportional to η', () => {
    const r = invariantBasis(V(SO13()).pow(2));
    expect(r.dimension).toBe(1);
    expect(alignment(r.basis.column(0), ETA.data)).toBeGreaterThan(1 - 1e-12);
  });

  it('Sp(1) and Sp(2): V⊗V has one invariant, proportional to J', () => {
    for (const n of [1, 2]) {
      const r = invariantBasis(V(Sp(n)).pow(2));
      expect(r.dimension).toBe(1);
      expect(alignment(r.basis.column(0), symplecticJ(n).data)).toBeGreaterThan(1 - 1e-12);
    }
  });

  it('Z(5): V has one invariant, the all-ones vector', () => {
    const r = invariantBasis(V(Z(5)));
    expect(r.dimension).toBe(1);
    expect(alignment(r.basis.column(0), [1, 1, 1, 1, 1])).toBeGreaterThan(1 - 1e-12);
  });

  it('T(2): V* has one invariant (the homogeneous coordinate x ↦ x₂); V has the 2 directions with x₂ = 0', () => {
    const dual = invariantBasis(V(T(2)).dual());
    expect(dual.dimension).toBe(1);
    expect(alignment(dual.basis.column(0), [0, 0, 1])).toBeGreaterThan(1 - 1e-12);
    const vec = invariantBasis(V(T(2)));
    expect(vec.dimension).toBe(2);
    expect(offSpanError(vec.basis, [1, 0, 0])).toBeLessThan(1e-12);
    expect(offSpanError(vec.basis, [0, 1, 0])).toBeLessThan(1e-12);
  });

  // Counts derived by hand: orbit counts for permutation groups, classical invariant theory otherwise.
  it.each([
    ['GL(2): V⊗V*', 1, () => tensorProduct(V(GL(2)), V(GL(2)).dual())],
    ['GL(2): V⊗V', 0, () => V(GL(2)).pow(2)],
    ['SL(3): V^⊗3 (the determinant ε_ijk)', 1, () => V(SL(3)).pow(3)],
    ['SL(3): V⊗V', 0, () => V(SL(3)).pow(2)],
    ['Scaling(3): V⊗V* (every matrix)', 9, () => tensorProduct(V(Scaling(3)), V(Scaling(3)).dual())],
    ['Scaling(3): V⊗V', 0, () => V(Scaling(3)).pow(2)],
    ['A(4): V⊗V (2-transitive)', 2, () => V(A(4)).pow(2)],
    ['A(4): V^⊗3 (two orbits on distinct triples)', 6, () => V(A(4)).pow(3)],
    ['Z(4): V⊗V (one orbit per difference j − i)', 4, () => V(Z(4)).pow(2)],
    ['D(6): V⊗V', 1, () => V(D(6)).pow(2)],
    ['SO(2): V⊗V (δ and ε)', 2, () => V(SO(2)).pow(2)],
  ] as const)('%s has %i invariants', (_name, rank, make) => {
    const r = expectDefaultAgreesWithDense(make(), rank);
    expect(orthonormalityError(r.basis)).toBeLessThan(1e-12);
  });

  it('a group with no generators constrains nothing (Scalar): rank = dim, trivial method', () => {
    const r = invariantBasis(Scalar);
    expect(r.dimension).toBe(1);
    expect(r.method).toBe('trivial');
  });
});

describe('sums of Scalars act trivially for any group', () => {
  const ss = directSum(Scalar, Scalar);
  const s4 = directSum(Scalar, Scalar, Scalar, Scalar);
  const methods = ['dense', 'gram', 'structured', 'iterative', 'auto'] as const;

  it('Scalar ⊕ Scalar has no group: dρ = 0 and ρ = I for every index, and 2 invariants', () => {
    expect(ss.group).toBeUndefined();
    expect(ss.drho(0).toDense().maxAbs()).toBe(0);
    expect(ss.drho(5).toDense().maxAbs()).toBe(0);
    expect(relErr(ss.rho(3).toDense(), Matrix.identity(2))).toBe(0);
    expect(() => ss.drho(-1)).toThrow(/'i' must be an integer/);
    expect(invariantBasis(ss).dimension).toBe(2);
    expect(invariantBasis(tensorProduct(ss, ss)).dimension).toBe(4);
  });

  it.each([
    // Hom(V, R²) of SO(3): V has no invariant covector, so 0 (this threw "'i' must be an integer in [0, 0)").
    ['SO(3): V → Scalar ⊕ Scalar', 0, () => hom(V(SO(3)), ss)],
    // Maps R⁴ (trivial) → permutation rep of S(3): each column a multiple of (1, 1, 1); and the transposes.
    ['S(3): Scalar⁴ → V', 4, () => hom(s4, V(S(3)))],
    ['S(3): V → Scalar⁴', 4, () => hom(V(S(3)), s4)],
    // End(V ⊕ R²) of SO(3): 1 (on V) + 2·2 (on R²).
    ['SO(3): End(V ⊕ Scalar ⊕ Scalar)', 5, () => hom(directSum(V(SO(3)), ss), directSum(V(SO(3)), ss))],
    // (R² ⊗ V)^⊗2 of O(3): 4 copies of V ⊗ V, one invariant each.
    ['O(3): ((Scalar ⊕ Scalar) ⊗ V)^⊗2', 4, () => tensorProduct(ss, V(O(3))).pow(2)],
  ] as const)('%s has dimension %i with every solver', (_name, dimension, make) => {
    const rep = make();
    for (const method of methods) {
      const r = invariantBasis(rep, { method });
      expect([method, r.dimension]).toEqual([method, dimension]);
      expect(orthonormalityError(r.basis)).toBeLessThan(1e-12);
      expect(constraintResidual(rep, r.basis)).toBeLessThan(1e-12);
    }
  });

  it('equivariantBasis(V(SO(3)), Scalar ⊕ Scalar) has dimension 0 and equivariantBasis(Scalar⁴, V(S(3))) 4', () => {
    expect(equivariantBasis(V(SO(3)), ss).dimension).toBe(0);
    const r = equivariantBasis(s4, V(S(3)));
    expect(r.dimension).toBe(4);
    expect(equivariantBasis(s4, V(S(3)), { method: 'structured' }).dimension).toBe(4);
    // The maps send every input to a multiple of (1, 1, 1): W[i][j] does not depend on i.
    for (let k = 0; k < 4; k++) {
      const W = new Matrix(3, 4, r.basis.column(k));
      for (let i = 1; i < 3; i++) for (let j = 0; j < 4; j++) expect(Math.abs(W.get(i, j) - W.get(0, j))).toBeLessThan(1e-12);
    }
  });
});

describe('equivariant maps', () => {
  it('Hom_SO(3)(V, V) = span{I}; Hom_SO(3)(V⊗V, V⊗V) has dimension 3', () => {
    const v = V(SO(3));
    const r1 = equivariantBasis(v, v);
    expect(r1.dimension).toBe(1);
    expect(alignment(r1.basis.column(0), Matrix.identity(3).data)).toBeGreaterThan(1 - 1e-12);
    const vv = v.pow(2);
    const r2 = equivariantBasis(vv, vv);
    expect(r2.dimension).toBe(3);
    // The identity, the swap and the trace-trace map all lie in the span.
    const swap = new Matrix(9, 9);
    const trtr = new Matrix(9, 9);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        swap.set(i * 3 + j, j * 3 + i, 1);
        trtr.set(i * 3 + i, j * 3 + j, 1);
      }
    }
    for (const m of [Matrix.identity(9), swap, trtr]) expect(offSpanError(r2.basis, m.data)).toBeLessThan(1e-10);
    expectEquivariantBasis(r2.basis, { repIn: vv, repOut: vv, elements: [SO(3).sample(4)] });
  });

  it('Hom_SO(2)(V, V) = span{I, J} has dimension 2; Hom_O(2)(V, V) = span{I}', () => {
    const so2 = equivariantBasis(V(SO(2)), V(SO(2)));
    expect(so2.dimension).toBe(2);
    expect(offSpanError(so2.basis, [0, -1, 1, 0])).toBeLessThan(1e-12);
    const o2 = equivariantBasis(V(O(2)), V(O(2)));
    expect(o2.dimension).toBe(1);
    expect(alignment(o2.basis.column(0), [1, 0, 0, 1])).toBeGreaterThan(1 - 1e-12);
  });

  it('Hom_D(4)(V, V) has dimension 1; Hom_D(4)(V⊗V, Scalar) too', () => {
    expect(equivariantBasis(V(D(4)), V(D(4))).dimension).toBe(1);
    expect(equivariantBasis(V(D(4)).pow(2), Scalar).dimension).toBe(1);
  });

  it('equivariantBasis(a, b) equals invariantBasis(hom(a, b))', () => {
    const a = V(SO(3)).pow(2);
    const b = V(SO(3));
    const r1 = equivariantBasis(a, b);
    const r2 = invariantBasis(hom(a, b));
    expect(r1.dimension).toBe(1);
    expect(r2.dimension).toBe(1);
    expect(relErr(r1.basis.mul(r1.basis.transpose()), r2.basis.mul(r2.basis.transpose()))).toBeLessThan(1e-12);
  });

  it('equivariantProjector projects W onto (tr W / 3)·I for SO(3), idempotently', () => {
    const P = equivariantProjector(V(SO(3)), V(SO(3)));
    const W = randomMatrix(3, 3, 9);
    const pw = P.project(W);
    expect(relErr(pw, Matrix.identity(3).scale(W.trace() / 3))).toBeLessThan(1e-12);
    expect(relErr(P.project(pw), pw)).toBeLessThan(1e-12);
    const M = P.matrix();
    expect(relErr(M.mul(M), M)).toBeLessThan(1e-12);
  });
});

describe('nullspace methods', () => {
  it.each([
    ['SO(3) V^⊗3', V(SO(3)).pow(3), 1],
    ['SO(3) V^⊗4', V(SO(3)).pow(4), 3],
    ['S(4) V^⊗3', V(S(4)).pow(3), 5],
  ] as const)("%s: dense 'svd' and 'gram' agree on the rank and the subspace", (_name, rep, nullity) => {
    const blocks = constraintBlocks(rep);
    const a = nullspace(blocks, { method: 'svd' });
    const b = nullspace(blocks, { method: 'gram' });
    expect(a.method).toBe('svd');
    expect(b.method).toBe('gram');
    expect(a.dimension).toBe(nullity);
    expect(b.dimension).toBe(nullity);
    expect(a.rank + a.dimension).toBe(rep.dim);
    expectAscending(a.singularValues, rep.dim);
    expectAscending(b.singularValues, rep.dim);
    expect(relErr(a.basis.mul(a.basis.transpose()), b.basis.mul(b.basis.transpose()))).toBeLessThan(1e-9);
    // The nonzero singular values agree.
    const top = rep.dim - 1;
    expect(relErr([a.singularValues[top]!], [b.singularValues[top]!])).toBeLessThan(1e-10);
    expect(relErr([a.singularValues[nullity]!], [b.singularValues[nullity]!])).toBeLessThan(1e-8);
  });

  it('a textbook case: [1, 1, 0] has rank 1, nullity 2, and reports its threshold and gap', () => {
    const r = nullspace(Matrix.from([[1, 1, 0]]));
    expect(r.rank).toBe(1);
    expect(r.dimension).toBe(2);
    expect(r.singularValues[0]).toBe(0);
    expect(r.singularValues[1]).toBe(0);
    expect(relErr([r.singularValues[2]!], [Math.SQRT2])).toBeLessThan(1e-15);
    expect(r.gap).toBe(Infinity);
    expect(relErr([r.threshold], [10 * 3 * Number.EPSILON * Math.SQRT2])).toBeLessThan(1e-15);
    expect(Matrix.from([[1, 1, 0]]).mul(r.basis).maxAbs()).toBeLessThan(1e-15);
  });

  it('rtol decides the rank: a singular value 1e-8 counts as zero only above rtol 1e-8', () => {
    const c = Matrix.diag([1, 1e-8, 0.5]);
    expect(nullspace(c).dimension).toBe(0);
    const loose = nullspace(c, { rtol: 1e-6 });
    expect(loose.dimension).toBe(1);
    expect(loose.gap).toBeCloseTo(0.5 / 1e-8, -2);
    expect(alignment(loose.basis.column(0), [0, 1, 0])).toBeCloseTo(1, 14);
  });
});

describe('one vocabulary: dimension (with deprecated aliases)', () => {
  it('BasisResult.dimension is the size of the subspace; the deprecated rank is the same number', () => {
    const r = equivariantBasis(V(SO(3)).pow(2), V(SO(3)).pow(2), { method: 'dense' });
    expect(r.dimension).toBe(3);
    expect(r.basis.cols).toBe(3);
    expect(r.rank).toBe(r.dimension);
    expectAscending(r.singularValues, 81);
  });

  it('NullspaceResult.dimension is the nullity; rank stays the rank of C; nullity is a deprecated alias', () => {
    const r = nullspace(Matrix.from([[1, 1, 0], [2, 2, 0]]));
    expect(r.dimension).toBe(2);
    expect(r.rank).toBe(1);
    expect(r.nullity).toBe(r.dimension);
    expect(r.dimension + r.rank).toBe(3);
  });

  it("leastSquares' singular values are ascending; svd().s stays descending (a decomposition)", () => {
    const a = Matrix.diag([3, 1, 2]);
    expect(Array.from(leastSquares(a, [1, 1, 1]).singularValues)).toEqual([1, 2, 3]);
    expect(Array.from(svd(a).s)).toEqual([3, 2, 1]);
  });
});
