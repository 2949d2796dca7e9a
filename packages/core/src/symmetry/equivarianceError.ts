import { EmptyInputError, InvalidArgumentError, InvalidRepresentationError, ShapeMismatchError, describe } from '../errors.js';
import { Matrix, toMatrix } from '../linalg/Matrix.js';
import { createRng, type Rng } from '../linalg/random.js';
import { Representation } from '../reps/Representation.js';
import { evaluatePoints, isEvaluator, pointEvaluator, type Evaluator, type PointFunction } from '../lie/evaluator.js';

/**
 * ‖a − b‖ / max(‖a‖, ‖b‖, tiny): the relative error equivariance checks use, symmetric in a, b.
 * @example
 * relativeDifference([1, 0], [1, 1e-9]); // 1e-9
 */
export function relativeDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new ShapeMismatchError(`relativeDifference: 'a' and 'b' must have equal lengths; received ${a.length} and ${b.length}`);
  }
  let num = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  return Math.sqrt(num) / Math.max(Math.sqrt(na), Math.sqrt(nb), Number.MIN_VALUE);
}

/** Result of {@link equivarianceError}. */
export interface EquivarianceErrorResult {
  /** The largest relative error over the samples. */
  max: number;
  /** The mean relative error. */
  mean: number;
}

/** Options of {@link equivarianceError}: the representations F maps between, and its samples. */
export interface EquivarianceErrorOptions {
  /** The representation on F's inputs (ρ_in). */
  repIn: Representation;
  /** The representation on F's outputs (ρ_out). */
  repOut: Representation;
  /** A number of standard-normal inputs (default 16) or explicit inputs (S × repIn.dim). */
  samples?: number | Matrix | number[][];
  /** A seeded generator or a seed (default 0). */
  rng?: Rng | number;
}

/**
 * The relative equivariance error of F for sampled group elements g:
 *
 *     ‖F(ρ_in(g)·x) − ρ_out(g)·F(x)‖ / max(‖F(ρ_in(g)·x)‖, ‖ρ_out(g)·F(x)‖, tiny),
 *
 * one g per sample (from the group of the representations, seeded).
 *
 * @param options.samples a number of standard-normal inputs (default 16) or explicit inputs
 * @param options.rng a seeded generator or a seed (default 0)
 * @throws InvalidRepresentationError when neither representation has a group
 * @example
 * equivarianceError((x) => [x[0]! ** 2 + x[1]! ** 2], { repIn: V(SO(2)), repOut: Scalar }).max; // ≈ 1e-16
 */
export function equivarianceError(f: PointFunction | Evaluator, options: EquivarianceErrorOptions): EquivarianceErrorResult;
/** @deprecated pass `{ repIn, repOut, samples, rng }` as the second argument; the positional form goes in the next minor version. */
// eslint-disable-next-line @typescript-eslint/max-params -- the deprecated 0.1 signature, kept for one minor version
export function equivarianceError(
  f: PointFunction | Evaluator,
  repIn: Representation,
  repOut: Representation,
  options?: Pick<EquivarianceErrorOptions, 'samples' | 'rng'>,
): EquivarianceErrorResult;
export function equivarianceError(
  f: PointFunction | Evaluator,
  first: EquivarianceErrorOptions | Representation,
  ...rest: [repOut?: Representation, options?: Pick<EquivarianceErrorOptions, 'samples' | 'rng'>]
): EquivarianceErrorResult {
  const fn = 'equivarianceError';
  if (typeof f !== 'function' && !isEvaluator(f)) throw new InvalidArgumentError(`${fn}: 'f' must be a function or an Evaluator; received ${describe(f)}`);
  const positional = first instanceof Representation;
  if (!positional && (first === null || typeof first !== 'object')) {
    throw new InvalidArgumentError(`${fn}: 'options' must be { repIn, repOut, samples?, rng? }; received ${describe(first)}`);
  }
  const options: Partial<EquivarianceErrorOptions> = positional ? { ...rest[1], repIn: first, repOut: rest[0]! } : first;
  const { repIn, repOut } = options;
  if (!(repIn instanceof Representation) || !(repOut instanceof Representation)) {
    throw new InvalidArgumentError(`${fn}: 'repIn' and 'repOut' must be Representations; received ${describe(repIn)} and ${describe(repOut)}`);
  }
  const group = repIn.group ?? repOut.group;
  if (!group) throw new InvalidRepresentationError(`${fn}: at least one representation must belong to a group; received two Scalars`);
  if (repIn.group && repOut.group && repIn.group.key !== repOut.group.key) {
    throw new InvalidRepresentationError(`${fn}: 'repIn' and 'repOut' must be of the same group; received ${repIn.group.name} and ${repOut.group.name}`);
  }
  const rng = typeof options.rng === 'object' ? options.rng : createRng(options.rng ?? 0);
  const s = options.samples ?? 16;
  let X: Matrix;
  if (typeof s === 'number') {
    if (!Number.isInteger(s) || s < 1) throw new InvalidArgumentError(`${fn}: 'samples' must be an integer ≥ 1 or a matrix; received ${describe(s)}`);
    X = new Matrix(s, repIn.dim);
    for (let i = 0; i < X.data.length; i++) X.data[i] = rng.normal();
  } else {
    X = toMatrix(s, fn, 'samples');
    if (X.rows === 0) throw new EmptyInputError(`${fn}: 'samples' must hold at least one row; received none`);
    if (X.cols !== repIn.dim) throw new ShapeMismatchError(`${fn}: 'samples' must have repIn.dim = ${repIn.dim} columns; received ${X.cols}`);
  }
  const S = X.rows;
  const gs = Array.from({ length: S }, () => group.sample(rng));
  const moved = new Float64Array(S * X.cols);
  gs.forEach((g, k) => moved.set(repIn.rhoOf(g).matvec(X.row(k)), k * X.cols));
  // One batched evaluation of F at x and at ρ_in(g)·x for every sample.
  const ev = isEvaluator(f) ? f : pointEvaluator(f, X.row(0), { fn });
  const both = new Float64Array(2 * S * X.cols);
  both.set(X.data);
  both.set(moved, S * X.cols);
  if (ev.dimOut !== repOut.dim) throw new ShapeMismatchError(`${fn}: 'repOut' must have dim ${ev.dimOut} (F's output size); received ${repOut.dim}`);
  const y = evaluatePoints(fn, ev, both);
  const m = ev.dimOut;
  let max = 0;
  let sum = 0;
  for (let k = 0; k < S; k++) {
    const a = y.subarray((S + k) * m, (S + k + 1) * m);
    const b = repOut.rhoOf(gs[k]!).matvec(y.slice(k * m, (k + 1) * m));
    const rel = relativeDifference(a, b);
    max = Math.max(max, rel);
    sum += rel;
  }
  return { max, mean: sum / S };
}
