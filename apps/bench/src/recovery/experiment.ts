/**
 * One seed of the recovery experiment in a named set-up: the smallest number of samples n with
 * which the promoted fit min ‖D(W)‖_* s.t. ΘW = Y recovers W* (‖W − W*‖∞ / ‖W*‖∞ < 5e-3), found
 * by bisection, and the same for minimum-norm least squares (the baseline).
 */
import { designMatrix, fitSymmetric, leastSquares, type FunctionLibrary, type Matrix, type NuclearNormSolveOptions } from '@liesym/core';
import { relativeMaxError } from '@liesym/test-utils';
import { makeAuthorsInstance, makeInstance, type InstanceSpec, type RecoveryInstance } from './instance.js';

/** The recovery criterion of the paper (and of the authors' code, THRESH): relative ℓ∞ error. */
export const TOLERANCE = 5e-3;

/**
 * - `liesym`: liesym's instance (normal coefficients), the exact Lie derivative (coefficients of
 *   L_ξF in the monomial basis), a converged solve, bisection over [1, n_lib].
 * - `authors`: the authors' instance (uniform [0, 1) coefficients), the Lie derivative sampled at
 *   their points, bisection as their BinaryRecovery (low 1, high n_lib + 1, at most 15 steps), and
 *   the solver stopped as their SCS run was: 2,500 iterations, tolerance 1e-4 (SCS's default eps),
 *   the last iterate used whether converged or not.
 * - `authors-converged`: the authors' experiment with liesym's converged solve, to tell the
 *   solver's share from the experiment's.
 * - `authors-exact-lie`: the authors' instance and search with liesym's exact Lie derivative and
 *   converged solve, to tell the share of the sampled Lie derivative from that of the coefficients.
 */
export const SETUPS = ['liesym', 'authors', 'authors-converged', 'authors-exact-lie'] as const;
export type RecoverySetup = (typeof SETUPS)[number];

/** The result of one seed: the authors' columns and ours. */
export interface SeedResult {
  nRecover: number;
  nLib: number;
  /** Seconds spent in the promoted solves (the authors' dt: the sum of their solve times). */
  dt: number;
  /** ADMM iterations summed over the solves (the authors' tot_iters: SCS iterations). */
  totIters: number;
  /** The same search for minimum-norm least squares. */
  nBaseline: number;
  /** Wall seconds of the whole seed (instance, solves, baseline). */
  seconds: number;
  /** CPU seconds of the whole seed (process.cpuUsage, user + system). */
  cpuSeconds: number;
  solves: number;
  notConverged: number;
}

/** The smallest n in [1, hi] with ok(n), assuming ok is monotone and ok(hi) holds (ok(hi) is not tested). */
function bisectLiesym(hi: number, ok: (n: number) => boolean): number {
  let lo = 0; // ok(lo) is false (no samples)
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/**
 * The authors' BinaryRecovery: low 1 and high n_lib + 1 assumed (neither tested), midpoints
 * ⌊(low + high)/2⌋, at most `maxSearch` = 15 solves; the smallest passing n.
 */
function bisectAuthors(nLib: number, ok: (n: number) => boolean): number {
  let lo = 1;
  let hi = nLib + 1;
  for (let step = 0; step < 15; step++) {
    const mid = (lo + hi) >> 1;
    if (hi - lo <= 1 || mid === hi || mid === lo) break;
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The library without its closed-form action, so fitSymmetric samples the Lie derivative. */
function sampledLibrary(lib: FunctionLibrary): FunctionLibrary {
  return { m: lib.m, size: lib.size, names: lib.names, evaluate: (x) => lib.evaluate(x), jacobian: (x) => lib.jacobian(x) };
}

interface SetupPlan {
  instance: RecoveryInstance;
  fitLibrary: FunctionLibrary;
  lieSamples?: number[][];
  solver: NuclearNormSolveOptions;
  bisect: (nLib: number, ok: (n: number) => boolean) => number;
}

function plan(spec: InstanceSpec, setup: RecoverySetup): SetupPlan {
  if (setup === 'liesym') {
    const instance = makeInstance(spec);
    return { instance, fitLibrary: instance.library, solver: { maxIterations: 50000 }, bisect: bisectLiesym };
  }
  const instance = makeAuthorsInstance(spec);
  if (setup === 'authors-exact-lie') return { instance, fitLibrary: instance.library, solver: { maxIterations: 50000 }, bisect: bisectAuthors };
  return {
    instance,
    fitLibrary: sampledLibrary(instance.library),
    lieSamples: instance.lieSamples,
    // `authors` stands for their SCS run: a first-order method stopped at their budget, so ADMM
    // (not core's 'auto', which picks Newton for small programs) unless a run names --method.
    solver: setup === 'authors' ? { maxIterations: 2500, tolerance: 1e-4, gapTolerance: 1e-4, method: 'admm' } : { maxIterations: 50000 },
    bisect: bisectAuthors,
  };
}

/**
 * Runs one seed of `spec` in `setup` (with `method`, the nuclear-norm solver's method; with `warm`,
 * each solve starts from the fit at the smallest passing n so far, which is feasible for every smaller n).
 */
export function runSeed(spec: InstanceSpec, setup: RecoverySetup, { method, warm = false }: { method?: NuclearNormSolveOptions['method']; warm?: boolean } = {}): SeedResult {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const planned = plan(spec, setup);
  const { instance, fitLibrary, lieSamples, bisect } = planned;
  // The solver's method: the set-up's (core's default 'auto', ADMM for `authors`) unless the run names one.
  const solver = method ? { ...planned.solver, method } : planned.solver;
  const { library, group, xs, ys, wStar, nLib } = instance;
  let solves = 0;
  let notConverged = 0;
  let totIters = 0;
  let dtMs = 0;
  // The fit at the smallest passing n so far: feasible for every smaller n, the bisection's next ones.
  let best: Matrix | undefined;
  const nRecover = bisect(nLib, (n) => {
    const ts = performance.now();
    const r = fitSymmetric({
      ...(warm && best ? { start: best } : {}),
      library: fitLibrary,
      xs: xs.slice(0, n),
      ys: ys.slice(0, n),
      mode: 'promote',
      group,
      onNotConverged: 'flag',
      solver,
      ...(lieSamples ? { lieSamples } : {}),
    });
    dtMs += performance.now() - ts;
    solves++;
    totIters += r.solver!.iterations;
    if (!r.converged) notConverged++;
    const ok = relativeMaxError(r.W.data, wStar) < TOLERANCE;
    if (ok) best = r.W;
    return ok;
  });
  const nBaseline = bisect(nLib, (n) => relativeMaxError(leastSquares(designMatrix(library, xs.slice(0, n)), ys.slice(0, n).map((y) => y[0]!)).x, wStar) < TOLERANCE);
  const cpu = process.cpuUsage(cpu0);
  return {
    nRecover,
    nLib,
    dt: dtMs / 1000,
    totIters,
    nBaseline,
    seconds: (performance.now() - t0) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    solves,
    notConverged,
  };
}
