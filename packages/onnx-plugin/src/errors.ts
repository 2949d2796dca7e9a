/**
 * Typed errors of @liesym/onnx. They extend @liesym/core's `LiesymError` (so one
 * `instanceof LiesymError` catches both) and each message names the function, the
 * argument, what was expected and what was received.
 */
import { LiesymError } from '@liesym/core';

/** The model file is missing, unreadable or not a valid ONNX protobuf. */
export class ModelFileError extends LiesymError {
  constructor(message: string) {
    super('MODEL_FILE', message);
  }
}

/** The model is valid ONNX but uses something liesym cannot analyse (a dtype, an op, a non-tensor input). */
export class UnsupportedModelError extends LiesymError {
  constructor(message: string) {
    super('UNSUPPORTED_MODEL', message);
  }
}

/** An input or output name that the model does not have. */
export class UnknownNameError extends LiesymError {
  constructor(message: string) {
    super('UNKNOWN_NAME', message);
  }
}

/** The output file exists and `force` was not given: liesym never overwrites a file unasked. */
export class OutputExistsError extends LiesymError {
  constructor(message: string) {
    super('OUTPUT_EXISTS', message);
  }
}
