/** singularValueThreshold (ADMM's X-step) against U·max(Σ − τ, 0)·Vᵀ from svd(), on shapes that exercise every remainder of its 2×4 blocked products. */
import { describe, expect, it } from 'vitest';
import { Matrix, createRng, singularValueThreshold, svd } from '../src/index.js';

const rng = createRng(7);

function reference(v: Matrix, tau: number): { X: Matrix; rank: number } {
  const { U, s, V } = svd(v);
  const k = s.length;
  const X = new Matrix(v.rows, v.cols);
  let rank = 0;
  for (let p = 0; p < k; p++) {
    const f = s[p]! - tau;
    if (!(f > 0)) continue;
    rank++;
    for (let i = 0; i < v.rows; i++) for (let j = 0; j < v.cols; j++) X.data[i * v.cols + j]! += f * U.data[i * k + p]! * V.data[j * k + p]!;
  }
  return { X, rank };
}

describe('singularValueThreshold', () => {
  it.each([
    [7, 5],
    [5, 7],
    [13, 10],
    [9, 9],
    [30, 17],
    [17, 30],
    [1, 6],
    [6, 1],
    [66, 55],
  ])('%i×%i: X and the rank of U·max(Σ − τ, 0)·Vᵀ at τ = 0, the median σ and above σ_max', (rows, cols) => {
    const v = new Matrix(rows, cols, Float64Array.from({ length: rows * cols }, () => rng.normal()));
    const s = svd(v).s;
    const k = s.length;
    for (const tau of [0, s[k >> 1]! * 1.0000001, s[0]! * 1.01]) {
      const got = singularValueThreshold(v, tau);
      const ref = reference(v, tau);
      expect(got.rank).toBe(ref.rank);
      expect(got.X.rows).toBe(rows);
      expect(got.X.cols).toBe(cols);
      expect(got.X.sub(ref.X).maxAbs()).toBeLessThan(1e-12 * s[0]!);
    }
    expect(singularValueThreshold(v, 0).rank).toBe(k);
    expect(singularValueThreshold(v, s[0]! * 1.01).X.maxAbs()).toBe(0);
  });
});
