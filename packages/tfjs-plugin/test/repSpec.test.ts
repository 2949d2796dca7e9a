import { describe, expect, it } from 'vitest';
import { O, S, SO, SO13, Scalar, V, customGroup, customRepresentation, directSum, tensorProduct, Matrix } from '@liesym/core';
import { SerializationError, repFromSpec, repToSpec, groupFromSpec, groupToSpec } from '../src/index.js';

describe('representation specs', () => {
  const G = SO(3);
  const cases = [
    directSum(...Array.from({ length: 64 }, () => V(G)), ...Array.from({ length: 64 }, () => Scalar)),
    directSum(tensorProduct(V(O(3)), V(O(3)).dual()), Scalar),
    V(S(4)).pow(2),
    directSum(V(SO13()), Scalar, V(SO13())),
    tensorProduct(directSum(V(G), Scalar), V(G)),
    V(customGroup({ lieAlgebra: [[[0, -1], [1, 0]]], discreteGenerators: [[[1, 0], [0, -1]]], name: 'O2custom' })),
  ];
  it.each(cases.map((r) => [r.key.slice(0, 60), r] as const))('round-trips %s', (_, rep) => {
    const spec = repToSpec(rep);
    const back = repFromSpec(JSON.parse(JSON.stringify(spec)));
    expect(back.key).toBe(rep.key);
    expect(back.dim).toBe(rep.dim);
  });

  it('writes runs compactly and parses the short grammar', () => {
    expect(repToSpec(cases[0]!)).toEqual({ group: 'SO(3)', rep: '64V⊕64Scalar' });
    const r = repFromSpec({ group: 'O(3)', rep: '3V + 2Scalar ⊕ V⊗V*' });
    expect(r.dim).toBe(3 * 3 + 2 + 9);
    expect(repFromSpec({ group: 'SO(3)', rep: 'V^2' }).key).toBe(V(G).pow(2).key);
    expect(groupToSpec(groupFromSpec('SO(1,3)'))).toBe('SO(1,3)');
  });

  it('rejects malformed specs with a SerializationError', () => {
    expect(() => repFromSpec({ group: 'Foo(3)', rep: 'V' })).toThrow(SerializationError);
    expect(() => repFromSpec({ group: null, rep: 'V' })).toThrow(/needs a group/);
    expect(() => repFromSpec({ group: 'SO(3)', rep: '(V⊕Scalar' })).toThrow(/expected '\)'/);
    expect(() => repFromSpec({ group: 'SO(3)', rep: 'W' })).toThrow(SerializationError);
    const custom = customRepresentation({ group: G, dim: 3, drho: G.lieAlgebra as Matrix[] });
    expect(() => repToSpec(custom)).toThrow(SerializationError);
  });
});
