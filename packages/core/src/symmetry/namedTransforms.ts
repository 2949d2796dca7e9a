import { InvalidArgumentError, ShapeMismatchError, UnknownNameError, describe } from '../errors.js';
import { fieldGeneratorMatrix, gridFieldAction, type SpatialDerivative } from '../lie/dataActions.js';
import type { Matrix } from '../linalg/Matrix.js';
import type { ImageLayout } from './candidates.js';
import type { FieldGenerator } from './fieldGenerators.js';

/** The unit of a named transform's parameter t: pixels, samples, degrees, radians or percent. */
export type TransformUnit = 'pixel' | 'sample' | 'degree' | 'radian' | 'percent';

/** One named one-parameter transform g_t of a family (see {@link TransformFamily}). */
export interface NamedTransform {
  /** 'translation-x', 'rotation', 'brightness', …. */
  readonly name: string;
  /** What one unit of t is. */
  readonly unit: TransformUnit;
  /**
   * The field generator of g_t per unit of t (domain flow A·p + b about the centre, value
   * action V·u + s), for the transforms that are one; absent for contrast (it depends on the
   * image's mean).
   */
  readonly generator?: FieldGenerator;
}

/**
 * Named continuous transforms g_t of flattened images or signals, with their velocities
 * v(x) = d/dt (g_t·x) at t = 0 per unit of t: what {@link localEquivarianceError} differentiates
 * a model along. Built by {@link imageTransforms} and {@link signalTransforms}.
 */
export interface TransformFamily {
  readonly kind: 'image' | 'signal';
  /** The per-sample shape ([C, H, W], [H, W, C], [H, W] or [T]). */
  readonly shape: readonly number[];
  readonly layout: ImageLayout | 'signal';
  /** Length of the flattened samples the family acts on. */
  readonly dim: number;
  /** The spatial derivative the velocities use. */
  readonly derivative: SpatialDerivative;
  readonly transforms: readonly NamedTransform[];
  /** v_k(x) = d/dt (g_t·x)|₀ for every transform k at one flattened sample x (dim numbers). */
  velocities(x: Float64Array): Float64Array[];
}

/** The image transform names, in table order. */
export const IMAGE_TRANSFORMS = [
  'translation-x',
  'translation-y',
  'rotation',
  'scaling',
  'shear-x',
  'shear-y',
  'hyperbolic-rotation',
  'brightness',
  'contrast',
  'saturation',
] as const;

/** The signal transform names, in table order. */
export const SIGNAL_TRANSFORMS = ['time-shift', 'time-scaling', 'gain'] as const;

/** Options of {@link imageTransforms}. */
export interface ImageTransformOptions {
  /** Per-sample shape: [C, H, W] (NCHW), [H, W, C] (NHWC) or [H, W] (one channel). */
  shape: readonly number[];
  /** Layout of `shape` (default 'NCHW'). */
  layout?: ImageLayout;
  /** The transforms, by name (default: all of {@link IMAGE_TRANSFORMS}; saturation only for 3 channels). */
  names?: readonly string[];
  /** Spatial derivative (default 'border': non-periodic, see {@link SpatialDerivative}). */
  derivative?: SpatialDerivative;
  /** The pixel range brightness is a percent of (default 1: pixels in [0, 1]; 2 for inputs normalized to [−1, 1], 255 for bytes). */
  pixelRange?: number;
  /** Unit of rotation's t (default 'degree'; 'radian' gives 180/π times the per-degree change). */
  angleUnit?: 'degree' | 'radian';
}

/** Options of {@link signalTransforms}. */
export interface SignalTransformOptions {
  /** Samples T of the signal [T]. */
  length: number;
  /** The transforms, by name (default: all of {@link SIGNAL_TRANSFORMS}). */
  names?: readonly string[];
  /** Spatial (time) derivative (default 'border': non-periodic). */
  derivative?: SpatialDerivative;
}

const DERIVATIVES: readonly SpatialDerivative[] = ['border', 'central', 'spectral'];

function checkDerivative(fn: string, d: unknown): SpatialDerivative {
  if (d === undefined) return 'border';
  if (!(DERIVATIVES as readonly unknown[]).includes(d)) throw new InvalidArgumentError(`${fn}: 'derivative' must be 'border', 'central' or 'spectral'; received ${describe(d)}`);
  return d as SpatialDerivative;
}

function pick<T extends { name: string }>(fn: string, all: readonly T[], spec: { names: readonly string[] | undefined; known: readonly string[]; unavailable?: Record<string, string> }): T[] {
  if (spec.names === undefined) return [...all];
  if (!Array.isArray(spec.names) || spec.names.length === 0) throw new InvalidArgumentError(`${fn}: 'names' must be a non-empty array of transform names; received ${describe(spec.names)}`);
  const seen = new Set<string>();
  return spec.names.map((name) => {
    const why = spec.unavailable?.[name];
    if (why !== undefined) throw new InvalidArgumentError(`${fn}: transform '${name}' ${why}`);
    const t = all.find((x) => x.name === name);
    if (t === undefined) throw new UnknownNameError(`${fn}: unknown transform ${describe(name)}; expected one of ${spec.known.join(', ')}`);
    if (seen.has(name)) throw new InvalidArgumentError(`${fn}: transform '${name}' is named twice in 'names'`);
    seen.add(name);
    return t;
  });
}

type Velocity = { kind: 'field'; matrix: Matrix } | { kind: 'contrast' };

/**
 * The named continuous transforms of images, each with its unit, as lie-deriv measures them
 * (pixel coordinates, axis 0 = y = rows, axis 1 = x = columns, about the image centre):
 * - `translation-x` / `translation-y`: (g_t u)(x, y) = u(x − t, y), per pixel;
 * - `rotation`: the domain flow (ẋ, ẏ) = (−y, x)·π/180, per degree (or per radian);
 * - `scaling`: (ẋ, ẏ) = (x, y)/100, per percent; `shear-x`: ẋ = y/100; `shear-y`: ẏ = x/100;
 *   `hyperbolic-rotation`: (ẋ, ẏ) = (x, −y)/100 (stretch along x, squeeze along y), per percent;
 * - `brightness`: u ↦ u + t·pixelRange/100 on every channel, per percent of `pixelRange`;
 * - `contrast`: u ↦ m + (1 + t/100)(u − m), m the mean of the image over all pixels and channels;
 * - `saturation` (3 channels only): u_c ↦ ū + (1 + t/100)(u_c − ū), ū the pixel's channel mean
 *   (t > 0 saturates, t < 0 mixes toward gray).
 * Velocities of the geometric transforms are −Du·ξ_M with core's {@link gridFieldAction}; the
 * default derivative `'border'` is the non-periodic one (central differences, replicate border),
 * because real photos are not periodic: the periodic ones would difference the left edge against
 * the right one.
 * @throws ShapeMismatchError for a shape that is not an image; InvalidArgumentError for a bad
 *   layout, derivative, pixel range or a saturation on ≠ 3 channels; UnknownNameError for an unknown name
 * @example
 * const family = imageTransforms({ shape: [3, 48, 192], layout: 'NCHW', pixelRange: 2 });
 * family.transforms.map((t) => `${t.name} per ${t.unit}`); // translation-x per pixel, …, saturation per percent
 */
export function imageTransforms(options: ImageTransformOptions): TransformFamily {
  const fn = 'imageTransforms';
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be an object { shape, layout }; received ${describe(options)}`);
  const layout = options.layout ?? 'NCHW';
  if (layout !== 'NCHW' && layout !== 'NHWC') throw new InvalidArgumentError(`${fn}: 'layout' must be 'NCHW' or 'NHWC'; received ${describe(layout)}`);
  const s = options.shape;
  if (!Array.isArray(s) || (s.length !== 2 && s.length !== 3) || s.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new ShapeMismatchError(`${fn}: 'shape' must be an image [C, H, W] (NCHW), [H, W, C] (NHWC) or [H, W] of positive integers; received ${describe(s)}`);
  }
  const [C, H, W] = s.length === 2 ? [1, s[0]!, s[1]!] : layout === 'NCHW' ? [s[0]!, s[1]!, s[2]!] : [s[2]!, s[0]!, s[1]!];
  if (H < 2 || W < 2) throw new ShapeMismatchError(`${fn}: an image needs at least 2×2 pixels; received H = ${H}, W = ${W} from [${s.join(', ')}] (${layout})`);
  const range = options.pixelRange ?? 1;
  if (!(typeof range === 'number' && range > 0 && Number.isFinite(range))) throw new InvalidArgumentError(`${fn}: 'pixelRange' must be a finite number > 0; received ${describe(range)}`);
  const angleUnit = options.angleUnit ?? 'degree';
  if (angleUnit !== 'degree' && angleUnit !== 'radian') throw new InvalidArgumentError(`${fn}: 'angleUnit' must be 'degree' or 'radian'; received ${describe(angleUnit)}`);
  const derivative = checkDerivative(fn, options.derivative);
  const rad = angleUnit === 'degree' ? Math.PI / 180 : 1;
  const pc = 0.01;
  const gray = Array.from({ length: C }, (_, i) => Array.from({ length: C }, (_, j) => pc * ((i === j ? 1 : 0) - 1 / C)));
  // Axis 0 is y (rows), axis 1 is x (columns): A maps (y, x) to (ẏ, ẋ).
  const all: Array<NamedTransform & { velocity: Velocity }> = [];
  const field = (name: string, unit: TransformUnit, generator: FieldGenerator): void => {
    all.push({ name, unit, generator, velocity: { kind: 'field', matrix: fieldGeneratorMatrix(generator, { d: 2, channels: C }) } });
  };
  field('translation-x', 'pixel', { b: [0, 1] });
  field('translation-y', 'pixel', { b: [1, 0] });
  field('rotation', angleUnit, { A: [[0, rad], [-rad, 0]] });
  field('scaling', 'percent', { A: [[pc, 0], [0, pc]] });
  field('shear-x', 'percent', { A: [[0, 0], [pc, 0]] });
  field('shear-y', 'percent', { A: [[0, pc], [0, 0]] });
  field('hyperbolic-rotation', 'percent', { A: [[-pc, 0], [0, pc]] });
  field('brightness', 'percent', { s: new Array<number>(C).fill(pc * range) });
  all.push({ name: 'contrast', unit: 'percent', velocity: { kind: 'contrast' } });
  if (C === 3) field('saturation', 'percent', { V: gray });
  const chosen = pick(fn, all, { names: options.names, known: IMAGE_TRANSFORMS, ...(C === 3 ? {} : { unavailable: { saturation: `needs 3 channels; the image has ${C}` } }) });
  const action = gridFieldAction({ shape: [H, W], channels: C, layout: layout === 'NCHW' ? 'channels-first' : 'channels-last', derivative });
  return family({ kind: 'image', shape: [...s], layout, dim: C * H * W, derivative, chosen, action });
}

/**
 * The named continuous transforms of 1-D signals [T] (time about the centre sample):
 * `time-shift` (s ↦ s(τ − t), per sample), `time-scaling` (τ̇ = τ/100, per percent) and `gain`
 * (s ↦ (1 + t/100)·s, per percent). Default derivative 'border' (non-periodic).
 * @throws InvalidArgumentError for a bad length or derivative; UnknownNameError for an unknown name
 * @example signalTransforms({ length: 16000 }).transforms.map((t) => t.name); // time-shift, time-scaling, gain
 */
export function signalTransforms(options: SignalTransformOptions): TransformFamily {
  const fn = 'signalTransforms';
  const T = options?.length;
  if (!(Number.isInteger(T) && T >= 2)) throw new InvalidArgumentError(`${fn}: 'length' must be an integer ≥ 2; received ${describe(T)}`);
  const derivative = checkDerivative(fn, options.derivative);
  const mk = (name: string, unit: TransformUnit, generator: FieldGenerator): NamedTransform & { velocity: Velocity } => ({
    name,
    unit,
    generator,
    velocity: { kind: 'field', matrix: fieldGeneratorMatrix(generator, { d: 1, channels: 1 }) },
  });
  const all = [mk('time-shift', 'sample', { b: [1] }), mk('time-scaling', 'percent', { A: [[0.01]] }), mk('gain', 'percent', { V: [[0.01]] })];
  const chosen = pick(fn, all, { names: options.names, known: SIGNAL_TRANSFORMS });
  return family({ kind: 'signal', shape: [T], layout: 'signal', dim: T, derivative, chosen, action: gridFieldAction({ shape: [T], derivative }) });
}

function family(spec: {
  kind: 'image' | 'signal';
  shape: number[];
  layout: ImageLayout | 'signal';
  dim: number;
  derivative: SpatialDerivative;
  chosen: Array<NamedTransform & { velocity: Velocity }>;
  action: ReturnType<typeof gridFieldAction>;
}): TransformFamily {
  const { chosen, action, dim } = spec;
  const mats = chosen.flatMap((t) => (t.velocity.kind === 'field' ? [t.velocity.matrix] : []));
  return {
    kind: spec.kind,
    shape: spec.shape,
    layout: spec.layout,
    dim,
    derivative: spec.derivative,
    transforms: chosen.map(({ name, unit, generator }) => (generator ? { name, unit, generator } : { name, unit })),
    velocities(x) {
      if (x.length !== dim) throw new ShapeMismatchError(`velocities: a sample must have ${dim} numbers; received ${x.length}`);
      // The field Lie derivative is ℒ_ξ u = −d/dt (g_t·u): velocities are its negatives.
      const tangents = mats.length > 0 ? action.tangents(mats, x) : [];
      let next = 0;
      return chosen.map((t) => {
        if (t.velocity.kind === 'field') {
          const v = tangents[next++]!;
          for (let i = 0; i < v.length; i++) v[i] = -v[i]!;
          return v;
        }
        let mean = 0;
        for (let i = 0; i < dim; i++) mean += x[i]!;
        mean /= dim;
        return x.map((u) => 0.01 * (u - mean));
      });
    },
  };
}
