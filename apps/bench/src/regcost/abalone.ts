import * as tf from '@tensorflow/tfjs';
import { createRng } from '@liesym/core';

/**
 * An abalone-shaped data set: 8 features in the CSV's order (sex as 0/1/2, length, diameter, height
 * in units of 200 mm, whole, shucked, viscera and shell weight in units of 200 g) and ring counts.
 */
export interface Abalone {
  x: Float32Array;
  y: Float32Array;
  rows: number;
}

/**
 * A deterministic stand-in for the UCI abalone CSV that tensorflow/tfjs-examples' abalone-node
 * reads (4177 rows; no downloads here): ring counts 1–29 (mean ≈ 10), a growth curve from age to
 * length, diameter ≈ 0.8·length, height ≈ 0.34·diameter, whole weight ∝ length³, and shucked,
 * viscera and shell weights as noisy fractions of it; infants (sex 2) are younger and smaller.
 * Sex is coded as abalone-node's data.js codes it (F 0, M 1, I 2).
 */
export function abalone(rows = 4177, seed = 1): Abalone {
  const rng = createRng(seed);
  const x = new Float32Array(rows * 8);
  const y = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const sex = rng.int(3);
    const rings = Math.min(29, Math.max(1, Math.round(Math.exp(Math.log(sex === 2 ? 7.9 : 10.9) + 0.27 * rng.normal()))));
    const age = rings + 1.5;
    const length = Math.min(0.815, Math.max(0.075, 0.66 * (1 - Math.exp(-age / 6.5)) * (1 + 0.08 * rng.normal())));
    const diameter = length * (0.79 + 0.025 * rng.normal());
    const height = Math.max(0, diameter * (0.34 + 0.04 * rng.normal()));
    const whole = Math.max(0.002, 5.8 * length ** 3 * (1 + 0.1 * rng.normal()));
    const frac = (m: number, s: number) => Math.max(0.001, whole * (m + s * rng.normal()));
    const shucked = frac(0.43, 0.05);
    const viscera = frac(0.22, 0.03);
    const shell = frac(0.29 + 0.004 * (rings - 10), 0.04);
    x.set([sex, length, diameter, height, whole, shucked, viscera, shell], r * 8);
    y[r] = rings;
  }
  return { x, y, rows };
}

/** abalone-node's model.js, ported to @tensorflow/tfjs: 8 → dense 50 → dense 50 → dense 1, MSE, with the activation and optimizer of the variant. */
export function abaloneModel(options: { activation: 'sigmoid' | 'relu'; optimizer: () => tf.Optimizer; kernelRegularizer?: ReturnType<typeof tf.regularizers.l1l2>; seed?: number }): tf.Sequential {
  const seed = options.seed ?? 1;
  const init = (k: number) => tf.initializers.glorotUniform({ seed: seed + k });
  const model = tf.sequential({
    layers: [
      tf.layers.dense({ inputShape: [8], activation: options.activation, units: 50, kernelInitializer: init(0), ...(options.kernelRegularizer ? { kernelRegularizer: options.kernelRegularizer } : {}) }),
      tf.layers.dense({ activation: options.activation, units: 50, kernelInitializer: init(1) }),
      tf.layers.dense({ units: 1, kernelInitializer: init(2) }),
    ],
  });
  model.compile({ optimizer: options.optimizer(), loss: 'meanSquaredError' });
  return model;
}
