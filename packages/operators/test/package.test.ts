import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface PackageJson {
  name: string;
  type: string;
  exports: Record<string, unknown>;
  peerDependencies?: Record<string, string>;
}

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as PackageJson;

describe('@liesym/operators package', () => {
  it('has an ESM exports map with types, package.json and closed internals, and peers on core and tfjs', () => {
    expect(pkg.type).toBe('module');
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(pkg.exports['./package.json']).toBe('./package.json');
    expect(pkg.exports['./internal/*']).toBeNull();
    expect(pkg.peerDependencies?.['@liesym/core']).toBe('>=0.1.0 <1.0.0');
    expect(pkg.peerDependencies?.['@tensorflow/tfjs']).toBe('^4.22.0');
  });

  it('is browser-safe: no node: imports in any source file of the main entry', () => {
    const dir = new URL('../src/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) expect(readFileSync(new URL(f, dir), 'utf8')).not.toMatch(/from ['"]node:/);
  });
});
