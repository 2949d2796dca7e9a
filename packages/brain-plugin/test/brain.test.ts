import { createHash } from 'node:crypto';
import { linkSync, mkdtempSync, readFileSync, readdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InsufficientDataError, InvalidArgumentError, ModelFileError, S, SO, Scalar, UnsupportedModelError, V, createRng, directSum } from '@liesym/core';
import { assertEquivariant } from '@liesym/test-utils';
import brain from 'brain.js';
import { describe, expect, it } from 'vitest';
import {
  OutputExistsError,
  UnsupportedNetworkError,
  analyzeLayers,
  checkSymmetry,
  discoverSymmetries,
  projectNetwork,
  readNetwork,
  writeProjectedNetwork,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'liesym-brain-'));

function randn(n: number, seed: number, scale = 1): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => scale * rng.normal());
}

/** A brain.js network with the given weights, built through its own fromJSON. */
function net(sizes: number[], { seed, activation = 'sigmoid', weights }: { seed: number; activation?: string; weights?: number[][][] }): InstanceType<typeof brain.NeuralNetwork> {
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
    const r = discoverSymmetries(net([3, 2, 1], { seed: 1 }).toJSON(), { candidate: 'gl-input', samples: 40 });
    expect(r.dimension).toBe(3);
    expect(r.singularValues[2]! / r.singularValues[3]!).toBeLessThan(1e-8);
    // core's decision: exact derivatives, its float64 rank tolerance, every other sample agrees.
    expect([r.derivative, r.rtol, r.determined, r.sampleCount, r.rowCount]).toEqual(['exact', 1e-9, true, 40, 40]);
    expect(r.singularValues[2]!).toBeLessThanOrEqual(r.threshold);
    expect(r.singularValues[3]!).toBeGreaterThan(r.threshold);
    const r0 = discoverSymmetries(net([3, 5, 2], { seed: 2 }), { candidate: 'gl-input', samples: 40 });
    expect(r0.dimension).toBe(0);
  });

  it('finds the 6-dimensional symmetry of a tanh net that only sees x₀', () => {
    const W1 = [[1, 0, 0], [0.5, 0, 0]];
    const r = discoverSymmetries(net([3, 2, 1], { seed: 4, activation: 'tanh', weights: [W1] }), { candidate: 'gl-input', samples: 40 });
    // Symmetries: every A with W₁·A = 0, i.e. first row 0: 6 generators (they contain so(2) on (x₁, x₂)).
    expect(r.dimension).toBe(6);
  });

  it('recognizes a candidate made only of symmetries: the six E_ij (i ≠ 0) for the net that sees only x₀, 6 of 6', () => {
    const W1 = [[1, 0, 0], [0.5, 0, 0]];
    const unit = (i: number, j: number): number[][] => [0, 1, 2].map((r) => [0, 1, 2].map((c) => (r === i && c === j ? 1 : 0)));
    const candidate = [1, 2].flatMap((i) => [0, 1, 2].map((j) => [unit(i, j), [[0]]] as [number[][], number[][]]));
    const r = discoverSymmetries(net([3, 2, 1], { seed: 4, activation: 'tanh', weights: [W1] }), { candidate, samples: 40 });
    expect(r.dimension).toBe(6);
    expect(r.singularValues.length).toBe(6);
    expect(r.singularValues[5]!).toBeLessThanOrEqual(r.threshold);
    expect(r.determined).toBe(true);
  });

  it('refuses too few samples with a typed InsufficientDataError (8 rows for 9 gl(3) generators)', () => {
    const n = net([3, 2, 1], { seed: 1 });
    expect(() => discoverSymmetries(n, { candidate: 'gl-input', samples: 8 })).toThrow(InsufficientDataError);
    expect(() => discoverSymmetries(n, { candidate: 'gl-input', samples: 8 })).toThrow(/8 samples × 1 outputs = 8 rows for 9 generators/);
    // 9 rows are answered, but every other sample alone (5 rows) cannot confirm it: not determined.
    const r = discoverSymmetries(n, { candidate: 'gl-input', samples: 9 });
    expect(r.determined).toBe(false);
    expect(r.reason).toMatch(/too few rows to cross-check/);
  });

  it('checks and projects: S(3) violation removed, JSON loads in brain.js and runs invariantly', async () => {
    const s3 = S(3);
    const n = net([3, 6, 1], { seed: 5 });
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
  });

  it('writeProjectedNetwork never loses, truncates or overwrites a file it was not asked to, nor the source', () => {
    const sub = mkdtempSync(join(dir, 'write-'));
    const reps = [V(S(3)), directSum(V(S(3)), V(S(3))), Scalar];
    const n = net([3, 6, 1], { seed: 5 });
    const sha = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');
    const out = join(sub, 'projected.json');
    expect(writeProjectedNetwork(n, out, { reps }).removed.length).toBe(2);
    expect(JSON.parse(readFileSync(out, 'utf8')).sizes).toEqual([3, 6, 1]);
    writeFileSync(out, 'keep');
    const before = sha(out);
    expect(() => writeProjectedNetwork(n, out, { reps })).toThrow(OutputExistsError);
    expect(() => writeProjectedNetwork(n, out, { reps, force: 'yes' as never })).toThrow(InvalidArgumentError);
    expect(sha(out)).toBe(before);
    writeProjectedNetwork(n, out, { reps, force: true });
    expect(JSON.parse(readFileSync(out, 'utf8')).sizes).toEqual([3, 6, 1]);
    // The network's own file: refused even with force, by any path that names it.
    const src = join(sub, 'net.json');
    writeFileSync(src, JSON.stringify(n.toJSON()));
    const srcSha = sha(src);
    expect(readNetwork(src).source).toBe(realpathSync(src));
    const link = join(dir, `link-${Date.now()}`);
    symlinkSync(sub, link);
    linkSync(src, join(sub, 'hard.json'));
    symlinkSync(src, join(sub, 'sym.json'));
    for (const target of [src, join(sub, '.', 'net.json'), join(link, 'net.json'), join(sub, 'hard.json'), join(sub, 'sym.json')]) {
      expect(() => writeProjectedNetwork(src, target, { reps, force: true })).toThrow(/never writes onto its input/);
    }
    expect(() => writeProjectedNetwork(n, join(sub, 'no-folder', 'x.json'), { reps })).toThrow(/folder of output .* must exist/);
    expect(sha(src)).toBe(srcSha);
    expect(readdirSync(sub).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(() => readNetwork(join(sub, 'missing.json'))).toThrow(ModelFileError);
    writeFileSync(join(sub, 'bad.json'), '{ not json');
    expect(() => readNetwork(join(sub, 'bad.json'))).toThrow(ModelFileError);
    // NaN does not survive JSON (it is written as null): such a bias is refused, not read as 0.
    const nanJson = n.toJSON() as { layers: Array<{ biases?: unknown }> };
    (nanJson.layers[1]!.biases as unknown[])[0] = null;
    expect(() => readNetwork(nanJson as never)).toThrow(/biases\[0\] must be a finite number; received null/);
  });

  it('Lie-derivative check: a net that only sees x₂ is invariant under L₀₁ only', () => {
    // F(x) = σ(w·σ(x₂ + b₁) + b₂): rotations in the (x₀, x₁) plane leave it alone, the others do not.
    const n = net([3, 1, 1], { seed: 6, activation: 'sigmoid', weights: [[[0, 0, 1]]] });
    const r = checkSymmetry(n, { group: SO(3), repIn: V(SO(3)), repOut: Scalar, samples: 16 });
    expect(r.generators[0]!.relative).toBeLessThan(1e-12);
    expect(r.generators[1]!.relative).toBeGreaterThan(1e-3);
    expect(r.generators.map((g) => [g.name, g.verdict])).toEqual([['rotation-xy', 'holds'], ['rotation-xz', 'broken'], ['rotation-yz', 'broken']]);
    expect(r.verdict).toBe('broken');
  });

  it('check report numbers: RMS of L_ξF = σ′(x₀)·(−x₁) for F = σ(x₀) under SO(2), relative to the RMS of F', () => {
    expect(SO(2).lieAlgebra[0]!.toArray()).toEqual([[0, -1], [1, 0]]);
    const n = net([2, 1], { seed: 0, activation: 'sigmoid', weights: [[[1, 0]]] });
    const json = n.toJSON() as { layers: Array<{ biases: number[] }> };
    json.layers[1]!.biases = [0];
    const sig = (z: number): number => 1 / (1 + Math.exp(-z));
    const r = checkSymmetry(json as never, { repIn: V(SO(2)), repOut: Scalar, samples: [[0, 1], [1, 2]] });
    const lie = [sig(0) * (1 - sig(0)) * 1, sig(1) * (1 - sig(1)) * 2];
    const norm = Math.sqrt((lie[0]! ** 2 + lie[1]! ** 2) / 2);
    const scale = Math.sqrt((sig(0) ** 2 + sig(1) ** 2) / 2);
    expect(r.generators[0]!.norm).toBeCloseTo(norm, 12); // 0.32949…
    expect(r.outputScale).toBeCloseTo(scale, 12); // 0.62628…
    expect(r.maxRelative).toBeCloseTo(norm / scale, 12); // 0.52611…
    expect([r.derivative, r.tolerance, r.sampleCount]).toEqual(['exact', 1e-8, 2]);
  });

  it('per-layer analysis through core: W = [1, 2, 3] under S(3) breaks the transposition by √(1/7), the 3-cycle by √(3/7)', () => {
    const n = net([3, 1], { seed: 0, activation: 'sigmoid', weights: [[[1, 2, 3]]] });
    const [layer] = analyzeLayers(n, { reps: [V(S(3)), Scalar] });
    expect(layer!.index).toBe(0);
    expect(layer!.shape).toEqual([1, 3]);
    expect(layer!.discrete[0]).toBeCloseTo(Math.sqrt(1 / 7), 12);
    expect(layer!.discrete[1]).toBeCloseTo(Math.sqrt(3 / 7), 12);
    expect(layer!.bias).toEqual([0, 0]); // a scalar bias is invariant
    expect(layer!.verdict).toBe('broken');
    const reps = [V(S(3)), directSum(V(S(3)), V(S(3))), Scalar];
    const projected = projectNetwork(net([3, 6, 1], { seed: 5 }), { reps }).json;
    const after = analyzeLayers(projected, { reps });
    expect(after.map((l) => l.verdict)).toEqual(['holds', 'holds']);
    expect(Math.max(...after.map((l) => l.max))).toBeLessThan(1e-12);
    expect(() => analyzeLayers(n, { reps: [V(S(3))] })).toThrow(/'reps' must hold 2 Representations/);
  });


  it('rejects networks it cannot read with a typed error', () => {
    expect(() => readNetwork({ type: 'LSTM', sizes: [1, 1], layers: [] } as never)).toThrow(UnsupportedNetworkError);
    // One of core's UnsupportedModelErrors, keeping its own code.
    expect(() => readNetwork({ type: 'LSTM', sizes: [1, 1], layers: [] } as never)).toThrow(UnsupportedModelError);
    expect(() => readNetwork({ type: 'LSTM', sizes: [1, 1], layers: [] } as never)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_NETWORK' }));
    expect(() => readNetwork({ sizes: [2, 1], layers: [{ weights: [], biases: [] }, { weights: [[1, 2, 3]], biases: [0] }] })).toThrow(/1×2 weights/);
  });
});
