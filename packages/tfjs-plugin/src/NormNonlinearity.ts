import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, InvalidRepresentationError, describe, normOutputRep as coreNormOutputRep, type Representation } from '@liesym/core';
import type { ScalarActivation } from './internal/activations.js';
import { partMasks } from './internal/blocks.js';
import { NonlinearityLayer, type NonlinearityArgs } from './internal/NonlinearityLayer.js';

/** Options of {@link normNonlinearity}. */
export interface NormNonlinearityArgs extends NonlinearityArgs {
  /** Representation of the input; every non-scalar part must be orthogonal (a compact group). */
  rep: Representation;
  /** Activation of the Scalar parts (default 'swish'). */
  activation?: ScalarActivation;
  /** Append the norms ‖x_p‖ (‖x_p‖² with `squared`) of the non-scalar parts as invariant Scalar channels (default false). */
  appendNorms?: boolean;
  /**
   * Use the squared norms ‖x_p‖² in place of ‖x_p‖, in the factor σ(‖x_p‖² + b_p) and in the
   * appended channels (default false). ‖x_p‖² is a polynomial invariant, smooth where a part
   * vanishes; ‖x_p‖ has a cone there, which a network must then fit around when its data sit
   * near x_p = 0 (a field near an equilibrium, say).
   */
  squared?: boolean;
}

/**
 * Core's `normOutputRep`: rep, plus one Scalar per non-scalar part when norms are appended.
 * The bare boolean form is deprecated and will be removed in the next minor version.
 */
export function normOutputRep(rep: Representation, options: { appendNorms?: boolean } | boolean = {}): Representation {
  return coreNormOutputRep(rep, typeof options === 'boolean' ? { appendNorms: options } : (options ?? {}));
}

const EPS = 1e-8;

/**
 * The norm nonlinearity: each non-scalar part is rescaled by a function of its norm,
 * y_p = x_p·σ(‖x_p‖ + b_p) with a trainable invariant bias b_p, and Scalar parts go through
 * `activation`. With `appendNorms` the norms ‖x_p‖ are appended as invariant features,
 * which is how an equivariant network builds invariants out of vectors. With `squared`,
 * ‖x_p‖² takes the place of ‖x_p‖ in both (smooth at x_p = 0). Equivariant when
 * ρ is orthogonal on each part (‖ρ(g)x_p‖ = ‖x_p‖), so the group must be compact.
 * (‖x_p‖ is computed as √(‖x_p‖² + 10⁻⁸) to keep the gradient finite at 0.)
 *
 * Shapes: [..., rep.dim] → [..., rep.dim (+ number of non-scalar parts)].
 * @throws InvalidRepresentationError for a non-compact group; InvalidArgumentError for a non-boolean `squared`; ShapeMismatchError at build
 */
export class NormNonlinearity extends NonlinearityLayer {
  static readonly className = 'NormNonlinearity';
  readonly appendNorms: boolean;
  readonly squared: boolean;
  private indicator: tf.Tensor2D | undefined;
  private indicatorT: tf.Tensor2D | undefined;
  private scalarMask: tf.Tensor1D | undefined;
  private normBias: tf.LayerVariable | undefined;

  constructor(args: NormNonlinearityArgs) {
    super('normNonlinearity', args);
    if (this.rep.group && !this.rep.group.compact) {
      throw new InvalidRepresentationError(
        `normNonlinearity: norms are invariant only under orthogonal representations, so 'rep' must be of a compact group; received ${this.rep.group.name}`,
      );
    }
    this.appendNorms = args.appendNorms ?? false;
    if (args.squared !== undefined && typeof args.squared !== 'boolean') {
      throw new InvalidArgumentError(`normNonlinearity: 'squared' must be a boolean; received ${describe(args.squared)}`);
    }
    this.squared = args.squared ?? false;
  }

  protected spec() {
    const { rep, activation, appendNorms, squared } = this;
    return { inputDim: rep.dim, expected: `equal rep.dim = ${rep.dim}`, outputDim: normOutputRep(rep, { appendNorms }).dim, config: { rep, activation, appendNorms, squared } };
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    this.checkInput(inputShape);
    const { scalarMask, indicator } = partMasks(this.rep);
    if (this.k > 0) {
      this.indicatorT = this.constant(tf.tensor2d(indicator, [this.k, this.rep.dim]));
      this.indicator = this.constant(tf.transpose(this.indicatorT));
      this.normBias = this.addWeight('norm_bias', [this.k], 'float32', tf.initializers.zeros());
    }
    this.scalarMask = this.constant(tf.tensor1d(scalarMask));
    this.built = true;
  }

  protected compute(x: tf.Tensor2D): tf.Tensor2D {
    const scalars = tf.mul(this.act(x), this.scalarMask!) as tf.Tensor2D;
    if (this.k === 0) return scalars;
    const squares = tf.matMul(tf.square(x), this.indicator!);
    const norms = this.squared ? squares : tf.sqrt(tf.add(squares, EPS));
    const factor = tf.sigmoid(tf.add(norms, this.normBias!.read()));
    const y = tf.add(scalars, tf.mul(x, tf.matMul(factor, this.indicatorT!))) as tf.Tensor2D;
    return this.appendNorms ? tf.concat([y, norms as tf.Tensor2D], 1) : y;
  }
}
tf.serialization.registerClass(NormNonlinearity);

/** Creates a {@link NormNonlinearity}. */
export function normNonlinearity(args: NormNonlinearityArgs): NormNonlinearity {
  return new NormNonlinearity(args);
}
