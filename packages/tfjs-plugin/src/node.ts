/// <reference types="node" />
/**
 * Node-only helpers of @liesym/tfjs (they use node:fs). Import from '@liesym/tfjs/node';
 * the main entry stays browser-safe.
 * @packageDocumentation
 */
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { FileExistsError, InvalidArgumentError } from './errors.js';

/**
 * A `write(line)` sink for {@link SymmetryMonitor} that appends JSON lines to a file.
 * It never overwrites: an existing file is an error unless `append` is true.
 * @param path the file to create (or append to)
 * @param options.append append to an existing file instead of refusing it (default false)
 * @throws FileExistsError when the file exists and `append` is false
 * @example
 * new SymmetryMonitor({ xs, write: jsonLinesWriter('spectrum.jsonl') });
 */
export function jsonLinesWriter(path: string, options: { append?: boolean } = {}): (line: string) => void {
  if (typeof path !== 'string' || path.length === 0) {
    throw new InvalidArgumentError(`jsonLinesWriter: 'path' must be a non-empty string; received ${String(path)}`);
  }
  if (existsSync(path)) {
    if (!options.append) {
      throw new FileExistsError(`jsonLinesWriter: '${path}' already exists; pass { append: true } to append to it, or choose a new path`);
    }
  } else {
    writeFileSync(path, '', { flag: 'wx' });
  }
  return (line: string) => appendFileSync(path, line.endsWith('\n') ? line : `${line}\n`);
}
