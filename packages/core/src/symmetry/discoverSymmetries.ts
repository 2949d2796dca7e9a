import { InvalidArgumentError, describe } from '../errors.js';
import { LieDerivative } from '../lie/LieDerivative.js';
import { functionModel } from '../lie/models.js';
import { Matrix } from '../linalg/Matrix.js';
import { nullspace } from '../linalg/nullspace.js';
import { candidateGenerators, pairActions, type Candidate, type GeneratorPair } from './candidates.js';

/** Options of {@link discoverSymmetries}. */
export interface DiscoverOptions {
  /** The candidate algebra (see {@link Candidate}). */
  candidate: Candidate;
  /**
   * Relative tolerance: σ ≤ rtol·max(σ_max, s) counts as a symmetry, where s bounds the size
   * of the terms DF·ξ_M and τ·F of L_ξ F (‖DF‖‖ξ_M‖ + ‖τ‖‖F‖ over the samples, largest over
   * the candidates), so that a candidate made only of symmetries is still recognized. Default 1e-6 with
   * finite-difference Jacobians (their error is about 1e-10 relative), 1e-9 with `jacobian`.
   */
  rtol?: number;
  /** The exact Jacobian DF(x), dimOut×dimIn. Default: central finite differences. */
  jacobian?: (x: Float64Array) => Matrix | number[][];
  /** Sample weights (default 1/S each). */
  weights?: ArrayLike<number>;
}

/** What {@link discoverSymmetries} found. */
export interface DiscoveryResult {
  /** Dimension of the symmetry algebra found inside the candidate. */
  dimension: number;
  /** All q singular values of the discover matrix D_F, ascending: `dimension` of them below the threshold. */
  singularValues: Float64Array;
  /** An orthonormal basis (Frobenius on pairs) of the found algebra, as [A_in, A_out] pairs. */
  generators: Array<[Matrix, Matrix]>;
  /** max over pairs of ‖[Gₐ, G_b] − its projection onto the found span‖ (0 for a subalgebra). */
  closureResidual: number;
  /** Spectral gap at the decision (see {@link nullspace}). */
  gap: number;
  /** The absolute threshold used: max(rtol·σ_max, atol). */
  threshold: number;
  /** The orthonormal candidate basis the spectrum refers to. */
  candidate: GeneratorPair[];
  /** The discover matrix D_F (rows (sample, output) × candidates). */
  matrix: Matrix;
}

/** ‖X − Σ ⟨X, Gₖ⟩ Gₖ‖ for a pair X and orthonormal pairs G. */
function offSpan(x: GeneratorPair, basis: readonly GeneratorPair[]): number {
  let a = x[0];
  let b = x[1];
  for (const [ga, gb] of basis) {
    const c = x[0].dot(ga) + x[1].dot(gb);
    a = a.sub(ga.scale(c));
    b = b.sub(gb.scale(c));
  }
  return Math.hypot(a.norm(), b.norm());
}

/** The largest off-span part of the pairwise brackets of orthonormal generator pairs. */
export function closureResidual(generators: readonly GeneratorPair[]): number {
  let worst = 0;
  for (let i = 0; i < generators.length; i++) {
    for (let j = i + 1; j < generators.length; j++) {
      const [a, b] = generators[i]!;
      const [c, d] = generators[j]!;
      worst = Math.max(worst, offSpan([a.bracket(c), b.bracket(d)], generators));
    }
  }
  return worst;
}

/**
 * Reads the symmetries off a discover matrix D (rows × q, one column per orthonormal
 * candidate pair): its nullspace, mapped back to generator pairs.
 * @param tolerance a relative tolerance, or `{ rtol, atol }` (σ ≤ max(rtol·σ_max, atol) is a
 *   symmetry; give `atol` from the scale of the cancelling terms when every candidate might
 *   be a symmetry, where σ_max itself is rounding noise)
 */
export function symmetriesFromMatrix(
  d: Matrix,
  candidate: readonly GeneratorPair[],
  tolerance: number | { rtol?: number; atol?: number } = 1e-6,
): DiscoveryResult {
  const tol = typeof tolerance === 'number' ? { rtol: tolerance } : tolerance;
  const ns = nullspace(d, tol);
  const generators: Array<[Matrix, Matrix]> = [];
  for (let k = 0; k < ns.nullity; k++) {
    const c = ns.basis.column(k);
    let a = new Matrix(candidate[0]![0].rows, candidate[0]![0].cols);
    let b = new Matrix(candidate[0]![1].rows, candidate[0]![1].cols);
    c.forEach((cj, j) => {
      if (cj === 0) return;
      a = a.add(candidate[j]![0].scale(cj));
      b = b.add(candidate[j]![1].scale(cj));
    });
    generators.push([a, b]);
  }
  return {
    dimension: ns.nullity,
    singularValues: ns.singularValues,
    generators,
    closureResidual: closureResidual(generators),
    gap: ns.gap,
    threshold: ns.threshold,
    candidate: [...candidate],
    matrix: d,
  };
}

/**
 * Finds the symmetries of a function F: R^n_in → R^n_out inside a candidate Lie algebra:
 * the generators (A_in, A_out) with L F(x) = DF(x)·A_in·x − A_out·F(x) = 0 at every
 * sample. This is the nullspace of the discover matrix D_F (rows (sample, output)
 * scaled by √w_s, one column per orthonormal candidate), with its full spectrum.
 *
 * @param f the function, x ↦ F(x)
 * @param xs the samples, S×n_in (Matrix or nested arrays)
 * @throws EmptyInputError for no samples; ShapeMismatchError; NonFiniteError; InvalidArgumentError
 * @example
 * const r = discoverSymmetries((x) => [x[0]**2 + x[1]**2 + x[2]**2], xs, { candidate: 'gl-input' });
 * r.dimension; // 3: so(3)
 */
export function discoverSymmetries(
  f: (x: Float64Array) => ArrayLike<number>,
  xs: Matrix | number[][],
  options: DiscoverOptions,
): DiscoveryResult {
  const fn = 'discoverSymmetries';
  if (options === null || typeof options !== 'object' || options.candidate === undefined) {
    throw new InvalidArgumentError(`${fn}: 'options.candidate' is required ('gl-input', 'gl-lift', 'gl-input-output' or pairs); received ${describe(options?.candidate)}`);
  }
  const modelOptions = {
    ...(options.jacobian ? { jacobian: options.jacobian } : {}),
    ...(options.weights ? { weights: options.weights } : {}),
  };
  const model = functionModel(f, xs, modelOptions, fn);
  const pairs = candidateGenerators(options.candidate, model.dimIn, model.dimOut, fn);
  const rtol = options.rtol ?? (options.jacobian ? 1e-9 : 1e-6);
  if (!(rtol >= 0) || !Number.isFinite(rtol)) {
    throw new InvalidArgumentError(`${fn}: 'rtol' must be a finite number ≥ 0; received ${describe(rtol)}`);
  }
  const actions = pairActions(pairs);
  const form = new LieDerivative(model, actions);
  const scale = Math.max(...actions.map((a) => model.termScale(a)));
  return symmetriesFromMatrix(form.inGenerators(), pairs, { rtol, atol: rtol * scale });
}
