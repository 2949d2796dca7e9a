import * as tf from '@tensorflow/tfjs';
import { Matrix, candidateGenerators, createRng, nuclearNorm, type Candidate, type GeneratorPair, type Rng } from '@liesym/core';
import { EmptyInputError, InvalidArgumentError, NonFiniteError, ShapeMismatchError, UnsupportedModelError } from './errors.js';

/** Options of {@link functionSymmetryPenalty}. */
export interface FunctionSymmetryPenaltyOptions {
  /** Samples x_s, shape [S, n] (a tensor or nested arrays; copied). Give `xs` or `sampler`. */
  xs?: tf.Tensor2D | number[][];
  /**
   * Draws fresh samples [B, n] at every evaluation instead of a fixed `xs`, e.g. from the
   * input distribution. The returned tensor is disposed by the penalty.
   */
  sampler?: () => tf.Tensor2D | number[][];
  /**
   * With `xs`: evaluate on a fresh random subset of this many rows at every evaluation
   * (default: all rows, the same every time).
   */
  batchSize?: number;
  /** Seed of the random subsets (default 0). */
  seed?: number;
  /** Candidate generators (see core's `Candidate`): 'gl-input', 'gl-lift', 'gl-input-output' or pairs. */
  candidate: Candidate;
  /** γ (default 0.01). */
  weight?: number;
  /** Finite-difference step h (default 1e-2; float32 arithmetic limits how small it can be). */
  step?: number;
  /**
   * 'central' (default): (F(x + h·A·x) − F(x − h·A·x))/2h, error O(h²), and exactly 0 for
   * F(x) = g(|x|) and antisymmetric A. 'forward': (F(x + h·A·x) − F(x))/h, error O(h), about
   * half the model evaluations.
   */
  difference?: 'central' | 'forward';
  /**
   * 'none' (default): γ‖D_F‖_*. 'frobenius': γ‖D_F‖_* / ‖D_F‖_F, which lies in [1, √rank] and
   * does not change when F is scaled, so it can only be lowered by making D_F lower in rank,
   * not by flattening F (see the class notes).
   */
  normalize?: 'none' | 'frobenius';
}

/**
 * A function-level promote penalty for any model F: γ·‖D_F‖_* (or γ·‖D_F‖_* / ‖D_F‖_F), where
 * D_F[(s, i), j] = (1/√S)·(L_ξⱼ F)(x_s)ᵢ and the Lie derivative is taken by finite differences,
 * L_ξ F(x) ≈ (F(x + h·A_in·x) − F(x − h·A_in·x))/2h − A_out·F(x), so training needs no second
 * derivatives. The singular values and the (sub)gradient come from core's float64 SVD; the
 * rest is ordinary tfjs autodiff through the model.
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
 *   ShapeMismatchError when samples do not fit the model; NonFiniteError for NaN samples
 * @example
 * const penalty = functionSymmetryPenalty(model, { xs: unlabeled, batchSize: 256, candidate: 'gl-input', weight: 0.1, normalize: 'frobenius' });
 * penalty.addTo(model); // then model.fit as usual
 */
export class FunctionSymmetryPenalty {
  readonly weight: number;
  readonly step: number;
  readonly difference: 'central' | 'forward';
  readonly normalize: 'none' | 'frobenius';
  readonly candidate: GeneratorPair[];
  /** Singular values of D_F at the last evaluation, descending. */
  lastSingularValues: Float64Array = new Float64Array(0);
  private readonly model: tf.LayersModel;
  private readonly pool: tf.Tensor2D | undefined;
  private readonly sampler: (() => tf.Tensor2D | number[][]) | undefined;
  private readonly batchSize: number | undefined;
  private readonly rng: Rng;
  private readonly ains: tf.Tensor3D;
  private readonly outGens: tf.Tensor3D | undefined;
  private readonly n: number;
  private readonly m: number;

  constructor(model: tf.LayersModel, options: FunctionSymmetryPenaltyOptions) {
    const fn = 'functionSymmetryPenalty';
    if (!(model instanceof tf.LayersModel)) throw new UnsupportedModelError(`${fn}: 'model' must be a tf.LayersModel; received ${String(model)}`);
    if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be an object; received ${String(options)}`);
    const inShape = model.inputs[0]?.shape ?? [];
    const outShape = model.outputs[0]?.shape ?? [];
    if (inShape.length !== 2 || outShape.length !== 2) {
      throw new UnsupportedModelError(`${fn}: the model must map [batch, n] to [batch, m]; received ${JSON.stringify(inShape)} → ${JSON.stringify(outShape)}`);
    }
    this.n = inShape[1]!;
    this.m = outShape[1]!;
    this.weight = options.weight ?? 0.01;
    this.step = options.step ?? 1e-2;
    this.difference = options.difference ?? 'central';
    this.normalize = options.normalize ?? 'none';
    if (!Number.isFinite(this.weight) || this.weight < 0) throw new InvalidArgumentError(`${fn}: 'weight' must be finite and ≥ 0; received ${String(this.weight)}`);
    if (!(this.step > 0) || !Number.isFinite(this.step)) throw new InvalidArgumentError(`${fn}: 'step' must be finite and > 0; received ${String(this.step)}`);
    if (this.difference !== 'central' && this.difference !== 'forward') {
      throw new InvalidArgumentError(`${fn}: 'difference' must be 'central' or 'forward'; received ${String(this.difference)}`);
    }
    if (this.normalize !== 'none' && this.normalize !== 'frobenius') {
      throw new InvalidArgumentError(`${fn}: 'normalize' must be 'none' or 'frobenius'; received ${String(this.normalize)}`);
    }
    if ((options.xs === undefined) === (options.sampler === undefined)) {
      throw new InvalidArgumentError(`${fn}: give exactly one of 'xs' and 'sampler'; received ${options.xs === undefined ? 'neither' : 'both'}`);
    }
    if (options.sampler !== undefined && typeof options.sampler !== 'function') {
      throw new InvalidArgumentError(`${fn}: 'sampler' must be a function returning samples [B, ${this.n}]; received ${String(options.sampler)}`);
    }
    if (options.sampler !== undefined && options.batchSize !== undefined) {
      throw new InvalidArgumentError(`${fn}: 'batchSize' subsamples 'xs' and cannot be combined with 'sampler'; received batchSize ${String(options.batchSize)}`);
    }
    this.model = model;
    this.rng = createRng(options.seed ?? 0);
    this.sampler = options.sampler;
    if (options.xs !== undefined) {
      const pool = this.toSamples(options.xs, 'xs', true);
      if (options.batchSize !== undefined && (!Number.isInteger(options.batchSize) || options.batchSize < 1 || options.batchSize > pool.shape[0])) {
        pool.dispose();
        throw new InvalidArgumentError(`${fn}: 'batchSize' must be an integer in [1, ${pool.shape[0]}] (the rows of 'xs'); received ${String(options.batchSize)}`);
      }
      this.pool = pool;
      this.batchSize = options.batchSize;
    }
    this.candidate = candidateGenerators(options.candidate, this.n, this.m, fn);
    const q = this.candidate.length;
    this.ains = tf.tensor3d(Float32Array.from(this.candidate.flatMap(([a]) => Array.from(a.data))), [q, this.n, this.n]);
    const anyOut = this.candidate.some(([, b]) => b.maxAbs() > 0);
    this.outGens = anyOut
      ? tf.tensor3d(Float32Array.from(this.candidate.flatMap(([, b]) => Array.from(b.data))), [q, this.m, this.m])
      : undefined;
  }

  /** Checks and copies samples into a float32 [S, n] tensor. */
  private toSamples(xs: tf.Tensor | number[][], name: string, copy: boolean): tf.Tensor2D {
    const fn = 'functionSymmetryPenalty';
    let x: tf.Tensor;
    if (xs instanceof tf.Tensor) x = copy ? tf.clone(xs) : xs;
    else if (Array.isArray(xs)) {
      const cols = xs[0]?.length ?? this.n;
      xs.forEach((row, s) => {
        if (!Array.isArray(row) || row.length !== cols) {
          throw new ShapeMismatchError(`${fn}: '${name}'[${s}] must have ${cols} entries like '${name}'[0]; received ${String(row?.length)}`);
        }
      });
      x = tf.tensor2d(xs, [xs.length, cols], 'float32');
    } else {
      throw new InvalidArgumentError(`${fn}: '${name}' must be a tensor or an array of rows; received ${String(xs)}`);
    }
    if (x.rank !== 2 || x.shape[1] !== this.n) {
      const shape = x.shape.join(', ');
      x.dispose();
      throw new ShapeMismatchError(`${fn}: '${name}' must have shape [S, ${this.n}]; received [${shape}]`);
    }
    if (x.shape[0] === 0) {
      x.dispose();
      throw new EmptyInputError(`${fn}: '${name}' must hold at least one sample; received none`);
    }
    const finite = tf.tidy(() => tf.all(tf.isFinite(x)).dataSync()[0] === 1);
    if (!finite) {
      x.dispose();
      throw new NonFiniteError(`${fn}: '${name}' must be finite; received NaN or ±Infinity`);
    }
    return (x.dtype === 'float32' ? x : tf.tidy(() => { const c = tf.cast(x, 'float32'); x.dispose(); return c; })) as tf.Tensor2D;
  }

  /** The samples of this evaluation: the pool, a random subset of it, or the sampler's draw. */
  private samples(): tf.Tensor2D {
    if (this.sampler) return this.toSamples(this.sampler(), 'sampler()', false);
    const pool = this.pool!;
    const b = this.batchSize;
    if (b === undefined || b === pool.shape[0]) return tf.clone(pool);
    // partial Fisher–Yates: b distinct rows, reproducible from the seed
    const rows = pool.shape[0];
    const idx = Int32Array.from({ length: rows }, (_, i) => i);
    for (let i = 0; i < b; i++) {
      const j = i + this.rng.int(rows - i);
      const t = idx[i]!;
      idx[i] = idx[j]!;
      idx[j] = t;
    }
    return tf.tidy(() => tf.gather(pool, tf.tensor1d(idx.subarray(0, b), 'int32')) as tf.Tensor2D);
  }

  /**
   * The discover matrix D_F as a tensor [S·m, q] (rows (sample, output), scaled by 1/√S), on
   * this evaluation's samples (new ones with `batchSize` or `sampler`).
   */
  discoverMatrix(): tf.Tensor2D {
    const x = this.samples();
    try {
      return tf.tidy(() => {
        const q = this.candidate.length;
        const s = x.shape[0];
        const moved = tf.mul(tf.matMul(tf.tile(tf.expandDims(x, 0), [q, 1, 1]), this.ains, false, true), this.step); // [q, S, n]: h·x·A_jᵀ
        const at = (t: tf.Tensor) => tf.reshape(this.model.apply(tf.reshape(t, [q * s, this.n])) as tf.Tensor, [q, s, this.m]);
        const plus = at(tf.add(tf.expandDims(x, 0), moved));
        // F(x) itself is needed only by the forward scheme and by output generators
        const y0 = this.difference === 'forward' || this.outGens ? (this.model.apply(x) as tf.Tensor2D) : undefined;
        let d =
          this.difference === 'central'
            ? tf.div(tf.sub(plus, at(tf.sub(tf.expandDims(x, 0), moved))), 2 * this.step)
            : tf.div(tf.sub(plus, tf.expandDims(y0!, 0)), this.step);
        if (this.outGens) d = tf.sub(d, tf.matMul(tf.tile(tf.expandDims(y0!, 0), [q, 1, 1]), this.outGens, false, true));
        return tf.mul(tf.transpose(tf.reshape(d, [q, s * this.m])), 1 / Math.sqrt(s)) as tf.Tensor2D;
      });
    } finally {
      x.dispose();
    }
  }

  /** The penalty as a scalar tensor, differentiable with respect to the model's weights. */
  loss(): tf.Scalar {
    const penalty = tf.customGrad((d) => {
      const t = d as tf.Tensor2D;
      const [rows, cols] = t.shape;
      const data = Float64Array.from(t.dataSync());
      const r = nuclearNorm(new Matrix(rows, cols, data));
      this.lastSingularValues = r.singularValues;
      let value = r.value;
      const grad = r.subgradient.data;
      if (this.normalize === 'frobenius') {
        // ∂(‖D‖_* / ‖D‖_F)/∂D = (U·Vᵀ − (‖D‖_* / ‖D‖_F²)·D)/‖D‖_F; a constant F (D = 0) scores 0
        let fro2 = 0;
        for (const v of r.singularValues) fro2 += v * v;
        const fro = Math.sqrt(fro2);
        if (fro === 0) value = 0;
        else {
          value = r.value / fro;
          const c = r.value / fro2;
          for (let i = 0; i < grad.length; i++) grad[i] = (grad[i]! - c * data[i]!) / fro;
        }
      }
      return {
        value: tf.scalar(this.weight * value),
        gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.tensor2d(Float32Array.from(grad, (v) => v * this.weight), [rows, cols])),
      };
    });
    return tf.tidy(() => penalty(this.discoverMatrix()) as tf.Scalar);
  }

  /** Adds the penalty as a loss of the model's last layer, so `model.fit` minimizes it. */
  addTo(model: tf.LayersModel = this.model): void {
    const last = model.layers[model.layers.length - 1];
    if (!last) throw new UnsupportedModelError(`FunctionSymmetryPenalty.addTo: the model has no layers`);
    last.addLoss(() => this.loss());
  }

  /** Frees the sample pool and the generator tensors. */
  dispose(): void {
    this.pool?.dispose();
    this.ains.dispose();
    this.outGens?.dispose();
  }
}

/** Creates a {@link FunctionSymmetryPenalty} for `model`. */
export function functionSymmetryPenalty(model: tf.LayersModel, options: FunctionSymmetryPenaltyOptions): FunctionSymmetryPenalty {
  return new FunctionSymmetryPenalty(model, options);
}
