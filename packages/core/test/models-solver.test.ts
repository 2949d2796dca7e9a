import { describe, expect, it } from 'vitest';
import { EmptyInputError, InvalidArgumentError, NonFiniteError, NotConvergedError, ShapeMismatchError } from '../src/index.js';
import { Matrix, MonomialLibrary, SO, T, createRng, customLibrary, fitSymmetric, groupActions, sindy, solveNuclearNorm, stlsq, svd, timeDerivative } from '../src/index.js';

/** The identity map R^(r·c) → r×c matrices. */
function identityProblem(r: number, c: number): Matrix {
  return Matrix.identity(r * c);
}

describe('solveNuclearNorm (ADMM with singular-value soft-thresholding)', () => {
  it('the proximal problem ½‖Z − Y‖² + ‖Z‖_* has the closed form SVT(Y, 1)', () => {
    const rng = createRng(11);
    const r = 5;
    const c = 4;
    const Y = new Matrix(r, c, Float64Array.from({ length: r * c }, () => 2 * rng.normal()));
    const res = solveNuclearNorm({ A: identityProblem(r, c), shape: [r, c], P: Matrix.identity(r * c), c: Y.data.map((v) => -v) });
    const { U, s, V } = svd(Y);
    const expected = new Matrix(r, c);
    s.forEach((sk, k) => {
      const t = Math.max(sk - 1, 0);
      for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) expected.data[i * c + j]! += t * U.get(i, k) * V.get(j, k);
    });
    expect(res.converged).toBe(true);
    expect(res.kktResidual).toBeLessThan(1e-7);
    expect(res.relativeGap).toBeLessThan(1e-7);
    expect(res.X.sub(expected).norm()).toBeLessThan(1e-6 * expected.norm());
  });

  it('completes [[1, 1], [1, z]] with the nuclear-norm minimizer z = 1 (objective 2)', () => {
    // X = b + z·E₁₁ with b = [[1, 1], [1, 0]]; ‖X‖_* = √((1 − z)² + 4) for z < 1 and 1 + z beyond.
    const res = solveNuclearNorm({ A: Matrix.from([[0], [0], [0], [1]]), b: Float64Array.of(1, 1, 1, 0), shape: [2, 2] }, { method: 'admm' });
    expect(res.converged).toBe(true);
    expect(res.z[0]!).toBeCloseTo(1, 6);
    expect(res.objective).toBeCloseTo(2, 7);
    expect(res.dualityGap).toBeLessThan(1e-7);
  });

  it('honours equality constraints: min ‖diag(z₀, z₁)‖_* s.t. z₀ + z₁ = 1 has objective 1', () => {
    const A = Matrix.from([[1, 0], [0, 0], [0, 0], [0, 1]]);
    const res = solveNuclearNorm({ A, shape: [2, 2], E: Matrix.from([[1, 1]]), f: Float64Array.of(1) });
    expect(res.converged).toBe(true);
    expect(res.z[0]! + res.z[1]!).toBeCloseTo(1, 10);
    expect(res.objective).toBeCloseTo(1, 7);
    expect(res.kktResidual).toBeLessThan(1e-7);
  });

  it('non-convergence is reported: a flag, or NotConvergedError on request', () => {
    const rng = createRng(12);
    const Y = Float64Array.from({ length: 12 }, () => rng.normal());
    const problem = { A: identityProblem(4, 3), shape: [4, 3] as const, P: Matrix.identity(12), c: Y.map((v) => -v) };
    const res = solveNuclearNorm(problem, { maxIterations: 1 });
    expect(res.converged).toBe(false);
    expect(res.iterations).toBe(1);
    expect(() => solveNuclearNorm(problem, { maxIterations: 1, throwOnNotConverged: true })).toThrow(NotConvergedError);
  });

  it('rejects malformed problems with typed errors', () => {
    expect(() => solveNuclearNorm({ A: Matrix.identity(4), shape: [3, 2] })).toThrow(ShapeMismatchError);
    expect(() => solveNuclearNorm({ A: Matrix.identity(4), shape: [2, 2], b: new Float64Array(3) })).toThrow(ShapeMismatchError);
    expect(() => solveNuclearNorm({ A: Matrix.identity(4), shape: [2, 2], b: Float64Array.of(0, NaN, 0, 0) })).toThrow(NonFiniteError);
    expect(() => solveNuclearNorm({ A: Matrix.identity(4), shape: [2, 2] }, { tolerance: -1 })).toThrow(InvalidArgumentError);
    expect(() => solveNuclearNorm({ A: Matrix.identity(4), shape: [2, 2] }, { maxIterations: 0 })).toThrow(InvalidArgumentError);
  });
});

describe('typed errors of the models API', () => {
  const lib = new MonomialLibrary(2, 2);
  const xs = [
    [0, 1],
    [1, 0],
    [0.5, 0.5],
  ];
  it('fitSymmetric', () => {
    expect(() => fitSymmetric({ library: lib, xs, ys: [[1], [2]], mode: 'enforce', group: SO(2) })).toThrow(ShapeMismatchError);
    expect(() => fitSymmetric({ library: lib, xs: [], ys: [], mode: 'enforce', group: SO(2) })).toThrow(EmptyInputError);
    expect(() => fitSymmetric({ library: lib, xs: [[0, NaN]], ys: [[1]], mode: 'enforce', group: SO(2) })).toThrow(NonFiniteError);
    expect(() => fitSymmetric({ library: lib, xs, ys: [[1], [2], [3]], mode: 'fit' as never, group: SO(2) })).toThrow(InvalidArgumentError);
    expect(() => fitSymmetric({ library: lib, xs, ys: [[1], [2], [3]], mode: 'enforce' })).toThrow(InvalidArgumentError);
    // SO(4) cannot act on R²; SO(3) could only as a homogeneous affine group, which it is not.
    expect(() => fitSymmetric({ library: lib, xs, ys: [[1], [2], [3]], mode: 'enforce', group: SO(4) })).toThrow(ShapeMismatchError);
    expect(() => fitSymmetric({ library: lib, xs, ys: [[1], [2], [3]], mode: 'enforce', group: SO(3) })).toThrow(InvalidArgumentError);
    expect(() => fitSymmetric({ library: lib, xs, ys: [[1], [2], [3]], mode: 'promote', group: T(2), weight: -1 })).toThrow(InvalidArgumentError);
    expect(() => fitSymmetric({ library: lib, xs: [[1, 2, 3]], ys: [[1]], mode: 'enforce', group: SO(2) })).toThrow(ShapeMismatchError);
  });
  it('groupActions, customLibrary, timeDerivative, stlsq, sindy', () => {
    expect(() => groupActions(SO(3), { dimIn: 5 })).toThrow(ShapeMismatchError);
    expect(() => groupActions(SO(3), { dimIn: 3, output: 'sideways' as never })).toThrow(InvalidArgumentError);
    expect(() => customLibrary({ m: 0, functions: [] })).toThrow(InvalidArgumentError);
    const bad = customLibrary({ m: 1, functions: [{ name: 'log', value: (x) => Math.log(x[0]!) }] });
    expect(() => bad.evaluate(Float64Array.of(-1))).toThrow(NonFiniteError);
    expect(() => bad.evaluate(Float64Array.of(1, 2))).toThrow(ShapeMismatchError);
    expect(() => timeDerivative([[1], [2], [3], [4], [5]], { dt: 0 })).toThrow(InvalidArgumentError);
    expect(() => timeDerivative([[1], [2], [3]], { dt: 0.1 })).toThrow(EmptyInputError);
    expect(() => timeDerivative([[1], [2], [3], [4], [5]], { dt: 0.1, method: 'smoothed', window: 4 })).toThrow(InvalidArgumentError);
    expect(() => stlsq({ design: Matrix.identity(2), target: [1] })).toThrow(ShapeMismatchError);
    expect(() => sindy({ library: lib, trajectories: [[0, 1, 2]], derivative: { dt: 0.1 } })).toThrow(ShapeMismatchError);
    expect(() => sindy({ library: lib, trajectories: xs })).toThrow(InvalidArgumentError);
    expect(() => sindy({ library: lib, trajectories: xs, derivatives: xs, mode: 'enforce' })).toThrow(InvalidArgumentError);
  });
});

describe('the deprecated option gamma', () => {
  it('is read as weight for one minor version, and must agree with it', async () => {
    const { MonomialLibrary, T, fitSymmetric, InvalidArgumentError: Invalid } = await import('../src/index.js');
    const lib = new MonomialLibrary(2, 2);
    const xs = [[0, 0], [1, 0], [0, 1], [1, 1], [2, 1], [1, 2]];
    const ys = xs.map(([a, b]) => [a! + b!]);
    const a = fitSymmetric({ library: lib, xs, ys, mode: 'promote', group: T(2), weight: 0.5 });
    const b = fitSymmetric({ library: lib, xs, ys, mode: 'promote', group: T(2), gamma: 0.5 });
    expect(Array.from(b.W.data)).toEqual(Array.from(a.W.data));
    expect(() => fitSymmetric({ library: lib, xs, ys, mode: 'promote', group: T(2), weight: 0.5, gamma: 1 })).toThrow(Invalid);
  });
});

describe('solveNuclearNorm: the eliminated equality constraints', () => {
  it('redundant and rank-deficient rows of E give the same minimizer as the independent rows', () => {
    // min ‖diag(z₀, z₁) + B‖_* s.t. z₀ + z₁ = 1, stated once and then three times (two copies scaled).
    const A = Matrix.from([[1, 0], [0, 0], [0, 0], [0, 1]]);
    const b = Float64Array.of(0.5, 0, 0, -0.25);
    const once = solveNuclearNorm({ A, b, shape: [2, 2], E: Matrix.from([[1, 1]]), f: Float64Array.of(1) });
    const thrice = solveNuclearNorm({ A, b, shape: [2, 2], E: Matrix.from([[1, 1], [2, 2], [-3, -3]]), f: Float64Array.of(1, 2, -3) });
    expect(once.converged).toBe(true);
    expect(thrice.converged).toBe(true);
    // |z₀ + 0.5| + |z₁ − 0.25| ≥ |z₀ + z₁ + 0.25| = 1.25, attained on a segment: the objective is unique.
    expect(once.objective).toBeCloseTo(1.25, 7);
    expect(thrice.objective).toBeCloseTo(1.25, 7);
    expect(thrice.z[0]! + thrice.z[1]!).toBeCloseTo(1, 10);
  });

  it('a promote fit (E = B, fewer samples than parameters) interpolates the data and certifies', () => {
    const rng = createRng(21);
    const lib = new MonomialLibrary(3, 2);
    const xs = Array.from({ length: 8 }, () => [rng.normal(), rng.normal(), rng.normal()]);
    const ys = xs.map(([a, b2, c]) => [(a! + b2! - c!) ** 2]);
    const r = fitSymmetric({ library: lib, xs, ys, mode: 'promote', group: T(3) });
    expect(r.converged).toBe(true);
    expect(r.solver!.kktResidual).toBeLessThan(1e-7);
    expect(r.relativeResidual).toBeLessThan(1e-9);
  });
});
