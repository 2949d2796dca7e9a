import { describe, expect, it } from 'vitest';
import { GL, Matrix, MonomialLibrary, createRng, customGroup, defaultTolerance, integrate, sindy, timeDerivative } from '../src/index.js';
import {
  hopfNormalForm,
  lorenzSystem,
  relativeMaxError,
  rotatingOscillator,
  rotatingOscillatorGenerator,
  trueCoefficients,
} from '../../test-utils/src/index.js';

const lorenz = lorenzSystem.f;
const hopf = hopfNormalForm.f;

describe('timeDerivative', () => {
  it('central differences are fourth-order accurate; smoothing helps on noisy data', () => {
    const dt = 0.01;
    const ts = Array.from({ length: 400 }, (_, k) => k * dt);
    const xs = ts.map((t) => [Math.sin(t), Math.cos(2 * t)]);
    const d = timeDerivative(xs, { dt });
    let err = 0;
    ts.forEach((t, k) => {
      err = Math.max(err, Math.abs(d.get(k, 0) - Math.cos(t)), Math.abs(d.get(k, 1) + 2 * Math.sin(2 * t)));
    });
    expect(err).toBeLessThan(1e-7);
    const rng = createRng(2);
    const noisy = xs.map(([a, b]) => [a! + 1e-3 * rng.normal(), b! + 1e-3 * rng.normal()]);
    const rms = (m: Matrix) => Math.sqrt(ts.reduce((s, t, k) => s + (m.get(k, 0) - Math.cos(t)) ** 2, 0) / ts.length);
    const raw = rms(timeDerivative(noisy, { dt }));
    const smooth = rms(timeDerivative(noisy, { dt, method: 'smoothed', window: 31, degree: 3 }));
    expect(smooth).toBeLessThan(raw / 5);
  });
});

describe('SINDy', () => {
  it('recovers the Lorenz system from a clean RK4 trajectory', () => {
    const dt = 0.002;
    const traj = integrate(lorenz, [-8, 8, 27], { dt, steps: 2500 });
    const lib = new MonomialLibrary(3, 2);
    const r = sindy({ library: lib, trajectories: traj, derivative: { dt }, threshold: 0.1 });
    const xi = trueCoefficients(lorenzSystem, lib);
    expect(relativeMaxError(r.theta, xi)).toBeLessThan(1e-4);
    expect(r.active.filter(Boolean).length).toBe(7);
    expect(r.converged).toBe(true);
  });

  it('recovers the Hopf normal form and discovers its rotation symmetry (tangent lift of gl(2))', () => {
    const dt = 0.01;
    const trajs = [integrate(hopf, [0.1, 0], { dt, steps: 1200 }), integrate(hopf, [1.5, -1], { dt, steps: 600 })];
    const lib = new MonomialLibrary(2, 3);
    const r = sindy({ library: lib, trajectories: trajs, derivative: { dt }, mode: 'discover', group: GL(2), threshold: 0.05, rtol: 1e-3 });
    const xi = trueCoefficients(hopfNormalForm, lib);
    expect(relativeMaxError(r.theta, xi)).toBeLessThan(1e-4);
    // Finite-difference derivatives leave ~1e-5 errors: the rotation's singular value sits there,
    // the other three at order 1.
    expect(r.symmetry!.dimension).toBe(1);
    expect(r.symmetry!.singularValues[0]!).toBeLessThan(1e-4 * r.symmetry!.singularValues[3]!);
    expect(r.symmetry!.singularValues[1]!).toBeGreaterThan(0.05 * r.symmetry!.singularValues[3]!);
    expect(r.symmetry!.singularValues.length).toBe(4);
    // The symmetry found is the rotation generator (antisymmetric): coefficient vector ∝ E01 − E10.
    const c = r.symmetry!.coefficients.column(0);
    expect(Math.abs(c[0]!) + Math.abs(c[3]!)).toBeLessThan(1e-4);
    expect(Math.abs(c[1]! + c[2]!)).toBeLessThan(1e-4);
  });

  it("discover at default options: the fitted Hopf field has so(2) (σ ≈ 3e-5 against ≥ 2.8), the fitted Lorenz field nothing", () => {
    // The fitted Ξ holds its symmetries only to the estimation error of finite-difference derivatives:
    // the report uses the fitted tolerance defaultTolerance('rank', { derivative: 'fitted' }) = 1e-3.
    const dt = 0.01;
    const trajs = [integrate(hopf, [0.1, 0], { dt, steps: 1200 }), integrate(hopf, [1.5, -1], { dt, steps: 600 })];
    const r = sindy({ library: new MonomialLibrary(2, 3), trajectories: trajs, derivative: { dt }, mode: 'discover', group: GL(2), threshold: 0.05 });
    const s = r.symmetry!;
    expect(s.dimension).toBe(1);
    expect(s.singularValues.length).toBe(4);
    expect(s.singularValues[0]!).toBeLessThan(1e-4 * s.singularValues[3]!);
    expect(s.singularValues[1]!).toBeGreaterThan(0.5 * s.singularValues[3]!);
    expect(s.threshold).toBeCloseTo(defaultTolerance('rank', { derivative: 'fitted' }) * s.singularValues[3]!, 12);
    // The exact tolerance (the old default) misses it: σ₀/σ_max ≈ 6e-6 ≫ 1e-9.
    expect(s.singularValues[0]!).toBeGreaterThan(1e-6 * s.singularValues[3]!);
    const exact = sindy({ library: new MonomialLibrary(2, 3), trajectories: trajs, derivative: { dt }, mode: 'discover', group: GL(2), threshold: 0.05, rtol: defaultTolerance('rank') });
    expect(exact.symmetry!.dimension).toBe(0);
    const c = s.coefficients.column(0);
    expect(Math.abs(c[1]! + c[2]!)).toBeLessThan(1e-4);

    const dtL = 0.002;
    const lorenzFit = sindy({ library: new MonomialLibrary(3, 2), trajectories: integrate(lorenz, [-8, 8, 27], { dt: dtL, steps: 2500 }), derivative: { dt: dtL }, mode: 'discover', group: GL(3), threshold: 0.1 });
    const l = lorenzFit.symmetry!;
    expect(lorenzFit.relativeResidual).toBeLessThan(1e-5);
    expect(l.dimension).toBe(0);
    expect(l.singularValues.length).toBe(9);
    // Lorenz's only symmetry (x, y, z) ↦ (−x, −y, z) is discrete: the smallest of gl(3) stays ≥ 1e-2·σ_max.
    expect(l.singularValues[0]!).toBeGreaterThan(1e-2 * l.singularValues[8]!);
  });

  it('promote (min ‖D(Ξ)‖_* s.t. ΘΞ = Ẋ) fits the Hopf field from 8 samples and finds its rotation symmetry', () => {
    const dt = 0.01;
    const traj = integrate(hopf, [1.5, -1], { dt, steps: 1500 });
    const der = timeDerivative(traj, { dt });
    const idx = Array.from({ length: 8 }, (_, k) => 20 + Math.floor((k * (traj.rows - 41)) / 7));
    const take = (m: Matrix) => Matrix.from(idx.map((i) => Array.from(m.row(i))));
    const lib = new MonomialLibrary(2, 3);
    const r = sindy({ library: lib, trajectories: take(traj), derivatives: take(der), mode: 'promote', group: GL(2), threshold: 0.05 });
    const xi = trueCoefficients(hopfNormalForm, lib);
    expect(r.converged).toBe(true);
    expect(r.solver!.kktResidual).toBeLessThan(1e-7);
    expect(relativeMaxError(r.theta, xi)).toBeLessThan(1e-4);
    expect(r.symmetry!.dimension).toBe(1);
  });

  it('enforcing SO(2) on the rotating 2-D oscillator needs far fewer samples than plain SINDy', () => {
    // State (x, v) ∈ R⁴; ẋ = v, v̇ = −x − 0.5|x|²x − 0.1v + 0.3·J·x: equivariant under rotating x and v together.
    const f = rotatingOscillator.f;
    const dt = 0.005;
    const traj = integrate(f, [1, 0, 0, 0.8], { dt, steps: 4000 });
    const lib = new MonomialLibrary(4, 3);
    const xi = trueCoefficients(rotatingOscillator, lib);
    const full = timeDerivative(traj, { dt });
    const pick = (count: number) => {
      const rows = Array.from({ length: count }, (_, k) => Math.floor((k * (traj.rows - 1)) / (count - 1)));
      const take = (m: Matrix) => Matrix.from(rows.map((i) => Array.from(m.row(i))));
      return { trajectories: take(traj), derivatives: take(full) };
    };
    // SO(2) rotating x and v together: one generator, block-diagonal.
    const J2 = customGroup({ lieAlgebra: [rotatingOscillatorGenerator], name: 'SO(2) on (x, v)' });
    const plainFew = sindy({ library: lib, ...pick(20), threshold: 0.05 });
    const enforcedFew = sindy({ library: lib, ...pick(20), mode: 'enforce', group: J2, threshold: 0.05 });
    const plainMany = sindy({ library: lib, ...pick(40), threshold: 0.05 });
    expect(enforcedFew.enforcedDimension).toBeLessThan(lib.size);
    expect(relativeMaxError(enforcedFew.theta, xi)).toBeLessThan(1e-3);
    expect(relativeMaxError(plainFew.theta, xi)).toBeGreaterThan(1e-2);
    expect(relativeMaxError(plainMany.theta, xi)).toBeLessThan(1e-3);
    // The enforced fit is exactly equivariant: the generator is a symmetry of the fitted field.
    expect(enforcedFew.symmetry!.dimension).toBe(1);
  });
});

describe('integrate', () => {
  it('follows the rotation field around the circle to RK4 accuracy and rejects bad input', () => {
    const X = integrate((x) => Float64Array.of(-x[1]!, x[0]!), [1, 0], { dt: (2 * Math.PI) / 1000, steps: 1000 });
    expect(Math.hypot(X.get(1000, 0) - 1, X.get(1000, 1))).toBeLessThan(1e-10);
    expect(Math.abs(X.get(250, 1) - 1)).toBeLessThan(1e-10);
    expect(() => integrate((x) => x, [1], { dt: 0, steps: 3 })).toThrow(/integrate: 'dt'/);
    expect(() => integrate((x) => Float64Array.of(x[0]!, 1), [1], { dt: 0.1, steps: 3 })).toThrow(/returned 2/);
  });
});
