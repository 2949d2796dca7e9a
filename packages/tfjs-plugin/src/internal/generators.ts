import {
  Matrix,
  Representation,
  candidateGenerators,
  hom,
  type Candidate,
  type Group,
} from '@liesym/core';
import { InvalidArgumentError, InvalidRepresentationError } from '../errors.js';
import { orthonormalizer, type LayerGenerators } from './lieGram.js';
import { toSparse } from './sparse.js';

/** Generators of one layer plus the change of basis T that makes them orthonormal. */
export interface PreparedGenerators {
  gens: LayerGenerators;
  t: Matrix;
}

/** The Frobenius Gram matrix of a group's Lie-algebra basis in its defining representation. */
export function algebraGram(group: Group): Matrix {
  const q = group.lieAlgebra.length;
  const g = new Matrix(q, q);
  for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) g.data[i * q + j] = group.lieAlgebra[i]!.dot(group.lieAlgebra[j]!);
  return g;
}

/**
 * The pairs (dρ_in(ξ_j), dρ_out(ξ_j)) of the group's Lie-algebra basis, with T orthonormalizing
 * ξ_j in the defining representation (so every layer of a model shares one generator basis).
 */
export function repGenerators(fn: string, repIn: Representation, repOut: Representation, group?: Group): PreparedGenerators {
  if (!(repIn instanceof Representation) || !(repOut instanceof Representation)) {
    throw new InvalidArgumentError(`${fn}: 'repIn' and 'repOut' must be Representations; received ${String(repIn)} and ${String(repOut)}`);
  }
  hom(repIn, repOut);
  const g = group ?? repIn.group ?? repOut.group;
  if (!g) throw new InvalidRepresentationError(`${fn}: the representations must belong to a group; received ${repIn.key} and ${repOut.key}`);
  for (const [name, r] of [
    ['repIn', repIn],
    ['repOut', repOut],
  ] as const) {
    if (r.group && r.group.key !== g.key) {
      throw new InvalidRepresentationError(`${fn}: '${name}' must be a representation of ${g.name}; received one of ${r.group.name}`);
    }
  }
  const q = g.lieAlgebra.length;
  if (q === 0) {
    throw new InvalidArgumentError(
      `${fn}: ${g.name} has no continuous generators, so the Lie derivative sees no symmetry; enforce a discrete group with equivariantDense instead`,
    );
  }
  const pairs = Array.from({ length: q }, (_, j) => {
    const a = repIn.group ? repIn.drho(j).toDense() : new Matrix(repIn.dim, repIn.dim);
    const b = repOut.group ? repOut.drho(j).toDense() : new Matrix(repOut.dim, repOut.dim);
    return [toSparse(a), toSparse(b)] as const;
  });
  return { gens: { m: repOut.dim, n: repIn.dim, pairs }, t: orthonormalizer(algebraGram(g)) };
}

/** A candidate algebra ('gl-input', …, or pairs) for an n → m layer, orthonormal already. */
export function candidateLayerGenerators(fn: string, candidate: Candidate, n: number, m: number): PreparedGenerators {
  const pairs = candidateGenerators(candidate, n, m, fn).map(([a, b]) => [toSparse(a), toSparse(b)] as const);
  return { gens: { m, n, pairs }, t: Matrix.identity(pairs.length) };
}
