/** `liesym analyze --transforms … --layers`: lie-deriv's layer-wise attribution, driven as a user runs it. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
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
let masked = '';
let flat = '';
const H = 16;

/** conv → tanh, plus a 1×1 skip (residual), times a mask, pooled. */
function maskedNet(mask: (col: number) => number) {
  return onnxModel({
    inputs: [{ name: 'x', dims: ['N', 1, H, H] }],
    outputs: [{ name: 'y', dims: ['N', 2, 1, 1] }],
    initializers: [
      { name: 'K', dims: [2, 1, 3, 3], data: normalVector(18, { seed: 3, scale: 0.5 }) },
      { name: 'Ks', dims: [2, 1, 1, 1], data: [0.6, -0.3] },
      { name: 'M', dims: [1, 1, H, H], data: Array.from({ length: H * H }, (_, p) => mask(p % H)) },
    ],
    nodes: [
      { op: 'Conv', name: 'conv', inputs: ['x', 'K'], outputs: ['c'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
      { op: 'Tanh', name: 'tanh', inputs: ['c'], outputs: ['t'] },
      { op: 'Conv', name: 'skip', inputs: ['x', 'Ks'], outputs: ['k'], attrs: { kernel_shape: [1, 1] } },
      { op: 'Add', name: 'residual', inputs: ['t', 'k'], outputs: ['r'] },
      { op: 'Mul', name: 'mask', inputs: ['r', 'M'], outputs: ['m'] },
      { op: 'GlobalAveragePool', name: 'pool', inputs: ['m'], outputs: ['y'] },
    ],
  });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'liesym-layers-'));
  // A mask growing along x breaks translation-x; a constant one does not.
  masked = maskedNet((col) => 1 + col / 3).writeTo(join(dir, 'masked.onnx'));
  flat = maskedNet(() => 2).writeTo(join(dir, 'flat.onnx'));
});

describe('liesym analyze --transforms … --layers', () => {
  it('names the node that breaks the symmetry, with the closure of the parts, in the table and in --json', () => {
    const text = liesym(['analyze', masked, '--transforms', 'translation-x,brightness', '--layers', '--samples', '4', '--top', '3']);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^layers +lie-deriv's layer-wise attribution on 4 samples, step 0\.001000, \d+ graph runs$/m);
    expect(text.stdout).toMatch(/^ +6 nodes; 5 tensors moved as resampled grids, 0 held fixed \(not spatial\)$/m);
    // --top 3: three node rows under each transform, largest first.
    const block = text.stdout.split('\n  translation-x: ')[1]!.split('\n\n')[0]!.split('\n');
    expect(block[0]).toMatch(/^whole graph \S+ \(\S+ \/ pixel\); the parts add up to \S+, closure \S+ %; \d+ nodes? below the noise floor$/);
    expect(block[1]).toMatch(/^ {4}node +op +contribution +own defect$/);
    expect(block.length).toBe(5);
    const shown = block.slice(2).map((line) => Number(line.trim().split(/ +/)[2]));
    expect([...shown].sort((a, b) => b - a)).toEqual(shown);
    const json = liesym(['analyze', masked, '--transforms', 'translation-x,brightness', '--layers', '--samples', '4', '--json', '-']);
    expect(json.code).toBe(0);
    const j = JSON.parse(json.stdout) as {
      transforms: Array<{ name: string; perUnit: number }>;
      layers: { samples: number; transforms: Array<{ name: string; closure: number; total: { perUnit: number }; nodes: Array<{ name: string; error: number; propagated: boolean }> }> };
    };
    expect(j.layers.samples).toBe(4);
    const [shift, light] = j.layers.transforms;
    expect(shift!.nodes.map((n) => n.name)).toEqual(['conv', 'tanh', 'skip', 'residual', 'mask', 'pool']);
    expect(shift!.closure).toBeLessThan(0.02);
    // The ramp's defect M'·r is the mask's share; a constant mask has none (the same random fields, seed 0).
    expect(shift!.nodes.find((n) => n.name === 'mask')!.error).toBeGreaterThan(0.05);
    const still = JSON.parse(liesym(['analyze', flat, '--transforms', 'translation-x', '--layers', '--samples', '4', '--json', '-']).stdout) as typeof j;
    const constant = still.layers.transforms[0]!.nodes.find((n) => n.name === 'mask')!;
    expect(constant.propagated).toBe(false);
    expect(constant.error).toBe(0);
    // Brightness moves only the input: the two convs reading it carry it, nothing downstream.
    expect(light!.nodes.filter((n) => n.propagated).map((n) => n.name).sort()).toEqual(['conv', 'skip']);
    // The attribution's whole-graph error is the table's (same samples, its own smaller step: within 1 %).
    expect(Math.abs(shift!.total.perUnit - j.transforms[0]!.perUnit) / j.transforms[0]!.perUnit).toBeLessThan(0.01);
  });

  it('refuses --layers without --transforms and --top without --layers (exit 2)', () => {
    const a = liesym(['analyze', masked, '--layers']);
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--layers needs --transforms image\|signal\|NAMES/);
    const b = liesym(['analyze', masked, '--transforms', 'rotation', '--top', '3']);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--top needs --layers/);
    const c = liesym(['analyze', masked, '--transforms', 'rotation', '--layers', '--layer-samples', '0']);
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/--layer-samples/);
  });
});
