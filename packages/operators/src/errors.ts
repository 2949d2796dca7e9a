/** Errors of @liesym/operators that exist only at its boundary (grids and periodicity), on core's `LiesymError`. */
import { LiesymError } from '@liesym/core';

/** Base class of the errors specific to fields and neural operators. */
export class OperatorError extends LiesymError {}

/** Two fields (or a field and a model) live on different grids (size, dimension or box). */
export class GridMismatchError extends OperatorError {
  constructor(message: string) {
    super('GRID_MISMATCH', message);
  }
}

/** A field is not periodic where periodicity is required (spectral derivatives, spectral solvers): its wrap-around jump dwarfs its interior steps. */
export class NonPeriodicFieldError extends OperatorError {
  constructor(message: string) {
    super('NON_PERIODIC', message);
  }
}
