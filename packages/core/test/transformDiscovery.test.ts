import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  Matrix,
  createRng,
  formatCombination,
  imageTransforms,
  localEquivarianceError,
  localEquivarianceErrorAsync,
  nullspace,
  signalTransforms,
  type Evaluator,
} from '../src/index.js';

/** A plain JS evaluator of a point function R^n → R^m. */
function evaluator(f: (x: Float64Array) => number[], dims: { dimIn: number; dimOut: number }): Evaluator {
  return {
    ...dims,
    evaluate(points, count) {
      const out = new Float64Array(count * dims.dimOut);
      for (let s = 0; s < count; s++) out.set(f(points.subarray(s * dims.dimIn, (s + 1) * dims.dimIn)), s * dims.dimOut);
      return out;
    },
  };
}

const rng = createRng(11);
const noise = (S: number, n: number): Matrix => new Matrix(S, n, Float64Array.from({ length: S * n }, () => rng.normal()));
const dot = (a: ArrayLike<number>, x: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * x[i]!;
  return s;
};

describe('discovery within the span of named transforms', () => {
  it('a pixel weighting invariant under the discrete rotation flow discovers rotation alone (dimension 1, translation-x not in the span)', () => {
    const n = 8 * 8;
    const family = imageTransforms({ shape: [8, 8] });
    const rot = family.transforms.findIndex((t) => t.name === 'rotation');
    // The rotation velocity is linear, v(x) = R·x: f(x) = a·x with Rᵀa = 0 is exactly invariant
    // (DF·v = aᵀR·x = 0), the discrete counterpart of a radially symmetric weighting.
    const R = new Matrix(n, n);
    for (let j = 0; j < n; j++) {
      const e = new Float64Array(n);
      e[j] = 1;
      const v = family.velocities(e)[rot]!;
      for (let i = 0; i < n; i++) R.data[i * n + j] = v[i]!;
    }
    const ker = nullspace(R.transpose(), { rtol: 1e-10 });
    expect(ker.dimension).toBeGreaterThan(0);
    const a = ker.basis.mul(Matrix.column(Float64Array.from({ length: ker.dimension }, () => rng.normal()))).data;
    const r = localEquivarianceError(evaluator((x) => [dot(a, x)], { dimIn: n, dimOut: 1 }), noise(24, n), { transforms: family, discover: true });
    const d = r.discovery!;
    expect(d.names).toEqual(family.transforms.map((t) => t.name));
    // Per degree and percent, shear-y = shear-x + (180/(100π))·rotation: shear-y is left out as dependent.
    expect(d.dependent.map((x) => x.name)).toEqual(['shear-y']);
    expect(d.dependent[0]!.combination['shear-x']).toBeCloseTo(1, 12);
    expect(d.dependent[0]!.combination['rotation']).toBeCloseTo((0.01 * 180) / Math.PI, 12);
    expect(d.singularValues.length).toBe(8);
    expect(d.dimension).toBe(1);
    expect(d.determined).toBe(true);
    expect(d.basis[0]!['rotation']).toBeCloseTo(1, 8);
    expect(Math.abs(d.basis[0]!['translation-x']!)).toBeLessThan(1e-8);
    expect(d.singularValues[0]).toBeLessThan(1e-8);
    expect(d.singularValues[1]).toBeGreaterThan(r.tolerance);
    expect(d.threshold).toBe(r.tolerance);
    expect(d.gap).toBeGreaterThan(1e3);
    expect(formatCombination(d.basis[0]!)).toBe('1.00·rotation');
    // Frobenius identity: Σσ² = Σ‖c_k‖² = Σ error_k² over the independent transforms (the columns are scaled as the errors are).
    const sumSq = d.singularValues.reduce((s, v) => s + v * v, 0);
    expect(sumSq / r.transforms.filter((t) => t.name !== 'shear-y').reduce((s, t) => s + t.error ** 2, 0)).toBeCloseTo(1, 10);
    // One transform alone is its own error: translation-x is broken.
    expect(r.transforms.find((t) => t.name === 'translation-x')!.verdict).toBe('broken');
  });

  it('(Σs)²/(T·Σs²) with periodic differences: the span is {time-shift, gain} (dimension 2), closed; time-scaling is not in it', async () => {
    // Shift: Σ(Ds) = 0 and sᵀDs = 0 for the antisymmetric periodic D; gain: f is homogeneous of degree 0.
    const T = 32;
    const f = (s: Float64Array): number[] => {
      let a = 0;
      let q = 0;
      for (const v of s) {
        a += v;
        q += v * v;
      }
      return [(a * a) / (T * q)];
    };
    const xs = new Matrix(20, T, Float64Array.from({ length: 20 * T }, () => 1 + rng.normal()));
    const r = await localEquivarianceErrorAsync(evaluator(f, { dimIn: T, dimOut: 1 }), xs, { transforms: signalTransforms({ length: T, derivative: 'central' }), discover: true });
    const d = r.discovery!;
    expect(d.dimension).toBe(2);
    expect(d.determined).toBe(true);
    expect(d.singularValues[1]).toBeLessThan(1e-7);
    expect(d.singularValues[2]).toBeGreaterThan(1e-3);
    // The orthogonal complement of the span is time-scaling: its coefficient vanishes in both basis vectors.
    for (const c of d.basis) expect(Math.abs(c['time-scaling']!)).toBeLessThan(1e-7);
    const span = d.basis.reduce((s, c) => s + c['time-shift']! ** 2 + c['gain']! ** 2, 0);
    expect(span).toBeCloseTo(2, 10);
    expect(d.basis.map((c) => formatCombination(c)).sort()).toEqual(['1.00·gain', '1.00·time-shift']);
    // Shift moves the domain, gain the values: they commute.
    expect(d.closure.closed).toBe(true);
    expect(d.closure.residual!).toBeLessThan(1e-12);
  });

  it('the sum of pixels (periodic differences) among translations, rotation and scaling: {translations, rotation} (dimension 3) closes; {translation-x, rotation} does not ([rotation, translation-x] ∝ translation-y)', () => {
    const sum = (x: Float64Array): number[] => [x.reduce((a, b) => a + b, 0)];
    const ev = evaluator(sum, { dimIn: 64, dimOut: 1 });
    const xs = new Matrix(16, 64, Float64Array.from({ length: 16 * 64 }, () => 1 + rng.normal()));
    const closed = localEquivarianceError(ev, xs, {
      transforms: imageTransforms({ shape: [8, 8], derivative: 'central', names: ['translation-x', 'translation-y', 'rotation', 'scaling'] }),
      discover: true,
    }).discovery!;
    expect(closed.dimension).toBe(3);
    // The basis comes out as the named transforms themselves (the span holds them).
    expect(closed.basis.map((c) => formatCombination(c)).sort()).toEqual(['1.00·rotation', '1.00·translation-x', '1.00·translation-y']);
    for (const c of closed.basis) expect(Math.abs(c['scaling']!)).toBeLessThan(1e-8);
    const vec = closed.basis.map((c) => closed.names.map((n) => c[n]!));
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(dot(vec[i]!, vec[j]!)).toBeCloseTo(i === j ? 1 : 0, 10);
    expect(closed.closure.closed).toBe(true);
    expect(closed.closure.residual!).toBeLessThan(1e-10);

    const open = localEquivarianceError(ev, xs, { transforms: imageTransforms({ shape: [8, 8], derivative: 'central', names: ['translation-x', 'rotation', 'scaling'] }), discover: true }).discovery!;
    expect(open.dimension).toBe(2);
    expect(open.closure.closed).toBe(false);
    // Unit rotation (A/√2) bracketed with unit translation-x gives translation-y/√2, all off the span.
    expect(open.closure.residual!).toBeCloseTo(Math.SQRT1_2, 10);

    const contrast = localEquivarianceError(ev, xs, { transforms: imageTransforms({ shape: [8, 8], derivative: 'central', names: ['translation-x', 'contrast'] }), discover: true }).discovery!;
    expect(contrast.dimension).toBe(2);
    expect(contrast.closure.closed).toBeNull();
    expect(contrast.closure.reason).toMatch(/contrast has no field generator/);
  });

  it('an image-to-image model with 4096 outputs per sample (rows compressed by QR as they come): −x is equivariant under all but brightness', () => {
    // DF·v(x) − v(F(x)) = −R·x − R·(−x) = 0 for every linear velocity and for contrast; brightness adds c and −x flips it: −2c.
    const n = 64 * 64;
    const family = imageTransforms({ shape: [64, 64] });
    const S = 20; // 10 samples × 4096 rows per parity: over the 2¹⁵ rows that trigger compression
    const r = localEquivarianceError(evaluator((x) => Array.from(x, (v) => -v), { dimIn: n, dimOut: n }), noise(S, n), { transforms: family, outputTransforms: family, discover: true });
    const d = r.discovery!;
    expect(d.dependent.map((x) => x.name)).toEqual(['shear-y']);
    expect(d.singularValues.length).toBe(8);
    expect(d.dimension).toBe(7);
    expect(d.determined).toBe(true);
    for (const c of d.basis) expect(Math.abs(c['brightness']!)).toBeLessThan(1e-9);
    expect(d.singularValues[7]).toBeCloseTo(r.transforms.find((t) => t.name === 'brightness')!.error, 10);
    // Σσ² = Σ error² over the independent transforms survives the compression.
    const sumSq = d.singularValues.reduce((a, v) => a + v * v, 0);
    expect(sumSq / r.transforms.filter((t) => t.name !== 'shear-y').reduce((a, t) => a + t.error ** 2, 0)).toBeCloseTo(1, 10);
  });

  it('marks too few samples undetermined, leaves discovery out by default, refuses a non-boolean discover', () => {
    const ev = evaluator((x) => [x.reduce((a, b) => a + b, 0)], { dimIn: 64, dimOut: 1 });
    const family = imageTransforms({ shape: [8, 8], derivative: 'central' });
    const few = localEquivarianceError(ev, noise(4, 64), { transforms: family, discover: true }).discovery!;
    expect(few.determined).toBe(false);
    expect(few.reason).toMatch(/too few rows.*4 rows for 8 independent transforms/);
    expect(localEquivarianceError(ev, noise(4, 64), { transforms: family }).discovery).toBeUndefined();
    expect(() => localEquivarianceError(ev, noise(4, 64), { transforms: family, discover: 'yes' as unknown as boolean })).toThrow(InvalidArgumentError);
    expect(() => localEquivarianceError(ev, noise(4, 64), { transforms: family, discover: 'yes' as unknown as boolean })).toThrow(/localEquivarianceError: 'discover' must be a boolean; received/);
  });

  it('formats combinations largest first with signs, dropping coefficients below 0.005', () => {
    expect(formatCombination({ 'translation-x': 0.7071, rotation: -0.7071, scaling: 0.001 })).toBe('0.71·translation-x − 0.71·rotation');
    expect(formatCombination({ gain: 0.6, 'time-shift': -0.8 })).toBe('−0.80·time-shift + 0.60·gain');
  });
});
