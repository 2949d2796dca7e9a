import * as tf from '@tensorflow/tfjs';
import {
  InvalidArgumentError,
  Representation,
  type Matrix,
  SerializationError,
  ShapeMismatchError,
  candidateLayerGenerators,
  checkRtol,
  describe,
  errorMessage,
  layerGenerators,
  prepareStackedNuclearNorm,
  transposeLayerGenerators,
  type Candidate,
  type Group,
  type PreparedLayerGenerators,
  type PreparedStackedNuclearNorm,
} from '@liesym/core';
import { checkWeight, stackedPenalty } from './internal/penaltyBridge.js';
import { fromConfigValue, groupFromSpec, groupToSpec, repFromConfig, repToConfig, toConfigValue, type GroupSpec } from './repSpec.js';

/** Options of {@link symmetryRegularizer}. */
export interface SymmetryRegularizerOptions {
  /** Input representation of the layer (with repOut: the generators are dρ(ξ) of the group). */
  repIn?: Representation;
  /** Output representation of the layer. */
  repOut?: Representation;
  /** The group whose Lie algebra is promoted (default: the representations' group). */
  group?: Group;
  /** A candidate algebra instead of representations: 'gl-input', 'gl-lift', 'gl-input-output' (sizes from the kernel) or [A_in, A_out] pairs. */
  candidate?: Candidate;
  /** @deprecated Use `candidate` (same meaning); `generators` will be removed in the next minor version. */
  generators?: Candidate;
  /** γ (default 0.01). */
  weight?: number;
  /** Singular values σ ≤ rtol·σ_max are left out of the subgradient (default: core's `stackedNuclearNorm`, 1e-6). */
  rtol?: number;
  /**
   * 'none' (default): γ‖D_W‖_*. 'weights': γ‖D_W‖_* / ‖W‖_F, unchanged when W is scaled (R(cW) = R(W)), so it
   * cannot be lowered by shrinking the kernel, only by making it more symmetric. The plain penalty is 1-homogeneous:
   * its gradient keeps its size however small D_W gets, and under Adam it mostly shrinks the kernel (see
   * apps/bench, `bench:regcost`). As `functionSymmetryPenalty`'s option of the same name it divides by a Frobenius
   * norm; here that of the weights, since D_W = 0 (a symmetric kernel) is the goal and ‖D_W‖_F would be 0 there.
   */
  normalize?: 'none' | 'weights';
}

const RegularizerBase = Object.getPrototypeOf(tf.regularizers.l1l2({ l1: 0, l2: 0 }).constructor) as new () => ReturnType<
  typeof tf.regularizers.l1l2
>;

/** The layer's generators for a dimIn → dimOut kernel: from the candidate, or from the representations. */
function prepare(fn: string, options: SymmetryRegularizerOptions, dims: { dimIn: number; dimOut: number }): PreparedLayerGenerators {
  const candidate = options.candidate ?? options.generators;
  if (candidate !== undefined) return candidateLayerGenerators(candidate, { ...dims, fn });
  if (!options.repIn || !options.repOut) throw new InvalidArgumentError(`${fn}: give 'repIn' and 'repOut', or 'candidate'; received neither`);
  const p = layerGenerators(options.repIn, options.repOut, { fn, ...(options.group ? { group: options.group } : {}) });
  if (p.generators.dimIn !== dims.dimIn || p.generators.dimOut !== dims.dimOut) {
    throw new ShapeMismatchError(
      `${fn}: the kernel must be [repIn.dim, repOut.dim] = [${p.generators.dimIn}, ${p.generators.dimOut}]; received [${dims.dimIn}, ${dims.dimOut}]`,
    );
  }
  return p;
}

/**
 * The promote penalty on one dense kernel: R(W) = γ·‖D_W‖_* (or γ·‖D_W‖_* / ‖W‖_F with `normalize: 'weights'`), where D_W is the discover
 * matrix whose column j is vec(L_ξⱼ W) = vec(W·dρ_in(ξⱼ) − dρ_out(ξⱼ)·W) over an
 * orthonormal basis of the generators. Works as `kernelRegularizer` of an unchanged
 * `tf.layers.dense` (kernel [dimIn, dimOut] = Wᵀ). The value and its gradient
 * γ·Σⱼ L_ξⱼ*(U·Vᵀ)[:, j] are core's (`prepareStackedNuclearNorm`, the numbers of `stackedNuclearNorm`,
 * float64) through `tf.customGrad`: the singular values come from the q×q Gram matrix DᵀD
 * (q = number of generators), split into the blocks of generators whose Lie derivatives never
 * share an entry, so a 256×256 kernel under SO(3) costs a 3×3 eigenproblem and a few sparse
 * products, and 'gl-input' on n inputs n eigenproblems of n×n. Everything that depends only on
 * the generators is prepared at the first call. Reads the kernel to the CPU (dataSync) on each call.
 *
 * @throws InvalidArgumentError without reps or a candidate, for a bad weight or rtol, or for a group with no Lie algebra
 * @throws ShapeMismatchError when the kernel does not match the representations
 * @example
 * tf.layers.dense({ units: 3, inputShape: [3], kernelRegularizer: symmetryRegularizer({ repIn: V(SO(3)), repOut: V(SO(3)), weight: 0.1 }) });
 */
export class SymmetryRegularizer extends RegularizerBase {
  static readonly className = 'SymmetryRegularizer';
  readonly options: SymmetryRegularizerOptions;
  readonly weight: number;
  /** The subgradient cut, or undefined for core's default (1e-6). */
  readonly rtol: number | undefined;
  /** Singular values of D_W at the last call, ascending (diagnostics). */
  lastSingularValues: Float64Array = new Float64Array(0);
  readonly normalize: 'none' | 'weights';
  private prepared: { p: PreparedLayerGenerators; penalty: PreparedStackedNuclearNorm } | undefined;

  constructor(options: SymmetryRegularizerOptions) {
    super();
    const fn = 'symmetryRegularizer';
    if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be an object; received ${describe(options)}`);
    this.weight = checkWeight(fn, options.weight ?? 0.01);
    this.rtol = options.rtol === undefined ? undefined : checkRtol(fn, options.rtol);
    this.normalize = options.normalize ?? 'none';
    if (this.normalize !== 'none' && this.normalize !== 'weights') {
      throw new InvalidArgumentError(errorMessage(fn, 'normalize', { expected: "'none' or 'weights'", received: this.normalize }));
    }
    this.options = options;
    // representations fix the kernel's shape, so they are checked now; a candidate takes its sizes from the kernel
    if ((options.candidate ?? options.generators) === undefined) this.prepare({ dimIn: options.repIn?.dim ?? 0, dimOut: options.repOut?.dim ?? 0 });
  }

  private prepare(dims: { dimIn: number; dimOut: number }): NonNullable<SymmetryRegularizer['prepared']> {
    const g = this.prepared?.p.generators;
    if (g?.dimIn === dims.dimIn && g.dimOut === dims.dimOut) return this.prepared!;
    const p = prepare('symmetryRegularizer', this.options, dims);
    // the kernel K = Wᵀ is used as is, with the generators rewritten for the transpose; everything that depends only
    // on the generators (supports, blocks of the Gram matrix, buffers) is prepared once
    return (this.prepared = { p, penalty: prepareStackedNuclearNorm([transposeLayerGenerators(p.generators)], { orthonormalizer: p.orthonormalizer }) });
  }

  override apply(x: tf.Tensor): tf.Scalar {
    if (x.rank !== 2) throw new ShapeMismatchError(`symmetryRegularizer: the kernel must be 2-D [dimIn, dimOut]; received shape [${x.shape.join(', ')}]`);
    const { penalty } = this.prepare({ dimIn: x.shape[0]!, dimOut: x.shape[1]! });
    const { weight, rtol, normalize } = this;
    return stackedPenalty([x], { penalty, weight, rtol, normalize, onSpectrum: (s) => (this.lastSingularValues = s) });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const o = this.options;
    const c = o.candidate ?? o.generators;
    if (c !== undefined && typeof c !== 'string' && !Array.isArray(c)) {
      throw new SerializationError(`SymmetryRegularizer.getConfig: only named candidates and [A_in, A_out] pairs can be serialized; received ${describe(c)}`);
    }
    return {
      weight: this.weight,
      ...(this.rtol !== undefined ? { rtol: this.rtol } : {}),
      ...(this.normalize !== 'none' ? { normalize: this.normalize } : {}),
      ...(o.repIn ? { repIn: repToConfig(o.repIn) } : {}),
      ...(o.repOut ? { repOut: repToConfig(o.repOut) } : {}),
      ...(o.group ? { group: toConfigValue(groupToSpec(o.group)) } : {}),
      ...(c === undefined ? {} : { candidate: toConfigValue(typeof c === 'string' ? c : c.map((pair) => pair.map((m: Matrix | number[][]) => (Array.isArray(m) ? m : m.toArray())))) }),
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
    if (config['normalize'] !== undefined) o.normalize = config['normalize'] as 'none' | 'weights';
    if (config['repIn']) o.repIn = repFromConfig(config['repIn'], fn, 'repIn');
    if (config['repOut']) o.repOut = repFromConfig(config['repOut'], fn, 'repOut');
    if (config['group']) o.group = groupFromSpec(fromConfigValue(config['group'], fn, 'group') as GroupSpec);
    // 'generators' is how saved models before the rename wrote the candidate
    const key = config['candidate'] !== undefined ? 'candidate' : 'generators';
    if (config[key] !== undefined) o.candidate = fromConfigValue(config[key], fn, key) as Candidate;
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
