import { InvalidArgumentError, NonFiniteError, describe } from '../errors.js';
import type { FunctionLibrary } from '../lie/MonomialLibrary.js';
import { checkSamples } from '../lie/models.js';
import { Matrix } from '../linalg/Matrix.js';

/**
 * The S×size library matrix Θ with Θ[s, k] = φₖ(x_s): all rows at once when the library has
 * `evaluateAll` (e.g. {@link MonomialLibrary}), else row by row.
 * @throws EmptyInputError, ShapeMismatchError, NonFiniteError (also when φ(x) is not finite)
 */
export function libraryMatrix(library: FunctionLibrary, xs: Matrix | number[][], fn = 'libraryMatrix'): Matrix {
  const { X } = checkSamples(xs, { fn, dim: library.m });
  const K = library.size;
  let theta: Matrix;
  if (typeof library.evaluateAll === 'function') theta = library.evaluateAll(X);
  else {
    theta = new Matrix(X.rows, K);
    for (let s = 0; s < X.rows; s++) theta.data.set(library.evaluate(X.row(s)).subarray(0, K), s * K);
  }
  const d = theta.data;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i]!)) {
      const k = i % K;
      throw new NonFiniteError(`${fn}: library function ${k} (${library.names[k]}) is ${describe(d[i])} at sample ${Math.floor(i / K)}`);
    }
  }
  return theta;
}

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
  return blockDesign(libraryMatrix(library, xs, fn), dimOut);
}

/** The block design of {@link designMatrix} from the library matrix Θ (S×K): (S·dimOut)×(dimOut·K). */
export function blockDesign(theta: Matrix, dimOut: number): Matrix {
  if (dimOut === 1) return theta;
  const K = theta.cols;
  const p = dimOut * K;
  const B = new Matrix(theta.rows * dimOut, p);
  for (let s = 0; s < theta.rows; s++) {
    const phi = theta.data.subarray(s * K, (s + 1) * K);
    for (let i = 0; i < dimOut; i++) B.data.set(phi, (s * dimOut + i) * p + i * K);
  }
  return B;
}
