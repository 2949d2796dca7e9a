import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Exact matches (a plain '@liesym/core' key would also rewrite '@liesym/core/node'); the ONNX
    // bridge's @liesym/onnx from source too, so both see one core.
    alias: [
      { find: /^@liesym\/core$/, replacement: fileURLToPath(new URL('../core/src/index.ts', import.meta.url)) },
      { find: /^@liesym\/core\/node$/, replacement: fileURLToPath(new URL('../core/src/node.ts', import.meta.url)) },
      { find: /^@liesym\/onnx$/, replacement: fileURLToPath(new URL('../onnx-plugin/src/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
