/**
 * The discovery conformance suite on @liesym/operators: each case's F: R^n → R as the pointwise
 * operator N(u)(p) = F(u(p)) on fields whose n channels are the vector, the samples packed four
 * per field on a 1-D grid of 4 points, and the candidate as value generators on the input
 * (gl-input's A ↔ channel mixing V, whose tangent −V·u spans the same algebra), analysed by this
 * package's `discoverOperatorSymmetries` (core's finite differences of one batched evaluation).
 */
import { Matrix, identifyMatrixAlgebra } from '@liesym/core';
import { runDiscoveryConformance, type ConformanceProblem } from '@liesym/test-utils';
import { Field, Grid, discoverOperatorSymmetries, type OperatorGenerator } from '../src/index.js';

const POINTS = 4;
const grid = new Grid({ size: [POINTS] });

/** The samples as fields, four per field (the single sample of too-few-samples fills its field: still 4 rows). */
function fields(p: ConformanceProblem): Field[] {
  const n = p.function.dimIn;
  const xs = p.samples.length % POINTS === 0 ? p.samples : Array.from({ length: POINTS }, () => p.samples[0]!);
  return Array.from({ length: xs.length / POINTS }, (_, f) => new Field(grid, n, Float64Array.from(xs.slice(f * POINTS, (f + 1) * POINTS).flat())));
}

/** gl-input as the n² unit channel mixings, explicit pairs [A_in, A_out] as { V: A_in } and { V: A_out }. */
function candidate(p: ConformanceProblem): OperatorGenerator[] {
  const n = p.function.dimIn;
  if (p.candidate !== 'gl-input') return p.candidate.map(([a, b], k) => ({ name: `pair ${k}`, input: { V: a }, output: { V: b } }));
  const unit = (e: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (__, j) => (i * n + j === e ? 1 : 0)));
  return Array.from({ length: n * n }, (_, e) => ({ name: `V${e}`, input: { V: unit(e) }, output: {} }));
}

runDiscoveryConformance({
  name: '@liesym/operators (pointwise field operator, channel mixings)',
  async discover(p) {
    const n = p.function.dimIn;
    const pointwise = (us: readonly Field[]): Field[] =>
      us.map((u) => new Field(grid, 1, Float64Array.from({ length: POINTS }, (_, q) => p.function.f(u.data.subarray(q * n, (q + 1) * n))[0]!)));
    // Random sample values along the grid are no periodic field, and value generators take no spatial derivatives.
    const r = discoverOperatorSymmetries(pointwise, fields(p), { candidate: candidate(p), checkPeriodic: false });
    // The operators name the candidate generators a found algebra contains; a value-only algebra is named by core's
    // identifyMatrixAlgebra on its V blocks, the A of gl-input.
    const identification = r.dimension > 0 ? identifyMatrixAlgebra(r.operatorGenerators.map((g) => Matrix.from(g.input.V!))) : null;
    return { dimension: r.dimension, singularValues: r.singularValues, identification, threshold: r.threshold };
  },
});
