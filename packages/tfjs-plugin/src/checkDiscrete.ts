import type * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, checkDiscreteTransforms, describe, drawSamples, resolveDiscreteTransforms } from '@liesym/core';
import type { DiscreteTransformsCheck, ImageLayout, IndexMapTransform, SamplingOptions } from '@liesym/core';
import { modelEvaluator, modelShapes } from './modelEvaluator.js';

/** Options of {@link checkDiscrete}. */
export interface CheckDiscreteOptions extends SamplingOptions {
  /**
   * The transforms: names of core's `DISCRETE_TRANSFORMS` resolved from the model's per-sample
   * input shape (flip-horizontal, flip-vertical, rotate90, rotate180, rotate270, transpose for
   * [H, W, C] / [C, H, W] / [H, W] images; time-reversal for [T] / [C, T] signals) or core's
   * index-map transforms.
   */
  transforms: ReadonlyArray<string | IndexMapTransform>;
  /** An output permutation P_h for every named transform (e.g. `[1, 0]` swaps two outputs). Default: none (invariance). */
  outputPermutation?: ArrayLike<number>;
  /** Layout of a 3-D image input. Default core's `guessImageLayout` with fallback 'NHWC' (tfjs's own). */
  layout?: ImageLayout;
  /** Core's default: `TOLERANCES.check` for exact evaluation in float32 (1e-4). */
  tolerance?: number;
  /** Points per `predict` call (default 128). */
  batchSize?: number;
}

/** {@link checkDiscrete}'s result: core's {@link DiscreteTransformsCheck} and the analyzed output's name. */
export interface DiscreteReport extends DiscreteTransformsCheck {
  output: string;
}

/**
 * Named discrete transforms (and index maps) as core's index maps for a tfjs model's per-sample
 * shapes, with tfjs's 'NHWC' as the layout fallback: the one rule of `checkDiscrete` and
 * `functionSymmetryPenalty`'s `transforms`.
 */
export function modelIndexMaps(
  fn: string,
  model: tf.LayersModel,
  context: { shapes: { inputShape: number[]; dimOut: number }; options: Pick<CheckDiscreteOptions, 'transforms' | 'outputPermutation' | 'layout'> },
): IndexMapTransform[] {
  const { shapes, options } = context;
  return resolveDiscreteTransforms({
    transforms: options.transforms,
    shape: shapes.inputShape,
    dimOut: shapes.dimOut,
    layoutFallback: 'NHWC',
    fn,
    inputName: model.inputNames[0] ?? 'input',
    ...(options.layout !== undefined ? { layout: options.layout } : {}),
    ...(options.outputPermutation !== undefined ? { outputPermutation: options.outputPermutation } : {}),
  });
}

/**
 * Checks discrete symmetries of a tf.LayersModel given as index maps, with core's
 * `resolveDiscreteTransforms` and `checkDiscreteTransforms` on the model as
 * {@link modelEvaluator} (float32): for each transform h the residual
 * RMS ‖F(h·x) − P_h F(x)‖ / RMS ‖F(x)‖ over the samples and a verdict against `tolerance`.
 * Samples: `samples` rows (flattened row-major) or that many standard-normal draws (default 64).
 * @throws UnsupportedModelError for a model without one fixed-size input and output;
 *   InvalidArgumentError for an unknown name or a bad permutation; ShapeMismatchError when a
 *   name does not fit the input shape or the permutation the outputs; UnsupportedOperationError
 *   for rotate90/rotate270/transpose on a non-square image
 * @example
 * const r = checkDiscrete(model, { transforms: ['rotate180', 'flip-horizontal'], samples: 16 });
 * r.discrete.map((d) => `${d.name}: ${d.residual} ${d.verdict}`);
 */
export function checkDiscrete(model: tf.LayersModel, options: CheckDiscreteOptions): DiscreteReport {
  const fn = 'checkDiscrete';
  const shapes = modelShapes(fn, model);
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be { transforms, … }; received ${describe(options)}`);
  const transforms = modelIndexMaps(fn, model, { shapes, options });
  const ev = modelEvaluator(model, { fn, ...(options.batchSize !== undefined ? { batchSize: options.batchSize } : {}) });
  const xs = drawSamples(options, { dimIn: ev.dimIn, fn, defaultCount: 64 });
  const r = checkDiscreteTransforms(ev, xs, { transforms, ...(options.tolerance !== undefined ? { tolerance: options.tolerance } : {}) });
  return { ...r, output: model.outputNames[0] ?? 'output' };
}
