import { InvalidArgumentError, describe, periodicDerivativeMatrix, trigonometricInterpolation } from '@liesym/core';
import { type Field, assertField, assertPeriodic } from './Grid.js';
import { translationGenerator } from '@liesym/core';
import { lieUnchecked } from './fieldGenerators.js';

/**
 * The n×n Fourier differentiation matrix of the periodic grid with side L (row-major), exact for trigonometric polynomials of degree < n/2.
 * @deprecated use core's `periodicDerivativeMatrix(n, { spacing: length / n })`, which this calls
 */
export function differentiationMatrix(n: number, length: number): Float64Array {
  return periodicDerivativeMatrix(n, { spacing: length / n });
}

/**
 * The spectral derivative ∂u/∂x_axis of every channel of a periodic field (exact for
 * trigonometric polynomials below the Nyquist frequency): ℒ_ξ u for the translation along `axis`.
 * @param options `checkPeriodic` (default true)
 * @throws InvalidArgumentError for a bad axis; NonPeriodicFieldError unless `checkPeriodic: false`
 * @example
 * const du = spectralDerivative(Field.fromFunction(g, ([x]) => [Math.sin(x!)]), 0); // ≈ cos
 */
export function spectralDerivative(u: Field, axis: number, options: { checkPeriodic?: boolean } = {}): Field {
  assertField(u, { fn: 'spectralDerivative', arg: 'u' });
  if (!Number.isInteger(axis) || axis < 0 || axis >= u.grid.dims) {
    throw new InvalidArgumentError(`spectralDerivative: 'axis' must be an integer in [0, ${u.grid.dims - 1}]; received ${describe(axis)}`);
  }
  if (options.checkPeriodic ?? true) assertPeriodic(u, { fn: 'spectralDerivative' });
  return lieUnchecked(u, translationGenerator(axis, { dims: u.grid.dims }).input);
}

/**
 * The trigonometric interpolant of a periodic field at arbitrary points (core's `trigonometricInterpolation` on
 * its grid): a band-limited way to move a field by a continuous rotation, scaling or shift. Exact on the grid points.
 * @param points coordinates, one [x] or [x, y] per entry
 * @returns values (point, channel), row-major
 */
export function interpolate(u: Field, points: ReadonlyArray<readonly number[]>): Float64Array {
  assertField(u, { fn: 'interpolate', arg: 'u' });
  return trigonometricInterpolation(u.data, points, u.grid.spec(u.channels));
}
