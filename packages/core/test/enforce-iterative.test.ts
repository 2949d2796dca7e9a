/** The matrix-free iterative (block Lanczos) equivariant-basis solver against the dense reference. */
import { describe, expect, it } from 'vitest';
import {
  Matrix,
  NotConvergedError,
  O,
  S,
  SO,
  V,
  createRng,
  customGroup,
  equivariantBasis,
  expm,
  hom,
  invariantBasis,
  type Representation,
} from '../src/index.js';
import { iterativeInvariantBasis } from '../src/enforce/iterativeSolver.js';
import { J2, expectEquivariantBasis, expectTypedError, orthonormalityError, projectorDistance, randomMatrix } from './helpers.js';

/** max over constraints of ‖C·Q‖_F / (‖C‖_F·‖Q‖_F), with C = dρ(ξᵢ) or ρ(hⱼ) − I (dense; test sizes only). */
function relativeResidual(rep: Representation, q: Matrix): number {
  if (q.cols === 0) return 0;
  let worst = 0;
  for (let i = 0; i < rep.generatorCount; i++) {
    const c = rep.drho(i).toDense();
    if (c.norm() > 0) worst = Math.max(worst, c.mul(q).norm() / (c.norm() * q.norm()));
  }
  for (let j = 0; j < rep.discreteCount; j++) {
    const c = rep.rho(j).toDense().sub(Matrix.identity(rep.dim));
    if (c.norm() > 0) worst = Math.max(worst, c.mul(q).norm() / (c.norm() * q.norm()));
  }
  return worst;
}

function expectSameAsDense(rep: Representation, rank: number): void {
  const dense = invariantBasis(rep, { method: 'dense' });
  const it = invariantBasis(rep, { method: 'iterative' });
  expect(it.method).toBe('iterative');
  expect(dense.dimension).toBe(rank);
  expect(it.dimension).toBe(rank);
  expect(it.basis.rows).toBe(rep.dim);
  expect(it.basis.cols).toBe(rank);
  if (rank > 0) expect(orthonormalityError(it.basis)).toBeLessThan(1e-10);
  expect(projectorDistance(it.basis, dense.basis)).toBeLessThan(1e-8);
  expect(relativeResidual(rep, it.basis)).toBeLessThan(1e-9);
  // The reported spectrum: r values at or below the threshold, then the gap the rank was decided on.
  for (let k = 0; k < rank; k++) expect(it.singularValues[k]!).toBeLessThanOrEqual(it.threshold);
  expect(it.singularValues[rank]!).toBeGreaterThan(it.threshold);
  expect(it.gap).toBeGreaterThan(1e3);
}

/** Orthonormal columns spanning the columns of `a` (Gram–Schmidt; a has full column rank). */
function orthonormalize(a: Matrix): Matrix {
  const q = a.clone();
  for (let j = 0; j < q.cols; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let d = 0;
        for (let i = 0; i < q.rows; i++) d += q.get(i, k) * q.get(i, j);
        for (let i = 0; i < q.rows; i++) q.set(i, j, q.get(i, j) - d * q.get(i, k));
      }
    }
    let nrm = 0;
    for (let i = 0; i < q.rows; i++) nrm += q.get(i, j) ** 2;
    for (let i = 0; i < q.rows; i++) q.set(i, j, q.get(i, j) / Math.sqrt(nrm));
  }
  return q;
}

/** The inverse of a 3×3 matrix (adjugate over determinant). */
function inverse3(m: Matrix): Matrix {
  const a = (i: number, j: number): number => m.get(i % 3, j % 3);
  const out = new Matrix(3, 3);
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) out.set(j, i, a(i + 1, j + 1) * a(i + 2, j + 2) - a(i + 1, j + 2) * a(i + 2, j + 1));
  }
  const det = m.get(0, 0) * out.get(0, 0) + m.get(0, 1) * out.get(1, 0) + m.get(0, 2) * out.get(2, 0);
  return out.scale(1 / det);
}

/**
 * A group with random, structureless generators built so that a random subspace U (dim 3 of R^10)
 * is exactly invariant: dρ(ξᵢ) = Mᵢ(I − UUᵀ) and ρ(h) = I + 0.3·N(I − UUᵀ) with Mᵢ, N random.
 */
function plantedGroup(seed: number): { rep: Representation; planted: Matrix } {
  const rng = createRng(seed);
  const d = 10;
  const u = orthonormalize(randomMatrix(d, 3, rng));
  const p = Matrix.identity(d).sub(u.mul(u.transpose()));
  const G = customGroup({
    lieAlgebra: [randomMatrix(d, d, rng).mul(p), randomMatrix(d, d, rng).mul(p)],
    discreteGenerators: [Matrix.identity(d).add(randomMatrix(d, d, rng).mul(p).scale(0.3))],
    name: `planted(${seed})`,
  });
  return { rep: V(G), planted: u };
}

describe('iterative solver agrees with the dense reference (rank and subspace)', () => {
  it('SO(3) on V^⊗4: rank 3', () => {
    expectSameAsDense(V(SO(3)).pow(4), 3);
  });

  it('Hom_SO(2)(V⊗V, V⊗V): rank 6 (weights 2, −2, 0, 0 → 1 + 1 + 4)', () => {
    expectSameAsDense(hom(V(SO(2)).pow(2), V(SO(2)).pow(2)), 6);
  });

  it('O(3) on V^⊗3: rank 0 (the reflection −I flips every odd tensor)', () => {
    expectSameAsDense(V(O(3)).pow(3), 0);
  });

  it('S(4) on V^⊗3: rank 5 (set partitions of 3 indices)', () => {
    expectSameAsDense(V(S(4)).pow(3), 5);
  });

  it('a custom group with random generators and a planted invariant subspace: found exactly, also in V ⊗ V', () => {
    for (const seed of [1, 2, 3]) {
      const { rep, planted } = plantedGroup(seed);
      expectSameAsDense(rep, 3);
      expect(projectorDistance(invariantBasis(rep, { method: 'iterative' }).basis, planted)).toBeLessThan(1e-8);
      // U ⊗ U is invariant in V ⊗ V; generic random generators leave nothing else.
      expectSameAsDense(rep.pow(2), 9);
    }
  });
});

describe('iterative solver: equivariance, dispatch and errors', () => {
  it('returns equivariant maps: Hom_SO(3)(V⊗V, V⊗V) (rank 3) and Hom_SO(2)(V⊗V, V) (rank 0 → 2·0)', () => {
    const a = V(SO(3)).pow(2);
    const r = equivariantBasis(a, a, { method: 'iterative' });
    expect(r.method).toBe('iterative');
    expect(r.dimension).toBe(3);
    const rng = createRng(7);
    const gs = [0, 1].map(() => expm(SO(3).lieAlgebra.reduce((acc, x) => acc.add(x.scale(rng.normal())), new Matrix(3, 3))));
    expectEquivariantBasis(r.basis, { repIn: a, repOut: a, elements: gs, tol: 1e-9 });
    const b = V(SO(2)).pow(2);
    const r2 = equivariantBasis(b, V(SO(2)), { method: 'iterative' });
    expect(r2.dimension).toBe(0);
    const r3 = equivariantBasis(b, b, { method: 'iterative' });
    expectEquivariantBasis(r3.basis, { repIn: b, repOut: b, elements: [expm(J2.scale(0.7)), expm(J2.scale(-2.1))], tol: 1e-9 });
  });

  it("'auto' uses it above 4096 unknowns when no structured solver applies (non-normal generator, 8192 unknowns)", () => {
    // A = [[2, ½], [0, 1]] is neither symmetric nor antisymmetric and there is no discrete generator: no
    // weight-space, splitting or orbit solver applies. Its weights 1 and 2 summed over 13 factors lie in
    // [13, 26], never 0: rank 0, and every singular value of A ⊕ … ⊕ A is far from 0.
    const A = Matrix.from([
      [2, 0.5],
      [0, 1],
    ]);
    const rep = V(customGroup({ lieAlgebra: [A], name: 'upper' })).pow(13);
    const r = invariantBasis(rep);
    expect(rep.dim).toBe(8192);
    expect(r.method).toBe('iterative');
    expect(r.dimension).toBe(0);
    expect(r.basis.cols).toBe(0);
    expect(r.singularValues[0]!).toBeGreaterThan(1);
    expect(r.singularValues[0]!).toBeGreaterThan(1e6 * r.threshold);
  });

  it("'auto' below 4096 unknowns: tries it within a budget, and falls back to dense when the budget is exceeded", () => {
    // Small well-separated nullspace (rank 0; weights 1, 2 sum to 7..14): the budgeted iterative solve succeeds.
    const up = V(customGroup({ lieAlgebra: [Matrix.from([[2, 0.5], [0, 1]])], name: 'upper' })).pow(7);
    const r1 = invariantBasis(up, { denseLimit: 100 });
    expect(r1.method).toBe('iterative');
    expect(r1.dimension).toBe(0);
    // A large nullspace of a non-normal generator P·diag(1, −1, 0)·P⁻¹: weights ±1, 0 over 5 factors sum to 0
    // in 51 ways (a central trinomial coefficient); the iterative budget runs out and the dense solver decides.
    const rng = createRng(3);
    const p = randomMatrix(3, 3, rng).add(Matrix.identity(3).scale(2));
    const pinv = inverse3(p);
    expect(p.mul(pinv).sub(Matrix.identity(3)).maxAbs()).toBeLessThan(1e-12);
    const nn = V(customGroup({ lieAlgebra: [p.mul(Matrix.diag([1, -1, 0])).mul(pinv)], name: 'nonnormal' })).pow(5);
    const r2 = invariantBasis(nn, { denseLimit: 100 });
    expect(r2.method).toBe('dense-gram');
    expect(r2.dimension).toBe(51);
    const r3 = invariantBasis(nn, { method: 'iterative' });
    expect(r3.dimension).toBe(51);
    expect(projectorDistance(r3.basis, r2.basis)).toBeLessThan(1e-8);
  });

  it('an iteration limit that is too small throws NotConvergedError, never a partial basis', () => {
    expectTypedError(
      () => iterativeInvariantBasis(V(SO(3)).pow(5), { maxIterations: 1 }),
      { type: NotConvergedError, code: 'NOT_CONVERGED' },
      /iterative solver did not converge/,
      /1 block steps/,
    );
    expectTypedError(
      () => iterativeInvariantBasis(V(SO(3)).pow(5), { maxKrylovDim: 20 }),
      { type: NotConvergedError, code: 'NOT_CONVERGED' },
      /Krylov dimension 20/,
    );
  });

  it('bad options get a typed error naming the option', () => {
    expect(() => iterativeInvariantBasis(V(SO(3)).pow(2), { rtol: -1 })).toThrow(/'options.rtol' must be a number in \[0, 1\); received -1/);
    expect(() => iterativeInvariantBasis(V(SO(3)).pow(2), { rtol: 1 })).toThrow(/'options.rtol' must be a number in \[0, 1\); received 1/);
    expect(() => iterativeInvariantBasis(V(SO(3)).pow(2), { atol: Number.NaN })).toThrow(/'options.atol' must be a finite number ≥ 0; received NaN/);
    expect(() => iterativeInvariantBasis(V(SO(3)).pow(2), { blockSize: 0 })).toThrow(/'options.blockSize' must be an integer ≥ 1; received 0/);
  });

  it('reports its diagnostics: steps, final block size and the verified residual', () => {
    const r = iterativeInvariantBasis(V(SO(3)).pow(6));
    expect(r.basis.cols).toBe(15);
    // 15 > 8 null vectors: the first round (block 8) fills its block, a second round with block 16 finds the rest.
    expect(r.blockSize).toBe(16);
    expect(r.iterations).toBeGreaterThan(0);
    expect(r.residual).toBeLessThan(1e-9);
  });
});
