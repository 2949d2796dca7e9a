import { eigh, Matrix } from '@liesym/core';
import { frobeniusDot, type Sparse } from './sparse.js';

/**
 * The Lie derivatives of one linear layer W (m×n) under q generator pairs (A_j, B_j):
 * L_j W = W·A_j − B_j·W, with the adjoint L_j*(Y) = Y·A_jᵀ − B_jᵀ·Y.
 */
export interface LayerGenerators {
  m: number;
  n: number;
  pairs: ReadonlyArray<readonly [Sparse, Sparse]>;
}

/** L_j W for one generator; W row-major m×n. */
export function applyL(g: LayerGenerators, j: number, w: ArrayLike<number>): Float64Array {
  const { m, n } = g;
  const [a, b] = g.pairs[j]!;
  const out = new Float64Array(m * n);
  for (let k = 0; k < a.vals.length; k++) {
    const r = a.rows[k]!;
    const c = a.cols[k]!;
    const v = a.vals[k]!;
    for (let i = 0; i < m; i++) out[i * n + c]! += v * w[i * n + r]!;
  }
  for (let k = 0; k < b.vals.length; k++) {
    const i = b.rows[k]!;
    const r = b.cols[k]!;
    const v = b.vals[k]!;
    for (let c = 0; c < n; c++) out[i * n + c]! -= v * w[r * n + c]!;
  }
  return out;
}

/** Adds L_j*(Y) into `out`. */
export function addAdjointL(g: LayerGenerators, j: number, y: Float64Array, out: Float64Array): void {
  const { m, n } = g;
  const [a, b] = g.pairs[j]!;
  for (let k = 0; k < a.vals.length; k++) {
    const r = a.rows[k]!;
    const c = a.cols[k]!;
    const v = a.vals[k]!;
    for (let i = 0; i < m; i++) out[i * n + r]! += v * y[i * n + c]!;
  }
  for (let k = 0; k < b.vals.length; k++) {
    const i = b.rows[k]!;
    const r = b.cols[k]!;
    const v = b.vals[k]!;
    for (let c = 0; c < n; c++) out[r * n + c]! -= v * y[i * n + c]!;
  }
}

/**
 * T = G^(-1/2) for the Gram matrix G_jk = ⟨(A_j, B_j), (A_k, B_k)⟩_F of raw generators, so
 * that the generators ξ'_k = Σ_j T_jk ξ_j are orthonormal (any orthonormal basis gives the
 * same singular values).
 */
export function orthonormalizer(gram: Matrix): Matrix {
  const q = gram.rows;
  const { values, vectors } = eigh(gram);
  const t = new Matrix(q, q);
  for (let r = 0; r < q; r++) {
    const lam = values[r]!;
    if (!(lam > 1e-14 * (values[q - 1] ?? 1))) continue;
    const s = 1 / Math.sqrt(lam);
    for (let i = 0; i < q; i++) {
      const vi = vectors.data[i * q + r]!;
      for (let j = 0; j < q; j++) t.data[i * q + j]! += s * vi * vectors.data[j * q + r]!;
    }
  }
  return t;
}

/** Frobenius Gram matrix of generator pairs given in some other (defining) space. */
export function pairGram(pairs: ReadonlyArray<readonly [Sparse, Sparse]>): Matrix {
  const q = pairs.length;
  const g = new Matrix(q, q);
  for (let i = 0; i < q; i++) {
    for (let j = i; j < q; j++) {
      const v = frobeniusDot(pairs[i]![0], pairs[j]![0]) + frobeniusDot(pairs[i]![1], pairs[j]![1]);
      g.data[i * q + j] = v;
      g.data[j * q + i] = v;
    }
  }
  return g;
}

/** Result of {@link stackedNuclearNorm}. */
export interface StackedPenalty {
  /** ‖D‖_* of D = [D¹; D²; …]·T, D^ℓ's column j = vec(L_j W^ℓ). */
  value: number;
  /** The gradient of ‖D‖_* with respect to W^ℓ for each layer (m×n row-major), the subgradient U·Vᵀ mapped back. */
  gradients: Float64Array[];
  /** Singular values of D, descending. */
  singularValues: Float64Array;
}

/**
 * The nuclear norm of the stacked discover matrix of several linear layers, computed from
 * its q×q Gram matrix instead of an SVD of the (Σ mₗnₗ)×q matrix itself.
 *
 * With D' = D·T, the Gram is G' = Tᵀ(DᵀD)T = VΛVᵀ, σᵢ = √λᵢ, and the subgradient
 * U·Vᵀ = D'·V·Σ⁺·Vᵀ. Mapped back through W ↦ D', the gradient is
 * Σ_k L_k*(Σ_l D_l·N_lk) with N = T·(VΣ⁺Vᵀ)·Tᵀ: only q Lie derivatives and q adjoints
 * per layer, each as sparse as the generators.
 *
 * Precision: σ from √λ is accurate to about √ε·σ_max in absolute terms, ample for a
 * training penalty; discovery uses a direct SVD instead.
 */
export function stackedNuclearNorm(
  layers: ReadonlyArray<{ gens: LayerGenerators; w: ArrayLike<number> }>,
  t: Matrix,
  rtol: number,
): StackedPenalty {
  const q = t.rows;
  const dcols = layers.map(({ gens, w }) => Array.from({ length: q }, (_, j) => applyL(gens, j, w)));
  const raw = new Matrix(q, q);
  for (const cols of dcols) {
    for (let i = 0; i < q; i++) {
      const a = cols[i]!;
      for (let j = i; j < q; j++) {
        const b = cols[j]!;
        let sum = 0;
        for (let e = 0; e < a.length; e++) sum += a[e]! * b[e]!;
        raw.data[i * q + j]! += sum;
        if (j !== i) raw.data[j * q + i]! += sum;
      }
    }
  }
  const g = t.transpose().mul(raw).mul(t);
  const { values, vectors } = eigh(g);
  const lamMax = Math.max(values[q - 1] ?? 0, 0);
  const sig = Array.from(values, (l) => Math.sqrt(Math.max(l, 0)));
  const sMax = Math.sqrt(lamMax);
  const m = new Matrix(q, q);
  let value = 0;
  for (let r = 0; r < q; r++) {
    value += sig[r]!;
    if (!(sig[r]! > rtol * sMax) || sig[r]! === 0) continue;
    const inv = 1 / sig[r]!;
    for (let i = 0; i < q; i++) {
      const vi = vectors.data[i * q + r]!;
      if (vi === 0) continue;
      for (let j = 0; j < q; j++) m.data[i * q + j]! += inv * vi * vectors.data[j * q + r]!;
    }
  }
  const nmat = t.mul(m).mul(t.transpose());
  const nk = Float64Array.from(nmat.data);
  const gradients = layers.map(({ gens, w }, l) => {
    const cols = dcols[l]!;
    const len = w.length;
    const out = new Float64Array(len);
    for (let k = 0; k < q; k++) {
      const y = new Float64Array(len);
      for (let i = 0; i < q; i++) {
        const c = nk[i * q + k]!;
        if (c === 0) continue;
        const col = cols[i]!;
        for (let e = 0; e < len; e++) y[e]! += c * col[e]!;
      }
      addAdjointL(gens, k, y, out);
    }
    return out;
  });
  const singularValues = Float64Array.from(sig).sort().reverse();
  return { value, gradients, singularValues };
}

/**
 * The same generators acting on the transpose K = Wᵀ (the tfjs kernel layout): since
 * (W·A − B·W)ᵀ = K·(−Bᵀ) − (−Aᵀ)·K, the pair (A, B) becomes (−Bᵀ, −Aᵀ). Frobenius norms are
 * transpose-invariant, so the nuclear norm is unchanged and its gradient is transposed.
 */
export function kernelLayout(g: LayerGenerators): LayerGenerators {
  const tneg = (s: Sparse): Sparse => ({ n: s.n, rows: s.cols, cols: s.rows, vals: s.vals.map((x) => -x) });
  return { m: g.n, n: g.m, pairs: g.pairs.map(([a, b]) => [tneg(b), tneg(a)] as const) };
}
