/** `liesym check --transform …` (discrete index-map checks) and the `output` line, on the built bin. */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalVector } from '@liesym/test-utils';
import { onnxModel } from '@liesym/test-utils/onnx';

const bin = fileURLToPath(new URL('../bin/liesym.js', import.meta.url));

function liesym(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000, cwd: dir, env: { ...process.env, LIESYM_DEBUG: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const sha = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');

let dir = '';
let good = '';
let bad = '';

/** x [N, 1, 2, 4] → Flatten → MatMul W (8×2) → 'logits' → Softmax 'probs'; `swap`: column 1 is column 0 turned by 180°. */
function turnModel(path: string, options: { swap: boolean }): string {
  const w0 = normalVector(8, { seed: 31 });
  const w1 = normalVector(8, { seed: 32 });
  const W = new Float64Array(16);
  for (let i = 0; i < 8; i++) {
    W[i * 2] = w0[i]!;
    W[i * 2 + 1] = options.swap ? w0[7 - i]! : w1[i]!;
  }
  return onnxModel({
    inputs: [{ name: 'x', dims: ['N', 1, 2, 4] }],
    outputs: [{ name: 'probs', dims: ['N', 2] }],
    initializers: [{ name: 'W', dims: [8, 2], data: W }],
    nodes: [
      { op: 'Flatten', inputs: ['x'], outputs: ['f'], attrs: { axis: 1 } },
      { op: 'MatMul', inputs: ['f', 'W'], outputs: ['logits'] },
      { op: 'Softmax', inputs: ['logits'], outputs: ['probs'], name: 'head', attrs: { axis: 1 } },
    ],
  }).writeTo(path);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'liesym-discrete-'));
  good = turnModel(join(dir, 'swap.onnx'), { swap: true });
  bad = turnModel(join(dir, 'noswap.onnx'), { swap: false });
});

describe('liesym check --transform', () => {
  it('exits 0 when the 180° turn swaps the outputs, names the analyzed logits, and leaves the model unchanged', () => {
    const before = sha(good);
    const r = liesym(['check', good, '--transform', 'rotate180', '--output-permutation', '1,0', '--samples', '16']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/output\s+logits — logits: the input of Softmax node 'head' that produces graph output 'probs'/);
    expect(r.stdout).toMatch(/rotate180\s+\S+\s+holds/);
    expect(r.stdout).toMatch(/^inputs +random: 16 draws of normalSampler \(standard normal\) \(seed 0\)$/m);
    expect(sha(good)).toBe(before);
  });

  it('exits 1 when it is broken, one row per transform', () => {
    const r = liesym(['check', bad, '--transform', 'rotate180', '--transform', 'flip-horizontal', '--output-permutation', '1,0', '--samples', '16']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/rotate180\s+\S+\s+broken/);
    expect(r.stdout).toMatch(/flip-horizontal\s+\S+\s+broken/);
    expect(r.stdout).toMatch(/verdict\s+broken: rotate180, flip-horizontal/);
  });

  it('writes discrete, tolerance, output and samples in --json', () => {
    const r = liesym(['check', good, '--transform', 'rotate180', '--transform', 'flip-vertical', '--output-permutation', '1,0', '--samples', '8', '--tolerance', '0.01', '--json', '-']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { discrete: Array<{ name: string; residual: number; verdict: string }>; tolerance: number; output: string; samples: number };
    expect(j.discrete.map((d) => [d.name, d.verdict])).toEqual([
      ['rotate180', 'holds'],
      ['flip-vertical', 'broken'],
    ]);
    expect(j.discrete[0]!.residual).toBeLessThan(1e-5);
    expect(j.tolerance).toBe(0.01);
    expect(j.output).toBe('logits');
    expect(j.samples).toBe(8);
    expect(r.stderr).toMatch(/rotate180/);
  });

  it('exits 2 with one clear line for bad flags', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--transform', 'spin'], /--transform must be one of flip-horizontal/],
      [['--transform', 'rotate180', '--output-permutation', '1,1'], /--output-permutation must be a permutation of 0\.\.1/],
      [['--transform', 'rotate180', '--output-permutation', 'a,b'], /--output-permutation must be output indices/],
      [['--transform', 'rotate180', '--output-permutation', '2,1,0'], /permute the model's 2 outputs/],
      [['--transform', 'rotate90'], /'rotate90' needs a square image.*\[1, 2, 4\]/],
      [['--transform', 'time-reversal'], /'time-reversal' needs a signal input/],
      [['--transform', 'rotate180', '--group', 'SO3'], /without --group/],
      [['--output-permutation', '1,0'], /needs at least one --transform/],
      [['--transform', 'rotate180', '--tolerance', '2'], /--tolerance must be a number between 0 and 1/],
    ];
    for (const [flags, pattern] of cases) {
      const r = liesym(['check', good, ...flags]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
  });

  it('prints the output line in analyze, and --output keeps the probabilities', () => {
    const r = liesym(['analyze', good, '--candidate', 'gl-input', '--samples', '64', '--json', '-']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/output\s+logits — logits: the input of Softmax node 'head'/);
    expect((JSON.parse(r.stdout) as { output: string }).output).toBe('logits');
    const q = liesym(['check', good, '--output', 'probs', '--transform', 'rotate180', '--output-permutation', '1,0', '--samples', '4']);
    expect(q.code, q.stderr).toBe(0);
    expect(q.stdout).toMatch(/output\s+probs — asked for: graph output 'probs'/);
  });
});
