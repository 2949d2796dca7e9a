/** `liesym analyze --transforms` driven as a user runs it, on models built in code. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalVector } from '@liesym/test-utils';
import { onnxModel } from '@liesym/test-utils/onnx';

const bin = fileURLToPath(new URL('../bin/liesym.js', import.meta.url));
const liesym = (args: string[]) => {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000, cwd: dir, env: { ...process.env, LIESYM_DEBUG: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
};

let dir = '';
let pooled = '';
let signal = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'liesym-transforms-'));
  // Zero-padded 3×3 conv → tanh → GlobalAveragePool on [N, 1, 24, 24]: nearly translation-invariant, not rotation-invariant.
  pooled = onnxModel({
    inputs: [{ name: 'x', dims: ['N', 1, 24, 24] }],
    outputs: [{ name: 'y', dims: ['N', 2, 1, 1] }],
    initializers: [
      { name: 'K', dims: [2, 1, 3, 3], data: normalVector(18, { seed: 3, scale: 0.5 }) },
      { name: 'b', dims: [2], data: [0.1, -0.2] },
    ],
    nodes: [
      { op: 'Conv', inputs: ['x', 'K', 'b'], outputs: ['c'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
      { op: 'Tanh', inputs: ['c'], outputs: ['t'] },
      { op: 'GlobalAveragePool', inputs: ['t'], outputs: ['y'] },
    ],
  }).writeTo(join(dir, 'pooled.onnx'));
  signal = onnxModel({ inputs: [{ name: 's', dims: ['N', 16] }], outputs: [{ name: 'e', dims: ['N', 1] }], nodes: [{ op: 'ReduceSumSquare', inputs: ['s'], outputs: ['e'], attrs: { keepdims: 1, axes: [1] } }] }).writeTo(
    join(dir, 'energy.onnx'),
  );
});

describe('liesym analyze --transforms', () => {
  it('prints one row per image transform and compares a pixel of translation with a degree of rotation', () => {
    const r = liesym(['analyze', pooled, '--transforms', 'image', '--samples', '8', '--seed', '1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const name of ['translation-x', 'translation-y', 'rotation', 'scaling', 'shear-x', 'shear-y', 'hyperbolic-rotation', 'brightness', 'contrast']) {
      expect(r.stdout).toMatch(new RegExp(`^  ${name} +\\S+ +\\S+ / (pixel|degree|percent)  (holds|broken)$`, 'm'));
    }
    expect(r.stdout).not.toMatch(/saturation/);
    expect(r.stdout).toMatch(/a degree of rotation changes the output|a pixel of translation \(translation-[xy]\) changes the output/);
    expect(r.stdout).toMatch(/^action +invariance: the output y is not transformed/m);
  });

  it('--json has transforms, tolerance, samples and output; the same seed gives the same numbers', () => {
    const args = ['analyze', signal, '--transforms', 'signal', '--samples', '4', '--tolerance', '0.05', '--json', '-'];
    const a = liesym(args);
    expect(a.code).toBe(0);
    const j = JSON.parse(a.stdout) as { transforms: Array<{ name: string; error: number; perUnit: number; unit: string; verdict: string }>; tolerance: number; samples: number; output: string };
    expect(j.transforms.map((t) => t.name)).toEqual(['time-shift', 'time-scaling', 'gain']);
    expect(j.tolerance).toBe(0.05);
    expect(j.samples).toBe(4);
    expect(j.output).toBe('e');
    const gain = j.transforms.find((t) => t.name === 'gain')!;
    // Σ s² grows by 2·0.01·Σ s² per percent of gain: relative 0.02 (float32 finite differences).
    expect(gain.error).toBeCloseTo(0.02, 3);
    expect(gain.unit).toBe('percent');
    expect(gain.verdict).toBe('holds');
    expect(JSON.parse(liesym(args).stdout)).toEqual(j);
  });

  it('names, NHWC on a non-image and bad flags are refused with exit 2', () => {
    const one = liesym(['analyze', pooled, '--transforms', 'rotation,brightness', '--samples', '2', '--json', join(dir, 'r.json')]);
    expect(one.code).toBe(0);
    expect((JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { transforms: Array<{ name: string }> }).transforms.map((t) => t.name)).toEqual(['rotation', 'brightness']);
    const bad = [
      [['analyze', pooled, '--transforms', 'twirl'], /unknown transform "twirl"/],
      [['analyze', pooled, '--transforms', 'saturation'], /needs 3 channels/],
      [['analyze', signal, '--transforms', 'image'], /image transforms need input 's'/],
      [['analyze', pooled, '--transforms', 'image', '--layout', 'CHW'], /--layout must be nchw or nhwc/i],
      [['analyze', pooled, '--layout', 'NCHW'], /--layout applies to the files of --inputs \(and to --transforms, --transform, --candidate image\)/],
      [['analyze', pooled, '--transforms', 'image', '--candidate', 'image'], /not both/],
    ] as const;
    for (const [args, pattern] of bad) {
      const r = liesym([...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(pattern);
    }
  });
});
