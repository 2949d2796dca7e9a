/**
 * The recovery experiment of Otto, Zolman, Kutz & Brunton (arXiv 2311.00212, promoting
 * symmetry): how many samples does the promoted fit min ‖D(W)‖_* s.t. ΘW = Y need to recover
 * a polynomial that has a hidden symmetry, against minimum-norm least squares?
 *
 * One configuration:
 *   npm run bench:recovery -w apps/bench -- --case ortho --d 2 --r 1 --m 5 --candidate T --seeds 10 [--setup liesym] [--json out.json]
 * A table of configurations (one per line: case candidate m r d seeds), one CSV in the authors' columns:
 *   npm run bench:recovery -w apps/bench -- --table FILE [--reference FILE]… [--out FILE.csv] [--force | --resume]
 *       [--setup liesym|authors|authors-converged|liesym,authors] [--method auto|admm|newton] [--warm on|off] [--summary-md FILE.md] [--plot FILE.svg]
 * The summary of a CSV written before (a partial run too):
 *   npm run bench:recovery -w apps/bench -- --summarize FILE.csv [--reference FILE]… [--summary-md FILE.md] [--plot FILE.svg]
 *
 * "ortho": F(x) = φ(Uᵀx), U an m×r random orthonormal matrix, φ a random polynomial of degree d.
 * "quad":  F(x) = φ(|x − c₁|², …, |x − c_r|²), cₖ uniform in [−1, 1]ᵐ, library degree 2d.
 * The candidate group acts on the input only (output invariant): T(m) or SE(m).
 * Set-ups: see recovery/experiment.ts (SETUPS) and apps/bench/README.md, "Recovery table".
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { renderSvg } from './report/plot.js';
import { textTable } from './report/textTable.js';
import { createCsv, resumeCsv, type CsvRecord } from './recovery/csv.js';
import { runSeed, SETUPS, TOLERANCE, type RecoverySetup, type SeedResult } from './recovery/experiment.js';
import type { RecoveryCandidate, RecoveryCase } from './recovery/instance.js';
import { medianScatterSpec } from './recovery/plot.js';
import { median, parseReferenceCsv, parseRunCsv, summarize, summaryCells, summaryMarkdown, type ReferenceRow, type RunRow, type SummaryRow } from './recovery/summary.js';
import { parseTable, type TableRow } from './recovery/table.js';

interface Flags {
  values: Record<string, string>;
  references: string[];
  force: boolean;
  resume: boolean;
}

const VALUE_FLAGS = ['case', 'd', 'r', 'm', 'candidate', 'seeds', 'json', 'setup', 'method', 'table', 'out', 'summarize', 'summary-md', 'plot', 'warm'];

function parseFlags(argv: string[]): Flags {
  const values: Record<string, string> = {};
  const references: string[] = [];
  let force = false;
  let resume = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`recovery: unexpected argument ${JSON.stringify(a)}`);
    const k = a.slice(2);
    if (k === 'force' || k === 'resume') {
      if (k === 'force') force = true;
      else resume = true;
      continue;
    }
    if (k !== 'reference' && !VALUE_FLAGS.includes(k)) throw new Error(`recovery: unknown option --${k} (known: ${[...VALUE_FLAGS, 'reference', 'force', 'resume'].map((x) => '--' + x).join(' ')})`);
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`recovery: '${a}' needs a value`);
    if (k === 'reference') references.push(v);
    else values[k] = v;
    i++;
  }
  if (force && resume) throw new Error('recovery: give --force (replace the CSV) or --resume (append to it), not both');
  return { values, references, force, resume };
}

function parseSetups(s: string | undefined): RecoverySetup[] {
  const list = (s ?? 'liesym').split(',').map((x) => x.trim());
  for (const x of list) if (!(SETUPS as readonly string[]).includes(x)) throw new Error(`recovery: --setup must be one of ${SETUPS.join(', ')} (or a comma-separated list); received ${JSON.stringify(x)}`);
  return list as RecoverySetup[];
}

/** The single configuration of the classic flags. */
function singleConfig(v: Record<string, string>): TableRow {
  const int = (k: string, def: number): number => {
    const x = v[k] === undefined ? def : Number(v[k]);
    if (!Number.isInteger(x) || x < 1) throw new Error(`recovery: --${k} must be an integer ≥ 1; received ${v[k]}`);
    return x;
  };
  const kase = v['case'] ?? 'ortho';
  if (kase !== 'ortho' && kase !== 'quad') throw new Error(`recovery: --case must be ortho or quad; received ${kase}`);
  const cand = v['candidate'] ?? 'T';
  if (cand !== 'T' && cand !== 'SE') throw new Error(`recovery: --candidate must be T or SE; received ${cand}`);
  const row: TableRow = { case: kase as RecoveryCase, candidate: cand as RecoveryCandidate, d: int('d', 2), r: int('r', 1), m: int('m', 5), seeds: int('seeds', 10), line: 0 };
  if (row.r > row.m) throw new Error(`recovery: --r must be ≤ --m; received r = ${row.r}, m = ${row.m}`);
  return row;
}

/** Writes a whole file atomically (a temporary file renamed over it). */
function writeAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

function loadReferences(files: readonly string[]): ReferenceRow[] {
  return files.flatMap((f) => parseReferenceCsv(readFileSync(resolve(f), 'utf8'), { source: f }));
}

/** --warm on: each bisection solve starts from the fit at the smallest passing n so far (fitSymmetric's `start`); default off. */
function parseWarm(v: string | undefined): boolean {
  if (v === undefined || v === 'off') return false;
  if (v === 'on') return true;
  throw new Error(`recovery: --warm must be on or off; received ${JSON.stringify(v)}`);
}

/** --method: the nuclear-norm solver's method (default: core's 'auto'). */
function parseMethod(v: string | undefined): 'auto' | 'admm' | 'newton' | undefined {
  if (v === undefined) return undefined;
  if (v !== 'auto' && v !== 'admm' && v !== 'newton') throw new Error(`recovery: --method must be auto, admm or newton; received ${JSON.stringify(v)}`);
  return v;
}

function toRunRow(c: TableRow, { setup, res }: { setup: RecoverySetup; res: SeedResult }): RunRow {
  return { case: c.case, candidate: c.candidate, setup, m: c.m, r: c.r, d: c.d, ...res };
}

function csvRecord(c: TableRow, { setup, seed, res }: { setup: RecoverySetup; seed: number; res: SeedResult }): CsvRecord {
  return {
    m: c.m,
    r: c.r,
    d: c.d,
    seed,
    n_recover: res.nRecover,
    n_lib: res.nLib,
    dt: res.dt.toFixed(4),
    tot_iters: res.totIters,
    case: c.case,
    candidate: c.candidate,
    setup,
    n_baseline: res.nBaseline,
    seconds: res.seconds.toFixed(4),
    cpu_seconds: res.cpuSeconds.toFixed(4),
    solves: res.solves,
    not_converged: res.notConverged,
    load1: loadavg()[0]!.toFixed(2),
  };
}

async function report(summary: readonly SummaryRow[], v: Record<string, string>): Promise<void> {
  const [h, ...body] = summaryCells(summary);
  console.log(textTable(h!, body));
  const flagged = summary.filter((s) => s.reference?.flagged);
  if (flagged.length) console.log(`${flagged.length} of ${summary.filter((s) => s.reference).length} compared rows differ from the published median by more than 15 %`);
  if (v['summary-md']) {
    writeAtomic(resolve(v['summary-md']), summaryMarkdown(summary) + '\n');
    console.log(`wrote ${resolve(v['summary-md'])}`);
  }
  if (v['plot']) {
    if (!summary.some((s) => s.reference)) throw new Error('recovery: --plot needs --reference rows matching the run');
    writeAtomic(resolve(v['plot']), await renderSvg(medianScatterSpec(summary, { title: 'Recovery: our median n against the published one' })));
    console.log(`wrote ${resolve(v['plot'])}`);
  }
}

async function runTable(flags: Flags): Promise<void> {
  const v = flags.values;
  const tableFile = resolve(v['table']!);
  const configs = parseTable(readFileSync(tableFile, 'utf8'), { source: v['table']! });
  const setups = parseSetups(v['setup']);
  const reference = loadReferences(flags.references);
  const out = resolve(v['out'] ?? `results/recovery-${basename(tableFile).replace(/\.[^.]*$/, '')}.csv`);
  mkdirSync(dirname(out), { recursive: true });
  const resumed = flags.resume ? resumeCsv(out) : undefined;
  const csv = resumed ?? createCsv(out, { force: flags.force });
  const doneKey = (c: { case: string; candidate: string; m: number | string; r: number | string; d: number | string }, setup: string, seed: number | string) => `${c.case} ${c.candidate} ${c.m} ${c.r} ${c.d} ${setup} ${seed}`;
  const done = new Set((resumed?.done ?? []).map((x) => doneKey({ case: x['case']!, candidate: x['candidate']!, m: x['m']!, r: x['r']!, d: x['d']! }, x['setup']!, x['seed']!)));
  const total = configs.reduce((s, c) => s + c.seeds, 0) * setups.length;
  console.log(
    `recovery table: ${configs.length} configurations × ${setups.join(', ')}, ${total} seeds${resumed ? ` (${done.size} rows already in the CSV are skipped)` : ''} → ${out} (load ${loadavg().map((x) => x.toFixed(2)).join(' ')})`,
  );
  const rows: RunRow[] = resumed ? parseRunCsv(readFileSync(out, 'utf8'), { source: out }) : [];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let finished = 0;
  for (const c of configs) {
    for (const setup of setups) {
      for (let seed = 0; seed < c.seeds; seed++) {
        if (done.has(doneKey(c, setup, seed))) {
          done.delete(doneKey(c, setup, seed));
          finished++;
          continue;
        }
        const res = runSeed({ case: c.case, candidate: c.candidate, m: c.m, r: c.r, d: c.d, seed }, setup, { method: parseMethod(v['method']), warm: parseWarm(v['warm']) });
        csv.append(csvRecord(c, { setup, seed, res }));
        rows.push(toRunRow(c, { setup, res }));
        finished++;
        process.stderr.write(
          `[${finished}/${total}] ${c.case} ${c.candidate}(${c.m}) r=${c.r} d=${c.d} n_lib=${res.nLib} ${setup} seed ${seed}: n ${res.nRecover} (LS ${res.nBaseline}), ` +
            `${res.seconds.toFixed(2)} s wall, ${res.cpuSeconds.toFixed(2)} s CPU, ${res.solves} solves (${res.notConverged} not converged), load ${loadavg()[0]!.toFixed(2)}\n`,
        );
      }
    }
  }
  const wall = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await report(summarize(rows, reference), v);
  console.log(`total ${wall.toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU, ${total} seeds; load ${loadavg().map((x) => x.toFixed(2)).join(' ')}; wrote ${out}`);
}

async function runSummarize(flags: Flags): Promise<void> {
  const file = resolve(flags.values['summarize']!);
  const rows = parseRunCsv(readFileSync(file, 'utf8'), { source: flags.values['summarize']! });
  console.log(`recovery summary of ${file}: ${rows.length} seeds`);
  await report(summarize(rows, loadReferences(flags.references)), flags.values);
}

function runSingle(flags: Flags): void {
  const c = singleConfig(flags.values);
  const [setup] = parseSetups(flags.values['setup']);
  if (flags.values['setup']?.includes(',')) throw new Error('recovery: give one --setup without --table');
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const perSeed: (SeedResult & { seed: number })[] = [];
  for (let seed = 0; seed < c.seeds; seed++) {
    const res = runSeed({ case: c.case, candidate: c.candidate, m: c.m, r: c.r, d: c.d, seed }, setup!, { method: parseMethod(flags.values['method']), warm: parseWarm(flags.values['warm']) });
    perSeed.push({ seed, ...res });
    process.stderr.write(`seed ${seed}: promoted ${res.nRecover}, least squares ${res.nBaseline}, ${res.seconds.toFixed(1)} s\n`);
  }
  const cpu = process.cpuUsage(cpu0);
  const samples = perSeed.map((s) => s.nRecover);
  const base = perSeed.map((s) => s.nBaseline);
  const nLib = perSeed[0]!.nLib;
  const res = {
    case: c.case,
    d: c.d,
    r: c.r,
    m: c.m,
    candidate: c.candidate,
    setup,
    nLib,
    medianSamples: median(samples),
    samplesPerSeed: samples,
    minSamples: Math.min(...samples),
    maxSamples: Math.max(...samples),
    baselineMedianSamples: median(base),
    baselineSamplesPerSeed: base,
    ratioToBaseline: median(samples) / median(base),
    tolerance: TOLERANCE,
    seeds: c.seeds,
    totalSeconds: (performance.now() - t0) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    secondsPerSeed: perSeed.map((s) => s.seconds),
    solves: perSeed.reduce((a, s) => a + s.solves, 0),
    notConvergedSolves: perSeed.reduce((a, s) => a + s.notConverged, 0),
    admmIterations: perSeed.reduce((a, s) => a + s.totIters, 0),
  };
  console.log(`recovery: case ${c.case}, d = ${c.d}, r = ${c.r}, m = ${c.m}, candidate ${c.candidate}(${c.m}), set-up ${setup}, n_lib = ${nLib}, ${c.seeds} seeds`);
  const row = (name: string, xs: number[]) => [name, String(median(xs)), String(Math.min(...xs)), String(Math.max(...xs)), (median(xs) / nLib).toFixed(2)];
  console.log(textTable(['method', 'median n', 'min', 'max', 'n / n_lib'], [row(`promoted (${c.candidate})`, samples), row('min-norm least squares', base)]));
  console.log(
    `per seed: ${samples.join(' ')}; ratio to baseline ${res.ratioToBaseline.toFixed(3)}; ${res.totalSeconds.toFixed(1)} s wall (${res.cpuSeconds.toFixed(1)} s CPU), ${res.solves} convex solves (${res.notConvergedSolves} not converged); load ${loadavg()[0]!.toFixed(2)}`,
  );
  const suffix = setup === 'liesym' ? '' : `-${setup}`;
  const file = resolve(flags.values['json'] ?? `results/recovery-${c.case}-d${c.d}-r${c.r}-m${c.m}-${c.candidate}${suffix}.json`);
  writeAtomic(file, JSON.stringify(res, null, 2) + '\n');
  console.log(`wrote ${file}`);
}

async function main(): Promise<void> {
  const flags = parseFlags(process.argv.slice(2));
  const v = flags.values;
  const tableOnly = ['out', 'summary-md', 'plot'].filter((k) => v[k] !== undefined);
  if (v['table'] !== undefined && v['summarize'] !== undefined) throw new Error('recovery: give --table or --summarize, not both');
  if (v['table'] !== undefined || v['summarize'] !== undefined) {
    const single = ['case', 'd', 'r', 'm', 'candidate', 'seeds', 'json'].filter((k) => v[k] !== undefined);
    if (single.length) throw new Error(`recovery: ${single.map((k) => '--' + k).join(' ')} describe one configuration; with --table put it in the table`);
    if (v['summarize'] !== undefined && (v['out'] !== undefined || v['setup'] !== undefined || flags.force || flags.resume)) throw new Error('recovery: --summarize reads a CSV; --out, --setup, --force and --resume belong to --table');
    await (v['table'] !== undefined ? runTable(flags) : runSummarize(flags));
    return;
  }
  if (tableOnly.length || flags.references.length || flags.force || flags.resume) {
    throw new Error(`recovery: ${[...tableOnly.map((k) => '--' + k), ...(flags.references.length ? ['--reference'] : []), ...(flags.force ? ['--force'] : []), ...(flags.resume ? ['--resume'] : [])].join(' ')} need --table or --summarize`);
  }
  runSingle(flags);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
