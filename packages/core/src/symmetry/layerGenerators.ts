import { InvalidArgumentError, InvalidRepresentationError, ShapeMismatchError, describe } from '../errors.js';
import type { Group } from '../groups/Group.js';
import { eigh } from '../linalg/eigh.js';
import { Matrix } from '../linalg/Matrix.js';
import { sparseMatrix, sparseTranspose, type SparseMatrix } from '../linalg/SparseMatrix.js';
import { Representation, hom } from '../reps/Representation.js';
import { resolveCandidate, type Candidate } from './candidates.js';

/**
 * The generators of a linear layer W: R^dimIn → R^dimOut (W dimOut×dimIn, row-major) as q
 * sparse pairs (A_j, B_j): the Lie derivative is L_j W = W·A_j − B_j·W, its adjoint
 * L_j*(Y) = Y·A_jᵀ − B_jᵀ·Y.
 */
export interface LayerGenerators {
  readonly dimIn: number;
  readonly dimOut: number;
  readonly pairs: ReadonlyArray<readonly [SparseMatrix, SparseMatrix]>;
}

/**
 * A layer's generators plus the change of basis T (q×q) with which the generators
 * ξ′_k = Σ_j T_jk ξ_j are orthonormal, so that singular values and nuclear norms do not
 * depend on the basis. T is shared by every layer of a model (it comes from the group).
 */
export interface PreparedLayerGenerators {
  generators: LayerGenerators;
  orthonormalizer: Matrix;
}

/**
 * The Frobenius Gram matrix G_jk = ⟨ξ_j, ξ_k⟩_F of a group's Lie-algebra basis in its
 * defining representation.
 * @example
 * algebraGram(SO(3)).get(0, 0); // 2 (ξ₀ = E₀₁ − E₁₀)
 */
export function algebraGram(group: Group): Matrix {
  const g = group.lieAlgebra;
  const q = g.length;
  const out = new Matrix(q, q);
  for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) out.data[i * q + j] = g[i]!.dot(g[j]!);
  return out;
}

/**
 * T = G^(−1/2) for a Gram matrix G (symmetric positive semidefinite), so that
 * ξ′_k = Σ_j T_jk ξ_j are orthonormal: Tᵀ·G·T = I on the range of G. Eigenvalues below
 * 1e-14·λ_max (dependent generators) are dropped.
 * @throws ShapeMismatchError for a non-square G
 * @example
 * const T = orthonormalizer(algebraGram(SO(3))); // T = I/√2
 */
export function orthonormalizer(gram: Matrix): Matrix {
  if (!(gram instanceof Matrix) || gram.rows !== gram.cols) {
    throw new ShapeMismatchError(`orthonormalizer: 'gram' must be a square Matrix; received ${describe(gram)}`);
  }
  const q = gram.rows;
  const { values, vectors } = eigh(gram);
  const t = new Matrix(q, q);
  for (let r = 0; r < q; r++) {
    const lam = values[r]!;
    if (!(lam > 1e-14 * (values[q - 1] ?? 1))) continue;
    const s = 1 / Math.sqrt(lam);
    for (let i = 0; i < q; i++) {
      const vi = vectors.data[i * q + r]!;
      for (let j = 0; j < q; j++) t.data[i * q + j]! += s * vi * vectors.data[j * q + r]!;
    }
  }
  return t;
}

/**
 * The generators (dρ_in(ξ_j), dρ_out(ξ_j)) of a linear layer repIn → repOut over the Lie
 * algebra of their group, with T orthonormalizing the ξ_j in the defining representation
 * (so every layer of a model shares one generator basis). A Scalar side gets zero generators.
 * @param options.group the group whose algebra is used (default: the representations' group)
 * @param options.fn the caller's name in error messages (default 'layerGenerators')
 * @throws InvalidArgumentError for non-representations or a group without continuous
 *   generators; InvalidRepresentationError for mixed groups or no group at all
 * @example
 * const { generators } = layerGenerators(V(SO(3)), V(SO(3))); // 3 pairs of 3×3 matrices
 */
export function layerGenerators(
  repIn: Representation,
  repOut: Representation,
  options: { group?: Group; fn?: string } = {},
): PreparedLayerGenerators {
  const fn = options.fn ?? 'layerGenerators';
  if (!(repIn instanceof Representation) || !(repOut instanceof Representation)) {
    throw new InvalidArgumentError(`${fn}: 'repIn' and 'repOut' must be Representations; received ${describe(repIn)} and ${describe(repOut)}`);
  }
  hom(repIn, repOut);
  const g = options.group ?? repIn.group ?? repOut.group;
  if (!g) throw new InvalidRepresentationError(`${fn}: the representations must belong to a group; received ${repIn.key} and ${repOut.key}`);
  for (const [name, r] of [['repIn', repIn], ['repOut', repOut]] as const) {
    if (r.group && r.group.key !== g.key) {
      throw new InvalidRepresentationError(`${fn}: '${name}' must be a representation of ${g.name}; received one of ${r.group.name}`);
    }
  }
  const q = g.lieAlgebra.length;
  if (q === 0) {
    throw new InvalidArgumentError(`${fn}: ${g.name} has no continuous generators, so the Lie derivative sees no symmetry; enforce a discrete group instead`);
  }
  const side = (r: Representation, j: number): SparseMatrix => sparseMatrix(r.group ? r.drho(j).toDense() : new Matrix(r.dim, r.dim));
  const pairs = Array.from({ length: q }, (_, j) => [side(repIn, j), side(repOut, j)] as const);
  return { generators: { dimIn: repIn.dim, dimOut: repOut.dim, pairs }, orthonormalizer: orthonormalizer(algebraGram(g)) };
}

/**
 * The generators of a linear layer from a candidate algebra ('gl-input', 'gl-lift',
 * 'gl-input-output' or pairs; see `resolveCandidate`), orthonormal already (T = I).
 * @throws as `resolveCandidate`; InvalidArgumentError for a structured candidate on fields
 * @example
 * candidateLayerGenerators('gl-input', { dimIn: 3, dimOut: 2 }).generators.pairs.length; // 9
 */
export function candidateLayerGenerators(candidate: Candidate, dims: { dimIn: number; dimOut: number; fn?: string }): PreparedLayerGenerators {
  const resolved = resolveCandidate(candidate, dims);
  if (resolved.actIn.kind !== 'vector' || resolved.pairs.some(([a, b]) => a.rows !== dims.dimIn || b.rows !== dims.dimOut)) {
    throw new InvalidArgumentError(
      `${dims.fn ?? 'candidateLayerGenerators'}: a linear layer's candidate must act linearly on vectors ('gl-input', 'gl-lift', 'gl-input-output' or pairs); received a structured candidate on ${resolved.actIn.kind}s`,
    );
  }
  const pairs = resolved.pairs.map(([a, b]) => [sparseMatrix(a), sparseMatrix(b)] as const);
  return { generators: { dimIn: dims.dimIn, dimOut: dims.dimOut, pairs }, orthonormalizer: Matrix.identity(pairs.length) };
}

/** out += W·A − B·W for W (m×n, row-major), A n×n and B m×m sparse. */
function addLieDerivative(out: Float64Array, w: ArrayLike<number>, pair: { a: SparseMatrix; b: SparseMatrix; m: number; n: number }): void {
  const { a, b, m, n } = pair;
  for (let k = 0; k < a.values.length; k++) {
    const [r, c, v] = [a.rowIndex[k]!, a.colIndex[k]!, a.values[k]!];
    for (let i = 0; i < m; i++) out[i * n + c]! += v * w[i * n + r]!;
  }
  for (let k = 0; k < b.values.length; k++) {
    const [i, r, v] = [b.rowIndex[k]!, b.colIndex[k]!, b.values[k]!];
    for (let c = 0; c < n; c++) out[i * n + c]! -= v * w[r * n + c]!;
  }
}

/**
 * The Lie derivatives L_j W = W·A_j − B_j·W of a layer W (dimOut×dimIn, row-major) under
 * every generator: q arrays of dimOut·dimIn numbers (the columns of D_W before T).
 */
export function layerLieDerivatives(g: LayerGenerators, w: ArrayLike<number>): Float64Array[] {
  const [m, n] = [g.dimOut, g.dimIn];
  return g.pairs.map(([a, b]) => {
    const out = new Float64Array(m * n);
    addLieDerivative(out, w, { a, b, m, n });
    return out;
  });
}

/**
 * Σ_j L_j*(Y_j) = Σ_j (Y_j·A_jᵀ − B_jᵀ·Y_j) for one dimOut×dimIn array Y_j per generator: the
 * adjoint is the Lie derivative of the transposed pair.
 */
export function layerLieAdjoint(g: LayerGenerators, ys: readonly Float64Array[]): Float64Array {
  const [m, n] = [g.dimOut, g.dimIn];
  const out = new Float64Array(m * n);
  g.pairs.forEach(([a, b], j) => addLieDerivative(out, ys[j]!, { a: sparseTranspose(a), b: sparseTranspose(b), m, n }));
  return out;
}

/**
 * The same generators acting on the transpose K = Wᵀ (dimIn×dimOut; e.g. the tfjs kernel
 * layout): (W·A − B·W)ᵀ = K·(−Bᵀ) − (−Aᵀ)·K, so the pair (A, B) becomes (−Bᵀ, −Aᵀ).
 * Frobenius norms are transpose-invariant: the nuclear norm is unchanged and its gradient
 * is the transposed one.
 */
export function transposeLayerGenerators(g: LayerGenerators): LayerGenerators {
  const neg = (s: SparseMatrix): SparseMatrix => sparseTranspose(s, { scale: -1 });
  return { dimIn: g.dimOut, dimOut: g.dimIn, pairs: g.pairs.map(([a, b]) => [neg(b), neg(a)] as const) };
}
