import {
  IMAGE_TRANSFORMS,
  InvalidArgumentError,
  SIGNAL_TRANSFORMS,
  ShapeMismatchError,
  describe,
  imageTransforms,
  localEquivarianceErrorAsync,
  signalTransforms,
  smoothFieldSampler,
} from '@liesym/core';
import type { ImageLayout, LocalEquivarianceResult, SpatialDerivative, TransformFamily } from '@liesym/core';
import type { OnnxModel } from './loadModel.js';
import { checkModel, runAnalysis, type OnnxAnalysisOptions } from './runAnalysis.js';

/** Options of {@link analyzeTransforms}: which named transforms, and samples (`samples`, `sampler`, `seed`). */
export interface AnalyzeTransformsOptions extends OnnxAnalysisOptions {
  /** `'image'` (all of core's image transforms), `'signal'` (all signal transforms) or names of either kind. */
  transforms: 'image' | 'signal' | readonly string[];
  /** Layout of an image input (default: 'NHWC' when the last dim is 1, 3 or 4 and the first is not, else 'NCHW'). */
  layout?: ImageLayout;
  /** The pixel range brightness is a percent of (default 1; 2 for inputs normalized to [−1, 1]). */
  pixelRange?: number;
  /** Spatial derivative (default 'border', non-periodic). */
  derivative?: SpatialDerivative;
  /** Relative tolerance of the verdicts (default core's `TOLERANCES.check` for finite differences: 1e-2 float32, 1e-5 float64). */
  tolerance?: number;
  /** Relative finite-difference step (default core's for the model's dtype). */
  step?: number;
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

/** The layout of a per-sample image shape: NHWC when only the last dim looks like channels. */
function guessLayout(shape: readonly number[]): ImageLayout {
  const channels = (d: number | undefined): boolean => d === 1 || d === 3 || d === 4;
  return shape.length === 3 && channels(shape[2]) && !channels(shape[0]) ? 'NHWC' : 'NCHW';
}

function families(model: OnnxModel, options: AnalyzeTransformsOptions): { input: TransformFamily; output: TransformFamily | undefined } {
  const fn = 'analyzeTransforms';
  const t = options.transforms;
  const names = typeof t === 'string' ? undefined : t;
  if (typeof t === 'string' ? t !== 'image' && t !== 'signal' : !Array.isArray(t) || t.length === 0) {
    throw new InvalidArgumentError(`${fn}: 'transforms' must be 'image', 'signal' or a non-empty array of transform names; received ${describe(t)}`);
  }
  const signalNames = names?.every((n) => (SIGNAL_TRANSFORMS as readonly string[]).includes(n)) ?? false;
  const kind = t === 'signal' || signalNames ? 'signal' : 'image';
  if (names && kind === 'image' && names.some((n) => (SIGNAL_TRANSFORMS as readonly string[]).includes(n))) {
    throw new InvalidArgumentError(`${fn}: 'transforms' mixes image and signal names: ${names.join(', ')}; image: ${IMAGE_TRANSFORMS.join(', ')}; signal: ${SIGNAL_TRANSFORMS.join(', ')}`);
  }
  const shape = model.sampleShape;
  const common = { ...(names ? { names } : {}), ...(options.derivative !== undefined ? { derivative: options.derivative } : {}) };
  if (kind === 'signal') {
    if (shape.length !== 1) throw new ShapeMismatchError(`${fn}: signal transforms need input '${model.inputName}' of shape [N, T]; received per-sample shape [${shape.join(', ')}]`);
    const same = model.outputShape.length === 1 && model.outputShape[0] === shape[0];
    const input = signalTransforms({ length: shape[0]!, ...common });
    return { input, output: same ? input : undefined };
  }
  if (shape.length !== 2 && shape.length !== 3) {
    throw new ShapeMismatchError(`${fn}: image transforms need input '${model.inputName}' of shape [N, C, H, W], [N, H, W, C] or [N, H, W]; received per-sample shape [${shape.join(', ')}]`);
  }
  const layout = options.layout ?? guessLayout(shape);
  const image = { layout, ...common, ...(options.pixelRange !== undefined ? { pixelRange: options.pixelRange } : {}) };
  const input = imageTransforms({ shape, ...image });
  // An image output on the same grid is transformed too (equivariance); names it lacks (saturation on ≠ 3 channels) stay invariances.
  const out = model.outputShape;
  const grid = (s: readonly number[]): string => (s.length === 2 ? s.join('×') : layout === 'NCHW' ? s.slice(1).join('×') : s.slice(0, 2).join('×'));
  if ((out.length === 2 || out.length === 3) && grid(out) === grid(shape)) {
    const channels = out.length === 2 ? 1 : layout === 'NCHW' ? out[0]! : out[2]!;
    const kept = (names ?? IMAGE_TRANSFORMS).filter((n) => n !== 'saturation' || channels === 3);
    return { input, output: imageTransforms({ shape: out, ...image, names: kept }) };
  }
  return { input, output: undefined };
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
  const { input, output } = families(model, options);
  const shape = input.layout === 'NHWC' ? [model.sampleShape[2]!, model.sampleShape[0]!, model.sampleShape[1]!] : model.sampleShape;
  const r = await runAnalysis(model, options, {
    fn,
    defaultCount: 32,
    fallback: input.layout === 'NHWC' ? nhwc(smoothFieldSampler(shape), shape) : smoothFieldSampler(shape),
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

/** A channels-first sampler's draws reordered to channels last. */
function nhwc(sampler: ReturnType<typeof smoothFieldSampler>, [C, H, W]: readonly number[]): ReturnType<typeof smoothFieldSampler> {
  return (rng) => {
    const x = sampler(rng);
    const out = new Float64Array(x.length);
    for (let c = 0; c < C!; c++) for (let p = 0; p < H! * W!; p++) out[p * C! + c] = x[c * H! * W! + p]!;
    return out;
  };
}
