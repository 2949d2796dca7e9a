/**
 * A write that fails half-way (disk full), simulated by failing node:fs writeSync after some
 * bytes: it runs as root too, where a read-only folder does not stop a write.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

const disk = vi.hoisted(() => ({ bytesLeft: Infinity }));
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  // The writer calls writeSync(fd, data, offset, length): one rest parameter keeps that shape.
  const writeSync = (...[fd, data, offset, length]: [number, Uint8Array, number, number]): number => {
    if (disk.bytesLeft <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const n = Math.min(length, disk.bytesLeft);
    disk.bytesLeft -= n;
    return fs.writeSync(fd, data, offset, n);
  };
  return { ...fs, default: { ...fs, writeSync }, writeSync };
});

const { OutputWriteError } = await import('../src/index.js');
const { writeOutputFiles } = await import('../src/node.js');

afterEach(() => {
  disk.bytesLeft = Infinity;
});

describe('writeOutputFiles when the disk fills half-way', () => {
  it('leaves nothing behind: no temporary file, no first output, the existing file whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'liesym-full-'));
    const kept = join(dir, 'b.json');
    writeFileSync(kept, 'old contents');
    // Room for the first file (10 bytes) and half of the second.
    disk.bytesLeft = 10 + 6;
    expect(() =>
      writeOutputFiles([{ path: join(dir, 'a.json'), data: '0123456789' }, { path: kept, data: 'new contents, twelve+' }], { force: true }),
    ).toThrow(OutputWriteError);
    expect(readdirSync(dir)).toEqual(['b.json']);
    expect(readFileSync(kept, 'utf8')).toBe('old contents');
  });

  it('without force, removes nothing it did not write and says what failed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'liesym-full-'));
    disk.bytesLeft = 3;
    let message = '';
    try {
      writeOutputFiles([{ path: join(dir, 'c.json'), data: '{"c": 1}' }]);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/could not write '.*c\.json' \(ENOSPC: no space left on device, write\); nothing was left behind/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
