import { vitestPreset } from '../../vitest.preset.js';

export default vitestPreset({ include: ['test/**/*.test.ts'], testTimeout: 180_000, hookTimeout: 180_000 });
