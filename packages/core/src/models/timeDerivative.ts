import { EmptyInputError, InvalidArgumentError, describe } from '../errors.js';
import { Matrix, toMatrix } from '../linalg/Matrix.js';
import { leastSquares } from './leastSquares.js';

/** Options of {@link timeDerivative}. */
export interface TimeDerivativeOptions {
  /** The time step between consecutive samples (> 0). */
  dt: number;
  /**
   * `'central'` (default): finite differences of order 4 (5-point stencils, one-sided near
   * the ends), exact for polynomials of degree ≤ 4; for clean data.
   * `'smoothed'`: Savitzky–Golay, the derivative of a least-squares polynomial of degree
   * `degree` over a window of `window` samples; for noisy data.
   */
  method?: 'central' | 'smoothed';
  /** Window length of `'smoothed'` (odd, ≥ degree + 2; default 15). */
  window?: number;
  /** Polynomial degree of `'smoothed'` (default 3). */
  degree?: number;
}

/**
 * dx/dt of a uniformly sampled trajectory, column by column: for each sample the derivative
 * at t of the polynomial (degree d) fitted by least squares to the w samples around t
 * (shifted inside the range near the ends). `'central'` is w = 5, d = 4 (interpolation: the
 * classical fourth-order stencils); `'smoothed'` is Savitzky–Golay.
 *
 * @param xs T×n samples x(t₀ + k·dt)
 * @returns T×n derivatives
 * @throws EmptyInputError for fewer samples than the stencil; InvalidArgumentError, NonFiniteError
 * @example
 * const dx = timeDerivative(trajectory, { dt: 0.01, method: 'smoothed', window: 21 });
 */
export function timeDerivative(xs: Matrix | number[][], options: TimeDerivativeOptions): Matrix {
  const fn = 'timeDerivative';
  const X = toMatrix(xs, fn, 'xs');
  const dt = options?.dt;
  if (typeof dt !== 'number' || !(dt > 0) || !Number.isFinite(dt)) throw new InvalidArgumentError(`${fn}: 'dt' must be a finite number > 0; received ${describe(dt)}`);
  const method = options.method ?? 'central';
  if (method !== 'central' && method !== 'smoothed') throw new InvalidArgumentError(`${fn}: 'method' must be 'central' or 'smoothed'; received ${describe(method)}`);
  const w = method === 'central' ? 5 : (options.window ?? 15);
  const d = method === 'central' ? 4 : (options.degree ?? 3);
  if (!Number.isInteger(d) || d < 1) throw new InvalidArgumentError(`${fn}: 'degree' must be an integer ≥ 1; received ${describe(d)}`);
  if (!Number.isInteger(w) || w % 2 === 0 || w < d + 1) {
    throw new InvalidArgumentError(`${fn}: 'window' must be an odd integer ≥ degree + 1 = ${d + 1}; received ${describe(w)}`);
  }
  const T = X.rows;
  if (T < w) throw new EmptyInputError(`${fn}: 'xs' must have at least ${w} samples for a ${w}-point stencil; received ${T}`);
  const half = (w - 1) / 2;
  // Stencil weights for a window starting `start` samples before t: derivative weights of the
  // least-squares polynomial, from the pseudo-inverse of the Vandermonde matrix in units of dt.
  const cache = new Map<number, Float64Array>();
  const weights = (before: number): Float64Array => {
    let c = cache.get(before);
    if (c) return c;
    const V = new Matrix(w, d + 1);
    for (let i = 0; i < w; i++) {
      const s = i - before;
      for (let p = 0; p <= d; p++) V.data[i * (d + 1) + p] = s ** p;
    }
    c = new Float64Array(w);
    // The linear coefficient a₁ = e₁ᵀV⁺y, so its weights are row 1 of V⁺: solve for each unit y.
    for (let i = 0; i < w; i++) {
      const e = new Float64Array(w);
      e[i] = 1;
      c[i] = leastSquares(V, e).x[1]! / dt;
    }
    cache.set(before, c);
    return c;
  };
  const n = X.cols;
  const out = new Matrix(T, n);
  for (let t = 0; t < T; t++) {
    const start = Math.min(Math.max(t - half, 0), T - w);
    const wt = weights(t - start);
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let i = 0; i < w; i++) s += wt[i]! * X.data[(start + i) * n + j]!;
      out.data[t * n + j] = s;
    }
  }
  return out;
}
