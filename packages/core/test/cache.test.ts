/** The content-addressed basis cache: memory and disk hits, misses, corruption, concurrent writers. */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { BasisCache, Matrix, SO, V, basisCacheKey, customRepresentation, decodeBasisEntry, directSum, encodeBasisEntry, hom, invariantBasis } from '../src/index.js';
import { fileBasisStore } from '../src/node.js';
import { relErr } from './helpers.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'liesym-cache-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const rep = V(SO(3)).pow(4);

describe('BasisCache in memory', () => {
  it('a second request is a memory hit with the same basis', async () => {
    const cache = new BasisCache();
    const a = await cache.invariantBasis(rep);
    const b = await cache.invariantBasis(V(SO(3)).pow(4));
    expect(a.cache.source).toBe('computed');
    expect(b.cache.source).toBe('memory');
    expect(b.cache.key).toBe(a.cache.key);
    expect(b.dimension).toBe(3);
    expect(relErr(b.basis, a.basis)).toBe(0);
    expect(cache.invariantBasisSync(rep).cache.source).toBe('memory');
  });

  it('a changed tolerance is a different key and a miss', async () => {
    const cache = new BasisCache();
    await cache.invariantBasis(rep);
    const c = await cache.invariantBasis(rep, { rtol: 1e-8 });
    expect(c.cache.source).toBe('computed');
    expect(basisCacheKey(rep, { rtol: 1e-8 })).not.toBe(basisCacheKey(rep));
    expect(cache.size).toBe(2);
  });

  it('custom representations with the same name but different matrices get different keys', () => {
    const g = SO(2);
    const j = Matrix.from([[0, -1], [1, 0]]);
    const a = customRepresentation({ group: g, dim: 2, drho: [j], name: 'R' });
    const b = customRepresentation({ group: g, dim: 2, drho: [j.scale(2)], name: 'R' });
    expect(basisCacheKey(a)).not.toBe(basisCacheKey(b));
  });

  it('custom representations with different dρ never share an entry: hom(a ⊕ b, a) has dimension 2, hom(b ⊕ b, a) 0', async () => {
    // SO(2) with dρ = J (a) and dρ = 2J (b): both 2-dimensional, once with the same key and a shared entry.
    const g = SO(2);
    const j = Matrix.from([[0, -1], [1, 0]]);
    const a = customRepresentation({ group: g, dim: 2, drho: [j] });
    const b = customRepresentation({ group: g, dim: 2, drho: [j.scale(2)] });
    const cache = new BasisCache();
    const ab = await cache.equivariantBasis(directSum(a, b), a);
    const bb = await cache.equivariantBasis(directSum(b, b), a);
    expect(ab.dimension).toBe(2);
    expect(bb.dimension).toBe(0);
    expect(bb.cache.source).toBe('computed');
    expect(bb.cache.key).not.toBe(ab.cache.key);
    // Identical matrices (built separately) are the same representation: one entry serves both.
    const a2 = customRepresentation({ group: g, dim: 2, drho: [Matrix.from([[0, -1], [1, 0]])] });
    const again = await cache.equivariantBasis(directSum(a2, b), a2);
    expect(again.cache.source).toBe('memory');
    expect(again.dimension).toBe(2);
    expect(basisCacheKey(hom(directSum(a2, b), a2))).toBe(ab.cache.key);
  });

  it('evicts the least recently used entry beyond maxEntries', () => {
    const cache = new BasisCache({ maxEntries: 1 });
    cache.invariantBasisSync(rep);
    cache.invariantBasisSync(V(SO(3)).pow(2));
    expect(cache.size).toBe(1);
    expect(cache.invariantBasisSync(rep).cache.source).toBe('computed');
  });
});

describe('BasisCache on disk (fileBasisStore)', () => {
  it('a new cache on the same directory reads the entry back (disk hit), bit-exact', async () => {
    const dir = tempDir();
    const first = await new BasisCache({ store: fileBasisStore({ dir }) }).invariantBasis(rep);
    const second = await new BasisCache({ store: fileBasisStore({ dir }) }).invariantBasis(rep);
    expect(first.cache.source).toBe('computed');
    expect(second.cache.source).toBe('store');
    expect(relErr(second.basis, first.basis)).toBe(0);
    expect(second.method).toBe(first.method);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it.each([
    ['a flipped byte', (b: Buffer) => {
      b[b.length - 40] = b[b.length - 40]! ^ 0xff;
      return b;
    }],
    ['truncation', (b: Buffer) => b.subarray(0, b.length - 100)],
  ])('a corrupted entry (%s) is reported, recomputed and rewritten, never trusted', async (_name, corrupt) => {
    const dir = tempDir();
    await new BasisCache({ store: fileBasisStore({ dir }) }).invariantBasis(rep);
    const file = join(dir, `${basisCacheKey(rep)}.lsb`);
    writeFileSync(file, corrupt(readFileSync(file)));
    const reports: string[] = [];
    const r = await new BasisCache({ store: fileBasisStore({ dir }), onCorrupt: (i) => reports.push(i.reason) }).invariantBasis(rep);
    expect(reports.length).toBe(1);
    expect(r.cache.corruptEntry).toBe(true);
    expect(r.cache.source).toBe('computed');
    expect(r.dimension).toBe(3);
    expect(relErr(r.basis, invariantBasis(rep).basis)).toBeLessThan(1e-12);
    const again = await new BasisCache({ store: fileBasisStore({ dir }) }).invariantBasis(rep);
    expect(again.cache.source).toBe('store');
  });

  it('decodeBasisEntry rejects a wrong key and garbage', () => {
    const key = basisCacheKey(rep);
    const bytes = encodeBasisEntry(key, invariantBasis(rep));
    expect(decodeBasisEntry(bytes, key).ok).toBe(true);
    expect(decodeBasisEntry(bytes, '0123456789abcdef')).toMatchObject({ ok: false });
    expect(decodeBasisEntry(new Uint8Array(64), key)).toMatchObject({ ok: false });
  });

  it('concurrent writers (interleaved async writes of different contents) leave one complete, valid entry', async () => {
    const dir = tempDir();
    const key = basisCacheKey(rep);
    const good = invariantBasis(rep);
    // Twelve writers race: each writes a valid entry (bases differing by sign) through its own store.
    const variants = Array.from({ length: 12 }, (_, i) => ({ ...good, basis: good.basis.scale(i % 2 === 0 ? 1 : -1) }));
    await Promise.all(variants.map((v) => fileBasisStore({ dir }).write(key, encodeBasisEntry(key, v))));
    const d = decodeBasisEntry(new Uint8Array(readFileSync(join(dir, `${key}.lsb`))), key);
    expect(d.ok).toBe(true);
    expect(readdirSync(dir)).toEqual([`${key}.lsb`]);
    // And full caches racing on the same directory.
    const results = await Promise.all(Array.from({ length: 6 }, () => new BasisCache({ store: fileBasisStore({ dir: tempDirShared }) }).invariantBasis(rep)));
    expect(results.every((r) => r.dimension === 3)).toBe(true);
    const after = await new BasisCache({ store: fileBasisStore({ dir: tempDirShared }) }).invariantBasis(rep);
    expect(after.cache.source).toBe('store');
  });

  it('fileBasisStore without a directory or LIESYM_CACHE_DIR throws a typed error', () => {
    const saved = process.env['LIESYM_CACHE_DIR'];
    delete process.env['LIESYM_CACHE_DIR'];
    try {
      expect(() => fileBasisStore()).toThrow(/LIESYM_CACHE_DIR/);
    } finally {
      if (saved !== undefined) process.env['LIESYM_CACHE_DIR'] = saved;
    }
  });
});

const tempDirShared = tempDir();

describe('the disk store stays out of the browser entry', () => {
  it("the main entry's import graph never reaches src/node.ts or a node: module", () => {
    const src = join(fileURLToPath(new URL('.', import.meta.url)), '..', 'src');
    const seen = new Set<string>();
    const offenders: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/from\s+'([^']+)'/g)) {
        const spec = m[1]!;
        if (spec.startsWith('node:')) offenders.push(`${file}: ${spec}`);
        if (spec.startsWith('.')) visit(join(dirname(file), spec.replace(/\.js$/, '.ts')));
      }
    };
    visit(join(src, 'index.ts'));
    expect(seen.size).toBeGreaterThan(20);
    expect([...seen].some((f) => f.endsWith(join('src', 'node.ts')))).toBe(false);
    expect([...seen].some((f) => f.endsWith(join('cache', 'BasisCache.ts')))).toBe(true);
    expect(offenders).toEqual([]);
  });
});
