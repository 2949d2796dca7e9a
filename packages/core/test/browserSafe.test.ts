import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('browser safety', () => {
  it('core sources import no Node built-ins and no module outside the package (except the ./node entry)', () => {
    // src/node.ts is the separate '@liesym/core/node' entry (disk cache, safe output files) and
    // src/node/ holds what only it imports: Node-only by design.
    const nodeOnly = (f: string): boolean => f.endsWith(join('src', 'node.ts')) || f.includes(`${join('src', 'node')}/`);
    const files = sources(join(root, 'src')).filter((f) => !nodeOnly(f));
    expect(files.length).toBeGreaterThan(20);
    const offenders: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/from\s+'([^']+)'/g)) {
        const spec = m[1]!;
        if (!spec.startsWith('.')) offenders.push(`${f}: ${spec}`);
        if (/(^|\/)node(\/|\.js$)/.test(spec)) offenders.push(`${f}: imports the Node-only ${spec}`);
      }
      if (/\bprocess\.|\brequire\(|\bBuffer\b/.test(text)) offenders.push(`${f}: uses a Node global`);
    }
    expect(offenders).toEqual([]);
  });

  it('the package.json exports map is shaped for bundlers', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
      sideEffects: boolean;
      type: string;
    };
    expect(pkg.type).toBe('module');
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(pkg.exports['./internal/*']).toBeNull();
  });
});
