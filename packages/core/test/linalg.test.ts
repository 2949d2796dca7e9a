/** Dense linear algebra: expm, svd, eigh, LU, and lazy LinearOperators against dense Matrix. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LinearOperator, LuDecomposition, Matrix, createRng, eigh, expm, inverse, leastSquares, nullspace, orthonormalColumns, qrR, solve, svd } from '../src/index.js';
import { FC_SEED, J2, orthonormalityError, randomMatrix, relErr } from './helpers.js';

describe('expm', () => {
  it.each([0, 0.1, 1, Math.PI / 3, 3, -2.5])('exp(θJ) is the rotation by θ = %f to 1e-13', (theta) => {
    const r = expm(J2.scale(theta));
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    const expected = Matrix.from([
      [c, -s],
      [s, c],
    ]);
    expect(r.sub(expected).maxAbs()).toBeLessThan(1e-13);
  });

  it('exp of a nilpotent matrix is the finite series I + N + N²/2', () => {
    const [a, b, c] = [2, -3, 5];
    const N = Matrix.from([
      [0, a, b],
      [0, 0, c],
      [0, 0, 0],
    ]);
    const expected = Matrix.from([
      [1, a, b + (a * c) / 2],
      [0, 1, c],
      [0, 0, 1],
    ]);
    expect(relErr(expm(N), expected)).toBeLessThan(1e-14);
  });

  it('exp of a diagonal matrix is the diagonal of exponentials (large norm: scaling and squaring)', () => {
    const d = [-4, 0.5, 8];
    expect(relErr(expm(Matrix.diag(d)), Matrix.diag(d.map(Math.exp)))).toBeLessThan(1e-13);
  });

  it('exp(A)·exp(−A) = I for random 6×6 matrices', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const a = randomMatrix(6, 6, seed);
        const e = expm(a);
        const f = expm(a.scale(-1));
        expect(relErr(e.mul(f), Matrix.identity(6), e.norm() * f.norm())).toBeLessThan(1e-13);
      }),
      { seed: FC_SEED, numRuns: 20 },
    );
  });

  it('exp(A + B) = exp(A)·exp(B) for commuting A, B (polynomials in one matrix)', () => {
    const a = randomMatrix(4, 4, 3).scale(0.5);
    const b = a.mul(a).scale(0.3).add(a.scale(-0.7));
    expect(relErr(expm(a.add(b)), expm(a).mul(expm(b)))).toBeLessThan(1e-12);
  });
});

describe('svd', () => {
  it.each([
    [6, 6],
    [9, 4],
    [3, 7],
  ])('reconstructs a random %i×%i matrix as U·diag(s)·Vᵀ to 1e-12', (m, n) => {
    const a = randomMatrix(m, n, m * 100 + n);
    const { U, s, V } = svd(a);
    const k = Math.min(m, n);
    expect([U.rows, U.cols, V.rows, V.cols, s.length]).toEqual([m, k, n, k, k]);
    const rec = U.mul(Matrix.diag(s)).mul(V.transpose());
    expect(relErr(rec, a)).toBeLessThan(1e-12);
    expect(orthonormalityError(U)).toBeLessThan(1e-12);
    expect(orthonormalityError(V)).toBeLessThan(1e-12);
    for (let i = 1; i < k; i++) expect(s[i]!).toBeLessThanOrEqual(s[i - 1]!);
  });

  it('finds known singular values of a rotated diagonal matrix', () => {
    const q1 = randomOrthogonal(5, 1);
    const q2 = randomOrthogonal(5, 2);
    const sigma = [7, 3, 1, 1e-3, 0];
    const a = q1.mul(Matrix.diag(sigma)).mul(q2.transpose());
    const { s } = svd(a);
    for (let i = 0; i < 4; i++) expect(Math.abs(s[i]! - sigma[i]!)).toBeLessThan(1e-13 * 7);
    expect(s[4]!).toBeLessThan(1e-14 * 7);
  });

  it('qrR keeps the singular values of a tall matrix', () => {
    const a = randomMatrix(20, 5, 4);
    const r = qrR(a);
    expect([r.rows, r.cols]).toEqual([5, 5]);
    expect(relErr(svd(r).s, svd(a).s)).toBeLessThan(1e-13);
    expect(relErr(r.transpose().mul(r), a.transpose().mul(a))).toBeLessThan(1e-13);
  });
});

/** A random orthogonal matrix (Gram–Schmidt of a Gaussian matrix). */
function randomOrthogonal(n: number, seed: number): Matrix {
  return orthonormalColumns(randomMatrix(n, n, seed));
}

describe('rank decisions at extreme but finite scales (exact power-of-two rescaling)', () => {
  // Rank 3 of 5 columns: two columns are combinations of the others; σ₄ = σ₅ = 0 up to rounding.
  const base = randomMatrix(7, 3, 11);
  const M = Matrix.hstack([base, base.mul(Matrix.from([[1, 0.5], [-2, 0], [0.25, 3]]))]);
  const ref = nullspace(M);
  const refS = svd(M).s;

  it('the reference: dimension 2, σ₃/σ₁ far above and σ₄/σ₁ at rounding', () => {
    expect(ref.dimension).toBe(2);
    expect(ref.singularValues[2]! / ref.singularValues[4]!).toBeGreaterThan(1e-3);
    expect(ref.singularValues[1]! / ref.singularValues[4]!).toBeLessThan(1e-14);
  });

  // 1e±154 is where sums of squares start to overflow / underflow; these go well beyond.
  it.each([1e100, 1e160, 1e200, 1e300, 1e-100, 1e-160, 1e-200, 1e-300])('scale %s: same dimension and relative singular values as M', (c) => {
    const A = M.scale(c);
    for (const method of ['svd', 'gram'] as const) {
      const r = nullspace(A, { method });
      expect([method, r.dimension]).toEqual([method, 2]);
      // The nonzero singular values, relative to scale, agree with M's to rounding.
      for (let i = 2; i < 5; i++) expect(Math.abs(r.singularValues[i]! / c - ref.singularValues[i]!)).toBeLessThan(1e-12 * ref.singularValues[4]!);
      expect(r.threshold / c).toBeGreaterThan(0);
      expect(Math.abs(r.threshold / c - ref.threshold)).toBeLessThan(1e-12 * ref.threshold);
      expect(relErr(r.basis.mul(r.basis.transpose()), ref.basis.mul(ref.basis.transpose()))).toBeLessThan(1e-9);
    }
    const s = svd(A).s;
    for (let i = 0; i < 3; i++) expect(Math.abs(s[i]! / c - refS[i]!)).toBeLessThan(1e-12 * refS[0]!);
    expect(s[3]! / c).toBeLessThan(1e-14 * refS[0]!);
    expect(orthonormalColumns(A).cols).toBe(3);
    expect(leastSquares(A, A.mulVec([1, 2, 3, 0, 0])).rank).toBe(3);
    const r = qrR(A);
    expect(Number.isFinite(r.maxAbs()) && r.maxAbs() > 0).toBe(true);
    expect(Math.abs(svd(r).s[0]! / c - refS[0]!)).toBeLessThan(1e-12 * refS[0]!);
    expect(Math.abs(A.norm() / c - M.norm())).toBeLessThan(1e-14 * M.norm());
  });

  it('atol is compared in the caller\'s units at any scale', () => {
    const A = Matrix.diag([1e-200, 3e-201, 1e-210]);
    expect(nullspace(A).dimension).toBe(0);
    expect(nullspace(A, { atol: 1e-205 }).dimension).toBe(1);
    expect(nullspace(A, { atol: 5e-201 }).dimension).toBe(2);
  });
});

describe('eigh and LU', () => {
  it('eigh diagonalizes a random symmetric matrix with ascending eigenvalues', () => {
    const b = randomMatrix(6, 6, 5);
    const sym = b.add(b.transpose());
    const { values, vectors } = eigh(sym);
    for (let i = 1; i < 6; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
    expect(orthonormalityError(vectors)).toBeLessThan(1e-12);
    expect(relErr(vectors.mul(Matrix.diag(values)).mul(vectors.transpose()), sym)).toBeLessThan(1e-12);
  });

  it('solve and inverse agree with A·X = B', () => {
    const a = randomMatrix(5, 5, 6);
    const b = randomMatrix(5, 2, 7);
    const x = solve(a, b);
    expect(relErr(a.mul(x), b)).toBeLessThan(1e-12);
    expect(relErr(a.mul(inverse(a)), Matrix.identity(5))).toBeLessThan(1e-12);
    expect(new LuDecomposition(a).singular).toBe(false);
    expect(new LuDecomposition(Matrix.from([[1, 2], [2, 4]])).singular).toBe(true);
  });
});

describe('Matrix', () => {
  it('kron follows the first-factor-slowest convention and (A⊗B)(C⊗D) = AC⊗BD', () => {
    const a = randomMatrix(2, 3, 1);
    const b = randomMatrix(3, 2, 2);
    const c = randomMatrix(3, 2, 3);
    const d = randomMatrix(2, 4, 4);
    const k = a.kron(b);
    expect([k.rows, k.cols]).toEqual([6, 6]);
    expect(k.get(1 * 3 + 2, 2 * 2 + 1)).toBe(a.get(1, 2) * b.get(2, 1));
    expect(relErr(k.mul(c.kron(d)), a.mul(c).kron(b.mul(d)))).toBeLessThan(1e-13);
  });

  it('blockDiag, vstack, hstack, reshape and transpose round-trip', () => {
    const a = randomMatrix(2, 3, 1);
    const b = randomMatrix(1, 2, 2);
    const bd = Matrix.blockDiag([a, b]);
    expect([bd.rows, bd.cols]).toEqual([3, 5]);
    expect(bd.get(2, 4)).toBe(b.get(0, 1));
    expect(bd.get(0, 4)).toBe(0);
    expect(Matrix.vstack([a, a]).transpose().toArray()).toEqual(Matrix.hstack([a.transpose(), a.transpose()]).toArray());
    expect(a.reshape(3, 2).reshape(2, 3).toArray()).toEqual(a.toArray());
    expect(a.transpose().transpose().toArray()).toEqual(a.toArray());
    expect(Matrix.from(a.toArray()).toArray()).toEqual(a.toArray());
  });
});

describe('LinearOperator', () => {
  const rng = createRng(21);
  const vec = (n: number): Float64Array => Float64Array.from({ length: n }, () => rng.normal());
  const a = randomMatrix(3, 2, 31);
  const b = randomMatrix(2, 4, 32);
  const sq1 = randomMatrix(3, 3, 33);
  const sq2 = randomMatrix(2, 2, 34);
  const sq3 = randomMatrix(4, 4, 35);
  const op = (m: Matrix): LinearOperator => LinearOperator.fromMatrix(m);

  /** Checks matvec, rmatvec and toDense of `lazy` against `dense`. */
  function agree(lazy: LinearOperator, dense: Matrix): void {
    expect(lazy.shape).toEqual([dense.rows, dense.cols]);
    expect(relErr(lazy.toDense(), dense)).toBeLessThan(1e-14);
    const x = vec(dense.cols);
    const y = vec(dense.rows);
    expect(relErr(lazy.matvec(x), dense.mulVec(x))).toBeLessThan(1e-14);
    expect(relErr(lazy.rmatvec(y), dense.transpose().mulVec(y))).toBeLessThan(1e-14);
    expect(relErr(lazy.transpose().toDense(), dense.transpose())).toBeLessThan(1e-14);
  }

  it('kron of rectangular factors matches Matrix.kron', () => {
    agree(LinearOperator.kron(op(a), op(b)), a.kron(b));
    agree(LinearOperator.kron(op(a), op(b), op(sq2)), a.kron(b).kron(sq2));
  });

  it('kronSum matches Σ I ⊗ Aᵢ ⊗ I', () => {
    const i1 = Matrix.identity(3);
    const i2 = Matrix.identity(2);
    const i3 = Matrix.identity(4);
    const dense = sq1.kron(i2).kron(i3).add(i1.kron(sq2).kron(i3)).add(i1.kron(i2).kron(sq3));
    agree(LinearOperator.kronSum(op(sq1), op(sq2), op(sq3)), dense);
  });

  it('directSum matches Matrix.blockDiag (rectangular blocks)', () => {
    agree(LinearOperator.directSum(op(a), op(b), op(sq2)), Matrix.blockDiag([a, b, sq2]));
  });

  it('permutation sends eᵢ to e_perm[i]', () => {
    const perm = [2, 0, 3, 1];
    const dense = new Matrix(4, 4);
    perm.forEach((p, i) => dense.set(p, i, 1));
    agree(LinearOperator.permutation(perm), dense);
    expect(LinearOperator.permutation(perm).matvec(Float64Array.from([1, 0, 0, 0]))).toEqual(Float64Array.from([0, 0, 1, 0]));
  });

  it('transpose, scale, compose, identity and zeros', () => {
    agree(op(a).transpose(), a.transpose());
    agree(op(a).scale(-2.5), a.scale(-2.5));
    agree(op(a).compose(op(b)), a.mul(b));
    agree(LinearOperator.identity(3), Matrix.identity(3));
    agree(LinearOperator.zeros(2).compose(op(sq2)), new Matrix(2, 2));
    agree(LinearOperator.kron(op(sq1).transpose(), op(sq2)).transpose(), sq1.kron(sq2.transpose()));
    expect(relErr(op(sq1).matmat(a), sq1.mul(a))).toBeLessThan(1e-14);
    expect(relErr(LinearOperator.kron(op(sq1), op(sq2)).matmat(randomMatrix(6, 2, 5)), sq1.kron(sq2).mul(randomMatrix(6, 2, 5)))).toBeLessThan(1e-14);
  });
});
