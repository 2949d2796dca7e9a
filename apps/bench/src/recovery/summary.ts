/**
 * The summary of a recovery run: per configuration and set-up, our median n and seconds per seed,
 * against the published medians (the authors' n_recover and dt) when a reference is given, their
 * ratio, and a flag where the medians differ by more than 15 %.
 */
import { basename } from 'node:path';
import { parseCsv } from './csv.js';

/** Medians further apart than this (relative to the reference) are flagged. */
const FLAG_RATIO = 0.15;

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/** What names one configuration of the table: case, candidate, m, r, d. */
interface ConfigKey {
  case: string;
  candidate: string;
  m: number;
  r: number;
  d: number;
}

/** The columns the summary reads, from our CSV (or rows in memory). */
export interface RunRow extends ConfigKey {
  setup: string;
  nRecover: number;
  nLib: number;
  seconds: number;
  cpuSeconds: number;
  nBaseline: number;
  solves: number;
  notConverged: number;
}

/** A published row: the authors' columns, with the case and candidate of its file. */
export interface ReferenceRow extends ConfigKey {
  nRecover: number;
  dt: number;
}

export interface SummaryRow extends ConfigKey {
  setup: string;
  nLib: number;
  seeds: number;
  medianN: number;
  medianBaseline: number;
  medianSeconds: number;
  medianCpuSeconds: number;
  notConverged: number;
  solves: number;
  reference?: { seeds: number; medianN: number; medianDt: number; ratio: number; flagged: boolean; speedup: number };
}

const key = (r: ConfigKey): string => `${r.case} ${r.candidate} ${r.m} ${r.r} ${r.d}`;

function num(rec: Record<string, string>, col: string, where: string): number {
  const v = Number(rec[col]);
  if (rec[col] === undefined || rec[col] === '' || !Number.isFinite(v)) throw new Error(`${where}: column ${col} must be a number; received ${JSON.stringify(rec[col])}`);
  return v;
}

/** Our rows from a CSV written by bench:recovery. */
export function parseRunCsv(text: string, { source = 'csv' }: { source?: string } = {}): RunRow[] {
  return parseCsv(text, { source }).map((rec, i) => {
    const where = `${source}:${i + 2}`;
    return {
      case: rec['case'] ?? '',
      candidate: rec['candidate'] ?? '',
      setup: rec['setup'] ?? '',
      m: num(rec, 'm', where),
      r: num(rec, 'r', where),
      d: num(rec, 'd', where),
      nRecover: num(rec, 'n_recover', where),
      nLib: num(rec, 'n_lib', where),
      seconds: num(rec, 'seconds', where),
      cpuSeconds: num(rec, 'cpu_seconds', where),
      nBaseline: num(rec, 'n_baseline', where),
      solves: num(rec, 'solves', where),
      notConverged: num(rec, 'not_converged', where),
    };
  });
}

/**
 * Published rows from one CSV: its case and candidate from columns `case` and `candidate`, or
 * from a file name like the authors' (`ortho_t_n.csv` → ortho T, `quad_se_n.csv` → quad SE).
 */
export function parseReferenceCsv(text: string, { source }: { source: string }): ReferenceRow[] {
  const recs = parseCsv(text, { source });
  const named = /^(ortho|quad)_(t|se)_n\b/i.exec(basename(source));
  return recs.map((rec, i) => {
    const where = `${source}:${i + 2}`;
    const kase = rec['case'] ?? named?.[1]?.toLowerCase();
    const cand = rec['candidate'] ?? named?.[2]?.toUpperCase();
    if (kase === undefined || cand === undefined) {
      throw new Error(`${where}: cannot tell the case and candidate: give columns case,candidate or name the file like ortho_t_n.csv`);
    }
    return { case: kase, candidate: cand, m: num(rec, 'm', where), r: num(rec, 'r', where), d: num(rec, 'd', where), nRecover: num(rec, 'n_recover', where), dt: num(rec, 'dt', where) };
  });
}

/** One summary row per (configuration, set-up), in order of first appearance. */
export function summarize(rows: readonly RunRow[], reference: readonly ReferenceRow[] = []): SummaryRow[] {
  const groups = new Map<string, RunRow[]>();
  for (const row of rows) {
    const k = `${key(row)} ${row.setup}`;
    const g = groups.get(k);
    if (g) g.push(row);
    else groups.set(k, [row]);
  }
  const refs = new Map<string, ReferenceRow[]>();
  for (const ref of reference) {
    const g = refs.get(key(ref));
    if (g) g.push(ref);
    else refs.set(key(ref), [ref]);
  }
  return [...groups.values()].map((g) => {
    const f = g[0]!;
    const out: SummaryRow = {
      case: f.case,
      candidate: f.candidate,
      setup: f.setup,
      m: f.m,
      r: f.r,
      d: f.d,
      nLib: f.nLib,
      seeds: g.length,
      medianN: median(g.map((x) => x.nRecover)),
      medianBaseline: median(g.map((x) => x.nBaseline)),
      medianSeconds: median(g.map((x) => x.seconds)),
      medianCpuSeconds: median(g.map((x) => x.cpuSeconds)),
      notConverged: g.reduce((s, x) => s + x.notConverged, 0),
      solves: g.reduce((s, x) => s + x.solves, 0),
    };
    const ref = refs.get(key(f));
    if (ref) {
      const medianN = median(ref.map((x) => x.nRecover));
      const medianDt = median(ref.map((x) => x.dt));
      const ratio = out.medianN / medianN;
      out.reference = { seeds: ref.length, medianN, medianDt, ratio, flagged: Math.abs(ratio - 1) > FLAG_RATIO, speedup: medianDt / out.medianSeconds };
    }
    return out;
  });
}

const SUMMARY_HEADERS = ['case', 'cand', 'm', 'r', 'd', 'n_lib', 'setup', 'seeds', 'median n', 'LS n', 's/seed', 'CPU s/seed', 'not conv.', 'published n', 'published dt', 'n ratio', 'dt / s', 'flag'];

function fmt(x: number, digits: number): string {
  if (!Number.isFinite(x)) return '—';
  return Number.isInteger(x) ? String(x) : x.toFixed(digits);
}

/** The summary as table cells (headers first), for the console or for Markdown. */
export function summaryCells(rows: readonly SummaryRow[]): string[][] {
  return [
    SUMMARY_HEADERS,
    ...rows.map((s) => [
      s.case,
      s.candidate,
      String(s.m),
      String(s.r),
      String(s.d),
      String(s.nLib),
      s.setup,
      String(s.seeds),
      fmt(s.medianN, 1),
      fmt(s.medianBaseline, 1),
      s.medianSeconds.toFixed(s.medianSeconds < 10 ? 2 : 1),
      s.medianCpuSeconds.toFixed(s.medianCpuSeconds < 10 ? 2 : 1),
      `${s.notConverged}/${s.solves}`,
      s.reference ? fmt(s.reference.medianN, 1) : '',
      s.reference ? s.reference.medianDt.toFixed(s.reference.medianDt < 10 ? 2 : 1) : '',
      s.reference ? s.reference.ratio.toFixed(2) : '',
      s.reference ? s.reference.speedup.toFixed(1) : '',
      s.reference?.flagged ? `>${Math.round(FLAG_RATIO * 100)}%` : '',
    ]),
  ];
}

/** The summary as a Markdown table. */
export function summaryMarkdown(rows: readonly SummaryRow[]): string {
  const [h, ...body] = summaryCells(rows);
  const line = (c: string[]) => `| ${c.join(' | ')} |`;
  return [line(h!), line(h!.map(() => '---')), ...body.map(line)].join('\n');
}
