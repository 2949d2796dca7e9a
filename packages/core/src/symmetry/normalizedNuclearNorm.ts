import { Matrix, toMatrix } from '../linalg/Matrix.js';
import { nuclearNorm } from './nuclearNorm.js';

/** Result of {@link normalizedNuclearNorm}. */
export interface NormalizedNuclearNormResult {
  /** ‖M‖_* / ‖M‖_F, in [1, √rank] (0 for M = 0). */
  value: number;
  /** Its gradient (U·Vᵀ − (‖M‖_* / ‖M‖_F²)·M) / ‖M‖_F (0 for M = 0). */
  gradient: Matrix;
  /** ‖M‖_F. */
  frobenius: number;
  /** The singular values of M, ascending. */
  singularValues: Float64Array;
}

/**
 * The scale-free nuclear norm ‖M‖_* / ‖M‖_F: unchanged when M is scaled, so as a penalty on
 * a discover matrix D_F it can only be lowered by lowering the rank of D_F (making F more
 * symmetric), not by shrinking F. Its gradient is orthogonal to M. A zero matrix scores 0.
 * @param options.rtol singular values σ ≤ rtol·σ_max are left out of U·Vᵀ (default 1e-12, as `nuclearNorm`)
 * @throws NonFiniteError, InvalidArgumentError (as `nuclearNorm`)
 * @example
 * normalizedNuclearNorm(Matrix.from([[3, 0], [0, 4]])).value; // 7/5
 */
export function normalizedNuclearNorm(m: Matrix | number[][], options: { rtol?: number } = {}): NormalizedNuclearNormResult {
  const M = toMatrix(m, 'normalizedNuclearNorm', 'm');
  const r = nuclearNorm(M, options);
  const singularValues = r.singularValues.slice().sort();
  const frobenius = Math.sqrt(singularValues.reduce((s, v) => s + v * v, 0));
  const gradient = r.subgradient;
  if (frobenius === 0) return { value: 0, gradient: new Matrix(M.rows, M.cols), frobenius, singularValues };
  const c = r.value / (frobenius * frobenius);
  for (let i = 0; i < gradient.data.length; i++) gradient.data[i] = (gradient.data[i]! - c * M.data[i]!) / frobenius;
  return { value: r.value / frobenius, gradient, frobenius, singularValues };
}
