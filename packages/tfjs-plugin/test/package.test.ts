import { readFileSync, readdirSync } from 'node:fs';
import { packageManifestProblems } from '@liesym/test-utils';
import { describe, expect, it } from 'vitest';

describe('@liesym/tfjs package', () => {
  it('has an ESM exports map with types, package.json, a node subpath and closed internals', () => {
    const peers = { '@liesym/core': '>=0.1.0 <1.0.0', '@tensorflow/tfjs': '^4.22.0' };
    expect(packageManifestProblems(new URL('../package.json', import.meta.url), { name: '@liesym/tfjs', subpaths: ['./node'], peers })).toEqual([]);
  });

  it('keeps the main entry browser-safe: only node.ts imports node: modules', () => {
    const src = new URL('../src/', import.meta.url);
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const offenders = files.filter((f) => f !== 'node.ts' && /from ['"]node:|require\(/.test(readFileSync(new URL(f, src), 'utf8')));
    expect(files.length).toBeGreaterThan(10);
    expect(offenders).toEqual([]);
    expect(readFileSync(new URL('index.ts', src), 'utf8')).not.toMatch(/node\.js/);
  });

  it('the symmetric example differs from the plain one in at most 3 lines', () => {
    const read = (f: string) => readFileSync(new URL(`../examples/${f}`, import.meta.url), 'utf8').split('\n');
    const a = read('potential-plain.mjs');
    const b = read('potential-symmetric.mjs');
    // longest common subsequence of lines: the lines outside it are the changed ones
    const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
    for (let i = a.length - 1; i >= 0; i--) {
      for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
    const changed = Math.max(a.length, b.length) - lcs[0]![0]!;
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThanOrEqual(3);
    expect(b.join('\n')).toMatch(/equivariantMLP\(/);
  });
});
