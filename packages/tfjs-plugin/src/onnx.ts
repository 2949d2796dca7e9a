/// <reference types="node" />
/**
 * `@liesym/tfjs/onnx`: the explicit bridge from ONNX to TensorFlow.js — promote for ONNX MLPs.
 * It needs the optional peers `@liesym/onnx` and `onnxruntime-node`; nothing else in
 * @liesym/tfjs imports them.
 * @packageDocumentation
 */
import { checkOutputFiles } from '@liesym/core/node';
import { InvalidArgumentError, describe } from '@liesym/core';
import { readMlp } from '@liesym/onnx';
import { promoteDenseLayers, type PromoteDenseOptions } from './promoteDenseLayers.js';

/** Options of {@link promoteOnnxModel}: those of {@link promoteDenseLayers}, and whether `out` may be replaced. */
export interface PromoteOnnxOptions extends Omit<PromoteDenseOptions, 'leakyReluAlpha'> {
  /** Replace `out` if it exists (a boolean, default false). The input is never written to, even with force. */
  force?: boolean;
}

/** What {@link promoteOnnxModel} did. */
export interface PromoteOnnxReport {
  out: string;
  /** Training loss per epoch (data loss + penalties). */
  loss: number[];
  /** The imported layers: sizes and activation. */
  layers: Array<{ name: string; dimIn: number; dimOut: number; activation: string }>;
}

/**
 * Promote for an ONNX network: reads its MLP (Gemm/MatMul + bias with elementwise Relu, Tanh
 * or Sigmoid) with @liesym/onnx's `readMlp`, fine-tunes it on (x, y) with
 * {@link promoteDenseLayers} (γ·‖D_W‖_* by `symmetryRegularizer` on each kernel, over the
 * given representations or candidate) and writes the tuned weights into a copy of the graph
 * (same nodes): a temporary file and one link or rename, an existing `out` only with
 * `force`, never the input (by real path or hard link). `out` is checked before training.
 * @throws ModelFileError; UnsupportedModelError for graphs that are not such MLPs;
 *   OutputExistsError; OutputWriteError; ShapeMismatchError for data or reps that do not fit;
 *   InvalidArgumentError for bad options (also a `force` that is not a boolean)
 * @example
 * import { promoteOnnxModel } from '@liesym/tfjs/onnx';
 * await promoteOnnxModel('mlp.onnx', 'mlp-promoted.onnx', { x, y, reps: [V(SO(3)), V(SO(3))], weight: 0.1, epochs: 100 });
 */
export async function promoteOnnxModel(path: string, out: string, options: PromoteOnnxOptions): Promise<PromoteOnnxReport> {
  const fn = 'promoteOnnxModel';
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be an object with x and y; received ${describe(options)}`);
  const { force = false, ...train } = options;
  const mlp = readMlp(path);
  checkOutputFiles([out], { inputs: [path], force, fn });
  const r = await promoteDenseLayers(mlp.layers, train);
  mlp.writeWeights(out, { layers: r.layers, force });
  return {
    out,
    loss: r.loss,
    layers: mlp.layers.map((l) => ({ name: l.name, dimIn: l.W.cols, dimOut: l.W.rows, activation: l.activation })),
  };
}
