/**
 * Typed errors of @liesym/brain, extending @liesym/core's `LiesymError`. Each message names
 * the function, the argument, what was expected and what was received.
 */
import { LiesymError } from '@liesym/core';

/** The network (object or JSON) is not a brain.js `NeuralNetwork` liesym can read. */
export class UnsupportedNetworkError extends LiesymError {
  constructor(message: string) {
    super('UNSUPPORTED_NETWORK', message);
  }
}

/** The output file exists and `force` was not given: liesym never overwrites a file unasked. */
export class OutputExistsError extends LiesymError {
  constructor(message: string) {
    super('OUTPUT_EXISTS', message);
  }
}
