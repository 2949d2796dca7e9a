import { InvalidArgumentError, Matrix, ShapeMismatchError, describe, discoverSymmetries, resolveCandidate, structuredCandidate } from '@liesym/core';
import type { DiscoverOptions, DiscoveryResult, Dtype, Evaluator, GeneratorPair, OperatorGenerator, StructuredCandidate } from '@liesym/core';
import { Field, assertField, assertFields, assertPeriodic, type Grid } from './Grid.js';
import { checkGenerator, generatorFromMatrix } from './fieldGenerators.js';

/**
 * An operator between fields, applied to a batch: N(u₁), …, N(u_S). `dtype` (default 'float64';
 * {@link tfOperator} marks tfjs models 'float32') sets discovery's default step and rank tolerance.
 */
export type FieldOperator = ((inputs: readonly Field[]) => Field[]) & { readonly dtype?: Dtype };

/** Options of {@link discoverOperatorSymmetries}: core's (rtol, atol, weights, step, richardson, dtype) with operator generators as the candidate. */
export interface OperatorDiscoverOptions extends Omit<DiscoverOptions, 'candidate' | 'jacobian' | 'derivative'> {
  /** Candidate generators (e.g. `affineCandidates()`), orthonormalized in the Frobenius inner product of {@link generatorMatrix}. */
  candidate: readonly OperatorGenerator[];
  /** Check that samples are periodic (default true). */
  checkPeriodic?: boolean;
}

/** core's DiscoveryResult plus the found basis (`operatorGenerators`) and the orthonormalized candidate (`candidateOperators`) as operator generators. */
export interface OperatorDiscoveryResult extends DiscoveryResult {
  operatorGenerators: OperatorGenerator[];
  candidateOperators: OperatorGenerator[];
}

/** Where operator generators act: the grid and the input and output channel counts (`fn` names the caller in errors). */
export type OperatorDims = { fn: string; grid: Grid; channelsIn: number; channelsOut: number };

/**
 * Operator generators as core's structured candidate on a grid (channels last, spacing L/n, origin −L/2).
 * @throws InvalidArgumentError; ShapeMismatchError (naming `candidate[k].input` …) for parts that do not fit
 */
export function operatorCandidate(candidate: readonly OperatorGenerator[], dims: OperatorDims): StructuredCandidate {
  const { fn, grid, channelsIn, channelsOut } = dims;
  if (!Array.isArray(candidate)) throw new InvalidArgumentError(`${fn}: 'candidate' must be an array of OperatorGenerator; received ${describe(candidate)}`);
  const enc = (g: OperatorGenerator, k: number, side: 'input' | 'output'): Matrix =>
    checkGenerator(g?.[side], { fn, arg: `candidate[${k}].${side}`, d: grid.dims, channels: side === 'input' ? channelsIn : channelsOut });
  const generators = candidate.map((g, k) => ({ name: g.name, input: enc(g, k, 'input'), output: enc(g, k, 'output') }));
  return structuredCandidate({ input: grid.spec(channelsIn), output: grid.spec(channelsOut), generators });
}

/** Encoded pairs back to operator generators named `${prefix} k`. */
function toGenerators(pairs: readonly GeneratorPair[], prefix: string, dims: OperatorDims): OperatorGenerator[] {
  const d = dims.grid.dims;
  return pairs.map(([a, b], k) => ({ name: `${prefix} ${k}`, input: generatorFromMatrix(a, d, dims.channelsIn), output: generatorFromMatrix(b, d, dims.channelsOut) }));
}

/**
 * Orthonormalizes operator generators (Frobenius on the encoded pairs, core's `resolveCandidate`).
 * @throws EmptyInputError; InvalidArgumentError for dependent generators; ShapeMismatchError
 */
export function orthonormalCandidates(candidate: readonly OperatorGenerator[], dims: Omit<OperatorDims, 'fn'> & { fn?: string }): { pairs: GeneratorPair[]; generators: OperatorGenerator[] } {
  const where = { ...dims, fn: dims.fn ?? 'orthonormalCandidates' };
  const c = operatorCandidate(candidate, where);
  const { pairs } = resolveCandidate(c, { dimIn: c.actIn.dim, dimOut: c.actOut.dim, fn: where.fn });
  return { pairs, generators: toGenerators(pairs, 'candidate', where) };
}

/** A field operator as core's {@link Evaluator} on flattened fields (point, channel), one batch per call. */
function fieldEvaluator(operator: FieldOperator, dims: OperatorDims & { dtype: Dtype }): Evaluator {
  const { fn, grid, channelsIn, channelsOut } = dims;
  const [n, m] = [grid.points * channelsIn, grid.points * channelsOut];
  const evaluate = (points: Float64Array, count: number): Float64Array => {
    const outs = operator(Array.from({ length: count }, (_, s) => new Field(grid, channelsIn, points.slice(s * n, (s + 1) * n))));
    if (!Array.isArray(outs) || outs.length !== count) throw new ShapeMismatchError(`${fn}: 'operator' must return one Field per input; received ${describe(outs)} for ${count} inputs`);
    const y = new Float64Array(count * m);
    outs.forEach((f, s) => {
      assertField(f, { fn, arg: `operator(…)[${s}]`, grid, channels: channelsOut });
      y.set(f.data, s * m);
    });
    return y;
  };
  return { dimIn: n, dimOut: m, dtype: dims.dtype, evaluate };
}

/**
 * The symmetry algebra of an operator N between fields inside a candidate: the ξ with
 * L_ξ N(u) = DN(u)[ℒ_in u] − ℒ_out N(u) = 0 on every sample field. N is core's evaluator on
 * flattened fields and the candidate core's structured candidate (ℒ by `gridFieldAction`), so
 * core's `discoverSymmetries` decides: DN(u)[v] by the one finite-difference rule in one batch,
 * the rank with its ascending spectrum, threshold and gap, closure, the names found, whether the
 * samples determine it, and the refusal of too few rows.
 * @throws InsufficientDataError when samples × points × output channels < candidates; EmptyInputError;
 *   GridMismatchError / ShapeMismatchError; NonPeriodicFieldError; InvalidArgumentError
 * @example
 * const r = discoverOperatorSymmetries((us) => us.map((f) => screenedPoisson(f)), sources,
 *   { candidate: [translationGenerator(0), translationGenerator(1), rotationGenerator(), scalingGenerator()], rtol: 1e-4 });
 * r.dimension; // 3
 */
export function discoverOperatorSymmetries(operator: FieldOperator, samples: readonly Field[], options: OperatorDiscoverOptions): OperatorDiscoveryResult {
  const fn = 'discoverOperatorSymmetries';
  if (typeof operator !== 'function') throw new InvalidArgumentError(`${fn}: 'operator' must be a function Field[] → Field[]; received ${describe(operator)}`);
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' with a 'candidate' is required; received ${describe(options)}`);
  const { grid, channels: channelsIn } = assertFields(samples, { fn, arg: 'samples' });
  if (options.checkPeriodic ?? true) samples.forEach((u, s) => assertPeriodic(u, { fn, arg: `samples[${s}]` }));
  const probe = operator([samples[0]!]);
  assertField(probe?.[0], { fn, arg: 'operator([samples[0]])[0]', grid });
  const dims = { fn, grid, channelsIn, channelsOut: probe[0].channels };
  const ev = fieldEvaluator(operator, { ...dims, dtype: options.dtype ?? operator.dtype ?? 'float64' });
  const X = new Matrix(samples.length, ev.dimIn);
  samples.forEach((u, s) => X.data.set(u.data, s * ev.dimIn));
  const r = discoverSymmetries(ev, X, { ...options, candidate: operatorCandidate(options.candidate, dims) });
  return { ...r, operatorGenerators: toGenerators(r.generators, 'symmetry', dims), candidateOperators: toGenerators(r.candidate, 'candidate', dims) };
}
