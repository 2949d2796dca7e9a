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
      const r = equivarianceError(cubic, V(G), V(G), { samples: 32, rng: 1 });
      expect(r.max).toBeLessThan(1e-12);
      expect(r.mean).toBeLessThanOrEqual(r.max);
    }
  });

  it('x ↦ x⊗x is equivariant V → V⊗V for SO(3) and SO(1,3)', () => {
    expect(equivarianceError(outer, V(SO(3)), V(SO(3)).pow(2)).max).toBeLessThan(1e-12);
    expect(equivarianceError(outer, V(SO13()), V(SO13()).pow(2)).max).toBeLessThan(1e-12);
  });

  it('the Minkowski norm xᵀηx is SO(1,3)-invariant; the Euclidean one is not', () => {
    const mink = (x: Float64Array): number[] => [ETA.mulVec(x).reduce((s, v, i) => s + v * x[i]!, 0)];
    const eucl = (x: Float64Array): number[] => [x.reduce((s, v) => s + v * v, 0)];
    // Boosts amplify rounding: the tolerance is relative to the boost size.
    expect(equivarianceError(mink, V(SO13()), Scalar).max).toBeLessThan(1e-11);
    expect(equivarianceError(eucl, V(SO13()), Scalar).max).toBeGreaterThan(0.1);
  });

  it('the sum of entries is S(5)-invariant, a weighted sum is not', () => {
    const sum = (x: Float64Array): number[] => [x.reduce((s, v) => s + v, 0)];
    const weighted = (x: Float64Array): number[] => [x.reduce((s, v, i) => s + (i + 1) * v, 0)];
    expect(equivarianceError(sum, V(S(5)), Scalar, { samples: 20 }).max).toBeLessThan(1e-12);
    expect(equivarianceError(weighted, V(S(5)), Scalar, { samples: 20 }).max).toBeGreaterThan(0.1);
  });

  it('x ↦ diag(1, 2, 3)·x and x ↦ x + e₀ are far from SO(3)-equivariant', () => {
    const aniso = (x: Float64Array): number[] => [x[0]!, 2 * x[1]!, 3 * x[2]!];
    const shifted = (x: Float64Array): number[] => [x[0]! + 1, x[1]!, x[2]!];
    expect(equivarianceError(aniso, V(SO(3)), V(SO(3))).max).toBeGreaterThan(0.1);
    expect(equivarianceError(shifted, V(SO(3)), V(SO(3))).max).toBeGreaterThan(0.1);
  });

  it('explicit samples and seeds are reproducible', () => {
    const xs = normalSamples(8, 3, 4);
    const aniso = (x: Float64Array): number[] => [x[0]!, 2 * x[1]!, 3 * x[2]!];
    const a = equivarianceError(aniso, V(SO(3)), V(SO(3)), { samples: xs, rng: 5 });
    const b = equivarianceError(aniso, V(SO(3)), V(SO(3)), { samples: xs.toArray(), rng: 5 });
    expect(a).toEqual(b);
    expect(a.mean).toBeGreaterThan(0.05);
  });
});
