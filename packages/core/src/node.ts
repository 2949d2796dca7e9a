/// <reference types="node" />
/**
 * Node-only entry point `@liesym/core/node`: the safe output writer every package uses
 * ({@link writeOutputFiles}), and a directory-backed {@link BasisStore} for
 * {@link BasisCache}. Kept out of the main entry, which stays browser-safe.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { env, pid } from 'node:process';
import { BasisCache, type BasisCacheOptions, type BasisStore } from './cache/BasisCache.js';
import { InvalidArgumentError, describe } from './errors.js';

/** Options of {@link fileBasisStore}. */
export interface FileBasisStoreOptions {
  /** The cache directory (created on first write). Default: the `LIESYM_CACHE_DIR` environment variable. */
  dir?: string;
}

/**
 * A {@link BasisStore} keeping one file `<key>.lsb` per basis in a directory. Writes are atomic:
 * each writer writes its own temporary file and renames it over the entry, so concurrent
 * writers (threads or processes) leave a complete entry and readers never see a partial one.
 * Reads return the raw bytes; {@link BasisCache} verifies their checksum.
 *
 * @throws InvalidArgumentError when no directory is given and LIESYM_CACHE_DIR is unset
 * @example
 * const cache = new BasisCache({ store: fileBasisStore({ dir: '.liesym-cache' }) });
 * await cache.invariantBasis(V(SO(3)).pow(8)); // computed once, then read from disk in later runs
 */
export function fileBasisStore(options: FileBasisStoreOptions = {}): BasisStore {
  const dir = options.dir ?? env['LIESYM_CACHE_DIR'];
  if (typeof dir !== 'string' || dir.length === 0) {
    throw new InvalidArgumentError(
      `fileBasisStore: 'dir' must be a non-empty path, or LIESYM_CACHE_DIR must be set; received ${describe(options.dir)}`,
    );
  }
  const file = (key: string): string => {
    if (!/^[0-9a-f]{16}$/.test(key)) {
      throw new InvalidArgumentError(`fileBasisStore: 'key' must be 16 hex digits; received ${describe(key)}`);
    }
    return join(dir, `${key}.lsb`);
  };
  return {
    async read(key: string): Promise<Uint8Array | undefined> {
      try {
        // One synchronous read and a view of its Buffer, not a copy: entries can be tens of MB,
        // and the chunked async readFile costs about 1.5× as much here (a V^⊗9 basis is 35 MB;
        // computing it instead takes ~0.8 s, so blocking for the read is the cheaper wait).
        const b = readFileSync(file(key));
        return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
      } catch (e) {
        if ((e as { code?: string }).code === 'ENOENT') return undefined;
        throw e;
      }
    },
    async write(key: string, bytes: Uint8Array): Promise<void> {
      const target = file(key);
      await mkdir(dir, { recursive: true });
      const tmp = join(dir, `.${key}.${pid}.${randomBytes(6).toString('hex')}.tmp`);
      try {
        await writeFile(tmp, bytes);
        await rename(tmp, target);
      } catch (e) {
        await rm(tmp, { force: true });
        throw e;
      }
    },
  };
}

/**
 * A {@link BasisCache} backed by {@link fileBasisStore} (memory first, then the directory).
 * @example
 * const cache = diskBasisCache({ dir: '/tmp/liesym' });
 */
export function diskBasisCache(options: FileBasisStoreOptions & Omit<BasisCacheOptions, 'store'> = {}): BasisCache {
  const { dir, ...rest } = options;
  return new BasisCache({ ...rest, store: fileBasisStore(dir === undefined ? {} : { dir }) });
}

export { BasisCache } from './cache/BasisCache.js';
export type { BasisStore, BasisCacheOptions, CachedBasisResult, CacheInfo, CorruptEntryInfo } from './cache/BasisCache.js';
export { writeOutputFiles, checkOutputFiles } from './node/writeOutputFiles.js';
export type { OutputFile, OutputFileOptions } from './node/writeOutputFiles.js';
export { readSampleInputs } from './node/readSampleInputs.js';
export type { ReadSampleInputsOptions, SampleInputs } from './node/readSampleInputs.js';
