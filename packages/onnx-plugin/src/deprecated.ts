/**
 * Names of @liesym/onnx 0.1 whose mathematics moved to @liesym/core, kept for one minor
 * version (removed in 0.3) as thin aliases over core, with their 0.1 signatures (so they
 * keep 0.1's positional parameters). Each says what replaces it.
 */
import { Matrix, ShapeMismatchError, candidateFamily, directionalDerivatives as directionalProgram, finiteDifferenceStep } from '@liesym/core';
import { periodicDerivativeMatrix, runProgramAsync, sampleWeights, sampledLieDerivatives } from '@liesym/core';
import type { DataAction, Direction, FiniteDifferenceOptions, GeneratorPair, SamplingOptions, SpatialDerivative } from '@liesym/core';
import type { EvaluateOptions, OnnxModel } from './loadModel.js';

/** @deprecated Use `SamplingOptions` from @liesym/core (the same fields). */
export type SampleOptions = SamplingOptions;

/** @deprecated Use `periodicDerivativeMatrix(n, { kind })` from @liesym/core. */
export function derivativeMatrix(n: number, kind: SpatialDerivative): Float64Array {
  return periodicDerivativeMatrix(n, { kind });
}

/**
 * @deprecated Run core's `directionalDerivatives` program with `runProgramAsync(fn, program, model)`.
 * F at the first `count` points and DF(x)·v per direction, by core's one finite-difference rule.
 */
// eslint-disable-next-line @typescript-eslint/max-params -- the deprecated 0.1 signature, kept for one minor version (removed in 0.3)
export async function directionalDerivatives(model: OnnxModel, points: Float64Array, count: number, directions: readonly Direction[], options: FiniteDifferenceOptions & EvaluateOptions = {}): Promise<{ values: Float64Array; derivatives: Float64Array[] }> {
  const program = directionalProgram(points.subarray(0, count * model.dimIn), directions, { ...options, dimIn: model.dimIn, dimOut: model.dimOut, dtype: model.dtype });
  return runProgramAsync('directionalDerivatives', program, model.withProgress(options.onProgress));
}

/** @deprecated Use core's `finiteDifferenceJacobian`, or core's engine directly. F and DF (dimOut×dimIn per point). */
// eslint-disable-next-line @typescript-eslint/max-params -- the deprecated 0.1 signature, kept for one minor version (removed in 0.3)
export async function jacobians(model: OnnxModel, points: Float64Array, count: number, options: FiniteDifferenceOptions & EvaluateOptions = {}): Promise<{ values: Float64Array; jacobians: Float64Array[] }> {
  const [n, m] = [model.dimIn, model.dimOut];
  const dirs = Array.from({ length: count * n }, (_, d) => ({ point: Math.floor(d / n), v: Float64Array.from({ length: n }, (_, j) => (j === d % n ? 1 : 0)) }));
  const { values, derivatives } = await directionalDerivatives(model, points, count, dirs, options);
  const jac = Array.from({ length: count }, (_, s) => Float64Array.from({ length: m * n }, (_, e) => derivatives[s * n + (e % n)]![Math.floor(e / n)]!));
  return { values, jacobians: jac };
}

/**
 * @deprecated Read `matrix` of `discoverSymmetries`' result (core's discover matrix D_F, rows
 * scaled by 1/√S). The actions are now core's `DataAction`s (`vectorAction`, `gridFieldAction`, …).
 */
// eslint-disable-next-line @typescript-eslint/max-params -- the deprecated 0.1 signature, kept for one minor version (removed in 0.3)
export async function discoverMatrix(model: OnnxModel, points: Float64Array, count: number, pairs: readonly GeneratorPair[], actIn: DataAction, actOut: DataAction, options: FiniteDifferenceOptions & EvaluateOptions = {}): Promise<Matrix> {
  const fn = 'discoverMatrix';
  if (pairs.some(([a, b]) => a.rows !== actIn.size || b.rows !== actOut.size)) throw new ShapeMismatchError(`${fn}: 'pairs' must be ${actIn.size}×${actIn.size} and ${actOut.size}×${actOut.size} (core's actions); received other sizes`);
  const X = new Matrix(count, model.dimIn, points.slice(0, count * model.dimIn));
  const step = finiteDifferenceStep({ ...options, dtype: model.dtype, fn });
  const family = candidateFamily({ pairs: [...pairs], actIn, actOut, named: null });
  const program = sampledLieDerivatives(X, family, { ...options, step, dimOut: model.dimOut, dtype: model.dtype, sqrtWeights: sampleWeights(fn, count) });
  return (await runProgramAsync(fn, program, model.withProgress(options.onProgress))).matrix;
}
