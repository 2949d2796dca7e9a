import { checkOutputFiles, writeOutputFiles } from '@liesym/core/node';
import { InvalidArgumentError, Representation, ShapeMismatchError, checkLayerSymmetry, describe, drawSamples, equivariantProjector } from '@liesym/core';
import { checkSymmetry as coreCheck, discoverSymmetries as coreDiscover, invariantBasis, type CheckSymmetryOptions, type DiscoverOptions } from '@liesym/core';
import type { DiscoveryResult, LayerSymmetryCheck, SamplingOptions, SymmetryCheck } from '@liesym/core';
import { BrainNetwork, readNetwork, type BrainNetworkJson, type BrainNetworkLike } from './BrainNetwork.js';

/** A brain.js network: the `NeuralNetwork` object, its `toJSON()`, a {@link BrainNetwork} or the path of its JSON file. */
export type BrainNet = BrainNetworkLike | BrainNetworkJson | BrainNetwork | string;
/** Where the analysis points come from: core's `samples` (default 128 standard-normal draws), `sampler`, `seed` (default 0). */
export type BrainSampleOptions = SamplingOptions;
/** Options of {@link discoverSymmetries}: core's (candidate, rtol, atol, weights, …) and the samples. */
export interface BrainDiscoverOptions extends SamplingOptions, Omit<DiscoverOptions, 'jacobian' | 'dtype'> {}
/** core's {@link DiscoveryResult}: dimension, ascending spectrum, threshold, gap, identification, determined, …. */
export type BrainDiscoveryResult = DiscoveryResult;
/** Options of {@link checkSymmetry}: core's (repIn, repOut, group, tolerance, …) and the samples. */
export interface BrainCheckOptions extends SamplingOptions, Omit<CheckSymmetryOptions, 'jacobian' | 'dtype'> {}
/** core's {@link SymmetryCheck}: generators[].index/norm/relative/verdict, discrete[].residual/verdict, outputScale, maxRelative, verdict. */
export type BrainSymmetryReport = SymmetryCheck;

/**
 * The symmetries ξ with L_ξ F = DF(x)·A_in·x − A_out·F(x) = 0 at the samples inside a candidate: core's discovery on the exact-Jacobian evaluator.
 * @throws InsufficientDataError when samples × outputs < candidates; UnsupportedNetworkError; InvalidArgumentError
 * @example discoverSymmetries(net, { candidate: 'gl-input', samples: 64 }).dimension; // 3 for 3 inputs through a rank-2 first layer
 */
export function discoverSymmetries(net: BrainNet, options: BrainDiscoverOptions): BrainDiscoveryResult {
  const model = readNetwork(net, 'discoverSymmetries');
  return coreDiscover(model.evaluator(), drawSamples(options ?? {}, { dimIn: model.dimIn, fn: 'discoverSymmetries' }), options);
}

/**
 * How strongly a network breaks a symmetry (core's check, exact Jacobian): RMS of L_ξ F and of ρ_out(h)⁻¹F(ρ_in(h)x) − F(x) relative to that of F, with verdicts.
 * @example checkSymmetry(net, { group: S(3), repIn: V(S(3)), repOut: Scalar }).verdict;
 */
export function checkSymmetry(net: BrainNet, options: BrainCheckOptions): BrainSymmetryReport {
  const model = readNetwork(net, 'checkSymmetry');
  return coreCheck(model.evaluator(), drawSamples(options ?? {}, { dimIn: model.dimIn, fn: 'checkSymmetry' }), options);
}

/** Options of {@link projectNetwork}: one representation per layer boundary (reps[k] on layer k+1's input, reps[k+1] on its output). */
export type BrainProjectOptions = { reps: readonly Representation[] };
/** One layer's symmetry: core's {@link LayerSymmetryCheck} with the layer's index and shape [out, in]. */
export type BrainLayerReport = LayerSymmetryCheck & { index: number; shape: [number, number] };

function withReps(net: BrainNet, options: BrainProjectOptions, fn: string): { model: BrainNetwork; reps: readonly Representation[] } {
  const model = readNetwork(net, fn);
  const reps = options?.reps;
  if (!Array.isArray(reps) || reps.length !== model.sizes.length || !reps.every((r) => r instanceof Representation)) {
    throw new InvalidArgumentError(`${fn}: 'reps' must hold ${model.sizes.length} Representations (one per layer boundary, sizes ${JSON.stringify(model.sizes)}); received ${describe(reps)}`);
  }
  const k = reps.findIndex((r, i) => r.dim !== model.sizes[i]);
  if (k >= 0) throw new ShapeMismatchError(`${fn}: 'reps'[${k}] must have dim ${model.sizes[k]}; received ${reps[k]!.dim}`);
  return { model, reps };
}

/**
 * Per layer, core's `checkLayerSymmetry`: L_ξ W = W·dρ_in(ξ) − dρ_out(ξ)·W, discrete and bias residuals, verdict at `tolerance`
 * (default core's). Elementwise activations commute with permutation-like reps: a network whose layers all hold is equivariant.
 * @example analyzeLayers(net, { reps: [V(S(3)), directSum(V(S(3)), V(S(3))), Scalar] }).map((l) => l.verdict);
 */
export function analyzeLayers(net: BrainNet, options: BrainProjectOptions & { tolerance?: number }): BrainLayerReport[] {
  const { model, reps } = withReps(net, options, 'analyzeLayers');
  const tol = options.tolerance === undefined ? {} : { tolerance: options.tolerance };
  return model.layers.map(({ W, b }, k) => ({ index: k, shape: [W.rows, W.cols], ...checkLayerSymmetry(W, { repIn: reps[k]!, repOut: reps[k + 1]!, bias: b, ...tol }) }));
}

/**
 * Projects each layer's W onto Hom_G(reps[k], reps[k+1]) and b onto the invariants of reps[k+1] (G-equivariant for permutation-like
 * reps): the brain.js JSON (for `fromJSON`) and the removed relative part per layer.
 * @throws InvalidArgumentError for a wrong number of reps; ShapeMismatchError when dims do not fit
 * @example new brain.NeuralNetwork().fromJSON(projectNetwork(net, { reps: [V(S(3)), directSum(V(S(3)), V(S(3))), Scalar] }).json);
 */
export function projectNetwork(net: BrainNet, options: BrainProjectOptions): { json: BrainNetworkJson; removed: number[]; network: BrainNetwork } {
  const { model, reps } = withReps(net, options, 'projectNetwork');
  const removed: number[] = [];
  const layers = model.layers.map(({ W, b }, k) => {
    const W2 = equivariantProjector(reps[k]!, reps[k + 1]!).project(W);
    const Q = invariantBasis(reps[k + 1]!).basis;
    removed.push(W.norm() === 0 ? 0 : W.sub(W2).norm() / W.norm());
    return { W: W2, b: Q.mulVec(Q.transpose().mulVec(b)) };
  });
  const json = model.toJSON(layers);
  return { json, removed, network: readNetwork(json, 'projectNetwork') };
}

/**
 * {@link projectNetwork}, written to `out` with core's `writeOutputFiles`: a temporary file in its folder, linked or renamed into place
 * (never a truncated `out`; a failed write leaves nothing behind). An existing `out` is kept unless `force` (a boolean, default false);
 * the network's source file is never written, not even with `force` (by real path, symlink or hard link).
 * @throws OutputExistsError for an existing `out` without `force`, or `out` = the source; OutputWriteError when the file cannot be
 *   written; InvalidArgumentError (also for a missing folder or a `force` that is not a boolean)
 * @example writeProjectedNetwork('net.json', 'net-s3.json', { reps: [V(S(3)), V(S(3)), Scalar] });
 */
export function writeProjectedNetwork(net: BrainNet, out: string, options: BrainProjectOptions & { force?: boolean }): { out: string; removed: number[] } {
  const fn = 'writeProjectedNetwork';
  if (typeof out !== 'string' || out.length === 0) throw new InvalidArgumentError(`${fn}: 'out' must be a file path; received ${describe(out)}`);
  const force = options?.force ?? false;
  const model = readNetwork(net, fn);
  const rules = { inputs: model.source === undefined ? [] : [model.source], force, fn };
  checkOutputFiles([out], rules);
  const { json, removed } = projectNetwork(model, options);
  writeOutputFiles([{ path: out, data: `${JSON.stringify(json)}\n` }], rules);
  return { out, removed };
}
