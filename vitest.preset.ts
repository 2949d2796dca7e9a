// The one vitest configuration every project's vitest.config.ts builds on: which files are tests,
// the JSON report `.ci/summarize.mjs` sums, and the workspace packages a project's tests read
// from source instead of their built dist (so that they and the package under test share one core).
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

/** The workspace entry points that tests may read from source, and where. */
const SOURCES = {
  '@liesym/core': './packages/core/src/index.ts',
  '@liesym/core/node': './packages/core/src/node.ts',
  '@liesym/onnx': './packages/onnx-plugin/src/index.ts',
} as const;

/** Options of {@link vitestPreset}; every field has vitest's meaning. */
export interface VitestPresetOptions {
  /** Entry points resolved to their source (default none: through their package exports, the built dist). */
  fromSource?: ReadonlyArray<keyof typeof SOURCES>;
  /** Test file globs (default `test/**\/*.test.ts` and `src/**\/*.test.ts`). */
  include?: string[];
  /** Per-test timeout in ms (default vitest's, 5 s). */
  testTimeout?: number;
  /** Per-hook timeout in ms (default vitest's, 10 s). */
  hookTimeout?: number;
}

/** A project's vitest configuration: the shared defaults with its own timeouts and source aliases. */
export function vitestPreset(options: VitestPresetOptions = {}): ViteUserConfig {
  const { fromSource = [], include = ['test/**/*.test.ts', 'src/**/*.test.ts'], testTimeout, hookTimeout } = options;
  // Exact matches: a plain '@liesym/core' key would also rewrite '@liesym/core/node'.
  const alias = fromSource.map((name) => ({
    find: new RegExp(`^${name.replaceAll('/', '\\/')}$`),
    replacement: fileURLToPath(new URL(SOURCES[name], import.meta.url)),
  }));
  return defineConfig({
    ...(alias.length > 0 ? { resolve: { alias } } : {}),
    test: {
      include,
      ...(testTimeout !== undefined ? { testTimeout } : {}),
      ...(hookTimeout !== undefined ? { hookTimeout } : {}),
      reporters: ['default', ['json', { outputFile: 'test-results.json' }]],
    },
  });
}
