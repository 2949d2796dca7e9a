import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, Representation, describe, gateRep } from '@liesym/core';
import { EquivariantDense, type EquivariantInitializer } from './EquivariantDense.js';
import { GatedNonlinearity } from './GatedNonlinearity.js';
import { NormNonlinearity, normOutputRep } from './NormNonlinearity.js';
import type { ScalarActivation } from './internal/activations.js';

/** Options of {@link equivariantMLP}. */
export interface EquivariantMLPOptions {
  repIn: Representation;
  repOut: Representation;
  /** Representation of each hidden layer, e.g. directSum of 8 V and 8 Scalar. */
  hidden: Representation;
  /** Number of hidden blocks (default 2). */
  depth?: number;
  /** Activation of the scalar channels (default 'swish'). */
  activation?: ScalarActivation;
  /**
   * After each gated nonlinearity, append the norms of the non-scalar parts as invariant
   * channels (default: true when the group is compact). Without them a network from vectors
   * to scalars can only output constants, since Hom_G(V, Scalar) = 0.
   */
  norms?: boolean;
  /**
   * The norm layers use the squared norms ‖x_p‖² (factor and appended channels; see
   * `normNonlinearity`'s `squared`) in place of ‖x_p‖: smooth invariants, for fields whose
   * vector parts are small on the data (default false). Needs the norm layers (`norms` not false).
   */
  squaredNorms?: boolean;
  /** Initializer of the equivariant layers (default 'glorotNormal'). */
  kernelInitializer?: EquivariantInitializer;
  /** Seed for the initializers (default: unseeded). */
  seed?: number;
}

/**
 * An MLP equivariant end to end: `depth` blocks of
 * equivariantDense(prev → hidden ⊕ gates) → gatedNonlinearity(hidden) [→ norms (or squared norms)], then
 * equivariantDense(→ repOut). Returns a tf.Sequential of input size repIn.dim.
 * @throws InvalidArgumentError for depth < 1, a non-boolean `squaredNorms`, or `squaredNorms` with `norms: false`; InvalidRepresentationError for mixed groups
 * @example
 * const G = O(3);
 * const model = equivariantMLP({ repIn: directSum(V(G), V(G)), repOut: Scalar, hidden: directSum(...Array(8).fill(V(G)), ...Array(8).fill(Scalar)) });
 */
export function equivariantMLP(options: EquivariantMLPOptions): tf.Sequential {
  const fn = 'equivariantMLP';
  const { repIn, repOut, hidden } = options;
  for (const [k, v] of Object.entries({ repIn, repOut, hidden })) {
    if (!(v instanceof Representation)) throw new InvalidArgumentError(`${fn}: '${k}' must be a Representation; received ${describe(v)}`);
  }
  const depth = options.depth ?? 2;
  if (!Number.isInteger(depth) || depth < 1) throw new InvalidArgumentError(`${fn}: 'depth' must be an integer ≥ 1; received ${describe(depth)}`);
  const group = repIn.group ?? hidden.group ?? repOut.group;
  const norms = options.norms ?? (group?.compact ?? true);
  const squared = options.squaredNorms === undefined ? false : options.squaredNorms;
  if (typeof squared !== 'boolean') throw new InvalidArgumentError(`${fn}: 'squaredNorms' must be a boolean; received ${describe(squared)}`);
  if (squared && !norms) throw new InvalidArgumentError(`${fn}: 'squaredNorms' needs the norm layers, but 'norms' is false${options.norms === undefined ? ' (the default for a non-compact group)' : ''}; received squaredNorms: true`);
  const activation = options.activation ?? 'swish';
  const init = options.kernelInitializer ?? 'glorotNormal';
  const seed = options.seed;
  const dense = (l: number, a: Representation, b: Representation): EquivariantDense =>
    new EquivariantDense({ repIn: a, repOut: b, kernelInitializer: init, ...(seed !== undefined ? { seed: seed + 100 * l } : {}), ...(l === 0 ? { inputShape: [repIn.dim] } : {}) });
  const layers: tf.layers.Layer[] = [];
  let prev = repIn;
  for (let l = 0; l < depth; l++) {
    layers.push(dense(l, prev, gateRep(hidden)), new GatedNonlinearity({ rep: hidden, activation }));
    prev = hidden;
    if (norms) {
      layers.push(new NormNonlinearity({ rep: hidden, activation: 'linear', appendNorms: true, squared }));
      prev = normOutputRep(hidden, { appendNorms: true });
    }
  }
  layers.push(dense(depth, prev, repOut));
  return tf.sequential({ layers });
}
