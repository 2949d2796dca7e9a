import * as tf from '@tensorflow/tfjs';
import { Representation, createRng, relativeDifference, type EquivarianceErrorResult, type Rng } from '@liesym/core';
import { InvalidArgumentError, InvalidRepresentationError, ShapeMismatchError } from './errors.js';
import { modelDims, samplesMatrix } from './discoverSymmetries.js';

/** Options of {@link equivarianceError}. */
export interface ModelEquivarianceOptions {
  repIn: Representation;
  repOut: Representation;
  /** A number of standard-normal inputs (default 16) or explicit inputs [S, repIn.dim]. */
  samples?: number | tf.Tensor2D | number[][];
  /** A seeded generator or a seed (default 0). */
  rng?: Rng | number;
}

/**
 * The relative equivariance error of a tfjs model, as core's `equivarianceError`:
 * max and mean over samples of ‖F(ρ_in(g)x) − ρ_out(g)F(x)‖ / max(‖F(ρ_in(g)x)‖, ‖ρ_out(g)F(x)‖),
 * one sampled g per input (continuous and discrete generators), evaluated in one batch.
 * The model runs in float32, so expect ≈1e-6 for an exactly equivariant model.
 * @throws InvalidRepresentationError when the representations do not fit the model or each other
 * @example
 * equivarianceError(model, { repIn: V(SO(3)), repOut: Scalar }).max; // < 1e-5
 */
export function equivarianceError(model: tf.LayersModel, options: ModelEquivarianceOptions): EquivarianceErrorResult {
  const fn = 'equivarianceError';
  const [n, m] = modelDims(fn, model);
  const { repIn, repOut } = options ?? ({} as ModelEquivarianceOptions);
  if (!(repIn instanceof Representation) || !(repOut instanceof Representation)) {
    throw new InvalidArgumentError(`${fn}: 'repIn' and 'repOut' must be Representations; received ${String(repIn)} and ${String(repOut)}`);
  }
  if (repIn.dim !== n || repOut.dim !== m) {
    throw new ShapeMismatchError(`${fn}: the model maps R^${n} → R^${m}, but the representations have dims ${repIn.dim} → ${repOut.dim}`);
  }
  const group = repIn.group ?? repOut.group;
  if (!group) throw new InvalidRepresentationError(`${fn}: at least one representation must belong to a group; received two Scalars`);
  if (repIn.group && repOut.group && repIn.group.key !== repOut.group.key) {
    throw new InvalidRepresentationError(`${fn}: 'repIn' and 'repOut' must be of the same group; received ${repIn.group.name} and ${repOut.group.name}`);
  }
  const rng = typeof options.rng === 'object' ? options.rng : createRng(options.rng ?? 0);
  const s = options.samples ?? 16;
  let xs: number[][];
  if (typeof s === 'number') {
    if (!Number.isInteger(s) || s < 1) throw new InvalidArgumentError(`${fn}: 'samples' must be an integer ≥ 1 or a matrix; received ${String(s)}`);
    xs = Array.from({ length: s }, () => Array.from({ length: n }, () => rng.normal()));
  } else {
    const mat = samplesMatrix(fn, s, n);
    xs = mat.toArray();
  }
  const gs = xs.map(() => group.sample(rng));
  const moved = xs.map((x, k) => Array.from(repIn.rhoOf(gs[k]!).matvec(Float64Array.from(x))));
  const [fx, fgx] = tf.tidy(() => [
    (model.predict(tf.tensor2d(xs)) as tf.Tensor).dataSync(),
    (model.predict(tf.tensor2d(moved)) as tf.Tensor).dataSync(),
  ]);
  let max = 0;
  let sum = 0;
  xs.forEach((_, k) => {
    const a = fgx!.subarray(k * m, (k + 1) * m);
    const b = repOut.rhoOf(gs[k]!).matvec(Float64Array.from(fx!.subarray(k * m, (k + 1) * m)));
    const rel = relativeDifference(a, b);
    max = Math.max(max, rel);
    sum += rel;
  });
  return { max, mean: sum / xs.length };
}
