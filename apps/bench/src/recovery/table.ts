/**
 * The table of configurations for `bench:recovery --table FILE`: one configuration per line,
 * `case candidate m r d seeds` (e.g. `ortho T 10 1 2 10`), `#` starts a comment, blank lines
 * are skipped.
 */
import type { RecoveryCandidate, RecoveryCase } from './instance.js';

/** One configuration of the table. */
export interface TableRow {
  case: RecoveryCase;
  candidate: RecoveryCandidate;
  m: number;
  r: number;
  d: number;
  seeds: number;
  /** 1-based line number in the file. */
  line: number;
}

/** Parses a table; a bad line throws an Error naming the file, the line number and the problem. */
export function parseTable(text: string, { source = 'table' }: { source?: string } = {}): TableRow[] {
  const rows: TableRow[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const body = raw.replace(/#.*$/, '').trim();
    if (body === '') return;
    const where = `${source}:${line}: ${JSON.stringify(raw.trim())}`;
    const f = body.split(/\s+/);
    if (f.length !== 6) throw new Error(`${where}: expected 6 fields 'case candidate m r d seeds'; received ${f.length}`);
    const [kase, cand, ...nums] = f as [string, string, ...string[]];
    if (kase !== 'ortho' && kase !== 'quad') throw new Error(`${where}: case must be ortho or quad; received ${JSON.stringify(kase)}`);
    if (cand !== 'T' && cand !== 'SE') throw new Error(`${where}: candidate must be T or SE; received ${JSON.stringify(cand)}`);
    const names = ['m', 'r', 'd', 'seeds'] as const;
    const v = nums.map((s, k) => {
      const x = Number(s);
      if (!/^\d+$/.test(s) || !Number.isInteger(x) || x < 1) throw new Error(`${where}: ${names[k]} must be an integer ≥ 1; received ${JSON.stringify(s)}`);
      return x;
    });
    const [m, r, d, seeds] = v as [number, number, number, number];
    if (r > m) throw new Error(`${where}: r must be ≤ m; received r = ${r}, m = ${m}`);
    rows.push({ case: kase, candidate: cand, m, r, d, seeds, line });
  });
  if (rows.length === 0) throw new Error(`${source}: no configurations (one per line: case candidate m r d seeds)`);
  return rows;
}
