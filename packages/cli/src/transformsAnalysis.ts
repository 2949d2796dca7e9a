/**
 * `liesym analyze MODEL --transforms image|signal|NAME,…`: lie-deriv's local equivariance error
 * per named transform (core's `localEquivarianceError` through the adapter), as a table and JSON.
 */
import { Matrix, formatCombination, type LayerAttributionResult, type LocalEquivarianceResult, type TransformDiscovery } from '@liesym/core';
import type { CliModel } from './CliModel.js';
import { UsageError } from './errors.js';
import { announceCost, progressLine, type Io } from './progress.js';
import type { ParsedCommand } from './runCli.js';
import { EXIT } from './runCli.js';
import { fmt, fractionFlag, integerFlag, positiveFlag } from './values.js';

/** Options of {@link CliModel.transforms}. */
export interface TransformsRun {
  transforms: 'image' | 'signal' | string[];
  samples: number;
  seed: number;
  /** Sample inputs read from files (replace the `samples` random draws). */
  inputs?: Matrix;
  tolerance?: number;
  layout?: 'NCHW' | 'NHWC';
  pixelRange?: number;
  /** lie-deriv's layer-wise attribution too (ONNX or tfjs): on the first `samples` samples, `top` nodes printed per transform. */
  layers?: { samples: number; top: number };
  /** Also discover the span of transforms the model respects (--discover). */
  discover?: boolean;
  onProgress?: (fraction: number) => void;
}

/** What a model's layer attribution returns: core's result and the nodes attributed as units. */
export interface AttributionResult extends LayerAttributionResult {
  units: string[];
}

/** What a model's transforms analysis returns: core's result, the output analyzed and the image layout. */
export interface TransformsResult extends LocalEquivarianceResult {
  output: string;
  layout: string;
}

type Values = ParsedCommand['values'];

/** The --transforms, --tolerance, --layout and --pixel-range flags of analyze, validated before the model is opened. */
export function transformsFlags(v: Values): Omit<TransformsRun, 'samples' | 'seed' | 'onProgress'> | undefined {
  const text = v['transforms'] as string | undefined;
  if (text === undefined && v['discover'] === true) throw new UsageError('analyze: --discover needs --transforms image|signal|NAME,… (without --transforms, analyze already discovers over --candidate)');
  if (text === undefined) {
    for (const flag of ['pixel-range', 'tolerance', 'layers', 'layer-samples', 'top']) if (v[flag] !== undefined) throw new UsageError(`analyze: --${flag} needs --transforms image|signal|NAMES`);
    return undefined;
  }
  if (v['layers'] !== true) for (const flag of ['layer-samples', 'top']) if (v[flag] !== undefined) throw new UsageError(`analyze: --${flag} needs --layers`);
  const layerSamples = v['layer-samples'] as string | undefined;
  const top = v['top'] as string | undefined;
  const layers =
    v['layers'] === true
      ? { samples: layerSamples === undefined ? 8 : integerFlag('layer-samples', layerSamples, { min: 1, max: 65536 }), top: top === undefined ? 8 : integerFlag('top', top, { min: 1, max: 100000 }) }
      : undefined;
  const names = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length === 0) throw new UsageError(`--transforms must be image, signal or transform names (comma-separated); received '${text}'`);
  if (v['candidate'] !== undefined) throw new UsageError('analyze: give --transforms or --candidate, not both');
  const layout = v['layout'] as string | undefined;
  const upper = layout?.toUpperCase();
  if (upper !== undefined && upper !== 'NCHW' && upper !== 'NHWC') throw new UsageError(`--layout must be nchw or nhwc; received '${layout}'`);
  const tol = v['tolerance'] as string | undefined;
  const range = v['pixel-range'] as string | undefined;
  return {
    transforms: text === 'image' || text === 'signal' ? text : names,
    ...(tol !== undefined ? { tolerance: fractionFlag('tolerance', tol) } : {}),
    ...(upper !== undefined ? { layout: upper as 'NCHW' | 'NHWC' } : {}),
    ...(range !== undefined ? { pixelRange: positiveFlag('pixel-range', range) } : {}),
    ...(layers ? { layers } : {}),
    ...(v['discover'] === true ? { discover: true } : {}),
  };
}

/** The --discover lines after the table: the decision, the combinations found, the closure and the spectrum. */
function discoveryLines(d: TransformDiscovery): string[] {
  const closure =
    d.closure.closed === null
      ? `undetermined: ${d.closure.reason ?? ''}`
      : d.closure.closed
        ? `closed under the bracket of the field generators (residual ${fmt(d.closure.residual ?? 0)}): a Lie subalgebra`
        : `not closed (residual ${fmt(d.closure.residual ?? 0)}): brackets of the found combinations leave the span, so the model is not invariant under the group they generate`;
  return [
    '',
    `discovery      dimension ${d.dimension} of ${d.singularValues.length} (σ ≤ threshold ${fmt(d.threshold)}, the tolerance, counts as zero; gap ${fmt(d.gap)})`,
    ...(d.dimension === 0 ? ['  no combination of the transforms holds'] : d.basis.map((c) => `  ${formatCombination(c)}`)),
    `closure        ${closure}`,
    ...d.dependent.map((x) => `left out       ${x.name} = ${formatCombination(x.combination)} (a combination of the others for every model)`),
    ...(d.determined ? [] : [`note           ${d.reason ?? 'the samples do not determine the span'}`]),
    ...(d.gap < 10 && d.dimension > 0 ? ['note           weak gap (< 10): the decision is uncertain; try more --samples'] : []),
    '',
    '    #  singular value  in the span',
    ...Array.from(d.singularValues, (sv, i) => `  ${String(i + 1).padStart(3)}  ${fmt(sv).padStart(14)}  ${i < d.dimension ? 'yes' : ''}`),
    '',
    'Singular values of the per-transform Lie-derivative columns stacked over samples and outputs, each scaled as its',
    'relative error is: σ is the relative error of a unit combination of the transforms (per unit of each).',
  ];
}

/** The sentence comparing a pixel of translation with a degree of rotation, when both were measured. */
function comparison(r: TransformsResult, shape: readonly number[]): string | undefined {
  const rot = r.transforms.find((t) => t.name === 'rotation');
  const moves = r.transforms.filter((t) => t.name === 'translation-x' || t.name === 'translation-y');
  if (!rot || rot.unit !== 'degree' || moves.length === 0) return undefined;
  const tr = moves.reduce((a, b) => (b.error > a.error ? b : a));
  // A degree turns the corners (half-diagonal R from the centre) by R·π/180 pixels.
  const [H, W] = shape.length === 2 ? shape : r.layout === 'NHWC' ? shape.slice(0, 2) : shape.slice(1);
  const corner = (Math.hypot((H! - 1) / 2, (W! - 1) / 2) * Math.PI) / 180;
  const note = ` (a degree moves the corners by ${fmt(corner)} px)`;
  if (rot.error === 0 && tr.error === 0) return 'a pixel of translation and a degree of rotation both leave the output unchanged';
  const ratio = tr.error === 0 ? Infinity : rot.error / tr.error;
  if (ratio >= 1) return `a degree of rotation changes the output ${fmt(ratio)}× as much as a pixel of translation (${tr.name}): ${fmt(rot.error)} vs ${fmt(tr.error)}${note}`;
  return `a pixel of translation (${tr.name}) changes the output ${fmt(1 / ratio)}× as much as a degree of rotation: ${fmt(tr.error)} vs ${fmt(rot.error)}${note}`;
}

/** Runs the transforms analysis on an opened model, prints the table and returns the JSON value. */
export async function transformsCommand(spec: {
  model: CliModel;
  io: Io;
  table: (text: string) => void;
  run: Omit<TransformsRun, 'onProgress'>;
  header: string[];
}): Promise<{ code: number; json: Record<string, unknown>; text: string; layout: string }> {
  const { model, io, run } = spec;
  if (model.transforms === undefined) throw new UsageError(`--transforms needs an ONNX or tfjs model with an image or signal input, or a brain.js network; '${model.path}' is a ${model.kind} model`);
  const count = Array.isArray(run.transforms) ? run.transforms.length : run.transforms === 'signal' ? 3 : 10;
  announceCost(io, { label: 'analyze', evaluations: run.samples * (1 + 2 * count), msPerEvaluation: model.msPerEvaluation });
  const bar = progressLine(io, { label: 'analyze' });
  let r: TransformsResult;
  try {
    r = await model.transforms({ ...run, onProgress: (f) => bar.update(f) });
  } finally {
    bar.done();
  }
  const w = Math.max(22, ...r.transforms.map((t) => t.name.length + 2));
  const sentence = comparison(r, model.sampleShape);
  const lines = [
    ...spec.header,
    `action         ${r.transforms.some((t) => t.action === 'equivariant') ? `equivariance: the output ${r.output} is an image/signal on the input's grid and is transformed too` : `invariance: the output ${r.output} is not transformed`}`,
    `samples        ${r.sampleCount}${run.inputs ? ' (from the input files)' : ` (seed ${run.seed})`}, layout ${r.layout}`,
    ...(r.transforms.some((t) => t.name === 'brightness' || t.name === 'contrast')
      ? [`pixel range    ${fmt(run.pixelRange ?? 1)} (brightness is a percent of it${run.pixelRange === undefined ? '; default 1, pixels in [0, 1]' : ''})`]
      : []),
    `derivative     central finite differences (step ${fmt(r.step)}) along each transform's velocity; spatial derivative '${r.spatialDerivative}'`,
    `tolerance      ${fmt(r.tolerance)}${run.tolerance === undefined ? ' (default: core\'s TOLERANCES.check for finite differences in the model\'s dtype)' : ''}`,
    '',
    `  ${'transform'.padEnd(w)}${'relative error'.padStart(14)}  ${'change per unit'.padStart(20)}  verdict`,
    ...r.transforms.map((t) => `  ${t.name.padEnd(w)}${fmt(t.error).padStart(14)}  ${`${fmt(t.perUnit)} / ${t.unit}`.padStart(20)}  ${t.verdict}`),
    ...(sentence ? ['', sentence] : []),
    '',
    'relative error = RMS over the samples of ‖d/dt [g_t⁻¹·F(g_t·x)] at t = 0‖ divided by RMS ‖F(x)‖ (lie-deriv\'s local',
    `equivariance error); change per unit = the same RMS, absolute, per pixel / degree / percent. Output scale ${fmt(r.outputScale)}.`,
    ...(r.discovery ? discoveryLines(r.discovery) : []),
  ];
  const attribution = run.layers ? await attributionBlock({ model, io, run, layers: run.layers }) : undefined;
  const text = `${[...lines, ...(attribution?.lines ?? [])].join('\n')}\n`;
  spec.table(text);
  return {
    code: EXIT.ok,
    text,
    layout: r.layout,
    json: {
      ...(attribution ? { layers: attribution.json } : {}),
      transforms: r.transforms.map((t) => ({ name: t.name, error: t.error, perUnit: t.perUnit, unit: t.unit, verdict: t.verdict, action: t.action })),
      tolerance: r.tolerance,
      samples: r.sampleCount,
      pixelRange: run.pixelRange ?? 1,
      output: r.output,
      layout: r.layout,
      outputScale: r.outputScale,
      spatialDerivative: r.spatialDerivative,
      derivative: r.derivative,
      ...(sentence ? { comparison: sentence } : {}),
      ...(r.discovery
        ? {
            discovery: {
              spectrum: Array.from(r.discovery.singularValues),
              dimension: r.discovery.dimension,
              threshold: r.discovery.threshold,
              gap: r.discovery.gap,
              basis: r.discovery.basis,
              closure: r.discovery.closure,
              dependent: r.discovery.dependent,
              determined: r.discovery.determined,
              reason: r.discovery.reason,
            },
          }
        : {}),
    },
  };
}

/** The first `count` rows of a sample matrix. */
function firstRows(m: Matrix, count: number): Matrix {
  return m.rows <= count ? m : new Matrix(count, m.cols, m.data.slice(0, count * m.cols));
}

/** Runs the layer attribution and formats its lines and JSON value. */
async function attributionBlock(spec: { model: CliModel; io: Io; run: Omit<TransformsRun, 'onProgress'>; layers: { samples: number; top: number } }): Promise<{ lines: string[]; json: Record<string, unknown> }> {
  const { model, io, run, layers } = spec;
  if (model.attribute === undefined) throw new UsageError(`--layers needs an ONNX or tfjs model; '${model.path}' is a ${model.kind} model`);
  const count = Math.min(layers.samples, run.inputs?.rows ?? run.samples);
  const names = Array.isArray(run.transforms) ? run.transforms.length : run.transforms === 'signal' ? 3 : 10;
  announceCost(io, { label: 'analyze --layers', evaluations: count * names * (4 + 2 * (model.graphNodes ?? 0)), msPerEvaluation: model.msPerEvaluation });
  const bar = progressLine(io, { label: 'layers' });
  let a: AttributionResult;
  try {
    a = await model.attribute({ ...run, samples: count, ...(run.inputs ? { inputs: firstRows(run.inputs, count) } : {}), onProgress: (f) => bar.update(f) });
  } finally {
    bar.done();
  }
  const pct = (x: number): string => `${fmt(100 * x)} %`;
  const w = Math.max(24, ...a.transforms.flatMap((t) => t.nodes.map((n) => n.name.length + 2)));
  const lines = [
    '',
    `layers         lie-deriv's layer-wise attribution on ${a.sampleCount} sample${a.sampleCount === 1 ? '' : 's'}${run.inputs ? ' (the first input files)' : ''}, step ${fmt(a.step)}, ${a.runs} graph runs`,
    `               ${a.transforms[0]?.nodes.length ?? 0} nodes${a.units.length > 0 ? `; attributed as units: ${a.units.join(', ')}` : ''}; ${a.spatial.length} tensors moved as resampled grids, ${a.fixed.length} held fixed (not spatial)`,
  ];
  for (const t of a.transforms) {
    const shown = [...t.nodes].sort((x, y) => y.error - x.error).slice(0, layers.top).filter((n) => n.error > 0);
    const quiet = t.nodes.filter((n) => !n.propagated).length;
    lines.push(
      '',
      `  ${t.name}: whole graph ${fmt(t.total.error)} (${fmt(t.total.perUnit)} / ${t.unit}); the parts add up to ${fmt(t.sum.error)}, closure ${pct(t.closure)}; ${quiet} node${quiet === 1 ? '' : 's'} below the noise floor`,
      `    ${'node'.padEnd(w)}${'op'.padEnd(20)}${'contribution'.padStart(13)}  ${'own defect'.padStart(10)}`,
      ...shown.map((n) => `    ${n.name.padEnd(w)}${n.opType.padEnd(20)}${fmt(n.error).padStart(13)}  ${fmt(n.local).padStart(10)}`),
    );
  }
  lines.push(
    '',
    "contribution = RMS over the samples of ‖J_rest·L_n‖ / RMS ‖F(x)‖, the node's share of the error on the output (parts",
    "can cancel: they add as vectors, closure compares their sum with the whole); own defect = ‖L_n‖/‖y_n‖, L_n = J_n·X_in − X_out.",
  );
  return {
    lines,
    json: {
      samples: a.sampleCount,
      step: a.step,
      runs: a.runs,
      units: a.units,
      transforms: a.transforms.map((t) => ({ name: t.name, unit: t.unit, total: t.total, sum: t.sum, closure: t.closure, nodes: t.nodes })),
    },
  };
}
