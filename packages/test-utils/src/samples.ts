import { InvalidArgumentError, createRng, describe } from '@liesym/core';

/** Options of {@link normalVector} and {@link normalSamples}. */
export interface NormalOptions {
  /** Seed of core's `createRng` (an integer). */
  seed: number;
  /** Standard deviation of every entry (default 1). */
  scale?: number;
}

function checkCount(fn: string, arg: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new InvalidArgumentError(`${fn}: '${arg}' must be an integer ≥ 0; received ${describe(value)}`);
  }
  return value;
}

function checkOptions(fn: string, options: NormalOptions): { seed: number; scale: number } {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError(`${fn}: 'options' must be { seed, scale? }; received ${describe(options)}`);
  }
  const { seed, scale = 1 } = options;
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new InvalidArgumentError(`${fn}: 'options.seed' must be an integer; received ${describe(seed)}`);
  }
  if (typeof scale !== 'number' || !Number.isFinite(scale)) {
    throw new InvalidArgumentError(`${fn}: 'options.scale' must be a finite number; received ${describe(scale)}`);
  }
  return { seed, scale };
}

/**
 * `length` seeded normal numbers N(0, scale²), drawn in order from `createRng(seed)`.
 * @throws InvalidArgumentError for a bad length, seed or scale
 * @example
 * normalVector(6, { seed: 1, scale: 0.5 }); // the weights of a 2×3 layer
 */
export function normalVector(length: number, options: NormalOptions): number[] {
  const fn = 'normalVector';
  checkCount(fn, 'length', length);
  const { seed, scale } = checkOptions(fn, options);
  const rng = createRng(seed);
  return Array.from({ length }, () => scale * rng.normal());
}

/**
 * `count` seeded points of R^dim with entries N(0, scale²), as rows (the `samples` every
 * liesym function takes). The entries are the same numbers as
 * `normalVector(count · dim, options)`, row by row.
 * @throws InvalidArgumentError for a bad count, dim, seed or scale
 * @example
 * normalSamples(48, 3, { seed: 7 }); // 48 points of R³
 */
export function normalSamples(count: number, dim: number, options: NormalOptions): number[][] {
  const fn = 'normalSamples';
  checkCount(fn, 'count', count);
  checkCount(fn, 'dim', dim);
  const { seed, scale } = checkOptions(fn, options);
  const rng = createRng(seed);
  return Array.from({ length: count }, () => Array.from({ length: dim }, () => scale * rng.normal()));
}
