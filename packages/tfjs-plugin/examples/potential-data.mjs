// The data both potential examples fit, and how they are scored: U(x) = cos(2|x|) + |x|²/4 on R³,
// 32 seeded training samples and 1000 test samples, on the wasm backend.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

function rng(seed) {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  return () => Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}
const potential = ([a, b, c]) => Math.cos(2 * Math.hypot(a, b, c)) + 0.25 * (a * a + b * b + c * c);
function dataset(n, seed) {
  const normal = rng(seed);
  const x = Array.from({ length: n }, () => [normal(), normal(), normal()]);
  return { x: tf.tensor2d(x), y: tf.tensor2d(x.map((r) => [potential(r)])) };
}

await tf.setBackend('wasm');
export const train = dataset(32, 1);
const test = dataset(1000, 2);

/** Prints the model's test MSE relative to the variance of U on the test set. */
export function report(model) {
  const mse = tf.losses.meanSquaredError(test.y, model.predict(test.x)).dataSync()[0];
  const variance = tf.moments(test.y).variance.dataSync()[0];
  console.log(`test relative MSE: ${(mse / variance).toFixed(4)} (${model.countParams()} parameters, 32 training samples)`);
}
