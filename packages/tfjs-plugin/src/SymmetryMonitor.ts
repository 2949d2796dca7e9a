import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, checkRtol, defaultTolerance, describe, discoverSymmetries, errorMessage, type Candidate, type Evaluator, type Matrix } from '@liesym/core';
import { convLayerSymmetries } from './convLayerSymmetries.js';
import { modelEvaluator, samplesMatrix } from './modelEvaluator.js';

/** One record of {@link SymmetryMonitor}. */
export interface SymmetryRecord {
  epoch: number;
  /** All singular values of D_F, ascending. */
  singularValues: number[];
  /** The dimension of the symmetry algebra at that epoch (singular values at or below the threshold). */
  dimension: number;
  /** The spectral gap at that decision. */
  gap: number;
  /** Per conv2d layer (with `convLayers: true`): rotation / mirror / scaling norms and the discovered dimension. */
  convLayers?: Array<{ layer: string; rotation: number | undefined; reflection: number | undefined; scaling: number | undefined; dimension: number }>;
}

/** Options of {@link SymmetryMonitor}. */
export interface SymmetryMonitorOptions {
  /** Samples at which the Lie derivatives are evaluated, [S, n]. */
  samples?: tf.Tensor2D | number[][];
  /** @deprecated Use `samples` (same meaning); `xs` will be removed in the next minor version. */
  xs?: tf.Tensor2D | number[][];
  /** Candidate algebra (default 'gl-input'). */
  candidate?: Candidate;
  /** Record every k epochs (default 1); epoch 0 is always recorded. */
  every?: number;
  /**
   * Relative tolerance of the dimension count. Default: `defaultTolerance('rank', { derivative: 'fitted', dtype: 'float32' })`
   * (1e-2). The rule: a model still being trained holds its symmetries only up to its fitting error, like a model fitted to
   * data, so the monitor takes the table's 'fitted' float32 entry, not the exact one.
   */
  rtol?: number;
  /** Also record each conv2d layer's kernel symmetry ({@link convLayerSymmetries}; default false). */
  convLayers?: boolean;
  /** Absolute tolerance (default 0). */
  atol?: number;
  /** Receives each record as one JSON line (no newline); in Node, `jsonLinesWriter(path)` from '@liesym/tfjs/node' appends them to a file. */
  write?: (line: string) => void;
}

/**
 * A tfjs training callback that records the singular-value spectrum of the model's
 * Lie-derivative operator D_F (core's `discoverSymmetries` through {@link modelEvaluator})
 * every k epochs, into `history` and optionally as JSON lines: watch a symmetry emerge
 * (σ → 0) while training.
 * @throws InvalidArgumentError for bad options; at a record, core's errors (e.g.
 *   InsufficientDataError when samples × outputs < the number of candidates)
 * @example
 * const monitor = new SymmetryMonitor({ samples: xs, candidate: 'gl-input', every: 5 });
 * await model.fit(x, y, { epochs: 50, callbacks: [monitor] });
 * monitor.history.at(-1)?.singularValues;
 */
export class SymmetryMonitor extends tf.Callback {
  readonly history: SymmetryRecord[] = [];
  private readonly options: SymmetryMonitorOptions & { samples: tf.Tensor2D | number[][]; rtol: number };
  private readonly every: number;
  private cache: { model: tf.LayersModel; ev: Evaluator; x: Matrix } | undefined;

  constructor(options: SymmetryMonitorOptions) {
    super();
    const fn = 'SymmetryMonitor';
    const samples = options?.samples ?? options?.xs;
    if (samples === undefined) throw new InvalidArgumentError(`${fn}: 'samples' is required; received ${describe(samples)}`);
    this.every = options.every ?? 1;
    if (!Number.isInteger(this.every) || this.every < 1) throw new InvalidArgumentError(`${fn}: 'every' must be an integer ≥ 1; received ${describe(this.every)}`);
    if (options.write !== undefined && typeof options.write !== 'function') throw new InvalidArgumentError(errorMessage(fn, 'write', { expected: 'a function (line: string) => void', received: options.write }));
    this.options = { ...options, samples, rtol: checkRtol(fn, options.rtol ?? defaultTolerance('rank', { derivative: 'fitted', dtype: 'float32' })) };
  }

  /** Computes and stores one record for the current model. */
  record(epoch: number): SymmetryRecord {
    const model = this.model as unknown as tf.LayersModel;
    if (this.cache?.model !== model) {
      const ev = modelEvaluator(model, { fn: 'SymmetryMonitor' });
      this.cache = { model, ev, x: samplesMatrix('SymmetryMonitor', this.options.samples, { dimIn: ev.dimIn, arg: 'samples' }) };
    }
    const { candidate = 'gl-input', rtol, atol = 0 } = this.options;
    const r = discoverSymmetries(this.cache.ev, this.cache.x, { candidate, rtol, atol });
    const rec: SymmetryRecord = { epoch, singularValues: Array.from(r.singularValues), dimension: r.dimension, gap: r.gap };
    if (this.options.convLayers === true) {
      rec.convLayers = convLayerSymmetries(model).map((l) => ({ layer: l.layer, rotation: l.norms.rotation, reflection: l.norms.reflection, scaling: l.norms.scaling, dimension: l.dimension }));
    }
    this.history.push(rec);
    this.options.write?.(JSON.stringify(rec));
    return rec;
  }

  override async onEpochEnd(epoch: number): Promise<void> {
    if (epoch % this.every === 0) this.record(epoch);
  }
}
