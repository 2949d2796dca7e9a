import { vitestPreset } from '../../vitest.preset.js';

// The promote path imports @liesym/tfjs (an optional peer) from source too, so both see one core.
export default vitestPreset({ fromSource: ['@liesym/core', '@liesym/tfjs'], testTimeout: 60_000, hookTimeout: 120_000 });
