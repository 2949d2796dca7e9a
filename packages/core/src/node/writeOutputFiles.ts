/// <reference types="node" />
/**
 * The one rule every liesym writer follows: never a lost, truncated or overwritten user file.
 * Node only (exported from `@liesym/core/node`).
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, lstatSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InvalidArgumentError, OutputExistsError, OutputWriteError, describe } from '../errors.js';

/** Options of {@link checkOutputFiles} and {@link writeOutputFiles}. */
export interface OutputFileOptions {
  /**
   * The files the outputs were computed from: never written, not even with `force`. An output
   * is refused when it names one of them by its real path (symlinks resolved) or is a hard link
   * to it (same device and inode). Default: none.
   */
  inputs?: readonly string[];
  /** Replace outputs that exist (a boolean; default false: an existing file is an error). */
  force?: boolean;
  /** The caller's name at the start of error messages (default 'writeOutputFiles'). */
  fn?: string;
  /** How the caller's user asks to replace a file, quoted in the message (default 'force: true'; the CLI says '--force'). */
  forceHint?: string;
}

/** One file to write: its path and its whole content. */
export interface OutputFile {
  path: string;
  data: Uint8Array | string;
}

/** The path a file would have once written: its folder's real path and its name (a symlink named `path` is itself replaced by a rename). */
function placed(path: string): string {
  const dir = dirname(resolve(path));
  return join(existsSync(dir) ? realpathSync(dir) : dir, basename(path));
}

/** Whether writing `out` would write onto `input`: the same real path (following `out` if it is a symlink) or the same inode. */
function aliases(out: string, input: string): boolean {
  if (!existsSync(input)) return false;
  const real = realpathSync(input);
  if (placed(out) === real || (existsSync(out) && realpathSync(out) === real)) return true;
  if (!existsSync(out)) return false;
  const [a, b] = [statSync(out), statSync(input)];
  return a.ino === b.ino && a.dev === b.dev;
}

/**
 * Refuses outputs that cannot be written safely, before any work: a path that is empty, in a
 * folder that does not exist, a folder itself, the same as another output, the same file as
 * an input (even with `force`), or (without `force`) an existing file.
 * @throws InvalidArgumentError for a bad path, folder or `force`; OutputExistsError
 * @example
 * checkOutputFiles(['report.json'], { inputs: ['model.onnx'] });
 */
export function checkOutputFiles(paths: readonly string[], options: OutputFileOptions = {}): void {
  const fn = options.fn ?? 'writeOutputFiles';
  const force = options.force ?? false;
  const hint = options.forceHint ?? 'force: true';
  if (typeof force !== 'boolean') throw new InvalidArgumentError(`${fn}: 'force' must be a boolean; received ${describe(force)}`);
  const seen = new Map<string, string>();
  for (const out of paths) {
    if (typeof out !== 'string' || out.length === 0) throw new InvalidArgumentError(`${fn}: an output must be a file path; received ${describe(out)}`);
    const dir = dirname(resolve(out));
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new InvalidArgumentError(`${fn}: the folder of output '${out}' must exist; received '${dirname(out)}', which ${existsSync(dir) ? 'is not a folder' : 'does not exist'}`);
    }
    const where = placed(out);
    const twin = seen.get(where);
    if (twin !== undefined) throw new InvalidArgumentError(`${fn}: outputs must be different files; received '${twin}' and '${out}'`);
    seen.set(where, out);
    const input = (options.inputs ?? []).find((i) => aliases(out, i));
    if (input !== undefined) {
      throw new OutputExistsError(`${fn}: output '${out}' is the input '${input}' (or links to it); liesym never writes onto its input, not even with ${hint}`);
    }
    const present = existsSync(out) || isDanglingLink(out);
    if (present && statSync(out, { throwIfNoEntry: false })?.isDirectory()) throw new InvalidArgumentError(`${fn}: output '${out}' must be a file path; received a folder`);
    if (present && !force) throw new OutputExistsError(`${fn}: '${out}' already exists; pass ${hint} to replace it`);
  }
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function writeAll(path: string, data: Uint8Array): void {
  const fd = openSync(path, 'wx', 0o644);
  try {
    for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes files under liesym's file rules (after {@link checkOutputFiles}): each is written to a
 * temporary file in its own folder, flushed, then moved into place — linked when it must not
 * exist (atomic, and fails if it appeared meanwhile), renamed over it with `force`. A failure
 * at any point (disk full, read-only folder) removes the temporary files and the outputs this
 * call already placed, and leaves every other file as it was.
 * @throws InvalidArgumentError, OutputExistsError (see checkOutputFiles); OutputWriteError when a file cannot be written
 * @example
 * writeOutputFiles([{ path: 'model-sym.onnx', data: bytes }], { inputs: ['model.onnx'] });
 */
export function writeOutputFiles(files: readonly OutputFile[], options: OutputFileOptions = {}): void {
  const fn = options.fn ?? 'writeOutputFiles';
  if (!Array.isArray(files) || files.length === 0) throw new InvalidArgumentError(`${fn}: 'files' must be a non-empty array of { path, data }; received ${describe(files)}`);
  checkOutputFiles(files.map((f) => f.path), options);
  const staged: Array<{ tmp: string; out: string }> = [];
  const placedFiles: string[] = [];
  const tag = `${process.pid}.${randomBytes(6).toString('hex')}`;
  let current = files[0]!.path;
  try {
    for (const { path, data } of files) {
      current = path;
      const out = placed(path);
      const tmp = join(dirname(out), `.${basename(out)}.${tag}.tmp`);
      staged.push({ tmp, out });
      writeAll(tmp, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    }
    for (const [k, { tmp, out }] of staged.entries()) {
      current = files[k]!.path;
      if (options.force) renameSync(tmp, out);
      else linkOrRename(tmp, out);
      placedFiles.push(out);
    }
  } catch (e) {
    // Outputs placed by this call go again; with force they replaced files that are gone already, so only new ones are removed.
    if (!options.force) for (const out of placedFiles) rmSync(out, { force: true });
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new OutputExistsError(`${fn}: '${current}' appeared while liesym was writing it; nothing was replaced`);
    const message = (e as Error).message.split('\n')[0]!;
    throw new OutputWriteError(`${fn}: could not write '${current}' (${code && !message.startsWith(code) ? `${code}: ` : ''}${message}); nothing was left behind`);
  } finally {
    for (const { tmp } of staged) rmSync(tmp, { force: true });
  }
}

/** Links `tmp` to `out` (fails if `out` exists); on a file system without hard links, checks and renames. */
function linkOrRename(tmp: string, out: string): void {
  try {
    linkSync(tmp, out);
  } catch (e) {
    if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EXDEV'].includes((e as NodeJS.ErrnoException).code ?? '') || existsSync(out)) throw e;
    renameSync(tmp, out);
  }
}
