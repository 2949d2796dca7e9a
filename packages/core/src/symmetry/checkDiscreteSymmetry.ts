import { InvalidArgumentError, NonFiniteError, ShapeMismatchError, describe } from '../errors.js';
import { Matrix, toMatrix } from '../linalg/Matrix.js';
import { solve } from '../linalg/lu.js';
import { checkSamples } from '../lie/models.js';

/**
 * The relative residual of a discrete symmetry h = (h_in, h_out) of F at the samples:
 *
 *     ‖K_h F − F‖ / ‖F‖,  (K_h F)(x) = h_out⁻¹·F(h_in·x),
 *
 * with norms summed over the samples. 0 for an exact symmetry. The Lie derivative cannot
 * see discrete symmetries; this is how they are checked.
 *
 * @throws ShapeMismatchError when h_in, h_out or the samples do not fit F; EmptyInputError for no samples
 * @example
 * checkDiscreteSymmetry(lorenz, Matrix.diag([-1, -1, 1]), Matrix.diag([-1, -1, 1]), xs); // ≈ 0
 */
export function checkDiscreteSymmetry(
  f: (x: Float64Array) => ArrayLike<number>,
  hIn: Matrix | number[][],
  hOut: Matrix | number[][],
  xs: Matrix | number[][],
): number {
  const fn = 'checkDiscreteSymmetry';
  if (typeof f !== 'function') throw new InvalidArgumentError(`${fn}: 'f' must be a function; received ${describe(f)}`);
  const hi = toMatrix(hIn, fn, 'hIn');
  const ho = toMatrix(hOut, fn, 'hOut');
  const { X } = checkSamples(xs, fn, hi.rows);
  if (!hi.isSquare) throw new ShapeMismatchError(`${fn}: 'hIn' must be square; received ${hi.rows}×${hi.cols}`);
  let num = 0;
  let den = 0;
  for (let s = 0; s < X.rows; s++) {
    const x = X.row(s);
    const y = Float64Array.from(f(x));
    if (ho.rows !== y.length || !ho.isSquare) {
      throw new ShapeMismatchError(`${fn}: 'hOut' must be ${y.length}×${y.length} to act on F's outputs; received ${ho.rows}×${ho.cols}`);
    }
    const yh = Float64Array.from(f(hi.mulVec(x)));
    const back = solve(ho, Matrix.column(yh)).data;
    for (let i = 0; i < y.length; i++) {
      if (!Number.isFinite(y[i]!) || !Number.isFinite(back[i]!)) {
        throw new NonFiniteError(`${fn}: F returned a non-finite value at sample ${s}`);
      }
      num += (back[i]! - y[i]!) ** 2;
      den += y[i]! ** 2;
    }
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}
