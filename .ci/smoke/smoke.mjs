// Loads the installed @liesym/core through `import` and computes one basis.
import { SO, V, equivariantBasis } from '@liesym/core';

const r = equivariantBasis(V(SO(3)), V(SO(3)));
if (r.rank !== 1) {
  console.error(`smoke (import): equivariantBasis(V(SO(3)), V(SO(3))).rank is ${r.rank}, expected 1`);
  process.exit(1);
}
console.log('smoke (import): equivariantBasis(V(SO(3)), V(SO(3))).rank = 1');
