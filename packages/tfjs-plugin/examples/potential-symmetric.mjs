// Regression of a rotation-invariant potential U(x) = cos(2|x|) + |x|²/4 on R³ from 32 samples.
// potential-plain.mjs uses a plain tfjs MLP; potential-symmetric.mjs is the same script with two
// lines changed (one import added, the model line swapped for an O(3)-equivariant MLP).
// Run after `npm run build -w packages/tfjs-plugin`: node examples/potential-plain.mjs (or -symmetric)
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { equivariantMLP, repFromSpec } from '@liesym/tfjs';

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
const train = dataset(32, 1);
const test = dataset(1000, 2);

const model = equivariantMLP({ repIn: repFromSpec({ group: 'O(3)', rep: 'V' }), repOut: repFromSpec({ group: null, rep: 'Scalar' }), hidden: repFromSpec({ group: 'O(3)', rep: '8V⊕8Scalar' }) });
model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
await model.fit(train.x, train.y, { epochs: 600, batchSize: 32, verbose: 0 });

const mse = tf.losses.meanSquaredError(test.y, model.predict(test.x)).dataSync()[0];
const variance = tf.moments(test.y).variance.dataSync()[0];
console.log(`test relative MSE: ${(mse / variance).toFixed(4)} (${model.countParams()} parameters, 32 training samples)`);
