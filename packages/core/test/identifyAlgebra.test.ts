import { describe, expect, it } from 'vitest';
import { Matrix, SO, SO13, Sp, identifyMatrixAlgebra, identifyPairs } from '../src/index.js';

describe('identifyMatrixAlgebra / identifyPairs', () => {
  it('names so(3), so(1,3) and scalings, in any basis of the algebra', () => {
    const mix = (ms: readonly Matrix[]) => ms.map((m, i) => ms.reduce((acc, x, j) => acc.add(x.scale(((i + 2) * (j + 1)) % 5 + 0.5)), m.scale(0)));
    expect(identifyMatrixAlgebra(mix(SO(3).lieAlgebra))).toBe('so(3)');
    expect(identifyMatrixAlgebra(mix(SO13().lieAlgebra))).toBe('so(1,3)');
    expect(identifyMatrixAlgebra([Matrix.identity(4).scale(-2)])).toBe('scaling');
  });

  it('returns null for algebras it does not know: sp(1) = sl(2), a proper subalgebra of so(3)', () => {
    expect(identifyMatrixAlgebra(Sp(1).lieAlgebra)).toBeNull();
    expect(identifyMatrixAlgebra(SO(3).lieAlgebra.slice(0, 2))).toBeNull();
  });

  it('reads pairs: input-only, lifted, output-only', () => {
    const zero1 = Matrix.zeros(1, 1);
    expect(identifyPairs(SO(3).lieAlgebra.map((a) => [a, zero1] as const))).toBe('so(3)');
    expect(identifyPairs(SO(2).lieAlgebra.map((a) => [a, a] as const))).toBe('so(2) (lifted to the output)');
    expect(identifyPairs([[Matrix.zeros(2, 2), Matrix.identity(3)] as const])).toBe('scaling (on the output)');
  });
});
