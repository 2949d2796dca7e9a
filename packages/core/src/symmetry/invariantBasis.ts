import { InvalidArgumentError, ShapeMismatchError, describe } from '../errors.js';
import { Matrix } from '../linalg/Matrix.js';
import { nullspace, type NullspaceOptions } from '../linalg/nullspace.js';
import { Representation, hom } from '../reps/Representation.js';

/** Result of {@link invariantBasis} and {@link equivariantBasis}. */
export interface BasisResult {
  /** dim × r matrix with orthonormal columns spanning the invariant subspace. */
  basis: Matrix;
  /** r, the dimension of the invariant subspace. */
  rank: number;
  /** All singular values of the stacked constraint matrix, ascending (r of them ≈ 0). */
  singularValues: Float64Array;
  /** Spectral gap at the rank decision (see {@link nullspace}). */
  gap: number;
  /** Absolute threshold used for the decision. */
  threshold: number;
  /** The solver that ran: `'trivial'` when there are no constraints, else `'dense-svd'` or `'dense-gram'`. */
  method: 'trivial' | 'dense-svd' | 'dense-gram';
}

function checkRep(fn: string, arg: string, rep: unknown): Representation {
  if (!(rep instanceof Representation)) {
    throw new InvalidArgumentError(`${fn}: '${arg}' must be a Representation; received ${describe(rep)}`);
  }
  return rep;
}

/**
 * An orthonormal basis of the invariant subspace {v : dρ(ξᵢ)·v = 0 ∀i, ρ(hⱼ)·v = v ∀j},
 * the nullspace of the stacked constraints [dρ(ξ₁); …; ρ(h₁) − I; …] (dense solver).
 *
 * @param rep the representation
 * @param options.rtol relative tolerance of the rank decision (see {@link nullspace})
 * @example
 * invariantBasis(V(SO(3)).pow(2)).rank; // 1: the identity δᵢⱼ
 */
export function invariantBasis(rep: Representation, options: NullspaceOptions = {}): BasisResult {
  checkRep('invariantBasis', 'rep', rep);
  const n = rep.dim;
  const blocks: Matrix[] = [];
  for (let i = 0; i < rep.generatorCount; i++) blocks.push(rep.drho(i).toDense());
  for (let j = 0; j < rep.discreteCount; j++) blocks.push(rep.rho(j).toDense().sub(Matrix.identity(n)));
  if (blocks.length === 0) {
    return {
      basis: Matrix.identity(n),
      rank: n,
      singularValues: new Float64Array(n),
      gap: Infinity,
      threshold: 0,
      method: 'trivial',
    };
  }
  const r = nullspace(blocks, options);
  return {
    basis: r.basis,
    rank: r.nullity,
    singularValues: r.singularValues,
    gap: r.gap,
    threshold: r.threshold,
    method: r.method === 'svd' ? 'dense-svd' : 'dense-gram',
  };
}

/**
 * An orthonormal basis of the equivariant linear maps W: repIn → repOut
 * (ρ_out(g)·W = W·ρ_in(g)), as vectors vec(W) in row-major order: W[i][j] at
 * i·repIn.dim + j. Same as invariantBasis(hom(repIn, repOut)).
 * @throws InvalidRepresentationError when the representations are of different groups
 * @example
 * equivariantBasis(V(SO(2)), V(SO(2))).rank; // 2: span{I, J}
 */
export function equivariantBasis(repIn: Representation, repOut: Representation, options: NullspaceOptions = {}): BasisResult {
  checkRep('equivariantBasis', 'repIn', repIn);
  checkRep('equivariantBasis', 'repOut', repOut);
  return invariantBasis(hom(repIn, repOut), options);
}

/** The orthogonal projector onto equivariant maps (see {@link equivariantProjector}). */
export interface EquivariantProjector {
  /** The basis Q (dimOut·dimIn × r) the projector is Q·Qᵀ. */
  readonly basis: Matrix;
  /** Projects a dimOut×dimIn matrix W onto the nearest (Frobenius) equivariant map. */
  project(w: Matrix): Matrix;
  /** The dense (dimOut·dimIn)² projector matrix Q·Qᵀ. */
  matrix(): Matrix;
}

/**
 * The orthogonal projection onto Hom_G(repIn, repOut) in the Frobenius inner product:
 * W ↦ Σₖ ⟨W, Bₖ⟩ Bₖ.
 * @example
 * equivariantProjector(V(SO(3)), V(SO(3))).project(W); // (tr W / 3)·I
 */
export function equivariantProjector(
  repIn: Representation,
  repOut: Representation,
  options: NullspaceOptions = {},
): EquivariantProjector {
  const { basis } = equivariantBasis(repIn, repOut, options);
  const dimIn = repIn.dim;
  const dimOut = repOut.dim;
  return {
    basis,
    project(w: Matrix): Matrix {
      if (!(w instanceof Matrix) || w.rows !== dimOut || w.cols !== dimIn) {
        throw new ShapeMismatchError(`equivariantProjector.project: 'w' must be a ${dimOut}×${dimIn} Matrix; received ${describe(w)}`);
      }
      const c = basis.transpose().mulVec(w.data);
      return new Matrix(dimOut, dimIn, basis.mulVec(c));
    },
    matrix(): Matrix {
      return basis.mul(basis.transpose());
    },
  };
}
