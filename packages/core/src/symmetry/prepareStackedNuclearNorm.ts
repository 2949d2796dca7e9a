import { InvalidArgumentError, ShapeMismatchError, describe } from '../errors.js';
import { eigh } from '../linalg/eigh.js';
import { Matrix } from '../linalg/Matrix.js';
import type { SparseMatrix } from '../linalg/SparseMatrix.js';
import { checkRtol } from '../tolerances.js';
import type { LayerGenerators } from './layerGenerators.js';
import { GRAM_RTOL, type StackedNuclearNorm } from './stackedNuclearNorm.js';

/** Options of {@link PreparedStackedNuclearNorm.evaluate}. */
export interface StackedNuclearNormOptions {
  /** Singular values σ ≤ rtol·σ_max are left out of the subgradient (default 1e-6, as `stackedNuclearNorm`). */
  rtol?: number;
  /**
   * 'none' (default): ‖D‖_*. 'weights': ‖D‖_* / ‖W‖_F with ‖W‖_F over every layer's weights,
   * unchanged when the weights are scaled (0 with a zero gradient at W = 0).
   */
  normalize?: 'none' | 'weights';
}

/** Result of {@link PreparedStackedNuclearNorm.evaluate}: `stackedNuclearNorm`'s, normalized if asked, plus ‖W‖_F. */
export interface PreparedNuclearNormResult extends StackedNuclearNorm {
  /** ‖W‖_F over every layer's weights. */
  weightNorm: number;
}

/** {@link prepareStackedNuclearNorm}'s result: the structure of D fixed by the generators, and its evaluation at given weights. */
export interface PreparedStackedNuclearNorm {
  /** The generator blocks (indices into the q generators): the Gram matrix TᵀDᵀDT is block diagonal over them. */
  readonly blocks: readonly Int32Array[];
  /**
   * ‖D‖_* (or ‖D‖_* / ‖W‖_F) and its gradient for the weights `ws` (one dimOut×dimIn row-major array per layer).
   * @throws ShapeMismatchError when the number of layers or a layer's length does not fit; InvalidArgumentError for a bad rtol or normalize
   */
  evaluate(ws: readonly ArrayLike<number>[], options?: StackedNuclearNormOptions): PreparedNuclearNormResult;
}

/**
 * One block of generators on one layer: the Lie derivatives L_j W of the block's c generators,
 * stored compactly over the union U of the entries they can touch (c × |U|, row-major), as a list
 * of terms D[out] += coef·w[in]. The same list read backwards is the adjoint: grad[in] += coef·Y[out].
 */
interface BlockLayer {
  width: number;
  out: Int32Array;
  in: Int32Array;
  coef: Float64Array;
  d: Float64Array;
  y: Float64Array;
}

/** The terms of W·A_j − B_j·W (W m×n row-major) as (dense out index, in index, coefficient). */
function lieTerms([a, b]: readonly [SparseMatrix, SparseMatrix], m: number, n: number): { out: number[]; in: number[]; coef: number[] } {
  const t = { out: [] as number[], in: [] as number[], coef: [] as number[] };
  const add = (out: number, from: number, coef: number) => {
    t.out.push(out);
    t.in.push(from);
    t.coef.push(coef);
  };
  for (let k = 0; k < a.values.length; k++) {
    const [r, c, v] = [a.rowIndex[k]!, a.colIndex[k]!, a.values[k]!];
    for (let i = 0; i < m; i++) add(i * n + c, i * n + r, v);
  }
  for (let k = 0; k < b.values.length; k++) {
    const [i, r, v] = [b.rowIndex[k]!, b.colIndex[k]!, b.values[k]!];
    for (let c = 0; c < n; c++) add(i * n + c, r * n + c, -v);
  }
  return t;
}

/** The entries (i·n + c) that W·A − B·W can touch: the columns of A's nonzeros and the rows of B's. */
function supportOf([a, b]: readonly [SparseMatrix, SparseMatrix], m: number, n: number): Int32Array {
  const mask = new Uint8Array(m * n);
  for (const c of a.colIndex) for (let i = 0; i < m; i++) mask[i * n + c] = 1;
  for (const i of b.rowIndex) mask.fill(1, i * n, (i + 1) * n);
  return indices(mask);
}

function indices(mask: Uint8Array): Int32Array {
  let count = 0;
  for (const v of mask) count += v;
  const out = new Int32Array(count);
  let k = 0;
  for (let e = 0; e < mask.length; e++) if (mask[e]) out[k++] = e;
  return out;
}

/** Generators whose Lie derivatives share an entry (or that T mixes) are joined; the rest of DᵀD is zero. */
function generatorBlocks(supports: Int32Array[][], t: Matrix, sizes: number[]): Int32Array[] {
  const q = t.rows;
  const parent = Int32Array.from({ length: q }, (_, j) => j);
  const find = (j: number): number => {
    while (parent[j] !== j) j = parent[j] = parent[parent[j]!]!;
    return j;
  };
  const union = (a: number, b: number) => {
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  supports.forEach((layer, l) => {
    const owner = new Int32Array(sizes[l]!).fill(-1);
    layer.forEach((s, j) => {
      for (const e of s) {
        if (owner[e]! < 0) owner[e] = j;
        else union(owner[e]!, j);
      }
    });
  });
  for (let i = 0; i < q; i++) for (let j = 0; j < q; j++) if (t.data[i * q + j] !== 0 && i !== j) union(i, j);
  const groups = new Map<number, number[]>();
  for (let j = 0; j < q; j++) {
    const r = find(j);
    groups.set(r, [...(groups.get(r) ?? []), j]);
  }
  return [...groups.values()].map((g) => Int32Array.from(g));
}

/**
 * `stackedNuclearNorm` prepared once for fixed generators, for a training loop that evaluates it
 * at new weights every step. Everything that depends only on the generators is computed here:
 * the entries each Lie derivative L_j W can touch (so D is computed, multiplied and mapped back
 * only there), the transposed generators of the adjoint, and the blocks of generators whose Lie
 * derivatives never share an entry (and that T does not mix): DᵀD is block diagonal over them, so
 * the q×q eigenproblem splits into one per block. For 'gl-input' on an n-input layer these are n
 * blocks of n (n² generators), an n³ eigen-cost instead of n⁶. The numbers are
 * `stackedNuclearNorm`'s: the same Gram-matrix route, in float64, with the same subgradient.
 *
 * @param layers each layer's generators (e.g. from `layerGenerators`), q pairs each
 * @param options.orthonormalizer T (q×q; default the identity)
 * @throws InvalidArgumentError for no layers; ShapeMismatchError when generator counts or T do not fit
 * @example
 * const { generators, orthonormalizer } = layerGenerators(V(SO(3)), V(SO(3)));
 * const penalty = prepareStackedNuclearNorm([generators], { orthonormalizer });
 * penalty.evaluate([Matrix.identity(3).data]).value; // 0, as stackedNuclearNorm
 */
export function prepareStackedNuclearNorm(layers: readonly LayerGenerators[], options: { orthonormalizer?: Matrix } = {}): PreparedStackedNuclearNorm {
  const fn = 'prepareStackedNuclearNorm';
  if (!Array.isArray(layers as unknown) || layers.length === 0) throw new InvalidArgumentError(`${fn}: 'layers' must hold at least one layer's generators; received ${describe(layers)}`);
  const q = layers[0]!.pairs.length;
  const t = options.orthonormalizer ?? Matrix.identity(q);
  layers.forEach((g, l) => {
    if (g.pairs.length !== q || t.rows !== q || t.cols !== q) {
      throw new ShapeMismatchError(`${fn}: every layer needs ${t.rows} generators (T is ${t.rows}×${t.cols}); layer ${l} has ${g.pairs.length}`);
    }
  });
  const supports = layers.map((g) => g.pairs.map((p) => supportOf(p, g.dimOut, g.dimIn)));
  const blocks = generatorBlocks(supports, t, layers.map((g) => g.dimOut * g.dimIn));
  const sizes = layers.map((g) => [g.dimOut, g.dimIn] as const);
  const perBlock: BlockLayer[][] = blocks.map((blk) =>
    layers.map((g, l) => {
      const [m, n] = sizes[l]!;
      const pos = new Int32Array(m * n).fill(-1);
      const mask = new Uint8Array(m * n);
      for (const j of blk) for (const e of supports[l]![j]!) mask[e] = 1;
      const u = indices(mask);
      u.forEach((e, k) => (pos[e] = k));
      const terms = { out: [] as number[], in: [] as number[], coef: [] as number[] };
      blk.forEach((j, row) => {
        const t = lieTerms(g.pairs[j]!, m, n);
        t.out.forEach((e, k) => {
          terms.out.push(row * u.length + pos[e]!);
          terms.in.push(t.in[k]!);
          terms.coef.push(t.coef[k]!);
        });
      });
      const size = blk.length * u.length;
      return { width: u.length, out: Int32Array.from(terms.out), in: Int32Array.from(terms.in), coef: Float64Array.from(terms.coef), d: new Float64Array(size), y: new Float64Array(size) };
    }),
  );
  // T restricted to each block (T mixes no two blocks by construction)
  const blockT = blocks.map((b) => {
    const c = b.length;
    const tb = new Matrix(c, c);
    for (let i = 0; i < c; i++) for (let j = 0; j < c; j++) tb.data[i * c + j] = t.data[b[i]! * q + b[j]!]!;
    const identity = tb.data.every((v, e) => v === (e % (c + 1) === 0 ? 1 : 0));
    return { tb, tbT: tb.transpose(), identity };
  });

  // blocks whose D is the same matrix at every W (same terms, same T) share one Gram matrix, eigenproblem and gradient
  const classes = new Map<string, { block: number; count: number }>();
  perBlock.forEach((bl, k) => {
    const key = bl.map((p) => `${p.width};${p.out.join(',')};${p.in.join(',')};${p.coef.join(',')}`).join('|');
    const tKey = `${key}#${blockT[k]!.tb.data.join(',')}`;
    const hit = classes.get(tKey);
    if (hit) hit.count++;
    else classes.set(tKey, { block: k, count: 1 });
  });
  const unique = [...classes.values()];

  const evaluate = (ws: readonly ArrayLike<number>[], opts: StackedNuclearNormOptions = {}): PreparedNuclearNormResult => {
    const efn = `${fn}.evaluate`;
    const rtol = checkRtol(efn, opts.rtol ?? GRAM_RTOL);
    const normalize = opts.normalize ?? 'none';
    if (normalize !== 'none' && normalize !== 'weights') throw new InvalidArgumentError(`${efn}: 'normalize' must be 'none' or 'weights'; received ${describe(normalize)}`);
    if (!Array.isArray(ws as unknown) || ws.length !== sizes.length) throw new ShapeMismatchError(`${efn}: 'ws' must hold ${sizes.length} layers' weights; received ${describe(ws)}`);
    let sumSq = 0;
    sizes.forEach(([m, n], l) => {
      const w = ws[l];
      if (w?.length !== m * n) throw new ShapeMismatchError(`${efn}: layer ${l}'s weights must hold ${m}×${n} numbers; received ${describe(w?.length)}`);
      for (let e = 0; e < w.length; e++) sumSq += w[e]! * w[e]!;
    });
    // per block: D over its entries, then M = Tᵀ(DᵀD)T = VΛVᵀ
    const spectra = unique.map(({ block: k }) => {
      const c = blocks[k]!.length;
      const raw = new Matrix(c, c);
      perBlock[k]!.forEach((p, l) => {
        const { d, out, coef, width } = p;
        const w = ws[l]!;
        const inIdx = p.in;
        d.fill(0);
        for (let t = 0; t < out.length; t++) d[out[t]!]! += coef[t]! * w[inIdx[t]!]!;
        for (let i = 0; i < c; i++) {
          for (let j = i; j < c; j++) {
            let sum = 0;
            for (let e = 0, x = i * width, y = j * width; e < width; e++) sum += d[x + e]! * d[y + e]!;
            raw.data[i * c + j]! += sum;
            if (j !== i) raw.data[j * c + i]! += sum;
          }
        }
      });
      const { tb, tbT, identity } = blockT[k]!;
      const m = identity ? raw : tbT.mul(raw).mul(tb);
      return c === 1 ? { values: Float64Array.of(m.data[0]!), vectors: Matrix.identity(1) } : eigh(m);
    });
    const sigma = new Float64Array(q);
    let at = 0;
    spectra.forEach((sp, u) => {
      for (let r = 0; r < unique[u]!.count; r++) for (const l of sp.values) sigma[at++] = Math.sqrt(Math.max(l, 0));
    });
    let sMax = 0;
    let value = 0;
    for (const s of sigma) {
      value += s;
      if (s > sMax) sMax = s;
    }
    const weightNorm = Math.sqrt(sumSq);
    const gradients = sizes.map(([m, n]) => new Float64Array(m * n));
    unique.forEach(({ block: k, count }, u) => {
      const c = blocks[k]!.length;
      const { values, vectors } = spectra[u]!;
      const pinv = new Matrix(c, c);
      let any = false;
      for (let r = 0; r < c; r++) {
        const s = Math.sqrt(Math.max(values[r]!, 0));
        if (!(s > rtol * sMax) || s === 0) continue;
        any = true;
        const inv = count / s;
        for (let i = 0; i < c; i++) {
          const vi = vectors.data[i * c + r]!;
          for (let j = 0; j < c; j++) pinv.data[i * c + j]! += inv * vi * vectors.data[j * c + r]!;
        }
      }
      if (!any) return;
      // the subgradient U·Vᵀ = D·T·(VΣ⁺Vᵀ)·Tᵀ = D·N, mapped back by the adjoint of each generator's Lie derivative
      // (count identical blocks give count identical contributions)
      const bt = blockT[k]!;
      const nk = (bt.identity ? pinv : bt.tb.mul(pinv).mul(bt.tbT)).data;
      perBlock[k]!.forEach((p, l) => {
        const { d, y, out, coef, width } = p;
        const g = gradients[l]!;
        const inIdx = p.in;
        y.fill(0);
        for (let kk = 0; kk < c; kk++) {
          for (let i = 0; i < c; i++) {
            const a = nk[i * c + kk]!;
            if (a === 0) continue;
            for (let e = 0, x = i * width, z = kk * width; e < width; e++) y[z + e]! += a * d[x + e]!;
          }
        }
        for (let t = 0; t < out.length; t++) g[inIdx[t]!]! += coef[t]! * y[out[t]!]!;
      });
    });
    const singularValues = sigma.sort();
    if (normalize === 'none') return { value, gradients, singularValues, weightNorm };
    if (weightNorm === 0) return { value: 0, gradients, singularValues, weightNorm };
    const c = value / (weightNorm * weightNorm);
    gradients.forEach((g, l) => {
      const w = ws[l]!;
      for (let e = 0; e < g.length; e++) g[e] = (g[e]! - c * w[e]!) / weightNorm;
    });
    return { value: value / weightNorm, gradients, singularValues, weightNorm };
  };
  return { blocks, evaluate };
}
