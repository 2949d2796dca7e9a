import * as tf from '@tensorflow/tfjs';
import { EmptyInputError, InvalidArgumentError, Matrix, nuclearNorm } from '@liesym/core';
import { Field, assertField } from './Grid.js';
import { lieUnchecked, type OperatorGenerator } from './fieldGenerators.js';
import { orthonormalCandidates } from './discoverOperatorSymmetries.js';
import { differentiationMatrix } from './spectral.js';
import { fieldsToTensor } from './tfFields.js';

/**
 * ‖M‖_* for a 2-D tfjs tensor, differentiable: the value and the subgradient U·Vᵀ come from
 * core's float64 SVD (tfjs has none), bridged with tf.customGrad.
 * @example const r = nuclearNormTf(tf.randomNormal([100, 4])); // scalar
 */
export function nuclearNormTf(m: tf.Tensor2D): tf.Scalar {
  const f = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const t = args[0] as tf.Tensor2D;
    const save = args[1] as tf.GradSaveFunc;
    const [rows, cols] = t.shape;
    const r = nuclearNorm(new Matrix(rows, cols, Float64Array.from(t.dataSync())));
    const g = tf.tensor2d(Float32Array.from(r.subgradient.data), [rows, cols]);
    save([g]);
    return { value: tf.scalar(r.value), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0]!) };
  });
  return f(m) as tf.Scalar;
}

/** Options of {@link operatorSymmetryPenalty}. */
export interface OperatorPenaltyOptions {
  /** Candidate generators whose span the penalty pushes toward symmetry. */
  candidate: readonly OperatorGenerator[];
  /** Weight γ (default 1). */
  gamma?: number;
  /** Output channels of the operator (default 1). */
  channelsOut?: number;
  /** Central-difference step relative to ‖u‖/‖ℒu‖ (default 1e-2, right for float32). */
  step?: number;
}

/** A promote penalty bound to its sample fields: call it with the operator inside a gradient tape. */
export interface OperatorPenalty {
  /** γ‖D_N‖_* for the operator `apply` (a differentiable scalar). */
  (apply: (x: tf.Tensor) => tf.Tensor): tf.Scalar;
  /** The orthonormalized candidate (columns of D_N). */
  readonly candidate: readonly OperatorGenerator[];
  /** The discover matrix D_N of `apply` (rows (sample, point, channel) / √S × candidates), for inspection. */
  matrix(apply: (x: tf.Tensor) => tf.Tensor): tf.Tensor2D;
  /** Frees the constant tensors. */
  dispose(): void;
}

/**
 * The operator-level promote penalty γ‖D_N‖_* over a batch of sample fields u₁…u_S, where
 * D_N's column for candidate ξ is L_ξ N(u_s) = DN(u_s)[ℒ_in u_s] − ℒ_out N(u_s), stacked
 * over samples (DN by central differences in tfjs, ℒ_out by the spectral differentiation
 * matrix in tfjs, so the penalty is differentiable in the model's weights). Its subgradient
 * comes from core's float64 nuclear norm. Use it in a custom loop (see {@link trainOperator}).
 * @throws EmptyInputError; GridMismatchError; InvalidArgumentError
 * @example
 * const pen = operatorSymmetryPenalty(samples, { candidate: [rotationGenerator(), scalingGenerator()], gamma: 0.1 });
 * const loss = () => tf.add(mse, pen((x) => model.apply(x) as tf.Tensor));
 */
export function operatorSymmetryPenalty(samples: readonly Field[], options: OperatorPenaltyOptions): OperatorPenalty {
  const fn = 'operatorSymmetryPenalty';
  if (!Array.isArray(samples) || samples.length === 0) throw new EmptyInputError(`${fn}: 'samples' must hold at least one Field; received ${Array.isArray(samples) ? 'an empty array' : typeof samples}`);
  assertField(samples[0], fn, 'samples[0]');
  const grid = samples[0].grid;
  const cIn = samples[0].channels;
  samples.forEach((u, s) => assertField(u, fn, `samples[${s}]`, grid, cIn));
  const gamma = options?.gamma ?? 1;
  const step = options?.step ?? 1e-2;
  const cOut = options?.channelsOut ?? 1;
  if (!(gamma >= 0 && Number.isFinite(gamma))) throw new InvalidArgumentError(`${fn}: 'gamma' must be a finite number ≥ 0; received ${gamma}`);
  if (!(step > 0)) throw new InvalidArgumentError(`${fn}: 'step' must be > 0; received ${step}`);
  const { generators } = orthonormalCandidates(options.candidate, grid.dims, cIn, cOut, fn);
  const S = samples.length;
  const q = generators.length;
  const P = grid.points;
  const plus: Field[] = [];
  const minus: Field[] = [];
  const inv2h = new Float32Array(S * q);
  samples.forEach((u, s) => {
    generators.forEach((g, j) => {
      const v = lieUnchecked(u, g.input);
      const nv = v.norm();
      const h = nv > 0 ? (step * u.norm()) / nv : step;
      inv2h[s * q + j] = 1 / (2 * h);
      plus.push(u.axpy(h, v));
      minus.push(u.axpy(-h, v));
    });
  });
  const X = tf.keep(fieldsToTensor([...samples, ...plus, ...minus]));
  const inv = tf.keep(tf.tensor(inv2h, [S, q, 1]));
  const diff = grid.size.map((n, a) => tf.keep(tf.tensor2d(Float32Array.from(differentiationMatrix(n, grid.length[a]!)), [n, n])));
  const coords = Array.from({ length: P }, (_, p) => grid.coordinate(p));
  // Per generator: ξ_a(x) over the points for each axis, V (c×c) and s (c).
  const xi = generators.map((g) => grid.size.map((_, a) => tf.keep(tf.tensor(coords.map((x) => (g.output.b?.[a] ?? 0) + (g.output.A?.[a]?.reduce((s, v, j) => s + v * x[j]!, 0) ?? 0)), [1, P, 1]))));
  const V = generators.map((g) => tf.keep(tf.tensor2d((g.output.V ?? []).flat().length ? Float32Array.from(g.output.V!.flat()) : new Float32Array(cOut * cOut), [cOut, cOut])));
  const sv = generators.map((g) => tf.keep(tf.tensor(Float32Array.from(g.output.s ?? new Array<number>(cOut).fill(0)), [1, 1, cOut])));

  const derivative = (y: tf.Tensor, axis: number): tf.Tensor => {
    // Move the axis to the front, multiply by the differentiation matrix, move it back.
    const r = y.rank;
    const perm = [axis + 1, ...Array.from({ length: r }, (_, i) => i).filter((i) => i !== axis + 1)];
    const back = perm.map((_, i) => perm.indexOf(i));
    const t = y.transpose(perm);
    const n = t.shape[0]!;
    const z = tf.matMul(diff[axis]!, t.reshape([n, -1])).reshape(t.shape);
    return z.transpose(back);
  };

  const matrix = (apply: (x: tf.Tensor) => tf.Tensor): tf.Tensor2D =>
    tf.tidy(() => {
      const Y = apply(X);
      const c = Y.shape[Y.shape.length - 1]!;
      if (c !== cOut) throw new InvalidArgumentError(`${fn}: the operator returns ${c} channels but 'channelsOut' is ${cOut}`);
      const y0 = Y.slice(0, S);
      const yp = Y.slice(S, S * q).reshape([S, q, P * c]);
      const ym = Y.slice(S + S * q, S * q).reshape([S, q, P * c]);
      const fd = tf.mul(tf.sub(yp, ym), inv);
      const dy = grid.size.map((_, a) => derivative(y0, a).reshape([S, P, c]));
      const y0f = y0.reshape([S, P, c]);
      const cols = generators.map((_, j) => {
        let l: tf.Tensor = tf.zeros([S, P, c]);
        grid.size.forEach((__, a) => (l = tf.add(l, tf.mul(dy[a]!, xi[j]![a]!))));
        l = tf.sub(l, tf.matMul(y0f.reshape([S * P, c]), V[j]!, false, true).reshape([S, P, c]));
        l = tf.sub(l, sv[j]!);
        return tf.sub(fd.slice([0, j, 0], [S, 1, P * c]).reshape([S * P * c]), l.reshape([S * P * c]));
      });
      return tf.stack(cols, 1).div(Math.sqrt(S)) as tf.Tensor2D;
    });

  const penalty = ((apply: (x: tf.Tensor) => tf.Tensor): tf.Scalar => tf.tidy(() => nuclearNormTf(matrix(apply)).mul(gamma) as tf.Scalar)) as OperatorPenalty;
  Object.defineProperty(penalty, 'candidate', { value: generators });
  (penalty as { matrix: OperatorPenalty['matrix'] }).matrix = matrix;
  (penalty as { dispose: () => void }).dispose = () => {
    for (const t of [X, inv, ...diff, ...xi.flat(), ...V, ...sv]) t.dispose();
  };
  return penalty;
}
