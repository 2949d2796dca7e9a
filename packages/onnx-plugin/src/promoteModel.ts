import { UnsupportedOperationError, type Candidate, type Matrix, type Representation } from '@liesym/core';

/**
 * Options of {@link promoteModel}.
 * @deprecated Use `PromoteOnnxOptions` of `promoteOnnxModel` from `@liesym/tfjs/onnx`.
 */
export interface PromoteModelOptions {
  x: Matrix | number[][];
  y: Matrix | number[][];
  reps?: readonly Representation[];
  generators?: Candidate;
  layers?: readonly number[];
  weight?: number;
  epochs?: number;
  learningRate?: number;
  batchSize?: number;
  force?: boolean;
}

/**
 * What {@link promoteModel} did.
 * @deprecated Use `PromoteOnnxReport` of `promoteOnnxModel` from `@liesym/tfjs/onnx`.
 */
export interface PromoteReport {
  out: string;
  loss: number[];
  layers: Array<{ name: string; dimIn: number; dimOut: number; activation: string }>;
}

/**
 * Promote moved behind an explicit bridge: fine-tuning needs TensorFlow.js, and this package
 * no longer reaches another plugin through a hidden `import()`. Use
 * `import { promoteOnnxModel } from '@liesym/tfjs/onnx'` (same options and report), or
 * `liesym promote model.onnx …` from `@liesym/cli`. Removed in 0.3.
 * @deprecated Use `promoteOnnxModel` from `@liesym/tfjs/onnx`.
 * @throws UnsupportedOperationError always, naming the new import
 */
export async function promoteModel(_path: string, _out: string, _options: PromoteModelOptions): Promise<PromoteReport> {
  throw new UnsupportedOperationError(
    "promoteModel: moved to '@liesym/tfjs/onnx' — use `import { promoteOnnxModel } from '@liesym/tfjs/onnx'` (same options; needs @liesym/tfjs and @tensorflow/tfjs), or `liesym promote` from @liesym/cli",
  );
}
