/** An .onnx file as a {@link CliModel}: @liesym/onnx (onnxruntime-node), promote through @liesym/tfjs/onnx. */
import { analyzeLayers, analyzeTransforms, checkDiscrete, checkSymmetry, discoverSymmetries, findLinearLayers, loadModel, projectModel, type OnnxModel } from '@liesym/onnx';
import type { CliModel, LayerRow } from './CliModel.js';

/** Options of {@link openOnnx}: the analysed tensors and fixed dims. */
export interface OnnxOpenOptions {
  input?: string;
  output?: string;
  shapes: Record<string, number[]>;
}

function rows(model: OnnxModel, reps: Parameters<typeof analyzeLayers>[1]): LayerRow[] {
  return analyzeLayers(model.proto.graph!, reps).map((l) => ({ ...l, name: l.name }));
}

/** Opens an .onnx file (session, graph, a test run). */
export async function openOnnx(path: string, options: OnnxOpenOptions): Promise<CliModel> {
  const model = await loadModel(path, {
    ...(options.input !== undefined ? { input: options.input } : {}),
    ...(options.output !== undefined ? { output: options.output } : {}),
    inputs: options.shapes,
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
