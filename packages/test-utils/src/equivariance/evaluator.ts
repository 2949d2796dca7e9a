import { InvalidArgumentError, NonFiniteError, ShapeMismatchError, describe } from '@liesym/core';

/** F on one point: x ↦ F(x), sync or async (a plain function, `brain.js` `net.run`). */
export type PointEvaluator = (x: Float64Array) => ArrayLike<number> | Promise<ArrayLike<number>>;

/** F on a batch of points, one output per point, sync or async (e.g. fields through a layer). */
export interface BatchEvaluator {
  batch(xs: readonly Float64Array[]): ReadonlyArray<ArrayLike<number>> | Promise<ReadonlyArray<ArrayLike<number>>>;
}

/**
 * F on a batch stored row-major: `xs` holds `count` points of R^dim_in, the result `count`
 * outputs of R^dim_out, sync or async — the shape of a tfjs `predict(...).dataSync()` and
 * of `@liesym/onnx`'s `model.evaluate(points, count)`.
 */
export interface FlatEvaluator {
  flat(xs: Float64Array, count: number): ArrayLike<number> | Promise<ArrayLike<number>>;
}

/** The model evaluators the kit accepts: one point, a batch of points, or a row-major batch. */
export type Evaluator = PointEvaluator | BatchEvaluator | FlatEvaluator;

/**
 * Checks that `f` is one of the {@link Evaluator} shapes.
 * @throws InvalidArgumentError naming `fn`
 */
export function checkEvaluator(fn: string, f: unknown): Evaluator {
  if (typeof f === 'function') return f as PointEvaluator;
  if (f !== null && typeof f === 'object') {
    if (typeof (f as Partial<BatchEvaluator>).batch === 'function') return f as BatchEvaluator;
    if (typeof (f as Partial<FlatEvaluator>).flat === 'function') return f as FlatEvaluator;
  }
  throw new InvalidArgumentError(
    `${fn}: 'f' must be a function x ↦ F(x), { batch(xs) } or { flat(xs, count) }; received ${describe(f)}`,
  );
}

function checked(fn: string, y: ArrayLike<number> | undefined, k: number, dimOut: number): Float64Array {
  if (y === undefined || y === null || typeof y.length !== 'number') {
    throw new ShapeMismatchError(`${fn}: 'f' must return ${dimOut} numbers for point ${k}; received ${describe(y)}`);
  }
  if (y.length !== dimOut) {
    throw new ShapeMismatchError(`${fn}: 'f' must return repOut.dim = ${dimOut} numbers for point ${k}; received ${y.length}`);
  }
  const out = Float64Array.from(y);
  if (!out.every(Number.isFinite)) throw new NonFiniteError(`${fn}: 'f' returned NaN or ±Infinity for point ${k}`);
  return out;
}

/**
 * F at every point, as Float64 outputs of length `dimOut`: one call per point for a
 * {@link PointEvaluator}, one call in all for a batch.
 * @throws ShapeMismatchError when an output has the wrong length; NonFiniteError for NaN/±Infinity
 */
export async function evaluate(fn: string, f: Evaluator, points: readonly Float64Array[], dimOut: number): Promise<Float64Array[]> {
  if (typeof f === 'function') {
    const out: Float64Array[] = [];
    for (let k = 0; k < points.length; k++) out.push(checked(fn, await f(points[k]!), k, dimOut));
    return out;
  }
  if ('batch' in f) {
    const ys = await f.batch(points);
    if (!Array.isArray(ys) || ys.length !== points.length) {
      throw new ShapeMismatchError(`${fn}: 'f.batch' must return one output per point (${points.length}); received ${describe(ys)}`);
    }
    return ys.map((y, k) => checked(fn, y, k, dimOut));
  }
  const dimIn = points[0]?.length ?? 0;
  const xs = new Float64Array(points.length * dimIn);
  points.forEach((x, k) => xs.set(x, k * dimIn));
  const flat = await f.flat(xs, points.length);
  if (flat === null || typeof flat !== 'object' || flat.length !== points.length * dimOut) {
    throw new ShapeMismatchError(
      `${fn}: 'f.flat' must return count · repOut.dim = ${points.length} · ${dimOut} numbers; received ${describe(flat)}`,
    );
  }
  return points.map((_, k) => checked(fn, Array.prototype.slice.call(flat, k * dimOut, (k + 1) * dimOut) as number[], k, dimOut));
}
