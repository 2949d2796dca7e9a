import * as tf from '@tensorflow/tfjs';
import type { Representation } from '@liesym/core';
import type { ScalarActivation } from './internal/activations.js';
import { partMasks } from './internal/blocks.js';
import { NonlinearityLayer, type NonlinearityArgs } from './internal/NonlinearityLayer.js';

/** Options of {@link gatedNonlinearity}. */
export interface GatedNonlinearityArgs extends NonlinearityArgs {
  /** Representation of the output features; the input is core's `gateRep(rep)` = rep ⊕ k·Scalar. */
  rep: Representation;
  /** Activation of the Scalar parts of `rep` (default 'swish'). */
  activation?: ScalarActivation;
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
export class GatedNonlinearity extends NonlinearityLayer {
  static readonly className = 'GatedNonlinearity';
  private expand: tf.Tensor2D | undefined;
  private scalarMask: tf.Tensor1D | undefined;

  constructor(args: GatedNonlinearityArgs) {
    super('gatedNonlinearity', args);
  }

  protected spec() {
    const { rep, k, activation } = this;
    return { inputDim: rep.dim + k, expected: `be rep.dim + gates = ${rep.dim} + ${k} = ${rep.dim + k}`, outputDim: rep.dim, config: { rep, activation } };
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    this.checkInput(inputShape);
    const { scalarMask, indicator } = partMasks(this.rep);
    if (this.k > 0) this.expand = this.constant(tf.tensor2d(indicator, [this.k, this.rep.dim]));
    this.scalarMask = this.constant(tf.tensor1d(scalarMask));
    this.built = true;
  }

  protected compute(input: tf.Tensor2D): tf.Tensor2D {
    const n = this.rep.dim;
    const x = tf.slice(input, [0, 0], [-1, n]);
    const scalars = tf.mul(this.act(x), this.scalarMask!) as tf.Tensor2D;
    if (this.k === 0) return scalars;
    const gates = tf.sigmoid(tf.slice(input, [0, n], [-1, this.k]));
    return tf.add(scalars, tf.mul(x, tf.matMul(gates, this.expand!)));
  }
}
tf.serialization.registerClass(GatedNonlinearity);

/** Creates a {@link GatedNonlinearity}. */
export function gatedNonlinearity(args: GatedNonlinearityArgs): GatedNonlinearity {
  return new GatedNonlinearity(args);
}
