import { InvalidArgumentError, InvalidRepresentationError, ShapeMismatchError, describe } from '../errors.js';
import type { Group } from '../groups/Group.js';
import { Matrix } from '../linalg/Matrix.js';
import { finiteDifferenceJacobian } from './finiteDifferences.js';
import type { Representation } from '../reps/Representation.js';

/**
 * One infinitesimal generator ξ acting on a model F: R^dimIn → R^dimOut. Points move
 * along the vector field ξ_M(x) (`field`), values by the matrix τ_ξ(x) (`tau`), and
 *
 *     L_ξ F(x) = DF(x)·ξ_M(x) − τ_ξ(x)·F(x).
 *
 * Linear actions (ξ_M(x) = A·x, τ constant) and affine ones (ξ_M(x) = A·x + b) carry
 * their matrices in `affine`, which lets linear and polynomial models use exact formulas.
 */
export interface GroupAction {
  readonly dimIn: number;
  readonly dimOut: number;
  /** ξ_M(x). */
  field(x: Float64Array): Float64Array;
  /** τ_ξ(x), a dimOut×dimOut matrix. */
  tau(x: Float64Array): Matrix;
  /** D ξ_M(x), the dimIn×dimIn Jacobian of the field (needed by {@link tangentLift}). */
  fieldJacobian(x: Float64Array): Matrix;
  /** Present when ξ_M(x) = A·x + b and τ is constant. */
  readonly affine?: { readonly A: Matrix; readonly b: Float64Array; readonly tau: Matrix };
}

function checkSquare(fn: string, arg: string, m: unknown): Matrix {
  if (!(m instanceof Matrix)) throw new InvalidArgumentError(`${fn}: '${arg}' must be a Matrix; received ${describe(m)}`);
  if (!m.isSquare) throw new ShapeMismatchError(`${fn}: '${arg}' must be square; received ${m.rows}×${m.cols}`);
  return m;
}

/**
 * An affine action: ξ_M(x) = A·x + b on inputs and the constant matrix τ on outputs.
 * @param spec.A dimIn×dimIn
 * @param spec.b length dimIn (default 0)
 * @param spec.tau dimOut×dimOut (default: the zero matrix of size `dimOut`, which is then required)
 */
export function affineAction(spec: { A: Matrix; b?: ArrayLike<number>; tau?: Matrix; dimOut?: number }): GroupAction {
  const fn = 'affineAction';
  const A = checkSquare(fn, 'A', spec.A);
  const n = A.rows;
  const b = Float64Array.from(spec.b ?? new Float64Array(n));
  if (b.length !== n) throw new ShapeMismatchError(`${fn}: 'b' must have length ${n}; received ${b.length}`);
  let tau: Matrix;
  if (spec.tau !== undefined) tau = checkSquare(fn, 'tau', spec.tau);
  else if (spec.dimOut !== undefined && Number.isInteger(spec.dimOut) && spec.dimOut >= 1) tau = new Matrix(spec.dimOut, spec.dimOut);
  else throw new InvalidArgumentError(`${fn}: give 'tau' or 'dimOut' (a positive integer); received ${describe(spec.dimOut)}`);
  return {
    dimIn: n,
    dimOut: tau.rows,
    field(x) {
      const y = A.mulVec(x);
      for (let i = 0; i < n; i++) y[i]! += b[i]!;
      return y;
    },
    tau: () => tau,
    fieldJacobian: () => A,
    affine: { A, b, tau },
  };
}

/** A linear action: ξ_M(x) = A_in·x on inputs, τ = A_out on outputs. */
export function linearAction(aIn: Matrix, aOut: Matrix): GroupAction {
  checkSquare('linearAction', 'aIn', aIn);
  checkSquare('linearAction', 'aOut', aOut);
  return affineAction({ A: aIn, tau: aOut });
}

/**
 * A general (nonlinear) action: any vector field on inputs and any matrix field on outputs.
 * @param spec.fieldJacobian D ξ_M(x); when omitted it is computed by central differences
 */
export function nonlinearAction(spec: {
  dimIn: number;
  dimOut: number;
  field: (x: Float64Array) => ArrayLike<number>;
  tau?: (x: Float64Array) => Matrix;
  fieldJacobian?: (x: Float64Array) => Matrix;
}): GroupAction {
  const { dimIn, dimOut } = spec;
  for (const [k, v] of [
    ['dimIn', dimIn],
    ['dimOut', dimOut],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new InvalidArgumentError(`nonlinearAction: '${k}' must be an integer ≥ 1; received ${describe(v)}`);
  }
  const zero = new Matrix(dimOut, dimOut);
  const field = (x: Float64Array): Float64Array => {
    const y = Float64Array.from(spec.field(x));
    if (y.length !== dimIn) throw new ShapeMismatchError(`nonlinearAction: 'field' must return ${dimIn} numbers; returned ${y.length}`);
    return y;
  };
  return {
    dimIn,
    dimOut,
    field,
    tau: spec.tau ?? (() => zero),
    fieldJacobian: spec.fieldJacobian ?? ((x) => finiteDifferenceJacobian(field, x)),
  };
}

/**
 * The tangent lift of an action on Rⁿ to vector fields on Rⁿ: τ_ξ(x) = D ξ_M(x), so that
 * L_ξ f = Df·ξ_M − Dξ_M·f = [ξ_M, f], the Lie bracket of vector fields.
 */
export function tangentLift(action: GroupAction): GroupAction {
  if (action.affine) return affineAction({ A: action.affine.A, b: action.affine.b, tau: action.affine.A });
  return {
    dimIn: action.dimIn,
    dimOut: action.dimIn,
    field: (x) => action.field(x),
    tau: (x) => action.fieldJacobian(x),
    fieldJacobian: (x) => action.fieldJacobian(x),
  };
}

/** The linear actions (dρ_in(ξᵢ), dρ_out(ξᵢ)) of a group's Lie-algebra basis on two representations. */
export function actionsOf(repIn: Representation, repOut: Representation): GroupAction[] {
  const g = repIn.group ?? repOut.group;
  if (repIn.group && repOut.group && repIn.group.key !== repOut.group.key) {
    throw new InvalidRepresentationError(`actionsOf: 'repIn' and 'repOut' must be of the same group; received ${repIn.group.name} and ${repOut.group.name}`);
  }
  const q = g?.lieAlgebra.length ?? 0;
  return Array.from({ length: q }, (_, i) => linearAction(repIn.drho(i).toDense(), repOut.drho(i).toDense()));
}

/**
 * Affine actions on Rⁿ from a group written in homogeneous coordinates on R^(n+1)
 * (T(n), SE(n), or any group whose generators have the form [[A, b], [0, 0]]): ξ_M(x) = A·x + b.
 * @param options.dimOut number of outputs the model has; they are left unchanged (τ = 0). Default 1.
 */
export function affineActionsOf(group: Group, options: { dimOut?: number } = {}): GroupAction[] {
  const d = group.d;
  const n = d - 1;
  return group.lieAlgebra.map((xi, k) => {
    for (let j = 0; j < d; j++) {
      if (xi.get(n, j) !== 0) {
        throw new InvalidArgumentError(
          `affineActionsOf: generator ${k} of ${group.name} must have a zero last row (homogeneous coordinates); received ${xi.get(n, j)} at (${n}, ${j})`,
        );
      }
    }
    const A = new Matrix(n, n);
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) A.data[i * n + j] = xi.get(i, j);
      b[i] = xi.get(i, n);
    }
    return affineAction({ A, b, dimOut: options.dimOut ?? 1 });
  });
}
