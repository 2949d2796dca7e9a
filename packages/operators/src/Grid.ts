import { InvalidArgumentError, NonFiniteError, ShapeMismatchError } from '@liesym/core';
import { GridMismatchError } from './errors.js';

/** Options of {@link Grid}. */
export interface GridOptions {
  /** Points per axis: `[n]` (1-D) or `[nx, ny]` (2-D); each ≥ 4 and even. */
  size: readonly number[];
  /** Box side per axis (default 2π for every axis). */
  length?: readonly number[];
}

function fmt(a: readonly number[]): string {
  return `[${a.join(', ')}]`;
}

/**
 * A periodic grid on the box Ω = Π [−Lₐ/2, Lₐ/2) centred at the origin, so rotations and
 * scalings "about the centre" are linear maps x ↦ Ax. Points xᵢ = −L/2 + i·L/n; a 2-D
 * point (i, j) has flat index p = i·ny + j (x is axis 0, the slow axis), the layout of a
 * tfjs tensor [batch, nx, ny, c].
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
    for (const n of size) {
      if (!Number.isInteger(n) || n < 4 || n % 2 !== 0) {
        throw new InvalidArgumentError(`Grid: every entry of 'size' must be an even integer ≥ 4; received ${fmt(size)}`);
      }
    }
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
    if (this.dims === 1) return [-this.length[0]! / 2 + p * this.spacing(0)];
    const ny = this.size[1]!;
    const i = Math.floor(p / ny);
    const j = p - i * ny;
    return [-this.length[0]! / 2 + i * this.spacing(0), -this.length[1]! / 2 + j * this.spacing(1)];
  }

  /** True when both grids have the same dimension, sizes and box. */
  equals(other: Grid): boolean {
    return (
      this.dims === other.dims &&
      this.size.every((n, a) => n === other.size[a]) &&
      this.length.every((l, a) => Math.abs(l - other.length[a]!) <= 1e-12 * l)
    );
  }

  /** Throws GridMismatchError unless `other` equals this grid. */
  assertSame(other: Grid, fn: string, arg: string): void {
    if (!this.equals(other)) {
      throw new GridMismatchError(
        `${fn}: '${arg}' must live on a grid of size ${fmt(this.size)} and box ${fmt(this.length)}; received size ${fmt(other.size)} and box ${fmt(other.length)}`,
      );
    }
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
  readonly grid: Grid;
  readonly channels: number;
  readonly data: Float64Array;

  constructor(grid: Grid, channels: number, data?: Float64Array) {
    if (!Number.isInteger(channels) || channels < 1) {
      throw new InvalidArgumentError(`Field: 'channels' must be an integer ≥ 1; received ${channels}`);
    }
    const n = grid.points * channels;
    if (data !== undefined && data.length !== n) {
      throw new ShapeMismatchError(`Field: 'data' must hold points·channels = ${grid.points}·${channels} = ${n} values; received ${data.length}`);
    }
    if (data !== undefined) {
      for (let i = 0; i < data.length; i++) {
        if (!Number.isFinite(data[i]!)) throw new NonFiniteError(`Field: 'data'[${i}] must be finite; received ${data[i]}`);
      }
    }
    this.grid = grid;
    this.channels = channels;
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
      if (v.length !== c) {
        throw new ShapeMismatchError(`Field.fromFunction: 'f' must return ${c} values at every point; received ${v.length} at point ${p}`);
      }
      for (let a = 0; a < c; a++) data[p * c + a] = v[a]!;
    }
    return new Field(grid, c, data);
  }

  /** Channel a as a Float64Array over the points. */
  channel(a: number): Float64Array {
    const out = new Float64Array(this.grid.points);
    for (let p = 0; p < out.length; p++) out[p] = this.data[p * this.channels + a]!;
    return out;
  }

  /** u + s·v (same grid and channels). */
  axpy(s: number, v: Field): Field {
    const out = new Float64Array(this.data);
    for (let i = 0; i < out.length; i++) out[i]! += s * v.data[i]!;
    return new Field(this.grid, this.channels, out);
  }

  /** s·u. */
  scale(s: number): Field {
    return new Field(this.grid, this.channels, this.data.map((v) => v * s));
  }

  /** Euclidean norm of all values. */
  norm(): number {
    let s = 0;
    for (const v of this.data) s += v * v;
    return Math.sqrt(s);
  }
}

/** Throws unless `u` is a Field on `grid` (when given) with `channels` channels (when given). */
export function assertField(u: unknown, fn: string, arg: string, grid?: Grid, channels?: number): asserts u is Field {
  if (!(u instanceof Field)) throw new InvalidArgumentError(`${fn}: '${arg}' must be a Field; received ${typeof u}`);
  if (grid) grid.assertSame(u.grid, fn, arg);
  if (channels !== undefined && u.channels !== channels) {
    throw new ShapeMismatchError(`${fn}: '${arg}' must have ${channels} channel(s); received ${u.channels}`);
  }
}
