import { defineConfig } from 'vitest/config';

// No aliases: the tests spawn the built bin (dist/), as a user runs it.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
