import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, NonFiniteError, ShapeMismatchError, UnsupportedModelError, describe, errorMessage } from '@liesym/core';
import { modelDims } from './modelEvaluator.js';

/** A vector field ẋ = f(x) on states [batch, d]: a tfjs model [batch, d] → [batch, d], or a function of tensors. */
export type VectorField = tf.LayersModel | ((x: tf.Tensor2D) => tf.Tensor2D);

/** Options of {@link integrateRK4}. */
export interface IntegrateRK4Options {
  /** Time between returned states (finite, > 0). */
  dt: number;
  /** Number of returned steps (integer ≥ 1); the trajectory has steps + 1 states. */
  steps: number;
  /** RK4 steps per interval dt (integer ≥ 1, default 1): each RK4 step is dt / substeps long. */
  substeps?: number;
}

/** A field as a function of [batch, d] tensors, checked to be one (the model's apply, not predict, so gradients flow). */
export function fieldFunction(fn: string, field: unknown, d?: number): { call: (x: tf.Tensor2D) => tf.Tensor2D; dim: number | undefined } {
  if (field instanceof tf.LayersModel) {
    const { dimIn, dimOut } = modelDims(fn, field);
    if (dimIn !== dimOut) throw new UnsupportedModelError(`${fn}: 'field' must map states [batch, d] to velocities [batch, d]; received a model ${dimIn} → ${dimOut}`);
    if (d !== undefined && d !== dimIn) throw new ShapeMismatchError(`${fn}: the states have ${d} coordinates but 'field' takes ${dimIn}`);
    return { call: (x) => field.apply(x) as tf.Tensor2D, dim: dimIn };
  }
  if (typeof field !== 'function') throw new InvalidArgumentError(errorMessage(fn, 'field', { expected: 'a tf.LayersModel or a function of a [batch, d] tensor', received: field }));
  const f = field as (x: tf.Tensor2D) => tf.Tensor2D;
  return {
    call: (x) => {
      const y = f(x);
      if (!(y instanceof tf.Tensor) || y.shape.length !== 2 || y.shape[0] !== x.shape[0] || y.shape[1] !== x.shape[1]) {
        throw new ShapeMismatchError(`${fn}: 'field' must return a tensor of its input's shape [${x.shape.join(', ')}]; returned ${y instanceof tf.Tensor ? `shape [${y.shape.join(', ')}]` : describe(y)}`);
      }
      return y;
    },
    dim: d,
  };
}

/** Validated step options: dt, steps, substeps. */
export function stepOptions(fn: string, options: unknown): { dt: number; steps: number; substeps: number } {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(errorMessage(fn, 'options', { expected: 'an object', received: options }));
  const o = options as Partial<IntegrateRK4Options>;
  const substeps = o.substeps ?? 1;
  if (typeof o.dt !== 'number' || !Number.isFinite(o.dt) || o.dt <= 0) throw new InvalidArgumentError(errorMessage(fn, 'dt', { expected: 'a finite number > 0', received: o.dt }));
  if (!Number.isInteger(o.steps) || o.steps! < 1) throw new InvalidArgumentError(errorMessage(fn, 'steps', { expected: 'an integer ≥ 1', received: o.steps }));
  if (!Number.isInteger(substeps) || substeps < 1) throw new InvalidArgumentError(errorMessage(fn, 'substeps', { expected: 'an integer ≥ 1', received: substeps }));
  return { dt: o.dt, steps: o.steps!, substeps };
}

/** The RK4 trajectory [steps + 1, batch, d] from x0 (no validation; differentiable; call inside tidy). */
export function rk4(call: (x: tf.Tensor2D) => tf.Tensor2D, x0: tf.Tensor2D, { dt, steps, substeps }: { dt: number; steps: number; substeps: number }): tf.Tensor3D {
  const h = dt / substeps;
  const states: tf.Tensor2D[] = [x0];
  let x = x0;
  for (let k = 0; k < steps * substeps; k++) {
    const k1 = call(x);
    const k2 = call(tf.add(x, tf.mul(k1, h / 2)));
    const k3 = call(tf.add(x, tf.mul(k2, h / 2)));
    const k4 = call(tf.add(x, tf.mul(k3, h)));
    x = tf.add(x, tf.mul(tf.addN([k1, tf.mul(k2, 2), tf.mul(k3, 2), k4]), h / 6));
    if ((k + 1) % substeps === 0) states.push(x);
  }
  return tf.stack(states) as tf.Tensor3D;
}

/**
 * Integrates ẋ = f(x) from a batch of initial states x0 [batch, d] with the classical
 * fixed-step Runge–Kutta method (RK4), `substeps` steps of dt / substeps per returned interval.
 * Built from tfjs ops on `field.apply` (float32), so the trajectory is differentiable with
 * respect to the model's weights and x0: use it inside `tf.grad`, `optimizer.minimize` or a
 * custom loss (see {@link trainNeuralODE}). Same scheme as core's float64 `integrate`.
 *
 * @param field a tfjs model [batch, d] → [batch, d] or a function of a [batch, d] tensor
 * @param x0 initial states [batch, d] (a tensor, not disposed, or rows)
 * @returns the trajectory [steps + 1, batch, d], state k at time k·dt (the caller disposes it)
 * @throws InvalidArgumentError for bad options or field; ShapeMismatchError when x0 is not
 *   [batch, d] with d the model's size, or the field changes the shape; NonFiniteError for
 *   NaN/Infinity in x0; UnsupportedModelError for a model that is not d → d
 * @example
 * const traj = integrateRK4(model, [[1, 0]], { dt: 0.1, steps: 10, substeps: 4 }); // [11, 1, 2]
 */
export function integrateRK4(field: VectorField, x0: tf.Tensor2D | number[][], options: IntegrateRK4Options): tf.Tensor3D {
  const fn = 'integrateRK4';
  const { dt, steps, substeps } = stepOptions(fn, options);
  const { call, dim } = fieldFunction(fn, field);
  const x = initialStates(fn, x0, dim);
  try {
    return tf.tidy(() => rk4(call, x, { dt, steps, substeps }));
  } finally {
    if (x !== x0) x.dispose();
  }
}

function initialStates(fn: string, x0: unknown, dim: number | undefined): tf.Tensor2D {
  let x: tf.Tensor2D;
  if (x0 instanceof tf.Tensor) {
    if (x0.rank !== 2) throw new ShapeMismatchError(errorMessage(fn, 'x0', { expected: 'a 2-D tensor [batch, d]', received: `shape [${x0.shape.join(', ')}]` }));
    x = x0 as tf.Tensor2D;
  } else {
    const rows = x0 as unknown[];
    if (!Array.isArray(rows) || rows.length === 0 || !rows.every((r) => Array.isArray(r) && r.length === (rows[0] as unknown[]).length && r.length > 0)) {
      throw new ShapeMismatchError(errorMessage(fn, 'x0', { expected: 'a [batch, d] tensor or non-empty rows of equal length', received: x0 }));
    }
    x = tf.tensor2d(rows as number[][]);
  }
  const bad = () => {
    if (x !== x0) x.dispose();
  };
  if (dim !== undefined && x.shape[1] !== dim) {
    bad();
    throw new ShapeMismatchError(`${fn}: 'x0' must have ${dim} coordinates per state (the field's size); received ${x.shape[1]}`);
  }
  if (!x.dataSync().every(Number.isFinite)) {
    bad();
    throw new NonFiniteError(`${fn}: 'x0' must be finite; received NaN or Infinity`);
  }
  return x;
}
