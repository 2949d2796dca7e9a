/**
 * Properties of representations built from V, checked for every group under a fixed
 * fast-check seed: ρ is a homomorphism, ρ(exp A) = exp(dρ(A)), dρ is linear and
 * preserves brackets, and equivariantBasis returns maps that commute with ρ(g).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { A, D, GL, O, O13, S, SE, SL, SO, SO13, Scaling, Sp, T, Z } from '../src/index.js';
import { Matrix, Scalar, V, customGroup, customRepresentation, directProduct, directSum, equivariantBasis, expm, hom, invariantBasis, liftRep, rhoOfExp, tensorProduct, type Group, type Representation } from '../src/index.js';
import { FC_SEED, F64_TOL, J2, expectEquivariantBasis, lieElementArb, offSpanError, relErr, seedArb } from './helpers.js';

/** The Heisenberg algebra (strictly upper-triangular 3×3) with the parity diag(−1, 1, −1). */
function heisenbergGroup(): Group {
  return customGroup({
    name: 'Heis ⋊ Z2',
    lieAlgebra: [
      [
        [0, 1, 0],
        [0, 0, 0],
        [0, 0, 0],
      ],
      [
        [0, 0, 0],
        [0, 0, 1],
        [0, 0, 0],
      ],
      [
        [0, 0, 1],
        [0, 0, 0],
        [0, 0, 0],
      ],
    ],
    discreteGenerators: [Matrix.diag([-1, 1, -1])],
  });
}

interface GroupCase {
  group: Group;
  /** Extra representations beyond the ones built from V for every group. */
  extra?: (g: Group) => Representation[];
}

const product = directProduct(SO(2), S(3));

const cases: GroupCase[] = [
  ...[SO(2), SO(3), O(3), GL(2), SL(3), Sp(1), Sp(2), SO13(), O13(), Scaling(3), T(2), SE(2), SE(3), Z(4), S(4), A(4), D(6)].map((group) => ({ group })),
  {
    group: product,
    extra: (g) => {
      const a = liftRep(V(SO(2)), g);
      const b = liftRep(V(S(3)), g);
      return [tensorProduct(a, b), directSum(a, b.dual())];
    },
  },
  { group: heisenbergGroup() },
];

/** Representations built from V: V, V*, ⊕, ⊗, pow, hom, Scalar. */
function repsOf(c: GroupCase): Representation[] {
  const v = V(c.group);
  const base = [
    v,
    v.dual(),
    directSum(v, Scalar),
    directSum(v, v.dual()),
    tensorProduct(v, v.dual()),
    v.pow(2),
    hom(v, v),
    hom(directSum(v, Scalar), v),
    Scalar,
  ];
  if (c.group.d <= 3) base.push(v.pow(3));
  return [...base, ...(c.extra?.(c.group) ?? [])];
}

/** (repIn, repOut) pairs whose equivariant maps are checked. */
function mapPairsOf(group: Group): Array<[Representation, Representation]> {
  const v = V(group);
  return [
    [v, v],
    [v.pow(2), Scalar],
    [v, v.pow(2)],
    [directSum(v, Scalar), v.dual()],
  ];
}

describe.each(cases.map((c) => [c.group.name, c] as const))('representations of %s', (_name, c) => {
  const G = c.group;
  const reps = repsOf(c);

  it('ρ is a homomorphism: ρ(g₁g₂) = ρ(g₁)·ρ(g₂)', () => {
    fc.assert(
      fc.property(seedArb, seedArb, (s1, s2) => {
        const g1 = G.sample(s1);
        const g2 = G.sample(s2);
        for (const rep of reps) {
          const lhs = rep.rhoOf(g1.mul(g2)).toDense();
          const rhs = rep.rhoOf(g1).toDense().mul(rep.rhoOf(g2).toDense());
          expect([lhs.rows, lhs.cols]).toEqual([rep.dim, rep.dim]);
          expect(relErr(lhs, rhs)).toBeLessThan(F64_TOL);
        }
      }),
      { seed: FC_SEED, numRuns: 12 },
    );
  });

  it('ρ of the identity is the identity and ρ(hⱼ), dρ(ξᵢ) agree with rhoOf, drhoOf', () => {
    const I = Matrix.identity(G.d);
    for (const rep of reps) {
      expect(relErr(rep.rhoOf(I).toDense(), Matrix.identity(rep.dim))).toBeLessThan(1e-14);
      for (let j = 0; j < rep.discreteCount; j++) {
        expect(relErr(rep.rho(j).toDense(), rep.rhoOf(G.discreteGenerators[j]!).toDense())).toBeLessThan(1e-14);
      }
      for (let i = 0; i < rep.generatorCount; i++) {
        expect(relErr(rep.drho(i).toDense(), rep.drhoOf(G.lieAlgebra[i]!).toDense())).toBeLessThan(1e-14);
      }
    }
  });

  if (G.lieAlgebra.length > 0) {
    it('ρ(exp A) = exp(dρ(A)) for A in the Lie algebra', () => {
      fc.assert(
        fc.property(lieElementArb(G), (a) => {
          const g = expm(a);
          for (const rep of reps) {
            const lhs = rep.rhoOf(g).toDense();
            expect(relErr(lhs, expm(rep.drhoOf(a).toDense()))).toBeLessThan(F64_TOL);
            expect(relErr(lhs, rhoOfExp(rep, a))).toBeLessThan(F64_TOL);
          }
        }),
        { seed: FC_SEED, numRuns: 10 },
      );
    });

    it('dρ is linear: dρ(aX + bY) = a·dρ(X) + b·dρ(Y)', () => {
      fc.assert(
        fc.property(
          fc.tuple(lieElementArb(G), lieElementArb(G)),
          fc.tuple(fc.double({ min: -3, max: 3, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true })),
          ([x, y], [a, b]) => {
            for (const rep of reps) {
              const dx = rep.drhoOf(x).toDense();
              const dy = rep.drhoOf(y).toDense();
              const lhs = rep.drhoOf(x.scale(a).add(y.scale(b))).toDense();
              const rhs = dx.scale(a).add(dy.scale(b));
              const scale = Math.abs(a) * dx.norm() + Math.abs(b) * dy.norm();
              expect(relErr(lhs, rhs, Math.max(scale, Number.MIN_VALUE))).toBeLessThan(F64_TOL);
            }
          },
        ),
        { seed: FC_SEED, numRuns: 10 },
      );
    });

    it('dρ preserves brackets: dρ([X, Y]) = [dρ(X), dρ(Y)]', () => {
      fc.assert(
        fc.property(lieElementArb(G), lieElementArb(G), (x, y) => {
          for (const rep of reps) {
            const dx = rep.drhoOf(x).toDense();
            const dy = rep.drhoOf(y).toDense();
            const lhs = rep.drhoOf(x.bracket(y)).toDense();
            const rhs = dx.bracket(dy);
            // The natural scale of a commutator is the product of the norms.
            const scale = Math.max(dx.norm() * dy.norm(), Number.MIN_VALUE);
            expect(relErr(lhs, rhs, scale)).toBeLessThan(F64_TOL);
          }
        }),
        { seed: FC_SEED, numRuns: 10 },
      );
    });
  }

  describe('equivariantBasis', () => {
    const pairs = mapPairsOf(G).map(([rin, rout]) => ({ rin, rout, result: equivariantBasis(rin, rout) }));

    it('has orthonormal columns, and Hom(V, V) contains the identity', () => {
      for (const { rin, rout, result } of pairs) {
        expect(result.basis.rows).toBe(rin.dim * rout.dim);
        expect(result.basis.cols).toBe(result.dimension);
        const gram = result.basis.transpose().mul(result.basis);
        expect(relErr(gram, Matrix.identity(result.dimension))).toBeLessThan(1e-12);
      }
      const vv = pairs[0]!.result;
      expect(vv.dimension).toBeGreaterThanOrEqual(1);
      expect(offSpanError(vv.basis, Matrix.identity(G.d).data)).toBeLessThan(F64_TOL);
    });

    it('every basis vector W satisfies ρ_out(g)·W = W·ρ_in(g) for sampled g and every discrete generator', () => {
      for (const { rin, rout, result } of pairs) {
        expectEquivariantBasis(result.basis, { repIn: rin, repOut: rout, elements: G.discreteGenerators });
      }
      fc.assert(
        fc.property(seedArb, (seed) => {
          const g = G.sample(seed);
          for (const { rin, rout, result } of pairs) expectEquivariantBasis(result.basis, { repIn: rin, repOut: rout, elements: [g] });
        }),
        { seed: FC_SEED, numRuns: 10 },
      );
    });
  });
});

describe('customRepresentation', () => {
  // The frequency-2 representation of O(2): dρ(J) = 2J, ρ(reflection) = diag(1, −1).
  const G = O(2);
  const spin2 = customRepresentation({ group: G, dim: 2, drho: [J2.scale(2)], rho: [Matrix.diag([1, -1])], name: 'spin2' });

  it('V⊗V → spin2 has dimension 1 (the traceless symmetric part), and those maps are equivariant', () => {
    const v = V(G);
    const r = equivariantBasis(v.pow(2), spin2);
    expect(r.dimension).toBe(1);
    // Check ρ₂(g)·W = W·(g ⊗ g) with ρ₂(exp(tJ)) = exp(2tJ) and the reflection.
    const W = new Matrix(2, 4, r.basis.column(0));
    for (const t of [0.3, 1.1, -2]) {
      const g = expm(J2.scale(t));
      expect(relErr(expm(J2.scale(2 * t)).mul(W), W.mul(g.kron(g)))).toBeLessThan(F64_TOL);
    }
    const h = Matrix.diag([1, -1]);
    expect(relErr(h.mul(W), W.mul(h.kron(h)))).toBeLessThan(F64_TOL);
    // (x⊗x) ↦ (x0² − x1², 2x0x1) up to scale.
    const expected = new Matrix(2, 4, Float64Array.from([1, 0, 0, -1, 0, 1, 1, 0]));
    expect(offSpanError(r.basis, expected.data)).toBeLessThan(1e-12);
  });

  it('spin2 ⊗ spin2* has the identity as its only O(2)-invariant; spin2 has none', () => {
    const r = invariantBasis(tensorProduct(spin2, spin2.dual()));
    expect(r.dimension).toBe(1);
    expect(offSpanError(r.basis, Matrix.identity(2).data)).toBeLessThan(1e-12);
    expect(invariantBasis(spin2).dimension).toBe(0);
    expect(relErr(spin2.dual().drho(0).toDense(), J2.scale(2))).toBe(0);
  });

  it('keys are content-addressed: dρ = J and dρ = 2J differ, identical matrices agree, a name never decides', () => {
    const g = SO(2);
    const a = customRepresentation({ group: g, dim: 2, drho: [J2] });
    const b = customRepresentation({ group: g, dim: 2, drho: [J2.scale(2)] });
    const aAgain = customRepresentation({ group: g, dim: 2, drho: [Matrix.from([[0, -1], [1, 0]])] });
    const aNamed = customRepresentation({ group: g, dim: 2, drho: [J2], name: 'R' });
    const bNamed = customRepresentation({ group: g, dim: 2, drho: [J2.scale(2)], name: 'R' });
    expect(a.key).not.toBe(b.key);
    expect(aNamed.key).not.toBe(bNamed.key);
    expect(aAgain.key).toBe(a.key);
    expect(aNamed.key).toBe(a.key);
    expect(aNamed.toString()).toBe('R');
    expect(a.dual().key).toBe(`${a.key}*`);
    expect(a.dual().dual().key).toBe(a.key);
    expect(directSum(a, b).key).not.toBe(directSum(b, b).key);
    // The same group and matrices but another dim or group is another representation.
    const o2 = customRepresentation({ group: O(2), dim: 2, drho: [J2], rho: [Matrix.diag([1, -1])] });
    expect(o2.key).not.toBe(a.key);
    // And the solver sees the difference: Hom(a ⊕ b, a) ≅ Hom(a, a) has dimension 2, Hom(b ⊕ b, a) has 0.
    expect(equivariantBasis(directSum(a, b), a).dimension).toBe(2);
    expect(equivariantBasis(directSum(b, b), a).dimension).toBe(0);
  });
});
