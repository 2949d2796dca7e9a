import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@liesym/core': fileURLToPath(new URL('../core/src/index.ts', import.meta.url)),
      // The promote path imports @liesym/tfjs (an optional peer) from source too, so both see one core.
      '@liesym/tfjs': fileURLToPath(new URL('../tfjs-plugin/src/index.ts', import.meta.url)),
    },
  },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
