import { vitestPreset } from '../../vitest.preset.js';

export default vitestPreset({ fromSource: ['@liesym/core', '@liesym/core/node'], testTimeout: 60_000, hookTimeout: 120_000 });
