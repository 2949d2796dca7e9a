import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  ShapeMismatchError,
  createRng,
  gridTransform,
  kernelGenerators,
  kernelSymmetry,
  planarGroup,
  so2FieldRotation,
  stackedNuclearNorm,
  steerableKernelBasis,
  type SparseMatrix,
} from '../src/index.js';

function apply(t: SparseMatrix, u: ArrayLike<number>, channels = 1): Float64Array {
  const out = new Float64Array(t.rows * channels);
  for (let e = 0; e < t.values.length; e++) {
    for (let ch = 0; ch < channels; ch++) out[t.rowIndex[e]! * channels + ch]! += t.values[e]! * u[t.colIndex[e]! * channels + ch]!;
  }
  return out;
}

const norm = (v: ArrayLike<number>): number => Math.hypot(...Array.from(v));

describe('planarGroup', () => {
  it('has closed multiplication tables with inverses (C4, D4, C8)', () => {
    for (const [name, order] of [['C4', 4], ['D4', 8], ['C8', 8]] as const) {
      const g = planarGroup(name);
      expect(g.order).toBe(order);
      g.multiply.forEach((row, a) => {
        expect(new Set(row).size).toBe(order);
        expect(g.multiply[a]![g.inverse[a]!]).toBe(0);
      });
    }
    const d4 = planarGroup('D4');
    // a mirror squared is the identity; r·s·r = s
    expect(d4.multiply[4]![4]).toBe(0);
    expect(d4.multiply[d4.multiply[1]![4]!]![1]).toBe(4);
  });

  it('rejects other names', () => {
    expect(() => planarGroup('C5' as never)).toThrow(InvalidArgumentError);
  });
});

describe('gridTransform', () => {
  it('acts on kernels as a representation: exact permutations for C4 and D4', () => {
    for (const name of ['C4', 'D4'] as const) {
      const g = planarGroup(name);
      const u = Float64Array.from({ length: 25 }, (_, i) => Math.sin(3.1 * i + 0.3));
      for (const a of g.elements) {
        const ta = gridTransform(a, { size: 5 });
        expect(ta.values.every((v) => v === 1)).toBe(true);
        for (const b of g.elements) {
          const ab = apply(ta, apply(gridTransform(b, { size: 5 }), u));
          const direct = apply(gridTransform(g.elements[g.multiply[a.index]![b.index]!]!, { size: 5 }), u);
          expect(Array.from(ab)).toEqual(Array.from(direct));
        }
      }
    }
  });

  it('a quarter turn is numpy rot90 (counter-clockwise)', () => {
    const u = Float64Array.from({ length: 9 }, (_, i) => i);
    // rot90([[0,1,2],[3,4,5],[6,7,8]]) = [[2,5,8],[1,4,7],[0,3,6]]
    expect(Array.from(apply(gridTransform({ angle: Math.PI / 2 }, { size: 3 }), u))).toEqual([2, 5, 8, 1, 4, 7, 0, 3, 6]);
  });

  it('interpolates 45° rotations (C8): two of them make the exact quarter turn up to interpolation error', () => {
    const n = 33;
    const c = (n - 1) / 2;
    const u = Float64Array.from({ length: n * n }, (_, p) => {
      const [x, y] = [(p % n) - c, c - Math.floor(p / n)];
      return Math.exp(-((x - 4) ** 2 + (y - 2) ** 2) / 30);
    });
    const g = planarGroup('C8');
    const twice = apply(gridTransform(g.elements[1]!, { size: n }), apply(gridTransform(g.elements[1]!, { size: n }), u));
    const quarter = apply(gridTransform(g.elements[2]!, { size: n }), u);
    expect(norm(twice.map((v, i) => v - quarter[i]!)) / norm(quarter)).toBeLessThan(0.02);
  });

  it('rejects bad sizes and angles', () => {
    expect(() => gridTransform({ angle: 0 }, { size: 0 })).toThrow(InvalidArgumentError);
    expect(() => gridTransform({ angle: Number.NaN }, { size: 3 })).toThrow(InvalidArgumentError);
  });
});

describe('steerableKernelBasis', () => {
  it('has the expected dimension per frequency pair (rings at radii 0, 1, 2, 3; harmonics ≤ 2)', () => {
    const dim = (frequencyIn: number, frequencyOut: number) => steerableKernelBasis({ size: 7, frequencyIn, frequencyOut, maxFrequency: 2 }).dimension;
    expect(dim(0, 0)).toBe(4); // one isotropic profile per ring
    expect(dim(0, 1)).toBe(6); // 2 per ring of radius > 0
    expect(dim(2, 0)).toBe(6);
    expect(dim(1, 1)).toBe(3 * 4 + 2); // |m−n| = 0 and m + n = 2 both ≤ 2 on rings > 0; the centre carries the two frequency-0 maps
    expect(dim(1, 2)).toBe(3 * 2); // only |m−n| = 1 ≤ 2 (m + n = 3 > 2)
    expect(dim(3, 0)).toBe(0); // needs harmonic 3 > maxFrequency
  });

  it('its kernels are exactly steerable under the grid quarter turn, and the 45° error shrinks with resolution', () => {
    const errAt = (size: number, angle: number): number => {
      const b = steerableKernelBasis({ size, frequencyIn: 0, frequencyOut: 1, rings: 3, maxFrequency: 2, extent: 0.6 });
      const t = gridTransform({ angle }, { size });
      const rho = so2FieldRotation(1, -angle); // (T_g K)(p) = K(g⁻¹p) = ρ_out(g)⁻¹·K(p)
      let worst = 0;
      for (let r = 0; r < b.dimension; r++) {
        const k = b.basis.column(r);
        const rotated = apply(t, k, 2);
        const expected = new Float64Array(k.length);
        for (let p = 0; p < size * size; p++) {
          for (let o = 0; o < 2; o++) expected[p * 2 + o] = rho.get(o, 0) * k[p * 2]! + rho.get(o, 1) * k[p * 2 + 1]!;
        }
        worst = Math.max(worst, norm(rotated.map((v, i) => v - expected[i]!)) / norm(k));
      }
      return worst;
    };
    expect(errAt(5, Math.PI / 2)).toBeLessThan(1e-12);
    const e = [5, 9, 17].map((s) => errAt(s, Math.PI / 4));
    expect(e[1]!).toBeLessThan(0.7 * e[0]!);
    expect(e[2]!).toBeLessThan(0.7 * e[1]!);
    expect(e[2]!).toBeLessThan(0.1);
  });

  it('rejects even sizes and negative frequencies', () => {
    expect(() => steerableKernelBasis({ size: 4 })).toThrow(InvalidArgumentError);
    expect(() => steerableKernelBasis({ size: 5, frequencyIn: -1 })).toThrow(InvalidArgumentError);
  });
});

describe('kernelGenerators and kernelSymmetry', () => {
  it('the promote penalty is small on steerable (isotropic) filters, large on random ones', () => {
    const iso = steerableKernelBasis({ size: 5 }).basis;
    const w = Float64Array.from({ length: 25 * 2 }, (_, i) => iso.get(Math.floor(i / 2), 0) * (i % 2 ? 1 : -2) + iso.get(Math.floor(i / 2), 1));
    const rng = createRng(3);
    const random = Float64Array.from({ length: 50 }, () => rng.normal());
    const { generators } = kernelGenerators({ size: 5, channelsIn: 1, channelsOut: 2, candidate: ['rotation', 'reflection'] });
    const rel = (v: Float64Array) => stackedNuclearNorm([{ generators, w: v }]).value / norm(v);
    expect(rel(w)).toBeLessThan(0.1 * rel(random));
    expect(stackedNuclearNorm([{ generators, w: new Float64Array(50) }]).value).toBe(0);
  });

  it('discovers so(2) for isotropic filters and none for random ones; the mirror exactly', () => {
    const iso = steerableKernelBasis({ size: 5 }).basis.column(0);
    const s = kernelSymmetry(iso, { size: 5, channelsIn: 1, channelsOut: 1, rtol: 0.15 });
    expect(s.reflection).toBe(true);
    expect(s.norms.reflection).toBeLessThan(1e-12);
    expect(s.norms.rotation!).toBeLessThan(0.15);
    expect(s.norms.scaling!).toBeGreaterThan(0.3);
    expect(s.dimension).toBe(1);
    expect(Math.abs(s.subalgebra[0]![0]!)).toBeGreaterThan(0.95);
    const rng = createRng(5);
    const r = kernelSymmetry(Float64Array.from({ length: 25 }, () => rng.normal()), { size: 5, channelsIn: 1, channelsOut: 1, rtol: 0.15 });
    expect(r.dimension).toBe(0);
    expect(r.reflection).toBe(false);
  });

  it('rejects bad shapes and candidates', () => {
    expect(() => kernelGenerators({ size: 3, channelsIn: 0, channelsOut: 1 })).toThrow(InvalidArgumentError);
    expect(() => kernelGenerators({ size: 3, channelsIn: 1, channelsOut: 1, candidate: ['shear' as never] })).toThrow(InvalidArgumentError);
    expect(() => kernelSymmetry(new Float64Array(8), { size: 3, channelsIn: 1, channelsOut: 1 })).toThrow(ShapeMismatchError);
  });
});
