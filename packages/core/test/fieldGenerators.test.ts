import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  Matrix,
  affineCandidates,
  fieldGeneratorMatrix,
  galileanBoostGenerator,
  gridFieldAction,
  modeTable,
  periodicityDefect,
  rotationGenerator,
  scalingGenerator,
  translationGenerator,
  valueShiftGenerator,
} from '../src/index.js';

// A 64×64 box of side 16 (spacing 1/4, origin −8), channels last: e^{−r²} is ~e^{−64} at its edge.
const grid = { shape: [64, 64], spacing: [0.25, 0.25], origin: [-8, -8], layout: 'channels-last' as const };
const xy = (p: number): [number, number] => [-8 + Math.floor(p / 64) * 0.25, -8 + (p % 64) * 0.25];
const sample = (f: (x: number, y: number) => number[], c = 1): Float64Array => {
  const out = new Float64Array(64 * 64 * c);
  for (let p = 0; p < 64 * 64; p++) out.set(f(...xy(p)), p * c);
  return out;
};
const relErr = (a: Float64Array, b: Float64Array): number => Math.hypot(...a.map((v, i) => v - b[i]!)) / Math.hypot(...b);

describe('field generators (moved from @liesym/operators) through gridFieldAction', () => {
  const g = (x: number, y: number): number => Math.exp(-(x * x + 2 * y * y));
  const gx = (x: number, y: number): number => -2 * x * g(x, y);
  const gy = (x: number, y: number): number => -4 * y * g(x, y);
  const u = sample((x, y) => [g(x, y)]);
  const tangent = (m: Matrix, values: Float64Array, channels = 1): Float64Array => gridFieldAction({ ...grid, channels }).tangents([m], values)[0]!;

  it('rotation, scaling and translation give −y∂ₓu + x∂ᵧu, x·∇u and ∂ₓu (spectral, to 1e-7)', () => {
    const enc = (p: object): Matrix => fieldGeneratorMatrix(p, { d: 2, channels: 1 });
    expect(relErr(tangent(enc(rotationGenerator().input), u), sample((x, y) => [-y * gx(x, y) + x * gy(x, y)]))).toBeLessThan(1e-7);
    expect(relErr(tangent(enc(scalingGenerator().input), u), sample((x, y) => [x * gx(x, y) + y * gy(x, y)]))).toBeLessThan(1e-7);
    expect(relErr(tangent(enc(translationGenerator(0).input), u), sample((x, y) => [gx(x, y)]))).toBeLessThan(1e-7);
  });

  it('vector values rotate with the domain: the radial field x·e^{−r²} is rotation-equivariant (ℒ = 0), as two scalars it is not', () => {
    const v = sample((x, y) => [x * Math.exp(-(x * x + y * y)), y * Math.exp(-(x * x + y * y))], 2);
    const vector = rotationGenerator({ valueIn: 'vector', channelsIn: 2 }).input;
    expect(vector.V).toEqual([[0, -1], [1, 0]]);
    const enc = (p: object): Matrix => fieldGeneratorMatrix(p, { d: 2, channels: 2 });
    expect(Math.hypot(...tangent(enc(vector), v, 2)) / Math.hypot(...v)).toBeLessThan(1e-9);
    expect(Math.hypot(...tangent(enc(rotationGenerator().input), v, 2)) / Math.hypot(...v)).toBeGreaterThan(0.1);
    // Two vectors (4 channels): V = I₂ ⊗ A.
    expect(rotationGenerator({ valueIn: 'vector', channelsIn: 4 }).input.V).toEqual([[0, -1, 0, 0], [1, 0, 0, 0], [0, 0, 0, -1], [0, 0, 1, 0]]);
  });

  it('presets: the affine candidates, the Galilean boost, the value shift; bad arguments throw', () => {
    expect(affineCandidates().map((c) => c.name)).toEqual(['translation x', 'translation y', 'E11', 'E12', 'E21', 'E22']);
    expect(affineCandidates({ dims: 1 }).map((c) => c.output)).toEqual([{ b: [1] }, { A: [[1]] }]);
    expect(galileanBoostGenerator({ time: 0.7 })).toEqual({ name: 'Galilean boost', input: { s: [1] }, output: { b: [0.7], s: [1] } });
    expect(valueShiftGenerator({ channelsIn: 2 }).input).toEqual({ s: [1, 1] });
    expect(() => galileanBoostGenerator({ time: 0 })).toThrow(InvalidArgumentError);
    expect(() => translationGenerator(2)).toThrow(/'axis' must be an integer in \[0, 1\]/);
    expect(() => rotationGenerator({ valueIn: 'vector', channelsIn: 3 })).toThrow(/even channel count/);
  });
});

describe('periodicityDefect', () => {
  it('passes periodic fields and finds the first line that jumps, with its numbers', () => {
    expect(periodicityDefect(Float64Array.from({ length: 16 }, (_, i) => Math.sin((2 * Math.PI * i) / 16)), { shape: [16] })).toBeNull();
    expect(periodicityDefect(Float64Array.from({ length: 8 }, (_, i) => i), { shape: [8] })).toEqual({ channel: 0, axis: 0, line: 0, wrap: 7, step: 1 });
    // 4×8, two channels last: channel 0 constant, channel 1 a ramp along y (axis 1) in every row.
    const u = new Float64Array(4 * 8 * 2);
    for (let p = 0; p < 32; p++) [u[2 * p], u[2 * p + 1]] = [1, p % 8];
    expect(periodicityDefect(u, { shape: [4, 8], channels: 2, layout: 'channels-last' })).toEqual({ channel: 1, axis: 1, line: 0, wrap: 7, step: 1 });
    expect(periodicityDefect(u, { shape: [4, 8], channels: 2, layout: 'channels-last', factor: 8 })).toBeNull();
    expect(() => periodicityDefect(u, { shape: [4, 4], channels: 2 })).toThrow(/32 numbers; received 64/);
  });
});

describe('modeTable: weight sharing of spectral weights (moved from @liesym/operators)', () => {
  const d4 = (k: number[]): number[][] => {
    const [a, b] = k as [number, number];
    return [[a, b], [-b, a], [-a, -b], [b, -a], [a, -b], [b, a], [-a, b], [-b, -a]];
  };

  it('d4 on |k| ≤ 5: the 81 lattice points of the disc in 15 orbits, constant on every D4 image', () => {
    const t = modeTable([16, 16], 5, 'd4');
    expect(t.k.length).toBe(121);
    expect(t.orbit.filter((o) => o >= 0).length).toBe(81);
    expect(t.orbits).toBe(15);
    const orbitOf = (v: number[]): number => t.orbit[t.k.findIndex((w) => w[0] === v[0] && w[1] === v[1])]!;
    for (const v of t.k) for (const w of d4(v)) expect(orbitOf(w)).toBe(orbitOf(v));
    // (5, 0) and (3, 4) share |k|² = 25 but not a D4 orbit; so2 shares shells (14 values of |k|² ≤ 25).
    expect(orbitOf([5, 0])).not.toBe(orbitOf([3, 4]));
    expect(modeTable([16, 16], 5, 'so2').orbits).toBe(14);
  });

  it('so2 basis: tapered Gaussian bumps in |k| (3 coefficients for m = 5), equal on a shell', () => {
    const t = modeTable([16, 16], 5, 'so2');
    expect(t.coefficients).toBe(3);
    const row = (a: number, b: number): number[] => {
      const j = t.k.findIndex((w) => w[0] === a && w[1] === b);
      return Array.from(t.basis.subarray(j * 3, j * 3 + 3));
    };
    const at0 = row(0, 0);
    [1, 2 * Math.exp(-4 / 4.5), 2 * Math.exp(-16 / 4.5)].forEach((v, i) => expect(at0[i]).toBeCloseTo(v, 14));
    expect(row(5, 0)).toEqual(row(3, 4));
    const taper = Math.cos((Math.PI * 5) / 12) ** 2;
    expect(row(5, 0)[2]).toBeCloseTo(taper * (Math.exp(-1 / 4.5) + Math.exp(-81 / 4.5)), 14);
  });

  it('reflection in 1-D shares ±k; bad sizes and symmetries throw', () => {
    const t = modeTable([16], 5, 'reflection');
    expect([t.k.length, t.orbits]).toEqual([11, 6]);
    expect(t.orbit[0]).toBe(t.orbit[10]); // k = −5 and k = 5
    expect(() => modeTable([16, 16], 8, 'none')).toThrow(/below Nyquist/);
    expect(() => modeTable([16], 3, 'so2')).toThrow(/one of none, reflection on a 1-D grid/);
  });
});
