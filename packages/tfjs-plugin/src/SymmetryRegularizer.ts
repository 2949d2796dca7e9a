import * as tf from '@tensorflow/tfjs';
import { Representation, type Candidate, type Group } from '@liesym/core';
import { InvalidArgumentError, ShapeMismatchError } from './errors.js';
import { candidateLayerGenerators, repGenerators, type PreparedGenerators } from './internal/generators.js';
import { kernelLayout, stackedNuclearNorm, type LayerGenerators } from './internal/lieGram.js';
import { fromConfigValue, groupFromSpec, groupToSpec, repFromConfig, repToConfig, toConfigValue, type GroupSpec } from './repSpec.js';

/** Options of {@link symmetryRegularizer}. */
export interface SymmetryRegularizerOptions {
  /** Input representation of the layer (with repOut: the generators are dρ(ξ) of the group). */
  repIn?: Representation;
  /** Output representation of the layer. */
  repOut?: Representation;
  /** The group whose Lie algebra is promoted (default: the representations' group). */
  group?: Group;
  /**
   * Candidate generators instead of representations: 'gl-input', 'gl-lift',
   * 'gl-input-output' (sizes taken from the kernel) or explicit [A_in, A_out] pairs.
   */
  generators?: Candidate;
  /** γ (default 0.01). */
  weight?: number;
  /** Singular values σ ≤ rtol·σ_max are left out of the subgradient (default 1e-6). */
  rtol?: number;
}

const RegularizerBase = Object.getPrototypeOf(tf.regularizers.l1l2({ l1: 0, l2: 0 }).constructor) as new () => ReturnType<
  typeof tf.regularizers.l1l2
>;

/** D_W for a kernel, as the prepared generators of a dimIn → dimOut layer. */
export function prepareGenerators(fn: string, options: SymmetryRegularizerOptions, dimIn: number, dimOut: number): PreparedGenerators {
  if (options.generators !== undefined) return candidateLayerGenerators(fn, options.generators, dimIn, dimOut);
  if (!options.repIn || !options.repOut) {
    throw new InvalidArgumentError(`${fn}: give 'repIn' and 'repOut', or 'generators'; received neither`);
  }
  const p = repGenerators(fn, options.repIn, options.repOut, options.group);
  if (p.gens.n !== dimIn || p.gens.m !== dimOut) {
    throw new ShapeMismatchError(
      `${fn}: the kernel must be [repIn.dim, repOut.dim] = [${p.gens.n}, ${p.gens.m}]; received [${dimIn}, ${dimOut}]`,
    );
  }
  return p;
}

/** γ·(a float64 gradient) as float32 data. */
export function scaledFloat32(g: Float64Array, gamma: number): Float32Array {
  const out = new Float32Array(g.length);
  for (let i = 0; i < g.length; i++) out[i] = gamma * g[i]!;
  return out;
}

/**
 * The promote penalty on one dense kernel: R(W) = γ·‖D_W‖_*, where D_W is the discover
 * matrix whose column j is vec(L_ξⱼ W) = vec(W·dρ_in(ξⱼ) − dρ_out(ξⱼ)·W) over an
 * orthonormal basis of the generators. Works as `kernelRegularizer` of an unchanged
 * `tf.layers.dense` (kernel [dimIn, dimOut] = Wᵀ). The value and its gradient
 * γ·Σⱼ L_ξⱼ*(U·Vᵀ)[:, j] come from core-style float64 arithmetic through `tf.customGrad`;
 * the singular values come from the q×q Gram matrix DᵀD (q = number of generators), so a
 * 256×256 kernel under SO(3) costs a 3×3 eigenproblem and a few sparse products, not an
 * SVD of a 65536×3 matrix. Reads the kernel to the CPU (dataSync) on each call.
 *
 * @throws InvalidArgumentError without reps or generators, or for a group with no Lie algebra
 * @throws ShapeMismatchError when the kernel does not match the representations
 * @example
 * tf.layers.dense({ units: 3, inputShape: [3], kernelRegularizer: symmetryRegularizer({ repIn: V(SO(3)), repOut: V(SO(3)), weight: 0.1 }) });
 */
export class SymmetryRegularizer extends RegularizerBase {
  static readonly className = 'SymmetryRegularizer';
  readonly options: SymmetryRegularizerOptions;
  readonly weight: number;
  readonly rtol: number;
  /** Singular values of D_W at the last call, descending (diagnostics). */
  lastSingularValues: Float64Array = new Float64Array(0);
  private prepared: PreparedGenerators | undefined;
  private kernelGens: LayerGenerators | undefined;

  constructor(options: SymmetryRegularizerOptions) {
    super();
    const fn = 'symmetryRegularizer';
    if (options === null || typeof options !== 'object') {
      throw new InvalidArgumentError(`${fn}: 'options' must be an object; received ${String(options)}`);
    }
    this.weight = options.weight ?? 0.01;
    this.rtol = options.rtol ?? 1e-6;
    if (!Number.isFinite(this.weight) || this.weight < 0) throw new InvalidArgumentError(`${fn}: 'weight' must be finite and ≥ 0; received ${String(this.weight)}`);
    if (!(this.rtol >= 0)) throw new InvalidArgumentError(`${fn}: 'rtol' must be ≥ 0; received ${String(this.rtol)}`);
    this.options = options;
    if (options.generators === undefined) {
      if (!options.repIn || !options.repOut) throw new InvalidArgumentError(`${fn}: give 'repIn' and 'repOut', or 'generators'; received neither`);
      this.prepared = prepareGenerators(fn, options, options.repIn.dim, options.repOut.dim);
    }
  }

  override apply(x: tf.Tensor): tf.Scalar {
    if (x.rank !== 2) throw new ShapeMismatchError(`symmetryRegularizer: the kernel must be 2-D [dimIn, dimOut]; received shape [${x.shape.join(', ')}]`);
    const [n, m] = x.shape as [number, number];
    if (!this.prepared || this.prepared.gens.n !== n || this.prepared.gens.m !== m) {
      this.prepared = prepareGenerators('symmetryRegularizer', this.options, n, m);
    }
    const prepared = this.prepared;
    if (!this.kernelGens || this.kernelGens.m !== n || this.kernelGens.n !== m) this.kernelGens = kernelLayout(prepared.gens);
    const gens = this.kernelGens;
    const f = tf.customGrad((kernel) => {
      // the kernel K = Wᵀ is used as is, with the generators rewritten for the transpose
      const r = stackedNuclearNorm([{ gens, w: (kernel as tf.Tensor).dataSync() as Float32Array }], prepared.t, this.rtol);
      this.lastSingularValues = r.singularValues;
      const grad = r.gradients[0]!;
      const gamma = this.weight;
      return {
        value: tf.scalar(gamma * r.value),
        gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.tensor2d(scaledFloat32(grad, gamma), [n, m])),
      };
    });
    return f(x) as tf.Scalar;
  }

  override getConfig(): tf.serialization.ConfigDict {
    const o = this.options;
    const gens = o.generators;
    return {
      weight: this.weight,
      rtol: this.rtol,
      ...(o.repIn ? { repIn: repToConfig(o.repIn) } : {}),
      ...(o.repOut ? { repOut: repToConfig(o.repOut) } : {}),
      ...(o.group ? { group: toConfigValue(groupToSpec(o.group)) } : {}),
      ...(gens === undefined
        ? {}
        : {
            generators: toConfigValue(
              typeof gens === 'string' ? gens : gens.map(([a, b]) => [Array.isArray(a) ? a : a.toArray(), Array.isArray(b) ? b : b.toArray()]),
            ),
          }),
    };
  }

  static fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const fn = 'SymmetryRegularizer.fromConfig';
    const o: SymmetryRegularizerOptions = {};
    if (config['weight'] !== undefined) o.weight = config['weight'] as number;
    if (config['rtol'] !== undefined) o.rtol = config['rtol'] as number;
    if (config['repIn']) o.repIn = repFromConfig(config['repIn'], fn, 'repIn');
    if (config['repOut']) o.repOut = repFromConfig(config['repOut'], fn, 'repOut');
    if (config['group']) o.group = groupFromSpec(fromConfigValue(config['group'], fn, 'group') as GroupSpec);
    if (config['generators'] !== undefined) o.generators = fromConfigValue(config['generators'], fn, 'generators') as Candidate;
    return new cls(o);
  }
}
tf.serialization.registerClass(SymmetryRegularizer as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);

/**
 * Creates a {@link SymmetryRegularizer} (promote: γ·‖D_W‖_*).
 * @example
 * const reg = symmetryRegularizer({ repIn: V(SO(3)), repOut: V(SO(3)), weight: 0.1 });
 * tf.layers.dense({ units: 3, inputShape: [3], kernelRegularizer: reg });
 */
export function symmetryRegularizer(options: SymmetryRegularizerOptions): SymmetryRegularizer {
  return new SymmetryRegularizer(options);
}
