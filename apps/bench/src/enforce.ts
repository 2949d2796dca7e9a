/**
 * Enforce benchmark: structured equivariant-basis solvers against the dense reference, run in the
 * same benchmark run (each measurement in a fresh child process; the dense baseline is killed after
 * 60 s — the ratio is then a lower bound — or skipped when its O(n³) prediction exceeds 600 s),
 * plus basis-cache timings.
 * Prints a table and writes results/enforce.json.   npm run bench:enforce -w apps/bench
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BasisCache, SO, V } from '@liesym/core';
import { fileBasisStore } from '@liesym/core/node';
import { PROBLEMS } from './enforce/problems.js';

const here = dirname(fileURLToPath(import.meta.url));
// --quick (used by `npm run bench -- --quick`) gives the dense baseline 10 s instead of 60 s.
const DENSE_LIMIT_MS = process.argv.includes('--quick') ? 10_000 : 60_000;

interface Measurement {
  unknowns: number;
  rank: number;
  method: string;
  ms: number;
  makeMs: number;
  peakMB: number;
}

function run(id: string, solver: 'structured' | 'dense', timeoutMs: number): Promise<Measurement | 'timeout'> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--max-old-space-size=4096', join(here, 'enforce', 'row.js'), id, solver],
      { timeout: timeoutMs, maxBuffer: 1 << 20 },
      (err, stdout) => {
        if (err && (err as { killed?: boolean }).killed) resolve('timeout');
        else if (err) reject(err);
        else resolve(JSON.parse(stdout.trim().split('\n').pop()!) as Measurement);
      },
    );
  });
}

interface Row {
  problem: string;
  unknowns: number;
  rank: number;
  method: string;
  ms: number;
  /** Building the group and the representation (not in `ms`), in the same child process. */
  makeMs: number;
  peakMB: number;
  denseMs: number | null;
  denseRank: number | null;
  denseNote: string;
  ratio: number | null;
}

const rows: Row[] = [];
let lastDense: { n: number; ms: number } | undefined;
for (const p of PROBLEMS) {
  const s = await run(p.id, 'structured', 10 * 60_000);
  if (s === 'timeout') throw new Error(`${p.label}: the structured solver exceeded 10 minutes`);
  let denseMs: number | null = null;
  let denseRank: number | null = null;
  let note: string;
  const predicted = lastDense ? lastDense.ms * (s.unknowns / lastDense.n) ** 3 : 0;
  // Try (and kill at 60 s) up to a 10× overshoot of the prediction, which is rough under shared load.
  if (predicted > 10 * DENSE_LIMIT_MS) {
    note = `skipped: predicted ${(predicted / 1000).toFixed(0)} s > 600 s (O(n³) from ${lastDense!.n} unknowns)`;
  } else {
    const d = await run(p.id, 'dense', DENSE_LIMIT_MS);
    if (d === 'timeout') note = 'killed at 60 s';
    else {
      denseMs = d.ms;
      denseRank = d.rank;
      note = d.rank === s.rank ? `${d.method}, same rank` : `${d.method}, RANK DIFFERS (${d.rank})`;
      if (!lastDense || s.unknowns >= lastDense.n) lastDense = { n: s.unknowns, ms: d.ms };
    }
  }
  const ratio = denseMs !== null ? denseMs / s.ms : note === 'killed at 60 s' ? DENSE_LIMIT_MS / s.ms : null;
  rows.push({ problem: p.label, unknowns: s.unknowns, rank: s.rank, method: s.method, ms: s.ms, makeMs: s.makeMs, peakMB: s.peakMB, denseMs, denseRank, denseNote: note, ratio });
  console.error(`${p.label}: ${s.method} ${s.ms.toFixed(1)} ms (+ ${s.makeMs.toFixed(1)} ms to build the representation; ${note})`);
}

// Cache timings: SO(3) on V^⊗8 and V^⊗9 — memory hit, then a fresh cache reading from disk.
const cacheDir = mkdtempSync(join(tmpdir(), 'liesym-bench-cache-'));
const cacheRows: Array<{ problem: string; computeMs: number; memoryHitMs: number; diskHitMs: number; entryMB: number }> = [];
try {
  for (const k of [8, 9]) {
    const rep = V(SO(3)).pow(k);
    const cache = new BasisCache({ store: fileBasisStore({ dir: cacheDir }) });
    let t = performance.now();
    const first = await cache.invariantBasis(rep);
    const computeMs = performance.now() - t;
    t = performance.now();
    const mem = await cache.invariantBasis(rep);
    const memoryHitMs = performance.now() - t;
    const fresh = new BasisCache({ store: fileBasisStore({ dir: cacheDir }) });
    t = performance.now();
    const disk = await fresh.invariantBasis(V(SO(3)).pow(k));
    const diskHitMs = performance.now() - t;
    if (mem.cache.source !== 'memory' || disk.cache.source !== 'store' || disk.rank !== first.rank) {
      throw new Error(`cache benchmark: unexpected sources ${mem.cache.source}, ${disk.cache.source}`);
    }
    cacheRows.push({ problem: `SO(3) on V^⊗${k}`, computeMs, memoryHitMs, diskHitMs, entryMB: (first.basis.data.length * 8) / 2 ** 20 });
  }
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}

const fmt = (ms: number | null): string => (ms === null ? '—' : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);
const lines = [
  '| problem | unknowns | rank | method | time | peak RSS | dense time | dense / structured | dense note |',
  '|---|---:|---:|---|---:|---:|---:|---:|---|',
  ...rows.map(
    (r) =>
      `| ${r.problem} | ${r.unknowns} | ${r.rank} | ${r.method} | ${fmt(r.ms)} | ${r.peakMB.toFixed(0)} MB | ${fmt(r.denseMs)} | ${
        r.ratio === null ? '—' : `${r.denseMs === null ? '> ' : ''}${r.ratio.toFixed(0)}×`
      } | ${r.denseNote} |`,
  ),
  '',
  '| cache | compute | memory hit | disk hit | entry |',
  '|---|---:|---:|---:|---:|',
  ...cacheRows.map((c) => `| ${c.problem} | ${fmt(c.computeMs)} | ${c.memoryHitMs.toFixed(2)} ms | ${c.diskHitMs.toFixed(1)} ms | ${c.entryMB.toFixed(1)} MB |`),
];
console.log(lines.join('\n'));
const resultsDir = join(here, '..', 'results');
mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, 'enforce.json'),
  JSON.stringify(
    { date: new Date().toISOString(), node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', denseLimitMs: DENSE_LIMIT_MS, rows, cache: cacheRows },
    null,
    2,
  ) + '\n',
);
