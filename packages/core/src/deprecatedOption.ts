import { InvalidArgumentError, describe } from './errors.js';

/**
 * The value of an option that was renamed: the new name wins, the old one is read for one
 * minor version (its TSDoc says `@deprecated`), and the two must not disagree.
 * @throws InvalidArgumentError when both are given with different values
 * @example
 * deprecatedOption('fitSymmetric', options, { name: 'weight', alias: 'gamma' }); // options.weight ?? options.gamma
 */
export function deprecatedOption<T>(fn: string, options: object, names: { name: string; alias: string }): T | undefined {
  const o = options as Record<string, unknown>;
  const value = o[names.name] as T | undefined;
  const old = o[names.alias] as T | undefined;
  if (value !== undefined && old !== undefined && value !== old) {
    throw new InvalidArgumentError(`${fn}: '${names.name}' and its deprecated alias '${names.alias}' disagree; received ${describe(value)} and ${describe(old)}`);
  }
  return value ?? old;
}
