import * as tf from '@tensorflow/tfjs';
import { Representation, Scalar, directSum } from '@liesym/core';
import { InvalidArgumentError, InvalidRepresentationError, ShapeMismatchError } from './errors.js';
import { activationFn, lastDim, onLastAxis, single, type ScalarActivation } from './internal/activations.js';
import { isScalar, partsOf } from './internal/blocks.js';
import { repFromConfig, repToConfig } from './repSpec.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Options of {@link normNonlinearity}. */
export interface NormNonlinearityArgs extends LayerArgs {
  /** Representation of the input; every non-scalar part must be orthogonal (a compact group). */
  rep: Representation;
  /** Activation of the Scalar parts (default 'swish'). */
  activation?: ScalarActivation;
  /** Append the norms ‖x_p‖ of the non-scalar parts as invariant Scalar channels (default false). */
  appendNorms?: boolean;
}

/** The output representation of a norm nonlinearity: rep, plus one Scalar per non-scalar part when norms are appended. */
export function normOutputRep(rep: Representation, appendNorms: boolean): Representation {
  const k = partsOf(rep).filter((p) => !isScalar(p)).length;
  return appendNorms && k > 0 ? directSum(rep, ...Array.from({ length: k }, () => Scalar)) : rep;
}

const EPS = 1e-8;

/**
 * The norm nonlinearity: each non-scalar part is rescaled by a function of its norm,
 * y_p = x_p·σ(‖x_p‖ + b_p) with a trainable invariant bias b_p, and Scalar parts go through
 * `activation`. With `appendNorms` the norms ‖x_p‖ are appended as invariant features,
 * which is how an equivariant network builds invariants out of vectors. Equivariant when
 * ρ is orthogonal on each part (‖ρ(g)x_p‖ = ‖x_p‖), so the group must be compact.
 * (‖x_p‖ is computed as √(‖x_p‖² + 10⁻⁸) to keep the gradient finite at 0.)
 *
 * Shapes: [..., rep.dim] → [..., rep.dim (+ number of non-scalar parts)].
 * @throws InvalidRepresentationError for a non-compact group; ShapeMismatchError at build
 */
export class NormNonlinearity extends tf.layers.Layer {
  static readonly className = 'NormNonlinearity';
  readonly rep: Representation;
  readonly activation: ScalarActivation;
  readonly appendNorms: boolean;
  private readonly act: (x: tf.Tensor) => tf.Tensor;
  private readonly k: number;
  private indicator: tf.Tensor2D | undefined;
  private indicatorT: tf.Tensor2D | undefined;
  private scalarMask: tf.Tensor1D | undefined;
  private normBias: tf.LayerVariable | undefined;

  constructor(args: NormNonlinearityArgs) {
    super(args);
    if (!(args?.rep instanceof Representation)) {
      throw new InvalidArgumentError(`normNonlinearity: 'rep' must be a Representation; received ${String(args?.rep)}`);
    }
    if (args.rep.group && !args.rep.group.compact) {
      throw new InvalidRepresentationError(
        `normNonlinearity: norms are invariant only under orthogonal representations, so 'rep' must be of a compact group; received ${args.rep.group.name}`,
      );
    }
    this.rep = args.rep;
    this.activation = args.activation ?? 'swish';
    this.appendNorms = args.appendNorms ?? false;
    this.act = activationFn('normNonlinearity', this.activation);
    this.k = partsOf(this.rep).filter((p) => !isScalar(p)).length;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const d = lastDim(inputShape);
    if (d !== this.rep.dim) {
      throw new ShapeMismatchError(`NormNonlinearity '${this.name}': the input's last axis must equal rep.dim = ${this.rep.dim}; received ${d}`);
    }
    const n = this.rep.dim;
    const ind = new Float32Array(n * Math.max(this.k, 1));
    const mask = new Float32Array(n);
    let off = 0;
    let g = 0;
    for (const p of partsOf(this.rep)) {
      if (isScalar(p)) mask[off] = 1;
      else {
        for (let i = 0; i < p.dim; i++) ind[(off + i) * this.k + g] = 1;
        g++;
      }
      off += p.dim;
    }
    if (this.k > 0) {
      this.indicator = tf.keep(tf.tensor2d(ind, [n, this.k]));
      this.indicatorT = tf.keep(tf.transpose(this.indicator));
      this.normBias = this.addWeight('norm_bias', [this.k], 'float32', tf.initializers.zeros());
    }
    this.scalarMask = tf.keep(tf.tensor1d(mask));
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const outDim = normOutputRep(this.rep, this.appendNorms).dim;
    return tf.tidy(() =>
      onLastAxis(single(inputs), outDim, (x) => {
        const scalars = tf.mul(this.act(x), this.scalarMask!);
        if (this.k === 0) return scalars as tf.Tensor2D;
        const norms = tf.sqrt(tf.add(tf.matMul(tf.square(x), this.indicator!), EPS));
        const factor = tf.sigmoid(tf.add(norms, this.normBias!.read()));
        const y = tf.add(scalars, tf.mul(x, tf.matMul(factor, this.indicatorT!))) as tf.Tensor2D;
        return this.appendNorms ? (tf.concat([y, norms], 1) as tf.Tensor2D) : y;
      }),
    );
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...s.slice(0, -1), normOutputRep(this.rep, this.appendNorms).dim];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      rep: repToConfig(this.rep),
      activation: this.activation,
      appendNorms: this.appendNorms,
    };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls({ ...config, rep: repFromConfig(config['rep'], 'NormNonlinearity.fromConfig', 'rep') });
  }

  override dispose(): ReturnType<tf.layers.Layer["dispose"]> {
    const r = super.dispose();
    if (r.refCountAfterDispose === 0) {
      this.indicator?.dispose();
      this.indicatorT?.dispose();
      this.scalarMask?.dispose();
    }
    return r;
  }
}
tf.serialization.registerClass(NormNonlinearity);

/** Creates a {@link NormNonlinearity}. */
export function normNonlinearity(args: NormNonlinearityArgs): NormNonlinearity {
  return new NormNonlinearity(args);
}
