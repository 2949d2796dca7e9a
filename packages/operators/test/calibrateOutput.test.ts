import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@liesym/core';
import { Grid, fieldsToTensor, fno, gaussianSources, screenedPoisson, trainOperator } from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

const rms = (t: tf.Tensor): number => tf.tidy(() => tf.sqrt(tf.mean(tf.square(t))).dataSync()[0]!);

describe("trainOperator's calibrateOutput", () => {
  const grid = new Grid({ size: [16, 16] });
  const f = gaussianSources(grid, { count: 6, seed: 4, width: [0.5, 0.7] });
  let x: tf.Tensor;
  let y: tf.Tensor;
  beforeAll(() => {
    x = fieldsToTensor(f);
    y = fieldsToTensor(f.map((s) => screenedPoisson(s)));
  });

  it('rescales the last layer so the first prediction has the targets’ RMS, and the first loss is then below 2', () => {
    const model = fno({ gridSize: [16, 16], width: 4, modes: 3, layers: 1, seed: 3 });
    const before = rms(model.predict(x) as tf.Tensor) / rms(y);
    // a fresh FNO is not matched to the operator's gain (the reason for the option)
    expect(Math.abs(Math.log(before))).toBeGreaterThan(Math.log(2));
    const uncalibrated = fno({ gridSize: [16, 16], width: 4, modes: 3, layers: 1, seed: 3 });
    const plain = trainOperator(uncalibrated, { inputs: x, targets: y, epochs: 1, batchSize: 6, learningRate: 1e-12 });
    const calibrated = trainOperator(model, { inputs: x, targets: y, epochs: 1, batchSize: 6, learningRate: 1e-12, calibrateOutput: true });
    expect(rms(model.predict(x) as tf.Tensor) / rms(y)).toBeCloseTo(1, 4);
    // relative loss Σ‖N(u) − y‖²/Σ‖y‖² with matched RMS is 2 − 2cos ≤ 4, and ≤ 2 when N(u) and y are positively correlated
    expect(calibrated.losses[0]!).toBeLessThan(2);
    expect(plain.losses[0]!).toBeGreaterThan(calibrated.losses[0]!);
    model.dispose();
    uncalibrated.dispose();
  });

  it('refuses a model whose last layer is not linear in its weights', () => {
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [16, 16, 1] }), tf.layers.dense({ units: 256, activation: 'tanh' }), tf.layers.reshape({ targetShape: [16, 16, 1] })] });
    expect(() => trainOperator(model, { inputs: x, targets: y, epochs: 1, calibrateOutput: true })).toThrow(InvalidArgumentError);
    expect(() => trainOperator(model, { inputs: x, targets: y, epochs: 1, calibrateOutput: true })).toThrow(/calibrateOutput.*Reshape with 0 weights/);
    model.dispose();
  });
});
