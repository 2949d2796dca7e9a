import { InvalidArgumentError, errorMessage } from '../errors.js';
import { Matrix } from '../linalg/Matrix.js';
import { nullspace, orthonormalColumns } from '../linalg/nullspace.js';

/** Options of {@link steerableKernelBasis}. */
export interface SteerableKernelOptions {
  /** Kernel side k (odd, ≥ 3): the kernel has k×k taps. */
  size: number;
  /** Angular frequency m of the input field (0: a scalar channel, m ≥ 1: a (cos, sin) pair rotating by ρ_m(θ) = R(mθ)). Default 0. */
  frequencyIn?: number;
  /** Angular frequency of the output field (default 0). */
  frequencyOut?: number;
  /** Highest angular harmonic cos(jθ), sin(jθ) of the kernel profile (default 2); each ring of radius R > 0 keeps j ≤ min(maxFrequency, ⌊2R⌋) (R in pixels), the centre only j = 0. */
  maxFrequency?: number;
  /** Number of Gaussian rings, at radii 0, Δ, …, c with c = (k − 1)/2 (default ⌈k/2⌉: one per pixel). */
  rings?: number;
  /** Ring width σ as a multiple of the ring spacing Δ (default 0.6). */
  width?: number;
  /** Radius of the outermost ring as a fraction of c (default 1); below 1 the profiles decay inside the disk, which keeps interpolated rotations accurate. */
  extent?: number;
}

/** Result of {@link steerableKernelBasis}. */
export interface SteerableKernelBasis {
  /** k²·d_in·d_out × r, orthonormal columns; row (tap, input component, output component), taps row-major: the layout of a tfjs conv2d kernel [k, k, d_in, d_out] flattened. */
  basis: Matrix;
  /** r, the number of basis kernels. */
  dimension: number;
  /** Input and output field dimensions (1 for frequency 0, else 2). */
  dimIn: number;
  dimOut: number;
  /** Radii of the rings, in pixels. */
  radii: number[];
  /** Per ring: the dimension of the nullspace of the rotation Lie derivative on its profiles (before sampling). */
  ringDimensions: number[];
}

/** dρ_m(ξ) of SO(2)'s frequency-m field: 0 (1×1) for m = 0, else m·[[0, −1], [1, 0]]. */
function fieldGenerator(m: number): Matrix {
  return m === 0 ? new Matrix(1, 1) : Matrix.from([[0, -m], [m, 0]]);
}

/**
 * ρ_m(θ) of SO(2)'s frequency-m field: [1] for m = 0, else the rotation R(m·θ), the
 * representation a steerable layer's channels transform by.
 * @throws InvalidArgumentError for a frequency that is not an integer ≥ 0
 * @example
 * so2FieldRotation(2, Math.PI / 4).get(0, 1); // −1 (a quarter turn)
 */
export function so2FieldRotation(frequency: number, angle: number): Matrix {
  if (!Number.isInteger(frequency) || frequency < 0) throw new InvalidArgumentError(errorMessage('so2FieldRotation', 'frequency', { expected: 'an integer ≥ 0', received: frequency }));
  if (frequency === 0) return Matrix.from([[1]]);
  const [c, s] = [Math.cos(frequency * angle), Math.sin(frequency * angle)];
  return Matrix.from([[c, -s], [s, c]]);
}

function check(fn: string, arg: string, rule: { value: unknown; min: number; integer?: boolean; odd?: boolean }): number {
  const value = rule.value;
  const v = value as number;
  const ok = typeof v === 'number' && Number.isFinite(v) && v >= rule.min && (!rule.integer || Number.isInteger(v)) && (!rule.odd || v % 2 === 1);
  if (!ok) throw new InvalidArgumentError(errorMessage(fn, arg, { expected: `${rule.odd ? 'an odd integer' : rule.integer ? 'an integer' : 'a finite number'} ≥ ${rule.min}`, received: value }));
  return v;
}

/**
 * An orthonormal basis of the SO(2)-steerable kernels K: R² → Hom(ρ_in, ρ_out),
 * K(R_θ x) = ρ_out(θ)·K(x)·ρ_in(θ)⁻¹, sampled on a k×k pixel grid: the enforce step of a
 * steerable convolution. Kernels are expanded in a smooth profile space, Gaussian rings
 * φ_r(ρ) = exp(−(ρ − R_r)²/2σ²) times angular harmonics cos(jθ), sin(jθ) (disk of radius
 * c + ½, c = (k − 1)/2), where the rotation Lie derivative
 * L K = ∂_θK − dρ_out(ξ)·K + K·dρ_in(ξ) is an exact sparse matrix on the coefficients; its
 * nullspace (core's `nullspace`, float64 SVD) ring by ring is sampled at the pixel centres
 * and orthonormalized. Per ring of radius R > 0 with harmonics up to J, the dimension is 1
 * (m_in = m_out = 0), 2 (one frequency 0, the other m ≤ J), and 2·[|m_in − m_out| ≤ J] +
 * 2·[m_in + m_out ≤ J] otherwise; the centre carries only frequency-0 pairs. The sampled
 * kernels are exactly steerable as functions of the plane and approximately on the grid:
 * rotating them by 45° with bilinear interpolation misses ρ_out·K·ρ_in⁻¹ by an error that
 * shrinks as the kernel resolution grows.
 * @throws InvalidArgumentError for a size that is not odd ≥ 3, negative or fractional
 *   frequencies, rings < 1 or width ≤ 0
 * @example
 * steerableKernelBasis({ size: 5 }).dimension; // 3: one isotropic kernel per ring (radii 0, 1, 2)
 * steerableKernelBasis({ size: 5, frequencyOut: 1 }).dimension; // 4: rings 1 and 2, two each
 */
export function steerableKernelBasis(options: SteerableKernelOptions): SteerableKernelBasis {
  const fn = 'steerableKernelBasis';
  const k = check(fn, 'size', { value: options?.size, min: 3, integer: true, odd: true });
  const mIn = check(fn, 'frequencyIn', { value: options.frequencyIn ?? 0, min: 0, integer: true });
  const mOut = check(fn, 'frequencyOut', { value: options.frequencyOut ?? 0, min: 0, integer: true });
  const maxJ = check(fn, 'maxFrequency', { value: options.maxFrequency ?? 2, min: 0, integer: true });
  const c = (k - 1) / 2;
  const rings = check(fn, 'rings', { value: options.rings ?? Math.ceil(k / 2), min: 1, integer: true });
  const width = check(fn, 'width', { value: options.width ?? 0.6, min: Number.MIN_VALUE });
  const extent = check(fn, 'extent', { value: options.extent ?? 1, min: Number.MIN_VALUE });
  const spacing = rings > 1 ? (extent * c) / (rings - 1) : 1;
  const sigma = width * spacing;
  const radii = Array.from({ length: rings }, (_, r) => r * spacing);
  const dIn = mIn === 0 ? 1 : 2;
  const dOut = mOut === 0 ? 1 : 2;
  const gIn = fieldGenerator(mIn);
  const gOut = fieldGenerator(mOut);
  const p = dIn * dOut;
  const columns: Float64Array[] = [];
  const ringDimensions: number[] = [];
  for (const radius of radii) {
    const J = radius === 0 ? 0 : Math.min(maxJ, Math.floor(2 * radius + 1e-9));
    const A = 2 * J + 1;
    // coefficients (a, i, o): harmonic a (0: 1, 2j − 1: cos jθ, 2j: sin jθ), input i, output o
    const size = A * p;
    const L = new Matrix(size, size);
    const at = (a: number, i: number, o: number): number => a * p + i * dOut + o;
    for (let a = 0; a < A; a++) {
      for (let i = 0; i < dIn; i++) {
        for (let o = 0; o < dOut; o++) {
          const col = at(a, i, o);
          // ∂_θ: cos jθ → −j sin jθ, sin jθ → j cos jθ
          if (a > 0) {
            const j = Math.ceil(a / 2);
            if (a % 2 === 1) L.data[at(a + 1, i, o) * size + col]! -= j;
            else L.data[at(a - 1, i, o) * size + col]! += j;
          }
          // −dρ_out·K: coefficient (a, i, o) feeds (a, i, o′) with −gOut[o′, o]
          for (let o2 = 0; o2 < dOut; o2++) L.data[at(a, i, o2) * size + col]! -= gOut.data[o2 * dOut + o]!;
          // +K·dρ_in: coefficient (a, i, o) feeds (a, i′, o) with gIn[i, i′]
          for (let i2 = 0; i2 < dIn; i2++) L.data[at(a, i2, o) * size + col]! += gIn.data[i * dIn + i2]!;
        }
      }
    }
    const ns = nullspace(L, { atol: 1e-9 });
    ringDimensions.push(ns.dimension);
    for (let v = 0; v < ns.dimension; v++) {
      const coef = ns.basis.column(v);
      const out = new Float64Array(k * k * p);
      for (let ti = 0; ti < k; ti++) {
        for (let tj = 0; tj < k; tj++) {
          const x = tj - c;
          const y = c - ti;
          const rho = Math.hypot(x, y);
          if (rho > c + 0.5) continue;
          const theta = Math.atan2(y, x);
          const phi = Math.exp(-((rho - radius) ** 2) / (2 * sigma * sigma));
          for (let a = 0; a < A; a++) {
            const j = Math.ceil(a / 2);
            // a harmonic j > 0 of a smooth function vanishes at the origin
            const h = a === 0 ? 1 : rho === 0 ? 0 : a % 2 === 1 ? Math.cos(j * theta) : Math.sin(j * theta);
            if (h === 0) continue;
            for (let e = 0; e < p; e++) out[(ti * k + tj) * p + e]! += phi * h * coef[a * p + e]!;
          }
        }
      }
      columns.push(out);
    }
  }
  const raw = new Matrix(k * k * p, columns.length);
  columns.forEach((col, j) => col.forEach((v, i) => (raw.data[i * columns.length + j] = v)));
  const basis = columns.length > 0 ? orthonormalColumns(raw, 1e-8) : raw;
  return { basis, dimension: basis.cols, dimIn: dIn, dimOut: dOut, radii, ringDimensions };
}
