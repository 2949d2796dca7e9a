/**
 * The five commands: validate every flag, check outputs and the memory estimate, open the
 * model, run the adapter, print the table and write the JSON.
 */
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, formatCombination, generatorName, groupByName, parseRepresentation, type DiscoveryResult, type Group, type Matrix, type Representation, type SymmetryCheck } from '@liesym/core';
import { checkOutputFiles, writeOutputFiles } from '@liesym/core/node';
import type { CliModel, LayerRow, UnreadLayerRow } from './CliModel.js';
import { UsageError } from './errors.js';
import { checkDenseCandidate, checkFieldWork, checkMemory } from './memoryEstimate.js';
import type { OnnxOpenOptions } from './onnxModel.js';
import { openModel } from './openModel.js';
import { transformTangents, writeHtmlReport } from './htmlReport.js';
import { announceCost, progressLine, type Io } from './progress.js';
import { inputsFlags, modelLayout, randomInputs, readInputs, type InputsFlags } from './sampleInputs.js';
import type { ParsedCommand } from './runCli.js';
import { EXIT } from './runCli.js';
import { transformsCommand, transformsFlags } from './transformsAnalysis.js';
import { fixFlags, fmt, fractionFlag, integerFlag, positiveFlag, seedFlag, shapeFlags, sizeFlag } from './values.js';

type Values = ParsedCommand['values'];

const str = (v: Values, name: string): string | undefined => v[name] as string | undefined;
const DEFAULT_MEMORY = 2 * 1024 ** 3;
const GL = ['gl-input', 'gl-lift', 'gl-input-output'] as const;
const CANDIDATES = [...GL, 'image', 'signal'] as const;

/** Where the table goes (stderr when the JSON goes to stdout) and where the JSON goes. */
interface Output {
  table: (text: string) => void;
  json: string | undefined;
  force: boolean;
}

export function outputs(v: Values, io: Io): Output {
  const json = str(v, 'json');
  if (json === '') throw new UsageError('--json needs a file path, or - for stdout');
  return { table: json === '-' ? io.stderr : io.stdout, json, force: v['force'] === true };
}

/** --report PATH(.html): only where a report exists (every analyze and check run); never '-'. */
export function reportFlag(v: Values): string | undefined {
  const r = str(v, 'report');
  if (r === undefined) return undefined;
  if (r === '' || r === '-') throw new UsageError(`--report must be a file path for the HTML page, e.g. report.html; received '${r}'`);
  return r;
}

/**
 * Reads --inputs (when given) for an opened model, and checks --json and --report again against
 * every file the run reads (the model's own files and the inputs), before any work.
 */
export function readModelInputs(spec: { given: InputsFlags | undefined; model: CliModel; out: Output; report: string | undefined }): { read: ReturnType<typeof readInputs> | undefined; files: string[] } {
  const { given, model, out, report } = spec;
  const read = given ? readInputs(given, model) : undefined;
  const files = [...model.files, ...(read?.files ?? [])];
  if (out.json !== undefined && out.json !== '-') checkOutputs([{ flag: '--json', path: out.json }], { inputs: files, force: out.force });
  if (report) checkOutputs([{ flag: '--report', path: report }], { inputs: files, force: out.force });
  return { read, files };
}

/** The files this run will write, checked before any work: never an input, never an existing file without --force, distinct. */
export function checkOutputs(files: ReadonlyArray<{ flag: string; path: string }>, rules: { inputs: readonly string[]; force: boolean }): void {
  for (const f of files) checkOutputFiles([f.path], { ...rules, fn: f.flag, forceHint: '--force' });
  if (files.length === 2 && files[0]!.path === files[1]!.path) throw new UsageError(`${files[0]!.flag} and ${files[1]!.flag} must be different files; both are '${files[0]!.path}'`);
}

export function writeJson(o: Output, io: Io, rules: { value: unknown; inputs: readonly string[] }): void {
  if (o.json === undefined) return;
  const text = `${JSON.stringify(rules.value, (_, x) => (x instanceof Float64Array || x instanceof Float32Array ? Array.from(x) : x), 2)}\n`;
  if (o.json === '-') io.stdout(text);
  else writeOutputFiles([{ path: o.json, data: text }], { inputs: rules.inputs, force: o.force, fn: '--json', forceHint: '--force' });
}

/** The group of --group, with its size checked against the model before any generator is built. */
function parseGroup(text: string | undefined, model: { dimIn: number; dimOut: number }): Group {
  if (text === undefined) throw new UsageError('--group is required, e.g. --group SO3 (see --help for the names)');
  const t = text.replace(/\s/g, '');
  // Sizes read before any generator is built; a bare multi-digit size (SO31) is left to groupByName, which refuses it.
  const m = /^([A-Za-z]+)(?:\((\d+)\)|(\d))$/.exec(t);
  if (m) {
    const n = Number(m[2] ?? m[3]);
    const d = m[1] === 'Sp' ? 2 * n : m[1] === 'T' || m[1] === 'SE' ? n + 1 : n;
    if (d > Math.max(model.dimIn, model.dimOut)) {
      throw new UsageError(`--group ${text} acts on R^${d}, but the model maps R^${model.dimIn} → R^${model.dimOut}; every representation of it would be too large`);
    }
  }
  try {
    return groupByName(text);
  } catch (e) {
    throw new UsageError(`--group: ${String((e as Error).message).replace(/^groupByName: /, '')}`);
  }
}

function parseRep(flag: string, text: string, group: Group): Representation {
  try {
    return parseRepresentation(text, group);
  } catch (e) {
    throw new UsageError(`--${flag} must be a representation like V, V*, Scalar, 2V, V^2, V+Scalar; ${String((e as Error).message).replace(/^parseRepresentation: /, '')}`);
  }
}

/** One representation per layer boundary from --in, --hidden (comma-separated, or one for all) and --out. */
function boundaryReps(v: Values, model: CliModel, group: Group): Representation[] {
  const layers = model.layerCount();
  const hidden = (str(v, 'hidden') ?? '').split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (layers > 1 && hidden.length !== 1 && hidden.length !== layers - 1) {
    throw new UsageError(`--hidden must give one representation for all ${layers - 1} hidden boundaries or one each (comma-separated); received ${hidden.length}`);
  }
  if (layers === 1 && hidden.length > 0) throw new UsageError(`--hidden: the model has one weight layer, so no hidden boundary`);
  const mid = Array.from({ length: layers - 1 }, (_, k) => parseRep('hidden', hidden.length === 1 ? hidden[0]! : hidden[k]!, group));
  return [parseRep('in', str(v, 'in') ?? 'V', group), ...mid, parseRep('out', str(v, 'out') ?? 'Scalar', group)];
}

export function sampling(v: Values): { samples: number | undefined; seed: number; maxMemory: number } {
  const samples = str(v, 'samples');
  const seed = str(v, 'seed');
  const mem = str(v, 'max-memory');
  return {
    samples: samples === undefined ? undefined : integerFlag('samples', samples, { min: 1, max: 2 ** 27 }),
    seed: seed === undefined ? 0 : seedFlag(seed),
    maxMemory: mem === undefined ? DEFAULT_MEMORY : sizeFlag('max-memory', mem),
  };
}

/** The ONNX options, and the analysed input's per-sample size when --shape fixes it (for an estimate before loading). */
function onnxOptions(v: Values): { open: OnnxOpenOptions; shapedSize: number | undefined } {
  const shapes = shapeFlags((v['shape'] as string[] | undefined) ?? []);
  const fix = fixFlags((v['fix'] as string[] | undefined) ?? []);
  const input = str(v, 'input');
  const output = str(v, 'output');
  const names = Object.keys(shapes);
  const dims = input !== undefined ? shapes[input] : names.length === 1 ? shapes[names[0]!] : undefined;
  const shapedSize = dims === undefined ? undefined : dims.slice(dims.length > 1 ? 1 : 0).reduce((a, b) => a * b, 1);
  // --image-size fills an image input's dynamic height and width (e.g. PP-OCR's x [N, 3, ?, ?]) when --shape does not.
  const size = str(v, 'image-size');
  const m = size === undefined ? null : /^(\d{1,5})x(\d{1,5})$/i.exec(size.trim());
  const imageSize = m ? { width: Number(m[1]), height: Number(m[2]) } : undefined;
  const layout = str(v, 'layout')?.toUpperCase() === 'NHWC' ? ('NHWC' as const) : ('NCHW' as const);
  return { open: { ...(input !== undefined ? { input } : {}), ...(output !== undefined ? { output } : {}), shapes, ...(Object.keys(fix).length > 0 ? { fix } : {}), ...(imageSize && names.length === 0 ? { imageSize, layout } : {}) }, shapedSize };
}

function candidateCount(candidate: string, model: { dimIn: number; dimOut: number; sampleShape: readonly number[]; layout?: 'NCHW' | 'NHWC' | undefined }): { q: number; stored: number } {
  const { dimIn: n, dimOut: m } = model;
  if (candidate === 'gl-input' || candidate === 'gl-lift') return { q: n * n, stored: n * n * (n * n + m * m) };
  if (candidate === 'gl-input-output') return { q: n * n + m * m, stored: (n * n + m * m) ** 2 };
  const c = model.sampleShape.length === 3 ? model.sampleShape[model.layout === 'NHWC' ? 2 : 0]! : 1;
  return { q: 8 + 2 * c * c, stored: 0 };
}

function matrixText(a: Matrix): string {
  return `[${a.toArray().map((r) => `[${r.map((x) => fmt(Math.abs(x) < 1e-12 ? 0 : x)).join(', ')}]`).join(', ')}]`;
}

export async function withModel<T>(path: string, v: Values, run: (model: CliModel) => Promise<T>): Promise<T> {
  const model = await openModel(path, onnxOptions(v).open);
  try {
    return await run(model);
  } finally {
    await model.close();
  }
}

/** The inputs line without its label, for a report's facts. */
const factOf = (line: string): string => line.replace(/^\S+\s+/, '');

/** The facts every report starts with: the model, the inputs line and the output node. */
function reportFacts(model: CliModel, inputsLine: string): Array<[string, string]> {
  return [
    ['model', `${model.path} (${model.kind}: ${model.signature})`],
    ['inputs', factOf(inputsLine)],
    ['output', model.output ? `${model.output.name} — ${model.output.reason}` : model.signature.replace(/^.*→\s*/, '')],
  ];
}

export function header(model: CliModel): string[] {
  return [`model          ${model.path} (${model.kind}: ${model.signature})`, ...(model.output ? [`output         ${model.output.name} — ${model.output.reason}`] : [])];
}

async function analyze(p: ParsedCommand, io: Io): Promise<number> {
  const v = p.values;
  const out = outputs(v, io);
  const s = sampling(v);
  const given = inputsFlags(v);
  const named = transformsFlags(v);
  const report = reportFlag(v);
  if (report) checkOutputs([{ flag: '--report', path: report }, ...(out.json !== undefined && out.json !== '-' ? [{ flag: '--json', path: out.json }] : [])], { inputs: [p.model, ...(given?.patterns ?? [])], force: out.force });
  if (named !== undefined) {
    if (out.json !== undefined && out.json !== '-') checkOutputs([{ flag: '--json', path: out.json }], { inputs: [p.model], force: out.force });
    return withModel(p.model, v, async (model) => {
      const { read, files } = readModelInputs({ given, model, out, report });
      const count = read?.samples.rows ?? s.samples ?? 32;
      if (!read) checkFieldWork(model.sampleShape, count);
      const inputs = read?.report ?? randomInputs({ count, sampler: 'smoothFieldSampler (smooth random fields)', seed: s.seed });
      // Images read with one --std s span a range of 1/s after normalization: brightness is a percent of that range.
      const std = given?.std;
      const pixelRange = named.pixelRange ?? (read && std && std.every((x) => x === std[0]) ? 1 / std[0]! : undefined);
      const layout = named.layout ?? given?.layout ?? (model.sampleShape.length === 3 ? modelLayout(model) : undefined);
      const run = { ...named, samples: count, seed: s.seed, ...(read ? { inputs: read.samples } : {}), ...(pixelRange !== undefined ? { pixelRange } : {}), ...(layout ? { layout } : {}) };
      const r = await transformsCommand({ model, io, table: out.table, header: [...header(model), inputs.line], run });
      if (report) {
        const rows = r.json['transforms'] as Array<{ name: string; error: number; verdict: string }>;
        const tolerance = r.json['tolerance'] as number;
        const d = r.json['discovery'] as { spectrum: number[]; threshold: number; dimension: number; gap: number; basis: Array<Record<string, number>> } | undefined;
        const image = read && model.sampleShape.length >= 2 ? { shape: model.sampleShape, layout: r.layout as 'NCHW' | 'NHWC' } : undefined;
        const tangents = image && read ? transformTangents({ ...image, x: read.samples.row(0), names: rows.map((t) => t.name), ...(pixelRange !== undefined ? { pixelRange } : {}), ...(d ? { basis: d.basis } : {}) }) : [];
        const example = image && read ? { samples: read.samples, ...image, bgr: given?.channels === 'bgr', tangents } : undefined;
        writeHtmlReport({
          path: report,
          force: out.force,
          inputs: files,
          title: `liesym analyze --transforms${d ? ' --discover' : ''}: ${p.model}`,
          table: r.text,
          facts: [...reportFacts(model, inputs.line), ['tolerance', fmt(tolerance)]],
          bars: rows.map((t) => ({ name: t.name, value: t.error, verdict: t.verdict })),
          tolerance,
          ...(d
            ? {
                spectrum: { values: d.spectrum, threshold: d.threshold, dimension: d.dimension, gap: d.gap, caption: 'Singular values of the per-transform Lie-derivative columns (each scaled as its relative error): σ is the relative error of a unit combination of the transforms.' },
                generators: d.basis.map(formatCombination),
              }
            : {}),
          ...(example ? { example } : {}),
        });
      }
      writeJson(out, io, { inputs: files, value: { command: 'analyze', model: p.model, kind: model.kind, seed: s.seed, inputs: inputs.json, ...r.json } });
      return r.code;
    });
  }
  const candidate = str(v, 'candidate') ?? 'gl-input';
  if (!(CANDIDATES as readonly string[]).includes(candidate)) throw new UsageError(`--candidate must be one of ${CANDIDATES.join(', ')}; received '${candidate}'`);
  const rtolText = str(v, 'rtol');
  const rtol = rtolText === undefined ? undefined : fractionFlag('rtol', rtolText);
  const shaped = onnxOptions(v).shapedSize;
  if (shaped !== undefined) checkMemory('analyze', { samples: s.samples ?? 128, dimIn: shaped, dimOut: 1, generators: 8, generatorNumbers: 0, derivative: 'finite-difference' }, s.maxMemory);
  if (out.json !== undefined && out.json !== '-') checkOutputs([{ flag: '--json', path: out.json }], { inputs: [p.model], force: out.force });
  return withModel(p.model, v, async (model) => {
    if ((candidate === 'image' || candidate === 'signal') && model.kind !== 'onnx') throw new UsageError(`--candidate ${candidate} needs an ONNX model with an image or signal input; '${p.model}' is a ${model.kind} model`);
    const { read, files } = readModelInputs({ given, model, out, report });
    checkDenseCandidate(candidate, model);
    const layout = candidate === 'image' && model.sampleShape.length === 3 ? (given?.layout ?? layoutFlag(v) ?? modelLayout(model)) : undefined;
    const { q, stored } = candidateCount(candidate, { ...model, layout });
    const samples = read?.samples.rows ?? s.samples ?? Math.max(128, Math.ceil((4 * q) / Math.max(1, model.dimOut)));
    const inputs = read?.report ?? randomInputs({ count: samples, sampler: candidate === 'image' || candidate === 'signal' ? 'smoothFieldSampler (smooth random fields)' : 'normalSampler (standard normal)', seed: s.seed });
    checkMemory('analyze', { samples, dimIn: model.dimIn, dimOut: model.dimOut, generators: q, generatorNumbers: stored, derivative: model.derivative }, s.maxMemory);
    if (candidate === 'image' || candidate === 'signal') checkFieldWork(model.sampleShape, samples);
    const k = q > model.dimIn ? model.dimIn : q + 2;
    announceCost(io, { label: 'analyze', evaluations: samples * (1 + 2 * k), msPerEvaluation: model.msPerEvaluation });
    const bar = progressLine(io, { label: 'analyze' });
    let r: DiscoveryResult;
    try {
      r = await model.discover({ candidate: candidate as 'gl-input', samples, seed: s.seed, ...(layout ? { layout } : {}), ...(read ? { inputs: read.samples } : {}), ...(rtol !== undefined ? { rtol } : {}), onProgress: (f) => bar.update(f) });
    } finally {
      bar.done();
    }
    const n = r.singularValues.length;
    const small = model.dimIn <= 4 && model.dimOut <= 4;
    const lines = [
      ...header(model),
      inputs.line,
      `candidate      ${candidate}: ${n} generators${r.names ? ` (${r.names.join(', ')})` : ''}, ${r.sampleCount} samples${read ? '' : ` (seed ${s.seed})`}, ${r.derivative === 'exact' ? 'exact Jacobians' : 'central finite differences'}`,
      `dimension      ${r.dimension}${r.identification ? ` — the symmetry algebra is ${r.identification}` : ''}`,
      `decision       σ ≤ threshold ${fmt(r.threshold)} counts as zero (rtol ${fmt(r.rtol)}); gap ${fmt(r.gap)} (σ above / σ below the cut)`,
      `closure        ${fmt(r.closureResidual)} (relative ‖[ξ, η]‖ outside the found algebra; 0 for a Lie algebra)`,
      ...(r.determined ? [] : [`note           the samples do not determine the answer: ${r.reason ?? 'try more --samples'}`]),
      ...(r.gap < 10 && r.dimension > 0 ? [`note           weak gap (< 10): the rank decision is uncertain; try more --samples`] : []),
      '',
      '    #  singular value  in the nullspace (a symmetry)',
      ...Array.from(r.singularValues, (sv, i) => `  ${String(i + 1).padStart(3)}  ${fmt(sv).padStart(14)}  ${i < r.dimension ? 'yes' : ''}`).filter(
        (_, i, all) => all.length <= 20 || i < Math.max(12, r.dimension + 3) || i >= all.length - 3,
      ),
      ...(n > 20 ? ['  (the middle of the spectrum is left out; --json has all of it)'] : []),
      ...(r.dimension > 0 && small ? ['', 'found generators (input action A, output action B): L F = DF·A·x − B·F = 0', ...r.generators.map(([a, b], k) => `  ξ${k + 1}  ${generatorName(a) ?? ''}  A = ${matrixText(a)}${b.maxAbs() > 0 ? `  B = ${matrixText(b)}` : ''}`)] : []),
      '',
      'Singular values are of the discover matrix (rows: sample × output, scaled by √weight; columns: the',
      'candidate generators, orthonormal). Its nullspace is the set of generators the model is symmetric under.',
    ];
    const text = `${lines.join('\n')}\n`;
    out.table(text);
    if (report) {
      const found = r.generators.map(([a, b], k) => `ξ${k + 1}${generatorName(a) ? ` (${generatorName(a)})` : ''}: ${small ? `A = ${matrixText(a)}${b.maxAbs() > 0 ? `, B = ${matrixText(b)}` : ''}` : `A ${a.rows}×${a.cols}, B ${b.rows}×${b.cols} (--json has the matrices)`}`);
      writeHtmlReport({
        path: report,
        force: out.force,
        inputs: files,
        title: `liesym analyze --candidate ${candidate}: ${p.model}`,
        table: text,
        facts: [
          ...reportFacts(model, inputs.line),
          ['candidate', `${candidate}: ${n} generators${r.names ? ` (${r.names.join(', ')})` : ''}`],
          ['tolerance', `σ ≤ ${fmt(r.threshold)} counts as zero (rtol ${fmt(r.rtol)})`],
          ['verdict', `dimension ${r.dimension}${r.identification ? `, ${r.identification}` : ''}; ${r.determined ? 'determined by the samples' : `not determined: ${r.reason ?? ''}`}; closure residual ${fmt(r.closureResidual)}`],
        ],
        tolerance: r.threshold,
        spectrum: { values: r.singularValues, threshold: r.threshold, dimension: r.dimension, gap: r.gap, caption: 'Singular values of the discover matrix (rows: sample × output; columns: the orthonormal candidate generators), ascending.' },
        generators: found,
        ...(read && model.sampleShape.length >= 2 ? { example: { samples: read.samples, shape: model.sampleShape, layout: (given?.layout ?? modelLayout(model)) as 'NCHW', bgr: given?.channels === 'bgr' } } : {}),
      });
    }
    writeJson(out, io, {
      inputs: files,
      value: {
        command: 'analyze',
        model: p.model,
        kind: model.kind,
        output: model.output?.name,
        inputs: inputs.json,
        candidate,
        samples: r.sampleCount,
        seed: s.seed,
        dimension: r.dimension,
        identification: r.identification,
        names: r.names,
        singularValues: r.singularValues,
        threshold: r.threshold,
        rtol: r.rtol,
        gap: r.gap,
        closureResidual: r.closureResidual,
        determined: r.determined,
        reason: r.reason,
        derivative: r.derivative,
        generators: r.generators.map(([a, b]) => ({ input: a.toArray(), output: b.toArray() })),
      },
    });
    return EXIT.ok;
  });
}

function verdictLines(r: SymmetryCheck, group: Group): string[] {
  const broken = [...r.generators.filter((g) => g.verdict === 'broken'), ...r.discrete.filter((d) => d.verdict === 'broken')];
  const total = r.generators.length + r.discrete.length;
  return r.verdict === 'holds'
    ? [`verdict        holds: all ${total} generators of ${group.name} hold (largest relative violation ${fmt(r.maxRelative)} ≤ tolerance ${fmt(r.tolerance)})`]
    : [`verdict        broken: ${broken.length} of ${total} generators of ${group.name} break it (${broken.map((g) => g.name).join(', ')}; largest relative violation ${fmt(r.maxRelative)} > tolerance ${fmt(r.tolerance)})`];
}

async function check(p: ParsedCommand, io: Io): Promise<number> {
  const v = p.values;
  const out = outputs(v, io);
  const s = sampling(v);
  const tolText = str(v, 'tolerance');
  const tolerance = tolText === undefined ? undefined : fractionFlag('tolerance', tolText);
  if (v['transform'] !== undefined || v['output-permutation'] !== undefined) return (await import('./discreteCheck.js')).discreteCheck(p, { io, open: onnxOptions(v).open });
  if (str(v, 'group') === undefined) throw new UsageError('--group is required, e.g. --group SO3 (see liesym check --help)');
  const given = inputsFlags(v);
  const report = reportFlag(v);
  if (report) checkOutputs([{ flag: '--report', path: report }, ...(out.json !== undefined && out.json !== '-' ? [{ flag: '--json', path: out.json }] : [])], { inputs: [p.model, ...(given?.patterns ?? [])], force: out.force });
  const shaped = onnxOptions(v).shapedSize;
  const drawn = s.samples ?? 128;
  if (shaped !== undefined && !given) checkMemory('check', { samples: drawn, dimIn: shaped, dimOut: 1, generators: 1, generatorNumbers: 0, derivative: 'finite-difference' }, s.maxMemory);
  if (out.json !== undefined && out.json !== '-') checkOutputs([{ flag: '--json', path: out.json }], { inputs: [p.model], force: out.force });
  return withModel(p.model, v, async (model) => {
    const { read, files } = readModelInputs({ given, model, out, report });
    const samples = read?.samples.rows ?? drawn;
    const inputs = read?.report ?? randomInputs({ count: samples, sampler: 'normalSampler (standard normal)', seed: s.seed });
    const group = parseGroup(str(v, 'group'), model);
    const repIn = parseRep('in', str(v, 'in') ?? 'V', group);
    const repOut = parseRep('out', str(v, 'out') ?? 'Scalar', group);
    if (repIn.dim !== model.dimIn || repOut.dim !== model.dimOut) {
      throw new UsageError(`--in ${repIn.key} has dim ${repIn.dim} and --out ${repOut.key} dim ${repOut.dim}; the model maps R^${model.dimIn} → R^${model.dimOut}`);
    }
    const q = group.lieAlgebra.length;
    checkMemory('check', { samples, dimIn: model.dimIn, dimOut: model.dimOut, generators: q, discrete: group.discreteGenerators.length, generatorNumbers: q * (model.dimIn ** 2 + model.dimOut ** 2), derivative: model.derivative }, s.maxMemory);
    const bar = progressLine(io, { label: 'check' });
    let r: SymmetryCheck;
    try {
      r = await model.check({ group, repIn, repOut, samples, seed: s.seed, ...(read ? { inputs: read.samples } : {}), ...(tolerance !== undefined ? { tolerance } : {}), onProgress: (f) => bar.update(f) });
    } finally {
      bar.done();
    }
    const unnamed = (name: string): boolean => /^ξ\d+$/.test(name);
    const table = [
      ...r.generators.map((g) => [g.name, fmt(g.norm), fmt(g.relative), g.verdict]),
      ...r.discrete.map((d) => [`${d.name} (discrete)`, '', fmt(d.residual), d.verdict]),
    ];
    const w = Math.max(14, ...table.map((row) => row[0]!.length + 2));
    const lines = [
      ...header(model),
      `group          ${group.name}: ${repIn.key} → ${repOut.key} (${q} generators, ${group.discreteGenerators.length} discrete)`,
      inputs.line,
      `samples        ${r.sampleCount}${read ? '' : ` (seed ${s.seed})`}, ${r.derivative === 'exact' ? 'exact Jacobians' : 'central finite differences'}`,
      `output scale   ${fmt(r.outputScale)} (RMS over the samples of ‖F(x)‖)`,
      `tolerance      ${fmt(r.tolerance)}${tolerance === undefined ? ` (default: core's TOLERANCES.check for ${r.derivative} derivatives in ${model.dtype})` : ''}`,
      '',
      `  ${'generator'.padEnd(w)}${'‖L_ξ F‖'.padStart(10)}${'relative'.padStart(11)}  verdict`,
      ...table.map(([name, norm, rel, verdict]) => `  ${name!.padEnd(w)}${norm!.padStart(10)}${rel!.padStart(11)}  ${verdict}`),
      ...r.generators.filter((g) => unnamed(g.name) && model.dimIn <= 4).map((g) => `  ${g.name} = ${matrixText(group.lieAlgebra[g.index]!)}`),
      '',
      ...verdictLines(r, group),
      '',
      'relative = RMS over the samples of ‖L_ξ F(x)‖ = ‖DF(x)·dρ_in(ξ)·x − dρ_out(ξ)·F(x)‖ (discrete: ‖ρ_out(h)⁻¹F(ρ_in(h)x) − F(x)‖)',
      'divided by the output scale; a generator holds when it is ≤ the tolerance.',
    ];
    const text = `${lines.join('\n')}\n`;
    out.table(text);
    if (report) {
      writeHtmlReport({
        path: report,
        force: out.force,
        inputs: files,
        title: `liesym check --group ${group.name}: ${p.model}`,
        table: text,
        facts: [
          ...reportFacts(model, inputs.line),
          ['group', `${group.name}: ${repIn.key} → ${repOut.key} (${q} generators, ${group.discreteGenerators.length} discrete)`],
          ['tolerance', fmt(r.tolerance)],
          ['verdict', verdictLines(r, group)[0]!.replace(/^verdict\s+/, '')],
        ],
        barsTitle: 'Per generator',
        bars: [...r.generators.map((g) => ({ name: g.name, value: g.relative, verdict: g.verdict })), ...r.discrete.map((d) => ({ name: `${d.name} (discrete)`, value: d.residual, verdict: d.verdict }))],
        tolerance: r.tolerance,
        generators: r.generators.map((g) => `${g.name} = ${matrixText(group.lieAlgebra[g.index]!)}: relative ${fmt(g.relative)}, ${g.verdict}`),
        ...(read && model.sampleShape.length >= 2 ? { example: { samples: read.samples, shape: model.sampleShape, layout: (given?.layout ?? modelLayout(model)) as 'NCHW', bgr: given?.channels === 'bgr' } } : {}),
      });
    }
    writeJson(out, io, {
      inputs: files,
      value: { command: 'check', model: p.model, kind: model.kind, output: model.output?.name, inputs: inputs.json, group: group.name, repIn: repIn.key, repOut: repOut.key, seed: s.seed, ...r },
    });
    return r.verdict === 'holds' ? EXIT.ok : EXIT.broken;
  });
}

function layerTable(rows: readonly LayerRow[]): string[] {
  const w = Math.max(10, ...rows.map((l) => l.name.length + 2));
  return [
    `  ${'layer'.padEnd(w)}${'shape'.padEnd(10)}${'max ‖L_ξW‖/‖W‖'.padStart(16)}${'bias'.padStart(11)}  verdict`,
    ...rows.map((l) => {
      const lie = Math.max(0, ...l.lieDerivatives, ...l.discrete);
      const bias = l.bias ? fmt(Math.max(0, ...l.bias)) : '—';
      return `  ${l.name.padEnd(w)}${`${l.shape[0]}×${l.shape[1]}`.padEnd(10)}${fmt(lie).padStart(16)}${bias.padStart(11)}  ${l.verdict}`;
    }),
  ];
}

/** The weight nodes that were not read, one line each with the reason (nothing when all were read). */
function unreadLines(unread: readonly UnreadLayerRow[]): string[] {
  if (unread.length === 0) return [];
  return [
    '',
    `not read       ${unread.length} weight node${unread.length === 1 ? '' : 's'}, not checked:`,
    ...unread.map((u) => `  ${[...u.path, u.name].join(' > ')} (${u.opType}): ${u.reason}`),
  ];
}

async function layers(p: ParsedCommand, io: Io): Promise<number> {
  const v = p.values;
  const out = outputs(v, io);
  const tolText = str(v, 'tolerance');
  const tolerance = tolText === undefined ? undefined : fractionFlag('tolerance', tolText);
  if (str(v, 'group') === undefined) throw new UsageError('--group is required, e.g. --group S3 (see liesym layers --help)');
  if (out.json !== undefined && out.json !== '-') checkOutputs([{ flag: '--json', path: out.json }], { inputs: [p.model], force: out.force });
  return withModel(p.model, v, async (model) => {
    if (out.json !== undefined && out.json !== '-') checkOutputs([{ flag: '--json', path: out.json }], { inputs: model.files, force: out.force });
    const group = parseGroup(str(v, 'group'), model);
    const reps = boundaryReps(v, model, group);
    const rows = model.layers({ reps, ...(tolerance !== undefined ? { tolerance } : {}) });
    const broken = rows.filter((l) => l.verdict === 'broken');
    const unread = model.unreadLayers?.() ?? [];
    const notRead = unread.length > 0 ? ` (${unread.length} weight node${unread.length === 1 ? '' : 's'} not read, listed above)` : '';
    const lines = [
      ...header(model),
      `group          ${group.name}; boundaries ${reps.map((r) => r.key).join(' → ')}`,
      `tolerance      ${fmt(rows[0]?.tolerance ?? 0)}${tolerance === undefined ? ' (default by the weights\' dtype)' : ''}`,
      '',
      ...layerTable(rows),
      ...unreadLines(unread),
      '',
      broken.length === 0 ? `verdict        holds: every layer is ${group.name}-equivariant to the tolerance${notRead}` : `verdict        broken: ${broken.map((l) => l.name).join(', ')}${notRead}`,
      '',
      'Per layer: L_ξW = W·dρ_in(ξ) − dρ_out(ξ)·W in closed form (and ρ_out(h)·W − W·ρ_in(h)), relative to ‖W‖; bias:',
      'dρ_out(ξ)·b and ρ_out(h)·b − b relative to ‖b‖.',
    ];
    out.table(`${lines.join('\n')}\n`);
    writeJson(out, io, { inputs: model.files, value: { command: 'layers', model: p.model, kind: model.kind, group: group.name, reps: reps.map((r) => r.key), verdict: broken.length === 0 ? 'holds' : 'broken', layers: rows, unread } });
    return broken.length === 0 ? EXIT.ok : EXIT.broken;
  });
}

function outFlag(v: Values, command: string): string {
  const o = str(v, 'o');
  if (o === undefined || o === '') throw new UsageError(`${command}: -o OUT is required (the new model file; liesym never changes the input)`);
  if (o === '-') throw new UsageError(`${command}: -o must be a file path (a model is not written to stdout)`);
  return o;
}

function plannedOutputs(model: CliModel, o: string): string[] {
  return model.kind === 'tfjs' ? [o.replace(/[^/\\]*$/, (b) => `${b.replace(/\.json$/i, '')}.weights.bin`), o] : [o];
}

async function project(p: ParsedCommand, io: Io): Promise<number> {
  const v = p.values;
  const out = outputs(v, io);
  const o = outFlag(v, 'project');
  if (str(v, 'group') === undefined) throw new UsageError('--group is required, e.g. --group S3 (see liesym project --help)');
  const pre = [{ flag: '-o', path: o }, ...(out.json !== undefined && out.json !== '-' ? [{ flag: '--json', path: out.json }] : [])];
  checkOutputs(pre, { inputs: [p.model], force: out.force });
  return withModel(p.model, v, async (model) => {
    checkOutputs([...plannedOutputs(model, o).map((path) => ({ flag: '-o', path })), ...pre.slice(1)], { inputs: model.files, force: out.force });
    const group = parseGroup(str(v, 'group'), model);
    const reps = boundaryReps(v, model, group);
    const r = await model.project({ out: o, force: out.force, group, reps });
    const lines = [
      ...header(model),
      `wrote          ${o} (${group.name}; boundaries ${reps.map((x) => x.key).join(' → ')})`,
      '',
      '  layer                 projected  removed ‖W − ΠW‖/‖W‖  residual after',
      ...r.layers.map((l, k) => `  ${l.name.padEnd(22)}${(l.projected ? 'yes' : 'no').padEnd(11)}${fmt(l.removed).padStart(20)}  ${fmt(r.after[k]?.max ?? 0).padStart(14)}`),
      '',
      'ΠW is the nearest equivariant map (W ↦ Σ⟨W, Bᵢ⟩Bᵢ over an orthonormal basis of Hom_G); biases are projected onto',
      'the invariants. residual after = the layer check (max relative L_ξW) of the written model.',
    ];
    out.table(`${lines.join('\n')}\n`);
    writeJson(out, io, { inputs: [...model.files], value: { command: 'project', model: p.model, kind: model.kind, out: o, group: group.name, reps: reps.map((x) => x.key), layers: r.layers, residualAfter: r.after.map((l) => l.max) } });
    return EXIT.ok;
  });
}

function readData(path: string | undefined): { x: number[][]; y: number[][] } {
  if (path === undefined) throw new UsageError('promote: --data DATA.json is required ({"x": [[…], …], "y": [[…], …]})');
  let data: { x?: unknown; y?: unknown };
  try {
    data = JSON.parse(readFileSync(path, 'utf8')) as typeof data;
  } catch (e) {
    throw new InvalidArgumentError(`--data: '${path}' must be a readable JSON file {"x": [[…]], "y": [[…]]}; ${(e as Error).message}`);
  }
  if (!Array.isArray(data?.x) || !Array.isArray(data?.y)) throw new InvalidArgumentError(`--data: '${path}' must hold arrays "x" and "y" of rows`);
  return { x: data.x as number[][], y: data.y as number[][] };
}

async function promote(p: ParsedCommand, io: Io): Promise<number> {
  const v = p.values;
  const out = outputs(v, io);
  const o = outFlag(v, 'promote');
  const candidate = str(v, 'candidate');
  if (candidate !== undefined && !(GL as readonly string[]).includes(candidate)) throw new UsageError(`--candidate must be one of ${GL.join(', ')} for promote; received '${candidate}'`);
  if ((candidate === undefined) === (str(v, 'group') === undefined)) throw new UsageError('promote: give --group (with --in, --hidden, --out) or --candidate, not both');
  const num = (flag: string, f: (t: string) => number): number | undefined => (str(v, flag) === undefined ? undefined : f(str(v, flag)!));
  const train = {
    ...(num('weight', (t) => positiveFlag('weight', t, { zero: true })) !== undefined ? { weight: num('weight', (t) => positiveFlag('weight', t, { zero: true }))! } : {}),
    ...(num('epochs', (t) => integerFlag('epochs', t, { min: 0, max: 1e6 })) !== undefined ? { epochs: num('epochs', (t) => integerFlag('epochs', t, { min: 0, max: 1e6 }))! } : {}),
    ...(num('learning-rate', (t) => positiveFlag('learning-rate', t)) !== undefined ? { learningRate: num('learning-rate', (t) => positiveFlag('learning-rate', t))! } : {}),
    ...(num('batch-size', (t) => integerFlag('batch-size', t, { min: 1, max: 2 ** 20 })) !== undefined ? { batchSize: num('batch-size', (t) => integerFlag('batch-size', t, { min: 1, max: 2 ** 20 }))! } : {}),
  };
  const pre = [{ flag: '-o', path: o }, ...(out.json !== undefined && out.json !== '-' ? [{ flag: '--json', path: out.json }] : [])];
  checkOutputs(pre, { inputs: [p.model, ...(str(v, 'data') ? [str(v, 'data')!] : [])], force: out.force });
  const data = readData(str(v, 'data'));
  return withModel(p.model, v, async (model) => {
    const inputs = [...model.files, str(v, 'data')!];
    checkOutputs([...plannedOutputs(model, o).map((path) => ({ flag: '-o', path })), ...pre.slice(1)], { inputs, force: out.force });
    let reps: Representation[] | undefined;
    let groupName = candidate!;
    if (candidate === undefined) {
      const group = parseGroup(str(v, 'group'), model);
      reps = boundaryReps(v, model, group);
      groupName = `${group.name}; boundaries ${reps.map((x) => x.key).join(' → ')}`;
    }
    const epochs = train.epochs ?? 50;
    const bar = progressLine(io, { label: 'promote' });
    let r: Awaited<ReturnType<CliModel['promote']>>;
    try {
      r = await model.promote({
        out: o,
        force: out.force,
        ...data,
        ...(reps ? { reps } : { candidate: candidate as 'gl-input' }),
        ...train,
        onEpoch: (e) => bar.update(e / Math.max(1, epochs)),
      });
    } finally {
      bar.done();
    }
    const lines = [
      ...header(model),
      `wrote          ${o} (penalty γ·‖D_W‖_* over ${groupName})`,
      `training       ${data.x.length} samples, ${r.loss.length} epochs; loss ${r.loss.length > 0 ? `${fmt(r.loss[0]!)} → ${fmt(r.loss[r.loss.length - 1]!)}` : '(no epochs)'}`,
      '',
      '  layer                 in → out   activation',
      ...r.layers.map((l) => `  ${l.name.padEnd(22)}${`${l.dimIn} → ${l.dimOut}`.padEnd(11)}${l.activation}`),
      '',
      'loss = mean squared error + γ·Σ nuclear norms of the layers\' Lie-derivative matrices (a convex penalty whose minimum is the',
      'largest symmetry the data allow); check the result with liesym check or liesym layers.',
    ];
    out.table(`${lines.join('\n')}\n`);
    writeJson(out, io, { inputs, value: { command: 'promote', model: p.model, kind: model.kind, out: o, loss: r.loss, layers: r.layers } });
    return EXIT.ok;
  });
}

/** Runs a parsed command; returns its exit code. */
export async function runCommand(p: ParsedCommand, io: Io): Promise<number> {
  if (p.command === 'analyze') return analyze(p, io);
  if (p.command === 'check') return check(p, io);
  if (p.command === 'layers') return layers(p, io);
  if (p.command === 'project') return project(p, io);
  return promote(p, io);
}

/** --layout nchw|nhwc, validated (undefined when not given). */
function layoutFlag(v: ParsedCommand['values']): 'NCHW' | 'NHWC' | undefined {
  const text = v['layout'] as string | undefined;
  if (text === undefined) return undefined;
  const upper = text.toUpperCase();
  if (upper !== 'NCHW' && upper !== 'NHWC') throw new UsageError(`--layout must be nchw or nhwc; received '${text}'`);
  return upper;
}
