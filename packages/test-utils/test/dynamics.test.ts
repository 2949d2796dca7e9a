import { Matrix, MonomialLibrary, expm } from '@liesym/core';
import { describe, expect, it } from 'vitest';
import { hopfNormalForm, lorenzSystem, normalSamples, relativeMaxError, rotatingOscillator, rotatingOscillatorGenerator, trueCoefficients } from '../src/index.js';

describe('polynomial ODE systems', () => {
  it.for([hopfNormalForm, rotatingOscillator, lorenzSystem])('$name: f is exactly the sum of its terms', (system) => {
    const lib = new MonomialLibrary(system.dim, 3);
    const xi = trueCoefficients(system, lib);
    for (const x of normalSamples(8, system.dim, { seed: 3 })) {
      const theta = lib.evaluate(Float64Array.from(x));
      const fromTerms = Array.from({ length: system.dim }, (_, i) => theta.reduce((s, v, k) => s + xi[i * lib.size + k]! * v, 0));
      expect(relativeMaxError(fromTerms, system.f(Float64Array.from(x)))).toBeLessThan(1e-14);
    }
  });

  it("the rotating oscillator's generator is a symmetry: f(e^{tJ}x) = e^{tJ}f(x)", () => {
    const g = expm(Matrix.from(rotatingOscillatorGenerator).scale(0.7));
    const rotate = (x: Float64Array): Float64Array => g.mulVec(x);
    const x = Float64Array.from([0.3, -1.2, 0.7, 0.4]);
    expect(relativeMaxError(rotatingOscillator.f(rotate(x)), rotate(rotatingOscillator.f(x)))).toBeLessThan(1e-12);
  });

  it('relativeMaxError is ‖a − b‖∞ / ‖b‖∞', () => {
    expect(relativeMaxError([1, 2.01], [1, 2])).toBeCloseTo(0.005, 15);
    expect(relativeMaxError([3, -4], [3, -4])).toBe(0);
  });
});
