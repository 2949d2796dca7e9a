/** An .onnx file as a {@link CliModel}: @liesym/onnx (onnxruntime-node), promote through @liesym/tfjs/onnx. */
import { readFileSync } from 'node:fs';
import { analyzeLayers, analyzeTransforms, checkDiscrete, checkSymmetry, discoverSymmetries, findLinearLayers, loadModel, onnx, projectModel, type OnnxModel } from '@liesym/onnx';
import type { CliModel, LayerRow } from './CliModel.js';

/** Options of {@link openOnnx}: the analysed tensors and fixed dims. */
export interface OnnxOpenOptions {
  input?: string;
  output?: string;
  shapes: Record<string, number[]>;
  /** From --image-size (with --layout): fixes an image input's dynamic H and W when no --shape is given. */
  imageSize?: { width: number; height: number };
  layout?: 'NCHW' | 'NHWC';
}

/**
 * The --shape an image input gets from --image-size: the analysed (or first float) input of rank 4
 * whose height and width are dynamic, with batch 1 and its fixed channel count; the --shape flags as
 * given when there is no such input (then loadModel names the dim still to fix).
 */
function imageShapes(path: string, options: OnnxOpenOptions): Record<string, number[]> {
  const size = options.imageSize;
  if (!size || Object.keys(options.shapes).length > 0) return options.shapes;
  let graphInputs: Array<{ name: string; dims: Array<number | undefined>; float: boolean }>;
  try {
    const proto = onnx.ModelProto.decode(readFileSync(path));
    const inits = new Set((proto.graph?.initializer ?? []).map((t) => t.name));
    graphInputs = (proto.graph?.input ?? [])
      .filter((i) => !inits.has(i.name ?? ''))
      .map((i) => ({
        name: i.name ?? '',
        dims: (i.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimValue !== undefined && d.dimValue !== null && Number(d.dimValue) > 0 ? Number(d.dimValue) : undefined)),
        float: i.type?.tensorType?.elemType === 1 || i.type?.tensorType?.elemType === 11,
      }));
  } catch {
    return options.shapes; // loadModel reports the unreadable file
  }
  const target = graphInputs.find((i) => (options.input === undefined ? i.float : i.name === options.input));
  if (!target || target.dims.length !== 4) return options.shapes;
  const nhwc = options.layout === 'NHWC';
  const c = nhwc ? target.dims[3] : target.dims[1];
  const [h, w] = nhwc ? [target.dims[1], target.dims[2]] : [target.dims[2], target.dims[3]];
  if (c === undefined || (h !== undefined && h !== size.height) || (w !== undefined && w !== size.width)) return options.shapes;
  return { [target.name]: nhwc ? [1, size.height, size.width, c] : [1, c, size.height, size.width] };
}

function rows(model: OnnxModel, reps: Parameters<typeof analyzeLayers>[1]): LayerRow[] {
  return analyzeLayers(model.proto.graph!, reps).map((l) => ({ ...l, name: l.name }));
}

/** Opens an .onnx file (session, graph, a test run). */
export async function openOnnx(path: string, options: OnnxOpenOptions): Promise<CliModel> {
  const shapes = imageShapes(path, options);
  const model = await loadModel(path, {
    ...(options.input !== undefined ? { input: options.input } : {}),
    ...(options.output !== undefined ? { output: options.output } : {}),
    inputs: shapes,
  });
  return {
    kind: 'onnx',
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
    transforms: ({ onProgress, inputs, ...run }) => analyzeTransforms(model, { ...run, samples: inputs ?? run.samples, ...(onProgress ? { onProgress } : {}) }),
    layers: (o) => rows(model, { reps: o.reps, ...(o.tolerance !== undefined ? { tolerance: o.tolerance } : {}) }),
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
