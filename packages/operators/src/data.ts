import { InvalidArgumentError, createRng } from '@liesym/core';
import { Field, type Grid, assertField } from './Grid.js';
import { frequencyIndex, fromSpectrum, spectrum } from './spectral.js';

/** A dataset of input and output fields (same order). */
export interface FieldDataset {
  inputs: Field[];
  outputs: Field[];
}

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
  /**
   * Wavenumber of a cosine carrier along the short axis, random phase (default 0: none): a
   * wave packet whose spectrum sits near ±carrier·(−sin θ, cos θ), i.e. strongly oriented.
   */
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
  const count = options.count ?? 16;
  if (!Number.isInteger(count) || count < 1) throw new InvalidArgumentError(`${fn}: 'count' must be an integer ≥ 1; received ${count}`);
  const rng = createRng(options.seed ?? 0);
  const [w0, w1] = options.width ?? [0.35, 0.55];
  const [a0, a1] = options.angle ?? [0, 0];
  const elong = options.elongation ?? 1;
  const radius = options.radius ?? 1;
  const blobs = options.blobs ?? 3;
  const carrier = options.carrier ?? 0;
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
          const dx = x! - b.cx;
          const dy = y! - b.cy;
          const u = b.c * dx + b.s * dy;
          const w = -b.s * dx + b.c * dy;
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
 * Solves −∇·(K∇u) + κ²u = f on the periodic box exactly in Fourier space:
 * û(k) = f̂(k) / (kᵀKk + κ²). With K = I the continuous operator commutes with all
 * rotations and translations; on the periodic box only with translations and the grid's D4,
 * but for sources decaying well inside the box the solution decays like e^{−κ r}, so
 * rotations hold up to the (measurable) boundary leakage. K = diag(1, 4) breaks rotations
 * and keeps the "stretched rotation" generator [[0, −1/2], [2, 0]] (A K + K Aᵀ = 0).
 * @throws InvalidArgumentError for a 1-D grid, a multichannel field or κ ≤ 0
 */
export function screenedPoisson(f: Field, options: ScreenedPoissonOptions = {}): Field {
  const fn = 'screenedPoisson';
  assertField(f, fn, 'f', undefined, 1);
  if (f.grid.dims !== 2) throw new InvalidArgumentError(`${fn}: 'f' must live on a 2-D grid; received ${f.grid.dims}-D`);
  const kappa = options.kappa ?? 4;
  if (!(kappa > 0)) throw new InvalidArgumentError(`${fn}: 'kappa' must be > 0; received ${kappa}`);
  const K = options.K ?? [[1, 0], [0, 1]];
  const g = f.grid;
  const [nx, ny] = g.size as [number, number];
  const { re, im } = spectrum(g, f.data);
  for (let i = 0; i < nx; i++) {
    const kx = (2 * Math.PI * frequencyIndex(i, nx)) / g.length[0]!;
    for (let j = 0; j < ny; j++) {
      const ky = (2 * Math.PI * frequencyIndex(j, ny)) / g.length[1]!;
      const sym = K[0][0] * kx * kx + (K[0][1] + K[1][0]) * kx * ky + K[1][1] * ky * ky + kappa * kappa;
      re[i * ny + j]! /= sym;
      im[i * ny + j]! /= sym;
    }
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
  const rng = createRng(options.seed ?? 0);
  const K = options.maxMode ?? 4;
  const amp = options.amplitude ?? 1;
  const out: Field[] = [];
  for (let s = 0; s < (options.count ?? 16); s++) {
    const c = Array.from({ length: K }, () => [rng.normal(), rng.normal()] as const);
    out.push(
      Field.fromFunction(grid, ([x]) => {
        const t = ((2 * Math.PI) / grid.length[0]!) * x!;
        let v = options.mean ?? 0;
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
  assertField(u0, 'heatSolve', 'u0', undefined, 1);
  const nu = options.nu ?? 0.1;
  const T = options.time ?? 1;
  const g = u0.grid;
  const { re, im } = spectrum(g, u0.data);
  const nx = g.size[0]!;
  const ny = g.dims === 2 ? g.size[1]! : 1;
  for (let i = 0; i < nx; i++) {
    const kx = (2 * Math.PI * frequencyIndex(i, nx)) / g.length[0]!;
    for (let j = 0; j < ny; j++) {
      const ky = g.dims === 2 ? (2 * Math.PI * frequencyIndex(j, ny)) / g.length[1]! : 0;
      const f = Math.exp(-nu * (kx * kx + ky * ky) * T);
      re[i * ny + j]! *= f;
      im[i * ny + j]! *= f;
    }
  }
  return new Field(g, 1, fromSpectrum(g, re, im));
}

/**
 * Viscous Burgers u_t + u u_x = ν u_xx on a periodic 1-D grid up to time T: pseudo-spectral,
 * integrating-factor RK4 (the viscous term exact), 2/3-rule dealiasing of u². Commutes
 * with translations and Galilean boosts ũ(x, t) = u(x − εt, t) + ε (to the time-stepping
 * and dealiasing error, which the tests measure), and with x ↦ −x, u ↦ −u.
 */
export function burgersSolve(u0: Field, options: { nu?: number; time?: number; steps?: number } = {}): Field {
  const fn = 'burgersSolve';
  assertField(u0, fn, 'u0', undefined, 1);
  if (u0.grid.dims !== 1) throw new InvalidArgumentError(`${fn}: 'u0' must live on a 1-D grid; received ${u0.grid.dims}-D`);
  const nu = options.nu ?? 0.1;
  const T = options.time ?? 1;
  const steps = options.steps ?? 200;
  const g = u0.grid;
  const n = g.size[0]!;
  const k = Array.from({ length: n }, (_, i) => (2 * Math.PI * frequencyIndex(i, n)) / g.length[0]!);
  const keep = k.map((_, i) => (Math.abs(frequencyIndex(i, n)) < n / 3 ? 1 : 0));
  const dt = T / steps;
  // Nonlinear term in Fourier space: −i k/2 · FFT(u²), dealiased.
  const nonlinear = (re: Float64Array, im: Float64Array): [Float64Array, Float64Array] => {
    const u = fromSpectrum(g, re, im);
    const sq = spectrum(g, u.map((v) => v * v));
    const nr = new Float64Array(n);
    const ni = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      nr[i] = keep[i]! * (0.5 * k[i]! * sq.im[i]!);
      ni[i] = keep[i]! * (-0.5 * k[i]! * sq.re[i]!);
    }
    return [nr, ni];
  };
  let { re, im } = spectrum(g, u0.data);
  const e = k.map((kk) => Math.exp(-nu * kk * kk * dt));
  const eh = k.map((kk) => Math.exp(-nu * kk * kk * dt / 2));
  const lin = (r: Float64Array, i: Float64Array, f: number[]): [Float64Array, Float64Array] => [r.map((v, j) => v * f[j]!), i.map((v, j) => v * f[j]!)];
  for (let s = 0; s < steps; s++) {
    const [ar, ai] = nonlinear(re, im);
    const [u1r, u1i] = lin(re.map((v, j) => v + 0.5 * dt * ar[j]!), im.map((v, j) => v + 0.5 * dt * ai[j]!), eh);
    const [br, bi] = nonlinear(u1r, u1i);
    const [ehr, ehi] = lin(re, im, eh);
    const u2r = ehr.map((v, j) => v + 0.5 * dt * br[j]!);
    const u2i = ehi.map((v, j) => v + 0.5 * dt * bi[j]!);
    const [cr, ci] = nonlinear(u2r, u2i);
    const [u3r, u3i] = lin(ehr.map((v, j) => v + dt * cr[j]!), ehi.map((v, j) => v + dt * ci[j]!), eh);
    const [dr, di] = nonlinear(u3r, u3i);
    const [ea, eai] = lin(ar, ai, e);
    const [eb, ebi] = lin(br, bi, eh);
    const [ec, eci] = lin(cr, ci, eh);
    const [er, ei] = lin(re, im, e);
    re = er.map((v, j) => v + (dt / 6) * (ea[j]! + 2 * eb[j]! + 2 * ec[j]! + dr[j]!));
    im = ei.map((v, j) => v + (dt / 6) * (eai[j]! + 2 * ebi[j]! + 2 * eci[j]! + di[j]!));
  }
  return new Field(g, 1, fromSpectrum(g, re, im));
}
