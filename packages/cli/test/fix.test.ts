/** `--fix NAME=v[,v…]`: another input held at given values (sample rates, states) instead of zeros. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { onnxModel } from '@liesym/test-utils/onnx';

const bin = fileURLToPath(new URL('../bin/liesym.js', import.meta.url));
let dir = '';
let scaled = '';

function liesym(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000, cwd: dir, env: { ...process.env, LIESYM_DEBUG: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'liesym-cli-fix-'));
  // y = s·x with a second input s [1]: SO(3)-equivariant for every s, and the output scale is |s|·RMS‖x‖.
  scaled = onnxModel({
    inputs: [
      { name: 'x', dims: ['N', 3], dtype: 'float32' },
      { name: 's', dims: [1], dtype: 'float32' },
    ],
    outputs: [{ name: 'y', dims: ['N', 3], dtype: 'float32' }],
    nodes: [{ op: 'Mul', inputs: ['x', 's'], outputs: ['y'] }],
  }).writeTo(join(dir, 'scaled.onnx'));
});

describe('--fix', () => {
  const check = (fix: string[]): { code: number; json: { outputScale: number; verdict: string } } => {
    const r = liesym(['check', scaled, '--group', 'SO3', '--in', 'V', '--out', 'V', '--samples', '16', ...fix.flatMap((f) => ['--fix', f]), '--json', '-']);
    expect(r.code, r.stderr).toBeLessThanOrEqual(1);
    return { code: r.code, json: JSON.parse(r.stdout) as { outputScale: number; verdict: string } };
  };

  it('holds s at the given value: the output scale is proportional to it (zeros without --fix)', () => {
    const two = check(['s=2']).json;
    const three = check(['s=3']).json;
    expect(two.verdict).toBe('holds');
    expect(three.outputScale / two.outputScale).toBeCloseTo(1.5, 6);
    expect(check([]).json.outputScale).toBe(0);
  });

  it.each([
    [['s=1,2'], /--fix s: input 's' has dims \[1\], so 1 values; received 2/],
    [['t=1'], /--fix: the model has no input 't'; its inputs are 'x', 's'/],
    [['s=abc'], /--fix must be NAME=v1,v2,… with finite numbers/],
    [['s=1', 's=2'], /--fix gives input 's' twice/],
  ])('refuses %j with exit 2', (fix, pattern) => {
    const r = liesym(['check', scaled, '--group', 'SO3', '--in', 'V', '--out', 'V', ...fix.flatMap((f) => ['--fix', f])]);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(pattern);
  });
});
