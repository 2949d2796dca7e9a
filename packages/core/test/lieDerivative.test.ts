/**
 * The bilinear Lie-derivative form (ξ, θ) ↦ L_ξ F_θ read in both slots: enforce
 * (nullspace in θ) and discover (nullspace in ξ) see the same symmetries.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LieDerivative,
  Matrix,
  MonomialLibrary,
  SE,
  SO,
  Scalar,
  T,
  V,
  actionsOf,
  affineAction,
  affineActionsOf,
  basisExpansionModel,
  candidateGenerators,
  createRng,
  enforceSymmetry,
  equivariantBasis,
  finiteDifferenceJacobian,
  functionModel,
  lieDerivative,
  linearAction,
  linearMapModel,
  nonlinearAction,
  nullspace,
  pairActions,
  svd,
  tangentLift,
  type GeneratorPair,
} from '../src/index.js';
import { FC_SEED, J2, normalSamples, offSpanError, randomMatrix, relErr } from './helpers.js';

const so3Actions = SO(3).lieAlgebra.map((xi) => linearAction(xi, xi));

/** The pair Σ cⱼ (Aⱼ, Bⱼ). */
function combine(pairs: readonly GeneratorPair[], c: ArrayLike<number>): GeneratorPair {
  let a = new Matrix(pairs[0]![0].rows, pairs[0]![0].cols);
  let b = new Matrix(pairs[0]![1].rows, pairs[0]![1].cols);
  pairs.forEach(([pa, pb], j) => {
    a = a.add(pa.scale(c[j]!));
    b = b.add(pb.scale(c[j]!));
  });
  return [a, b];
}

function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! ** 2;
  return Math.sqrt(s);
}

describe('linear layer: duality of the two slots', () => {
  const model = linearMapModel({ dimIn: 3, dimOut: 3 });
  const form = lieDerivative(model, so3Actions);

  it('W = 2I (in Hom_SO(3)(V, V)) is annihilated in both slots', () => {
    const basis = equivariantBasis(V(SO(3)), V(SO(3))).basis;
    expect(basis.cols).toBe(1);
    const theta = basis.column(0).map((v) => v * 2 * Math.sqrt(3));
    expect(relErr(theta, Matrix.identity(3).scale(2).data)).toBeLessThan(1e-12);
    for (let j = 0; j < 3; j++) {
      const m = form.inParameters(j);
      expect([m.rows, m.cols]).toEqual([12, 9]);
      expect(norm(m.mulVec(theta))).toBeLessThan(1e-12 * m.norm() * norm(theta));
    }
    const d = form.inGenerators(theta);
    expect([d.rows, d.cols]).toEqual([12, 3]);
    expect(d.maxAbs()).toBeLessThan(1e-12);
  });

  it('a random W breaks every rotation: each column of inGenerators and each inParameters·θ has norm > 0.1', () => {
    const theta = randomMatrix(3, 3, 5).data;
    const d = form.inGenerators(theta);
    for (let j = 0; j < 3; j++) {
      expect(norm(d.column(j))).toBeGreaterThan(0.1);
      expect(norm(form.inParameters(j).mulVec(theta))).toBeGreaterThan(0.1);
    }
  });

  it('L_ξ W = W·ξ − ξ·W, entry by entry, and the form is bilinear: inGenerators(θ)·c = inParameters(c)·θ', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e6 }), (seed) => {
        const rng = createRng(seed);
        const W = randomMatrix(3, 3, rng);
        const c = [rng.normal(), rng.normal(), rng.normal()];
        const xi = combine(
          SO(3).lieAlgebra.map((x) => [x, x] as const),
          c,
        )[0];
        const a = form.inGenerators(W.data).mulVec(c);
        const b = form.inParameters(c).mulVec(W.data);
        const expected = W.mul(xi).sub(xi.mul(W));
        expect(relErr(a, b)).toBeLessThan(1e-12);
        expect(relErr(a.subarray(0, 9), expected.data)).toBeLessThan(1e-12);
        expect(norm(a.subarray(9))).toBe(0);
        expect(relErr(form.apply(c, W.data), a)).toBeLessThan(1e-12);
      }),
      { seed: FC_SEED, numRuns: 20 },
    );
  });

  it('enforce over so(3) gives Hom_SO(3)(V, V): dimension 1, the identity; with bias still 1', () => {
    const r = enforceSymmetry(form);
    expect(r.dimension).toBe(1);
    expect(offSpanError(r.basis, Matrix.identity(3).data)).toBeLessThan(1e-12);
    const withBias = enforceSymmetry(lieDerivative(linearMapModel({ dimIn: 3, dimOut: 3, bias: true }), so3Actions));
    expect(withBias.dimension).toBe(1);
    expect(withBias.basis.rows).toBe(12);
  });

  it('enforce over so(2) gives span{I, J}; adding the O(2) reflection as a discrete block leaves span{I}', () => {
    const form2 = lieDerivative(linearMapModel({ dimIn: 2, dimOut: 2 }), [linearAction(J2, J2)]);
    expect(enforceSymmetry(form2).dimension).toBe(2);
    // vec(h⁻¹·W·h) = (h⁻¹ ⊗ hᵀ)·vec(W) for row-major vec.
    const h = Matrix.diag([1, -1]);
    const c = h.kron(h).sub(Matrix.identity(4));
    const r = enforceSymmetry(form2, { discrete: [c] });
    expect(r.dimension).toBe(1);
    expect(offSpanError(r.basis, [1, 0, 0, 1])).toBeLessThan(1e-12);
  });

  it("planted symmetry: with 'gl-lift' candidates, discover and enforce select the same generators", () => {
    // W = a·I₂ ⊕ c + b·J_z commutes exactly with the span of {I₂ ⊕ 0, J_z, 0 ⊕ 1}.
    const W = Matrix.from([
      [0.7, -3, 0],
      [3, 0.7, 0],
      [0, 0, -1.3],
    ]);
    const theta = W.data;
    const pairs = candidateGenerators('gl-lift', 3, 3);
    const glForm = lieDerivative(linearMapModel({ dimIn: 3, dimOut: 3 }), pairActions(pairs));
    const D = glForm.inGenerators(theta);
    const ns = nullspace(D);
    expect(ns.dimension).toBe(3);

    // Each discovered generator c: θ is in the enforce nullspace of ξ_c.
    for (let k = 0; k < ns.dimension; k++) {
      const c = ns.basis.column(k);
      const M = glForm.inParameters(c);
      expect(norm(M.mulVec(theta))).toBeLessThan(1e-12 * M.norm() * norm(theta));
      const enforced = enforceSymmetry(lieDerivative(linearMapModel({ dimIn: 3, dimOut: 3 }), pairActions([combine(pairs, c)])));
      expect(offSpanError(enforced.basis, theta)).toBeLessThan(1e-10);
      // The generator commutes with W (a symmetry of the linear map).
      const [a] = combine(pairs, c);
      expect(relErr(W.mul(a), a.mul(W), W.norm() * a.norm())).toBeLessThan(1e-12);
    }
    expect(offSpanError(ns.basis, pairs.map(([a]) => a.dot(Matrix.from([[0, -1, 0], [1, 0, 0], [0, 0, 0]]))))).toBeLessThan(1e-12);

    // Each non-null right singular vector v: ‖inParameters(v)·θ‖ = σ, and θ is not enforced by ξ_v.
    const { s, V: vs } = svd(D);
    let checked = 0;
    for (let k = 0; k < s.length; k++) {
      if (s[k]! <= ns.threshold) continue;
      const v = vs.column(k);
      expect(s[k]!).toBeGreaterThan(0.1);
      expect(relErr([norm(glForm.inParameters(v).mulVec(theta))], [s[k]!])).toBeLessThan(1e-12);
      const enforced = enforceSymmetry(lieDerivative(linearMapModel({ dimIn: 3, dimOut: 3 }), pairActions([combine(pairs, v)])));
      expect(offSpanError(enforced.basis, theta)).toBeGreaterThan(1e-2);
      checked++;
    }
    expect(checked).toBe(6);
  });
});

describe('basis expansions', () => {
  const lib22 = new MonomialLibrary(2, 2);
  const rotation = affineAction({ A: J2, dimOut: 1 });

  it('MonomialLibrary(2, 2) lists 1, x0, x1, x0², x0x1, x1² and evaluates them', () => {
    expect(lib22.names).toEqual(['1', 'x0', 'x1', 'x0^2', 'x0 x1', 'x1^2']);
    expect(Array.from(lib22.evaluate(Float64Array.from([2, 3])))).toEqual([1, 2, 3, 4, 6, 9]);
    expect(lib22.jacobian(Float64Array.from([2, 3])).toArray()).toEqual([
      [0, 0],
      [1, 0],
      [0, 1],
      [4, 0],
      [3, 2],
      [0, 6],
    ]);
  });

  it('exact enforce under SO(2): dimension 2, spanned by 1 and x0² + x1²', () => {
    const model = basisExpansionModel({ library: lib22, dimOut: 1 });
    const r = enforceSymmetry(lieDerivative(model, [rotation]));
    expect(r.dimension).toBe(2);
    expect(offSpanError(r.basis, [1, 0, 0, 0, 0, 0])).toBeLessThan(1e-12);
    expect(offSpanError(r.basis, [0, 0, 0, 1, 0, 1])).toBeLessThan(1e-12);
    expect(r.singularValues.length).toBe(6);
  });

  it('sampled enforce under SO(2) agrees in dimension and subspace', () => {
    const model = basisExpansionModel({ library: lib22, dimOut: 1, samples: normalSamples(30, 2, { seed: 8 }) });
    expect(model.rowCount).toBe(30);
    const r = enforceSymmetry(lieDerivative(model, [rotation]));
    expect(r.dimension).toBe(2);
    expect(offSpanError(r.basis, [0, 0, 0, 1, 0, 1])).toBeLessThan(1e-10);
  });

  it('MonomialLibrary(3, 4) under SO(3): 3 invariants, 1, r², r⁴', () => {
    const lib = new MonomialLibrary(3, 4);
    expect(lib.size).toBe(35);
    const model = basisExpansionModel({ library: lib, dimOut: 1 });
    const r = enforceSymmetry(lieDerivative(model, actionsOf(V(SO(3)), Scalar)));
    expect(r.dimension).toBe(3);
    const poly = (terms: Array<[number[], number]>): Float64Array => {
      const v = new Float64Array(lib.size);
      for (const [alpha, c] of terms) v[lib.indexOf(alpha)] = c;
      return v;
    };
    const r2 = poly([
      [[2, 0, 0], 1],
      [[0, 2, 0], 1],
      [[0, 0, 2], 1],
    ]);
    const r4 = poly([
      [[4, 0, 0], 1],
      [[0, 4, 0], 1],
      [[0, 0, 4], 1],
      [[2, 2, 0], 2],
      [[2, 0, 2], 2],
      [[0, 2, 2], 2],
    ]);
    for (const v of [poly([[[0, 0, 0], 1]]), r2, r4]) expect(offSpanError(r.basis, v)).toBeLessThan(1e-12);
  });

  it('affine actions: polynomials of degree ≤ 2 invariant under x0-translation are 1, x1, x1²; under T(2) and SE(2) only constants', () => {
    const model = basisExpansionModel({ library: lib22, dimOut: 1 });
    const shift = affineAction({ A: new Matrix(2, 2), b: [1, 0], dimOut: 1 });
    const r = enforceSymmetry(lieDerivative(model, [shift]));
    expect(r.dimension).toBe(3);
    for (const v of [
      [1, 0, 0, 0, 0, 0],
      [0, 0, 1, 0, 0, 0],
      [0, 0, 0, 0, 0, 1],
    ]) {
      expect(offSpanError(r.basis, v)).toBeLessThan(1e-12);
    }
    const translations = affineActionsOf(T(2));
    expect(translations.map((a) => Array.from(a.affine!.b))).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(enforceSymmetry(lieDerivative(model, translations)).dimension).toBe(1);
    expect(enforceSymmetry(lieDerivative(model, affineActionsOf(SE(2)))).dimension).toBe(1);
    // Sampled, the same constraint: the translation-invariant polynomials again have dimension 3.
    const sampled = basisExpansionModel({ library: lib22, dimOut: 1, samples: normalSamples(25, 2, { seed: 9 }) });
    expect(enforceSymmetry(lieDerivative(sampled, [shift])).dimension).toBe(3);
  });

  it('a linear layer with bias under translations of the input: only constant maps (W = 0, b free)', () => {
    const model = linearMapModel({ dimIn: 2, dimOut: 2, bias: true });
    const r = enforceSymmetry(lieDerivative(model, affineActionsOf(T(2), { dimOut: 2 })));
    expect(r.dimension).toBe(2);
    for (let k = 0; k < 2; k++) expect(norm(r.basis.column(k).subarray(0, 4))).toBeLessThan(1e-14);
  });

  it('equivariant cubic vector fields on R³ under SO(3): x and |x|²·x', () => {
    const model = basisExpansionModel({ library: new MonomialLibrary(3, 3), dimOut: 3 });
    const r = enforceSymmetry(lieDerivative(model, actionsOf(V(SO(3)), V(SO(3)))));
    expect(r.dimension).toBe(2);
  });

  it('tangentLift: the bracket of f(x) = Jx with J vanishes; of f(x) = Bx it is (BA − AB)x', () => {
    const lib = new MonomialLibrary(2, 1);
    const model = basisExpansionModel({ library: lib, dimOut: 2 });
    const lifted = tangentLift(affineAction({ A: J2, dimOut: 2 }));
    expect(lifted.dimOut).toBe(2);
    const form = new LieDerivative(model, [lifted]);
    // Columns (1, x0, x1): W = [0 | B].
    const asTheta = (B: Matrix): Float64Array => Float64Array.from([0, B.get(0, 0), B.get(0, 1), 0, B.get(1, 0), B.get(1, 1)]);
    expect(norm(form.apply(0, asTheta(J2)))).toBe(0);
    const B = randomMatrix(2, 2, 12);
    const bracket = B.mul(J2).sub(J2.mul(B));
    expect(relErr(form.apply(0, asTheta(B)), asTheta(bracket))).toBeLessThan(1e-14);
    expect(bracket.norm()).toBeGreaterThan(0.1);
  });

  it('tangentLift of a nonlinear field is the Lie bracket of vector fields: [(x0², 0), Jx] = (2x0x1, x0²)', () => {
    const xs = normalSamples(10, 2, { seed: 13 });
    const f = (x: Float64Array): number[] => [-x[1]!, x[0]!];
    const action = tangentLift(nonlinearAction({ dimIn: 2, dimOut: 2, field: (x) => [x[0]! ** 2, 0] }));
    expect(action.affine).toBeUndefined();
    const model = functionModel(f, xs);
    const got = new LieDerivative(model, [action]).inGenerators().column(0);
    const w = Math.sqrt(1 / 10);
    const expected = new Float64Array(20);
    for (let s = 0; s < 10; s++) {
      const [x0, x1] = [xs.get(s, 0), xs.get(s, 1)];
      expected[2 * s] = w * 2 * x0 * x1;
      expected[2 * s + 1] = w * x0 * x0;
    }
    expect(relErr(got, expected)).toBeLessThan(1e-8);
    // The rotation field itself commutes with f(x) = Jx.
    const rot = tangentLift(nonlinearAction({ dimIn: 2, dimOut: 2, field: (x) => [-x[1]!, x[0]!] }));
    expect(norm(new LieDerivative(model, [rot]).inGenerators().column(0))).toBeLessThan(1e-8);
  });
});

describe('finiteDifferenceJacobian', () => {
  it('matches the exact Jacobian of a smooth map to about ε^(2/3)', () => {
    const f = (x: Float64Array): Float64Array => Float64Array.from([Math.sin(x[0]!) * x[1]!, Math.exp(0.5 * x[1]!), x[0]! * x[1]! ** 2]);
    const x = Float64Array.from([0.3, -1.7]);
    const exact = Matrix.from([
      [Math.cos(0.3) * -1.7, Math.sin(0.3)],
      [0, 0.5 * Math.exp(0.5 * -1.7)],
      [1.7 ** 2, 2 * 0.3 * -1.7],
    ]);
    expect(relErr(finiteDifferenceJacobian(f, x), exact)).toBeLessThan(1e-9);
  });
});
