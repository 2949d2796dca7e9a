/**
 * leastSquares' full-rank path (Householder QR, singular values by bidiagonalization) against the
 * SVD's pseudo-inverse, and its two building blocks against eigh and svd.
 */
import { describe, expect, it } from 'vitest';
import { Matrix, createRng, eigh, leastSquares, svd } from '../src/index.js';
import { singularValues, squareSingularValues, tridiagonalEigenvalues } from '../src/linalg/singularValues.js';

const rng = createRng(20261207);

/** An m×n matrix of the given rank: Σ_r 10^(−r/4)·u_r·v_rᵀ with normal u, v. */
function lowRank(m: number, n: number, rank: number): Matrix {
  const a = new Matrix(m, n);
  for (let r = 0; r < rank; r++) {
    const u = Array.from({ length: m }, () => rng.normal());
    const v = Array.from({ length: n }, () => rng.normal());
    const w = Math.pow(10, -r / 4);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) a.data[i * n + j]! += w * u[i]! * v[j]!;
  }
  return a;
}

function normal(m: number, n: number): Matrix {
  return new Matrix(m, n, Float64Array.from({ length: m * n }, () => rng.normal()));
}

/** A⁺·y from the SVD, singular values below rtol·σ_max dropped: the reference solution. */
function pinvSolve(a: Matrix, y: ArrayLike<number>, rtol = 1e-12): { x: Float64Array; rank: number } {
  const { U, s, V } = svd(a);
  const k = s.length;
  const x = new Float64Array(a.cols);
  let rank = 0;
  for (let j = 0; j < k; j++) {
    if (!(s[j]! > rtol * s[0]!)) continue;
    rank++;
    let d = 0;
    for (let i = 0; i < a.rows; i++) d += U.data[i * k + j]! * y[i]!;
    for (let i = 0; i < a.cols; i++) x[i]! += (d / s[j]!) * V.data[i * k + j]!;
  }
  return { x, rank };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i]! - b[i]!));
  return e;
}

function maxAbs(a: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i]!));
  return e;
}

describe('tridiagonalEigenvalues', () => {
  it.each([1, 2, 7, 40])('matches eigh on a random n = %i tridiagonal (and on its zero-diagonal twin)', (n) => {
    for (const zeroDiagonal of [false, true]) {
      const d = Float64Array.from({ length: n }, () => (zeroDiagonal ? 0 : rng.normal()));
      const e = Float64Array.from({ length: n }, (_, i) => (i < n - 1 ? rng.normal() : 0));
      const T = new Matrix(n, n);
      for (let i = 0; i < n; i++) {
        T.data[i * n + i] = d[i]!;
        if (i + 1 < n) T.data[i * n + i + 1] = T.data[(i + 1) * n + i] = e[i]!;
      }
      const expected = eigh(T).values;
      tridiagonalEigenvalues(d, e);
      const got = d.slice().sort();
      expect(maxAbsDiff(got, expected)).toBeLessThan(1e-13 * Math.max(1, maxAbs(expected)));
    }
  });
});

describe('squareSingularValues', () => {
  it.each([
    [1, 1],
    [5, 5],
    [30, 30],
    [40, 13],
    [90, 0],
    [120, 120],
  ])('n = %i, rank %i: the σ of svd() to 1e-13·σ_max, descending', (n, rank) => {
    const a = lowRank(n, n, rank);
    const copy = a.data.slice();
    const s = squareSingularValues(a.data, n);
    expect(a.data).toEqual(copy); // the input is not modified
    const expected = svd(a).s;
    expect(s.length).toBe(n);
    expect(maxAbsDiff(s, expected)).toBeLessThanOrEqual(1e-13 * Math.max(expected[0] ?? 0, Number.MIN_VALUE));
    for (let i = 1; i < n; i++) expect(s[i]!).toBeLessThanOrEqual(s[i - 1]!);
    // The numerical rank at 1e-10: svd()'s, and the construction's when it is rank-deficient (a
    // gap from 10^(−(rank−1)/4) to rounding).
    const rankAt = (x: Float64Array) => x.filter((v) => v > 1e-10 * x[0]!).length;
    expect(rankAt(s)).toBe(rankAt(expected));
    if (rank < n) expect(rankAt(s)).toBe(rank);
  });

  it('keeps its accuracy at 1e±250 (the reflections run on a power-of-two rescaling)', () => {
    const a = normal(12, 12);
    const s = squareSingularValues(a.data, 12);
    for (const f of [1e250, 1e-250]) {
      const big = squareSingularValues(a.data.map((v) => v * f), 12);
      expect(maxAbsDiff(big.map((v) => v / f), s)).toBeLessThan(1e-13 * s[0]!);
    }
  });

  it('a diagonal matrix: its absolute diagonal, sorted', () => {
    const s = squareSingularValues(Float64Array.of(3, 0, 0, 0, -5, 0, 0, 0, 0), 3);
    expect(Array.from(s)).toEqual([5, 3, 0]);
  });
});

describe('leastSquares: the QR path of a full-rank A', () => {
  it.each([
    [200, 40],
    [152, 66],
    [66, 66],
    [33, 66],
    [8, 126],
  ])('%i×%i: the same x, residual and singular values as the SVD pseudo-inverse', (m, n) => {
    const a = normal(m, n);
    const y = Float64Array.from({ length: m }, () => rng.normal());
    const r = leastSquares(a, y);
    const ref = pinvSolve(a, y);
    expect(r.rank).toBe(Math.min(m, n));
    expect(maxAbsDiff(r.x, ref.x)).toBeLessThan(1e-10 * maxAbs(ref.x));
    const res = a.mulVec(ref.x).map((v, i) => v - y[i]!);
    expect(Math.abs(r.residual - Math.hypot(...res))).toBeLessThan(1e-10 * Math.max(1, r.residual));
    const sv = svd(a).s.slice().reverse();
    expect(maxAbsDiff(r.singularValues, sv)).toBeLessThan(1e-13 * maxAbs(sv));
    if (m < n) {
      // The least-norm solution of a consistent system: A·x = y, x in the row space of A.
      expect(r.residual).toBeLessThan(1e-10 * Math.hypot(...y));
    }
  });

  it('x scales inversely with A at 1e±250 (no overflow in the reflections)', () => {
    const a = normal(30, 12);
    const y = Float64Array.from({ length: 30 }, () => rng.normal());
    const x = leastSquares(a, y).x;
    for (const f of [1e250, 1e-250]) {
      const xf = leastSquares(new Matrix(30, 12, a.data.map((v) => v * f)), y).x;
      expect(maxAbsDiff(xf.map((v) => v * f), x)).toBeLessThan(1e-12 * maxAbs(x));
    }
  });

  it.each([
    [60, 20, 12],
    [20, 60, 12],
    [40, 40, 39],
  ])('a rank-deficient %i×%i matrix (rank %i) keeps the truncated SVD solution', (m, n, rank) => {
    const a = lowRank(m, n, rank);
    const y = Float64Array.from({ length: m }, () => rng.normal());
    const r = leastSquares(a, y);
    const ref = pinvSolve(a, y);
    expect(r.rank).toBe(rank);
    expect(ref.rank).toBe(rank);
    expect(maxAbsDiff(r.x, ref.x)).toBeLessThan(1e-8 * maxAbs(ref.x));
  });

  it('a singular value just below rtol·σ_max is dropped, one just above is kept', () => {
    // diag(1, 1, 1, δ) rotated by random orthogonal factors: σ = 1, 1, 1, δ exactly up to rounding.
    const q1 = svd(normal(6, 4)).U;
    const q2 = svd(normal(4, 4)).U;
    for (const [delta, rank] of [
      [1e-6, 4],
      [1e-8, 3],
    ] as const) {
      const D = Matrix.from([
        [1, 0, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 1, 0],
        [0, 0, 0, delta],
      ]);
      const a = q1.mul(D).mul(q2.transpose());
      const y = Float64Array.from({ length: 6 }, () => rng.normal());
      expect(leastSquares(a, y, 1e-7).rank).toBe(rank);
    }
  });
});

describe('singularValues', () => {
  it.each([
    [40, 12],
    [12, 40],
    [25, 25],
    [1, 9],
  ])('%i×%i: the σ of svd() to 1e-13·σ_max', (m, n) => {
    const a = normal(m, n);
    const expected = svd(a).s;
    const s = singularValues(a);
    expect(s.length).toBe(Math.min(m, n));
    expect(maxAbsDiff(s, expected)).toBeLessThan(1e-13 * expected[0]!);
  });
});

describe('leastSquares: non-finite input', () => {
  it('a NaN or infinite entry of a or y is a NonFiniteError naming the argument and the entry', () => {
    const a = new Matrix(3, 2, Float64Array.of(1, 2, 3, 4, 5, 6));
    const bad = (x: number) => new Matrix(3, 2, Float64Array.of(1, 2, 3, x, 5, 6));
    expect(() => leastSquares(bad(NaN), [1, 2, 3])).toThrow(/leastSquares: 'a' must be finite; entry \(1, 1\) is NaN/);
    expect(() => leastSquares(bad(Infinity), [1, 2, 3])).toThrow(/leastSquares: 'a' must be finite; entry \(1, 1\) is Infinity/);
    expect(() => leastSquares(a, [1, NaN, 3])).toThrow(/leastSquares: 'y' must be finite; entry 1 is NaN/);
    try {
      leastSquares(a, [1, 2, -Infinity]);
      expect.unreachable();
    } catch (e) {
      expect((e as { code?: string }).code).toBe('NON_FINITE');
    }
  });
});
