/**
 * The built `liesym` bin driven as a user runs it: spawned processes, exit codes, stdout and
 * stderr, and checksums of every file before and after each refusal.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalVector } from '@liesym/test-utils';
import { mlp, onnxModel } from '@liesym/test-utils/onnx';
import { brainJson, onnx, tfjsModel, writeJson } from './models.js';

const bin = fileURLToPath(new URL('../bin/liesym.js', import.meta.url));
const failWrites = fileURLToPath(new URL('./fixtures/failWrites.mjs', import.meta.url));
const lorentz = fileURLToPath(new URL('../../../apps/bench/data/lorentz-invariant.onnx', import.meta.url));
const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8')) as { version: string };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built bin in `dir` (optionally with the failing-write hook preloaded). */
function liesym(args: string[], options: { cwd?: string; failWrites?: boolean } = {}): Run {
  const pre = options.failWrites ? ['--import', failWrites] : [];
  const r = spawnSync(process.execPath, [...pre, bin, ...args], { encoding: 'utf8', timeout: 120_000, cwd: options.cwd ?? dir, env: { ...process.env, LIESYM_DEBUG: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const sha = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');
/** Every file of a folder with its checksum (what a refusal must leave exactly as it was). */
const snapshot = (d: string): Record<string, string> => Object.fromEntries(readdirSync(d).sort().map((f) => [f, sha(join(d, f))]));

/** A bad-input exit: code 2, nothing on stdout, one `liesym: …` line on stderr, no stack trace. */
function expectBadInput(r: Run, pattern: RegExp): void {
  expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
  expect(r.stderr).toMatch(/^liesym: /);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr).toMatch(pattern);
  expect(r.stdout).toBe('');
  expect(r.code).toBe(2);
}

let dir = '';
const models: Record<string, { good: string; bad: string; group: string[] }> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'liesym-cli-'));
  expect(existsSync(fileURLToPath(new URL('../dist/main.js', import.meta.url)))).toBe(true);
  models['onnx'] = { good: onnx.radial(join(dir, 'radial.onnx')), bad: onnx.anisotropic(join(dir, 'aniso.onnx')), group: ['--group', 'SO3', '--in', 'V', '--out', 'Scalar'] };
  models['brain.js'] = {
    good: writeJson(join(dir, 'net-sym.json'), brainJson({ symmetric: true })),
    bad: writeJson(join(dir, 'net.json'), brainJson({ symmetric: false })),
    group: ['--group', 'S3', '--in', 'V', '--out', 'Scalar'],
  };
  models['tfjs'] = {
    good: await tfjsModel(dir, { name: 'tf-sym', symmetric: true }),
    bad: await tfjsModel(dir, { name: 'tf', symmetric: false }),
    group: ['--group', 'S3', '--in', 'V', '--out', 'Scalar'],
  };
});

describe('help, version, usage', () => {
  it('--help, -h and help print the commands on stdout and exit 0; each command has --help with examples', () => {
    for (const args of [['--help'], ['-h']]) {
      const r = liesym(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^liesym — /);
      for (const c of ['analyze', 'check', 'layers', 'project', 'promote']) expect(r.stdout).toContain(`  ${c}`);
      expect(r.stdout).toMatch(/Exit status: 0 done .* 1 a checked symmetry is broken .* 2 bad input/s);
    }
    for (const c of ['analyze', 'check', 'layers', 'project', 'promote']) {
      const r = liesym([c, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^liesym ${c} MODEL`));
      expect(r.stdout).toMatch(/Examples?:\n {2}liesym /);
    }
    expect(liesym(['help', 'check']).stdout).toMatch(/^liesym check MODEL --group G/);
  });

  it('--version and -V print the package version', () => {
    expect(liesym(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    expect(liesym(['-V']).stdout).toBe(`${pkg.version}\n`);
  });

  it('no arguments: the usage on stderr and exit 2; unknown commands and flags exit 2 in one line', () => {
    const r = liesym([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^liesym — /);
    expectBadInput(liesym(['frobnicate']), /unknown command 'frobnicate'/);
    expectBadInput(liesym(['analyze', models['onnx']!.good, '--frobnicate', '1']), /Unknown option '--frobnicate'/);
    expectBadInput(liesym(['analyze']), /MODEL argument is missing/);
  });
});

describe('check is a gate: exit 0 when the symmetry holds, 1 when it is broken, on each model kind', () => {
  it.each(['onnx', 'brain.js', 'tfjs'])('%s', (kind) => {
    const m = models[kind]!;
    const good = liesym(['check', m.good, ...m.group]);
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(new RegExp(`model .*\\(${kind.replace('.', '\\.')}: `));
    expect(good.stdout).toMatch(/^verdict {8}holds: all \d+ generators/m);
    expect(good.stdout).toMatch(/relative = RMS over the samples/);
    const bad = liesym(['check', m.bad, ...m.group, '--json', '-']);
    expect(bad.code).toBe(1);
    // --json -: the JSON on stdout, the table on stderr.
    const report = JSON.parse(bad.stdout) as { verdict: string; tolerance: number; maxRelative: number; generators: Array<{ name: string; verdict: string }>; discrete: Array<{ verdict: string }> };
    expect(report.verdict).toBe('broken');
    expect(report.maxRelative).toBeGreaterThan(report.tolerance);
    expect(bad.stderr).toMatch(/^verdict {8}broken: /m);
  });

  it('ONNX: per-generator names and verdicts for SO(3) on g(x₀² + 2x₁² + x₂²); SO(1,3) holds on the bundled demo model', () => {
    const r = liesym(['check', models['onnx']!.bad, ...models['onnx']!.group, '--samples', '64', '--seed', '7']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/rotation-xy .* broken\n/);
    expect(r.stdout).toMatch(/rotation-xz .* holds\n/);
    expect(r.stdout).toMatch(/rotation-yz .* broken\n/);
    const demo = liesym(['check', lorentz, '--group', 'SO(3,1)', '--json', '-']);
    expect(demo.code).toBe(0);
    const j = JSON.parse(demo.stdout) as { group: string; tolerance: number; generators: Array<{ name: string; verdict: string }> };
    expect(j.group).toBe('SO(1,3)');
    expect(j.tolerance).toBe(1e-2); // core's TOLERANCES.check, finite differences, float32
    expect(j.generators.map((g) => g.name)).toEqual(['rotation-xy', 'rotation-xz', 'rotation-yz', 'boost-tx', 'boost-ty', 'boost-tz']);
    // A tighter --tolerance than the model's float32 finite differences reach: broken, exit 1.
    expect(liesym(['check', lorentz, '--group', 'SO13', '--tolerance', '1e-9']).code).toBe(1);
  });
});

describe('analyze on the three kinds', () => {
  it('ONNX demo model: so(1,3), 6 of 16 singular values in the nullspace', () => {
    const r = liesym(['analyze', lorentz, '--samples', '96', '--seed', '2', '--json', '-']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { dimension: number; identification: string; singularValues: number[]; determined: boolean; gap: number };
    expect(j.dimension).toBe(6);
    expect(j.identification).toBe('so(1,3)');
    expect(j.singularValues).toHaveLength(16);
    expect(j.determined).toBe(true);
    expect(j.gap).toBeGreaterThan(100);
    expect(r.stderr).toMatch(/dimension {6}6 — the symmetry algebra is so\(1,3\)/);
  });

  it.each(['brain.js', 'tfjs'])('%s: a network of x₀ + x₁ + x₂ has the 6-dimensional algebra {A : 1ᵀA = 0}', (kind) => {
    const r = liesym(['analyze', models[kind]!.good, '--seed', '1', '--json', '-']);
    expect(r.stderr).toMatch(/exact Jacobians/);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { dimension: number; kind: string; singularValues: number[] };
    expect(j.kind).toBe(kind);
    expect(j.dimension).toBe(6);
    expect(j.singularValues).toHaveLength(9);
  });
});

describe('layers', () => {
  it.each(['onnx', 'brain.js', 'tfjs'])('%s: exit 0 for S(3)-equivariant layers after project, 1 before', (kind) => {
    const src = kind === 'onnx' ? onnx.mlp(join(dir, `layers-${Date.now()}.onnx`), 11) : models[kind]!.bad;
    const reps = ['--group', 'S3', '--in', 'V', '--hidden', kind === 'onnx' ? '2V' : 'V+Scalar', '--out', 'Scalar'];
    const before = liesym(['layers', src, ...reps]);
    expect(before.stderr).toBe('');
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(/^verdict {8}broken: /m);
    const out = join(dir, `layers-projected-${kind}${kind === 'onnx' ? '.onnx' : '.json'}`);
    expect(liesym(['project', src, '-o', out, ...reps]).code).toBe(0);
    const after = liesym(['layers', out, ...reps, '--json', '-']);
    expect(after.code).toBe(0);
    expect((JSON.parse(after.stdout) as { verdict: string }).verdict).toBe('holds');
  });

  it('onnx: lists the weight nodes it could not read (a MatMul of two graph values) with the reason, in the table and --json', () => {
    const path = onnxModel({
      inputs: [{ name: 'x', dims: ['N', 3] }],
      outputs: [{ name: 'h', dims: ['N', 3] }, { name: 'g', dims: ['N', 'N'] }],
      initializers: [
        { name: 'W', dims: [3, 3], data: [0.9, 0.2, 0.2, 0.2, 0.9, 0.2, 0.2, 0.2, 0.9] },
        { name: 'b', dims: [3], data: [0.1, 0.1, 0.1] },
      ],
      nodes: [
        { op: 'Gemm', name: 'fc', inputs: ['x', 'W', 'b'], outputs: ['h'], attrs: { transB: 1 } },
        { op: 'Transpose', name: 'ht', inputs: ['h'], outputs: ['hT'] },
        { op: 'MatMul', name: 'gram', inputs: ['h', 'hT'], outputs: ['g'] },
      ],
    }).writeTo(join(dir, 'gram.onnx'));
    const reps = ['--group', 'S3', '--in', 'V', '--out', 'V'];
    const r = liesym(['layers', path, ...reps]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ {2}fc {8}3×3 {22}0 {10}0 {2}holds$/m);
    expect(r.stdout).toMatch(/^not read {7}1 weight node, not checked:$/m);
    expect(r.stdout).toMatch(/^ {2}gram \(MatMul\): both operands are computed in the graph \('h' is computed in the graph by Gemm node 'fc', 'hT' is computed in the graph by Transpose node 'ht'\)/m);
    expect(r.stdout).toMatch(/^verdict {8}holds: every layer is S\(3\)-equivariant to the tolerance \(1 weight node not read, listed above\)$/m);
    const j = JSON.parse(liesym(['layers', path, ...reps, '--json', '-']).stdout) as { verdict: string; layers: Array<{ name: string }>; unread: Array<{ name: string; opType: string; path: string[]; reason: string }> };
    expect(j.verdict).toBe('holds');
    expect(j.layers.map((l) => l.name)).toEqual(['fc']);
    expect(j.unread.map((u) => [u.name, u.opType, u.path])).toEqual([['gram', 'MatMul', []]]);
    expect(j.unread[0]!.reason).toMatch(/^both operands are computed in the graph/);
  });
});

describe('project', () => {
  it.each(['onnx', 'brain.js', 'tfjs'])('%s: writes an equivariant copy (check exit 0), leaves the input as it was', (kind) => {
    const src = kind === 'onnx' ? onnx.mlp(join(dir, 'proj-src.onnx'), 5) : models[kind]!.bad;
    const ext = kind === 'onnx' ? '.onnx' : '.json';
    const out = join(dir, `proj-${kind}${ext}`);
    const reps = ['--group', 'S3', '--in', 'V', '--hidden', kind === 'onnx' ? '2V' : 'V+Scalar', '--out', 'Scalar'];
    const before = sha(src);
    const json = join(dir, `proj-${kind}.report.json`);
    const r = liesym(['project', src, '-o', out, ...reps, '--json', json]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote {10}/m);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { residualAfter: number[]; layers: Array<{ removed: number }> };
    expect(Math.max(...report.residualAfter)).toBeLessThan(kind === 'brain.js' ? 1e-12 : 1e-6);
    expect(report.layers[0]!.removed).toBeGreaterThan(0.1);
    expect(sha(src)).toBe(before);
    expect(liesym(['check', out, '--group', 'S3', '--in', 'V', '--out', 'Scalar']).code).toBe(0);
    if (kind === 'tfjs') expect(existsSync(join(dir, `proj-${kind}.weights.bin`))).toBe(true);
  });

  it('refuses NaN weights (ONNX and brain.js), exit 2, no output', () => {
    const W = normalVector(18, { seed: 4 });
    W[3] = Number.NaN;
    const nan = mlp([{ W, b: new Array(6).fill(0), dimIn: 3, dimOut: 6 }, { W: normalVector(6, { seed: 5 }), b: [0], dimIn: 6, dimOut: 1 }]).writeTo(join(dir, 'nan.onnx'));
    const reps = ['--group', 'S3', '--in', 'V', '--hidden', '2V', '--out', 'Scalar'];
    expectBadInput(liesym(['project', nan, '-o', join(dir, 'nan-out.onnx'), ...reps]), /NaN or ±Infinity weights/);
    expect(existsSync(join(dir, 'nan-out.onnx'))).toBe(false);
    const nanNet = writeJson(join(dir, 'nan-net.json'), brainJson({ symmetric: false, nan: true }));
    expectBadInput(liesym(['project', nanNet, '-o', join(dir, 'nan-net-out.json'), ...reps.slice(0, 4), '--hidden', 'V+Scalar', '--out', 'Scalar']), /must be a finite number; received null/);
    expectBadInput(liesym(['check', nanNet, '--group', 'S3']), /must be a finite number; received null/);
  });
});

describe('files are safe (checksums of every file before and after)', () => {
  const reps = ['--group', 'S3', '--in', 'V', '--hidden', '2V', '--out', 'Scalar'];
  let work = '';
  let model = '';
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'liesym-files-'));
    model = onnx.mlp(join(work, 'm.onnx'), 3);
    writeFileSync(join(work, 'report.json'), '{"keep": true}\n');
    writeFileSync(join(work, 'out.onnx'), 'precious');
    symlinkSync(join(work, 'm.onnx'), join(work, 'link.onnx'));
    linkSync(join(work, 'm.onnx'), join(work, 'hard.onnx'));
  });

  const refusals: Array<[string, () => string[], RegExp]> = [
    ['analyze m.onnx --json m.onnx (the input)', () => ['analyze', model, '--json', model], /--json: output .* is the input/],
    ['--json m.onnx --force (still the input)', () => ['analyze', model, '--json', model, '--force'], /never writes onto its input, not even with --force/],
    ['--json onto a symlink to the input', () => ['analyze', model, '--json', join(work, 'link.onnx'), '--force'], /is the input/],
    ['--json onto a hard link to the input', () => ['analyze', model, '--json', join(work, 'hard.onnx'), '--force'], /is the input/],
    ['--json onto an existing file without --force', () => ['analyze', model, '--json', join(work, 'report.json')], /already exists; pass --force to replace it/],
    ['--force=false (a boolean flag takes no value)', () => ['analyze', model, '--json', join(work, 'report.json'), '--force=false'], /Option '--force' does not take an argument/],
    ['project -o <input> --force', () => ['project', model, '-o', model, '--force', ...reps], /-o: output .* is the input/],
    ['project -o <symlink to input> --force', () => ['project', model, '-o', join(work, 'link.onnx'), '--force', ...reps], /is the input/],
    ['project -o <hard link to input> --force', () => ['project', model, '-o', join(work, 'hard.onnx'), '--force', ...reps], /is the input/],
    ['project -o an existing file', () => ['project', model, '-o', join(work, 'out.onnx'), ...reps], /already exists; pass --force to replace it/],
    ['project -o and --json the same file', () => ['project', model, '-o', join(work, 'new.onnx'), '--json', join(work, 'new.onnx'), ...reps], /must be different files/],
    ['--json into a missing folder', () => ['analyze', model, '--json', join(work, 'no', 'r.json')], /folder of output .* must exist/],
    ['-o into a missing folder', () => ['project', model, '-o', join(work, 'no', 'o.onnx'), ...reps], /folder of output .* must exist/],
    ['promote -o the input', () => ['promote', model, '-o', model, '--force', '--data', join(work, 'report.json'), '--candidate', 'gl-input'], /is the input/],
  ];
  it.each(refusals)('%s: exit 2, every file unchanged', (_, args, pattern) => {
    const before = snapshot(work);
    expectBadInput(liesym(args()), pattern);
    expect(snapshot(work)).toEqual(before);
  });

  it('--force replaces an existing output (never the input)', () => {
    const before = sha(model);
    const r = liesym(['project', model, '-o', join(work, 'forced.onnx'), ...reps]);
    expect(r.code).toBe(0);
    const first = sha(join(work, 'forced.onnx'));
    writeFileSync(join(work, 'forced.onnx'), 'old');
    expect(liesym(['project', model, '-o', join(work, 'forced.onnx'), ...reps, '--force']).code).toBe(0);
    expect(sha(join(work, 'forced.onnx'))).toBe(first);
    expect(sha(model)).toBe(before);
  });

  it('a write that fails half-way (disk full) exits 2, leaves no partial or temporary file, and the input untouched', () => {
    const before = snapshot(work);
    const r = liesym(['project', model, '-o', join(work, 'full.onnx'), ...reps], { failWrites: true });
    expectBadInput(r, /could not write .*full\.onnx.* \(ENOSPC: no space left on device.*\); nothing was left behind/);
    expect(snapshot(work)).toEqual(before);
    const j = liesym(['analyze', model, '--json', join(work, 'full.json')], { failWrites: true });
    expect(j.code).toBe(2);
    expect(j.stderr).toMatch(/^liesym: --json: could not write .*full\.json.*ENOSPC/);
    expect(snapshot(work)).toEqual(before);
    // --force over an existing file: the old file stays whole.
    const f = liesym(['project', model, '-o', join(work, 'out.onnx'), '--force', ...reps], { failWrites: true });
    expect(f.code).toBe(2);
    expect(snapshot(work)).toEqual(before);
  });

  it.skipIf(process.getuid?.() === 0)('a read-only output folder: exit 2, nothing written (skipped as root, who may write there)', () => {
    const ro = join(work, 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o555);
    expect(liesym(['project', model, '-o', join(ro, 'x.onnx'), ...reps]).code).toBe(2);
    chmodSync(ro, 0o755);
    expect(readdirSync(ro)).toEqual([]);
  });

  it('tfjs: the weights file beside an output model.json is checked too, and weight files of the input are inputs', async () => {
    const tdir = mkdtempSync(join(tmpdir(), 'liesym-tf-'));
    const src = await tfjsModel(tdir, { name: 'model', symmetric: false });
    writeFileSync(join(tdir, 'copy.weights.bin'), 'precious');
    const s3 = ['--group', 'S3', '--in', 'V', '--hidden', 'V+Scalar', '--out', 'Scalar'];
    const before = snapshot(tdir);
    expectBadInput(liesym(['project', src, '-o', join(tdir, 'copy.json'), ...s3]), /copy\.weights\.bin' already exists/);
    expectBadInput(liesym(['analyze', src, '--json', join(tdir, 'model.weights.bin'), '--force']), /is the input/);
    expect(snapshot(tdir)).toEqual(before);
  });
});

describe('bad input: exit 2 with one line, never a crash, a hang or a stack trace', () => {
  const m = (): string => models['onnx']!.good;
  const cases: Array<[string, () => string[], RegExp]> = [
    ['--samples 50000000', () => ['analyze', m(), '--samples', '50000000'], /would need about .* GiB .*raise the limit with --max-memory/],
    ['--samples 50000000 on check', () => ['check', m(), '--group', 'SO3', '--samples', '50000000'], /would need about .*--max-memory/],
    ['--rtol 5', () => ['analyze', m(), '--rtol', '5'], /--rtol must be a number between 0 and 1/],
    ['--rtol 0', () => ['analyze', m(), '--rtol', '0'], /--rtol must be a number between 0 and 1/],
    ['--seed 4294967296 (not aliased to 0)', () => ['analyze', m(), '--seed', '4294967296'], /--seed must be an integer from 0 to 4294967295/],
    ['--seed -1', () => ['analyze', m(), '--seed=-1'], /--seed must be an integer/],
    ['--group SO31 (ambiguous, not SO(31))', () => ['check', m(), '--group', 'SO31'], /write 'SO\(31\)' for SO\(31\), or 'SO\(1,3\)' for the Lorentz group/],
    ['--group SO(31) on a 3-input model', () => ['check', m(), '--group', 'SO(31)'], /acts on R\^31, but the model maps R\^3/],
    ['--group SU2', () => ['check', m(), '--group', 'SU2'], /must name a built-in group/],
    ['--in of the wrong size', () => ['check', m(), '--group', 'SO3', '--in', '2V'], /--in \(V\[SO\(3\)\]⊕V\[SO\(3\)\]\) has dim 6/],
    ['--tolerance 2', () => ['check', m(), '--group', 'SO3', '--tolerance', '2'], /--tolerance must be a number between 0 and 1/],
    ['a missing model', () => ['analyze', join(dir, 'nope.onnx')], /model file .* does not exist/],
    ['a corrupt model', () => {
      const p = join(dir, 'corrupt.onnx');
      writeFileSync(p, Buffer.from([8, 7, 18, 3, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5]));
      return ['analyze', p];
    }, /not a valid ONNX model|could not load/],
    ['JSON that is no model', () => ['analyze', writeJson(join(dir, 'other.json'), { hello: 1 })], /neither a tfjs model.json .* nor a brain.js NeuralNetwork/],
    ['a tfjs model.json whose weights are missing', () => {
      const p = join(dir, 'noweights.json');
      writeFileSync(p, JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['gone.bin'], weights: [] }] }));
      return ['analyze', p];
    }, /weight file .*gone\.bin.* cannot be read/],
    ['a weights path outside the folder', () => {
      const p = join(dir, 'escape.json');
      writeFileSync(p, JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['../../etc/passwd'], weights: [] }] }));
      return ['analyze', p];
    }, /outside its folder/],
    ['an unsupported ONNX dtype', () => ['analyze', onnxModel({
      inputs: [{ name: 'k', dims: ['N', 3], dtype: 'int32' }],
      outputs: [{ name: 'y', dims: ['N', 3], dtype: 'int32' }],
      nodes: [{ op: 'Identity', inputs: ['k'], outputs: ['y'] }],
    }).writeTo(join(dir, 'int.onnx'))], /dtype int32/],
    ['an unknown input name', () => ['analyze', m(), '--input', 'image'], /no input 'image'/],
    ['--shape on a brain.js model', () => ['analyze', models['brain.js']!.good, '--shape', 'x=1,3'], /apply to ONNX models/],
    ['--candidate image on a huge --shape', () => ['analyze', onnxModel({
      inputs: [{ name: 'x', dims: ['N', 3, 'H', 'W'], dtype: 'float32' }],
      outputs: [{ name: 'y', dims: ['N', 3, 'H', 'W'], dtype: 'float32' }],
      nodes: [{ op: 'Mul', inputs: ['x', 'x'], outputs: ['y'] }],
    }).writeTo(join(dir, 'img.onnx')), '--candidate', 'image', '--shape', 'x=1,3,3000,3000'], /would need about .* TiB|GiB/],
    ['--candidate image with the memory limit raised: the sampler bound', () => ['analyze', join(dir, 'img.onnx'), '--candidate', 'image', '--shape', 'x=1,3,3000,3000', '--samples', '1', '--max-memory', '64GiB'], /smooth random fields of shape \[3, 3000, 3000\] would take/],
    ['the default gl-input on a 3×48×48 image input: 47.8 million generators, refused naming --candidate image', () => ['analyze', onnxModel({
      inputs: [{ name: 'x', dims: ['N', 3, 'H', 'W'], dtype: 'float32' }],
      outputs: [{ name: 'y', dims: ['N', 3, 'H', 'W'], dtype: 'float32' }],
      nodes: [{ op: 'Mul', inputs: ['x', 'x'], outputs: ['y'] }],
    }).writeTo(join(dir, 'img48.onnx')), '--shape', 'x=1,3,48,48'], /gl-input on 6912 inputs has 47,775,744 generators .* use --candidate image/],
    ['gl-input-output on a 300-wide vector model: refused before any estimate', () => ['analyze', onnxModel({
      inputs: [{ name: 'x', dims: ['N', 300], dtype: 'float32' }],
      outputs: [{ name: 'y', dims: ['N', 300], dtype: 'float32' }],
      nodes: [{ op: 'Mul', inputs: ['x', 'x'], outputs: ['y'] }],
    }).writeTo(join(dir, 'wide.onnx')), '--candidate', 'gl-input-output'], /gl-input-output on 300 inputs has 180,000 generators .*at most 65,536/],
    ['--candidate image on a brain.js model', () => ['analyze', models['brain.js']!.good, '--candidate', 'image'], /needs an ONNX model/],
    ['--max-memory 12 parsecs', () => ['analyze', m(), '--max-memory', '12pc'], /--max-memory must be a size/],
    ['project without -o', () => ['project', m(), '--group', 'SO3'], /-o OUT is required/],
    ['promote without --data', () => ['promote', m(), '-o', join(dir, 'p.onnx'), '--candidate', 'gl-input'], /--data DATA.json is required/],
  ];
  it.each(cases)('%s', (_, args, pattern) => {
    const a = args();
    expectBadInput(liesym(a), pattern);
  });
});

describe('promote (fine-tuning with γ·‖D_W‖_*) on the three kinds', () => {
  it.each(['onnx', 'brain.js', 'tfjs'])('%s: writes a tuned copy, the loss drops, the input stays as it was', (kind) => {
    const pdir = mkdtempSync(join(tmpdir(), 'liesym-promote-'));
    const src = kind === 'onnx' ? onnx.mlp(join(pdir, 'm.onnx'), 9) : kind === 'brain.js' ? writeJson(join(pdir, 'net.json'), brainJson({ symmetric: false })) : models['tfjs']!.bad;
    const xs = Array.from({ length: 32 }, (_, i) => [Math.sin(i), Math.cos(2 * i), Math.sin(3 * i + 1)]);
    const data = writeJson(join(pdir, 'data.json'), { x: xs, y: xs.map(([a, b, c]) => [0.3 * (a! + b! + c!)]) });
    const out = join(pdir, kind === 'onnx' ? 'p.onnx' : 'p.json');
    const before = sha(src);
    const hidden = kind === 'onnx' ? '2V' : 'V+Scalar';
    const r = liesym(['promote', src, '-o', out, '--data', data, '--group', 'SO3', '--in', 'V', '--hidden', hidden, '--out', 'Scalar', '--epochs', '40', '--learning-rate', '0.02', '--weight', '0.05', '--json', '-']);
    expect(r.stderr).toMatch(/^wrote {10}/m);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { loss: number[] };
    expect(j.loss).toHaveLength(40);
    expect(j.loss[39]!).toBeLessThan(j.loss[0]!);
    expect(sha(src)).toBe(before);
    expect(liesym(['check', out, '--group', 'SO3']).code).toBeLessThanOrEqual(1);
  });
});
