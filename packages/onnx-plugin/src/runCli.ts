import { writeFileSync } from 'node:fs';
import { Group, LiesymError, groupByName, parseRepresentation, type Representation } from '@liesym/core';
import { checkSymmetry } from './checkSymmetry.js';
import { discoverSymmetries, type OnnxDiscoverOptions } from './discoverSymmetries.js';
import { loadModel } from './loadModel.js';
import { analyzeLayers } from './layers.js';
import { projectModel } from './projectModel.js';

/** Where the CLI writes; process.stdout/stderr by default. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress bars are drawn only then). */
  isTTY: boolean;
}

class UsageError extends LiesymError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

const USAGE = `usage:
  liesym analyze model.onnx [--candidate gl-input|gl-lift|gl-input-output|image|signal] [--samples N] [--seed S]
                            [--input NAME] [--output NAME] [--shape NAME=1,3,48,48] [--rtol R] [--json out.json]
  liesym check model.onnx --group SO3 --in V --out Scalar [--samples N] [--seed S] [--input NAME] [--output NAME] [--shape ...] [--json out.json]
  liesym project model.onnx -o out.onnx --group S3 --in V --hidden V+V --out Scalar [--force] [--json out.json]
groups: SO3 O3 SL3 GL3 Sp1 SO13 O13 Scaling3 T2 SE2 S3 Z4 A4 D4 (or SO(3), …)
representations: V, V*, Scalar, kV (k copies), V^k (tensor power), joined by + (direct sum)`;

const FLAGS = new Set(['candidate', 'samples', 'seed', 'input', 'output', 'shape', 'json', 'rtol', 'group', 'in', 'out', 'hidden', 'o', 'force', 'help']);

function parseArgs(argv: readonly string[]): { positional: string[]; flags: Map<string, string[]> } {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('-')) {
      const [rawKey, inline] = a.replace(/^--?/, '').split(/=(.*)/s, 2) as [string, string | undefined];
      if (!FLAGS.has(rawKey)) throw new UsageError(`unknown option '${a}'`);
      if (rawKey === 'force' || rawKey === 'help') {
        flags.set(rawKey, ['true']);
        continue;
      }
      const value = inline ?? argv[++i];
      if (value === undefined) throw new UsageError(`option '${a}' needs a value`);
      flags.set(rawKey, [...(flags.get(rawKey) ?? []), value]);
    } else positional.push(a);
  }
  return { positional, flags };
}

function intFlag(flags: Map<string, string[]>, name: string): number | undefined {
  const v = flags.get(name)?.at(-1);
  if (v === undefined) return undefined;
  if (!/^-?\d+$/.test(v)) throw new UsageError(`--${name} must be an integer; received '${v}'`);
  return Number(v);
}

/** Parses a group name with core's groupByName: SO3, SO(3), SO13 (= SO(1,3)), Scaling2, S4, … */
export function parseGroup(text: string): Group {
  try {
    return groupByName(text);
  } catch {
    throw new UsageError(`--group must name a group like SO3, O2, SO13, S4, Z5; received '${text}'`);
  }
}

/** Parses a representation with core's parseRepresentation: V, V*, Scalar, 2V, V^2, V⊗V, V+Scalar, … */
export function parseRep(text: string, group: Group): Representation {
  try {
    return parseRepresentation(text, group);
  } catch (e) {
    throw new UsageError(`representation must be like V, V*, Scalar, 2V, V^2, V+Scalar; received '${text}' (${(e as Error).message})`);
  }
}

function shapes(flags: Map<string, string[]>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const s of flags.get('shape') ?? []) {
    const m = /^([^=]+)=([\d,\s]+)$/.exec(s);
    if (!m) throw new UsageError(`--shape must be NAME=d1,d2,…; received '${s}'`);
    out[m[1]!] = m[2]!.split(',').map((d) => Number(d.trim()));
  }
  return out;
}

function fmt(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toPrecision(4) : x.toExponential(3);
}

function progress(io: CliIo): ((f: number) => void) & { done(): void } {
  const start = Date.now();
  let drawn = false;
  const fn = ((f: number) => {
    if (!io.isTTY || Date.now() - start < 1000) return;
    drawn = true;
    const width = 30;
    const k = Math.round(f * width);
    io.stderr(`\r[${'#'.repeat(k)}${' '.repeat(width - k)}] ${Math.round(f * 100)}%`);
  }) as ((f: number) => void) & { done(): void };
  fn.done = () => {
    if (drawn) io.stderr(`\r${' '.repeat(40)}\r`);
  };
  return fn;
}

function writeJson(flags: Map<string, string[]>, value: unknown): void {
  const path = flags.get('json')?.at(-1);
  if (path) writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}

async function open(file: string | undefined, flags: Map<string, string[]>) {
  if (!file) throw new UsageError('missing the model file argument');
  const input = flags.get('input')?.at(-1);
  const output = flags.get('output')?.at(-1);
  return loadModel(file, {
    ...(input !== undefined ? { input } : {}),
    ...(output !== undefined ? { output } : {}),
    inputs: shapes(flags),
  });
}

async function analyze(file: string | undefined, flags: Map<string, string[]>, io: CliIo): Promise<void> {
  const model = await open(file, flags);
  const candidate = (flags.get('candidate')?.at(-1) ?? 'gl-input') as OnnxDiscoverOptions['candidate'];
  if (!['gl-input', 'gl-lift', 'gl-input-output', 'image', 'signal'].includes(candidate as string)) {
    throw new UsageError(`--candidate must be gl-input, gl-lift, gl-input-output, image or signal; received '${String(candidate)}'`);
  }
  const bar = progress(io);
  const rtolText = flags.get('rtol')?.at(-1);
  const rtol = rtolText === undefined ? undefined : Number(rtolText);
  if (rtol !== undefined && !(rtol >= 0)) throw new UsageError(`--rtol must be a number ≥ 0; received '${rtolText}'`);
  const samples = intFlag(flags, 'samples');
  const seed = intFlag(flags, 'seed');
  const r = await discoverSymmetries(model, {
    candidate,
    ...(samples !== undefined ? { samples } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(rtol !== undefined ? { rtol } : {}),
    onProgress: bar,
  });
  bar.done();
  const lines = [
    `model           ${file}`,
    `input → output  ${model.inputName} [${model.sampleShape.join(', ')}] ${model.dtype} → ${model.outputName} [${model.outputShape.join(', ')}]`,
    `candidate       ${String(candidate)} (${r.singularValues.length} generators), ${r.sampleCount} samples`,
    `dimension       ${r.dimension}${r.identification ? `  (${r.identification})` : ''}`,
    `gap             ${fmt(r.gap)}   threshold ${fmt(r.threshold)}   closure residual ${fmt(r.closureResidual)}`,
    ...(r.gap < 10 ? [`note            weak gap (< 10): the rank decision is uncertain; try more --samples (rows ${r.matrix.rows} for ${r.singularValues.length} generators)`] : []),
    '',
    '  #  singular value  symmetry',
    ...Array.from(r.singularValues, (s, i) => `${String(i + 1).padStart(3)}  ${fmt(s).padStart(14)}  ${i < r.dimension ? 'yes' : ''}`).filter(
      (_, i, all) => all.length <= 16 || i < Math.max(12, r.dimension + 2) || i >= all.length - 3,
    ),
    ...(r.singularValues.length > 16 ? ['  (the middle of the spectrum is left out here; --json has all of it)'] : []),
  ];
  io.stdout(`${lines.join('\n')}\n`);
  writeJson(flags, {
    model: file,
    input: model.inputName,
    output: model.outputName,
    candidate,
    dimension: r.dimension,
    singularValues: Array.from(r.singularValues),
    generators: r.generators.map(([a, b]) => [a.toArray(), b.toArray()]),
    gap: r.gap,
    threshold: r.threshold,
    closureResidual: r.closureResidual,
    identification: r.identification,
    names: r.names,
    samples: r.sampleCount,
  });
  await model.close();
}

function groupAndReps(flags: Map<string, string[]>): { group: Group; repIn: Representation; repOut: Representation } {
  const g = flags.get('group')?.at(-1);
  if (!g) throw new UsageError('--group is required (e.g. --group SO3)');
  const group = parseGroup(g);
  return {
    group,
    repIn: parseRep(flags.get('in')?.at(-1) ?? 'V', group),
    repOut: parseRep(flags.get('out')?.at(-1) ?? 'Scalar', group),
  };
}

async function check(file: string | undefined, flags: Map<string, string[]>, io: CliIo): Promise<void> {
  const model = await open(file, flags);
  const { group, repIn, repOut } = groupAndReps(flags);
  const bar = progress(io);
  const samples = intFlag(flags, 'samples');
  const seed = intFlag(flags, 'seed');
  const r = await checkSymmetry(model, {
    group,
    repIn,
    repOut,
    ...(samples !== undefined ? { samples } : {}),
    ...(seed !== undefined ? { seed } : {}),
    onProgress: bar,
  });
  bar.done();
  const lines = [
    `model         ${file}`,
    `group         ${group.name}: ${repIn.key} → ${repOut.key}`,
    `output scale  ${fmt(r.outputScale)} (RMS of ‖F(x)‖ over ${r.sampleCount} samples)`,
    `max relative  ${fmt(r.maxRelative)}`,
    '',
    '  generator        ‖L F‖   relative',
    ...r.generators.map((g) => `  ξ${String(g.index + 1).padEnd(14)} ${fmt(g.norm).padStart(9)}  ${fmt(g.relative).padStart(9)}`),
    ...r.discrete.map((d) => `  h${String(d.index + 1).padEnd(14)} ${''.padStart(9)}  ${fmt(d.residual).padStart(9)}`),
  ];
  io.stdout(`${lines.join('\n')}\n`);
  writeJson(flags, { model: file, group: group.name, repIn: repIn.key, repOut: repOut.key, ...r });
  await model.close();
}

async function project(file: string | undefined, flags: Map<string, string[]>, io: CliIo): Promise<void> {
  if (!file) throw new UsageError('missing the model file argument');
  const out = flags.get('o')?.at(-1);
  if (!out) throw new UsageError('-o out.onnx is required');
  const { group, repIn, repOut } = groupAndReps(flags);
  const hidden = (flags.get('hidden')?.at(-1) ?? '').split(',').filter((s) => s.length > 0).map((s) => parseRep(s, group));
  const reps = [repIn, ...hidden, repOut];
  const r = await projectModel(file, out, { group, reps, force: flags.has('force') });
  const model = await loadModel(out);
  const after = analyzeLayers(model.proto.graph!, { reps });
  await model.close();
  const lines = [
    `wrote ${out}`,
    '  layer  name                 projected  removed   residual after',
    ...r.layers.map((l, k) => `  ${String(l.index).padStart(5)}  ${l.name.padEnd(20)} ${(l.projected ? 'yes' : 'no').padEnd(10)} ${fmt(l.removed).padStart(8)}  ${fmt(after[k]!.max).padStart(9)}`),
  ];
  io.stdout(`${lines.join('\n')}\n`);
  writeJson(flags, { ...r, residualAfter: after.map((l) => l.max) });
}

/**
 * Runs the `liesym` command line with the given arguments (without `node` and the script).
 * Returns the exit code: 0 on success, 2 on bad input (one-line error on stderr), 1 on an
 * unexpected failure.
 * @example
 * process.exitCode = await runCli(['analyze', 'model.onnx', '--candidate', 'gl-input']);
 */
export async function runCli(argv: readonly string[], io: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  isTTY: process.stderr.isTTY === true,
}): Promise<number> {
  try {
    const { positional, flags } = parseArgs(argv);
    const [command, file] = positional;
    if (flags.has('help') || command === undefined || command === 'help') {
      io.stdout(`${USAGE}\n`);
      return command === undefined && !flags.has('help') ? 2 : 0;
    }
    if (command === 'analyze') await analyze(file, flags, io);
    else if (command === 'check') await check(file, flags, io);
    else if (command === 'project') await project(file, flags, io);
    else throw new UsageError(`unknown command '${command}' (analyze, check or project)`);
    return 0;
  } catch (e) {
    if (e instanceof LiesymError) {
      io.stderr(`liesym: ${e.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return 2;
    }
    io.stderr(`liesym: unexpected error: ${String((e as Error)?.message ?? e).split('\n')[0]}\n`);
    return 1;
  }
}
