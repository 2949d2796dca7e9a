import { readFileSync, readdirSync } from 'node:fs';
import { packageManifestProblems } from '@liesym/test-utils';
import { describe, expect, it } from 'vitest';

describe('@liesym/operators package', () => {
  it('has an ESM exports map with types, package.json and closed internals, and peers on core and tfjs', () => {
    const peers = { '@liesym/core': '>=0.1.0 <1.0.0', '@tensorflow/tfjs': '^4.22.0' };
    expect(packageManifestProblems(new URL('../package.json', import.meta.url), { name: '@liesym/operators', peers })).toEqual([]);
  });

  it('is browser-safe: no node: imports in any source file of the main entry', () => {
    const dir = new URL('../src/', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(5);
    for (const f of files) expect(readFileSync(new URL(f, dir), 'utf8')).not.toMatch(/from ['"]node:/);
  });
});
