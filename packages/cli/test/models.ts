/**
 * The test models, built in code: ONNX by the kit's builder, brain.js networks from JSON
 * (round-tripped through brain.js itself), tfjs LayersModels saved as model.json + weights with
 * a plain file IO handler (the format `model.save('file://…')` writes).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import brain from 'brain.js';
import { quadraticInvariant, randomMlp } from '@liesym/test-utils/onnx';

/** Writes a tfjs model as `<dir>/<name>.json` + `<dir>/<name>.weights.bin`; returns the model.json path. */
export async function saveTfjs(model: tf.LayersModel, dir: string, name: string): Promise<string> {
  const path = join(dir, `${name}.json`);
  await model.save({
    save: async (a) => {
      const data = a.weightData === undefined ? [] : Array.isArray(a.weightData) ? a.weightData : [a.weightData];
      writeFileSync(join(dir, `${name}.weights.bin`), Buffer.concat(data.map((d) => new Uint8Array(d))));
      writeFileSync(path, JSON.stringify({ modelTopology: a.modelTopology, format: 'layers-model', weightsManifest: [{ paths: [`${name}.weights.bin`], weights: a.weightSpecs }] }));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    },
  });
  return path;
}

/** tanh(kernelᵀx + b) → Dense(1): with `symmetric`, every input has the same kernel row, so F depends on x₀ + x₁ + x₂ only (S(3)-invariant; gl-input nullspace of dimension 6). */
export async function tfjsModel(dir: string, options: { name: string; symmetric: boolean }): Promise<string> {
  tf.enableProdMode();
  await tf.setBackend('cpu');
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 4, inputShape: [3], activation: 'tanh' }));
  m.add(tf.layers.dense({ units: 1 }));
  const row = [0.7, -0.4, 0.25, 0.9];
  const kernel = options.symmetric ? [row, row, row] : [row, [0.1, 0.8, -0.6, 0.3], [-0.5, 0.2, 0.4, -0.7]];
  m.layers[0]!.setWeights([tf.tensor2d(kernel), tf.tensor1d([0.1, -0.2, 0.05, 0])]);
  m.layers[1]!.setWeights([tf.tensor2d([[0.5], [-0.3], [0.8], [0.2]]), tf.tensor1d([0.1])]);
  return saveTfjs(m, dir, options.name);
}

/** A brain.js network 3 → 4 → 1 (sigmoid) from JSON; `symmetric`: all inputs share their weights (S(3)-invariant). */
export function brainJson(options: { symmetric: boolean; nan?: boolean }): object {
  const w1 = options.symmetric
    ? [[0.7, 0.7, 0.7], [-0.4, -0.4, -0.4], [0.25, 0.25, 0.25], [0.9, 0.9, 0.9]]
    : [[0.7, 0.1, -0.5], [-0.4, 0.8, 0.2], [0.25, -0.6, 0.4], [0.9, 0.3, -0.7]];
  const json = {
    type: 'NeuralNetwork',
    sizes: [3, 4, 1],
    layers: [
      { weights: [], biases: [] },
      { weights: w1, biases: [0.1, -0.2, 0.05, 0] },
      { weights: [[0.5, -0.3, 0.8, 0.2]], biases: [0.1] },
    ],
    inputLookup: null,
    inputLookupLength: 0,
    outputLookup: null,
    outputLookupLength: 0,
    options: { inputSize: 3, outputSize: 1, binaryThresh: 0.5, hiddenLayers: [4] },
    trainOpts: { activation: 'sigmoid', iterations: 20000, errorThresh: 0.005, log: false, logPeriod: 10, leakyReluAlpha: 0.01, learningRate: 0.3, momentum: 0.1, callbackPeriod: 10, timeout: 'Infinity', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, praxis: null },
  };
  // Through brain.js itself: what a user's net.toJSON() gives.
  const out = new brain.NeuralNetwork().fromJSON(json as never).toJSON() as unknown as { layers: Array<{ weights: number[][] }> };
  if (options.nan) out.layers[1]!.weights[0]![0] = Number.NaN;
  return out;
}

/** Writes JSON (NaN as the literal NaN would be invalid JSON, so a NaN weight becomes null, as JSON.stringify does). */
export function writeJson(path: string, value: object): string {
  writeFileSync(path, JSON.stringify(value));
  return path;
}

export const onnx = {
  /** g(x₀² + x₁² + x₂²): SO(3)-invariant. */
  radial: (path: string): string => quadraticInvariant({ metric: [1, 1, 1] }).writeTo(path),
  /** g(x₀² + 2x₁² + x₂²): breaks rotations that move x₁. */
  anisotropic: (path: string): string => quadraticInvariant({ metric: [1, 2, 1] }).writeTo(path),
  mlp: (path: string, seed: number): string => randomMlp([3, 6, 1], { seed }).writeTo(path),
};
