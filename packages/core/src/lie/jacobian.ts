import { Matrix } from '../linalg/Matrix.js';

/**
 * Jacobian of f at x by central differences, with the automatic step
 * hⱼ = ε^(1/3)·max(1, |xⱼ|) (truncation and rounding errors balanced: about ε^(2/3)
 * relative error for smooth, well-scaled f).
 */
export function finiteDifferenceJacobian(
  f: (x: Float64Array) => Float64Array,
  x: Float64Array,
  fx?: Float64Array,
): Matrix {
  const n = x.length;
  const m = (fx ?? f(x)).length;
  const J = new Matrix(m, n);
  const xp = x.slice();
  for (let j = 0; j < n; j++) {
    const h = Math.cbrt(Number.EPSILON) * Math.max(1, Math.abs(x[j]!));
    xp[j] = x[j]! + h;
    const hp = xp[j]! - x[j]!;
    const fp = f(xp);
    xp[j] = x[j]! - h;
    const hm = x[j]! - xp[j]!;
    const fm = f(xp);
    xp[j] = x[j]!;
    for (let i = 0; i < m; i++) J.data[i * n + j] = (fp[i]! - fm[i]!) / (hp + hm);
  }
  return J;
}
