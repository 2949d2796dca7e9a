import * as tf from '@tensorflow/tfjs';
import { UnsupportedModelError, describe, planarGroup } from '@liesym/core';
import { EquivariantDense } from './EquivariantDense.js';
import { GroupConv2d } from './GroupConv2d.js';
import { SteerableConv2d } from './SteerableConv2d.js';

interface LayerJson {
  class_name: string;
  config: Record<string, unknown>;
  [k: string]: unknown;
}

/**
 * Folds every {@link EquivariantDense} of a model into a plain `tf.layers.dense` with the
 * kernel Wᵀ = (Σ cₖBₖ)ᵀ and bias it computes, and every {@link GroupConv2d} and
 * {@link SteerableConv2d} into a plain
 * `tf.layers.conv2d` ('same' padding) with its assembled kernel and bias, keeping every other layer and its weights:
 * the same outputs (up to float32 rounding of the assembled kernel) with zero overhead, for
 * deployment and export. Nonlinearity layers of this package stay as they are (they are
 * already cheap elementwise ops).
 *
 * @throws UnsupportedModelError for nested models
 * @example
 * const plain = await toPlainModel(equivariantMLP({ repIn, repOut, hidden }));
 */
export async function toPlainModel(model: tf.LayersModel): Promise<tf.LayersModel> {
  if (!(model instanceof tf.LayersModel)) throw new UnsupportedModelError(`toPlainModel: 'model' must be a tf.LayersModel; received ${describe(model)}`);
  const json = model.toJSON(undefined, false) as unknown as { class_name: string; config: { layers: LayerJson[] } };
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  for (const lj of json.config.layers) {
    if (lj.class_name === 'Sequential' || lj.class_name === 'Model' || lj.class_name === 'Functional') {
      throw new UnsupportedModelError(`toPlainModel: nested models are not supported; layer '${String(lj.config['name'])}' is a ${lj.class_name}`);
    }
    const layer = byName.get(lj.config['name'] as string);
    if (layer instanceof EquivariantDense) {
      lj.class_name = 'Dense';
      lj.config = { ...commonConfig(lj.config), units: layer.repOut.dim, use_bias: layer.useBias, activation: 'linear' };
    } else if (layer instanceof GroupConv2d) {
      lj.class_name = 'Conv2D';
      lj.config = plainConv2dConfig(lj.config, { filters: layer.filters * planarGroup(layer.group).order, kernelSize: layer.kernelSize, useBias: layer.useBias });
    } else if (layer instanceof SteerableConv2d) {
      lj.class_name = 'Conv2D';
      lj.config = plainConv2dConfig(lj.config, { filters: layer.outputChannels, kernelSize: layer.kernelSize, useBias: layer.useBias && layer.frequencies.includes(0) });
    }
  }
  const plain = await tf.models.modelFromJSON({ modelTopology: json as unknown as tf.io.ModelJSON['modelTopology'] } as tf.io.ModelJSON);
  for (const layer of model.layers) {
    const target = plain.getLayer(layer.name);
    if (layer instanceof EquivariantDense || layer instanceof GroupConv2d || layer instanceof SteerableConv2d) {
      const weights = [layer.kernel(), layer.bias()].filter((t) => t !== undefined);
      target.setWeights(weights);
      tf.dispose(weights);
    } else if (layer.getWeights().length > 0) {
      target.setWeights(layer.getWeights());
    }
  }
  return plain;
}

/** The config of the plain Conv2D an equivariant conv layer folds into (stride 1, 'same', linear). */
function plainConv2dConfig(c: Record<string, unknown>, { filters, kernelSize, useBias }: { filters: number; kernelSize: number; useBias: boolean }): Record<string, unknown> {
  return { ...commonConfig(c), filters, kernel_size: [kernelSize, kernelSize], strides: [1, 1], padding: 'same', use_bias: useBias, activation: 'linear' };
}

/** The entries of a layer's config that every Keras layer has and the folded layer keeps. */
function commonConfig(c: Record<string, unknown>): Record<string, unknown> {
  const keep: Record<string, unknown> = {};
  for (const k of ['name', 'trainable', 'dtype', 'batch_input_shape']) if (k in c) keep[k] = c[k];
  return keep;
}
