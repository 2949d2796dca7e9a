/**
 * Typed errors of @liesym/operators. They extend core's {@link LiesymError}, so one
 * `instanceof LiesymError` catches every liesym failure; each message names the function,
 * the argument, what was expected and what was received.
 */
import { LiesymError } from '@liesym/core';

/** Base class of the errors specific to fields and neural operators. */
export class OperatorError extends LiesymError {}

/** Two fields (or a field and a model) live on different grids (size, dimension or box). */
export class GridMismatchError extends OperatorError {
  constructor(message: string) {
    super('GRID_MISMATCH', message);
  }
}

/**
 * A field is not periodic where periodicity is required (spectral derivatives, spectral
 * solvers): its wrap-around jump is much larger than its largest interior step.
 */
export class NonPeriodicFieldError extends OperatorError {
  constructor(message: string) {
    super('NON_PERIODIC', message);
  }
}
