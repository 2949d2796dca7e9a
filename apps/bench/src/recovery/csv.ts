/**
 * The recovery CSV: the authors' columns (nzolman/unified-symmetry-ml data/*.csv: m, r, d, seed,
 * n_recover, n_lib, dt, tot_iters) followed by ours. Rows are appended as seeds finish, so a
 * killed run keeps what it has done.
 */
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';

export const CSV_COLUMNS = [
  'm',
  'r',
  'd',
  'seed',
  'n_recover',
  'n_lib',
  'dt',
  'tot_iters',
  'case',
  'candidate',
  'setup',
  'n_baseline',
  'seconds',
  'cpu_seconds',
  'solves',
  'not_converged',
  'load1',
] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];
export type CsvRecord = Record<CsvColumn, string | number>;

function cell(v: string | number): string {
  const s = String(v);
  if (/[",\n\r]/.test(s)) throw new Error(`recovery csv: a cell may not hold a comma, quote or newline; received ${JSON.stringify(s)}`);
  return s;
}

/** One CSV line (with its newline) in CSV_COLUMNS order. */
export function csvLine(row: CsvRecord): string {
  return CSV_COLUMNS.map((c) => {
    if (row[c] === undefined) throw new Error(`recovery csv: missing column ${c}`);
    return cell(row[c]);
  }).join(',') + '\n';
}

/**
 * Creates `path` with the header line and returns an appender. Refuses an existing file unless
 * `force` (then it is replaced). Each row is one appendFileSync: a line is either there or not.
 */
export function createCsv(path: string, { force = false }: { force?: boolean } = {}): { append(row: CsvRecord): void } {
  if (existsSync(path) && !force) throw new Error(`recovery: ${path} exists; pass --force to replace it`);
  const fd = openSync(path, force ? 'w' : 'wx');
  try {
    writeSync(fd, CSV_COLUMNS.join(',') + '\n');
  } finally {
    closeSync(fd);
  }
  return { append: (row) => appendFileSync(path, csvLine(row)) };
}

/**
 * Appends to a CSV written before by {@link createCsv} (to resume a killed run); its header must be
 * CSV_COLUMNS. Returns the appender and the rows already there.
 */
export function resumeCsv(path: string): { append(row: CsvRecord): void; done: Record<string, string>[] } {
  if (!existsSync(path)) throw new Error(`recovery: --resume needs an existing ${path}`);
  const text = readFileSync(path, 'utf8');
  const header = text.split(/\r?\n/, 1)[0]!;
  if (header !== CSV_COLUMNS.join(',')) throw new Error(`recovery: ${path} does not start with the header ${CSV_COLUMNS.join(',')}; received ${JSON.stringify(header)}`);
  // A run killed while appending can leave half a line: cut it before appending.
  if (!text.endsWith('\n')) writeFileSync(path, text.slice(0, text.lastIndexOf('\n') + 1));
  return { append: (row) => appendFileSync(path, csvLine(row)), done: parseCsv(readFileSync(path, 'utf8'), { source: path }) };
}

/** Parses a CSV with a header line into records keyed by column name (no quoting: numbers and words). */
export function parseCsv(text: string, { source = 'csv' }: { source?: string } = {}): Record<string, string>[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new Error(`${source}: empty file (expected a header line)`);
  const header = lines[0]!.split(',').map((h) => h.trim());
  return lines.slice(1).map((l, i) => {
    const cells = l.split(',');
    if (cells.length !== header.length) throw new Error(`${source}:${i + 2}: expected ${header.length} cells (${header.join(',')}); received ${cells.length}`);
    return Object.fromEntries(header.map((h, k) => [h, cells[k]!.trim()]));
  });
}
