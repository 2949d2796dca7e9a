import { InvalidArgumentError, NonFiniteError, describe } from '../errors.js';
import type { FunctionLibrary } from '../lie/MonomialLibrary.js';
import { checkSamples } from '../lie/models.js';
import { Matrix } from '../linalg/Matrix.js';

/**
 * The regression matrix of the basis expansion F(x) = W·φ(x) in θ = vec(W) (row-major,
 * W: dimOut×size): row (s, i) holds φ(x_s) in the columns of W's row i, so that
 * (B·θ)[s·dimOut + i] = F(x_s)ᵢ. With dimOut = 1 this is Θ, the S×size library matrix.
 *
 * @param xs S×m samples
 * @returns (S·dimOut)×(dimOut·size)
 * @throws EmptyInputError, ShapeMismatchError, NonFiniteError (also when φ(x) is not finite)
 * @example
 * designMatrix(new MonomialLibrary(1, 2), [[2]]).toArray(); // [[1, 2, 4]]
 */
export function designMatrix(library: FunctionLibrary, xs: Matrix | number[][], options: { dimOut?: number } = {}): Matrix {
  const fn = 'designMatrix';
  const dimOut = options.dimOut ?? 1;
  if (!Number.isInteger(dimOut) || dimOut < 1) throw new InvalidArgumentError(`${fn}: 'dimOut' must be an integer ≥ 1; received ${describe(dimOut)}`);
  const { X } = checkSamples(xs, { fn, dim: library.m });
  const K = library.size;
  const p = dimOut * K;
  const B = new Matrix(X.rows * dimOut, p);
  for (let s = 0; s < X.rows; s++) {
    const phi = library.evaluate(X.row(s));
    for (let k = 0; k < K; k++) {
      if (!Number.isFinite(phi[k]!)) throw new NonFiniteError(`${fn}: library function ${k} (${library.names[k]}) is ${describe(phi[k])} at sample ${s}`);
    }
    for (let i = 0; i < dimOut; i++) B.data.set(phi, (s * dimOut + i) * p + i * K);
  }
  return B;
}
