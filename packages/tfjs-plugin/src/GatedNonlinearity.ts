import * as tf from '@tensorflow/tfjs';
import { Representation, Scalar, directSum } from '@liesym/core';
import { InvalidArgumentError, ShapeMismatchError } from './errors.js';
import { activationFn, lastDim, onLastAxis, single, type ScalarActivation } from './internal/activations.js';
import { isScalar, partsOf } from './internal/blocks.js';
import { repFromConfig, repToConfig } from './repSpec.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Options of {@link gatedNonlinearity}. */
export interface GatedNonlinearityArgs extends LayerArgs {
  /** Representation of the output features; the input is `gateRep(rep)` = rep ⊕ k·Scalar. */
  rep: Representation;
  /** Activation of the Scalar parts of `rep` (default 'swish'). */
  activation?: ScalarActivation;
}

/** The number of gates of `rep`: one per part that is not a Scalar. */
export function gateCount(rep: Representation): number {
  return partsOf(rep).filter((p) => !isScalar(p)).length;
}

/**
 * The input representation of a gated nonlinearity: rep ⊕ k·Scalar, one invariant gate per
 * non-scalar part of `rep`.
 */
export function gateRep(rep: Representation): Representation {
  const k = gateCount(rep);
  return k === 0 ? rep : directSum(rep, ...Array.from({ length: k }, () => Scalar));
}

/**
 * The gated nonlinearity: the input is (x, g) ∈ rep ⊕ k·Scalar; Scalar parts of x go
 * through `activation`, each other part x_p is multiplied by σ(g_p) (σ the logistic
 * function). Gates are invariant, so y_p(ρ(h)x, g) = ρ_p(h)·y_p(x, g): equivariant for
 * every group.
 *
 * Shapes: [..., rep.dim + k] → [..., rep.dim].
 * @throws ShapeMismatchError at build when the input's last axis ≠ rep.dim + k
 * @example
 * const hidden = directSum(V(SO(3)), V(SO(3)), Scalar);
 * tf.sequential({ layers: [equivariantDense({ repIn, repOut: gateRep(hidden), inputShape: [repIn.dim] }), gatedNonlinearity({ rep: hidden })] });
 */
export class GatedNonlinearity extends tf.layers.Layer {
  static readonly className = 'GatedNonlinearity';
  readonly rep: Representation;
  readonly activation: ScalarActivation;
  private readonly act: (x: tf.Tensor) => tf.Tensor;
  private readonly k: number;
  private expand: tf.Tensor2D | undefined;
  private scalarMask: tf.Tensor1D | undefined;

  constructor(args: GatedNonlinearityArgs) {
    super(args);
    if (!(args?.rep instanceof Representation)) {
      throw new InvalidArgumentError(`gatedNonlinearity: 'rep' must be a Representation; received ${String(args?.rep)}`);
    }
    this.rep = args.rep;
    this.activation = args.activation ?? 'swish';
    this.act = activationFn('gatedNonlinearity', this.activation);
    this.k = gateCount(this.rep);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const d = lastDim(inputShape);
    const want = this.rep.dim + this.k;
    if (d !== want) {
      throw new ShapeMismatchError(
        `GatedNonlinearity '${this.name}': the input's last axis must be rep.dim + gates = ${this.rep.dim} + ${this.k} = ${want}; received ${d}`,
      );
    }
    const n = this.rep.dim;
    const e = new Float32Array(Math.max(this.k, 1) * n);
    const mask = new Float32Array(n);
    let off = 0;
    let g = 0;
    for (const p of partsOf(this.rep)) {
      if (isScalar(p)) mask[off] = 1;
      else {
        for (let i = 0; i < p.dim; i++) e[g * n + off + i] = 1;
        g++;
      }
      off += p.dim;
    }
    if (this.k > 0) this.expand = tf.keep(tf.tensor2d(e, [this.k, n]));
    this.scalarMask = tf.keep(tf.tensor1d(mask));
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() =>
      onLastAxis(single(inputs), this.rep.dim, (x2) => {
        const n = this.rep.dim;
        const x = tf.slice(x2, [0, 0], [-1, n]);
        const scalars = tf.mul(this.act(x), this.scalarMask!);
        if (this.k === 0) return scalars as tf.Tensor2D;
        const gates = tf.sigmoid(tf.slice(x2, [0, n], [-1, this.k]));
        return tf.add(scalars, tf.mul(x, tf.matMul(gates, this.expand!))) as tf.Tensor2D;
      }),
    );
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...s.slice(0, -1), this.rep.dim];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      rep: repToConfig(this.rep),
      activation: this.activation,
    };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls({ ...config, rep: repFromConfig(config['rep'], 'GatedNonlinearity.fromConfig', 'rep') });
  }

  override dispose(): ReturnType<tf.layers.Layer["dispose"]> {
    const r = super.dispose();
    if (r.refCountAfterDispose === 0) {
      this.expand?.dispose();
      this.scalarMask?.dispose();
    }
    return r;
  }
}
tf.serialization.registerClass(GatedNonlinearity);

/** Creates a {@link GatedNonlinearity}. */
export function gatedNonlinearity(args: GatedNonlinearityArgs): GatedNonlinearity {
  return new GatedNonlinearity(args);
}
