/** equivarianceError: ≈ 0 for equivariant functions, large otherwise. */
import { describe, expect, it } from 'vitest';
import { Matrix, O, S, SO, SO13, Scalar, V, equivarianceError } from '../src/index.js';
import { ETA, normalSamples } from './helpers.js';

const cubic = (x: Float64Array): number[] => {
  const r2 = x[0]! ** 2 + x[1]! ** 2 + x[2]! ** 2;
  return [r2 * x[0]!, r2 * x[1]!, r2 * x[2]!];
};
const outer = (x: Float64Array): Float64Array => new Matrix(x.length, 1, x).kron(new Matrix(x.length, 1, x)).data;

describe('equivarianceError', () => {
  it('x ↦ |x|²·x is SO(3)- and O(3)-equivariant V → V', () => {
    for (const G of [SO(3), O(3)]) {
      const r = equivarianceError(cubic, { repIn: V(G), repOut: V(G), samples: 32, rng: 1 });
      expect(r.max).toBeLessThan(1e-12);
      expect(r.mean).toBeLessThanOrEqual(r.max);
    }
  });

  it('x ↦ x⊗x is equivariant V → V⊗V for SO(3) and SO(1,3)', () => {
    expect(equivarianceError(outer, { repIn: V(SO(3)), repOut: V(SO(3)).pow(2) }).max).toBeLessThan(1e-12);
    expect(equivarianceError(outer, { repIn: V(SO13()), repOut: V(SO13()).pow(2) }).max).toBeLessThan(1e-12);
  });

  it('the Minkowski norm xᵀηx is SO(1,3)-invariant; the Euclidean one is not', () => {
    const mink = (x: Float64Array): number[] => [ETA.mulVec(x).reduce((s, v, i) => s + v * x[i]!, 0)];
    const eucl = (x: Float64Array): number[] => [x.reduce((s, v) => s + v * v, 0)];
    // Boosts amplify rounding: the tolerance is relative to the boost size.
    expect(equivarianceError(mink, { repIn: V(SO13()), repOut: Scalar }).max).toBeLessThan(1e-11);
    expect(equivarianceError(eucl, { repIn: V(SO13()), repOut: Scalar }).max).toBeGreaterThan(0.1);
  });

  it('the sum of entries is S(5)-invariant, a weighted sum is not', () => {
    const sum = (x: Float64Array): number[] => [x.reduce((s, v) => s + v, 0)];
    const weighted = (x: Float64Array): number[] => [x.reduce((s, v, i) => s + (i + 1) * v, 0)];
    expect(equivarianceError(sum, { repIn: V(S(5)), repOut: Scalar, samples: 20 }).max).toBeLessThan(1e-12);
    expect(equivarianceError(weighted, { repIn: V(S(5)), repOut: Scalar, samples: 20 }).max).toBeGreaterThan(0.1);
  });

  it('x ↦ diag(1, 2, 3)·x and x ↦ x + e₀ are far from SO(3)-equivariant', () => {
    const aniso = (x: Float64Array): number[] => [x[0]!, 2 * x[1]!, 3 * x[2]!];
    const shifted = (x: Float64Array): number[] => [x[0]! + 1, x[1]!, x[2]!];
    expect(equivarianceError(aniso, { repIn: V(SO(3)), repOut: V(SO(3)) }).max).toBeGreaterThan(0.1);
    expect(equivarianceError(shifted, { repIn: V(SO(3)), repOut: V(SO(3)) }).max).toBeGreaterThan(0.1);
  });

  it('explicit samples and seeds are reproducible', () => {
    const xs = normalSamples(8, 3, { seed: 4 });
    const aniso = (x: Float64Array): number[] => [x[0]!, 2 * x[1]!, 3 * x[2]!];
    const a = equivarianceError(aniso, { repIn: V(SO(3)), repOut: V(SO(3)), samples: xs, rng: 5 });
    const b = equivarianceError(aniso, { repIn: V(SO(3)), repOut: V(SO(3)), samples: xs.toArray(), rng: 5 });
    expect(a).toEqual(b);
    expect(a.mean).toBeGreaterThan(0.05);
  });

  it('the deprecated positional form (f, repIn, repOut, options) gives the same numbers', () => {
    const xs = normalSamples(8, 3, { seed: 4 });
    const aniso = (x: Float64Array): number[] => [x[0]!, 2 * x[1]!, 3 * x[2]!];
    const current = equivarianceError(aniso, { repIn: V(SO(3)), repOut: V(SO(3)), samples: xs, rng: 5 });
    expect(equivarianceError(aniso, V(SO(3)), V(SO(3)), { samples: xs, rng: 5 })).toEqual(current);
    expect(equivarianceError(aniso, V(SO(3)), V(SO(3)))).toEqual(equivarianceError(aniso, { repIn: V(SO(3)), repOut: V(SO(3)) }));
  });

  it("rejects options that are not { repIn, repOut, … }", () => {
    const sq = (x: Float64Array): number[] => [x[0]! ** 2];
    expect(() => equivarianceError(sq, null as never)).toThrow(/equivarianceError: 'options' must be \{ repIn, repOut/);
    expect(() => equivarianceError(sq, { repIn: V(SO(3)) } as never)).toThrow(/'repIn' and 'repOut' must be Representations/);
  });
});
