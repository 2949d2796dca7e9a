import { describe, expect, it } from 'vitest';
import {
  InsufficientDataError,
  InvalidArgumentError,
  Matrix,
  NonFiniteError,
  O,
  SO,
  Scalar,
  UnsupportedOperationError,
  V,
  S,
  checkLayerSymmetry,
  checkSymmetry,
  checkSymmetryAsync,
  closureResidual,
  createRng,
  directionalDerivatives,
  discoverSymmetries,
  discoverSymmetriesAsync,
  drawSamples,
  finiteDifferenceJacobian,
  finiteDifferenceStep,
  imageCandidates,
  runProgram,
  signalCandidates,
  type Evaluator,
} from '../src/index.js';

const rng = createRng(11);
const xs3 = Array.from({ length: 40 }, () => [rng.normal(), rng.normal(), rng.normal()]);
const sq = (x: Float64Array): number[] => [x[0]! ** 2 + x[1]! ** 2 + x[2]! ** 2];
const so3 = SO(3).lieAlgebra.map((a) => [a, Matrix.zeros(1, 1)] as [Matrix, Matrix]);

/** A batched evaluator of a point function, optionally asynchronous. */
function batched(f: (x: Float64Array) => number[], { async = false, ...dims }: { dimIn: number; dimOut: number; async?: boolean }): Evaluator & { calls: number } {
  const ev = {
    ...dims,
    calls: 0,
    evaluate(points: Float64Array, count: number) {
      ev.calls++;
      const out = new Float64Array(count * dims.dimOut);
      for (let s = 0; s < count; s++) out.set(f(points.subarray(s * dims.dimIn, (s + 1) * dims.dimIn)), s * dims.dimOut);
      return async ? Promise.resolve(out) : out;
    },
  };
  return ev;
}

describe('the one finite-difference rule', () => {
  it('moves a point by step·‖x‖ along the unit direction, with Richardson an order more accurate', () => {
    const f = (x: Float64Array): number[] => [Math.sin(x[0]!) * Math.exp(x[1]!)];
    const x = Float64Array.of(0.7, -0.3);
    const exact = [Math.cos(0.7) * Math.exp(-0.3), Math.sin(0.7) * Math.exp(-0.3)];
    const central = finiteDifferenceJacobian(f, x);
    const rich = finiteDifferenceJacobian(f, x, { richardson: true });
    const err = (J: Matrix) => Math.hypot(J.get(0, 0) - exact[0]!, J.get(0, 1) - exact[1]!);
    expect(err(central)).toBeLessThan(1e-9);
    expect(err(rich)).toBeLessThan(1e-11);
    // A deliberately large step shows the orders: O(h²) against O(h⁴).
    expect(err(finiteDifferenceJacobian(f, x, { step: 1e-2, richardson: true }))).toBeLessThan(err(finiteDifferenceJacobian(f, x, { step: 1e-2 })) / 100);
  });

  it('uses one batched evaluation for values and every direction; zero directions cost nothing', () => {
    const ev = batched((x) => [x[0]! * x[1]!], { dimIn: 2, dimOut: 1 });
    const points = Float64Array.of(1, 2, 3, 4);
    const r = runProgram('test', directionalDerivatives(points, [{ point: 0, v: Float64Array.of(1, 0) }, { point: 1, v: Float64Array.of(0, 0) }, { point: 1, v: Float64Array.of(0, 2) }], { dimIn: 2, dimOut: 1 }), ev);
    expect(ev.calls).toBe(1);
    expect(Array.from(r.values)).toEqual([2, 12]);
    expect(r.derivatives[0]![0]).toBeCloseTo(2, 8);
    expect(r.derivatives[1]![0]).toBe(0);
    expect(r.derivatives[2]![0]).toBeCloseTo(6, 8);
  });

  it('defaults to ε^(1/3) of the dtype and validates the step', () => {
    expect(finiteDifferenceStep({ dtype: 'float32' })).toBeCloseTo(Math.cbrt(2 ** -23), 12);
    expect(finiteDifferenceStep({ dtype: 'float64', richardson: true })).toBeCloseTo(2 ** (-52 / 5), 12);
    expect(() => finiteDifferenceStep({ step: 0 })).toThrow(InvalidArgumentError);
    expect(() => finiteDifferenceStep({ step: Number.NaN })).toThrow(InvalidArgumentError);
  });
});

describe('discoverSymmetries: the engine (regressions of issue 12)', () => {
  it('finds a candidate made only of symmetries whole, and names it', () => {
    const r = discoverSymmetries(sq, xs3, { candidate: so3 });
    expect(r.dimension).toBe(3);
    expect(r.identification).toBe('so(3)');
    const g = discoverSymmetries(sq, xs3, { candidate: 'gl-input' });
    expect(g.dimension).toBe(3);
    expect(g.identification).toBe('so(3)');
    expect(g.determined).toBe(true);
    expect(g.reason).toBeNull();
  });

  it('refuses to answer from fewer rows than candidates: |x|² from 1 and 4 samples', () => {
    for (const S of [1, 4]) {
      expect(() => discoverSymmetries(sq, xs3.slice(0, S), { candidate: 'gl-input' })).toThrow(InsufficientDataError);
    }
    const err = (() => {
      try {
        discoverSymmetries(sq, xs3.slice(0, 4), { candidate: 'gl-input' });
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err?.message).toMatch(/4 samples × 1 outputs = 4 rows for 9 generators/);
  });

  it('marks an answer undetermined when half of the samples would decide differently', () => {
    // 10 samples (10 rows) for 9 candidates: half of them give 5 rows, too few to cross-check.
    const thin = discoverSymmetries(sq, xs3.slice(0, 10), { candidate: 'gl-input' });
    expect(thin.determined).toBe(false);
    expect(thin.reason).toMatch(/too few rows/);
    expect(discoverSymmetries(sq, xs3.slice(0, 24), { candidate: 'gl-input' }).determined).toBe(true);
  });

  it('validates rtol, atol and weights on every path', () => {
    for (const rtol of [2, 1, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => discoverSymmetries(sq, xs3, { candidate: 'gl-input', rtol })).toThrow(InvalidArgumentError);
    }
    expect(() => discoverSymmetries(sq, xs3, { candidate: 'gl-input', atol: -1 })).toThrow(InvalidArgumentError);
    expect(() => discoverSymmetries(sq, xs3, { candidate: 'gl-input', weights: new Array(40).fill(0) })).toThrow(InvalidArgumentError);
    expect(() => discoverSymmetries(sq, xs3, { candidate: 'gl-input', weights: [Number.NaN, ...new Array(39).fill(1)] })).toThrow(NonFiniteError);
  });

  it('decides the same at extreme but finite scales of F (1e100·|x|² and 1e-200·|x|²)', () => {
    for (const c of [1e100, 1e-200]) {
      const r = discoverSymmetries((x) => sq(x).map((v) => c * v), xs3, { candidate: 'gl-input' });
      expect(r.dimension).toBe(3);
      expect(r.identification).toBe('so(3)');
    }
  });

  it('gives the same result through a synchronous and an asynchronous evaluator, and refuses async in the sync call', async () => {
    const sync = discoverSymmetries(batched(sq, { dimIn: 3, dimOut: 1 }), xs3, { candidate: 'gl-input' });
    const asyncEv = batched(sq, { dimIn: 3, dimOut: 1, async: true });
    const viaAsync = await discoverSymmetriesAsync(asyncEv, xs3, { candidate: 'gl-input' });
    expect(viaAsync.dimension).toBe(3);
    expect(Array.from(viaAsync.singularValues)).toEqual(Array.from(sync.singularValues));
    // All points in one batch: one call for values and every perturbed point.
    expect(asyncEv.calls).toBe(1);
    expect(() => discoverSymmetries(batched(sq, { dimIn: 3, dimOut: 1, async: true }), xs3, { candidate: 'gl-input' })).toThrow(UnsupportedOperationError);
  });

  it('uses exact Jacobians when given (derivative: exact) and forced finite differences on request', () => {
    const jac = (x: Float64Array) => [[2 * x[0]!, 2 * x[1]!, 2 * x[2]!]];
    const exact = discoverSymmetries(sq, xs3, { candidate: 'gl-input', jacobian: jac });
    expect(exact.derivative).toBe('exact');
    expect(exact.rtol).toBe(1e-9);
    expect(exact.dimension).toBe(3);
    const fd = discoverSymmetries(sq, xs3, { candidate: 'gl-input', jacobian: jac, derivative: 'finite-difference' });
    expect(fd.derivative).toBe('finite-difference');
    expect(fd.rtol).toBe(1e-6);
  });

  it('checks closure cheaply and detects a span that is not a subalgebra', () => {
    const e = (i: number, j: number) => {
      const m = new Matrix(4, 4);
      m.set(i, j, 1);
      return [m, new Matrix(1, 1)] as const;
    };
    // span{E01, E10} does not contain [E01, E10] = E00 − E11.
    expect(closureResidual([e(0, 1), e(1, 0)])).toBeCloseTo(Math.SQRT2, 10);
    // so(4) as 6 unit pairs is closed; an orthonormal basis of gl(4) (16 > 8, random pairs) too.
    const so4 = SO(4).lieAlgebra.map((a) => [a.scale(Math.SQRT1_2), new Matrix(1, 1)] as const);
    expect(closureResidual(so4)).toBeLessThan(1e-12);
    const gl4 = Array.from({ length: 16 }, (_, k) => e(Math.floor(k / 4), k % 4));
    expect(closureResidual(gl4)).toBeLessThan(1e-12);
    expect(closureResidual(gl4.filter((_, k) => k !== 5))).toBeGreaterThan(0.05);
  });
});

describe('checkSymmetry', () => {
  it('gives a verdict per generator and overall, with discrete generators as K_h F − F', () => {
    const r = checkSymmetry(sq, xs3, { repIn: V(O(3)), repOut: Scalar });
    expect(r.verdict).toBe('holds');
    expect(r.generators).toHaveLength(3);
    expect(r.generators.every((g) => g.relative < 1e-7 && g.verdict === 'holds')).toBe(true);
    expect(r.generators.map((g) => g.name).sort()).toEqual(['rotation-xy', 'rotation-xz', 'rotation-yz']);
    expect(r.discrete[0]!.residual).toBeLessThan(1e-12);
    const broken = checkSymmetry((x) => [x[0]! ** 2 + 2 * x[1]! ** 2 + x[0]!], xs3, { repIn: V(O(3)), repOut: Scalar });
    expect(broken.verdict).toBe('broken');
    expect(broken.maxRelative).toBeGreaterThan(0.1);
    expect(broken.discrete[0]!.verdict).toBe('broken');
    expect(broken.tolerance).toBe(1e-5);
  });

  it('runs through an asynchronous evaluator with the same numbers', async () => {
    const a = checkSymmetry(sq, xs3, { repIn: V(SO(3)), repOut: Scalar });
    const b = await checkSymmetryAsync(batched(sq, { dimIn: 3, dimOut: 1, async: true }), xs3, { repIn: V(SO(3)), repOut: Scalar });
    expect(b.generators.map((g) => g.norm)).toEqual(a.generators.map((g) => g.norm));
    expect(() => checkSymmetry(sq, xs3, { repIn: V(SO(3)), repOut: Scalar, tolerance: -1 })).toThrow(InvalidArgumentError);
  });
});

describe('structured candidates (images and signals)', () => {
  it('finds the translations, the rotation and the channel rotation of Σ u² on a 2-channel image, and names them', () => {
    const shape = [2, 8, 8];
    const X = drawSamples({ samples: 12, seed: 3 }, { dimIn: 128 });
    const energy = (u: Float64Array): number[] => [u.reduce((s, v) => s + v * v, 0)];
    const r = discoverSymmetries(energy, X, { candidate: imageCandidates({ shape, outputShape: [1] }) });
    expect(r.names).toEqual(['translation-x', 'translation-y', 'rotation', 'scaling', 'channel-in[0,0]', 'channel-in[0,1]', 'channel-in[1,0]', 'channel-in[1,1]']);
    expect(r.identification).toMatch(/translation-x/);
    expect(r.identification).toMatch(/translation-y/);
    // uᵀ·diag(y)·Dₓ·u = 0 exactly (the two commute and Dₓ is antisymmetric): the rotation is exact too
    expect(r.identification).toMatch(/rotation/);
    expect(r.identification).not.toMatch(/scaling/);
    // translations, rotation and the antisymmetric channel mix E₀₁ − E₁₀ (in the span, not a named generator)
    expect(r.dimension).toBe(4);
    expect(r.singularValues[3]!).toBeLessThan(1e-6 * r.singularValues[4]!);
  });

  it('finds the time shift of a circular convolution on signals (an equivariant signal → signal map)', () => {
    const T = 16;
    const k = [0.5, 0.25, 0, 0.25];
    const conv = (u: Float64Array): number[] => Array.from({ length: T }, (_, t) => k.reduce((s, w, j) => s + w * u[(t - j + T) % T]!, 0));
    const X = drawSamples({ samples: 4, seed: 5 }, { dimIn: T });
    const r = discoverSymmetries(conv, X, { candidate: signalCandidates({ length: T, outputShape: [T] }) });
    expect(r.identification).toMatch(/time-shift/);
    // time shift, and the joint amplitude scaling of a linear map (amplitude-in + amplitude-out)
    expect(r.dimension).toBe(2);
  });
});

describe('checkLayerSymmetry (closed-form L_ξ W = W·dρ_in(ξ) − dρ_out(ξ)·W)', () => {
  it('refuses NaN weights or bias (a NaN layer would read as broken, or as all-NaN after projection)', () => {
    const W = Matrix.identity(3);
    W.data[4] = Number.NaN;
    expect(() => checkLayerSymmetry(W, { repIn: V(SO(3)), repOut: V(SO(3)) })).toThrow(NonFiniteError);
    expect(() => checkLayerSymmetry(Matrix.identity(3), { repIn: V(SO(3)), repOut: V(SO(3)), bias: [0, Infinity, 0] })).toThrow(/'bias' must be finite/);
  });
  it('holds for equivariant layers and measures how far others are', () => {
    expect(checkLayerSymmetry(Matrix.identity(3).scale(2), { repIn: V(SO(3)), repOut: V(SO(3)) }).verdict).toBe('holds');
    // a·I + b·11ᵀ commutes with every permutation; its bias must be constant
    const W = Matrix.from([[3, 1, 1], [1, 3, 1], [1, 1, 3]]);
    const ok = checkLayerSymmetry(W, { repIn: V(S(3)), repOut: V(S(3)), bias: [0.5, 0.5, 0.5] });
    expect(ok.max).toBeLessThan(1e-15);
    expect(ok.discrete.length).toBeGreaterThan(0);
    const bad = checkLayerSymmetry(Matrix.from([[1, 0, 0], [0, 2, 0], [0, 0, 3]]), { repIn: V(S(3)), repOut: V(S(3)), bias: [1, 0, 0] });
    expect(bad.verdict).toBe('broken');
    // swapping e₀, e₁ in diag(1, 2, 3): ‖PW − WP‖ = √2 against ‖W‖ = √14
    expect(bad.discrete.some((r) => Math.abs(r - Math.sqrt(2 / 14)) < 1e-12)).toBe(true);
    expect(bad.bias!.some((r) => r > 0.5)).toBe(true);
    expect(() => checkLayerSymmetry(Matrix.identity(2), { repIn: V(SO(3)), repOut: V(SO(3)) })).toThrow(/maps 2 → 2/);
  });
});
