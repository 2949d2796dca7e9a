import { InvalidArgumentError, describe, drawSamples, type Evaluator, type Matrix, type Rng, type SamplingOptions } from '@liesym/core';
import { OnnxModel } from './loadModel.js';

/** Options every analysis of an {@link OnnxModel} shares: core's sample options and a progress callback. */
export interface OnnxAnalysisOptions extends SamplingOptions {
  /** Called with the fraction of the points of each batched evaluation done (for progress bars). Default: none. */
  onProgress?: (fraction: number) => void;
}

/** The keys {@link runAnalysis} consumes itself (a Record, so that a new sample option cannot be missed). */
const ANALYSIS_KEYS: Record<keyof OnnxAnalysisOptions, true> = { samples: true, sampler: true, seed: true, onProgress: true };

/** What of an analysis' options goes on to core's engine: all but the sample options and `onProgress`. */
export function engineOptions<O extends OnnxAnalysisOptions>(options: O): Omit<O, keyof OnnxAnalysisOptions> {
  const engine: Partial<O> = { ...options };
  for (const key of Object.keys(ANALYSIS_KEYS) as Array<keyof OnnxAnalysisOptions>) delete engine[key];
  return engine as Omit<O, keyof OnnxAnalysisOptions>;
}

/** @throws InvalidArgumentError when `model` is not an OnnxModel */
export function checkModel(model: unknown, fn: string): asserts model is OnnxModel {
  if (!(model instanceof OnnxModel)) throw new InvalidArgumentError(`${fn}: 'model' must be an OnnxModel from loadModel(); received ${describe(model)}`);
}

/**
 * Runs one of core's async analyses on an ONNX model: validates the model, draws the samples
 * with core's `drawSamples` (`defaultCount` and `fallback` sampler when none are given),
 * passes the model as core's evaluator (reporting progress) and adds the number of
 * `session.run` calls the analysis made as `runs`.
 * @throws InvalidArgumentError when `model` is not an OnnxModel or options are not an object
 */
export async function runAnalysis<T extends object>(
  model: OnnxModel,
  options: OnnxAnalysisOptions,
  spec: { fn: string; defaultCount?: number; fallback?: (rng: Rng) => ArrayLike<number>; run: (ev: Evaluator, xs: Matrix) => Promise<T> },
): Promise<T & { runs: number }> {
  const { fn } = spec;
  checkModel(model, fn);
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be an object; received ${describe(options)}`);
  const xs = drawSamples(options, { ...spec, dimIn: model.dimIn });
  const before = model.stats.runs;
  const result = await spec.run(model.withProgress(options.onProgress), xs);
  return { ...result, runs: model.stats.runs - before };
}
