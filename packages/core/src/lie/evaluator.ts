import { InvalidArgumentError, NonFiniteError, ShapeMismatchError, UnsupportedOperationError, describe } from '../errors.js';
import type { Dtype } from '../tolerances.js';

/** A model F: R^n → R^m as a plain function of one point (float64 in, numbers out). */
export type PointFunction = (x: Float64Array) => ArrayLike<number>;

/**
 * A model F: R^dimIn → R^dimOut seen through its framework: values (and, when the framework
 * has them, exact Jacobians) at many points per call. This is all a plugin gives the
 * engine; finite differences, candidates, rank decisions and reports happen in core.
 * Points are row-major `count × dimIn` Float64 arrays (flattened samples); plugins convert to
 * their framework's dtype at this boundary. Calls may return promises (onnxruntime is async):
 * use the `…Async` entry points for those.
 */
export interface Evaluator {
  readonly dimIn: number;
  readonly dimOut: number;
  /** The dtype the model computes in (default 'float64'): sets finite-difference steps and default tolerances. */
  readonly dtype?: Dtype;
  /** F at `count` points: `count × dimOut` values, row-major. */
  evaluate(points: Float64Array, count: number): ArrayLike<number> | Promise<ArrayLike<number>>;
  /** Exact Jacobians DF(x) at `count` points: `count × dimOut × dimIn`, each row-major. Optional. */
  jacobians?(points: Float64Array, count: number): ArrayLike<number> | Promise<ArrayLike<number>>;
}

/** One call the engine asks the evaluator for. */
export interface EvaluationRequest {
  readonly kind: 'values' | 'jacobians';
  readonly points: Float64Array;
  readonly count: number;
}

/**
 * A computation that needs model evaluations: a generator yielding requests and receiving
 * their results (validated Float64 arrays). One program serves sync and async evaluators
 * through {@link runProgram} and {@link runProgramAsync}.
 */
export type Program<T> = Generator<EvaluationRequest, T, Float64Array>;

/** Validates what `ev` returned for the request `req` of the program run by `fn`. */
function checked(raw: unknown, { fn, ev, req }: { fn: string; ev: Evaluator; req: EvaluationRequest }): Float64Array {
  const per = req.kind === 'values' ? ev.dimOut : ev.dimOut * ev.dimIn;
  if (raw === null || typeof raw !== 'object' || typeof (raw as ArrayLike<number>).length !== 'number') {
    throw new InvalidArgumentError(`${fn}: the model's ${req.kind === 'values' ? 'evaluate' : 'jacobians'} must return an array of numbers; returned ${describe(raw)}`);
  }
  const out = raw instanceof Float64Array ? raw : Float64Array.from(raw as ArrayLike<number>);
  if (out.length !== req.count * per) {
    throw new ShapeMismatchError(
      `${fn}: the model's ${req.kind === 'values' ? 'evaluate' : 'jacobians'} must return ${req.count}×${per} numbers for ${req.count} points; returned ${out.length}`,
    );
  }
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) {
      const point = Math.floor(i / per);
      throw new NonFiniteError(`${fn}: the model 'f' returned ${describe(out[i])} at point ${point} (${req.kind === 'values' ? 'a value' : 'a Jacobian entry'}); expected finite numbers`);
    }
  }
  return out;
}

function call(fn: string, ev: Evaluator, req: EvaluationRequest): ArrayLike<number> | Promise<ArrayLike<number>> {
  if (req.kind === 'values') return ev.evaluate(req.points, req.count);
  if (!ev.jacobians) throw new UnsupportedOperationError(`${fn}: the model has no exact Jacobians; use finite differences`);
  return ev.jacobians(req.points, req.count);
}

/**
 * Runs a program against a synchronous evaluator.
 * @throws UnsupportedOperationError when the evaluator returns a promise (use the async entry point)
 */
export function runProgram<T>(fn: string, program: Program<T>, ev: Evaluator): T {
  let step = program.next();
  while (!step.done) {
    const raw = call(fn, ev, step.value);
    if (raw !== null && typeof (raw as Promise<unknown>).then === 'function') {
      throw new UnsupportedOperationError(`${fn}: the model evaluates asynchronously (it returned a Promise); call ${fn}Async instead`);
    }
    step = program.next(checked(raw, { fn, ev, req: step.value }));
  }
  return step.value;
}

/** Runs a program against a synchronous or asynchronous evaluator. */
export async function runProgramAsync<T>(fn: string, program: Program<T>, ev: Evaluator): Promise<T> {
  let step = program.next();
  while (!step.done) {
    const raw = await call(fn, ev, step.value);
    step = program.next(checked(raw, { fn, ev, req: step.value }));
  }
  return step.value;
}

/** An exact Jacobian x ↦ DF(x) (dimOut×dimIn): nested rows or a row-major matrix. */
export type PointJacobian = (x: Float64Array) => ArrayLike<ArrayLike<number>> | { data: Float64Array; rows: number; cols: number };

/** True for an {@link Evaluator} (an object with `evaluate`, `dimIn`, `dimOut`). */
export function isEvaluator(value: unknown): value is Evaluator {
  return value !== null && typeof value === 'object' && typeof (value as Evaluator).evaluate === 'function';
}

/**
 * Wraps a point function (and optionally its exact Jacobian) as an {@link Evaluator}; the
 * output size is read from a first evaluation at `probe`.
 * @throws InvalidArgumentError when f is not a function or returns no numbers
 */
export function pointEvaluator(
  f: PointFunction,
  probe: Float64Array,
  options: { fn?: string; jacobian?: PointJacobian } = {},
): Evaluator {
  const fn = options.fn ?? 'pointEvaluator';
  const jacobian = options.jacobian;
  if (typeof f !== 'function') throw new InvalidArgumentError(`${fn}: 'f' must be a function or an Evaluator; received ${describe(f)}`);
  const first = f(probe);
  if (first === null || typeof first !== 'object' || typeof first.length !== 'number') {
    throw new InvalidArgumentError(`${fn}: 'f' must return an array of numbers; returned ${describe(first)}`);
  }
  const dimIn = probe.length;
  const dimOut = first.length;
  if (dimOut === 0) throw new ShapeMismatchError(`${fn}: 'f' must return at least one number; returned 0`);
  const ev: Evaluator = {
    dimIn,
    dimOut,
    evaluate(points, count) {
      const out = new Float64Array(count * dimOut);
      for (let s = 0; s < count; s++) {
        const y = f(points.subarray(s * dimIn, (s + 1) * dimIn));
        if (y?.length !== dimOut) throw new ShapeMismatchError(`${fn}: 'f' must return ${dimOut} numbers for every point; returned ${describe(y?.length)}`);
        for (let i = 0; i < dimOut; i++) out[s * dimOut + i] = y[i]!;
      }
      return out;
    },
  };
  if (jacobian === undefined) return ev;
  if (typeof jacobian !== 'function') throw new InvalidArgumentError(`${fn}: 'jacobian' must be a function x ↦ DF(x); received ${describe(jacobian)}`);
  return {
    ...ev,
    jacobians(points, count) {
      const out = new Float64Array(count * dimOut * dimIn);
      for (let s = 0; s < count; s++) {
        const J = jacobian(points.slice(s * dimIn, (s + 1) * dimIn));
        const flat = 'data' in J && J.data instanceof Float64Array ? J : undefined;
        if (flat) {
          if (flat.rows !== dimOut || flat.cols !== dimIn) {
            throw new ShapeMismatchError(`${fn}: 'jacobian' must return a ${dimOut}×${dimIn} matrix; returned ${flat.rows}×${flat.cols} at point ${s}`);
          }
          out.set(flat.data, s * dimOut * dimIn);
          continue;
        }
        const rows = J as ArrayLike<ArrayLike<number>>;
        if (rows.length !== dimOut) throw new ShapeMismatchError(`${fn}: 'jacobian' must return ${dimOut} rows; returned ${rows.length} at point ${s}`);
        for (let i = 0; i < dimOut; i++) {
          const row = rows[i]!;
          if (row.length !== dimIn) throw new ShapeMismatchError(`${fn}: 'jacobian' rows must have ${dimIn} entries; returned ${row.length} at point ${s}`);
          for (let j = 0; j < dimIn; j++) out[(s * dimOut + i) * dimIn + j] = row[j]!;
        }
      }
      return out;
    },
  };
}

/**
 * F at `count` points through a synchronous evaluator, validated (size, finiteness).
 * @throws UnsupportedOperationError for an asynchronous evaluator
 */
export function evaluatePoints(fn: string, ev: Evaluator, points: Float64Array): Float64Array {
  const count = points.length / ev.dimIn;
  return runProgram(fn, (function* (): Program<Float64Array> {
    return yield { kind: 'values', points, count };
  })(), ev);
}
