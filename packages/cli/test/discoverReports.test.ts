/**
 * `liesym analyze --transforms … --discover` and the --report pages of the discovery analysis
 * (`analyze --candidate`) and of `check --group`, driven as a user runs them, on models built in code.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
const count = (html: string, re: RegExp): number => html.match(re)?.length ?? 0;

let dir = '';
let standardized = '';
let norm = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'liesym-discover-'));
  // y = w·(x − x̄)/‖x − x̄‖ on [N, 1, 8, 8]: adding a constant (brightness) or scaling about the mean
  // (contrast) leaves y exactly unchanged; a fixed random w breaks every geometric transform (a
  // percent of shear on 8×8 pixels changes y by ≈ 6e-3, float32 rounding by ≈ 1e-7: --tolerance 1e-3).
  standardized = onnxModel({
    inputs: [{ name: 'x', dims: ['N', 1, 8, 8] }],
    outputs: [{ name: 'y', dims: ['N', 1, 1, 1] }],
    initializers: [
      { name: 'w', dims: [1, 8, 8], data: normalVector(64, { seed: 21 }) },
      { name: 'axes', dims: [3], data: [1, 2, 3], dtype: 'int64' },
    ],
    nodes: [
      { op: 'ReduceMean', inputs: ['x'], outputs: ['m'], attrs: { axes: [1, 2, 3], keepdims: 1 } },
      { op: 'Sub', inputs: ['x', 'm'], outputs: ['d'] },
      { op: 'Mul', inputs: ['d', 'w'], outputs: ['dw'] },
      { op: 'ReduceSum', inputs: ['dw', 'axes'], outputs: ['num'], attrs: { keepdims: 1 } },
      { op: 'ReduceSumSquare', inputs: ['d'], outputs: ['q'], attrs: { axes: [1, 2, 3], keepdims: 1 } },
      { op: 'Sqrt', inputs: ['q'], outputs: ['r'] },
      { op: 'Div', inputs: ['num', 'r'], outputs: ['y'] },
    ],
  }).writeTo(join(dir, 'standardized.onnx'));
  // ‖x‖² on R³: SO(3)-invariant.
  norm = onnxModel({ inputs: [{ name: 'x', dims: ['N', 3] }], outputs: [{ name: 'e', dims: ['N', 1] }], nodes: [{ op: 'ReduceSumSquare', inputs: ['x'], outputs: ['e'], attrs: { keepdims: 1, axes: [1] } }] }).writeTo(
    join(dir, 'norm.onnx'),
  );
});

describe('liesym analyze --transforms --discover', () => {
  it('prints the spectrum and the span {brightness, contrast} after the table; --json has discovery', () => {
    const r = liesym(['analyze', standardized, '--transforms', 'image', '--discover', '--samples', '16', '--tolerance', '0.001']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const after = r.stdout.slice(r.stdout.indexOf('relative error = RMS'));
    expect(after).toMatch(/^discovery +dimension 2 of 8 \(σ ≤ threshold 0\.001000, the tolerance, counts as zero; gap \S+\)$/m);
    expect(after).toMatch(/^ {2}1\.00·brightness$/m);
    expect(after).toMatch(/^ {2}1\.00·contrast$/m);
    expect(after).toMatch(/^closure +undetermined: contrast has no field generator/m);
    expect(after).toMatch(/^left out +shear-y = 1\.00·shear-x \+ 0\.57·rotation/m);
    // Eight singular values, the first two in the span.
    expect(after.match(/^ +\d+ +\S+ +yes$/gm)).toHaveLength(2);
    expect(after.match(/^ +\d+ +\S+ *$/gm)).toHaveLength(6);

    const j = JSON.parse(liesym(['analyze', standardized, '--transforms', 'image', '--discover', '--samples', '16', '--tolerance', '0.001', '--json', '-']).stdout) as {
      discovery: { spectrum: number[]; dimension: number; threshold: number; basis: Array<Record<string, number>>; closure: { closed: boolean | null }; dependent: Array<{ name: string }> };
      transforms: Array<{ name: string; error: number }>;
    };
    const d = j.discovery;
    expect(d.dimension).toBe(2);
    expect(d.threshold).toBe(0.001);
    expect(d.spectrum).toHaveLength(8);
    expect(d.spectrum[1]!).toBeLessThan(1e-3);
    expect(d.spectrum[2]!).toBeGreaterThan(0.001);
    expect(d.basis.map((b) => Object.entries(b).filter(([, v]) => Math.abs(v) > 0.99).map(([n]) => n)).flat().sort()).toEqual(['brightness', 'contrast']);
    expect(d.closure.closed).toBeNull();
    expect(d.dependent.map((x) => x.name)).toEqual(['shear-y']);
    // The two transforms in the span are the ones whose own verdicts hold.
    expect(j.transforms.filter((t) => t.error <= 0.001).map((t) => t.name)).toEqual(['brightness', 'contrast']);
  });

  it('--report adds the spectrum (one bar per singular value) and the found combinations; --discover without --transforms is refused', () => {
    const report = join(dir, 'transforms.html');
    const r = liesym(['analyze', standardized, '--transforms', 'image', '--discover', '--samples', '16', '--tolerance', '0.001', '--report', report]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(report, 'utf8');
    expect(count(html, /<rect class="bar"/g)).toBe(9);
    expect(count(html, /<rect class="sv"/g)).toBe(8);
    expect(html).toMatch(/threshold 0\.00100 \(log scale\); dimension 2, gap/);
    expect(html).toContain('<li><code>1.00·brightness</code></li>');
    expect(html).toContain('<dt>output</dt>');
    expect(html).toContain('<dt>tolerance</dt><dd>0.001000</dd>');
    // With input files: the first one drawn, what each of the 9 transforms changes in it, and each found combination.
    for (let i = 0; i < 16; i++) {
      const img = Array.from({ length: 8 }, (_, y) => Array.from({ length: 8 }, (_, x) => Math.sin(0.3 * x * (i + 1) + 0.5 * y) + 0.1 * i));
      writeFileSync(join(dir, `img${String(i).padStart(2, '0')}.json`), JSON.stringify([img]));
    }
    const filed = join(dir, 'filed.html');
    const f = liesym(['analyze', standardized, '--transforms', 'image', '--discover', '--tolerance', '0.001', '--inputs', join(dir, 'img*.json'), '--report', filed]);
    expect(f.code, f.stderr).toBe(0);
    const page = readFileSync(filed, 'utf8');
    expect(count(page, /<img /g)).toBe(1 + 9 + 2);
    expect(page).toContain('<figcaption>rotation: d/dt g_t·x</figcaption>');
    expect(page).toContain('<figcaption>found: 1.00·contrast</figcaption>');
    expect(page).toContain('<dt>inputs</dt><dd>16 files from');
    const bad = liesym(['analyze', standardized, '--discover']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--discover needs --transforms/);
  });
});

describe('--report for analyze --candidate and check --group', () => {
  it('analyze: the spectrum of the discover matrix with the cut at dimension 3 (so(3)), the generators found; an existing page is refused and unchanged', () => {
    const report = join(dir, 'discover.html');
    const r = liesym(['analyze', norm, '--samples', '64', '--report', report]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^dimension +3 — the symmetry algebra is so\(3\)$/m);
    const html = readFileSync(report, 'utf8');
    expect(count(html, /<rect class="sv"/g)).toBe(9);
    expect(count(html, /<rect class="bar"/g)).toBe(0);
    // The three σ in the nullspace are drawn green, the six above grey.
    expect(count(html, /class="sv"[^>]*fill="#4a8f4a"/g)).toBe(3);
    expect(count(html, /<li><code>ξ\d/g)).toBe(3);
    expect(html).toMatch(/dimension 3, gap/);
    expect(html).toContain('<dt>inputs</dt><dd>random: 64 draws of normalSampler');
    expect(html).toMatch(/<dt>output<\/dt><dd>e /);
    expect(html).toMatch(/<dt>tolerance<\/dt><dd>σ ≤ \S+ counts as zero \(rtol /);
    const again = liesym(['analyze', norm, '--samples', '64', '--report', report]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--report/);
    expect(readFileSync(report, 'utf8')).toBe(html);
  });

  it('a constant model: every σ and the threshold are 0, all 9 candidates found, and the page still draws finite bars', () => {
    const zero = onnxModel({
      inputs: [{ name: 'x', dims: ['N', 3] }],
      outputs: [{ name: 'z', dims: ['N', 1] }],
      initializers: [{ name: 'o', dims: [], data: [0] }],
      nodes: [
        { op: 'Mul', inputs: ['x', 'o'], outputs: ['x0'] },
        { op: 'ReduceSumSquare', inputs: ['x0'], outputs: ['z'], attrs: { keepdims: 1, axes: [1] } },
      ],
    }).writeTo(join(dir, 'zero.onnx'));
    const report = join(dir, 'zero.html');
    const r = liesym(['analyze', zero, '--samples', '16', '--report', report]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^dimension +9/m);
    const html = readFileSync(report, 'utf8');
    expect(count(html, /<rect class="sv"/g)).toBe(9);
    const svg = html.slice(html.indexOf('<h2>Spectrum</h2>'), html.indexOf('</svg>'));
    expect(svg).toContain('dimension 9, gap ∞');
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  it('check --group: a bar per generator with its verdict, the tolerance and the inputs line; an existing page is refused and unchanged', () => {
    const report = join(dir, 'check.html');
    const r = liesym(['check', norm, '--group', 'SO3', '--samples', '32', '--report', report]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(report, 'utf8');
    expect(count(html, /<rect class="bar"/g)).toBe(3);
    expect(count(html, /<rect class="bar"[^>]*fill="#4a8f4a"/g)).toBe(3);
    expect(count(html, /<rect class="sv"/g)).toBe(0);
    expect(html).toContain('<h2>Per generator</h2>');
    expect(html).toMatch(/<dt>group<\/dt><dd>SO\(3\): V\[SO\(3\)\] → Scalar \(3 generators, 0 discrete\)<\/dd>/);
    expect(html).toMatch(/<dt>verdict<\/dt><dd>holds: all 3 generators/);
    expect(html).toContain('<dt>inputs</dt><dd>random: 32 draws of normalSampler');
    const placed = join(dir, 'placed.html');
    writeFileSync(placed, 'mine');
    const again = liesym(['check', norm, '--group', 'SO3', '--samples', '32', '--report', placed]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/--report.*--force/);
    expect(readFileSync(placed, 'utf8')).toBe('mine');
  });
});
