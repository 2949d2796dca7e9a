import { chmodSync, linkSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, OutputExistsError, OutputWriteError } from '../src/index.js';
import { checkOutputFiles, writeOutputFiles } from '../src/node.js';

const scratch = (): string => mkdtempSync(join(tmpdir(), 'liesym-out-'));

describe('writeOutputFiles', () => {
  it('writes new files, refuses existing ones without force and replaces them with force', () => {
    const dir = scratch();
    const out = join(dir, 'a.json');
    writeOutputFiles([{ path: out, data: '{"a":1}\n' }]);
    expect(readFileSync(out, 'utf8')).toBe('{"a":1}\n');
    expect(() => writeOutputFiles([{ path: out, data: 'x' }], { forceHint: '--force' })).toThrow(/already exists; pass --force to replace it/);
    expect(readFileSync(out, 'utf8')).toBe('{"a":1}\n');
    writeOutputFiles([{ path: out, data: 'y' }], { force: true });
    expect(readFileSync(out, 'utf8')).toBe('y');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('never writes onto an input: same path, a symlink to it, a hard link to it, even with force', () => {
    const dir = scratch();
    const input = join(dir, 'model.onnx');
    writeFileSync(input, 'model');
    symlinkSync(input, join(dir, 'sym.onnx'));
    linkSync(input, join(dir, 'hard.onnx'));
    for (const out of [input, join(dir, 'sym.onnx'), join(dir, 'hard.onnx'), join(dir, '.', 'model.onnx')]) {
      expect(() => writeOutputFiles([{ path: out, data: 'x' }], { inputs: [input], force: true })).toThrow(OutputExistsError);
    }
    expect(readFileSync(input, 'utf8')).toBe('model');
  });

  it('refuses a missing folder, a folder as output, duplicate outputs and a non-boolean force, before writing anything', () => {
    const dir = scratch();
    expect(() => checkOutputFiles([join(dir, 'no', 'x.json')])).toThrow(/folder of output .* must exist/);
    expect(() => checkOutputFiles([dir])).toThrow(InvalidArgumentError);
    expect(() => writeOutputFiles([{ path: join(dir, 'a'), data: '1' }, { path: join(dir, '.', 'a'), data: '2' }])).toThrow(/must be different files/);
    expect(() => checkOutputFiles([join(dir, 'a')], { force: 'false' as unknown as boolean })).toThrow(/'force' must be a boolean; received "false"/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it.skipIf(process.getuid?.() === 0)('a failed write (read-only folder) leaves nothing behind (skipped as root: root writes anyway)', () => {
    const dir = scratch();
    chmodSync(dir, 0o555);
    expect(() => writeOutputFiles([{ path: join(dir, 'a'), data: '1' }])).toThrow(OutputWriteError);
    chmodSync(dir, 0o755);
    expect(readdirSync(dir)).toEqual([]);
  });
});
