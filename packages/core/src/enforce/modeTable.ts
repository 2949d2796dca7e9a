import { InvalidArgumentError, describe } from '../errors.js';

/**
 * Which symmetry the spectral weights R(k) are constrained to:
 * - `'none'`: R(k) free (the plain FNO; translation equivariance is built into every FNO);
 * - `'d4'` (2-D): R constant on orbits of the grid's dihedral group D4 acting on wavenumbers
 *   (with the value representation), exactly D4-equivariant on the grid;
 * - `'so2'` (2-D): R a smooth function of |k| only, R(k) = Σ_b c_b φ_b(|k|) with Gaussian
 *   radial basis functions φ_b(r) = cos²(πr/(2m+2))·(e^{−(r − c_b)²/4.5} + e^{−(r + c_b)²/4.5}),
 *   c_b = 2b ≤ m (tapered to ~0 at the cutoff; r in units of 2π/L), on the disc of retained
 *   modes: exactly D4-equivariant, and O(2)-equivariant up to a discretization error that
 *   shrinks with resolution (smoothness in |k| is what makes off-lattice rotations commute;
 *   free per-shell values would be exactly D4- but only roughly SO(2)-equivariant);
 * - `'reflection'` (1-D): R(−k) = R(k): equivariant under x ↦ −x.
 */
export type SpectralSymmetry = 'none' | 'd4' | 'so2' | 'reflection';

/** The retained Fourier modes of a spectral convolution and how its weights are shared: {@link modeTable}'s result. */
export interface ModeTable {
  /** Integer wavenumbers, [kx] or [kx, ky]; in 2-D the whole square [−m, m]², kx-major. */
  k: number[][];
  /** Orbit (weight-sharing class) of each mode; −1 outside the disc |k| ≤ m (not retained). */
  orbit: number[];
  orbits: number;
  /** M × nb matrix mapping the shared coefficients to per-mode weights (one-hot over orbits, or the radial basis for 'so2'). */
  basis: Float64Array;
  /** Number of shared coefficients per channel pair (nb). */
  coefficients: number;
}

/**
 * The retained modes of a Fourier multiplier R(k) on a periodic grid and the weight sharing that
 * makes it equivariant (the enforce solution for spectral weights: R(g·k) = R(k) on orbits of the
 * symmetry acting on wavenumbers), see {@link SpectralSymmetry}.
 * @param gridSize [n] or [nx, ny]; `modes` the radius m of the retained integer wavenumbers
 * @throws InvalidArgumentError for a symmetry that does not fit the dimension or modes outside [0, n/2)
 * @example modeTable([16, 16], 5, 'd4').orbits; // D4 orbits of the wavenumbers |k| ≤ 5
 */
export function modeTable(gridSize: readonly number[], modes: number, symmetry: SpectralSymmetry): ModeTable {
  const fn = 'modeTable';
  if (!Array.isArray(gridSize) || (gridSize.length !== 1 && gridSize.length !== 2) || gridSize.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new InvalidArgumentError(`${fn}: 'gridSize' must be [n] or [nx, ny] of positive integers; received ${describe(gridSize)}`);
  }
  if (!Number.isInteger(modes) || modes < 0 || 2 * modes >= Math.min(...gridSize)) {
    throw new InvalidArgumentError(`${fn}: 'modes' must be an integer in [0, n/2) (below Nyquist) for grid ${JSON.stringify(gridSize)}; received ${describe(modes)}`);
  }
  const allowed = gridSize.length === 1 ? ['none', 'reflection'] : ['none', 'd4', 'so2'];
  if (!allowed.includes(symmetry)) throw new InvalidArgumentError(`${fn}: 'symmetry' must be one of ${allowed.join(', ')} on a ${gridSize.length}-D grid; received ${describe(symmetry)}`);
  const k: number[][] = [];
  if (gridSize.length === 1) for (let a = -modes; a <= modes; a++) k.push([a]);
  else for (let a = -modes; a <= modes; a++) for (let b = -modes; b <= modes; b++) k.push([a, b]);
  const key = (v: number[]): string => {
    if (symmetry === 'none') return v.join(',');
    if (symmetry === 'reflection') return String(Math.abs(v[0]!));
    if (symmetry === 'so2') return String(v[0]! * v[0]! + v[1]! * v[1]!);
    const s = [Math.abs(v[0]!), Math.abs(v[1]!)].sort((x, y) => x - y);
    return s.join(',');
  };
  const ids = new Map<string, number>();
  const orbit = k.map((v) => {
    if (v.length === 2 && v[0]! * v[0]! + v[1]! * v[1]! > modes * modes) return -1;
    const kk = key(v);
    if (!ids.has(kk)) ids.set(kk, ids.size);
    return ids.get(kk)!;
  });
  const orbits = ids.size;
  const M = k.length;
  if (symmetry === 'so2') {
    // Centres every 2 lattice units, width 1.5: R varies only on scales ≳ 1.5·(2π/L) in k, so
    // the spatial kernel stays well inside the box; a profile wiggling at the lattice scale
    // reaches across the box, and its periodic wrap-around breaks continuous rotations.
    const nb = Math.floor(modes / 2) + 1;
    const basis = new Float64Array(M * nb);
    k.forEach((v, j) => {
      if (orbit[j]! < 0) return;
      const r = Math.hypot(v[0]!, v[1]!);
      // Even in r (a bump at −b too), so R is smooth at k = 0: a cone |k| there would give the
      // kernel an algebraic tail in space, which the periodic box cuts.
      // A cos² taper to ~0 at the cutoff: a sharp disc edge rings in space (sinc tails reach the
      // box boundary, where the rotation field x ↦ Ax is not periodic).
      const taper = Math.cos((Math.PI * r) / (2 * (modes + 1))) ** 2;
      for (let b = 0; b < nb; b++) {
        const c = 2 * b;
        basis[j * nb + b] = taper * (Math.exp(-((r - c) ** 2) / 4.5) + (b > 0 ? Math.exp(-((r + c) ** 2) / 4.5) : 0));
      }
    });
    return { k, orbit, orbits, basis, coefficients: nb };
  }
  const basis = new Float64Array(M * orbits);
  orbit.forEach((o, j) => {
    if (o >= 0) basis[j * orbits + o] = 1;
  });
  return { k, orbit, orbits, basis, coefficients: orbits };
}
