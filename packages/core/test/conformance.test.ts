/**
 * Core runs the shared discovery conformance suite against its own entry points: point
 * functions with exact Jacobians, with finite differences, and an asynchronous batched
 * evaluator. The kit is imported by source path (core cannot depend on it: see its README).
 */
import { discoverSymmetries, discoverSymmetriesAsync, type Evaluator } from '../src/index.js';
import { runDiscoveryConformance, type QuadraticProblem } from '../../test-utils/src/index.js';

/** DF(x) = tanh′(q)·(2c·Sx + w)ᵀ for F = tanh(c·xᵀSx + w·x + b). */
function jacobian(p: QuadraticProblem): (x: Float64Array) => number[][] {
  return (x) => {
    let q = p.b;
    const g = new Array<number>(p.dimIn).fill(0);
    for (let i = 0; i < p.dimIn; i++) {
      q += p.w[i]! * x[i]!;
      for (let j = 0; j < p.dimIn; j++) {
        q += p.c * x[i]! * p.S[i]![j]! * x[j]!;
        g[i]! += 2 * p.c * p.S[i]![j]! * x[j]!;
      }
    }
    const d = 1 - Math.tanh(q) ** 2;
    return [g.map((v, i) => d * (v + p.w[i]!))];
  };
}

runDiscoveryConformance({
  name: '@liesym/core (exact Jacobian)',
  async discover(p) {
    return discoverSymmetries(p.function.f, p.samples, { candidate: p.candidate, jacobian: jacobian(p.function) });
  },
});

runDiscoveryConformance({
  name: '@liesym/core (finite differences)',
  async discover(p) {
    return discoverSymmetries(p.function.f, p.samples, { candidate: p.candidate });
  },
});

runDiscoveryConformance({
  name: '@liesym/core (asynchronous batched evaluator)',
  async discover(p) {
    const n = p.function.dimIn;
    const ev: Evaluator = {
      dimIn: n,
      dimOut: 1,
      evaluate: async (points, count) => Float64Array.from({ length: count }, (_, s) => p.function.f(points.subarray(s * n, (s + 1) * n))[0]!),
    };
    return discoverSymmetriesAsync(ev, p.samples, { candidate: p.candidate });
  },
});
