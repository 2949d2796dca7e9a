/**
 * Reading and writing .onnx files under one rule: never a lost, truncated or overwritten
 * user file. Outputs are written to a temporary file in the target's folder and moved into
 * place in one step (core's `writeOutputFiles`); an existing output is refused unless `force`,
 * and the input is never written to, even with `force` (compared by real path and by inode,
 * so symlinks and hard links count).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { InvalidArgumentError, ModelFileError, describe } from '@liesym/core';
import { checkOutputFiles, writeOutputFiles } from '@liesym/core/node';
import { onnx, type ModelProto } from './proto.js';

/**
 * Reads and decodes a model file.
 * @throws ModelFileError for a missing, unreadable or corrupt file
 */
export function readModelFile(path: string, fn: string): { bytes: Uint8Array; proto: ModelProto } {
  if (typeof path !== 'string' || path.length === 0) throw new InvalidArgumentError(`${fn}: 'path' must be a file path; received ${describe(path)}`);
  if (!existsSync(path)) throw new ModelFileError(`${fn}: model file '${path}' does not exist`);
  if (!statSync(path).isFile()) throw new ModelFileError(`${fn}: '${path}' is not a file`);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new ModelFileError(`${fn}: model file '${path}' cannot be read: ${(e as Error).message}`);
  }
  try {
    const proto = onnx.ModelProto.decode(bytes);
    if (!proto.graph) throw new Error('no graph');
    return { bytes, proto };
  } catch (e) {
    throw new ModelFileError(`${fn}: '${path}' is not a valid ONNX model (protobuf decode failed: ${(e as Error).message})`);
  }
}

/** Where a model file is written, and whether an existing output may be replaced. */
export interface ModelFileTarget {
  /** The file the model was read from: never written to. */
  input: string;
  /** The file to write. */
  out: string;
  /** Replace an existing `out` (a boolean, default false). Never the input. */
  force?: boolean;
}

/**
 * Refuses an output that is the input (by real path or hard link, even with `force`), exists
 * (without `force`) or sits in a missing folder: core's `checkOutputFiles`.
 * @throws InvalidArgumentError for a bad path, folder or `force`; OutputExistsError
 */
export function checkModelTarget(target: ModelFileTarget, fn: string): void {
  const { input, out } = target;
  if (typeof out !== 'string' || out.length === 0) throw new InvalidArgumentError(`${fn}: 'out' must be a file path; received ${describe(out)}`);
  checkOutputFiles([out], { inputs: [input], force: target.force ?? false, fn });
}

/**
 * Writes a model with core's `writeOutputFiles`: encoded into a temporary file next to `out`,
 * then linked into place when `out` must not exist (atomic) or renamed over it with `force`.
 * A failure leaves no partial file and the input untouched.
 * @throws OutputExistsError; OutputWriteError when the file cannot be written
 */
export function writeModelFile(proto: ModelProto, target: ModelFileTarget, fn: string): void {
  checkModelTarget(target, fn);
  writeOutputFiles([{ path: target.out, data: onnx.ModelProto.encode(proto).finish() }], { inputs: [target.input], force: target.force ?? false, fn });
}
