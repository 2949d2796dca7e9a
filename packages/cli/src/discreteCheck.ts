/**
 * `liesym check MODEL --transform NAME …` without --group: discrete symmetries as index maps
 * (flips, quarter and half turns, transpose, time reversal) with an optional output
 * permutation, checked by the adapter's `checkDiscrete` (@liesym/onnx, @liesym/tfjs, @liesym/brain: core's
 * `checkDiscreteTransforms`).
 */
import type { OnnxOpenOptions } from './onnxModel.js';
import { ResourceLimitError, UsageError } from './errors.js';
import { announceCost, progressLine, type Io } from './progress.js';
import type { ParsedCommand } from './runCli.js';
import { EXIT } from './runCli.js';
import { writeHtmlReport } from './htmlReport.js';
import { checkOutputs, header, outputs, readModelInputs, reportFlag, sampling, withModel, writeJson } from './runCommand.js';
import { inputsFlags, modelLayout, randomInputs } from './sampleInputs.js';
import { fmt, formatBytes, fractionFlag } from './values.js';

const NAMES = ['flip-horizontal', 'flip-vertical', 'rotate90', 'rotate180', 'rotate270', 'transpose', 'time-reversal'];

function permutationFlag(text: string | undefined): number[] | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+(,\d+)*$/.test(text.replace(/\s/g, ''))) throw new UsageError(`--output-permutation must be output indices separated by commas, e.g. 1,0; received '${text}'`);
  const perm = text.replace(/\s/g, '').split(',').map(Number);
  const sorted = [...perm].sort((a, b) => a - b);
  if (sorted.some((p, i) => p !== i)) throw new UsageError(`--output-permutation must be a permutation of 0..${perm.length - 1} (each index once); received '${text}'`);
  return perm;
}

/** Runs the discrete check; returns the exit code (0 all hold, 1 one is broken). */
export async function discreteCheck(p: ParsedCommand, context: { io: Io; open: OnnxOpenOptions }): Promise<number> {
  const { io } = context;
  const v = p.values;
  const out = outputs(v, io);
  const s = sampling(v);
  const transforms = (v['transform'] as string[] | undefined) ?? [];
  if (transforms.length === 0) throw new UsageError(`--output-permutation needs at least one --transform (${NAMES.join(', ')})`);
  if (v['group'] !== undefined || v['in'] !== undefined || v['out'] !== undefined) throw new UsageError('--transform checks discrete transforms without --group, --in or --out; give one kind of check');
  for (const t of transforms) if (!NAMES.includes(t)) throw new UsageError(`--transform must be one of ${NAMES.join(', ')}; received '${t}'`);
  const perm = permutationFlag(v['output-permutation'] as string | undefined);
  const tolText = v['tolerance'] as string | undefined;
  const tolerance = tolText === undefined ? undefined : fractionFlag('tolerance', tolText);
  const given = inputsFlags(v);
  const layoutText = v['layout'] as string | undefined;
  if (layoutText !== undefined && !['NCHW', 'NHWC'].includes(layoutText.toUpperCase())) throw new UsageError(`--layout must be nchw or nhwc; received '${layoutText}'`);
  const layoutFlag = layoutText?.toUpperCase() as 'NCHW' | 'NHWC' | undefined;
  const drawn = s.samples ?? 64;
  const report = reportFlag(v);
  if (report) checkOutputs([{ flag: '--report', path: report }], { inputs: [p.model, ...(given?.patterns ?? [])], force: out.force });
  if (out.json !== undefined && out.json !== '-') checkOutputs([{ flag: '--json', path: out.json }], { inputs: [p.model], force: out.force });
  return withModel(p.model, v, async (model) => {
    if (!model.checkDiscrete) throw new UsageError(`--transform needs an ONNX or tfjs model with an image or signal input, or a brain.js network; '${p.model}' is a ${model.kind} model`);
    const { read, files } = readModelInputs({ given, model, out, report });
    const samples = read?.samples.rows ?? drawn;
    const inputs = read?.report ?? randomInputs({ count: samples, sampler: 'normalSampler (standard normal)', seed: s.seed });
    const layout = layoutFlag ?? (model.sampleShape.length === 3 ? modelLayout(model) : undefined);
    if (perm !== undefined && perm.length !== model.dimOut) throw new UsageError(`--output-permutation must permute the model's ${model.dimOut} outputs; received ${perm.length} indices`);
    // The samples and their images, as Float64 (the model's own buffers come on top, in batches).
    const bytes = samples * (transforms.length + 1) * (model.dimIn + model.dimOut) * 8;
    if (bytes > s.maxMemory) {
      throw new ResourceLimitError(`check: ${samples} samples × ${transforms.length + 1} evaluations of ${model.dimIn} inputs need about ${formatBytes(bytes)}, above --max-memory ${formatBytes(s.maxMemory)}; use fewer --samples`);
    }
    announceCost(io, { label: 'check', evaluations: samples * (transforms.length + 1), msPerEvaluation: model.msPerEvaluation });
    const bar = progressLine(io, { label: 'check' });
    let r: Awaited<ReturnType<NonNullable<typeof model.checkDiscrete>>>;
    try {
      r = await model.checkDiscrete({ transforms, samples, seed: s.seed, ...(read ? { inputs: read.samples } : {}), ...(layout ? { layout } : {}), ...(perm ? { outputPermutation: perm } : {}), ...(tolerance !== undefined ? { tolerance } : {}), onProgress: (f) => bar.update(f) });
    } finally {
      bar.done();
    }
    const w = Math.max(17, ...r.discrete.map((d) => d.name.length + 2));
    const broken = r.discrete.filter((d) => d.verdict === 'broken');
    const lines = [
      ...header(model),
      `transforms     ${transforms.join(', ')}${perm ? `; outputs permuted [${perm.join(', ')}]` : '; outputs unchanged (invariance)'}`,
      inputs.line,
      `samples        ${r.sampleCount}${read ? '' : ` (seed ${s.seed})`}; ${r.evaluations} model evaluations${layout ? `, layout ${layout}` : ''}`,
      `output scale   ${fmt(r.outputScale)} (RMS over the samples of ‖F(x)‖)`,
      `tolerance      ${fmt(r.tolerance)}${tolerance === undefined ? ` (default: core's TOLERANCES.check for exact evaluation in ${model.dtype})` : ''}`,
      '',
      `  ${'transform'.padEnd(w)}${'residual'.padStart(10)}  verdict`,
      ...r.discrete.map((d) => `  ${d.name.padEnd(w)}${fmt(d.residual).padStart(10)}  ${d.verdict}`),
      '',
      r.verdict === 'holds'
        ? `verdict        holds: all ${r.discrete.length} transforms hold (largest residual ${fmt(r.maxRelative)} ≤ tolerance ${fmt(r.tolerance)})`
        : `verdict        broken: ${broken.map((d) => d.name).join(', ')} (largest residual ${fmt(r.maxRelative)} > tolerance ${fmt(r.tolerance)})`,
      '',
      'residual = RMS over the samples of ‖F(h·x) − P_h F(x)‖ divided by the output scale (h the index map,',
      `P_h the output permutation); a transform holds when it is ≤ the tolerance.${read ? '' : ' On random inputs it says'}`,
      ...(read ? [] : ['little about a classifier trained on real data (give real ones with --inputs).']),
    ];
    const text = `${lines.join('\n')}\n`;
    out.table(text);
    if (report) {
      const example = read && model.sampleShape.length === 3 && layout ? { samples: read.samples, shape: model.sampleShape, layout, bgr: given?.channels === 'bgr', discrete: transforms.filter((t) => t !== 'time-reversal') } : undefined;
      writeHtmlReport({ path: report, force: out.force, inputs: files, title: `liesym check --transform: ${p.model}`, table: text, bars: r.discrete.map((d) => ({ name: d.name, value: d.residual, verdict: d.verdict })), tolerance: r.tolerance, ...(example ? { example } : {}) });
    }
    writeJson(out, io, {
      inputs: files,
      value: {
        command: 'check',
        model: p.model,
        kind: model.kind,
        inputs: inputs.json,
        output: model.output?.name,
        outputReason: model.output?.reason,
        samples: r.sampleCount,
        seed: s.seed,
        outputPermutation: perm ?? null,
        tolerance: r.tolerance,
        outputScale: r.outputScale,
        verdict: r.verdict,
        discrete: r.discrete.map((d) => ({ name: d.name, residual: d.residual, verdict: d.verdict })),
      },
    });
    return r.verdict === 'holds' ? EXIT.ok : EXIT.broken;
  });
}
