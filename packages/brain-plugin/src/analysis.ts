import { existsSync, writeFileSync } from 'node:fs';
import {
  EmptyInputError,
  Group,
  InvalidArgumentError,
  InvalidRepresentationError,
  Matrix,
  NonFiniteError,
  Representation,
  ShapeMismatchError,
  createRng,
  discoverSymmetries as coreDiscover,
  equivariantProjector,
  invariantBasis,
  solve,
  type Candidate,
  type DiscoveryResult,
  type Rng,
  identifyPairs,
} from '@liesym/core';
import { readNetwork, type BrainNetwork, type BrainNetworkJson, type BrainNetworkLike } from './BrainNetwork.js';
import { OutputExistsError } from './errors.js';

/** A brain.js network: the `NeuralNetwork` object or its `toJSON()`. */
export type BrainNet = BrainNetworkLike | BrainNetworkJson;

/** Where the analysis points come from. */
export interface BrainSampleOptions {
  /** The points (S×dimIn) or how many to draw (default 128, standard normal). */
  samples?: number | Matrix | number[][];
  /** Draws one point; used with a count in `samples`. */
  sampler?: (rng: Rng, index: number) => ArrayLike<number>;
  /** Seed of the draws (default 0). */
  seed?: number;
}

function points(fn: string, n: number, o: BrainSampleOptions): Matrix {
  const spec = o.samples ?? 128;
  if (spec instanceof Matrix) return spec;
  if (Array.isArray(spec)) {
    if (spec.length === 0) throw new EmptyInputError(`${fn}: 'samples' must hold at least one point; received none`);
    return Matrix.from(spec, 'samples');
  }
  if (typeof spec !== 'number' || !Number.isInteger(spec) || spec < 1) {
    throw new InvalidArgumentError(`${fn}: 'samples' must be an integer ≥ 1, a Matrix or an array of points; received ${String(spec)}`);
  }
  const rng = createRng(o.seed ?? 0);
  const draw = o.sampler ?? ((r: Rng) => Array.from({ length: n }, () => r.normal()));
  return Matrix.from(Array.from({ length: spec }, (_, i) => draw(rng, i)), 'samples');
}

/** Options of {@link discoverSymmetries}. */
export interface BrainDiscoverOptions extends BrainSampleOptions {
  /** 'gl-input', 'gl-lift', 'gl-input-output' or explicit [A_in, A_out] pairs (see @liesym/core). */
  candidate: Candidate;
  /** Relative rank tolerance (default 1e-9: the Jacobian is exact, in Float64). */
  rtol?: number;
}

/** core's {@link DiscoveryResult} plus the name of the found algebra when it is a known one. */
export interface BrainDiscoveryResult extends DiscoveryResult {
  identification: string | null;
}

/**
 * Finds the symmetries of a brain.js network inside a candidate Lie algebra: the nullspace
 * of the discover matrix ξ ↦ L_ξ F = DF(x)·A_in·x − A_out·F(x) at the samples, with the
 * exact Jacobian of x ↦ σ(W_L·…σ(W₁x + b₁)… + b_L) in Float64.
 * @throws UnsupportedNetworkError; ShapeMismatchError; EmptyInputError; InvalidArgumentError
 * @example
 * const r = discoverSymmetries(net, { candidate: 'gl-input', samples: 64 });
 * r.dimension; // 3 for a 3-input net whose first layer has rank 2
 */
export function discoverSymmetries(net: BrainNet, options: BrainDiscoverOptions): BrainDiscoveryResult {
  const fn = 'discoverSymmetries';
  const model = readNetwork(net, fn);
  if (options === null || typeof options !== 'object' || options.candidate === undefined) {
    throw new InvalidArgumentError(`${fn}: 'options.candidate' is required ('gl-input', 'gl-lift', 'gl-input-output' or pairs)`);
  }
  const xs = points(fn, model.dimIn, options);
  const r = coreDiscover((x) => model.forward(x), xs, {
    candidate: options.candidate,
    jacobian: (x) => model.jacobian(x),
    rtol: options.rtol ?? 1e-9,
  });
  return { ...r, identification: identifyPairs(r.generators) };
}

/** Options of {@link checkSymmetry}. */
export interface BrainCheckOptions extends BrainSampleOptions {
  group?: Group;
  repIn: Representation;
  repOut: Representation;
}

/** How strongly a network breaks a symmetry (norms are RMS over the samples). */
export interface BrainSymmetryReport {
  generators: Array<{ index: number; norm: number; relative: number }>;
  discrete: Array<{ index: number; residual: number }>;
  outputScale: number;
  maxRelative: number;
}

/**
 * Per-generator Lie derivatives L_ξ F(x) = DF(x)·dρ_in(ξ)·x − dρ_out(ξ)·F(x) (exact Jacobian)
 * and discrete residuals ρ_out(h)⁻¹F(ρ_in(h)x) − F(x), relative to the RMS of ‖F(x)‖.
 * @throws InvalidRepresentationError; ShapeMismatchError; NonFiniteError
 * @example
 * checkSymmetry(net, { group: S(3), repIn: V(S(3)), repOut: Scalar }).maxRelative;
 */
export function checkSymmetry(net: BrainNet, options: BrainCheckOptions): BrainSymmetryReport {
  const fn = 'checkSymmetry';
  const model = readNetwork(net, fn);
  const { repIn, repOut } = options ?? {};
  if (!(repIn instanceof Representation) || !(repOut instanceof Representation)) {
    throw new InvalidArgumentError(`${fn}: 'repIn' and 'repOut' must be Representations`);
  }
  const group = options.group ?? repIn.group ?? repOut.group;
  if (!group) throw new InvalidArgumentError(`${fn}: 'group' is required when both representations are Scalar`);
  for (const [name, rep] of [['repIn', repIn], ['repOut', repOut]] as const) {
    if (rep.group && rep.group.key !== group.key) throw new InvalidRepresentationError(`${fn}: '${name}' is a representation of ${rep.group.name}; expected one of ${group.name}`);
  }
  const n = model.dimIn;
  const m = model.dimOut;
  if (repIn.dim !== n) throw new ShapeMismatchError(`${fn}: 'repIn' must have dim ${n}; received ${repIn.dim}`);
  if (repOut.dim !== m) throw new ShapeMismatchError(`${fn}: 'repOut' must have dim ${m}; received ${repOut.dim}`);
  const X = points(fn, n, options);
  if (X.cols !== n) throw new ShapeMismatchError(`${fn}: samples must have ${n} coordinates; received ${X.cols}`);
  const q = group.lieAlgebra.length;
  const p = group.discreteGenerators.length;
  const dIn = Array.from({ length: q }, (_, i) => (repIn.group ? repIn.drho(i).toDense() : new Matrix(n, n)));
  const dOut = Array.from({ length: q }, (_, i) => (repOut.group ? repOut.drho(i).toDense() : new Matrix(m, m)));
  const hIn = Array.from({ length: p }, (_, j) => (repIn.group ? repIn.rho(j).toDense() : Matrix.identity(n)));
  const hOut = Array.from({ length: p }, (_, j) => (repOut.group ? repOut.rho(j).toDense() : Matrix.identity(m)));
  const lie = new Float64Array(q);
  const disc = new Float64Array(p);
  let scale = 0;
  for (let s = 0; s < X.rows; s++) {
    const x = X.row(s);
    const y = model.forward(x);
    const J = model.jacobian(x);
    scale += y.reduce((a, v) => a + v * v, 0);
    for (let i = 0; i < q; i++) {
      const a = J.mulVec(dIn[i]!.mulVec(x));
      const b = dOut[i]!.mulVec(y);
      for (let k = 0; k < m; k++) lie[i]! += (a[k]! - b[k]!) ** 2;
    }
    for (let j = 0; j < p; j++) {
      const back = solve(hOut[j]!, Matrix.column(model.forward(hIn[j]!.mulVec(x)))).data;
      for (let k = 0; k < m; k++) disc[j]! += (back[k]! - y[k]!) ** 2;
    }
  }
  const S = X.rows;
  const outputScale = Math.sqrt(scale / S);
  const rel = (v: number): number => (outputScale === 0 ? v : v / outputScale);
  const generators = Array.from(lie, (v, index) => ({ index, norm: Math.sqrt(v / S), relative: rel(Math.sqrt(v / S)) }));
  const discrete = Array.from(disc, (v, index) => ({ index, residual: rel(Math.sqrt(v / S)) }));
  const maxRelative = Math.max(0, ...generators.map((g) => g.relative), ...discrete.map((d) => d.residual));
  if (!Number.isFinite(maxRelative)) throw new NonFiniteError(`${fn}: the network returned non-finite values at the samples`);
  return { generators, discrete, outputScale, maxRelative };
}

/** Options of {@link projectNetwork}. */
export interface BrainProjectOptions {
  /** One representation per layer boundary: reps[k] on the input of layer k+1, reps[k+1] on its output (sizes.length entries). */
  reps: readonly Representation[];
}

/**
 * Projects every layer's weights onto the equivariant maps Hom_G(reps[k], reps[k+1]) and
 * its bias onto the invariant vectors of reps[k+1]. Elementwise activations commute with
 * permutation representations, so the projected network is then G-equivariant for those.
 * Returns the brain.js JSON of the projected network (load it with `fromJSON`) and the
 * relative size of the removed part per layer.
 * @throws InvalidArgumentError for a wrong number of reps; ShapeMismatchError when dims do not fit
 * @example
 * const { json } = projectNetwork(net, { reps: [V(S(3)), V(S(3)).pow(1), Scalar] });
 * new brain.NeuralNetwork().fromJSON(json);
 */
export function projectNetwork(net: BrainNet, options: BrainProjectOptions): { json: BrainNetworkJson; removed: number[]; network: BrainNetwork } {
  const fn = 'projectNetwork';
  const model = readNetwork(net, fn);
  const reps = options?.reps;
  if (!Array.isArray(reps) || reps.length !== model.sizes.length || !reps.every((r) => r instanceof Representation)) {
    throw new InvalidArgumentError(`${fn}: 'reps' must hold ${model.sizes.length} Representations (one per layer boundary, sizes ${JSON.stringify(model.sizes)}); received ${Array.isArray(reps) ? reps.length : typeof reps}`);
  }
  reps.forEach((r, k) => {
    if (r.dim !== model.sizes[k]) throw new ShapeMismatchError(`${fn}: 'reps'[${k}] must have dim ${model.sizes[k]}; received ${r.dim}`);
  });
  const removed: number[] = [];
  const layers = model.layers.map(({ W, b }, k) => {
    const W2 = equivariantProjector(reps[k]!, reps[k + 1]!).project(W);
    const Q = invariantBasis(reps[k + 1]!).basis;
    const b2 = Q.mulVec(Q.transpose().mulVec(b));
    removed.push(W.norm() === 0 ? 0 : W.sub(W2).norm() / W.norm());
    return { W: W2, b: b2 };
  });
  const json = model.toJSON(layers);
  return { json, removed, network: readNetwork(json, fn) };
}

/**
 * {@link projectNetwork}, then writes the projected network's JSON to `out`. An existing
 * file is never replaced unless `force`.
 * @throws OutputExistsError when `out` exists and `force` is not set
 */
export function writeProjectedNetwork(net: BrainNet, out: string, options: BrainProjectOptions & { force?: boolean }): { out: string; removed: number[] } {
  const fn = 'writeProjectedNetwork';
  if (typeof out !== 'string' || out.length === 0) throw new InvalidArgumentError(`${fn}: 'out' must be a file path; received ${String(out)}`);
  if (!options.force && existsSync(out)) throw new OutputExistsError(`${fn}: '${out}' already exists; pass force: true to overwrite it`);
  const { json, removed } = projectNetwork(net, options);
  writeFileSync(out, `${JSON.stringify(json)}\n`, { flag: options.force ? 'w' : 'wx' });
  return { out, removed };
}
