import * as tf from '@tensorflow/tfjs';
import {
  InvalidArgumentError,
  Matrix,
  ShapeMismatchError,
  UnsupportedOperationError,
  checkIndexMapTransforms,
  checkPenaltyOptions,
  errorMessage,
  finiteDifferenceStencil,
  finiteDifferenceStep,
  nuclearNormPenalty,
  resolveCandidate,
  samplePool,
  type Candidate,
  type CheckedIndexMap,
  type DataAction,
  type FiniteDifferenceOptions,
  type GeneratorPair,
  type ImageLayout,
  type IndexMapTransform,
} from '@liesym/core';
import { addPenaltyTo, checkWeight, float64Penalty } from './internal/penaltyBridge.js';
import { modelIndexMaps } from './checkDiscrete.js';
import { modelShapes, samplesMatrix } from './modelEvaluator.js';

/** Options of {@link functionSymmetryPenalty}. */
export interface FunctionSymmetryPenaltyOptions extends FiniteDifferenceOptions {
  /**
   * Samples x_s: a tensor [S, n] or [S, …inputShape] (images [S, H, W, C]), or rows of n numbers
   * (flattened row-major); copied. Give `samples` or `sampler`.
   */
  samples?: tf.Tensor | number[][];
  /** @deprecated Use `samples` (same meaning); `xs` will be removed in the next minor version. */
  xs?: tf.Tensor | number[][];
  /** Draws fresh samples ([B, n] or [B, …inputShape]) at every evaluation instead of fixed `samples` (the returned tensor is disposed by the penalty). */
  sampler?: () => tf.Tensor | number[][];
  /** With `samples`: a fresh random subset of this many rows at every evaluation (core's `samplePool`; default: all rows, every time). */
  batchSize?: number;
  /** Seed of the random subsets (default 0). */
  seed?: number;
  /**
   * The candidate algebra (core's `Candidate`): 'gl-input', 'gl-lift', 'gl-input-output', [A_in, A_out] pairs, or a
   * structured candidate on the input field (core's `imageCandidates`/`signalCandidates` for the model's shapes) with a
   * trivial, scaling or vector action on the outputs. Give `candidate` or `transforms`.
   */
  candidate?: Candidate;
  /**
   * Candidate group elements instead of an algebra: names of core's `DISCRETE_TRANSFORMS` resolved from the model's
   * per-sample input shape (flip-horizontal, flip-vertical, rotate90, rotate180, rotate270, transpose for images;
   * time-reversal for signals) or core's index maps. Column k of D_F is then F(h_k·x) − P_k·F(x) (see the class).
   */
  transforms?: ReadonlyArray<string | IndexMapTransform>;
  /** With `transforms`: the output permutation P_h of every named transform (default none: invariance). */
  outputPermutation?: ArrayLike<number>;
  /** With `transforms`: the layout of a 3-D image input (default core's `guessImageLayout`, fallback 'NHWC'). */
  layout?: ImageLayout;
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
  /**
   * δ > 0: the reweighted nuclear norm γ·Σ wᵢσᵢ instead, wᵢ = δσ_max / (δσ_max + σᵢ) computed from the current D_F at
   * every evaluation and held fixed in the gradient (core's `nuclearNormPenalty` with `reweight`: one
   * majorize–minimize step of the log-det rank surrogate). Directions the data break (σᵢ ≫ δσ_max) get weight ≈ δσ_max/σᵢ
   * and are barely pushed; the nearly symmetric ones get weight → 1 as σᵢ → 0. Not with `normalize: 'frobenius'`.
   * Default: none (the plain or normalized nuclear norm).
   */
  reweight?: number;
}

/** How the outputs move under the candidate: nothing, y ↦ a_j·y, or y ↦ B_j·y. */
type OutputAction = { kind: 'trivial' } | { kind: 'scale'; a: tf.Tensor3D } | { kind: 'vector'; gens: tf.Tensor3D };

/** The input side of a Lie-algebra candidate: v = A_j·x in tfjs, or core's field tangents per sample. */
type InputAction = { kind: 'vector'; gens: tf.Tensor3D } | { kind: 'field'; action: DataAction; mats: Matrix[] };

/** An index-map transform as tensors: gather indices and signs of its input and output maps. */
interface TransformTensors {
  input: tf.Tensor1D;
  inputSign: tf.Tensor1D | undefined;
  output: tf.Tensor1D | undefined;
  outputSign: tf.Tensor1D | undefined;
}

/**
 * A function-level promote penalty for any model F: γ·‖D_F‖_* (or γ·‖D_F‖_* / ‖D_F‖_F, or the reweighted γ·Σ wᵢσᵢ) over a
 * candidate algebra or a set of candidate group elements, on a vector model [batch, n] → [batch, m]
 * or on images and other shaped inputs (flattened row-major: n and m are the per-sample sizes).
 *
 * - `candidate` (a Lie algebra): D_F[(s, i), j] = (1/√S)·(L_ξⱼ F)(x_s)ᵢ over core's orthonormal
 *   candidate (`resolveCandidate`), with L_ξ F(x) = DF(x)·t_ξ(x) − B_ξ·F(x): t_ξ(x) = A_ξ·x for
 *   matrix candidates, core's field tangent (`DataAction.tangents`, float64, per sample) for a
 *   structured one such as `imageCandidates` (rotation, translations, scaling of an image).
 *   DF(x)·v is taken inside tfjs (so the penalty stays differentiable, without second derivatives)
 *   by core's finite-difference rule: its stencil (`finiteDifferenceStencil`: central, or
 *   Richardson) and its step (`finiteDifferenceStep` for float32, default ε^(1/3) ≈ 4.9e-3) with
 *   h·‖v‖ = step·‖x‖ per sample and generator.
 * - `transforms` (group elements h_k, core's index maps: flips, quarter turns, time reversal):
 *   D_F[(s, i), k] = (1/√S)·(F(h_k·x_s) − P_k·F(x_s))ᵢ, exact (no step). Its nuclear norm is
 *   small when F commutes with most of the h_k, and zero when F is invariant (equivariant) under all.
 *
 * The nuclear norm and its (sub)gradient are core's, in float64.
 *
 * Two choices matter when the model is a neural network trained with Adam:
 * - Samples: on a fixed small set the network can become symmetric at those points only.
 *   Pass a large pool with `batchSize`, or a `sampler`, so each step sees new points;
 *   inputs need no labels.
 * - Scale: ‖D_F‖_* is 1-homogeneous in F, so its gradient mostly shrinks F's derivatives
 *   everywhere, and Adam's per-parameter scaling makes that push strong once the data are
 *   fitted; too large a γ makes F constant (a classifier then predicts one class).
 *   `normalize: 'frobenius'` removes that direction (its gradient is orthogonal to D_F) and
 *   leaves only the push toward low rank — which is what discovery over an algebra needs, and
 *   useless for pushing a classifier toward invariance under a few group elements (it would
 *   only make their columns parallel): choose γ on validation data there instead.
 *   `reweight: δ` keeps the push toward low rank but puts it on the nearly symmetric directions
 *   (weights ≈ 1 there, ≈ δσ_max/σᵢ on the ones the data break), so the model is not flattened
 *   along the generators it must break.
 *
 * @throws InvalidArgumentError for bad options (neither or both of `candidate` and `transforms`);
 *   EmptyInputError for no samples or no transforms; ShapeMismatchError when samples do not fit
 *   the model or a transform does not fit its shapes; NonFiniteError for NaN samples;
 *   UnsupportedOperationError for a structured candidate acting on the outputs as a field
 * @example
 * const penalty = functionSymmetryPenalty(model, { samples: unlabeled, batchSize: 256, candidate: 'gl-input', weight: 0.1, normalize: 'frobenius' });
 * penalty.addTo(model); // then model.fit as usual
 * @example
 * // an image classifier [B, 21, 21, 1] → [B, 10], pushed toward invariance under quarter turns and a mirror
 * functionSymmetryPenalty(cnn, { samples: images, batchSize: 32, transforms: ['rotate90', 'flip-horizontal'], weight: 1 });
 */
export class FunctionSymmetryPenalty {
  readonly weight: number;
  /** The relative finite-difference step (h·‖A·x‖ = step·‖x‖). */
  readonly step: number;
  readonly richardson: boolean;
  /** @deprecated Always 'central' (see the option). */
  readonly difference = 'central' as const;
  readonly normalize: 'none' | 'frobenius';
  /** δ of the reweighted nuclear norm, or undefined (the plain or normalized one). */
  readonly reweight: number | undefined;
  /** The orthonormal candidate pairs (empty with `transforms`). */
  readonly candidate: GeneratorPair[];
  /** The checked index maps (empty with `candidate`). */
  readonly transforms: CheckedIndexMap[];
  /** Singular values of D_F at the last evaluation, ascending. */
  lastSingularValues: Float64Array = new Float64Array(0);
  private readonly model: tf.LayersModel;
  private readonly draw: () => Matrix;
  private readonly inputShape: number[];
  private readonly n: number;
  private readonly m: number;
  private readonly actIn: InputAction | undefined;
  private readonly actOut: OutputAction;
  private readonly maps: TransformTensors[];

  constructor(model: tf.LayersModel, options: FunctionSymmetryPenaltyOptions) {
    const fn = 'functionSymmetryPenalty';
    const shapes = modelShapes(fn, model);
    ({ dimIn: this.n, dimOut: this.m, inputShape: this.inputShape } = shapes);
    if (options === null || typeof options !== 'object') throw new InvalidArgumentError(errorMessage(fn, 'options', { expected: 'an object', received: options }));
    this.model = model;
    this.weight = checkWeight(fn, options.weight ?? 0.01);
    this.richardson = options.richardson ?? false;
    this.step = finiteDifferenceStep({ ...options, dtype: 'float32', fn });
    if (![undefined, 'central', 'forward'].includes(options.difference)) throw new InvalidArgumentError(errorMessage(fn, 'difference', { expected: "'central' or 'forward'", received: options.difference }));
    ({ normalize: this.normalize, reweight: this.reweight } = checkPenaltyOptions(fn, options));
    this.draw = sampleSource(fn, options, { n: this.n, inputShape: this.inputShape });
    if ((options.candidate === undefined) === (options.transforms === undefined)) {
      throw new InvalidArgumentError(`${fn}: give exactly one of 'candidate' (a Lie algebra) and 'transforms' (group elements); received ${options.candidate === undefined ? 'neither' : 'both'}`);
    }
    if (options.transforms !== undefined) {
      this.candidate = [];
      this.transforms = checkIndexMapTransforms(
        fn,
        modelIndexMaps(fn, model, { shapes, options: { ...options, transforms: options.transforms } }),
        { dimIn: this.n, dimOut: this.m },
      );
      this.maps = this.transforms.map(transformTensors);
      this.actIn = undefined;
      this.actOut = { kind: 'trivial' };
      return;
    }
    this.transforms = [];
    this.maps = [];
    const resolved = resolveCandidate(options.candidate!, { dimIn: this.n, dimOut: this.m, fn });
    this.candidate = resolved.pairs;
    const q = this.candidate.length;
    const stack = (side: 0 | 1, d: number): tf.Tensor3D => tf.tensor3d(Float32Array.from(this.candidate.flatMap((p) => Array.from(p[side].data))), [q, d, d]);
    const { actIn, actOut } = resolved;
    if (actOut.kind === 'field') {
      throw new UnsupportedOperationError(`${fn}: 'candidate' must act on the outputs trivially, by a scaling or linearly; received a structured candidate on output fields (use core's discoverSymmetries with a modelEvaluator for field outputs)`);
    }
    if (actIn.kind === 'scale' || actIn.kind === 'trivial') {
      throw new UnsupportedOperationError(`${fn}: 'candidate' must act on the inputs linearly or as a field; received a ${actIn.kind} action on the inputs`);
    }
    this.actIn = actIn.kind === 'vector' ? { kind: 'vector', gens: stack(0, this.n) } : { kind: 'field', action: actIn, mats: this.candidate.map((p) => p[0]) };
    if (actOut.kind === 'vector') this.actOut = { kind: 'vector', gens: stack(1, this.m) };
    else if (actOut.kind === 'scale') this.actOut = { kind: 'scale', a: tf.tensor3d(Float32Array.from(this.candidate.map((p) => p[1].data[0]!)), [q, 1, 1]) };
    else this.actOut = { kind: 'trivial' };
  }

  /**
   * The discover matrix D_F as a tensor [S·m, q] (rows (sample, output), scaled by 1/√S; q generators or
   * transforms), on this evaluation's samples (new ones with `batchSize` or `sampler`; float32 from here on).
   */
  discoverMatrix(): tf.Tensor2D {
    const X = this.draw();
    return tf.tidy(() => {
      const s = X.rows;
      const x = tf.tensor2d(Float32Array.from(X.data), [s, this.n]);
      const columns = this.actIn ? this.lieColumns(X, x) : this.transformColumns(x); // [q, S, m]
      const q = columns.shape[0];
      return tf.mul(tf.transpose(tf.reshape(columns, [q, s * this.m])), 1 / Math.sqrt(s)) as tf.Tensor2D;
    });
  }

  /** F on flattened points [P, n] → [P, m]. */
  private apply(points: tf.Tensor): tf.Tensor {
    const y = this.model.apply(tf.reshape(points, [-1, ...this.inputShape])) as tf.Tensor;
    return tf.reshape(y, [-1, this.m]);
  }

  /** (L_ξⱼ F)(x_s) for every generator j: [q, S, m]. */
  private lieColumns(X: Matrix, x: tf.Tensor2D): tf.Tensor3D {
    const act = this.actIn!;
    const [s, q] = [X.rows, this.candidate.length];
    let v: tf.Tensor3D; // [q, S, n]: the tangents t_j(x_s)
    if (act.kind === 'vector') v = tf.matMul(tf.tile(tf.expandDims(x, 0), [q, 1, 1]), act.gens, false, true);
    else {
      const t = new Float32Array(q * s * this.n);
      for (let k = 0; k < s; k++) act.action.tangents(act.mats, X.data.subarray(k * this.n, (k + 1) * this.n)).forEach((tj, j) => t.set(tj, (j * s + k) * this.n));
      v = tf.tensor3d(t, [q, s, this.n]);
    }
    const { offsets, weights } = finiteDifferenceStencil({ richardson: this.richardson });
    // core's rule h·‖v‖ = step·‖x‖ (step at x = 0), per sample and generator; v = 0 gives 0
    const xNorm = tf.norm(x, 'euclidean', 1, true);
    const reach = tf.mul(tf.where(tf.greater(xNorm, 0), xNorm, tf.onesLike(xNorm)), this.step); // step·‖x‖, [S, 1]
    const vNorm = tf.norm(v, 'euclidean', 2, true); // [q, S, 1]
    const hv = tf.mul(v, tf.divNoNan(reach, vNorm));
    const points = tf.concat(offsets.map((o) => tf.add(tf.expandDims(x, 0), tf.mul(hv, o))), 0); // [K·q, S, n]
    const y = tf.reshape(this.apply(points), [offsets.length, q, s, this.m]);
    const combined = tf.sum(tf.mul(y, tf.tensor4d(Float32Array.from(weights), [offsets.length, 1, 1, 1])), 0); // Σ weightₖ·F(x + offsetₖ·h·v)
    const d = tf.mul(combined, tf.div(vNorm, reach)) as tf.Tensor3D; // ÷ h
    const out = this.actOut;
    if (out.kind === 'trivial') return d;
    const fx = tf.expandDims(this.apply(x), 0); // [1, S, m]
    return tf.sub(d, out.kind === 'scale' ? tf.mul(fx, out.a) : tf.matMul(tf.tile(fx, [q, 1, 1]), out.gens, false, true));
  }

  /** F(h_k·x_s) − P_k·F(x_s) for every transform k: [T, S, m] (one evaluation of the S·(T + 1) points). */
  private transformColumns(x: tf.Tensor2D): tf.Tensor3D {
    const s = x.shape[0];
    const moved = this.maps.map((t) => (t.inputSign ? tf.mul(tf.gather(x, t.input, 1), t.inputSign) : tf.gather(x, t.input, 1)));
    const y = this.apply(tf.concat([x, ...moved], 0));
    const y0 = tf.slice(y, [0, 0], [s, this.m]);
    return tf.stack(
      this.maps.map((t, k) => {
        const py = t.output ? tf.gather(y0, t.output, 1) : y0;
        return tf.sub(tf.slice(y, [(k + 1) * s, 0], [s, this.m]), t.outputSign ? tf.mul(py, t.outputSign) : py);
      }),
    ) as tf.Tensor3D;
  }

  /** The penalty as a scalar tensor, differentiable with respect to the model's weights. */
  loss(): tf.Scalar {
    return tf.tidy(() => {
      const d = this.discoverMatrix();
      return float64Penalty([d], this.weight, ([data]) => {
        const M = new Matrix(d.shape[0], d.shape[1], Float64Array.from(data!));
        const r = nuclearNormPenalty(M, this.reweight === undefined ? { normalize: this.normalize } : { reweight: this.reweight });
        this.lastSingularValues = r.singularValues;
        return { value: r.value, gradients: [r.gradient.data] };
      });
    });
  }

  /** Adds the penalty as a loss of the model's last layer, so `model.fit` minimizes it. */
  addTo(model: tf.LayersModel = this.model): void {
    addPenaltyTo('FunctionSymmetryPenalty.addTo', model, () => this.loss());
  }

  /** Frees the generator and index tensors. */
  dispose(): void {
    if (this.actIn?.kind === 'vector') this.actIn.gens.dispose();
    if (this.actOut.kind === 'vector') this.actOut.gens.dispose();
    if (this.actOut.kind === 'scale') this.actOut.a.dispose();
    for (const t of this.maps) tf.dispose([t.input, t.inputSign, t.output, t.outputSign].filter((v): v is tf.Tensor1D => v !== undefined));
  }
}

/** A checked index map as gather indices and sign tensors. */
function transformTensors(t: CheckedIndexMap): TransformTensors {
  return {
    input: tf.tensor1d(t.input, 'int32'),
    inputSign: t.inputSign ? tf.tensor1d(Float32Array.from(t.inputSign)) : undefined,
    output: t.output ? tf.tensor1d(t.output, 'int32') : undefined,
    outputSign: t.outputSign ? tf.tensor1d(Float32Array.from(t.outputSign)) : undefined,
  };
}

/** Samples [S, n] or [S, …inputShape] (a tensor) or rows, as a validated Float64 matrix [S, n]. */
function flatSamples(fn: string, xs: unknown, context: { n: number; inputShape: readonly number[]; arg: string }): Matrix {
  const { n, inputShape, arg } = context;
  if (xs instanceof tf.Tensor && xs.rank > 2) {
    const per: number[] = xs.shape.slice(1);
    if (per.length !== inputShape.length || per.some((d, i) => d !== inputShape[i])) {
      throw new ShapeMismatchError(`${fn}: '${arg}' must be [S, ${n}] or [S, ${inputShape.join(', ')}] (the model's input); received shape [${xs.shape.join(', ')}]`);
    }
    const flat = tf.reshape(xs, [xs.shape[0]!, n]);
    try {
      return samplesMatrix(fn, flat, { dimIn: n, arg });
    } finally {
      flat.dispose();
    }
  }
  return samplesMatrix(fn, xs, { dimIn: n, arg });
}

/** The samples of each evaluation: a fresh draw of `sampler`, or `samples` through core's `samplePool`. */
function sampleSource(fn: string, options: FunctionSymmetryPenaltyOptions, shape: { n: number; inputShape: readonly number[] }): () => Matrix {
  const { sampler } = options;
  const samples = options.samples ?? options.xs;
  if ((samples === undefined) === (sampler === undefined)) {
    throw new InvalidArgumentError(`${fn}: give exactly one of 'samples' and 'sampler'; received ${samples === undefined ? 'neither' : 'both'}`);
  }
  if (sampler === undefined) {
    const pool = samplePool(flatSamples(fn, samples, { ...shape, arg: 'samples' }), { ...options, fn });
    return () => pool.next();
  }
  const expected = `a function returning samples [B, ${shape.n}]${shape.inputShape.length > 1 ? ` or [B, ${shape.inputShape.join(', ')}]` : ''}`;
  if (typeof sampler !== 'function') throw new InvalidArgumentError(errorMessage(fn, 'sampler', { expected, received: sampler }));
  if (options.batchSize !== undefined) throw new InvalidArgumentError(errorMessage(fn, 'batchSize', { expected: "absent with 'sampler' (it subsamples 'samples')", received: options.batchSize }));
  return () => {
    const drawn = sampler();
    try {
      return flatSamples(fn, drawn, { ...shape, arg: 'sampler()' });
    } finally {
      if (drawn instanceof tf.Tensor) drawn.dispose();
    }
  };
}

/** Creates a {@link FunctionSymmetryPenalty} for `model`. */
export function functionSymmetryPenalty(model: tf.LayersModel, options: FunctionSymmetryPenaltyOptions): FunctionSymmetryPenalty {
  return new FunctionSymmetryPenalty(model, options);
}
