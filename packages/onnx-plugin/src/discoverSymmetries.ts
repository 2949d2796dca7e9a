import { InvalidArgumentError, ShapeMismatchError, describe, discoverSymmetriesAsync, guessImageLayout, imageCandidates, resolveCandidate, signalCandidates, smoothImageSampler } from '@liesym/core';
import type { Candidate, DiscoverOptions, DiscoveryResult, ImageLayout, SpatialDerivative } from '@liesym/core';
import type { OnnxModel } from './loadModel.js';
import { checkModel, engineOptions, runAnalysis, type OnnxAnalysisOptions } from './runAnalysis.js';

/** Options of {@link discoverSymmetries}: core's `DiscoverOptions` (rtol, atol, step, richardson, weights) and samples. */
export interface OnnxDiscoverOptions extends Omit<DiscoverOptions, 'candidate' | 'derivative' | 'jacobian' | 'dtype'>, OnnxAnalysisOptions {
  /**
   * The candidate algebra: core's `'gl-input'`, `'gl-lift'`, `'gl-input-output'`, explicit
   * [A_in, A_out] pairs or a structured candidate; or `'image'` for inputs [N, C, H, W] or
   * [N, H, W] (core's `imageCandidates`: translations, rotation and scaling about the centre,
   * channel mixing gl(C)) or `'signal'` for inputs [N, T] (core's `signalCandidates`: time
   * shift, amplitudes).
   */
  candidate: Candidate | 'image' | 'signal';
  /** Spatial derivatives of `'image'`/`'signal'`: `'spectral'` (default) or `'central'`, both periodic. */
  derivative?: SpatialDerivative;
  /** Layout of a 3-D image input for `'image'` (default core's `guessImageLayout`, as for `analyzeTransforms`). */
  layout?: ImageLayout;
}

/** What {@link discoverSymmetries} found: core's {@link DiscoveryResult} (`evaluations` counts points) and the `session.run` calls. */
export interface OnnxDiscoveryResult extends DiscoveryResult {
  /** Number of `session.run` calls made. */
  runs: number;
}

/** The structured candidate of `'image'` or `'signal'` for this model's input and output shapes. */
function fieldCandidate(model: OnnxModel, kind: 'image' | 'signal', spec: { derivative: SpatialDerivative | undefined; layout: ImageLayout }): Candidate {
  const { derivative, layout } = spec;
  const fn = 'discoverSymmetries';
  const shape = model.sampleShape;
  if (derivative !== undefined && derivative !== 'spectral' && derivative !== 'central') {
    throw new InvalidArgumentError(`${fn}: 'derivative' must be 'spectral' or 'central'; received ${describe(derivative)}`);
  }
  if (kind === 'image' ? shape.length !== 2 && shape.length !== 3 : shape.length !== 1) {
    const want = kind === 'image' ? '[N, C, H, W] or [N, H, W]' : '[N, T]';
    throw new ShapeMismatchError(`${fn}: candidate '${kind}' needs input '${model.inputName}' of shape ${want}; received per-sample shape [${shape.join(', ')}]`);
  }
  const spatial = derivative ? { derivative } : {};
  return kind === 'image'
    ? imageCandidates({ shape, outputShape: model.outputShape, layout, ...spatial })
    : signalCandidates({ length: shape[0]!, outputShape: model.outputShape, ...spatial });
}

/**
 * Finds the symmetries of an ONNX model inside a candidate Lie algebra with core's engine
 * (`discoverSymmetriesAsync`): the generators with L F(x) = DF(x)·ξ_M(x) − τ_ξ·F(x) = 0 at
 * every sample, as the nullspace of the discover matrix, with the full spectrum, the
 * threshold and gap, closure, `identification`, and whether the samples determine it.
 * Derivatives are core's central finite differences of batched `session.run` evaluations.
 * Samples: `samples` points, or that many draws (default max(128, 4·q/dimOut) for q
 * candidates) of `sampler` (default: standard normal; smooth periodic fields for images and signals).
 *
 * @param model a model opened with {@link loadModel}
 * @throws InsufficientDataError when samples × outputs < the number of candidates;
 *   InvalidArgumentError for an unknown candidate or bad options; ShapeMismatchError when a
 *   structured candidate does not fit the input shape or samples do not fit; EmptyInputError;
 *   NonFiniteError for non-finite samples or model outputs
 * @example
 * const model = await loadModel('radial.onnx');            // F(x) = g(|x|²) on R³
 * const r = await discoverSymmetries(model, { candidate: 'gl-input', samples: 64 });
 * r.dimension;        // 3
 * r.identification;   // 'so(3)'
 */
export async function discoverSymmetries(model: OnnxModel, options: OnnxDiscoverOptions): Promise<OnnxDiscoveryResult> {
  const fn = 'discoverSymmetries';
  checkModel(model, fn);
  if (options === null || typeof options !== 'object' || options.candidate === undefined) {
    throw new InvalidArgumentError(`${fn}: 'options.candidate' is required ('gl-input', 'gl-lift', 'gl-input-output', 'image', 'signal' or pairs); received ${describe(options?.candidate)}`);
  }
  const { candidate: given, derivative, layout: asked, ...rest } = options;
  if (asked !== undefined && asked !== 'NCHW' && asked !== 'NHWC') throw new InvalidArgumentError(`${fn}: 'layout' must be 'NCHW' or 'NHWC'; received ${describe(asked)}`);
  const engine = engineOptions(rest);
  const field = given === 'image' || given === 'signal';
  const layout = asked ?? guessImageLayout(model.sampleShape);
  const candidate = field ? fieldCandidate(model, given, { derivative, layout }) : given;
  const q = resolveCandidate(candidate, { dimIn: model.dimIn, dimOut: model.dimOut, fn }).pairs.length;
  return runAnalysis(model, options, {
    fn,
    defaultCount: Math.max(128, Math.ceil((4 * q) / Math.max(1, model.dimOut))),
    ...(field ? { fallback: given === 'image' ? smoothImageSampler(model.sampleShape, layout) : smoothImageSampler(model.sampleShape, 'NCHW') } : {}),
    run: (ev, xs) => discoverSymmetriesAsync(ev, xs, { ...engine, candidate }),
  });
}
