import * as tf from '@tensorflow/tfjs';
import { Matrix, candidateGenerators, nuclearNorm, type Candidate, type GeneratorPair } from '@liesym/core';
import { EmptyInputError, InvalidArgumentError, ShapeMismatchError, UnsupportedModelError } from './errors.js';

/** Options of {@link functionSymmetryPenalty}. */
export interface FunctionSymmetryPenaltyOptions {
  /** Samples x_s, shape [S, n] (a tensor or nested arrays; copied). */
  xs: tf.Tensor2D | number[][];
  /** Candidate generators (see core's `Candidate`): 'gl-input', 'gl-lift', 'gl-input-output' or pairs. */
  candidate: Candidate;
  /** γ (default 0.01). */
  weight?: number;
  /** Finite-difference step h (default 1e-2; float32 arithmetic limits how small it can be). */
  step?: number;
}

/**
 * A function-level promote penalty for any model F: γ·‖D_F‖_*, where
 * D_F[(s, i), j] = (1/√S)·(L_ξⱼ F)(x_s)ᵢ and the Lie derivative is taken by a first-order
 * finite difference, L_ξ F(x) ≈ (F(x + h·A_in·x) − F(x))/h − A_out·F(x), so training
 * needs no second derivatives. The nuclear norm and its subgradient U·Vᵀ come from core's
 * float64 SVD; the rest is ordinary tfjs autodiff through the model.
 * @throws EmptyInputError for no samples; ShapeMismatchError when xs does not fit the model
 * @example
 * const penalty = functionSymmetryPenalty(model, { xs, candidate: 'gl-input', weight: 0.05 });
 * penalty.addTo(model); // then model.fit as usual
 */
export class FunctionSymmetryPenalty {
  readonly weight: number;
  readonly step: number;
  readonly candidate: GeneratorPair[];
  /** Singular values of D_F at the last evaluation, descending. */
  lastSingularValues: Float64Array = new Float64Array(0);
  private readonly model: tf.LayersModel;
  private readonly x: tf.Tensor2D;
  private readonly xShifted: tf.Tensor2D;
  private readonly outGens: tf.Tensor3D | undefined;
  private readonly s: number;
  private readonly n: number;
  private readonly m: number;

  constructor(model: tf.LayersModel, options: FunctionSymmetryPenaltyOptions) {
    const fn = 'functionSymmetryPenalty';
    if (!(model instanceof tf.LayersModel)) throw new UnsupportedModelError(`${fn}: 'model' must be a tf.LayersModel; received ${String(model)}`);
    const inShape = model.inputs[0]?.shape ?? [];
    const outShape = model.outputs[0]?.shape ?? [];
    if (inShape.length !== 2 || outShape.length !== 2) {
      throw new UnsupportedModelError(`${fn}: the model must map [batch, n] to [batch, m]; received ${JSON.stringify(inShape)} → ${JSON.stringify(outShape)}`);
    }
    this.n = inShape[1]!;
    this.m = outShape[1]!;
    this.weight = options.weight ?? 0.01;
    this.step = options.step ?? 1e-2;
    if (!Number.isFinite(this.weight) || this.weight < 0) throw new InvalidArgumentError(`${fn}: 'weight' must be finite and ≥ 0; received ${String(this.weight)}`);
    if (!(this.step > 0)) throw new InvalidArgumentError(`${fn}: 'step' must be > 0; received ${String(this.step)}`);
    const x = options.xs instanceof tf.Tensor ? tf.clone(options.xs) : tf.tensor2d(options.xs);
    if (x.rank !== 2 || x.shape[1] !== this.n) {
      x.dispose();
      throw new ShapeMismatchError(`${fn}: 'xs' must have shape [S, ${this.n}]; received [${x.shape.join(', ')}]`);
    }
    if (x.shape[0] === 0) {
      x.dispose();
      throw new EmptyInputError(`${fn}: 'xs' must hold at least one sample; received none`);
    }
    this.s = x.shape[0];
    this.model = model;
    this.candidate = candidateGenerators(options.candidate, this.n, this.m, fn);
    const q = this.candidate.length;
    this.x = x as tf.Tensor2D;
    const ains = tf.tensor3d(Float32Array.from(this.candidate.flatMap(([a]) => Array.from(a.data))), [q, this.n, this.n]);
    this.xShifted = tf.tidy(() => {
      const moved = tf.matMul(tf.tile(tf.expandDims(x, 0), [q, 1, 1]), ains, false, true); // [q, S, n]: x·A_jᵀ
      return tf.reshape(tf.add(tf.expandDims(x, 0), tf.mul(moved, this.step)), [q * this.s, this.n]) as tf.Tensor2D;
    });
    ains.dispose();
    const anyOut = this.candidate.some(([, b]) => b.maxAbs() > 0);
    this.outGens = anyOut
      ? tf.tensor3d(Float32Array.from(this.candidate.flatMap(([, b]) => Array.from(b.data))), [q, this.m, this.m])
      : undefined;
  }

  /** The discover matrix D_F as a tensor [S·m, q] (rows (sample, output), scaled by 1/√S). */
  discoverMatrix(): tf.Tensor2D {
    return tf.tidy(() => {
      const q = this.candidate.length;
      const y0 = this.model.apply(this.x) as tf.Tensor2D;
      const ys = tf.reshape(this.model.apply(this.xShifted) as tf.Tensor, [q, this.s, this.m]);
      let d = tf.div(tf.sub(ys, tf.expandDims(y0, 0)), this.step);
      if (this.outGens) d = tf.sub(d, tf.matMul(tf.tile(tf.expandDims(y0, 0), [q, 1, 1]), this.outGens, false, true));
      return tf.mul(tf.transpose(tf.reshape(d, [q, this.s * this.m])), 1 / Math.sqrt(this.s)) as tf.Tensor2D;
    });
  }

  /** γ·‖D_F‖_* as a scalar tensor, differentiable with respect to the model's weights. */
  loss(): tf.Scalar {
    const nuclear = tf.customGrad((d) => {
      const t = d as tf.Tensor2D;
      const [rows, cols] = t.shape;
      const r = nuclearNorm(new Matrix(rows, cols, Float64Array.from(t.dataSync())));
      this.lastSingularValues = r.singularValues;
      return {
        value: tf.scalar(this.weight * r.value),
        gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.tensor2d(Float32Array.from(r.subgradient.data, (v) => v * this.weight), [rows, cols])),
      };
    });
    return tf.tidy(() => nuclear(this.discoverMatrix()) as tf.Scalar);
  }

  /** Adds the penalty as a loss of the model's last layer, so `model.fit` minimizes it. */
  addTo(model: tf.LayersModel = this.model): void {
    const last = model.layers[model.layers.length - 1];
    if (!last) throw new UnsupportedModelError(`FunctionSymmetryPenalty.addTo: the model has no layers`);
    last.addLoss(() => this.loss());
  }

  /** Frees the sample tensors. */
  dispose(): void {
    this.x.dispose();
    this.xShifted.dispose();
    this.outGens?.dispose();
  }
}

/** Creates a {@link FunctionSymmetryPenalty} for `model`. */
export function functionSymmetryPenalty(model: tf.LayersModel, options: FunctionSymmetryPenaltyOptions): FunctionSymmetryPenalty {
  return new FunctionSymmetryPenalty(model, options);
}
