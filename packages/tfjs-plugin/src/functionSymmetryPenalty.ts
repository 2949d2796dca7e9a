import * as tf from '@tensorflow/tfjs';
import {
  InvalidArgumentError,
  Matrix,
  UnsupportedOperationError,
  errorMessage,
  finiteDifferenceStencil,
  finiteDifferenceStep,
  nuclearNormPenalty,
  resolveCandidate,
  samplePool,
  type Candidate,
  type FiniteDifferenceOptions,
  type GeneratorPair,
} from '@liesym/core';
import { addPenaltyTo, checkWeight, float64Penalty } from './internal/penaltyBridge.js';
import { modelDims, samplesMatrix } from './modelEvaluator.js';

/** Options of {@link functionSymmetryPenalty}. */
export interface FunctionSymmetryPenaltyOptions extends FiniteDifferenceOptions {
  /** Samples x_s, shape [S, n] (a tensor or nested arrays; copied). Give `samples` or `sampler`. */
  samples?: tf.Tensor2D | number[][];
  /** @deprecated Use `samples` (same meaning); `xs` will be removed in the next minor version. */
  xs?: tf.Tensor2D | number[][];
  /** Draws fresh samples [B, n] at every evaluation instead of fixed `samples` (the returned tensor is disposed by the penalty). */
  sampler?: () => tf.Tensor2D | number[][];
  /** With `samples`: a fresh random subset of this many rows at every evaluation (core's `samplePool`; default: all rows, every time). */
  batchSize?: number;
  /** Seed of the random subsets (default 0). */
  seed?: number;
  /** The candidate algebra (core's `Candidate`): 'gl-input', 'gl-lift', 'gl-input-output' or pairs. */
  candidate: Candidate;
  /** γ (default 0.01). */
  weight?: number;
  /**
   * @deprecated There is one finite-difference rule (core's: central, or `richardson: true`); 'forward' now gets central
   * differences too (O(h²) error, twice the old forward scheme's evaluations). Removed in the next minor version.
   */
  difference?: 'central' | 'forward';
  /**
   * 'none' (default): γ‖D_F‖_*. 'frobenius': γ‖D_F‖_* / ‖D_F‖_F (core's `nuclearNormPenalty`), in [1, √rank] and
   * unchanged when F is scaled, so it can only be lowered by making D_F lower in rank, not by flattening F.
   */
  normalize?: 'none' | 'frobenius';
}

/**
 * A function-level promote penalty for any model F: γ·‖D_F‖_* (or γ·‖D_F‖_* / ‖D_F‖_F), where
 * D_F[(s, i), j] = (1/√S)·(L_ξⱼ F)(x_s)ᵢ over core's orthonormal candidate (`resolveCandidate`),
 * with L_ξ F(x) = DF(x)·A_in·x − A_out·F(x). DF(x)·v is taken inside tfjs (so the penalty
 * stays differentiable, without second derivatives) by core's finite-difference rule: its
 * stencil (`finiteDifferenceStencil`: central, or Richardson) and its step
 * (`finiteDifferenceStep` for float32, default ε^(1/3) ≈ 4.9e-3) with h·‖v‖ = step·‖x‖ per
 * sample and generator. The nuclear norm and its (sub)gradient are core's, in float64.
 *
 * Two choices matter when the model is a neural network trained with Adam:
 * - Samples: on a fixed small set the network can become symmetric at those points only.
 *   Pass a large pool with `batchSize`, or a `sampler`, so each step sees new points;
 *   inputs need no labels.
 * - Scale: ‖D_F‖_* is 1-homogeneous in F, so its gradient mostly shrinks F's derivatives
 *   everywhere, and Adam's per-parameter scaling makes that push strong once the data are
 *   fitted. `normalize: 'frobenius'` removes that direction (its gradient is orthogonal to
 *   D_F) and leaves only the push toward low rank.
 *
 * @throws InvalidArgumentError for bad options; EmptyInputError for no samples;
 *   ShapeMismatchError when samples do not fit the model; NonFiniteError for NaN samples;
 *   UnsupportedOperationError for a structured (field) candidate
 * @example
 * const penalty = functionSymmetryPenalty(model, { samples: unlabeled, batchSize: 256, candidate: 'gl-input', weight: 0.1, normalize: 'frobenius' });
 * penalty.addTo(model); // then model.fit as usual
 */
export class FunctionSymmetryPenalty {
  readonly weight: number;
  /** The relative finite-difference step (h·‖A·x‖ = step·‖x‖). */
  readonly step: number;
  readonly richardson: boolean;
  /** @deprecated Always 'central' (see the option). */
  readonly difference = 'central' as const;
  readonly normalize: 'none' | 'frobenius';
  readonly candidate: GeneratorPair[];
  /** Singular values of D_F at the last evaluation, ascending. */
  lastSingularValues: Float64Array = new Float64Array(0);
  private readonly model: tf.LayersModel;
  private readonly draw: () => Matrix;
  private readonly ains: tf.Tensor3D;
  private readonly outGens: tf.Tensor3D | undefined;
  private readonly n: number;
  private readonly m: number;

  constructor(model: tf.LayersModel, options: FunctionSymmetryPenaltyOptions) {
    const fn = 'functionSymmetryPenalty';
    ({ dimIn: this.n, dimOut: this.m } = modelDims(fn, model));
    if (options === null || typeof options !== 'object') throw new InvalidArgumentError(errorMessage(fn, 'options', { expected: 'an object', received: options }));
    this.model = model;
    this.weight = checkWeight(fn, options.weight ?? 0.01);
    this.richardson = options.richardson ?? false;
    this.step = finiteDifferenceStep({ ...options, dtype: 'float32', fn });
    this.normalize = options.normalize ?? 'none';
    if (![undefined, 'central', 'forward'].includes(options.difference)) throw new InvalidArgumentError(errorMessage(fn, 'difference', { expected: "'central' or 'forward'", received: options.difference }));
    if (!['none', 'frobenius'].includes(this.normalize)) throw new InvalidArgumentError(errorMessage(fn, 'normalize', { expected: "'none' or 'frobenius'", received: this.normalize }));
    const { sampler } = options;
    const samples = options.samples ?? options.xs;
    if ((samples === undefined) === (sampler === undefined)) {
      throw new InvalidArgumentError(`${fn}: give exactly one of 'samples' and 'sampler'; received ${samples === undefined ? 'neither' : 'both'}`);
    }
    if (sampler !== undefined) {
      if (typeof sampler !== 'function') throw new InvalidArgumentError(errorMessage(fn, 'sampler', { expected: `a function returning samples [B, ${this.n}]`, received: sampler }));
      if (options.batchSize !== undefined) throw new InvalidArgumentError(errorMessage(fn, 'batchSize', { expected: "absent with 'sampler' (it subsamples 'samples')", received: options.batchSize }));
      this.draw = () => {
        const drawn = sampler();
        try {
          return samplesMatrix(fn, drawn, { dimIn: this.n, arg: 'sampler()' });
        } finally {
          if (drawn instanceof tf.Tensor) drawn.dispose();
        }
      };
    } else {
      const pool = samplePool(samplesMatrix(fn, samples, { dimIn: this.n, arg: 'samples' }), { ...options, fn });
      this.draw = () => pool.next();
    }
    const resolved = resolveCandidate(options.candidate, { dimIn: this.n, dimOut: this.m, fn });
    if (resolved.actIn.kind !== 'vector') {
      throw new UnsupportedOperationError(`${fn}: 'candidate' must act linearly on the input vector (names or [A_in, A_out] pairs); received a structured candidate on ${resolved.actIn.kind}s`);
    }
    this.candidate = resolved.pairs;
    const stack = (side: 0 | 1, d: number): tf.Tensor3D => tf.tensor3d(Float32Array.from(this.candidate.flatMap((p) => Array.from(p[side].data))), [this.candidate.length, d, d]);
    this.ains = stack(0, this.n);
    this.outGens = resolved.actOut.kind === 'vector' ? stack(1, this.m) : undefined;
  }

  /**
   * The discover matrix D_F as a tensor [S·m, q] (rows (sample, output), scaled by 1/√S), on
   * this evaluation's samples (new ones with `batchSize` or `sampler`; float32 from here on).
   */
  discoverMatrix(): tf.Tensor2D {
    const X = this.draw();
    return tf.tidy(() => {
      const [s, q] = [X.rows, this.candidate.length];
      const x = tf.tensor2d(Float32Array.from(X.data), [s, this.n]);
      const { offsets, weights } = finiteDifferenceStencil({ richardson: this.richardson });
      const v = tf.matMul(tf.tile(tf.expandDims(x, 0), [q, 1, 1]), this.ains, false, true); // [q, S, n]: v = A_j·x_s
      // core's rule h·‖v‖ = step·‖x‖ (step at x = 0), per sample and generator; v = 0 gives 0
      const xNorm = tf.norm(x, 'euclidean', 1, true);
      const reach = tf.mul(tf.where(tf.greater(xNorm, 0), xNorm, tf.onesLike(xNorm)), this.step); // step·‖x‖, [S, 1]
      const vNorm = tf.norm(v, 'euclidean', 2, true); // [q, S, 1]
      const hv = tf.mul(v, tf.divNoNan(reach, vNorm));
      const points = tf.concat(offsets.map((o) => tf.add(tf.expandDims(x, 0), tf.mul(hv, o))), 0); // [K·q, S, n]
      const y = tf.reshape(this.model.apply(tf.reshape(points, [-1, this.n])) as tf.Tensor, [offsets.length, q, s, this.m]);
      const combined = tf.sum(tf.mul(y, tf.tensor4d(Float32Array.from(weights), [offsets.length, 1, 1, 1])), 0); // Σ weightₖ·F(x + offsetₖ·h·v)
      let d = tf.mul(combined, tf.div(vNorm, reach)); // ÷ h
      if (this.outGens) d = tf.sub(d, tf.matMul(tf.tile(tf.expandDims(this.model.apply(x) as tf.Tensor2D, 0), [q, 1, 1]), this.outGens, false, true));
      return tf.mul(tf.transpose(tf.reshape(d, [q, s * this.m])), 1 / Math.sqrt(s)) as tf.Tensor2D;
    });
  }

  /** The penalty as a scalar tensor, differentiable with respect to the model's weights. */
  loss(): tf.Scalar {
    return tf.tidy(() => {
      const d = this.discoverMatrix();
      return float64Penalty([d], this.weight, ([data]) => {
        const r = nuclearNormPenalty(new Matrix(d.shape[0], d.shape[1], Float64Array.from(data!)), { normalize: this.normalize });
        this.lastSingularValues = r.singularValues;
        return { value: r.value, gradients: [r.gradient.data] };
      });
    });
  }

  /** Adds the penalty as a loss of the model's last layer, so `model.fit` minimizes it. */
  addTo(model: tf.LayersModel = this.model): void {
    addPenaltyTo('FunctionSymmetryPenalty.addTo', model, () => this.loss());
  }

  /** Frees the generator tensors. */
  dispose(): void {
    this.ains.dispose();
    this.outGens?.dispose();
  }
}

/** Creates a {@link FunctionSymmetryPenalty} for `model`. */
export function functionSymmetryPenalty(model: tf.LayersModel, options: FunctionSymmetryPenaltyOptions): FunctionSymmetryPenalty {
  return new FunctionSymmetryPenalty(model, options);
}
