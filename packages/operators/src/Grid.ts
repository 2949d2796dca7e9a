import { EmptyInputError, InvalidArgumentError, NonFiniteError, ShapeMismatchError, describe, periodicityDefect, type PeriodicGridOptions } from '@liesym/core';
import { GridMismatchError, NonPeriodicFieldError } from './errors.js';

/** Options of {@link Grid}. */
export interface GridOptions {
  /** Points per axis: `[n]` (1-D) or `[nx, ny]` (2-D); each ≥ 4 and even. */
  size: readonly number[];
  /** Box side per axis (default 2π for every axis). */
  length?: readonly number[];
}

const fmt = (a: readonly number[]): string => `[${a.join(', ')}]`;

/**
 * A periodic grid on the box Ω = Π [−Lₐ/2, Lₐ/2) centred at the origin, so rotations and scalings "about the
 * centre" are linear maps x ↦ Ax. Points xᵢ = −L/2 + i·L/n; a 2-D point (i, j) has flat index p = i·ny + j
 * (x is axis 0, the slow axis), the layout of a tfjs tensor [batch, nx, ny, c].
 * @throws InvalidArgumentError for a dimension other than 1 or 2, odd or tiny sizes, bad lengths
 * @example
 * const g = new Grid({ size: [32, 32] }); g.points; // 1024
 */
export class Grid {
  /** Spatial dimension d ∈ {1, 2}. */
  readonly dims: 1 | 2;
  /** Points per axis. */
  readonly size: readonly number[];
  /** Box side per axis. */
  readonly length: readonly number[];

  constructor(options: GridOptions) {
    const size = options?.size;
    if (!Array.isArray(size) || (size.length !== 1 && size.length !== 2)) {
      throw new InvalidArgumentError(`Grid: 'size' must be [n] or [nx, ny]; received ${JSON.stringify(size)}`);
    }
    if (size.some((n) => !Number.isInteger(n) || n < 4 || n % 2 !== 0)) throw new InvalidArgumentError(`Grid: every entry of 'size' must be an even integer ≥ 4; received ${fmt(size)}`);
    const length = options.length ?? size.map(() => 2 * Math.PI);
    if (length.length !== size.length || length.some((l) => !(l > 0) || !Number.isFinite(l))) {
      throw new InvalidArgumentError(`Grid: 'length' must hold ${size.length} finite positive numbers; received ${JSON.stringify(length)}`);
    }
    this.dims = size.length as 1 | 2;
    this.size = Object.freeze([...size]);
    this.length = Object.freeze([...length]);
  }

  /** Total number of grid points Π nₐ. */
  get points(): number {
    return this.size.reduce((a, b) => a * b, 1);
  }

  /** Grid spacing along an axis. */
  spacing(axis: number): number {
    return this.length[axis]! / this.size[axis]!;
  }

  /** Coordinates of point p: [x] or [x, y]. */
  coordinate(p: number): number[] {
    const index = this.dims === 1 ? [p] : [Math.floor(p / this.size[1]!), p % this.size[1]!];
    return index.map((i, a) => -this.length[a]! / 2 + i * this.spacing(a));
  }

  /**
   * This grid as core's periodic-grid options for fields with `channels` values per point
   * (channels last, spacing L/n, origin −L/2 per axis): what `gridFieldAction` and
   * `trigonometricInterpolation` take.
   */
  spec(channels = 1): PeriodicGridOptions {
    return { shape: this.size, channels, layout: 'channels-last', spacing: this.size.map((_, a) => this.spacing(a)), origin: this.length.map((l) => -l / 2) };
  }

  /** True when both grids have the same dimension, sizes and box. */
  equals(other: Grid): boolean {
    return this.dims === other.dims && this.size.every((n, a) => n === other.size[a]) && this.length.every((l, a) => Math.abs(l - other.length[a]!) <= 1e-12 * l);
  }

  /** Throws GridMismatchError unless `other` equals this grid. */
  assertSame(other: Grid, fn: string, arg: string): void {
    if (this.equals(other)) return;
    throw new GridMismatchError(`${fn}: '${arg}' must live on a grid of size ${fmt(this.size)} and box ${fmt(this.length)}; received size ${fmt(other.size)} and box ${fmt(other.length)}`);
  }

  /** A short description, e.g. "32×32 on [−π, π)²". */
  toString(): string {
    return `${this.size.join('×')} grid, box ${fmt(this.length.map((l) => +l.toFixed(4)))}`;
  }
}

/**
 * A field u: Ω → R^c sampled on a periodic grid, values row-major (point, channel):
 * u at point p, channel a sits at data[p·c + a]. Float64.
 * @throws ShapeMismatchError when data.length ≠ points·channels; NonFiniteError for NaN/∞
 * @example
 * const u = Field.fromFunction(new Grid({ size: [64] }), ([x]) => [Math.sin(x!)]);
 */
export class Field {
  readonly data: Float64Array;

  constructor(readonly grid: Grid, readonly channels: number, data?: Float64Array) {
    if (!Number.isInteger(channels) || channels < 1) throw new InvalidArgumentError(`Field: 'channels' must be an integer ≥ 1; received ${describe(channels)}`);
    const n = grid.points * channels;
    if (data !== undefined && data.length !== n) throw new ShapeMismatchError(`Field: 'data' must hold points·channels = ${grid.points}·${channels} = ${n} values; received ${data.length}`);
    const bad = data?.findIndex((v) => !Number.isFinite(v)) ?? -1;
    if (bad >= 0) throw new NonFiniteError(`Field: 'data'[${bad}] must be finite; received ${data![bad]}`);
    this.data = data ?? new Float64Array(n);
  }

  /**
   * Samples f at every grid point. f(x) returns the c channel values at x = [x] or [x, y].
   * @throws NonFiniteError when f returns NaN/∞; ShapeMismatchError when it returns another channel count
   */
  static fromFunction(grid: Grid, f: (x: number[]) => ArrayLike<number>, options: { channels?: number } = {}): Field {
    const first = f(grid.coordinate(0));
    const c = options.channels ?? first.length;
    const data = new Float64Array(grid.points * c);
    for (let p = 0; p < grid.points; p++) {
      const v = p === 0 ? first : f(grid.coordinate(p));
      if (v.length !== c) throw new ShapeMismatchError(`Field.fromFunction: 'f' must return ${c} values at every point; received ${v.length} at point ${p}`);
      for (let a = 0; a < c; a++) data[p * c + a] = v[a]!;
    }
    return new Field(grid, c, data);
  }

  /** Channel a as a Float64Array over the points. */
  channel(a: number): Float64Array {
    return Float64Array.from({ length: this.grid.points }, (_, p) => this.data[p * this.channels + a]!);
  }

  /** u + s·v (same grid and channels). */
  axpy(s: number, v: Field): Field {
    return new Field(this.grid, this.channels, this.data.map((x, i) => x + s * v.data[i]!));
  }

  /** s·u. */
  scale(s: number): Field {
    return new Field(this.grid, this.channels, this.data.map((v) => v * s));
  }

  /** Euclidean norm of all values. */
  norm(): number {
    return Math.sqrt(this.data.reduce((s, v) => s + v * v, 0));
  }
}

/** Throws unless `u` is a Field (on `grid` and with `channels` channels, when given); `fn` and `arg` name the caller. */
export function assertField(u: unknown, expected: { fn: string; arg: string; grid?: Grid; channels?: number }): asserts u is Field {
  const { fn, arg, grid, channels } = expected;
  if (!(u instanceof Field)) throw new InvalidArgumentError(`${fn}: '${arg}' must be a Field; received ${describe(u)}`);
  if (grid) grid.assertSame(u.grid, fn, arg);
  if (channels !== undefined && u.channels !== channels) throw new ShapeMismatchError(`${fn}: '${arg}' must have ${channels} channel(s); received ${u.channels}`);
}

/**
 * Throws unless `fields` is a non-empty array of Fields on one grid with one channel count.
 * @returns that grid and channel count
 */
export function assertFields(fields: unknown, where: { fn: string; arg: string }): { grid: Grid; channels: number } {
  const { fn, arg } = where;
  if (!Array.isArray(fields) || fields.length === 0) throw new EmptyInputError(`${fn}: '${arg}' must hold at least one Field; received ${describe(fields)}`);
  assertField(fields[0], { fn, arg: `${arg}[0]` });
  const { grid, channels } = fields[0];
  fields.forEach((u, s) => assertField(u, { fn, arg: `${arg}[${s}]`, grid, channels }));
  return { grid, channels };
}

/**
 * Throws NonPeriodicFieldError when some grid line of `u` jumps across the periodic boundary by more
 * than `factor` (default 4) times its largest interior step: core's `periodicityDefect` on this
 * package's container, turned into this package's boundary error.
 * @param options `fn` and `arg` name the caller and argument in the message (default 'assertPeriodic', 'u')
 * @example assertPeriodic(Field.fromFunction(g, ([x]) => [x!])); // throws: a ramp jumps at the boundary
 */
export function assertPeriodic(u: Field, options: { fn?: string; arg?: string; factor?: number } = {}): void {
  const { fn = 'assertPeriodic', arg = 'u', factor = 4 } = options;
  const d = periodicityDefect(u.data, { ...u.grid.spec(u.channels), factor });
  if (d === null) return;
  const where = u.grid.dims === 1 ? 'along x' : d.axis === 0 ? `along x at column ${d.line}` : `along y at row ${d.line}`;
  throw new NonPeriodicFieldError(
    `${fn}: '${arg}' must be periodic on the grid; channel ${d.channel} ${where} jumps by ${d.wrap.toPrecision(3)} across the boundary while its largest interior step is ${d.step.toPrecision(3)}`,
  );
}
