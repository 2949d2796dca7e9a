import { InvalidArgumentError, describe } from '../errors.js';
import { Representation, Scalar, directSum } from './Representation.js';
import { representationRuns } from './representationRuns.js';

/**
 * Where the parts of a representation sit: the coordinates of its Scalar parts, and the offset
 * and size of every other part (a direct sum's parts; anything else is one part). Equivariant
 * nonlinearities act on Scalar coordinates pointwise and on the other parts as wholes
 * (gates, norms).
 * @throws InvalidArgumentError when `rep` is not a Representation
 * @example
 * partCoordinates(directSum(V(SO(3)), Scalar)); // { scalars: [3], parts: [{ offset: 0, dim: 3 }] }
 */
export function partCoordinates(rep: Representation): { scalars: number[]; parts: Array<{ offset: number; dim: number }> } {
  if (!(rep instanceof Representation)) throw new InvalidArgumentError(`partCoordinates: 'rep' must be a Representation; received ${describe(rep)}`);
  const scalars: number[] = [];
  const parts: Array<{ offset: number; dim: number }> = [];
  for (const { rep: p, count, offset } of representationRuns(rep)) {
    for (let c = 0; c < count; c++) {
      if (p === Scalar || p.key === 'Scalar') scalars.push(offset + c);
      else parts.push({ offset: offset + c * p.dim, dim: p.dim });
    }
  }
  return { scalars, parts };
}

/** The number of gates of `rep`: one per part that is not a Scalar. */
export function gateCount(rep: Representation): number {
  return partCoordinates(rep).parts.length;
}

/**
 * The input representation of a gated nonlinearity: rep ⊕ k·Scalar, one invariant gate per
 * non-scalar part of `rep` (each part is multiplied by a function of its gate, an invariant).
 * @example
 * gateRep(directSum(V(SO(3)), V(SO(3)), Scalar)).dim; // 7 + 2
 */
export function gateRep(rep: Representation): Representation {
  const k = gateCount(rep);
  return k === 0 ? rep : directSum(rep, ...Array.from({ length: k }, () => Scalar));
}

/**
 * The output representation of a norm nonlinearity: rep, plus one Scalar (the invariant ‖x_p‖)
 * per non-scalar part when `options.appendNorms` (default false).
 * @example
 * normOutputRep(directSum(V(SO(3)), Scalar), { appendNorms: true }).dim; // 5
 */
export function normOutputRep(rep: Representation, options: { appendNorms?: boolean } = {}): Representation {
  const k = options.appendNorms ? gateCount(rep) : 0;
  return k === 0 ? rep : directSum(rep, ...Array.from({ length: k }, () => Scalar));
}
