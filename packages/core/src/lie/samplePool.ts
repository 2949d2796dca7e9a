import { InvalidArgumentError, describe } from '../errors.js';
import { Matrix } from '../linalg/Matrix.js';
import { createRng } from '../linalg/random.js';

/** A pool of sample points that hands out a fresh seeded subset at every call (see {@link samplePool}). */
export interface SamplePool {
  /** Rows of the pool. */
  readonly size: number;
  /** Rows of every subset (the pool's size when no batch size was given). */
  readonly batchSize: number;
  /** The next subset: `batchSize` distinct rows in random order, or the whole pool (in order, shared: read only) when `batchSize` is its size. */
  next(): Matrix;
}

/**
 * A pool of samples for penalties evaluated at every training step: each `next()` draws a fresh
 * subset of `batchSize` distinct rows (a partial Fisher–Yates shuffle, reproducible from
 * `seed`), so that a model cannot become symmetric at a fixed small set of points only.
 * Without `batchSize` (or with the pool's size), every call returns the whole pool.
 * @param points the pool, S×n (validated by the caller, e.g. with `drawSamples`)
 * @param options.batchSize rows per subset, an integer in [1, S] (default: all S)
 * @param options.seed seed of the subsets (default 0)
 * @throws InvalidArgumentError for a batch size outside [1, S] or a bad seed
 * @example
 * const pool = samplePool(drawSamples({ samples: 4096 }, { dimIn: 3 }), { batchSize: 256, seed: 1 });
 * pool.next().rows; // 256, different rows at every call
 */
export function samplePool(points: Matrix, options: { batchSize?: number; seed?: number; fn?: string } = {}): SamplePool {
  const fn = options.fn ?? 'samplePool';
  const size = points.rows;
  const b = options.batchSize ?? size;
  if (!Number.isInteger(b) || b < 1 || b > size) {
    throw new InvalidArgumentError(`${fn}: 'batchSize' must be an integer in [1, ${size}] (the rows of 'samples'); received ${describe(options.batchSize)}`);
  }
  const seed = options.seed ?? 0;
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw new InvalidArgumentError(`${fn}: 'seed' must be an integer in [0, 2³²); received ${describe(seed)}`);
  const rng = createRng(seed);
  const n = points.cols;
  const next = (): Matrix => {
    if (b === size) return points;
    const idx = Int32Array.from({ length: size }, (_, i) => i);
    const out = new Matrix(b, n);
    for (let i = 0; i < b; i++) {
      const j = i + rng.int(size - i);
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
      out.data.set(points.data.subarray(idx[i]! * n, (idx[i]! + 1) * n), i * n);
    }
    return out;
  };
  return { size, batchSize: b, next };
}
