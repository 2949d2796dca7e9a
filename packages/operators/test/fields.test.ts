import { describe, expect, it } from 'vitest';
import { LiesymError, ShapeMismatchError } from '@liesym/core';
import {
  Field,
  Grid,
  GridMismatchError,
  NonPeriodicFieldError,
  discoverOperatorSymmetries,
  fieldLieDerivative,
  galileanBoostGenerator,
  rotationGenerator,
  scalingGenerator,
  spectralDerivative,
  transformField,
  translationGenerator,
} from '../src/index.js';

function relErr(a: Field, b: Float64Array): number {
  let num = 0;
  let den = 0;
  a.data.forEach((v, i) => {
    num += (v - b[i]!) ** 2;
    den += b[i]! ** 2;
  });
  return Math.sqrt(num / den);
}

// A box of side 16 so exp(−r²) is ~e^{−64} at the boundary: periodic to machine precision.
const big = new Grid({ size: [64, 64], length: [16, 16] });

describe('field Lie derivative ℒ_ξ u = Du·ξ_M − V u − s', () => {
  it('matches exact derivatives for translation, rotation and scaling of a decaying scalar field', () => {
    const u = Field.fromFunction(big, ([x, y]) => [Math.exp(-(x! * x! + 2 * y! * y!))]);
    const ux = (x: number, y: number): number => -2 * x * Math.exp(-(x * x + 2 * y * y));
    const uy = (x: number, y: number): number => -4 * y * Math.exp(-(x * x + 2 * y * y));
    const exact = (f: (x: number, y: number) => number): Float64Array => Field.fromFunction(big, ([x, y]) => [f(x!, y!)]).data;
    // h = 0.25 resolves e^{−2y²} to ~1e-8 (spectral accuracy at this resolution).
    expect(relErr(fieldLieDerivative(u, translationGenerator(0).input), exact(ux))).toBeLessThan(1e-7);
    expect(relErr(fieldLieDerivative(u, rotationGenerator().input), exact((x, y) => -y * ux(x, y) + x * uy(x, y)))).toBeLessThan(1e-7);
    expect(relErr(fieldLieDerivative(u, scalingGenerator().input), exact((x, y) => x * ux(x, y) + y * uy(x, y)))).toBeLessThan(1e-7);
  });

  it('rotates vector values too: ℒ of the radial field x·e^{−r²} under rotation is (−y, x)·e^{−r²}-free of the radial part', () => {
    // v(x) = x e^{−r²} is rotation-equivariant, so ℒ_rot v = Dv·(−y, x) − J v = 0.
    const v = Field.fromFunction(big, ([x, y]) => [x! * Math.exp(-(x! ** 2 + y! ** 2)), y! * Math.exp(-(x! ** 2 + y! ** 2))]);
    const l = fieldLieDerivative(v, rotationGenerator({ valueIn: 'vector', channelsIn: 2 }).input);
    expect(l.norm() / v.norm()).toBeLessThan(1e-9);
    // As a pair of scalars (no value action) it is not invariant.
    expect(fieldLieDerivative(v, rotationGenerator().input).norm() / v.norm()).toBeGreaterThan(0.1);
  });

  it('gives T·∂ₓu − 1 for a Galilean boost on the output of a 1-D evolution', () => {
    const g = new Grid({ size: [32] });
    const u = Field.fromFunction(g, ([x]) => [Math.sin(2 * x!) + 0.5 * Math.cos(x!)]);
    const out = fieldLieDerivative(u, galileanBoostGenerator({ time: 0.7 }).output);
    const exact = Field.fromFunction(g, ([x]) => [0.7 * (2 * Math.cos(2 * x!) - 0.5 * Math.sin(x!)) - 1]).data;
    expect(relErr(out, exact)).toBeLessThan(1e-12);
    expect(relErr(fieldLieDerivative(u, galileanBoostGenerator({ time: 0.7 }).input), new Float64Array(32).fill(-1))).toBeLessThan(1e-15);
  });

  it('moves fields by D4 exactly and by a continuous rotation to interpolation accuracy', () => {
    const f = (x: number, y: number): number => Math.exp(-((x - 1) ** 2 + 3 * (y - 0.5) ** 2));
    const u = Field.fromFunction(big, ([x, y]) => [f(x!, y!)]);
    const r90 = transformField(u, { kind: 'd4', element: 1 });
    // (g·u)(x) = u(g⁻¹x): rotation by 90° maps (x, y) ↦ (y, −x) inside u.
    expect(relErr(r90, Field.fromFunction(big, ([x, y]) => [f(y!, -x!)]).data)).toBeLessThan(1e-15);
    const t = 0.4;
    const r = transformField(u, { kind: 'rotation', angle: t });
    const exact = Field.fromFunction(big, ([x, y]) => [f(Math.cos(t) * x! + Math.sin(t) * y!, -Math.sin(t) * x! + Math.cos(t) * y!)]).data;
    expect(relErr(r, exact)).toBeLessThan(1e-5);
  });
});

describe('bad input', () => {
  it('rejects a non-periodic field where spectral derivatives need periodicity', () => {
    const g = new Grid({ size: [32] });
    const ramp = Field.fromFunction(g, ([x]) => [x!]);
    expect(() => spectralDerivative(ramp, 0)).toThrow(NonPeriodicFieldError);
    expect(() => fieldLieDerivative(ramp, translationGenerator(0, { dims: 1 }).input)).toThrow(/must be periodic/);
    const smooth = Field.fromFunction(g, ([x]) => [Math.sin(x!)]);
    expect(spectralDerivative(smooth, 0).data[0]).toBeCloseTo(Math.cos(-Math.PI), 12);
  });

  it('rejects fields on mismatched grids and generators of the wrong shape', () => {
    const a = Field.fromFunction(new Grid({ size: [16, 16] }), ([x, y]) => [Math.sin(x!) * Math.cos(y!)]);
    const b = Field.fromFunction(new Grid({ size: [32, 32] }), ([x, y]) => [Math.sin(x!) * Math.cos(y!)]);
    const id = (us: readonly Field[]): Field[] => [...us];
    expect(() => discoverOperatorSymmetries(id, [a, b], { candidate: [translationGenerator(0)] })).toThrow(GridMismatchError);
    expect(() => discoverOperatorSymmetries(id, [a, b], { candidate: [translationGenerator(0)] })).toThrow(/size \[16, 16\].*received size \[32, 32\]/);
    expect(() => fieldLieDerivative(a, translationGenerator(0, { dims: 1 }).input)).toThrow(ShapeMismatchError);
    expect(() => new Field(new Grid({ size: [8] }), 1, new Float64Array(7))).toThrow(LiesymError);
    expect(() => new Grid({ size: [7] })).toThrow(/even integer/);
  });
});
