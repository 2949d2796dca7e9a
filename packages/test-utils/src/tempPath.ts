import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { InvalidArgumentError, describe } from '@liesym/core';

let folder: string | undefined;

/**
 * A path for `name` in this process's scratch folder (one `mkdtemp` under the OS temp dir,
 * made on first use and removed when the process exits). The file itself is not created.
 * @param name a plain file name (no folders)
 * @throws InvalidArgumentError for an empty name or one with a path separator
 * @example
 * quadraticInvariant({ metric: [1, 1, 1] }).writeTo(tempPath('radial.onnx'));
 */
export function tempPath(name: string): string {
  if (typeof name !== 'string' || name.length === 0 || basename(name) !== name || name === '.' || name === '..') {
    throw new InvalidArgumentError(`tempPath: 'name' must be a plain file name; received ${describe(name)}`);
  }
  if (folder === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'liesym-test-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    folder = dir;
  }
  return join(folder, name);
}
