import { InvalidArgumentError, ShapeMismatchError, UnsupportedOperationError, describe } from '../errors.js';
import type { ImageLayout } from './candidates.js';

/**
 * A discrete transform h given as index maps instead of matrices (a signed permutation of the
 * coordinates, so ρ(h) is orthogonal and never built):
 *
 *     (h·x)[i] = inputSign[i] · x[input[i]],   (P_h y)[k] = outputSign[k] · y[output[k]].
 *
 * `output` absent: the output is left as it is (an invariance). Per-sample coordinates are
 * flattened row-major, as everywhere in liesym.
 */
export interface IndexMapTransform {
  /** The name reports use ('rotate180', 'flip-horizontal', …). */
  name: string;
  /** The input permutation: a permutation of 0..dimIn−1. */
  input: Int32Array;
  /** Per-entry signs ±1 of the input map (default all +1). */
  inputSign?: Float64Array;
  /** The output permutation: a permutation of 0..dimOut−1 (default the identity). */
  output?: Int32Array;
  /** Per-entry signs ±1 of the output map (default all +1). */
  outputSign?: Float64Array;
}

/** The names {@link imageIndexMaps} knows. rotate90 turns counter-clockwise (numpy's `rot90`). */
export type ImageIndexMapName = 'flip-horizontal' | 'flip-vertical' | 'rotate90' | 'rotate180' | 'rotate270' | 'transpose';

/** Every image transform name, in the order {@link imageIndexMaps} returns them. */
export const IMAGE_INDEX_MAPS: readonly ImageIndexMapName[] = ['flip-horizontal', 'flip-vertical', 'rotate180', 'rotate90', 'rotate270', 'transpose'];

const SQUARE_ONLY = new Set<ImageIndexMapName>(['rotate90', 'rotate270', 'transpose']);

/**
 * Checks that `perm` is a permutation of 0..n−1 (n = `length` when given) and returns it as an
 * Int32Array.
 * @throws InvalidArgumentError naming `fn` and `arg` for a non-integer, repeated or missing index;
 *   ShapeMismatchError for a wrong length
 */
export function checkPermutation(perm: unknown, context: { fn: string; arg: string; length?: number }): Int32Array {
  const { fn, arg } = context;
  if (perm === null || typeof perm !== 'object' || typeof (perm as ArrayLike<number>).length !== 'number') {
    throw new InvalidArgumentError(`${fn}: '${arg}' must be a permutation of 0..n−1 (an array of integers); received ${describe(perm)}`);
  }
  const p = perm as ArrayLike<number>;
  const n = p.length;
  if (context.length !== undefined && n !== context.length) {
    throw new ShapeMismatchError(`${fn}: '${arg}' must be a permutation of 0..${context.length - 1} (${context.length} entries); received ${n} entries`);
  }
  if (n === 0) throw new InvalidArgumentError(`${fn}: '${arg}' must be a permutation of at least one index; received an empty array`);
  const seen = new Uint8Array(n);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = p[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= n || seen[v] === 1) {
      throw new InvalidArgumentError(
        `${fn}: '${arg}' must be a permutation of 0..${n - 1} (each index once); received ${describe(v)} at position ${i}${typeof v === 'number' && v >= 0 && v < n ? ' (repeated)' : ''}`,
      );
    }
    seen[v] = 1;
    out[i] = v;
  }
  return out;
}

/** The output permutation y ↦ (y[perm[0]], y[perm[1]], …), validated: e.g. `[1, 0]` swaps two outputs. */
export function outputPermutation(perm: ArrayLike<number>): Int32Array {
  return checkPermutation(perm, { fn: 'outputPermutation', arg: 'perm' });
}

interface ImageDims {
  C: number;
  H: number;
  W: number;
  /** Flat index of (c, i, j). */
  at: (c: number, i: number, j: number) => number;
}

function imageDims(fn: string, spec: { shape: readonly number[]; layout?: ImageLayout }): ImageDims {
  if (spec === null || typeof spec !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be { shape, layout }; received ${describe(spec)}`);
  const layout = spec.layout ?? 'NCHW';
  if (layout !== 'NCHW' && layout !== 'NHWC') throw new InvalidArgumentError(`${fn}: 'layout' must be 'NCHW' or 'NHWC'; received ${describe(layout)}`);
  const s = spec.shape;
  if (!Array.isArray(s) || (s.length !== 2 && s.length !== 3) || s.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new ShapeMismatchError(`${fn}: 'shape' must be a per-sample image shape [C, H, W] (NCHW), [H, W, C] (NHWC) or [H, W] of positive integers; received ${describe(s)}`);
  }
  if (s.length === 2) return { C: 1, H: s[0]!, W: s[1]!, at: (_c, i, j) => i * s[1]! + j };
  if (layout === 'NCHW') {
    const [C, H, W] = s as [number, number, number];
    return { C, H, W, at: (c, i, j) => (c * H + i) * W + j };
  }
  const [H, W, C] = s as [number, number, number];
  return { C, H, W, at: (c, i, j) => (i * W + j) * C + c };
}

/** Where output pixel (i, j) of an H×W image reads from, per transform (n = H = W when square). */
const SOURCES: Readonly<Record<ImageIndexMapName, (i: number, j: number, d: { H: number; W: number }) => [number, number]>> = {
  'flip-horizontal': (i, j, d) => [i, d.W - 1 - j],
  'flip-vertical': (i, j, d) => [d.H - 1 - i, j],
  rotate180: (i, j, d) => [d.H - 1 - i, d.W - 1 - j],
  rotate90: (i, j, d) => [j, d.W - 1 - i],
  rotate270: (i, j, d) => [d.H - 1 - j, i],
  transpose: (i, j) => [j, i],
};

/**
 * Index maps of the image transforms for a per-sample shape and layout: flip-horizontal
 * (mirror left–right), flip-vertical, rotate180, and for square images rotate90 (counter-
 * clockwise), rotate270 and transpose. Every channel moves the same way. Without `names`, all
 * the transforms the shape allows; with `names`, exactly those, in that order.
 *
 * @throws ShapeMismatchError for a bad shape; UnsupportedOperationError when rotate90, rotate270
 *   or transpose is asked by name for a non-square image (naming the shape); InvalidArgumentError
 *   for an unknown name or layout
 * @example
 * const [flip] = imageIndexMaps({ shape: [1, 2, 3], names: ['flip-horizontal'] });
 * flip.input; // Int32Array [2, 1, 0, 5, 4, 3]
 */
export function imageIndexMaps(options: { shape: readonly number[]; layout?: ImageLayout; names?: readonly string[] }): IndexMapTransform[] {
  const fn = 'imageIndexMaps';
  const d = imageDims(fn, options);
  const square = d.H === d.W;
  let names: ImageIndexMapName[];
  if (options.names === undefined) {
    names = IMAGE_INDEX_MAPS.filter((n) => square || !SQUARE_ONLY.has(n));
  } else {
    if (!Array.isArray(options.names)) throw new InvalidArgumentError(`${fn}: 'names' must be an array of transform names; received ${describe(options.names)}`);
    names = options.names.map((n) => {
      if (!(IMAGE_INDEX_MAPS as readonly string[]).includes(n)) {
        throw new InvalidArgumentError(`${fn}: 'names' must hold image transforms (${IMAGE_INDEX_MAPS.join(', ')}); received ${describe(n)}`);
      }
      if (!square && SQUARE_ONLY.has(n as ImageIndexMapName)) {
        throw new UnsupportedOperationError(`${fn}: '${n}' needs a square image (H = W); received shape [${options.shape.join(', ')}] (H ${d.H}, W ${d.W})`);
      }
      return n as ImageIndexMapName;
    });
  }
  return names.map((name) => {
    const src = SOURCES[name];
    const input = new Int32Array(d.C * d.H * d.W);
    for (let c = 0; c < d.C; c++) {
      for (let i = 0; i < d.H; i++) {
        for (let j = 0; j < d.W; j++) {
          const [si, sj] = src(i, j, d);
          input[d.at(c, i, j)] = d.at(c, si, sj);
        }
      }
    }
    return { name, input };
  });
}

/**
 * Time reversal of a signal of `length` steps: x(t) ↦ x(T−1−t), per channel for a per-sample
 * shape [C, T] (`channels` C, channels first; default 1).
 * @throws InvalidArgumentError for a length or channel count that is not a positive integer
 * @example timeReversal(4).input; // Int32Array [3, 2, 1, 0]
 */
export function timeReversal(length: number, options: { channels?: number } = {}): IndexMapTransform {
  const fn = 'timeReversal';
  const C = options.channels ?? 1;
  if (!Number.isInteger(length) || length < 1) throw new InvalidArgumentError(`${fn}: 'length' must be an integer ≥ 1; received ${describe(length)}`);
  if (!Number.isInteger(C) || C < 1) throw new InvalidArgumentError(`${fn}: 'channels' must be an integer ≥ 1; received ${describe(C)}`);
  const input = new Int32Array(C * length);
  for (let c = 0; c < C; c++) for (let t = 0; t < length; t++) input[c * length + t] = c * length + length - 1 - t;
  return { name: 'time-reversal', input };
}

/**
 * A permutation of an image's channels, (h·x)[c, i, j] = x[perm[c], i, j] (e.g. `[2, 1, 0]` swaps
 * RGB and BGR), for a per-sample shape and layout as in {@link imageIndexMaps}.
 * @throws InvalidArgumentError when `perm` is not a permutation of 0..C−1; ShapeMismatchError for a bad shape
 * @example channelPermutation([2, 1, 0], { shape: [3, 48, 192] });
 */
export function channelPermutation(perm: ArrayLike<number>, options: { shape: readonly number[]; layout?: ImageLayout }): IndexMapTransform {
  const fn = 'channelPermutation';
  const d = imageDims(fn, options);
  const p = checkPermutation(perm, { fn, arg: 'perm', length: d.C });
  const input = new Int32Array(d.C * d.H * d.W);
  for (let c = 0; c < d.C; c++) for (let i = 0; i < d.H; i++) for (let j = 0; j < d.W; j++) input[d.at(c, i, j)] = d.at(p[c]!, i, j);
  return { name: `channels-${Array.from(p).join('')}`, input };
}
