/// <reference types="node" />
/**
 * Node-only helpers of @liesym/tfjs (they use node:fs). Import from '@liesym/tfjs/node';
 * the main entry stays browser-safe.
 * @packageDocumentation
 */
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { InvalidArgumentError, OutputExistsError, errorMessage } from '@liesym/core';

/**
 * A `write(line)` sink for `SymmetryMonitor` (from the main entry) that appends JSON lines to a file.
 * It never overwrites: an existing file is an error unless `append` is true.
 * @param path the file to create (or append to)
 * @param options.append append to an existing file instead of refusing it (default false)
 * @throws OutputExistsError when the file exists and `append` is false
 * @example
 * new SymmetryMonitor({ samples: xs, write: jsonLinesWriter('spectrum.jsonl') });
 */
export function jsonLinesWriter(path: string, options: { append?: boolean } = {}): (line: string) => void {
  if (typeof path !== 'string' || path.length === 0) throw new InvalidArgumentError(errorMessage('jsonLinesWriter', 'path', { expected: 'a non-empty string', received: path }));
  if (!existsSync(path)) writeFileSync(path, '', { flag: 'wx' });
  else if (!options.append) throw new OutputExistsError(`jsonLinesWriter: '${path}' already exists; pass { append: true } to append to it, or choose a new path`);
  return (line: string) => appendFileSync(path, line.endsWith('\n') ? line : `${line}\n`);
}
