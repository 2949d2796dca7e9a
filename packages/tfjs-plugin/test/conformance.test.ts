/**
 * The discovery conformance suite on @liesym/tfjs: for each case a tfjs LayersModel computing
 * exactly F(x) = tanh(c·xᵀSx + w·x + b) (a small custom layer, float32), analysed by this
 * package's `discoverSymmetries` (core's engine on tf.grad Jacobians), on both backends.
 */
import * as tf from '@tensorflow/tfjs';
import { runDiscoveryConformance } from '@liesym/test-utils';
import { discoverSymmetries } from '../src/index.js';
import { BACKENDS, quadraticModel, useBackend } from './helpers.js';

for (const backend of BACKENDS) {
  runDiscoveryConformance({
    name: `@liesym/tfjs (float32 LayersModel, ${backend} backend)`,
    async discover(p) {
      await useBackend(backend);
      const model = quadraticModel(p.function);
      try {
        // The model computes the problem's function: compare with the float64 reference at the samples.
        const y = tf.tidy(() => (model.predict(tf.tensor2d(p.samples)) as tf.Tensor).dataSync());
        p.samples.forEach((x, s) => {
          const want = p.function.f(Float64Array.from(x))[0]!;
          if (!(Math.abs(y[s]! - want) <= 1e-6)) throw new Error(`${p.case}: the model gives ${y[s]} at sample ${s}; the reference ${want}`);
        });
        const r = discoverSymmetries(model, p.samples, { candidate: p.candidate });
        return { dimension: r.dimension, singularValues: r.singularValues, identification: r.identification, threshold: r.threshold };
      } finally {
        model.dispose();
      }
    },
  });
}
