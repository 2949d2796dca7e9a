import { vitestPreset } from '../../vitest.preset.js';

// No source alias for @liesym/core: the kit always reaches core through its package exports (the
// built dist), as it does when core's own tests import the kit by relative path (README).
export default vitestPreset({ include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 });
