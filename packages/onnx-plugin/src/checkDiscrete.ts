import { InvalidArgumentError, checkDiscreteTransformsAsync, describe, resolveDiscreteTransforms, type DiscreteTransformsCheck, type ImageLayout, type IndexMapTransform } from '@liesym/core';
import type { OnnxModel } from './loadModel.js';
import { runAnalysis, type OnnxAnalysisOptions } from './runAnalysis.js';

/** The transform names {@link checkDiscrete} resolves from the model's input shape (core's list). */
export { DISCRETE_TRANSFORMS } from '@liesym/core';

/** Options of {@link checkDiscrete}. */
export interface CheckDiscreteOptions extends OnnxAnalysisOptions {
  /**
   * The transforms: names resolved from the model's per-sample input shape (flip-horizontal,
   * flip-vertical, rotate90, rotate180, rotate270, transpose for [C, H, W] / [H, W, C] / [H, W]
   * images; time-reversal for [T] / [C, T] signals) or core's index-map transforms.
   */
  transforms: ReadonlyArray<string | IndexMapTransform>;
  /** An output permutation P_h for every named transform (e.g. `[1, 0]` swaps two outputs). Default: none (invariance). */
  outputPermutation?: ArrayLike<number>;
  /** Layout of a 3-D image input. Default core's `guessImageLayout` ('NHWC' when only the last dim is 1, 3 or 4, else 'NCHW'). */
  layout?: ImageLayout;
  /** Core's default: `TOLERANCES.check` for exact evaluation in the model's dtype (1e-4 float32, 1e-8 float64). */
  tolerance?: number;
}

/** {@link checkDiscrete}'s result: core's {@link DiscreteTransformsCheck}, the analyzed output and the `session.run` calls. */
export interface DiscreteReport extends DiscreteTransformsCheck {
  /** The analyzed output's name (the logits when the graph ends in Softmax/Sigmoid). */
  output: string;
  runs: number;
}

/**
 * Checks discrete symmetries of an ONNX model given as index maps, with core's
 * `checkDiscreteTransformsAsync`: for each transform h the residual
 * RMS ‖F(h·x) − P_h F(x)‖ / RMS ‖F(x)‖ over the samples and a verdict against `tolerance`. No
 * representation matrix is built: 64 images of 3×48×192 cost the model's time on 64·(T+1)
 * points and a few copies of the samples. Samples as in `checkSymmetry` (default 64
 * standard-normal points; pass real inputs as `samples` for a meaningful answer).
 *
 * @throws InvalidArgumentError for an unknown name or a bad permutation; ShapeMismatchError when
 *   a name does not fit the input shape or the permutation the outputs; UnsupportedOperationError
 *   for rotate90/rotate270/transpose on a non-square image
 * @example
 * const r = await checkDiscrete(model, { transforms: ['rotate180'], outputPermutation: [1, 0], samples: xs });
 * r.discrete[0]; // { name: 'rotate180', residual: 0.29, verdict: 'broken', … }
 */
export async function checkDiscrete(model: OnnxModel, options: CheckDiscreteOptions): Promise<DiscreteReport> {
  const fn = 'checkDiscrete';
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be { transforms, … }; received ${describe(options)}`);
  return runAnalysis(model, options, {
    fn,
    defaultCount: 64,
    run: async (ev, xs) => {
      const transforms = resolveDiscreteTransforms({
        transforms: options.transforms,
        shape: model.sampleShape,
        dimOut: model.dimOut,
        fn,
        inputName: model.inputName,
        ...(options.layout !== undefined ? { layout: options.layout } : {}),
        ...(options.outputPermutation !== undefined ? { outputPermutation: options.outputPermutation } : {}),
      });
      const r = await checkDiscreteTransformsAsync(ev, xs, { transforms, ...(options.tolerance !== undefined ? { tolerance: options.tolerance } : {}) });
      return { ...r, output: model.outputName };
    },
  });
}
