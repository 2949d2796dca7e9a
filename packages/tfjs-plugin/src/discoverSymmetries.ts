import type * as tf from '@tensorflow/tfjs';
import { discoverSymmetries as discover, type DiscoverOptions, type DiscoveryResult } from '@liesym/core';
import { modelEvaluator, samplesMatrix } from './modelEvaluator.js';

/**
 * Options of {@link discoverSymmetries}: core's `DiscoverOptions` (`candidate`, `rtol`, `atol`,
 * `weights`, `derivative`, `step`, `richardson`), plus the batch size of the tfjs calls.
 */
export interface DiscoverModelOptions extends Omit<DiscoverOptions, 'jacobian' | 'dtype'> {
  /** Samples per `predict` / `tf.grad` call (default 128). */
  batchSize?: number;
}

/**
 * Discovers the symmetries of a tfjs model F inside a candidate Lie algebra, with core's
 * engine: the nullspace of the discover matrix D_F (rows (sample, output) scaled by √w_s,
 * one column per orthonormal candidate ξ, entries L_ξF(x_s) = DF(x_s)·ξ_M(x_s) − τ_ξ·F(x_s)),
 * with core's `DiscoveryResult`: dimension, all singular values (ascending), generators, the
 * threshold and gap of the decision, closure residual, the algebra's name (`identification`)
 * and whether the samples determine it (`determined`). The model is evaluated through
 * {@link modelEvaluator} (exact float32 Jacobians by `tf.grad`), so the default `rtol` is
 * core's `TOLERANCES.rank` entry for exact float32 derivatives (1e-3).
 *
 * @throws UnsupportedModelError for models that are not [batch, n] → [batch, m];
 *   InsufficientDataError when samples × outputs < the number of candidates;
 *   EmptyInputError, ShapeMismatchError, NonFiniteError for bad samples; InvalidArgumentError for bad options
 * @example
 * const r = discoverSymmetries(model, xs, { candidate: 'gl-input' });
 * r.dimension; // 3 for a rotation-invariant model on R³; r.identification === 'so(3)'
 */
export function discoverSymmetries(model: tf.LayersModel, xs: tf.Tensor | number[][], options: DiscoverModelOptions): DiscoveryResult {
  const fn = 'discoverSymmetries';
  const ev = modelEvaluator(model, { fn, ...(options?.batchSize !== undefined ? { batchSize: options.batchSize } : {}) });
  return discover(ev, samplesMatrix(fn, xs, { dimIn: ev.dimIn }), options);
}
