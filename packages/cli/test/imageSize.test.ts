/**
 * `--image-size` on a model whose image input has dynamic height and width (as PP-OCR's
 * x [N, 3, ?, ?]): the shape comes from the flag, no --shape needed; the discrete check and the
 * named transforms run on the PNG files.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSampleInputs } from '@liesym/core/node';
import { onnxModel } from '@liesym/test-utils/onnx';

const bin = fileURLToPath(new URL('../bin/liesym.js', import.meta.url));
let dir = '';
let pooled = '';
let identity = '';

function liesym(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000, cwd: dir, env: { ...process.env, LIESYM_DEBUG: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'liesym-cli-image-size-'));
  // y = per-channel mean of x: invariant under every pixel permutation, so under the 180° turn.
  pooled = onnxModel({
    inputs: [{ name: 'x', dims: ['N', 3, 'H', 'W'], dtype: 'float32' }],
    outputs: [{ name: 'y', dims: ['N', 3, 1, 1], dtype: 'float32' }],
    nodes: [{ op: 'GlobalAveragePool', inputs: ['x'], outputs: ['y'] }],
  }).writeTo(join(dir, 'pooled.onnx'));
  identity = onnxModel({
    inputs: [{ name: 'x', dims: ['N', 3, 'H', 'W'], dtype: 'float32' }],
    outputs: [{ name: 'y', dims: ['N', 3, 'H', 'W'], dtype: 'float32' }],
    nodes: [{ op: 'Identity', inputs: ['x'], outputs: ['y'] }],
  }).writeTo(join(dir, 'identity.onnx'));
  for (let k = 0; k < 4; k++) {
    const img = new PNG({ width: 16, height: 6 });
    for (let p = 0; p < 96; p++) img.data.set([(29 * p + 40 * k) % 256, (7 * p) % 256, 255 - ((3 * p * (k + 1)) % 256), 255], 4 * p);
    writeFileSync(join(dir, `line${k}.png`), PNG.sync.write(img));
  }
});

describe('--image-size fixes dynamic image dims', () => {
  const files = (): string[] => ['--inputs', join(dir, 'line*.png'), '--image-size', '8x3', '--channels', 'bgr', '--mean', '0.5', '--std', '0.5'];

  it('check --transform rotate180 on PNG files without --shape: the input is [3, 3, 8] and the turn holds', () => {
    const r = liesym(['check', pooled, ...files(), '--transform', 'rotate180', '--transform', 'flip-horizontal', '--json', '-']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^model {10}.*x \[3, 3, 8\] float32 → y \[3, 1, 1\]/m);
    expect(r.stderr).toMatch(/^inputs {9}4 files from /m);
    const json = JSON.parse(r.stdout) as { discrete: Array<{ name: string; residual: number; verdict: string }>; inputs: { kind: string; count: number } };
    expect(json.inputs).toMatchObject({ kind: 'files', count: 4 });
    expect(json.discrete.map((d) => d.name)).toEqual(['rotate180', 'flip-horizontal']);
    for (const d of json.discrete) expect(d.residual).toBeLessThan(1e-6);
  });

  it('analyze --transforms brightness on the files: the channel means move by exactly 1 % of the pixel range per percent', () => {
    const r = liesym(['analyze', pooled, ...files(), '--transforms', 'brightness', '--pixel-range', '2', '--json', '-']);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { transforms: Array<{ name: string; perUnit: number; unit: string }>; samples: number };
    expect(json.samples).toBe(4);
    const t = json.transforms[0]!;
    expect(t.name).toBe('brightness');
    expect(t.unit).toBe('percent');
    // Brightness adds 0.01·range = 0.02 to every pixel per percent: each of the 3 means moves by 0.02, ‖Δy‖ = 0.02·√3.
    expect(t.perUnit).toBeCloseTo(0.02 * Math.sqrt(3), 4);
    // With one --std 0.5 and no --pixel-range the range is 1/0.5 = 2: the same number.
    const auto = liesym(['analyze', pooled, ...files(), '--transforms', 'brightness', '--json', '-']);
    expect(auto.stderr).toMatch(/^pixel range +2\.000 \(brightness is a percent of it\)$/m);
    expect((JSON.parse(auto.stdout) as { transforms: Array<{ perUnit: number }> }).transforms[0]!.perUnit).toBeCloseTo(0.02 * Math.sqrt(3), 4);
  });

  it('the identity model: rotate180 and flip-vertical residuals equal ‖h·x − x‖/‖x‖ computed by hand on the same files', () => {
    const r = liesym(['check', identity, ...files(), '--transform', 'rotate180', '--transform', 'flip-vertical', '--json', '-']);
    expect(r.code, r.stderr).toBe(1);
    const json = JSON.parse(r.stdout) as { discrete: Array<{ name: string; residual: number }> };
    const { samples } = readSampleInputs(join(dir, 'line*.png'), { sampleShape: [3, 3, 8], imageSize: { width: 8, height: 3 }, channels: 'bgr', mean: 0.5, std: 0.5 });
    const at = (s: number, [c, i, j]: readonly [number, number, number]): number => samples.get(s, (c * 3 + i) * 8 + j);
    const residual = (map: (i: number, j: number) => [number, number]): number => {
      let num = 0;
      let den = 0;
      for (let s = 0; s < 4; s++) {
        for (let c = 0; c < 3; c++) {
          for (let i = 0; i < 3; i++) {
            for (let j = 0; j < 8; j++) {
              const [a, b] = map(i, j);
              num += (at(s, [c, a, b]) - at(s, [c, i, j])) ** 2;
              den += at(s, [c, i, j]) ** 2;
            }
          }
        }
      }
      return Math.sqrt(num / den);
    };
    const expected = [residual((i, j) => [2 - i, 7 - j]), residual((i, j) => [2 - i, j])];
    expect(expected[0]).toBeGreaterThan(0.05);
    json.discrete.forEach((d, k) => expect(d.residual).toBeCloseTo(expected[k]!, 5));
  });

  it('--layout is validated for --transform without --inputs', () => {
    const r = liesym(['check', pooled, '--shape', 'x=1,3,3,8', '--transform', 'rotate180', '--layout', 'chw']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--layout must be nchw or nhwc; received 'chw'/);
  });

  it('without --image-size (or --shape) the dynamic dims are refused, naming them', () => {
    const r = liesym(['check', pooled, '--transform', 'rotate180']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/dynamic dim/);
  });
});

describe('--report (HTML)', () => {
  const files = (): string[] => ['--inputs', join(dir, 'line*.png'), '--image-size', '8x3', '--channels', 'bgr', '--mean', '0.5', '--std', '0.5'];

  it('check --transform writes one page with a bar per transform and the first file drawn as given and turned', () => {
    const report = join(dir, 'check.html');
    const r = liesym(['check', identity, ...files(), '--transform', 'rotate180', '--transform', 'flip-vertical', '--report', report]);
    expect(r.code, r.stderr).toBe(1);
    const html = readFileSync(report, 'utf8');
    expect(html.match(/<img /g)).toHaveLength(3);
    expect(html.match(/<rect /g)).toHaveLength(2);
    expect(html).toMatch(/<figcaption>rotate180<\/figcaption>/);
    expect(html).toMatch(/data:image\/png;base64,iVBORw0KGgo/);
    expect(html).toContain('transform          residual  verdict');
    // An existing report is refused without --force and left as it was.
    const again = liesym(['check', identity, ...files(), '--transform', 'rotate180', '--report', report]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--report/);
    expect(readFileSync(report, 'utf8')).toBe(html);
  });

  it('analyze --transforms writes the bars; --report - is refused', () => {
    const report = join(dir, 'analyze.html');
    const r = liesym(['analyze', pooled, ...files(), '--transforms', 'brightness,rotation', '--report', report]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(report, 'utf8');
    expect(html.match(/<rect /g)).toHaveLength(2);
    // The first file as read, and what brightness and rotation change in it (d/dt g_t·x).
    expect(html.match(/<img /g)).toHaveLength(3);
    expect(html).toContain('<figcaption>brightness: d/dt g_t·x</figcaption>');
    expect(html).toContain('<figcaption>rotation: d/dt g_t·x</figcaption>');
    const bad = liesym(['analyze', pooled, ...files(), '--transforms', 'rotation', '--report', '-']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--report must be a file path/);
  });
});
