import { SerializationError, describe } from '../errors.js';
import { Group, customGroup } from '../groups/Group.js';
import { Matrix } from '../linalg/Matrix.js';
import { groupByName, parseRepresentation } from './parseRepresentation.js';
import { Representation, Scalar, representationStructure } from './Representation.js';
import { representationRuns } from './representationRuns.js';

/**
 * JSON form of a group: the name of a built-in group (`'SO(3)'`, `'O(3)'`, `'S(5)'`,
 * `'SO(1,3)'`, …) or, for a `customGroup`, its generators as nested arrays.
 */
export type GroupSpec = string | { name?: string; lieAlgebra: number[][][]; discreteGenerators: number[][][]; compact?: boolean };

/**
 * JSON form of a representation: its group (null when it is made of Scalars only) and an
 * expression in the grammar of `parseRepresentation`, e.g.
 * `{ group: 'SO(3)', rep: '64V⊕64Scalar' }` or `{ group: 'O(3)', rep: 'V⊗V⊕Scalar' }`.
 */
export interface RepSpec {
  group: GroupSpec | null;
  rep: string;
}

/**
 * Reads a {@link GroupSpec}.
 * @throws SerializationError for an unknown name or malformed generators
 * @example
 * groupFromSpec('SO(3)').lieAlgebra.length; // 3
 */
export function groupFromSpec(spec: GroupSpec): Group {
  if (typeof spec === 'string') {
    try {
      return groupByName(spec);
    } catch (e) {
      throw new SerializationError(`groupFromSpec: 'spec' ${(e as Error).message.replace(/^groupByName: 'name' /, '')}`);
    }
  }
  if (spec === null || typeof spec !== 'object' || !Array.isArray(spec.lieAlgebra) || !Array.isArray(spec.discreteGenerators)) {
    throw new SerializationError(`groupFromSpec: 'spec' must be a group name or {lieAlgebra, discreteGenerators}; received ${describe(spec)}`);
  }
  try {
    return customGroup({
      lieAlgebra: spec.lieAlgebra.map((m) => Matrix.from(m)),
      discreteGenerators: spec.discreteGenerators.map((m) => Matrix.from(m)),
      ...(spec.name !== undefined ? { name: spec.name } : {}),
      ...(spec.compact !== undefined ? { compact: spec.compact } : {}),
    });
  } catch (e) {
    throw new SerializationError(`groupFromSpec: 'spec' holds malformed generators: ${(e as Error).message}`);
  }
}

/**
 * Writes a group as a {@link GroupSpec}: built-in groups by name, custom groups by their
 * generators.
 * @throws SerializationError for groups that are neither (e.g. direct products)
 * @example
 * groupToSpec(SO(3)); // 'SO(3)'
 */
export function groupToSpec(group: Group): GroupSpec {
  if (!(group instanceof Group)) throw new SerializationError(`groupToSpec: 'group' must be a Group; received ${describe(group)}`);
  try {
    if (groupByName(group.key).key === group.key) return group.key;
  } catch {
    // not a built-in name: the custom form below, or an error
  }
  if (group.key.startsWith('custom(')) {
    return {
      name: group.name,
      lieAlgebra: group.lieAlgebra.map((m) => m.toArray()),
      discreteGenerators: group.discreteGenerators.map((m) => m.toArray()),
      compact: group.compact,
    };
  }
  throw new SerializationError(`groupToSpec: only built-in and custom groups can be serialized; received ${group.name}`);
}

function repExpr(rep: Representation, group: Group | undefined): string {
  if (rep === Scalar) return 'Scalar';
  const s = representationStructure(rep);
  if (s.kind === 'directSum') {
    return representationRuns(rep)
      .map(({ rep: part, count }) => {
        const e = repExpr(part, group);
        const atom = /[⊕⊗]/.test(e) ? `(${e})` : e;
        return count > 1 ? `${count}${atom}` : atom;
      })
      .join('⊕');
  }
  if (s.kind === 'tensorProduct') {
    return s.factors.map((f) => repExpr(f, group)).map((e) => (/⊕/.test(e) ? `(${e})` : e)).join('⊗');
  }
  if (group && rep.key === `V[${group.key}]`) return 'V';
  if (group && rep.key === `V[${group.key}]*`) return 'V*';
  throw new SerializationError(
    `repToSpec: only representations built from V, Scalar, directSum, tensorProduct, dual and pow can be serialized; received ${rep.key}`,
  );
}

/**
 * Writes a representation as a {@link RepSpec} (runs of equal parts as multiplicities).
 * @throws SerializationError for custom or lifted representations, or groups that cannot be serialized
 * @example
 * repToSpec(directSum(V(SO(3)), V(SO(3)), Scalar)); // { group: 'SO(3)', rep: '2V⊕Scalar' }
 */
export function repToSpec(rep: Representation): RepSpec {
  if (!(rep instanceof Representation)) throw new SerializationError(`repToSpec: 'rep' must be a Representation; received ${describe(rep)}`);
  const group = rep.group;
  return { group: group ? groupToSpec(group) : null, rep: repExpr(rep, group) };
}

/**
 * Reads a {@link RepSpec}.
 * @throws SerializationError for a malformed expression or group
 * @example
 * repFromSpec({ group: 'SO(3)', rep: 'V⊗V⊕Scalar' }).dim; // 10
 */
export function repFromSpec(spec: RepSpec): Representation {
  if (spec === null || typeof spec !== 'object' || typeof spec.rep !== 'string') {
    throw new SerializationError(`repFromSpec: 'spec' must be {group, rep: string}; received ${describe(spec)}`);
  }
  const group = spec.group === null || spec.group === undefined ? undefined : groupFromSpec(spec.group);
  try {
    return parseRepresentation(spec.rep, group);
  } catch (e) {
    throw new SerializationError((e as Error).message.replace(/^parseRepresentation: 'expr'/, "repFromSpec: 'spec.rep'"));
  }
}
