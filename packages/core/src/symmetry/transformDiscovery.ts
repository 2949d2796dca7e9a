import { solve } from '../linalg/lu.js';
import { Matrix } from '../linalg/Matrix.js';
import { nullspace, orthonormalColumns } from '../linalg/nullspace.js';
import { qrR } from '../linalg/svd.js';
import { closureResidual } from './discoverSymmetries.js';
import type { FieldGenerator } from './fieldGenerators.js';
import type { NamedTransform } from './namedTransforms.js';

/** Whether the discovered span of named transforms closes under the bracket of their field generators. */
export interface TransformClosure {
  /**
   * True when every bracket of two unit elements of the span lies in it (off-span part ≤ the
   * tolerance); null when a transform in the span has no field generator (contrast) and the
   * bracket is not defined.
   */
  closed: boolean | null;
  /** The largest off-span part of [X, Y] over unit X, Y of the span (see `closureResidual`), or null. */
  residual: number | null;
  /** Why `closed` is null, else null. */
  reason: string | null;
}

/**
 * Discovery within the span of named transforms (the `discovery` of {@link localEquivarianceError}
 * with `discover: true`): the combinations Σ cₖ·gₖ of the family's transforms whose local
 * equivariance error is at or below the tolerance.
 */
export interface TransformDiscovery {
  /** The transform names, in the family's order: the coordinates of `basis`. */
  names: string[];
  /**
   * Transforms whose field generator is a combination of earlier ones (per degree and percent,
   * shear-y = shear-x + (180/(100π))·rotation, so shear-y after both): their Lie derivative is the
   * same combination of the others' for every model, so they are left out of the span (coefficient 0
   * in `basis`) and `combination` says what they equal.
   */
  dependent: Array<{ name: string; combination: Record<string, number> }>;
  /**
   * All singular values (one per independent transform) of the stacked Lie-derivative columns, ascending. Each column is scaled
   * as the per-transform relative error is, so σ of a unit coefficient vector c is the relative
   * error of the combination Σ cₖ·gₖ (per unit of each transform) and e_k gives transform k's `error`.
   */
  singularValues: Float64Array;
  /** How many singular values are at or below `threshold`: the dimension of the found span. */
  dimension: number;
  /** The absolute threshold: the tolerance of the verdicts (σ are relative errors). */
  threshold: number;
  /** The spectral gap at the decision (see `nullspace`). */
  gap: number;
  /**
   * An orthonormal basis of the found span, one coefficient per name (per unit of each transform):
   * as close to the named transforms as the span allows (greedily the transform axis the span holds
   * most of, projected), so a span of named transforms is given by those names; the largest
   * coefficient of each vector positive.
   */
  basis: Array<Record<string, number>>;
  /** Closure of the found span under the bracket of the transforms' field generators. */
  closure: TransformClosure;
  /**
   * Whether the samples determine the dimension: every other sample alone gives the same one.
   * False (with `reason`) when they do not, or when there are fewer rows than 2·K for that check.
   */
  determined: boolean;
  reason: string | null;
}

/**
 * Rows of K columns stacked as they come, compressed to their triangular factor R (core's
 * Householder `qrR`, which keeps the singular values and right singular vectors, and R[:, kept] is
 * the factor of the kept columns) whenever more than max(8K, 2¹⁵) rows are held: memory stays
 * bounded for image-to-image models with many outputs per sample.
 */
export class RowStack {
  private blocks: Matrix[] = [];
  private held = 0;
  constructor(private readonly K: number) {}
  push(block: Matrix): void {
    this.blocks.push(block);
    this.held += block.rows;
    if (this.held > Math.max(8 * this.K, 2 ** 15)) {
      const r = qrR(Matrix.vstack(this.blocks));
      this.blocks = [r];
      this.held = r.rows;
    }
  }
  /** The stacked rows (or their R factor), `K` columns. */
  matrix(): Matrix {
    return this.blocks.length === 1 ? this.blocks[0]! : this.blocks.length === 0 ? new Matrix(0, this.K) : Matrix.vstack(this.blocks);
  }
}

/** Coefficients below this (of a unit vector) are treated as not involving the transform. */
const INVOLVED = 1e-6;

/**
 * The same span, with a basis as close to the named transforms as it allows: repeatedly the
 * normalized projection of the transform axis e_k that the remaining span holds most of, so a span
 * of named transforms (rotation; translation-x and translation-y) comes out as those names. Each
 * vector's largest coefficient is positive.
 */
function alignedBasis(basis: readonly Float64Array[]): Float64Array[] {
  const K = basis[0]?.length ?? 0;
  let rest: Float64Array[] = basis.map((v) => Float64Array.from(v));
  const out: Float64Array[] = [];
  while (rest.length > 0) {
    // ‖P e_k‖² = Σ_j v_j[k]² over an orthonormal basis v_j of the remaining span.
    let best = 0;
    let bestNorm = -1;
    for (let k = 0; k < K; k++) {
      const nk = rest.reduce((a, v) => a + v[k]! ** 2, 0);
      if (nk > bestNorm + 1e-12) {
        best = k;
        bestNorm = nk;
      }
    }
    const p = new Float64Array(K);
    for (const v of rest) for (let i = 0; i < K; i++) p[i]! += v[best]! * v[i]!;
    const norm = Math.hypot(...p);
    const b = p.map((x) => x / norm);
    let big = 0;
    for (let k = 1; k < K; k++) if (Math.abs(b[k]!) > Math.abs(b[big]!)) big = k;
    out.push(b[big]! < 0 ? b.map((x) => -x) : b);
    // The rest of the span: orthonormal vectors orthogonal to b (Gram–Schmidt, twice).
    const next: Float64Array[] = [];
    for (const v of rest) {
      const r = v.slice();
      for (let pass = 0; pass < 2; pass++) {
        for (const q of [b, ...next]) {
          let t = 0;
          for (let i = 0; i < K; i++) t += q[i]! * r[i]!;
          for (let i = 0; i < K; i++) r[i]! -= t * q[i]!;
        }
      }
      const nr = Math.hypot(...r);
      if (nr > 1e-8 && next.length < rest.length - 1) next.push(r.map((x) => x / nr));
    }
    rest = next;
  }
  return out;
}

/** The flattened generator pairs of the transforms (null for those without a generator), on common sizes. */
function flatGenerators(transforms: readonly NamedTransform[]): { flat: Array<Float64Array | null>; d: number; c: number } {
  const gens = transforms.map((t) => t.generator);
  const d = Math.max(0, ...gens.map((g) => Math.max(g?.A?.length ?? 0, g?.b?.length ?? 0)));
  const c = Math.max(0, ...gens.map((g) => Math.max(g?.V?.length ?? 0, g?.s?.length ?? 0)));
  const flat = gens.map((g) => {
    if (!g) return null;
    const [a, v] = generatorPair(g, { d, c });
    const out = new Float64Array(a.data.length + v.data.length);
    out.set(a.data);
    out.set(v.data, a.data.length);
    return out;
  });
  return { flat, d, c };
}

/** Which transforms are independent (greedy in the family's order) and what each dependent one equals. */
function independence(transforms: readonly NamedTransform[]): { kept: number[]; dependent: TransformDiscovery['dependent'] } {
  const { flat } = flatGenerators(transforms);
  const kept: number[] = [];
  const dependent: TransformDiscovery['dependent'] = [];
  const q: Float64Array[] = [];
  flat.forEach((g, k) => {
    if (g === null) {
      kept.push(k);
      return;
    }
    const r = g.slice();
    for (let pass = 0; pass < 2; pass++) {
      for (const u of q) {
        let t = 0;
        for (let i = 0; i < r.length; i++) t += u[i]! * r[i]!;
        for (let i = 0; i < r.length; i++) r[i]! -= t * u[i]!;
      }
    }
    const nr = Math.hypot(...r);
    if (nr > 1e-10 * Math.hypot(...g)) {
      q.push(r.map((v) => v / nr));
      kept.push(k);
      return;
    }
    // g = Σ cⱼ gⱼ over the kept generators: the normal equations (they are independent).
    const idx = kept.filter((j) => flat[j] !== null);
    const G = new Matrix(g.length, idx.length);
    idx.forEach((j, col) => flat[j]!.forEach((v, i) => (G.data[i * idx.length + col] = v)));
    const c = solve(G.transpose().mul(G), G.transpose().mul(Matrix.column(g))).data;
    dependent.push({ name: transforms[k]!.name, combination: Object.fromEntries(idx.map((j, col) => [transforms[j]!.name, c[col]!])) });
  });
  return { kept, dependent };
}

/** The augmented matrix [[A, b], [0, 0]] of an affine map x ↦ A·x + b, (n+1)×(n+1). */
function augmented(a: FieldGenerator['A'], b: FieldGenerator['b'], n: number): Matrix {
  const m = new Matrix(n + 1, n + 1);
  a?.forEach((row, i) => row.forEach((v, j) => (m.data[i * (n + 1) + j] = v)));
  b?.forEach((v, i) => (m.data[i * (n + 1) + n] = v));
  return m;
}

/**
 * The field generator as a pair of augmented affine matrices (domain flow A·p + b, value action
 * V·u + s): the domain and value parts commute, so the bracket of two generators is the
 * componentwise commutator of these pairs.
 */
function generatorPair(g: FieldGenerator, dims: { d: number; c: number }): [Matrix, Matrix] {
  return [augmented(g.A, g.b, dims.d), augmented(g.V, g.s, dims.c)];
}

/**
 * Closure of the span of unit coefficient vectors under the bracket of the named transforms'
 * field generators: the combinations become generator pairs, are orthonormalized (Frobenius) and
 * passed to core's `closureResidual`.
 */
function transformClosure(transforms: readonly NamedTransform[], basis: readonly Float64Array[], tolerance: number): TransformClosure {
  const involved = transforms.filter((_, k) => basis.some((c) => Math.abs(c[k]!) > INVOLVED));
  const missing = involved.filter((t) => t.generator === undefined).map((t) => t.name);
  if (missing.length > 0) return { closed: null, residual: null, reason: `${missing.join(', ')} ha${missing.length > 1 ? 've' : 's'} no field generator: the bracket is not defined` };
  if (basis.length < 2) return { closed: true, residual: 0, reason: null };
  const { flat: gens, d, c } = flatGenerators(transforms);
  const sizes = [(d + 1) ** 2, (c + 1) ** 2];
  // Columns: the flattened pairs of the combinations Σ cₖ·Gₖ.
  const flat = new Matrix(sizes[0]! + sizes[1]!, basis.length);
  basis.forEach((coef, j) => {
    gens.forEach((g, k) => {
      const w = coef[k]!;
      if (w === 0 || g === null) return;
      for (let i = 0; i < g.length; i++) flat.data[i * basis.length + j]! += w * g[i]!;
    });
  });
  const q = orthonormalColumns(flat);
  const units = Array.from({ length: q.cols }, (_, j): [Matrix, Matrix] => {
    const col = q.column(j);
    return [new Matrix(d + 1, d + 1, col.slice(0, sizes[0])), new Matrix(c + 1, c + 1, col.slice(sizes[0]))];
  });
  const residual = closureResidual(units);
  return { closed: residual <= tolerance, residual, reason: null };
}

/**
 * Reads the discovered span off the stacked, scaled Lie-derivative columns (rows (sample, output),
 * one column per named transform), given as the rows of the even and of the odd samples (each
 * possibly reduced to its R factor): core's `nullspace` with the verdicts' tolerance as its absolute
 * threshold (rtol 0: σ are already relative errors), the every-other-sample cross-check, and the
 * closure of the span.
 */
export function transformDiscovery(parts: { even: Matrix; odd: Matrix }, spec: { transforms: readonly NamedTransform[]; tolerance: number; rowsPerSample: number; sampleCount: number }): TransformDiscovery {
  const { transforms, tolerance, rowsPerSample, sampleCount } = spec;
  const names = transforms.map((t) => t.name);
  const { kept, dependent } = independence(transforms);
  const k2 = kept.length;
  const select = (a: Matrix): Matrix => {
    const out = new Matrix(a.rows, k2);
    for (let i = 0; i < a.rows; i++) kept.forEach((k, j) => (out.data[i * k2 + j] = a.data[i * a.cols + k]!));
    return out;
  };
  const even = select(parts.even);
  const blocks = [even, select(parts.odd)].filter((b) => b.rows > 0);
  const ns = nullspace(blocks, { rtol: 0, atol: tolerance });
  const vectors = alignedBasis(
    Array.from({ length: ns.dimension }, (_, j) => {
      const u = ns.basis.column(j);
      const v = new Float64Array(transforms.length);
      kept.forEach((k, i) => (v[k] = u[i]!));
      return v;
    }),
  );
  const half = Math.ceil(sampleCount / 2);
  let determined = false;
  let reason: string | null = null;
  if (half * rowsPerSample < k2) {
    reason = `too few rows to cross-check the decision: ${sampleCount * rowsPerSample} rows for ${k2} independent transforms (the check needs 2·${k2}); use more samples`;
  } else {
    // Half the samples: the same scaled columns are √(S/half) too small relative to their own RMS.
    const other = nullspace(even.scale(Math.sqrt(sampleCount / half)), { rtol: 0, atol: tolerance }).dimension;
    determined = other === ns.dimension;
    if (!determined) reason = `half of the samples give dimension ${other}, all of them ${ns.dimension}: the samples do not determine the span yet; use more samples`;
  }
  return {
    names,
    dependent,
    singularValues: ns.singularValues,
    dimension: ns.dimension,
    threshold: ns.threshold,
    gap: ns.gap,
    basis: vectors.map((v) => Object.fromEntries(names.map((n, k) => [n, v[k]!]))),
    closure: transformClosure(transforms, vectors, tolerance),
    determined,
    reason,
  };
}

/**
 * A discovered combination as text, e.g. "0.71·translation-x + 0.70·rotation": the coefficients
 * of magnitude ≥ 0.005, two decimals, largest first.
 * @example formatCombination({ 'translation-x': 0.7071, rotation: -0.7071, scaling: 0 }); // "0.71·translation-x − 0.71·rotation"
 */
export function formatCombination(c: Record<string, number>): string {
  const terms = Object.entries(c)
    .filter(([, v]) => Math.abs(v) >= 0.005)
    .sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
  return terms
    .map(([n, v], i) => `${i === 0 ? (v < 0 ? '−' : '') : v < 0 ? ' − ' : ' + '}${Math.abs(v).toFixed(2)}·${n}`)
    .join('');
}
