import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@liesym/core';

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

/**
 * The activation named `name`.
 * @throws InvalidArgumentError for an unknown name, naming `fn`
 */
export function activationFn(fn: string, name: unknown): (x: tf.Tensor) => tf.Tensor {
  if (typeof name !== 'string' || !(name in ACTIVATIONS)) {
    throw new InvalidArgumentError(
      `${fn}: 'activation' must be one of ${Object.keys(ACTIVATIONS).join(', ')}; received ${JSON.stringify(name)}`,
    );
  }
  return ACTIVATIONS[name as ScalarActivation];
}
