import { InvalidArgumentError, Matrix, describe, orthonormalColumns } from '@liesym/core';
import { normalSamples, normalVector } from '../samples.js';

/** The cases of the discovery conformance suite, in the order it runs them. */
export const CONFORMANCE_CASES = ['radial', 'lorentz', 'generic', 'ridge', 'all-symmetric', 'too-few-samples'] as const;

/** One case of the discovery conformance suite (see {@link conformanceProblem}). */
export type ConformanceCase = (typeof CONFORMANCE_CASES)[number];

/**
 * F(x) = tanh(c·xᵀSx + w·x + b): R^dimIn → R, one output. The adapter builds its
 * framework's model computing exactly this; `f` is the float64 reference.
 */
export interface QuadraticProblem {
  /** Symmetric dimIn×dimIn. */
  S: number[][];
  w: number[];
  c: number;
  b: number;
  dimIn: number;
  /** The float64 reference F (a Float64Array of length 1). */
  f: (x: Float64Array) => Float64Array;
}

/** One problem the suite hands to `adapter.discover`. */
export interface ConformanceProblem {
  case: ConformanceCase;
  /** The function whose symmetries are searched. */
  function: QuadraticProblem;
  /** The sample points, seeded and deterministic (rows of length dimIn). */
  samples: number[][];
  /** The candidate algebra: gl(dimIn) on the input, or explicit pairs [A_in, A_out] (A_out 1×1). */
  candidate: 'gl-input' | Array<[number[][], number[][]]>;
  /** What a conforming adapter finds, or the refusal it must give. */
  expected: { dimension: number; identification?: string } | { error: 'INSUFFICIENT_DATA' };
}

/** What an adapter's `discover` resolves to. */
export interface AdapterDiscoveryResult {
  /** Dimension of the symmetry algebra found inside the candidate. */
  dimension: number;
  /** Every singular value of the discover matrix D_F, one per candidate generator, in any order. */
  singularValues: ArrayLike<number>;
  /** The name of the algebra found (e.g. core's `identifyPairs`), when the adapter names one. */
  identification?: string | null;
  /** The absolute threshold of the rank decision: σ ≤ threshold counts as a symmetry. */
  threshold?: number;
}

const identity = (n: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
const diag = (d: readonly number[]): number[][] => d.map((v, i) => d.map((_, j) => (i === j ? v : 0)));

/** tanh(c·xᵀSx + w·x + b), evaluated in float64. */
function quadratic({ S, w, c, b }: Pick<QuadraticProblem, 'S' | 'w' | 'c' | 'b'>): QuadraticProblem {
  const dimIn = w.length;
  const f = (x: Float64Array): Float64Array => {
    let q = 0;
    let l = 0;
    for (let i = 0; i < dimIn; i++) {
      l += w[i]! * x[i]!;
      for (let j = 0; j < dimIn; j++) q += x[i]! * S[i]![j]! * x[j]!;
    }
    return Float64Array.of(Math.tanh(c * q + l + b));
  };
  return { S, w, c, b, dimIn, f };
}

/** The columns of an orthonormal basis of Rⁿ whose first column is ∝ v. */
function frameWith(v: readonly number[]): number[][] {
  const n = v.length;
  const a = new Matrix(n, n + 1);
  v.forEach((x, i) => a.set(i, 0, x));
  for (let i = 0; i < n; i++) a.set(i, i + 1, 1);
  const q = orthonormalColumns(a);
  return Array.from({ length: q.cols }, (_, k) => Array.from(q.column(k)));
}

/** A fixed random symmetric indefinite S = Q·diag(λ)·Qᵀ (Q orthogonal, seeded). */
function indefinite(lambda: readonly number[], seed: number): number[][] {
  const n = lambda.length;
  const g = normalVector(n * n, { seed });
  const q = orthonormalColumns(new Matrix(n, n, Float64Array.from(g)));
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) => lambda.reduce((s, l, k) => s + q.get(i, k) * l * q.get(j, k), 0)),
  );
}

/** The ridge function tanh(w·x + 0.2) on R³ with |w| = 1 (S = 0). */
function ridge(): QuadraticProblem {
  const v = normalVector(3, { seed: 6 });
  const n = Math.hypot(...v);
  return quadratic({ S: diag([0, 0, 0]), w: v.map((x) => x / n), c: 1, b: 0.2 });
}

/**
 * The problem of one conformance case. Samples are N(0, 0.8²) from core's `createRng`, so
 * tanh is not saturated (|c·xᵀSx + w·x + b| < 3 at every sample, tanh′ > 0.01):
 * - `radial`: tanh(|x|²/3) on R³, 48 samples, gl-input → dimension 3, 'so(3)';
 * - `lorentz`: tanh(xᵀηx/4), η = diag(−1, 1, 1, 1) on R⁴, 64 samples → 6, 'so(1,3)';
 * - `generic`: tanh(xᵀSx/3 + w·x + 0.1) on R² (samples N(0, 0.6²)), S a fixed random symmetric indefinite 2×2 and w
 *   a fixed random vector, 32 samples → 0. (A must keep both xᵀSx and w·x: A = S⁻¹K with K
 *   antisymmetric and K·S⁻¹w = 0, which leaves (n−1)(n−2)/2 symmetries on Rⁿ — none on R²,
 *   but one on R³, the rotation about S⁻¹w in the metric S: a generic function of this form
 *   must live on R² to have no symmetry at all);
 * - `ridge`: tanh(w·x + 0.2) on R³ (S = 0), 48 samples → 6, the A with wᵀA = 0;
 * - `all-symmetric`: the ridge function with the candidate an orthonormal basis of its six
 *   symmetries, pairs [u·eⱼᵀ, 0] with u ⊥ w → 6 of 6;
 * - `too-few-samples`: radial from 1 sample with gl-input (1 row for 9 candidates) → refused
 *   with code 'INSUFFICIENT_DATA'.
 * @throws InvalidArgumentError for an unknown case
 * @example
 * const p = conformanceProblem('radial');
 * p.function.f(Float64Array.of(1, 0, 0)); // tanh(1/3)
 */
export function conformanceProblem(name: ConformanceCase): ConformanceProblem {
  switch (name) {
    case 'radial':
      return { case: name, function: quadratic({ S: identity(3), w: [0, 0, 0], c: 1 / 3, b: 0 }), samples: normalSamples(48, 3, { seed: 1, scale: 0.8 }), candidate: 'gl-input', expected: { dimension: 3, identification: 'so(3)' } };
    case 'lorentz':
      return { case: name, function: quadratic({ S: diag([-1, 1, 1, 1]), w: [0, 0, 0, 0], c: 1 / 4, b: 0 }), samples: normalSamples(64, 4, { seed: 2, scale: 0.8 }), candidate: 'gl-input', expected: { dimension: 6, identification: 'so(1,3)' } };
    case 'generic':
      return { case: name, function: quadratic({ S: indefinite([1, -0.7], 3), w: normalVector(2, { seed: 4, scale: 0.5 }), c: 1 / 3, b: 0.1 }), samples: normalSamples(32, 2, { seed: 5, scale: 0.6 }), candidate: 'gl-input', expected: { dimension: 0 } };
    case 'ridge':
      return { case: name, function: ridge(), samples: normalSamples(48, 3, { seed: 7, scale: 0.8 }), candidate: 'gl-input', expected: { dimension: 6 } };
    case 'all-symmetric': {
      const fn = ridge();
      const [, ...perp] = frameWith(fn.w);
      const candidate: Array<[number[][], number[][]]> = [];
      for (const u of perp) {
        for (let j = 0; j < 3; j++) candidate.push([u.map((ui) => [0, 1, 2].map((k) => (k === j ? ui : 0))), [[0]]]);
      }
      return { case: name, function: fn, samples: normalSamples(48, 3, { seed: 7, scale: 0.8 }), candidate, expected: { dimension: 6 } };
    }
    case 'too-few-samples':
      return { case: name, function: quadratic({ S: identity(3), w: [0, 0, 0], c: 1 / 3, b: 0 }), samples: normalSamples(1, 3, { seed: 8, scale: 0.8 }), candidate: 'gl-input', expected: { error: 'INSUFFICIENT_DATA' } };
    default:
      throw new InvalidArgumentError(`conformanceProblem: 'name' must be one of ${CONFORMANCE_CASES.join(', ')}; received ${describe(name)}`);
  }
}
