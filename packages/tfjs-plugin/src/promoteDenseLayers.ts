import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, Matrix, NonFiniteError, Representation, ShapeMismatchError, describe, toMatrix, type Candidate } from '@liesym/core';
import { symmetryRegularizer } from './SymmetryRegularizer.js';

/** The elementwise activations of a dense chain {@link promoteDenseLayers} can train. */
export type DenseActivation = 'relu' | 'tanh' | 'sigmoid' | 'linear' | 'leaky-relu';

/** One dense layer y = σ(W·x + b) with W dimOut×dimIn (the framework-free form; tfjs kernels are Wᵀ). */
export interface DenseLayerWeights {
  W: Matrix;
  b?: ArrayLike<number> | undefined;
  activation: DenseActivation;
}

/** Options of {@link promoteDenseLayers}. */
export interface PromoteDenseOptions {
  /** Training inputs, S×dimIn. */
  x: Matrix | ReadonlyArray<ArrayLike<number>>;
  /** Training targets, S×dimOut. */
  y: Matrix | ReadonlyArray<ArrayLike<number>>;
  /**
   * One representation per layer boundary (layers.length + 1): layer k's penalty is
   * γ·‖D_W‖_* over the generators dρ(ξ) of Hom(reps[k], reps[k+1]).
   */
  reps?: readonly Representation[];
  /** Or a candidate algebra for every layer ('gl-input', 'gl-lift', 'gl-input-output' or pairs). */
  candidate?: Candidate;
  /** @deprecated Use `candidate` (same meaning); removed in 0.3. */
  generators?: Candidate;
  /** Indices of the layers to penalize (default: all). */
  layers?: readonly number[];
  /** γ, the penalty weight (default 0.01). */
  weight?: number;
  /** Training epochs (default 50). */
  epochs?: number;
  /** Adam learning rate (default 0.01). */
  learningRate?: number;
  /** Mini-batch size (default 32). */
  batchSize?: number;
  /** Slope of 'leaky-relu' for negative inputs (default 0.01, brain.js's). */
  leakyReluAlpha?: number;
  /** Called after every epoch with its number (from 1) and loss (for progress). Default: none. */
  onEpoch?: (epoch: number, loss: number) => void;
}

/** What {@link promoteDenseLayers} returns: the tuned layers (W dimOut×dimIn, float32 values as float64) and the loss per epoch. */
export interface PromoteDenseResult {
  layers: Array<{ W: Matrix; b: Float64Array | undefined }>;
  /** Training loss per epoch (data loss + penalties). */
  loss: number[];
}

const ACTIVATIONS = new Set<DenseActivation>(['relu', 'tanh', 'sigmoid', 'linear', 'leaky-relu']);

function positive(fn: string, arg: string, options: { value: number | undefined; fallback: number; integer?: boolean; min?: number }): number {
  const v = options.value ?? options.fallback;
  const min = options.min ?? 0;
  const ok = typeof v === 'number' && Number.isFinite(v) && v >= min && (!options.integer || Number.isInteger(v));
  if (!ok) throw new InvalidArgumentError(`${fn}: '${arg}' must be ${options.integer ? 'an integer' : 'a finite number'} ≥ ${min}; received ${describe(v)}`);
  return v;
}

/**
 * Promote for any dense chain, framework-free in and out: builds a tfjs model of the layers
 * (y = σ(W·x + b) each, σ relu, tanh, sigmoid, leaky-relu or linear), fine-tunes it on (x, y)
 * with {@link symmetryRegularizer} on each penalized kernel — γ·‖D_W‖_*, the nuclear norm of
 * the Lie derivative over the given representations or candidate — and returns the tuned
 * weights. The bridges (`promoteOnnxModel` in '@liesym/tfjs/onnx', the CLI's brain.js and
 * tfjs promote) read a model's layers, call this and write the weights back. Weights cross
 * into tfjs as float32.
 * @throws ShapeMismatchError for layers that do not chain or data/reps that do not fit;
 *   NonFiniteError for NaN weights or data; InvalidArgumentError for bad options
 * @example
 * const r = await promoteDenseLayers([{ W, b, activation: 'linear' }], { x, y, reps: [V(SO(3)), V(SO(3))], weight: 0.05 });
 * r.layers[0].W; // closer to a multiple of I
 */
export async function promoteDenseLayers(layers: readonly DenseLayerWeights[], options: PromoteDenseOptions): Promise<PromoteDenseResult> {
  const fn = 'promoteDenseLayers';
  if (!Array.isArray(layers) || layers.length === 0) throw new InvalidArgumentError(`${fn}: 'layers' must be a non-empty array of { W, b, activation }; received ${describe(layers)}`);
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be an object with x and y; received ${describe(options)}`);
  layers.forEach((l, k) => {
    if (!(l?.W instanceof Matrix)) throw new InvalidArgumentError(`${fn}: 'layers'[${k}].W must be a Matrix; received ${describe(l?.W)}`);
    if (!ACTIVATIONS.has(l.activation)) throw new InvalidArgumentError(`${fn}: 'layers'[${k}].activation must be relu, tanh, sigmoid, leaky-relu or linear; received ${describe(l.activation)}`);
    if (k > 0 && l.W.cols !== layers[k - 1]!.W.rows) throw new ShapeMismatchError(`${fn}: layer ${k} takes ${l.W.cols} inputs but layer ${k - 1} gives ${layers[k - 1]!.W.rows}`);
    if (l.b !== undefined && l.b.length !== l.W.rows) throw new ShapeMismatchError(`${fn}: 'layers'[${k}].b must have ${l.W.rows} entries; received ${l.b.length}`);
    if (!l.W.isFinite() || (l.b !== undefined && !Array.from(l.b).every(Number.isFinite))) throw new NonFiniteError(`${fn}: layer ${k} has NaN or ±Infinity weights`);
  });
  const X = toMatrix(options.x, fn, 'x');
  const Y = toMatrix(options.y, fn, 'y');
  const dimIn = layers[0]!.W.cols;
  const dimOut = layers[layers.length - 1]!.W.rows;
  if (X.cols !== dimIn || Y.cols !== dimOut || X.rows !== Y.rows || X.rows === 0) {
    throw new ShapeMismatchError(`${fn}: 'x' must be S×${dimIn} and 'y' S×${dimOut} with the same S ≥ 1; received ${X.rows}×${X.cols} and ${Y.rows}×${Y.cols}`);
  }
  const reps = options.reps;
  if (reps !== undefined) {
    if (!Array.isArray(reps) || reps.length !== layers.length + 1 || !reps.every((r) => r instanceof Representation)) {
      throw new InvalidArgumentError(`${fn}: 'reps' must hold ${layers.length + 1} Representations (one per layer boundary); received ${describe(reps)}`);
    }
    const dims = [dimIn, ...layers.map((l) => l.W.rows)];
    const k = reps.findIndex((r, i) => r.dim !== dims[i]);
    if (k >= 0) throw new ShapeMismatchError(`${fn}: 'reps'[${k}] must have dim ${dims[k]}; received ${reps[k]!.dim}`);
  }
  const candidate = options.candidate ?? options.generators;
  const weight = positive(fn, 'weight', { value: options.weight, fallback: 0.01 });
  const epochs = positive(fn, 'epochs', { value: options.epochs, fallback: 50, integer: true });
  const learningRate = positive(fn, 'learningRate', { value: options.learningRate, fallback: 0.01 });
  const batchSize = positive(fn, 'batchSize', { value: options.batchSize, fallback: 32, integer: true, min: 1 });
  const alpha = positive(fn, 'leakyReluAlpha', { value: options.leakyReluAlpha, fallback: 0.01 });
  const penalized = new Set(options.layers ?? layers.map((_, k) => k));
  const model = tf.sequential();
  layers.forEach((layer, k) => {
    const reg = !penalized.has(k)
      ? undefined
      : reps
        ? symmetryRegularizer({ repIn: reps[k]!, repOut: reps[k + 1]!, weight })
        : candidate !== undefined
          ? symmetryRegularizer({ candidate, weight })
          : undefined;
    const leaky = layer.activation === 'leaky-relu';
    model.add(
      tf.layers.dense({
        units: layer.W.rows,
        ...(k === 0 ? { inputShape: [layer.W.cols] } : {}),
        activation: leaky ? 'linear' : layer.activation,
        useBias: layer.b !== undefined,
        ...(reg ? { kernelRegularizer: reg } : {}),
      }),
    );
    if (leaky) model.add(tf.layers.leakyReLU({ alpha }));
  });
  const dense = model.layers.filter((l) => l.getClassName() === 'Dense');
  layers.forEach((layer, k) => {
    const kernel = tf.tensor2d(Float32Array.from(layer.W.transpose().data), [layer.W.cols, layer.W.rows]);
    const weights = layer.b !== undefined ? [kernel, tf.tensor1d(Float32Array.from(layer.b))] : [kernel];
    dense[k]!.setWeights(weights);
    tf.dispose(weights);
  });
  const xt = tf.tensor2d(Float32Array.from(X.data), [X.rows, X.cols]);
  const yt = tf.tensor2d(Float32Array.from(Y.data), [Y.rows, Y.cols]);
  try {
    model.compile({ optimizer: tf.train.adam(learningRate), loss: 'meanSquaredError' });
    const onEpoch = options.onEpoch;
    const history = epochs > 0
      ? await model.fit(xt, yt, {
          epochs,
          batchSize,
          shuffle: false,
          verbose: 0,
          ...(onEpoch ? { callbacks: { onEpochEnd: async (epoch: number, logs?: tf.Logs) => onEpoch(epoch + 1, Number(logs?.['loss'] ?? Number.NaN)) } } : {}),
        })
      : { history: { loss: [] as number[] } };
    const loss = (history.history['loss'] ?? []).map(Number);
    if (!loss.every(Number.isFinite)) throw new NonFiniteError(`${fn}: the training loss became ${describe(loss.find((v) => !Number.isFinite(v)))}; lower 'learningRate' or 'weight'`);
    const tuned = layers.map((layer, k) => {
      const [kernel, bias] = dense[k]!.getWeights();
      const W = new Matrix(layer.W.cols, layer.W.rows, Float64Array.from(kernel!.dataSync())).transpose();
      return { W, b: bias ? Float64Array.from(bias.dataSync()) : undefined };
    });
    return { layers: tuned, loss };
  } finally {
    tf.dispose([xt, yt]);
    model.dispose();
  }
}
