import { EmptyInputError, InvalidArgumentError, Matrix, NonFiniteError, ShapeMismatchError, createRng, type Rng } from '@liesym/core';

/** Where the analysis points come from. */
export interface SampleOptions {
  /**
   * The points (S×dimIn, each row one flattened sample), or how many to draw. Default 128
   * drawn points (discovery: at least 4·q/dimOut for q candidate generators): standard normal for vectors, smooth random periodic fields (band-limited
   * to a quarter of the grid's frequencies) for images and signals.
   */
  samples?: number | Matrix | number[][];
  /** Draws one flattened sample; used with a count in `samples`. Default: see `samples`. */
  sampler?: (rng: Rng, index: number) => ArrayLike<number>;
  /** Seed of the random draws (default 0). */
  seed?: number;
}

/** A smooth random periodic field on a grid (1-D or 2-D), unit RMS amplitude per mode sum. */
function smoothField(rng: Rng, dims: readonly number[]): Float64Array {
  const H = dims.length === 2 ? dims[0]! : 1;
  const W = dims[dims.length - 1]!;
  const K = Math.max(1, Math.floor(Math.min(...dims) / 4));
  const out = new Float64Array(H * W);
  const modes: Array<[number, number, number, number]> = [];
  for (let ky = dims.length === 2 ? -K : 0; ky <= (dims.length === 2 ? K : 0); ky++) {
    for (let kx = 0; kx <= K; kx++) modes.push([ky, kx, rng.normal(), rng.normal()]);
  }
  const scale = 1 / Math.sqrt(modes.length);
  for (let i = 0; i < H; i++) {
    for (let j = 0; j < W; j++) {
      let s = 0;
      for (const [ky, kx, a, b] of modes) {
        const ph = 2 * Math.PI * ((ky * i) / H + (kx * j) / W);
        s += a * Math.cos(ph) + b * Math.sin(ph);
      }
      out[i * W + j] = s * scale;
    }
  }
  return out;
}

/** The default sampler for a per-sample shape and candidate kind. */
export function defaultSampler(shape: readonly number[], kind: 'vector' | 'image' | 'signal'): (rng: Rng) => Float64Array {
  const n = shape.reduce((a, b) => a * b, 1);
  if (kind === 'image') {
    const [C, H, W] = shape as [number, number, number];
    return (rng) => {
      const out = new Float64Array(n);
      for (let c = 0; c < C; c++) out.set(smoothField(rng, [H, W]), c * H * W);
      return out;
    };
  }
  if (kind === 'signal') return (rng) => smoothField(rng, [n]);
  return (rng) => Float64Array.from({ length: n }, () => rng.normal());
}

/**
 * The sample points as one row-major S×n array.
 * @throws EmptyInputError for no samples; ShapeMismatchError for rows of the wrong length;
 *   NonFiniteError for NaN/±Infinity; InvalidArgumentError for a bad count
 */
export function drawSamples(
  fn: string,
  n: number,
  options: SampleOptions,
  fallback: (rng: Rng) => Float64Array,
): { points: Float64Array; count: number } {
  const spec = options.samples ?? 128;
  let rows: ArrayLike<number>[];
  if (typeof spec === 'number') {
    if (!Number.isInteger(spec) || spec < 1) {
      if (spec === 0) throw new EmptyInputError(`${fn}: 'samples' must be at least 1; received 0`);
      throw new InvalidArgumentError(`${fn}: 'samples' must be an integer ≥ 1, a Matrix or an array of points; received ${String(spec)}`);
    }
    const rng = createRng(options.seed ?? 0);
    const draw = options.sampler ?? fallback;
    rows = Array.from({ length: spec }, (_, i) => draw(rng, i));
  } else if (spec instanceof Matrix) {
    rows = Array.from({ length: spec.rows }, (_, i) => spec.row(i));
  } else if (Array.isArray(spec)) {
    rows = spec;
  } else {
    throw new InvalidArgumentError(`${fn}: 'samples' must be a count, a Matrix or an array of points; received ${typeof spec}`);
  }
  if (rows.length === 0) throw new EmptyInputError(`${fn}: 'samples' must hold at least one point; received none`);
  const points = new Float64Array(rows.length * n);
  rows.forEach((r, s) => {
    if (r.length !== n) throw new ShapeMismatchError(`${fn}: sample ${s} must have ${n} coordinates (the model's input size); received ${r.length}`);
    for (let k = 0; k < n; k++) {
      const v = r[k]!;
      if (!Number.isFinite(v)) throw new NonFiniteError(`${fn}: sample ${s} has a non-finite coordinate ${k}: ${String(v)}`);
      points[s * n + k] = v;
    }
  });
  return { points, count: rows.length };
}
