/** `liesym analyze --transforms` and `liesym check --transform` on tfjs model.json files and brain.js networks, on the built bin. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import brain from 'brain.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalVector } from '@liesym/test-utils';
import { saveTfjs, tfjsModel, writeJson } from './models.js';

const bin = fileURLToPath(new URL('../bin/liesym.js', import.meta.url));
const liesym = (args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000, cwd: dir, env: { ...process.env, LIESYM_DEBUG: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};

let dir = '';
const files = { pooled: '', flat: '', vector: '', mirrored: '', plain: '', relu: '' };

/** A brain.js 6 → 5 → 2 network (or `relu` 4 → 6 → 4 without biases) through brain.js's own fromJSON/toJSON. */
function brainNet(options: { mirrored?: boolean; relu?: boolean }): object {
  const sizes = options.relu ? [4, 6, 4] : [6, 5, 2];
  let seed = 40;
  const layers = [{ weights: [] as number[][], biases: [] as number[] }];
  sizes.slice(1).forEach((out, k) => {
    const inp = sizes[k]!;
    const weights = Array.from({ length: out }, () => Array.from(normalVector(inp, { seed: seed++ })));
    // Palindromic first-layer rows: W₁·J = W₁, so F(reversed x) = F(x).
    if (k === 0 && options.mirrored) for (const row of weights) for (let j = 0; j < inp; j++) row[inp - 1 - j] = row[j]!;
    layers.push({ weights, biases: options.relu ? new Array<number>(out).fill(0) : Array.from(normalVector(out, { seed: seed++, scale: 0.3 })) });
  });
  const json = {
    type: 'NeuralNetwork',
    sizes,
    layers,
    inputLookup: null,
    inputLookupLength: 0,
    outputLookup: null,
    outputLookupLength: 0,
    options: { inputSize: sizes[0], outputSize: sizes[sizes.length - 1], binaryThresh: 0.5, hiddenLayers: sizes.slice(1, -1) },
    trainOpts: { activation: options.relu ? 'relu' : 'sigmoid', iterations: 1, errorThresh: 0.005, log: false, logPeriod: 10, leakyReluAlpha: 0.01, learningRate: 0.3, momentum: 0.1, callbackPeriod: 10, timeout: 'Infinity', beta1: 0.9, beta2: 0.999, epsilon: 1e-8, praxis: null },
  };
  return new brain.NeuralNetwork().fromJSON(json as never).toJSON() as unknown as object;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'liesym-tfjs-brain-'));
  tf.enableProdMode();
  await tf.setBackend('cpu');
  const init = (seed: number) => tf.initializers.randomNormal({ mean: 0, stddev: 0.5, seed });
  // [N, 6, 6, 2] (NHWC): a 1×1 conv then the mean over pixels is the same for any permutation of the pixels.
  const pooled = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [6, 6, 2], filters: 3, kernelSize: 1, activation: 'tanh', kernelInitializer: init(1), biasInitializer: init(2) }),
      tf.layers.globalAveragePooling2d({}),
    ],
  });
  const flat = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [6, 6, 2] }), tf.layers.dense({ units: 3, kernelInitializer: init(3) })] });
  files.pooled = await saveTfjs(pooled, dir, 'pooled');
  files.flat = await saveTfjs(flat, dir, 'flat');
  files.vector = await tfjsModel(dir, { name: 'vector', symmetric: true });
  files.mirrored = writeJson(join(dir, 'mirrored.json'), brainNet({ mirrored: true }));
  files.plain = writeJson(join(dir, 'plain.json'), brainNet({}));
  files.relu = writeJson(join(dir, 'relu.json'), brainNet({ relu: true }));
});

describe('liesym check --transform on tfjs and brain.js models', () => {
  it('tfjs: the pooled model holds flips and turns (exit 0), Flatten+Dense breaks them (exit 1), same --json fields as ONNX', () => {
    const ok = liesym(['check', files.pooled, '--transform', 'rotate180', '--transform', 'flip-horizontal', '--samples', '8']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^model +.*\(tfjs: \[6, 6, 2\] → \[3\] float32/m);
    expect(ok.stdout).toMatch(/layout NHWC/);
    expect(ok.stdout).toMatch(/^ {2}rotate180 +\S+ {2}holds$/m);
    const bad = liesym(['check', files.flat, '--transform', 'rotate180', '--samples', '8', '--json', '-']);
    expect(bad.code).toBe(1);
    const j = JSON.parse(bad.stdout) as { kind: string; samples: number; verdict: string; discrete: Array<{ name: string; residual: number; verdict: string }>; outputPermutation: null; tolerance: number };
    expect(j.kind).toBe('tfjs');
    expect(j.samples).toBe(8);
    expect(j.verdict).toBe('broken');
    expect(j.outputPermutation).toBeNull();
    expect(j.tolerance).toBe(1e-4);
    expect(j.discrete[0]!.name).toBe('rotate180');
    expect(j.discrete[0]!.residual).toBeGreaterThan(0.3);
  });

  it('brain.js: time-reversal holds on mirrored first-layer weights (residual 0) and breaks on random ones', () => {
    const ok = liesym(['check', files.mirrored, '--transform', 'time-reversal', '--samples', '16', '--json', '-']);
    expect(ok.stderr).toMatch(/^model +.*\(brain\.js: sizes \[6, 5, 2\]/); // the table goes to stderr with --json -
    expect(ok.code).toBe(0);
    const j = JSON.parse(ok.stdout) as { kind: string; discrete: Array<{ name: string; residual: number; verdict: string }> };
    expect(j.kind).toBe('brain.js');
    expect(j.discrete[0]!.residual).toBeLessThan(1e-14);
    const bad = liesym(['check', files.plain, '--transform', 'time-reversal', '--samples', '16']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/^ {2}time-reversal +\S+ {2}broken$/m);
  });

  it('refuses what does not apply with exit 2 and a reason', () => {
    const cases: Array<[string[], RegExp]> = [
      [['check', files.mirrored, '--transform', 'rotate180'], /--transform rotate180: brain.js inputs are vectors of 6 numbers/],
      [['check', files.vector, '--transform', 'rotate180'], /'rotate180' needs an image input .* is \[3\]/],
      [['check', files.pooled, '--transform', 'time-reversal'], /'time-reversal' needs a signal input/],
      [['analyze', files.mirrored, '--transforms', 'image'], /--transforms image: brain.js inputs are vectors of 6 numbers, read as a signal; use --transforms signal/],
      [['analyze', files.mirrored, '--transforms', 'rotation'], /--transforms rotation: brain.js inputs are vectors/],
      [['analyze', files.vector, '--transforms', 'image'], /image transforms need input .*\[3\]/],
    ];
    for (const [args, message] of cases) {
      const r = liesym(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});

describe('liesym analyze --transforms on tfjs and brain.js models', () => {
  it('tfjs: one row per transform, layout NHWC, and the same --json fields as ONNX', () => {
    const r = liesym(['analyze', files.pooled, '--transforms', 'rotation,translation-x,brightness', '--samples', '4', '--json', '-']);
    expect(r.stderr).not.toMatch(/liesym:/);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { kind: string; layout: string; samples: number; output: string; transforms: Array<{ name: string; error: number; unit: string; verdict: string; action: string }> };
    expect(j.kind).toBe('tfjs');
    expect(j.layout).toBe('NHWC');
    expect(j.samples).toBe(4);
    expect(typeof j.output).toBe('string');
    expect(j.transforms.map((t) => [t.name, t.unit, t.action])).toEqual([
      ['rotation', 'degree', 'invariant'],
      ['translation-x', 'pixel', 'invariant'],
      ['brightness', 'percent', 'invariant'],
    ]);
    // The mean over pixels of a pointwise map does not see where a pixel is: rotation holds (5.6e-4
    // measured, the border derivative's edges only); brightness changes every pixel and breaks it.
    expect(j.transforms.map((t) => t.verdict)).toEqual(['holds', 'broken', 'broken']);
    expect(j.transforms[2]!.error).toBeGreaterThan(10 * j.transforms[0]!.error);
    const table = liesym(['analyze', files.pooled, '--transforms', 'rotation', '--samples', '2']);
    expect(table.stdout).toMatch(/^samples +2 \(seed 0\), layout NHWC$/m);
    expect(table.stdout).toMatch(/^ {2}rotation +\S+ +\S+ \/ degree {2}(holds|broken)$/m);
  });

  it('brain.js: gain on a bias-free ReLU net is an exact equivariance (positively homogeneous)', () => {
    const r = liesym(['analyze', files.relu, '--transforms', 'gain,time-shift', '--samples', '8', '--json', '-']);
    expect(r.stderr).not.toMatch(/liesym:/);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { kind: string; layout: string; transforms: Array<{ name: string; error: number; verdict: string; action: string }> };
    expect(j.kind).toBe('brain.js');
    expect(j.layout).toBe('signal');
    expect(j.transforms[0]).toMatchObject({ name: 'gain', action: 'equivariant', verdict: 'holds' });
    expect(j.transforms[0]!.error).toBeLessThan(1e-9);
    expect(j.transforms[1]).toMatchObject({ name: 'time-shift', action: 'equivariant', verdict: 'broken' });
  });

  it('--layers on tfjs: the Flatten+Dense model’s layers in --json, the parts adding up; brain.js is refused (exit 2)', () => {
    const r = liesym(['analyze', files.flat, '--transforms', 'translation-x', '--layers', '--samples', '3', '--json', '-']);
    expect(r.stderr).not.toMatch(/liesym:/);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { layers: { transforms: Array<{ closure: number; total: { error: number }; nodes: Array<{ opType: string; error: number; propagated: boolean }> }> } };
    const t = j.layers.transforms[0]!;
    expect(t.nodes.map((n) => n.opType)).toEqual(['Flatten', 'Dense']);
    // Flatten drops the grid: it carries the whole translation error; Dense on a fixed vector has no defect.
    expect(t.nodes[0]!.propagated).toBe(true);
    expect(t.nodes[1]!.propagated).toBe(false);
    expect(t.closure).toBeLessThan(0.01);
    expect(Math.abs(t.nodes[0]!.error - t.total.error) / t.total.error).toBeLessThan(0.01);
    const brain = liesym(['analyze', files.relu, '--transforms', 'gain', '--layers']);
    expect(brain.code).toBe(2);
    expect(brain.stderr).toMatch(/--layers needs an ONNX or tfjs model/);
  });
});
