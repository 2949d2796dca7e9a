import {
  DISCRETE_TRANSFORMS,
  IMAGE_TRANSFORMS,
  InvalidArgumentError,
  UnsupportedOperationError,
  checkDiscreteTransforms,
  checkPermutation,
  describe,
  drawSamples,
  localEquivarianceError,
  outputPermutation,
  resolveDiscreteTransforms,
  resolveTransformFamilies,
} from '@liesym/core';
import type { DiscreteTransformsCheck, IndexMapTransform, LocalEquivarianceResult, SamplingOptions, SpatialDerivative } from '@liesym/core';
import type { BrainNet } from './analysis.js';
import { readNetwork } from './BrainNetwork.js';

/** The transform names {@link checkDiscrete} knows for a brain.js input vector. */
const VECTOR_MAPS = ['time-reversal', 'input-permutation'] as const;

/** Options of {@link checkDiscrete}. */
export interface BrainDiscreteOptions extends SamplingOptions {
  /**
   * The transforms: 'time-reversal' (the input vector reversed), 'input-permutation' (the
   * `inputPermutation` below) or core's index-map transforms on the input vector.
   */
  transforms: ReadonlyArray<'time-reversal' | 'input-permutation' | IndexMapTransform>;
  /** The input permutation of 'input-permutation': (h·x)[i] = x[inputPermutation[i]]. */
  inputPermutation?: ArrayLike<number>;
  /** An output permutation P_h for every named transform (e.g. `[1, 0]` swaps two outputs). Default: none (invariance). */
  outputPermutation?: ArrayLike<number>;
  /** Core's default: `TOLERANCES.check` for exact evaluation in float64 (1e-8). */
  tolerance?: number;
}

/** Options of {@link analyzeTransforms}. */
export interface BrainTransformsOptions extends SamplingOptions {
  /** `'signal'` (time-shift, time-scaling, gain) or some of those names: the input vector as a 1-D signal. */
  transforms: 'signal' | ReadonlyArray<'time-shift' | 'time-scaling' | 'gain'>;
  /** Relative tolerance of the verdicts (default core's `TOLERANCES.check` for finite differences in float64: 1e-5). */
  tolerance?: number;
  /** Relative finite-difference step (default core's for float64). */
  step?: number;
  /** Time derivative of the velocities (default 'border', non-periodic). */
  derivative?: SpatialDerivative;
}

/** {@link analyzeTransforms}' result: core's {@link LocalEquivarianceResult}, always of a signal. */
export interface BrainTransformsReport extends LocalEquivarianceResult {
  kind: 'signal';
  layout: 'signal';
}

function vectorsOnly(fn: string, name: string, dimIn: number): never {
  throw new UnsupportedOperationError(
    `${fn}: '${name}' is an image transform; brain.js inputs are vectors (here of ${dimIn} numbers): use ${fn === 'checkDiscrete' ? `${VECTOR_MAPS.join(', ')} or an index map` : "'signal' (time-shift, time-scaling, gain)"}`,
  );
}

/**
 * Checks discrete symmetries of a brain.js network on its input vector, by core's index maps and
 * `checkDiscreteTransforms` on the exact Float64 network: time reversal (x reversed), a given
 * input permutation and index maps, each with an optional output permutation P_h; per transform
 * the residual RMS ‖F(h·x) − P_h F(x)‖ / RMS ‖F(x)‖ and a verdict. Samples as in
 * `checkSymmetry` (default 64 standard-normal points).
 * @throws UnsupportedOperationError for image transforms (brain.js inputs are vectors);
 *   InvalidArgumentError for an unknown name, a missing or bad permutation; ShapeMismatchError for
 *   a permutation of the wrong length; UnsupportedNetworkError for a network liesym cannot read
 * @example
 * const r = checkDiscrete(net, { transforms: ['time-reversal'], outputPermutation: [1, 0], samples: 32 });
 * r.discrete[0]; // { name: 'time-reversal', residual: 0, verdict: 'holds', … }
 */
export function checkDiscrete(net: BrainNet, options: BrainDiscreteOptions): DiscreteTransformsCheck {
  const fn = 'checkDiscrete';
  const model = readNetwork(net, fn);
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be { transforms, … }; received ${describe(options)}`);
  if (!Array.isArray(options.transforms)) throw new InvalidArgumentError(`${fn}: 'transforms' must be an array of ${VECTOR_MAPS.join(', ')} or index maps; received ${describe(options.transforms)}`);
  const perm = options.outputPermutation === undefined ? undefined : outputPermutation(options.outputPermutation);
  const named = options.transforms.map((t): string | IndexMapTransform => {
    if (typeof t !== 'string' || t === 'time-reversal') return t;
    if (t === 'input-permutation') {
      if (options.inputPermutation === undefined) throw new InvalidArgumentError(`${fn}: 'input-permutation' needs 'inputPermutation', a permutation of 0..${model.dimIn - 1}; received undefined`);
      const input = checkPermutation(options.inputPermutation, { fn, arg: 'inputPermutation', length: model.dimIn });
      return { name: 'input-permutation', input, ...(perm ? { output: perm } : {}) };
    }
    if ((DISCRETE_TRANSFORMS as readonly string[]).includes(t)) vectorsOnly(fn, t, model.dimIn);
    throw new InvalidArgumentError(`${fn}: 'transforms' names must be one of ${VECTOR_MAPS.join(', ')}; received ${describe(t)}`);
  });
  const transforms = resolveDiscreteTransforms({ transforms: named, shape: [model.dimIn], dimOut: model.dimOut, fn, ...(perm ? { outputPermutation: perm } : {}) });
  const xs = drawSamples(options, { dimIn: model.dimIn, fn, defaultCount: 64 });
  return checkDiscreteTransforms(model.evaluator(), xs, { transforms, ...(options.tolerance !== undefined ? { tolerance: options.tolerance } : {}) });
}

/**
 * lie-deriv's local equivariance error of a brain.js network, its input vector read as a 1-D
 * signal [T]: core's `signalTransforms` (time-shift per sample, time-scaling and gain per
 * percent) and `localEquivarianceError` (central finite differences along each velocity) on
 * the exact Float64 network. An output of the input's length is transformed too (equivariance);
 * other outputs are checked for invariance. Samples: `samples` rows, or that many draws (default
 * 32) of `sampler` (default: smooth random signals).
 * @throws UnsupportedOperationError for image transforms (brain.js inputs are vectors);
 *   InvalidArgumentError / UnknownNameError for bad options or names; UnsupportedNetworkError
 * @example
 * const r = analyzeTransforms(net, { transforms: ['gain'], samples: 16 });
 * r.transforms[0]; // { name: 'gain', error: 0.12, perUnit: 0.003, unit: 'percent', verdict: 'broken', … }
 */
export function analyzeTransforms(net: BrainNet, options: BrainTransformsOptions): BrainTransformsReport {
  const fn = 'analyzeTransforms';
  const model = readNetwork(net, fn);
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be an object { transforms }; received ${describe(options)}`);
  const t = options.transforms as unknown;
  if (t === 'image') vectorsOnly(fn, 'image', model.dimIn);
  const image = Array.isArray(t) ? t.find((n) => (IMAGE_TRANSFORMS as readonly unknown[]).includes(n)) : undefined;
  if (image !== undefined) vectorsOnly(fn, String(image), model.dimIn);
  const { input, output, sampler } = resolveTransformFamilies({
    transforms: options.transforms,
    shape: [model.dimIn],
    outputShape: [model.dimOut],
    fn,
    ...(options.derivative !== undefined ? { derivative: options.derivative } : {}),
  });
  const xs = drawSamples(options, { dimIn: model.dimIn, fn, defaultCount: 32, fallback: sampler });
  const r = localEquivarianceError(model.evaluator(), xs, {
    transforms: input,
    ...(output ? { outputTransforms: output } : {}),
    ...(options.tolerance !== undefined ? { tolerance: options.tolerance } : {}),
    ...(options.step !== undefined ? { step: options.step } : {}),
  });
  return { ...r, kind: 'signal', layout: 'signal' };
}
