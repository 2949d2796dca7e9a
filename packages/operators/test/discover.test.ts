import { describe, expect, it } from 'vitest';
import {
  Field,
  Grid,
  affineCandidates,
  burgersSolve,
  discoverOperatorSymmetries,
  galileanBoostGenerator,
  gaussianSources,
  heatSolve,
  rotationGenerator,
  generatorMatrix,
  linearGenerator,
  scalingGenerator,
  screenedPoisson,
  type OperatorGenerator,
  smoothPeriodicFields,
  translationGenerator,
  valueScalingGenerator,
  valueShiftGenerator,
} from '../src/index.js';

const grid2 = new Grid({ size: [32, 32] });
// Round, compact, resolved sources: the solution's leak across the periodic boundary stays small.
const sources = gaussianSources(grid2, { count: 4, seed: 3, radius: 0.5, width: [0.3, 0.45] });
/** ‖T − proj_span T‖ / ‖T‖ for a target generator and an orthonormal found basis (encoded pairs). */
function offSpan(target: OperatorGenerator, found: readonly OperatorGenerator[], d: number, c: number): number {
  const enc = (g: OperatorGenerator): Float64Array => {
    const a = generatorMatrix(g.input, d, c).data;
    const b = generatorMatrix(g.output, d, c).data;
    return Float64Array.from([...a, ...b]);
  };
  const t = enc(target);
  const r = Float64Array.from(t);
  for (const g of found) {
    const e = enc(g);
    const coef = e.reduce((s, v, i) => s + v * t[i]!, 0);
    e.forEach((v, i) => (r[i]! -= coef * v));
  }
  return Math.hypot(...r) / Math.hypot(...t);
}

const rtsCandidate = [translationGenerator(0), translationGenerator(1), rotationGenerator(), scalingGenerator()];

describe('discoverOperatorSymmetries on exact solution operators', () => {
  it('finds translations + rotation (not scaling) for the isotropic screened Poisson operator', () => {
    // Rotation holds up to the periodic box's leakage (σ_rot/σ_max ≈ 3e-3 here), hence rtol 1e-2.
    const r = discoverOperatorSymmetries((us) => us.map((f) => screenedPoisson(f, { kappa: 4 })), sources, { candidate: rtsCandidate, rtol: 1e-2 });
    expect(r.dimension).toBe(3);
    expect(r.gap).toBeGreaterThan(50);
    expect(r.closureResidual).toBeLessThan(1e-3);
    expect(offSpan(rotationGenerator(), r.operatorGenerators, 2, 1)).toBeLessThan(1e-3);
    expect(offSpan(scalingGenerator(), r.operatorGenerators, 2, 1)).toBeGreaterThan(0.99);
  });

  it('keeps only translations for the anisotropic problem, and finds the hidden stretched rotation in the affine candidate', () => {
    // K = diag(1, 4) decays only like e^{−κ|y|/2} along y: κ = 6 keeps the periodic leak ~1e-3.
    const op = (us: readonly Field[]): Field[] => us.map((f) => screenedPoisson(f, { kappa: 6, K: [[1, 0], [0, 4]] }));
    const small = discoverOperatorSymmetries(op, sources, { candidate: rtsCandidate, rtol: 1e-2 });
    expect(small.dimension).toBe(2);
    expect(offSpan(rotationGenerator(), small.operatorGenerators, 2, 1)).toBeGreaterThan(0.99);
    const full = discoverOperatorSymmetries(op, sources, { candidate: affineCandidates(), rtol: 1e-2 });
    expect(full.dimension).toBe(3);
    expect(full.gap).toBeGreaterThan(20);
    // The non-translation direction of the found algebra is ∝ [[0, −1/2], [2, 0]].
    expect(offSpan(linearGenerator([[0, -0.5], [2, 0]], 'stretched rotation'), full.operatorGenerators, 2, 1)).toBeLessThan(1e-2);
  });

  it('finds translation + Galilean boost for viscous Burgers (not value or domain scaling)', () => {
    const g = new Grid({ size: [64] });
    const u0 = smoothPeriodicFields(g, { count: 4, seed: 1, maxMode: 3, amplitude: 0.5 });
    const T = 0.5;
    const cand = [translationGenerator(0, { dims: 1 }), galileanBoostGenerator({ time: T }), valueScalingGenerator(), scalingGenerator({ dims: 1 })];
    const r = discoverOperatorSymmetries((us) => us.map((u) => burgersSolve(u, { nu: 0.1, time: T, steps: 100 })), u0, { candidate: cand, rtol: 1e-4 });
    expect(r.dimension).toBe(2);
    expect(r.gap).toBeGreaterThan(1e6);
    expect(offSpan(galileanBoostGenerator({ time: T }), r.operatorGenerators, 1, 1)).toBeLessThan(1e-6);
  });

  it('finds translation, value scaling and value shift for the heat equation (not domain scaling)', () => {
    const g = new Grid({ size: [64] });
    const u0 = smoothPeriodicFields(g, { count: 3, seed: 2 });
    const cand = [translationGenerator(0, { dims: 1 }), valueScalingGenerator(), valueShiftGenerator(), scalingGenerator({ dims: 1 })];
    const r = discoverOperatorSymmetries((us) => us.map((u) => heatSolve(u, { nu: 0.1, time: 1 })), u0, { candidate: cand });
    expect(r.dimension).toBe(3);
    expect(r.gap).toBeGreaterThan(1e3);
  });
});
