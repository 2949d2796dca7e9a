import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  Matrix,
  MonomialLibrary,
  NonFiniteError,
  ShapeMismatchError,
  T,
  createRng,
  fitSymmetric,
  solveNuclearNorm,
  type NuclearNormProblem,
} from '../src/index.js';
import { addProduct, denseTallBlockCost, gramOfRows, leftMultiply, rightMultiplyBlocks, sparseTallBlock } from '../src/symmetry/nuclearNormNewton.js';
import { svd } from '../src/linalg/svd.js';
import { maxDiff, randomMatrix } from './helpers.js';

/** A random constrained program min ‖mat(A·z + b)‖_* s.t. E·z = f. */
function program(seed: number, { R, C, k, e }: { R: number; C: number; k: number; e: number }): NuclearNormProblem {
  const rng = createRng(seed);
  return { A: randomMatrix(R * C, k, rng), b: randomMatrix(1, R * C, rng).data, shape: [R, C], E: randomMatrix(e, k, rng), f: randomMatrix(1, e, rng).data };
}

describe('Newton: the Hessian layouts', () => {
  it('gramOfRows equals F·Fᵀ computed entry by entry, for every remainder of its 4×2 blocks', () => {
    const rng = createRng(3);
    for (const rows of [1, 2, 3, 4, 5, 6, 7, 9, 13]) {
      const len = 11;
      const F = randomMatrix(rows, len, rng).data;
      const out = new Float64Array(rows * rows);
      gramOfRows(F, { rows, len, out });
      let worst = 0;
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < rows; j++) {
          let v = 0;
          for (let l = 0; l < len; l++) v += F[i * len + l]! * F[j * len + l]!;
          worst = Math.max(worst, Math.abs(out[i * rows + j]! - v));
        }
      }
      expect(worst).toBeLessThan(1e-12);
    }
  });

  it('leftMultiply, addProduct and rightMultiplyBlocks equal their products entry by entry, for every remainder of their 4×4 blocks', () => {
    const rng = createRng(5);
    let worst = 0;
    for (const rows of [1, 3, 4, 5, 8, 9]) {
      for (const inner of [1, 2, 4, 6, 7]) {
        const len = 5;
        // leftMultiply: Mᵀ·B with M rows×inner, B rows×len.
        const M = randomMatrix(rows, inner, rng).data;
        const B = randomMatrix(rows, len, rng).data;
        const out = new Float64Array(inner * len).fill(7);
        leftMultiply(M, B, { rows, inner, len, out });
        for (let p = 0; p < inner; p++) for (let x = 0; x < len; x++) {
          let v = 0;
          for (let r = 0; r < rows; r++) v += M[r * inner + p]! * B[r * len + x]!;
          worst = Math.max(worst, Math.abs(out[p * len + x]! - v));
        }
        // addProduct: inout + scale·M·B with B inner×len.
        const B2 = randomMatrix(inner, len, rng).data;
        const base = randomMatrix(rows, len, rng).data;
        const inout = base.slice();
        addProduct(M, B2, { rows, inner, len, inout, scale: -0.5 });
        for (let r = 0; r < rows; r++) for (let x = 0; x < len; x++) {
          let v = base[r * len + x]!;
          for (let p = 0; p < inner; p++) v += -0.5 * M[r * inner + p]! * B2[p * len + x]!;
          worst = Math.max(worst, Math.abs(inout[r * len + x]! - v));
        }
      }
      // rightMultiplyBlocks: `rows` blocks Y_b (C×kf), out[b, p', j] = Σ_q Y_b[q, j]·V[q, p'].
      for (const C of [1, 3, 5]) {
        const kf = 3;
        const Y = randomMatrix(rows * C, kf, rng).data;
        const V = randomMatrix(C, C, rng).data;
        const out = new Float64Array(rows * C * kf);
        rightMultiplyBlocks(Y, V, { blocks: rows, C, kf, out, work: new Float64Array(rows * C * kf) });
        for (let b = 0; b < rows; b++) for (let p = 0; p < C; p++) for (let j = 0; j < kf; j++) {
          let v = 0;
          for (let q = 0; q < C; q++) v += Y[(b * C + q) * kf + j]! * V[q * C + p]!;
          worst = Math.max(worst, Math.abs(out[(b * C + p) * kf + j]! - v));
        }
      }
    }
    expect(worst).toBeLessThan(1e-12);
  });

  /** A tall program whose A has one nonzero per row (as a Lie-derivative map of a library has few). */
  const sparseProgram = (seed: number, { R, C, k, e }: { R: number; C: number; k: number; e: number }): NuclearNormProblem => {
    const rng = createRng(seed);
    const A = new Matrix(R * C, k);
    for (let row = 0; row < R * C; row++) A.data[row * k + Math.floor(rng.uniform() * k)] = rng.normal();
    return { A, b: randomMatrix(1, R * C, rng).data, shape: [R, C], E: randomMatrix(e, k, rng), f: randomMatrix(1, e, rng).data };
  };

  /**
   * A random tall-block instance (A with one nonzero per row, N, an SVD's U and V, s) and its tall
   * block formed densely: D_j = Uᵀ·mat(ã_j)·V in sparseTallBlock's layout and the Gram of
   * (I − UUᵀ)·mat(ã_j)·V/√s, with Ã = A·N.
   */
  const tallInstance = (seed: number, { R, C, k, kf }: { R: number; C: number; k: number; kf: number }) => {
    const rng = createRng(seed);
    const A = sparseProgram(seed, { R, C, k, e: 1 }).A.data;
    const Nm = randomMatrix(k, kf, rng).data;
    const d = svd(randomMatrix(R, C, rng));
    const sv = Float64Array.from({ length: C }, () => 0.01 + rng.uniform());
    const Dall = new Float64Array(C * C * kf);
    const tall: Float64Array[] = [];
    for (let j = 0; j < kf; j++) {
      const M = new Matrix(R, C);
      for (let e = 0; e < R * C; e++) for (let i = 0; i < k; i++) M.data[e]! += A[e * k + i]! * Nm[i * kf + j]!;
      const Y = M.mul(d.V);
      const D = d.U.transpose().mul(Y);
      for (let p = 0; p < C; p++) for (let c = 0; c < C; c++) Dall[(p * C + c) * kf + j] = D.get(p, c);
      const T = Y.sub(d.U.mul(D));
      tall.push(Float64Array.from({ length: R * C }, (_, e) => T.data[e]! / Math.sqrt(sv[e % C]!)));
    }
    const reference = new Float64Array(kf * kf);
    for (let i = 0; i < kf; i++) for (let j = 0; j < kf; j++) for (let e = 0; e < R * C; e++) reference[i * kf + j]! += tall[i]![e]! * tall[j]![e]!;
    return { rng, A, Nm, V: d.V.data, sv, Dall, reference };
  };

  it('sparseTallBlock equals Σ_c ‖(I − UUᵀ)·mat(ã_j)·v_c‖²/s_c formed densely', () => {
    const [R, C, k, kf] = [80, 4, 30, 20];
    const { rng, A, Nm, V, sv, Dall, reference } = tallInstance(31, { R, C, k, kf });
    const block = sparseTallBlock({ A, k, N: Nm }, { R, C, kf, dense: denseTallBlockCost(R, C, kf) });
    expect(block).toBeDefined();
    const H = new Float64Array(kf * kf);
    block!.addTallBlock({ V, sv, Dall, H });
    let worst = 0;
    let largest = 0;
    for (let i = 0; i < kf * kf; i++) {
      worst = Math.max(worst, Math.abs(H[i]! - reference[i]!));
      largest = Math.max(largest, Math.abs(reference[i]!));
    }
    expect(largest).toBeGreaterThan(1);
    expect(worst / largest).toBeLessThan(1e-12);
    // A dense A (every row block full) is left to the dense layout.
    expect(sparseTallBlock({ A: randomMatrix(R * C, k, rng).data, k, N: Nm }, { R, C, kf, dense: denseTallBlockCost(R, C, kf) })).toBeUndefined();
  });

  it('agrees with the ADMM reference on a tall X with a sparse A (the tall block as Nᵀ·S·N)', () => {
    for (const seed of [41, 42]) {
      const problem = sparseProgram(seed, { R: 80, C: 4, k: 30, e: 10 });
      const nt = solveNuclearNorm(problem, { method: 'newton' });
      const ad = solveNuclearNorm(problem, { method: 'admm', maxIterations: 100000, tolerance: 1e-11, gapTolerance: 1e-10 });
      expect(nt.converged && ad.converged).toBe(true);
      expect(Math.abs(nt.objective - ad.objective) / ad.objective).toBeLessThan(1e-7);
      expect(maxDiff(problem.E!.mulVec(nt.z), problem.f!)).toBeLessThan(1e-10);
    }
  });

  it('the sparse block also replaces the complement on a near-square X (R < 2C) when few directions are free', () => {
    // 30×20 with one nonzero per entry and kf = 2: Gram–Schmidt for U⊥ and U⊥ᵀ·Ã outweigh Nᵀ·S·N.
    const [R, C, k, kf] = [30, 20, 30, 2];
    const { A, Nm, V, sv, Dall, reference } = tallInstance(51, { R, C, k, kf });
    const block = sparseTallBlock({ A, k, N: Nm }, { R, C, kf, dense: denseTallBlockCost(R, C, kf) });
    expect(block).toBeDefined();
    const H = new Float64Array(kf * kf);
    block!.addTallBlock({ V, sv, Dall, H });
    for (let i = 0; i < kf * kf; i++) expect(Math.abs(H[i]! - reference[i]!)).toBeLessThan(1e-12 * Math.max(1, Math.abs(reference[i]!)));
    // And the solve through it agrees with ADMM.
    for (const seed of [52, 53]) {
      const problem = sparseProgram(seed, { R, C, k, e: k - kf });
      const nt = solveNuclearNorm(problem, { method: 'newton' });
      const ad = solveNuclearNorm(problem, { method: 'admm', maxIterations: 100000, tolerance: 1e-11, gapTolerance: 1e-10 });
      expect(nt.converged && ad.converged).toBe(true);
      expect(Math.abs(nt.objective - ad.objective) / ad.objective).toBeLessThan(1e-7);
    }
  });

  it('agrees with the ADMM reference on a tall X (R ≥ 2C: the tall block Y − U·(Uᵀ·Y), Y = Ã·V) and a near-square one (complement features)', () => {
    for (const [seed, R, C, k, e] of [
      [21, 12, 4, 16, 6],
      [22, 10, 5, 18, 7],
      [23, 6, 5, 12, 4],
    ] as const) {
      const problem = program(seed, { R, C, k, e });
      const nt = solveNuclearNorm(problem, { method: 'newton' });
      const ad = solveNuclearNorm(problem, { method: 'admm', maxIterations: 100000, tolerance: 1e-11, gapTolerance: 1e-10 });
      expect(nt.converged && ad.converged).toBe(true);
      expect(Math.abs(nt.objective - ad.objective) / ad.objective).toBeLessThan(1e-7);
    }
  });
});

describe('solveNuclearNorm: start', () => {
  const full = program(5, { R: 7, C: 5, k: 20, e: 9 });

  it('Newton from a start at the optimum (a completion that recovers: the case of the recovery bisection) certifies the same answer', () => {
    // A rank-1 6×5 matrix from 27 of its entries: the program recovers it (unique minimizer).
    const rng = createRng(4);
    const M = randomMatrix(6, 1, rng).mul(randomMatrix(1, 5, rng)).data;
    const order = Array.from({ length: 30 }, (_, i) => i);
    for (let i = 29; i > 0; i--) {
      const j = Math.floor(rng.uniform() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const completion = (known: number): NuclearNormProblem => {
      const E = new Matrix(known, 30);
      order.slice(0, known).forEach((e, row) => (E.data[row * 30 + e] = 1));
      return { A: Matrix.identity(30), shape: [6, 5], E, f: Float64Array.from(order.slice(0, known), (e) => M[e]!) };
    };
    const cold = solveNuclearNorm(completion(27), { method: 'newton' });
    const warm = solveNuclearNorm(completion(27), { method: 'newton', start: Float64Array.from(M) });
    expect(cold.converged && warm.converged).toBe(true);
    expect(maxDiff(cold.z, M)).toBeLessThan(1e-5);
    expect(maxDiff(warm.z, M)).toBeLessThan(1e-5);
    // No claim on the step count: from the optimum itself it is 22 against 21 cold here (the
    // smoothing moves the iterate off X* first); on the recovery bisection it saves about 15 %.
    expect(warm.iterations).toBeLessThan(40);
  });

  it('an infeasible start is projected onto E·z = f: the answer is feasible and optimal (Newton and ADMM)', () => {
    const cold = solveNuclearNorm(full, { method: 'newton' });
    const start = Float64Array.from({ length: 20 }, (_, i) => Math.sin(i + 1));
    for (const method of ['newton', 'admm'] as const) {
      const r = solveNuclearNorm(full, { method, start, maxIterations: 100000, tolerance: 1e-11, gapTolerance: 1e-9 });
      expect(r.converged).toBe(true);
      expect(Math.abs(r.objective - cold.objective) / cold.objective).toBeLessThan(1e-6);
      expect(maxDiff(full.E!.mulVec(r.z), full.f!)).toBeLessThan(1e-9);
    }
  });

  it('rejects a start of the wrong length or with non-finite entries', () => {
    expect(() => solveNuclearNorm(full, { start: new Float64Array(19) })).toThrow(ShapeMismatchError);
    expect(() => solveNuclearNorm(full, { start: new Float64Array(19) })).toThrow(/'start' must be a Float64Array of 20 entries/);
    const bad = new Float64Array(20);
    bad[3] = Number.NaN;
    expect(() => solveNuclearNorm(full, { start: bad })).toThrow(NonFiniteError);
  });
});

describe('fitSymmetric: start', () => {
  // F(x) = (u·x)² on R³ in the quadratic library: T(3) promotes the ridge; 7 of 10 samples.
  const library = new MonomialLibrary(3, 2);
  const rng = createRng(11);
  const u = [0.6, 0.8, 0];
  const xs = Array.from({ length: 10 }, () => [0, 1, 2].map(() => 2 * rng.uniform() - 1));
  const ys = xs.map((x) => [(u[0]! * x[0]! + u[1]! * x[1]! + u[2]! * x[2]!) ** 2]);

  it('a start from the fit on more samples gives the same W on fewer', () => {
    const more = fitSymmetric({ library, xs, ys, mode: 'promote', group: T(3) });
    const cold = fitSymmetric({ library, xs: xs.slice(0, 7), ys: ys.slice(0, 7), mode: 'promote', group: T(3) });
    const warm = fitSymmetric({ library, xs: xs.slice(0, 7), ys: ys.slice(0, 7), mode: 'promote', group: T(3), start: more.W });
    expect(cold.converged && warm.converged).toBe(true);
    expect(maxDiff(warm.W.data, cold.W.data)).toBeLessThan(1e-5);
  });

  it("rejects a start of the wrong shape, and 'solver.start' (whose scale is the solver's)", () => {
    expect(() => fitSymmetric({ library, xs, ys, mode: 'promote', group: T(3), start: new Matrix(1, 9) })).toThrow(ShapeMismatchError);
    expect(() => fitSymmetric({ library, xs, ys, mode: 'promote', group: T(3), start: new Matrix(1, 9) })).toThrow(/'start' must be a 1×10 Matrix/);
    expect(() => fitSymmetric({ library, xs, ys, mode: 'promote', group: T(3), solver: { start: new Float64Array(10) } })).toThrow(InvalidArgumentError);
    expect(() => fitSymmetric({ library, xs, ys, mode: 'discover', group: T(3), start: new Matrix(1, 10) })).toThrow(/used by mode 'promote' only/);
  });
});
