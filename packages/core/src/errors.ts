/**
 * Typed errors of @liesym/core. Every public entry point validates its input and throws
 * one of these; each message names the function, the argument, what was expected and
 * what was received.
 */

/** Base class of every error thrown by liesym. `code` is stable and machine-readable. */
export class LiesymError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Shapes or dimensions do not agree (matrix sizes, representation dimensions). */
export class ShapeMismatchError extends LiesymError {
  constructor(message: string) {
    super('SHAPE_MISMATCH', message);
  }
}

/** A value is NaN or ±Infinity where finite numbers are required. */
export class NonFiniteError extends LiesymError {
  constructor(message: string) {
    super('NON_FINITE', message);
  }
}

/** An argument has the wrong type or an out-of-range value (e.g. n < 1, unknown candidate). */
export class InvalidArgumentError extends LiesymError {
  constructor(message: string) {
    super('INVALID_ARGUMENT', message);
  }
}

/** Representations are inconsistent: different groups combined, wrong generator counts. */
export class InvalidRepresentationError extends LiesymError {
  constructor(message: string) {
    super('INVALID_REPRESENTATION', message);
  }
}

/** An empty sample set (or an empty list where at least one item is needed). */
export class EmptyInputError extends LiesymError {
  constructor(message: string) {
    super('EMPTY_INPUT', message);
  }
}

/** An iterative algorithm stopped before meeting its tolerance. */
export class NotConvergedError extends LiesymError {
  constructor(message: string) {
    super('NOT_CONVERGED', message);
  }
}

/** The operation is not defined for this kind of object (e.g. ρ(g) of a custom representation without `rhoOf`). */
export class UnsupportedOperationError extends LiesymError {
  constructor(message: string) {
    super('UNSUPPORTED_OPERATION', message);
  }
}

/**
 * Too few samples (or rows) to determine the answer: e.g. fewer rows in a discover matrix
 * than candidate generators, where a nullspace would appear whatever the model. liesym
 * refuses rather than answer confidently from too little data.
 */
export class InsufficientDataError extends LiesymError {
  constructor(message: string) {
    super('INSUFFICIENT_DATA', message);
  }
}

/** A model (file, network, graph) uses something liesym cannot analyse: a structure, dtype, op or layer. */
export class UnsupportedModelError extends LiesymError {
  constructor(message: string) {
    super('UNSUPPORTED_MODEL', message);
  }
}

/** A model file is missing, unreadable or not valid in its format. */
export class ModelFileError extends LiesymError {
  constructor(message: string) {
    super('MODEL_FILE', message);
  }
}

/** A name (input, output, node, layer) that the model does not have. */
export class UnknownNameError extends LiesymError {
  constructor(message: string) {
    super('UNKNOWN_NAME', message);
  }
}

/**
 * An output file exists (or is one of the inputs) and overwriting was not asked for:
 * liesym never replaces a file unasked, and never replaces an input.
 */
export class OutputExistsError extends LiesymError {
  constructor(message: string) {
    super('OUTPUT_EXISTS', message);
  }
}

/**
 * An output file could not be written (its folder is missing or read-only, the disk is full).
 * liesym writes through a temporary file renamed into place, so nothing is left behind and no
 * existing file is touched.
 */
export class OutputWriteError extends LiesymError {
  constructor(message: string) {
    super('OUTPUT_WRITE', message);
  }
}

/** A group, representation or configuration cannot be written to or read from JSON. */
export class SerializationError extends LiesymError {
  constructor(message: string) {
    super('SERIALIZATION', message);
  }
}

/** What {@link errorMessage} says about the argument: what it must be and what it was. */
export interface ErrorMessageParts {
  /** What the argument must be, completing "'arg' must be …". */
  expected: string;
  /** The value received, shown by {@link describe}. */
  received: unknown;
}

/**
 * The message every liesym error uses: the function, the argument, what was expected and
 * what was received.
 * @example
 * errorMessage('nullspace', 'rtol', { expected: 'a number in [0, 1)', received: 5 }); // "nullspace: 'rtol' must be a number in [0, 1); received 5"
 */
export function errorMessage(fn: string, arg: string, { expected, received }: ErrorMessageParts): string {
  return `${fn}: '${arg}' must be ${expected}; received ${describe(received)}`;
}

/** Formats a value for an error message: short, and never throws. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as Float64Array).length}`;
  if (typeof value === 'object') {
    const ctor = (value as object).constructor?.name;
    if (ctor === 'Matrix') {
      const m = value as { rows: number; cols: number };
      return `a ${m.rows}×${m.cols} Matrix`;
    }
    return ctor && ctor !== 'Object' ? `a ${ctor}` : 'an object';
  }
  return typeof value;
}

/** A sample input file (image, array, audio) is missing, unreadable or not valid in its format. */
export class InputFileError extends LiesymError {
  constructor(message: string) {
    super('INPUT_FILE', message);
  }
}
