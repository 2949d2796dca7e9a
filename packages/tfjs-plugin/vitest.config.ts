import { vitestPreset } from '../../vitest.preset.js';

export default vitestPreset({ fromSource: ['@liesym/core'], testTimeout: 60_000, hookTimeout: 60_000 });
