import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, Matrix, NonFiniteError, ShapeMismatchError, createRng, describe, errorMessage } from '@liesym/core';
import { fieldFunction, rk4, stepOptions, type VectorField } from './integrateRK4.js';

/** Observed trajectories [n, T + 1, d]: a tensor, nested rows, or core matrices (one (T + 1) × d per trajectory, e.g. core's `doubleSpringPendulumTrajectories`). */
export type Trajectories = tf.Tensor3D | number[][][] | readonly Matrix[];

/** A penalty added to the trajectory loss: {@link functionSymmetryPenalty}, {@link modelSymmetryPenalty}, or anything with `loss()`. */
export interface TrajectoryPenalty {
  /** γ·R as a scalar tensor, differentiable with respect to the model's weights. */
  loss(): tf.Scalar;
}

/** Options of {@link neuralODELoss}. */
export interface NeuralODELossOptions {
  /** Time between observations (finite, > 0). */
  dt: number;
  /** RK4 steps per observation interval (integer ≥ 1, default 1). */
  substeps?: number;
}

/** Options of {@link trainNeuralODE}. */
export interface TrainNeuralODEOptions extends NeuralODELossOptions {
  /** Passes over the trajectories (integer ≥ 1, default 100). */
  epochs?: number;
  /** Trajectories per optimizer step (integer ≥ 1, default: all of them). */
  batchSize?: number;
  /** Adam's learning rate when no `optimizer` is given (default 1e-3). */
  learningRate?: number;
  /** The optimizer (default `tf.train.adam(learningRate)`); not disposed. */
  optimizer?: tf.Optimizer;
  /** Penalties added to every step's loss (default none); the model's own losses (kernel regularizers, `penalty.addTo(model)`) are always added, as `model.fit` does. */
  penalty?: TrajectoryPenalty | readonly TrajectoryPenalty[];
  /** Seed of the shuffling of trajectories into batches (default 0). */
  seed?: number;
  /** Called after every epoch with its mean losses. */
  onEpochEnd?: (epoch: number, logs: { loss: number; trajectoryLoss: number; penalty: number }) => void;
}

/** What {@link trainNeuralODE} measured: one entry per epoch, each the mean over its steps. */
export interface NeuralODEHistory {
  /** trajectoryLoss + penalty. */
  loss: number[];
  /** The mean squared error of the predicted points. */
  trajectoryLoss: number[];
  /** The penalties' and the model's own losses. */
  penalty: number[];
}

/** Observed trajectories as a float32 tensor [n, T + 1, d] (a new tensor, or the caller's), validated. */
function trajectoryTensor(fn: string, trajectories: unknown, dim: number | undefined): tf.Tensor3D {
  let t: tf.Tensor3D;
  const bad = (expected: string, received: unknown) => new ShapeMismatchError(errorMessage(fn, 'trajectories', { expected, received }));
  if (trajectories instanceof tf.Tensor) {
    if (trajectories.rank !== 3) throw bad('a 3-D tensor [n, T + 1, d]', `shape [${trajectories.shape.join(', ')}]`);
    t = trajectories as tf.Tensor3D;
  } else if (Array.isArray(trajectories) && trajectories.length > 0 && trajectories.every((m) => m instanceof Matrix)) {
    const ms = trajectories as Matrix[];
    const [r, c] = [ms[0]!.rows, ms[0]!.cols];
    const odd = ms.findIndex((m) => m.rows !== r || m.cols !== c);
    if (odd >= 0) throw bad(`matrices of one shape (${r}×${c}, the first one's)`, ms[odd]);
    const data = new Float32Array(ms.length * r * c);
    ms.forEach((m, i) => data.set(m.data, i * r * c));
    t = tf.tensor3d(data, [ms.length, r, c]);
  } else if (Array.isArray(trajectories) && trajectories.length > 0) {
    const first = trajectories[0] as unknown;
    const shape = [trajectories.length, Array.isArray(first) ? first.length : -1, Array.isArray(first) && Array.isArray(first[0]) ? (first[0] as unknown[]).length : -1];
    const ok = (trajectories as unknown[]).every((tr) => Array.isArray(tr) && tr.length === shape[1] && tr.every((x) => Array.isArray(x) && x.length === shape[2]));
    if (!ok || shape[2]! < 1) throw bad('a [n, T + 1, d] tensor, nested rows of one shape, or core matrices', trajectories);
    t = tf.tensor3d(trajectories as number[][][]);
  } else {
    throw bad('a [n, T + 1, d] tensor, nested rows of one shape, or core matrices', trajectories);
  }
  const fail = (e: Error): never => {
    if (t !== trajectories) t.dispose();
    throw e;
  };
  if (t.shape[0] === 0) fail(bad('at least one trajectory', 'none'));
  if (t.shape[1] < 2) fail(bad('at least 2 states per trajectory (an initial state and an observation)', `${t.shape[1]}`));
  if (dim !== undefined && t.shape[2] !== dim) fail(new ShapeMismatchError(`${fn}: the states in 'trajectories' must have ${dim} coordinates (the field's size); received ${t.shape[2]}`));
  if (!t.dataSync().every(Number.isFinite)) fail(new NonFiniteError(`${fn}: 'trajectories' must be finite; received NaN or Infinity`));
  return t;
}

/** The mean squared error of the RK4-predicted points 1…T of each trajectory from its point 0 (no validation). */
function trajectoryMSE(call: (x: tf.Tensor2D) => tf.Tensor2D, traj: tf.Tensor3D, step: { dt: number; substeps: number }): tf.Scalar {
  return tf.tidy(() => {
    const [n, t1, d] = traj.shape;
    const observed = tf.transpose(traj, [1, 0, 2]); // [T + 1, n, d]
    const x0 = tf.reshape(tf.slice(observed, [0, 0, 0], [1, n, d]), [n, d]) as tf.Tensor2D;
    const predicted = rk4(call, x0, { ...step, steps: t1 - 1 });
    const diff = tf.sub(tf.slice(predicted, [1, 0, 0], [t1 - 1, n, d]), tf.slice(observed, [1, 0, 0], [t1 - 1, n, d]));
    return tf.mean(tf.square(diff)) as tf.Scalar;
  });
}

/**
 * The neural-ODE trajectory loss: from the first state x₀ of each observed trajectory,
 * integrate ẋ = f(x) by RK4 ({@link integrateRK4}) to the observation times k·dt and take the
 * mean squared error over the predicted points k = 1…T (all trajectories, all coordinates).
 * Differentiable with respect to the model's weights (float32).
 *
 * @param field a tfjs model [batch, d] → [batch, d] or a function of a [batch, d] tensor
 * @param trajectories observed trajectories [n, T + 1, d] (tensor, nested rows or core matrices; a tensor is not disposed)
 * @returns the loss as a scalar tensor (the caller disposes it)
 * @throws InvalidArgumentError for bad options; ShapeMismatchError for trajectories that are not
 *   [n, T + 1 ≥ 2, d] with d the field's size; NonFiniteError for NaN/Infinity
 * @example
 * const testMSE = neuralODELoss(model, testTrajectories, { dt: 0.2, substeps: 4 }).dataSync()[0];
 */
export function neuralODELoss(field: VectorField, trajectories: Trajectories, options: NeuralODELossOptions): tf.Scalar {
  const fn = 'neuralODELoss';
  const { dt, substeps } = stepOptions(fn, { steps: 1, ...options });
  const { call, dim } = fieldFunction(fn, field);
  const t = trajectoryTensor(fn, trajectories, dim);
  try {
    return trajectoryMSE(call, t, { dt, substeps });
  } finally {
    if (t !== trajectories) t.dispose();
  }
}

function positiveInteger(fn: string, arg: string, value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 1) throw new InvalidArgumentError(errorMessage(fn, arg, { expected: 'an integer ≥ 1', received: value }));
  return value as number;
}

/**
 * Trains a neural ODE ẋ = f_θ(x) (a tfjs model [batch, d] → [batch, d]) on observed
 * trajectories: each step minimizes {@link neuralODELoss} on a batch of trajectories plus the
 * penalties (e.g. a {@link functionSymmetryPenalty} over a candidate algebra, γ‖D_f‖_* of the
 * field's Lie derivatives L_ξ f = Df·A x − A f at sample points, which promotes symmetry) and
 * the model's own losses, with Adam (or the given optimizer) over the model's trainable
 * weights. Batches are a seeded shuffle of the trajectories at every epoch.
 *
 * @returns the per-epoch mean losses
 * @throws InvalidArgumentError for bad options or penalties; ShapeMismatchError, NonFiniteError
 *   for bad trajectories; UnsupportedModelError for a model that is not d → d
 * @example
 * const penalty = functionSymmetryPenalty(model, { samples: states, batchSize: 64, candidate: so3OnFourVectors, weight: 1e-3 });
 * const history = await trainNeuralODE(model, trajectories, { dt: 0.2, substeps: 2, epochs: 200, learningRate: 3e-3, penalty });
 */
export async function trainNeuralODE(model: tf.LayersModel, trajectories: Trajectories, options: TrainNeuralODEOptions): Promise<NeuralODEHistory> {
  const fn = 'trainNeuralODE';
  const { dt, substeps } = stepOptions(fn, { steps: 1, ...options });
  if (!(model instanceof tf.LayersModel)) throw new InvalidArgumentError(errorMessage(fn, 'model', { expected: 'a tf.LayersModel (its trainable weights are trained)', received: model }));
  const { call, dim } = fieldFunction(fn, model);
  const epochs = positiveInteger(fn, 'epochs', options.epochs ?? 100);
  const learningRate = options.learningRate ?? 1e-3;
  if (typeof learningRate !== 'number' || !Number.isFinite(learningRate) || learningRate <= 0) throw new InvalidArgumentError(errorMessage(fn, 'learningRate', { expected: 'a finite number > 0', received: learningRate }));
  if (options.optimizer !== undefined && !(options.optimizer instanceof tf.Optimizer)) throw new InvalidArgumentError(errorMessage(fn, 'optimizer', { expected: 'a tf.Optimizer', received: options.optimizer }));
  const penalties: readonly TrajectoryPenalty[] = options.penalty === undefined ? [] : Array.isArray(options.penalty) ? options.penalty : [options.penalty as TrajectoryPenalty];
  penalties.forEach((p, i) => {
    if (typeof p?.loss !== 'function') throw new InvalidArgumentError(errorMessage(fn, Array.isArray(options.penalty) ? `penalty[${i}]` : 'penalty', { expected: 'an object with loss(): tf.Scalar', received: p }));
  });
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  if (vars.length === 0) throw new InvalidArgumentError(`${fn}: 'model' has no trainable weights; received ${describe(model)}`);
  const data = trajectoryTensor(fn, trajectories, dim);
  const n = data.shape[0];
  const batchSize = Math.min(n, positiveInteger(fn, 'batchSize', options.batchSize ?? n));
  const optimizer = options.optimizer ?? tf.train.adam(learningRate);
  const rng = createRng(options.seed ?? 0);
  const history: NeuralODEHistory = { loss: [], trajectoryLoss: [], penalty: [] };
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      const order = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      let [sumMSE, sumPenalty, batches] = [0, 0, 0];
      for (let b0 = 0; b0 < n; b0 += batchSize) {
        const idx = tf.tensor1d(order.slice(b0, b0 + batchSize), 'int32');
        const batch = tf.gather(data, idx) as tf.Tensor3D;
        let mse = 0;
        let pen = 0;
        const total = optimizer.minimize(
          () => {
            const m = trajectoryMSE(call, batch, { dt, substeps });
            const extra = [...penalties.map((p) => p.loss()), ...model.calculateLosses()];
            const p = extra.length > 0 ? tf.addN(extra) : tf.scalar(0);
            mse = m.dataSync()[0]!;
            pen = p.dataSync()[0]!;
            return tf.add(m, p) as tf.Scalar;
          },
          true,
          vars,
        );
        total?.dispose();
        idx.dispose();
        batch.dispose();
        sumMSE += mse;
        sumPenalty += pen;
        batches++;
      }
      const logs = { loss: (sumMSE + sumPenalty) / batches, trajectoryLoss: sumMSE / batches, penalty: sumPenalty / batches };
      history.loss.push(logs.loss);
      history.trajectoryLoss.push(logs.trajectoryLoss);
      history.penalty.push(logs.penalty);
      options.onEpochEnd?.(epoch, logs);
      await tf.nextFrame();
    }
  } finally {
    if (data !== trajectories) data.dispose();
    if (options.optimizer === undefined) optimizer.dispose();
  }
  return history;
}
