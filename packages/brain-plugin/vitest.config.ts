import { vitestPreset } from '../../vitest.preset.js';

export default vitestPreset({ fromSource: ['@liesym/core', '@liesym/core/node'] });
