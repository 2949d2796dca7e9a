import { defineConfig } from 'vitest/config';

// No alias for @liesym/core: the kit always reaches core through its package exports (the
// built dist), as it does when core's own tests import the kit by relative path (README).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
  },
});
