import { vitestPreset } from '../../vitest.preset.js';

// No aliases: the tests spawn the built bin (dist/), as a user runs it.
export default vitestPreset({ include: ['test/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 });
