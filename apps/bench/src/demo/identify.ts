import { Matrix, nullspace, type DiscoveryResult } from '@liesym/core';

/**
 * For the demo's table, where core's identifyPairs knows no name: the algebra's rotation part (generators with antisymmetric A_in and A_out,
 * computed as an intersection, so independent of the basis returned) and whether the rest
 * is a scaling.
 */
export function identify(r: DiscoveryResult): string {
  if (r.dimension === 0) return 'none';
  const n = r.generators[0]![0].rows;
  // The generators are orthonormal, so an absolute tolerance is meaningful here.
  const cols = r.generators.map(([a, b]) => [...a.add(a.transpose()).data, ...b.add(b.transpose()).data]);
  const M = new Matrix(cols[0]!.length, cols.length);
  cols.forEach((col, k) => col.forEach((v, i) => M.set(i, k, v)));
  const rot = nullspace(M, { rtol: 0, atol: 1e-6 });
  const parts: string[] = [];
  if (rot.nullity === (n * (n - 1)) / 2) parts.push(`so(${n})`);
  else if (rot.nullity > 0) parts.push(`${rot.nullity} rotation${rot.nullity > 1 ? 's' : ''}`);
  const rest = r.dimension - rot.nullity;
  if (rest === 1) {
    const c = nullspace(rot.basis.transpose(), { rtol: 0, atol: 1e-6 }).basis.column(0);
    let a = new Matrix(n, n);
    c.forEach((ck, k) => (a = a.add(r.generators[k]![0].scale(ck))));
    const t = a.trace() / n;
    const isScaling = Math.abs(t) > 1e-6 && a.sub(Matrix.identity(n).scale(t)).norm() < 1e-6 * a.norm();
    parts.push(isScaling ? 'scaling' : '1 more');
  } else if (rest > 1) parts.push(`${rest} more`);
  return parts.join(' ⊕ ');
}
