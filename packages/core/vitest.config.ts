import { vitestPreset } from '../../vitest.preset.js';

export default vitestPreset({ testTimeout: 60_000 });
