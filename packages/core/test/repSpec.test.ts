import { describe, expect, it } from 'vitest';
import {
  Matrix,
  O,
  S,
  SO,
  SO13,
  Scalar,
  SerializationError,
  V,
  customGroup,
  customRepresentation,
  directProduct,
  directSum,
  gateCount,
  gateRep,
  groupFromSpec,
  groupToSpec,
  repFromSpec,
  normOutputRep,
  partCoordinates,
  repToSpec,
  representationRuns,
  tensorProduct,
} from '../src/index.js';

describe('representation specs (JSON)', () => {
  const G = SO(3);
  const cases = [
    directSum(...Array.from({ length: 64 }, () => V(G)), ...Array.from({ length: 64 }, () => Scalar)),
    directSum(tensorProduct(V(O(3)), V(O(3)).dual()), Scalar),
    V(S(4)).pow(2),
    directSum(V(SO13()), Scalar, V(SO13())),
    tensorProduct(directSum(V(G), Scalar), V(G)),
    V(customGroup({ lieAlgebra: [[[0, -1], [1, 0]]], discreteGenerators: [[[1, 0], [0, -1]]], name: 'O2custom' })),
  ];

  it.each(cases.map((r) => [r.key.slice(0, 60), r] as const))('round-trips %s through JSON with the same key and dim', (_, rep) => {
    const back = repFromSpec(JSON.parse(JSON.stringify(repToSpec(rep))));
    expect(back.key).toBe(rep.key);
    expect(back.dim).toBe(rep.dim);
  });

  it('writes runs as multiplicities and reads the short grammar', () => {
    expect(repToSpec(cases[0]!)).toEqual({ group: 'SO(3)', rep: '64V⊕64Scalar' });
    expect(repToSpec(cases[1]!)).toEqual({ group: 'O(3)', rep: '(V⊗V*)⊕Scalar' });
    expect(repFromSpec({ group: 'O(3)', rep: '3V + 2Scalar ⊕ V⊗V*' }).dim).toBe(3 * 3 + 2 + 9);
    expect(repFromSpec({ group: 'SO(3)', rep: 'V^2' }).key).toBe(V(G).pow(2).key);
    expect(repFromSpec({ group: null, rep: '2Scalar' }).dim).toBe(2);
    expect(groupToSpec(groupFromSpec('SO(1,3)'))).toBe('SO(1,3)');
    const custom = groupFromSpec({ name: 'rot2', lieAlgebra: [[[0, -1], [1, 0]]], discreteGenerators: [] });
    expect(groupToSpec(custom)).toEqual({ name: 'rot2', lieAlgebra: [[[0, -1], [1, 0]]], discreteGenerators: [], compact: custom.compact });
  });

  it('groups a direct sum into runs of equal parts with their offsets', () => {
    const runs = representationRuns(directSum(V(G), V(G), Scalar, V(G)));
    expect(runs.map((r) => [r.rep.key, r.count, r.offset])).toEqual([[V(G).key, 2, 0], ['Scalar', 1, 6], [V(G).key, 1, 7]]);
    expect(representationRuns(V(G).pow(2)).map((r) => [r.count, r.offset])).toEqual([[1, 0]]);
    expect(() => representationRuns({} as never)).toThrow(/representationRuns: 'rep' must be a Representation/);
  });

  it('places the parts of a representation for gated and norm nonlinearities', () => {
    const rep = directSum(V(G), Scalar, V(G), Scalar, Scalar);
    expect(partCoordinates(rep)).toEqual({ scalars: [3, 7, 8], parts: [{ offset: 0, dim: 3 }, { offset: 4, dim: 3 }] });
    expect(gateCount(rep)).toBe(2);
    expect(gateRep(rep).dim).toBe(9 + 2);
    expect(gateRep(directSum(Scalar, Scalar))).toEqual(directSum(Scalar, Scalar));
    expect([normOutputRep(rep).dim, normOutputRep(rep, { appendNorms: true }).dim]).toEqual([9, 11]);
    expect(partCoordinates(V(G).pow(2)).parts).toEqual([{ offset: 0, dim: 9 }]);
  });

  it('rejects what it cannot read or write with a SerializationError naming the function', () => {
    expect(() => repFromSpec({ group: 'Foo(3)', rep: 'V' })).toThrow(/groupFromSpec: 'spec' must name a built-in group/);
    expect(() => repFromSpec({ group: null, rep: 'V' })).toThrow(/needs a group/);
    expect(() => repFromSpec({ group: 'SO(3)', rep: '(V⊕Scalar' })).toThrow(/repFromSpec: 'spec.rep' is malformed: expected '\)'/);
    expect(() => repFromSpec({ group: 'SO(3)', rep: 'W' })).toThrow(SerializationError);
    expect(() => repFromSpec(null as never)).toThrow(SerializationError);
    expect(() => groupFromSpec({ lieAlgebra: [[[1, 2, 3]]], discreteGenerators: [] })).toThrow(SerializationError);
    expect(() => repToSpec(customRepresentation({ group: G, dim: 3, drho: G.lieAlgebra as Matrix[] }))).toThrow(SerializationError);
    expect(() => groupToSpec(directProduct(SO(2), SO(3)))).toThrow(/only built-in and custom groups/);
    expect(() => repToSpec('V' as never)).toThrow(SerializationError);
  });
});
