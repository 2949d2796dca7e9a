/** Group generators are consistent with the group they claim to span; sampling is seeded. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  A,
  D,
  GL,
  Matrix,
  O,
  O13,
  S,
  SE,
  SL,
  SO,
  SO13,
  Scaling,
  Sp,
  T,
  Z,
  createRng,
  customGroup,
  directProduct,
  nullspace,
  permutationMatrix,
  type Group,
} from '../src/index.js';
import { ETA, FC_SEED, det, relErr, seedArb, symplecticJ } from './helpers.js';

/** Dimension of the span of the generators (as vectors in R^(d²)). */
function spanDimension(gens: readonly Matrix[]): number {
  const d2 = gens[0]!.data.length;
  const m = new Matrix(d2, gens.length);
  gens.forEach((g, k) => g.data.forEach((v, i) => m.set(i, k, v)));
  return gens.length - nullspace(m).dimension;
}

function power(m: Matrix, k: number): Matrix {
  let out = Matrix.identity(m.rows);
  for (let i = 0; i < k; i++) out = out.mul(m);
  return out;
}

describe('Lie-algebra generators', () => {
  it.each([2, 3, 4])('SO(%i): n(n−1)/2 independent antisymmetric generators; samples are rotations', (n) => {
    const G = SO(n);
    expect(G.lieAlgebra.length).toBe((n * (n - 1)) / 2);
    expect(spanDimension(G.lieAlgebra)).toBe(G.lieAlgebra.length);
    for (const xi of G.lieAlgebra) {
      expect(xi.norm()).toBeGreaterThan(0);
      expect(xi.add(xi.transpose()).maxAbs()).toBe(0);
    }
    fc.assert(
      fc.property(seedArb, (seed) => {
        const g = G.sample(seed);
        expect(relErr(g.transpose().mul(g), Matrix.identity(n))).toBeLessThan(1e-12);
        expect(det(g)).toBeCloseTo(1, 12);
      }),
      { seed: FC_SEED, numRuns: 20 },
    );
  });

  it('O(3): so(3) plus one reflection of determinant −1; samples are orthogonal', () => {
    const G = O(3);
    expect(G.lieAlgebra.length).toBe(3);
    expect(G.discreteGenerators.length).toBe(1);
    const h = G.discreteGenerators[0]!;
    expect(relErr(h.transpose().mul(h), Matrix.identity(3))).toBe(0);
    expect(det(h)).toBe(-1);
    const dets = new Set<number>();
    for (let seed = 0; seed < 20; seed++) {
      const g = G.sample(seed);
      expect(relErr(g.transpose().mul(g), Matrix.identity(3))).toBeLessThan(1e-12);
      dets.add(Math.round(det(g)));
    }
    expect([...dets].sort()).toEqual([-1, 1]);
  });

  it.each([1, 2, 3])('Sp(%i): n(2n+1) independent generators with ξᵀJ + Jξ = 0; samples preserve J', (n) => {
    const G = Sp(n);
    const J = symplecticJ(n);
    expect(G.d).toBe(2 * n);
    expect(G.lieAlgebra.length).toBe(n * (2 * n + 1));
    expect(spanDimension(G.lieAlgebra)).toBe(G.lieAlgebra.length);
    for (const xi of G.lieAlgebra) expect(xi.transpose().mul(J).add(J.mul(xi)).maxAbs()).toBe(0);
    fc.assert(
      fc.property(seedArb, (seed) => {
        const g = G.sample(seed);
        expect(relErr(g.transpose().mul(J).mul(g), J)).toBeLessThan(1e-12);
      }),
      { seed: FC_SEED, numRuns: 20 },
    );
  });

  it('SO(1,3): 6 independent generators with ξᵀη + ηξ = 0; samples preserve η', () => {
    const G = SO13();
    expect(G.lieAlgebra.length).toBe(6);
    expect(spanDimension(G.lieAlgebra)).toBe(6);
    for (const xi of G.lieAlgebra) expect(xi.transpose().mul(ETA).add(ETA.mul(xi)).maxAbs()).toBe(0);
    fc.assert(
      fc.property(seedArb, (seed) => {
        const g = G.sample(seed);
        expect(relErr(g.transpose().mul(ETA).mul(g), ETA)).toBeLessThan(1e-12);
        // Orthochronous: g₀₀ ≥ 1.
        expect(g.get(0, 0)).toBeGreaterThanOrEqual(1 - 1e-12);
      }),
      { seed: FC_SEED, numRuns: 20 },
    );
  });

  it('O(1,3): the Lorentz algebra plus parity and time reversal, which preserve η', () => {
    const G = O13();
    expect(G.lieAlgebra.length).toBe(6);
    for (const xi of G.lieAlgebra) expect(xi.transpose().mul(ETA).add(ETA.mul(xi)).maxAbs()).toBe(0);
    expect(G.discreteGenerators.length).toBe(2);
    for (const h of G.discreteGenerators) {
      expect(h.transpose().mul(ETA).mul(h).sub(ETA).maxAbs()).toBe(0);
      expect(det(h)).toBe(-1);
    }
    // Time reversal flips the sign of g₀₀; parity does not.
    const signs = G.discreteGenerators.map((h) => Math.sign(h.get(0, 0)));
    expect(signs.sort()).toEqual([-1, 1]);
  });

  it('SL(3): 8 independent traceless generators; samples have determinant 1', () => {
    const G = SL(3);
    expect(G.lieAlgebra.length).toBe(8);
    expect(spanDimension(G.lieAlgebra)).toBe(8);
    for (const xi of G.lieAlgebra) expect(xi.trace()).toBe(0);
    for (let seed = 0; seed < 10; seed++) expect(det(G.sample(seed))).toBeCloseTo(1, 12);
  });

  it('GL(2): 4 generators spanning gl(2) and a reflection', () => {
    const G = GL(2);
    expect(G.lieAlgebra.length).toBe(4);
    expect(spanDimension(G.lieAlgebra)).toBe(4);
    expect(G.discreteGenerators.map(det)).toEqual([-1]);
  });

  it('Scaling(3): the single generator is the identity', () => {
    const G = Scaling(3);
    expect(G.lieAlgebra.length).toBe(1);
    expect(G.lieAlgebra[0]!.sub(Matrix.identity(3)).maxAbs()).toBe(0);
    const g = G.sample(5);
    const c = g.get(0, 0);
    expect(c).toBeGreaterThan(0);
    expect(relErr(g, Matrix.identity(3).scale(c))).toBeLessThan(1e-15);
  });

  it.for([
    ['T(2)', T(2), 2, 0],
    ['SE(2)', SE(2), 2, 1],
    ['SE(3)', SE(3), 3, 3],
  ] as const)('%s: homogeneous generators [[A, b], [0, 0]] with antisymmetric A', ([, G, n, rotations]) => {
    expect(G.d).toBe(n + 1);
    expect(G.lieAlgebra.length).toBe(rotations + n);
    expect(spanDimension(G.lieAlgebra)).toBe(G.lieAlgebra.length);
    let translations = 0;
    for (const xi of G.lieAlgebra) {
      for (let j = 0; j <= n; j++) expect(xi.get(n, j)).toBe(0);
      const a = new Matrix(n, n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a.set(i, j, xi.get(i, j));
      expect(a.add(a.transpose()).maxAbs()).toBe(0);
      if (a.maxAbs() === 0) translations++;
    }
    expect(translations).toBe(n);
    // Samples keep the homogeneous row (0, …, 0, 1).
    const g = G.sample(3);
    for (let j = 0; j < n; j++) expect(Math.abs(g.get(n, j))).toBeLessThan(1e-15);
    expect(g.get(n, n)).toBeCloseTo(1, 14);
  });
});

describe('discrete generators', () => {
  it('Z(4): the cyclic shift has order 4', () => {
    const h = Z(4).discreteGenerators[0]!;
    expect(power(h, 4).sub(Matrix.identity(4)).maxAbs()).toBe(0);
    expect(power(h, 2).sub(Matrix.identity(4)).maxAbs()).toBe(1);
    expect(h.mulVec([1, 0, 0, 0])).toEqual(Float64Array.from([0, 1, 0, 0]));
  });

  it('S(4) and A(4): permutation matrices; A(4) only even ones', () => {
    for (const h of [...S(4).discreteGenerators, ...A(4).discreteGenerators]) {
      expect(h.transpose().mul(h).sub(Matrix.identity(4)).maxAbs()).toBe(0);
      expect(Array.from(h.data).every((v) => v === 0 || v === 1)).toBe(true);
    }
    expect(S(4).discreteGenerators.map(det).sort()).toEqual([-1, -1]);
    expect(A(4).discreteGenerators.map(det)).toEqual([1, 1]);
    expect(permutationMatrix([1, 2, 0]).mulVec([1, 0, 0])).toEqual(Float64Array.from([0, 1, 0]));
  });

  it('D(6): rotation of order 6, reflection of order 2, and h·r·h = r⁻¹', () => {
    const [r, h] = D(6).discreteGenerators as [Matrix, Matrix];
    expect(relErr(power(r, 6), Matrix.identity(2))).toBeLessThan(1e-14);
    expect(relErr(power(r, 3), Matrix.identity(2).scale(-1))).toBeLessThan(1e-14);
    expect(h.mul(h).sub(Matrix.identity(2)).maxAbs()).toBe(0);
    expect(relErr(h.mul(r).mul(h), r.transpose())).toBeLessThan(1e-15);
  });

  it('directProduct(SO(2), S(3)): generators embedded block-diagonally', () => {
    const G = directProduct(SO(2), S(3));
    expect(G.d).toBe(5);
    expect(G.lieAlgebra.length).toBe(1);
    expect(G.discreteGenerators.length).toBe(2);
    expect(G.factors.map((f) => f.name)).toEqual(['SO(2)', 'S(3)']);
    const xi = G.lieAlgebra[0]!;
    expect(xi.get(1, 0)).toBe(1);
    expect(xi.get(0, 1)).toBe(-1);
    expect(xi.norm()).toBe(Math.SQRT2);
    for (const h of G.discreteGenerators) {
      // Identity on the SO(2) block, a permutation on the S(3) block.
      expect(h.get(0, 0)).toBe(1);
      expect(h.get(1, 1)).toBe(1);
      expect(h.get(0, 2) + h.get(2, 0)).toBe(0);
      expect(h.transpose().mul(h).sub(Matrix.identity(5)).maxAbs()).toBe(0);
    }
  });
});

describe('Group.sample', () => {
  const groups: Group[] = [SO(3), O(3), GL(2), Sp(2), SO13(), O13(), SE(3), S(4), D(6), directProduct(SO(2), S(3))];

  it.each(groups.map((g) => [g.name, g] as const))('%s: seeded sampling is deterministic', (_name, G) => {
    const a = G.sample(7);
    const b = G.sample(7);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(G.sample(createRng(7)).data)).toEqual(Array.from(a.data));
    // A shared generator advances: successive draws from one Rng are not all equal.
    const rng = createRng(11);
    const draws = [0, 1, 2, 3, 4, 5].map(() => G.sample(rng).data.join(','));
    expect(new Set(draws).size).toBeGreaterThan(1);
  });

  it('different seeds give different elements of a continuous group', () => {
    expect(relErr(SO(3).sample(1), SO(3).sample(2))).toBeGreaterThan(1e-3);
  });

  it('customGroup keys depend on the generators only', () => {
    const a = customGroup({ lieAlgebra: [[[0, -1], [1, 0]]], name: 'a' });
    const b = customGroup({ lieAlgebra: [[[0, -1], [1, 0]]], name: 'b' });
    const c = customGroup({ lieAlgebra: [[[0, 1], [1, 0]]] });
    expect(a.key).toBe(b.key);
    expect(a.key).not.toBe(c.key);
    expect(a.d).toBe(2);
  });
});
