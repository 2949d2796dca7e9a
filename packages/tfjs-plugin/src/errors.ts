/**
 * Typed errors of @liesym/tfjs. The package re-uses @liesym/core's hierarchy (every error
 * is a `LiesymError` with a stable `code`) and adds the two kinds that only arise at the
 * TensorFlow.js boundary.
 */
import { LiesymError } from '@liesym/core';

export {
  LiesymError,
  ShapeMismatchError,
  InvalidArgumentError,
  InvalidRepresentationError,
  EmptyInputError,
  NonFiniteError,
} from '@liesym/core';

/** A representation, group or layer config cannot be written to or read from JSON. */
export class SerializationError extends LiesymError {
  constructor(message: string) {
    super('SERIALIZATION', message);
  }
}

/** A tfjs model or layer has a structure this function does not handle. */
export class UnsupportedModelError extends LiesymError {
  constructor(message: string) {
    super('UNSUPPORTED_MODEL', message);
  }
}

/** A file (or other sink) the user named would be overwritten or cannot be written. */
export class FileExistsError extends LiesymError {
  constructor(message: string) {
    super('FILE_EXISTS', message);
  }
}
