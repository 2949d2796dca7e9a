import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, SO, V, candidateLayerGenerators, layerGenerators, stackedNuclearNorm, transposeLayerGenerators, type PreparedLayerGenerators } from '@liesym/core';
import { symmetryRegularizer } from '../src/index.js';
import { BACKENDS, maxRelDiff, randn, useBackend } from './helpers.js';

/** core's float64 reference on a tfjs kernel K (dimIn×dimOut), with the generators rewritten for the transpose. */
function reference(p: PreparedLayerGenerators, kernel: tf.Tensor) {
  const w = Float64Array.from(kernel.dataSync());
  const r = stackedNuclearNorm([{ generators: transposeLayerGenerators(p.generators), w }], { orthonormalizer: p.orthonormalizer });
  return { ...r, norm: Math.sqrt(w.reduce((s, v) => s + v * v, 0)), w };
}

/** Central difference of the regularizer along dir (float32: h = 1e-2). */
function directional(f: (k: tf.Tensor) => tf.Scalar, kernel: tf.Tensor, dir: tf.Tensor): number {
  const h = 1e-2;
  return tf.tidy(() => (f(tf.add(kernel, tf.mul(dir, h))).dataSync()[0]! - f(tf.sub(kernel, tf.mul(dir, h))).dataSync()[0]!) / (2 * h));
}

const SETUPS = [
  { name: "'gl-input' on the 8 → 50 kernel of an MLP", options: { candidate: 'gl-input' as const }, shape: [8, 50] as const, p: () => candidateLayerGenerators('gl-input', { dimIn: 8, dimOut: 50 }) },
  { name: 'V → V of SO(3)', options: { repIn: V(SO(3)), repOut: V(SO(3)) }, shape: [3, 3] as const, p: () => layerGenerators(V(SO(3)), V(SO(3))) },
];

describe.each(BACKENDS)('symmetryRegularizer (prepared path) on %s', (backend) => {
  for (const s of SETUPS) {
    it(`value and gradient match core's float64 stackedNuclearNorm and finite differences: ${s.name}`, async () => {
      await useBackend(backend);
      const reg = symmetryRegularizer({ ...s.options, weight: 0.3 });
      const kernel = tf.tensor2d(randn(s.shape[0], s.shape[1], 31));
      const ref = reference(s.p(), kernel);
      const value = reg.apply(kernel).dataSync()[0]!;
      expect(Math.abs(value - 0.3 * ref.value) / (0.3 * ref.value)).toBeLessThan(1e-6);
      const grad = tf.grad((k: tf.Tensor) => reg.apply(k))(kernel);
      expect(maxRelDiff(grad.dataSync(), ref.gradients[0]!.map((v) => 0.3 * v))).toBeLessThan(1e-5);
      const dir = tf.tensor2d(randn(s.shape[0], s.shape[1], 32));
      const an = tf.sum(tf.mul(grad, dir)).dataSync()[0]!;
      expect(Math.abs(directional((k) => reg.apply(k), kernel, dir) - an) / Math.abs(an)).toBeLessThan(1e-2);
      // a second kernel through the same (prepared) regularizer gives that kernel's answer
      const other = tf.tensor2d(randn(s.shape[0], s.shape[1], 33));
      expect(Math.abs(reg.apply(other).dataSync()[0]! / (0.3 * reference(s.p(), other).value) - 1)).toBeLessThan(1e-6);
      tf.dispose([kernel, grad, dir, other]);
    });
  }

  it("normalize: 'weights' is γ‖D_W‖_* / ‖W‖_F: scale invariant, gradient orthogonal to W and as finite differences; configs round-trip", async () => {
    await useBackend(backend);
    const reg = symmetryRegularizer({ candidate: 'gl-input', weight: 0.3, normalize: 'weights' });
    const kernel = tf.tensor2d(randn(8, 50, 41));
    const ref = reference(SETUPS[0]!.p(), kernel);
    const value = reg.apply(kernel).dataSync()[0]!;
    expect(Math.abs(value / ((0.3 * ref.value) / ref.norm) - 1)).toBeLessThan(1e-6);
    expect(Math.abs(reg.apply(tf.mul(kernel, 20)).dataSync()[0]! / value - 1)).toBeLessThan(1e-5);
    const grad = tf.grad((k: tf.Tensor) => reg.apply(k))(kernel);
    const g = grad.dataSync();
    const expected = ref.gradients[0]!.map((v, e) => (0.3 * (v - (ref.value / ref.norm ** 2) * ref.w[e]!)) / ref.norm);
    expect(maxRelDiff(g, expected)).toBeLessThan(1e-5);
    expect(Math.abs(tf.sum(tf.mul(grad, kernel)).dataSync()[0]!)).toBeLessThan(1e-5 * Math.sqrt(tf.sum(tf.square(grad)).dataSync()[0]!) * ref.norm);
    const dir = tf.tensor2d(randn(8, 50, 42));
    const an = tf.sum(tf.mul(grad, dir)).dataSync()[0]!;
    expect(Math.abs(directional((k) => reg.apply(k), kernel, dir) - an) / Math.abs(an)).toBeLessThan(2e-2);
    expect(reg.getConfig()).toEqual({ weight: 0.3, normalize: 'weights', candidate: { name: '"gl-input"' } });
    const Cls = reg.constructor as unknown as { fromConfig(cls: unknown, c: object): typeof reg };
    const back = Cls.fromConfig(reg.constructor, reg.getConfig());
    expect(back.normalize).toBe('weights');
    expect(back.apply(kernel).dataSync()[0]).toBe(value);
    expect(symmetryRegularizer({ candidate: 'gl-input' }).getConfig()).not.toHaveProperty('normalize');
    expect(() => symmetryRegularizer({ candidate: 'gl-input', normalize: 'l2' as never })).toThrow(InvalidArgumentError);
    tf.dispose([kernel, grad, dir]);
  });
});
