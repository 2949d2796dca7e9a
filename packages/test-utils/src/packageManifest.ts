import { readFileSync } from 'node:fs';

/** What {@link packageManifestProblems} expects of a published liesym package besides the common shape. */
export interface ManifestExpectations {
  /** The package name. */
  name: string;
  /** Subpath entries besides '.', e.g. './node' (each `./dist/<name>.d.ts` and `./dist/<name>.js`). */
  subpaths?: readonly string[];
  /** peerDependencies that must be present with exactly these ranges. */
  peers?: Readonly<Record<string, string>>;
}

/**
 * Checks a published package's package.json against the shape every liesym package has: its name,
 * `"type": "module"`, an exports map with `{ types, default }` from `./dist` for '.' and each subpath,
 * `./package.json`, the closed `./internal/*`, and the expected peer ranges.
 * @returns one line per mismatch, [] when everything holds
 * @example
 * expect(packageManifestProblems(new URL('../package.json', import.meta.url), { name: '@liesym/tfjs', subpaths: ['./node'] })).toEqual([]);
 */
export function packageManifestProblems(file: URL, expected: ManifestExpectations): string[] {
  const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; type?: unknown; exports?: Record<string, unknown>; peerDependencies?: Record<string, string> };
  const problems: string[] = [];
  const check = (what: string, actual: unknown, wanted: unknown): void => {
    if (JSON.stringify(actual) !== JSON.stringify(wanted)) problems.push(`${what} is ${JSON.stringify(actual)}, expected ${JSON.stringify(wanted)}`);
  };
  check('name', pkg.name, expected.name);
  check('type', pkg.type, 'module');
  const exports = pkg.exports ?? {};
  check("exports['.']", exports['.'], { types: './dist/index.d.ts', default: './dist/index.js' });
  for (const sub of expected.subpaths ?? []) {
    const base = sub.slice(2);
    check(`exports['${sub}']`, exports[sub], { types: `./dist/${base}.d.ts`, default: `./dist/${base}.js` });
  }
  check("exports['./package.json']", exports['./package.json'], './package.json');
  check("exports['./internal/*']", exports['./internal/*'], null);
  for (const [peer, range] of Object.entries(expected.peers ?? {})) check(`peerDependencies['${peer}']`, pkg.peerDependencies?.[peer], range);
  return problems;
}
