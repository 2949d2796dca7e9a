/**
 * The discovery conformance suite on @liesym/brain: each case's function as a real brain.js
 * `NeuralNetwork` (built through its own `fromJSON`, run by brain.js to check it), analysed by
 * this package's `discoverSymmetries` (core's engine on the network's exact Jacobians).
 */
import { defaultTolerance } from '@liesym/core';
import { runDiscoveryConformance } from '@liesym/test-utils';
import brain from 'brain.js';
import { discoverSymmetries } from '../src/index.js';

/**
 * brain.js stores weights in float32, so the network computes the case's function to float32 precision
 * and a candidate built from the float64 w is symmetric to ~1e-8: core's rank tolerance for exact
 * derivatives of a float32 model (1e-3), not the float64 one.
 */
const RTOL = defaultTolerance('rank', { derivative: 'exact', dtype: 'float32' });

const NOT_AN_MLP = 'tanh(c·xᵀSx + w·x + b) with S ≠ 0 is no brain.js network, and none has its symmetries: σ(W_L·…σ(W₁x + b₁)… + b_L) with elementwise σ is never exactly quadratic in x, and its gl-input symmetries are the A with W₁·A = 0, never so(p,q)';

/** A brain.js tanh network with the given layers [W, b] (brain.js applies its activation after the output layer too). */
function tanhNetwork(layers: Array<[number[][], number[]]>): InstanceType<typeof brain.NeuralNetwork> {
  const net = new brain.NeuralNetwork();
  net.fromJSON({
    type: 'NeuralNetwork',
    sizes: [layers[0]![0][0]!.length, ...layers.map(([W]) => W.length)],
    layers: [{ weights: [], biases: [] }, ...layers.map(([weights, biases]) => ({ weights, biases }))],
    inputLookup: null,
    inputLookupLength: 0,
    outputLookup: null,
    outputLookupLength: 0,
    options: { inputSize: 0, outputSize: 0, binaryThresh: 0.5, hiddenLayers: layers.slice(1).map(([W]) => W[0]!.length) },
    trainOpts: { activation: 'tanh', iterations: 1, errorThresh: 0.005, log: false, logPeriod: 10, leakyReluAlpha: 0.01, learningRate: 0.3, momentum: 0.1, callbackPeriod: 10, timeout: Infinity, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  } as never);
  return net;
}

runDiscoveryConformance({
  name: '@liesym/brain (brain.js NeuralNetwork, exact Jacobians)',
  unsupported: { radial: NOT_AN_MLP, lorentz: NOT_AN_MLP },
  async discover(p) {
    const { S, w, b } = p.function;
    // ridge and all-symmetric: tanh(w·x + b) is exactly the network with no hidden layer [n, 1].
    const ridge = S.every((row) => row.every((v) => v === 0));
    // generic (no symmetry in gl(2)): tanh(c·xᵀSx + …) is no network, but tanh(tanh(S₁·x + w₁) + ½·tanh(S₂·x + w₂) + b)
    // with the rows Sᵢ of the case's S (rank 2) has the case's algebra, {0}: ∇F mixes S₁ and S₂ with independent weights.
    // too-few-samples asks for the refusal of 1 sample × 1 output for 9 candidates, whatever the function: brain.js
    // cannot express its radial function, so it runs on the ridge network of the same shape.
    const net = p.case === 'generic' ? tanhNetwork([[S, w], [[[1, 0.5]], [b]]]) : tanhNetwork([[[w], [b]]]);
    if (ridge) {
      p.samples.forEach((x, s) => {
        const got = (net.run(x) as ArrayLike<number>)[0]!;
        const want = p.function.f(Float64Array.from(x))[0]!;
        if (!(Math.abs(got - want) <= 1e-6)) throw new Error(`${p.case}: brain.js gives ${got} at sample ${s}; the reference ${want}`);
      });
    }
    const r = discoverSymmetries(net, { candidate: p.candidate, samples: p.samples, rtol: RTOL });
    return { dimension: r.dimension, singularValues: r.singularValues, identification: r.identification, threshold: r.threshold };
  },
});
