import * as tf from '@tensorflow/tfjs';
import { UnsupportedModelError, describe, kernelSymmetry, type KernelCandidate, type KernelSymmetry } from '@liesym/core';

/** One conv2d layer's symmetry: core's `KernelSymmetry` with the layer's name. */
export interface ConvLayerSymmetry extends KernelSymmetry {
  layer: string;
}

/**
 * Discover for image models, layer by layer: for every `Conv2D` of the model (square odd
 * kernels), core's `kernelSymmetry` of its kernel — the relative rotation / scaling Lie-derivative
 * norms ‖ℒ_ξK‖/‖K‖, the mirror residual ‖T_hK − K‖/‖K‖ and the discovered subalgebra of
 * span{rotation, scaling} (its dimension, singular values, threshold and gap).
 * @param options.candidate the candidates (default all: rotation, reflection, scaling)
 * @param options.rtol threshold on the relative singular values (default core's, 1e-2)
 * @throws UnsupportedModelError when `model` is not a tf.LayersModel; core's errors for bad options
 * @example
 * convLayerSymmetries(model).map((l) => [l.layer, l.norms.rotation, l.dimension]);
 */
export function convLayerSymmetries(model: tf.LayersModel, options: { candidate?: readonly KernelCandidate[]; rtol?: number } = {}): ConvLayerSymmetry[] {
  if (!(model instanceof tf.LayersModel)) throw new UnsupportedModelError(`convLayerSymmetries: 'model' must be a tf.LayersModel; received ${describe(model)}`);
  const out: ConvLayerSymmetry[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'Conv2D') continue;
    const kernel = layer.getWeights()[0];
    if (!kernel || kernel.rank !== 4 || kernel.shape[0] !== kernel.shape[1]) continue;
    const [size, , channelsIn, channelsOut] = kernel.shape as [number, number, number, number];
    out.push({ layer: layer.name, ...kernelSymmetry(kernel.dataSync(), { size, channelsIn, channelsOut, ...options }) });
  }
  return out;
}
