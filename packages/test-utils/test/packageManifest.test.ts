import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packageManifestProblems, tempPath } from '../src/index.js';

function manifest(name: string, json: unknown): URL {
  const path = tempPath(name);
  writeFileSync(path, JSON.stringify(json));
  return pathToFileURL(path);
}

const good = {
  name: '@liesym/x',
  type: 'module',
  exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './node': { types: './dist/node.d.ts', default: './dist/node.js' }, './package.json': './package.json', './internal/*': null },
  peerDependencies: { '@liesym/core': '>=0.1.0 <1.0.0' },
};

describe('packageManifestProblems', () => {
  it('finds nothing wrong with the common shape', () => {
    expect(packageManifestProblems(manifest('good.json', good), { name: '@liesym/x', subpaths: ['./node'], peers: { '@liesym/core': '>=0.1.0 <1.0.0' } })).toEqual([]);
  });

  it('names every mismatch: type, an open internal/*, a missing subpath, a peer range', () => {
    const bad = { ...good, type: 'commonjs', exports: { ...good.exports, './internal/*': './dist/internal/*.js' }, peerDependencies: { '@liesym/core': '*' } };
    expect(packageManifestProblems(manifest('bad.json', bad), { name: '@liesym/x', subpaths: ['./node', './cli'], peers: { '@liesym/core': '>=0.1.0 <1.0.0' } })).toEqual([
      'type is "commonjs", expected "module"',
      `exports['./cli'] is undefined, expected {"types":"./dist/cli.d.ts","default":"./dist/cli.js"}`,
      `exports['./internal/*'] is "./dist/internal/*.js", expected null`,
      `peerDependencies['@liesym/core'] is "*", expected ">=0.1.0 <1.0.0"`,
    ]);
  });
});
