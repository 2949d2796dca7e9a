import * as tf from '@tensorflow/tfjs';
import { candidateGenerators, symmetriesFromMatrix, type Candidate, type GeneratorPair, type Matrix } from '@liesym/core';
import { InvalidArgumentError } from './errors.js';
import { discoverMatrix, modelDims, samplesMatrix } from './discoverSymmetries.js';

/** One record of {@link SymmetryMonitor}. */
export interface SymmetryRecord {
  epoch: number;
  /** All singular values of D_F, ascending. */
  singularValues: number[];
  /** Number of singular values ≤ rtol·σ_max. */
  dimension: number;
  /** The spectral gap at that decision. */
  gap: number;
}

/** Options of {@link SymmetryMonitor}. */
export interface SymmetryMonitorOptions {
  /** Samples at which the Lie derivatives are evaluated, [S, n]. */
  xs: tf.Tensor2D | number[][];
  /** Candidate algebra (default 'gl-input'). */
  candidate?: Candidate;
  /** Record every k epochs (default 1); epoch 0 is always recorded. */
  every?: number;
  /** Relative threshold of the dimension count (default 1e-2: training-time models are only nearly symmetric). */
  rtol?: number;
  /**
   * Receives each record as one JSON line (without the newline). In Node, pass
   * `jsonLinesWriter(path)` from '@liesym/tfjs/node' to append to a file.
   */
  write?: (line: string) => void;
}

/**
 * A tfjs training callback that records the singular-value spectrum of the model's
 * Lie-derivative operator D_F (see {@link discoverSymmetries}) every k epochs, into
 * `history` and optionally as JSON lines: watch a symmetry emerge (σ → 0) while training.
 * @example
 * const monitor = new SymmetryMonitor({ xs, candidate: 'gl-input', every: 5 });
 * await model.fit(x, y, { epochs: 50, callbacks: [monitor] });
 * monitor.history.at(-1)?.singularValues;
 */
export class SymmetryMonitor extends tf.Callback {
  readonly history: SymmetryRecord[] = [];
  private readonly xs: tf.Tensor2D | number[][];
  private readonly candidate: Candidate;
  private readonly every: number;
  private readonly rtol: number;
  private readonly write: ((line: string) => void) | undefined;
  private cache: { x: Matrix; pairs: GeneratorPair[]; m: number } | undefined;

  constructor(options: SymmetryMonitorOptions) {
    super();
    const fn = 'SymmetryMonitor';
    if (!options || options.xs === undefined) throw new InvalidArgumentError(`${fn}: 'xs' is required; received ${String(options?.xs)}`);
    this.every = options.every ?? 1;
    if (!Number.isInteger(this.every) || this.every < 1) throw new InvalidArgumentError(`${fn}: 'every' must be an integer ≥ 1; received ${String(this.every)}`);
    this.rtol = options.rtol ?? 1e-2;
    if (options.write !== undefined && typeof options.write !== 'function') {
      throw new InvalidArgumentError(`${fn}: 'write' must be a function (line: string) => void; received ${String(options.write)}`);
    }
    this.xs = options.xs;
    this.candidate = options.candidate ?? 'gl-input';
    this.write = options.write;
  }

  /** Computes and stores one record for the current model. */
  record(epoch: number): SymmetryRecord {
    const model = this.model as unknown as tf.LayersModel;
    if (!this.cache) {
      const [n, m] = modelDims('SymmetryMonitor', model);
      this.cache = { x: samplesMatrix('SymmetryMonitor', this.xs, n), pairs: candidateGenerators(this.candidate, n, m, 'SymmetryMonitor'), m };
    }
    const { x, pairs, m } = this.cache;
    const r = symmetriesFromMatrix(discoverMatrix(model, x, pairs, m, 128), pairs, this.rtol);
    const rec: SymmetryRecord = { epoch, singularValues: Array.from(r.singularValues), dimension: r.dimension, gap: r.gap };
    this.history.push(rec);
    this.write?.(JSON.stringify(rec));
    return rec;
  }

  override async onEpochEnd(epoch: number): Promise<void> {
    if (epoch % this.every === 0) this.record(epoch);
  }
}
