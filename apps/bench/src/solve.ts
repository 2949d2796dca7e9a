/**
 * One promote problem per row (min ‖D(W)‖_* s.t. ΘW = Y, the solve the recovery experiment repeats at
 * every bisection step), solved by core's solveNuclearNorm at its default tolerances and at the looser
 * tolerances a recovery run needs (tolerance 1e-6, gapTolerance 1e-5: still a certified optimum, to a
 * relative gap of 1e-5, far below the recovery criterion ‖W − W*‖∞/‖W*‖∞ < 5e-3), in the same process;
 * core's Newton path-following method (method: 'newton', the default for small programs) at gap 1e-7 and 1e-5;
 * optionally cvxpy (SCS and Clarabel) on the same instance when apps/bench/.venv has cvxpy.
 * Timing, both sides at steady state as in a recovery run: liesym 3 solves to warm up, then the median of 5
 * (a solve over 0.5 s: 1 and 3); cvxpy a fresh Problem per solve (canonicalization included, as the authors'
 * dt), 1 to warm up, then the median of 3 (a single solve when the first takes over 5 s).
 *
 *   npm run bench:solve -w apps/bench [-- --rows t5,t10,se5]
 *
 * Instances: F(x) = φ(Uᵀx), U m×r random orthonormal, φ a random polynomial of degree d in r variables,
 * xs uniform in [−1, 1]^m, n samples (about the published median n_recover of the row).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Matrix,
  MonomialLibrary,
  SE,
  T,
  createRng,
  designMatrix,
  discoverOperator,
  fitSymmetric,
  leastSquares,
  orthonormalColumns,
  solveNuclearNorm,
  type NuclearNormProblem,
  type NuclearNormSolveOptions,
} from '@liesym/core';
import { relativeMaxError } from '@liesym/test-utils';
import { textTable } from './report/textTable.js';

interface Row {
  name: string;
  candidate: 'T' | 'SE';
  m: number;
  r: number;
  d: number;
  n: number;
}

const ROWS: Row[] = [
  { name: 't5', candidate: 'T', m: 5, r: 1, d: 2, n: 13 },
  { name: 't10', candidate: 'T', m: 10, r: 1, d: 2, n: 28 },
  { name: 'se5', candidate: 'SE', m: 5, r: 1, d: 2, n: 15 },
  { name: 'se10', candidate: 'SE', m: 10, r: 2, d: 2, n: 46 },
  { name: 't30', candidate: 'T', m: 30, r: 1, d: 2, n: 120 },
];

/** The promote problem of one row as symmetricRegression builds it (y scaled to unit norm), and W*. */
function instance(row: Row, seed: number): { problem: NuclearNormProblem; yScale: number; wStar: Float64Array } {
  const rng = createRng(1000 + seed);
  const inner = new MonomialLibrary(row.r, row.d);
  const coef = Array.from({ length: inner.size }, () => rng.normal());
  const G = new Matrix(row.m, row.r);
  for (let k = 0; k < row.r; k++) for (let i = 0; i < row.m; i++) G.set(i, k, rng.normal());
  const U = orthonormalColumns(G);
  const F = (x: ArrayLike<number>): number => {
    const z = new Float64Array(row.r);
    for (let k = 0; k < row.r; k++) for (let i = 0; i < row.m; i++) z[k]! += U.get(i, k) * x[i]!;
    return inner.evaluate(z).reduce((s, v, k) => s + coef[k]! * v, 0);
  };
  const lib = new MonomialLibrary(row.m, row.d);
  const ref = Array.from({ length: 2 * lib.size + 20 }, () => Array.from({ length: row.m }, () => 2 * rng.uniform() - 1));
  const wStar = leastSquares(designMatrix(lib, ref), ref.map(F)).x;
  const xs = Array.from({ length: row.n }, () => Array.from({ length: row.m }, () => 2 * rng.uniform() - 1));
  const ys = xs.map((x) => [F(x)]);
  // The form only (one ADMM iteration, flagged): the bilinear Lie-derivative form of the library under the candidate.
  const fit = fitSymmetric({ library: lib, xs, ys, mode: 'promote', group: row.candidate === 'T' ? T(row.m) : SE(row.m), onNotConverged: 'flag', solver: { maxIterations: 1 } });
  const y = Float64Array.from(ys, (v) => v[0]!);
  const yScale = Math.hypot(...y);
  const problem: NuclearNormProblem = { A: discoverOperator(fit.form), shape: [fit.form.rowCount, fit.form.generatorCount], E: designMatrix(lib, xs), f: y.map((v) => v / yScale) };
  return { problem, yScale, wStar };
}

/** Solves before the timed ones (V8 compiles the hot loops over the first few) and timed solves, of which the median is reported. */
const WARM_UPS = 3;
const TIMED = 5;

function timeSolve(problem: NuclearNormProblem, options: NuclearNormSolveOptions): { ms: number; z: Float64Array; iterations: number; converged: boolean; gap: number } {
  // steady state, as inside a recovery run's bisection: a solve of a few ms is several times slower on its first calls
  // (session 15: T(5) ADMM 10–30 ms after one warm-up, 2–3 ms once the loops are compiled); a long solve warms up within itself
  const t0 = performance.now();
  let r = solveNuclearNorm(problem, options);
  const long = performance.now() - t0 > 500;
  for (let rep = 1; rep < (long ? 1 : WARM_UPS); rep++) r = solveNuclearNorm(problem, options);
  // the median of the timed solves: the machine is shared
  const times: number[] = [];
  for (let rep = 0; rep < (long ? 3 : TIMED); rep++) {
    const t1 = performance.now();
    r = solveNuclearNorm(problem, options);
    times.push(performance.now() - t1);
  }
  times.sort((a, b) => a - b);
  return { ms: times[times.length >> 1]!, z: r.z, iterations: r.iterations, converged: r.converged, gap: r.relativeGap };
}

const here = dirname(fileURLToPath(import.meta.url));
const python = resolve(here, '..', '.venv', 'bin', 'python');
const CVXPY = `
import json, sys, time
import numpy as np, cvxpy as cp
d = json.load(open(sys.argv[1]))
A = np.array(d['A']).reshape(d['Arows'], d['k']); E = np.array(d['E']).reshape(d['e'], d['k']); f = np.array(d['f'])
R, C = d['shape']
def problem():
    # a fresh Problem per solve, as the authors' bisection builds one per n: prob.solve() then includes cvxpy's canonicalization
    z = cp.Variable(d['k'])
    X = cp.reshape(A @ z, (R, C), order='C')
    return z, cp.Problem(cp.Minimize(cp.normNuc(X)), [E @ z == f])
out = {}
for name, kw in [('SCS', dict(solver=cp.SCS, eps=1e-6, max_iters=100000)), ('CLARABEL', dict(solver=cp.CLARABEL, tol_gap_rel=1e-6, tol_feas=1e-6))]:
    try:
        times = []
        for rep in range(4):
            z, prob = problem()
            t = time.perf_counter(); prob.solve(**kw); times.append(1000 * (time.perf_counter() - t))
            if times[0] > 5000: break  # a solve of seconds needs no warm-up, and four would take minutes
        # the first solve warms up (imports, first calls), then the median of the rest
        rest = sorted(times[1:] or times)
        out[name] = {'ms': rest[len(rest) // 2], 'z': list(map(float, z.value)), 'status': prob.status, 'solves': len(times)}
    except Exception as e:
        out[name] = {'error': str(e)}
print(json.dumps(out))
`;

function cvxpy(problem: NuclearNormProblem): Record<string, { ms?: number; z?: number[]; status?: string; error?: string; solves?: number }> | undefined {
  if (!existsSync(python)) return undefined;
  try {
    execFileSync(python, ['-c', 'import cvxpy, clarabel, scs'], { stdio: 'ignore' });
  } catch {
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'liesym-solve-'));
  const file = join(dir, 'problem.json');
  const E = problem.E!;
  writeFileSync(file, JSON.stringify({ A: Array.from(problem.A.data), Arows: problem.A.rows, k: problem.A.cols, E: Array.from(E.data), e: E.rows, f: Array.from(problem.f!), shape: problem.shape }));
  const script = join(dir, 'solve.py');
  writeFileSync(script, CVXPY);
  // one warm-up and the median of 3 (a single solve when the first takes over 5 s)
  return JSON.parse(execFileSync(python, [script, file], { encoding: 'utf8', maxBuffer: 1 << 28 })) as Record<string, { ms?: number; z?: number[]; status?: string; error?: string; solves?: number }>;
}

function main(): void {
  const argv = process.argv.slice(2);
  const pick = argv[0] === '--rows' ? new Set((argv[1] ?? '').split(',')) : undefined;
  const rows = ROWS.filter((r) => !pick || pick.has(r.name));
  const table: string[][] = [];
  for (const row of rows) {
    const { problem, yScale, wStar } = instance(row, 0);
    const err = (z: ArrayLike<number>): string => relativeMaxError(Float64Array.from(z, (v) => v * yScale), wStar).toExponential(1);
    const tight = timeSolve(problem, { method: 'admm', maxIterations: 50000 });
    const loose = timeSolve(problem, { method: 'admm', maxIterations: 50000, tolerance: 1e-6, gapTolerance: 1e-5 });
    const newton = timeSolve(problem, { method: 'newton' });
    const newtonLoose = timeSolve(problem, { method: 'newton', gapTolerance: 1e-5 });
    const label = `${row.candidate}(${row.m}) r=${row.r} d=${row.d} n=${row.n}`;
    table.push([label, 'ADMM, tol 1e-9 / gap 1e-7', tight.ms.toFixed(1), String(tight.iterations), String(tight.converged), err(tight.z), '1']);
    table.push([label, 'ADMM, tol 1e-6 / gap 1e-5', loose.ms.toFixed(1), String(loose.iterations), String(loose.converged), err(loose.z), (tight.ms / loose.ms).toFixed(2)]);
    table.push([label, 'Newton, gap 1e-7', newton.ms.toFixed(1), String(newton.iterations), String(newton.converged), err(newton.z), (tight.ms / newton.ms).toFixed(2)]);
    table.push([label, 'Newton, gap 1e-5', newtonLoose.ms.toFixed(1), String(newtonLoose.iterations), String(newtonLoose.converged), err(newtonLoose.z), (tight.ms / newtonLoose.ms).toFixed(2)]);
    const py = cvxpy(problem);
    for (const [name, res] of Object.entries(py ?? {})) {
      if (res.error !== undefined || res.z === undefined) table.push([label, `cvxpy+${name}`, '—', '—', res.error ?? 'no solution', '—', '—']);
      else table.push([label, `cvxpy+${name} (eps 1e-6${res.solves === 1 ? ', 1 cold solve' : ''})`, res.ms!.toFixed(1), '—', res.status!, err(res.z), (tight.ms / res.ms!).toFixed(2)]);
    }
    process.stderr.write(`${label}: done\n`);
  }
  console.log(textTable(['instance', 'solver', 'ms per solve', 'iterations', 'converged', '‖W − W*‖∞/‖W*‖∞', 'speed-up vs tight ADMM'], table));
  if (!existsSync(python)) console.log('cvxpy: skipped (no apps/bench/.venv; see the README)');
}

main();
