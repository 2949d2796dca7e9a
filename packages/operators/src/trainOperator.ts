import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, ShapeMismatchError, createRng } from '@liesym/core';
import type { OperatorPenalty } from './operatorPenalty.js';

/** Options of {@link trainOperator}. */
export interface TrainOperatorOptions {
  /** Inputs [N, …grid, c_in]. */
  inputs: tf.Tensor;
  /** Targets [N, …grid, c_out]. */
  targets: tf.Tensor;
  /** Epochs (default 100). */
  epochs?: number;
  /** Minibatch size (default 16). */
  batchSize?: number;
  /** Adam learning rate at the start (default 3e-3). */
  learningRate?: number;
  /** Learning rate at the last epoch (default `learningRate`); it decays geometrically per epoch in between, which settles the last iterate off an Adam oscillation. */
  finalLearningRate?: number;
  /** Seed of the shuffling (default 0). */
  seed?: number;
  /** A promote penalty added to every step's loss (see {@link operatorSymmetryPenalty}). */
  penalty?: OperatorPenalty;
  /**
   * Before the first step, rescale the model's last layer (all its weights, which must act
   * linearly: a Dense or SpectralConv without activation) so its prediction on `inputs` has the
   * targets' root-mean-square (default false). A freshly initialized FNO's output is not
   * matched to the operator's gain: on the bench's screened Poisson problem it starts 10–14 ×
   * too large (relative error 100–190), and how fast Adam undoes that depends on the seed.
   */
  calibrateOutput?: boolean;
}

/** Diagnostics of {@link trainOperator}. */
export interface TrainOperatorResult {
  /** Mean over minibatches of Σ‖N(u) − y‖² / Σ‖y‖² per epoch (without the penalty). */
  losses: number[];
  /** Penalty value at the last step of each epoch (empty without a penalty). */
  penalties: number[];
}

/**
 * A custom Adam loop for field operators: minimizes the relative squared error of each
 * minibatch Σ‖N(u) − y‖² / Σ‖y‖², plus `penalty(N)` when given (promote). Use `model.fit`
 * instead when no penalty is needed; both train the same models.
 * @throws ShapeMismatchError when inputs and targets disagree; InvalidArgumentError
 */
export function trainOperator(model: tf.LayersModel, options: TrainOperatorOptions): TrainOperatorResult {
  const fn = 'trainOperator';
  const { inputs, targets } = options;
  const paired = inputs instanceof tf.Tensor && targets instanceof tf.Tensor && inputs.shape[0] === targets.shape[0];
  if (!paired) throw new ShapeMismatchError(`${fn}: 'inputs' and 'targets' must be tensors with the same first dimension; received ${String(inputs?.shape)} and ${String(targets?.shape)}`);
  const { epochs = 100, batchSize: bs = 16, learningRate: lr0 = 3e-3, seed = 0 } = options;
  if (!(Number.isInteger(epochs) && epochs >= 1)) throw new InvalidArgumentError(`${fn}: 'epochs' must be an integer ≥ 1; received ${epochs}`);
  if (!(Number.isInteger(bs) && bs >= 1)) throw new InvalidArgumentError(`${fn}: 'batchSize' must be an integer ≥ 1; received ${bs}`);
  const lr1 = options.finalLearningRate ?? lr0;
  if (!(lr0 > 0 && lr1 > 0)) throw new InvalidArgumentError(`${fn}: learning rates must be > 0; received ${lr0} and ${lr1}`);
  if (options.calibrateOutput) calibrateOutput(model, inputs, targets);
  // AdamOptimizer reads its (protected) learningRate at every step.
  const opt = tf.train.adam(lr0) as unknown as tf.AdamOptimizer & { learningRate: number };
  const rng = createRng(seed);
  const n = inputs.shape[0]!;
  const losses: number[] = [];
  const penalties: number[] = [];
  const apply = (x: tf.Tensor): tf.Tensor => model.apply(x, { training: true }) as tf.Tensor;
  for (let e = 0; e < epochs; e++) {
    opt.learningRate = epochs > 1 ? lr0 * (lr1 / lr0) ** (e / (epochs - 1)) : lr0;
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let total = 0;
    let last = 0;
    for (let b = 0; b < n; b += bs) {
      const batch = order.slice(b, b + bs);
      const idx = tf.tensor1d(batch, 'int32');
      const [x, y] = [tf.gather(inputs, idx), tf.gather(targets, idx)];
      let pen: tf.Scalar | undefined;
      const cost = opt.minimize(() => {
        const pred = apply(x);
        // Batch-level normalization: a per-sample ratio lets one near-zero target dominate.
        const rel = tf.div(tf.sum(tf.square(tf.sub(pred, y))), tf.add(tf.sum(tf.square(y)), 1e-12)) as tf.Scalar;
        if (!options.penalty) return rel;
        pen = tf.keep(options.penalty(apply));
        return tf.add(rel, pen) as tf.Scalar;
      }, true)!;
      const c = cost.dataSync()[0]!;
      last = pen ? pen.dataSync()[0]! : 0;
      total += (c - last) * batch.length;
      tf.dispose([cost, idx, x, y, ...(pen ? [pen] : [])]);
    }
    losses.push(total / n);
    if (options.penalty) penalties.push(last);
  }
  opt.dispose();
  return { losses, penalties };
}

/** Scales the last layer's weights so the model's prediction on `inputs` has the RMS of `targets`. */
function calibrateOutput(model: tf.LayersModel, inputs: tf.Tensor, targets: tf.Tensor): void {
  const fn = 'trainOperator';
  const last = model.layers[model.layers.length - 1];
  const activation = (last?.getConfig() as { activation?: unknown } | undefined)?.activation;
  const weights = last?.getWeights() ?? [];
  if (last === undefined || weights.length === 0 || (activation !== undefined && activation !== 'linear')) {
    throw new InvalidArgumentError(
      `${fn}: 'calibrateOutput' needs a last layer with weights and no activation (its output linear in them); received ${last === undefined ? 'a model without layers' : `${last.getClassName()} with ${weights.length} weights and activation ${JSON.stringify(activation)}`}`,
    );
  }
  const [predRms, targetRms] = tf.tidy(() => {
    const rms = (t: tf.Tensor) => tf.sqrt(tf.mean(tf.square(t))).dataSync()[0]!;
    return [rms(model.predict(inputs) as tf.Tensor), rms(targets)];
  });
  if (!(predRms > 0 && Number.isFinite(predRms) && targetRms > 0 && Number.isFinite(targetRms))) {
    throw new InvalidArgumentError(`${fn}: 'calibrateOutput' needs a nonzero finite prediction and target; received RMS ${predRms} and ${targetRms}`);
  }
  const c = targetRms / predRms;
  const scaled = weights.map((w) => tf.mul(w, c));
  last.setWeights(scaled);
  tf.dispose(scaled);
}
