import { Matrix } from '../linalg/Matrix.js';
import { eigh } from '../linalg/eigh.js';
import { type NullspaceOptions, nullspace } from '../linalg/nullspace.js';
import { type FactorData, type ReducedSolve, isAntisymmetric, isSymmetric, kronApply, kronSumApply } from './factorView.js';

/** Largest zero-weight space the weight-space solver hands to the dense nullspace. */
const MAX_ZERO_WEIGHT_DIM = 1500;

/**
 * Eigenvectors of one factor's generator H: `weights[a]` with complex vector re + i·im.
 * `conj[a]` is the index of the conjugate eigenvector (itself when real).
 */
interface FactorWeights {
  weights: number[];
  re: Float64Array[];
  im: Float64Array[];
  conj: number[];
}

/** Weights of a symmetric H (real orthonormal eigenvectors) or an antisymmetric one (±iμ pairs, as weights ±μ). */
function factorWeights(h: Matrix): FactorWeights | undefined {
  const n = h.rows;
  const scale = Math.max(h.maxAbs(), Number.MIN_VALUE);
  if (isSymmetric(h)) {
    const e = eigh(h);
    const w: FactorWeights = { weights: [], re: [], im: [], conj: [] };
    for (let a = 0; a < n; a++) {
      w.weights.push(Math.abs(e.values[a]!) <= 1e-12 * scale ? 0 : e.values[a]!);
      w.re.push(e.vectors.column(a));
      w.im.push(new Float64Array(n));
      w.conj.push(a);
    }
    return w;
  }
  if (!isAntisymmetric(h)) return undefined;
  // −H² is symmetric with eigenvalues μ² (each twice for μ ≠ 0); H a = μ b on each plane.
  const e = eigh(h.mul(h).scale(-1));
  const w: FactorWeights = { weights: [], re: [], im: [], conj: [] };
  const used = new Uint8Array(n);
  for (let a = 0; a < n; a++) {
    if (used[a]) continue;
    const mu2 = e.values[a]!;
    const va = e.vectors.column(a);
    if (mu2 <= 1e-12 * scale * scale) {
      w.weights.push(0);
      w.re.push(va);
      w.im.push(new Float64Array(n));
      w.conj.push(w.weights.length - 1);
      used[a] = 1;
      continue;
    }
    const mu = Math.sqrt(mu2);
    const hb = h.mulVec(va);
    const b = hb.map((x) => x / mu);
    // b lies in the same eigenspace of −H²; remove it from the remaining candidates.
    let partner = -1;
    let best = 0;
    for (let c = a + 1; c < n; c++) {
      if (used[c] || Math.abs(e.values[c]! - mu2) > 1e-8 * Math.max(mu2, 1)) continue;
      const vc = e.vectors.column(c);
      let dot = 0;
      for (let i = 0; i < n; i++) dot += vc[i]! * b[i]!;
      if (Math.abs(dot) > best) {
        best = Math.abs(dot);
        partner = c;
      }
    }
    if (partner < 0) return undefined;
    used[a] = 1;
    used[partner] = 1;
    // Re-orthonormalize the rest of this eigenspace against b (it is spanned together with va).
    for (let c = a + 1; c < n; c++) {
      if (used[c] || Math.abs(e.values[c]! - mu2) > 1e-8 * Math.max(mu2, 1)) continue;
      const vc = e.vectors.column(c);
      let d1 = 0;
      let d2 = 0;
      for (let i = 0; i < n; i++) {
        d1 += vc[i]! * va[i]!;
        d2 += vc[i]! * b[i]!;
      }
      if (Math.abs(d1) > 1e-8 || Math.abs(d2) > 1e-8) return undefined;
    }
    const s = Math.SQRT1_2;
    // H(a − i b) = μ b + i μ a = iμ (a − i b): weight +μ; the conjugate has weight −μ.
    const i0 = w.weights.length;
    w.weights.push(mu, -mu);
    w.re.push(va.map((x) => x * s), va.map((x) => x * s));
    w.im.push(b.map((x) => -x * s), b.map((x) => x * s));
    w.conj.push(i0 + 1, i0);
  }
  return w;
}

/** Multi-indices (one eigenvector per factor) whose weights sum to 0, by depth-first search with pruning. */
function zeroWeightIndices(ws: readonly FactorWeights[], limit: number): number[][] | undefined {
  const k = ws.length;
  const maxRest = new Array<number>(k + 1).fill(0);
  const minRest = new Array<number>(k + 1).fill(0);
  for (let f = k - 1; f >= 0; f--) {
    maxRest[f] = maxRest[f + 1]! + Math.max(...ws[f]!.weights);
    minRest[f] = minRest[f + 1]! + Math.min(...ws[f]!.weights);
  }
  const scale = Math.max(maxRest[0]!, -minRest[0]!, 1);
  const tol = 1e-9 * scale;
  const out: number[][] = [];
  const cur = new Array<number>(k).fill(0);
  let overflow = false;
  const rec = (f: number, sum: number): void => {
    if (overflow) return;
    if (f === k) {
      if (Math.abs(sum) <= tol) {
        out.push(cur.slice());
        if (out.length > limit) overflow = true;
      }
      return;
    }
    if (sum + maxRest[f]! < -tol || sum + minRest[f]! > tol) return;
    const w = ws[f]!.weights;
    for (let a = 0; a < w.length; a++) {
      cur[f] = a;
      rec(f + 1, sum + w[a]!);
    }
  };
  rec(0, 0);
  return overflow ? undefined : out;
}

/** The (complex) product vector ⊗_f v_(f, α_f). */
function productVector(ws: readonly FactorWeights[], alpha: readonly number[]): [Float64Array, Float64Array] {
  let re = new Float64Array([1]);
  let im = new Float64Array([0]);
  ws.forEach((w, f) => {
    const vr = w.re[alpha[f]!]!;
    const vi = w.im[alpha[f]!]!;
    const d = vr.length;
    const nr = new Float64Array(re.length * d);
    const ni = new Float64Array(re.length * d);
    for (let i = 0; i < re.length; i++) {
      const a = re[i]!;
      const b = im[i]!;
      for (let j = 0; j < d; j++) {
        nr[i * d + j] = a * vr[j]! - b * vi[j]!;
        ni[i * d + j] = a * vi[j]! + b * vr[j]!;
      }
    }
    re = nr;
    im = ni;
  });
  return [re, im];
}

/** Only the tolerances of the options (the nullspace picks its own method for the reduced problem). */
export function toleranceOptions(options: { rtol?: number; atol?: number }): NullspaceOptions {
  const out: NullspaceOptions = {};
  if (options.rtol !== undefined) out.rtol = options.rtol;
  if (options.atol !== undefined) out.atol = options.atol;
  return out;
}

/** Output of {@link weightSpaceBasis}: the reduced solve plus the zero-weight dimension used. */
export interface WeightSpaceSolve extends ReducedSolve {
  /** Dimension of the zero-weight space the constraints were imposed on. */
  zeroWeightDim: number;
}

/**
 * Invariants through the zero-weight space of one generator. dρ(H) of a tensor product is the
 * Kronecker sum of the factors' dρ(H), whose eigenvectors are products of the factors'
 * eigenvectors with summed eigenvalues; an invariant has dρ(H)v = 0, so it lies in the span of
 * the products whose eigenvalues sum to 0. For a symmetric H (boosts, Cartan elements) these are
 * real; for an antisymmetric H (rotations, eigenvalues ±iμ) the conjugate pairs give the real
 * basis √2·Re z, √2·Im z. The remaining constraints (all dρ(ξᵢ) and ρ(hⱼ) − I) are then imposed on
 * that subspace with the dense {@link nullspace}. H is the generator with the smallest zero-weight space.
 *
 * @returns undefined when no generator is symmetric or antisymmetric on every factor, or the
 * zero-weight space is too large
 */
export function weightSpaceBasis(factors: readonly FactorData[], options: { rtol?: number; atol?: number } = {}): WeightSpaceSolve | undefined {
  const q = factors[0]!.lie.length;
  const n = factors.reduce((s, f) => s * f.dim, 1);
  let best: number[][] | undefined;
  let bestWs: FactorWeights[] | undefined;
  for (let i = 0; i < q; i++) {
    const ws: FactorWeights[] = [];
    let ok = true;
    for (const f of factors) {
      const w = factorWeights(f.lie[i]!);
      if (!w) {
        ok = false;
        break;
      }
      ws.push(w);
    }
    if (!ok) continue;
    const idx = zeroWeightIndices(ws, Math.min(best?.length ?? Infinity, MAX_ZERO_WEIGHT_DIM));
    if (idx && (!best || idx.length < best.length)) {
      best = idx;
      bestWs = ws;
    }
  }
  if (!best || !bestWs || best.length >= n) return undefined;
  const ws = bestWs;
  const key = (a: readonly number[]): string => a.join(',');
  const seen = new Set<string>();
  const columns: Float64Array[] = [];
  for (const alpha of best) {
    const k = key(alpha);
    if (seen.has(k)) continue;
    seen.add(k);
    const conj = alpha.map((a, f) => ws[f]!.conj[a]!);
    const [re, im] = productVector(ws, alpha);
    if (key(conj) === k) {
      columns.push(re);
    } else {
      seen.add(key(conj));
      columns.push(re.map((x) => x * Math.SQRT2), im.map((x) => x * Math.SQRT2));
    }
  }
  const d0 = columns.length;
  const w = new Matrix(n, d0);
  columns.forEach((c, j) => {
    for (let i = 0; i < n; i++) w.data[i * d0 + j] = c[i]!;
  });
  const blocks: Matrix[] = [];
  for (let i = 0; i < q; i++) {
    const ms = factors.map((f) => f.lie[i]!);
    if (ms.every((m) => m.maxAbs() === 0)) continue;
    blocks.push(kronSumApply(ms, w));
  }
  const p = factors[0]!.disc.length;
  for (let j = 0; j < p; j++) blocks.push(kronApply(factors.map((f) => f.disc[j]!), w).sub(w));
  if (blocks.length === 0) return { basis: w, singularValues: new Float64Array(d0), gap: Infinity, threshold: 0, zeroWeightDim: d0 };
  const r = nullspace(blocks, toleranceOptions(options));
  return {
    basis: w.mul(r.basis),
    singularValues: r.singularValues,
    gap: r.gap,
    threshold: r.threshold,
    zeroWeightDim: d0,
  };
}
