import {
  D,
  EmptyInputError,
  InvalidArgumentError,
  InvalidRepresentationError,
  Matrix,
  NonFiniteError,
  O,
  SO,
  Scalar,
  ShapeMismatchError,
  V,
  equivarianceError,
  tensorProduct,
} from '@liesym/core';
import { describe, expect, it } from 'vitest';
import { EquivarianceAssertionError, assertEquivariant, equivarianceReport, type ModelEvaluator } from '../src/index.js';

const norm2 = (x: Float64Array): number[] => [x.reduce((s, v) => s + v * v, 0)];
/** x ↦ tanh(|x|²)·x: O(n)-equivariant on V. */
const radialField = (x: Float64Array): Float64Array => {
  const t = Math.tanh(x.reduce((s, v) => s + v * v, 0) / 3);
  return x.map((v) => t * v);
};
/** x ↦ J·x on R²: commutes with rotations, anticommutes with reflections. */
const rotate90 = (x: Float64Array): number[] => [-x[1]!, x[0]!];

/** Rejects with a core error of this `code` (compared by code, as across two copies of core). */
async function rejectsWithCode(p: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await expect(p).rejects.toMatchObject({ code, message: expect.stringMatching(pattern) as unknown as string });
}

describe('equivarianceReport', () => {
  it('measures exactly what core’s equivarianceError measures, with the same seeded draws', async () => {
    const repIn = V(O(3));
    const repOut = V(O(3));
    const ours = await equivarianceReport(radialField, { repIn, repOut, dtype: 'float64', seed: 11, samples: 16 });
    const core = equivarianceError(radialField, { repIn, repOut, samples: 16, rng: 11 });
    expect(ours.max).toBe(core.max);
    expect(ours.mean).toBe(core.mean);
    expect(ours.errors).toHaveLength(16);
    expect(ours.max).toBeLessThan(1e-13);
    expect([ours.dtype, ours.tolerance, ours.seed, ours.group]).toEqual(['float64', 1e-9, 11, 'O(3)']);
  });

  it('gives the same numbers for every evaluator shape: one point (sync, async), a batch, core’s row-major evaluator', async () => {
    const rep = V(SO(3));
    const shapes: ModelEvaluator[] = [
      radialField,
      async (x) => radialField(x),
      { batch: (xs) => xs.map(radialField) },
      {
        dimIn: 3,
        dimOut: 3,
        evaluate: async (xs, n) => {
          const out = new Float64Array(n * 3);
          for (let k = 0; k < n; k++) out.set(radialField(xs.subarray(k * 3, k * 3 + 3)), k * 3);
          return out;
        },
      },
    ];
    const reports = await Promise.all(shapes.map((f) => equivarianceReport(f, { repIn: rep, repOut: rep, dtype: 'float64', seed: 3, samples: 9 })));
    for (const r of reports) expect(Array.from(r.errors)).toEqual(Array.from(reports[0]!.errors));
  });

  it('evaluates a batch evaluator once, on the inputs followed by the transformed inputs', async () => {
    const calls: number[] = [];
    const f = { batch: (xs: readonly Float64Array[]) => (calls.push(xs.length), xs.map(norm2)) };
    await equivarianceReport(f, { repIn: V(SO(3)), repOut: Scalar, dtype: 'float64', seed: 1, samples: 5 });
    await equivarianceReport(f, { repIn: V(D(4)), repOut: Scalar, dtype: 'float64', seed: 1, samples: 2, elements: D(4).discreteGenerators });
    expect(calls).toEqual([10, 2 + 2 * 2]);
  });

  it('samples discrete generators too: Jx passes SO(2) but not O(2)', async () => {
    await assertEquivariant(rotate90, V(SO(2)), V(SO(2)), { dtype: 'float64', seed: 5, samples: 16 });
    const r = await equivarianceReport(rotate90, { repIn: V(O(2)), repOut: V(O(2)), dtype: 'float64', seed: 5, samples: 16 });
    // A reflection h anticommutes with J: F(hx) = −ρ(h)F(x), relative error exactly 2; rotations give 0.
    expect(r.max).toBeCloseTo(2, 12);
    expect(r.errors.filter((e) => e < 1e-12).length).toBeGreaterThan(0);
  });

  it('checks every input against every given element (all of a finite group)', async () => {
    const G = D(4);
    const rotations = [0, 1, 2, 3].map((k) => Matrix.from([[Math.cos((k * Math.PI) / 2), -Math.sin((k * Math.PI) / 2)], [Math.sin((k * Math.PI) / 2), Math.cos((k * Math.PI) / 2)]]));
    const elements = [...rotations, ...rotations.map((r) => r.mul(Matrix.diag([1, -1])))];
    const r = await equivarianceReport(rotate90, { repIn: V(G), repOut: V(G), dtype: 'float64', seed: 2, samples: 3, elements });
    expect(r.errors).toHaveLength(24);
    // Rotations commute with J, the four reflections do not.
    expect(Array.from(r.errors).filter((e) => e < 1e-12)).toHaveLength(12);
    expect(Math.round(r.worst.g.get(0, 0) * r.worst.g.get(1, 1) - r.worst.g.get(0, 1) * r.worst.g.get(1, 0))).toBe(-1);
  });

  it('accepts explicit inputs and records the worst comparison', async () => {
    const xs = [[1, 0, 0], [0, 2, 0]];
    const broken = (x: Float64Array): number[] => [x[0]! ** 2 + x[1]! ** 2 + 2 * x[2]! ** 2];
    const r = await equivarianceReport(broken, { repIn: V(SO(3)), repOut: Scalar, dtype: 'float64', seed: 0, samples: xs });
    expect(r.errors).toHaveLength(2);
    expect(xs.map((x) => Array.from(x))).toContainEqual(Array.from(r.worst.x));
    expect(r.worst.error).toBe(r.max);
    expect(r.worst.expectedOutput).toEqual(Float64Array.from(broken(r.worst.x)));
  });
});

describe('assertEquivariant', () => {
  it('passes an equivariant map and returns the report', async () => {
    const r = await assertEquivariant(radialField, V(O(3)), V(O(3)), { dtype: 'float64', seed: 1, samples: 8 });
    expect(r.max).toBeLessThanOrEqual(r.tolerance);
  });

  it('takes the tolerance from core’s table by dtype: float32 rounding passes at float32, fails at float64', async () => {
    const rounded = (x: Float64Array): Float32Array => Float32Array.from(radialField(x));
    const r = await assertEquivariant(rounded, V(SO(3)), V(SO(3)), { dtype: 'float32', seed: 4, samples: 16 });
    expect(r.tolerance).toBe(1e-3);
    expect(r.max).toBeGreaterThan(1e-9);
    await expect(assertEquivariant(rounded, V(SO(3)), V(SO(3)), { dtype: 'float64', seed: 4, samples: 16 })).rejects.toBeInstanceOf(EquivarianceAssertionError);
    // An explicit tolerance overrides the table.
    await assertEquivariant(rounded, V(SO(3)), V(SO(3)), { dtype: 'float64', seed: 4, samples: 16, tolerance: 1e-6 });
  });

  it('fails with a readable report: dtype, tolerance, max and mean, the worst sample, its g and the two vectors shortened', async () => {
    const rep = tensorProduct(V(SO(3)), V(SO(3)));
    // x ↦ x + 0.01·(x₀², 0, …): breaks rotation equivariance on V⊗V (dim 9).
    const broken = (x: Float64Array): Float64Array => x.map((v, i) => v + (i === 0 ? 0.01 * x[0]! ** 2 : 0));
    let caught: unknown;
    try {
      await assertEquivariant(broken, rep, rep, { dtype: 'float32', seed: 7, samples: 12 });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(EquivarianceAssertionError);
    const err = caught as EquivarianceAssertionError;
    const { report } = err;
    expect(report.max).toBeGreaterThan(1e-3);
    const shown = /max relative error (\S+) > tolerance 0\.001 \(float32\)/.exec(err.message);
    expect(Number(shown?.[1])).toBeCloseTo(report.max, 5);
    expect(err.message).toMatch(/SO\(3\), V\[SO\(3\)\]⊗V\[SO\(3\)\] → V\[SO\(3\)\]⊗V\[SO\(3\)\]; seed 7/);
    expect(err.message).toMatch(/max \S+, mean \S+ over 12 comparisons/);
    expect(err.message).toContain(`worst: sample ${report.worst.sample}, g = [[`);
    expect(err.message).toMatch(/F\(ρ_in\(g\)x\) {2}= \[[^\]]+, … \(9 entries\)\]/);
    expect(err.message).toMatch(/ρ_out\(g\)F\(x\) = \[[^\]]+, … \(9 entries\)\]/);
    console.log(`assertEquivariant's failure report, as printed:\n${err.message}`);
  });

  it('rejects bad input with core’s typed errors naming the argument', async () => {
    const rep = V(SO(3));
    const opts = { dtype: 'float64', seed: 0, samples: 4 } as const;
    await expect(assertEquivariant(42 as never, rep, rep, opts)).rejects.toBeInstanceOf(InvalidArgumentError);
    await rejectsWithCode(assertEquivariant({ predict: () => [] } as never, rep, rep, opts), 'INVALID_ARGUMENT', /assertEquivariant: 'f' must be/);
    await rejectsWithCode(assertEquivariant(radialField, { dim: 3 } as never, rep, opts), 'INVALID_ARGUMENT', /'repIn' must be a Representation/);
    await expect(assertEquivariant(norm2, Scalar, Scalar, opts)).rejects.toBeInstanceOf(InvalidRepresentationError);
    await rejectsWithCode(assertEquivariant(radialField, V(SO(3)), V(O(3)), opts), 'INVALID_REPRESENTATION', /same group; received SO\(3\) and O\(3\)/);
    await rejectsWithCode(assertEquivariant(radialField, rep, rep, { ...opts, dtype: 'float16' as never }), 'INVALID_ARGUMENT', /'options.dtype' must be 'float32' or 'float64'; received "float16"/);
    await rejectsWithCode(assertEquivariant(radialField, rep, rep, { ...opts, seed: 1.5 }), 'INVALID_ARGUMENT', /'options.seed' must be an integer; received 1.5/);
    await rejectsWithCode(assertEquivariant(radialField, rep, rep, { ...opts, samples: 0 }), 'INVALID_ARGUMENT', /'samples' must be an integer ≥ 1/);
    await rejectsWithCode(assertEquivariant(radialField, rep, rep, { ...opts, tolerance: 2 }), 'INVALID_ARGUMENT', /'options.tolerance' must be a number in \[0, 1\); received 2/);
    await rejectsWithCode(assertEquivariant(radialField, rep, rep, { ...opts, elements: [] }), 'INVALID_ARGUMENT', /'options.elements' must be a non-empty array/);
    await expect(assertEquivariant(radialField, rep, rep, { ...opts, samples: [] })).rejects.toBeInstanceOf(EmptyInputError);
    await expect(assertEquivariant(radialField, rep, rep, { ...opts, samples: [[1, 2]] })).rejects.toBeInstanceOf(ShapeMismatchError);
    await rejectsWithCode(assertEquivariant(norm2, rep, rep, opts), 'SHAPE_MISMATCH', /must return repOut.dim = 3 numbers for point 0; received 1/);
    await rejectsWithCode(assertEquivariant({ evaluate: () => [1, 2] }, rep, Scalar, opts), 'SHAPE_MISMATCH', /'f.evaluate' must return count × repOut.dim = 8 × 1 numbers/);
    await rejectsWithCode(assertEquivariant({ dimIn: 2, dimOut: 1, evaluate: () => [] }, rep, Scalar, opts), 'SHAPE_MISMATCH', /'f' maps R\^2 → R\^1, but the representations have dims 3 → 1/);
    await rejectsWithCode(assertEquivariant({ batch: () => [] }, rep, Scalar, opts), 'SHAPE_MISMATCH', /'f.batch' must return one output per point \(8\)/);
    await expect(assertEquivariant(() => [Number.NaN], rep, Scalar, opts)).rejects.toBeInstanceOf(NonFiniteError);
  });
});
