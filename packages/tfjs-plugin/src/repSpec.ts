import { SerializationError, repFromSpec, repToSpec, type RepSpec, type Representation } from '@liesym/core';

// The JSON specs of groups and representations are core's; re-exported for compatibility.
export { groupToSpec, groupFromSpec, repToSpec, repFromSpec, type GroupSpec, type RepSpec } from '@liesym/core';

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

/**
 * Reads a value written by {@link toConfigValue}.
 * @throws SerializationError for anything else, naming `fn` and the config key `arg`
 */
export function fromConfigValue(value: unknown, fn: string, arg: string): unknown {
  const name = (value as { name?: unknown } | null)?.name;
  if (typeof name !== 'string') throw new SerializationError(`${fn}: config '${arg}' must be {name: <JSON>}; received ${JSON.stringify(value)}`);
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
