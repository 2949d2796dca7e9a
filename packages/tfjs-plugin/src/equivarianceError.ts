import * as tf from '@tensorflow/tfjs';
import { Representation, ShapeMismatchError, equivarianceError as coreEquivarianceError, type EquivarianceErrorResult, type Rng } from '@liesym/core';
import { modelEvaluator, samplesMatrix } from './modelEvaluator.js';

/** Options of {@link equivarianceError}. */
export interface ModelEquivarianceOptions {
  repIn: Representation;
  repOut: Representation;
  /** A number of standard-normal inputs (default 16) or explicit inputs [S, repIn.dim]. */
  samples?: number | tf.Tensor2D | number[][];
  /** A seeded generator or a seed (default 0). */
  rng?: Rng | number;
  /** Points per `predict` call (default 128). */
  batchSize?: number;
}

/**
 * The relative equivariance error of a tfjs model, by core's `equivarianceError` through
 * {@link modelEvaluator}: max and mean over samples of
 * ‖F(ρ_in(g)x) − ρ_out(g)F(x)‖ / max(‖F(ρ_in(g)x)‖, ‖ρ_out(g)F(x)‖), one sampled g per input
 * (continuous and discrete generators), in batched evaluations. The model runs in float32,
 * so expect ≈1e-6 for an exactly equivariant model.
 * @throws ShapeMismatchError when the representations do not fit the model;
 *   InvalidRepresentationError when they do not fit each other
 * @example
 * equivarianceError(model, { repIn: V(SO(3)), repOut: Scalar }).max; // < 1e-5
 */
export function equivarianceError(model: tf.LayersModel, options: ModelEquivarianceOptions): EquivarianceErrorResult {
  const fn = 'equivarianceError';
  const ev = modelEvaluator(model, { fn, ...(options?.batchSize !== undefined ? { batchSize: options.batchSize } : {}) });
  const { repIn, repOut, samples, rng } = options ?? ({} as ModelEquivarianceOptions);
  if (repIn instanceof Representation && repOut instanceof Representation && (repIn.dim !== ev.dimIn || repOut.dim !== ev.dimOut)) {
    throw new ShapeMismatchError(`${fn}: the model maps R^${ev.dimIn} → R^${ev.dimOut}, but the representations have dims ${repIn.dim} → ${repOut.dim}`);
  }
  const xs = samples instanceof tf.Tensor ? samplesMatrix(fn, samples, { dimIn: ev.dimIn, arg: 'samples' }) : samples;
  return coreEquivarianceError(ev, { repIn, repOut, ...(xs !== undefined ? { samples: xs } : {}), ...(rng !== undefined ? { rng } : {}) });
}
