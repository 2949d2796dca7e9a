import { Matrix } from '../linalg/Matrix.js';
import { createRng } from '../linalg/random.js';
import { stableNorm as scaledNorm } from '../linalg/powerOfTwo.js';
import type { Dtype } from '../tolerances.js';
import type { Program } from './evaluator.js';
import { directionalDerivatives, type Direction, type FiniteDifferenceOptions } from './finiteDifferences.js';

/**
 * q generators acting on a model's samples: the input tangents t_k(x) (where the points
 * move) and the output tangents u_k(y) (how values move), so that
 * L_k F(x) = DF(x)·t_k(x) − u_k(F(x)).
 */
export interface TangentFamily {
  readonly count: number;
  inputs(x: Float64Array): Float64Array[];
  outputs(y: Float64Array, x: Float64Array): Float64Array[];
  /**
   * When every input tangent is A_k·x: the matrices A_k. With more moving generators than
   * inputs, one finite-difference Jacobian (2·n evaluations) is cheaper than q directional
   * derivatives (2·q).
   */
  readonly linear?: readonly Matrix[];
}

/** The Lie derivatives of a model at its samples, column k for generator k. */
export interface SampledLieDerivatives {
  /** F(x_s), S×dimOut row-major. */
  values: Float64Array;
  /** Rows (sample, output) scaled by √w_s, one column per generator: L_k F(x_s)ᵢ·√w_s. */
  matrix: Matrix;
  /**
   * Per generator, √(Σ_s w_s (g_s²·‖t_k(x_s)‖² + ‖u_k(F(x_s))‖²)) with g_s = ‖DF(x_s)‖_F/√n the
   * RMS gain of DF along a direction (E‖DF·t‖² = g_s²‖t‖² for a random direction t): the size of
   * the two terms whose difference is the Lie derivative, hence of its rounding and
   * differencing errors. (‖DF‖_F itself would overstate the term √n-fold for wide inputs.)
   */
  termScales: Float64Array;
  derivative: 'exact' | 'finite-difference';
  /** Model evaluations made (points). */
  evaluations: number;
}

/** Options of {@link sampledLieDerivatives}. */
export interface SampledLieOptions extends FiniteDifferenceOptions {
  dimOut: number;
  dtype?: Dtype;
  /** √w_s per sample. */
  sqrtWeights: Float64Array;
  /** Use the evaluator's exact Jacobians (default false: finite differences). */
  exact?: boolean;
}

const PROBES = 2;


/**
 * The one computation behind discover, check and promote on sampled models: F and the Lie
 * derivatives of every generator at every sample, with exact Jacobians when the framework
 * has them and by the one finite-difference rule otherwise (directional derivatives along
 * each tangent, or one Jacobian per sample when that is cheaper). With directional
 * derivatives, two seeded Gaussian probes per sample estimate ‖DF(x_s)‖ (E‖DF·r‖² = ‖DF‖²_F),
 * which sets the term scales.
 */
export function* sampledLieDerivatives(X: Matrix, family: TangentFamily, options: SampledLieOptions): Program<SampledLieDerivatives> {
  const S = X.rows;
  const n = X.cols;
  const m = options.dimOut;
  const q = family.count;
  const tin = Array.from({ length: S }, (_, s) => family.inputs(X.row(s)));
  let values: Float64Array;
  let jvp: (s: number, k: number) => Float64Array;
  const gradNorm = new Float64Array(S);
  let evaluations = 0;
  const jacobianAt = (J: Float64Array, s: number): Matrix => new Matrix(m, n, J.subarray(s * m * n, (s + 1) * m * n));
  const moving = family.linear ? family.linear.filter((a) => a.maxAbs() > 0).length : q;
  if (options.exact || (family.linear && moving > n)) {
    let J: Float64Array;
    if (options.exact) {
      values = yield { kind: 'values', points: X.data, count: S };
      J = yield { kind: 'jacobians', points: X.data, count: S };
      evaluations += S;
    } else {
      const dirs: Direction[] = [];
      for (let s = 0; s < S; s++) {
        for (let j = 0; j < n; j++) {
          const v = new Float64Array(n);
          v[j] = 1;
          dirs.push({ point: s, v });
        }
      }
      const r = yield* directionalDerivatives(X.data, dirs, { ...options, dimIn: n, dimOut: m });
      values = r.values;
      J = new Float64Array(S * m * n);
      r.derivatives.forEach((col, d) => {
        const s = Math.floor(d / n);
        const j = d % n;
        for (let i = 0; i < m; i++) J[(s * m + i) * n + j] = col[i]!;
      });
      evaluations += S * (1 + 2 * n * (options.richardson ? 2 : 1));
    }
    for (let s = 0; s < S; s++) gradNorm[s] = scaledNorm(J.subarray(s * m * n, (s + 1) * m * n)) / Math.sqrt(n);
    jvp = (s, k) => jacobianAt(J, s).mulVec(tin[s]![k]!);
  } else {
    const rng = createRng(0x5eed);
    const dirs: Direction[] = [];
    for (let s = 0; s < S; s++) {
      for (let k = 0; k < q; k++) dirs.push({ point: s, v: tin[s]![k]! });
      for (let p = 0; p < PROBES; p++) dirs.push({ point: s, v: Float64Array.from({ length: n }, () => rng.normal()) });
    }
    const r = yield* directionalDerivatives(X.data, dirs, { ...options, dimIn: n, dimOut: m });
    values = r.values;
    const per = q + PROBES;
    for (let s = 0; s < S; s++) {
      const probes = Array.from({ length: PROBES }, (_, p) => scaledNorm(r.derivatives[s * per + q + p]!));
      gradNorm[s] = scaledNorm(probes) / Math.sqrt(PROBES * n);
    }
    jvp = (s, k) => r.derivatives[s * per + k]!;
    evaluations += S + dirs.filter((d) => d.v.some((v) => v !== 0)).length * 2 * (options.richardson ? 2 : 1);
  }
  const D = new Matrix(S * m, q);
  // Per generator, the weighted sizes of its two terms at every sample (norms taken at the end).
  const terms = Array.from({ length: q }, () => new Float64Array(2 * S));
  for (let s = 0; s < S; s++) {
    const x = X.row(s);
    const y = values.subarray(s * m, (s + 1) * m);
    const tout = family.outputs(y, x);
    const w = options.sqrtWeights[s]!;
    for (let k = 0; k < q; k++) {
      const d = jvp(s, k);
      const o = tout[k]!;
      for (let i = 0; i < m; i++) D.data[(s * m + i) * q + k] = w * (d[i]! - o[i]!);
      terms[k]![2 * s] = w * gradNorm[s]! * scaledNorm(tin[s]![k]!);
      terms[k]![2 * s + 1] = w * scaledNorm(o);
    }
  }
  return {
    values,
    matrix: D,
    termScales: Float64Array.from(terms, scaledNorm),
    derivative: options.exact ? 'exact' : 'finite-difference',
    evaluations,
  };
}
