import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { O, Scalar, V, directSum } from '@liesym/core';
import {
  SymmetryMonitor,
  equivariantDense,
  functionSymmetryPenalty,
  gateRep,
  gatedNonlinearity,
  modelSymmetryPenalty,
  normNonlinearity,
  normOutputRep,
  symmetryRegularizer,
} from '../src/index.js';
import { BACKENDS, randn, useBackend } from './helpers.js';

describe.each(BACKENDS)('tensor leaks on %s', (backend) => {
  it('numTensors is constant across 100 training steps with every feature on', async () => {
    await useBackend(backend);
    const G = O(3);
    const repIn = directSum(V(G), V(G));
    const hidden = directSum(V(G), V(G), Scalar, Scalar);
    const normRep = normOutputRep(hidden, { appendNorms: true });
    const repOut = directSum(V(G), Scalar);
    const plain = tf.layers.dense({ units: repOut.dim, kernelRegularizer: symmetryRegularizer({ repIn: normRep, repOut, weight: 0.01 }) });
    const model = tf.sequential({
      layers: [
        equivariantDense({ repIn, repOut: gateRep(hidden), inputShape: [repIn.dim], seed: 1 }),
        gatedNonlinearity({ rep: hidden }),
        normNonlinearity({ rep: hidden, appendNorms: true }),
        plain,
      ],
    });
    modelSymmetryPenalty({ layers: [{ layer: plain, repIn: normRep, repOut }], weight: 0.01 }).addTo(model);
    const fpen = functionSymmetryPenalty(model, { samples: randn(32, repIn.dim, 3), batchSize: 4, candidate: 'gl-input', weight: 0.01 });
    fpen.addTo(model);
    let draws = 0;
    const sampled = functionSymmetryPenalty(model, {
      sampler: () => tf.randomNormal([4, repIn.dim], 0, 1, 'float32', ++draws),
      candidate: 'gl-input',
      weight: 0.01,
      normalize: 'frobenius',
      richardson: true,
    });
    sampled.addTo(model);
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const x = tf.tensor2d(randn(16, repIn.dim, 1));
    const y = tf.tensor2d(randn(16, repOut.dim, 2));
    // 9 samples × 4 outputs = 36 rows: the least core accepts for the 36 candidates of gl(6)
    const monitor = new SymmetryMonitor({ samples: randn(9, repIn.dim, 5), every: 10 });
    await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0, callbacks: [monitor] });
    const before = tf.memory().numTensors;
    await model.fit(x, y, { epochs: 100, batchSize: 16, verbose: 0, callbacks: [monitor] });
    expect(tf.memory().numTensors).toBe(before);
    expect(monitor.history.length).toBe(1 + 10);
    expect(fpen.lastSingularValues.length).toBe(Math.min(4 * repOut.dim, repIn.dim * repIn.dim));
    expect(draws).toBe(102); // one fresh sample batch per training step
    fpen.dispose();
    sampled.dispose();
  });
});
