import { describe, expect, it } from 'vitest';
import { InsufficientDataError } from '@liesym/core';
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
function offSpan(target: OperatorGenerator, found: readonly OperatorGenerator[], { d, c }: { d: number; c: number }): number {
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
    // Rotation holds up to the periodic box's leakage: σ_rot ≈ 2.4e-5 against σ_max ≈ 6.4e-2 for scaling. Core's
    // threshold is rtol·max(σ_max, s), s ≈ 0.32 the candidates' term scale: rtol 1e-2 gives 3.2e-3.
    const r = discoverOperatorSymmetries((us) => us.map((f) => screenedPoisson(f, { kappa: 4 })), sources, { candidate: rtsCandidate, rtol: 1e-2 });
    expect(r.dimension).toBe(3);
    expect(r.gap).toBeGreaterThan(50);
    expect(r.identification).toBe('translation x + translation y + rotation');
    expect(r.determined).toBe(true);
    expect(r.closureResidual).toBeLessThan(1e-3);
    expect(offSpan(rotationGenerator(), r.operatorGenerators, { d: 2, c: 1 })).toBeLessThan(1e-3);
    expect(offSpan(scalingGenerator(), r.operatorGenerators, { d: 2, c: 1 })).toBeGreaterThan(0.99);
  });

  it('keeps only translations for the anisotropic problem, and finds the hidden stretched rotation in the affine candidate', () => {
    // K = diag(1, 4) decays only like e^{−κ|y|/2} along y: κ = 6 keeps the periodic leak ~1e-3.
    const op = (us: readonly Field[]): Field[] => us.map((f) => screenedPoisson(f, { kappa: 6, K: [[1, 0], [0, 4]] }));
    const small = discoverOperatorSymmetries(op, sources, { candidate: rtsCandidate, rtol: 1e-2 });
    expect(small.dimension).toBe(2);
    expect(offSpan(rotationGenerator(), small.operatorGenerators, { d: 2, c: 1 })).toBeGreaterThan(0.99);
    const full = discoverOperatorSymmetries(op, sources, { candidate: affineCandidates(), rtol: 1e-2 });
    expect(full.dimension).toBe(3);
    expect(full.gap).toBeGreaterThan(20);
    // The non-translation direction of the found algebra is ∝ [[0, −1/2], [2, 0]].
    expect(offSpan(linearGenerator([[0, -0.5], [2, 0]], 'stretched rotation'), full.operatorGenerators, { d: 2, c: 1 })).toBeLessThan(1e-2);
  });

  it('finds translation + Galilean boost for viscous Burgers (not value or domain scaling)', () => {
    const g = new Grid({ size: [64] });
    const u0 = smoothPeriodicFields(g, { count: 4, seed: 1, maxMode: 3, amplitude: 0.5 });
    const T = 0.5;
    const cand = [translationGenerator(0, { dims: 1 }), galileanBoostGenerator({ time: T }), valueScalingGenerator(), scalingGenerator({ dims: 1 })];
    const r = discoverOperatorSymmetries((us) => us.map((u) => burgersSolve(u, { nu: 0.1, time: T, steps: 100 })), u0, { candidate: cand, rtol: 1e-4 });
    expect(r.dimension).toBe(2);
    expect(r.gap).toBeGreaterThan(1e6);
    expect(offSpan(galileanBoostGenerator({ time: T }), r.operatorGenerators, { d: 1, c: 1 })).toBeLessThan(1e-6);
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

describe('discoverOperatorSymmetries is core\'s engine on fields', () => {
  const g = new Grid({ size: [64] });
  const u0 = smoothPeriodicFields(g, { count: 3, seed: 2 });
  const heat = (us: readonly Field[]): Field[] => us.map((u) => heatSolve(u, { nu: 0.1, time: 1 }));

  it('recognizes a candidate made only of symmetries (heat: translation, value scaling, value shift → 3 of 3)', () => {
    const r = discoverOperatorSymmetries(heat, u0, { candidate: [translationGenerator(0, { dims: 1 }), valueScalingGenerator(), valueShiftGenerator()] });
    expect(r.dimension).toBe(3);
    expect(r.singularValues[2]!).toBeLessThanOrEqual(r.threshold);
    expect(r.determined).toBe(true);
    expect(r.candidateOperators.map((c) => c.name)).toEqual(['candidate 0', 'candidate 1', 'candidate 2']);
  });

  it('uses core\'s finite-difference rule and float64 defaults: one batch of 3 + 3·(4 + 2 probes)·2 evaluations, rtol 1e-6', () => {
    const cand = [translationGenerator(0, { dims: 1 }), valueScalingGenerator(), valueShiftGenerator(), scalingGenerator({ dims: 1 })];
    let batches = 0;
    const counted = (us: readonly Field[]): Field[] => {
      batches++;
      return heat(us);
    };
    const r = discoverOperatorSymmetries(counted, u0, { candidate: cand });
    expect([r.derivative, r.rtol, r.evaluations, r.sampleCount, r.rowCount]).toEqual(['finite-difference', 1e-6, 39, 3, 192]);
    expect(batches).toBe(2); // the probe of the output channels, then one batch for everything
  });

  it('refuses too few rows with a typed InsufficientDataError: 1 field × 4 points × 1 channel for 9 channel mixings', () => {
    const tiny = new Grid({ size: [4] });
    const u = Field.fromFunction(tiny, ([x]) => [Math.cos(x!), Math.sin(x!), 1]);
    const sum = (us: readonly Field[]): Field[] => us.map((f) => new Field(tiny, 1, Float64Array.from({ length: 4 }, (_, p) => f.data[3 * p]! + f.data[3 * p + 1]! + f.data[3 * p + 2]!)));
    const unit = (i: number, j: number): number[][] => [0, 1, 2].map((r) => [0, 1, 2].map((c) => (r === i && c === j ? 1 : 0)));
    const candidate = Array.from({ length: 9 }, (_, e) => ({ name: `V${e}`, input: { V: unit(Math.floor(e / 3), e % 3) }, output: {} }));
    expect(() => discoverOperatorSymmetries(sum, [u], { candidate })).toThrow(InsufficientDataError);
    expect(() => discoverOperatorSymmetries(sum, [u], { candidate })).toThrow(/1 samples × 4 outputs = 4 rows for 9 generators/);
  });
});
