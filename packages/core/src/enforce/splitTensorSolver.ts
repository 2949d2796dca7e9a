import { Matrix } from '../linalg/Matrix.js';
import { eigh } from '../linalg/eigh.js';
import { createRng } from '../linalg/random.js';
import { type FactorData, isAntisymmetric, kronSumDense } from './factorView.js';

/** Largest dimension of the halves A, B of A ⊗ B that the splitting solver decomposes densely. */
const MAX_HALF_DIM = 1100;

/** Probe coefficients shared by both halves, so that their decompositions use the same abstract operators. */
interface Probe {
  /** Coefficients rᵢⱼ (i ≤ j) of the symmetric probe Y = Σ rᵢⱼ (xᵢxⱼ + xⱼxᵢ). */
  r: number[];
  /** Coefficients of the two transport directions Z₁ = Σ sᵢ xᵢ, Z₂ = Σ tᵢ xᵢ. */
  s: number[];
  t: number[];
  /** Coefficients of the transport polynomial T = Σⱼ cⱼ Kⱼ, Kⱼ₊₁ = Z_(j mod 2) Kⱼ. */
  c: number[];
}

/** One isotypic block of a half: the irreducible U (dim d) appears m times, in a basis matched across halves. */
interface IsotypicBlock {
  /** Casimir value c (eigenvalue of Σ XᵢᵀXᵢ). */
  casimir: number;
  /** Eigenvalues λ₁ < … < λ_d of the probe y on U. */
  lambdas: number[];
  d: number;
  m: number;
  /** n × (d·m): column k·m + s is ũₖ ⊗ eₛ, orthonormal, transported consistently from λ₁. */
  basis: Matrix;
}

interface HalfDecomposition {
  blocks: IsotypicBlock[];
  /** min distance between Casimir clusters / max spread inside one (∞ when exact). */
  gap: number;
  /** The largest Casimir eigenvalue (the half's scale). */
  scale: number;
  threshold: number;
}

function clusters(values: Float64Array, tol: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let start = 0;
  for (let i = 1; i <= values.length; i++) {
    if (i === values.length || values[i]! - values[i - 1]! > tol) {
      out.push([start, i]);
      start = i;
    }
  }
  return out;
}

/** Columns [a, b) of the eigenvector matrix. */
function cols(m: Matrix, a: number, b: number): Matrix {
  return m.columns(a, b);
}

function decompose(gens: readonly Matrix[], probe: Probe, maxLen: number): HalfDecomposition | undefined {
  const n = gens[0]!.rows;
  let cas = new Matrix(n, n);
  for (const x of gens) cas = cas.add(x.transpose().mul(x));
  const e = eigh(cas);
  const scale = Math.max(e.values[n - 1]!, Number.MIN_VALUE);
  const tol = 1e-7 * scale;
  const groups = clusters(e.values, tol);
  let minBetween = Infinity;
  let maxWithin = 0;
  for (let g = 0; g < groups.length; g++) {
    const [a, b] = groups[g]!;
    maxWithin = Math.max(maxWithin, e.values[b - 1]! - e.values[a]!);
    if (g > 0) minBetween = Math.min(minBetween, e.values[a]! - e.values[groups[g - 1]![1] - 1]!);
  }
  const blocks: IsotypicBlock[] = [];
  for (const [a, b] of groups) {
    const q = cols(e.vectors, a, b);
    const p = b - a;
    const xs: Matrix[] = [];
    for (const x of gens) {
      const xq = x.mul(q);
      const xr = q.transpose().mul(xq);
      // The block must be invariant (the Casimir is central); otherwise this structure does not apply.
      if (xq.sub(q.mul(xr)).norm() > 1e-8 * (x.norm() + 1) * Math.sqrt(p)) return undefined;
      xs.push(xr);
    }
    let y = new Matrix(p, p);
    let idx = 0;
    for (let i = 0; i < xs.length; i++) {
      for (let j = i; j < xs.length; j++) {
        const xy = xs[i]!.mul(xs[j]!);
        y = y.add(xy.add(xy.transpose()).scale(probe.r[idx++ % probe.r.length]!));
      }
    }
    const ye = eigh(y);
    // Relative to the half's Casimir scale, so that y ≈ 0 on a trivial block is one cluster, not rounding noise.
    const yscale = Math.max(Math.abs(ye.values[0] ?? 0), Math.abs(ye.values[p - 1] ?? 0), scale);
    const yg = clusters(ye.values, 1e-7 * yscale);
    const m = yg[0]![1] - yg[0]![0];
    if (yg.some(([u, v]) => v - u !== m)) return undefined;
    const d = yg.length;
    if (d > maxLen) return undefined;
    const lambdas = yg.map(([u, v]) => (ye.values[u]! + ye.values[v - 1]!) / 2);
    const w1 = cols(ye.vectors, yg[0]![0], yg[0]![1]);
    const z1 = xs.reduce((acc, x, i) => acc.add(x.scale(probe.s[i % probe.s.length]!)), new Matrix(p, p));
    const z2 = xs.reduce((acc, x, i) => acc.add(x.scale(probe.t[i % probe.t.length]!)), new Matrix(p, p));
    const zScale = Math.sqrt(scale) * probe.s.concat(probe.t).reduce((acc, v) => acc + Math.abs(v), 0);
    let k = w1;
    let tw = w1.scale(probe.c[0]!);
    for (let j = 1; j < 2 * d; j++) {
      k = (j % 2 === 1 ? z1 : z2).mul(k);
      // Normalize by the RMS column norm: the same abstract factor for every copy, so A and B stay matched.
      const rms = k.norm() / Math.sqrt(m);
      // On a trivial block the generators are rounding noise: stop rather than amplify it.
      if (rms <= 1e-9 * zScale) break;
      k = k.scale(1 / rms);
      tw = tw.add(k.scale(probe.c[j % probe.c.length]!));
    }
    const twScale = tw.norm() / Math.sqrt(m);
    const parts: Matrix[] = [];
    for (const [u, v] of yg) {
      const qk = cols(ye.vectors, u, v);
      const mk = qk.transpose().mul(tw);
      const g = mk.transpose().mul(mk);
      const nu2 = g.trace() / m;
      if (!(nu2 > (1e-6 * twScale) ** 2)) return undefined;
      if (g.sub(Matrix.identity(m).scale(nu2)).maxAbs() > 1e-6 * nu2) return undefined;
      parts.push(qk.mul(mk).scale(1 / Math.sqrt(nu2)));
    }
    blocks.push({
      casimir: (e.values[a]! + e.values[b - 1]!) / 2,
      lambdas,
      d,
      m,
      basis: q.mul(Matrix.hstack(parts)),
    });
  }
  return { blocks, gap: maxWithin === 0 ? Infinity : minBetween / maxWithin, threshold: tol, scale };
}

/** Factor split A = f₀ ⊗ … ⊗ f_(h−1), B = the rest, with the halves' dimensions as balanced as possible. */
function splitPoint(dims: readonly number[]): number {
  const total = dims.reduce((a, b) => a * b, 1);
  let best = 1;
  let bestScore = Infinity;
  let left = 1;
  for (let h = 1; h < dims.length; h++) {
    left *= dims[h - 1]!;
    const score = Math.abs(Math.log(left) - Math.log(total / left));
    if (score < bestScore) {
      bestScore = score;
      best = h;
    }
  }
  return best;
}

/** Output of {@link splitTensorBasis}. */
export interface SplitSolve {
  /** N × r orthonormal basis of the invariants of the identity component. */
  basis: Matrix;
  /** Casimir-cluster separation (see HalfDecomposition.gap), the smaller of the two halves'. */
  gap: number;
  threshold: number;
}

/**
 * Invariants of a tensor product A ⊗ B of orthogonal representations (every dρ(ξᵢ) antisymmetric)
 * under the Lie algebra, built from the decompositions of the much smaller A and B ("splitting
 * tensor powers"). An invariant of A ⊗ B is an equivariant map A* ≅ A → B, so it lives in
 * ⊕_c A_c ⊗ B_c over the common eigenvalues c of the Casimir C = Σ dρ(ξᵢ)ᵀdρ(ξᵢ) (for invariant v,
 * (C_A ⊗ I − I ⊗ C_B)v = 0). In each isotypic block A_c ≅ U ⊗ Rᵐᴬ, B_c ≅ U ⊗ Rᵐᴮ the copies of U are
 * put in matched orthonormal bases ũ₁…ũ_d (eigenvectors of one random symmetric element y of the
 * enveloping algebra, transported from the first by one random polynomial in the generators,
 * the same abstract operators in A and B), and the invariants are (1/√d) Σₖ (ũₖ ⊗ eₛ) ⊗ (ũₖ ⊗ fₜ):
 * m_A·m_B orthonormal vectors per block, no large eigenproblem at all.
 *
 * Applies to irreducibles of real type with a probe of simple spectrum (e.g. all of SO(3));
 * returns undefined when a check fails (non-central Casimir, unequal multiplicities, unmatched
 * spectra, a degenerate transport), and the caller falls back to another solver. The caller
 * verifies the result's residual.
 */
export function splitTensorBasis(factors: readonly FactorData[]): SplitSolve | undefined {
  const q = factors[0]!.lie.length;
  if (factors.length < 2 || q === 0) return undefined;
  for (const f of factors) for (const x of f.lie) if (!isAntisymmetric(x)) return undefined;
  const h = splitPoint(factors.map((f) => f.dim));
  const fa = factors.slice(0, h);
  const fb = factors.slice(h);
  const nA = fa.reduce((s, f) => s * f.dim, 1);
  const nB = fb.reduce((s, f) => s * f.dim, 1);
  if (Math.max(nA, nB) > MAX_HALF_DIM) return undefined;
  const gensA: Matrix[] = [];
  const gensB: Matrix[] = [];
  for (let i = 0; i < q; i++) {
    gensA.push(kronSumDense(fa.map((f) => f.lie[i]!)));
    gensB.push(kronSumDense(fb.map((f) => f.lie[i]!)));
  }
  const rng = createRng(0x5eed);
  const probe: Probe = {
    r: Array.from({ length: (q * (q + 1)) / 2 }, () => rng.normal()),
    s: Array.from({ length: q }, () => rng.normal()),
    t: Array.from({ length: q }, () => rng.normal()),
    c: Array.from({ length: 4 * Math.max(nA, nB) }, () => rng.normal()),
  };
  const maxLen = Math.max(nA, nB);
  const da = decompose(gensA, probe, maxLen);
  const db = da && decompose(gensB, probe, maxLen);
  if (!da || !db) return undefined;
  const vectors: Float64Array[] = [];
  const n = nA * nB;
  for (const ba of da.blocks) {
    const tol = Math.max(da.threshold, db.threshold);
    const bb = db.blocks.find((b) => Math.abs(b.casimir - ba.casimir) <= 10 * tol);
    if (!bb) continue;
    if (bb.d !== ba.d) return undefined;
    const lscale = Math.max(...ba.lambdas.map(Math.abs), da.scale, db.scale);
    if (ba.lambdas.some((l, k) => Math.abs(l - bb.lambdas[k]!) > 1e-6 * lscale)) return undefined;
    const d = ba.d;
    const inv = 1 / Math.sqrt(d);
    const aCols = ba.basis.cols;
    const bCols = bb.basis.cols;
    for (let s = 0; s < ba.m; s++) {
      for (let t = 0; t < bb.m; t++) {
        const v = new Float64Array(n);
        for (let k = 0; k < d; k++) {
          const ca = k * ba.m + s;
          const cb = k * bb.m + t;
          for (let i = 0; i < nA; i++) {
            const ai = ba.basis.data[i * aCols + ca]! * inv;
            if (ai === 0) continue;
            const off = i * nB;
            for (let j = 0; j < nB; j++) v[off + j]! += ai * bb.basis.data[j * bCols + cb]!;
          }
        }
        vectors.push(v);
      }
    }
  }
  const r = vectors.length;
  const basis = new Matrix(n, r);
  vectors.forEach((v, c) => {
    for (let i = 0; i < n; i++) basis.data[i * r + c] = v[i]!;
  });
  return { basis, gap: Math.min(da.gap, db.gap), threshold: Math.max(da.threshold, db.threshold) };
}
