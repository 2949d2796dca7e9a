/**
 * The liesym demo: discover the symmetry algebras of a few functions and vector fields,
 * check a discrete symmetry, and enforce symmetry by computing equivariant bases.
 * Run from the repository root: `npm run demo`.
 */
import {
  A,
  Matrix,
  O,
  S,
  SO,
  SO13,
  Sp,
  V,
  checkDiscreteSymmetry,
  createRng,
  discoverSymmetries,
  equivariantBasis,
  invariantBasis,
  nullspace,
  type DiscoveryResult,
  type Representation,
} from '@liesym/core';

function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function spectrum(values: Float64Array, count = 4): string {
  return Array.from(values.slice(0, count), (v) => v.toExponential(1)).join(' ') + (values.length > count ? ' …' : '');
}

/**
 * Names the algebra found: its rotation part (generators with antisymmetric A_in and no
 * output action, computed as an intersection, so independent of the basis returned) and
 * whether the rest is a scaling.
 */
function identify(r: DiscoveryResult): string {
  if (r.dimension === 0) return 'none';
  const n = r.generators[0]![0].rows;
  // Coefficients c with Σ cₖ A_in,k and Σ cₖ A_out,k both antisymmetric: the rotations inside
  // (the generators are orthonormal, so an absolute tolerance is meaningful).
  const cols = r.generators.map(([a, b]) => [...a.add(a.transpose()).data, ...b.add(b.transpose()).data]);
  const M = new Matrix(cols[0]!.length, cols.length);
  cols.forEach((col, k) => col.forEach((v, i) => M.set(i, k, v)));
  const rot = nullspace(M, { rtol: 0, atol: 1e-6 });
  const parts: string[] = [];
  if (rot.nullity === (n * (n - 1)) / 2) parts.push(`so(${n})`);
  else if (rot.nullity > 0) parts.push(`${rot.nullity} rotation${rot.nullity > 1 ? 's' : ''}`);
  const rest = r.dimension - rot.nullity;
  if (rest === 1) {
    // The generator orthogonal to the rotations: is its input part a multiple of I?
    const c = nullspace(rot.basis.transpose(), { rtol: 0, atol: 1e-6 }).basis.column(0);
    let a = new Matrix(n, n);
    c.forEach((ck, k) => (a = a.add(r.generators[k]![0].scale(ck))));
    const t = a.trace() / n;
    const isScaling = Math.abs(t) > 1e-6 && a.sub(Matrix.identity(n).scale(t)).norm() < 1e-6 * a.norm();
    parts.push(isScaling ? 'scaling' : '1 more');
  } else if (rest > 1) parts.push(`${rest} more`);
  return parts.join(' ⊕ ');
}

function samples(dim: number, count: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => Array.from({ length: dim }, () => rng.normal()));
}

const started = performance.now();

// ── discover ─────────────────────────────────────────────────────────────────
console.log('liesym demo\n');
console.log('1. Discover: which generators A (inside a candidate Lie algebra) leave F unchanged,');
console.log('   L_A F(x) = DF(x)·A_in·x − A_out·F(x) = 0 at every sample? (60 samples each)\n');

const sq = (x: Float64Array) => [x[0]! ** 2 + x[1]! ** 2 + x[2]! ** 2];
const hopf = (x: Float64Array) => {
  const r2 = x[0]! ** 2 + x[1]! ** 2;
  return [-x[1]! + (1 - r2) * x[0]!, x[0]! + (1 - r2) * x[1]!];
};
const lorenz = (x: Float64Array) => [10 * (x[1]! - x[0]!), x[0]! * (28 - x[2]!) - x[1]!, x[0]! * x[1]! - (8 / 3) * x[2]!];

const cases: Array<{ name: string; f: (x: Float64Array) => number[]; dim: number; candidate: 'gl-input' | 'gl-lift' | 'gl-input-output'; label: string }> = [
  { name: '|x|² on R³', f: sq, dim: 3, candidate: 'gl-input', label: 'gl(3) on x' },
  { name: '|x|² on R³', f: sq, dim: 3, candidate: 'gl-input-output', label: 'gl(3) ⊕ gl(1)' },
  { name: 'Hopf: Jx + (1−|x|²)x', f: hopf, dim: 2, candidate: 'gl-lift', label: 'gl(2) lifted' },
  { name: 'Lorenz (10, 28, 8/3)', f: lorenz, dim: 3, candidate: 'gl-lift', label: 'gl(3) lifted' },
];
const rows: string[][] = [];
for (const c of cases) {
  const r = discoverSymmetries(c.f, samples(c.dim, 60, 7), { candidate: c.candidate });
  rows.push([
    c.name,
    c.label,
    `${r.dimension} of ${r.singularValues.length}`,
    identify(r),
    spectrum(r.singularValues),
    Number.isFinite(r.gap) ? r.gap.toExponential(1) : '∞',
    r.closureResidual.toExponential(1),
  ]);
}
console.log(table(['function', 'candidate', 'symmetries', 'algebra', 'smallest singular values', 'gap', 'closure'], rows));

const xs = samples(3, 60, 11);
const hGood = Matrix.diag([-1, -1, 1]);
const hBad = Matrix.diag([1, -1, 1]);
console.log('\n   Discrete symmetries of Lorenz (the Lie derivative cannot see them): ‖K_h f − f‖ / ‖f‖');
console.log(
  table(
    ['h', 'relative residual', 'verdict'],
    [hGood, hBad].map((h) => {
      const res = checkDiscreteSymmetry(lorenz, h, h, xs);
      return [`diag(${Array.from({ length: 3 }, (_, i) => h.get(i, i)).join(', ')})`, res.toExponential(2), res < 1e-10 ? 'symmetry' : 'broken'];
    }),
  ),
);

// ── enforce ──────────────────────────────────────────────────────────────────
console.log('\n2. Enforce: the linear maps (or tensors) that have a symmetry, as an orthonormal basis');
console.log('   of the nullspace of the stacked constraints dρ(ξᵢ), ρ(hⱼ) − I.\n');
const so3 = V(SO(3));
const enforceCases: Array<[string, () => ReturnType<typeof invariantBasis>, Representation | undefined]> = [
  ['Hom_SO(3)(V, V)', () => equivariantBasis(so3, so3), undefined],
  ['Hom_SO(3)(V⊗V, V⊗V)', () => equivariantBasis(so3.pow(2), so3.pow(2)), undefined],
  ['SO(3) invariants of V^⊗4', () => invariantBasis(so3.pow(4)), undefined],
  ['SO(3) invariants of V^⊗5', () => invariantBasis(so3.pow(5)), undefined],
  ['O(3) invariants of V^⊗3', () => invariantBasis(V(O(3)).pow(3)), undefined],
  ['Hom_SO(2)(V, V)', () => equivariantBasis(V(SO(2)), V(SO(2))), undefined],
  ['Hom_O(2)(V, V)', () => equivariantBasis(V(O(2)), V(O(2))), undefined],
  ['SO(1,3) invariants of V⊗V', () => invariantBasis(V(SO13()).pow(2)), undefined],
  ['Sp(2) invariants of V⊗V', () => invariantBasis(V(Sp(2)).pow(2)), undefined],
  ['SO(3) invariants of V^⊗6', () => invariantBasis(so3.pow(6)), undefined],
  ['S(4) invariants of V^⊗3', () => invariantBasis(V(S(4)).pow(3)), undefined],
  ['A(4) invariants of V^⊗3', () => invariantBasis(V(A(4)).pow(3)), undefined],
];
const erows = enforceCases.map(([name, run]) => {
  const t = performance.now();
  const r = run();
  const ms = performance.now() - t;
  return [name, String(r.singularValues.length), String(r.rank), r.method, Number.isFinite(r.gap) ? r.gap.toExponential(1) : '∞', `${ms.toFixed(0)} ms`];
});
console.log(table(['space', 'unknowns', 'basis dim', 'method', 'gap', 'time'], erows));

console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
