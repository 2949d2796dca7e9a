import { vitestPreset } from '../../vitest.preset.js';

// The ONNX bridge's @liesym/onnx from source too, so both see one core.
export default vitestPreset({ fromSource: ['@liesym/core', '@liesym/core/node', '@liesym/onnx'], testTimeout: 60_000, hookTimeout: 60_000 });
