import { describe, expect, it } from 'vitest';
import { EmptyInputError, InvalidArgumentError, Matrix, NonFiniteError, ShapeMismatchError, boxSampler, createRng, drawSamples } from '../src/index.js';

describe('boxSampler (uniform points in the data’s bounding box, widened by a margin)', () => {
  const points = [
    [0, 1, 5],
    [2, 1, -1],
    [1, 1, 3],
  ];
  it('draws inside the bounding box, reaching both ends, and keeps a constant coordinate', () => {
    const draw = boxSampler(points);
    const rng = createRng(3);
    const xs = Array.from({ length: 4000 }, () => draw(rng));
    const col = (j: number) => xs.map((x) => x[j]!);
    expect(Math.min(...col(0))).toBeGreaterThanOrEqual(0);
    expect(Math.max(...col(0))).toBeLessThanOrEqual(2);
    expect(Math.min(...col(0))).toBeLessThan(0.01);
    expect(Math.max(...col(0))).toBeGreaterThan(1.99);
    expect(Math.min(...col(2))).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...col(2))).toBeLessThanOrEqual(5);
    expect(new Set(col(1))).toEqual(new Set([1]));
    // uniform: the mean of coordinate 2 is the box's centre, 2, within a few standard errors (6/√12/√4000 ≈ 0.027)
    expect(Math.abs(col(2).reduce((a, b) => a + b) / xs.length - 2)).toBeLessThan(0.1);
  });
  it('draws lo + (hi − lo)·u per coordinate in order, one uniform each, and lo − m·w + (1 + 2m)·w·u with a margin', () => {
    const lo = [0, 1, -1];
    const w = [2, 0, 6];
    for (const m of [0, 0.5]) {
      const draw = boxSampler(points, { margin: m });
      const [r1, r2] = [createRng(11), createRng(11)];
      for (let i = 0; i < 200; i++) {
        const x = draw(r1);
        const expected = lo.map((l, j) => (m === 0 ? l + w[j]! * r2.uniform() : l - m * w[j]! + (1 + 2 * m) * w[j]! * r2.uniform()));
        expect(Array.from(x)).toEqual(expected);
      }
    }
  });
  it('widens each side by margin × the width (0.5 doubles it), the same for a Matrix of the points', () => {
    const [r1, r2] = [createRng(5), createRng(5)];
    const fromMatrix = boxSampler(new Matrix(3, 3, Float64Array.from(points.flat())), { margin: 0.5 });
    const fromArray = boxSampler(points, { margin: 0.5 });
    for (let i = 0; i < 50; i++) expect(Array.from(fromMatrix(r1))).toEqual(Array.from(fromArray(r2)));
    const draw = boxSampler(new Matrix(3, 3, Float64Array.from(points.flat())), { margin: 0.5 });
    const rng = createRng(4);
    const xs = Array.from({ length: 4000 }, () => draw(rng));
    const x0 = xs.map((x) => x[0]!);
    const x2 = xs.map((x) => x[2]!);
    expect(Math.min(...x0)).toBeGreaterThanOrEqual(-1);
    expect(Math.min(...x0)).toBeLessThan(-0.98);
    expect(Math.max(...x0)).toBeLessThanOrEqual(3);
    expect(Math.max(...x0)).toBeGreaterThan(2.98);
    expect(Math.min(...x2)).toBeLessThan(-3.9);
    expect(Math.max(...x2)).toBeGreaterThan(7.9);
    expect(xs.filter((x) => x[0]! < 0 || x[0]! > 2).length / xs.length).toBeCloseTo(0.5, 1);
    expect(new Set(xs.map((x) => x[1]))).toEqual(new Set([1])); // a width of 0 stays 0
  });
  it('serves drawSamples as a sampler: seeded by drawSamples’ seed, inside the box', () => {
    const a = drawSamples({ samples: 5, sampler: boxSampler(points), seed: 9 }, { dimIn: 3 });
    const b = drawSamples({ samples: 5, sampler: boxSampler(points), seed: 9 }, { dimIn: 3 });
    const c = drawSamples({ samples: 5, sampler: boxSampler(points), seed: 10 }, { dimIn: 3 });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
    for (let i = 0; i < 5; i++) expect(a.get(i, 0) >= 0 && a.get(i, 0) <= 2 && a.get(i, 1) === 1 && a.get(i, 2) >= -1 && a.get(i, 2) <= 5).toBe(true);
  });
  it('refuses bad input with typed errors naming the argument', () => {
    expect(() => boxSampler([])).toThrow(EmptyInputError);
    expect(() => boxSampler([[]])).toThrow(EmptyInputError);
    expect(() => boxSampler([[0, 1], [2]])).toThrow(ShapeMismatchError);
    expect(() => boxSampler([[0, 1], [2]])).toThrow(/boxSampler: point 1 of 'points' must have 2 coordinates/);
    expect(() => boxSampler([[0, Number.NaN]])).toThrow(NonFiniteError);
    expect(() => boxSampler(new Matrix(1, 2, Float64Array.of(0, Infinity)))).toThrow(NonFiniteError);
    expect(() => boxSampler(points, { margin: -0.1 })).toThrow(InvalidArgumentError);
    expect(() => boxSampler(points, { margin: Number.NaN })).toThrow(/boxSampler: 'margin' must be a finite number ≥ 0; received NaN/);
    expect(() => boxSampler(points, { margin: '0.5' as unknown as number })).toThrow(InvalidArgumentError);
    expect(() => boxSampler('points' as unknown as number[][])).toThrow(InvalidArgumentError);
    expect(() => boxSampler(points, { margin: null as unknown as number })).toThrow(/boxSampler: 'margin' must be a finite number ≥ 0; received null/);
    expect(() => boxSampler(points, null as unknown as object)).toThrow(/boxSampler: 'options' must be an object/);
    // trajectories (Matrices) instead of their states: named, not "no coordinates"
    expect(() => boxSampler([new Matrix(2, 3)] as unknown as number[][])).toThrow(InvalidArgumentError);
    expect(() => boxSampler(['abc'] as unknown as number[][])).toThrow(/boxSampler: 'points' must be a Matrix or an array of points/);
    expect(() => boxSampler([[1e308], [-1e308]])).toThrow(/overflows float64/);
    expect(() => boxSampler([[0], [1]], { margin: 1e308 })).toThrow(/overflows float64/);
  });
});
