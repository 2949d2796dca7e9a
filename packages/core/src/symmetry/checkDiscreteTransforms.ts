import { EmptyInputError, InvalidArgumentError, ShapeMismatchError, describe } from '../errors.js';
import { runProgram, runProgramAsync, type Evaluator, type PointFunction, type Program } from '../lie/evaluator.js';
import type { Matrix } from '../linalg/Matrix.js';
import { stableNorm } from '../linalg/powerOfTwo.js';
import { defaultTolerance } from '../tolerances.js';
import type { Verdict } from './checkSymmetry.js';
import { prepareAnalysis } from './discoverSymmetries.js';
import { checkPermutation, type IndexMapTransform } from './indexMapTransforms.js';

/** Options of {@link checkDiscreteTransforms}. */
export interface DiscreteTransformsOptions {
  /** The transforms h to check, as index maps (see `imageIndexMaps`, `timeReversal`, `channelPermutation`). */
  transforms: readonly IndexMapTransform[];
  /**
   * A transform holds when its residual is ≤ tolerance. Default `TOLERANCES.check` for exact
   * evaluation in the model's dtype (1e-8 float64, 1e-4 float32): a discrete check takes no
   * derivatives, only values, so only rounding separates F(h·x) from P_h F(x).
   */
  tolerance?: number;
}

/** {@link checkDiscreteTransforms}'s result: one row per transform and an overall verdict. */
export interface DiscreteTransformsCheck {
  /**
   * Per transform: `residual` = RMS over the samples of ‖F(h·x) − P_h F(x)‖ divided by the output
   * scale — the same number as `checkSymmetry`'s discrete residual ‖ρ_out(h)⁻¹F(ρ_in(h)x) − F(x)‖,
   * since P_h is a signed permutation (orthogonal).
   */
  discrete: Array<{ index: number; name: string; residual: number; verdict: Verdict }>;
  /** RMS over the samples of ‖F(x)‖. */
  outputScale: number;
  /** The largest residual (0 when every transform is an exact symmetry). */
  maxRelative: number;
  tolerance: number;
  /** 'holds' when every transform holds. */
  verdict: Verdict;
  sampleCount: number;
  /** Model evaluations made (points): N·(T + 1). */
  evaluations: number;
}

/** An index-map transform after {@link checkIndexMapTransforms}: maps as Int32Array, signs as Float64Array or absent. */
export interface CheckedIndexMap {
  name: string;
  input: Int32Array;
  inputSign: Float64Array | undefined;
  output: Int32Array | undefined;
  outputSign: Float64Array | undefined;
}

function checkSigns(signs: unknown, context: { fn: string; arg: string; length: number }): Float64Array | undefined {
  const { fn, arg, length } = context;
  if (signs === undefined) return undefined;
  if (!(signs instanceof Float64Array) || signs.length !== length || signs.some((s) => s !== 1 && s !== -1)) {
    throw new InvalidArgumentError(`${fn}: '${arg}' must be a Float64Array of ${length} signs (each 1 or −1); received ${describe(signs)}`);
  }
  return signs;
}

/**
 * Validates index-map transforms for a model with `dimIn` inputs and `dimOut` outputs (every
 * input and output map a permutation of the right length, signs ±1), the one check every caller
 * of index maps shares (`checkDiscreteTransforms`, the adapters' promote penalties).
 * @throws InvalidArgumentError naming `fn` for a non-array, a bad map or sign; EmptyInputError for no transforms;
 *   ShapeMismatchError for a map of the wrong length
 * @example
 * const [t] = checkIndexMapTransforms('myFn', imageIndexMaps({ shape: [1, 2, 2], names: ['rotate180'] }), { dimIn: 4, dimOut: 1 });
 * Array.from(t.input); // [3, 2, 1, 0]
 */
export function checkIndexMapTransforms(fn: string, transforms: unknown, dims: { dimIn: number; dimOut: number }): CheckedIndexMap[] {
  if (!Array.isArray(transforms)) throw new InvalidArgumentError(`${fn}: 'transforms' must be an array of index-map transforms { name, input, output? }; received ${describe(transforms)}`);
  if (transforms.length === 0) throw new EmptyInputError(`${fn}: 'transforms' must hold at least one transform; received none`);
  return transforms.map((t: IndexMapTransform, k) => {
    const at = `transforms[${k}]`;
    if (t === null || typeof t !== 'object' || typeof t.name !== 'string') throw new InvalidArgumentError(`${fn}: '${at}' must be { name, input, output? }; received ${describe(t)}`);
    const input = checkPermutation(t.input, { fn, arg: `${at}.input`, length: dims.dimIn });
    const output = t.output === undefined ? undefined : checkPermutation(t.output, { fn, arg: `${at}.output`, length: dims.dimOut });
    return {
      name: t.name,
      input,
      inputSign: checkSigns(t.inputSign, { fn, arg: `${at}.inputSign`, length: dims.dimIn }),
      output,
      outputSign: checkSigns(t.outputSign, { fn, arg: `${at}.outputSign`, length: dims.dimOut }),
    };
  });
}

function* discreteProgram(fn: string, p: ReturnType<typeof prepareAnalysis>, options: DiscreteTransformsOptions): Program<DiscreteTransformsCheck> {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be { transforms, tolerance? }; received ${describe(options)}`);
  const { ev, X } = p;
  const n = ev.dimIn;
  const m = ev.dimOut;
  const transforms = checkIndexMapTransforms(fn, options.transforms, { dimIn: n, dimOut: m });
  const tolerance = options.tolerance ?? defaultTolerance('check', { derivative: 'exact', dtype: p.dtype });
  if (typeof tolerance !== 'number' || !(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw new InvalidArgumentError(`${fn}: 'tolerance' must be a finite number ≥ 0; received ${describe(tolerance)}`);
  }
  const S = X.rows;
  const T = transforms.length;
  // All samples, then each transform's images of them: one batched evaluation of S·(T+1) points.
  const points = new Float64Array(S * (T + 1) * n);
  points.set(X.data);
  transforms.forEach((t, k) => {
    for (let s = 0; s < S; s++) {
      const src = s * n;
      const dst = ((k + 1) * S + s) * n;
      const map = t.input;
      const sign = t.inputSign;
      if (sign) for (let i = 0; i < n; i++) points[dst + i] = sign[i]! * X.data[src + map[i]!]!;
      else for (let i = 0; i < n; i++) points[dst + i] = X.data[src + map[i]!]!;
    }
  });
  const y = yield { kind: 'values', points, count: S * (T + 1) };
  const outputScale = stableNorm(y.subarray(0, S * m)) / Math.sqrt(S);
  const diff = new Float64Array(S * m);
  const discrete = transforms.map((t, k) => {
    for (let s = 0; s < S; s++) {
      const base = s * m;
      const moved = ((k + 1) * S + s) * m;
      for (let i = 0; i < m; i++) {
        const j = t.output ? t.output[i]! : i;
        const py = (t.outputSign ? t.outputSign[i]! : 1) * y[base + j]!;
        diff[base + i] = y[moved + i]! - py;
      }
    }
    const rms = stableNorm(diff) / Math.sqrt(S);
    const residual = outputScale === 0 ? rms : rms / outputScale;
    return { index: k, name: t.name, residual, verdict: (residual <= tolerance ? 'holds' : 'broken') as Verdict };
  });
  const maxRelative = Math.max(0, ...discrete.map((d) => d.residual));
  return { discrete, outputScale, maxRelative, tolerance, verdict: maxRelative <= tolerance ? 'holds' : 'broken', sampleCount: S, evaluations: S * (T + 1) };
}

function prepare(fn: string, f: PointFunction | Evaluator, xs: Matrix | ReadonlyArray<ArrayLike<number>>): ReturnType<typeof prepareAnalysis> {
  const p = prepareAnalysis(f, xs, { fn });
  if (p.ev.dimOut < 1) throw new ShapeMismatchError(`${fn}: the model must have at least one output; it has ${p.ev.dimOut}`);
  return p;
}

/**
 * Checks discrete symmetries given as index maps (flips, 90°/180° turns, time reversal, channel
 * and output permutations) without building a representation matrix: for each transform h,
 *
 *     residual(h) = RMS_x ‖F(h·x) − P_h F(x)‖ / RMS_x ‖F(x)‖,
 *
 * with a verdict against the tolerance, and an overall verdict. This is `checkSymmetry`'s
 * discrete residual ‖ρ_out(h)⁻¹F(ρ_in(h)x) − F(x)‖ relative to the output scale (equal because
 * P_h is orthogonal), at O(S·dim_in) memory per transform instead of dim_in² per matrix. One
 * batched evaluation of the S samples and their S·T images.
 *
 * @param f a point function or an {@link Evaluator}
 * @param xs the samples, S×dim_in
 * @throws InvalidArgumentError when a map is not a permutation or a sign is not ±1, or for bad
 *   options; ShapeMismatchError when a map's length is not the model's input/output size;
 *   EmptyInputError for no samples or no transforms; NonFiniteError
 * @example
 * const [rot] = imageIndexMaps({ shape: [1, 2, 2], names: ['rotate180'] });
 * const r = checkDiscreteTransforms(f, xs, { transforms: [{ ...rot, output: outputPermutation([1, 0]) }] });
 * r.discrete[0].verdict; // 'holds' when turning the image swaps F's two outputs
 */
export function checkDiscreteTransforms(f: PointFunction | Evaluator, xs: Matrix | ReadonlyArray<ArrayLike<number>>, options: DiscreteTransformsOptions): DiscreteTransformsCheck {
  const fn = 'checkDiscreteTransforms';
  const p = prepare(fn, f, xs);
  return runProgram(fn, discreteProgram(fn, p, options), p.ev);
}

/** {@link checkDiscreteTransforms} for asynchronous evaluators (onnxruntime) or any evaluator. */
export async function checkDiscreteTransformsAsync(
  f: PointFunction | Evaluator,
  xs: Matrix | ReadonlyArray<ArrayLike<number>>,
  options: DiscreteTransformsOptions,
): Promise<DiscreteTransformsCheck> {
  const fn = 'checkDiscreteTransformsAsync';
  const p = prepare(fn, f, xs);
  return runProgramAsync(fn, discreteProgram(fn, p, options), p.ev);
}
