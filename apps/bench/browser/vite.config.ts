import { defineConfig } from 'vite';

// The example page; `vite build` writes a static site to dist-browser/ for the Playwright test.
export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  logLevel: 'warn',
  build: { outDir: new URL('../dist-browser', import.meta.url).pathname, emptyOutDir: true, chunkSizeWarningLimit: 4000 },
});
