/** Demo part 2: enforce symmetry — dimensions of equivariant bases. */
import { A, O, S, SO, SO13, Sp, V, equivariantBasis, invariantBasis, type BasisResult } from '@liesym/core';
import { sci, seconds, table, type PartResult } from './format.js';

export function enforceBases(): PartResult {
  const so3 = V(SO(3));
  const cases: Array<[string, () => BasisResult]> = [
    ['Hom_SO(3)(V, V)', () => equivariantBasis(so3, so3)],
    ['Hom_SO(3)(V⊗V, V⊗V)', () => equivariantBasis(so3.pow(2), so3.pow(2))],
    ['SO(3) invariants of V^⊗4', () => invariantBasis(so3.pow(4))],
    ['SO(3) invariants of V^⊗6', () => invariantBasis(so3.pow(6))],
    ['O(3) invariants of V^⊗3', () => invariantBasis(V(O(3)).pow(3))],
    ['Hom_SO(2)(V, V)', () => equivariantBasis(V(SO(2)), V(SO(2)))],
    ['Hom_O(2)(V, V)', () => equivariantBasis(V(O(2)), V(O(2)))],
    ['SO(1,3) invariants of V⊗V', () => invariantBasis(V(SO13()).pow(2))],
    ['Sp(2) invariants of V⊗V', () => invariantBasis(V(Sp(2)).pow(2))],
    ['S(4) invariants of V^⊗3', () => invariantBasis(V(S(4)).pow(3))],
    ['A(4) invariants of V^⊗3', () => invariantBasis(V(A(4)).pow(3))],
  ];
  const headers = ['space', 'unknowns', 'basis dim', 'method', 'gap', 'time'];
  const rows = cases.map(([name, run]) => {
    const t = performance.now();
    const r = run();
    return [name, String(r.basis.rows), String(r.dimension), r.method, sci(r.gap), seconds(performance.now() - t)];
  });
  return {
    stdout: [
      '2. Enforce: the linear maps (or tensors) that have a symmetry, as an orthonormal basis',
      '   of the nullspace of the stacked constraints dρ(ξᵢ), ρ(hⱼ) − I.',
      '',
      table(headers, rows),
    ].join('\n'),
    section: {
      heading: '2. Enforce: equivariant bases',
      text: ['The number of free parameters of a linear layer (or tensor) that has the symmetry: the dimension of the nullspace of the stacked Lie-derivative constraints.'],
      tables: [{ headers, rows }],
    },
  };
}
