import { describe, expect, it } from 'vitest';
import * as core from '@liesym/core';
import { SO, Scalar, V, directSum } from '@liesym/core';
import { SerializationError, UnsupportedModelError, groupFromSpec, groupToSpec, repFromSpec, repToSpec } from '../src/index.js';
import { fromConfigValue, repFromConfig, repToConfig, toConfigValue } from '../src/repSpec.js';

describe('representation specs in tfjs configs', () => {
  it("re-exports core's spec functions and errors (the same objects), for compatibility", () => {
    expect([repToSpec, repFromSpec, groupToSpec, groupFromSpec]).toEqual([core.repToSpec, core.repFromSpec, core.groupToSpec, core.groupFromSpec]);
    expect(SerializationError).toBe(core.SerializationError);
    expect(UnsupportedModelError).toBe(core.UnsupportedModelError);
  });

  it('a representation survives the config value, including the JSON tfjs writes', () => {
    const rep = directSum(...Array.from({ length: 64 }, () => V(SO(3))), Scalar);
    const value = repToConfig(rep);
    expect(value).toEqual({ name: JSON.stringify({ group: 'SO(3)', rep: '64V⊕Scalar' }) });
    const back = repFromConfig(JSON.parse(JSON.stringify(value)), 'test', 'rep');
    expect([back.key, back.dim]).toEqual([rep.key, 64 * 3 + 1]);
    expect(fromConfigValue(toConfigValue([[1, 2]]), 'test', 'x')).toEqual([[1, 2]]);
  });

  it('rejects malformed config values with a SerializationError naming the function and key', () => {
    expect(() => fromConfigValue('SO(3)', 'Layer.fromConfig', 'repIn')).toThrow(/Layer\.fromConfig: config 'repIn' must be \{name: <JSON>\}/);
    expect(() => fromConfigValue({ name: '{oops' }, 'Layer.fromConfig', 'repIn')).toThrow(SerializationError);
    expect(() => repFromConfig(toConfigValue({ group: 'Foo(3)', rep: 'V' }), 'f', 'rep')).toThrow(SerializationError);
  });
});
