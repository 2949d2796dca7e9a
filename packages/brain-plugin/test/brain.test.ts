import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S, SO, Scalar, V, createRng, directSum } from '@liesym/core';
import { assertEquivariant } from '@liesym/test-utils';
import brain from 'brain.js';
import { describe, expect, it } from 'vitest';
import { OutputExistsError, UnsupportedNetworkError, checkSymmetry, discoverSymmetries, projectNetwork, readNetwork, writeProjectedNetwork } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'liesym-brain-'));

function randn(n: number, seed: number, scale = 1): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => scale * rng.normal());
}

/** A brain.js network with the given weights, built through its own fromJSON. */
function net(sizes: number[], seed: number, activation = 'sigmoid', weights?: number[][][]): InstanceType<typeof brain.NeuralNetwork> {
  const layers: Array<{ weights: number[][]; biases: number[] }> = [{ weights: [], biases: [] }];
  sizes.slice(1).forEach((out, k) => {
    const inp = sizes[k]!;
    const w = weights?.[k] ?? Array.from({ length: out }, (_, i) => randn(inp, seed * 100 + k * 10 + i));
    layers.push({ weights: w, biases: randn(out, seed * 1000 + k, 0.1) });
  });
  const n = new brain.NeuralNetwork();
  n.fromJSON({
    type: 'NeuralNetwork',
    sizes,
    layers,
    inputLookup: null,
    inputLookupLength: 0,
    outputLookup: null,
    outputLookupLength: 0,
    options: { inputSize: 0, outputSize: 0, binaryThresh: 0.5, hiddenLayers: sizes.slice(1, -1) },
    trainOpts: { activation, iterations: 1, errorThresh: 0.005, log: false, logPeriod: 10, leakyReluAlpha: 0.01, learningRate: 0.3, momentum: 0.1, callbackPeriod: 10, timeout: Infinity, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 },
  } as never);
  return n;
}

describe('@liesym/brain', () => {
  it('reads a trained brain.js network: forward matches net.run for every activation', () => {
    for (const activation of ['sigmoid', 'tanh', 'relu', 'leaky-relu'] as const) {
      const n = new brain.NeuralNetwork({ hiddenLayers: [4], activation });
      const rng = createRng(3);
      const data = Array.from({ length: 20 }, () => {
        const x = [rng.uniform(), rng.uniform()];
        return { input: x, output: [x[0]! * x[1]!] };
      });
      n.train(data, { iterations: 30, activation });
      const m = readNetwork(n);
      for (const { input } of data.slice(0, 5)) {
        const ours = m.forward(input)[0]!;
        const theirs = (n.run(input) as ArrayLike<number>)[0]!;
        expect(Math.abs(ours - theirs)).toBeLessThan(1e-6 * Math.max(1, Math.abs(theirs)));
      }
    }
  });

  it('finds the 3-dimensional symmetry of a net whose first layer has rank 2 (gl-input), none for a random net', () => {
    // W₁ (2×3) has rank 2: every A with W₁·A = 0 (columns in ker W₁) is a symmetry, 3 of them.
    const r = discoverSymmetries(net([3, 2, 1], 1).toJSON(), { candidate: 'gl-input', samples: 40 });
    expect(r.dimension).toBe(3);
    expect(r.singularValues[2]! / r.singularValues[3]!).toBeLessThan(1e-8);
    const r0 = discoverSymmetries(net([3, 5, 2], 2), { candidate: 'gl-input', samples: 40 });
    expect(r0.dimension).toBe(0);
  });

  it('finds the 6-dimensional symmetry of a tanh net that only sees x₀', () => {
    const W1 = [[1, 0, 0], [0.5, 0, 0]];
    const r = discoverSymmetries(net([3, 2, 1], 4, 'tanh', [W1]), { candidate: 'gl-input', samples: 40 });
    // Symmetries: every A with W₁·A = 0, i.e. first row 0: 6 generators (they contain so(2) on (x₁, x₂)).
    expect(r.dimension).toBe(6);
  });

  it('checks and projects: S(3) violation removed, JSON loads in brain.js and runs invariantly', async () => {
    const s3 = S(3);
    const n = net([3, 6, 1], 5);
    const before = checkSymmetry(n, { group: s3, repIn: V(s3), repOut: Scalar, samples: 32 });
    expect(before.maxRelative).toBeGreaterThan(1e-2);
    const reps = [V(s3), directSum(V(s3), V(s3)), Scalar];
    const { json, removed } = projectNetwork(n, { reps });
    expect(removed.every((x) => x > 0)).toBe(true);
    const after = checkSymmetry(json, { group: s3, repIn: V(s3), repOut: Scalar, samples: 32 });
    expect(after.maxRelative).toBeLessThan(1e-12);
    const loaded = new brain.NeuralNetwork();
    loaded.fromJSON(json as never);
    // brain.js runs in float32.
    await assertEquivariant((x) => loaded.run(Array.from(x)) as ArrayLike<number>, V(s3), Scalar, { dtype: 'float32', seed: 5, samples: 16 });
    const out = join(dir, 'projected.json');
    writeProjectedNetwork(n, out, { reps });
    expect(JSON.parse(readFileSync(out, 'utf8')).sizes).toEqual([3, 6, 1]);
    expect(() => writeProjectedNetwork(n, out, { reps })).toThrow(OutputExistsError);
    writeFileSync(out, 'keep');
    expect(() => writeProjectedNetwork(n, out, { reps })).toThrow(OutputExistsError);
    expect(readFileSync(out, 'utf8')).toBe('keep');
  });

  it('Lie-derivative check: a net that only sees x₂ is invariant under L₀₁ only', () => {
    // F(x) = σ(w·σ(x₂ + b₁) + b₂): rotations in the (x₀, x₁) plane leave it alone, the others do not.
    const n = net([3, 1, 1], 6, 'sigmoid', [[[0, 0, 1]]]);
    const r = checkSymmetry(n, { group: SO(3), repIn: V(SO(3)), repOut: Scalar, samples: 16 });
    expect(r.generators[0]!.relative).toBeLessThan(1e-12);
    expect(r.generators[1]!.relative).toBeGreaterThan(1e-3);
  });

  it('rejects networks it cannot read with a typed error', () => {
    expect(() => readNetwork({ type: 'LSTM', sizes: [1, 1], layers: [] } as never)).toThrow(UnsupportedNetworkError);
    expect(() => readNetwork({ sizes: [2, 1], layers: [{ weights: [], biases: [] }, { weights: [[1, 2, 3]], biases: [0] }] })).toThrow(/1×2 weights/);
  });
});
