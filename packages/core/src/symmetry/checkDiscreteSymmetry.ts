import { InvalidArgumentError, ShapeMismatchError, describe } from '../errors.js';
import { Matrix, toMatrix } from '../linalg/Matrix.js';
import { solve } from '../linalg/lu.js';
import { checkSamples } from '../lie/models.js';
import { evaluatePoints, isEvaluator, pointEvaluator, type Evaluator, type PointFunction } from '../lie/evaluator.js';

/** A discrete group element acting on inputs and outputs: h_in on x, h_out on F(x). */
export interface DiscreteElement {
  hIn: Matrix | number[][];
  hOut: Matrix | number[][];
}

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
 * checkDiscreteSymmetry(lorenz, { hIn: Matrix.diag([-1, -1, 1]), hOut: Matrix.diag([-1, -1, 1]) }, xs); // ≈ 0
 */
export function checkDiscreteSymmetry(f: PointFunction | Evaluator, h: DiscreteElement, xs: Matrix | number[][]): number;
/** @deprecated pass `{ hIn, hOut }` as the second argument; the positional form goes in the next minor version. */
// eslint-disable-next-line @typescript-eslint/max-params -- the deprecated 0.1 signature, kept for one minor version
export function checkDiscreteSymmetry(f: PointFunction | Evaluator, hIn: Matrix | number[][], hOut: Matrix | number[][], xs: Matrix | number[][]): number;
export function checkDiscreteSymmetry(f: PointFunction | Evaluator, first: DiscreteElement | Matrix | number[][], ...rest: Array<Matrix | number[][]>): number {
  const fn = 'checkDiscreteSymmetry';
  if (typeof f !== 'function' && !isEvaluator(f)) throw new InvalidArgumentError(`${fn}: 'f' must be a function or an Evaluator; received ${describe(f)}`);
  const positional = first instanceof Matrix || Array.isArray(first);
  const h: DiscreteElement = positional ? { hIn: first, hOut: rest[0]! } : (first as DiscreteElement);
  const xs = positional ? rest[1]! : rest[0]!;
  if (h === null || typeof h !== 'object') throw new InvalidArgumentError(`${fn}: 'h' must be { hIn, hOut }; received ${describe(h)}`);
  const hi = toMatrix(h.hIn, fn, 'hIn');
  const ho = toMatrix(h.hOut, fn, 'hOut');
  if (!hi.isSquare) throw new ShapeMismatchError(`${fn}: 'hIn' must be square; received ${hi.rows}×${hi.cols}`);
  const { X } = checkSamples(xs, { fn, dim: hi.rows });
  const ev = isEvaluator(f) ? f : pointEvaluator(f, X.row(0), { fn });
  const m = ev.dimOut;
  if (ho.rows !== m || !ho.isSquare) throw new ShapeMismatchError(`${fn}: 'hOut' must be ${m}×${m} to act on F's outputs; received ${ho.rows}×${ho.cols}`);
  const S = X.rows;
  const both = new Float64Array(2 * S * hi.rows);
  both.set(X.data);
  for (let s = 0; s < S; s++) both.set(hi.mulVec(X.row(s)), (S + s) * hi.rows);
  const y = evaluatePoints(fn, ev, both);
  // ρ_out(h)⁻¹·F(ρ_in(h)x) for all samples at once.
  const back = solve(ho, new Matrix(S, m, y.slice(S * m)).transpose());
  let num = 0;
  let den = 0;
  for (let s = 0; s < S; s++) {
    for (let i = 0; i < m; i++) {
      num += (back.data[i * S + s]! - y[s * m + i]!) ** 2;
      den += y[s * m + i]! ** 2;
    }
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}
