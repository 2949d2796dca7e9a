/**
 * The main job: `npm run demo` runs end to end, prints its three parts with the expected
 * findings, and writes an HTML report whose plots render in headless Chromium with no
 * console errors.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const demo = fileURLToPath(new URL('../dist/demo.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'liesym-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run demo', () => {
  let stdout = '';

  it('runs all three parts and reports the known symmetries', () => {
    stdout = execFileSync(process.execPath, [demo, '--report-dir', dir], { encoding: 'utf8', timeout: 170_000 });
    const row = (prefix: string, has = '') => stdout.split('\n').find((l) => l.startsWith(prefix) && l.includes(has)) ?? '';
    expect(row('|x|² on R³', 'gl(3) on x')).toMatch(/3 of 9\s+so\(3\)/);
    expect(row('Hopf')).toMatch(/1 of 4\s+so\(2\)/);
    expect(row('Lorenz')).toMatch(/0 of 9\s+none/);
    expect(row('ONNX')).toMatch(/6 of 16\s+so\(1,3\)/);
    expect(row('diag(-1, -1, 1)')).toMatch(/symmetry/);
    expect(row('SO(3) invariants of V^⊗6')).toMatch(/729\s+15\b/);
    expect(row('promote, exact')).toMatch(/3 of 6/);
    // the equivariant model's test error is below the plain one's
    const err = (prefix: string) => Number(row(prefix).split(/\s{2,}/)[3]);
    expect(err('equivariantMLP')).toBeLessThan(err('plain MLP') / 3);
  }, 180_000);

  it.skipIf(!hasChromium)('writes an HTML report whose plots render without console errors', async () => {
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(3);
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`file://${join(dir, 'index.html')}`);
      const svgs = await page.$$eval('figure svg', (els) => els.map((e) => e.getBoundingClientRect().width));
      await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
      expect(svgs.length).toBeGreaterThanOrEqual(3);
      expect(Math.min(...svgs)).toBeGreaterThan(100);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
if (!hasChromium) console.log(`demo report check skipped: no Chromium at ${CHROMIUM}`);
