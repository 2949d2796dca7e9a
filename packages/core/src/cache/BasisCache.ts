import { InvalidArgumentError, describe } from '../errors.js';
import { Matrix } from '../linalg/Matrix.js';
import { Representation, hom } from '../reps/Representation.js';
import {
  type BasisMethod,
  type BasisResult,
  type InvariantBasisOptions,
  basisResult,
  checkBasisOptions,
  invariantBasis,
} from '../enforce/invariantBasis.js';
import { Hash64 } from './checksum.js';

/**
 * Where a {@link BasisCache} keeps entries beyond memory: bytes by content key. `@liesym/core/node`
 * provides a directory store (`fileBasisStore`); in a browser, an
 * IndexedDB or Cache-API store fits the same interface.
 */
export interface BasisStore {
  /** The bytes stored under `key`, or undefined when there is none. */
  read(key: string): Promise<Uint8Array | undefined>;
  /** Stores `bytes` under `key`; must be atomic (a reader sees the old entry, the new one, or none). */
  write(key: string, bytes: Uint8Array): Promise<void>;
}

/** A stored entry that failed verification (passed to `onCorrupt`; the basis is then recomputed). */
export interface CorruptEntryInfo {
  key: string;
  /** Why it was rejected, e.g. "checksum mismatch" or "truncated: 100 of 5432 bytes". */
  reason: string;
}

/** Options of {@link BasisCache}. */
export interface BasisCacheOptions {
  /** A persistent store consulted after memory (default: none, memory only). */
  store?: BasisStore;
  /** Entries kept in memory, least recently used dropped first (default 32). */
  maxEntries?: number;
  /** Called for every corrupted or truncated stored entry (default: none; it is also flagged in the result). */
  onCorrupt?: (info: CorruptEntryInfo) => void;
}

/** How a {@link CachedBasisResult} was obtained. */
export interface CacheInfo {
  /** The content-addressed key (see {@link basisCacheKey}). */
  key: string;
  /** `'memory'`, `'store'` (verified stored entry) or `'computed'`. */
  source: 'memory' | 'store' | 'computed';
  /** True when a stored entry existed but failed verification and was recomputed and rewritten. */
  corruptEntry: boolean;
  /** The message of a failed store write (the result is still valid; it is just not persisted). */
  storeError?: string;
}

/** A {@link BasisResult} plus where it came from. Treat `basis` as read-only: it is shared with the cache. */
export interface CachedBasisResult extends BasisResult {
  cache: CacheInfo;
}

const keyMemo = new WeakMap<Representation, string>();

function structureHash(rep: Representation): string {
  const memo = keyMemo.get(rep);
  if (memo !== undefined) return memo;
  // rep.key is content-addressed down to the leaves (a custom representation's key holds a hash of
  // its matrices); the group's generators are hashed too, for groups built directly with `new Group`.
  const h = new Hash64().text('liesym-basis-v2').text(rep.key).text(String(rep.dim));
  const g = rep.group;
  if (g) {
    h.text(g.key);
    for (const m of [...g.lieAlgebra, ...g.discreteGenerators]) h.text(`${m.rows}x${m.cols}`).floats(m.data);
  }
  const out = h.digest();
  keyMemo.set(rep, out);
  return out;
}

/**
 * The content-addressed cache key of a basis: a 64-bit hash of the representation's key (its
 * structure, with custom representations keyed by their matrices), its group's generators, and the solver
 * options (tolerances included), as 16 hex digits. Equal inputs give equal keys across runs and machines.
 * @throws InvalidArgumentError for a `rep` that is not a Representation or a bad option (as {@link invariantBasis})
 * @example
 * basisCacheKey(V(SO(3)).pow(2)) === basisCacheKey(V(SO(3)).pow(2)); // true
 */
export function basisCacheKey(rep: Representation, options: InvariantBasisOptions = {}): string {
  return checkedKey('basisCacheKey', rep, options);
}

/** Validates the representation and the options at entry `fn` (before keying: a NaN rtol would key like the default), then keys. */
function checkedKey(fn: string, rep: unknown, options: InvariantBasisOptions): string {
  if (!(rep instanceof Representation)) {
    throw new InvalidArgumentError(`${fn}: 'rep' must be a Representation; received ${describe(rep)}`);
  }
  checkBasisOptions(fn, options);
  const opts = JSON.stringify([options.rtol ?? null, options.atol ?? null, options.method ?? 'auto', options.denseLimit ?? null]);
  return new Hash64().text(structureHash(rep)).text(opts).digest();
}

const MAGIC = 'LSYMB001';

/**
 * Serializes a basis result for a {@link BasisStore}: magic, a header (UTF-16 JSON), the Float64
 * basis and singular values, and a trailing 64-bit checksum of everything before it.
 */
export function encodeBasisEntry(key: string, r: BasisResult): Uint8Array {
  const header = JSON.stringify({ key, rows: r.basis.rows, cols: r.basis.cols, sv: r.singularValues.length, gap: String(r.gap), threshold: r.threshold, method: r.method });
  const headerBytes = Math.ceil((header.length * 2) / 8) * 8;
  const bodyStart = 16 + headerBytes;
  const floats = r.basis.data.length + r.singularValues.length;
  const total = bodyStart + floats * 8 + 16;
  const buf = new ArrayBuffer(total);
  const u8 = new Uint8Array(buf);
  for (let i = 0; i < 8; i++) u8[i] = MAGIC.charCodeAt(i);
  new Uint32Array(buf, 8, 2).set([header.length, floats]);
  const h16 = new Uint16Array(buf, 16, header.length);
  for (let i = 0; i < header.length; i++) h16[i] = header.charCodeAt(i);
  const f64 = new Float64Array(buf, bodyStart, floats);
  f64.set(r.basis.data);
  f64.set(r.singularValues, r.basis.data.length);
  const sum = new Hash64().words(new Uint32Array(buf, 0, (total - 16) / 4)).digest();
  for (let i = 0; i < 16; i++) u8[total - 16 + i] = sum.charCodeAt(i);
  return u8;
}

/** The result of {@link decodeBasisEntry}: the basis, or why the bytes were rejected. */
export type DecodedEntry = { ok: true; result: BasisResult } | { ok: false; reason: string };

/**
 * Parses and verifies bytes written by {@link encodeBasisEntry}: magic, lengths, the checksum and
 * the key must all match; anything else is rejected with a reason, never trusted. The result's
 * arrays are views into `bytes` when it is 8-byte aligned (do not reuse `bytes` afterwards).
 */
export function decodeBasisEntry(bytes: Uint8Array, key: string): DecodedEntry {
  if (bytes.length < 32) return { ok: false, reason: `truncated: ${bytes.length} bytes` };
  // Typed-array views need 8-byte alignment: copy only when the bytes are not aligned.
  const own = bytes.byteOffset % 8 === 0 ? bytes : bytes.slice();
  const buf = own.buffer;
  const base = own.byteOffset;
  const u8 = own;
  for (let i = 0; i < 8; i++) if (u8[i] !== MAGIC.charCodeAt(i)) return { ok: false, reason: 'bad magic (not a liesym basis entry)' };
  const [hlen, floats] = new Uint32Array(buf, base + 8, 2);
  const headerBytes = Math.ceil((hlen! * 2) / 8) * 8;
  const expected = 16 + headerBytes + floats! * 8 + 16;
  if (u8.length !== expected) return { ok: false, reason: `truncated or padded: ${u8.length} of ${expected} bytes` };
  const sum = new Hash64().words(new Uint32Array(buf, base, (expected - 16) / 4)).digest();
  let stored = '';
  for (let i = 0; i < 16; i++) stored += String.fromCharCode(u8[expected - 16 + i]!);
  if (stored !== sum) return { ok: false, reason: `checksum mismatch (stored ${stored}, computed ${sum})` };
  let header: { key: string; rows: number; cols: number; sv: number; gap: string; threshold: number; method: BasisMethod };
  try {
    header = JSON.parse(String.fromCharCode(...new Uint16Array(buf, base + 16, hlen!))) as typeof header;
  } catch {
    return { ok: false, reason: 'unreadable header' };
  }
  if (header.key !== key) return { ok: false, reason: `key mismatch (entry holds ${header.key})` };
  if (header.rows * header.cols + header.sv !== floats) return { ok: false, reason: 'inconsistent lengths' };
  // Views, not copies: the entry's bytes belong to this result from here on.
  const f64 = new Float64Array(buf, base + 16 + headerBytes, floats);
  const basis = new Matrix(header.rows, header.cols, f64.subarray(0, header.rows * header.cols));
  return { ok: true, result: basisResult({ basis, singularValues: f64.subarray(header.rows * header.cols), gap: Number(header.gap), threshold: header.threshold }, header.method) };
}

/**
 * A content-addressed cache of invariant / equivariant bases: in memory (LRU), plus an optional
 * persistent {@link BasisStore}. A stored entry is verified (checksum, lengths, key) before it is
 * used; a corrupted or truncated one is reported (`onCorrupt`, `cache.corruptEntry`), recomputed
 * and rewritten. No global state: create one cache and share it.
 *
 * @example
 * const cache = new BasisCache();
 * const a = await cache.invariantBasis(V(SO(3)).pow(8)); // computed
 * const b = await cache.invariantBasis(V(SO(3)).pow(8)); // b.cache.source === 'memory'
 */
export class BasisCache {
  private readonly memory = new Map<string, BasisResult>();
  private readonly store: BasisStore | undefined;
  private readonly maxEntries: number;
  private readonly onCorrupt: ((info: CorruptEntryInfo) => void) | undefined;

  /** @throws InvalidArgumentError for a bad `maxEntries` or a store without read/write */
  constructor(options: BasisCacheOptions = {}) {
    const max = options.maxEntries ?? 32;
    if (!Number.isInteger(max) || max < 1) {
      throw new InvalidArgumentError(`BasisCache: 'maxEntries' must be an integer ≥ 1; received ${describe(max)}`);
    }
    const s = options.store;
    if (s !== undefined && (typeof s?.read !== 'function' || typeof s?.write !== 'function')) {
      throw new InvalidArgumentError(`BasisCache: 'store' must have read(key) and write(key, bytes); received ${describe(s)}`);
    }
    this.store = s;
    this.maxEntries = max;
    this.onCorrupt = options.onCorrupt;
  }

  /** Number of entries in memory. */
  get size(): number {
    return this.memory.size;
  }

  /** Drops every in-memory entry (the store is untouched). */
  clear(): void {
    this.memory.clear();
  }

  private remember(key: string, r: BasisResult): void {
    this.memory.delete(key);
    this.memory.set(key, r);
    while (this.memory.size > this.maxEntries) this.memory.delete(this.memory.keys().next().value!);
  }

  private fromMemory(key: string): CachedBasisResult | undefined {
    const r = this.memory.get(key);
    if (!r) return undefined;
    this.remember(key, r);
    return { ...r, cache: { key, source: 'memory', corruptEntry: false } };
  }

  /**
   * {@link invariantBasis} through the cache: memory, then the store, then computed (and written back).
   * Options are validated before the lookup (rtol finite in [0, 1), atol finite ≥ 0).
   * @throws (rejects with) InvalidArgumentError for a bad option, and as invariantBasis; a failing store write
   * is reported in `cache.storeError`, not thrown
   */
  async invariantBasis(rep: Representation, options: InvariantBasisOptions = {}): Promise<CachedBasisResult> {
    const key = checkedKey('BasisCache.invariantBasis', rep, options);
    const hit = this.fromMemory(key);
    if (hit) return hit;
    let corruptEntry = false;
    if (this.store) {
      const bytes = await this.store.read(key);
      if (bytes !== undefined) {
        const d = decodeBasisEntry(bytes, key);
        if (d.ok) {
          this.remember(key, d.result);
          return { ...d.result, cache: { key, source: 'store', corruptEntry: false } };
        }
        corruptEntry = true;
        this.onCorrupt?.({ key, reason: d.reason });
      }
    }
    const r = invariantBasis(rep, options);
    this.remember(key, r);
    const cache: CacheInfo = { key, source: 'computed', corruptEntry };
    if (this.store) {
      try {
        await this.store.write(key, encodeBasisEntry(key, r));
      } catch (e) {
        cache.storeError = e instanceof Error ? e.message : String(e);
      }
    }
    return { ...r, cache };
  }

  /**
   * {@link invariantBasis} through the memory cache only (synchronous; the store is not consulted).
   * @throws InvalidArgumentError for a bad option (validated before the lookup), and as invariantBasis
   */
  invariantBasisSync(rep: Representation, options: InvariantBasisOptions = {}): CachedBasisResult {
    const key = checkedKey('BasisCache.invariantBasisSync', rep, options);
    const hit = this.fromMemory(key);
    if (hit) return hit;
    const r = invariantBasis(rep, options);
    this.remember(key, r);
    return { ...r, cache: { key, source: 'computed', corruptEntry: false } };
  }

  /**
   * {@link equivariantBasis} through the cache: the invariants of hom(repIn, repOut).
   * @throws (rejects with) InvalidArgumentError for a bad representation or option, and as invariantBasis
   */
  async equivariantBasis(repIn: Representation, repOut: Representation, options: InvariantBasisOptions = {}): Promise<CachedBasisResult> {
    const fn = 'BasisCache.equivariantBasis';
    for (const [arg, r] of [['repIn', repIn], ['repOut', repOut]] as const) {
      if (!(r instanceof Representation)) throw new InvalidArgumentError(`${fn}: '${arg}' must be a Representation; received ${describe(r)}`);
    }
    checkBasisOptions(fn, options);
    return this.invariantBasis(hom(repIn, repOut), options);
  }
}
