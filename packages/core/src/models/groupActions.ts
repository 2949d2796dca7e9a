import { InvalidArgumentError, ShapeMismatchError, describe } from '../errors.js';
import { Group } from '../groups/Group.js';
import { affineAction, type GroupAction } from '../lie/GroupAction.js';
import { Matrix } from '../linalg/Matrix.js';
import { orthonormalColumns } from '../linalg/nullspace.js';

/** Options of {@link groupActions}. */
export interface GroupActionsOptions {
  /** n, the dimension of the input space the group acts on. */
  dimIn: number;
  /**
   * How values transform:
   * - `'invariant'` (default): τ = 0 on `dimOut` outputs (default 1), i.e. F(g·x) = F(x);
   * - `'tangent'`: the tangent lift τ_ξ = A (dimOut = n), for vector fields dx/dt = f(x),
   *   so that L_ξ f = Df·ξ_M − A·f = [ξ_M, f].
   */
  output?: 'invariant' | 'tangent';
  /** Number of outputs for `'invariant'` (default 1). */
  dimOut?: number;
  /**
   * Orthonormalize the generators in the Frobenius inner product first (default true), so
   * that singular values and nuclear norms do not depend on the basis of the algebra.
   */
  orthonormalize?: boolean;
}

/**
 * The generators of a matrix group as actions on Rⁿ, ready for {@link LieDerivative}.
 * A group with d = n acts linearly (ξ_M(x) = A·x: SO(n), GL(n), Scaling(n), any
 * `customGroup`); a group with d = n + 1 in homogeneous coordinates acts affinely
 * (ξ = [[A, b], [0, 0]] gives ξ_M(x) = A·x + b: T(n), SE(n)).
 *
 * @returns one action per (orthonormalized) Lie-algebra generator
 * @throws ShapeMismatchError when d is neither n nor n + 1; InvalidArgumentError for a
 *   homogeneous generator with a non-zero last row or a group without continuous generators
 * @example
 * const acts = groupActions(SE(3), { dimIn: 3 }); // 6 affine actions, invariant scalar output
 */
export function groupActions(group: Group, options: GroupActionsOptions): GroupAction[] {
  const fn = 'groupActions';
  if (!(group instanceof Group)) throw new InvalidArgumentError(`${fn}: 'group' must be a Group; received ${describe(group)}`);
  const n = options?.dimIn;
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${fn}: 'dimIn' must be an integer ≥ 1; received ${describe(n)}`);
  const output = options.output ?? 'invariant';
  if (output !== 'invariant' && output !== 'tangent') {
    throw new InvalidArgumentError(`${fn}: 'output' must be 'invariant' or 'tangent'; received ${describe(output)}`);
  }
  const dimOut = output === 'tangent' ? n : (options.dimOut ?? 1);
  if (!Number.isInteger(dimOut) || dimOut < 1) throw new InvalidArgumentError(`${fn}: 'dimOut' must be an integer ≥ 1; received ${describe(dimOut)}`);
  const d = group.d;
  if (d !== n && d !== n + 1) {
    throw new ShapeMismatchError(`${fn}: ${group.name} acts on R^${d}, so it must act on inputs of dimension ${d} (linear) or ${d - 1} (homogeneous); received dimIn = ${n}`);
  }
  let gens = [...group.lieAlgebra];
  if (gens.length === 0) throw new InvalidArgumentError(`${fn}: ${group.name} has no continuous generators; the Lie derivative sees no discrete symmetry`);
  if (options.orthonormalize ?? true) {
    const stacked = new Matrix(d * d, gens.length);
    gens.forEach((g, j) => g.data.forEach((v, i) => (stacked.data[i * gens.length + j] = v)));
    const q = orthonormalColumns(stacked);
    gens = Array.from({ length: q.cols }, (_, j) => new Matrix(d, d, q.column(j)));
  }
  return gens.map((xi, k) => {
    let A: Matrix;
    const b = new Float64Array(n);
    if (d === n) A = xi;
    else {
      for (let j = 0; j < d; j++) {
        if (xi.get(n, j) !== 0) {
          throw new InvalidArgumentError(`${fn}: generator ${k} of ${group.name} must have a zero last row (homogeneous coordinates); received ${xi.get(n, j)} at (${n}, ${j})`);
        }
      }
      A = new Matrix(n, n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) A.data[i * n + j] = xi.get(i, j);
        b[i] = xi.get(i, n);
      }
    }
    if (output === 'tangent') return affineAction({ A, b, tau: A });
    return affineAction({ A, b, dimOut });
  });
}
