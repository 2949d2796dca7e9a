// Regression of a rotation-invariant potential U(x) = cos(2|x|) + |x|²/4 on R³ from 32 samples
// (the data and the score: potential-data.mjs). potential-plain.mjs uses a plain tfjs MLP;
// potential-symmetric.mjs is the same script with two lines changed (one import added, the
// model line swapped for an O(3)-equivariant MLP).
// Run after `npm run build -w packages/tfjs-plugin`: node examples/potential-plain.mjs (or -symmetric)
import * as tf from '@tensorflow/tfjs';
import { report, train } from './potential-data.mjs';

const model = tf.sequential({ layers: [tf.layers.dense({ units: 64, inputShape: [3], activation: 'tanh' }), tf.layers.dense({ units: 64, activation: 'tanh' }), tf.layers.dense({ units: 1 })] });
model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
await model.fit(train.x, train.y, { epochs: 600, batchSize: 32, verbose: 0 });
report(model);
