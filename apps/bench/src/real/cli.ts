/**
 * Runs the built `liesym` bin for bench:real: exit code, wall time, peak memory (from
 * `/usr/bin/time -f %M` when it exists) and the parsed JSON report (`--json -`).
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..', 'packages', 'cli', 'bin', 'liesym.js');
const TIME = '/usr/bin/time';

/** One `liesym` command as run: the arguments (paths as given), exit code, seconds, peak MB, JSON, stderr tail. */
export interface CliRun {
  args: string[];
  code: number;
  seconds: number;
  peakMB: number | null;
  json: unknown;
  /** The last lines of stderr (the error message of a failed run). */
  stderr: string;
}

/** A long comma-separated list (an output permutation) recorded by its length. */
function shortArg(a: string): string {
  return a.length > 200 ? `<${a.split(',').length} comma-separated indices>` : a;
}

/** The report without its list of input files (the count stays in `inputs.count`). */
function slim(json: unknown): unknown {
  if (json === null || typeof json !== 'object' || !('inputs' in json)) return json;
  const inputs = (json as { inputs: unknown }).inputs;
  if (inputs === null || typeof inputs !== 'object' || !('files' in inputs)) return json;
  const { files: _files, ...rest } = inputs as { files: unknown };
  return { ...json, inputs: rest };
}

/** Runs `node liesym.js ...args --json -` and times it as a whole process. */
export function liesym(args: readonly string[]): CliRun {
  const timed = existsSync(TIME);
  const argv = [CLI, ...args, '--json', '-'];
  const t0 = performance.now();
  const r = timed
    ? spawnSync(TIME, ['-f', 'peak-kb %M', process.execPath, ...argv], { encoding: 'utf8', maxBuffer: 1 << 28 })
    : spawnSync(process.execPath, argv, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const seconds = (performance.now() - t0) / 1000;
  let json: unknown;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    json = null;
  }
  let stderr = r.stderr;
  let peakMB: number | null = null;
  const m = /peak-kb (\d+)\s*$/.exec(stderr);
  if (m) {
    peakMB = Math.round(Number(m[1]) / 1024);
    stderr = stderr.slice(0, m.index).replace(/Command exited with non-zero status \d+\s*$/, '');
  }
  stderr = stderr.trim();
  // A crash prints a long stack: keep its start (the message) and its end.
  if (stderr.length > 1600) stderr = `${stderr.slice(0, 800)} … ${stderr.slice(-800)}`;
  return { args: args.map(shortArg), code: r.status ?? -1, seconds, peakMB, json: slim(json), stderr };
}
