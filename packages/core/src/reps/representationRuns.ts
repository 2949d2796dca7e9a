import { InvalidArgumentError, describe } from '../errors.js';
import { Representation, representationStructure } from './Representation.js';

/** A run of consecutive equal parts of a direct sum: `count` copies of `rep` from coordinate `offset` on. */
export interface RepresentationRun {
  readonly rep: Representation;
  readonly count: number;
  readonly offset: number;
}

/**
 * The parts of a representation grouped into runs of equal keys (a representation that is not
 * a direct sum is one run of one): 64V ⊕ 64Scalar is two runs. Block-structured solvers and
 * layers use it to solve one small problem per distinct pair of runs.
 * @throws InvalidArgumentError when `rep` is not a Representation
 * @example
 * representationRuns(directSum(V(SO(3)), V(SO(3)), Scalar)).map((r) => [r.count, r.offset]); // [[2, 0], [1, 6]]
 */
export function representationRuns(rep: Representation): RepresentationRun[] {
  if (!(rep instanceof Representation)) throw new InvalidArgumentError(`representationRuns: 'rep' must be a Representation; received ${describe(rep)}`);
  const s = representationStructure(rep);
  const parts = s.kind === 'directSum' ? s.parts : [rep];
  const runs: RepresentationRun[] = [];
  let offset = 0;
  for (let i = 0; i < parts.length; ) {
    let j = i + 1;
    while (j < parts.length && parts[j]!.key === parts[i]!.key) j++;
    runs.push({ rep: parts[i]!, count: j - i, offset });
    offset += (j - i) * parts[i]!.dim;
    i = j;
  }
  return runs;
}
