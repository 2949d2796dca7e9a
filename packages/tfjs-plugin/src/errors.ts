/**
 * Errors of @liesym/tfjs: @liesym/core's (each a `LiesymError` with a stable `code`, shared by
 * every package), re-exported; nothing here is specific to the TensorFlow.js boundary.
 */
import { OutputExistsError } from '@liesym/core';

export { SerializationError, UnsupportedModelError, OutputExistsError } from '@liesym/core';

/**
 * @deprecated Use `OutputExistsError` (this alias is the same class; its code is now
 * 'OUTPUT_EXISTS'); `FileExistsError` will be removed in the next minor version.
 */
export const FileExistsError = OutputExistsError;
/** @deprecated Use `OutputExistsError`. */
export type FileExistsError = OutputExistsError;
