/**
 * The recovery table's pieces: the table parser, the CSV writer and its refusal, the summary
 * (medians, ratios, the 15 % flag), and the two set-ups' instances.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS, createCsv, csvLine, parseCsv, resumeCsv, type CsvRecord } from '../src/recovery/csv.js';
import { runSeed } from '../src/recovery/experiment.js';
import { binomial, makeAuthorsInstance, makeInstance } from '../src/recovery/instance.js';
import { median, parseReferenceCsv, parseRunCsv, summarize, summaryMarkdown, type RunRow } from '../src/recovery/summary.js';
import { parseTable } from '../src/recovery/table.js';

const dir = mkdtempSync(join(tmpdir(), 'liesym-recovery-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseTable', () => {
  it('reads configurations, skipping comments and blank lines, with their line numbers', () => {
    const rows = parseTable('# header\n\northo T 5 1 2 10\n  quad SE 10 1 1 3   # trailing comment\n');
    expect(rows).toEqual([
      { case: 'ortho', candidate: 'T', m: 5, r: 1, d: 2, seeds: 10, line: 3 },
      { case: 'quad', candidate: 'SE', m: 10, r: 1, d: 1, seeds: 3, line: 4 },
    ]);
  });

  it('names the file, the line and the problem of a bad line', () => {
    expect(() => parseTable('ortho T 5 1 2 10\northo T 5 1 2', { source: 'grid.txt' })).toThrow(/grid\.txt:2: .*expected 6 fields.*received 5/);
    expect(() => parseTable('ortho SO 5 1 2 10', { source: 'g' })).toThrow(/g:1: .*candidate must be T or SE; received "SO"/);
    expect(() => parseTable('cubic T 5 1 2 10')).toThrow(/table:1: .*case must be ortho or quad/);
    expect(() => parseTable('ortho T 5 1 2.5 10')).toThrow(/table:1: .*d must be an integer ≥ 1; received "2\.5"/);
    expect(() => parseTable('\n\northo T 5 0 2 10')).toThrow(/table:3: .*r must be an integer ≥ 1; received "0"/);
    expect(() => parseTable('ortho T 2 3 2 10')).toThrow(/r must be ≤ m; received r = 3, m = 2/);
    expect(() => parseTable('# nothing\n')).toThrow(/no configurations/);
  });
});

function record(over: Partial<CsvRecord>): CsvRecord {
  const base = Object.fromEntries(CSV_COLUMNS.map((c) => [c, 0])) as CsvRecord;
  return { ...base, case: 'ortho', candidate: 'T', setup: 'liesym', ...over };
}

describe('recovery CSV', () => {
  it("starts with the authors' columns, appends one line per row and reads back", () => {
    expect(CSV_COLUMNS.slice(0, 8)).toEqual(['m', 'r', 'd', 'seed', 'n_recover', 'n_lib', 'dt', 'tot_iters']);
    const file = join(dir, 'a.csv');
    const csv = createCsv(file);
    csv.append(record({ m: 5, seed: 0, n_recover: 13 }));
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(3); // header, row, trailing newline
    csv.append(record({ m: 5, seed: 1, n_recover: 14 }));
    const recs = parseCsv(readFileSync(file, 'utf8'));
    expect(recs.map((r) => [r['seed'], r['n_recover'], r['setup']])).toEqual([
      ['0', '13', 'liesym'],
      ['1', '14', 'liesym'],
    ]);
  });

  it('refuses an existing file without force and replaces it with force', () => {
    const file = join(dir, 'b.csv');
    writeFileSync(file, 'precious\n');
    expect(() => createCsv(file)).toThrow(/b\.csv exists; pass --force/);
    expect(readFileSync(file, 'utf8')).toBe('precious\n');
    createCsv(file, { force: true }).append(record({ seed: 7 }));
    expect(parseCsv(readFileSync(file, 'utf8'))[0]!['seed']).toBe('7');
  });

  it('resumes a killed run: keeps its rows, cuts a half-written last line, appends after them', () => {
    const file = join(dir, 'resume.csv');
    const csv = createCsv(file);
    csv.append(record({ seed: 0, n_recover: 11 }));
    csv.append(record({ seed: 1, n_recover: 12 }));
    writeFileSync(file, readFileSync(file, 'utf8') + '5,1,2,2,1'); // killed in the middle of a line
    const resumed = resumeCsv(file);
    expect(resumed.done.map((r) => r['n_recover'])).toEqual(['11', '12']);
    resumed.append(record({ seed: 2, n_recover: 13 }));
    expect(parseCsv(readFileSync(file, 'utf8')).map((r) => [r['seed'], r['n_recover']])).toEqual([
      ['0', '11'],
      ['1', '12'],
      ['2', '13'],
    ]);
    expect(() => resumeCsv(join(dir, 'missing.csv'))).toThrow(/--resume needs an existing/);
    writeFileSync(join(dir, 'other.csv'), 'm,r,d\n1,2,3\n');
    expect(() => resumeCsv(join(dir, 'other.csv'))).toThrow(/does not start with the header/);
  });

  it('rejects a missing column and a cell that would break the format', () => {
    const { setup: _omit, ...partial } = record({});
    expect(() => csvLine(partial as CsvRecord)).toThrow(/missing column setup/);
    expect(() => csvLine(record({ setup: 'a,b' }))).toThrow(/comma/);
    expect(() => parseCsv('m,r\n1,2,3\n', { source: 'x.csv' })).toThrow(/x\.csv:2: expected 2 cells/);
  });
});

function run(over: Partial<RunRow>): RunRow {
  return { case: 'ortho', candidate: 'T', setup: 'liesym', m: 5, r: 1, d: 2, nRecover: 10, nLib: 21, seconds: 1, cpuSeconds: 1, nBaseline: 21, solves: 5, notConverged: 0, ...over };
}

describe('summary', () => {
  it('takes medians of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(Number.isNaN(median([]))).toBe(true);
  });

  it('groups by configuration and set-up, compares with the published medians and flags > 15 %', () => {
    const rows = [
      ...[10, 12, 14, 30].map((n, seed) => run({ nRecover: n, seconds: seed + 1 })), // median n 13, median s 2.5
      ...[15, 16, 17].map((n) => run({ setup: 'authors', nRecover: n, seconds: 0.1, notConverged: 1 })), // median 16
      run({ candidate: 'SE', nRecover: 19 }), // no reference row
    ];
    const ref = parseReferenceCsv('m,r,d,seed,n_recover,n_lib,dt,tot_iters\n5,1,2,0,13,21,0.2,100\n5,1,2,1,14,21,0.3,100\n6,1,2,0,99,28,9,9\n', { source: 'data/ortho_t_n.csv' });
    expect(ref[0]).toEqual({ case: 'ortho', candidate: 'T', m: 5, r: 1, d: 2, nRecover: 13, dt: 0.2 });
    const s = summarize(rows, ref);
    expect(s.map((x) => [x.candidate, x.setup, x.seeds, x.medianN])).toEqual([
      ['T', 'liesym', 4, 13],
      ['T', 'authors', 3, 16],
      ['SE', 'liesym', 1, 19],
    ]);
    expect(s[0]!.medianSeconds).toBe(2.5);
    expect(s[0]!.reference!.medianN).toBe(13.5);
    expect(s[0]!.reference!.ratio).toBeCloseTo(13 / 13.5, 12);
    expect(s[0]!.reference!.flagged).toBe(false); // −3.7 %
    expect(s[0]!.reference!.speedup).toBeCloseTo(0.25 / 2.5, 12);
    expect(s[1]!.reference!.ratio).toBeCloseTo(16 / 13.5, 12);
    expect(s[1]!.reference!.flagged).toBe(true); // +18.5 %
    expect(s[1]!.notConverged).toBe(3);
    expect(s[2]!.reference).toBeUndefined();
    const md = summaryMarkdown(s).split('\n');
    expect(md).toHaveLength(5);
    expect(md[3]).toMatch(/\| authors \| 3 \| 16 \|.*\| 13\.5 \|.*\| 1\.19 \|.*\| >15% \|$/);
  });

  it('needs the case and candidate of a reference file', () => {
    expect(() => parseReferenceCsv('m,r,d,n_recover,dt\n5,1,2,3,1\n', { source: 'ref.csv' })).toThrow(/ref\.csv:2: cannot tell the case and candidate/);
    const own = parseReferenceCsv('m,r,d,n_recover,dt,case,candidate\n5,1,2,3,1,quad,SE\n', { source: 'ref.csv' });
    expect(own[0]!.case).toBe('quad');
  });

  it('reads back the CSV the table run writes', () => {
    const file = join(dir, 'c.csv');
    createCsv(file).append(record({ m: 10, r: 1, d: 2, seed: 0, n_recover: 25, n_lib: 66, seconds: 3.5, cpu_seconds: 3.4, n_baseline: 66, solves: 7, not_converged: 1 }));
    const rows = parseRunCsv(readFileSync(file, 'utf8'));
    expect(rows[0]).toMatchObject({ m: 10, nRecover: 25, nLib: 66, seconds: 3.5, notConverged: 1 });
  });
});

describe('instances', () => {
  it('liesym: W* reproduces the samples and n_lib is C(m + d, d) (2d for quad)', () => {
    const a = makeInstance({ case: 'ortho', candidate: 'T', m: 5, r: 2, d: 2, seed: 3 });
    expect(a.nLib).toBe(binomial(7, 2));
    expect(a.xs).toHaveLength(21);
    const q = makeInstance({ case: 'quad', candidate: 'SE', m: 4, r: 1, d: 1, seed: 0 });
    expect(q.nLib).toBe(binomial(6, 2));
    for (const inst of [a, q]) {
      inst.xs.forEach((x, i) => {
        const y = inst.library.evaluate(Float64Array.from(x)).reduce((s, v, k) => s + v * inst.wStar[k]!, 0);
        expect(Math.abs(y - inst.ys[i]![0]!)).toBeLessThan(1e-9 * (1 + Math.abs(y)));
      });
    }
    // The same seed gives the same numbers.
    expect(makeInstance({ case: 'ortho', candidate: 'T', m: 5, r: 2, d: 2, seed: 3 }).wStar).toEqual(a.wStar);
  });

  it("authors: n_lib + 1 samples, just enough Lie-derivative samples, and φ's coefficients in [0, 1)", () => {
    const t = makeAuthorsInstance({ case: 'ortho', candidate: 'T', m: 5, r: 1, d: 2, seed: 0 });
    expect(t.xs).toHaveLength(22);
    expect(t.lieSamples).toHaveLength(binomial(6, 1) + 1); // ∂ᵢF has degree 1: 6 monomials
    const se = makeAuthorsInstance({ case: 'ortho', candidate: 'SE', m: 5, r: 1, d: 2, seed: 0 });
    expect(se.lieSamples).toHaveLength(21 + 1);
    // F(x) = a + b·uᵀx + c·(uᵀx)²: the constant coefficient is a ∈ [0, 1), the x-free part of φ.
    expect(t.wStar[0]!).toBeGreaterThanOrEqual(0);
    expect(t.wStar[0]!).toBeLessThan(1);
    // For r = 1, the quadratic block is c·uuᵀ with c ∈ [0, 1): positive semidefinite, trace c·|u|² = c.
    const names = t.library.names;
    const trace = [0, 1, 2, 3, 4].reduce((s, i) => s + t.wStar[names.indexOf(`x${i}^2`)]!, 0);
    expect(trace).toBeGreaterThanOrEqual(0);
    expect(trace).toBeLessThan(1);
  });

  it('every set-up recovers T(5) invariance with fewer samples than least squares (seed 0)', () => {
    for (const setup of ['liesym', 'authors', 'authors-converged', 'authors-exact-lie'] as const) {
      const r = runSeed({ case: 'ortho', candidate: 'T', m: 5, r: 1, d: 2, seed: 0 }, setup);
      expect(r.nLib).toBe(21);
      expect(r.nRecover).toBeLessThan(r.nBaseline);
      expect(r.nBaseline).toBeGreaterThanOrEqual(20);
      expect(r.solves).toBeGreaterThanOrEqual(4);
    }
  });
});
