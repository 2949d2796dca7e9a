import { InvalidArgumentError, describe } from '../errors.js';
import { Matrix, toMatrix } from '../linalg/Matrix.js';
import { nuclearNorm } from './nuclearNorm.js';

/** Result of {@link nuclearNormPenalty}. */
export interface NuclearNormPenalty {
  /** ‖M‖_*, or ‖M‖_* / ‖M‖_F ∈ [1, √rank] with `normalize: 'frobenius'` (0 for M = 0). */
  value: number;
  /** Its (sub)gradient: U·Vᵀ, or (U·Vᵀ − (‖M‖_* / ‖M‖_F²)·M) / ‖M‖_F (0 for M = 0). */
  gradient: Matrix;
  /** ‖M‖_F. */
  frobenius: number;
  /** The singular values of M, ascending. */
  singularValues: Float64Array;
}

/**
 * The promote penalty of a discover matrix D_F, as a value and a (sub)gradient with respect to
 * D_F: the nuclear norm ‖D_F‖_* (the convex relaxation of rank D_F = dim g − dim sym(F)), or
 * with `normalize: 'frobenius'` the scale-free ‖D_F‖_* / ‖D_F‖_F. The scale-free form does not
 * change when F is scaled, so it can only be lowered by lowering the rank of D_F (making F
 * more symmetric), not by shrinking F; its gradient is orthogonal to D_F.
 * @param options.normalize 'none' (default) or 'frobenius'
 * @param options.rtol singular values σ ≤ rtol·σ_max are left out of U·Vᵀ (default 1e-12, as `nuclearNorm`)
 * @throws NonFiniteError; InvalidArgumentError for a bad option
 * @example
 * nuclearNormPenalty(Matrix.from([[3, 0], [0, 4]]), { normalize: 'frobenius' }).value; // 7/5
 */
export function nuclearNormPenalty(m: Matrix | number[][], options: { normalize?: 'none' | 'frobenius'; rtol?: number } = {}): NuclearNormPenalty {
  const fn = 'nuclearNormPenalty';
  const M = toMatrix(m, fn, 'm');
  const normalize = options.normalize ?? 'none';
  if (normalize !== 'none' && normalize !== 'frobenius') throw new InvalidArgumentError(`${fn}: 'normalize' must be 'none' or 'frobenius'; received ${describe(normalize)}`);
  const r = nuclearNorm(M, options.rtol === undefined ? {} : { rtol: options.rtol });
  const singularValues = r.singularValues;
  const frobenius = Math.sqrt(singularValues.reduce((s, v) => s + v * v, 0));
  const gradient = r.subgradient;
  if (normalize === 'none') return { value: r.value, gradient, frobenius, singularValues };
  if (frobenius === 0) return { value: 0, gradient: new Matrix(M.rows, M.cols), frobenius, singularValues };
  const c = r.value / (frobenius * frobenius);
  for (let i = 0; i < gradient.data.length; i++) gradient.data[i] = (gradient.data[i]! - c * M.data[i]!) / frobenius;
  return { value: r.value / frobenius, gradient, frobenius, singularValues };
}
