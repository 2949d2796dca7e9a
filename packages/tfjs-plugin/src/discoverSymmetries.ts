import * as tf from '@tensorflow/tfjs';
import { Matrix, candidateGenerators, symmetriesFromMatrix, type Candidate, type DiscoveryResult } from '@liesym/core';
import { EmptyInputError, InvalidArgumentError, NonFiniteError, ShapeMismatchError, UnsupportedModelError } from './errors.js';

/** Options of {@link discoverSymmetries}. */
export interface DiscoverModelOptions {
  /** The candidate algebra: 'gl-input', 'gl-lift', 'gl-input-output' or [A_in, A_out] pairs. */
  candidate: Candidate;
  /** σ ≤ rtol·σ_max counts as a symmetry (default 1e-3: float32 Jacobians of a trained net). */
  rtol?: number;
  /** Samples per tf.grad call (default 128). */
  batchSize?: number;
}

/** The model's inputs and outputs sizes n → m (2-D models only). */
export function modelDims(fn: string, model: tf.LayersModel): [number, number] {
  if (!(model instanceof tf.LayersModel)) throw new UnsupportedModelError(`${fn}: 'model' must be a tf.LayersModel; received ${String(model)}`);
  const i = model.inputs[0]?.shape ?? [];
  const o = model.outputs[0]?.shape ?? [];
  if (model.inputs.length !== 1 || model.outputs.length !== 1 || i.length !== 2 || o.length !== 2) {
    throw new UnsupportedModelError(`${fn}: the model must have one input [batch, n] and one output [batch, m]; received ${JSON.stringify(i)} → ${JSON.stringify(o)}`);
  }
  return [i[1]!, o[1]!];
}

/** Reads samples as a float64 matrix with n columns. */
export function samplesMatrix(fn: string, xs: tf.Tensor | number[][], n: number): Matrix {
  let data: Float64Array;
  let rows: number;
  let cols: number;
  if (xs instanceof tf.Tensor) {
    if (xs.rank !== 2) throw new ShapeMismatchError(`${fn}: 'xs' must be 2-D [S, ${n}]; received shape [${xs.shape.join(', ')}]`);
    [rows, cols] = xs.shape as [number, number];
    data = Float64Array.from(xs.dataSync());
  } else if (Array.isArray(xs)) {
    rows = xs.length;
    cols = rows > 0 ? (xs[0]?.length ?? 0) : n;
    data = new Float64Array(rows * cols);
    xs.forEach((row, s) => {
      if (!Array.isArray(row) || row.length !== cols) throw new ShapeMismatchError(`${fn}: 'xs'[${s}] must have ${cols} entries; received ${String(row?.length)}`);
      row.forEach((v, j) => (data[s * cols + j] = v));
    });
  } else {
    throw new InvalidArgumentError(`${fn}: 'xs' must be a tensor or an array of rows; received ${String(xs)}`);
  }
  if (rows === 0) throw new EmptyInputError(`${fn}: 'xs' must hold at least one sample; received none`);
  if (cols !== n) throw new ShapeMismatchError(`${fn}: every sample in 'xs' must have ${n} coordinates (the model's input size); received ${cols}`);
  if (!data.every(Number.isFinite)) throw new NonFiniteError(`${fn}: 'xs' must be finite; received NaN or ±Infinity`);
  return new Matrix(rows, cols, data);
}

/**
 * Values F(x_s) and Jacobians DF(x_s) of a model at samples: one tf.grad per batch, by
 * tiling each input m times and differentiating Σ F(X̃) ⊙ I (row (s, i) of the gradient is
 * ∂Fᵢ/∂x at x_s). Float32 in tfjs, returned as float64.
 */
export function valuesAndJacobians(model: tf.LayersModel, x: Matrix, m: number, batchSize: number): { f: Float64Array; j: Float64Array } {
  const S = x.rows;
  const n = x.cols;
  const f = new Float64Array(S * m);
  const j = new Float64Array(S * m * n);
  for (let s0 = 0; s0 < S; s0 += batchSize) {
    const b = Math.min(batchSize, S - s0);
    tf.tidy(() => {
      const xb = tf.tensor2d(Float32Array.from(x.data.subarray(s0 * n, (s0 + b) * n)), [b, n]);
      const tiled = tf.reshape(tf.tile(tf.expandDims(xb, 1), [1, m, 1]), [b * m, n]);
      const eye = tf.tile(tf.eye(m), [b, 1]);
      const grad = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(model.apply(t) as tf.Tensor, eye)));
      j.set(grad(tiled).dataSync(), s0 * m * n);
      f.set((model.apply(xb) as tf.Tensor).dataSync(), s0 * m);
    });
  }
  return { f, j };
}

/**
 * Discovers the symmetries of a trained tfjs model F inside a candidate Lie algebra: the
 * nullspace of D_F[(s, i), j] = (1/√S)·(DF(x_s)·A_in,j·x_s − A_out,j·F(x_s))ᵢ, with all
 * singular values (core's DiscoveryResult: dimension, spectrum, generators, gap, closure).
 * Jacobians come from one tf.grad per batch (float32); the SVD runs in core (float64).
 *
 * @throws UnsupportedModelError for models that are not [batch, n] → [batch, m]
 * @throws EmptyInputError, ShapeMismatchError, NonFiniteError for bad samples
 * @example
 * const r = discoverSymmetries(model, xs, { candidate: 'gl-input' });
 * r.dimension; // 3 for a rotation-invariant model on R³
 */
export function discoverSymmetries(model: tf.LayersModel, xs: tf.Tensor | number[][], options: DiscoverModelOptions): DiscoveryResult {
  const fn = 'discoverSymmetries';
  const [n, m] = modelDims(fn, model);
  if (!options || options.candidate === undefined) {
    throw new InvalidArgumentError(`${fn}: 'options.candidate' is required ('gl-input', 'gl-lift', 'gl-input-output' or pairs); received ${String(options?.candidate)}`);
  }
  const rtol = options.rtol ?? 1e-3;
  if (!(rtol >= 0) || !Number.isFinite(rtol)) throw new InvalidArgumentError(`${fn}: 'rtol' must be a finite number ≥ 0; received ${String(rtol)}`);
  const batchSize = options.batchSize ?? 128;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError(`${fn}: 'batchSize' must be an integer ≥ 1; received ${String(batchSize)}`);
  const x = samplesMatrix(fn, xs, n);
  const pairs = candidateGenerators(options.candidate, n, m, fn);
  return symmetriesFromMatrix(discoverMatrix(model, x, pairs, m, batchSize), pairs, rtol);
}

/** D_F (S·m × q) from values and Jacobians, rows scaled by 1/√S. */
export function discoverMatrix(model: tf.LayersModel, x: Matrix, pairs: ReadonlyArray<readonly [Matrix, Matrix]>, m: number, batchSize: number): Matrix {
  const S = x.rows;
  const n = x.cols;
  const { f, j } = valuesAndJacobians(model, x, m, batchSize);
  const q = pairs.length;
  const d = new Matrix(S * m, q);
  const w = 1 / Math.sqrt(S);
  pairs.forEach(([a, b], k) => {
    for (let s = 0; s < S; s++) {
      const xs = x.data.subarray(s * n, (s + 1) * n);
      const ax = a.mulVec(xs);
      const fs = f.subarray(s * m, (s + 1) * m);
      const bf = b.mulVec(fs);
      for (let i = 0; i < m; i++) {
        let v = -bf[i]!;
        const row = (s * m + i) * n;
        for (let c = 0; c < n; c++) v += j[row + c]! * ax[c]!;
        d.data[(s * m + i) * q + k] = w * v;
      }
    }
  });
  return d;
}
