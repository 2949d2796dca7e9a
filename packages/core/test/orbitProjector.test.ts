import { describe, expect, it } from 'vitest';
import { A, Matrix, O, S, Scalar, V, customGroup, directSum, equivariantBasis, equivariantProjector, type Representation } from '../src/index.js';
import { maxDiff, randomMatrix } from './helpers.js';

/** The projection through a dense basis (the reference): Q·Qᵀ·vec(W). */
function denseProjection(repIn: Representation, repOut: Representation, w: Matrix): Float64Array {
  const q = equivariantBasis(repIn, repOut, { method: 'dense' }).basis;
  return q.mulVec(q.transpose().mulVec(w.data));
}

const copies = (rep: Representation, k: number): Representation => Array.from({ length: k - 1 }).reduce<Representation>((a) => directSum(a, rep), rep);

function reversal(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (j === n - 1 - i ? 1 : 0)));
}

describe('equivariantProjector by orbit averaging (permutation actions)', () => {
  it.each([
    ['S(3): V⊗V → V', () => [V(S(3)).pow(2), V(S(3))] as const],
    ['S(4): V → V', () => [V(S(4)), V(S(4))] as const],
    ['A(4): V → V⊗V', () => [V(A(4)), V(A(4)).pow(2)] as const],
    ['time reversal on R⁸ → 3 invariants', () => {
      const G = customGroup({ lieAlgebra: [], discreteGenerators: [reversal(8)], name: 'reversal' });
      return [V(G), copies(Scalar, 3)] as const;
    }],
  ])('%s: equals the dense-basis projection and is equivariant and idempotent', (_, make) => {
    const [rin, rout] = make();
    const w = randomMatrix(rout.dim, rin.dim, 7);
    const P = equivariantProjector(rin, rout);
    const pw = P.project(w);
    expect(maxDiff(pw.data, denseProjection(rin, rout, w))).toBeLessThan(1e-12);
    expect(maxDiff(P.project(pw).data, pw.data)).toBeLessThan(1e-14);
    for (let j = 0; j < Math.max(rin.discreteCount, rout.discreteCount); j++) {
      const left = rout.discreteCount > j ? rout.rho(j).matmat(pw) : pw;
      const right = rin.discreteCount > j ? rin.rho(j).transpose().matmat(pw.transpose()).transpose() : pw;
      expect(maxDiff(left.data, right.data)).toBeLessThan(1e-12);
    }
    // The lazy basis is the same subspace: Q·Qᵀ reproduces the projection.
    expect(maxDiff(P.matrix().mulVec(w.data), pw.data)).toBeLessThan(1e-12);
  });

  it('time reversal on a 1536 → 32 layer: W ↦ (W + W·R)/2 exactly, without a dense basis', () => {
    const n = 1536;
    const G = customGroup({ lieAlgebra: [], discreteGenerators: [reversal(n)], name: 'time-reversal' });
    const w = randomMatrix(32, n, 3);
    const pw = equivariantProjector(V(G), copies(Scalar, 32)).project(w);
    let d = 0;
    for (let a = 0; a < 32; a++) for (let b = 0; b < n; b++) d = Math.max(d, Math.abs(pw.get(a, b) - (w.get(a, b) + w.get(a, n - 1 - b)) / 2));
    expect(d).toBeLessThan(1e-15);
  });

  it('a signed permutation (a reflection with −1) is not averaged as orbits and still projects right', () => {
    const G = customGroup({ lieAlgebra: [], discreteGenerators: [[[-1, 0], [0, 1]]], name: 'mirror' });
    const w = randomMatrix(2, 2, 1);
    const pw = equivariantProjector(V(G), V(G)).project(w);
    expect(maxDiff(pw.data, denseProjection(V(G), V(G), w))).toBeLessThan(1e-12);
    expect(Math.abs(pw.get(0, 1)) + Math.abs(pw.get(1, 0))).toBeLessThan(1e-12);
  });

  it('a group with a Lie algebra (O(2)) keeps the basis path', () => {
    const w = randomMatrix(2, 2, 2);
    const pw = equivariantProjector(V(O(2)), V(O(2))).project(w);
    expect(maxDiff(pw.data, [(w.get(0, 0) + w.get(1, 1)) / 2, 0, 0, (w.get(0, 0) + w.get(1, 1)) / 2])).toBeLessThan(1e-10);
  });
});
