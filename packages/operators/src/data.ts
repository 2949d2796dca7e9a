import { InvalidArgumentError, createRng, describe, frequencyIndex, fromSpectrum, integrate, spectrum } from '@liesym/core';
import { Field, type Grid, assertField } from './Grid.js';

/** A dataset of input and output fields (same order). */
export type FieldDataset = { inputs: Field[]; outputs: Field[] };

/** Options of {@link gaussianSources}. */
export interface GaussianSourceOptions {
  /** Number of fields (default 16). */
  count?: number;
  /** Seed of the deterministic generator (default 0). */
  seed?: number;
  /** Blobs per field (default 3). */
  blobs?: number;
  /** Blob centres are drawn in the disc of this radius about the box centre (default 1). */
  radius?: number;
  /** Width range [σ_min, σ_max] along the blob's long axis (default [0.35, 0.55]). */
  width?: readonly [number, number];
  /** Ratio long/short axis of each blob (default 1: round blobs). */
  elongation?: number;
  /** Orientation range [θ_min, θ_max] of the long axis in radians (default [0, 0]: along x). */
  angle?: readonly [number, number];
  /** Wavenumber of a cosine carrier along the short axis, random phase (default 0: none): a strongly oriented wave packet, spectrum near ±carrier·(−sin θ, cos θ). */
  carrier?: number;
}

/**
 * Random sums of Gaussian blobs (amplitudes ±[0.5, 1.5]) f(x) = Σ aᵢ exp(−½ (x−cᵢ)ᵀ Σᵢ⁻¹ (x−cᵢ)) on a 2-D grid, centred
 * well inside the box so the periodic copies do not overlap (f at the boundary is below
 * exp(−½((L/2 − radius)/σ_max)²)). Deterministic for a seed.
 * @throws InvalidArgumentError for a 1-D grid or bad ranges
 */
export function gaussianSources(grid: Grid, options: GaussianSourceOptions = {}): Field[] {
  const fn = 'gaussianSources';
  if (grid.dims !== 2) throw new InvalidArgumentError(`${fn}: 'grid' must be 2-D; received ${grid.dims}-D`);
  const { count = 16, seed = 0, blobs = 3, radius = 1, width: [w0, w1] = [0.35, 0.55], elongation: elong = 1, angle: [a0, a1] = [0, 0], carrier = 0 } = options;
  if (!Number.isInteger(count) || count < 1) throw new InvalidArgumentError(`${fn}: 'count' must be an integer ≥ 1; received ${count}`);
  const rng = createRng(seed);
  const out: Field[] = [];
  for (let s = 0; s < count; s++) {
    const parts = Array.from({ length: blobs }, () => {
      const r = radius * Math.sqrt(rng.uniform());
      const phi = 2 * Math.PI * rng.uniform();
      const sl = w0 + (w1 - w0) * rng.uniform();
      const th = a0 + (a1 - a0) * rng.uniform();
      const phase = 2 * Math.PI * rng.uniform();
      return { cx: r * Math.cos(phi), cy: r * Math.sin(phi), amp: (rng.uniform() < 0.5 ? -1 : 1) * (0.5 + rng.uniform()), sl, ss: sl / elong, c: Math.cos(th), s: Math.sin(th), phase };
    });
    out.push(
      Field.fromFunction(grid, ([x, y]) => {
        let v = 0;
        for (const b of parts) {
          const [dx, dy] = [x! - b.cx, y! - b.cy];
          const [u, w] = [b.c * dx + b.s * dy, -b.s * dx + b.c * dy];
          const wave = carrier === 0 ? 1 : Math.cos(carrier * w + b.phase);
          v += b.amp * wave * Math.exp(-0.5 * ((u / b.sl) ** 2 + (w / b.ss) ** 2));
        }
        return [v];
      }),
    );
  }
  return out;
}

/** Options of {@link screenedPoisson}. */
export interface ScreenedPoissonOptions {
  /** Screening κ > 0 (default 4). */
  kappa?: number;
  /** Diffusion tensor K (2×2 symmetric positive definite, default I; e.g. diag(1, 4)). */
  K?: readonly [readonly [number, number], readonly [number, number]];
}

/**
 * Solves −∇·(K∇u) + κ²u = f on the periodic box exactly in Fourier space: û(k) = f̂(k) / (kᵀKk + κ²).
 * With K = I the continuous operator commutes with all rotations and translations; on the periodic box
 * only with translations and the grid's D4, but for sources decaying well inside the box the solution
 * decays like e^{−κ r}, so rotations hold up to the (measurable) boundary leakage. K = diag(1, 4) breaks
 * rotations and keeps the "stretched rotation" generator [[0, −1/2], [2, 0]] (A K + K Aᵀ = 0).
 * @throws InvalidArgumentError for a 1-D grid, a multichannel field or κ ≤ 0
 */
export function screenedPoisson(f: Field, options: ScreenedPoissonOptions = {}): Field {
  const fn = 'screenedPoisson';
  assertField(f, { fn, arg: 'f', channels: 1 });
  if (f.grid.dims !== 2) throw new InvalidArgumentError(`${fn}: 'f' must live on a 2-D grid; received ${f.grid.dims}-D`);
  const kappa = options.kappa ?? 4;
  if (!(kappa > 0)) throw new InvalidArgumentError(`${fn}: 'kappa' must be > 0; received ${describe(kappa)}`);
  const K = options.K ?? [[1, 0], [0, 1]];
  return fourierMultiplier(f, ([kx, ky]) => 1 / (K[0][0] * kx! * kx! + (K[0][1] + K[1][0]) * kx! * ky! + K[1][1] * ky! * ky! + kappa * kappa));
}

/** û(k) ↦ m(k)·û(k) for a scalar periodic field, k the angular wavenumber (2π/L)·frequency per axis. */
function fourierMultiplier(u: Field, m: (k: number[]) => number): Field {
  const g = u.grid;
  const { re, im } = spectrum(g, u.data);
  const ny = g.dims === 2 ? g.size[1]! : 1;
  for (let p = 0; p < g.points; p++) {
    const idx = g.dims === 2 ? [Math.floor(p / ny), p % ny] : [p];
    const f = m(idx.map((i, a) => (2 * Math.PI * frequencyIndex(i, g.size[a]!)) / g.length[a]!));
    re[p]! *= f;
    im[p]! *= f;
  }
  return new Field(g, 1, fromSpectrum(g, re, im));
}

/** Options of {@link smoothPeriodicFields}. */
export interface SmoothFieldOptions {
  count?: number;
  seed?: number;
  /** Highest wavenumber (default 4). */
  maxMode?: number;
  /** Amplitude (default 1). */
  amplitude?: number;
  /** Constant added to every field (default 0). */
  mean?: number;
}

/**
 * Random smooth zero-mean (plus `mean`) periodic 1-D fields Σ_{k≤K} (aₖ cos kx + bₖ sin kx)/k
 * on a box of side L (k in units of 2π/L). Deterministic for a seed.
 */
export function smoothPeriodicFields(grid: Grid, options: SmoothFieldOptions = {}): Field[] {
  if (grid.dims !== 1) throw new InvalidArgumentError(`smoothPeriodicFields: 'grid' must be 1-D; received ${grid.dims}-D`);
  const { count = 16, seed = 0, maxMode: K = 4, amplitude: amp = 1, mean = 0 } = options;
  const rng = createRng(seed);
  const out: Field[] = [];
  for (let s = 0; s < count; s++) {
    const c = Array.from({ length: K }, () => [rng.normal(), rng.normal()] as const);
    out.push(
      Field.fromFunction(grid, ([x]) => {
        const t = ((2 * Math.PI) / grid.length[0]!) * x!;
        let v = mean;
        c.forEach(([a, b], i) => (v += (amp * (a * Math.cos((i + 1) * t) + b * Math.sin((i + 1) * t))) / (i + 1) / Math.SQRT2));
        return [v];
      }),
    );
  }
  return out;
}

/**
 * Exact heat flow u_t = ν u_xx (any dimension) over time T on the periodic grid:
 * û(k, T) = e^{−ν|k|²T} û(k, 0). Commutes with translations, reflections, value scaling and
 * adding constants (exactly, also on the grid).
 */
export function heatSolve(u0: Field, options: { nu?: number; time?: number } = {}): Field {
  assertField(u0, { fn: 'heatSolve', arg: 'u0', channels: 1 });
  const { nu = 0.1, time: T = 1 } = options;
  return fourierMultiplier(u0, (k) => Math.exp(-nu * k.reduce((a, v) => a + v * v, 0) * T));
}

/**
 * Viscous Burgers u_t + u u_x = ν u_xx on a periodic 1-D grid up to time T (`steps` default 200):
 * pseudo-spectral, integrating-factor RK4 (the viscous term exact), 2/3-rule dealiasing of u². Commutes
 * with translations and Galilean boosts ũ(x, t) = u(x − εt, t) + ε (to the time-stepping
 * and dealiasing error, which the tests measure), and with x ↦ −x, u ↦ −u.
 */
export function burgersSolve(u0: Field, options: { nu?: number; time?: number; steps?: number } = {}): Field {
  const fn = 'burgersSolve';
  assertField(u0, { fn, arg: 'u0', channels: 1 });
  if (u0.grid.dims !== 1) throw new InvalidArgumentError(`${fn}: 'u0' must live on a 1-D grid; received ${u0.grid.dims}-D`);
  const { nu = 0.1, time: T = 1, steps = 200 } = options;
  const g = u0.grid;
  const n = g.size[0]!;
  const k = Array.from({ length: n }, (_, i) => (2 * Math.PI * frequencyIndex(i, n)) / g.length[0]!);
  const decay = (t: number): number[] => k.map((kk) => Math.exp(-nu * kk * kk * t));
  const toU = (v: Float64Array, f: number[]): Float64Array => fromSpectrum(g, v.subarray(0, n).map((x, i) => x * f[i]!), v.subarray(n, 2 * n).map((x, i) => x * f[i]!));
  // Lawson's integrating-factor RK4: core's RK4 on v = e^{νk²t}·û (viscous term exact), time t as the last state entry;
  // dv/dt = e^{νk²t}·(−ik/2)·(u²)^, dealiased by the 2/3 rule.
  const rhs = (x: Float64Array): Float64Array => {
    const f = decay(x[2 * n]!);
    const sq = spectrum(g, toU(x, f).map((v) => v * v));
    const out = new Float64Array(2 * n + 1).fill(1, 2 * n);
    for (let i = 0; i < n; i++) {
      if (Math.abs(frequencyIndex(i, n)) >= n / 3) continue;
      out[i] = (0.5 * k[i]! * sq.im[i]!) / f[i]!;
      out[n + i] = (-0.5 * k[i]! * sq.re[i]!) / f[i]!;
    }
    return out;
  };
  const { re, im } = spectrum(g, u0.data);
  const X = integrate(rhs, [...re, ...im, 0], { dt: T / steps, steps });
  return new Field(g, 1, toU(X.row(steps), decay(T)));
}
