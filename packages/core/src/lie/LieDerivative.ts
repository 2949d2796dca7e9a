import { EmptyInputError, InvalidArgumentError, ShapeMismatchError, describe } from '../errors.js';
import { Matrix } from '../linalg/Matrix.js';
import type { GroupAction } from './GroupAction.js';
import type { LieModel } from './models.js';

/**
 * The bilinear Lie-derivative form (ξ, θ) ↦ L_ξ F_θ of a model and a list of candidate
 * generators ξ₁…ξ_q, read in either slot:
 * - `inParameters(c)`: the generator ξ = Σ cⱼ ξⱼ fixed, a rowCount × p matrix in θ
 *   (its nullspace gives the symmetric models: **enforce**);
 * - `inGenerators(θ)`: the model fixed, a rowCount × q matrix in the generator
 *   coefficients (its nullspace gives the symmetries: **discover**; its nuclear norm is
 *   the **promote** penalty).
 */
export class LieDerivative {
  readonly model: LieModel;
  readonly actions: readonly GroupAction[];
  private readonly matrices: (Matrix | undefined)[];

  constructor(model: LieModel, actions: readonly GroupAction[]) {
    if (!Array.isArray(actions) || actions.length === 0) {
      throw new EmptyInputError(`LieDerivative: 'actions' must hold at least one generator; received ${describe(actions)}`);
    }
    actions.forEach((a, j) => {
      if (a.dimIn !== model.dimIn || a.dimOut !== model.dimOut) {
        throw new ShapeMismatchError(
          `LieDerivative: action ${j} must act on R^${model.dimIn} → R^${model.dimOut} like the model; received R^${a.dimIn} → R^${a.dimOut}`,
        );
      }
    });
    this.model = model;
    this.actions = actions;
    this.matrices = new Array(actions.length);
  }

  /** q, the number of generators. */
  get generatorCount(): number {
    return this.actions.length;
  }

  /** p, the number of model parameters. */
  get parameterCount(): number {
    return this.model.parameterCount;
  }

  get rowCount(): number {
    return this.model.rowCount;
  }

  /** M_ξⱼ, cached. */
  matrixOf(j: number): Matrix {
    let m = this.matrices[j];
    if (!m) {
      m = this.model.derivativeMatrix(this.actions[j]!);
      this.matrices[j] = m;
    }
    return m;
  }

  private coefficients(c: number | ArrayLike<number>): Float64Array {
    const q = this.actions.length;
    if (typeof c === 'number') {
      if (!Number.isInteger(c) || c < 0 || c >= q) {
        throw new InvalidArgumentError(`LieDerivative: generator index must be an integer in [0, ${q}); received ${describe(c)}`);
      }
      const e = new Float64Array(q);
      e[c] = 1;
      return e;
    }
    if (c.length !== q) throw new ShapeMismatchError(`LieDerivative: generator coefficients must have ${q} entries; received ${c.length}`);
    return Float64Array.from(c);
  }

  /**
   * The enforce slot: the matrix of θ ↦ L_ξ F_θ for ξ = Σ cⱼ ξⱼ (an index j means ξⱼ).
   * @throws UnsupportedOperationError for models not linear in their parameters
   */
  inParameters(generator: number | ArrayLike<number>): Matrix {
    const c = this.coefficients(generator);
    let out = new Matrix(this.rowCount, this.parameterCount);
    c.forEach((cj, j) => {
      if (cj !== 0) out = out.add(this.matrixOf(j).scale(cj));
    });
    return out;
  }

  /** All generators' parameter matrices stacked by rows: the enforce constraint matrix. */
  enforceMatrix(): Matrix {
    return Matrix.vstack(this.actions.map((_, j) => this.matrixOf(j)));
  }

  /**
   * The discover slot: the rowCount × q matrix D_F whose column j is L_ξⱼ F_θ.
   * @param theta the parameters (ignored by fixed black-box models)
   */
  inGenerators(theta?: ArrayLike<number>): Matrix {
    const t = theta === undefined ? undefined : Float64Array.from(theta);
    if (this.model.parameterCount > 0 && (t === undefined || t.length !== this.model.parameterCount)) {
      throw new ShapeMismatchError(
        `LieDerivative.inGenerators: 'theta' must have ${this.model.parameterCount} entries; received ${t ? t.length : 'undefined'}`,
      );
    }
    const q = this.actions.length;
    const out = new Matrix(this.rowCount, q);
    this.actions.forEach((a, j) => {
      const col = this.model.linearInParameters && t ? this.matrixOf(j).mulVec(t) : this.model.derivative(a, t);
      for (let r = 0; r < col.length; r++) out.data[r * q + j] = col[r]!;
    });
    return out;
  }

  /** L_ξ F_θ for ξ = Σ cⱼ ξⱼ. */
  apply(generator: number | ArrayLike<number>, theta?: ArrayLike<number>): Float64Array {
    return this.inGenerators(theta).mulVec(this.coefficients(generator));
  }
}

/** Creates the bilinear Lie-derivative form of `model` and `actions`. */
export function lieDerivative(model: LieModel, actions: readonly GroupAction[]): LieDerivative {
  return new LieDerivative(model, actions);
}
