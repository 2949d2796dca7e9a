import { InvalidArgumentError, ShapeMismatchError, describe } from '../errors.js';
import type { SpatialDerivative } from '../lie/dataActions.js';
import { smoothFieldSampler } from '../lie/samples.js';
import type { Rng } from '../linalg/random.js';
import type { ImageLayout } from './candidates.js';
import { guessImageLayout } from './guessImageLayout.js';
import { IMAGE_TRANSFORMS, SIGNAL_TRANSFORMS, imageTransforms, signalTransforms, type TransformFamily } from './namedTransforms.js';

/** What {@link resolveTransformFamilies} resolves: the transforms requested, a model's per-sample shapes and the image options. */
/** The options every adapter's `analyzeTransforms` shares: which named transforms, and how they are measured. */
export interface NamedTransformsOptions {
  /** `'image'` (all of core's image transforms), `'signal'` (all signal transforms) or names of either kind. */
  transforms: 'image' | 'signal' | readonly string[];
  /** Layout of a 3-D image input (default core's `guessImageLayout`: [C, H, W] when only the first dim is 1, 3 or 4, [H, W, C] when only the last is, else NCHW — NHWC for tfjs). */
  layout?: ImageLayout;
  /** The pixel range brightness is a percent of (default 1; 2 for inputs normalized to [−1, 1]). */
  pixelRange?: number;
  /** Spatial derivative (default 'border', non-periodic). */
  derivative?: SpatialDerivative;
  /** Relative tolerance of the verdicts (default core's `TOLERANCES.check` for finite differences: 1e-2 float32, 1e-5 float64). */
  tolerance?: number;
  /** Relative finite-difference step (default 1e-3 for float32 models, ε^(1/3) for float64, as `localEquivarianceError`). */
  step?: number;
}

export interface ResolveTransformFamiliesOptions {
  /** `'image'` (all of {@link IMAGE_TRANSFORMS}), `'signal'` (all of {@link SIGNAL_TRANSFORMS}) or names of one kind. */
  transforms: 'image' | 'signal' | readonly string[];
  /** The model's per-sample input shape ([C, H, W], [H, W, C], [H, W] or [T]). */
  shape: readonly number[];
  /** The model's per-sample output shape; an image or signal on the input's grid is transformed too. */
  outputShape: readonly number[];
  /** Layout of a 3-D image input (default {@link guessImageLayout} with `layoutFallback`). */
  layout?: ImageLayout;
  /** `guessImageLayout`'s fallback (default 'NCHW'; tfjs passes 'NHWC'). */
  layoutFallback?: ImageLayout;
  /** The pixel range brightness is a percent of (default 1). */
  pixelRange?: number;
  /** Spatial derivative (default 'border'). */
  derivative?: SpatialDerivative;
  /** The caller's name in error messages (default 'resolveTransformFamilies'). */
  fn?: string;
  /** The input's name in error messages (default 'input'). */
  inputName?: string;
}

/** {@link resolveTransformFamilies}' result: the input family, the output family (equivariance) or none (invariance), and a default sampler. */
export interface ResolvedTransformFamilies {
  input: TransformFamily;
  /** The output's family when the output is an image or signal on the input's grid; undefined for an invariance. */
  output: TransformFamily | undefined;
  /** Smooth random fields in the input's layout (core's `smoothFieldSampler`, reordered for NHWC): the default samples. */
  sampler: (rng: Rng) => Float64Array;
}

function kindOf(fn: string, t: ResolveTransformFamiliesOptions['transforms']): 'image' | 'signal' {
  const names = typeof t === 'string' ? undefined : t;
  if (typeof t === 'string' ? t !== 'image' && t !== 'signal' : !Array.isArray(t) || t.length === 0) {
    throw new InvalidArgumentError(`${fn}: 'transforms' must be 'image', 'signal' or a non-empty array of transform names; received ${describe(t)}`);
  }
  const isSignal = (n: string): boolean => (SIGNAL_TRANSFORMS as readonly string[]).includes(n);
  const kind = t === 'signal' || (names?.every(isSignal) ?? false) ? 'signal' : 'image';
  if (names && kind === 'image' && names.some(isSignal)) {
    throw new InvalidArgumentError(`${fn}: 'transforms' mixes image and signal names: ${names.join(', ')}; image: ${IMAGE_TRANSFORMS.join(', ')}; signal: ${SIGNAL_TRANSFORMS.join(', ')}`);
  }
  return kind;
}

/**
 * Smooth random images of a per-sample shape in its layout: core's {@link smoothFieldSampler}
 * ([C, H, W] channels first, or [H, W]), its draws reordered to channels last for 'NHWC'.
 */
export function smoothImageSampler(shape: readonly number[], layout: ImageLayout): (rng: Rng) => Float64Array {
  if (shape.length !== 3 || layout !== 'NHWC') return smoothFieldSampler(shape);
  const chw = [shape[2]!, shape[0]!, shape[1]!];
  return nhwc(smoothFieldSampler(chw), chw);
}

/** A channels-first sampler's draws reordered to channels last. */
function nhwc(sampler: (rng: Rng) => Float64Array, [C, H, W]: readonly number[]): (rng: Rng) => Float64Array {
  return (rng) => {
    const x = sampler(rng);
    const out = new Float64Array(x.length);
    for (let c = 0; c < C!; c++) for (let p = 0; p < H! * W!; p++) out[p * C! + c] = x[c * H! * W! + p]!;
    return out;
  };
}

/**
 * The named transform families of a model from its per-sample shapes, one rule for every
 * adapter: `'signal'` names need a [T] input, image names an [H, W] or 3-D input (layout from
 * `layout`, else {@link guessImageLayout}); an output on the input's grid (signal [T] → [T], image
 * to image of the same H×W) gets its own family, so that {@link localEquivarianceError} measures
 * equivariance (saturation, defined on 3 channels only, stays an invariance on other outputs).
 * @throws InvalidArgumentError for a bad `transforms` or mixed image and signal names;
 *   ShapeMismatchError when the input is not a signal or an image; UnknownNameError for an unknown name
 * @example
 * const { input, output } = resolveTransformFamilies({ transforms: 'image', shape: [28, 28, 1], outputShape: [10] });
 * input.layout; // 'NHWC'; output: undefined (invariance of the 10 logits)
 */
export function resolveTransformFamilies(options: ResolveTransformFamiliesOptions): ResolvedTransformFamilies {
  const fn = options.fn ?? 'resolveTransformFamilies';
  const kind = kindOf(fn, options.transforms);
  const names = typeof options.transforms === 'string' ? undefined : options.transforms;
  const { shape, outputShape: out } = options;
  const inputName = options.inputName ?? 'input';
  const common = { ...(names ? { names } : {}), ...(options.derivative !== undefined ? { derivative: options.derivative } : {}) };
  if (kind === 'signal') {
    if (shape.length !== 1) throw new ShapeMismatchError(`${fn}: signal transforms need input '${inputName}' of shape [N, T]; received per-sample shape [${shape.join(', ')}]`);
    const input = signalTransforms({ length: shape[0]!, ...common });
    const same = out.length === 1 && out[0] === shape[0];
    return { input, output: same ? input : undefined, sampler: smoothFieldSampler(shape) };
  }
  if (shape.length !== 2 && shape.length !== 3) {
    throw new ShapeMismatchError(`${fn}: image transforms need input '${inputName}' of shape [N, C, H, W], [N, H, W, C] or [N, H, W]; received per-sample shape [${shape.join(', ')}]`);
  }
  const layout = options.layout ?? guessImageLayout(shape, options.layoutFallback ? { fallback: options.layoutFallback } : {});
  const image = { layout, ...common, ...(options.pixelRange !== undefined ? { pixelRange: options.pixelRange } : {}) };
  const input = imageTransforms({ shape, ...image });
  const sampler = smoothImageSampler(shape, layout);
  const grid = (s: readonly number[]): string => (s.length === 2 ? s.join('×') : layout === 'NCHW' ? s.slice(1).join('×') : s.slice(0, 2).join('×'));
  if ((out.length === 2 || out.length === 3) && grid(out) === grid(shape)) {
    const channels = out.length === 2 ? 1 : layout === 'NCHW' ? out[0]! : out[2]!;
    const kept = (names ?? IMAGE_TRANSFORMS).filter((n) => n !== 'saturation' || channels === 3);
    return { input, output: imageTransforms({ shape: out, ...image, names: kept }), sampler };
  }
  return { input, output: undefined, sampler };
}
