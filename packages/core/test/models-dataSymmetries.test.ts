import { describe, expect, it } from 'vitest';
import { EmptyInputError, InvalidArgumentError, Matrix, SO, discoverDataSymmetries } from '../src/index.js';
import { createRng } from './models-helpers.js';

/** S points on the ellipsoid Σ xᵢ²/aᵢ² = 1 (a = 1, 1, 1 gives the sphere). */
function ellipsoid(seed: number, s: number, axes: number[]): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: s }, () => {
    const v = [rng.normal(), rng.normal(), rng.normal()];
    const n = Math.hypot(...v);
    return v.map((x, i) => (x / n) * axes[i]!);
  });
}

/** The upper sheet of x₀² − x₁² − x₂² = 1. */
function hyperboloid(seed: number, s: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: s }, () => {
    const t = 1.2 * Math.sqrt(rng.uniform());
    const phi = 2 * Math.PI * rng.uniform();
    return [Math.cosh(t), Math.sinh(t) * Math.cos(phi), Math.sinh(t) * Math.sin(phi)];
  });
}

describe('discoverDataSymmetries (local PCA tangent spaces)', () => {
  it('points on a sphere: so(3) inside gl(3)', () => {
    const r = discoverDataSymmetries(ellipsoid(1, 400, [1, 1, 1]), { candidate: 'gl' });
    expect(r.manifoldDim).toBe(2);
    expect(r.dimension).toBe(3);
    expect(r.singularValues[3]! / r.singularValues[2]!).toBeGreaterThan(20);
    for (const { A } of r.generators) expect(A.add(A.transpose()).norm()).toBeLessThan(0.02 * A.norm());
  });

  it('points on the hyperboloid x₀² − x₁² − x₂² = 1: so(1,2) (AᵀJ + JA = 0)', () => {
    const r = discoverDataSymmetries(hyperboloid(2, 400), { candidate: 'gl' });
    expect(r.dimension).toBe(3);
    const J = Matrix.diag([1, -1, -1]);
    for (const { A } of r.generators) expect(A.transpose().mul(J).add(J.mul(A)).norm()).toBeLessThan(0.05 * A.norm());
  });

  it('an ellipsoid has only the rotations its axes allow', () => {
    const distinct = discoverDataSymmetries(ellipsoid(3, 400, [1, 1.5, 2]), { candidate: SO(3) });
    expect(distinct.dimension).toBe(0);
    expect(distinct.singularValues[0]!).toBeGreaterThan(0.05 * distinct.singularValues[2]!);
    const spheroid = discoverDataSymmetries(ellipsoid(4, 400, [1.5, 1.5, 1]), { candidate: SO(3) });
    expect(spheroid.dimension).toBe(1);
    // The rotation about the symmetry axis x₂: A ∝ E₁₀ − E₀₁.
    const A = spheroid.generators[0]!.A;
    expect(Math.abs(A.get(1, 0)) / A.norm()).toBeGreaterThan(0.7);
    // In all of gl(3), the distinct-axes ellipsoid keeps a 3-dimensional algebra: so(3) conjugated by diag(a).
    expect(discoverDataSymmetries(ellipsoid(3, 400, [1, 1.5, 2]), { candidate: 'gl' }).dimension).toBe(3);
  });

  it('rejects bad input with typed errors', () => {
    expect(() => discoverDataSymmetries([], { candidate: 'gl' })).toThrow(EmptyInputError);
    expect(() => discoverDataSymmetries(ellipsoid(1, 20, [1, 1, 1]), { candidate: 'spin' as never })).toThrow(InvalidArgumentError);
    expect(() => discoverDataSymmetries(ellipsoid(1, 20, [1, 1, 1]), { candidate: 'gl', neighbors: 50 })).toThrow(InvalidArgumentError);
  });
});
