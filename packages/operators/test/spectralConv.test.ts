import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '@liesym/core';
import {
  Field,
  Grid,
  SpectralConv,
  fieldsToTensor,
  fno,
  modeTable,
  tensorToFields,
  transformField,
} from '../src/index.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
});

function rel(a: Float64Array | Float32Array, b: Float64Array | Float32Array): number {
  let n = 0;
  let d = 0;
  a.forEach((v, i) => {
    n += (v - b[i]!) ** 2;
    d += b[i]! ** 2;
  });
  return Math.sqrt(n / d);
}

function applyLayer(layer: SpectralConv, fields: Field[]): Field[] {
  const y = tf.tidy(() => layer.apply(fieldsToTensor(fields)) as tf.Tensor);
  const out = tensorToFields(y, fields[0]!.grid);
  y.dispose();
  return out;
}

/** max over D4 of ‖K(g·u) − g·K(u)‖/‖K(u)‖. */
function d4Error(layer: SpectralConv, u: Field, valueIn: 'scalar' | 'vector', valueOut: 'scalar' | 'vector'): number {
  const [ku] = applyLayer(layer, [u]);
  let worst = 0;
  for (let e = 1; e < 8; e++) {
    const [kgu] = applyLayer(layer, [transformField(u, { kind: 'd4', element: e }, { value: valueIn })]);
    worst = Math.max(worst, rel(kgu!.data, transformField(ku!, { kind: 'd4', element: e }, { value: valueOut }).data));
  }
  return worst;
}

const grid = new Grid({ size: [16, 16] });
const random = (c: number, seed: number): Field => {
  const t = tf.randomNormal([grid.points * c], 0, 1, 'float32', seed);
  const f = new Field(grid, c, Float64Array.from(t.dataSync()));
  t.dispose();
  return f;
};

describe('SpectralConv (enforce)', () => {
  it('is exactly D4-equivariant with d4 / so2 weights, for scalar and vector values, and a plain layer is not', () => {
    const cases: Array<[SpectralConv, number, 'scalar' | 'vector', 'scalar' | 'vector']> = [
      [new SpectralConv({ gridSize: [16, 16], filters: 3, modes: 5, symmetry: 'd4', seed: 1 }), 2, 'scalar', 'scalar'],
      [new SpectralConv({ gridSize: [16, 16], filters: 3, modes: 5, symmetry: 'so2', seed: 2 }), 2, 'scalar', 'scalar'],
      [new SpectralConv({ gridSize: [16, 16], filters: 4, modes: 5, symmetry: 'd4', valueIn: 'vector', valueOut: 'vector', seed: 3 }), 2, 'vector', 'vector'],
      [new SpectralConv({ gridSize: [16, 16], filters: 2, modes: 5, symmetry: 'so2', valueOut: 'vector', seed: 4 }), 3, 'scalar', 'vector'],
      [new SpectralConv({ gridSize: [16, 16], filters: 2, modes: 5, symmetry: 'd4', valueIn: 'vector', seed: 5 }), 2, 'vector', 'scalar'],
    ];
    cases.forEach(([layer, c, vi, vo], k) => expect(d4Error(layer, random(c, 10 + k), vi, vo)).toBeLessThan(1e-5));
    const plain = new SpectralConv({ gridSize: [16, 16], filters: 3, modes: 5, seed: 6 });
    expect(d4Error(plain, random(2, 20), 'scalar', 'scalar')).toBeGreaterThan(0.1);
  });

  it('shares weights on shells |k| = const (so2) and on D4 orbits (d4)', () => {
    expect(modeTable([16, 16], 5, 'so2').orbits).toBeLessThan(modeTable([16, 16], 5, 'd4').orbits);
    // |k|² = 25 holds (5, 0) and (3, 4): one shell, two D4 orbits.
    const t = modeTable([16, 16], 5, 'so2');
    const idx = (a: number, b: number): number => t.orbit[t.k.findIndex((v) => v[0] === a && v[1] === b)]!;
    expect(idx(5, 0)).toBe(idx(3, 4));
    const d = modeTable([16, 16], 5, 'd4');
    const jdx = (a: number, b: number): number => d.orbit[d.k.findIndex((v) => v[0] === a && v[1] === b)]!;
    expect(jdx(5, 0)).not.toBe(jdx(3, 4));
    expect(jdx(1, 2)).toBe(jdx(-2, 1));
  });

  it('commutes with continuous rotations up to a discretization error that shrinks with resolution (so2)', () => {
    const f = (x: number, y: number): number => Math.exp(-0.5 * ((x / 0.5) ** 2 + (y / 0.25) ** 2));
    const angle = 0.5;
    const errors = [16, 32, 64].map((n) => {
      const g = new Grid({ size: [n, n] });
      const layer = new SpectralConv({ gridSize: [n, n], filters: 1, modes: n / 4, symmetry: 'so2' });
      const u = Field.fromFunction(g, ([x, y]) => [f(x!, y!)]);
      applyLayer(layer, [u]);
      // Basis coefficients g(c_b) = e^{−c_b²/18}: R(|k|) = Σ g(c_b) φ_b(|k|), a smooth radial profile
      // (nearly the same function on every grid) whose kernel decays fast in space.
      const nb = Math.floor(n / 4 / 2) + 1;
      layer.setWeights([tf.tensor3d(Float32Array.from({ length: nb }, (_, b) => Math.exp(-((2 * b) ** 2) / 18) / 3), [nb, 1, 1])]);
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      const ru = Field.fromFunction(g, ([x, y]) => [f(c * x! + s * y!, -s * x! + c * y!)]);
      const [kru] = applyLayer(layer, [ru]);
      const [ku] = applyLayer(layer, [u]);
      return rel(kru!.data, transformField(ku!, { kind: 'rotation', angle }).data);
    });
    console.log('SO(2) equivariance error at n = 16, 32, 64:', errors.map((e) => e.toExponential(2)).join(', '));
    // Measured 6.4e-3, 2.4e-4, 1.2e-4: the cutoff error is gone by n = 32; the rest is float32.
    expect(errors[1]!).toBeLessThan(errors[0]! / 3);
    expect(errors[2]!).toBeLessThan(errors[0]! / 3);
    expect(errors[2]!).toBeLessThan(1e-3);
  });

  it('rejects bad sizes: modes at Nyquist, a grid-size mismatch at build, an unknown symmetry', () => {
    expect(() => new SpectralConv({ gridSize: [16, 16], filters: 2, modes: 8 })).toThrow(InvalidArgumentError);
    expect(() => new SpectralConv({ gridSize: [16], filters: 2, modes: 3, symmetry: 'so2' })).toThrow(/one of none, reflection/);
    const layer = new SpectralConv({ gridSize: [16, 16], filters: 2, modes: 3 });
    expect(() => layer.apply(tf.zeros([1, 32, 32, 1]))).toThrow(/\[batch, 16, 16, c\].*\[1,32,32,1\]/);
  });
});

describe('fno', () => {
  it('trains with model.fit (1-D, reflection-enforced) and reduces the loss on a linear smoothing operator', async () => {
    const n = 32;
    const model = fno({ gridSize: [n], width: 8, modes: 6, layers: 2, symmetry: 'reflection', seed: 1 });
    model.compile({ optimizer: tf.train.adam(5e-3), loss: 'meanSquaredError' });
    const x = tf.randomNormal([32, n, 1], 0, 1, 'float32', 7);
    // Target: a three-point average (reflection- and translation-equivariant).
    const y = tf.tidy(() => tf.add(tf.add(x, tf.concat([x.slice([0, 1, 0], [-1, n - 1, -1]), x.slice([0, 0, 0], [-1, 1, -1])], 1)), tf.concat([x.slice([0, n - 1, 0], [-1, 1, -1]), x.slice([0, 0, 0], [-1, n - 1, -1])], 1)).div(3));
    const h = await model.fit(x, y, { epochs: 30, batchSize: 16, verbose: 0 });
    const loss = h.history['loss'] as number[];
    expect(loss[loss.length - 1]!).toBeLessThan(loss[0]! / 3);
    // Reflection equivariance holds for the trained model (x ↦ −x is index i ↦ −i mod n).
    const refl = tf.tidy(() => tf.concat([x.slice([0, 0, 0], [-1, 1, -1]), tf.reverse(x.slice([0, 1, 0], [-1, n - 1, -1]), 1)], 1));
    const a = tf.tidy(() => model.predict(refl) as tf.Tensor);
    const b0 = tf.tidy(() => model.predict(x) as tf.Tensor);
    const b = tf.tidy(() => tf.concat([b0.slice([0, 0, 0], [-1, 1, -1]), tf.reverse(b0.slice([0, 1, 0], [-1, n - 1, -1]), 1)], 1));
    expect(rel(a.dataSync() as Float32Array, b.dataSync() as Float32Array)).toBeLessThan(1e-4);
    tf.dispose([x, y, refl, a, b0, b]);
  });

  it('is exactly D4-equivariant end to end for vector fields in and out (d4, spectral lift and projection)', () => {
    const model = fno({ gridSize: [16, 16], channelsIn: 2, channelsOut: 2, valueIn: 'vector', valueOut: 'vector', width: 4, modes: 4, layers: 1, symmetry: 'd4', seed: 4 });
    const g = new Grid({ size: [16, 16] });
    const u = Field.fromFunction(g, ([x, y]) => [Math.exp(-((x! - 0.5) ** 2 + 2 * y! ** 2)), Math.sin(x!) * Math.exp(-(x! ** 2 + (y! - 0.3) ** 2))]);
    const run = (f: Field): Field => {
      const y = tf.tidy(() => model.predict(fieldsToTensor([f])) as tf.Tensor);
      const out = tensorToFields(y, g)[0]!;
      y.dispose();
      return out;
    };
    const nu = run(u);
    let worst = 0;
    for (let e = 1; e < 8; e++) {
      const lhs = run(transformField(u, { kind: 'd4', element: e }, { value: 'vector' }));
      worst = Math.max(worst, rel(lhs.data, transformField(nu, { kind: 'd4', element: e }, { value: 'vector' }).data));
    }
    expect(worst).toBeLessThan(1e-5);
    // The same network treating the values as two scalars is not equivariant for vectors.
    const plain = fno({ gridSize: [16, 16], channelsIn: 2, channelsOut: 2, width: 4, modes: 4, layers: 1, symmetry: 'd4', seed: 4 });
    const p0 = tf.tidy(() => plain.predict(fieldsToTensor([u])) as tf.Tensor);
    const p1 = tf.tidy(() => plain.predict(fieldsToTensor([transformField(u, { kind: 'd4', element: 1 }, { value: 'vector' })])) as tf.Tensor);
    const rotated = transformField(tensorToFields(p0, g)[0]!, { kind: 'd4', element: 1 }, { value: 'vector' });
    expect(rel(tensorToFields(p1, g)[0]!.data, rotated.data)).toBeGreaterThan(1e-2);
    tf.dispose([p0, p1]);
  });

  it('round-trips through getConfig / registerClass (model JSON)', async () => {
    const model = fno({ gridSize: [16, 16], width: 4, modes: 3, layers: 1, symmetry: 'so2' });
    const json = model.toJSON(null, false) as object;
    const copy = await tf.models.modelFromJSON(json as tf.io.ModelJSON['modelTopology'] as never);
    copy.setWeights(model.getWeights());
    const x = tf.randomNormal([2, 16, 16, 1], 0, 1, 'float32', 3);
    const a = model.predict(x) as tf.Tensor;
    const b = copy.predict(x) as tf.Tensor;
    expect(rel(a.dataSync() as Float32Array, b.dataSync() as Float32Array)).toBeLessThan(1e-6);
    tf.dispose([x, a, b]);
  });
});
