import { describe, expect, it } from 'vitest';
import { Matrix, MonomialLibrary, NonFiniteError, createRng, designMatrix, integrate, leastSquares, sindy, stlsq, timeDerivative } from '../src/index.js';
import { lorenzSystem, relativeMaxError, trueCoefficients } from '../../test-utils/src/index.js';

/**
 * The reference: STLSQ on the block design of all outputs (rows (sample, output), columns (output,
 * library function)), every refit a thin-SVD least squares of the whole active sub-block — the solver
 * sindy used before it split the outputs.
 */
function blockReference(lib: MonomialLibrary, xs: Matrix, options: { ders: Matrix; threshold: number }) {
  const n = xs.cols;
  const B = designMatrix(lib, xs, { dimOut: n });
  const y = options.ders.data;
  const fit = (zero: readonly boolean[]): Float64Array => {
    const keep = zero.flatMap((z, j) => (z ? [] : [j]));
    const sub = new Matrix(B.rows, keep.length);
    for (let i = 0; i < B.rows; i++) keep.forEach((j, c) => (sub.data[i * keep.length + c] = B.data[i * B.cols + j]!));
    const x = leastSquares(sub, y).x;
    const theta = new Float64Array(B.cols);
    keep.forEach((j, c) => (theta[j] = x[c]!));
    return theta;
  };
  return stlsq({ design: B, target: y, threshold: options.threshold, fit });
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    s = Math.max(s, Math.abs(b[i]!));
  }
  return d / s;
};

describe('SINDy per output (one QR of [Θ | Ẋ])', () => {
  const dt = 0.002;
  const traj = integrate(lorenzSystem.f, [-8, 8, 27], { dt, steps: 4999 });
  const lib = new MonomialLibrary(3, 2);
  const xi = trueCoefficients(lorenzSystem, lib);

  it('recovers the Lorenz coefficients from 5,000 samples with exact derivatives to 1e-11', () => {
    const ders = Matrix.from(Array.from({ length: traj.rows }, (_, s) => Array.from(lorenzSystem.f(traj.row(s)))));
    const r = sindy({ library: lib, trajectories: traj, derivatives: ders, threshold: 0.1 });
    expect(traj.rows).toBe(5000);
    expect(relativeMaxError(r.theta, xi)).toBeLessThan(1e-11);
    expect(r.active.filter(Boolean).length).toBe(7);
    expect(r.relativeResidual).toBeLessThan(1e-12);
  });

  it('agrees with STLSQ on the block design to 1e-12 (finite-difference derivatives: every coefficient fitted)', () => {
    const ders = timeDerivative(traj, { dt });
    for (const threshold of [0, 0.1]) {
      const r = sindy({ library: lib, trajectories: traj, derivatives: ders, threshold });
      const ref = blockReference(lib, traj, { ders, threshold });
      expect(maxDiff(r.theta, ref.theta)).toBeLessThan(1e-12);
      expect(r.active).toEqual(ref.active);
      expect(r.iterations).toBe(ref.iterations);
      expect(r.converged).toBe(ref.converged);
    }
    // threshold 0: all 30 coefficients stay; the spurious ones are small but not zero.
    const dense = sindy({ library: lib, trajectories: traj, derivatives: ders, threshold: 0 });
    expect(dense.active.every(Boolean)).toBe(true);
    expect(relativeMaxError(dense.theta, xi)).toBeLessThan(1e-4);
  });

  it('agrees with the block design when there are fewer samples than library columns (no QR reduction)', () => {
    // Six samples 800 steps apart: a design of condition number about 1e2. (Six consecutive samples
    // give 2e9, and two least-squares solvers may then differ by 2e9·ε in x whatever the formulation.)
    const rows = [0, 800, 1600, 2400, 3200, 4000];
    const ders = timeDerivative(traj, { dt });
    const pick = (m: Matrix) => Matrix.from(rows.map((s) => Array.from(m.row(s))));
    const few = pick(traj);
    const fewDers = pick(ders);
    const r = sindy({ library: lib, trajectories: few, derivatives: fewDers, threshold: 0.05 });
    const ref = blockReference(lib, few, { ders: fewDers, threshold: 0.05 });
    expect(maxDiff(r.theta, ref.theta)).toBeLessThan(1e-10);
    expect(r.active).toEqual(ref.active);
  });

  it('thresholds per coefficient: a term of 0.04 is dropped at threshold 0.05 and kept at 0.03, the rest refitted exactly', () => {
    const rng = createRng(3);
    const xs = Matrix.from(Array.from({ length: 200 }, () => [rng.normal(), rng.normal()]));
    const l2 = new MonomialLibrary(2, 2); // 1, x0, x1, x0², x0x1, x1²
    const truth = [
      [0, 1, -2, 0, 0.04, 0],
      [0.5, 0, 0, -1, 0, 0.3],
    ];
    const Theta = designMatrix(l2, xs);
    const ders = Matrix.from(Array.from({ length: xs.rows }, (_, s) => truth.map((w) => w.reduce((a, c, k) => a + c * Theta.get(s, k), 0))));
    const dropped = sindy({ library: l2, trajectories: xs, derivatives: ders, threshold: 0.05 });
    expect(dropped.active).toEqual(truth.flat().map((v) => Math.abs(v) >= 0.05));
    // Without the 0.04 term the fit of output 0 is biased but output 1 stays exact.
    const c = dropped.coefficients.toArray();
    expect(Math.abs(c[1]![3]! + 1)).toBeLessThan(1e-12);
    expect(Math.abs(c[0]![1]! - 1)).toBeGreaterThan(1e-6);
    expect(dropped.converged).toBe(true);
    const kept = sindy({ library: l2, trajectories: xs, derivatives: ders, threshold: 0.03 });
    expect(maxDiff(kept.theta, truth.flat())).toBeLessThan(1e-12);
    expect(kept.active.filter(Boolean).length).toBe(6);
    // The same thresholding as STLSQ on the block design.
    const ref = blockReference(l2, xs, { ders, threshold: 0.05 });
    expect(maxDiff(dropped.theta, ref.theta)).toBeLessThan(1e-12);
    expect(dropped.iterations).toBe(ref.iterations);
  });

  it('stlsq (one target) factors [B | y] once and matches refits of the full sub-block', () => {
    const rng = createRng(5);
    const B = Matrix.from(Array.from({ length: 300 }, () => Array.from({ length: 8 }, () => rng.normal())));
    const w = [1.5, 0, -0.02, 0.7, 0, 0, 2, 0.01];
    const y = B.mulVec(w).map((v) => v + 1e-3 * rng.normal());
    const r = stlsq({ design: B, target: y, threshold: 0.05 });
    const ref = stlsq({
      design: B,
      target: y,
      threshold: 0.05,
      fit: (zero) => {
        const keep = zero.flatMap((z, j) => (z ? [] : [j]));
        const x = leastSquares(new Matrix(B.rows, keep.length, Float64Array.from({ length: B.rows * keep.length }, (_, i) => B.data[Math.floor(i / keep.length) * 8 + keep[i % keep.length]!]!)), y).x;
        const t = new Float64Array(8);
        keep.forEach((j, c) => (t[j] = x[c]!));
        return t;
      },
    });
    expect(r.active).toEqual([true, false, false, true, false, false, true, false]);
    expect(maxDiff(r.theta, ref.theta)).toBeLessThan(1e-12);
    expect(Math.abs(r.theta[0]! - 1.5)).toBeLessThan(1e-2);
  });

  it('MonomialLibrary.evaluateAll equals evaluate row by row; a non-finite value names its function and sample', () => {
    const l3 = new MonomialLibrary(3, 4);
    const all = l3.evaluateAll(traj);
    for (const s of [0, 17, 4999]) expect(Array.from(all.row(s))).toEqual(Array.from(l3.evaluate(traj.row(s))));
    expect(all.get(1, l3.indexOf([2, 1, 1]))).toBeCloseTo(traj.get(1, 0) ** 2 * traj.get(1, 1) * traj.get(1, 2), 9);
    expect(() => designMatrix(l3, [[1, 2, 3], [1e200, 1, 1]])).toThrow(/function \d+ \(x0\^2\) is Infinity at sample 1/);
    expect(() => designMatrix(l3, [[1, 2, 3], [1e200, 1, 1]])).toThrow(NonFiniteError);
  });
});
