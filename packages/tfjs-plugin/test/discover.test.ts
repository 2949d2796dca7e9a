import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmptyInputError, SO, Scalar, ShapeMismatchError, V, directSum } from '@liesym/core';
import { FileExistsError, SymmetryMonitor, UnsupportedModelError, discoverSymmetries, equivariantMLP } from '../src/index.js';
import { jsonLinesWriter } from '../src/node.js';
import { BACKENDS, randn, useBackend } from './helpers.js';

const G = SO(3);

async function trainedInvariantModel(): Promise<tf.Sequential> {
  const model = equivariantMLP({ repIn: V(G), repOut: Scalar, hidden: directSum(V(G), V(G), V(G), Scalar, Scalar), depth: 1, seed: 5 });
  const X = randn(64, 3, 12);
  const y = X.map(([a, b, c]) => [Math.exp(-(a! * a! + b! * b! + c! * c!) / 2)]);
  model.compile({ optimizer: tf.train.adam(0.02), loss: 'meanSquaredError' });
  await model.fit(tf.tensor2d(X), tf.tensor2d(y), { epochs: 20, batchSize: 64, verbose: 0 });
  return model;
}

describe.each(BACKENDS)('discover on %s', (backend) => {
  it('recovers so(3) inside gl(3) for a model trained on a rotation-invariant target', async () => {
    await useBackend(backend);
    const model = await trainedInvariantModel();
    const r = discoverSymmetries(model, randn(40, 3, 13), { candidate: 'gl-input' });
    expect(r.singularValues.length).toBe(9);
    expect(r.dimension).toBe(3);
    for (const [a] of r.generators) expect(a.add(a.transpose()).norm()).toBeLessThan(1e-3 * a.norm());
    expect(r.closureResidual).toBeLessThan(1e-3);
    expect(r.gap).toBeGreaterThan(100);
  });

  it('finds no symmetry in a generic dense model', async () => {
    await useBackend(backend);
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 8, inputShape: [3], activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }) }), tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotNormal({ seed: 4 }) })],
    });
    const r = discoverSymmetries(model, randn(40, 3, 14), { candidate: 'gl-input' });
    expect(r.dimension).toBe(0);
  });

  it('SymmetryMonitor records the spectrum every k epochs, to history and JSON lines', async () => {
    await useBackend(backend);
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3], activation: 'tanh' }), tf.layers.dense({ units: 1 })] });
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const lines: string[] = [];
    const monitor = new SymmetryMonitor({ xs: randn(10, 3, 2), every: 2, write: (l) => lines.push(l) });
    await model.fit(tf.tensor2d(randn(16, 3, 1)), tf.ones([16, 1]), { epochs: 5, verbose: 0, callbacks: [monitor] });
    expect(monitor.history.map((h) => h.epoch)).toEqual([0, 2, 4]);
    expect(monitor.history.every((h) => h.singularValues.length === 9)).toBe(true);
    expect(lines.map((l) => JSON.parse(l).epoch)).toEqual([0, 2, 4]);
  });

  it('rejects bad input with typed errors', async () => {
    await useBackend(backend);
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] });
    expect(() => discoverSymmetries(model, randn(4, 2, 1), { candidate: 'gl-input' })).toThrow(ShapeMismatchError);
    expect(() => discoverSymmetries(model, [], { candidate: 'gl-input' })).toThrow(EmptyInputError);
    expect(() => discoverSymmetries({} as tf.LayersModel, randn(4, 3, 1), { candidate: 'gl-input' })).toThrow(UnsupportedModelError);
  });
});

describe('jsonLinesWriter (node entry)', () => {
  it('never overwrites an existing file unless asked to append', () => {
    const dir = mkdtempSync(join(tmpdir(), 'liesym-tfjs-'));
    const existing = join(dir, 'mine.jsonl');
    writeFileSync(existing, 'keep me\n');
    expect(() => jsonLinesWriter(existing)).toThrow(FileExistsError);
    expect(readFileSync(existing, 'utf8')).toBe('keep me\n');
    jsonLinesWriter(existing, { append: true })('{"a":1}');
    expect(readFileSync(existing, 'utf8')).toBe('keep me\n{"a":1}\n');
    const fresh = join(dir, 'new.jsonl');
    const w = jsonLinesWriter(fresh);
    w('{"epoch":0}');
    w('{"epoch":1}');
    expect(readFileSync(fresh, 'utf8').trim().split('\n').map((l) => JSON.parse(l).epoch)).toEqual([0, 1]);
  });
});
