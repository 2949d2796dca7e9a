/**
 * Trains a small O(3)-invariant model in the page and reports its equivariance error.
 * Loaded by index.html; built with Vite (`npm run browser:build -w apps/bench`).
 */
import * as tf from '@tensorflow/tfjs';
import { O, Scalar, V, createRng, directSum } from '@liesym/core';
import { equivariantMLP, equivarianceError } from '@liesym/tfjs';

function show(id: string, text: string): void {
  const el = document.getElementById(id);
  if (el) el.textContent = text;
}

function data(count: number, seed: number): { x: number[][]; y: number[][] } {
  const rng = createRng(seed);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < count; i++) {
    const v = Array.from({ length: 6 }, () => rng.normal());
    const [a0, a1, a2, b0, b1, b2] = v as [number, number, number, number, number, number];
    x.push(v);
    y.push([a0 * b0 + a1 * b1 + a2 * b2 + (a0 * a0 + a1 * a1 + a2 * a2) / 2]);
  }
  return { x, y };
}

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
  show('backend', tf.getBackend());
  show('status', 'training');
  const G = O(3);
  const hidden = directSum(...Array.from({ length: 4 }, () => V(G)), ...Array.from({ length: 8 }, () => Scalar));
  const model = equivariantMLP({ repIn: directSum(V(G), V(G)), repOut: Scalar, hidden, depth: 2, seed: 1 });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  const train = data(256, 1);
  const test = data(128, 2);
  const xs = tf.tensor2d(train.x);
  const ys = tf.tensor2d(train.y);
  const epochs = 60;
  const history = await model.fit(xs, ys, { epochs, batchSize: 32, shuffle: false, verbose: 0 });
  const losses = history.history['loss'] as number[];
  show('epochs', String(epochs));
  show('loss', `${losses[0]!.toExponential(2)} → ${losses[losses.length - 1]!.toExponential(2)}`);
  const pred = tf.tidy(() => (model.predict(tf.tensor2d(test.x)) as tf.Tensor).dataSync());
  let num = 0;
  let den = 0;
  test.y.forEach(([t], i) => {
    num += (pred[i]! - t!) ** 2;
    den += t! ** 2;
  });
  show('test-error', Math.sqrt(num / den).toExponential(2));
  const err = equivarianceError(model, { repIn: directSum(V(G), V(G)), repOut: Scalar, samples: 64, rng: 3 });
  show('equivariance-error', err.max.toExponential(2));
  xs.dispose();
  ys.dispose();
  show('status', 'done');
}

main().catch((e: unknown) => {
  show('status', `failed: ${e instanceof Error ? e.message : String(e)}`);
  console.error(e);
});
