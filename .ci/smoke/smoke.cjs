// Loads the installed @liesym/core through `require` (require(esm), Node >= 20.19).
const { SO, V, equivariantBasis } = require('@liesym/core');

const r = equivariantBasis(V(SO(3)), V(SO(3)));
if (r.rank !== 1) {
  console.error(`smoke (require): equivariantBasis(V(SO(3)), V(SO(3))).rank is ${r.rank}, expected 1`);
  process.exit(1);
}
console.log('smoke (require): equivariantBasis(V(SO(3)), V(SO(3))).rank = 1');
