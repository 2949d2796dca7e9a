import type { ImageLayout } from './candidates.js';

/** Channel counts an image axis is taken for: gray, RGB, RGBA. */
const CHANNELS = new Set([1, 3, 4]);

/** Options of {@link guessImageLayout}. */
export interface GuessImageLayoutOptions {
  /** The layout when the shape does not decide (both or neither end looks like channels, or not 3-D). Default 'NCHW'. */
  fallback?: ImageLayout;
}

/**
 * The layout of a per-sample image shape, the one rule every adapter and the CLI use: [C, H, W]
 * (NCHW) when only the first dim looks like channels (1, 3 or 4), [H, W, C] (NHWC) when only the
 * last does, else `fallback` (default 'NCHW'; @liesym/tfjs passes 'NHWC', tfjs's own default).
 * Shapes that are not 3-D ([H, W], signals) get `fallback` too: their layout changes nothing.
 * @example
 * guessImageLayout([3, 32, 32]); // 'NCHW'
 * guessImageLayout([28, 28, 1]); // 'NHWC'
 * guessImageLayout([8, 8, 8], { fallback: 'NHWC' }); // 'NHWC'
 */
export function guessImageLayout(shape: readonly number[], options: GuessImageLayoutOptions = {}): ImageLayout {
  const fallback = options.fallback ?? 'NCHW';
  if (shape.length !== 3) return fallback;
  const first = CHANNELS.has(shape[0]!);
  const last = CHANNELS.has(shape[2]!);
  if (first === last) return fallback;
  return first ? 'NCHW' : 'NHWC';
}
