import { InvalidArgumentError, ShapeMismatchError, describe, fieldGeneratorMatrix, fieldGeneratorParts, gridFieldAction, type FieldGenerator, type Matrix } from '@liesym/core';
import { Field, assertField, assertPeriodic } from './Grid.js';

/**
 * ℒ_ξ u = Du·ξ_M − V·u − s for a field u: core's `gridFieldAction` tangent on this grid
 * (derivatives spectral, so u must be periodic; with a non-translation ξ_M the field should
 * also decay towards the boundary, where ξ_M is not periodic).
 * @param options `checkPeriodic` (default true) checks that u is periodic first
 * @throws ShapeMismatchError when the generator does not fit the grid or channels;
 *   NonPeriodicFieldError for a non-periodic field unless `checkPeriodic: false`
 * @example
 * const r = fieldLieDerivative(u, rotationGenerator().input); // −y ∂ₓu + x ∂ᵧu
 */
export function fieldLieDerivative(u: Field, generator: FieldGenerator, options: { checkPeriodic?: boolean } = {}): Field {
  const fn = 'fieldLieDerivative';
  assertField(u, { fn, arg: 'u' });
  checkGenerator(generator, { fn, arg: 'generator', d: u.grid.dims, channels: u.channels });
  if (options.checkPeriodic ?? true) assertPeriodic(u, { fn });
  return lieUnchecked(u, generator);
}

/**
 * The generator encoded by core's `fieldGeneratorMatrix` for d dimensions and `channels` channels.
 * @throws ShapeMismatchError (naming `fn` and `arg`) unless its parts are finite and fit
 */
export function checkGenerator(g: FieldGenerator, where: { fn: string; arg: string; d: number; channels: number }): Matrix {
  const { fn, arg } = where;
  if (g === null || typeof g !== 'object') throw new InvalidArgumentError(`${fn}: '${arg}' must be a FieldGenerator object; received ${describe(g)}`);
  let m: Matrix | undefined;
  try {
    m = fieldGeneratorMatrix(g, where);
  } catch (e) {
    throw new ShapeMismatchError(`${fn}: '${arg}' does not fit ${where.d}-D fields with ${where.channels} channel(s): ${(e as Error).message}`);
  }
  if (!m.isFinite()) throw new ShapeMismatchError(`${fn}: '${arg}' must have finite parts; received ${JSON.stringify(g)}`);
  return m;
}

/** ℒ_ξ u without validation (core's field action on u's grid). */
export function lieUnchecked(u: Field, g: FieldGenerator): Field {
  const m = generatorMatrix(g, u.grid.dims, u.channels);
  return new Field(u.grid, u.channels, gridFieldAction(u.grid.spec(u.channels)).tangents([m], u.data)[0]!);
}

/**
 * Encodes a field generator as one matrix blockDiag([[A, b], [0, 0]], [[V, s], [0, 0]]) of size
 * (d + 1 + c + 1)² (core's `fieldGeneratorMatrix`): the Frobenius inner product of these matrices
 * is the one in which candidates are made orthonormal, and their commutator is the Lie bracket.
 */
export function generatorMatrix(g: FieldGenerator, d: number, c: number): Matrix {
  return fieldGeneratorMatrix(g, { d, channels: c });
}

/** Inverse of {@link generatorMatrix} (core's `fieldGeneratorParts`). */
export function generatorFromMatrix(m: Matrix, d: number, c: number): FieldGenerator {
  return fieldGeneratorParts(m, { d, channels: c }) as FieldGenerator;
}
