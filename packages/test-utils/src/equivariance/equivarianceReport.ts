import {
  EmptyInputError,
  InvalidArgumentError,
  InvalidRepresentationError,
  NonFiniteError,
  ShapeMismatchError,
  checkRtol,
  createRng,
  defaultTolerance,
  describe,
  relativeDifference,
  type Dtype,
  type Rng,
} from '@liesym/core';
import { checkEvaluator, evaluate, type ModelEvaluator } from './evaluator.js';

/**
 * The part of a group the kit uses: its name, its key and seeded sampling (core's `Group`).
 * Structural, so that a test may pass groups of a second copy of core (see the README).
 */
export interface GroupLike<E> {
  readonly name: string;
  readonly key: string;
  /** A random element g (core: exp of a random Lie-algebra element times a random word in the discrete generators). */
  sample(rng: Rng): E;
}

/**
 * The part of a representation the kit uses: `dim`, `group` and ρ(g) as an operator
 * (core's `Representation`; `Scalar` has no group). Structural, like {@link GroupLike};
 * a test may also write one for an action core has no representation for (fields on a grid).
 */
export interface RepresentationLike<E> {
  readonly dim: number;
  readonly group: GroupLike<E> | undefined;
  /** Present on core's representations; printed in reports. */
  readonly key?: string;
  rhoOf(g: E): { matvec(x: Float64Array): ArrayLike<number> };
}

/** Options of `assertEquivariant` (and, with the representations, of {@link equivarianceReport}). */
export interface EquivarianceOptions<E> {
  /** The precision F computes in; picks the default tolerance. */
  dtype: Dtype;
  /** Seeds core's `createRng` for the inputs and the group elements. */
  seed: number;
  /** A number of inputs x ~ N(0, I) (drawn first), or the inputs themselves (rows of length repIn.dim). */
  samples: number | ReadonlyArray<ArrayLike<number>>;
  /**
   * Relative tolerance in [0, 1). Default: core's `defaultTolerance('equivariance', { dtype })`
   * (float64 1e-9, float32 1e-3).
   */
  tolerance?: number;
  /**
   * Group elements to check every input against (samples × elements comparisons), e.g. all
   * of a finite group. Default: one seeded `group.sample(rng)` per input.
   */
  elements?: readonly E[];
}

/** Options of {@link equivarianceReport}: the representations, then what `assertEquivariant` takes. */
export interface EquivarianceReportOptions<E> extends EquivarianceOptions<E> {
  /** The representation on the inputs (dim = the model's input size). */
  repIn: RepresentationLike<E>;
  /** The representation on the outputs. */
  repOut: RepresentationLike<E>;
}

/** A model with the representations it should be equivariant between. */
export interface EquivarianceSubject<E> {
  f: ModelEvaluator;
  repIn: RepresentationLike<E>;
  repOut: RepresentationLike<E>;
}

/** The comparison with the largest relative error. */
export interface EquivarianceWorst<E> {
  /** Index of the input among the samples. */
  sample: number;
  /** The group element. */
  g: E;
  /** The input x. */
  x: Float64Array;
  /** F(ρ_in(g)·x). */
  transformedOutput: Float64Array;
  /** ρ_out(g)·F(x). */
  expectedOutput: Float64Array;
  /** Its relative error. */
  error: number;
}

/** What {@link equivarianceReport} measured. */
export interface EquivarianceReport<E> {
  dtype: Dtype;
  /** The tolerance the assertion compares `max` with (given, or the table's for `dtype`). */
  tolerance: number;
  seed: number;
  /** ‖F(ρ_in(g)x) − ρ_out(g)F(x)‖ / max(‖F(ρ_in(g)x)‖, ‖ρ_out(g)F(x)‖) of every comparison (core's `relativeDifference`). */
  errors: Float64Array;
  /** The largest relative error. */
  max: number;
  /** The mean relative error. */
  mean: number;
  worst: EquivarianceWorst<E>;
  /** Names for the report: the group, repIn and repOut. */
  group: string;
  repIn: string;
  repOut: string;
}

function checkRep<E>(fn: string, arg: string, rep: unknown): RepresentationLike<E> {
  const r = rep as Partial<RepresentationLike<E>> | null;
  if (r === null || typeof r !== 'object' || typeof r.rhoOf !== 'function' || typeof r.dim !== 'number' || !Number.isInteger(r.dim) || r.dim < 1) {
    throw new InvalidArgumentError(`${fn}: '${arg}' must be a Representation (dim ≥ 1, rhoOf); received ${describe(rep)}`);
  }
  return r as RepresentationLike<E>;
}

/** The inputs: `samples` drawn from N(0, I) with `rng`, or validated as given (rows of length dimIn). */
function checkInputs(fn: string, samples: unknown, { dimIn, rng }: { dimIn: number; rng: Rng }): Float64Array[] {
  if (typeof samples === 'number') {
    if (!Number.isInteger(samples) || samples < 1) {
      throw new InvalidArgumentError(`${fn}: 'samples' must be an integer ≥ 1 or an array of inputs; received ${describe(samples)}`);
    }
    return Array.from({ length: samples }, () => Float64Array.from({ length: dimIn }, () => rng.normal()));
  }
  if (!Array.isArray(samples)) {
    throw new InvalidArgumentError(`${fn}: 'samples' must be an integer ≥ 1 or an array of inputs; received ${describe(samples)}`);
  }
  if (samples.length === 0) throw new EmptyInputError(`${fn}: 'samples' must hold at least one input; received an empty array`);
  return samples.map((x: unknown, k) => {
    const row = x as ArrayLike<number> | null;
    if (row === null || typeof row !== 'object' || row.length !== dimIn) {
      throw new ShapeMismatchError(`${fn}: 'samples[${k}]' must hold repIn.dim = ${dimIn} numbers; received ${describe(x)}`);
    }
    const v = Float64Array.from(row);
    if (!v.every(Number.isFinite)) throw new NonFiniteError(`${fn}: 'samples[${k}]' must be finite; received NaN or ±Infinity`);
    return v;
  });
}

/**
 * Measures how far F is from equivariant: for seeded inputs x and group elements g,
 *
 *     ‖F(ρ_in(g)·x) − ρ_out(g)·F(x)‖ / max(‖F(ρ_in(g)·x)‖, ‖ρ_out(g)·F(x)‖)
 *
 * (core's `relativeDifference`), with the same draws as core's `equivarianceError`: all
 * inputs first, then one `group.sample(rng)` per input (continuous and discrete
 * generators), unless `elements` are given. Returns the numbers; `assertEquivariant` compares.
 *
 * @param f the model: x ↦ F(x), `{ batch(xs) }` or an evaluator `{ evaluate(points, count) }`, sync or async
 * @param options.repIn the representation on the inputs (dim = the model's input size)
 * @param options.repOut the representation on the outputs
 * @throws InvalidArgumentError for a bad `f`, representation, dtype, seed, samples or tolerance;
 *   InvalidRepresentationError when neither representation has a group or their groups differ;
 *   ShapeMismatchError when inputs or outputs have the wrong size; NonFiniteError for NaN/±Infinity
 * @example
 * const r = await equivarianceReport((x) => [x[0]! ** 2 + x[1]! ** 2], { repIn: V(SO(2)), repOut: Scalar, dtype: 'float64', seed: 1, samples: 8 });
 * r.max; // ≈ 1e-16
 */
export async function equivarianceReport<E>(f: ModelEvaluator, options: EquivarianceReportOptions<E>): Promise<EquivarianceReport<E>> {
  const fn = 'equivarianceReport';
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError(`${fn}: 'options' must be { repIn, repOut, dtype, seed, samples, tolerance? }; received ${describe(options)}`);
  }
  return measureEquivariance(fn, { f, repIn: options.repIn, repOut: options.repOut }, options);
}

/** {@link equivarianceReport}, with errors naming `fn` (shared with `assertEquivariant`). */
export async function measureEquivariance<E>(fn: string, subject: EquivarianceSubject<E>, options: EquivarianceOptions<E>): Promise<EquivarianceReport<E>> {
  const rIn = checkRep<E>(fn, 'repIn', subject.repIn);
  const rOut = checkRep<E>(fn, 'repOut', subject.repOut);
  const model = checkEvaluator(fn, subject.f, { dimIn: rIn.dim, dimOut: rOut.dim });
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError(`${fn}: 'options' must be { dtype, seed, samples, tolerance? }; received ${describe(options)}`);
  }
  const { dtype, seed, samples, elements } = options;
  if (dtype !== 'float32' && dtype !== 'float64') {
    throw new InvalidArgumentError(`${fn}: 'options.dtype' must be 'float32' or 'float64'; received ${describe(dtype)}`);
  }
  if (typeof seed !== 'number' || !Number.isInteger(seed)) {
    throw new InvalidArgumentError(`${fn}: 'options.seed' must be an integer; received ${describe(seed)}`);
  }
  const tolerance = options.tolerance === undefined ? defaultTolerance('equivariance', { dtype }) : checkRtol(fn, options.tolerance, 'options.tolerance');
  const group = rIn.group ?? rOut.group;
  if (!group) throw new InvalidRepresentationError(`${fn}: at least one representation must belong to a group; received two without one (Scalar)`);
  if (rIn.group && rOut.group && rIn.group.key !== rOut.group.key) {
    throw new InvalidRepresentationError(`${fn}: 'repIn' and 'repOut' must be of the same group; received ${rIn.group.name} and ${rOut.group.name}`);
  }
  if (elements !== undefined && (!Array.isArray(elements) || elements.length === 0)) {
    throw new InvalidArgumentError(`${fn}: 'options.elements' must be a non-empty array of group elements; received ${describe(elements)}`);
  }
  const rng = createRng(seed);
  const xs = checkInputs(fn, samples, { dimIn: rIn.dim, rng });
  // Comparisons (input k, element g): one sampled g per input, or every input × every element.
  const pairs: Array<{ sample: number; g: E }> = elements
    ? xs.flatMap((_, k) => elements.map((g) => ({ sample: k, g })))
    : xs.map((_, k) => ({ sample: k, g: group.sample(rng) }));
  const moved = pairs.map(({ sample, g }) => {
    const y = rIn.rhoOf(g).matvec(xs[sample]!);
    if (y.length !== rIn.dim) throw new ShapeMismatchError(`${fn}: repIn.rhoOf(g) must map R^${rIn.dim} to itself; received ${y.length} numbers`);
    return Float64Array.from(y);
  });
  // One evaluation for everything: F(x) for each input, then F(ρ_in(g)x) for each comparison.
  const ys = await evaluate(fn, model, { points: [...xs, ...moved], dimOut: rOut.dim });
  const errors = new Float64Array(pairs.length);
  let worst = -1;
  let sum = 0;
  const expected: Float64Array[] = pairs.map(({ sample, g }, c) => {
    const b = Float64Array.from(rOut.rhoOf(g).matvec(ys[sample]!));
    const e = relativeDifference(ys[xs.length + c]!, b);
    errors[c] = e;
    sum += e;
    if (worst < 0 || e > errors[worst]!) worst = c;
    return b;
  });
  const w = pairs[worst]!;
  return {
    dtype,
    tolerance,
    seed,
    errors,
    max: errors[worst]!,
    mean: sum / pairs.length,
    worst: { sample: w.sample, g: w.g, x: xs[w.sample]!, transformedOutput: ys[xs.length + worst]!, expectedOutput: expected[worst]!, error: errors[worst]! },
    group: group.name,
    repIn: rIn.key ?? `dim ${rIn.dim}`,
    repOut: rOut.key ?? `dim ${rOut.dim}`,
  };
}
