import { InvalidArgumentError, ShapeMismatchError, describe } from '../errors.js';
import type { LieDerivative } from '../lie/LieDerivative.js';
import { nuclearNorm } from './nuclearNorm.js';

/** Result of {@link symmetryPenalty}. */
export interface PenaltyResult {
  /** γ·‖D_F(θ)‖_*. */
  value: number;
  /** A subgradient with respect to θ (the gradient where D_F has full column rank). */
  gradient: Float64Array;
  /** Singular values of D_F(θ), ascending. */
  singularValues: Float64Array;
}

/**
 * The promote penalty R(θ) = γ·‖D_F(θ)‖_* for a model linear in its parameters, where
 * D_F(θ) is the discover matrix ξ ↦ L_ξ F_θ over the candidate generators of `form`.
 * Convex in θ; its subgradient is U·Vᵀ mapped back through θ ↦ D_F(θ):
 * ∂R/∂θ = γ·Σⱼ M_ξⱼᵀ·(U·Vᵀ)[:, j].
 *
 * @param form the bilinear Lie-derivative form (model × candidate generators)
 * @param theta the parameters, length form.parameterCount
 * @param options.weight γ (default 1)
 * @throws ShapeMismatchError for a wrong θ length; UnsupportedOperationError for models not linear in θ
 */
export function symmetryPenalty(form: LieDerivative, theta: ArrayLike<number>, options: { weight?: number } = {}): PenaltyResult {
  const fn = 'symmetryPenalty';
  const gamma = options.weight ?? 1;
  if (!Number.isFinite(gamma)) throw new InvalidArgumentError(`${fn}: 'weight' must be finite; received ${describe(gamma)}`);
  const p = form.parameterCount;
  if (theta.length !== p) throw new ShapeMismatchError(`${fn}: 'theta' must have ${p} entries; received ${theta.length}`);
  const D = form.inGenerators(theta);
  const { value, subgradient: G, singularValues } = nuclearNorm(D);
  const q = form.generatorCount;
  const gradient = new Float64Array(p);
  for (let j = 0; j < q; j++) {
    const M = form.matrixOf(j);
    for (let r = 0; r < M.rows; r++) {
      const g = G.data[r * q + j]!;
      if (g === 0) continue;
      const off = r * p;
      for (let k = 0; k < p; k++) gradient[k]! += g * M.data[off + k]!;
    }
  }
  for (let k = 0; k < p; k++) gradient[k]! *= gamma;
  return { value: gamma * value, gradient, singularValues };
}
