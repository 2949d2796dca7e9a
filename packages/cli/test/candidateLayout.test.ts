/** `liesym analyze --candidate image` reads an NHWC input as NHWC (guessed or --layout), as --transforms does. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { onnxModel } from '@liesym/test-utils/onnx';

const bin = fileURLToPath(new URL('../bin/liesym.js', import.meta.url));
const liesym = (args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, LIESYM_DEBUG: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};

let nhwc = '';

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'liesym-layout-'));
  // [N, 12, 10, 1] (H, W, C): the sum of squares over all pixels.
  nhwc = onnxModel({
    inputs: [{ name: 'x', dims: ['N', 12, 10, 1] }],
    outputs: [{ name: 'e', dims: ['N', 1] }],
    initializers: [{ name: 'ones', dims: [120, 1], data: new Array<number>(120).fill(1) }],
    nodes: [
      { op: 'Mul', inputs: ['x', 'x'], outputs: ['sq'] },
      { op: 'Flatten', inputs: ['sq'], outputs: ['flat'] },
      { op: 'MatMul', inputs: ['flat', 'ones'], outputs: ['e'] },
    ],
  }).writeTo(join(dir, 'nhwc.onnx'));
});

describe('analyze --candidate image and the input layout', () => {
  it('guesses NHWC for [12, 10, 1] (one channel: 5 generators), and --layout nchw reads 12 channels', () => {
    const guessed = liesym(['analyze', nhwc, '--candidate', 'image', '--samples', '6']);
    expect(guessed.stderr).toBe('');
    expect(guessed.code).toBe(0);
    expect(guessed.stdout).toMatch(/^candidate +image: 5 generators \(translation-x, translation-y, rotation, scaling, channel-in\[0,0\]\)/m);
    const asked = liesym(['analyze', nhwc, '--candidate', 'image', '--samples', '6', '--layout', 'nhwc']);
    expect(asked.stdout).toMatch(/^candidate +image: 5 generators/m);
    // Read as 12 channels of 10×1: gl(12) on the channels, 4 + 144 generators, too many for 6 samples.
    const channels = liesym(['analyze', nhwc, '--candidate', 'image', '--samples', '6', '--layout', 'nchw']);
    expect(channels.code).toBe(2);
    expect(channels.stderr).toMatch(/6 samples × 1 outputs = 6 rows for 148 generators/);
    expect(liesym(['analyze', nhwc, '--candidate', 'image', '--layout', 'hwc']).stderr).toMatch(/--layout must be nchw or nhwc; received 'hwc'/);
  });
});
