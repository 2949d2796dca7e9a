import { vitestPreset } from '../../vitest.preset.js';

export default vitestPreset({ fromSource: ['@liesym/core'], testTimeout: 120_000, hookTimeout: 60_000 });
