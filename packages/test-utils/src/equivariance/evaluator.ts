import { InvalidArgumentError, NonFiniteError, ShapeMismatchError, describe } from '@liesym/core';

/** F on one point, x ↦ F(x), sync or async (a plain function, brain.js `net.run`). */
export type PointEvaluator = (x: Float64Array) => ArrayLike<number> | Promise<ArrayLike<number>>;

/** F on a batch of points, one output per point, sync or async (e.g. fields through a layer). */
export interface BatchEvaluator {
  batch(xs: readonly Float64Array[]): ReadonlyArray<ArrayLike<number>> | Promise<ReadonlyArray<ArrayLike<number>>>;
}

/**
 * F on `count` points stored row-major, `count × dimIn` in and `count × dimOut` out, sync or
 * async: the shape of core's `Evaluator` (`evaluate(points, count)`), which plugins build for
 * their models (an `@liesym/onnx` model is one); `dimIn` and `dimOut`, when present, are
 * checked against the representations.
 */
export interface RowMajorEvaluator {
  readonly dimIn?: number;
  readonly dimOut?: number;
  evaluate(points: Float64Array, count: number): ArrayLike<number> | Promise<ArrayLike<number>>;
}

/** The model shapes the kit accepts: one point, a batch of points, or core's row-major evaluator. */
export type ModelEvaluator = PointEvaluator | BatchEvaluator | RowMajorEvaluator;

/**
 * Checks that `f` is one of the {@link ModelEvaluator} shapes and fits the representations' dims.
 * @throws InvalidArgumentError naming `fn`; ShapeMismatchError for an evaluator of other dims
 */
export function checkEvaluator(fn: string, f: unknown, { dimIn, dimOut }: { dimIn: number; dimOut: number }): ModelEvaluator {
  if (typeof f === 'function') return f as PointEvaluator;
  if (f !== null && typeof f === 'object') {
    if (typeof (f as Partial<BatchEvaluator>).batch === 'function') return f as BatchEvaluator;
    const ev = f as Partial<RowMajorEvaluator>;
    if (typeof ev.evaluate === 'function') {
      if ((ev.dimIn !== undefined && ev.dimIn !== dimIn) || (ev.dimOut !== undefined && ev.dimOut !== dimOut)) {
        throw new ShapeMismatchError(`${fn}: 'f' maps R^${String(ev.dimIn)} → R^${String(ev.dimOut)}, but the representations have dims ${dimIn} → ${dimOut}`);
      }
      return f as RowMajorEvaluator;
    }
  }
  throw new InvalidArgumentError(
    `${fn}: 'f' must be a function x ↦ F(x), { batch(xs) } or an evaluator { evaluate(points, count) }; received ${describe(f)}`,
  );
}

/** Validates F's output `y` at input `point`: `dimOut` finite numbers. */
function checked(fn: string, y: ArrayLike<number> | undefined, { point: k, dimOut }: { point: number; dimOut: number }): Float64Array {
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
 * {@link PointEvaluator}, one call in all otherwise.
 * @throws ShapeMismatchError when an output has the wrong length; NonFiniteError for NaN/±Infinity
 */
export async function evaluate(fn: string, f: ModelEvaluator, { points, dimOut }: { points: readonly Float64Array[]; dimOut: number }): Promise<Float64Array[]> {
  if (typeof f === 'function') {
    const out: Float64Array[] = [];
    for (let k = 0; k < points.length; k++) out.push(checked(fn, await f(points[k]!), { point: k, dimOut }));
    return out;
  }
  if ('batch' in f) {
    const ys = await f.batch(points);
    if (!Array.isArray(ys) || ys.length !== points.length) {
      throw new ShapeMismatchError(`${fn}: 'f.batch' must return one output per point (${points.length}); received ${describe(ys)}`);
    }
    return ys.map((y, k) => checked(fn, y, { point: k, dimOut }));
  }
  const dimIn = points[0]?.length ?? 0;
  const xs = new Float64Array(points.length * dimIn);
  points.forEach((x, k) => xs.set(x, k * dimIn));
  const ys = await f.evaluate(xs, points.length);
  if (ys === null || typeof ys !== 'object' || ys.length !== points.length * dimOut) {
    throw new ShapeMismatchError(
      `${fn}: 'f.evaluate' must return count × repOut.dim = ${points.length} × ${dimOut} numbers; received ${describe(ys)}`,
    );
  }
  return points.map((_, k) => checked(fn, Array.from({ length: dimOut }, (_, i) => ys[k * dimOut + i]!), { point: k, dimOut }));
}
