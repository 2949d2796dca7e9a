import { InvalidArgumentError, describe } from '../errors.js';
import { Matrix, toMatrix } from '../linalg/Matrix.js';
import { svd } from '../linalg/svd.js';
import { nuclearNorm } from './nuclearNorm.js';

/** Result of {@link nuclearNormPenalty}. */
export interface NuclearNormPenalty {
  /** ‖M‖_*, or ‖M‖_* / ‖M‖_F ∈ [1, √rank] with `normalize: 'frobenius'`, or Σ wᵢσᵢ with `reweight` (0 for M = 0). */
  value: number;
  /** Its (sub)gradient: U·Vᵀ, or (U·Vᵀ − (‖M‖_* / ‖M‖_F²)·M) / ‖M‖_F, or U·diag(w)·Vᵀ (0 for M = 0). */
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
 * @param options.reweight δ > 0: instead, the reweighted nuclear norm Σ wᵢσᵢ with wᵢ = δσ₁ / (δσ₁ + σᵢ) held
 *   fixed at M, gradient U·diag(w)·Vᵀ (one majorize–minimize step of the log-det rank surrogate). σ₁ gets
 *   weight δ/(1 + δ), σᵢ ≪ δσ₁ weight ≈ 1: a generator the data break is not pushed toward symmetry (which
 *   would flatten the model) while the nearly symmetric ones are. Scale-free weights; not with `normalize`.
 * @throws NonFiniteError; InvalidArgumentError for a bad option
 * @example
 * nuclearNormPenalty(Matrix.from([[3, 0], [0, 4]]), { normalize: 'frobenius' }).value; // 7/5
 */
export function nuclearNormPenalty(m: Matrix | number[][], options: { normalize?: 'none' | 'frobenius'; rtol?: number; reweight?: number } = {}): NuclearNormPenalty {
  const fn = 'nuclearNormPenalty';
  const M = toMatrix(m, fn, 'm');
  const { normalize, reweight } = checkPenaltyOptions(fn, options);
  if (reweight !== undefined) return reweightedNuclearNorm(M, reweight);
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

/**
 * Validates {@link nuclearNormPenalty}'s `normalize` and `reweight` for a caller `fn` (adapters check them when a
 * penalty is built, not at its first evaluation): `normalize` 'none' (default) or 'frobenius', `reweight` a finite
 * δ > 0, not both.
 * @throws InvalidArgumentError naming `fn` and the option
 * @example checkPenaltyOptions('myPenalty', { reweight: 0.1 }); // { normalize: 'none', reweight: 0.1 }
 */
export function checkPenaltyOptions(fn: string, options: { normalize?: unknown; reweight?: unknown }): { normalize: 'none' | 'frobenius'; reweight: number | undefined } {
  const normalize = options.normalize ?? 'none';
  if (normalize !== 'none' && normalize !== 'frobenius') throw new InvalidArgumentError(`${fn}: 'normalize' must be 'none' or 'frobenius'; received ${describe(normalize)}`);
  const delta = options.reweight;
  if (delta === undefined) return { normalize, reweight: undefined };
  if (!(typeof delta === 'number' && delta > 0 && Number.isFinite(delta))) throw new InvalidArgumentError(`${fn}: 'reweight' must be a finite number > 0; received ${describe(delta)}`);
  if (normalize !== 'none') throw new InvalidArgumentError(`${fn}: 'reweight' and 'normalize' cannot be combined; received normalize ${describe(normalize)}`);
  return { normalize, reweight: delta };
}

/**
 * Σ wᵢσᵢ with wᵢ = δσ₁ / (δσ₁ + σᵢ) held fixed at M (one step of the reweighted nuclear norm, the
 * majorize–minimize scheme of the log-det rank surrogate: Fazel, Hindi & Boyd 2003; Candès, Wakin & Boyd 2008).
 * Singular values far below δσ₁ get the full weight 1, σ₁ only δ/(1 + δ): a direction the data break
 * (large σ) is not pushed toward zero, so the operator is not flattened; the weights are scale-free.
 */
function reweightedNuclearNorm(M: Matrix, delta: number): NuclearNormPenalty {
  if (M.rows === 0 || M.cols === 0) return { value: 0, gradient: new Matrix(M.rows, M.cols), frobenius: 0, singularValues: new Float64Array(0) };
  const { U, s, V } = svd(M);
  const k = s.length;
  const eps = delta * (s[0] ?? 0);
  const gradient = new Matrix(M.rows, M.cols);
  let value = 0;
  for (let r = 0; r < k; r++) {
    if (!(s[r]! > 0)) continue;
    const w = eps / (eps + s[r]!);
    value += w * s[r]!;
    for (let i = 0; i < M.rows; i++) {
      const u = w * U.data[i * k + r]!;
      if (u === 0) continue;
      for (let j = 0; j < M.cols; j++) gradient.data[i * M.cols + j]! += u * V.data[j * k + r]!;
    }
  }
  const frobenius = Math.sqrt(s.reduce((t, v) => t + v * v, 0));
  return { value, gradient, frobenius, singularValues: s.slice().reverse() };
}
