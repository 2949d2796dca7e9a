import * as tf from '@tensorflow/tfjs';
import { EmptyInputError, InvalidArgumentError, Matrix, ShapeMismatchError, UnsupportedModelError, describe, toMatrix, type Evaluator } from '@liesym/core';

/** Options of {@link modelEvaluator}. */
export interface ModelEvaluatorOptions {
  /** Points per `predict` / `tf.grad` call (default 128). */
  batchSize?: number;
  /** The caller's name in error messages (default 'modelEvaluator'). */
  fn?: string;
}

/** The sizes n → m of a model with one input [batch, n] and one output [batch, m]. @throws UnsupportedModelError otherwise */
export function modelDims(fn: string, model: tf.LayersModel): { dimIn: number; dimOut: number } {
  if (!(model instanceof tf.LayersModel)) throw new UnsupportedModelError(`${fn}: 'model' must be a tf.LayersModel; received ${describe(model)}`);
  const i = model.inputs[0]?.shape ?? [];
  const o = model.outputs[0]?.shape ?? [];
  if (model.inputs.length !== 1 || model.outputs.length !== 1 || i.length !== 2 || o.length !== 2) {
    throw new UnsupportedModelError(`${fn}: the model must have one input [batch, n] and one output [batch, m]; received ${JSON.stringify(i)} → ${JSON.stringify(o)}`);
  }
  return { dimIn: i[1]!, dimOut: o[1]! };
}

/**
 * The per-sample shapes of a model with one input [batch, …shape] and one output [batch, …shape]
 * (images [batch, H, W, C] as well as vectors), every dim but the batch fixed; `dimIn`/`dimOut`
 * are their products (the flattened, row-major sizes core sees).
 * @throws UnsupportedModelError otherwise
 */
export function modelShapes(fn: string, model: tf.LayersModel): { inputShape: number[]; outputShape: number[]; dimIn: number; dimOut: number } {
  if (!(model instanceof tf.LayersModel)) throw new UnsupportedModelError(`${fn}: 'model' must be a tf.LayersModel; received ${describe(model)}`);
  const i = model.inputs[0]?.shape ?? [];
  const o = model.outputs[0]?.shape ?? [];
  const fixed = (s: ReadonlyArray<number | null>): boolean => s.length >= 2 && s.slice(1).every((d) => typeof d === 'number' && d > 0);
  if (model.inputs.length !== 1 || model.outputs.length !== 1 || !fixed(i) || !fixed(o)) {
    throw new UnsupportedModelError(`${fn}: the model must have one input [batch, …] and one output [batch, …] with fixed sizes after the batch; received ${JSON.stringify(i)} → ${JSON.stringify(o)}`);
  }
  const inputShape = i.slice(1) as number[];
  const outputShape = o.slice(1) as number[];
  const size = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
  return { inputShape, outputShape, dimIn: size(inputShape), dimOut: size(outputShape) };
}

/**
 * Samples (a tensor [S, n] or rows) as a validated Float64 matrix; `options.arg` names the
 * argument in errors (default 'xs').
 * @throws ShapeMismatchError, EmptyInputError, NonFiniteError, InvalidArgumentError
 */
export function samplesMatrix(fn: string, xs: unknown, options: { dimIn: number; arg?: string }): Matrix {
  const { arg = 'xs', dimIn: n } = options;
  if (xs instanceof tf.Tensor && xs.rank !== 2) throw new ShapeMismatchError(`${fn}: '${arg}' must be 2-D [S, ${n}]; received shape [${xs.shape.join(', ')}]`);
  const X = xs instanceof tf.Tensor ? toMatrix(new Matrix(xs.shape[0]!, xs.shape[1]!, Float64Array.from(xs.dataSync())), fn, arg) : toMatrix(xs, fn, arg);
  if (X.rows === 0) throw new EmptyInputError(`${fn}: '${arg}' must hold at least one sample; received none`);
  if (X.cols !== n) throw new ShapeMismatchError(`${fn}: every sample in '${arg}' must have ${n} coordinates (the model's input size); received ${X.cols}`);
  return X;
}

/**
 * A tfjs LayersModel as core's {@link Evaluator}, the one thing core's engine needs from
 * it: values by batched `predict`, and exact Jacobians by one `tf.grad` per batch (each
 * input tiled m times, differentiating Σ F(X̃) ⊙ I: row (s, i) of the gradient is ∂Fᵢ/∂x at
 * x_s). Inputs and outputs of any rank ([batch, H, W, C] images too) are flattened row-major
 * per sample: n and m are the products of their per-sample shapes. Points cross the boundary as float32 and come back as float64 (`dtype: 'float32'`,
 * which sets core's default tolerances). Pass it to core's `discoverSymmetries`,
 * `checkSymmetry` or `equivarianceError`.
 * @throws UnsupportedModelError for models without one input [batch, …] and one output [batch, …] of fixed sizes;
 *   InvalidArgumentError for a bad batch size
 * @example
 * const r = checkSymmetry(modelEvaluator(model), xs, { repIn: V(SO(3)), repOut: Scalar });
 */
export function modelEvaluator(model: tf.LayersModel, options: ModelEvaluatorOptions = {}): Evaluator {
  const fn = options.fn ?? 'modelEvaluator';
  const { dimIn: n, dimOut: m, inputShape } = modelShapes(fn, model);
  const batchSize = options.batchSize ?? 128;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(`${fn}: 'batchSize' must be an integer ≥ 1; received ${describe(batchSize)}`);
  const batched = (points: Float64Array, per: number, f: (x: tf.Tensor2D, b: number) => tf.Tensor): Float64Array => {
    const count = points.length / n;
    const out = new Float64Array(count * per);
    for (let s0 = 0; s0 < count; s0 += batchSize) {
      const b = Math.min(batchSize, count - s0);
      tf.tidy(() => out.set(f(tf.tensor2d(Float32Array.from(points.subarray(s0 * n, (s0 + b) * n)), [b, n]), b).dataSync(), s0 * per));
    }
    return out;
  };
  return {
    dimIn: n,
    dimOut: m,
    dtype: 'float32',
    evaluate: (points) => batched(points, m, (x, b) => model.predict(tf.reshape(x, [b, ...inputShape])) as tf.Tensor),
    jacobians: (points) =>
      batched(points, m * n, (x, b) => {
        const tiled = tf.reshape(tf.tile(tf.expandDims(x, 1), [1, m, 1]), [b * m, n]);
        const eye = tf.tile(tf.eye(m), [b, 1]);
        const f = (t: tf.Tensor): tf.Tensor => tf.reshape(model.apply(tf.reshape(t, [b * m, ...inputShape])) as tf.Tensor, [b * m, m]);
        return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), eye)))(tiled);
      }),
  };
}
