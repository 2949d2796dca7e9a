// Sums the vitest JSON reports of every workspace that has a `test` script and prints
// the closing line "N passed, N failed". Exits non-zero if a test failed, a report is
// missing, no test passed, or a step passed as `--status "name=code"` failed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const problems = [];

const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 1) {
  if (args[i] !== '--status') continue;
  const value = args[i + 1] ?? '';
  i += 1;
  const cut = value.lastIndexOf('=');
  const name = value.slice(0, cut);
  const code = Number(value.slice(cut + 1));
  if (cut < 0 || !Number.isInteger(code)) problems.push(`bad --status argument '${value}'`);
  else if (code !== 0) problems.push(`${name} exited with ${code}`);
}

function workspaceFolders() {
  const { workspaces = [] } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const folders = [];
  for (const pattern of workspaces) {
    if (pattern.endsWith('/*')) {
      const parent = join(root, pattern.slice(0, -2));
      if (!existsSync(parent)) continue;
      for (const entry of readdirSync(parent, { withFileTypes: true })) {
        if (entry.isDirectory()) folders.push(join(parent, entry.name));
      }
    } else {
      folders.push(join(root, pattern));
    }
  }
  return folders.sort();
}

let passed = 0;
let failed = 0;
for (const folder of workspaceFolders()) {
  const pkgFile = join(folder, 'package.json');
  if (!existsSync(pkgFile)) continue;
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8'));
  if (!pkg.scripts?.test) continue;
  const reportFile = join(folder, 'test-results.json');
  if (!existsSync(reportFile)) {
    problems.push(`${pkg.name}: no test-results.json (its tests did not run)`);
    continue;
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  const p = Number(report.numPassedTests ?? 0);
  const f = Number(report.numFailedTests ?? 0);
  passed += p;
  failed += f;
  if (report.success === false && f === 0) problems.push(`${pkg.name}: vitest reported failure (e.g. a suite that did not load)`);
  const skipped = Number(report.numPendingTests ?? 0) + Number(report.numTodoTests ?? 0);
  console.log(`tests in ${pkg.name}: passed ${p}, failed ${f}, skipped ${skipped}`);
}

if (passed === 0) problems.push('no test passed');
if (failed > 0) problems.push(`${failed} test(s) failed`);
for (const problem of problems) console.log(`CI problem: ${problem}`);

console.log(`${passed} passed, ${failed} failed`);
process.exitCode = problems.length > 0 ? 1 : 0;
