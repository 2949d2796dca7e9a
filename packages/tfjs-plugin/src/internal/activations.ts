import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '../errors.js';

/** Activations usable on invariant (scalar) channels. */
export type ScalarActivation = 'linear' | 'relu' | 'tanh' | 'sigmoid' | 'swish' | 'elu' | 'softplus';

const ACTIVATIONS: Record<ScalarActivation, (x: tf.Tensor) => tf.Tensor> = {
  linear: (x) => x,
  relu: (x) => tf.relu(x),
  tanh: (x) => tf.tanh(x),
  sigmoid: (x) => tf.sigmoid(x),
  swish: (x) => tf.mul(x, tf.sigmoid(x)),
  elu: (x) => tf.elu(x),
  softplus: (x) => tf.softplus(x),
};

export function activationFn(fn: string, name: unknown): (x: tf.Tensor) => tf.Tensor {
  if (typeof name !== 'string' || !(name in ACTIVATIONS)) {
    throw new InvalidArgumentError(
      `${fn}: 'activation' must be one of ${Object.keys(ACTIVATIONS).join(', ')}; received ${JSON.stringify(name)}`,
    );
  }
  return ACTIVATIONS[name as ScalarActivation];
}

/** The last axis of a layer's input shape (a shape or a list with one shape). */
export function lastDim(inputShape: tf.Shape | tf.Shape[]): number | null {
  const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
  return s[s.length - 1] ?? null;
}

export function single(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0]! : inputs;
}

/** Applies a 2-D op to the last axis of an input of any rank ≥ 2. */
export function onLastAxis(x: tf.Tensor, outDim: number, f: (x2: tf.Tensor2D) => tf.Tensor2D): tf.Tensor {
  if (x.rank === 2) return f(x as tf.Tensor2D);
  const lead = x.shape.slice(0, -1);
  const y = f(tf.reshape(x, [-1, x.shape[x.rank - 1]!]));
  return tf.reshape(y, [...lead, outDim]);
}
