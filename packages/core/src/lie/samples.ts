import { EmptyInputError, InvalidArgumentError, NonFiniteError, ShapeMismatchError, describe, errorMessage } from '../errors.js';
import { Matrix } from '../linalg/Matrix.js';
import { createRng, type Rng } from '../linalg/random.js';

/** Where the sample points of an analysis come from (every package's options use these names). */
export interface SamplingOptions {
  /** The points (S×dimIn, one flattened sample per row), or how many to draw. */
  samples?: number | Matrix | ReadonlyArray<ArrayLike<number>>;
  /** Draws one flattened sample; used with a count in `samples`. */
  sampler?: (rng: Rng, index: number) => ArrayLike<number>;
  /** Seed of the random draws (default 0): an integer in [0, 2³²). */
  seed?: number;
}

/** Largest sample matrix {@link drawSamples} builds (numbers), so a typo cannot exhaust memory. */
const MAX_NUMBERS = 2 ** 27;

/** Standard-normal points: the default sampler for vector inputs. */
export function normalSampler(dimIn: number): (rng: Rng) => Float64Array {
  return (rng) => Float64Array.from({ length: dimIn }, () => rng.normal());
}

/** Options of {@link boxSampler}. */
export interface BoxSamplerOptions {
  /**
   * How far the box reaches beyond the points' bounding box, as a fraction of its width along
   * each coordinate, on each side (default 0: the bounding box itself; 0.5 doubles every width).
   */
  margin?: number;
}

/**
 * Points uniform in the bounding box of `points` (each coordinate between its least and greatest
 * value), widened by `margin`: unlabeled points where the data are, the sampler a function-level
 * symmetry penalty needs so each step sees new points (a coordinate that never varies stays
 * constant). In the same form as {@link normalSampler}, for `drawSamples` or a per-step batch.
 * @param points the data, one flattened point per row (at least one; all of one length; finite)
 * @throws EmptyInputError for no points or zero-length points; ShapeMismatchError for rows of
 *   different lengths; NonFiniteError for NaN/±Infinity; InvalidArgumentError for `points` that
 *   are not a Matrix or an array of arrays, options that are not an object, a margin that is not
 *   a finite number ≥ 0, or a box that overflows float64
 * @example
 * const draw = boxSampler([[0, 1], [2, 1]], { margin: 0.5 }); // x ∈ [−1, 3], y = 1
 * const rng = createRng(7);
 * const batch = Array.from({ length: 64 }, () => Array.from(draw(rng)));
 */
export function boxSampler(points: Matrix | ReadonlyArray<ArrayLike<number>>, options: BoxSamplerOptions = {}): (rng: Rng) => Float64Array {
  const fn = 'boxSampler';
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(errorMessage(fn, 'options', { expected: 'an object { margin }', received: options }));
  const margin = options.margin === undefined ? 0 : options.margin;
  if (typeof margin !== 'number' || !Number.isFinite(margin) || margin < 0) {
    throw new InvalidArgumentError(errorMessage(fn, 'margin', { expected: 'a finite number ≥ 0', received: options.margin }));
  }
  const count = points instanceof Matrix ? points.rows : Array.isArray(points) ? points.length : undefined;
  if (count === undefined) throw new InvalidArgumentError(errorMessage(fn, 'points', { expected: 'a Matrix or an array of points (arrays of numbers)', received: points }));
  if (count === 0) throw new EmptyInputError(`${fn}: 'points' must hold at least one point; received none`);
  const first = points instanceof Matrix ? undefined : (points as ReadonlyArray<ArrayLike<number>>)[0];
  const n = points instanceof Matrix ? points.cols : first?.length;
  if (typeof n !== 'number' || (first !== undefined && typeof first !== 'object')) {
    throw new InvalidArgumentError(errorMessage(fn, 'points', { expected: 'a Matrix or an array of points (arrays of numbers; for trajectories, one row per state)', received: first }));
  }
  if (n === 0) throw new EmptyInputError(`${fn}: every point of 'points' must have at least one coordinate; received 0`);
  const lo = new Float64Array(n).fill(Infinity);
  const hi = new Float64Array(n).fill(-Infinity);
  const extend = (j: number, v: number): void => {
    if (v < lo[j]!) lo[j] = v;
    if (v > hi[j]!) hi[j] = v;
  };
  if (points instanceof Matrix) {
    if (!points.isFinite()) throw new NonFiniteError(`${fn}: 'points' must be finite; received a matrix with NaN or ±Infinity`);
    for (let s = 0; s < count; s++) for (let j = 0; j < n; j++) extend(j, points.data[s * n + j]!);
  } else {
    for (let s = 0; s < count; s++) {
      const r = (points as ReadonlyArray<ArrayLike<number>>)[s];
      if (r?.length !== n) throw new ShapeMismatchError(`${fn}: point ${s} of 'points' must have ${n} coordinate${n === 1 ? '' : 's'}, as point 0; received ${describe(r?.length)}`);
      for (let k = 0; k < n; k++) {
        const v = r[k]!;
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new NonFiniteError(`${fn}: point ${s} of 'points' has a non-finite coordinate ${k}: ${describe(v)}`);
        extend(k, v);
      }
    }
  }
  const start = Float64Array.from(lo, (l, j) => l - margin * (hi[j]! - l));
  const width = Float64Array.from(lo, (l, j) => (1 + 2 * margin) * (hi[j]! - l));
  for (let j = 0; j < n; j++) {
    if (!Number.isFinite(start[j]!) || !Number.isFinite(start[j]! + width[j]!)) {
      throw new InvalidArgumentError(`${fn}: the box along coordinate ${j} ([${lo[j]}, ${hi[j]}] widened by margin ${margin}) overflows float64; received points or a margin too large`);
    }
  }
  return (rng) => Float64Array.from(start, (a, j) => a + width[j]! * rng.uniform());
}

/**
 * Smooth random periodic fields on a 1-D or 2-D grid (random Fourier modes up to a quarter of
 * the grid's frequencies, unit variance), one per channel: the default sampler for images and
 * signals, whose derivatives the structured candidates take on the periodic grid.
 * @param shape per-sample shape: [T] (a signal), [H, W] or [C, H, W] (channels first)
 */
export function smoothFieldSampler(shape: readonly number[]): (rng: Rng) => Float64Array {
  const dims = shape.length === 3 ? shape.slice(1) : shape;
  const channels = shape.length === 3 ? shape[0]! : 1;
  const H = dims.length === 2 ? dims[0]! : 1;
  const W = dims[dims.length - 1]!;
  const K = Math.max(1, Math.floor(Math.min(...dims) / 4));
  const ky = dims.length === 2 ? K : 0;
  const cos = (n: number, k: number): Float64Array => Float64Array.from({ length: n }, (_, i) => Math.cos((2 * Math.PI * k * i) / n));
  const sin = (n: number, k: number): Float64Array => Float64Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * k * i) / n));
  return (rng) => {
    const out = new Float64Array(channels * H * W);
    const modes = (2 * ky + 1) * (K + 1);
    const scale = 1 / Math.sqrt(modes);
    for (let c = 0; c < channels; c++) {
      for (let a = -ky; a <= ky; a++) {
        // cos(α + β) and sin(α + β) from the separable tables: one pass per mode.
        const [ca, sa] = [cos(H, a), sin(H, a)];
        for (let b = 0; b <= K; b++) {
          const [cb, sb] = [cos(W, b), sin(W, b)];
          const p = rng.normal() * scale;
          const q = rng.normal() * scale;
          for (let i = 0; i < H; i++) {
            const o = c * H * W + i * W;
            for (let j = 0; j < W; j++) {
              const cc = ca[i]! * cb[j]! - sa[i]! * sb[j]!;
              const ss = sa[i]! * cb[j]! + ca[i]! * sb[j]!;
              out[o + j]! += p * cc + q * ss;
            }
          }
        }
      }
    }
    return out;
  };
}

/**
 * The sample points of an analysis as an S×dimIn matrix: given points, or `samples` draws of
 * `sampler` (default `fallback`, else standard normal) seeded by `seed`.
 * @throws EmptyInputError for no samples; ShapeMismatchError for rows of the wrong length;
 *   NonFiniteError for NaN/±Infinity; InvalidArgumentError for a bad count, seed or sampler,
 *   or a sample set larger than 2²⁷ numbers
 * @example
 * drawSamples({ samples: 64, seed: 1 }, { dimIn: 3 }).rows; // 64
 */
export function drawSamples(
  options: SamplingOptions,
  context: { dimIn: number; fn?: string; defaultCount?: number; fallback?: (rng: Rng) => ArrayLike<number> },
): Matrix {
  const fn = context.fn ?? 'drawSamples';
  const n = context.dimIn;
  const spec = options.samples ?? context.defaultCount ?? 128;
  if (typeof spec === 'number') {
    if (spec === 0) throw new EmptyInputError(`${fn}: 'samples' must be at least 1; received 0`);
    if (!Number.isInteger(spec) || spec < 1) {
      throw new InvalidArgumentError(`${fn}: 'samples' must be an integer ≥ 1, a Matrix or an array of points; received ${describe(spec)}`);
    }
    if (spec * n > MAX_NUMBERS) {
      throw new InvalidArgumentError(
        `${fn}: 'samples' × ${n} coordinates must be at most 2²⁷ numbers (1 GiB in float64); received ${spec} samples (${spec * n} numbers)`,
      );
    }
    const seed = options.seed ?? 0;
    if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
      throw new InvalidArgumentError(`${fn}: 'seed' must be an integer in [0, 2³²); received ${describe(seed)}`);
    }
    if (options.sampler !== undefined && typeof options.sampler !== 'function') {
      throw new InvalidArgumentError(`${fn}: 'sampler' must be a function (rng, index) => point; received ${describe(options.sampler)}`);
    }
    const rng = createRng(seed);
    const draw = options.sampler ?? context.fallback ?? normalSampler(n);
    const X = new Matrix(spec, n);
    const setRow = rowSetter(fn, X, 'sampler');
    for (let s = 0; s < spec; s++) setRow(s, draw(rng, s));
    return X;
  }
  const rows: ArrayLike<ArrayLike<number>> | undefined =
    spec instanceof Matrix ? { length: spec.rows } as ArrayLike<ArrayLike<number>> : Array.isArray(spec) ? spec : undefined;
  if (rows === undefined) throw new InvalidArgumentError(`${fn}: 'samples' must be a count, a Matrix or an array of points; received ${describe(spec)}`);
  if (rows.length === 0) throw new EmptyInputError(`${fn}: 'samples' must hold at least one point; received none`);
  if (spec instanceof Matrix) {
    if (spec.cols !== n) throw new ShapeMismatchError(`${fn}: every sample must have ${n} coordinates (the model's input size); received ${spec.cols}`);
    if (!spec.isFinite()) throw new NonFiniteError(`${fn}: 'samples' must be finite; received a matrix with NaN or ±Infinity`);
    return spec;
  }
  const X = new Matrix(rows.length, n);
  const setRow = rowSetter(fn, X, 'samples');
  for (let s = 0; s < rows.length; s++) setRow(s, rows[s]!);
  return X;
}

/** Writes validated points into the rows of X, naming `arg` of `fn` in errors. */
function rowSetter(fn: string, X: Matrix, arg: string): (s: number, r: ArrayLike<number>) => void {
  return (s, r) => {
    const n = X.cols;
    if (r?.length !== n) {
      throw new ShapeMismatchError(`${fn}: sample ${s} of '${arg}' must have ${n} coordinates (the model's input size); received ${describe(r?.length)}`);
    }
    for (let k = 0; k < n; k++) {
      const v = r[k]!;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new NonFiniteError(`${fn}: sample ${s} of '${arg}' has a non-finite coordinate ${k}: ${describe(v)}`);
      X.data[s * n + k] = v;
    }
  };
}

/**
 * Square roots of normalized-as-given sample weights (default 1/S each), validated.
 * @throws ShapeMismatchError for a wrong length; NonFiniteError for NaN/±Infinity or
 *   negative weights; InvalidArgumentError when every weight is 0 (nothing would be measured)
 */
export function sampleWeights(fn: string, count: number, weights?: ArrayLike<number>): Float64Array {
  const out = new Float64Array(count);
  if (weights === undefined) return out.fill(Math.sqrt(1 / count));
  if (weights?.length !== count) throw new ShapeMismatchError(`${fn}: 'weights' must have one entry per sample (${count}); received ${describe(weights?.length)}`);
  let any = false;
  for (let s = 0; s < count; s++) {
    const w = weights[s]!;
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) throw new NonFiniteError(`${fn}: 'weights'[${s}] must be finite and ≥ 0; received ${describe(w)}`);
    if (w > 0) any = true;
    out[s] = Math.sqrt(w);
  }
  if (!any) throw new InvalidArgumentError(`${fn}: 'weights' must not all be 0 (every model would look symmetric); received ${count} zeros`);
  return out;
}
