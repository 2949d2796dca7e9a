/**
 * Errors of the command line itself (exit 2); everything about models, files and math is
 * core's typed errors. These do not import core, so `--help` and `--version` start fast.
 */

/** A command line that cannot be run as written: unknown command or flag, a bad or missing value. */
export class UsageError extends Error {
  readonly code = 'USAGE';
  override readonly name = 'UsageError';
}

/** A run that would need more memory than allowed (checked before any work). */
export class ResourceLimitError extends Error {
  readonly code = 'RESOURCE_LIMIT';
  override readonly name = 'ResourceLimitError';
}
