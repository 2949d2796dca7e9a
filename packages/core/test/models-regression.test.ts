import { describe, expect, it } from 'vitest';
import {
  LieDerivative,
  MonomialLibrary,
  NotConvergedError,
  SE,
  SO,
  Scaling,
  T,
  basisExpansionModel,
  customLibrary,
  designMatrix,
  enforceSymmetry,
  fitSymmetric,
  groupActions,
  leastSquares,
  Matrix,
  defaultTolerance,
  symmetricRegression,
} from '../src/index.js';
import { relativeMaxError } from '../../test-utils/src/index.js';
import { createRng, orthonormalFrame, uniformCube } from './models-helpers.js';

function invariantCount(n: number, degree: number): { dim: number; size: number } {
  const lib = new MonomialLibrary(n, degree);
  const form = new LieDerivative(basisExpansionModel({ library: lib, dimOut: 1 }), groupActions(SO(n), { dimIn: n }));
  return { dim: enforceSymmetry(form).dimension, size: lib.size };
}

describe('invariant polynomials (exact Lie derivative of the monomial library)', () => {
  it.for([
    [2, 2, 2, 6],
    [2, 4, 3, 15],
    [2, 6, 4, 28],
    [3, 4, 3, 35],
  ] as const)('SO(%i), degree ≤ %i: %i invariants of %i monomials', ([n, degree, dim, size]) => {
    expect(invariantCount(n, degree)).toEqual({ dim, size });
  });

  it('affine groups and scalings act exactly too: only constants are invariant under T(2), SE(2), Scaling(2)', () => {
    const lib = new MonomialLibrary(2, 4);
    for (const G of [T(2), SE(2), Scaling(2)]) {
      const form = new LieDerivative(basisExpansionModel({ library: lib, dimOut: 1 }), groupActions(G, { dimIn: 2 }));
      expect(enforceSymmetry(form).dimension).toBe(1);
    }
    // Translations along x₀ only: the polynomials in x₁ alone (1, x₁, …, x₁⁴).
    const tx = new LieDerivative(basisExpansionModel({ library: lib, dimOut: 1 }), [groupActions(T(2), { dimIn: 2 })[0]!]);
    expect(enforceSymmetry(tx).dimension).toBe(5);
  });

  it('enforce fits an SO(3)-invariant target exactly and a non-invariant one only by its invariant part', () => {
    const rng = createRng(3);
    const lib = new MonomialLibrary(3, 4);
    const xs = uniformCube(rng, 80, 3);
    const r2 = (x: number[]) => x[0]! ** 2 + x[1]! ** 2 + x[2]! ** 2;
    const inv = fitSymmetric({ library: lib, xs, ys: xs.map((x) => [1 - 2 * r2(x) + 0.5 * r2(x) ** 2]), mode: 'enforce', group: SO(3) });
    expect(inv.enforce!.dimension).toBe(3);
    expect(inv.relativeResidual).toBeLessThan(1e-10);
    expect(inv.symmetry.dimension).toBe(3);
    const probe = [0.3, -0.2, 0.5];
    expect(inv.predict(probe)[0]).toBeCloseTo(1 - 2 * r2(probe) + 0.5 * r2(probe) ** 2, 10);
    const non = fitSymmetric({ library: lib, xs, ys: xs.map((x) => [x[0]! * x[1]!]), mode: 'enforce', group: SO(3) });
    expect(non.relativeResidual).toBeGreaterThan(0.5);
  });

  it('a custom library gets sampled Lie derivatives, and exact ones when it provides actionMatrix', () => {
    const fns = [
      { name: '1', value: () => 1, gradient: () => [0, 0] },
      { name: 'x0', value: (x: Float64Array) => x[0]!, gradient: () => [1, 0] },
      { name: 'x1', value: (x: Float64Array) => x[1]!, gradient: () => [0, 1] },
      { name: 'r2', value: (x: Float64Array) => x[0]! ** 2 + x[1]! ** 2 },
      { name: 'sin r2', value: (x: Float64Array) => Math.sin(x[0]! ** 2 + x[1]! ** 2) },
      { name: 'x0 x1', value: (x: Float64Array) => x[0]! * x[1]!, gradient: (x: Float64Array) => [x[1]!, x[0]!] },
    ];
    const lib = customLibrary({ m: 2, functions: fns });
    const rng = createRng(4);
    const xs = uniformCube(rng, 40, 2);
    const ys = xs.map(([a, b]) => [2 + Math.sin(a! ** 2 + b! ** 2)]);
    const r = fitSymmetric({ library: lib, xs, ys, mode: 'enforce', group: SO(2), rtol: 1e-6 });
    expect(r.exact).toBe(false);
    // 1, r², sin r² are the invariant combinations; finite-difference gradients are ~1e-10 accurate.
    expect(r.enforce!.dimension).toBe(3);
    expect(relativeMaxError(r.W.data, [2, 0, 0, 0, 1, 0])).toBeLessThan(1e-6);

    const mono = new MonomialLibrary(2, 2);
    const exactLib = customLibrary({
      m: 2,
      functions: mono.names.map((name, k) => ({ name, value: (x: Float64Array) => mono.evaluate(x)[k]! })),
      actionMatrix: (a, b) => mono.actionMatrix(a, b),
    });
    const e = fitSymmetric({ library: exactLib, xs, ys: xs.map(([a, b]) => [a! ** 2 + b! ** 2]), mode: 'enforce', group: SO(2) });
    expect(e.exact).toBe(true);
    expect(e.enforce!.dimension).toBe(2);
    expect(relativeMaxError(e.W.data, [0, 0, 0, 1, 0, 1])).toBeLessThan(1e-10);
  });
});

describe("symmetricRegression's enforce mode is the form's enforce slot", () => {
  it('the same basis, bit for bit, as enforceSymmetry(form) with the fixed zeros as extra constraints', () => {
    const lib = new MonomialLibrary(2, 4);
    const form = new LieDerivative(basisExpansionModel({ library: lib, dimOut: 1 }), groupActions(SO(2), { dimIn: 2 }));
    const rng = createRng(9);
    const xs = uniformCube(rng, 40, 2);
    const design = designMatrix(lib, xs);
    const target = xs.map(([a, b]) => 1 + (a! ** 2 + b! ** 2) - 0.5 * (a! ** 2 + b! ** 2) ** 2);
    const fixedZero = lib.names.map((name) => name === '1');
    const r = symmetricRegression({ design, target, form, mode: 'enforce', fixedZero });
    const zero = new Matrix(1, lib.size);
    zero.set(0, lib.names.indexOf('1'), 1);
    const e = enforceSymmetry(form, { rtol: defaultTolerance('rank'), discrete: [zero] });
    // 1, |x|², |x|⁴ are the invariant quartics; fixing the constant leaves 2.
    expect(enforceSymmetry(form).dimension).toBe(3);
    expect(r.enforce!.dimension).toBe(2);
    expect(e.dimension).toBe(2);
    expect(Array.from(r.enforce!.basis.data)).toEqual(Array.from(e.basis.data));
    expect(Array.from(r.enforce!.singularValues)).toEqual(Array.from(e.singularValues));
    expect(r.theta[lib.names.indexOf('1')]).toBe(0);
  });
});

/** A least-squares fit of F(x) = φ(Uᵀx) on ample samples, and the symmetries discover finds. */
function discoverOrtho({ m, r, group, seed }: { m: number; r: number; group: 'T' | 'SE'; seed: number }) {
  const rng = createRng(seed);
  const U = orthonormalFrame(rng, m, r);
  const inner = new MonomialLibrary(r, 2);
  const coef = Array.from({ length: inner.size }, () => rng.normal());
  const F = (x: number[]) => {
    const z = Float64Array.from(U, (u) => u.reduce((s, ui, i) => s + ui * x[i]!, 0));
    return inner.evaluate(z).reduce((s, v, k) => s + coef[k]! * v, 0);
  };
  const lib = new MonomialLibrary(m, 2);
  const xs = uniformCube(rng, 2 * lib.size, m);
  return fitSymmetric({ library: lib, xs, ys: xs.map((x) => [F(x)]), mode: 'discover', group: group === 'T' ? T(m) : SE(m) });
}

describe('discover on ortho targets F(x) = φ(Uᵀx)', () => {
  it.for([
    [1, 'T', 4, 5],
    [1, 'SE', 10, 15],
    [2, 'T', 3, 5],
    [2, 'SE', 6, 15],
  ] as const)('m = 5, r = %i, %s(5): symmetry dimension %i of %i', ([r, g, dim, q]) => {
    const res = discoverOrtho({ m: 5, r, group: g, seed: 10 + r });
    expect(res.symmetry.singularValues.length).toBe(q);
    expect(res.symmetry.dimension).toBe(dim);
    // A clear decision: the non-symmetries are far above rounding.
    expect(res.symmetry.singularValues[dim]!).toBeGreaterThan(1e-4 * res.symmetry.singularValues[q - 1]!);
    expect(res.symmetry.gap).toBeGreaterThan(1e6);
    expect(res.relativeResidual).toBeLessThan(1e-10);
  });
});

describe('promote: min ‖D(W)‖_* s.t. ΘW = Y', () => {
  it('recovers an ortho target (m = 5, r = 1) from fewer samples than unknowns, where least squares cannot', () => {
    const rng = createRng(1000);
    const m = 5;
    const u = orthonormalFrame(rng, m, 1)[0]!;
    const F = (x: number[]) => {
      const z = u.reduce((s, ui, i) => s + ui * x[i]!, 0);
      return 0.7 - 1.2 * z + 0.9 * z * z;
    };
    const lib = new MonomialLibrary(m, 2);
    const ref = uniformCube(rng, 60, m);
    const wStar = leastSquares(designMatrix(lib, ref), ref.map(F)).x;
    const xs = uniformCube(rng, 18, m);
    const ys = xs.map((x) => [F(x)]);
    const r = fitSymmetric({ library: lib, xs, ys, mode: 'promote', group: T(m) });
    expect(r.converged).toBe(true);
    expect(r.solver!.kktResidual).toBeLessThan(1e-7);
    expect(r.solver!.relativeGap).toBeLessThan(1e-7);
    expect(relativeMaxError(r.W.data, wStar)).toBeLessThan(1e-5);
    expect(r.symmetry.dimension).toBe(4);
    expect(r.relativeResidual).toBeLessThan(1e-8);
    const ls = leastSquares(designMatrix(lib, xs), ys.map((y) => y[0]!)).x;
    expect(relativeMaxError(ls, wStar)).toBeGreaterThan(1e-2);
  });

  it('the penalized form trades residual for symmetry as γ grows', () => {
    const rng = createRng(7);
    const lib = new MonomialLibrary(2, 2);
    const xs = uniformCube(rng, 30, 2);
    // Nearly rotation-invariant data: |x|² plus a small anisotropic term.
    const ys = xs.map(([a, b]) => [a! ** 2 + b! ** 2 + 0.05 * a! * b!]);
    const small = fitSymmetric({ library: lib, xs, ys, mode: 'promote', group: SO(2), weight: 1e-4 });
    const large = fitSymmetric({ library: lib, xs, ys, mode: 'promote', group: SO(2), weight: 10 });
    expect(small.converged && large.converged).toBe(true);
    expect(small.relativeResidual).toBeLessThan(large.relativeResidual);
    expect(large.symmetry.singularValues[0]!).toBeLessThan(small.symmetry.singularValues[0]!);
    expect(large.symmetry.dimension).toBe(1);
  });

  it('non-convergence surfaces: a typed error by default, a flag on request', () => {
    const rng = createRng(5);
    const lib = new MonomialLibrary(3, 2);
    const xs = uniformCube(rng, 6, 3);
    const ys = xs.map((x) => [x[0]! + x[1]! * x[2]!]);
    const opts = { library: lib, xs, ys, mode: 'promote' as const, group: SE(3), solver: { maxIterations: 2 } };
    expect(() => fitSymmetric(opts)).toThrow(NotConvergedError);
    const flagged = fitSymmetric({ ...opts, onNotConverged: 'flag' });
    expect(flagged.converged).toBe(false);
    expect(flagged.solver!.iterations).toBe(2);
  });
});
