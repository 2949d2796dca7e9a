import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  InvalidRepresentationError,
  LieDerivative,
  Matrix,
  O,
  S,
  SO,
  Scalar,
  ShapeMismatchError,
  V,
  affineAction,
  algebraGram,
  candidateLayerGenerators,
  createRng,
  directSum,
  imageCandidates,
  layerGenerators,
  layerLieAdjoint,
  layerLieDerivatives,
  linearMapModel,
  nuclearNormPenalty,
  nuclearNorm,
  orthonormalizer,
  samplePool,
  sparseMatrix,
  sparseTranspose,
  stackedNuclearNorm,
  svd,
  symmetryPenalty,
  transposeLayerGenerators,
  type Representation,
} from '../src/index.js';
import { relErr } from './helpers.js';

const G = SO(3);

function randomVector(length: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length }, () => rng.normal());
}

/** Central difference of f at w along dir (h = 1e-6). */
function directional(f: (w: Float64Array) => number, w: Float64Array, dir: Float64Array): number {
  const h = 1e-6;
  return (f(w.map((v, k) => v + h * dir[k]!)) - f(w.map((v, k) => v - h * dir[k]!))) / (2 * h);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
}

/** Core's dense route to the same penalty: LieDerivative + symmetryPenalty (an SVD of D_W). */
function densePenalty(repIn: Representation, repOut: Representation, w: Float64Array) {
  const actions = G.lieAlgebra.map((_, j) =>
    affineAction({ A: repIn.drho(j).toDense().scale(Math.SQRT1_2), tau: repOut.drho(j).toDense().scale(Math.SQRT1_2) }),
  );
  return symmetryPenalty(new LieDerivative(linearMapModel({ dimIn: repIn.dim, dimOut: repOut.dim }), actions), w);
}

describe('sparse coordinate matrices', () => {
  it('keep exactly the nonzeros, and transpose with a scale', () => {
    const a = sparseMatrix(Matrix.from([[0, 2, 0], [-1, 0, 3]]));
    expect([a.rows, a.cols]).toEqual([2, 3]);
    expect(Array.from(a.values)).toEqual([2, -1, 3]);
    expect(Array.from(a.rowIndex)).toEqual([0, 1, 1]);
    expect(Array.from(a.colIndex)).toEqual([1, 0, 2]);
    const t = sparseTranspose(a, { scale: -2 });
    expect([t.rows, t.cols]).toEqual([3, 2]);
    expect(Array.from(t.values)).toEqual([-4, 2, -6]);
    expect(Array.from(t.rowIndex)).toEqual([1, 0, 2]);
    expect(() => sparseMatrix([[1]] as never)).toThrow(InvalidArgumentError);
  });
});

describe('layer generators', () => {
  it('orthonormalizer gives a unit Gram matrix, also for a skewed basis, and drops dependent generators', () => {
    const T = orthonormalizer(algebraGram(G));
    expect(relErr(T.transpose().mul(algebraGram(G)).mul(T), Matrix.identity(3))).toBeLessThan(1e-12);
    // a skewed basis of so(3): ξ₀, ξ₀ + ξ₁, ξ₀ + ξ₁ + 3ξ₂
    const [a, b, c] = G.lieAlgebra as [Matrix, Matrix, Matrix];
    const skewed = [a, a.add(b), a.add(b).add(c.scale(3))];
    const gram = new Matrix(3, 3);
    skewed.forEach((x, i) => skewed.forEach((y, j) => gram.set(i, j, x.dot(y))));
    const Ts = orthonormalizer(gram);
    expect(relErr(Ts.transpose().mul(gram).mul(Ts), Matrix.identity(3))).toBeLessThan(1e-12);
    // ξ₀, ξ₁, ξ₀ + ξ₁: rank 2, so TᵀGT is a rank-2 projector
    const dep = [a, b, a.add(b)];
    const g2 = new Matrix(3, 3);
    dep.forEach((x, i) => dep.forEach((y, j) => g2.set(i, j, x.dot(y))));
    const P = orthonormalizer(g2).transpose().mul(g2).mul(orthonormalizer(g2));
    expect(relErr(P.mul(P), P)).toBeLessThan(1e-12);
    expect(P.get(0, 0) + P.get(1, 1) + P.get(2, 2)).toBeCloseTo(2, 12);
    expect(() => orthonormalizer(new Matrix(2, 3))).toThrow(ShapeMismatchError);
  });

  it('L_j W = W·dρ_in(ξ_j) − dρ_out(ξ_j)·W, and the adjoint is its transpose', () => {
    const repIn = directSum(V(G), Scalar);
    const repOut = V(G).pow(2);
    const { generators } = layerGenerators(repIn, repOut);
    expect(generators.pairs.length).toBe(3);
    const w = randomVector(repOut.dim * repIn.dim, 1);
    const W = new Matrix(repOut.dim, repIn.dim, w);
    const L = layerLieDerivatives(generators, w);
    L.forEach((col, j) => {
      const dense = W.mul(repIn.drho(j).toDense()).sub(repOut.drho(j).toDense().mul(W));
      expect(relErr(col, dense.data)).toBeLessThan(1e-14);
    });
    const ys = [0, 1, 2].map((j) => randomVector(w.length, 10 + j));
    // ⟨Σ_j L_j W, Y_j⟩ = ⟨W, Σ_j L_j* Y_j⟩
    const lhs = L.reduce((s, col, j) => s + dot(col, ys[j]!), 0);
    expect(Math.abs(lhs - dot(w, layerLieAdjoint(generators, ys))) / Math.abs(lhs)).toBeLessThan(1e-12);
  });

  it('candidate generators are the orthonormal candidate with T = I', () => {
    const p = candidateLayerGenerators('gl-input', { dimIn: 3, dimOut: 2 });
    expect(p.generators.pairs.length).toBe(9);
    expect(p.generators.pairs.every(([a, b]) => a.values.length === 1 && b.values.length === 0)).toBe(true);
    expect(relErr(p.orthonormalizer, Matrix.identity(9))).toBe(0);
    expect(() => candidateLayerGenerators(imageCandidates({ shape: [1, 4, 4], outputShape: [1] }), { dimIn: 16, dimOut: 1 })).toThrow(/must act linearly on vectors/);
  });

  it('rejects discrete groups, mixed groups and non-representations with typed errors', () => {
    expect(() => layerGenerators(V(S(3)), V(S(3)))).toThrow(/no continuous generators/);
    expect(() => layerGenerators(V(SO(3)), V(O(3)))).toThrow(InvalidRepresentationError);
    expect(() => layerGenerators(Scalar, Scalar)).toThrow(InvalidRepresentationError);
    expect(() => layerGenerators({} as Representation, Scalar, { fn: 'myPenalty' })).toThrow(/myPenalty: 'repIn' and 'repOut' must be Representations/);
  });
});

describe('stackedNuclearNorm', () => {
  it("equals the direct SVD's nuclear norm, singular values (ascending) and gradient for one layer", () => {
    const repIn = directSum(V(G), V(G), Scalar);
    const repOut = directSum(V(G), Scalar);
    const w = randomVector(repIn.dim * repOut.dim, 3);
    const { generators, orthonormalizer: T } = layerGenerators(repIn, repOut);
    const mine = stackedNuclearNorm([{ generators, w }], { orthonormalizer: T, rtol: 1e-9 });
    const ref = densePenalty(repIn, repOut, w);
    expect(Math.abs(mine.value - ref.value) / ref.value).toBeLessThan(1e-9);
    expect(relErr(mine.gradients[0]!, ref.gradient)).toBeLessThan(1e-7);
    expect(relErr(mine.singularValues, ref.singularValues.slice().sort())).toBeLessThan(1e-7);
    expect(mine.singularValues[0]!).toBeLessThanOrEqual(mine.singularValues[2]!);
  });

  it('stacks layers along the rows: the value is the nuclear norm of [D¹; D²]·T', () => {
    const hidden = directSum(V(G), V(G), Scalar);
    const w1 = randomVector(hidden.dim * 3, 4);
    const w2 = randomVector(3 * hidden.dim, 5);
    const a = layerGenerators(V(G), hidden);
    const b = layerGenerators(hidden, V(G));
    const r = stackedNuclearNorm(
      [
        { generators: a.generators, w: w1 },
        { generators: b.generators, w: w2 },
      ],
      { orthonormalizer: a.orthonormalizer },
    );
    const block = (g: typeof a.generators, w: Float64Array): Matrix => {
      const cols = layerLieDerivatives(g, w);
      const d = new Matrix(w.length, 3);
      cols.forEach((c, j) => c.forEach((v, i) => d.set(i, j, v)));
      return d.mul(a.orthonormalizer);
    };
    const stacked = Matrix.vstack([block(a.generators, w1), block(b.generators, w2)]);
    expect(Math.abs(r.value - nuclearNorm(stacked).value) / r.value).toBeLessThan(1e-10);
    expect(relErr(r.singularValues, svd(stacked).s.slice().sort())).toBeLessThan(1e-8);
  });

  it('its gradient matches central finite differences of its value, for every layer', () => {
    const hidden = directSum(V(G), Scalar);
    const a = layerGenerators(V(G), hidden);
    const b = layerGenerators(hidden, V(G).pow(2));
    const w1 = randomVector(hidden.dim * 3, 6);
    const w2 = randomVector(9 * hidden.dim, 7);
    const value = (x1: Float64Array, x2: Float64Array): number =>
      stackedNuclearNorm(
        [
          { generators: a.generators, w: x1 },
          { generators: b.generators, w: x2 },
        ],
        { orthonormalizer: a.orthonormalizer },
      ).value;
    const g = stackedNuclearNorm(
      [
        { generators: a.generators, w: w1 },
        { generators: b.generators, w: w2 },
      ],
      { orthonormalizer: a.orthonormalizer },
    ).gradients;
    const d1 = randomVector(w1.length, 8);
    const d2 = randomVector(w2.length, 9);
    const fd1 = directional((x) => value(x, w2), w1, d1);
    const fd2 = directional((x) => value(w1, x), w2, d2);
    expect(Math.abs(fd1 - dot(g[0]!, d1)) / Math.abs(fd1)).toBeLessThan(1e-6);
    expect(Math.abs(fd2 - dot(g[1]!, d2)) / Math.abs(fd2)).toBeLessThan(1e-6);
  });

  it('is 0 for an equivariant layer, and the same on the transposed (tfjs kernel) layout', () => {
    const { generators, orthonormalizer: T } = layerGenerators(V(G), V(G));
    expect(stackedNuclearNorm([{ generators, w: Matrix.identity(3).scale(2).data }], { orthonormalizer: T }).value).toBeLessThan(1e-15);
    const w = randomVector(9, 11);
    const W = new Matrix(3, 3, w);
    const direct = stackedNuclearNorm([{ generators, w }], { orthonormalizer: T });
    const kernel = stackedNuclearNorm([{ generators: transposeLayerGenerators(generators), w: W.transpose().data }], { orthonormalizer: T });
    expect(Math.abs(kernel.value - direct.value) / direct.value).toBeLessThan(1e-13);
    expect(relErr(new Matrix(3, 3, kernel.gradients[0]!), new Matrix(3, 3, direct.gradients[0]!).transpose())).toBeLessThan(1e-12);
  });

  it('rejects no layers, a bad rtol and mismatched generator counts or weights', () => {
    const a = layerGenerators(V(G), V(G));
    const c = candidateLayerGenerators('gl-input', { dimIn: 3, dimOut: 3 });
    expect(() => stackedNuclearNorm([])).toThrow(InvalidArgumentError);
    expect(() => stackedNuclearNorm([{ generators: a.generators, w: new Float64Array(9) }], { rtol: 1 })).toThrow(InvalidArgumentError);
    expect(() => stackedNuclearNorm([{ generators: a.generators, w: new Float64Array(8) }])).toThrow(ShapeMismatchError);
    expect(() =>
      stackedNuclearNorm([
        { generators: a.generators, w: new Float64Array(9) },
        { generators: c.generators, w: new Float64Array(9) },
      ]),
    ).toThrow(/every layer needs 3 generators/);
  });
});

describe('nuclearNormPenalty', () => {
  it("is ‖M‖_* with U·Vᵀ, or with normalize 'frobenius' ‖M‖_* / ‖M‖_F, unchanged by scaling, with a gradient that matches finite differences and is orthogonal to M", () => {
    const m = new Matrix(5, 3, randomVector(15, 12));
    const plain = nuclearNormPenalty(m);
    const ref = nuclearNorm(m);
    expect(plain.value).toBe(ref.value);
    expect(relErr(plain.gradient, ref.subgradient)).toBe(0);
    expect(Array.from(plain.singularValues)).toEqual(Array.from(ref.singularValues));
    const scaleFree = (x: Matrix) => nuclearNormPenalty(x, { normalize: 'frobenius' });
    expect(scaleFree(Matrix.from([[3, 0], [0, 4]])).value).toBeCloseTo(7 / 5, 14);
    const r = scaleFree(m);
    expect(r.value).toBeGreaterThanOrEqual(1);
    expect(r.value).toBeLessThanOrEqual(Math.sqrt(3));
    expect(Math.abs(scaleFree(m.scale(7)).value - r.value)).toBeLessThan(1e-14);
    expect(r.singularValues[0]!).toBeLessThanOrEqual(r.singularValues[2]!);
    expect(r.frobenius).toBeCloseTo(m.norm(), 12);
    const dir = randomVector(15, 13);
    for (const [f, g] of [
      [(x: Float64Array) => scaleFree(new Matrix(5, 3, x)).value, r.gradient],
      [(x: Float64Array) => nuclearNormPenalty(new Matrix(5, 3, x)).value, plain.gradient],
    ] as const) {
      const fd = directional(f, m.data, dir);
      expect(Math.abs(fd - dot(g.data, dir)) / Math.abs(fd)).toBeLessThan(1e-6);
    }
    expect(Math.abs(dot(r.gradient.data, m.data)) / (r.gradient.norm() * m.norm())).toBeLessThan(1e-12);
    const zero = scaleFree(new Matrix(2, 2));
    expect([zero.value, zero.gradient.maxAbs()]).toEqual([0, 0]);
    expect(() => nuclearNormPenalty(m, { normalize: 'max' as never })).toThrow(/'normalize' must be 'none' or 'frobenius'; received "max"/);
  });

  it("with reweight δ is Σ wᵢσᵢ, wᵢ = δσ₁/(δσ₁ + σᵢ), gradient U·diag(w)·Vᵀ: the largest singular value gets weight δ/(1 + δ), scale-free", () => {
    // diag(4, 1, 0.01): weights 0.4/4.4, 0.4/1.4, 0.4/0.41.
    const d = Matrix.from([[4, 0, 0], [0, 1, 0], [0, 0, 0.01]]);
    const r = nuclearNormPenalty(d, { reweight: 0.1 });
    const w = [0.4 / 4.4, 0.4 / 1.4, 0.4 / 0.41];
    expect(r.value).toBeCloseTo(4 * w[0]! + 1 * w[1]! + 0.01 * w[2]!, 14);
    expect(Array.from({ length: 3 }, (_, i) => r.gradient.get(i, i))).toEqual(w.map((x) => expect.closeTo(x, 14)));
    expect(Array.from(r.singularValues)).toEqual([0.01, 1, 4].map((x) => expect.closeTo(x, 14)));
    // Scale-free weights: the gradient of 7·M is the gradient of M.
    const m = new Matrix(5, 3, randomVector(15, 14));
    expect(relErr(nuclearNormPenalty(m.scale(7), { reweight: 0.1 }).gradient, nuclearNormPenalty(m, { reweight: 0.1 }).gradient)).toBeLessThan(1e-12);
    expect(nuclearNormPenalty(new Matrix(2, 2), { reweight: 0.1 }).value).toBe(0);
    expect(() => nuclearNormPenalty(m, { reweight: 0 })).toThrow(/nuclearNormPenalty: 'reweight' must be a finite number > 0; received 0/);
    expect(() => nuclearNormPenalty(m, { reweight: 0.1, normalize: 'frobenius' })).toThrow(/'reweight' and 'normalize' cannot be combined/);
  });
});

describe('samplePool', () => {
  it('hands out fresh seeded subsets of distinct pool rows, or the whole pool', () => {
    const X = new Matrix(40, 3, randomVector(120, 20));
    const rowsOf = (m: Matrix): string[] => Array.from({ length: m.rows }, (_, i) => Array.from(m.row(i)).join(','));
    const pool = new Set(rowsOf(X));
    const a = samplePool(X, { batchSize: 8, seed: 4 });
    const b = samplePool(X, { batchSize: 8, seed: 4 });
    const [a1, a2, b1] = [a.next(), a.next(), b.next()];
    expect([a.size, a.batchSize, a1.rows, a1.cols]).toEqual([40, 8, 8, 3]);
    expect(rowsOf(a1)).toEqual(rowsOf(b1));
    expect(rowsOf(a1)).not.toEqual(rowsOf(a2));
    for (const m of [a1, a2]) {
      expect(new Set(rowsOf(m)).size).toBe(8);
      expect(rowsOf(m).every((r) => pool.has(r))).toBe(true);
    }
    expect(samplePool(X).next()).toBe(X);
    expect(samplePool(X, { batchSize: 40, seed: 9 }).next()).toBe(X);
    expect(() => samplePool(X, { batchSize: 41 })).toThrow(/'batchSize' must be an integer in \[1, 40\].*received 41/);
    expect(() => samplePool(X, { batchSize: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => samplePool(X, { seed: -1 })).toThrow(/'seed' must be an integer/);
  });
});
