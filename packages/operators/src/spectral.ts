import { InvalidArgumentError } from '@liesym/core';
import { NonPeriodicFieldError } from './errors.js';
import { Field, type Grid } from './Grid.js';

/**
 * In-place discrete Fourier transform of one complex line: X_k = Σ_j x_j e^{∓2πi jk/n}
 * (sign − forward, + inverse; the inverse is not divided by n). Radix-2 when n is a power
 * of two, a direct O(n²) sum otherwise.
 */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  const n = re.length;
  const sign = inverse ? 1 : -1;
  if ((n & (n - 1)) !== 0) {
    const r = new Float64Array(n);
    const s = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      let a = 0;
      let b = 0;
      for (let j = 0; j < n; j++) {
        const t = (sign * 2 * Math.PI * ((j * k) % n)) / n;
        const c = Math.cos(t);
        const d = Math.sin(t);
        a += re[j]! * c - im[j]! * d;
        b += re[j]! * d + im[j]! * c;
      }
      r[k] = a;
      s[k] = b;
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

/**
 * The signed integer frequency of DFT index k on n points: 0, 1, …, n/2−1, −n/2, …, −1.
 */
export function frequencyIndex(k: number, n: number): number {
  return k < n / 2 ? k : k - n;
}

/**
 * Complex spectrum of one scalar channel on a 1-D or 2-D grid (forward DFT, not
 * normalized), laid out like the grid.
 */
export function spectrum(grid: Grid, values: Float64Array): { re: Float64Array; im: Float64Array } {
  const re = new Float64Array(values);
  const im = new Float64Array(values.length);
  transformAxes(grid, re, im, false);
  return { re, im };
}

/** Inverse of {@link spectrum}: the real part of the normalized inverse DFT. */
export function fromSpectrum(grid: Grid, re: Float64Array, im: Float64Array): Float64Array {
  const r = new Float64Array(re);
  const i = new Float64Array(im);
  transformAxes(grid, r, i, true);
  const p = grid.points;
  return r.map((v) => v / p);
}

function transformAxes(grid: Grid, re: Float64Array, im: Float64Array, inverse: boolean): void {
  if (grid.dims === 1) {
    fft(re, im, inverse);
    return;
  }
  const nx = grid.size[0]!;
  const ny = grid.size[1]!;
  const lr = new Float64Array(ny);
  const li = new Float64Array(ny);
  for (let i = 0; i < nx; i++) {
    lr.set(re.subarray(i * ny, (i + 1) * ny));
    li.set(im.subarray(i * ny, (i + 1) * ny));
    fft(lr, li, inverse);
    re.set(lr, i * ny);
    im.set(li, i * ny);
  }
  const cr = new Float64Array(nx);
  const ci = new Float64Array(nx);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      cr[i] = re[i * ny + j]!;
      ci[i] = im[i * ny + j]!;
    }
    fft(cr, ci, inverse);
    for (let i = 0; i < nx; i++) {
      re[i * ny + j] = cr[i]!;
      im[i * ny + j] = ci[i]!;
    }
  }
}

/**
 * The n×n Fourier differentiation matrix of the periodic grid with side L (row-major):
 * (D u)ᵢ = u′(xᵢ) exactly for trigonometric polynomials of degree < n/2.
 * D_ij = (π/L)(−1)^{i−j} cot(π(i−j)/n), D_ii = 0 (n even; the Nyquist mode is dropped).
 */
export function differentiationMatrix(n: number, length: number): Float64Array {
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const s = (i - j) % 2 === 0 ? 1 : -1;
      d[i * n + j] = (Math.PI / length) * s / Math.tan((Math.PI * (i - j)) / n);
    }
  }
  return d;
}

/**
 * Throws NonPeriodicFieldError when some line of `u` along some axis jumps across the
 * periodic boundary by more than `factor` times its largest interior step (a smooth
 * periodic field steps across the boundary like anywhere else; a non-periodic one jumps).
 */
export function assertPeriodic(u: Field, fn: string, arg: string, factor = 4): void {
  const { grid, channels: c, data } = u;
  let scale = 0;
  for (const v of data) scale = Math.max(scale, Math.abs(v));
  const floor = 1e-9 * scale;
  const nx = grid.size[0]!;
  const ny = grid.dims === 2 ? grid.size[1]! : 1;
  const check = (index: (t: number) => number, n: number, where: string): void => {
    for (let a = 0; a < c; a++) {
      let step = 0;
      for (let t = 0; t + 1 < n; t++) step = Math.max(step, Math.abs(data[index(t + 1) * c + a]! - data[index(t) * c + a]!));
      const wrap = Math.abs(data[index(0) * c + a]! - data[index(n - 1) * c + a]!);
      if (wrap > factor * step + floor) {
        throw new NonPeriodicFieldError(
          `${fn}: '${arg}' must be periodic on the grid; channel ${a} ${where} jumps by ${wrap.toPrecision(3)} across the boundary while its largest interior step is ${step.toPrecision(3)}`,
        );
      }
    }
  };
  for (let j = 0; j < ny; j++) check((t) => t * ny + j, nx, grid.dims === 2 ? `along x at column ${j}` : 'along x');
  if (grid.dims === 2) for (let i = 0; i < nx; i++) check((t) => i * ny + t, ny, `along y at row ${i}`);
}

/**
 * The spectral derivative ∂u/∂x_axis of every channel of a periodic field (exact for
 * trigonometric polynomials below the Nyquist frequency).
 * @throws InvalidArgumentError for a bad axis; NonPeriodicFieldError unless `checkPeriodic: false`
 * @example
 * const du = spectralDerivative(Field.fromFunction(g, ([x]) => [Math.sin(x!)]), 0); // ≈ cos
 */
export function spectralDerivative(u: Field, axis: number, options: { checkPeriodic?: boolean } = {}): Field {
  const fn = 'spectralDerivative';
  if (!(u instanceof Field)) throw new InvalidArgumentError(`${fn}: 'u' must be a Field; received ${typeof u}`);
  if (!Number.isInteger(axis) || axis < 0 || axis >= u.grid.dims) {
    throw new InvalidArgumentError(`${fn}: 'axis' must be an integer in [0, ${u.grid.dims - 1}]; received ${axis}`);
  }
  if (options.checkPeriodic ?? true) assertPeriodic(u, fn, 'u');
  return derivativeUnchecked(u, axis);
}

const matrixCache = new Map<string, Float64Array>();

/** ∂u/∂x_axis without validation, by the differentiation matrix along that axis. */
export function derivativeUnchecked(u: Field, axis: number): Field {
  const { grid, channels: c, data } = u;
  const n = grid.size[axis]!;
  const key = `${n}:${grid.length[axis]}`;
  let d = matrixCache.get(key);
  if (!d) {
    d = differentiationMatrix(n, grid.length[axis]!);
    matrixCache.set(key, d);
  }
  const out = new Float64Array(data.length);
  const inner = grid.dims === 2 && axis === 0 ? grid.size[1]! * c : c;
  const outer = grid.points * c / (n * inner);
  // Index (o, t, r): o over the axes before `axis`, t along it, r over the rest with channels.
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < n; i++) {
      const base = o * n * inner + i * inner;
      for (let j = 0; j < n; j++) {
        const w = d[i * n + j]!;
        if (w === 0) continue;
        const src = o * n * inner + j * inner;
        for (let r = 0; r < inner; r++) out[base + r]! += w * data[src + r]!;
      }
    }
  }
  return new Field(grid, c, out);
}

/**
 * Evaluates the trigonometric interpolant of a periodic field at arbitrary points (the real
 * part of its Fourier series; Nyquist modes taken at frequency −n/2): a band-limited way to
 * move a field by a continuous rotation, scaling or shift. Exact on the grid points.
 * @param points coordinates, one [x] or [x, y] per entry
 * @returns values (point, channel), row-major
 */
export function interpolate(u: Field, points: ReadonlyArray<readonly number[]>): Float64Array {
  const { grid, channels: c } = u;
  const out = new Float64Array(points.length * c);
  const nx = grid.size[0]!;
  const ny = grid.dims === 2 ? grid.size[1]! : 1;
  const p = grid.points;
  for (let a = 0; a < c; a++) {
    const { re, im } = spectrum(grid, u.channel(a));
    for (let q = 0; q < points.length; q++) {
      const x = points[q]!;
      const tx = ((2 * Math.PI) / grid.length[0]!) * (x[0]! + grid.length[0]! / 2);
      const ty = grid.dims === 2 ? ((2 * Math.PI) / grid.length[1]!) * (x[1]! + grid.length[1]! / 2) : 0;
      let s = 0;
      for (let kx = 0; kx < nx; kx++) {
        const px = frequencyIndex(kx, nx) * tx;
        for (let ky = 0; ky < ny; ky++) {
          const idx = kx * ny + ky;
          const phase = px + (grid.dims === 2 ? frequencyIndex(ky, ny) * ty : 0);
          s += re[idx]! * Math.cos(phase) - im[idx]! * Math.sin(phase);
        }
      }
      out[q * c + a] = s / p;
    }
  }
  return out;
}
