/**
 * The discovery conformance suite run against a reference adapter: plain float64 discovery
 * with core's discoverSymmetries (exact Jacobian, and finite differences),
 * plus the suite's own checks (the problems, the comparisons, the refusal, the adapter shape).
 */
import { InsufficientDataError, InvalidArgumentError, Matrix, discoverSymmetries, eigh, inverse } from '@liesym/core';
import { describe, expect, it } from 'vitest';
import {
  CONFORMANCE_CASES,
  conformanceProblem,
  runDiscoveryConformance,
  type DiscoveryAdapter,
  type QuadraticProblem,
} from '../src/index.js';
import { conformanceViolations } from '../src/conformance/conformanceViolations.js';
import { expectRefusal } from '../src/conformance/runDiscoveryConformance.js';

/** c·xᵀSx + w·x + b, the argument of tanh. */
function argument(p: QuadraticProblem, x: readonly number[]): number {
  let s = p.b;
  for (let i = 0; i < p.dimIn; i++) {
    s += p.w[i]! * x[i]!;
    for (let j = 0; j < p.dimIn; j++) s += p.c * x[i]! * p.S[i]![j]! * x[j]!;
  }
  return s;
}

/** DF(x) = tanh′(q)·(2c·Sx + w)ᵀ, 1×dimIn. */
function jacobian(p: QuadraticProblem): (x: Float64Array) => number[][] {
  return (x) => {
    const d = 1 - Math.tanh(argument(p, Array.from(x))) ** 2;
    return [Array.from({ length: p.dimIn }, (_, i) => d * (p.w[i]! + 2 * p.c * p.S[i]!.reduce((s, v, j) => s + v * x[j]!, 0)))];
  };
}

// Core refuses too few rows (InsufficientDataError) and names the algebra itself.
const reference: DiscoveryAdapter = {
  name: 'reference (core, float64, exact Jacobian)',
  async discover(p) {
    const r = discoverSymmetries(p.function.f, p.samples, { candidate: p.candidate, jacobian: jacobian(p.function) });
    return { dimension: r.dimension, singularValues: r.singularValues, identification: r.identification, threshold: r.threshold };
  },
};

runDiscoveryConformance(reference);

// Central differences, no threshold returned: the suite checks the spectrum at the rtol hint instead.
runDiscoveryConformance({
  name: 'reference (core, float64, finite differences, no threshold)',
  rtol: 1e-6,
  async discover(p) {
    const r = discoverSymmetries(p.function.f, p.samples, { candidate: p.candidate });
    return { dimension: r.dimension, singularValues: Array.from(r.singularValues).reverse(), identification: r.identification };
  },
});

describe('conformance problems', () => {
  it('are deterministic, with the stated sample counts and unsaturated tanh', () => {
    const counts = { radial: 48, lorentz: 64, generic: 32, ridge: 48, 'all-symmetric': 48, 'too-few-samples': 1 };
    for (const name of CONFORMANCE_CASES) {
      const a = conformanceProblem(name);
      const b = conformanceProblem(name);
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      expect(a.case).toBe(name);
      expect(a.samples).toHaveLength(counts[name]);
      expect(a.samples.every((x) => x.length === a.function.dimIn)).toBe(true);
      const worst = Math.max(...a.samples.map((x) => Math.abs(argument(a.function, x))));
      expect(worst).toBeLessThan(3);
      for (const x of a.samples) expect(a.function.f(Float64Array.from(x))[0]).toBeCloseTo(Math.tanh(argument(a.function, x)), 14);
    }
  });

  it('compute the stated functions', () => {
    const e0 = (n: number): Float64Array => Float64Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 0));
    expect(conformanceProblem('radial').function.f(e0(3))[0]).toBe(Math.tanh(1 / 3));
    expect(conformanceProblem('lorentz').function.f(e0(4))[0]).toBe(Math.tanh(-1 / 4));
    const ridge = conformanceProblem('ridge').function;
    expect(ridge.S.flat().every((v) => v === 0)).toBe(true);
    expect(Math.hypot(...ridge.w)).toBeCloseTo(1, 14);
    expect(ridge.f(e0(3))[0]).toBeCloseTo(Math.tanh(ridge.w[0]! + 0.2), 15);
    expect(conformanceProblem('too-few-samples').expected).toEqual({ error: 'INSUFFICIENT_DATA' });
  });

  it('generic: S is symmetric and indefinite on R², w is not zero', () => {
    const { S, w, dimIn } = conformanceProblem('generic').function;
    expect(dimIn).toBe(2);
    const m = Matrix.from(S);
    expect(m.sub(m.transpose()).maxAbs()).toBe(0);
    const ev = Array.from(eigh(m).values).sort((a, b) => a - b);
    expect(ev[0]).toBeCloseTo(-0.7, 12);
    expect(ev[1]).toBeCloseTo(1, 12);
    expect(Math.hypot(...w)).toBeGreaterThan(0.1);
  });

  it('a quadratic form of the generic kind keeps exactly one symmetry on R³ (why the generic case lives on R²): A = S⁻¹·[S⁻¹w]×', () => {
    const S = Matrix.from([[1, 0.3, 0], [0.3, -0.7, 0.2], [0, 0.2, 0.5]]);
    const w = [0.4, -0.2, 0.3];
    const f = (x: Float64Array) => {
      const y = S.mulVec(x);
      return [Math.tanh((x[0]! * y[0]! + x[1]! * y[1]! + x[2]! * y[2]!) / 3 + w[0]! * x[0]! + w[1]! * x[1]! + w[2]! * x[2]! + 0.1)];
    };
    const Si = inverse(S);
    const v = Si.mulVec(w);
    const A = Si.mul(Matrix.from([[0, -v[2]!, v[1]!], [v[2]!, 0, -v[0]!], [-v[1]!, v[0]!, 0]]));
    const r = discoverSymmetries(f, conformanceProblem('radial').samples, { candidate: 'gl-input' });
    expect(r.dimension).toBe(1);
    const [found] = r.generators[0]!;
    expect(Math.abs(found.dot(A)) / (found.norm() * A.norm())).toBeCloseTo(1, 6);
  });

  it('all-symmetric: six orthonormal pairs [A, 0] with wᵀA = 0', () => {
    const p = conformanceProblem('all-symmetric');
    const pairs = p.candidate as Array<[number[][], number[][]]>;
    expect(pairs).toHaveLength(6);
    const w = p.function.w;
    for (const [A, B] of pairs) {
      expect(B).toEqual([[0]]);
      for (let j = 0; j < 3; j++) expect(Math.abs(w.reduce((s, wi, i) => s + wi * A[i]![j]!, 0))).toBeLessThan(1e-15);
    }
    const gram = pairs.map(([A]) => pairs.map(([C]) => A.flat().reduce((s, v, k) => s + v * C.flat()[k]!, 0)));
    gram.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : 0, 14)));
  });

  it('an unknown case is a typed error', () => {
    expect(() => conformanceProblem('square' as never)).toThrow(InvalidArgumentError);
  });
});

describe('the suite’s checks', () => {
  const radial = conformanceProblem('radial');
  const good = { dimension: 3, singularValues: [0, 1e-12, 2e-12, 1, 2, 3, 4, 5, 6], identification: 'so(3)', threshold: 1e-6 };

  it('accept a conforming result, in any order of the spectrum', () => {
    expect(conformanceViolations(radial, good)).toEqual([]);
    expect(conformanceViolations(radial, { ...good, singularValues: [...good.singularValues].reverse() })).toEqual([]);
  });

  it('name each violation', () => {
    expect(conformanceViolations(radial, { ...good, dimension: 2, threshold: 1.5e-12 })).toEqual([expect.stringMatching(/^dimension 2, expected 3 of 9; σ = \[0\.00e\+0, /)]);
    expect(conformanceViolations(radial, { ...good, singularValues: good.singularValues.slice(1) })).toContain('8 singular values, expected one per candidate generator (9)');
    expect(conformanceViolations(radial, { ...good, identification: null })).toEqual(['identification null, expected "so(3)"']);
    expect(conformanceViolations(radial, { ...good, threshold: 1.5 })).toEqual([expect.stringMatching(/^4 singular values are at or below the threshold 1\.50e\+0, but dimension is 3/)]);
    expect(conformanceViolations(radial, { ...good, singularValues: [Number.NaN, ...good.singularValues.slice(1)] })).toContainEqual(expect.stringMatching(/must be finite and ≥ 0/));
    expect(conformanceViolations(conformanceProblem('too-few-samples'), good)).toEqual(['this case must be refused, not answered']);
  });

  it('check the spectrum at the rtol hint when no threshold is returned, except for a candidate of symmetries only', () => {
    const { threshold: _, ...noThreshold } = good;
    expect(conformanceViolations(radial, noThreshold, 1e-6)).toEqual([]);
    expect(conformanceViolations(radial, { ...noThreshold, singularValues: [0, 0, 1e-3, 1, 2, 3, 4, 5, 6] }, 1e-6)).toEqual([expect.stringMatching(/^σ_3 = 1\.00e-3 is above rtol·σ_max = 6\.00e-6/)]);
    expect(conformanceViolations(radial, { ...noThreshold, singularValues: [0, 0, 0, 1e-9, 2, 3, 4, 5, 6] }, 1e-6)).toEqual([expect.stringMatching(/^σ_4 = 1\.00e-9 is not above/)]);
    expect(conformanceViolations(radial, noThreshold)).toEqual([]);
    const all = conformanceProblem('all-symmetric');
    expect(conformanceViolations(all, { dimension: 6, singularValues: [1e-17, 2e-17, 3e-17, 4e-17, 5e-17, 1e-16] }, 1e-6)).toEqual([]);
  });

  it('too-few-samples: a rejection with code INSUFFICIENT_DATA passes (sync throws too), an answer or another error fails', async () => {
    const p = conformanceProblem('too-few-samples');
    const adapter = (discover: DiscoveryAdapter['discover']): DiscoveryAdapter => ({ name: 'probe', discover });
    await expectRefusal(adapter(() => Promise.reject(Object.assign(new Error('few'), { code: 'INSUFFICIENT_DATA' }))), p);
    await expectRefusal(adapter(() => { throw new InsufficientDataError('few'); }), p);
    await expect(expectRefusal(adapter(async () => ({ dimension: 3, singularValues: [] })), p)).rejects.toThrow(
      /probe \/ too-few-samples: discover must reject with code 'INSUFFICIENT_DATA' \(1 sample\(s\) for 9 candidates\); it answered dimension 3/,
    );
    await expect(expectRefusal(adapter(() => Promise.reject(new InvalidArgumentError('bad'))), p)).rejects.toThrow(/it threw InvalidArgumentError \(code "INVALID_ARGUMENT"\): bad/);
  });

  it('reject a malformed adapter when the suite is registered', () => {
    const discover = reference.discover;
    expect(() => runDiscoveryConformance({ name: '', discover })).toThrow(InvalidArgumentError);
    expect(() => runDiscoveryConformance({ name: 'x' } as never)).toThrow(/'adapter.discover' must be a function/);
    expect(() => runDiscoveryConformance({ name: 'x', discover, unsupported: { circle: 'no' } as never })).toThrow(/keys must be among radial, lorentz/);
    expect(() => runDiscoveryConformance({ name: 'x', discover, unsupported: { radial: '' } })).toThrow(/'adapter.unsupported.radial' must be a reason/);
    expect(() => runDiscoveryConformance({ name: 'x', discover, rtol: 2 })).toThrow(/'adapter.rtol' must be a number in \(0, 1\)/);
  });
});
