import { InvalidArgumentError, describe } from '../errors.js';
import { LieDerivative } from '../lie/LieDerivative.js';
import { Matrix } from '../linalg/Matrix.js';
import { nullspace, type NullspaceOptions } from '../linalg/nullspace.js';
import { checkAtol, checkRtol } from '../tolerances.js';

/** Result of {@link enforceSymmetry}. */
export interface EnforceResult {
  /** p × r, orthonormal columns: every symmetric parameter vector is θ = Q·c. */
  basis: Matrix;
  /** r, the dimension of the symmetric parameter subspace. */
  dimension: number;
  /** All singular values of the stacked constraint matrix, ascending. */
  singularValues: Float64Array;
  /** The spectral gap at the decision (see {@link nullspace}). */
  gap: number;
  /** The absolute threshold used: max(rtol·σ_max, atol). */
  threshold: number;
}

/** Options of {@link enforceSymmetry}: the {@link nullspace} tolerances and method, plus discrete constraints. */
export interface EnforceOptions extends NullspaceOptions {
  /** Extra linear constraint blocks Cₕ with Cₕ·θ = 0 (each with p columns), e.g. ρ_out(h)⁻¹ W ρ_in(h) − W in vec form. */
  discrete?: readonly Matrix[];
}

/**
 * The enforce slot of the bilinear form: the parameters θ with L_ξⱼ F_θ = 0 for every
 * generator of `form`, and K_h F_θ = F_θ for each extra linear constraint block
 * (`discrete`: matrices Cₕ with Cₕ·θ = 0, e.g. ρ_out(h)⁻¹ W ρ_in(h) − W in vec form): the
 * nullspace of the stacked [M_ξ₁; …; M_ξ_q; C_h₁; …], decided with `rtol` and `atol` as in {@link nullspace}.
 *
 * @param form the bilinear Lie-derivative form of a model linear in its parameters
 * @param options `rtol` (finite, in [0, 1); default 10·max(m, n)·ε), `atol` (finite ≥ 0, default 0),
 *   `method` and `discrete` (see {@link EnforceOptions})
 * @throws InvalidArgumentError for a form that is not a LieDerivative, a bad rtol / atol or a discrete block
 *   with the wrong number of columns; UnsupportedOperationError for models not linear in their parameters
 * @example
 * const form = lieDerivative(basisExpansionModel({ library: new MonomialLibrary(2, 4), dimOut: 1 }), [affineAction({ A: J, dimOut: 1 })]);
 * enforceSymmetry(form).dimension; // 3: 1, |x|², |x|⁴
 */
export function enforceSymmetry(form: LieDerivative, options: EnforceOptions = {}): EnforceResult {
  const fn = 'enforceSymmetry';
  if (!(form instanceof LieDerivative)) throw new InvalidArgumentError(`${fn}: 'form' must be a LieDerivative; received ${describe(form)}`);
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be an object; received ${describe(options)}`);
  const { rtol, atol, method } = options;
  if (rtol !== undefined) checkRtol(fn, rtol, 'options.rtol');
  if (atol !== undefined) checkAtol(fn, atol, 'options.atol');
  const blocks = form.actions.map((_, j) => form.matrixOf(j));
  for (const [k, c] of (options.discrete ?? []).entries()) {
    if (!(c instanceof Matrix) || c.cols !== form.parameterCount) {
      throw new InvalidArgumentError(
        `${fn}: 'discrete'[${k}] must be a Matrix with ${form.parameterCount} columns; received ${describe(c)}`,
      );
    }
    blocks.push(c);
  }
  const r = nullspace(blocks, { ...(rtol !== undefined ? { rtol } : {}), ...(atol !== undefined ? { atol } : {}), ...(method ? { method } : {}) });
  return { basis: r.basis, dimension: r.dimension, singularValues: r.singularValues, gap: r.gap, threshold: r.threshold };
}
