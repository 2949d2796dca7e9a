/** An .onnx file as a {@link CliModel}: @liesym/onnx (onnxruntime-node), promote through @liesym/tfjs/onnx. */
import { readFileSync } from 'node:fs';
import { analyzeLayers, analyzeTransforms, attributeLayers, checkDiscrete, checkSymmetry, discoverSymmetries, findLayers, findLinearLayers, loadModel, onnx, projectModel, type FixedInput, type OnnxModel } from '@liesym/onnx';
import type { CliModel, LayerRow } from './CliModel.js';
import { UsageError } from './errors.js';

/** Options of {@link openOnnx}: the analysed tensors and fixed dims. */
export interface OnnxOpenOptions {
  input?: string;
  output?: string;
  shapes: Record<string, number[]>;
  /** From --fix NAME=v[,v…]: values held fixed for other inputs (sample rates, states). */
  fix?: Record<string, number[]>;
  /** From --image-size (with --layout): fixes an image input's dynamic H and W when no --shape is given. */
  imageSize?: { width: number; height: number };
  layout?: 'NCHW' | 'NHWC';
}

/** One graph input as declared in the file: its fixed dims (undefined where dynamic) and element type. */
interface GraphInput {
  name: string;
  dims: Array<number | undefined>;
  float: boolean;
  integer: boolean;
}

/** The graph's inputs that are not initializers, read from the file; [] when it cannot be decoded (loadModel then reports it). */
function graphInputs(path: string): GraphInput[] {
  try {
    const proto = onnx.ModelProto.decode(readFileSync(path));
    const inits = new Set((proto.graph?.initializer ?? []).map((t) => t.name));
    return (proto.graph?.input ?? [])
      .filter((i) => !inits.has(i.name ?? ''))
      .map((i) => {
        const t = i.type?.tensorType?.elemType ?? 0;
        return {
          name: i.name ?? '',
          dims: (i.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimValue !== undefined && d.dimValue !== null && Number(d.dimValue) > 0 ? Number(d.dimValue) : undefined)),
          float: t === 1 || t === 11,
          // int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool
          integer: [2, 3, 4, 5, 6, 7, 9, 12, 13].includes(t),
        };
      });
  } catch {
    return [];
  }
}

/**
 * The --shape an image input gets from --image-size: the analysed (or first float) input of rank 4
 * whose height and width are dynamic, with batch 1 and its fixed channel count; the --shape flags as
 * given when there is no such input (then loadModel names the dim still to fix).
 */
function imageShapes(inputs: readonly GraphInput[], options: OnnxOpenOptions): Record<string, number[]> {
  const size = options.imageSize;
  if (!size || Object.keys(options.shapes).length > 0) return options.shapes;
  const target = inputs.find((i) => (options.input === undefined ? i.float : i.name === options.input));
  if (!target || target.dims.length !== 4) return options.shapes;
  const nhwc = options.layout === 'NHWC';
  const c = nhwc ? target.dims[3] : target.dims[1];
  const [h, w] = nhwc ? [target.dims[1], target.dims[2]] : [target.dims[2], target.dims[3]];
  if (c === undefined || (h !== undefined && h !== size.height) || (w !== undefined && w !== size.width)) return options.shapes;
  return { [target.name]: nhwc ? [1, size.height, size.width, c] : [1, c, size.height, size.width] };
}

/**
 * The values of --fix NAME=v[,v…] as loadModel's fixed inputs: dims from the graph (a leading
 * dynamic dim is 1, tiled per batch; one other dynamic dim takes the rest of the values), the
 * count checked, integers for integer inputs.
 * @throws UsageError naming the input, its dims and the values expected
 */
function fixedInputs(inputs: readonly GraphInput[], options: OnnxOpenOptions): Record<string, FixedInput> {
  const out: Record<string, FixedInput> = {};
  if (inputs.length === 0) return out; // an undecodable file: loadModel names the problem
  for (const [name, values] of Object.entries(options.fix ?? {})) {
    const info = inputs.find((i) => i.name === name);
    if (!info) throw new UsageError(`--fix: the model has no input '${name}'; its inputs are ${inputs.map((i) => `'${i.name}'`).join(', ')}`);
    if (name === options.input) throw new UsageError(`--fix ${name}: '${name}' is the analysed input (--input); fix another input`);
    const given = options.shapes[name];
    let dims = given ?? info.dims.map((d, k) => d ?? (k === 0 ? 1 : undefined));
    const open = dims.flatMap((d, k) => (d === undefined ? [k] : []));
    const known = dims.reduce<number>((a, d) => a * (d ?? 1), 1);
    if (open.length === 1 && values.length % known === 0) dims = dims.map((d) => d ?? values.length / known);
    const size = dims.reduce<number>((a, d) => a * (d ?? 1), 1);
    const shown = info.dims.map((d) => d ?? '?').join(', ');
    if (dims.some((d) => d === undefined) || size !== values.length) {
      throw new UsageError(`--fix ${name}: input '${name}' has dims [${shown}], so ${open.length > 1 ? 'its dynamic dims must be given with --shape' : `${size} values`}; received ${values.length}`);
    }
    if (info.integer && values.some((v) => !Number.isSafeInteger(v))) throw new UsageError(`--fix ${name}: input '${name}' holds integers; received ${values.join(',')}`);
    out[name] = { data: values, dims: dims as number[] };
  }
  return out;
}

function rows(model: OnnxModel, reps: Parameters<typeof analyzeLayers>[1]): LayerRow[] {
  return analyzeLayers(model.proto.graph!, reps).map((l) => ({ ...l, name: l.name }));
}

/** Opens an .onnx file (session, graph, a test run). */
export async function openOnnx(path: string, options: OnnxOpenOptions): Promise<CliModel> {
  const declared = options.imageSize || options.fix ? graphInputs(path) : [];
  const shapes = imageShapes(declared, options);
  const fixed = fixedInputs(declared, options);
  const model = await loadModel(path, {
    ...(options.input !== undefined ? { input: options.input } : {}),
    ...(options.output !== undefined ? { output: options.output } : {}),
    inputs: shapes,
    ...(Object.keys(fixed).length > 0 ? { fixedInputs: fixed } : {}),
  });
  // One timed batch of 4 zero samples (after loadModel's own test run warmed the session): the
  // cost per evaluation behind the run-time estimates.
  const probe = 4;
  const t0 = performance.now();
  await model.evaluate(new Float64Array(probe * model.dimIn), probe);
  const msPerEvaluation = (performance.now() - t0) / probe;
  return {
    kind: 'onnx',
    msPerEvaluation,
    path,
    files: [path],
    dimIn: model.dimIn,
    dimOut: model.dimOut,
    dtype: model.dtype,
    derivative: 'finite-difference',
    sampleShape: model.sampleShape,
    signature: `${model.inputName} [${model.sampleShape.join(', ')}] ${model.dtype} → ${model.outputName} [${model.outputShape.join(', ')}]`,
    output: { name: model.analyzedOutput.name, reason: model.analyzedOutput.reason },
    checkDiscrete: (run) =>
      checkDiscrete(model, {
        transforms: run.transforms,
        samples: run.inputs ?? run.samples,
        seed: run.seed,
        ...(run.layout ? { layout: run.layout } : {}),
        ...(run.outputPermutation ? { outputPermutation: run.outputPermutation } : {}),
        ...(run.tolerance !== undefined ? { tolerance: run.tolerance } : {}),
        ...(run.onProgress ? { onProgress: run.onProgress } : {}),
      }),
    layerCount: () => findLinearLayers(model.proto.graph!).length,
    discover: (run) =>
      discoverSymmetries(model, {
        candidate: run.candidate,
        samples: run.inputs ?? run.samples,
        seed: run.seed,
        ...(run.layout ? { layout: run.layout } : {}),
        ...(run.rtol !== undefined ? { rtol: run.rtol } : {}),
        ...(run.onProgress ? { onProgress: run.onProgress } : {}),
      }),
    check: (run) =>
      checkSymmetry(model, {
        group: run.group,
        repIn: run.repIn,
        repOut: run.repOut,
        samples: run.inputs ?? run.samples,
        seed: run.seed,
        ...(run.tolerance !== undefined ? { tolerance: run.tolerance } : {}),
        ...(run.onProgress ? { onProgress: run.onProgress } : {}),
      }),
    transforms: ({ onProgress, inputs, layers: _layers, ...run }) => analyzeTransforms(model, { ...run, samples: inputs ?? run.samples, ...(onProgress ? { onProgress } : {}) }),
    attribute: ({ onProgress, inputs, layers: _layers, tolerance: _tolerance, discover: _discover, ...run }) => attributeLayers(model, { ...run, samples: inputs ?? run.samples, ...(onProgress ? { onProgress } : {}) }),
    graphNodes: (model.proto.graph?.node ?? []).filter((n) => n.opType !== 'Constant').length,
    layers: (o) => rows(model, { reps: o.reps, ...(o.tolerance !== undefined ? { tolerance: o.tolerance } : {}) }),
    unreadLayers: () => findLayers(model.proto.graph!).unread,
    async project(o) {
      const r = await projectModel(path, o.out, { group: o.group, reps: o.reps, force: o.force });
      const written = await loadModel(o.out, { inputs: options.shapes });
      try {
        return { layers: r.layers.map((l) => ({ name: l.name, removed: l.removed, projected: l.projected })), after: rows(written, { reps: o.reps }) };
      } finally {
        await written.close();
      }
    },
    async promote(run) {
      const { promoteOnnxModel } = await import('@liesym/tfjs/onnx');
      const { out, force, ...train } = run;
      const r = await promoteOnnxModel(path, out, { ...train, force });
      return { loss: r.loss, layers: r.layers };
    },
    close: () => model.close(),
  };
}
