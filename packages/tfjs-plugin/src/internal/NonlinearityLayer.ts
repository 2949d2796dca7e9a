import type * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, Representation, describe, gateCount } from '@liesym/core';
import { activationFn, type ScalarActivation } from './activations.js';
import { EquivariantLayer, type LayerArgs } from './EquivariantLayer.js';

/** The arguments both nonlinearities take: the representation and the activation of its Scalar parts. */
export interface NonlinearityArgs extends LayerArgs {
  rep: Representation;
  activation?: ScalarActivation;
}

/**
 * What the gated and the norm nonlinearity share: the representation `rep` they act on
 * (validated, naming the factory `fn`), the activation of its Scalar parts (default 'swish')
 * and k, the number of its non-scalar parts; the subclass adds its mathematics.
 */
export abstract class NonlinearityLayer extends EquivariantLayer {
  static override readonly repKeys = ['rep'];
  readonly rep: Representation;
  readonly activation: ScalarActivation;
  protected readonly act: (x: tf.Tensor) => tf.Tensor;
  protected readonly k: number;

  constructor(fn: string, args: NonlinearityArgs) {
    super(args);
    if (!(args?.rep instanceof Representation)) {
      throw new InvalidArgumentError(`${fn}: 'rep' must be a Representation; received ${describe(args?.rep)}`);
    }
    this.rep = args.rep;
    this.activation = args.activation ?? 'swish';
    this.act = activationFn(fn, this.activation);
    this.k = gateCount(this.rep);
  }
}
