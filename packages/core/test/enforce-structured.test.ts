/** Structured equivariant-basis solvers against the dense reference, and known ranks at scale. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  A,
  Matrix,
  O,
  S,
  SO,
  SO13,
  Sp,
  V,
  Z,
  customGroup,
  directProduct,
  directSum,
  hom,
  invariantBasis,
  liftRep,
  tensorProduct,
  type InvariantBasisOptions,
  type Representation,
} from '../src/index.js';
import { FC_SEED, orthonormalityError, projectorDistance } from './helpers.js';

/** max over generators of ‖dρ(ξᵢ)Q‖/(‖Q‖·Σ‖ξᵢ‖) and over discrete generators of ‖ρ(h)Q − Q‖/‖Q‖. */
function relativeResidual(rep: Representation, q: Matrix): number {
  if (q.cols === 0) return 0;
  let worst = 0;
  const g = rep.group!;
  for (let i = 0; i < rep.generatorCount; i++) {
    const r = rep.drho(i).matmat(q).norm() / (q.norm() * Math.max(g.lieAlgebra[i]!.norm(), 1));
    worst = Math.max(worst, r);
  }
  for (let j = 0; j < rep.discreteCount; j++) worst = Math.max(worst, rep.rho(j).matmat(q).sub(q).norm() / q.norm());
  return worst;
}

function expectSameAsDense(rep: Representation, options: InvariantBasisOptions, method: string): void {
  const dense = invariantBasis(rep, { method: 'dense' });
  const fast = invariantBasis(rep, options);
  expect(fast.method).toBe(method);
  expect(fast.dimension).toBe(dense.dimension);
  expect(fast.basis.rows).toBe(rep.dim);
  expect(orthonormalityError(fast.basis)).toBeLessThan(1e-10);
  expect(projectorDistance(fast.basis, dense.basis)).toBeLessThan(1e-8 * Math.max(1, Math.sqrt(dense.dimension)));
  expect(relativeResidual(rep, fast.basis)).toBeLessThan(1e-9);
}

const pointCloud = (n: number): Representation => {
  const G = directProduct(SO(3), S(n));
  return tensorProduct(liftRep(V(SO(3)), G), liftRep(V(S(n)), G));
};

describe('structured solvers agree with the dense reference (rank and subspace)', () => {
  it('permutation orbits: random permutation groups and tensor powers', () => {
    const groups = [() => S(4), () => A(5), () => Z(6), () => S(3)];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: groups.length - 1 }), fc.integer({ min: 1, max: 3 }), (g, k) => {
        const rep = V(groups[g]!()).pow(k);
        expectSameAsDense(rep, { method: 'orbits' }, 'permutation-orbits');
      }),
      { seed: FC_SEED, numRuns: 10 },
    );
  });

  it('orbits then continuous constraints: SO(3) × S(n) on Hom(V⊗Pₙ, V⊗Pₙ), n = 2, 3, 4', () => {
    for (const n of [2, 3, 4]) {
      const a = pointCloud(n);
      expectSameAsDense(hom(a, a), { method: 'orbits' }, 'orbits+dense');
    }
  });

  it('splitting tensor products: SO(3) and O(3) on tensor powers and hom spaces', () => {
    const cases: Array<[string, () => Representation, string]> = [
      ['SO(3) V^⊗4', () => V(SO(3)).pow(4), 'split-tensor'],
      ['SO(3) V^⊗5', () => V(SO(3)).pow(5), 'split-tensor'],
      ['SO(3) Hom(V⊗V, V)', () => hom(V(SO(3)).pow(2), V(SO(3))), 'split-tensor'],
      ['O(3) V^⊗4', () => V(O(3)).pow(4), 'split-tensor+dense'],
      ['O(3) V^⊗5', () => V(O(3)).pow(5), 'split-tensor+dense'],
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: cases.length - 1 }), (c) => {
        const [, make, method] = cases[c]!;
        expectSameAsDense(make(), { method: 'split' }, method);
      }),
      { seed: FC_SEED, numRuns: 8 },
    );
  });

  it('zero-weight spaces: SO(1,3), Sp(1), Sp(2), SO(3) (complex weights ±i) tensor powers', () => {
    const cases: Array<() => Representation> = [
      () => V(SO13()).pow(3),
      () => V(SO13()).pow(4),
      () => V(Sp(1)).pow(4),
      () => V(Sp(2)).pow(3),
      () => V(SO(3)).pow(4),
      () => V(SO(3)).pow(5),
      () => hom(V(SO13()), V(SO13()).pow(2)),
    ];
    fc.assert(
      fc.property(fc.integer({ min: 0, max: cases.length - 1 }), (c) => {
        expectSameAsDense(cases[c]!(), { method: 'weight-space' }, 'weight-space');
      }),
      { seed: FC_SEED, numRuns: 10 },
    );
  });

  it("'structured' dispatch on a direct sum solves the parts", () => {
    const rep = directSum(V(SO(3)).pow(3), V(SO(3)).pow(2), V(SO(3)));
    expectSameAsDense(rep, { method: 'structured' }, 'direct-sum');
    expect(invariantBasis(rep, { method: 'structured' }).dimension).toBe(2);
  });

  it('a forced structured method that does not apply throws a typed error naming the method', () => {
    expect(() => invariantBasis(V(SO(3)).pow(3), { method: 'orbits' })).toThrow(/'orbits' does not apply/);
    expect(() => invariantBasis(V(SO(3)).pow(2), { method: 'fast' as never })).toThrow(/options\.method/);
  });
});

describe('extreme but finite generator scales', () => {
  // O(3) written with its so(3) generators multiplied by c: the same group, the same invariants for every c.
  const scaledO3 = (c: number) =>
    customGroup({
      lieAlgebra: SO(3).lieAlgebra.map((x) => x.scale(c)),
      discreteGenerators: [Matrix.diag([1, 1, -1])],
      compact: true,
    });

  it.each([1e100, 1e200, 1e-100, 1e-200])('c = %s: O(3) on V^⊗2, V^⊗3, V^⊗4 keeps 1, 0, 3 invariants with every solver', (c) => {
    const G = scaledO3(c);
    for (const [k, dimension] of [[2, 1], [3, 0], [4, 3]] as const) {
      for (const method of ['dense', 'gram', 'structured', 'iterative'] as const) {
        const r = invariantBasis(V(G).pow(k), { method });
        expect([k, method, r.dimension]).toEqual([k, method, dimension]);
        expect(r.singularValues.every(Number.isFinite)).toBe(true);
      }
    }
  });
});

describe('known ranks at scale (structured solvers only)', () => {
  it.each([
    [7, 36],
    [8, 91],
  ])('SO(3): V^⊗%i has %i invariants', (k, rank) => {
    const rep = V(SO(3)).pow(k);
    const r = invariantBasis(rep);
    expect(r.method).toBe('split-tensor');
    expect(r.dimension).toBe(rank);
    expect(orthonormalityError(r.basis)).toBeLessThan(1e-10);
    // Equivariance under a finite rotation: ‖ρ(g)Q − Q‖ / ‖Q‖.
    const g = SO(3).sample(7);
    expect(rep.rhoOf(g).matmat(r.basis).sub(r.basis).norm() / r.basis.norm()).toBeLessThan(1e-9);
  });

  it.each([4, 5, 6])('S(%i): V^⊗4 has 15 invariants (Bell number B₄), by orbits', (n) => {
    const rep = V(S(n)).pow(4);
    const r = invariantBasis(rep, { method: 'structured' });
    expect(r.method).toBe('permutation-orbits');
    expect(r.dimension).toBe(15);
    expect(orthonormalityError(r.basis)).toBeLessThan(1e-12);
    expect(relativeResidual(rep, r.basis)).toBe(0);
  });

  it('S(100) and A(100) on V⊗V: 2 invariants (identity and all-ones) among 10⁴ unknowns', () => {
    for (const G of [S(100), A(100)]) {
      const r = invariantBasis(V(G).pow(2));
      expect(r.method).toBe('permutation-orbits');
      expect(r.dimension).toBe(2);
    }
  });

  it('SO(3) × S(10) on Hom(V⊗P₁₀, V⊗P₁₀): 2 equivariant maps (δ_ab δ_ij and δ_ab)', () => {
    const a = pointCloud(10);
    const rep = hom(a, a);
    const r = invariantBasis(rep);
    expect(r.method).toBe('orbits+dense');
    expect(r.dimension).toBe(2);
    expect(relativeResidual(rep, r.basis)).toBeLessThan(1e-12);
  });
});
