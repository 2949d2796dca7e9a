import * as tf from '@tensorflow/tfjs';
import { Matrix, createRng, svd } from '@liesym/core';
import { symmetryRegularizer } from '@liesym/tfjs';
import { abaloneModel } from './abalone.js';

/**
 * The known symmetry of the homogeneity task: the target depends on the features only
 * through shell weight and length, so it is unchanged by x ↦ x + t·a for any a in the other 6
 * coordinates, and in gl(8) ('gl-input') by the 48 generators A with e_shellᵀA = e_lengthᵀA = 0.
 */
const RELEVANT = [7, 1] as const;

/**
 * Inputs with abalone's 8 feature slots but independent N(0, 1) draws (the real features are so
 * correlated that shell weight can be read off any of the four weights, and the symmetry would not
 * be identifiable), and the target 10 + 3·tanh(x_shell) + x_length²/2 + 0.3·noise.
 */
function task(rows: number, seed: number) {
  const rng = createRng(seed);
  const x = Float32Array.from({ length: rows * 8 }, () => rng.normal());
  const y = Float32Array.from({ length: rows }, (_, r) => 10 + 3 * Math.tanh(x[r * 8 + RELEVANT[0]]!) + 0.5 * x[r * 8 + RELEVANT[1]]! ** 2 + 0.3 * rng.normal());
  return { x: tf.tensor2d(x, [rows, 8]), y: tf.tensor2d(y, [rows, 1]) };
}

/** The first kernel's state: ‖W‖_F, the symmetry ratio ‖W·P⊥‖_F / ‖W‖_F (P⊥ onto the 6 irrelevant inputs) and σ(D_W)/‖D_W‖_F's distinct values. */
function kernelState(model: tf.LayersModel) {
  const k = model.layers[0]!.getWeights()[0]!;
  const data = k.dataSync(); // [8, 50]: row j holds input j's weights
  let total = 0;
  let off = 0;
  for (let j = 0; j < 8; j++) {
    for (let u = 0; u < 50; u++) {
      const v = data[j * 50 + u]! ** 2;
      total += v;
      if (!(RELEVANT as readonly number[]).includes(j)) off += v;
    }
  }
  // D_W for 'gl-input' has W's singular values, each 8 times: report W's, relative to ‖W‖_F
  const s = svd(new Matrix(8, 50, Float64Array.from(data))).s;
  const norm = Math.sqrt(total);
  return { kernelNorm: norm, symmetryRatio: Math.sqrt(off) / norm, sigmaRelative: Array.from(s, (v) => Number((v / norm).toPrecision(3))) };
}

/** One training of the abalone model (relu, Adam 0.01, batch 32) on the task, with or without the penalty on the first kernel. */
export async function homogeneityRun(options: { normalize?: 'none' | 'weights'; weight?: number; epochs: number; every: number }) {
  const train = task(1024, 3);
  const test = task(1024, 4);
  const reg = options.weight === undefined ? undefined : symmetryRegularizer({ candidate: 'gl-input', weight: options.weight, normalize: options.normalize ?? 'none' });
  const model = abaloneModel({ activation: 'relu', optimizer: () => tf.train.adam(0.01), ...(reg ? { kernelRegularizer: reg } : {}) });
  const trace = [{ epoch: 0, ...kernelState(model) }];
  const t0 = performance.now();
  for (let e = 0; e < options.epochs; e += options.every) {
    await model.fit(train.x, train.y, { epochs: e + options.every, initialEpoch: e, batchSize: 32, verbose: 0, shuffle: false });
    trace.push({ epoch: e + options.every, ...kernelState(model) });
  }
  const mse = tf.tidy(() => tf.losses.meanSquaredError(test.y, model.predict(test.x) as tf.Tensor).dataSync()[0]!);
  const variance = tf.tidy(() => tf.moments(test.y).variance.dataSync()[0]!);
  const seconds = (performance.now() - t0) / 1000;
  tf.dispose([train.x, train.y, test.x, test.y]);
  model.dispose();
  return { normalize: options.normalize ?? 'none', weight: options.weight ?? 0, testRelMse: mse / variance, seconds, trace };
}
