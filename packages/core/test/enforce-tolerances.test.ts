/**
 * Every public entry that decides a dimension validates its tolerances: rtol finite in [0, 1)
 * (rtol ≥ 1 would call every singular value zero and every model symmetric), atol finite ≥ 0.
 * Before, rtol > 1 or NaN passed on the structured paths (which never read rtol) and in the cache
 * (a NaN rtol keyed like the default).
 */
import { describe, expect, it } from 'vitest';
import {
  BasisCache,
  InvalidArgumentError,
  LieDerivative,
  Matrix,
  MonomialLibrary,
  SO,
  V,
  affineAction,
  basisCacheKey,
  basisExpansionModel,
  discoverDataSymmetries,
  enforceSymmetry,
  equivariantBasis,
  equivariantProjector,
  fitSymmetric,
  groupActions,
  integrate,
  invariantBasis,
  leastSquares,
  nullspace,
  sindy,
  symmetricRegression,
  symmetryReport,
} from '../src/index.js';
import { expectTypedError } from './helpers.js';
import { createRng } from './models-helpers.js';

const badRtol = [1, 1.5, 5, -1e-3, Number.NaN, Number.POSITIVE_INFINITY, '1e-3' as unknown as number];
const badAtol = [-1, Number.NaN, Number.POSITIVE_INFINITY, '0' as unknown as number];
const code = 'INVALID_ARGUMENT';

/** Asserts `run` throws InvalidArgumentError naming `fn`, the argument and the value received. */
function rejects(run: () => unknown, fn: string, arg: string): void {
  expectTypedError(run, { type: InvalidArgumentError, code }, new RegExp(`^${fn.replace('.', '\\.')}:`), new RegExp(`'${arg.replace('.', '\\.')}'`), /received/);
}

async function rejectsAsync(run: () => Promise<unknown>, fn: string, arg: string): Promise<void> {
  const err = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidArgumentError);
  expect((err as Error).message).toMatch(new RegExp(`^${fn.replace('.', '\\.')}: '${arg.replace('.', '\\.')}' must be`));
}

const so3 = V(SO(3));
const J = Matrix.from([
  [0, -1],
  [1, 0],
]);
const rotForm = (): LieDerivative =>
  new LieDerivative(basisExpansionModel({ library: new MonomialLibrary(2, 4), dimOut: 1 }), [affineAction({ A: J, dimOut: 1 })]);

describe('invariantBasis, equivariantBasis, equivariantProjector: every method', () => {
  // 'split' never reads rtol, so a structured result used to accept anything.
  const methods = ['auto', 'dense', 'structured', 'split', 'iterative'] as const;

  it.each(badRtol.map((v) => [String(v), v] as const))('rtol %s is rejected', (_label, rtol) => {
    for (const method of methods) {
      rejects(() => invariantBasis(so3.pow(4), { rtol, method }), 'invariantBasis', 'options.rtol');
      rejects(() => equivariantBasis(so3.pow(2), so3.pow(2), { rtol, method }), 'equivariantBasis', 'options.rtol');
      rejects(() => equivariantProjector(so3, so3, { rtol, method }), 'equivariantProjector', 'options.rtol');
    }
  });

  it.each(badAtol.map((v) => [String(v), v] as const))('atol %s is rejected', (_label, atol) => {
    for (const method of methods) {
      rejects(() => invariantBasis(so3.pow(4), { atol, method }), 'invariantBasis', 'options.atol');
      rejects(() => equivariantBasis(so3, so3, { atol, method }), 'equivariantBasis', 'options.atol');
      rejects(() => equivariantProjector(so3, so3, { atol, method }), 'equivariantProjector', 'options.atol');
    }
  });

  it('valid tolerances at the edges still decide: rtol 0 and rtol just below 1', () => {
    // rtol 0 counts only exact zeros; the invariants' σ are rounding (~1e-16), so an atol decides.
    expect(invariantBasis(so3.pow(4), { rtol: 0, atol: 1e-10, method: 'dense' }).dimension).toBe(3);
    // rtol 0.999: every singular value below 0.999·σ_max counts as zero, but not σ_max itself.
    const loose = invariantBasis(so3.pow(2), { rtol: 0.999, method: 'dense' });
    expect(loose.dimension).toBeGreaterThan(1);
    expect(loose.dimension).toBeLessThan(9);
    expect(invariantBasis(so3.pow(4), { rtol: 1e-6, atol: 0, method: 'split' }).dimension).toBe(3);
  });
});

describe('BasisCache and basisCacheKey validate before the lookup', () => {
  it('a NaN rtol neither passes nor hits the default entry', async () => {
    const cache = new BasisCache();
    const first = await cache.invariantBasis(so3.pow(4));
    expect(first.dimension).toBe(3);
    await rejectsAsync(() => cache.invariantBasis(so3.pow(4), { rtol: Number.NaN }), 'BasisCache.invariantBasis', 'options.rtol');
    await rejectsAsync(() => cache.invariantBasis(so3.pow(4), { rtol: 2 }), 'BasisCache.invariantBasis', 'options.rtol');
    await rejectsAsync(() => cache.equivariantBasis(so3, so3, { atol: -1 }), 'BasisCache.equivariantBasis', 'options.atol');
    await rejectsAsync(() => cache.equivariantBasis(so3, 3 as never), 'BasisCache.equivariantBasis', 'repOut');
    rejects(() => cache.invariantBasisSync(so3.pow(4), { rtol: 1 }), 'BasisCache.invariantBasisSync', 'options.rtol');
    rejects(() => cache.invariantBasisSync(so3.pow(4), { atol: Number.POSITIVE_INFINITY }), 'BasisCache.invariantBasisSync', 'options.atol');
    rejects(() => basisCacheKey(so3.pow(4), { rtol: Number.NaN }), 'basisCacheKey', 'options.rtol');
    expect(cache.size).toBe(1);
  });
});

describe('nullspace', () => {
  it.each(badRtol.map((v) => [String(v), v] as const))('rtol %s is rejected', (_label, rtol) => {
    rejects(() => nullspace(Matrix.identity(3), { rtol }), 'nullspace', 'rtol');
  });

  it.each(badAtol.map((v) => [String(v), v] as const))('atol %s is rejected', (_label, atol) => {
    rejects(() => nullspace(Matrix.identity(3), { atol }), 'nullspace', 'atol');
  });

  it('an unknown method is rejected too', () => {
    rejects(() => nullspace(Matrix.identity(3), { method: 'qr' as never }), 'nullspace', 'method');
  });
});

describe('enforceSymmetry', () => {
  it('validates rtol and atol', () => {
    for (const rtol of badRtol) rejects(() => enforceSymmetry(rotForm(), { rtol }), 'enforceSymmetry', 'options.rtol');
    for (const atol of badAtol) rejects(() => enforceSymmetry(rotForm(), { atol }), 'enforceSymmetry', 'options.atol');
    rejects(() => enforceSymmetry({} as never), 'enforceSymmetry', 'form');
  });

  it('passes atol through: 3 rotation-invariant quartics by default, all 15 monomials when atol exceeds ‖M_ξ‖', () => {
    const form = rotForm();
    const exact = enforceSymmetry(form);
    expect(exact.dimension).toBe(3);
    const sigmaMax = exact.singularValues[exact.singularValues.length - 1]!;
    // atol above every singular value makes every parameter vector count as symmetric (it was dropped before).
    const all = enforceSymmetry(form, { atol: 2 * sigmaMax });
    expect(all.dimension).toBe(15);
    expect(all.threshold).toBe(2 * sigmaMax);
    // Between the invariants' σ ≈ 0 and the smallest nonzero σ: still 3.
    const smallest = exact.singularValues[3]!;
    expect(enforceSymmetry(form, { atol: smallest / 2 }).dimension).toBe(3);
  });
});

describe('models/', () => {
  const lib = new MonomialLibrary(2, 2);
  const rng = createRng(4);
  const xs = Array.from({ length: 30 }, () => [rng.normal(), rng.normal()]);
  const ys = xs.map(([a, b]) => [a! ** 2 + b! ** 2]);

  it('fitSymmetric, symmetricRegression, symmetryReport, leastSquares and discoverDataSymmetries reject a bad rtol', () => {
    for (const rtol of badRtol) {
      rejects(() => fitSymmetric({ library: lib, xs, ys, mode: 'discover', group: SO(2), rtol }), 'fitSymmetric', 'rtol');
      const form = new LieDerivative(basisExpansionModel({ library: lib, dimOut: 1 }), groupActions(SO(2), { dimIn: 2 }));
      const design = Matrix.identity(lib.size);
      rejects(() => symmetricRegression({ design, target: new Float64Array(lib.size), form, mode: 'enforce', rtol }), 'symmetricRegression', 'rtol');
      rejects(() => symmetryReport(form, new Float64Array(lib.size), rtol), 'symmetryReport', 'rtol');
      rejects(() => leastSquares(design, new Float64Array(lib.size), rtol), 'leastSquares', 'rtol');
      rejects(() => discoverDataSymmetries(xs, { candidate: 'gl', rtol }), 'discoverDataSymmetries', 'rtol');
    }
  });

  it("sindy rejects a bad rtol in every mode (in 'plain' with a group it reached the symmetry report unchecked)", () => {
    const traj = integrate((x) => Float64Array.of(-x[1]!, x[0]!), [1, 0], { dt: 0.05, steps: 60 });
    for (const rtol of badRtol) {
      for (const mode of ['plain', 'discover'] as const) {
        rejects(() => sindy({ library: lib, trajectories: traj, derivative: { dt: 0.05 }, mode, group: SO(2), rtol }), 'sindy', 'rtol');
      }
    }
  });
});
