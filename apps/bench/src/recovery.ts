/**
 * The recovery experiment of Otto, Zolman, Kutz & Brunton (arXiv 2311.00212, promoting
 * symmetry): how many samples does the promoted fit min ‖D(W)‖_* s.t. ΘW = Y need to recover
 * a polynomial that has a hidden symmetry, against minimum-norm least squares?
 *
 *   npm run bench:recovery -w apps/bench -- --case ortho --d 2 --r 1 --m 5 --candidate T --seeds 10 --json out.json
 *
 * "ortho": F(x) = φ(Uᵀx), U an m×r random orthonormal matrix, φ a random polynomial of degree d.
 * "quad":  F(x) = φ(|x − c₁|², …, |x − c_r|²), cₖ uniform in [−1, 1]ᵐ, library degree 2d.
 * The candidate group acts on the input only (output invariant): T(m) or SE(m).
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { designMatrix, fitSymmetric, leastSquares } from '@liesym/core';
import { relativeMaxError } from '@liesym/test-utils';
import { textTable } from './report/textTable.js';
import { makeInstance, type RecoveryCandidate, type RecoveryCase } from './recovery/instance.js';

interface Args {
  case: RecoveryCase;
  d: number;
  r: number;
  m: number;
  candidate: RecoveryCandidate;
  seeds: number;
  json?: string;
}

function parseArgs(argv: string[]): Args {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`recovery: unexpected argument ${JSON.stringify(a)}`);
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`recovery: '${a}' needs a value`);
    out[a.slice(2)] = v;
    i++;
  }
  const known = ['case', 'd', 'r', 'm', 'candidate', 'seeds', 'json'];
  for (const k of Object.keys(out)) if (!known.includes(k)) throw new Error(`recovery: unknown option --${k} (known: ${known.map((x) => '--' + x).join(' ')})`);
  const int = (k: string, def: number): number => {
    const v = out[k] === undefined ? def : Number(out[k]);
    if (!Number.isInteger(v) || v < 1) throw new Error(`recovery: --${k} must be an integer ≥ 1; received ${out[k]}`);
    return v;
  };
  const kase = out.case ?? 'ortho';
  if (kase !== 'ortho' && kase !== 'quad') throw new Error(`recovery: --case must be ortho or quad; received ${kase}`);
  const cand = out.candidate ?? 'T';
  if (cand !== 'T' && cand !== 'SE') throw new Error(`recovery: --candidate must be T or SE; received ${cand}`);
  const args: Args = { case: kase, d: int('d', 2), r: int('r', 1), m: int('m', 5), candidate: cand, seeds: int('seeds', 10) };
  if (out.json !== undefined) args.json = out.json;
  if (args.r > args.m) throw new Error(`recovery: --r must be ≤ --m; received r = ${args.r}, m = ${args.m}`);
  return args;
}

/** The smallest n in [1, hi] with ok(n), assuming ok is monotone and ok(hi) holds. */
function bisect(hi: number, ok: (n: number) => boolean): number {
  let lo = 0; // ok(lo) is false (no samples)
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (ok(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

export const TOLERANCE = 5e-3;

export function runRecovery(args: Args): Record<string, unknown> {
  const perSeed: { seed: number; promoted: number; baseline: number; seconds: number; solves: number; notConverged: number; iterations: number }[] = [];
  let libSize = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let seed = 0; seed < args.seeds; seed++) {
    const ts = performance.now();
    const { library: lib, group, xs, ys, wStar, nLib } = makeInstance({ case: args.case, candidate: args.candidate, m: args.m, r: args.r, d: args.d, seed });
    libSize = nLib;
    let solves = 0;
    let notConverged = 0;
    let iterations = 0;
    const promoted = bisect(nLib, (n) => {
      const r = fitSymmetric({
        library: lib,
        xs: xs.slice(0, n),
        ys: ys.slice(0, n),
        mode: 'promote',
        group,
        onNotConverged: 'flag',
        solver: { maxIterations: 50000 },
      });
      solves++;
      iterations += r.solver!.iterations;
      if (!r.converged) notConverged++;
      return relativeMaxError(r.W.data, wStar) < TOLERANCE;
    });
    const baseline = bisect(nLib, (n) => relativeMaxError(leastSquares(designMatrix(lib, xs.slice(0, n)), ys.slice(0, n).map((y) => y[0]!)).x, wStar) < TOLERANCE);
    const seconds = (performance.now() - ts) / 1000;
    perSeed.push({ seed, promoted, baseline, seconds, solves, notConverged, iterations });
    process.stderr.write(`seed ${seed}: promoted ${promoted}, least squares ${baseline}, ${seconds.toFixed(1)} s\n`);
  }
  const totalSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const samples = perSeed.map((s) => s.promoted);
  const base = perSeed.map((s) => s.baseline);
  const result = {
    case: args.case,
    d: args.d,
    r: args.r,
    m: args.m,
    candidate: args.candidate,
    nLib: libSize,
    medianSamples: median(samples),
    samplesPerSeed: samples,
    minSamples: Math.min(...samples),
    maxSamples: Math.max(...samples),
    baselineMedianSamples: median(base),
    baselineSamplesPerSeed: base,
    ratioToBaseline: median(samples) / median(base),
    tolerance: TOLERANCE,
    seeds: args.seeds,
    totalSeconds,
    cpuSeconds,
    secondsPerSeed: perSeed.map((s) => s.seconds),
    solves: perSeed.reduce((a, s) => a + s.solves, 0),
    notConvergedSolves: perSeed.reduce((a, s) => a + s.notConverged, 0),
    admmIterations: perSeed.reduce((a, s) => a + s.iterations, 0),
  };
  return result;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const res = runRecovery(args);
  const samples = res.samplesPerSeed as number[];
  console.log(`recovery: case ${args.case}, d = ${args.d}, r = ${args.r}, m = ${args.m}, candidate ${args.candidate}(${args.m}), n_lib = ${res.nLib}, ${args.seeds} seeds`);
  console.log(
    textTable(
      ['method', 'median n', 'min', 'max', 'n / n_lib'],
      [
        [`promoted (${args.candidate})`, String(res.medianSamples), String(res.minSamples), String(res.maxSamples), ((res.medianSamples as number) / (res.nLib as number)).toFixed(2)],
        [
          'min-norm least squares',
          String(res.baselineMedianSamples),
          String(Math.min(...(res.baselineSamplesPerSeed as number[]))),
          String(Math.max(...(res.baselineSamplesPerSeed as number[]))),
          ((res.baselineMedianSamples as number) / (res.nLib as number)).toFixed(2),
        ],
      ],
    ),
  );
  console.log(`per seed: ${samples.join(' ')}; ratio to baseline ${(res.ratioToBaseline as number).toFixed(3)}; ${(res.totalSeconds as number).toFixed(1)} s wall (${(res.cpuSeconds as number).toFixed(1)} s CPU), ${res.solves} convex solves (${res.notConvergedSolves} not converged)`);
  const file = resolve(args.json ?? `results/recovery-${args.case}-d${args.d}-r${args.r}-m${args.m}-${args.candidate}.json`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(res, null, 2) + '\n');
  console.log(`wrote ${file}`);
}

main();
