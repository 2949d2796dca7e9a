import { EmptyInputError, InsufficientDataError, InvalidArgumentError, ShapeMismatchError, describe } from '../errors.js';
import { isEvaluator, pointEvaluator, runProgram, runProgramAsync, type Evaluator, type PointFunction, type PointJacobian, type Program } from '../lie/evaluator.js';
import { finiteDifferenceStep, type FiniteDifferenceOptions } from '../lie/finiteDifferences.js';
import { sampleWeights } from '../lie/samples.js';
import { sampledLieDerivatives, type TangentFamily } from '../lie/sampledLieDerivatives.js';
import { Matrix, toMatrix } from '../linalg/Matrix.js';
import { nullspace } from '../linalg/nullspace.js';
import { createRng } from '../linalg/random.js';
import { checkAtol, checkRtol, defaultTolerance, type Dtype } from '../tolerances.js';
import { resolveCandidate, type Candidate, type GeneratorPair, type ResolvedCandidate } from './candidates.js';
import { identifyDiscovery } from './identifyAlgebra.js';

/** Options of {@link discoverSymmetries}. */
export interface DiscoverOptions extends FiniteDifferenceOptions {
  /** The candidate algebra (see {@link Candidate}). */
  candidate: Candidate;
  /**
   * Relative tolerance in [0, 1): σ ≤ rtol·max(σ_max, s) counts as a symmetry, where s is the
   * largest term scale of the candidates (the size of DF·ξ_M and τ·F, whose difference is
   * L_ξF), so that a candidate made only of symmetries is still recognized. Default from
   * `TOLERANCES.rank` by derivative kind and dtype: 1e-9 exact / 1e-6 finite differences in
   * float64, 1e-3 in float32.
   */
  rtol?: number;
  /** Absolute tolerance: σ ≤ atol also counts as zero (default 0). */
  atol?: number;
  /** The exact Jacobian DF(x), dimOut×dimIn, for a point function. Default: finite differences. */
  jacobian?: PointJacobian;
  /**
   * `'finite-difference'` forces finite differences even when the evaluator has exact
   * Jacobians; default: exact when available.
   */
  derivative?: 'exact' | 'finite-difference';
  /** Sample weights w_s ≥ 0, not all 0 (default 1/S each). */
  weights?: ArrayLike<number>;
  /** The dtype of a point function (default 'float64'; an Evaluator carries its own). */
  dtype?: Dtype;
}

/** What {@link discoverSymmetries} found. */
export interface DiscoveryResult {
  /** Dimension of the symmetry algebra found inside the candidate. */
  dimension: number;
  /** All q singular values of the discover matrix D_F, ascending: `dimension` of them at or below the threshold. */
  singularValues: Float64Array;
  /** An orthonormal basis (Frobenius on pairs) of the found algebra, as [A_in, A_out] pairs. */
  generators: Array<[Matrix, Matrix]>;
  /**
   * How far the found span is from closing under brackets: the largest off-span part of
   * [X, Y] over pairs of unit elements (every pair of basis elements up to dimension 8,
   * otherwise 24 seeded random pairs). 0 for a Lie subalgebra.
   */
  closureResidual: number;
  /** Spectral gap at the decision (see `nullspace`). */
  gap: number;
  /** The absolute threshold used: max(rtol·σ_max, rtol·s, atol). */
  threshold: number;
  /** The relative tolerance used. */
  rtol: number;
  /** The orthonormal candidate basis the spectrum refers to. */
  candidate: GeneratorPair[];
  /** The discover matrix D_F (rows (sample, output) × candidates). */
  matrix: Matrix;
  /** The known algebra the result matches ('so(3)', 'so(1,3)', 'translation-x + rotation', …) or null. */
  identification: string | null;
  /** Names of a structured candidate's generators (before orthonormalization), else null. */
  names: string[] | null;
  /** How L_ξF was obtained. */
  derivative: 'exact' | 'finite-difference';
  /** Number of samples and of rows of D_F (samples × outputs). */
  sampleCount: number;
  rowCount: number;
  /**
   * Whether the samples determine the answer: the dimension found from every other sample
   * alone equals the dimension found from all of them. False (with `reason`) when it does
   * not, or when there are too few rows for that cross-check (fewer than 2·q).
   */
  determined: boolean;
  /** Why the answer is not determined, or null. */
  reason: string | null;
  /** Model evaluations made (points). */
  evaluations: number;
}

/** ‖X − Σ ⟨X, Gₖ⟩ Gₖ‖ for a pair X and orthonormal pairs G. */
function offSpan(x: GeneratorPair, basis: readonly GeneratorPair[]): number {
  let a = x[0];
  let b = x[1];
  for (const [ga, gb] of basis) {
    const c = x[0].dot(ga) + x[1].dot(gb);
    if (c === 0) continue;
    a = a.sub(ga.scale(c));
    b = b.sub(gb.scale(c));
  }
  return Math.hypot(a.norm(), b.norm());
}

function combine(basis: readonly GeneratorPair[], c: ArrayLike<number>): GeneratorPair {
  let a = new Matrix(basis[0]![0].rows, basis[0]![0].cols);
  let b = new Matrix(basis[0]![1].rows, basis[0]![1].cols);
  basis.forEach(([ga, gb], k) => {
    if (c[k] === 0) return;
    a = a.add(ga.scale(c[k]!));
    b = b.add(gb.scale(c[k]!));
  });
  return [a, b];
}

/**
 * How far orthonormal generator pairs are from closing under brackets: the largest off-span
 * part of [X, Y] (pairs bracket componentwise) over every pair of basis elements when there
 * are at most 8, otherwise over 24 seeded random pairs of unit combinations, which finds a
 * non-closed span with probability 1 at a cost linear in the dimension. 0 for a subalgebra.
 */
export function closureResidual(generators: readonly GeneratorPair[]): number {
  const k = generators.length;
  let worst = 0;
  const bracket = (x: GeneratorPair, y: GeneratorPair): GeneratorPair => [x[0].bracket(y[0]), x[1].bracket(y[1])];
  if (k <= 8) {
    for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) worst = Math.max(worst, offSpan(bracket(generators[i]!, generators[j]!), generators));
    return worst;
  }
  const rng = createRng(0xc105e);
  const unit = (): GeneratorPair => {
    const c = Float64Array.from({ length: k }, () => rng.normal());
    const nrm = Math.hypot(...c);
    return combine(generators, c.map((v) => v / nrm));
  };
  for (let t = 0; t < 24; t++) worst = Math.max(worst, offSpan(bracket(unit(), unit()), generators));
  return worst;
}

interface Decision {
  resolved: ResolvedCandidate;
  rtol: number;
  atol: number;
  /** Largest term scale of the candidates (the threshold floor, relative to rtol). */
  termScale: number;
  /** Rows of the matrix per sample (outputs). */
  rowsPerSample: number;
  sampleCount: number;
  derivative: 'exact' | 'finite-difference';
  evaluations: number;
}

/** Reads the symmetries off a discover matrix: its nullspace, its spectrum, the cross-check and the name. */
function decide(d: Matrix, o: Decision): DiscoveryResult {
  const { pairs } = o.resolved;
  const floor = Math.max(o.atol, o.rtol * o.termScale);
  const ns = nullspace(d, { rtol: o.rtol, atol: floor });
  const generators = Array.from({ length: ns.dimension }, (_, k) => combine(pairs, ns.basis.column(k)) as [Matrix, Matrix]);
  const q = pairs.length;
  const half = Math.ceil(o.sampleCount / 2);
  let determined = false;
  let reason: string | null = null;
  if (half * o.rowsPerSample < q) {
    reason = `too few rows to cross-check the decision: ${d.rows} rows for ${q} candidate generators (the check needs 2·${q}); use more samples`;
  } else {
    // Every other sample: rows (2t, i) for t < half.
    const m = o.rowsPerSample;
    const sub = new Matrix(half * m, q);
    for (let t = 0; t < half; t++) sub.data.set(d.data.subarray(2 * t * m * q, (2 * t + 1) * m * q), t * m * q);
    const other = nullspace(sub, { rtol: o.rtol, atol: floor }).dimension;
    determined = other === ns.dimension;
    if (!determined) {
      reason = `half of the samples give dimension ${other}, all of them ${ns.dimension}: the samples do not determine the symmetry yet; use more samples`;
    }
  }
  return {
    dimension: ns.dimension,
    singularValues: ns.singularValues,
    generators,
    closureResidual: closureResidual(generators),
    gap: ns.gap,
    threshold: ns.threshold,
    rtol: o.rtol,
    candidate: pairs,
    matrix: d,
    identification: identifyDiscovery(generators, o.resolved.named),
    names: o.resolved.named ? o.resolved.named.map((g) => g.name) : null,
    derivative: o.derivative,
    sampleCount: o.sampleCount,
    rowCount: d.rows,
    determined,
    reason,
    evaluations: o.evaluations,
  };
}

/**
 * Reads the symmetries off a discover matrix D (rows × q, one column per orthonormal
 * candidate pair): its nullspace, mapped back to generator pairs. Prefer
 * {@link discoverSymmetries}, which builds D and sets the threshold floor from the term scale.
 * @param tolerance a relative tolerance, or `{ rtol, atol, rowsPerSample }`
 */
export function symmetriesFromMatrix(
  d: Matrix,
  candidate: readonly GeneratorPair[],
  tolerance: number | { rtol?: number; atol?: number; rowsPerSample?: number } = {},
): DiscoveryResult {
  const fn = 'symmetriesFromMatrix';
  const tol = typeof tolerance === 'number' ? { rtol: tolerance } : tolerance;
  const rtol = checkRtol(fn, tol.rtol ?? defaultTolerance('rank', { derivative: 'finite-difference' }));
  const atol = checkAtol(fn, tol.atol ?? 0);
  const rowsPerSample = tol.rowsPerSample ?? 1;
  const first = candidate[0];
  if (!first) throw new InvalidArgumentError(`${fn}: 'candidate' must hold at least one pair; received none`);
  const resolved: ResolvedCandidate = {
    pairs: [...candidate],
    actIn: { kind: 'vector', size: first[0].rows, dim: first[0].rows, tangents: () => [] },
    actOut: { kind: 'vector', size: first[1].rows, dim: first[1].rows, tangents: () => [] },
    named: null,
  };
  return decide(d, { resolved, rtol, atol, termScale: 0, rowsPerSample, sampleCount: d.rows / rowsPerSample, derivative: 'finite-difference', evaluations: 0 });
}

/** The tangent family of a resolved candidate: input tangents through actIn, output tangents through actOut. */
export function candidateFamily(resolved: ResolvedCandidate): TangentFamily {
  const ins = resolved.pairs.map((p) => p[0]);
  const outs = resolved.pairs.map((p) => p[1]);
  return {
    count: resolved.pairs.length,
    inputs: (x) => resolved.actIn.tangents(ins, x),
    outputs: (y) => resolved.actOut.tangents(outs, y),
    ...(resolved.actIn.kind === 'vector' ? { linear: ins } : {}),
  };
}

/** Validated common options: the evaluator, samples, weights, tolerances and derivative kind. */
export function prepareAnalysis(
  f: PointFunction | Evaluator,
  xs: unknown,
  options: Omit<DiscoverOptions, 'candidate'> & { fn: string },
): { ev: Evaluator; X: Matrix; sqrtW: Float64Array; exact: boolean; dtype: Dtype; step: number } {
  const fn = options?.fn ?? 'prepareAnalysis';
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be an object; received ${describe(options)}`);
  const X = toMatrix(xs, fn, 'xs');
  if (X.rows === 0) throw new EmptyInputError(`${fn}: 'xs' must hold at least one sample; received none`);
  const ev = isEvaluator(f) ? f : pointEvaluator(f, X.row(0), { fn, ...(options.jacobian ? { jacobian: options.jacobian } : {}) });
  if (X.cols !== ev.dimIn) throw new ShapeMismatchError(`${fn}: every sample in 'xs' must have ${ev.dimIn} coordinates (the model's input size); received ${X.cols}`);
  const dtype = ev.dtype ?? options.dtype ?? 'float64';
  if (dtype !== 'float32' && dtype !== 'float64') throw new InvalidArgumentError(`${fn}: 'dtype' must be 'float32' or 'float64'; received ${describe(dtype)}`);
  if (options.derivative !== undefined && options.derivative !== 'exact' && options.derivative !== 'finite-difference') {
    throw new InvalidArgumentError(`${fn}: 'derivative' must be 'exact' or 'finite-difference'; received ${describe(options.derivative)}`);
  }
  if (options.derivative === 'exact' && !ev.jacobians) {
    throw new InvalidArgumentError(`${fn}: 'derivative' is 'exact' but the model has no exact Jacobians; pass 'jacobian' or use finite differences`);
  }
  const exact = options.derivative !== 'finite-difference' && typeof ev.jacobians === 'function';
  const step = finiteDifferenceStep({ ...options, dtype, fn });
  return { ev, X, sqrtW: sampleWeights(fn, X.rows, options.weights), exact, dtype, step };
}

function* discoverProgram(fn: string, p: ReturnType<typeof prepareAnalysis>, options: DiscoverOptions): Program<DiscoveryResult> {
  if (options === null || typeof options !== 'object' || options.candidate === undefined) {
    throw new InvalidArgumentError(`${fn}: 'options.candidate' is required ('gl-input', 'gl-lift', 'gl-input-output', pairs or a structured candidate); received ${describe(options?.candidate)}`);
  }
  const { ev, X, sqrtW } = p;
  const resolved = resolveCandidate(options.candidate, { dimIn: ev.dimIn, dimOut: ev.dimOut, fn });
  const derivative = p.exact ? 'exact' : 'finite-difference';
  const rtol = checkRtol(fn, options.rtol ?? defaultTolerance('rank', { derivative, dtype: p.dtype }));
  const atol = checkAtol(fn, options.atol ?? 0);
  const q = resolved.pairs.length;
  const used = sqrtW.filter((w) => w > 0).length;
  if (used * ev.dimOut < q) {
    throw new InsufficientDataError(
      `${fn}: the samples must give at least as many rows as candidate generators (samples × outputs ≥ ${q}), preferably several times more; received ${used} samples × ${ev.dimOut} outputs = ${used * ev.dimOut} rows for ${q} generators`,
    );
  }
  const r = yield* sampledLieDerivatives(X, candidateFamily(resolved), {
    dimOut: ev.dimOut,
    dtype: p.dtype,
    sqrtWeights: sqrtW,
    exact: p.exact,
    step: p.step,
    ...(options.richardson ? { richardson: true } : {}),
  });
  return decide(r.matrix, {
    resolved,
    rtol,
    atol,
    termScale: Math.max(0, ...r.termScales),
    rowsPerSample: ev.dimOut,
    sampleCount: X.rows,
    derivative: r.derivative,
    evaluations: r.evaluations,
  });
}

/**
 * Finds the symmetries of a model F: R^n_in → R^n_out inside a candidate Lie algebra: the
 * generators ξ with L_ξ F(x) = DF(x)·ξ_M(x) − τ_ξ·F(x) = 0 at every sample. This is the
 * nullspace of the discover matrix D_F (rows (sample, output) scaled by √w_s, one column per
 * orthonormal candidate), with its full spectrum, the threshold and gap it decided on, a
 * closure check, a name for the algebra when it is a known one, and whether the samples
 * determine it. Derivatives are exact when the model gives Jacobians, else central finite
 * differences by the one rule of `FiniteDifferenceOptions`.
 *
 * @param f the model: a point function x ↦ F(x), or an {@link Evaluator} (batched; plugins pass theirs)
 * @param xs the samples, S×n_in (Matrix or nested arrays; `drawSamples` makes them)
 * @throws InsufficientDataError when samples × outputs < the number of candidates (a nullspace
 *   would appear whatever the model); InvalidArgumentError for bad options (rtol outside [0, 1),
 *   all-zero weights, …); ShapeMismatchError; NonFiniteError; UnsupportedOperationError for an
 *   asynchronous evaluator (use {@link discoverSymmetriesAsync})
 * @example
 * const r = discoverSymmetries((x) => [x[0]**2 + x[1]**2 + x[2]**2], xs, { candidate: 'gl-input' });
 * r.dimension;       // 3
 * r.identification;  // 'so(3)'
 */
export function discoverSymmetries(f: PointFunction | Evaluator, xs: Matrix | ReadonlyArray<ArrayLike<number>>, options: DiscoverOptions): DiscoveryResult {
  const fn = 'discoverSymmetries';
  const p = prepareAnalysis(f, xs, { ...options, fn });
  return runProgram(fn, discoverProgram(fn, p, options), p.ev);
}

/**
 * {@link discoverSymmetries} for models that evaluate asynchronously (onnxruntime), or any
 * evaluator: the same engine, awaiting each batched evaluation.
 * @example
 * const r = await discoverSymmetriesAsync(onnxEvaluator, xs, { candidate: 'gl-input' });
 */
export async function discoverSymmetriesAsync(
  f: PointFunction | Evaluator,
  xs: Matrix | ReadonlyArray<ArrayLike<number>>,
  options: DiscoverOptions,
): Promise<DiscoveryResult> {
  const fn = 'discoverSymmetriesAsync';
  const p = prepareAnalysis(f, xs, { ...options, fn });
  return runProgramAsync(fn, discoverProgram(fn, p, options), p.ev);
}
