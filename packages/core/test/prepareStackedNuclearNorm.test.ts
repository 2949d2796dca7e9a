import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  Matrix as MatrixClass,
  SO,
  Scalar,
  ShapeMismatchError,
  V,
  candidateLayerGenerators,
  createRng,
  directSum,
  layerGenerators,
  prepareStackedNuclearNorm,
  stackedNuclearNorm,
  transposeLayerGenerators,
  type LayerGenerators,
  type Matrix,
} from '../src/index.js';
import { relErr } from './helpers.js';

const relNum = (a: number, b: number): number => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), Number.MIN_VALUE);

function randomVector(length: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length }, () => rng.normal());
}

function directional(f: (w: Float64Array) => number, w: Float64Array, dir: Float64Array): number {
  const h = 1e-6;
  return (f(w.map((v, k) => v + h * dir[k]!)) - f(w.map((v, k) => v - h * dir[k]!))) / (2 * h);
}

/** |⟨g, dir⟩ − finite difference| relative to ‖g‖·‖dir‖ (the directional derivative itself may be small). */
const fdError = (g: ArrayLike<number>, dir: Float64Array, fd: number): number => Math.abs(dot(g, dir) - fd) / Math.sqrt(dot(g, g) * dot(dir, dir));

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((s, v, k) => s + v * b[k]!, 0);

/** Set-ups: a candidate with many blocks, representations with one block and a T ≠ I, and two stacked layers. */
const CASES: Array<{ name: string; layers: LayerGenerators[]; orthonormalizer: Matrix; blocks: number }> = (() => {
  const gl = candidateLayerGenerators('gl-input', { dimIn: 8, dimOut: 50 });
  const rep = directSum(V(SO(3)), V(SO(3)), Scalar);
  const so3 = layerGenerators(rep, V(SO(3)));
  const hidden = layerGenerators(rep, rep);
  const small = candidateLayerGenerators('gl-input', { dimIn: 3, dimOut: 4 });
  const rng = createRng(5);
  const mixing = new MatrixClass(9, 9, Float64Array.from({ length: 81 }, () => rng.normal()));
  return [
    { name: 'a T that mixes every generator (one block)', layers: [small.generators], orthonormalizer: mixing, blocks: 1 },
    { name: "'gl-input' on an 8 → 50 kernel (tfjs layout)", layers: [transposeLayerGenerators(gl.generators)], orthonormalizer: gl.orthonormalizer, blocks: 8 },
    { name: 'SO(3): 2V ⊕ Scalar → V', layers: [so3.generators], orthonormalizer: so3.orthonormalizer, blocks: 1 },
    { name: 'SO(3): two stacked layers', layers: [so3.generators, hidden.generators], orthonormalizer: so3.orthonormalizer, blocks: 1 },
  ];
})();

describe('prepareStackedNuclearNorm', () => {
  for (const { name, layers, orthonormalizer, blocks } of CASES) {
    it(`matches stackedNuclearNorm (value, gradient, spectrum): ${name}`, () => {
      const penalty = prepareStackedNuclearNorm(layers, { orthonormalizer });
      expect(penalty.blocks.length).toBe(blocks);
      expect(penalty.blocks.reduce((s, b) => s + b.length, 0)).toBe(layers[0]!.pairs.length);
      for (const seed of [1, 2]) {
        const ws = layers.map((g, l) => randomVector(g.dimIn * g.dimOut, 10 * seed + l));
        const ref = stackedNuclearNorm(ws.map((w, l) => ({ generators: layers[l]!, w })), { orthonormalizer });
        const r = penalty.evaluate(ws);
        expect(relNum(r.value, ref.value)).toBeLessThan(1e-12);
        expect(relErr(r.singularValues, ref.singularValues)).toBeLessThan(1e-10);
        r.gradients.forEach((g, l) => expect(relErr(g, ref.gradients[l]!)).toBeLessThan(1e-10));
        expect(relNum(r.weightNorm, Math.sqrt(ws.reduce((s, w) => s + dot(w, w), 0)))).toBeLessThan(1e-14);
      }
    });
  }

  it("'weights' gives ‖D‖_* / ‖W‖_F: unchanged by scaling, gradient as finite differences and orthogonal to W", () => {
    const { layers, orthonormalizer } = CASES[1]!;
    const penalty = prepareStackedNuclearNorm(layers, { orthonormalizer });
    const w = randomVector(400, 3);
    const plain = penalty.evaluate([w]);
    const r = penalty.evaluate([w], { normalize: 'weights' });
    expect(relNum(r.value, plain.value / plain.weightNorm)).toBeLessThan(1e-14);
    expect(relNum(penalty.evaluate([w.map((v) => 7.5 * v)], { normalize: 'weights' }).value, r.value)).toBeLessThan(1e-12);
    const f = (x: Float64Array) => penalty.evaluate([x], { normalize: 'weights' }).value;
    for (const seed of [4, 5]) {
      const dir = randomVector(400, seed);
      expect(fdError(r.gradients[0]!, dir, directional(f, w, dir))).toBeLessThan(1e-7);
    }
    expect(Math.abs(dot(r.gradients[0]!, w))).toBeLessThan(1e-12 * plain.value);
    const zero = penalty.evaluate([new Float64Array(400)], { normalize: 'weights' });
    expect(zero.value).toBe(0);
    expect(zero.gradients[0]!.every((v) => v === 0)).toBe(true);
  });

  it('matches finite differences of the plain value, and is 0 with a zero gradient at a symmetric W', () => {
    const { layers, orthonormalizer } = CASES[2]!;
    const penalty = prepareStackedNuclearNorm(layers, { orthonormalizer });
    const w = randomVector(21, 6);
    const r = penalty.evaluate([w]);
    const dir = randomVector(21, 7);
    expect(fdError(r.gradients[0]!, dir, directional((x) => penalty.evaluate([x]).value, w, dir))).toBeLessThan(1e-7);
    // W = [a·I, b·I, 0] commutes with rotations
    const sym = new Float64Array(21);
    for (let i = 0; i < 3; i++) [sym[i * 7 + i], sym[i * 7 + 3 + i]] = [1.5, -0.5];
    const s = penalty.evaluate([sym]);
    expect(s.value).toBeLessThan(1e-12);
    expect(s.gradients[0]!.every((v) => v === 0)).toBe(true);
  });

  it('reuses its buffers: a second call at other weights gives that call’s answer', () => {
    const { layers, orthonormalizer } = CASES[1]!;
    const penalty = prepareStackedNuclearNorm(layers, { orthonormalizer });
    const [a, b] = [randomVector(400, 8), randomVector(400, 9)];
    penalty.evaluate([a]);
    const ref = stackedNuclearNorm([{ generators: layers[0]!, w: b }], { orthonormalizer });
    expect(relErr(penalty.evaluate([b]).gradients[0]!, ref.gradients[0]!)).toBeLessThan(1e-10);
  });

  it('rejects bad input with typed errors', () => {
    const { layers, orthonormalizer } = CASES[1]!;
    expect(() => prepareStackedNuclearNorm([])).toThrow(InvalidArgumentError);
    expect(() => prepareStackedNuclearNorm([...layers, CASES[2]!.layers[0]!], { orthonormalizer })).toThrow(ShapeMismatchError);
    const penalty = prepareStackedNuclearNorm(layers, { orthonormalizer });
    expect(() => penalty.evaluate([new Float64Array(3)])).toThrow(ShapeMismatchError);
    expect(() => penalty.evaluate([])).toThrow(ShapeMismatchError);
    expect(() => penalty.evaluate([new Float64Array(400)], { normalize: 'l2' as never })).toThrow(InvalidArgumentError);
    expect(() => penalty.evaluate([new Float64Array(400)], { rtol: -1 })).toThrow(InvalidArgumentError);
  });
});
