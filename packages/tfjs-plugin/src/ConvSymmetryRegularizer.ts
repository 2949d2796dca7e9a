import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, ShapeMismatchError, checkRtol, describe, kernelGenerators, type KernelCandidate, prepareStackedNuclearNorm, type PreparedStackedNuclearNorm } from '@liesym/core';
import { checkWeight, stackedPenalty } from './internal/penaltyBridge.js';

/** Options of {@link convSymmetryRegularizer}. */
export interface ConvSymmetryRegularizerOptions {
  /** The candidate transformations of the filters (default ['rotation', 'reflection']). */
  candidate?: readonly KernelCandidate[];
  /** γ (default 0.01). */
  weight?: number;
  /** Singular values σ ≤ rtol·σ_max are left out of the subgradient (default: core's `stackedNuclearNorm`, 1e-6). */
  rtol?: number;
}

const RegularizerBase = Object.getPrototypeOf(tf.regularizers.l1l2({ l1: 0, l2: 0 }).constructor) as new () => ReturnType<typeof tf.regularizers.l1l2>;

/**
 * The promote penalty for the kernel of an unchanged `tf.layers.conv2d`:
 * R(K) = γ·‖D_K‖_*, D_K = [vec ℒ_ξ₁K, vec ℒ_ξ₂K, …] over the candidates — the rotation (and
 * scaling) Lie derivative of the filters' taps, the mirror as T_h K − K — from core's
 * `kernelGenerators`; value and gradient are core's `stackedNuclearNorm` (float64) through
 * `tf.customGrad`. Pushes every filter toward rotation- and mirror-invariant profiles when
 * the data allow. Reads the kernel to the CPU on each call.
 * @throws InvalidArgumentError for a bad candidate list, weight or rtol; ShapeMismatchError for a kernel that is not [k, k, C_in, C_out] with square taps
 * @example
 * tf.layers.conv2d({ filters: 8, kernelSize: 5, padding: 'same', kernelRegularizer: convSymmetryRegularizer({ weight: 1e-3 }) });
 */
export class ConvSymmetryRegularizer extends RegularizerBase {
  static readonly className = 'ConvSymmetryRegularizer';
  readonly candidate: readonly KernelCandidate[];
  readonly weight: number;
  readonly rtol: number | undefined;
  /** Singular values of D_K at the last call, ascending. */
  lastSingularValues: Float64Array = new Float64Array(0);
  private prepared: { key: string; penalty: PreparedStackedNuclearNorm } | undefined;

  constructor(options: ConvSymmetryRegularizerOptions = {}) {
    super();
    const fn = 'convSymmetryRegularizer';
    if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be an object; received ${describe(options)}`);
    this.weight = checkWeight(fn, options.weight ?? 0.01);
    this.rtol = options.rtol === undefined ? undefined : checkRtol(fn, options.rtol);
    this.candidate = options.candidate ?? ['rotation', 'reflection'];
    kernelGenerators({ size: 1, channelsIn: 1, channelsOut: 1, candidate: this.candidate });
  }

  override apply(x: tf.Tensor): tf.Scalar {
    if (x.rank !== 4 || x.shape[0] !== x.shape[1]) throw new ShapeMismatchError(`convSymmetryRegularizer: the kernel must be [k, k, channelsIn, channelsOut]; received shape [${x.shape.join(', ')}]`);
    const [size, , channelsIn, channelsOut] = x.shape as [number, number, number, number];
    const key = `${size},${channelsIn},${channelsOut}`;
    if (this.prepared?.key !== key) {
      const p = kernelGenerators({ size, channelsIn, channelsOut, candidate: this.candidate });
      this.prepared = { key, penalty: prepareStackedNuclearNorm([p.generators], { orthonormalizer: p.orthonormalizer }) };
    }
    return stackedPenalty([x], { penalty: this.prepared.penalty, weight: this.weight, rtol: this.rtol, onSpectrum: (s) => (this.lastSingularValues = s) });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { weight: this.weight, candidate: [...this.candidate], ...(this.rtol !== undefined ? { rtol: this.rtol } : {}) };
  }

  static fromConfig<T extends tf.serialization.Serializable>(cls: tf.serialization.SerializableConstructor<T>, config: tf.serialization.ConfigDict): T {
    return new cls({ ...config });
  }
}
tf.serialization.registerClass(ConvSymmetryRegularizer as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);

/** Creates a {@link ConvSymmetryRegularizer} (promote for plain conv2d: γ·‖D_K‖_*). */
export function convSymmetryRegularizer(options: ConvSymmetryRegularizerOptions = {}): ConvSymmetryRegularizer {
  return new ConvSymmetryRegularizer(options);
}
