import { Group, Matrix, Representation, Scalar, customGroup, groupByName, parseRepresentation } from '@liesym/core';
import { SerializationError } from './errors.js';

/**
 * JSON form of a group: the name of a built-in group (`'SO(3)'`, `'O(3)'`, `'S(5)'`,
 * `'SO(1,3)'`, …) or, for a {@link customGroup}, its generators as nested arrays.
 */
export type GroupSpec =
  | string
  | { name?: string; lieAlgebra: number[][][]; discreteGenerators: number[][][]; compact?: boolean };

/**
 * JSON form of a representation: its group (null when it is made of Scalars only) and a
 * short expression over `V` (the defining representation), `Scalar`, `⊕` (or `+`), `⊗`,
 * the dual `*`, tensor powers `^k`, a multiplicity prefix `k` and parentheses, e.g.
 * `{ group: 'SO(3)', rep: '64V⊕64Scalar' }` or `{ group: 'O(3)', rep: 'V⊗V⊕Scalar' }`.
 */
export interface RepSpec {
  group: GroupSpec | null;
  rep: string;
}

/**
 * Reads a {@link GroupSpec}.
 * @throws SerializationError for an unknown name or malformed generators
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
    throw new SerializationError(`groupFromSpec: 'spec' must be a group name or {lieAlgebra, discreteGenerators}; received ${JSON.stringify(spec)}`);
  }
  return customGroup({
    lieAlgebra: spec.lieAlgebra.map((m) => Matrix.from(m)),
    discreteGenerators: spec.discreteGenerators.map((m) => Matrix.from(m)),
    ...(spec.name !== undefined ? { name: spec.name } : {}),
    ...(spec.compact !== undefined ? { compact: spec.compact } : {}),
  });
}

/**
 * Writes a group as a {@link GroupSpec}: built-in groups by name, custom groups by their
 * generators.
 * @throws SerializationError for groups that are neither (e.g. direct products)
 */
export function groupToSpec(group: Group): GroupSpec {
  try {
    if (groupFromSpec(group.key).key === group.key) return group.key;
  } catch {
    // not a built-in name: fall through to the custom form
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

interface Parts {
  parts?: readonly Representation[];
  factors?: readonly Representation[];
}

function repExpr(rep: Representation, group: Group | undefined, fn: string): string {
  if (rep === Scalar) return 'Scalar';
  const r = rep as Representation & Parts;
  if (Array.isArray(r.parts)) {
    const out: string[] = [];
    const parts = r.parts;
    for (let i = 0; i < parts.length; ) {
      let j = i + 1;
      while (j < parts.length && parts[j]!.key === parts[i]!.key) j++;
      const e = repExpr(parts[i]!, group, fn);
      const atom = /[⊕⊗]/.test(e) ? `(${e})` : e;
      out.push(j - i > 1 ? `${j - i}${atom}` : atom);
      i = j;
    }
    return out.join('⊕');
  }
  if (Array.isArray(r.factors)) {
    return r.factors
      .map((f) => {
        const e = repExpr(f, group, fn);
        return /⊕/.test(e) ? `(${e})` : e;
      })
      .join('⊗');
  }
  if (group && (rep.key === `V[${group.key}]` || rep.key === `V[${group.key}]*`)) return rep.key.endsWith('*') ? 'V*' : 'V';
  throw new SerializationError(
    `${fn}: only representations built from V, Scalar, directSum, tensorProduct, dual and pow can be serialized; received ${rep.key}`,
  );
}

/**
 * Writes a representation as a {@link RepSpec}.
 * @throws SerializationError for custom or lifted representations, or groups that cannot be serialized
 * @example
 * repToSpec(directSum(V(SO(3)), V(SO(3)), Scalar)); // { group: 'SO(3)', rep: '2V⊕Scalar' }
 */
export function repToSpec(rep: Representation): RepSpec {
  if (!(rep instanceof Representation)) {
    throw new SerializationError(`repToSpec: 'rep' must be a Representation; received ${String(rep)}`);
  }
  const group = rep.group;
  return { group: group ? groupToSpec(group) : null, rep: repExpr(rep, group, 'repToSpec') };
}

/**
 * Reads a {@link RepSpec} (or an expression and a group).
 * @throws SerializationError for a malformed expression or group
 * @example
 * repFromSpec({ group: 'SO(3)', rep: 'V⊗V⊕Scalar' }).dim; // 10
 */
export function repFromSpec(spec: RepSpec): Representation {
  if (spec === null || typeof spec !== 'object' || typeof spec.rep !== 'string') {
    throw new SerializationError(`repFromSpec: 'spec' must be {group, rep: string}; received ${JSON.stringify(spec)}`);
  }
  const group = spec.group === null || spec.group === undefined ? undefined : groupFromSpec(spec.group);
  try {
    return parseRepresentation(spec.rep, group);
  } catch (e) {
    throw new SerializationError((e as Error).message.replace(/^parseRepresentation: 'expr'/, "repFromSpec: 'spec.rep'"));
  }
}

/** A value in a tfjs layer config that survives tfjs's camelCase ↔ snake_case conversion. */
export type ConfigValue = { name: string };

/**
 * A JSON value for tfjs layer configs. tfjs converts config strings between camelCase and
 * snake_case on save and load, except strings under a `name` key, so the spec travels as
 * `{ name: JSON.stringify(spec) }`.
 */
export function toConfigValue(value: unknown): ConfigValue {
  return { name: JSON.stringify(value) };
}

/** Reads a value written by {@link toConfigValue}. */
export function fromConfigValue(value: unknown, fn: string, arg: string): unknown {
  const name = (value as { name?: unknown } | null)?.name;
  if (typeof name !== 'string') {
    throw new SerializationError(`${fn}: config '${arg}' must be {name: <JSON>}; received ${JSON.stringify(value)}`);
  }
  try {
    return JSON.parse(name) as unknown;
  } catch {
    throw new SerializationError(`${fn}: config '${arg}' holds malformed JSON; received ${JSON.stringify(name)}`);
  }
}

/** A representation as a tfjs config value (see {@link toConfigValue}). */
export function repToConfig(rep: Representation): ConfigValue {
  return toConfigValue(repToSpec(rep));
}

/** Reads a representation from a tfjs config value. */
export function repFromConfig(value: unknown, fn: string, arg: string): Representation {
  return repFromSpec(fromConfigValue(value, fn, arg) as RepSpec);
}
