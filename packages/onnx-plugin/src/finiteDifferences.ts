import { InvalidArgumentError } from '@liesym/core';
import type { OnnxModel } from './loadModel.js';

/** Options of the finite-difference Lie derivatives. */
export interface FiniteDifferenceOptions {
  /**
   * Relative step h: each point x moves by ±h·max(‖x‖, 1) along the unit direction.
   * Default: ε^(1/3) of the model's dtype (≈ 4.9e-3 for float32, 6.1e-6 for float64), or
   * ε^(1/5) with Richardson (≈ 4.1e-2, 7.4e-4) — the steps that balance rounding and truncation.
   */
  step?: number;
  /**
   * Richardson extrapolation: combine the central differences at h and h/2 as
   * (4·D(h/2) − D(h))/3, error O(h⁴) instead of O(h²), at twice the evaluations. Default false.
   */
  richardson?: boolean;
  /** Called with the fraction of model evaluations done (for progress bars). */
  onProgress?: (fraction: number) => void;
}

/** A directional derivative request: DF(points[point])·v. */
export interface Direction {
  point: number;
  v: Float64Array;
}

function defaultStep(dtype: 'float32' | 'float64', richardson: boolean): number {
  const eps = dtype === 'float32' ? 2 ** -23 : 2 ** -52;
  return richardson ? eps ** 0.2 : Math.cbrt(eps);
}

/**
 * F at every point and DF(x)·v for every direction by central finite differences,
 * (F(x + h·v) − F(x − h·v)) / 2h, all in one batched evaluation. Zero directions cost
 * nothing. Returns F as S×dimOut and the derivatives as one dimOut vector per direction.
 * @throws InvalidArgumentError for a step that is not a finite number > 0
 */
export async function directionalDerivatives(
  model: OnnxModel,
  points: Float64Array,
  count: number,
  directions: readonly Direction[],
  options: FiniteDifferenceOptions = {},
): Promise<{ values: Float64Array; derivatives: Float64Array[] }> {
  const richardson = options.richardson ?? false;
  const rel = options.step ?? defaultStep(model.dtype, richardson);
  if (!(rel > 0) || !Number.isFinite(rel)) {
    throw new InvalidArgumentError(`directionalDerivatives: 'step' must be a finite number > 0; received ${String(options.step)}`);
  }
  const n = model.dimIn;
  const norms = new Float64Array(count);
  for (let s = 0; s < count; s++) {
    let q = 0;
    for (let k = 0; k < n; k++) q += points[s * n + k]! ** 2;
    norms[s] = Math.max(Math.sqrt(q), 1);
  }
  const active: Array<{ d: number; h: number }> = [];
  directions.forEach((dir, d) => {
    let q = 0;
    for (let k = 0; k < n; k++) q += dir.v[k]! ** 2;
    if (q > 0) active.push({ d, h: (rel * norms[dir.point]!) / Math.sqrt(q) });
  });
  const offsets = richardson ? [1, -1, 0.5, -0.5] : [1, -1];
  const total = count + active.length * offsets.length;
  const batch = new Float64Array(total * n);
  batch.set(points.subarray(0, count * n));
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
  const y = await model.evaluate(batch, total, options.onProgress);
  const m = model.dimOut;
  const derivatives = directions.map(() => new Float64Array(m));
  row = count;
  for (const { d, h } of active) {
    const out = derivatives[d]!;
    const at = (r: number, i: number): number => y[(row + r) * m + i]!;
    for (let i = 0; i < m; i++) {
      const dh = (at(0, i) - at(1, i)) / (2 * h);
      out[i] = richardson ? (4 * ((at(2, i) - at(3, i)) / h) - dh) / 3 : dh;
    }
    row += offsets.length;
  }
  return { values: y.subarray(0, count * m), derivatives };
}

/**
 * F at every point and its Jacobians DF(x) (dimOut×dimIn, row-major, one per point) by
 * central differences along the coordinate axes: 2·dimIn evaluations per point, batched.
 */
export async function jacobians(
  model: OnnxModel,
  points: Float64Array,
  count: number,
  options: FiniteDifferenceOptions = {},
): Promise<{ values: Float64Array; jacobians: Float64Array[] }> {
  const n = model.dimIn;
  const dirs: Direction[] = [];
  for (let s = 0; s < count; s++) {
    for (let j = 0; j < n; j++) {
      const v = new Float64Array(n);
      v[j] = 1;
      dirs.push({ point: s, v });
    }
  }
  const { values, derivatives } = await directionalDerivatives(model, points, count, dirs, options);
  const m = model.dimOut;
  const jac: Float64Array[] = [];
  for (let s = 0; s < count; s++) {
    const J = new Float64Array(m * n);
    for (let j = 0; j < n; j++) {
      const col = derivatives[s * n + j]!;
      for (let i = 0; i < m; i++) J[i * n + j] = col[i]!;
    }
    jac.push(J);
  }
  return { values, jacobians: jac };
}
