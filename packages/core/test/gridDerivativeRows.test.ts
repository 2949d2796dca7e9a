import { describe, expect, it } from 'vitest';
import { fieldGeneratorMatrix, gridDerivativeMatrix, gridFieldAction } from '../src/index.js';

/** The translation tangent Du·b of a signal u through gridFieldAction. */
function shiftTangent(u: Float64Array, derivative: 'spectral' | 'central' | 'border'): Float64Array {
  const action = gridFieldAction({ shape: [u.length], derivative });
  return action.tangents([fieldGeneratorMatrix({ b: [1] }, { d: 1, channels: 1 })], u)[0]!;
}

describe('gridFieldAction derivatives without their n×n matrix', () => {
  it('applies the same derivative as gridDerivativeMatrix, for every kind and both parities of n', () => {
    for (const n of [2, 3, 9, 10]) {
      const u = Float64Array.from({ length: n }, (_, i) => Math.sin(1.3 * i) + 0.1 * i * i);
      for (const kind of ['spectral', 'central', 'border'] as const) {
        const D = gridDerivativeMatrix(n, { kind });
        const dense = Float64Array.from({ length: n }, (_, i) => u.reduce((s, v, k) => s + D[i * n + k]! * v, 0));
        const t = shiftTangent(u, kind);
        for (let i = 0; i < n; i++) expect(t[i]).toBeCloseTo(dense[i]!, 12);
      }
    }
  });

  it('differentiates a 20,000-sample signal (a dense spectral matrix would be 3.2 GB)', () => {
    const n = 20000;
    const u = Float64Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * 7 * i) / n));
    const t = shiftTangent(u, 'spectral');
    // Exact for a trigonometric polynomial: d/di sin(2π·7i/n) = (2π·7/n)·cos(2π·7i/n).
    for (const i of [0, 1234, 19999]) expect(t[i]).toBeCloseTo(((2 * Math.PI * 7) / n) * Math.cos((2 * Math.PI * 7 * i) / n), 9);
    const b = shiftTangent(u, 'border');
    expect(b[5000]).toBeCloseTo(((2 * Math.PI * 7) / n) * Math.cos((2 * Math.PI * 7 * 5000) / n), 7);
  });
});
