import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Matrix, NotConvergedError, createRng, solveNuclearNorm, svd, type NuclearNormProblem, type Rng } from '../src/index.js';
import { maxDiff, randomMatrix } from './helpers.js';



/** Matrix completion: X = mat(z) (R×C), E·z = f fixes `known` entries of a rank-`rank` matrix M. */
function completion(rng: Rng, { R, C, rank, known }: { R: number; C: number; rank: number; known: number }): { problem: NuclearNormProblem; M: Float64Array } {
  const L = randomMatrix(R, rank, rng);
  const Rt = randomMatrix(rank, C, rng);
  const M = L.mul(Rt).data;
  const order = Array.from({ length: R * C }, (_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const picked = order.slice(0, known);
  const E = new Matrix(known, R * C);
  const f = new Float64Array(known);
  picked.forEach((e, row) => {
    E.data[row * R * C + e] = 1;
    f[row] = M[e]!;
  });
  return { problem: { A: Matrix.identity(R * C), shape: [R, C], E, f }, M };
}

describe('solveNuclearNorm: the Newton path-following method', () => {
  it('a known answer: min ‖diag(z₀, 1)‖_* has z₀ = 0 and objective 1, certified', () => {
    const r = solveNuclearNorm({ A: Matrix.from([[1], [0], [0], [0]]), b: Float64Array.of(0, 0, 0, 1), shape: [2, 2] }, { method: 'newton' });
    expect(r.method).toBe('newton');
    expect(r.converged).toBe(true);
    expect(Math.abs(r.z[0]!)).toBeLessThan(1e-7);
    expect(Math.abs(r.objective - 1)).toBeLessThan(1e-7);
  });

  it('completes [[1, 1], [1, z]]: objective 2 to the certificate, z = 1 to what the certificate implies', () => {
    // ‖X‖_* = √((1 − z)² + 4) ≈ 2 + (1 − z)²/4 below z = 1: an objective error ε allows |1 − z| ≤ 2√ε.
    const r = solveNuclearNorm({ A: Matrix.from([[0], [0], [0], [1]]), b: Float64Array.of(1, 1, 1, 0), shape: [2, 2] }, { method: 'newton' });
    expect(r.converged).toBe(true);
    expect(Math.abs(r.objective - 2)).toBeLessThan(2e-7);
    expect(Math.abs(r.z[0]! - 1)).toBeLessThan(2 * Math.sqrt(2e-7));
  });

  it('completes a rank-1 6×5 matrix from 20 of its 30 entries (unique minimizer) to 1e-6', () => {
    const { problem, M } = completion(createRng(3), { R: 6, C: 5, rank: 1, known: 20 });
    const r = solveNuclearNorm(problem, { method: 'newton' });
    expect(r.converged).toBe(true);
    expect(maxDiff(r.z, M) / Math.max(...M.map(Math.abs))).toBeLessThan(1e-6);
    // The certificate: ‖G‖₂ ≤ 1 and ⟨G, X⟩ = ‖X‖_* to the gap tolerance.
    expect(svd(r.multiplier).s[0]!).toBeLessThan(1 + 1e-12);
    let inner = 0;
    for (let i = 0; i < 30; i++) inner += r.multiplier.data[i]! * r.X.data[i]!;
    expect((r.nuclearNorm - inner) / r.nuclearNorm).toBeLessThan(1e-7);
  });

  it('follows the path in long, extrapolated steps: a rank-3 15×12 completion certified in ≤ 30 Newton steps', () => {
    // A tenfold μ per level, each centred tightly, took 42 steps here (20 now).
    const { problem, M } = completion(createRng(5), { R: 15, C: 12, rank: 3, known: 130 });
    const r = solveNuclearNorm(problem, { method: 'newton' });
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeLessThanOrEqual(30);
    expect(maxDiff(r.z, M) / Math.max(...M.map(Math.abs))).toBeLessThan(1e-6);
  });

  it('agrees with the ADMM reference on random constrained programs (tall and wide X)', () => {
    const rng = createRng(8);
    for (const [R, C, k, e] of [
      [7, 4, 14, 5],
      [4, 7, 14, 5],
      [9, 9, 20, 8],
    ] as const) {
      const problem: NuclearNormProblem = { A: randomMatrix(R * C, k, rng), b: randomMatrix(1, R * C, rng).data, shape: [R, C], E: randomMatrix(e, k, rng), f: randomMatrix(1, e, rng).data };
      const nt = solveNuclearNorm(problem, { method: 'newton' });
      const ad = solveNuclearNorm(problem, { method: 'admm', maxIterations: 100000, tolerance: 1e-11, gapTolerance: 1e-10 });
      expect(nt.method).toBe('newton');
      expect(ad.method).toBe('admm');
      expect(nt.converged && ad.converged).toBe(true);
      expect(Math.abs(nt.objective - ad.objective) / ad.objective).toBeLessThan(1e-7);
      // Feasible to rounding.
      const Ez = problem.E!.mulVec(nt.z);
      expect(maxDiff(Ez, problem.f!)).toBeLessThan(1e-10);
    }
  });

  it('agrees with ADMM with a quadratic and a linear term (the penalized program)', () => {
    const rng = createRng(9);
    const k = 12;
    const B = randomMatrix(k, k, rng);
    const P = B.transpose().mul(B);
    const problem: NuclearNormProblem = { A: randomMatrix(5 * 4, k, rng), shape: [5, 4], P, c: randomMatrix(1, k, rng).data.map((v) => 30 * v) };
    const nt = solveNuclearNorm(problem, { method: 'newton' });
    const ad = solveNuclearNorm(problem, { method: 'admm', maxIterations: 100000, tolerance: 1e-11, gapTolerance: 1e-10 });
    expect(nt.converged && ad.converged).toBe(true);
    expect(Math.abs(nt.objective - ad.objective) / Math.abs(ad.objective)).toBeLessThan(1e-7);
    expect(maxDiff(nt.z, ad.z)).toBeLessThan(1e-5);
  });

  it("'auto' uses Newton on a small program, and ADMM from Newton's subgradient when Newton is cut short", () => {
    const { problem } = completion(createRng(4), { R: 6, C: 5, rank: 1, known: 20 });
    expect(solveNuclearNorm(problem).method).toBe('newton');
    const fallback = solveNuclearNorm(problem, { maxNewtonIterations: 2 });
    expect(fallback.method).toBe('admm');
    expect(fallback.converged).toBe(true);
    const cut = solveNuclearNorm(problem, { method: 'newton', maxNewtonIterations: 2 });
    expect(cut.converged).toBe(false);
    expect(cut.iterations).toBe(2);
    expect(() => solveNuclearNorm(problem, { method: 'newton', maxNewtonIterations: 2, throwOnNotConverged: true })).toThrow(NotConvergedError);
  });

  it('rejects a bad method or step limit', () => {
    const p: NuclearNormProblem = { A: Matrix.identity(4), shape: [2, 2] };
    expect(() => solveNuclearNorm(p, { method: 'lbfgs' as never })).toThrow(InvalidArgumentError);
    expect(() => solveNuclearNorm(p, { method: 'lbfgs' as never })).toThrow(/'method' must be 'auto', 'admm' or 'newton'; received/);
    expect(() => solveNuclearNorm(p, { maxNewtonIterations: 0 })).toThrow(/'maxNewtonIterations' must be an integer ≥ 1/);
  });
});
