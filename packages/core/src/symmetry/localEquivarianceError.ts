import { EmptyInputError, InvalidArgumentError, ShapeMismatchError, describe } from '../errors.js';
import { isEvaluator, runProgram, runProgramAsync, type Evaluator, type Program } from '../lie/evaluator.js';
import { directionalDerivatives, finiteDifferenceStep, type Direction } from '../lie/finiteDifferences.js';
import { Matrix, toMatrix } from '../linalg/Matrix.js';
import { stableNorm } from '../linalg/powerOfTwo.js';
import { checkRtol, defaultTolerance, type Dtype } from '../tolerances.js';
import type { Verdict } from './checkSymmetry.js';
import type { SpatialDerivative } from '../lie/dataActions.js';
import type { TransformFamily, TransformUnit } from './namedTransforms.js';
import { RowStack, transformDiscovery, type TransformDiscovery } from './transformDiscovery.js';

/** Options of {@link localEquivarianceError}. */
export interface LocalEquivarianceOptions {
  /** Relative finite-difference step in (0, 1): default 1e-3 for float32 models (ReLU kinks bias larger steps; see the README), ε^(1/3) for float64. */
  step?: number;
  /** The transforms of the input (from {@link imageTransforms} or {@link signalTransforms}); its `dim` must be the model's input size. */
  transforms: TransformFamily;
  /**
   * The transforms of the output, for equivariance of image-to-image or signal-to-signal models:
   * a transform of `transforms` with a same-named one here is measured as
   * d/dt [g_t⁻¹·F(g_t·x)] = DF(x)·v_in(x) − v_out(F(x)); the others as invariance. Default: none
   * (every transform is an invariance, ρ_out trivial, as for classifier logits).
   */
  outputTransforms?: TransformFamily;
  /**
   * A transform holds when its relative error is ≤ tolerance. Default from `TOLERANCES.check` for
   * finite differences in the evaluator's dtype (1e-5 float64, 1e-2 float32).
   */
  tolerance?: number;
  /**
   * Also discover the span of transforms the model respects: the SVD of the per-transform
   * Lie-derivative columns (see {@link TransformDiscovery}), in the result's `discovery`. Default false.
   */
  discover?: boolean;
}

/** One transform's row of {@link LocalEquivarianceResult}. */
export interface TransformError {
  name: string;
  unit: TransformUnit;
  /** RMS over the samples of ‖d/dt [g_t⁻¹·F(g_t·x)]|₀‖ divided by the output scale (the lie-deriv local equivariance error, relative). */
  error: number;
  /** The same RMS, absolute: the output change per unit of t (per pixel, sample, degree or percent). */
  perUnit: number;
  verdict: Verdict;
  /** 'equivariant' when an output transform of the same name was subtracted, else 'invariant'. */
  action: 'invariant' | 'equivariant';
  /** ‖d/dt [g_t⁻¹·F(g_t·x)]|₀‖ per sample (absolute, per unit). */
  perSample: Float64Array;
}

/** What {@link localEquivarianceError} measured. */
export interface LocalEquivarianceResult {
  /** One row per transform, in the family's order. */
  transforms: TransformError[];
  /** RMS over the samples of ‖F(x)‖: what `error` is relative to. */
  outputScale: number;
  tolerance: number;
  /** 'holds' when every transform holds. */
  verdict: Verdict;
  sampleCount: number;
  /** Always central finite differences along the velocities (core's one rule). */
  derivative: 'finite-difference';
  /** The spatial derivative of the input transforms' velocities. */
  spatialDerivative: SpatialDerivative;
  /** The relative finite-difference step used. */
  step: number;
  /** Model evaluations made (points). */
  evaluations: number;
  /** With `discover: true`: the combinations of the transforms whose error is ≤ tolerance. */
  discovery?: TransformDiscovery;
}

/**
 * The relative step of the named transforms' finite differences: 1e-3 for float32 models, core's
 * ε^(1/3) for float64. Not float32's ε^(1/3) = 4.9e-3: ReLU networks have kinks, and a central
 * difference averages the derivative over ±step; lie-deriv differentiates exactly (autograd). On
 * PP-OCR's classifier (8 text lines), rotation's error is 0.234 at 4.9e-3, 0.289 at 1e-3, 0.299 at
 * 3e-4 and 0.288 at 1e-4; rounding stays far below the tolerance (brightness: 0.0090 → 0.0087).
 * @internal
 */
export function transformStep(spec: { step: number | undefined; dtype: Dtype; fn: string }): number {
  if (spec.step === undefined && spec.dtype === 'float32') return 1e-3;
  return finiteDifferenceStep({ ...(spec.step !== undefined ? { step: spec.step } : {}), dtype: spec.dtype, fn: spec.fn });
}

/** Points per evaluation request at most (× input size ≤ this many numbers): bounds memory on large images. */
const MAX_BATCH_NUMBERS = 2 ** 23;

interface Prepared {
  ev: Evaluator;
  X: Matrix;
  family: TransformFamily;
  out: TransformFamily | undefined;
  tolerance: number;
  step: number;
  dtype: Dtype;
  discover: boolean;
}

function prepare(fn: string, args: { ev: unknown; xs: unknown; options: LocalEquivarianceOptions }): Prepared {
  const { ev, xs, options } = args;
  if (!isEvaluator(ev)) throw new InvalidArgumentError(`${fn}: 'evaluator' must be an Evaluator { dimIn, dimOut, evaluate }; received ${describe(ev)}`);
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be an object { transforms }; received ${describe(options)}`);
  const family = options.transforms;
  const isFamily = (f: unknown): f is TransformFamily => f !== null && typeof f === 'object' && typeof (f as TransformFamily).velocities === 'function';
  if (!isFamily(family)) throw new InvalidArgumentError(`${fn}: 'transforms' must be a TransformFamily from imageTransforms() or signalTransforms(); received ${describe(family)}`);
  const X = toMatrix(xs, fn, 'samples');
  if (X.rows === 0) throw new EmptyInputError(`${fn}: 'samples' must hold at least one sample; received none`);
  if (X.cols !== ev.dimIn) throw new ShapeMismatchError(`${fn}: every sample must have ${ev.dimIn} numbers (the model's input size); received ${X.cols}`);
  if (family.dim !== ev.dimIn) {
    throw new ShapeMismatchError(`${fn}: 'transforms' act on ${family.dim} numbers ([${family.shape.join(', ')}]); the model's input has ${ev.dimIn}`);
  }
  const out = options.outputTransforms;
  if (out !== undefined) {
    if (!isFamily(out)) throw new InvalidArgumentError(`${fn}: 'outputTransforms' must be a TransformFamily; received ${describe(out)}`);
    if (out.dim !== ev.dimOut) throw new ShapeMismatchError(`${fn}: 'outputTransforms' act on ${out.dim} numbers ([${out.shape.join(', ')}]); the model's output has ${ev.dimOut}`);
  }
  const dtype = ev.dtype ?? 'float64';
  const tolerance = checkRtol(fn, options.tolerance ?? defaultTolerance('check', { derivative: 'finite-difference', dtype }), 'tolerance');
  const step = transformStep({ step: options.step, dtype, fn });
  if (options.discover !== undefined && typeof options.discover !== 'boolean') throw new InvalidArgumentError(`${fn}: 'discover' must be a boolean; received ${describe(options.discover)}`);
  return { ev, X, family, out, tolerance, step, dtype, discover: options.discover ?? false };
}

function* leeProgram(p: Prepared): Program<LocalEquivarianceResult> {
  const { ev, X, family, out, tolerance, step, dtype, discover } = p;
  const n = ev.dimIn;
  const m = ev.dimOut;
  const S = X.rows;
  const K = family.transforms.length;
  const outIndex = family.transforms.map((t) => (out ? out.transforms.findIndex((o) => o.name === t.name) : -1));
  const norms = family.transforms.map(() => new Float64Array(S));
  const values = new Float64Array(S * m);
  // With discover: the Lie-derivative columns c_k, rows (sample, output), even and odd samples apart (the cross-check).
  const stacks = discover ? [new RowStack(K), new RowStack(K)] : undefined;
  // Samples per request: each costs 1 + 2K points.
  const chunk = Math.max(1, Math.floor(MAX_BATCH_NUMBERS / (n * (1 + 2 * K))));
  let evaluations = 0;
  for (let s0 = 0; s0 < S; s0 += chunk) {
    const count = Math.min(chunk, S - s0);
    const points = X.data.subarray(s0 * n, (s0 + count) * n);
    const directions: Direction[] = [];
    for (let s = 0; s < count; s++) for (const v of family.velocities(points.subarray(s * n, (s + 1) * n))) directions.push({ point: s, v });
    const r = yield* directionalDerivatives(points, directions, { dimIn: n, dimOut: m, dtype, step });
    evaluations += count + directions.filter((d) => d.v.some((x) => x !== 0)).length * 2;
    values.set(r.values, s0 * m);
    for (let s = 0; s < count; s++) {
      const y = r.values.subarray(s * m, (s + 1) * m);
      const vOut = out && outIndex.some((k) => k >= 0) ? out.velocities(Float64Array.from(y)) : [];
      const block = stacks ? new Matrix(m, K) : undefined;
      for (let k = 0; k < K; k++) {
        const d = r.derivatives[s * K + k]!;
        const o = outIndex[k]!;
        if (o >= 0) {
          const w = vOut[o]!;
          for (let i = 0; i < m; i++) d[i]! -= w[i]!;
        }
        norms[k]![s0 + s] = stableNorm(d);
        if (block) for (let i = 0; i < m; i++) block.data[i * K + k] = d[i]!;
      }
      if (block) stacks![(s0 + s) % 2]!.push(block);
    }
  }
  const rms = (a: ArrayLike<number>): number => stableNorm(a) / Math.sqrt(a.length);
  const outputScale = stableNorm(values) / Math.sqrt(S);
  const transforms = family.transforms.map((t, k): TransformError => {
    const perUnit = rms(norms[k]!);
    const error = outputScale > 0 ? perUnit / outputScale : perUnit === 0 ? 0 : Infinity;
    return { name: t.name, unit: t.unit, error, perUnit, verdict: error <= tolerance ? 'holds' : 'broken', action: outIndex[k]! >= 0 ? 'equivariant' : 'invariant', perSample: norms[k]! };
  });
  let discovery: TransformDiscovery | undefined;
  if (stacks) {
    // Scaled as `error` is: ‖c_k‖ = error_k, so σ are relative errors comparable to the tolerance.
    const scale = 1 / (Math.sqrt(S) * (outputScale > 0 ? outputScale : 1));
    const [even, odd] = stacks.map((st) => st.matrix().scale(scale));
    discovery = transformDiscovery({ even: even!, odd: odd! }, { transforms: family.transforms, tolerance, rowsPerSample: m, sampleCount: S });
  }
  return {
    ...(discovery ? { discovery } : {}),
    transforms,
    outputScale,
    tolerance,
    verdict: transforms.every((t) => t.verdict === 'holds') ? 'holds' : 'broken',
    sampleCount: S,
    derivative: 'finite-difference',
    spatialDerivative: family.derivative,
    step,
    evaluations,
  };
}

/**
 * The local equivariance error of Gruver, Finzi, Goldblum & Wilson ("The Lie Derivative for
 * Measuring Learned Equivariance", lie-deriv) for named continuous transforms g_t: per transform
 *
 *     LEE(x) = ‖d/dt [ρ_out(g_t)⁻¹·F(g_t·x)] at t = 0‖ = ‖DF(x)·v(x) − v_out(F(x))‖,
 *
 * v(x) the transform's velocity on the input (v_out on the output when `outputTransforms` has it;
 * otherwise ρ_out is trivial: invariance). DF(x)·v(x) is core's central finite difference along
 * v (h·‖v‖ = step·‖x‖), all transforms of all samples in one batched evaluation (split into
 * requests of at most 2²³ numbers). Per transform: `perUnit` = RMS over samples of LEE (the
 * output change per pixel, degree or percent), `error` = perUnit / RMS ‖F(x)‖, and a verdict
 * against `tolerance`. Synchronous evaluators; see {@link localEquivarianceErrorAsync}.
 *
 * With `discover: true` the columns c_k = DF(x)·v_k(x) − v_out,k(F(x)), stacked over samples and
 * outputs and scaled as `error` is (‖c_k‖ = error_k), give the `discovery`: their singular values
 * (relative errors of unit combinations Σ cₖ·gₖ), the span at or below `tolerance` by name, and
 * whether it closes under the bracket of the transforms' field generators.
 * @param evaluator the model as an {@link Evaluator}
 * @param samples real inputs, S × dimIn (flattened in the family's layout)
 * @throws InvalidArgumentError for a missing evaluator, family or bad tolerance/step;
 *   ShapeMismatchError when the samples or families do not fit the model; EmptyInputError;
 *   NonFiniteError for non-finite samples or outputs
 * @example
 * const ev = pointEvaluator((x) => [x.reduce((a, b) => a + b, 0)], new Float64Array(64));
 * const r = localEquivarianceError(ev, samples, { transforms: imageTransforms({ shape: [8, 8] }) });
 * r.transforms.find((t) => t.name === 'brightness')!.perUnit; // 64 × 0.01 = 0.64
 * const d = localEquivarianceError(ev, samples, { transforms: imageTransforms({ shape: [8, 8], derivative: 'central' }), discover: true }).discovery!;
 * d.basis.map(formatCombination); // the sum is invariant under translations, rotation, shears and contrast
 */
export function localEquivarianceError(evaluator: Evaluator, samples: Matrix, options: LocalEquivarianceOptions): LocalEquivarianceResult {
  const fn = 'localEquivarianceError';
  return runProgram(fn, leeProgram(prepare(fn, { ev: evaluator, xs: samples, options })), evaluator);
}

/** {@link localEquivarianceError} for asynchronous evaluators (onnxruntime) or any evaluator. */
export async function localEquivarianceErrorAsync(evaluator: Evaluator, samples: Matrix, options: LocalEquivarianceOptions): Promise<LocalEquivarianceResult> {
  const fn = 'localEquivarianceErrorAsync';
  return runProgramAsync(fn, leeProgram(prepare(fn, { ev: evaluator, xs: samples, options })), evaluator);
}
