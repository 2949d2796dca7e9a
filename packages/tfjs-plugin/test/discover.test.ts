import * as tf from '@tensorflow/tfjs';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EmptyInputError,
  InsufficientDataError,
  Matrix,
  SO,
  Scalar,
  ShapeMismatchError,
  V,
  defaultTolerance,
  directSum,
  discoverSymmetries as coreDiscover,
  symmetriesFromMatrix,
} from '@liesym/core';
import {
  FileExistsError,
  OutputExistsError,
  SymmetryMonitor,
  UnsupportedModelError,
  discoverSymmetries,
  equivariantMLP,
  modelEvaluator,
} from '../src/index.js';
import { jsonLinesWriter } from '../src/node.js';
import { BACKENDS, quadraticModel, randn, useBackend } from './helpers.js';

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
    expect(r.identification).toBe('so(3)');
    expect(r.determined).toBe(true);
    expect([r.derivative, r.rtol]).toEqual(['exact', defaultTolerance('rank', { derivative: 'exact', dtype: 'float32' })]);
    expect(r.rtol).toBe(1e-3);
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

  it('|x|² with the three so(3) generators as candidate pairs has all 3 (the threshold floor applies through the evaluator)', async () => {
    await useBackend(backend);
    const model = quadraticModel({ S: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], w: [0, 0, 0], c: 1, b: 0, activation: 'linear' });
    const xs = randn(20, 3, 3);
    expect(Array.from((model.predict(tf.tensor2d(xs)) as tf.Tensor).dataSync()).every((v, s) => Math.abs(v - xs[s]!.reduce((a, x) => a + x * x, 0)) < 1e-5 * (1 + v))).toBe(true);
    const so3 = G.lieAlgebra.map((a) => [a, Matrix.zeros(1, 1)] as [Matrix, Matrix]);
    const r = discoverSymmetries(model, xs, { candidate: so3 });
    expect(r.dimension).toBe(3);
    expect(r.identification).toBe('so(3)');
    expect(r.singularValues[2]!).toBeLessThanOrEqual(r.threshold);
    // the old route (a bare rtol, no floor from the size of the terms) called none of them symmetric
    expect(symmetriesFromMatrix(r.matrix, r.candidate, 1e-3).dimension).toBe(0);
    // the same answer as core's engine on the exact function, to float32 accuracy
    const exact = coreDiscover((x) => [x[0]! ** 2 + x[1]! ** 2 + x[2]! ** 2], xs, { candidate: so3, jacobian: (x) => [[2 * x[0]!, 2 * x[1]!, 2 * x[2]!]] });
    expect(exact.dimension).toBe(3);
    expect(Math.max(...r.matrix.data.map((v, i) => Math.abs(v - exact.matrix.data[i]!)))).toBeLessThan(1e-5);
  });

  it('modelEvaluator gives core float32 values and exact Jacobians of the model', async () => {
    await useBackend(backend);
    const model = quadraticModel({ S: [[1, 2], [0, -1]], w: [0.5, -0.25], c: 0.3, b: 0.1 });
    const ev = modelEvaluator(model, { batchSize: 2 });
    expect([ev.dimIn, ev.dimOut, ev.dtype]).toEqual([2, 1, 'float32']);
    const pts = Float64Array.of(0.3, -0.7, 1.1, 0.4, -0.2, 0.9);
    const F = (x: number, y: number) => Math.tanh(0.3 * (x * x + 2 * x * y - y * y) + 0.5 * x - 0.25 * y + 0.1);
    const values = ev.evaluate(pts, 3) as Float64Array;
    const jac = ev.jacobians!(pts, 3) as Float64Array;
    for (let s = 0; s < 3; s++) {
      const [x, y] = [pts[2 * s]!, pts[2 * s + 1]!];
      const d = 1 - F(x, y) ** 2;
      expect(Math.abs(values[s]! - F(x, y))).toBeLessThan(1e-6);
      expect(Math.abs(jac[2 * s]! - d * (0.3 * (2 * x + 2 * y) + 0.5))).toBeLessThan(1e-5);
      expect(Math.abs(jac[2 * s + 1]! - d * (0.3 * (2 * x - 2 * y) - 0.25))).toBeLessThan(1e-5);
    }
  });

  it('SymmetryMonitor records the spectrum every k epochs, to history and JSON lines', async () => {
    await useBackend(backend);
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [3], activation: 'tanh' }), tf.layers.dense({ units: 1 })] });
    model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
    const lines: string[] = [];
    const samples = randn(10, 3, 2);
    const monitor = new SymmetryMonitor({ samples, every: 2, write: (l) => lines.push(l) });
    await model.fit(tf.tensor2d(randn(16, 3, 1)), tf.ones([16, 1]), { epochs: 5, verbose: 0, callbacks: [monitor] });
    expect(monitor.history.map((h) => h.epoch)).toEqual([0, 2, 4]);
    expect(monitor.history.every((h) => h.singularValues.length === 9)).toBe(true);
    expect(lines.map((l) => JSON.parse(l).epoch)).toEqual([0, 2, 4]);
    // each record is core's discovery at the 'fitted' float32 tolerance (1e-2), spectrum ascending
    const last = monitor.history.at(-1)!;
    const r = coreDiscover(modelEvaluator(model), samples, { candidate: 'gl-input', rtol: defaultTolerance('rank', { derivative: 'fitted', dtype: 'float32' }) });
    expect(last.dimension).toBe(r.dimension);
    expect(last.singularValues).toEqual(Array.from(r.singularValues));
    expect(last.singularValues.every((v, i, a) => i === 0 || a[i - 1]! <= v)).toBe(true);
    expect(Object.keys(last).sort()).toEqual(['dimension', 'epoch', 'gap', 'singularValues']);
    // the deprecated option name still works
    const old = new SymmetryMonitor({ xs: samples });
    old.setModel(model);
    expect(old.record(7).singularValues).toEqual(last.singularValues);
  });

  it('rejects bad input with typed errors', async () => {
    await useBackend(backend);
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [3] })] });
    expect(() => discoverSymmetries(model, randn(4, 2, 1), { candidate: 'gl-input' })).toThrow(ShapeMismatchError);
    expect(() => discoverSymmetries(model, [], { candidate: 'gl-input' })).toThrow(EmptyInputError);
    expect(() => discoverSymmetries({} as tf.LayersModel, randn(4, 3, 1), { candidate: 'gl-input' })).toThrow(UnsupportedModelError);
    // 4 samples × 1 output = 4 rows cannot decide among 9 candidates: refused, not answered
    expect(() => discoverSymmetries(model, randn(4, 3, 1), { candidate: 'gl-input' })).toThrow(InsufficientDataError);
    expect(() => discoverSymmetries(model, randn(12, 3, 1), { candidate: 'gl-input', rtol: 1 })).toThrow(/'rtol' must be a number in \[0, 1\)/);
    expect(() => discoverSymmetries(model, randn(12, 3, 1), { candidate: 'gl-input', batchSize: 0 })).toThrow(/'batchSize' must be an integer ≥ 1/);
    expect(() => new SymmetryMonitor({})).toThrow(/'samples' is required/);
  });
});

describe('jsonLinesWriter (node entry)', () => {
  it('never overwrites an existing file unless asked to append', () => {
    const dir = mkdtempSync(join(tmpdir(), 'liesym-tfjs-'));
    const existing = join(dir, 'mine.jsonl');
    writeFileSync(existing, 'keep me\n');
    expect(() => jsonLinesWriter(existing)).toThrow(OutputExistsError);
    expect(() => jsonLinesWriter(existing)).toThrow(FileExistsError); // the deprecated alias is the same class
    expect(FileExistsError).toBe(OutputExistsError);
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
