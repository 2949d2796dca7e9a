import { InvalidArgumentError, describe } from '../errors.js';
import type { LieDerivative } from '../lie/LieDerivative.js';
import { Matrix } from '../linalg/Matrix.js';
import { nullspace, type NullspaceOptions } from '../linalg/nullspace.js';

/** Result of {@link enforceSymmetry}. */
export interface EnforceResult {
  /** p × r, orthonormal columns: every symmetric parameter vector is θ = Q·c. */
  basis: Matrix;
  /** r, the dimension of the symmetric parameter subspace. */
  dimension: number;
  /** All singular values of the stacked constraint matrix, ascending. */
  singularValues: Float64Array;
  gap: number;
  threshold: number;
}

/**
 * The enforce slot of the bilinear form: the parameters θ with L_ξⱼ F_θ = 0 for every
 * generator of `form`, and K_h F_θ = F_θ for each extra linear constraint block
 * (`discrete`: matrices Cₕ with Cₕ·θ = 0, e.g. ρ_out(h)⁻¹ W ρ_in(h) − W in vec form).
 * @throws UnsupportedOperationError for models not linear in their parameters
 */
export function enforceSymmetry(
  form: LieDerivative,
  options: NullspaceOptions & { discrete?: readonly Matrix[] } = {},
): EnforceResult {
  const blocks = form.actions.map((_, j) => form.matrixOf(j));
  for (const [k, c] of (options.discrete ?? []).entries()) {
    if (!(c instanceof Matrix) || c.cols !== form.parameterCount) {
      throw new InvalidArgumentError(
        `enforceSymmetry: 'discrete'[${k}] must be a Matrix with ${form.parameterCount} columns; received ${describe(c)}`,
      );
    }
    blocks.push(c);
  }
  const { rtol, method } = options;
  const r = nullspace(blocks, { ...(rtol !== undefined ? { rtol } : {}), ...(method ? { method } : {}) });
  return { basis: r.basis, dimension: r.dimension, singularValues: r.singularValues, gap: r.gap, threshold: r.threshold };
}
