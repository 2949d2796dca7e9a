import { InvalidArgumentError, InvalidRepresentationError, ShapeMismatchError, describe } from '../errors.js';
import type { Group } from '../groups/Group.js';
import { runProgram, runProgramAsync, type Evaluator, type PointFunction, type PointJacobian, type Program } from '../lie/evaluator.js';
import type { FiniteDifferenceOptions } from '../lie/finiteDifferences.js';
import { sampledLieDerivatives, type TangentFamily } from '../lie/sampledLieDerivatives.js';
import { stableNorm as scaledNorm } from '../linalg/powerOfTwo.js';
import { Matrix } from '../linalg/Matrix.js';
import { solve } from '../linalg/lu.js';
import { Representation } from '../reps/Representation.js';
import { defaultTolerance, type Dtype } from '../tolerances.js';
import { prepareAnalysis } from './discoverSymmetries.js';

/** Options of {@link checkSymmetry}. */
export interface CheckSymmetryOptions extends FiniteDifferenceOptions {
  /** The representation on the (flattened) input, dim = the model's input size. */
  repIn: Representation;
  /** The representation on the (flattened) output. */
  repOut: Representation;
  /** The group (optional; when given it must be the representations' group; required when both are Scalar). */
  group?: Group;
  /**
   * A symmetry holds when every relative violation is ≤ tolerance. Default from
   * `TOLERANCES.check` by derivative kind and dtype (1e-8 exact / 1e-5 finite differences in
   * float64; 1e-4 / 1e-2 in float32).
   */
  tolerance?: number;
  /** The exact Jacobian of a point function (default: finite differences). */
  jacobian?: PointJacobian;
  /** `'finite-difference'` forces finite differences even when exact Jacobians exist. */
  derivative?: 'exact' | 'finite-difference';
  /** Sample weights (default 1/S each). */
  weights?: ArrayLike<number>;
  /** The dtype of a point function (default 'float64'). */
  dtype?: Dtype;
}

/** Whether a checked symmetry holds to the tolerance. */
export type Verdict = 'holds' | 'broken';

/** How strongly a model breaks (or keeps) a given symmetry: {@link checkSymmetry}'s result. */
export interface SymmetryCheck {
  /**
   * One entry per Lie-algebra generator ξᵢ of the group: `norm` = weighted RMS over the
   * samples of ‖L_ξᵢ F(x)‖ = ‖DF(x)·dρ_in(ξᵢ)·x − dρ_out(ξᵢ)·F(x)‖, `relative` = norm divided by
   * the output scale, and its verdict. `name` reads the generator ('rotation-xy',
   * 'boost-tx', 'scaling', 'translation-x', or 'ξ3').
   */
  generators: Array<{ index: number; name: string; norm: number; relative: number; verdict: Verdict }>;
  /**
   * One entry per discrete generator h: RMS of ‖ρ_out(h)⁻¹·F(ρ_in(h)·x) − F(x)‖ divided by the
   * output scale (the Lie derivative cannot see discrete symmetries; this is K_hF − F).
   */
  discrete: Array<{ index: number; name: string; residual: number; verdict: Verdict }>;
  /** Weighted RMS over the samples of ‖F(x)‖. */
  outputScale: number;
  /** The largest relative violation (0 for an exact symmetry). */
  maxRelative: number;
  /** The tolerance the verdicts used. */
  tolerance: number;
  /** 'holds' when every generator and discrete generator holds, else 'broken'. */
  verdict: Verdict;
  sampleCount: number;
  derivative: 'exact' | 'finite-difference';
  /** Model evaluations made (points). */
  evaluations: number;
}

const AXES = ['x', 'y', 'z', 'w'];

/**
 * A readable name for a generator matrix of the defining representation when it is a unit
 * rotation (E_ij − E_ji), boost (E_ij + E_ji), the identity (scaling) or a homogeneous
 * translation; null otherwise.
 * @example generatorName(SO(3).lieAlgebra[0]); // 'rotation-xy' (the plane it turns); SO(1,3)'s boosts read 'boost-tx' in checkSymmetry
 */
export function generatorName(a: Matrix, options: { homogeneous?: boolean; axes?: readonly string[] } = {}): string | null {
  const n = a.rows;
  const nz: Array<[number, number, number]> = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (a.get(i, j) !== 0) nz.push([i, j, a.get(i, j)]);
  const names = options.axes ?? (n <= 4 ? AXES : []);
  const axis = (i: number): string => names[i] ?? String(i);
  const h = options.homogeneous ?? false;
  if (h && nz.length === 1 && nz[0]![1] === n - 1 && nz[0]![0] < n - 1) return `translation-${axis(nz[0]![0])}`;
  const t = a.trace() / n;
  if (nz.length === n && nz.every(([i, j, v]) => i === j && Math.abs(v - t) <= 1e-12 * Math.abs(t))) return 'scaling';
  if (nz.length === 2) {
    const [[i, j, v], [k, l, w]] = nz as [[number, number, number], [number, number, number]];
    if (i === l && j === k && Math.abs(v) === Math.abs(w)) return `${v === -w ? 'rotation' : 'boost'}-${axis(Math.min(i, j))}${axis(Math.max(i, j))}`;
  }
  return null;
}

function groupOf(fn: string, options: CheckSymmetryOptions, dims: { dimIn: number; dimOut: number }): Group {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be an object with repIn and repOut; received ${describe(options)}`);
  const { repIn, repOut } = options;
  if (!(repIn instanceof Representation) || !(repOut instanceof Representation)) {
    throw new InvalidArgumentError(`${fn}: 'repIn' and 'repOut' must be Representations; received ${describe(repIn)} and ${describe(repOut)}`);
  }
  const group = options.group ?? repIn.group ?? repOut.group;
  if (group === undefined) throw new InvalidArgumentError(`${fn}: 'group' is required when both representations are Scalar; received undefined`);
  for (const [name, rep] of [['repIn', repIn], ['repOut', repOut]] as const) {
    if (rep.group !== undefined && rep.group.key !== group.key) {
      throw new InvalidRepresentationError(`${fn}: '${name}' must be a representation of ${group.name}; received one of ${rep.group.name}`);
    }
  }
  if (repIn.dim !== dims.dimIn) throw new ShapeMismatchError(`${fn}: 'repIn' must have dim ${dims.dimIn} (the model's input size); received ${repIn.dim}`);
  if (repOut.dim !== dims.dimOut) throw new ShapeMismatchError(`${fn}: 'repOut' must have dim ${dims.dimOut} (the model's output size); received ${repOut.dim}`);
  return group;
}

function* checkProgram(fn: string, p: ReturnType<typeof prepareAnalysis>, options: CheckSymmetryOptions): Program<SymmetryCheck> {
  const { ev, X, sqrtW } = p;
  const group = groupOf(fn, options, ev);
  const { repIn, repOut } = options;
  const derivative = p.exact ? 'exact' : 'finite-difference';
  const tolerance = options.tolerance ?? defaultTolerance('check', { derivative, dtype: p.dtype });
  if (typeof tolerance !== 'number' || !(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw new InvalidArgumentError(`${fn}: 'tolerance' must be a finite number ≥ 0; received ${describe(tolerance)}`);
  }
  const n = ev.dimIn;
  const m = ev.dimOut;
  const q = group.lieAlgebra.length;
  const dIn = Array.from({ length: q }, (_, i) => (repIn.group ? repIn.drho(i).toDense() : new Matrix(n, n)));
  const dOut = Array.from({ length: q }, (_, i) => (repOut.group ? repOut.drho(i).toDense() : new Matrix(m, m)));
  const S = X.rows;
  let values: Float64Array;
  let norms: number[] = [];
  let evaluations = 0;
  if (q > 0) {
    const family: TangentFamily = {
      count: q,
      inputs: (x) => dIn.map((a) => a.mulVec(x)),
      outputs: (y) => dOut.map((b) => b.mulVec(y)),
      linear: dIn,
    };
    const r = yield* sampledLieDerivatives(X, family, { dimOut: m, dtype: p.dtype, sqrtWeights: sqrtW, exact: p.exact, step: p.step, ...(options.richardson ? { richardson: true } : {}) });
    values = r.values;
    norms = Array.from({ length: q }, (_, k) => scaledNorm(r.matrix.column(k)));
    evaluations += r.evaluations;
  } else {
    values = yield { kind: 'values', points: X.data, count: S };
    evaluations += S;
  }
  const weighted = Float64Array.from({ length: S * m }, (_, e) => sqrtW[Math.floor(e / m)]! * values[e]!);
  const outputScale = scaledNorm(weighted);
  const rel = (v: number): number => (outputScale === 0 ? v : v / outputScale);
  const verdict = (v: number): 'holds' | 'broken' => (v <= tolerance ? 'holds' : 'broken');
  const hd = group.lieAlgebra[0]?.rows ?? 0;
  const homogeneous = group.lieAlgebra.length > 0 && group.lieAlgebra.every((a) => Array.from({ length: hd }, (_, j) => a.get(hd - 1, j)).every((v) => v === 0));
  // Boosts that all mix coordinate 0 with the others (the Lorentz groups): coordinate 0 is time.
  const boosts = group.lieAlgebra.map((a) => generatorName(a)).filter((g): g is string => g?.startsWith('boost-') === true);
  const axes = hd <= 4 && boosts.length > 0 && boosts.every((b) => b.slice(6).startsWith('x')) ? { axes: ['t', 'x', 'y', 'z'] } : {};
  const generators = norms.map((norm, index) => ({
    index,
    name: generatorName(group.lieAlgebra[index]!, { homogeneous, ...axes }) ?? `ξ${index + 1}`,
    norm,
    relative: rel(norm),
    verdict: verdict(rel(norm)),
  }));
  const pd = group.discreteGenerators.length;
  const discrete: SymmetryCheck['discrete'] = [];
  if (pd > 0) {
    const hIn = Array.from({ length: pd }, (_, j) => (repIn.group ? repIn.rho(j).toDense() : Matrix.identity(n)));
    const hOut = Array.from({ length: pd }, (_, j) => (repOut.group ? repOut.rho(j).toDense() : Matrix.identity(m)));
    const moved = new Float64Array(pd * S * n);
    for (let j = 0; j < pd; j++) for (let s = 0; s < S; s++) moved.set(hIn[j]!.mulVec(X.row(s)), (j * S + s) * n);
    const y = yield { kind: 'values', points: moved, count: pd * S };
    evaluations += pd * S;
    for (let j = 0; j < pd; j++) {
      // ρ_out(h)⁻¹·F(ρ_in(h)x) for all samples at once: solve ρ_out(h)·Y = F(ρ_in(h)X)ᵀ.
      const back = solve(hOut[j]!, new Matrix(S, m, y.slice(j * S * m, (j + 1) * S * m)).transpose());
      const diff = new Float64Array(S * m);
      for (let s = 0; s < S; s++) for (let k = 0; k < m; k++) diff[s * m + k] = sqrtW[s]! * (back.data[k * S + s]! - values[s * m + k]!);
      const residual = rel(scaledNorm(diff));
      discrete.push({ index: j, name: `h${j + 1}`, residual, verdict: verdict(residual) });
    }
  }
  const maxRelative = Math.max(0, ...generators.map((g) => g.relative), ...discrete.map((d) => d.residual));
  return {
    generators,
    discrete,
    outputScale,
    maxRelative,
    tolerance,
    verdict: maxRelative <= tolerance ? 'holds' : 'broken',
    sampleCount: S,
    derivative,
    evaluations,
  };
}

/**
 * Checks a given symmetry of a model: for every Lie-algebra generator ξ of the group the Lie
 * derivative L_ξ F(x) = DF(x)·dρ_in(ξ)·x − dρ_out(ξ)·F(x), and for every discrete generator h
 * the residual ρ_out(h)⁻¹·F(ρ_in(h)·x) − F(x), each relative to the output scale, with a
 * verdict against a tolerance (per item and overall). Same engine as discovery: exact
 * Jacobians when the model gives them, else the one finite-difference rule.
 *
 * @param f a point function or an {@link Evaluator}
 * @param xs the samples, S×dim_in
 * @throws InvalidRepresentationError when the representations belong to different groups;
 *   ShapeMismatchError when their dims do not fit the model; EmptyInputError; NonFiniteError;
 *   InvalidArgumentError for bad options
 * @example
 * const r = checkSymmetry((x) => [Math.hypot(...x)], xs, { repIn: V(SO(3)), repOut: Scalar });
 * r.verdict; // 'holds'
 */
export function checkSymmetry(f: PointFunction | Evaluator, xs: Matrix | ReadonlyArray<ArrayLike<number>>, options: CheckSymmetryOptions): SymmetryCheck {
  const fn = 'checkSymmetry';
  const p = prepareAnalysis(f, xs, { ...options, fn });
  return runProgram(fn, checkProgram(fn, p, options), p.ev);
}

/** {@link checkSymmetry} for asynchronous evaluators (onnxruntime) or any evaluator. */
export async function checkSymmetryAsync(
  f: PointFunction | Evaluator,
  xs: Matrix | ReadonlyArray<ArrayLike<number>>,
  options: CheckSymmetryOptions,
): Promise<SymmetryCheck> {
  const fn = 'checkSymmetryAsync';
  const p = prepareAnalysis(f, xs, { ...options, fn });
  return runProgramAsync(fn, checkProgram(fn, p, options), p.ev);
}
