import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

const pkg = new URL('..', import.meta.url).pathname;
const dist = existsSync(join(pkg, 'dist/index.js'));

// The README example, as written (tfjs's default cpu backend), against the built package (nx builds it before testing).
it.skipIf(!dist)('runs the README example as written: the trained so2 FNO keeps translations and rotation, breaks scaling', () => {
  const code = /```js\n([\s\S]*?)```/.exec(readFileSync(join(pkg, 'README.md'), 'utf8'))![1]!;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: pkg, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } });
  const lines = run.stdout.trim().split('\n').slice(-2);
  expect(run.status).toBe(0);
  expect(lines[0]).toBe('3 translation x + translation y + rotation');
  const s = lines[1]!.split(' ').map(Number);
  expect(s.length).toBe(4);
  expect(s[1]! / s[3]!).toBeLessThan(1e-2); // translations: σ ≈ 4e-4 against scaling's 0.2
  expect(s[2]! / s[3]!).toBeLessThan(0.2); // rotation ≈ 1e-2, kept by the enforced so2 weights
});
if (!dist) console.log('readme.test: skipped, packages/operators/dist is not built (run through nx, which builds first)');
