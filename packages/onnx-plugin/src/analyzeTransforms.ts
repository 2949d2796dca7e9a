import { InvalidArgumentError, describe, localEquivarianceErrorAsync, resolveTransformFamilies } from '@liesym/core';
import type { ImageLayout, LocalEquivarianceResult, NamedTransformsOptions } from '@liesym/core';
import type { OnnxModel } from './loadModel.js';
import { checkModel, runAnalysis, type OnnxAnalysisOptions } from './runAnalysis.js';

/** Options of {@link analyzeTransforms}: which named transforms, and samples (`samples`, `sampler`, `seed`). */
export interface AnalyzeTransformsOptions extends OnnxAnalysisOptions, NamedTransformsOptions {
  /** Also discover the span of transforms the model respects (core's `discover`: `discovery` in the report). Default false. */
  discover?: boolean;
}

/** What {@link analyzeTransforms} measured: core's {@link LocalEquivarianceResult}, the family's layout, the output name and the `session.run` calls. */
export interface TransformsReport extends LocalEquivarianceResult {
  kind: 'image' | 'signal';
  layout: ImageLayout | 'signal';
  /** The analyzed output. */
  output: string;
  runs: number;
}

/** The input's (and an image or signal output's) transform families and the input's default sampler: core's `resolveTransformFamilies` on the model's shapes. */
export function families(model: OnnxModel, options: AnalyzeTransformsOptions, fn: string): ReturnType<typeof resolveTransformFamilies> {
  return resolveTransformFamilies({
    transforms: options.transforms,
    shape: model.sampleShape,
    outputShape: model.outputShape,
    fn,
    inputName: model.inputName,
    ...(options.layout !== undefined ? { layout: options.layout } : {}),
    ...(options.pixelRange !== undefined ? { pixelRange: options.pixelRange } : {}),
    ...(options.derivative !== undefined ? { derivative: options.derivative } : {}),
  });
}

/**
 * lie-deriv's local equivariance error of an ONNX model for named continuous transforms, with
 * core's `imageTransforms`/`signalTransforms` resolved from the model's input shape (NCHW
 * [C, H, W], NHWC [H, W, C], [H, W] or a signal [T]) and core's `localEquivarianceErrorAsync`:
 * per transform the relative error, the output change per unit (pixel, degree, percent, sample)
 * and a verdict. An output on the same grid (image-to-image, signal-to-signal) is transformed
 * too. Samples: `samples` rows (real inputs), or that many draws (default 32) of `sampler`
 * (default: smooth random fields).
 * @throws InvalidArgumentError for bad options; ShapeMismatchError when the input is not an image or signal
 * @example
 * const model = await loadModel('classifier.onnx');
 * const r = await analyzeTransforms(model, { transforms: 'image', samples: 16, seed: 0 });
 * r.transforms.map((t) => `${t.name}: ${t.perUnit} per ${t.unit}`);
 * const d = (await analyzeTransforms(model, { transforms: 'image', discover: true })).discovery!;
 * d.basis.map(formatCombination); // the combinations of named transforms the model respects
 */
export async function analyzeTransforms(model: OnnxModel, options: AnalyzeTransformsOptions): Promise<TransformsReport> {
  const fn = 'analyzeTransforms';
  checkModel(model, fn);
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be an object { transforms }; received ${describe(options)}`);
  const { input, output, sampler: fallback } = families(model, options, fn);
  const r = await runAnalysis(model, options, {
    fn,
    defaultCount: 32,
    fallback,
    run: (ev, xs) =>
      localEquivarianceErrorAsync(ev, xs, {
        transforms: input,
        ...(output ? { outputTransforms: output } : {}),
        ...(options.tolerance !== undefined ? { tolerance: options.tolerance } : {}),
        ...(options.step !== undefined ? { step: options.step } : {}),
        ...(options.discover !== undefined ? { discover: options.discover } : {}),
      }),
  });
  return { ...r, kind: input.kind, layout: input.layout, output: model.outputName };
}
