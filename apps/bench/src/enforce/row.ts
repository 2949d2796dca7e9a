/**
 * Child-process entry of the enforce benchmark: solves one problem with one solver and prints a
 * JSON line {rank, method, ms, makeMs (building the group and representation), peakMB}. A fresh process per measurement gives a clean peak RSS and
 * lets the parent kill a dense baseline that exceeds its time limit.
 *   node dist/enforce/row.js <problem-id> <structured|dense>
 */
import { resourceUsage } from 'node:process';
import { invariantBasis } from '@liesym/core';
import { PROBLEMS } from './problems.js';

const [id, solver] = process.argv.slice(2);
const problem = PROBLEMS.find((p) => p.id === id);
if (!problem || (solver !== 'structured' && solver !== 'dense')) {
  console.error(`usage: row.js <${PROBLEMS.map((p) => p.id).join('|')}> <structured|dense>`);
  process.exit(2);
}
const tm = performance.now();
const rep = problem.make();
const makeMs = performance.now() - tm;
const t0 = performance.now();
const r = invariantBasis(rep, { method: solver });
const ms = performance.now() - t0;
const peakMB = resourceUsage().maxRSS / 1024;
console.log(JSON.stringify({ unknowns: rep.dim, rank: r.rank, method: r.method, ms, makeMs, peakMB }));
