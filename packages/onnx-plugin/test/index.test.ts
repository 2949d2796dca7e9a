import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { plannedFeatures, status } from '../src/index.js';

interface PackageJson {
  name: string;
  type: string;
  exports: Record<string, unknown>;
  peerDependencies?: Record<string, string>;
}

const pkg = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as PackageJson;

describe('@liesym/onnx shell', () => {
  it('is marked planned and lists what is coming', () => {
    expect(status).toBe('planned');
    expect(plannedFeatures.length).toBeGreaterThan(0);
    for (const feature of plannedFeatures) {
      expect(feature.trim().length).toBeGreaterThan(0);
    }
    expect(Object.isFrozen(plannedFeatures)).toBe(true);
  });

  it('has an ESM exports map with types, package.json and closed internals', () => {
    expect(pkg.name).toBe('@liesym/onnx');
    expect(pkg.type).toBe('module');
    expect(pkg.exports['.']).toEqual({
      types: './dist/index.d.ts',
      default: './dist/index.js',
    });
    expect(pkg.exports['./package.json']).toBe('./package.json');
    expect(pkg.exports['./internal/*']).toBeNull();
    expect(pkg.peerDependencies?.['@liesym/core']).toBeDefined();
  });
});
