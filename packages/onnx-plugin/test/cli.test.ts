import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempPath } from '@liesym/test-utils';
import { onnxModel, quadraticInvariant, randomMlp } from '@liesym/test-utils/onnx';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const repoModules = fileURLToPath(new URL('../../../node_modules', import.meta.url));
let cli = '';

/** Runs the compiled `liesym` bin as a child process. */
function run(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  // Compile the package into a scratch folder whose node_modules is the repo's, so the test
  // runs the real ESM bin (shebang and all) without touching dist/.
  const out = mkdtempSync(join(tmpdir(), 'liesym-cli-'));
  execFileSync(process.execPath, [join(repoModules, 'typescript/bin/tsc'), '-p', join(pkgDir, 'tsconfig.build.json'), '--outDir', join(out, 'dist'), '--declaration', 'false', '--declarationMap', 'false', '--sourceMap', 'false'], { stdio: 'pipe' });
  writeFileSync(join(out, 'package.json'), '{"type":"module"}');
  symlinkSync(repoModules, join(out, 'node_modules'), 'dir');
  cli = join(out, 'dist', 'cli.js');
  expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
});

describe('liesym CLI', () => {
  it('analyze prints a table, writes --json and exits 0', () => {
    const model = quadraticInvariant({ metric: [1, 1, 1] }).writeTo(tempPath('cli-radial.onnx'));
    const json = tempPath('cli-radial.json');
    const r = run(['analyze', model, '--candidate', 'gl-input', '--samples', '48', '--seed', '3', '--json', json]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/dimension\s+3\s+\(so\(3\)\)/);
    expect(r.stderr).toBe('');
    const out = JSON.parse(readFileSync(json, 'utf8')) as { dimension: number; singularValues: number[]; generators: unknown[]; gap: number };
    expect(out.dimension).toBe(3);
    expect(out.singularValues).toHaveLength(9);
    expect(out.generators).toHaveLength(3);
    expect(out.gap).toBeGreaterThan(100);
  });

  it('check reports per-generator norms; project writes a model whose residual is gone', () => {
    const c = run(['check', quadraticInvariant({ metric: [1, 1, 1] }).writeTo(tempPath('cli-check.onnx')), '--group', 'SO3', '--in', 'V', '--out', 'Scalar', '--samples', '32']);
    expect(c.code).toBe(0);
    const rel = Number(/max relative\s+(\S+)/.exec(c.stdout)![1]);
    expect(rel).toBeLessThan(1e-3);
    const src = randomMlp([3, 6, 1], { seed: 5 }).writeTo(tempPath('cli-mlp.onnx'));
    const out = tempPath('cli-mlp-sym.onnx');
    const json = tempPath('cli-project.json');
    const p = run(['project', src, '-o', out, '--group', 'S3', '--in', 'V', '--hidden', '2V', '--out', 'Scalar', '--json', json]);
    expect(p.code).toBe(0);
    const rep = JSON.parse(readFileSync(json, 'utf8')) as { residualAfter: number[] };
    expect(Math.max(...rep.residualAfter)).toBeLessThan(1e-6);
    const again = run(['project', src, '-o', out, '--group', 'S3', '--in', 'V', '--hidden', '2V', '--out', 'Scalar']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already exists/);
  });

  const errorCases: Array<[string, () => string[], RegExp]> = [
    ['a missing file', () => ['analyze', tempPath('nope.onnx')], /does not exist/],
    ['a corrupt file', () => {
      const p = tempPath('corrupt.onnx');
      writeFileSync(p, Buffer.from([8, 7, 18, 3, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5]));
      return ['analyze', p];
    }, /not a valid ONNX model|could not load/],
    ['an unsupported dtype', () => ['analyze', onnxModel({
      inputs: [{ name: 'k', dims: ['N', 3], dtype: 'int32' }],
      outputs: [{ name: 'y', dims: ['N', 3], dtype: 'int32' }],
      nodes: [{ op: 'Identity', inputs: ['k'], outputs: ['y'] }],
    }).writeTo(tempPath('int.onnx'))], /dtype int32/],
    ['an unknown input name', () => ['analyze', quadraticInvariant({ metric: [1, 1] }).writeTo(tempPath('cli-name.onnx')), '--input', 'image'], /no input 'image'/],
    ['a shape mismatch', () => ['analyze', quadraticInvariant({ metric: [1, 1] }).writeTo(tempPath('cli-shape.onnx')), '--shape', 'x=1,5'], /shape|dim/],
    ['an unknown option', () => ['analyze', quadraticInvariant({ metric: [1, 1] }).writeTo(tempPath('cli-opt.onnx')), '--frobnicate', '1'], /unknown option/],
  ];
  it.each(errorCases)('exits 2 with a one-line error for %s', (_, args, pattern) => {
    const r = run(args());
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^liesym: /);
    expect(r.stderr).toMatch(pattern);
  });
});
