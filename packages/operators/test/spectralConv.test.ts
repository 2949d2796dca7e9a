import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { D, InvalidArgumentError, Matrix, O } from '@liesym/core';
import { assertEquivariant, equivarianceReport, type BatchEvaluator, type RepresentationLike } from '@liesym/test-utils';
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

/** transformField's D4 element e as a matrix of core's D(4): R^(e mod 4), times diag(1, −1) for e ≥ 4. */
function d4Matrix(e: number): Matrix {
  const r = Matrix.from([[0, -1], [1, 0]]);
  let m = Matrix.identity(2);
  for (let k = 0; k < e % 4; k++) m = r.mul(m);
  return e >= 4 ? m.mul(Matrix.diag([1, -1])) : m;
}

/** Every element of D4 but the identity. */
const D4_ELEMENTS = [1, 2, 3, 4, 5, 6, 7].map(d4Matrix);

/** D4 acting on fields of a square grid, (g·u)(x) = ρ(g)·u(g⁻¹x) (transformField), as the kit's representation of D(4). */
function d4FieldRep(grid: Grid, channels: number, value: 'scalar' | 'vector'): RepresentationLike<Matrix> {
  const element = (g: Matrix): number => {
    const e = [0, 1, 2, 3, 4, 5, 6, 7].find((k) => d4Matrix(k).sub(g).maxAbs() < 1e-9);
    if (e === undefined) throw new Error(`not an element of D4: ${JSON.stringify(g.toArray())}`);
    return e;
  };
  return {
    dim: grid.points * channels,
    group: D(4),
    rhoOf: (g) => ({ matvec: (x) => transformField(new Field(grid, channels, x), { kind: 'd4', element: element(g) }, { value }).data }),
  };
}

/** A layer or model on fields as the kit's batch evaluator (one float32 call for all fields). */
function fieldEvaluator(run: (t: tf.Tensor) => tf.Tensor, grid: Grid, channels: number): BatchEvaluator {
  return {
    batch: (xs) => {
      const y = tf.tidy(() => run(fieldsToTensor(xs.map((x) => new Field(grid, channels, Float64Array.from(x))))));
      const out = tensorToFields(y, grid).map((f) => f.data);
      y.dispose();
      return out;
    },
  };
}

const grid = new Grid({ size: [16, 16] });

describe('SpectralConv (enforce)', () => {
  it('is exactly D4-equivariant with d4 / so2 weights, for scalar and vector values, and a plain layer is not', async () => {
    const cases: Array<[SpectralConv, number, 'scalar' | 'vector', 'scalar' | 'vector']> = [
      [new SpectralConv({ gridSize: [16, 16], filters: 3, modes: 5, symmetry: 'd4', seed: 1 }), 2, 'scalar', 'scalar'],
      [new SpectralConv({ gridSize: [16, 16], filters: 3, modes: 5, symmetry: 'so2', seed: 2 }), 2, 'scalar', 'scalar'],
      [new SpectralConv({ gridSize: [16, 16], filters: 4, modes: 5, symmetry: 'd4', valueIn: 'vector', valueOut: 'vector', seed: 3 }), 2, 'vector', 'vector'],
      [new SpectralConv({ gridSize: [16, 16], filters: 2, modes: 5, symmetry: 'so2', valueOut: 'vector', seed: 4 }), 3, 'scalar', 'vector'],
      [new SpectralConv({ gridSize: [16, 16], filters: 2, modes: 5, symmetry: 'd4', valueIn: 'vector', seed: 5 }), 2, 'vector', 'scalar'],
    ];
    // One random field per layer against every element of D4 but the identity.
    const check = (layer: SpectralConv, { c, vi, vo, seed }: { c: number; vi: 'scalar' | 'vector'; vo: 'scalar' | 'vector'; seed: number }) => {
      const cOut = applyLayer(layer, [new Field(grid, c)])[0]!.channels;
      const f = fieldEvaluator((t) => layer.apply(t) as tf.Tensor, grid, c);
      return { f, repIn: d4FieldRep(grid, c, vi), repOut: d4FieldRep(grid, cOut, vo), options: { dtype: 'float32', seed, samples: 1, elements: D4_ELEMENTS } as const };
    };
    for (const [k, [layer, c, vi, vo]] of cases.entries()) {
      const { f, repIn, repOut, options } = check(layer, { c, vi, vo, seed: 10 + k });
      await assertEquivariant(f, repIn, repOut, options);
    }
    const plain = check(new SpectralConv({ gridSize: [16, 16], filters: 3, modes: 5, seed: 6 }), { c: 2, vi: 'scalar', vo: 'scalar', seed: 20 });
    expect((await equivarianceReport(plain.f, { repIn: plain.repIn, repOut: plain.repOut, ...plain.options })).max).toBeGreaterThan(0.1);
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
    // Reflection equivariance holds for the trained model: O(1)'s x ↦ −x is index i ↦ −i mod n.
    const reflection: RepresentationLike<Matrix> = {
      dim: n,
      group: O(1),
      rhoOf: (g) => ({ matvec: (u) => (g.get(0, 0) < 0 ? u.map((_, i) => u[(n - i) % n]!) : u) }),
    };
    const predict = { evaluate: (xs: Float64Array, count: number) => tf.tidy(() => (model.predict(tf.tensor3d(Float32Array.from(xs), [count, n, 1])) as tf.Tensor).dataSync()) };
    await assertEquivariant(predict, reflection, reflection, { dtype: 'float32', seed: 7, samples: 32, elements: O(1).discreteGenerators });
    tf.dispose([x, y]);
  });

  it('is exactly D4-equivariant end to end for vector fields in and out (d4, spectral lift and projection)', async () => {
    const model = fno({ gridSize: [16, 16], channelsIn: 2, channelsOut: 2, valueIn: 'vector', valueOut: 'vector', width: 4, modes: 4, layers: 1, symmetry: 'd4', seed: 4 });
    const g = new Grid({ size: [16, 16] });
    const u = Field.fromFunction(g, ([x, y]) => [Math.exp(-((x! - 0.5) ** 2 + 2 * y! ** 2)), Math.sin(x!) * Math.exp(-(x! ** 2 + (y! - 0.3) ** 2))]);
    const vectors = d4FieldRep(g, 2, 'vector');
    const predict = (m: tf.LayersModel): BatchEvaluator => fieldEvaluator((t) => m.predict(t) as tf.Tensor, g, 2);
    await assertEquivariant(predict(model), vectors, vectors, { dtype: 'float32', seed: 0, samples: [u.data], elements: D4_ELEMENTS });
    // The same network treating the values as two scalars is not equivariant for vectors.
    const plain = fno({ gridSize: [16, 16], channelsIn: 2, channelsOut: 2, width: 4, modes: 4, layers: 1, symmetry: 'd4', seed: 4 });
    const r = await equivarianceReport(predict(plain), { repIn: vectors, repOut: vectors, dtype: 'float32', seed: 0, samples: [u.data], elements: [d4Matrix(1)] });
    expect(r.max).toBeGreaterThan(1e-2);
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
