import * as tf from '@tensorflow/tfjs';

/**
 * The forward pass shared by the equivariant conv layers: a stride-1 'same' conv2d with the
 * layer's built kernel, plus its bias when it has one.
 */
export function convWithBias(inputs: tf.Tensor | tf.Tensor[], { kernel, bias }: { kernel: () => tf.Tensor4D; bias: () => tf.Tensor1D | undefined }): tf.Tensor {
  return tf.tidy(() => {
    const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
    const y = tf.conv2d(x, kernel(), 1, 'same');
    const b = bias();
    return b ? tf.add(y, b) : y;
  });
}
