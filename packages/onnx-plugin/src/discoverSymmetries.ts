import {
  InvalidArgumentError,
  Matrix,
  ShapeMismatchError,
  candidateGenerators,
  symmetriesFromMatrix,
  type Candidate,
  type DiscoveryResult,
  type GeneratorPair,
  identifyPairs,
} from '@liesym/core';
import { imageCandidates, signalCandidates, trivialAction, vectorAction, type DataAction, type SpatialDerivative } from './actions.js';
import { directionalDerivatives, jacobians, type Direction, type FiniteDifferenceOptions } from './finiteDifferences.js';
import { OnnxModel } from './loadModel.js';
import { defaultSampler, drawSamples, type SampleOptions } from './samples.js';

/** Options of {@link discoverSymmetries}. */
export interface OnnxDiscoverOptions extends FiniteDifferenceOptions, SampleOptions {
  /**
   * The candidate algebra: `'gl-input'`, `'gl-lift'`, `'gl-input-output'` or explicit
   * [A_in, A_out] pairs on the flattened input/output (as in @liesym/core); or a structured
   * candidate: `'image'` for inputs [N, C, H, W] (translations, rotation and scaling about
   * the center, channel mixing gl(C); [N, H, W] counts as one channel) or `'signal'` for
   * inputs [N, T] (time shift, amplitude).
   */
  candidate: Candidate | 'image' | 'signal';
  /**
   * Relative rank tolerance: σ ≤ rtol·σ_max counts as a symmetry. Default 1e-3 for float32
   * models (finite differences in float32 are good to about 1e-5 relative), 1e-6 for float64.
   */
  rtol?: number;
  /** Spatial derivatives for `'image'`/`'signal'`: `'spectral'` (default) or `'central'`, both periodic. */
  derivative?: SpatialDerivative;
}

/** What {@link discoverSymmetries} found: core's {@link DiscoveryResult} plus names. */
export interface OnnxDiscoveryResult extends DiscoveryResult {
  /** The known algebra the result matches ('so(3)', 'so(1,3)', 'scaling', 'translation-x + translation-y', …) or null. */
  identification: string | null;
  /** For structured candidates: the named candidate generators, in the order they were orthonormalized. */
  names: string[] | null;
  /** Number of sample points. */
  sampleCount: number;
  /** Number of model evaluations (points) and session.run calls made. */
  evaluations: { points: number; runs: number };
}

/** Which named structured generators lie in the found span (‖X − Π X‖ ≤ tol·‖X‖). */
function namesInSpan(named: ReadonlyArray<{ name: string; pair: GeneratorPair }>, span: ReadonlyArray<readonly [Matrix, Matrix]>, tol = 1e-2): string[] {
  return named
    .filter(({ pair: [a, b] }) => {
      let ra = a;
      let rb = b;
      for (const [ga, gb] of span) {
        const c = a.dot(ga) + b.dot(gb);
        ra = ra.sub(ga.scale(c));
        rb = rb.sub(gb.scale(c));
      }
      return Math.hypot(ra.norm(), rb.norm()) <= tol * Math.hypot(a.norm(), b.norm());
    })
    .map((x) => x.name);
}

/**
 * The discover matrix D_F of a model over a candidate algebra, rows (sample, output)
 * scaled by 1/√S, one column per orthonormal candidate pair (A_in, A_out):
 * D[(s, i), k] = (DF(x_s)·ℒ_{A_in} x_s − ℒ_{A_out} F(x_s))ᵢ / √S, derivatives by batched
 * central finite differences. Exported for benchmarks and custom pipelines.
 */
export async function discoverMatrix(
  model: OnnxModel,
  points: Float64Array,
  count: number,
  pairs: readonly GeneratorPair[],
  actIn: DataAction,
  actOut: DataAction,
  options: FiniteDifferenceOptions = {},
): Promise<Matrix> {
  const n = model.dimIn;
  const q = pairs.length;
  const ins = pairs.map((p) => p[0]);
  const outs = pairs.map((p) => p[1]);
  const moving = ins.filter((a) => a.maxAbs() > 0).length;
  let values: Float64Array;
  let jvp: (s: number, k: number) => Float64Array;
  if (actIn.kind === 'vector' && moving > n) {
    // Cheaper to take the whole Jacobian (2n runs per point) than q directional derivatives.
    const r = await jacobians(model, points, count, options);
    values = r.values;
    jvp = (s, k) => {
      const x = points.subarray(s * n, (s + 1) * n);
      const J = new Matrix(model.dimOut, n, r.jacobians[s]!);
      return J.mulVec(ins[k]!.mulVec(x));
    };
  } else {
    const dirs: Direction[] = [];
    for (let s = 0; s < count; s++) {
      const fields = actIn.fields(ins, points.slice(s * n, (s + 1) * n));
      for (const v of fields) dirs.push({ point: s, v });
    }
    const r = await directionalDerivatives(model, points, count, dirs, options);
    values = r.values;
    jvp = (s, k) => r.derivatives[s * q + k]!;
  }
  const m = model.dimOut;
  const D = new Matrix(count * m, q);
  const w = 1 / Math.sqrt(count);
  for (let s = 0; s < count; s++) {
    const outFields = actOut.fields(outs, values.slice(s * m, (s + 1) * m));
    for (let k = 0; k < q; k++) {
      const d = jvp(s, k);
      const o = outFields[k]!;
      for (let i = 0; i < m; i++) D.data[(s * m + i) * q + k] = w * (d[i]! - o[i]!);
    }
  }
  if (!D.isFinite()) {
    throw new InvalidArgumentError(`discoverSymmetries: the model returned non-finite values at the sample points or their perturbations; received NaN/Infinity from '${model.outputName}'`);
  }
  return D;
}

/**
 * Finds the symmetries of an ONNX model inside a candidate Lie algebra: the generators
 * (A_in, A_out) with L F(x) = DF(x)·ℒ_{A_in}x − ℒ_{A_out}F(x) = 0 at every sample, as the
 * nullspace of the discover matrix D_F (see {@link discoverMatrix}), with the full
 * spectrum, the gap, and a name for the algebra when it is a known one.
 *
 * @param model a model opened with {@link loadModel}
 * @throws InvalidArgumentError for an unknown candidate or bad options; ShapeMismatchError
 *   when a structured candidate does not fit the input shape or samples do not fit;
 *   EmptyInputError for no samples; NonFiniteError for non-finite samples
 * @example
 * const model = await loadModel('radial.onnx');            // F(x) = g(|x|²) on R³
 * const r = await discoverSymmetries(model, { candidate: 'gl-input', samples: 64 });
 * r.dimension;        // 3
 * r.identification;   // 'so(3)'
 */
export async function discoverSymmetries(model: OnnxModel, options: OnnxDiscoverOptions): Promise<OnnxDiscoveryResult> {
  const fn = 'discoverSymmetries';
  if (!(model instanceof OnnxModel)) throw new InvalidArgumentError(`${fn}: 'model' must be an OnnxModel from loadModel(); received ${typeof model}`);
  if (options === null || typeof options !== 'object' || options.candidate === undefined) {
    throw new InvalidArgumentError(`${fn}: 'options.candidate' is required ('gl-input', 'gl-lift', 'gl-input-output', 'image', 'signal' or pairs)`);
  }
  const rtol = options.rtol ?? (model.dtype === 'float32' ? 1e-3 : 1e-6);
  if (!(rtol >= 0) || !Number.isFinite(rtol)) throw new InvalidArgumentError(`${fn}: 'rtol' must be a finite number ≥ 0; received ${String(options.rtol)}`);
  const shape = model.sampleShape;
  const derivative = options.derivative ?? 'spectral';
  let actIn: DataAction;
  let actOut: DataAction;
  let pairs: GeneratorPair[];
  let named: Array<{ name: string; pair: GeneratorPair }> | null = null;
  let kind: 'vector' | 'image' | 'signal' = 'vector';
  if (options.candidate === 'image' || options.candidate === 'signal') {
    kind = options.candidate;
    // A per-sample shape [H, W] is a one-channel image [1, H, W].
    const grid = kind === 'image' && shape.length === 2 ? [1, ...shape] : shape;
    const want = kind === 'image' ? 3 : 1;
    if (grid.length !== want) {
      throw new ShapeMismatchError(
        `${fn}: candidate '${kind}' needs input '${model.inputName}' of shape ${kind === 'image' ? '[N, C, H, W] or [N, H, W]' : '[N, T]'}; received per-sample shape [${shape.join(', ')}]`,
      );
    }
    const c = kind === 'image'
      ? imageCandidates(grid as [number, number, number], model.outputShape, derivative)
      : signalCandidates(shape[0]!, model.outputShape, derivative);
    actIn = c.actIn;
    actOut = c.actOut;
    named = c.named.map((x) => ({ name: x.name, pair: x.pair }));
    pairs = candidateGenerators(c.named.map((x) => x.pair), actIn.size, actOut.size, fn);
  } else {
    actIn = vectorAction(model.dimIn);
    actOut = vectorAction(model.dimOut);
    pairs = candidateGenerators(options.candidate as Candidate, model.dimIn, model.dimOut, fn);
    if (pairs.every((p) => p[1].maxAbs() === 0)) actOut = trivialAction(model.dimOut);
  }
  const gridShape = kind === 'image' && shape.length === 2 ? [1, ...shape] : shape;
  const fallbackCount = Math.max(128, Math.ceil((4 * pairs.length) / Math.max(1, model.dimOut)));
  const { points, count } = drawSamples(fn, model.dimIn, { ...options, samples: options.samples ?? fallbackCount }, defaultSampler(gridShape, kind));
  if (count * model.dimOut < pairs.length) {
    // Fewer rows than generators leaves a nullspace of at least q − S·m whatever the model.
    throw new InvalidArgumentError(
      `${fn}: ${pairs.length} candidate generators need at least ${Math.ceil(pairs.length / Math.max(1, model.dimOut))} samples (samples × ${model.dimOut} outputs ≥ ${pairs.length}), preferably several times more; received ${count}`,
    );
  }
  const before = { ...model.stats };
  const D = await discoverMatrix(model, points, count, pairs, actIn, actOut, options);
  const base = symmetriesFromMatrix(D, pairs, rtol);
  let identification: string | null;
  if (named) {
    const found = namesInSpan(named, base.generators);
    identification = found.length > 0 ? found.join(' + ') : null;
  } else {
    identification = identifyPairs(base.generators);
  }
  return {
    ...base,
    identification,
    names: named ? named.map((x) => x.name) : null,
    sampleCount: count,
    evaluations: { points: model.stats.points - before.points, runs: model.stats.runs - before.runs },
  };
}
