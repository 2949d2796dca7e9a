/** Promote: the nuclear norm, its subgradient, and the symmetry penalty's gradient. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Matrix,
  SO,
  candidateGenerators,
  lieDerivative,
  linearMapModel,
  nuclearNorm,
  orthonormalColumns,
  pairActions,
  symmetryPenalty,
  type LieDerivative,
} from '../src/index.js';
import { FC_SEED, randomMatrix, relErr } from './helpers.js';

function centralDifferenceGradient(f: (x: Float64Array) => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  const xp = x.slice();
  for (let k = 0; k < x.length; k++) {
    xp[k] = x[k]! + h;
    const fp = f(xp);
    xp[k] = x[k]! - h;
    const fm = f(xp);
    xp[k] = x[k]!;
    g[k] = (fp - fm) / (2 * h);
  }
  return g;
}

describe('nuclearNorm', () => {
  it('is the sum of the singular values of a diagonal matrix and of a rotated one', () => {
    expect(nuclearNorm(Matrix.diag([3, -2, 1])).value).toBeCloseTo(6, 14);
    const q1 = orthonormalColumns(randomMatrix(4, 4, 1));
    const q2 = orthonormalColumns(randomMatrix(3, 3, 2));
    const d = new Matrix(4, 3);
    [5, 2, 0.5].forEach((v, i) => d.set(i, i, v));
    const r = nuclearNorm(q1.mul(d).mul(q2.transpose()));
    expect(relErr([r.value], [7.5])).toBeLessThan(1e-13);
    expect(relErr(r.singularValues, [0.5, 2, 5])).toBeLessThan(1e-13); // ascending
    expect(nuclearNorm([[0, 0], [0, 0]]).value).toBe(0);
  });

  it('its subgradient U·Vᵀ matches central differences for full-rank matrices', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), fc.constantFrom([5, 3], [3, 5], [4, 4]), (seed, [rows, cols]) => {
        const M = randomMatrix(rows, cols, seed);
        const { subgradient } = nuclearNorm(M);
        expect([subgradient.rows, subgradient.cols]).toEqual([rows, cols]);
        const fd = centralDifferenceGradient((x) => nuclearNorm(new Matrix(rows, cols, x)).value, M.data);
        expect(relErr(subgradient.data, fd)).toBeLessThan(1e-5);
      }),
      { seed: FC_SEED, numRuns: 10 },
    );
  });

  it('the subgradient skips zero singular values: U_r·V_rᵀ has spectral norm 1 and rank r', () => {
    const M = Matrix.from([
      [1, 2],
      [2, 4],
    ]);
    const r = nuclearNorm(M);
    expect(relErr([r.value], [5])).toBeLessThan(1e-14);
    // M = 5·u·vᵀ with u = v = (1, 2)/√5, so U·Vᵀ = u·vᵀ.
    expect(relErr(r.subgradient, M.scale(1 / 5))).toBeLessThan(1e-13);
  });
});

describe('symmetryPenalty', () => {
  const pairs = candidateGenerators('gl-lift', 3, 3);
  const form: LieDerivative = lieDerivative(linearMapModel({ dimIn: 3, dimOut: 3 }), pairActions(pairs));

  it("'gl-lift' candidates are orthonormal pairs (A, A) spanning gl(3)", () => {
    expect(pairs.length).toBe(9);
    pairs.forEach(([a, b], i) => {
      expect(relErr(a, b)).toBe(0);
      pairs.forEach(([c, d], j) => expect(a.dot(c) + b.dot(d)).toBeCloseTo(i === j ? 1 : 0, 15));
    });
  });

  it('is 0 for W = 2I (commutes with all of gl(3)) and equals γ·‖D_F(θ)‖_* otherwise', () => {
    const eq = symmetryPenalty(form, Matrix.identity(3).scale(2).data);
    expect(eq.value).toBe(0);
    const theta = randomMatrix(3, 3, 3).data;
    const r = symmetryPenalty(form, theta, { weight: 0.25 });
    expect(relErr([r.value], [0.25 * nuclearNorm(form.inGenerators(theta)).value])).toBeLessThan(1e-14);
    expect(r.value).toBeGreaterThan(0.1);
    // A generic W commutes with I, W, W² only: rank D_F = 9 − 3.
    expect(r.singularValues.filter((s) => s > 1e-10 * r.singularValues[r.singularValues.length - 1]!).length).toBe(6);
  });

  it('its gradient matches central differences of its value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const theta = randomMatrix(3, 3, seed).data;
        const r = symmetryPenalty(form, theta, { weight: 1.5 });
        const fd = centralDifferenceGradient((t) => symmetryPenalty(form, t, { weight: 1.5 }).value, theta);
        expect(relErr(r.gradient, fd)).toBeLessThan(1e-5);
      }),
      { seed: FC_SEED, numRuns: 10 },
    );
  });

  it('a gradient step toward a planted symmetry lowers the penalty', () => {
    const theta = Matrix.identity(3).add(randomMatrix(3, 3, 4).scale(0.1)).data;
    const r = symmetryPenalty(form, theta);
    const step = theta.map((t, k) => t - 1e-3 * r.gradient[k]!);
    expect(symmetryPenalty(form, step).value).toBeLessThan(r.value);
    // The so(3) generators are among the candidates' span: their penalty form agrees.
    const so3Form = lieDerivative(linearMapModel({ dimIn: 3, dimOut: 3 }), pairActions(SO(3).lieAlgebra.map((x) => [x.scale(Math.SQRT1_2), x.scale(Math.SQRT1_2)] as const)));
    expect(symmetryPenalty(so3Form, Matrix.identity(3).data).value).toBe(0);
  });
});
