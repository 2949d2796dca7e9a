import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, expect, it } from 'vitest';
import {
  Grid,
  discoverOperatorSymmetries,
  fieldsToTensor,
  fno,
  gaussianSources,
  rotationGenerator,
  scalingGenerator,
  screenedPoisson,
  tfOperator,
  trainOperator,
  translationGenerator,
} from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

it('runs the README example (smaller) and the trained so2 FNO keeps translations exactly', () => {
  const grid = new Grid({ size: [32, 32] });
  const f = gaussianSources(grid, { count: 16, seed: 1 });
  const u = f.map((s) => screenedPoisson(s, { kappa: 4 }));
  const model = fno({ gridSize: [32, 32], width: 8, modes: 6, layers: 1, symmetry: 'so2' });
  const { losses } = trainOperator(model, { inputs: fieldsToTensor(f), targets: fieldsToTensor(u), epochs: 20, learningRate: 5e-3 });
  expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
  const found = discoverOperatorSymmetries(tfOperator(model, grid), f.slice(0, 4), {
    candidate: [translationGenerator(0), translationGenerator(1), rotationGenerator(), scalingGenerator()],
    rtol: 0.05,
    step: 1e-2,
  });
  const s = found.singularValues;
  expect(s.length).toBe(4);
  expect(s[1]! / s[3]!).toBeLessThan(1e-2);
  expect(found.dimension).toBeGreaterThanOrEqual(2);
});
