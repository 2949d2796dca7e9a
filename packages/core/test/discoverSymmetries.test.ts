/** Discovery: the nullspace of the discover matrix D_F over a candidate algebra. */
import { describe, expect, it } from 'vitest';
import { Matrix, SO, checkDiscreteSymmetry, closureResidual, discoverSymmetries, type DiscoveryResult } from '../src/index.js';
import { J2, alignment, expectAscending, normalSamples, offSpanError, relErr } from './helpers.js';

const xs3 = normalSamples(60, 3, { seed: 1 });
const xs2 = normalSamples(60, 2, { seed: 2 });
const lorenzXs = normalSamples(80, 3, { seed: 3, scale: 8 });

const sqNorm = (x: Float64Array): number[] => [x[0]! ** 2 + x[1]! ** 2 + x[2]! ** 2];
const sqNormJacobian = (x: Float64Array): number[][] => [[2 * x[0]!, 2 * x[1]!, 2 * x[2]!]];

function hopf(x: Float64Array): number[] {
  const r2 = x[0]! ** 2 + x[1]! ** 2;
  return [-x[1]! + (1 - r2) * x[0]!, x[0]! + (1 - r2) * x[1]!];
}

function lorenz(x: Float64Array): number[] {
  const [a, b, c] = [x[0]!, x[1]!, x[2]!];
  return [10 * (b - a), a * (28 - c) - b, a * b - (8 / 3) * c];
}

function lorenzJacobian(x: Float64Array): number[][] {
  const [a, b, c] = [x[0]!, x[1]!, x[2]!];
  return [
    [-10, 10, 0],
    [28 - c, -1, -a],
    [b, a, -8 / 3],
  ];
}

/** Asserts the spectrum has `dim` values at or below the threshold and the rest above `floor`. */
function expectSpectrum(r: DiscoveryResult, { q, dim, floor }: { q: number; dim: number; floor: number }): void {
  expect(r.dimension).toBe(dim);
  expectAscending(r.singularValues, q);
  expect(r.generators.length).toBe(dim);
  const smax = r.singularValues[q - 1]!;
  for (let i = 0; i < dim; i++) expect(r.singularValues[i]!).toBeLessThan(1e-8 * smax);
  for (let i = dim; i < q; i++) expect(r.singularValues[i]!).toBeGreaterThan(floor);
  expect(r.closureResidual).toBeLessThan(1e-8);
  expect(closureResidual(r.generators)).toBeLessThan(1e-8);
  // Generators are orthonormal pairs (Frobenius on [A_in, A_out]).
  r.generators.forEach(([a, b], i) => {
    r.generators.forEach(([c, d], j) => {
      expect(a.dot(c) + b.dot(d)).toBeCloseTo(i === j ? 1 : 0, 12);
    });
  });
}

describe('discoverSymmetries', () => {
  it("|x|² on R³ with 'gl-input': so(3), 3 of 9 singular values ≈ 0, the others > 0.1", () => {
    const r = discoverSymmetries(sqNorm, xs3, { candidate: 'gl-input' });
    expectSpectrum(r, { q: 9, dim: 3, floor: 0.1 });
    expect(r.gap).toBeGreaterThan(1e4);
    expect(r.candidate.length).toBe(9);
    expect([r.matrix.rows, r.matrix.cols]).toEqual([60, 9]);
    for (const [a, b] of r.generators) {
      expect(a.add(a.transpose()).norm()).toBeLessThan(1e-8 * a.norm());
      expect(b.maxAbs()).toBe(0);
    }
    // The found inputs span all of so(3).
    const span = new Matrix(9, 3);
    r.generators.forEach(([a], k) => a.data.forEach((v, i) => span.set(i, k, v)));
    for (const xi of SO(3).lieAlgebra) expect(offSpanError(span, xi.data)).toBeLessThan(1e-8);
  });

  it("|x|² with 'gl-input-output': so(3) plus the scaling (I, 2)", () => {
    const r = discoverSymmetries(sqNorm, xs3, { candidate: 'gl-input-output' });
    expectSpectrum(r, { q: 10, dim: 4, floor: 0.1 });
    // (I, [2]) normalized lies in the span.
    const target = new Float64Array(10);
    [0, 4, 8].forEach((i) => (target[i] = 1));
    target[9] = 2;
    const span = new Matrix(10, 4);
    r.generators.forEach(([a, b], k) => {
      a.data.forEach((v, i) => span.set(i, k, v));
      span.set(9, k, b.get(0, 0));
    });
    expect(offSpanError(span, target)).toBeLessThan(1e-8);
  });

  it("an exact Jacobian gives the same dimension, with a smaller floor", () => {
    const fd = discoverSymmetries(sqNorm, xs3, { candidate: 'gl-input' });
    const exact = discoverSymmetries(sqNorm, xs3, { candidate: 'gl-input', jacobian: sqNormJacobian });
    expectSpectrum(exact, { q: 9, dim: 3, floor: 0.1 });
    expect(exact.singularValues[2]!).toBeLessThan(1e-13 * exact.singularValues[8]!);
    expect(relErr(exact.singularValues, fd.singularValues)).toBeLessThan(1e-8);
  });

  it("the Hopf normal form ẋ = Jx + (1 − |x|²)x with 'gl-lift': one generator, ∝ J", () => {
    const r = discoverSymmetries(hopf, xs2, { candidate: 'gl-lift' });
    expectSpectrum(r, { q: 4, dim: 1, floor: 0.1 });
    const [a, b] = r.generators[0]!;
    expect(relErr(a, b)).toBe(0);
    expect(alignment(a, J2)).toBeGreaterThan(1 - 1e-9);
  });

  it("Lorenz with 'gl-lift': no continuous symmetry; the discrete (x, y, z) ↦ (−x, −y, z) holds", () => {
    const r = discoverSymmetries(lorenz, lorenzXs, { candidate: 'gl-lift' });
    expectSpectrum(r, { q: 9, dim: 0, floor: 1e-3 * r.singularValues[8]! });
    expect(r.closureResidual).toBe(0);
    const exact = discoverSymmetries(lorenz, lorenzXs, { candidate: 'gl-lift', jacobian: lorenzJacobian });
    expect(exact.dimension).toBe(0);
    expect(relErr(exact.singularValues, r.singularValues)).toBeLessThan(1e-8);

    const h = Matrix.diag([-1, -1, 1]);
    expect(checkDiscreteSymmetry(lorenz, h, h, lorenzXs)).toBeLessThan(1e-12);
    const bad = Matrix.diag([1, -1, 1]);
    expect(checkDiscreteSymmetry(lorenz, bad, bad, lorenzXs)).toBeGreaterThan(0.1);
  });

  it('explicit candidate pairs: so(3) and an input-only scaling (I, 0) give 3', () => {
    const zero = [[0]];
    const so3 = SO(3).lieAlgebra.map((xi) => [xi, zero] as [Matrix, number[][]]);
    const r = discoverSymmetries(sqNorm, xs3, { candidate: [...so3, [Matrix.identity(3), zero]] });
    expectSpectrum(r, { q: 4, dim: 3, floor: 0.1 });
    for (const [a] of r.generators) expect(a.add(a.transpose()).norm()).toBeLessThan(1e-8);
  });

  // When every candidate is a symmetry, D_F is rounding noise (σ ≈ 1e-11 with finite
  // differences, 1e-16 with the exact Jacobian); the whole candidate algebra must be found.
  it.each([
    ['finite differences', undefined],
    ['exact Jacobian', sqNormJacobian],
  ] as const)('explicit candidates that are all symmetries (so(3) and (I, 2)) give 4 (%s)', (_name, jacobian) => {
    const zero = [[0]];
    const so3 = SO(3).lieAlgebra.map((xi) => [xi, zero] as [Matrix, number[][]]);
    const candidate = [...so3, [Matrix.identity(3), [[2]]] as [Matrix, number[][]]];
    const r = discoverSymmetries(sqNorm, xs3, jacobian ? { candidate, jacobian } : { candidate });
    expect(r.dimension).toBe(4);
    expect(r.generators.length).toBe(4);
  });

  it('sample weights rescale rows but not the symmetry found', () => {
    const weights = Array.from({ length: 60 }, (_, i) => 1 + (i % 5));
    const r = discoverSymmetries(sqNorm, xs3, { candidate: 'gl-input', weights });
    expectSpectrum(r, { q: 9, dim: 3, floor: 0.1 });
  });

  it('rtol moves the decision: with rtol just below 1 at least all but the largest singular value count', () => {
    const r = discoverSymmetries(hopf, xs2, { candidate: 'gl-lift', rtol: 0.999999 });
    // threshold = rtol·max(σ_max, size of the cancelling terms) ≥ rtol·σ_max
    expect(r.threshold).toBeGreaterThanOrEqual(0.999999 * r.singularValues[3]! * (1 - 1e-12));
    expect(r.dimension).toBeGreaterThanOrEqual(3);
    expect(r.dimension).toBe(Array.from(r.singularValues).filter((s) => s <= r.threshold).length);
  });

  it('recognizes a candidate made only of symmetries (threshold floored by the size of the cancelling terms)', () => {
    const zero = Matrix.from([[0]]);
    const cand = [...SO(3).lieAlgebra.map((xi) => [xi, zero] as const), [Matrix.identity(3), Matrix.from([[2]])] as const];
    const sq = (x: Float64Array) => [x[0]! ** 2 + x[1]! ** 2 + x[2]! ** 2];
    expect(discoverSymmetries(sq, xs3, { candidate: cand }).dimension).toBe(4);
    expect(discoverSymmetries(sq, xs3, { candidate: cand.slice(0, 3) }).dimension).toBe(3);
  });
});

describe('closureResidual', () => {
  it('is 0 for so(3) and > 0.1 for a non-closed pair of generators', () => {
    const zero = new Matrix(3, 3);
    const s = 1 / Math.SQRT2;
    const so3 = SO(3).lieAlgebra.map((xi) => [xi.scale(s), zero] as const);
    expect(closureResidual(so3)).toBeLessThan(1e-15);
    expect(closureResidual(so3.slice(0, 2))).toBeGreaterThan(0.1);
  });
});
