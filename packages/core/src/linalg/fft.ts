import { InvalidArgumentError, ShapeMismatchError, describe } from '../errors.js';

/** Options of {@link fft}. */
export interface FftOptions {
  /** The inverse transform X_k = Σ_j x_j e^{+2πi jk/n}, not divided by n. Default false (forward, e^{−2πi jk/n}). */
  inverse?: boolean;
}

/**
 * In-place discrete Fourier transform of one complex line: X_k = Σ_j x_j e^{∓2πi jk/n}
 * (− forward, + inverse; the inverse is not divided by n). Radix-2 when n is a power of
 * two, the direct O(n²) sum otherwise.
 * @throws ShapeMismatchError when `re` and `im` differ in length
 * @example
 * const re = Float64Array.of(1, 0, 0, 0), im = new Float64Array(4);
 * fft(re, im); // re = [1, 1, 1, 1]: the transform of a delta
 */
export function fft(re: Float64Array, im: Float64Array, options: FftOptions = {}): void {
  const n = re.length;
  if (im.length !== n) throw new ShapeMismatchError(`fft: 're' and 'im' must have the same length; received ${n} and ${im.length}`);
  const sign = options.inverse ? 1 : -1;
  if ((n & (n - 1)) !== 0) {
    const r = new Float64Array(n);
    const s = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      for (let j = 0; j < n; j++) {
        const t = (sign * 2 * Math.PI * ((j * k) % n)) / n;
        r[k]! += re[j]! * Math.cos(t) - im[j]! * Math.sin(t);
        s[k]! += re[j]! * Math.sin(t) + im[j]! * Math.cos(t);
      }
    }
    re.set(r);
    im.set(s);
    return;
  }
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const t = (sign * 2 * Math.PI) / len;
    const wr = Math.cos(t);
    const wi = Math.sin(t);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k;
        const b = a + len / 2;
        const xr = re[b]! * cr - im[b]! * ci;
        const xi = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a]! += xr;
        im[a]! += xi;
        const nr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = nr;
      }
    }
  }
}

/** The signed integer frequency of DFT index k on n points: 0, 1, …, ⌈n/2⌉−1, −⌊n/2⌋, …, −1. */
export function frequencyIndex(k: number, n: number): number {
  return k < n / 2 ? k : k - n;
}

/** A grid's shape: [n] or [nx, ny] (axis 0 slow), or anything with that as `size` (e.g. @liesym/operators' Grid). */
export type GridShape = readonly number[] | { readonly size: readonly number[] };

function dims(fn: string, shape: GridShape, length: number): readonly number[] {
  const s = Array.isArray(shape) ? shape : (shape as { size?: readonly number[] } | null)?.size;
  if (!Array.isArray(s) || (s.length !== 1 && s.length !== 2) || s.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new InvalidArgumentError(`${fn}: 'shape' must be [n] or [nx, ny] of positive integers (or a grid with that size); received ${describe(s ?? shape)}`);
  }
  const points = s.reduce((a: number, b: number) => a * b, 1);
  if (length !== points) throw new ShapeMismatchError(`${fn}: the values must have one entry per grid point (${points}); received ${length}`);
  return s;
}

/** The separable DFT of a row-major 1-D or 2-D complex array, in place. */
function transform(shape: readonly number[], z: { re: Float64Array; im: Float64Array }, options: FftOptions): void {
  const { re, im } = z;
  if (shape.length === 1) return fft(re, im, options);
  const [nx, ny] = shape as [number, number];
  for (let i = 0; i < nx; i++) fft(re.subarray(i * ny, (i + 1) * ny), im.subarray(i * ny, (i + 1) * ny), options);
  const cr = new Float64Array(nx);
  const ci = new Float64Array(nx);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) [cr[i], ci[i]] = [re[i * ny + j]!, im[i * ny + j]!];
    fft(cr, ci, options);
    for (let i = 0; i < nx; i++) [re[i * ny + j], im[i * ny + j]] = [cr[i]!, ci[i]!];
  }
}

/**
 * The complex spectrum of one real scalar field on a periodic 1-D or 2-D grid: the forward
 * DFT X_k = Σ_p u_p e^{−2πi k·p/n} (not normalized), laid out like the grid (row-major).
 * @throws InvalidArgumentError for a bad shape; ShapeMismatchError when values do not fit it
 * @example spectrum([4], Float64Array.of(1, 1, 1, 1)).re; // [4, 0, 0, 0]
 */
export function spectrum(shape: GridShape, values: ArrayLike<number>): { re: Float64Array; im: Float64Array } {
  const s = dims('spectrum', shape, values.length);
  const re = Float64Array.from(values);
  const im = new Float64Array(re.length);
  transform(s, { re, im }, {});
  return { re, im };
}

/**
 * Inverse of {@link spectrum}: the real part of the normalized inverse DFT (1/P)·Σ_k X_k e^{+2πi k·p/n}.
 * @throws InvalidArgumentError for a bad shape; ShapeMismatchError when re, im do not fit it
 * @example fromSpectrum([4], Float64Array.of(4, 0, 0, 0), new Float64Array(4)); // [1, 1, 1, 1]
 */
export function fromSpectrum(shape: GridShape, re: ArrayLike<number>, im: ArrayLike<number>): Float64Array {
  const s = dims('fromSpectrum', shape, re.length);
  if (im.length !== re.length) throw new ShapeMismatchError(`fromSpectrum: 're' and 'im' must have the same length; received ${re.length} and ${im.length}`);
  const r = Float64Array.from(re);
  transform(s, { re: r, im: Float64Array.from(im) }, { inverse: true });
  return r.map((v) => v / r.length);
}
