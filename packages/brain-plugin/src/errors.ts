/** Errors of @liesym/brain: core's shared classes, and the one that exists only at this boundary. */
import { UnsupportedModelError } from '@liesym/core';
export { OutputExistsError } from '@liesym/core';

/** Not a brain.js `NeuralNetwork` liesym can read: a core `UnsupportedModelError` whose `code` stays 'UNSUPPORTED_NETWORK'. */
export class UnsupportedNetworkError extends UnsupportedModelError {
  override readonly code: string = 'UNSUPPORTED_NETWORK';
}
