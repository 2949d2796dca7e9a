import { InvalidArgumentError, describe } from '../errors.js';
import { Matrix } from '../linalg/Matrix.js';
import type { Dtype } from '../tolerances.js';
import type { Program } from './evaluator.js';

/**
 * Options of every finite-difference derivative in liesym. There is one rule: a point x
 * moves by ±h along a direction v with h·‖v‖ = step·‖x‖ (step·1 at x = 0), so the
 * perturbation is the same fraction of the input whatever its scale, and central
 * differences (F(x + h·v) − F(x − h·v)) / 2h estimate DF(x)·v.
 */
export interface FiniteDifferenceOptions {
  /**
   * The relative step. Default: ε^(1/3) of the model's dtype (6.1e-6 for float64, 4.9e-3 for
   * float32), or ε^(1/5) with Richardson (7.4e-4, 4.1e-2): the steps that balance rounding
   * (∝ ε/h) against truncation (∝ h² or h⁴).
   */
  step?: number;
  /**
   * Richardson extrapolation: (4·D(h/2) − D(h))/3 from central differences at h and h/2,
   * error O(h⁴) instead of O(h²), at twice the evaluations. Default false.
   */
  richardson?: boolean;
}

/** A stencil: F is evaluated at x + offsetₖ·h·v and combined as Σ weightₖ·F(…) / h. */
export interface FiniteDifferenceStencil {
  readonly offsets: readonly number[];
  readonly weights: readonly number[];
}

const CENTRAL: FiniteDifferenceStencil = { offsets: [1, -1], weights: [0.5, -0.5] };
// (4·(F(½) − F(−½))/h − (F(1) − F(−1))/(2h)) / 3
const RICHARDSON: FiniteDifferenceStencil = { offsets: [1, -1, 0.5, -0.5], weights: [-1 / 6, 1 / 6, 4 / 3, -4 / 3] };

/** The stencil of {@link FiniteDifferenceOptions}: central, or central with Richardson extrapolation. */
export function finiteDifferenceStencil(options: Pick<FiniteDifferenceOptions, 'richardson'> = {}): FiniteDifferenceStencil {
  return options.richardson ? RICHARDSON : CENTRAL;
}

/**
 * The relative step: `options.step` validated, or the default for the dtype.
 * @throws InvalidArgumentError for a step that is not a finite number in (0, 1)
 */
export function finiteDifferenceStep(options: FiniteDifferenceOptions & { dtype?: Dtype; fn?: string } = {}): number {
  if (options.step !== undefined) {
    if (!(typeof options.step === 'number' && options.step > 0 && options.step < 1)) {
      throw new InvalidArgumentError(`${options.fn ?? 'finiteDifferenceStep'}: 'step' must be a number in (0, 1); received ${describe(options.step)}`);
    }
    return options.step;
  }
  const eps = options.dtype === 'float32' ? 2 ** -23 : 2 ** -52;
  return options.richardson ? eps ** 0.2 : Math.cbrt(eps);
}

/** The absolute step h along v at x: h·‖v‖ = step·‖x‖ (step at x = 0); 0 for v = 0. */
export function stepAlong(x: ArrayLike<number>, v: ArrayLike<number>, step: number): number {
  let xx = 0;
  let vv = 0;
  for (let i = 0; i < x.length; i++) xx += x[i]! * x[i]!;
  for (let i = 0; i < v.length; i++) vv += v[i]! * v[i]!;
  if (vv === 0) return 0;
  return (step * (xx > 0 ? Math.sqrt(xx) : 1)) / Math.sqrt(vv);
}

/** A directional derivative request: DF(points[point])·v. */
export interface Direction {
  readonly point: number;
  readonly v: Float64Array;
}

/**
 * F at every point and DF(x)·v for every direction, by the one finite-difference rule, as
 * a single batched evaluation (the points first, then every perturbed point). Zero
 * directions cost nothing and give 0.
 */
export function* directionalDerivatives(
  points: Float64Array,
  directions: readonly Direction[],
  options: FiniteDifferenceOptions & { dimIn: number; dimOut: number; dtype?: Dtype },
): Program<{ values: Float64Array; derivatives: Float64Array[] }> {
  const { dimIn: n, dimOut: m } = options;
  const count = points.length / n;
  const step = finiteDifferenceStep(options);
  const { offsets, weights } = finiteDifferenceStencil(options);
  const active: Array<{ d: number; h: number }> = [];
  directions.forEach((dir, d) => {
    const h = stepAlong(points.subarray(dir.point * n, (dir.point + 1) * n), dir.v, step);
    if (h > 0) active.push({ d, h });
  });
  const total = count + active.length * offsets.length;
  const batch = new Float64Array(total * n);
  batch.set(points);
  let row = count;
  for (const { d, h } of active) {
    const dir = directions[d]!;
    const base = dir.point * n;
    for (const o of offsets) {
      const off = row * n;
      for (let k = 0; k < n; k++) batch[off + k] = points[base + k]! + o * h * dir.v[k]!;
      row++;
    }
  }
  const y = yield { kind: 'values', points: batch, count: total };
  const derivatives = directions.map(() => new Float64Array(m));
  row = count;
  for (const { d, h } of active) {
    const out = derivatives[d]!;
    for (let k = 0; k < offsets.length; k++) {
      const w = weights[k]! / h;
      const off = (row + k) * m;
      for (let i = 0; i < m; i++) out[i]! += w * y[off + i]!;
    }
    row += offsets.length;
  }
  return { values: y.subarray(0, count * m), derivatives };
}

/**
 * The Jacobian of f at x by the one finite-difference rule along the coordinate axes
 * (see {@link FiniteDifferenceOptions}).
 * @example
 * finiteDifferenceJacobian((x) => Float64Array.of(x[0]! * x[1]!), Float64Array.of(2, 3)); // ≈ [[3, 2]]
 */
export function finiteDifferenceJacobian(
  f: (x: Float64Array) => ArrayLike<number>,
  x: Float64Array,
  options: FiniteDifferenceOptions = {},
): Matrix {
  const n = x.length;
  const step = finiteDifferenceStep(options);
  const { offsets, weights } = finiteDifferenceStencil(options);
  const e = new Float64Array(n);
  let J: Matrix | undefined;
  const xp = x.slice();
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    const h = stepAlong(x, e, step);
    let col: Float64Array | undefined;
    for (let k = 0; k < offsets.length; k++) {
      xp[j] = x[j]! + offsets[k]! * h;
      const y = f(xp);
      col ??= new Float64Array(y.length);
      for (let i = 0; i < y.length; i++) col[i]! += (weights[k]! / h) * y[i]!;
    }
    xp[j] = x[j]!;
    J ??= new Matrix(col!.length, n);
    for (let i = 0; i < col!.length; i++) J.data[i * n + j] = col![i]!;
  }
  return J ?? new Matrix(f(x).length, 0);
}
