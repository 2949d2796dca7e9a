import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  ShapeMismatchError,
  createRng,
  fft,
  fromSpectrum,
  frequencyIndex,
  periodicDerivativeMatrix,
  spectrum,
  trigonometricInterpolation,
} from '../src/index.js';

const rng = createRng(21);
const randn = (n: number): Float64Array => Float64Array.from({ length: n }, () => rng.normal());

/** X_k = Σ_j x_j e^{∓2πi jk/n}, summed directly. */
function directDft(re: Float64Array, im: Float64Array, sign: number): [Float64Array, Float64Array] {
  const n = re.length;
  const r = new Float64Array(n);
  const s = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    for (let j = 0; j < n; j++) {
      const t = (sign * 2 * Math.PI * j * k) / n;
      r[k]! += re[j]! * Math.cos(t) - im[j]! * Math.sin(t);
      s[k]! += re[j]! * Math.sin(t) + im[j]! * Math.cos(t);
    }
  }
  return [r, s];
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i]!)));

describe('fft and spectra (moved from @liesym/operators)', () => {
  it('matches the direct DFT sums, forward and inverse, radix-2 (n = 16) and direct (n = 12)', () => {
    for (const n of [16, 12]) {
      const re = randn(n);
      const im = randn(n);
      for (const inverse of [false, true]) {
        const [r, s] = directDft(re, im, inverse ? 1 : -1);
        const a = re.slice();
        const b = im.slice();
        fft(a, b, { inverse });
        expect(maxDiff(a, r)).toBeLessThan(1e-12 * n);
        expect(maxDiff(b, s)).toBeLessThan(1e-12 * n);
      }
    }
    // The transform of a delta at j = 1 is e^{−2πik/n}: X_2 on 8 points is e^{−iπ/2} = −i.
    const re = Float64Array.of(0, 1, 0, 0, 0, 0, 0, 0);
    const im = new Float64Array(8);
    fft(re, im);
    expect(re[2]).toBeCloseTo(0, 15);
    expect(im[2]).toBeCloseTo(-1, 15);
  });

  it('2-D spectrum equals the direct double sum and fromSpectrum inverts it', () => {
    const [nx, ny] = [4, 6];
    const u = randn(nx * ny);
    const { re, im } = spectrum([nx, ny], u);
    for (const [kx, ky] of [[0, 0], [1, 2], [3, 5], [2, 3]] as const) {
      let a = 0;
      let b = 0;
      for (let i = 0; i < nx; i++) {
        for (let j = 0; j < ny; j++) {
          const t = -2 * Math.PI * ((kx * i) / nx + (ky * j) / ny);
          a += u[i * ny + j]! * Math.cos(t);
          b += u[i * ny + j]! * Math.sin(t);
        }
      }
      expect(re[kx * ny + ky]).toBeCloseTo(a, 12);
      expect(im[kx * ny + ky]).toBeCloseTo(b, 12);
    }
    expect(maxDiff(fromSpectrum([nx, ny], re, im), u)).toBeLessThan(1e-14);
    // A grid-like object with `size` works as the shape.
    expect(maxDiff(spectrum({ size: [nx, ny] }, u).re, re)).toBe(0);
    expect([0, 3, 4, 7].map((k) => frequencyIndex(k, 8))).toEqual([0, 3, -4, -1]);
  });

  it('rejects mismatched shapes and lengths with typed errors', () => {
    expect(() => fft(new Float64Array(4), new Float64Array(3))).toThrow(ShapeMismatchError);
    expect(() => spectrum([4, 4], new Float64Array(15))).toThrow(/one entry per grid point \(16\); received 15/);
    expect(() => spectrum([4, 4, 4], new Float64Array(64))).toThrow(InvalidArgumentError);
  });
});

describe('trigonometricInterpolation and the periodic derivative matrix', () => {
  // The periodic box [−π, π) with 16 points (spacing π/8, origin −π), as @liesym/operators' Grid.
  const grid = { shape: [16], spacing: [Math.PI / 8], origin: [-Math.PI] };
  const f = (x: number): number => 0.3 + Math.sin(3 * x + 0.4) - 0.5 * Math.cos(5 * x);
  const u = Float64Array.from({ length: 16 }, (_, i) => f(-Math.PI + (i * Math.PI) / 8));

  it('reproduces a band-limited function between the grid points and the samples on them', () => {
    const xs = [-2.9, -0.123, 0.5, 1.7, 3.1];
    const got = trigonometricInterpolation(u, xs.map((x) => [x]), grid);
    expect(maxDiff(got, xs.map(f))).toBeLessThan(1e-13);
    // At a grid point the interpolant is the sample.
    expect(trigonometricInterpolation(u, [[-Math.PI + (5 * Math.PI) / 8]], grid)[0]).toBeCloseTo(u[5]!, 14);
  });

  it('equals the direct Fourier series in 2-D with two channels, in both layouts', () => {
    const [nx, ny] = [8, 6];
    const g = (x: number, y: number): [number, number] => [Math.cos(x - 2 * y), Math.sin(2 * x) * Math.cos(y) + 0.1];
    const pts = (n: number, i: number): number => -Math.PI + (2 * Math.PI * i) / n;
    const last = new Float64Array(nx * ny * 2);
    const first = new Float64Array(nx * ny * 2);
    for (let i = 0; i < nx; i++) {
      for (let j = 0; j < ny; j++) {
        const [a, b] = g(pts(nx, i), pts(ny, j));
        const p = i * ny + j;
        [last[2 * p], last[2 * p + 1]] = [a, b];
        [first[p], first[nx * ny + p]] = [a, b];
      }
    }
    const spec = { shape: [nx, ny], spacing: [(2 * Math.PI) / nx, (2 * Math.PI) / ny], origin: [-Math.PI, -Math.PI], channels: 2 };
    const at = [[0.3, -1.1], [2.2, 0.7]];
    const expected = at.flatMap(([x, y]) => g(x!, y!));
    expect(maxDiff(trigonometricInterpolation(last, at, { ...spec, layout: 'channels-last' }), expected)).toBeLessThan(1e-13);
    expect(maxDiff(trigonometricInterpolation(first, at, spec), expected)).toBeLessThan(1e-13);
    expect(() => trigonometricInterpolation(first, [[0.1]], spec)).toThrow(/'points'\[0\] must have 2 coordinates/);
  });

  it('differentiates the same function exactly: D·u = f′ on the grid (spacing L/n)', () => {
    const D = periodicDerivativeMatrix(16, { spacing: Math.PI / 8 });
    const df = (x: number): number => 3 * Math.cos(3 * x + 0.4) + 2.5 * Math.sin(5 * x);
    const du = Array.from({ length: 16 }, (_, i) => u.reduce((s, v, k) => s + D[i * 16 + k]! * v, 0));
    expect(maxDiff(du, Array.from({ length: 16 }, (_, i) => df(-Math.PI + (i * Math.PI) / 8)))).toBeLessThan(1e-12);
  });
});
