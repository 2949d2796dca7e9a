import { InvalidArgumentError, ShapeMismatchError, describe } from '../errors.js';
import type { ImageLayout } from './candidates.js';
import { guessImageLayout } from './guessImageLayout.js';
import { IMAGE_INDEX_MAPS, imageIndexMaps, outputPermutation, timeReversal, type IndexMapTransform } from './indexMapTransforms.js';

/** The transform names {@link resolveDiscreteTransforms} resolves from a per-sample input shape. */
export const DISCRETE_TRANSFORMS: readonly string[] = [...IMAGE_INDEX_MAPS, 'time-reversal'];

/** What {@link resolveDiscreteTransforms} resolves. */
export interface ResolveDiscreteTransformsOptions {
  /** Names of {@link DISCRETE_TRANSFORMS} or index maps (passed through). */
  transforms: ReadonlyArray<string | IndexMapTransform>;
  /** The model's per-sample input shape ([C, H, W], [H, W, C], [H, W] images; [T], [C, T] signals). */
  shape: readonly number[];
  /** The model's output size (what `outputPermutation` must permute). */
  dimOut: number;
  /** P_h for every named transform (default none: an invariance). */
  outputPermutation?: ArrayLike<number>;
  /** Layout of a 3-D image input (default {@link guessImageLayout} with `layoutFallback`). */
  layout?: ImageLayout;
  /** `guessImageLayout`'s fallback (default 'NCHW'; tfjs passes 'NHWC'). */
  layoutFallback?: ImageLayout;
  /** The caller's name in error messages (default 'resolveDiscreteTransforms'). */
  fn?: string;
  /** The input's name in error messages (default 'input'). */
  inputName?: string;
}

/**
 * Named discrete transforms as core's index maps for a model's per-sample input shape, one rule
 * for every adapter: flips, half and quarter turns and transpose for images ({@link imageIndexMaps}),
 * time-reversal for [T] or [C, T] signals ({@link timeReversal}), each with `outputPermutation` as
 * P_h when given. Index maps given as objects pass through unchanged. Feed the result to
 * {@link checkDiscreteTransforms}.
 * @throws InvalidArgumentError for an unknown name or a bad permutation; ShapeMismatchError when a
 *   name does not fit the shape or the permutation the outputs; UnsupportedOperationError for
 *   rotate90/rotate270/transpose on a non-square image
 * @example
 * const [h] = resolveDiscreteTransforms({ transforms: ['time-reversal'], shape: [5], dimOut: 2, outputPermutation: [1, 0] });
 * Array.from(h.input); // [4, 3, 2, 1, 0]
 */
export function resolveDiscreteTransforms(options: ResolveDiscreteTransformsOptions): IndexMapTransform[] {
  const fn = options.fn ?? 'resolveDiscreteTransforms';
  const inputName = options.inputName ?? 'input';
  if (!Array.isArray(options.transforms)) throw new InvalidArgumentError(`${fn}: 'transforms' must be an array of names (${DISCRETE_TRANSFORMS.join(', ')}) or index maps; received ${describe(options.transforms)}`);
  const perm = options.outputPermutation === undefined ? undefined : outputPermutation(options.outputPermutation);
  if (perm !== undefined && perm.length !== options.dimOut) {
    throw new ShapeMismatchError(`${fn}: 'outputPermutation' must permute the model's ${options.dimOut} outputs; received ${perm.length} entries`);
  }
  const { shape } = options;
  return options.transforms.map((t) => {
    if (typeof t !== 'string') return t;
    let made: IndexMapTransform;
    if (t === 'time-reversal') {
      if (shape.length !== 1 && shape.length !== 2) throw new ShapeMismatchError(`${fn}: 'time-reversal' needs a signal input [T] or [C, T] per sample; input '${inputName}' is [${shape.join(', ')}]`);
      made = timeReversal(shape[shape.length - 1]!, { channels: shape.length === 2 ? shape[0]! : 1 });
    } else if ((IMAGE_INDEX_MAPS as readonly string[]).includes(t)) {
      if (shape.length !== 2 && shape.length !== 3) throw new ShapeMismatchError(`${fn}: '${t}' needs an image input [C, H, W], [H, W, C] or [H, W] per sample; input '${inputName}' is [${shape.join(', ')}]`);
      const layout = options.layout ?? guessImageLayout(shape, options.layoutFallback ? { fallback: options.layoutFallback } : {});
      made = imageIndexMaps({ shape, layout, names: [t] })[0]!;
    } else {
      throw new InvalidArgumentError(`${fn}: 'transforms' names must be one of ${DISCRETE_TRANSFORMS.join(', ')}; received ${describe(t)}`);
    }
    return perm ? { ...made, output: perm } : made;
  });
}
