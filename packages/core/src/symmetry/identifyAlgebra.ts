import { Matrix } from '../linalg/Matrix.js';
import { eigh } from '../linalg/eigh.js';
import { nullspace } from '../linalg/nullspace.js';

/**
 * Names a found algebra of n×n matrices when it is a known one: so(n) or so(p,q) (all of
 * it, identified by the invariant quadratic form's signature), the scalings {a·I}, or
 * null. The form S solves AᵀS + S·A = 0 for every generator A.
 */
export function identifyMatrixAlgebra(mats: readonly Matrix[], tol = 1e-3): string | null {
  // The generators come from a numerical nullspace: tol is relative to their scale.
  if (mats.length === 0) return null;
  const n = mats[0]!.rows;
  const scale = Math.max(...mats.map((m) => m.norm()));
  if (scale === 0) return null;
  if (mats.length === 1) {
    const a = mats[0]!;
    const t = a.trace() / n;
    if (a.sub(Matrix.identity(n).scale(t)).norm() <= tol * scale) return 'scaling';
  }
  // Only all of some so(p,q) can be named: n(n−1)/2 generators (checked first: the system below is large).
  if (mats.length !== (n * (n - 1)) / 2) return null;
  // Unknowns: the n(n+1)/2 entries of a symmetric S; one block of equations per generator.
  const idx: Array<[number, number]> = [];
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) idx.push([i, j]);
  const blocks = mats.map((a) => {
    const b = new Matrix(n * n, idx.length);
    idx.forEach(([i, j], k) => {
      const s = new Matrix(n, n);
      s.set(i, j, 1);
      s.set(j, i, 1);
      const e = a.transpose().mul(s).add(s.mul(a)).scale(1 / scale);
      for (let r = 0; r < n * n; r++) b.data[r * idx.length + k] = e.data[r]!;
    });
    return b;
  });
  // A tolerance of 10·tol needs no more than CᵀC's accuracy: the Gram method is enough and far cheaper here.
  const ns = nullspace(blocks, { rtol: 10 * tol, method: 'gram' });
  if (ns.dimension !== 1) return null;
  const S = new Matrix(n, n);
  idx.forEach(([i, j], k) => {
    const v = ns.basis.data[k * ns.basis.cols]!;
    S.set(i, j, v);
    S.set(j, i, v);
  });
  const ev = eigh(S).values;
  const top = Math.max(...Array.from(ev, Math.abs));
  const pos = Array.from(ev).filter((v) => v > tol * top).length;
  const neg = Array.from(ev).filter((v) => v < -tol * top).length;
  if (pos + neg !== n || mats.length !== (n * (n - 1)) / 2) return null;
  const [p, q] = pos <= neg ? [pos, neg] : [neg, pos];
  return p === 0 ? `so(${n})` : `so(${p},${q})`;
}

/**
 * Names the algebra found by discovery with a linear candidate: the input parts when the
 * output parts vanish (gl-input), the common part when they agree (gl-lift), else the
 * output parts when the input parts vanish; null when nothing known matches.
 * @example
 * identifyPairs(discoverSymmetries(f, xs, { candidate: 'gl-input' }).generators); // 'so(3)' for f = |x|²
 */
export function identifyPairs(generators: ReadonlyArray<readonly [Matrix, Matrix]>): string | null {
  if (generators.length === 0) return null;
  const tiny = (m: Matrix, ref: number): boolean => m.norm() <= 1e-3 * ref;
  const ref = Math.max(...generators.map(([a, b]) => Math.hypot(a.norm(), b.norm())));
  const ins = generators.map(([a]) => a);
  const outs = generators.map(([, b]) => b);
  if (outs.every((b) => tiny(b, ref))) return identifyMatrixAlgebra(ins);
  if (generators.every(([a, b]) => a.rows === b.rows && tiny(a.sub(b), ref))) {
    const name = identifyMatrixAlgebra(ins);
    return name === null ? null : `${name} (lifted to the output)`;
  }
  if (ins.every((a) => tiny(a, ref))) {
    const name = identifyMatrixAlgebra(outs);
    return name === null ? null : `${name} (on the output)`;
  }
  return null;
}

/**
 * Which named candidate generators lie in a found span: ‖X − ΠX‖ ≤ tol·‖X‖ with Π the
 * orthogonal projection onto the span (orthonormal pairs, Frobenius).
 * @example identifyNamed(candidate.generators, r.generators); // ['translation-x', 'translation-y']
 */
export function identifyNamed(
  named: ReadonlyArray<{ name: string; pair: readonly [Matrix, Matrix] }>,
  span: ReadonlyArray<readonly [Matrix, Matrix]>,
  tol = 1e-2,
): string[] {
  return named
    .filter(({ pair: [a, b] }) => {
      let ra = a;
      let rb = b;
      for (const [ga, gb] of span) {
        const c = a.dot(ga) + b.dot(gb);
        ra = ra.sub(ga.scale(c));
        rb = rb.sub(gb.scale(c));
      }
      return Math.hypot(ra.norm(), rb.norm()) <= tol * Math.hypot(a.norm(), b.norm());
    })
    .map((x) => x.name);
}

/**
 * The name of a discovered algebra: for named (structured) candidates the named generators
 * it contains, joined by ' + ' (e.g. 'translation-x + translation-y'); otherwise
 * {@link identifyPairs} ('so(3)', 'so(1,3)', 'scaling', …); null when nothing known matches.
 */
export function identifyDiscovery(
  generators: ReadonlyArray<readonly [Matrix, Matrix]>,
  named: ReadonlyArray<{ name: string; pair: readonly [Matrix, Matrix] }> | null,
): string | null {
  if (generators.length === 0) return null;
  if (named) {
    const found = identifyNamed(named, generators);
    return found.length > 0 ? found.join(' + ') : null;
  }
  return identifyPairs(generators);
}
