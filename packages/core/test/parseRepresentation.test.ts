import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, SO, SO13, groupByName, parseRepresentation } from '../src/index.js';

describe('groupByName', () => {
  it('reads built-in names with or without parentheses, and the Lorentz groups', () => {
    expect(groupByName('SO(3)').key).toBe('SO(3)');
    expect(groupByName('S5').key).toBe('S(5)');
    expect(groupByName('Scaling(2)').lieAlgebra.length).toBe(1);
    expect(groupByName('SO13').key).toBe(SO13().key);
    expect(groupByName('SO(13)').d).toBe(13);
    expect(groupByName('O(1,3)').discreteGenerators.length).toBe(2);
  });
  it('rejects unknown names with a typed error naming the function and argument', () => {
    expect(() => groupByName('SU(2)')).toThrow(InvalidArgumentError);
    expect(() => groupByName('SO(3')).toThrow(/groupByName: 'name'/);
  });
  it('refuses bare multi-digit sizes (SO31 could be SO(31) or SO(3,1)); SO(3,1) is the Lorentz group', () => {
    expect(() => groupByName('SO31')).toThrow(/write 'SO\(31\)' for SO\(31\), or 'SO\(1,3\)' for the Lorentz group/);
    expect(() => groupByName('S10')).toThrow(/write 'S\(10\)'/);
    expect(groupByName('S(10)').d).toBe(10);
    expect(groupByName('SO(3,1)').key).toBe(SO13().key);
    expect(groupByName('O(3,1)').key).toBe(groupByName('O13').key);
    expect(() => groupByName('SO(3)x')).toThrow(InvalidArgumentError);
  });
});

describe('parseRepresentation', () => {
  const G = SO(3);
  it('gives the dimensions and structure the expression says', () => {
    expect(parseRepresentation('64V⊕64Scalar', G).dim).toBe(256);
    expect(parseRepresentation('V⊗V+Scalar', G).dim).toBe(10);
    expect(parseRepresentation('(V⊕Scalar)^2', G).dim).toBe(16);
    expect(parseRepresentation('V*⊗V', G).key).toBe('V[SO(3)]*⊗V[SO(3)]');
    expect(parseRepresentation('Scalar').dim).toBe(1);
  });
  it('names the position of a malformed expression', () => {
    expect(() => parseRepresentation('V⊗', G)).toThrow(/parseRepresentation: 'expr' is malformed: .* at position 2/);
    expect(() => parseRepresentation('V', undefined)).toThrow(InvalidArgumentError);
    expect(() => parseRepresentation('0V', G)).toThrow(/multiplicity/);
  });
});
