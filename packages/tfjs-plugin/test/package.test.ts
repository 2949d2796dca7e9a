import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface PackageJson {
  name: string;
  type: string;
  exports: Record<string, unknown>;
  peerDependencies?: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as PackageJson;

describe('@liesym/tfjs package', () => {
  it('has an ESM exports map with types, package.json, a node subpath and closed internals', () => {
    expect(pkg.name).toBe('@liesym/tfjs');
    expect(pkg.type).toBe('module');
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(pkg.exports['./node']).toEqual({ types: './dist/node.d.ts', default: './dist/node.js' });
    expect(pkg.exports['./package.json']).toBe('./package.json');
    expect(pkg.exports['./internal/*']).toBeNull();
    expect(pkg.peerDependencies?.['@liesym/core']).toBe('>=0.1.0 <1.0.0');
    expect(pkg.peerDependencies?.['@tensorflow/tfjs']).toBe('^4.22.0');
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
