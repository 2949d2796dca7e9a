import { A, Matrix, S, SO, SO13, Sp, V, customGroup, directProduct, hom, liftRep, tensorProduct, type Representation } from '@liesym/core';

/** One row of the enforce benchmark: an invariant-basis problem. */
export interface EnforceProblem {
  id: string;
  label: string;
  make: () => Representation;
}

function pointCloudHom(n: number): Representation {
  const G = directProduct(SO(3), S(n));
  const a = tensorProduct(liftRep(V(SO(3)), G), liftRep(V(S(n)), G));
  return hom(a, a);
}

/** The rows the issue asks for, in table order. */
export const PROBLEMS: readonly EnforceProblem[] = [
  ...[4, 5, 6, 7, 8, 9].map((k) => ({ id: `so3-v${k}`, label: `SO(3) on V^⊗${k}`, make: () => V(SO(3)).pow(k) })),
  { id: 'so13-v4', label: 'SO(1,3) on V^⊗4', make: () => V(SO13()).pow(4) },
  { id: 's100-vv', label: 'S(100) on V⊗V', make: () => V(S(100)).pow(2) },
  { id: 'a100-vv', label: 'A(100) on V⊗V', make: () => V(A(100)).pow(2) },
  { id: 's400-vv', label: 'S(400) on V⊗V', make: () => V(S(400)).pow(2) },
  { id: 'a400-vv', label: 'A(400) on V⊗V', make: () => V(A(400)).pow(2) },
  { id: 'so3xs10-hom', label: 'SO(3)×S(10) on Hom(V⊗P₁₀, V⊗P₁₀)', make: () => pointCloudHom(10) },
  { id: 'sp2-v4', label: 'Sp(2) on V^⊗4', make: () => V(Sp(2)).pow(4) },
  // No structure applies (a non-normal generator, no discrete part) and 8192 > 4096 unknowns: the iterative solver.
  {
    id: 'upper-v13',
    label: 'custom [[2,½],[0,1]] on V^⊗13 (iterative)',
    make: () => V(customGroup({ lieAlgebra: [Matrix.from([[2, 0.5], [0, 1]])], name: 'upper' })).pow(13),
  },
];
