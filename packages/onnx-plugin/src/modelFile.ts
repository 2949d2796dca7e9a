/**
 * Reading and writing .onnx files under one rule: never a lost, truncated or overwritten
 * user file. Outputs are written to a temporary file in the target's folder and moved into
 * place in one step; an existing output is refused unless `force`, and the input is never
 * written to, even with `force` (compared by real path and by inode, so symlinks and hard
 * links count).
 */
import { existsSync, linkSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InvalidArgumentError, ModelFileError, OutputExistsError, describe } from '@liesym/core';
import { onnx, type ModelProto } from './proto.js';

/**
 * Reads and decodes a model file.
 * @throws ModelFileError for a missing, unreadable or corrupt file
 */
export function readModelFile(path: string, fn: string): { bytes: Uint8Array; proto: ModelProto } {
  if (typeof path !== 'string' || path.length === 0) throw new InvalidArgumentError(`${fn}: 'path' must be a file path; received ${describe(path)}`);
  if (!existsSync(path)) throw new ModelFileError(`${fn}: model file '${path}' does not exist`);
  if (!statSync(path).isFile()) throw new ModelFileError(`${fn}: '${path}' is not a file`);
  const bytes = readFileSync(path);
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
  /** Replace an existing `out` (default false). Never the input. */
  force?: boolean;
}

/** Real path of a file that may not exist yet (its folder's real path + its name). */
function realTarget(path: string): string {
  return existsSync(path) ? realpathSync(path) : join(existsSync(dirname(path)) ? realpathSync(dirname(path)) : dirname(path), basename(path));
}

/** Whether two paths name one file: the same real path, or the same inode (a hard link). */
function sameFile(a: string, b: string): boolean {
  if (realTarget(a) === realTarget(b)) return true;
  if (!existsSync(a) || !existsSync(b)) return false;
  const [s, t] = [statSync(a), statSync(b)];
  return s.ino === t.ino && s.dev === t.dev;
}

/**
 * Refuses an output that is the input or (without `force`) exists.
 * @throws InvalidArgumentError for a bad path; OutputExistsError
 */
export function checkModelTarget(target: ModelFileTarget, fn: string): void {
  const { input, out } = target;
  if (typeof out !== 'string' || out.length === 0) throw new InvalidArgumentError(`${fn}: 'out' must be a file path; received ${describe(out)}`);
  if (sameFile(out, input)) throw new OutputExistsError(`${fn}: 'out' must not be the input file '${input}' (liesym never writes onto its input, even with force); received '${out}'`);
  if (!target.force && existsSync(out)) throw new OutputExistsError(`${fn}: '${out}' already exists; pass force: true to overwrite it`);
}

/** Links `tmp` to `out` (fails if `out` exists); where the file system has no hard links, checks and renames. */
function linkOrRename(tmp: string, out: string): void {
  try {
    linkSync(tmp, out);
  } catch (e) {
    if (!['EPERM', 'ENOTSUP', 'ENOSYS'].includes((e as NodeJS.ErrnoException).code ?? '') || existsSync(out)) throw e;
    renameSync(tmp, out);
  }
}

/**
 * Writes a model: encoded into a temporary file next to `out`, then linked into place when
 * `out` must not exist (atomic, fails if it appeared meanwhile; a check and a rename on file
 * systems without hard links) or renamed over it with `force`. A failure leaves no partial file.
 * @throws OutputExistsError; ModelFileError when the file cannot be written
 */
export function writeModelFile(proto: ModelProto, target: ModelFileTarget, fn: string): void {
  checkModelTarget(target, fn);
  const { out } = target;
  const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, onnx.ModelProto.encode(proto).finish(), { flag: 'wx' });
    if (target.force) renameSync(tmp, out);
    else linkOrRename(tmp, out);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST' && existsSync(out)) throw new OutputExistsError(`${fn}: '${out}' already exists; pass force: true to overwrite it`);
    throw new ModelFileError(`${fn}: could not write '${out}': ${(e as Error).message}`);
  } finally {
    if (existsSync(tmp)) unlinkSync(tmp);
  }
}
