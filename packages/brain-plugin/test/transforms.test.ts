import { InvalidArgumentError, ShapeMismatchError, UnsupportedOperationError, createRng } from '@liesym/core';
import brain from 'brain.js';
import { describe, expect, it } from 'vitest';
import { analyzeTransforms, checkDiscrete, readNetwork } from '../src/index.js';

function randn(n: number, rng: ReturnType<typeof createRng>, scale = 1): number[] {
  return Array.from({ length: n }, () => scale * rng.normal());
}

/** A brain.js network with the given layers (W out×in, b), built through its own fromJSON. */
function net(sizes: number[], spec: { layers: Array<{ W: number[][]; b: number[] }>; activation: string }): InstanceType<typeof brain.NeuralNetwork> {
  const n = new brain.NeuralNetwork();
  n.fromJSON({
    type: 'NeuralNetwork',
    sizes,
    layers: [{ weights: [], biases: [] }, ...spec.layers.map(({ W, b }) => ({ weights: W, biases: b }))],
    inputLookup: null,
    inputLookupLength: 0,
    outputLookup: null,
    outputLookupLength: 0,
    options: { inputSize: 0, outputSize: 0, binaryThresh: 0.5, hiddenLayers: sizes.slice(1, -1) },
    trainOpts: { activation: spec.activation, iterations: 1, errorThresh: 0.005, log: false, logPeriod: 10, leakyReluAlpha: 0.01, learningRate: 0.3, momentum: 0.1, callbackPeriod: 10, timeout: Infinity, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  } as never);
  return n;
}

/** Random layers for `sizes`; `mirrored` makes the first layer's columns palindromic (W₁·J = W₁), so F(Jx) = F(x). */
function layers(sizes: number[], spec: { seed: number; mirrored?: boolean; biases?: boolean }): Array<{ W: number[][]; b: number[] }> {
  const rng = createRng(spec.seed);
  return sizes.slice(1).map((out, k) => {
    const inp = sizes[k]!;
    const W = Array.from({ length: out }, () => randn(inp, rng));
    if (k === 0 && spec.mirrored) for (const row of W) for (let j = 0; j < inp; j++) row[inp - 1 - j] = row[j]!;
    return { W, b: spec.biases === false ? new Array<number>(out).fill(0) : randn(out, rng, 0.3) };
  });
}

describe('checkDiscrete on brain.js networks', () => {
  it('time reversal holds on a net with mirrored first-layer weights and breaks on a random one', () => {
    const sizes = [6, 5, 2];
    const sym = checkDiscrete(net(sizes, { layers: layers(sizes, { seed: 1, mirrored: true }), activation: 'sigmoid' }), { transforms: ['time-reversal'], samples: 32, seed: 2 });
    expect(sym.discrete[0]!.verdict).toBe('holds');
    expect(sym.discrete[0]!.residual).toBeLessThan(1e-14);
    const rnd = checkDiscrete(net(sizes, { layers: layers(sizes, { seed: 1 }), activation: 'sigmoid' }), { transforms: ['time-reversal'], samples: 32, seed: 2 });
    expect(rnd.discrete[0]!.verdict).toBe('broken');
    expect(rnd.discrete[0]!.residual).toBeGreaterThan(1e-3);
    expect(rnd.evaluations).toBe(64);
  });

  it('an input permutation with an output permutation: swapping the halves of x swaps the two outputs', () => {
    // F(x) = tanh(W x + b) with row 1 of W the row 0 with its halves swapped, b₀ = b₁.
    const rng = createRng(5);
    const w = randn(4, rng);
    const W = [w, [w[2]!, w[3]!, w[0]!, w[1]!]];
    const n = net([4, 2], { layers: [{ W, b: [0.2, 0.2] }], activation: 'tanh' });
    const perm = [2, 3, 0, 1];
    const r = checkDiscrete(n, { transforms: ['input-permutation', 'time-reversal'], inputPermutation: perm, outputPermutation: [1, 0], samples: 16 });
    expect(r.discrete.map((d) => d.name)).toEqual(['input-permutation', 'time-reversal']);
    expect(r.discrete[0]!.residual).toBeLessThan(1e-14);
    expect(r.discrete[1]!.verdict).toBe('broken');
    // By hand at one point: the residual of the swap without P_h is ‖F(hx) − F(x)‖ / ‖F(x)‖.
    const x = [0.3, -1.2, 0.7, 2.0];
    const F = readNetwork(n).forward(x);
    const Fh = readNetwork(n).forward(perm.map((p) => x[p]!));
    const hand = Math.hypot(Fh[0]! - F[0]!, Fh[1]! - F[1]!) / Math.hypot(F[0]!, F[1]!);
    const one = checkDiscrete(n, { transforms: ['input-permutation'], inputPermutation: perm, samples: [x] });
    expect(Math.abs(one.discrete[0]!.residual - hand)).toBeLessThan(1e-14);
  });

  it('names the limits: image transforms on vectors, a missing or bad permutation', () => {
    const n = net([4, 2], { layers: layers([4, 2], { seed: 3 }), activation: 'tanh' });
    expect(() => checkDiscrete(n, { transforms: ['rotate180' as never] })).toThrow(UnsupportedOperationError);
    expect(() => checkDiscrete(n, { transforms: ['rotate180' as never] })).toThrow(/checkDiscrete: 'rotate180' is an image transform; brain.js inputs are vectors \(here of 4 numbers\)/);
    expect(() => checkDiscrete(n, { transforms: ['input-permutation'] })).toThrow(/needs 'inputPermutation'/);
    expect(() => checkDiscrete(n, { transforms: ['input-permutation'], inputPermutation: [0, 1, 2] })).toThrow(ShapeMismatchError);
    expect(() => checkDiscrete(n, { transforms: ['time-reversal'], outputPermutation: [0, 1, 2] })).toThrow(/permute the model's 2 outputs; received 3/);
    expect(() => checkDiscrete(n, { transforms: ['mirror' as never] })).toThrow(InvalidArgumentError);
  });
});

describe('analyzeTransforms on brain.js networks', () => {
  it('gain: a ReLU net without biases is positively homogeneous (equivariant, error 0); biases break it', () => {
    const sizes = [8, 6, 8];
    const free = analyzeTransforms(net(sizes, { layers: layers(sizes, { seed: 7, biases: false }), activation: 'relu' }), { transforms: ['gain'], samples: 16, seed: 1 });
    expect(free.transforms[0]!.action).toBe('equivariant');
    expect(free.transforms[0]!.error).toBeLessThan(1e-9);
    expect(free.transforms[0]!.verdict).toBe('holds');
    const biased = analyzeTransforms(net(sizes, { layers: layers(sizes, { seed: 7 }), activation: 'relu' }), { transforms: ['gain'], samples: 16, seed: 1 });
    expect(biased.transforms[0]!.verdict).toBe('broken');
    expect(biased.transforms[0]!.error).toBeGreaterThan(1e-3);
  });

  it('a one-layer linear-in-gain check by hand: F = relu(W x + b), gain changes F by (W x)/100 per percent where active', () => {
    const rng = createRng(9);
    const W = [randn(4, rng)];
    const n = net([4, 1], { layers: [{ W, b: [5] }], activation: 'relu' }); // b = 5 keeps the unit active near x
    const x = [0.1, -0.2, 0.3, 0.05];
    const r = analyzeTransforms(n, { transforms: 'signal', samples: [x] });
    expect(r.transforms.map((t) => t.name)).toEqual(['time-shift', 'time-scaling', 'gain']);
    expect(r.transforms.every((t) => t.action === 'invariant')).toBe(true); // 1 output ≠ 4 inputs
    const wx = W[0]!.reduce((a, w, i) => a + w * x[i]!, 0);
    expect(Math.abs(r.transforms[2]!.perUnit - Math.abs(wx) / 100)).toBeLessThan(1e-9);
    expect(Math.abs(r.transforms[2]!.error - Math.abs(wx) / 100 / (wx + 5))).toBeLessThan(1e-9);
  });

  it('refuses image transforms: brain.js inputs are vectors', () => {
    const n = net([4, 1], { layers: layers([4, 1], { seed: 2 }), activation: 'tanh' });
    expect(() => analyzeTransforms(n, { transforms: 'image' as never })).toThrow(/analyzeTransforms: 'image' is an image transform; brain.js inputs are vectors/);
    expect(() => analyzeTransforms(n, { transforms: ['gain', 'rotation'] as never })).toThrow(UnsupportedOperationError);
  });
});
