import { describe, expect, it } from 'vitest';
import {
  EmptyInputError,
  InvalidArgumentError,
  Matrix,
  ShapeMismatchError,
  UnsupportedOperationError,
  channelPermutation,
  checkDiscreteSymmetry,
  checkDiscreteTransforms,
  checkDiscreteTransformsAsync,
  checkIndexMapTransforms,
  imageIndexMaps,
  outputPermutation,
  timeReversal,
  type Evaluator,
  type IndexMapTransform,
} from '../src/index.js';
import { normalSamples } from './helpers.js';

const apply = (t: IndexMapTransform, x: ArrayLike<number>): number[] => Array.from(t.input, (j, i) => (t.inputSign?.[i] ?? 1) * x[j]!);
const compose = (a: Int32Array, b: Int32Array): Int32Array => Int32Array.from(a, (j) => b[j]!);
const identity = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);
const byName = (maps: IndexMapTransform[], name: string): IndexMapTransform => maps.find((m) => m.name === name)!;

describe('index maps', () => {
  it('give the known indices of the flips and rotate180 on a 2×3 image', () => {
    const maps = imageIndexMaps({ shape: [1, 2, 3] });
    expect(maps.map((m) => m.name)).toEqual(['flip-horizontal', 'flip-vertical', 'rotate180']);
    expect(Array.from(byName(maps, 'flip-horizontal').input)).toEqual([2, 1, 0, 5, 4, 3]);
    expect(Array.from(byName(maps, 'flip-vertical').input)).toEqual([3, 4, 5, 0, 1, 2]);
    expect(Array.from(byName(maps, 'rotate180').input)).toEqual([5, 4, 3, 2, 1, 0]);
    // [H, W] without channels is the same image.
    expect(Array.from(imageIndexMaps({ shape: [2, 3], names: ['flip-horizontal'] })[0]!.input)).toEqual([2, 1, 0, 5, 4, 3]);
  });

  it('are permutations: rotate180 twice and rotate90 four times are the identity; rotate90·rotate270 too', () => {
    const maps = imageIndexMaps({ shape: [3, 5, 5] });
    expect(maps.map((m) => m.name)).toEqual(['flip-horizontal', 'flip-vertical', 'rotate180', 'rotate90', 'rotate270', 'transpose']);
    const n = 75;
    const r180 = byName(maps, 'rotate180').input;
    const r90 = byName(maps, 'rotate90').input;
    const r270 = byName(maps, 'rotate270').input;
    expect(Array.from(compose(r180, r180))).toEqual(Array.from(identity(n)));
    expect(Array.from(compose(compose(r90, r90), compose(r90, r90)))).toEqual(Array.from(identity(n)));
    expect(Array.from(compose(r90, r90))).toEqual(Array.from(r180));
    expect(Array.from(compose(r90, r270))).toEqual(Array.from(identity(n)));
    for (const m of maps) expect(new Set(m.input).size).toBe(n);
  });

  it('rotate90 turns counter-clockwise like numpy rot90 on a 2×2 image', () => {
    // [[a, b], [c, d]] → [[b, d], [a, c]]
    const [r90] = imageIndexMaps({ shape: [2, 2], names: ['rotate90'] });
    expect(apply(r90!, [1, 2, 3, 4])).toEqual([2, 4, 1, 3]);
    const [t] = imageIndexMaps({ shape: [2, 2], names: ['transpose'] });
    expect(apply(t!, [1, 2, 3, 4])).toEqual([1, 3, 2, 4]);
  });

  it('move the pixels, not the channels, in NHWC as in NCHW', () => {
    // 2 channels on a 1×2 image: NCHW [c0p0, c0p1, c1p0, c1p1], NHWC [p0c0, p0c1, p1c0, p1c1].
    const [nchw] = imageIndexMaps({ shape: [2, 1, 2], layout: 'NCHW', names: ['flip-horizontal'] });
    const [nhwc] = imageIndexMaps({ shape: [1, 2, 2], layout: 'NHWC', names: ['flip-horizontal'] });
    expect(Array.from(nchw!.input)).toEqual([1, 0, 3, 2]);
    expect(Array.from(nhwc!.input)).toEqual([2, 3, 0, 1]);
    expect(Array.from(channelPermutation([1, 0], { shape: [1, 2, 2], layout: 'NHWC' }).input)).toEqual([1, 0, 3, 2]);
    expect(Array.from(channelPermutation([1, 0], { shape: [2, 1, 2] }).input)).toEqual([2, 3, 0, 1]);
  });

  it('reverse time per channel', () => {
    expect(Array.from(timeReversal(4).input)).toEqual([3, 2, 1, 0]);
    expect(Array.from(timeReversal(3, { channels: 2 }).input)).toEqual([2, 1, 0, 5, 4, 3]);
  });

  it('refuse bad input with typed errors', () => {
    expect(() => outputPermutation([0, 0])).toThrow(InvalidArgumentError);
    expect(() => outputPermutation([0, 2])).toThrow(/permutation of 0\.\.1/);
    expect(() => outputPermutation([])).toThrow(InvalidArgumentError);
    expect(() => imageIndexMaps({ shape: [3, 48, 192], names: ['rotate90'] })).toThrow(UnsupportedOperationError);
    expect(() => imageIndexMaps({ shape: [3, 48, 192], names: ['transpose'] })).toThrow(/\[3, 48, 192\]/);
    expect(() => imageIndexMaps({ shape: [3, 4, 4], names: ['spin'] })).toThrow(InvalidArgumentError);
    expect(() => imageIndexMaps({ shape: [0, 4] })).toThrow(ShapeMismatchError);
    expect(() => channelPermutation([0, 1], { shape: [3, 4, 4] })).toThrow(ShapeMismatchError);
    expect(() => timeReversal(0)).toThrow(InvalidArgumentError);
  });
});

/** F(x) = [sum of the left half, sum of the right half] of a 1×2×4 image (float64, exact). */
const halves: Evaluator = {
  dimIn: 8,
  dimOut: 2,
  evaluate(points, count) {
    const out = new Float64Array(2 * count);
    for (let s = 0; s < count; s++) {
      for (let i = 0; i < 2; i++) for (let j = 0; j < 4; j++) {
        const k = 2 * s + (j < 2 ? 0 : 1);
        out[k] = out[k]! + points[s * 8 + i * 4 + j]!;
      }
    }
    return out;
  },
};

describe('checkDiscreteTransforms', () => {
  const xs = normalSamples(16, 8, { seed: 3 });
  const [flipH, flipV, rot180] = imageIndexMaps({ shape: [1, 2, 4] });

  it('holds to 1e-12 for rotate180 with the output swap, and is broken without it by the residual computed by hand', () => {
    const swap = outputPermutation([1, 0]);
    const r = checkDiscreteTransforms(halves, xs, { transforms: [{ ...rot180!, output: swap }, rot180!, { ...flipV! }, { ...flipH!, output: swap }] });
    expect(r.discrete.map((d) => d.name)).toEqual(['rotate180', 'rotate180', 'flip-vertical', 'flip-horizontal']);
    expect(r.discrete[0]!.residual).toBeLessThan(1e-12);
    expect(r.discrete[0]!.verdict).toBe('holds');
    expect(r.discrete[2]!.residual).toBeLessThan(1e-12);
    expect(r.discrete[3]!.residual).toBeLessThan(1e-12);
    // Without the swap F(h·x) = (R, L) against F(x) = (L, R): ‖·‖² = 2(L − R)² per sample.
    let num = 0;
    let den = 0;
    for (let s = 0; s < xs.rows; s++) {
      const x = xs.row(s);
      const L = x[0]! + x[1]! + x[4]! + x[5]!;
      const R = x[2]! + x[3]! + x[6]! + x[7]!;
      num += 2 * (L - R) ** 2;
      den += L * L + R * R;
    }
    expect(r.discrete[1]!.residual).toBeCloseTo(Math.sqrt(num / den), 12);
    expect(r.discrete[1]!.verdict).toBe('broken');
    expect(r.verdict).toBe('broken');
    expect(r.maxRelative).toBe(r.discrete[1]!.residual);
    expect(r.tolerance).toBe(1e-8);
    expect(r.evaluations).toBe(16 * 5);
    expect(r.sampleCount).toBe(16);
  });

  it('agrees with the matrix form checkDiscreteSymmetry', () => {
    const P = new Matrix(8, 8);
    rot180!.input.forEach((j, i) => P.set(i, j, 1));
    const dense = checkDiscreteSymmetry(halves, { hIn: P, hOut: Matrix.identity(2) }, xs);
    const r = checkDiscreteTransforms(halves, xs, { transforms: [rot180!] });
    expect(r.discrete[0]!.residual).toBeCloseTo(dense, 12);
  });

  it('sees time reversal of a signal model, with signs on the output', () => {
    // F(x) = [Σ x_t, Σ t·x_t − Σ (T−1−t)·x_t]: reversing time keeps the first and negates the second.
    const T = 6;
    const f = (x: Float64Array): number[] => {
      let a = 0;
      let b = 0;
      for (let t = 0; t < T; t++) {
        a += x[t]!;
        b += (t - (T - 1 - t)) * x[t]!;
      }
      return [a, b];
    };
    const ys = normalSamples(10, T, { seed: 5 });
    const rev = timeReversal(T);
    const r = checkDiscreteTransforms(f, ys, { transforms: [{ ...rev, output: outputPermutation([0, 1]), outputSign: new Float64Array([1, -1]) }, rev] });
    expect(r.discrete[0]!.residual).toBeLessThan(1e-12);
    expect(r.discrete[1]!.verdict).toBe('broken');
  });

  it('runs asynchronously with an async evaluator', async () => {
    const ev: Evaluator = { ...halves, evaluate: async (p, n) => halves.evaluate(p, n) };
    const r = await checkDiscreteTransformsAsync(ev, xs, { transforms: [{ ...rot180!, output: outputPermutation([1, 0]) }], tolerance: 1e-10 });
    expect(r.verdict).toBe('holds');
    expect(r.tolerance).toBe(1e-10);
  });

  it('refuses maps of the wrong length, non-permutations, bad signs and no transforms', () => {
    expect(() => checkDiscreteTransforms(halves, xs, { transforms: [timeReversal(7)] })).toThrow(ShapeMismatchError);
    expect(() => checkDiscreteTransforms(halves, xs, { transforms: [{ name: 'bad', input: new Int32Array([0, 0, 1, 2, 3, 4, 5, 6]) }] })).toThrow(InvalidArgumentError);
    expect(() => checkDiscreteTransforms(halves, xs, { transforms: [{ ...rot180!, output: new Int32Array([0, 1, 2]) }] })).toThrow(/transforms\[0\]\.output/);
    expect(() => checkDiscreteTransforms(halves, xs, { transforms: [{ ...rot180!, inputSign: new Float64Array(8).fill(2) }] })).toThrow(InvalidArgumentError);
    expect(() => checkDiscreteTransforms(halves, xs, { transforms: [] })).toThrow(EmptyInputError);
    expect(() => checkDiscreteTransforms(halves, xs, { transforms: [rot180!], tolerance: -1 })).toThrow(InvalidArgumentError);
    expect(() => checkDiscreteTransforms(halves, new Matrix(0, 8), { transforms: [rot180!] })).toThrow(EmptyInputError);
  });

  it('checkIndexMapTransforms: the shared validation returns the maps typed and names the caller', () => {
    const [rot] = imageIndexMaps({ shape: [1, 2, 2], names: ['rotate180'] });
    const [t] = checkIndexMapTransforms('myFn', [{ ...rot!, output: Int32Array.of(1, 0), outputSign: Float64Array.of(1, -1) }], { dimIn: 4, dimOut: 2 });
    expect(Array.from(t!.input)).toEqual([3, 2, 1, 0]);
    expect(Array.from(t!.output!)).toEqual([1, 0]);
    expect(Array.from(t!.outputSign!)).toEqual([1, -1]);
    expect(t!.inputSign).toBeUndefined();
    expect(() => checkIndexMapTransforms('myFn', [rot], { dimIn: 5, dimOut: 2 })).toThrow(/^myFn: .*transforms\[0\]\.input/);
    expect(() => checkIndexMapTransforms('myFn', [{ ...rot!, inputSign: Float64Array.of(1, 2, 1, 1) }], { dimIn: 4, dimOut: 2 })).toThrow(/myFn: 'transforms\[0\]\.inputSign' must be a Float64Array of 4 signs/);
    expect(() => checkIndexMapTransforms('myFn', 'rotate90', { dimIn: 4, dimOut: 2 })).toThrow(InvalidArgumentError);
    expect(() => checkIndexMapTransforms('myFn', [], { dimIn: 4, dimOut: 2 })).toThrow(EmptyInputError);
  });
});
