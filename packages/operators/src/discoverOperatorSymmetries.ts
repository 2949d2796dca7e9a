import {
  EmptyInputError,
  InvalidArgumentError,
  Matrix,
  ShapeMismatchError,
  candidateGenerators,
  symmetriesFromMatrix,
  type DiscoveryResult,
  type GeneratorPair,
} from '@liesym/core';
import { Field, assertField } from './Grid.js';
import {
  checkGenerator,
  generatorFromMatrix,
  generatorMatrix,
  lieUnchecked,
  type OperatorGenerator,
} from './fieldGenerators.js';
import { assertPeriodic } from './spectral.js';

/** An operator between fields, applied to a batch: N(u₁), …, N(u_S). */
export type FieldOperator = (inputs: readonly Field[]) => Field[];

/** Options of {@link discoverOperatorSymmetries}. */
export interface OperatorDiscoverOptions {
  /** Candidate generators (e.g. `affineCandidates()`); orthonormalized in the Frobenius inner product of {@link generatorMatrix}. */
  candidate: readonly OperatorGenerator[];
  /**
   * Relative tolerance: σ ≤ rtol·σ_max counts as a symmetry. Default 1e-6 (float64 operators
   * with central differences); a float32 network needs ~1e-2, a trained one whatever gap its
   * spectrum shows.
   */
  rtol?: number;
  /** Central-difference step relative to ‖u‖/‖ℒu‖ (default 1e-4; use ~1e-2 for float32 models). */
  step?: number;
  /** Check that samples are periodic (default true). */
  checkPeriodic?: boolean;
}

/** What {@link discoverOperatorSymmetries} found: core's DiscoveryResult plus the generators as field actions. */
export interface OperatorDiscoveryResult extends DiscoveryResult {
  /** The found algebra's orthonormal basis as operator generators. */
  operatorGenerators: OperatorGenerator[];
  /** The orthonormalized candidate the spectrum refers to. */
  candidateOperators: OperatorGenerator[];
}

/** Orthonormalizes operator generators (Frobenius on the encoded pairs). */
export function orthonormalCandidates(
  candidate: readonly OperatorGenerator[],
  d: number,
  cIn: number,
  cOut: number,
  fn: string,
): { pairs: GeneratorPair[]; generators: OperatorGenerator[] } {
  if (!Array.isArray(candidate) || candidate.length === 0) {
    throw new EmptyInputError(`${fn}: 'candidate' must be a non-empty array of OperatorGenerator; received ${Array.isArray(candidate) ? 'an empty array' : typeof candidate}`);
  }
  candidate.forEach((g, k) => {
    checkGenerator(g.input, d, cIn, fn, `candidate[${k}].input`);
    checkGenerator(g.output, d, cOut, fn, `candidate[${k}].output`);
  });
  const raw = candidate.map((g) => [generatorMatrix(g.input, d, cIn), generatorMatrix(g.output, d, cOut)] as const);
  const pairs = candidateGenerators(raw, d + cIn + 2, d + cOut + 2, fn);
  const generators = pairs.map(([a, b], k) => ({
    name: `candidate ${k}`,
    input: generatorFromMatrix(a, d, cIn),
    output: generatorFromMatrix(b, d, cOut),
  }));
  return { pairs, generators };
}

/**
 * Finds the symmetry algebra of an operator N between fields inside a candidate algebra:
 * the generators ξ with L_ξ N(u) = DN(u)[ℒ_in u] − ℒ_out N(u) = 0 on every sample field.
 * DN(u)[v] is a central difference (N(u + hv) − N(u − hv))/2h; all perturbed inputs go to
 * N in one batch. The discover matrix D_N has rows (sample, grid point, channel) scaled by
 * 1/√S and one column per orthonormal candidate; its nullspace (core's symmetriesFromMatrix)
 * is the algebra, with the full spectrum, the gap and the closure residual.
 * @throws EmptyInputError for no samples; GridMismatchError / ShapeMismatchError for
 *   inconsistent fields; NonPeriodicFieldError for non-periodic samples; InvalidArgumentError
 * @example
 * const r = discoverOperatorSymmetries((us) => us.map((f) => screenedPoisson(f)), sources,
 *   { candidate: [translationGenerator(0), translationGenerator(1), rotationGenerator(), scalingGenerator()] });
 * r.dimension; // 3
 */
export function discoverOperatorSymmetries(
  operator: FieldOperator,
  samples: readonly Field[],
  options: OperatorDiscoverOptions,
): OperatorDiscoveryResult {
  const fn = 'discoverOperatorSymmetries';
  if (typeof operator !== 'function') throw new InvalidArgumentError(`${fn}: 'operator' must be a function Field[] → Field[]; received ${typeof operator}`);
  if (!Array.isArray(samples) || samples.length === 0) throw new EmptyInputError(`${fn}: 'samples' must hold at least one Field; received ${Array.isArray(samples) ? 'an empty array' : typeof samples}`);
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' with a 'candidate' is required`);
  assertField(samples[0], fn, 'samples[0]');
  const grid = samples[0].grid;
  const cIn = samples[0].channels;
  samples.forEach((u, s) => {
    assertField(u, fn, `samples[${s}]`, grid, cIn);
    if (options.checkPeriodic ?? true) assertPeriodic(u, fn, `samples[${s}]`);
  });
  const rtol = options.rtol ?? 1e-6;
  const step = options.step ?? 1e-4;
  if (!(rtol >= 0 && Number.isFinite(rtol))) throw new InvalidArgumentError(`${fn}: 'rtol' must be a finite number ≥ 0; received ${rtol}`);
  if (!(step > 0 && Number.isFinite(step))) throw new InvalidArgumentError(`${fn}: 'step' must be a finite number > 0; received ${step}`);
  const base = operator(samples);
  if (!Array.isArray(base) || base.length !== samples.length) {
    throw new ShapeMismatchError(`${fn}: 'operator' must return one Field per input; received ${Array.isArray(base) ? base.length : typeof base} for ${samples.length} inputs`);
  }
  base.forEach((y, s) => assertField(y, fn, `operator(samples)[${s}]`, grid));
  const cOut = base[0]!.channels;
  const d = grid.dims;
  const { pairs, generators } = orthonormalCandidates(options.candidate, d, cIn, cOut, fn);
  const q = generators.length;
  const S = samples.length;
  const perturbed: Field[] = [];
  const steps: number[] = [];
  for (const u of samples) {
    for (const g of generators) {
      const v = lieUnchecked(u, g.input);
      const nv = v.norm();
      const h = nv > 0 ? (step * Math.max(u.norm(), 1e-300)) / nv : step;
      steps.push(h);
      perturbed.push(u.axpy(h, v), u.axpy(-h, v));
    }
  }
  const outs = operator(perturbed);
  if (!Array.isArray(outs) || outs.length !== perturbed.length) {
    throw new ShapeMismatchError(`${fn}: 'operator' must return one Field per input; received ${Array.isArray(outs) ? outs.length : typeof outs} for ${perturbed.length} inputs`);
  }
  const rowsPer = grid.points * cOut;
  const D = new Matrix(S * rowsPer, q);
  const w = 1 / Math.sqrt(S);
  for (let s = 0; s < S; s++) {
    for (let j = 0; j < q; j++) {
      const t = s * q + j;
      const plus = outs[2 * t]!;
      const minus = outs[2 * t + 1]!;
      const lOut = lieUnchecked(base[s]!, generators[j]!.output);
      const h = steps[t]!;
      for (let r = 0; r < rowsPer; r++) {
        D.data[(s * rowsPer + r) * q + j] = w * ((plus.data[r]! - minus.data[r]!) / (2 * h) - lOut.data[r]!);
      }
    }
  }
  const result = symmetriesFromMatrix(D, pairs, rtol);
  return {
    ...result,
    operatorGenerators: result.generators.map(([a, b], k) => ({ name: `symmetry ${k}`, input: generatorFromMatrix(a, d, cIn), output: generatorFromMatrix(b, d, cOut) })),
    candidateOperators: generators,
  };
}
