import type * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, describe, drawSamples, localEquivarianceError, resolveTransformFamilies } from '@liesym/core';
import type { ImageLayout, LocalEquivarianceResult, NamedTransformsOptions, SamplingOptions } from '@liesym/core';
import { modelEvaluator, modelShapes } from './modelEvaluator.js';

/** Options of {@link analyzeTransforms}: which named transforms, and samples (`samples`, `sampler`, `seed`). */
export interface AnalyzeTransformsOptions extends SamplingOptions, NamedTransformsOptions {
  /** Points per `predict` call (default 128). */
  batchSize?: number;
}

/** What {@link analyzeTransforms} measured: core's {@link LocalEquivarianceResult}, the family's kind and layout and the output's name. */
export interface TransformsReport extends LocalEquivarianceResult {
  kind: 'image' | 'signal';
  layout: ImageLayout | 'signal';
  /** The analyzed output's name. */
  output: string;
}

/**
 * The model's shapes and its transform families (core's `resolveTransformFamilies`, layout
 * fallback NHWC: tfjs's own), for {@link analyzeTransforms} and `attributeLayers`.
 * @throws UnsupportedModelError, InvalidArgumentError, ShapeMismatchError as those do
 */
export function families(model: tf.LayersModel, options: Pick<AnalyzeTransformsOptions, 'transforms' | 'layout' | 'pixelRange' | 'derivative'>, fn: string): ReturnType<typeof resolveTransformFamilies> & { shapes: ReturnType<typeof modelShapes> } {
  const shapes = modelShapes(fn, model);
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be an object { transforms }; received ${describe(options)}`);
  const resolved = resolveTransformFamilies({
    transforms: options.transforms,
    shape: shapes.inputShape,
    outputShape: shapes.outputShape,
    layoutFallback: 'NHWC',
    fn,
    inputName: model.inputNames[0] ?? 'input',
    ...(options.layout !== undefined ? { layout: options.layout } : {}),
    ...(options.pixelRange !== undefined ? { pixelRange: options.pixelRange } : {}),
    ...(options.derivative !== undefined ? { derivative: options.derivative } : {}),
  });
  return { ...resolved, shapes };
}

/**
 * lie-deriv's local equivariance error of a tf.LayersModel for named continuous transforms:
 * core's `resolveTransformFamilies` reads the families from the model's per-sample input shape
 * ([H, W, C] by default, [C, H, W] with `layout: 'NCHW'`, [H, W] or a signal [T]) and core's
 * `localEquivarianceError` differentiates the model (as {@link modelEvaluator}, float32) along
 * each transform's velocity by central finite differences: per transform the relative error, the
 * output change per unit (pixel, degree, percent, sample) and a verdict. An output on the same
 * grid (image-to-image, signal-to-signal) is transformed too (equivariance). Samples: `samples`
 * rows (real inputs, flattened row-major), or that many draws (default 32) of `sampler`
 * (default: smooth random fields in the input's layout).
 * @throws UnsupportedModelError for a model without one fixed-size input and output;
 *   InvalidArgumentError for bad options; ShapeMismatchError when the input is not an image or signal
 * @example
 * const model = tf.sequential({ layers: [tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 1 }), tf.layers.globalAveragePooling2d({})] });
 * const r = analyzeTransforms(model, { transforms: ['rotation', 'translation-x'], samples: 8 });
 * r.transforms.map((t) => `${t.name}: ${t.error} (${t.verdict})`);
 */
export function analyzeTransforms(model: tf.LayersModel, options: AnalyzeTransformsOptions): TransformsReport {
  const fn = 'analyzeTransforms';
  const { input, output, sampler } = families(model, options, fn);
  const ev = modelEvaluator(model, { fn, ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}) });
  const xs = drawSamples(options, { dimIn: ev.dimIn, fn, defaultCount: 32, fallback: sampler });
  const r = localEquivarianceError(ev, xs, {
    transforms: input,
    ...(output ? { outputTransforms: output } : {}),
    ...(options.tolerance !== undefined ? { tolerance: options.tolerance } : {}),
    ...(options.step !== undefined ? { step: options.step } : {}),
  });
  return { ...r, kind: input.kind, layout: input.layout, output: model.outputNames[0] ?? 'output' };
}
