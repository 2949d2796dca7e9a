import { EmptyInputError, InvalidArgumentError, ShapeMismatchError, describe } from '../errors.js';
import { affineAction, type GroupAction } from '../lie/GroupAction.js';
import { Matrix, toMatrix } from '../linalg/Matrix.js';
import { orthonormalColumns } from '../linalg/nullspace.js';

/** A candidate generator: the pair (A_in, A_out) acting linearly on inputs and outputs. */
export type GeneratorPair = readonly [Matrix, Matrix];

/**
 * A candidate Lie algebra for discovery:
 * - `'gl-input'`: gl(n_in) on the input, nothing on the output (n_in² generators);
 * - `'gl-lift'`: the same A on input and output (n_in = n_out; n² generators), the tangent
 *   lift for vector fields;
 * - `'gl-input-output'`: gl(n_in) ⊕ gl(n_out) (n_in² + n_out² generators);
 * - or an explicit array of [A_in, A_out] pairs.
 */
export type Candidate = 'gl-input' | 'gl-lift' | 'gl-input-output' | ReadonlyArray<readonly [Matrix | number[][], Matrix | number[][]]>;

function units(n: number, s: number): Matrix[] {
  const out: Matrix[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const m = new Matrix(n, n);
      m.data[i * n + j] = s;
      out.push(m);
    }
  }
  return out;
}

/**
 * The candidate generators as pairs orthonormal in the Frobenius inner product
 * ⟨(A, B), (C, D)⟩ = tr(AᵀC) + tr(BᵀD), so singular values do not depend on the basis.
 * Explicit pairs are orthonormalized (Gram–Schmidt).
 * @throws InvalidArgumentError for an unknown name or linearly dependent pairs;
 *   ShapeMismatchError when shapes do not fit n_in, n_out
 */
export function candidateGenerators(candidate: Candidate, dimIn: number, dimOut: number, fn = 'candidateGenerators'): GeneratorPair[] {
  if (candidate === 'gl-input') return units(dimIn, 1).map((a) => [a, new Matrix(dimOut, dimOut)] as const);
  if (candidate === 'gl-lift') {
    if (dimIn !== dimOut) {
      throw new ShapeMismatchError(`${fn}: candidate 'gl-lift' needs as many outputs as inputs; received ${dimIn} inputs and ${dimOut} outputs`);
    }
    return units(dimIn, Math.SQRT1_2).map((a) => [a, a] as const);
  }
  if (candidate === 'gl-input-output') {
    return [
      ...units(dimIn, 1).map((a) => [a, new Matrix(dimOut, dimOut)] as const),
      ...units(dimOut, 1).map((b) => [new Matrix(dimIn, dimIn), b] as const),
    ];
  }
  if (!Array.isArray(candidate)) {
    throw new InvalidArgumentError(
      `${fn}: 'candidate' must be 'gl-input', 'gl-lift', 'gl-input-output' or an array of [A_in, A_out] pairs; received ${describe(candidate)}`,
    );
  }
  if (candidate.length === 0) throw new EmptyInputError(`${fn}: 'candidate' must hold at least one pair; received an empty array`);
  const pairs = candidate.map((p, k) => {
    if (!Array.isArray(p) || p.length !== 2) {
      throw new InvalidArgumentError(`${fn}: 'candidate'[${k}] must be a pair [A_in, A_out]; received ${describe(p)}`);
    }
    const a = toMatrix(p[0], fn, `candidate[${k}][0]`);
    const b = toMatrix(p[1], fn, `candidate[${k}][1]`);
    if (a.rows !== dimIn || a.cols !== dimIn || b.rows !== dimOut || b.cols !== dimOut) {
      throw new ShapeMismatchError(
        `${fn}: 'candidate'[${k}] must be a pair of ${dimIn}×${dimIn} and ${dimOut}×${dimOut} matrices; received ${a.rows}×${a.cols} and ${b.rows}×${b.cols}`,
      );
    }
    return [a, b] as const;
  });
  const stacked = new Matrix(dimIn * dimIn + dimOut * dimOut, pairs.length);
  pairs.forEach(([a, b], k) => {
    a.data.forEach((v, i) => (stacked.data[i * pairs.length + k] = v));
    b.data.forEach((v, i) => (stacked.data[(dimIn * dimIn + i) * pairs.length + k] = v));
  });
  const q = orthonormalColumns(stacked);
  if (q.cols < pairs.length) {
    throw new InvalidArgumentError(
      `${fn}: the candidate pairs must be linearly independent; received ${pairs.length} pairs spanning only ${q.cols} dimensions`,
    );
  }
  return Array.from({ length: q.cols }, (_, k) => {
    const col = q.column(k);
    return [new Matrix(dimIn, dimIn, col.slice(0, dimIn * dimIn)), new Matrix(dimOut, dimOut, col.slice(dimIn * dimIn))] as const;
  });
}

/** The linear actions x ↦ A_in·x, y ↦ A_out·y of generator pairs. */
export function pairActions(pairs: readonly GeneratorPair[]): GroupAction[] {
  return pairs.map(([a, b]) => affineAction({ A: a, tau: b }));
}
