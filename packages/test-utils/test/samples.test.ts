import { dirname } from 'node:path';
import { InvalidArgumentError, createRng } from '@liesym/core';
import { describe, expect, it } from 'vitest';
import { normalSamples, normalVector, tempPath } from '../src/index.js';

describe('seeded samples', () => {
  it('normalVector draws scale·N(0, 1) in order from createRng(seed)', () => {
    const rng = createRng(9);
    expect(normalVector(5, { seed: 9, scale: 0.5 })).toEqual(Array.from({ length: 5 }, () => 0.5 * rng.normal()));
    expect(normalVector(5, { seed: 9, scale: 0.5 })).toEqual(normalVector(5, { seed: 9, scale: 0.5 }));
    expect(normalVector(5, { seed: 10 })).not.toEqual(normalVector(5, { seed: 9 }));
  });

  it('normalSamples are rows of the same numbers', () => {
    const rows = normalSamples(4, 3, { seed: 2, scale: 2 });
    expect(rows).toHaveLength(4);
    expect(rows.flat()).toEqual(normalVector(12, { seed: 2, scale: 2 }));
  });

  it('rejects bad counts, seeds and scales', () => {
    expect(() => normalVector(-1, { seed: 0 })).toThrow(InvalidArgumentError);
    expect(() => normalSamples(3, 1.5, { seed: 0 })).toThrow(/normalSamples: 'dim' must be an integer ≥ 0; received 1.5/);
    expect(() => normalVector(3, { seed: 0.5 })).toThrow(/'options.seed' must be an integer/);
    expect(() => normalVector(3, { seed: 0, scale: Number.NaN })).toThrow(/'options.scale' must be a finite number; received NaN/);
  });
});

describe('tempPath', () => {
  it('gives paths in one scratch folder per process and refuses names with folders', () => {
    expect(dirname(tempPath('a.onnx'))).toBe(dirname(tempPath('b.onnx')));
    expect(tempPath('a.onnx')).toMatch(/liesym-test-.+\/a\.onnx$/);
    expect(() => tempPath('../escape.onnx')).toThrow(InvalidArgumentError);
    expect(() => tempPath('')).toThrow(/'name' must be a plain file name/);
  });
});
