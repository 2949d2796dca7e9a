import { InvalidArgumentError, NonFiniteError, ShapeMismatchError, describe } from '../errors.js';
import { Matrix } from '../linalg/Matrix.js';

/** Options of {@link integrate}. */
export interface IntegrateOptions {
  /** Time step (> 0). */
  dt: number;
  /** Number of steps (integer ≥ 1); the result has steps + 1 rows. */
  steps: number;
}

/**
 * Integrates dx/dt = f(x) from x₀ with the classical fixed-step Runge–Kutta method (RK4):
 * trajectories to fit SINDy models to, or to simulate a fitted one.
 *
 * @returns a (steps + 1) × n matrix of states, row k at time k·dt
 * @throws InvalidArgumentError for a bad step or count; ShapeMismatchError when f changes the
 *   dimension; NonFiniteError when the state blows up
 * @example
 * const X = integrate((x) => Float64Array.of(-x[1], x[0]), [1, 0], { dt: 0.01, steps: 628 }); // one turn
 */
export function integrate(f: (x: Float64Array) => ArrayLike<number>, x0: ArrayLike<number>, options: IntegrateOptions): Matrix {
  const fn = 'integrate';
  const { dt, steps } = options ?? ({} as IntegrateOptions);
  if (!(dt > 0) || !Number.isFinite(dt)) throw new InvalidArgumentError(`${fn}: 'dt' must be a finite number > 0; received ${describe(dt)}`);
  if (!Number.isInteger(steps) || steps < 1) throw new InvalidArgumentError(`${fn}: 'steps' must be an integer ≥ 1; received ${describe(steps)}`);
  const n = x0.length;
  const call = (x: Float64Array): Float64Array => {
    const y = Float64Array.from(f(x));
    if (y.length !== n) throw new ShapeMismatchError(`${fn}: 'f' must return ${n} numbers (the state's length); returned ${y.length}`);
    return y;
  };
  const out = new Matrix(steps + 1, n);
  let x = Float64Array.from(x0);
  out.data.set(x, 0);
  const axpy = (a: Float64Array, b: Float64Array, s: number): Float64Array => a.map((v, i) => v + s * b[i]!);
  for (let k = 1; k <= steps; k++) {
    const k1 = call(x);
    const k2 = call(axpy(x, k1, dt / 2));
    const k3 = call(axpy(x, k2, dt / 2));
    const k4 = call(axpy(x, k3, dt));
    x = x.map((v, i) => v + (dt / 6) * (k1[i]! + 2 * k2[i]! + 2 * k3[i]! + k4[i]!));
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(x[i]!)) throw new NonFiniteError(`${fn}: the state became non-finite at step ${k} (t = ${k * dt})`);
    }
    out.data.set(x, k * n);
  }
  return out;
}
