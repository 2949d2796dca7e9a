import { InvalidArgumentError, ShapeMismatchError, describe } from '../errors.js';
import { eigh } from '../linalg/eigh.js';
import { Matrix } from '../linalg/Matrix.js';
import { checkRtol } from '../tolerances.js';
import { layerLieAdjoint, layerLieDerivatives, type LayerGenerators } from './layerGenerators.js';

/** One linear layer of {@link stackedNuclearNorm}: its generators and its weights W (dimOut×dimIn, row-major). */
export interface PenalizedWeights {
  generators: LayerGenerators;
  w: ArrayLike<number>;
}

/** Result of {@link stackedNuclearNorm}. */
export interface StackedNuclearNorm {
  /** ‖D‖_* of D = [D¹; D²; …]·T, where column j of D^ℓ is vec(L_j W^ℓ). */
  value: number;
  /** ∂‖D‖_* / ∂W^ℓ for each layer (dimOut×dimIn, row-major): the subgradient U·Vᵀ mapped back. */
  gradients: Float64Array[];
  /** The q singular values of D, ascending. */
  singularValues: Float64Array;
}

/**
 * Default relative cut of {@link stackedNuclearNorm}'s subgradient: singular values from the
 * Gram matrix are accurate to about √ε·σ_max ≈ 1.5e-8·σ_max, so σ ≤ 1e-6·σ_max is treated as 0.
 */
export const GRAM_RTOL = 1e-6;

/**
 * The promote penalty of a neural network's linear layers: one nuclear norm ‖D‖_* of the
 * per-layer discover matrices stacked along the row axis, D = [D¹; D²; …]·T, with one shared
 * set of generator coefficients (a symmetry shared by all layers), and its gradient with
 * respect to every layer's weights.
 *
 * It works from the q×q Gram matrix instead of an SVD of the (Σ mₗnₗ)×q matrix: with
 * Tᵀ(DᵀD)T = VΛVᵀ, σᵢ = √λᵢ and the subgradient U·Vᵀ = D·T·V·Σ⁺·Vᵀ, so the gradient is
 * Σ_k L_k*(Σ_l D_l·N_lk) with N = T·(VΣ⁺Vᵀ)·Tᵀ: q Lie derivatives and q adjoints per layer,
 * each as sparse as the generators. A 256×256 kernel under SO(3) costs a 3×3 eigenproblem.
 * Precision: σ from √λ is accurate to about √ε·σ_max in absolute terms, ample for a training
 * penalty (discovery takes singular values of the stacked matrix instead).
 *
 * @param layers the layers, each with its generators (from `layerGenerators`) and weights
 * @param options.orthonormalizer T (q×q; default the identity: the generators are orthonormal)
 * @param options.rtol singular values σ ≤ rtol·σ_max are left out of the subgradient (default 1e-6)
 * @throws InvalidArgumentError for no layers or a bad rtol; ShapeMismatchError when the
 *   layers' generator counts, weights or T do not fit
 * @example
 * const { generators, orthonormalizer } = layerGenerators(V(SO(3)), V(SO(3)));
 * stackedNuclearNorm([{ generators, w: Matrix.identity(3).data }], { orthonormalizer }).value; // 0: W = I commutes with rotations
 */
export function stackedNuclearNorm(
  layers: readonly PenalizedWeights[],
  options: { orthonormalizer?: Matrix; rtol?: number } = {},
): StackedNuclearNorm {
  const fn = 'stackedNuclearNorm';
  if (!Array.isArray(layers) || layers.length === 0) throw new InvalidArgumentError(`${fn}: 'layers' must hold at least one layer; received ${describe(layers)}`);
  const q = layers[0]!.generators.pairs.length;
  const t = options.orthonormalizer ?? Matrix.identity(q);
  const rtol = checkRtol(fn, options.rtol ?? GRAM_RTOL);
  layers.forEach(({ generators: g, w }, l) => {
    if (g.pairs.length !== q || t.rows !== q || t.cols !== q) {
      throw new ShapeMismatchError(`${fn}: every layer needs ${t.rows} generators (T is ${t.rows}×${t.cols}); layer ${l} has ${g.pairs.length}`);
    }
    if (w?.length !== g.dimOut * g.dimIn) throw new ShapeMismatchError(`${fn}: layer ${l}'s 'w' must hold ${g.dimOut}×${g.dimIn} numbers; received ${describe(w?.length)}`);
  });
  const columns = layers.map(({ generators, w }) => layerLieDerivatives(generators, w));
  const raw = new Matrix(q, q);
  for (const cols of columns) {
    for (let i = 0; i < q; i++) {
      for (let j = i; j < q; j++) {
        const a = cols[i]!;
        const b = cols[j]!;
        let sum = 0;
        for (let e = 0; e < a.length; e++) sum += a[e]! * b[e]!;
        raw.data[i * q + j]! += sum;
        if (j !== i) raw.data[j * q + i]! += sum;
      }
    }
  }
  const { values, vectors } = eigh(t.transpose().mul(raw).mul(t));
  const sigma = Float64Array.from(values, (l) => Math.sqrt(Math.max(l, 0)));
  const sMax = Math.max(0, ...sigma);
  const pinv = new Matrix(q, q);
  let value = 0;
  for (let r = 0; r < q; r++) {
    value += sigma[r]!;
    if (!(sigma[r]! > rtol * sMax) || sigma[r]! === 0) continue;
    const inv = 1 / sigma[r]!;
    for (let i = 0; i < q; i++) {
      const vi = vectors.data[i * q + r]!;
      for (let j = 0; j < q; j++) pinv.data[i * q + j]! += inv * vi * vectors.data[j * q + r]!;
    }
  }
  const nk = t.mul(pinv).mul(t.transpose()).data;
  const gradients = layers.map(({ generators }, l) => {
    const cols = columns[l]!;
    const ys = Array.from({ length: q }, (_, k) => {
      const y = new Float64Array(cols[0]!.length);
      for (let i = 0; i < q; i++) {
        const c = nk[i * q + k]!;
        if (c !== 0) for (let e = 0; e < y.length; e++) y[e]! += c * cols[i]![e]!;
      }
      return y;
    });
    return layerLieAdjoint(generators, ys);
  });
  return { value, gradients, singularValues: sigma.sort() };
}
