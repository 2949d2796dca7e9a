/**
 * Shared test helpers: relative errors, seeded random data, and one equivariance check
 * used by every test that asserts ρ_out(g)·W = W·ρ_in(g).
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { LiesymError, Matrix, createRng, type Group, type Representation, type Rng } from '../src/index.js';
import { normalSamples as kitNormalSamples, type NormalOptions } from '../../test-utils/src/index.js';

/** Tolerance for float64 identities that hold up to rounding (relative to scale). */
export const F64_TOL = 1e-9;

/** Fixed fast-check parameters: every property runs under this seed. */
export const FC_SEED = 42;

function asArray(x: Matrix | ArrayLike<number>): ArrayLike<number> {
  return x instanceof Matrix ? x.data : x;
}

function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s);
}

/**
 * ‖a − b‖ / scale, where scale defaults to max(‖a‖, ‖b‖) (Frobenius / Euclidean).
 * Returns 0 when a and b are both exactly zero and no scale is given.
 * Throws on a length mismatch so a shape bug cannot pass silently.
 */
export function relErr(a: Matrix | ArrayLike<number>, b: Matrix | ArrayLike<number>, scale?: number): number {
  if (a instanceof Matrix && b instanceof Matrix && (a.rows !== b.rows || a.cols !== b.cols)) {
    throw new Error(`relErr: shapes differ (${a.rows}×${a.cols} vs ${b.rows}×${b.cols})`);
  }
  const x = asArray(a);
  const y = asArray(b);
  if (x.length !== y.length) throw new Error(`relErr: lengths differ (${x.length} vs ${y.length})`);
  let d = 0;
  for (let i = 0; i < x.length; i++) d += (x[i]! - y[i]!) ** 2;
  d = Math.sqrt(d);
  const s = scale ?? Math.max(norm(x), norm(y));
  if (s === 0) return d === 0 ? 0 : Infinity;
  return d / s;
}

/** ‖QᵀQ − I‖_max for a matrix with (supposedly) orthonormal columns. */
export function orthonormalityError(q: Matrix): number {
  return q.transpose().mul(q).sub(Matrix.identity(q.cols)).maxAbs();
}

/** ‖Q₁Q₁ᵀ − Q₂Q₂ᵀ‖_F: zero iff the two orthonormal bases span the same subspace. */
export function projectorDistance(q1: Matrix, q2: Matrix): number {
  return q1.mul(q1.transpose()).sub(q2.mul(q2.transpose())).norm();
}

/** An m×n matrix of standard normal entries from a seeded generator. */
/** max_i |a_i − b_i|. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

export function randomMatrix(rows: number, cols: number, rng: Rng | number): Matrix {
  const r = typeof rng === 'number' ? createRng(rng) : rng;
  const m = new Matrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = r.normal();
  return m;
}

/** The kit's seeded `normalSamples` (N(0, scale²) entries, seed as given) as a matrix: rows are samples. */
export function normalSamples(count: number, n: number, options: NormalOptions): Matrix {
  return Matrix.from(kitNormalSamples(count, n, options));
}

/** Σ cᵢ ξᵢ over the group's Lie-algebra basis. */
function lieElement(group: Group, coeffs: readonly number[]): Matrix {
  let a = new Matrix(group.d, group.d);
  group.lieAlgebra.forEach((xi, i) => {
    a = a.add(xi.scale(coeffs[i] ?? 0));
  });
  return a;
}

/** A fast-check arbitrary of Lie-algebra elements Σ cᵢ ξᵢ with cᵢ ∈ [−1, 1]. */
export function lieElementArb(group: Group): fc.Arbitrary<Matrix> {
  const q = group.lieAlgebra.length;
  return fc
    .array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: q, maxLength: q })
    .map((c) => lieElement(group, c));
}

/** A fast-check arbitrary of seeds for Group.sample. */
export const seedArb: fc.Arbitrary<number> = fc.integer({ min: 0, max: 0x7fffffff });

/** The projection of the columns of `target` onto span(basis) (basis orthonormal), minus target, relative. */
export function offSpanError(basis: Matrix, target: Matrix | ArrayLike<number>): number {
  const t = target instanceof Matrix ? target : Matrix.column(target);
  const proj = basis.mul(basis.transpose().mul(t));
  return relErr(proj, t, t.norm());
}

/** |cos| of the angle between two vectors (1 when proportional). */
export function alignment(a: Matrix | ArrayLike<number>, b: Matrix | ArrayLike<number>): number {
  const x = asArray(a);
  const y = asArray(b);
  let d = 0;
  for (let i = 0; i < x.length; i++) d += x[i]! * y[i]!;
  return Math.abs(d) / (norm(x) * norm(y));
}

/** Where {@link expectEquivariantBasis} checks: the representations, the group elements, the tolerance (default F64_TOL). */
export interface EquivariantBasisCheck {
  repIn: Representation;
  repOut: Representation;
  elements: readonly Matrix[];
  tol?: number;
}

/**
 * Asserts that every column of `basis` (each a vec(W), row-major dimOut×dimIn) is an
 * equivariant map repIn → repOut, ρ_out(g)·W = W·ρ_in(g) at each of the group elements, to
 * relative error `tol`.
 */
export function expectEquivariantBasis(basis: Matrix, { repIn, repOut, elements: gs, tol = F64_TOL }: EquivariantBasisCheck): void {
  expect(basis.rows).toBe(repIn.dim * repOut.dim);
  for (const g of gs) {
    const rIn = repIn.rhoOf(g).toDense();
    const rOut = repOut.rhoOf(g).toDense();
    for (let k = 0; k < basis.cols; k++) {
      const W = new Matrix(repOut.dim, repIn.dim, basis.column(k));
      expect(relErr(rOut.mul(W), W.mul(rIn))).toBeLessThan(tol);
    }
  }
}

/** Asserts that every singular-value list is ascending and of the given length. */
export function expectAscending(values: Float64Array, length: number): void {
  expect(values.length).toBe(length);
  for (let i = 1; i < values.length; i++) expect(values[i]!).toBeGreaterThanOrEqual(values[i - 1]!);
}

/** The d×d matrix J = [[0, I], [−I, 0]] (symplectic form). */
export function symplecticJ(n: number): Matrix {
  const d = 2 * n;
  const J = new Matrix(d, d);
  for (let i = 0; i < n; i++) {
    J.set(i, n + i, 1);
    J.set(n + i, i, -1);
  }
  return J;
}

/** η = diag(1, −1, −1, −1), the Minkowski metric. */
export const ETA: Matrix = Matrix.diag([1, -1, -1, -1]);

/** The 2×2 rotation generator J = [[0, −1], [1, 0]]. */
export const J2: Matrix = Matrix.from([
  [0, -1],
  [1, 0],
]);

/** The determinant of a small square matrix (cofactor expansion; for tests only). */
export function det(m: Matrix): number {
  const n = m.rows;
  if (n === 1) return m.get(0, 0);
  let s = 0;
  for (let j = 0; j < n; j++) {
    const minor = new Matrix(n - 1, n - 1);
    for (let i = 1; i < n; i++) {
      let c = 0;
      for (let k = 0; k < n; k++) if (k !== j) minor.set(i - 1, c++, m.get(i, k));
    }
    s += (j % 2 === 0 ? 1 : -1) * m.get(0, j) * det(minor);
  }
  return s;
}

/** The error a test expects: its class (a LiesymError) and its stable `code`. */
export interface ExpectedError {
  type: abstract new (...args: never[]) => Error;
  code: string;
}

/**
 * Asserts that `fn` throws an instance of `expected.type` (a LiesymError) with the given
 * `code`, and that its message matches every pattern (function name, argument, …).
 */
export function expectTypedError(fn: () => unknown, { type: errorClass, code }: ExpectedError, ...patterns: RegExp[]): void {
  expect(fn).toThrow(errorClass);
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(LiesymError);
  const err = caught as LiesymError;
  expect(err.code).toBe(code);
  expect(err.name).toBe(errorClass.name);
  for (const p of patterns) expect(err.message).toMatch(p);
}
