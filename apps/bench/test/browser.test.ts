/**
 * The browser example, end to end: Vite builds apps/bench/browser, a static server on
 * 127.0.0.1 serves it, Debian's Chromium (driven by playwright-core) trains the model in
 * the page, and we read the reported numbers.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.log(`browser test skipped: no Chromium at ${CHROMIUM} (.ci/run installs Debian's chromium)`);

const here = fileURLToPath(new URL('.', import.meta.url));
const outDir = join(here, '..', 'dist-browser');
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };

function serve(root: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]!)).replace(/^(\.\.[/\\])+/, '');
    const file = join(root, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(root) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      resolve({ server, url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/` });
    });
  });
}

describe.skipIf(!hasChromium)('browser example', () => {
  let browser: Browser | undefined;
  let server: Server | undefined;
  let url = '';

  beforeAll(async () => {
    await build({ configFile: join(here, '..', 'browser', 'vite.config.ts'), logLevel: 'warn' });
    ({ server, url } = await serve(outDir));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it('trains an equivariant model in the page: equivariance error < 1e-4, loss falls, no console errors', async () => {
    const page = await browser!.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(url);
    await page.waitForFunction(() => /^(done|failed)/.test(document.getElementById('status')?.textContent ?? ''), undefined, {
      timeout: 150_000,
    });
    const status = await page.textContent('#status');
    const eqErr = Number(await page.textContent('#equivariance-error'));
    const testErr = Number(await page.textContent('#test-error'));
    const [first, last] = ((await page.textContent('#loss')) ?? '').split('→').map((s) => Number(s.trim()));
    await page.screenshot({ path: join(outDir, 'screenshot.png') });
    expect(status).toBe('done');
    expect(eqErr).toBeLessThan(1e-4);
    expect(last!).toBeLessThan(first! / 5);
    expect(testErr).toBeLessThan(0.5);
    expect(errors).toEqual([]);
  }, 180_000);
});
