import { Matrix } from '../linalg/Matrix.js';
import { choleskyInPlace } from '../linalg/equalityElimination.js';
import { svd, type SvdResult } from '../linalg/svd.js';

/**
 * The reduced, unconstrained form of solveNuclearNorm's program (equalities already eliminated):
 *
 *     minimize_t  ‖mat(Ã·t + b̃)‖_* + ½·tᵀP̃t + c̃ᵀt
 *
 * Ã is dense (R·C)×kf row-major, mat(·) row-major R×C.
 */
export interface ReducedNuclearNormProblem {
  A: Float64Array;
  b: Float64Array;
  R: number;
  C: number;
  kf: number;
  P?: Float64Array;
  c: Float64Array;
  /**
   * Ã's factors when Ã = A·N with a sparse A ((R·C)×k row-major, dense storage) and N k×kf: an X
   * with R > C then forms the tall block of the Hessian as Nᵀ·S·N with S = Aᵀ(I_R ⊗ V·diag(1/s)·Vᵀ)A
   * (sparse, from the nonzeros of A's row blocks) less the part in span U, when that costs at most
   * half the dense layout.
   */
  lift?: { A: Float64Array; k: number; N: Float64Array };
}

/** What {@link newtonNuclearNorm} returns: the iterate, its certificate and the subgradient G. */
export interface NewtonNuclearNormResult {
  t: Float64Array;
  /** G = U·diag(σ/√(σ² + μ²))·Vᵀ (‖G‖₂ < 1), R×C row-major in the problem's orientation. */
  G: Float64Array;
  /** The singular values of mat(Ã·t + b̃), descending. */
  singularValues: Float64Array;
  iterations: number;
  converged: boolean;
  gap: number;
  relativeGap: number;
  kktResidual: number;
  /** The smoothing μ of the last step. */
  mu: number;
}

/**
 * Flops of one Newton step (forming the Hessian dominates): kf²·(R·C + C²) with C = min(R, C).
 * The solver uses Newton when this is small.
 */
export function newtonStepCost(R: number, C: number, kf: number): number {
  const n = Math.min(R, C);
  return kf * kf * (R * C + n * n);
}

/**
 * Flops of one ADMM iteration on the same program: the eigendecomposition of the n×n Gram of X
 * (about 10·n³, n = min(R, C)), forming that Gram (R·C·n) and the z-step (2·R·C·kf).
 */
export function admmIterationCost(R: number, C: number, kf: number): number {
  const n = Math.min(R, C);
  return 10 * n * n * n + R * C * n + 2 * R * C * kf;
}

/** Doubles held by the Hessian features of one Newton step: kf·(R·C + n²), n = min(R, C). */
export function newtonStepMemory(R: number, C: number, kf: number): number {
  const n = Math.min(R, C);
  return kf * (R * C + n * n);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>, n = a.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}

/**
 * Minimizes the reduced program by Newton's method on the smoothed nuclear norm
 * φ_μ(X) = Σᵢ (√(σᵢ² + μ²) − μ), following μ → 0 (a path-following method: a few damped Newton
 * steps centre each μ loosely, then μ shrinks, by a factor that grows while levels centre in one or
 * two steps, and the new level starts from the linear extrapolation of the last two centres).
 * Each step solves with the exact Hessian of φ_μ∘mat(Ã·+b̃),
 * written in the singular vectors of X as a sum of squares (so it is positive semidefinite by
 * construction): with X = U·Σ·Vᵀ, Δ' = Δ·V, D = Uᵀ·Δ' and s = √(σ² + μ²),
 *
 *     ⟨Δ, ∇²φ_μ[Δ]⟩ = Σ_c ‖(I − UUᵀ)Δ'_c‖²/s_c + Σ_p μ²·D_pp²/s_p³
 *                   + Σ_{p<q} [(μ² + s_p s_q − σ_p σ_q)·(D_pq + D_qp)²/2 + (μ² + s_p s_q + σ_p σ_q)·(D_pq − D_qp)²/2] / (s_p s_q (s_p + s_q)).
 *
 * The certificate is the same as ADMM's: G = ∇φ_μ(X) has ‖G‖₂ < 1, the complementary-slackness
 * gap ‖X‖_* − ⟨G, X⟩ = Σ σ(1 − σ/s) and the stationarity residual ‖Ãᵀ·vec(G) + P̃t + c̃‖ (the
 * gradient of the smoothed objective) must both be below `gapTolerance`, relative to the same scales.
 * @param kktScale the denominator of the stationarity residual for a G (the caller's ‖AᵀG‖ floor)
 * @param start the first iterate t (default 0)
 * @param startSmoothing the first μ relative to max(σ₁(X), scale) (default 1/10)
 */
export function newtonNuclearNorm(
  problem: ReducedNuclearNormProblem,
  {
    maxIterations,
    gapTolerance,
    scale,
    kktScale,
    start,
    startSmoothing = 0.1,
  }: { maxIterations: number; gapTolerance: number; scale: number; kktScale: (G: Float64Array) => number; start?: Float64Array; startSmoothing?: number },
): NewtonNuclearNormResult {
  const { kf, P, c } = problem;
  // Work with R ≥ C: a wide X is solved transposed (rows of Ã permuted), G transposed back.
  const wide = problem.C > problem.R;
  const R = wide ? problem.C : problem.R;
  const C = wide ? problem.R : problem.C;
  const N = R * C;
  let A = problem.A;
  let b = problem.b;
  if (wide) {
    A = new Float64Array(N * kf);
    b = new Float64Array(N);
    for (let i = 0; i < problem.R; i++) {
      for (let j = 0; j < problem.C; j++) {
        const src = i * problem.C + j;
        const dst = j * problem.R + i;
        A.set(problem.A.subarray(src * kf, (src + 1) * kf), dst * kf);
        b[dst] = problem.b[src]!;
      }
    }
  }
  const Xof = (t: Float64Array): Float64Array => {
    const X = b.slice();
    for (let e = 0; e < N; e++) {
      const off = e * kf;
      let s = 0;
      for (let j = 0; j < kf; j++) s += A[off + j]! * t[j]!;
      X[e]! += s;
    }
    return X;
  };
  const quad = (t: Float64Array): number => {
    let q = dot(c, t);
    if (P) {
      for (let i = 0; i < kf; i++) {
        let s = 0;
        for (let j = 0; j < kf; j++) s += P[i * kf + j]! * t[j]!;
        q += 0.5 * t[i]! * s;
      }
    }
    return q;
  };
  const smoothed = (sigma: Float64Array, mu: number): number => {
    let s = 0;
    for (const v of sigma) s += Math.hypot(v, mu) - mu;
    return s;
  };

  let t = start ? start.slice() : new Float64Array(kf);
  let X = Xof(t);
  let dec = svd(new Matrix(R, C, X));
  // The first smoothing: a fraction of X's scale (of the data's when X starts at 0), a tenth from
  // a cold start, smaller from a start near the solution.
  let mu = Math.max(dec.s[0] ?? 0, scale) * startSmoothing;
  let iterations = 0;
  let result: Omit<NewtonNuclearNormResult, 't' | 'iterations' | 'mu'> | undefined;
  const grad = new Float64Array(kf);
  // Work buffers of the Hessian, the same size at every step.
  // The tall block's features: (I − UUᵀ)Δ' itself (R·C), or its coordinates U⊥ᵀΔ' in an
  // orthonormal complement of U ((R − C)·C, the same inner products) when that is shorter; none
  // when the sparse form (sparseTallBlock) adds the block to H directly.
  const tall = R >= 2 * C;
  const CK = C * kf;
  const K = R - C;
  const sparse = R > C && !wide && problem.lift ? sparseTallBlock(problem.lift, { R, C, kf, dense: denseTallBlockCost(R, C, kf) }) : undefined;
  const useComplement = R > C && R < 2 * C && !sparse;
  const tallLen = R > C && !sparse ? (useComplement ? (R - C) * C : N) : 0;
  const featLen = tallLen + C + C * (C - 1);
  const Uperp = useComplement ? new Float64Array(R * (R - C)) : undefined;
  const F = new Float64Array(kf * featLen);
  const wPair = new Float64Array(2 * C * C);
  // The products below keep the column index j of Ã innermost (Ã is R×(C·kf) row-major as
  // stored): every loop is a contiguous axpy of length kf or C·kf.
  // A near-square X (R < 2C) takes the tall block's coordinates in U⊥; a tall X (R ≥ 2C) takes
  // Y = Ã·V for every j at once, D = Uᵀ·Y, and the tall block (I − UUᵀ)·Y = Y − U·D in place.
  const E = tall && !sparse ? undefined : new Float64Array(C * CK); // Uᵀ·Ã: E[p, q, j]
  const Dall = new Float64Array(C * CK); // D_j = Uᵀ·mat(ã_j)·V: Dall[p, p', j]
  const Eperp = useComplement ? new Float64Array(K * CK) : undefined; // U⊥ᵀ·Ã
  // The tall block: U⊥ᵀ·mat(ã_j)·V ([a, p', j]), or (I − UUᵀ)·mat(ã_j)·V ([r, p', j]) for a tall X.
  const Tall = useComplement ? new Float64Array(K * CK) : tall && !sparse ? new Float64Array(R * CK) : undefined;
  const Ft = new Float64Array(featLen * kf);
  // rightMultiplyBlocks' work space: as many blocks as its largest call (R for a tall X, else C).
  const blockWork = new Float64Array((tall && !sparse ? R : C) * CK);
  const H = new Float64Array(kf * kf);
  const Ad = new Float64Array(N);
  // The last centred point (t, μ) of the path, for the extrapolation to the next μ; the shrink
  // factor of μ grows while levels centre in few steps.
  let prev: { t: Float64Array; mu: number } | undefined;
  let shrink = 10;
  let levelSteps = 0;

  for (;;) {
    // Gradient and certificate at (t, μ).
    const s = dec.s;
    const U = dec.U.data;
    const V = dec.V.data;
    const sv = Float64Array.from(s, (v) => Math.hypot(v, mu));
    const G = new Float64Array(N);
    for (let r = 0; r < R; r++) {
      for (let p = 0; p < C; p++) {
        const u = U[r * C + p]! * (s[p]! / sv[p]!);
        if (u === 0) continue;
        for (let q = 0; q < C; q++) G[r * C + q]! += u * V[q * C + p]!;
      }
    }
    grad.set(c);
    if (P) for (let i = 0; i < kf; i++) grad[i]! += dot(P.subarray(i * kf, (i + 1) * kf), t);
    for (let e = 0; e < N; e++) {
      const g = G[e]!;
      if (g === 0) continue;
      const off = e * kf;
      for (let j = 0; j < kf; j++) grad[j]! += g * A[off + j]!;
    }
    let nuc = 0;
    let gap = 0;
    for (let p = 0; p < C; p++) {
      nuc += s[p]!;
      gap += s[p]! * (1 - s[p]! / sv[p]!);
    }
    const rel = gap / Math.max(nuc, scale);
    const kkt = Math.sqrt(dot(grad, grad)) / kktScale(G);
    result = { G, singularValues: s, converged: rel < gapTolerance && kkt < gapTolerance, gap, relativeGap: rel, kktResidual: kkt };
    if (result.converged || iterations >= maxIterations) break;

    // Hessian: features of each column of Ã (see the doc comment), H = FᵀF + P̃.
    completeBasis(U, { s, R, C });
    if (Uperp) orthogonalComplement(U, { R, C, out: Uperp });
    const w1 = Float64Array.from(sv, (v) => 1 / Math.sqrt(v));
    const wd = Float64Array.from(sv, (v) => mu / Math.pow(v, 1.5));
    for (let p = 0; p < C; p++) {
      for (let q = p + 1; q < C; q++) {
        const den = sv[p]! * sv[q]! * (sv[p]! + sv[q]!);
        const base = mu * mu + sv[p]! * sv[q]!;
        const cross = s[p]! * s[q]!;
        wPair[2 * (p * C + q)] = Math.sqrt(Math.max(base - cross, 0) / (2 * den));
        wPair[2 * (p * C + q) + 1] = Math.sqrt((base + cross) / (2 * den));
      }
    }
    if (tall && Tall) {
      // Y = Ã·V (each row block of Ã times V), D = Uᵀ·Y, then the tall block Y − U·D.
      rightMultiplyBlocks(A, V, { blocks: R, C, kf, out: Tall, work: blockWork });
      leftMultiply(U, Tall, { rows: R, inner: C, len: CK, out: Dall });
      addProduct(U, Dall, { rows: R, inner: C, len: CK, inout: Tall, scale: -1 });
    } else if (E) {
      // E = Uᵀ·Ã and D_j = E_j·V for every j at once.
      leftMultiply(U, A, { rows: R, inner: C, len: CK, out: E });
      rightMultiplyBlocks(E, V, { blocks: C, C, kf, out: Dall, work: blockWork });
      if (Tall && Eperp && Uperp) {
        // U⊥ᵀ·mat(ã_j)·V: the inner products of (I − UUᵀ)Δ' in R − C coordinates.
        leftMultiply(Uperp, A, { rows: R, inner: K, len: CK, out: Eperp });
        rightMultiplyBlocks(Eperp, V, { blocks: K, C, kf, out: Tall, work: blockWork });
      }
    }
    batchedFeatures({ Tall, Dall, w1, wd, wPair, C, kf, out: Ft });
    transposeInto(Ft, { rows: featLen, cols: kf, out: F });
    gramOfRows(F, { rows: kf, len: featLen, out: H });
    if (sparse) sparse.addTallBlock({ V, sv, Dall, H });
    if (P) for (let i = 0; i < kf * kf; i++) H[i]! += P[i]!;
    const d = solveSpd(H, grad, kf);
    const decrement = -dot(grad, d);

    // Damped step: backtracking on the smoothed objective.
    const f0 = smoothed(s, mu) + quad(t);
    for (let e = 0; e < N; e++) {
      const off = e * kf;
      let v = 0;
      for (let j = 0; j < kf; j++) v += A[off + j]! * d[j]!;
      Ad[e] = v;
    }
    let alpha = 1;
    let accepted = false;
    // A decrement at the rounding of f: the quadratic model is exact to rounding, take the full step.
    const full = decrement <= 1e-11 * Math.max(Math.abs(f0), scale);
    for (let ls = 0; ls < 40; ls++) {
      const tn = t.map((v, i) => v + alpha * d[i]!);
      const Xn = X.map((v, e) => v + alpha * Ad[e]!);
      const decn = svdNear(Xn, { R, C, V0: V });
      const fn = smoothed(decn.s, mu) + quad(tn);
      if (full || fn <= f0 - 0.25 * alpha * decrement) {
        t = tn;
        X = Xn;
        dec = decn;
        accepted = true;
        break;
      }
      alpha /= 2;
    }
    iterations++;
    levelSteps++;
    // Centred or stalled: follow the path to a smaller μ. At the last level (gap below the
    // tolerance) Newton steps continue at the same μ until stationarity reaches the tolerance too.
    if (!accepted) {
      mu /= 10;
      prev = undefined;
      shrink = 10;
      levelSteps = 0;
      if (mu < 1e-300) break;
    } else if (rel >= gapTolerance && kkt < Math.min(0.3, 100 * rel)) {
      // Loosely centred (the path only has to be followed, not met, until the last level).
      // The gap is about proportional to μ: aim the next level at half the tolerance, no further.
      const muNext = Math.max(mu / shrink, (mu * gapTolerance) / (2 * rel));
      const centre = { t, mu };
      if (prev) {
        // Near μ = 0 the centred path is smooth in μ (X(μ) ≈ X* + μ·Z): start the next level from
        // the linear extrapolation through the last two centres, when it is the better start.
        const w = (muNext - mu) / (mu - prev.mu);
        const back = prev.t;
        const tp = t.map((v, i) => v + w * (v - back[i]!));
        const Xp = Xof(tp);
        // Near X: Jacobi started from X's right singular vectors, as in the line search.
        const decp = svdNear(Xp, { R, C, V0: dec.V.data });
        if (smoothed(decp.s, muNext) + quad(tp) < smoothed(dec.s, muNext) + quad(t)) {
          t = tp;
          X = Xp;
          dec = decp;
        }
      }
      prev = centre;
      // A level that centred in one or two steps: the next may shrink μ further.
      shrink = levelSteps <= 2 ? Math.min(shrink * 10, 1e4) : levelSteps > 4 ? 10 : shrink;
      levelSteps = 0;
      mu = muNext;
    }
  }
  let G = result.G;
  if (wide) {
    G = new Float64Array(N);
    for (let i = 0; i < problem.R; i++) for (let j = 0; j < problem.C; j++) G[i * problem.C + j] = result.G[j * problem.R + i]!;
  }
  return { ...result, G, t, iterations, mu };
}

/**
 * Flops of the dense tall block of the Hessian (R > C): Y = Ã·V, D = Uᵀ·Y and Y − U·D for a tall X
 * (R ≥ 2C), or U⊥ by Gram–Schmidt, U⊥ᵀ·Ã and ·V for a near-square one, plus the block's Gram.
 * Exported for its test.
 */
export function denseTallBlockCost(R: number, C: number, kf: number): number {
  if (R >= 2 * C) return 2 * R * C * C * kf + (R * C * kf * kf) / 2;
  const K = R - C;
  return 4 * R * R * C + K * R * C * kf + K * C * C * kf + (K * C * kf * kf) / 2;
}

/**
 * The tall block of the Hessian through Ã = A·N (see {@link ReducedNuclearNormProblem.lift}):
 * Σ_c ‖(I − UUᵀ)·mat(ã_j)·v_c‖²/s_c for every pair of columns j, j' of Ã is
 *
 *     Nᵀ·S·N − Σ_{p,c} D_j[p, c]·D_j'[p, c]/s_c,  S = Aᵀ(I_R ⊗ M)A,  M = V·diag(1/s)·Vᵀ,
 *
 * with D_j = Uᵀ·mat(ã_j)·V. S has a nonzero only where two columns of A meet in a row block of
 * mat(A·z), so it costs Σ_r z_r² for z_r nonzeros in row block r. Returns undefined when the dense
 * tall block (`dense` flops, {@link denseTallBlockCost}) is not at least twice as expensive.
 * Exported for its test.
 */
export function sparseTallBlock(lift: { A: Float64Array; k: number; N: Float64Array }, { R, C, kf, dense }: { R: number; C: number; kf: number; dense: number }): { addTallBlock: (at: { V: Float64Array; sv: Float64Array; Dall: Float64Array; H: Float64Array }) => void } | undefined {
  const { A, k, N: Nm } = lift;
  if (A.length !== R * C * k || Nm.length !== k * kf) return undefined;
  // The nonzeros of each row block r of A (rows r·C … r·C + C − 1): counted first, to decide.
  const start = new Int32Array(R + 1);
  const cost = k * kf * kf + C * C * kf * kf;
  let pairs = 0;
  for (let r = 0; r < R; r++) {
    let z = 0;
    const end = (r + 1) * C * k;
    for (let x = r * C * k; x < end; x++) if (A[x] !== 0) z++;
    start[r + 1] = start[r]! + z;
    pairs += z * z;
    // S·N costs kf per nonzero of S (at most k² of them).
    if (2 * (cost + pairs + Math.min(pairs, k * k) * kf) > dense) return undefined;
  }
  // Column q of mat, column i of A and the value of each nonzero.
  const q = new Int32Array(start[R]!);
  const col = new Int32Array(start[R]!);
  const val = new Float64Array(start[R]!);
  for (let r = 0, x = 0; r < R; r++) {
    for (let qq = 0; qq < C; qq++) {
      const off = (r * C + qq) * k;
      for (let i = 0; i < k; i++) {
        const a = A[off + i]!;
        if (a === 0) continue;
        q[x] = qq;
        col[x] = i;
        val[x++] = a;
      }
    }
  }
  const S = new Float64Array(k * k);
  const SN = new Float64Array(k * kf);
  const Ht = new Float64Array(kf * kf);
  const M = new Float64Array(C * C);
  const Fu = new Float64Array(C * C * kf);
  const FuT = new Float64Array(kf * C * C);
  const Hu = new Float64Array(kf * kf);
  return {
    addTallBlock({ V, sv, Dall, H }) {
      // M = V·diag(1/s)·Vᵀ.
      M.fill(0);
      for (let a = 0; a < C; a++) {
        for (let b = 0; b < C; b++) {
          let v = 0;
          for (let c = 0; c < C; c++) v += (V[a * C + c]! * V[b * C + c]!) / sv[c]!;
          M[a * C + b] = v;
        }
      }
      S.fill(0);
      for (let r = 0; r < R; r++) {
        const e1 = start[r + 1]!;
        for (let x = start[r]!; x < e1; x++) {
          const ax = val[x]!;
          const mq = q[x]! * C;
          const oi = col[x]! * k;
          for (let y = start[r]!; y < e1; y++) S[oi + col[y]!]! += ax * M[mq + q[y]!]! * val[y]!;
        }
      }
      // SN = S·N (= Sᵀ·N, S is symmetric), then Nᵀ·SN.
      leftMultiply(S, Nm, { rows: k, inner: k, len: kf, out: SN });
      leftMultiply(Nm, SN, { rows: k, inner: kf, len: kf, out: Ht });
      // The part in span U: D_j[p, c]/√s_c.
      const CK = C * kf;
      for (let p = 0; p < C; p++) {
        for (let c = 0; c < C; c++) {
          const w = 1 / Math.sqrt(sv[c]!);
          const o = p * CK + c * kf;
          for (let j = 0; j < kf; j++) Fu[o + j] = Dall[o + j]! * w;
        }
      }
      transposeInto(Fu, { rows: C * C, cols: kf, out: FuT });
      gramOfRows(FuT, { rows: kf, len: C * C, out: Hu });
      for (let i = 0; i < kf * kf; i++) H[i]! += Ht[i]! - Hu[i]!;
      // Nᵀ·S·N is symmetric in exact arithmetic: keep H exactly so.
      for (let i = 0; i < kf; i++) {
        for (let j = i + 1; j < kf; j++) {
          const v = 0.5 * (H[i * kf + j]! + H[j * kf + i]!);
          H[i * kf + j] = v;
          H[j * kf + i] = v;
        }
      }
    },
  };
}

/**
 * The Hessian's features of every column j of Ã as the rows of `out` (featLen×kf, each feature
 * contiguous): the tall block (U⊥ᵀ·mat(ã_j)·V, or (I − UUᵀ)·mat(ã_j)·V for a tall X) column-weighted
 * (when there is one), the diagonal
 * of D_j, its symmetric and antisymmetric pairs.
 */
function batchedFeatures({ Tall, Dall, w1, wd, wPair, C, kf, out: Ft }: { Tall: Float64Array | undefined; Dall: Float64Array; w1: Float64Array; wd: Float64Array; wPair: Float64Array; C: number; kf: number; out: Float64Array }): void {
  const CK = C * kf;
  let o = 0;
  if (Tall) {
    const rowsT = Tall.length / CK;
    for (let r = 0; r < rowsT; r++) {
      for (let q = 0; q < C; q++) {
        const src = r * CK + q * kf;
        const w = w1[q]!;
        const dst = o++ * kf;
        for (let j = 0; j < kf; j++) Ft[dst + j] = Tall[src + j]! * w;
      }
    }
  }
  for (let p = 0; p < C; p++) {
    const src = (p * C + p) * kf;
    const w = wd[p]!;
    const dst = o++ * kf;
    for (let j = 0; j < kf; j++) Ft[dst + j] = Dall[src + j]! * w;
  }
  for (let p = 0; p < C; p++) {
    for (let q = p + 1; q < C; q++) {
      const x = (p * C + q) * kf;
      const y = (q * C + p) * kf;
      const ws = wPair[2 * (p * C + q)]!;
      const wa = wPair[2 * (p * C + q) + 1]!;
      const ds = o++ * kf;
      const da = o++ * kf;
      for (let j = 0; j < kf; j++) {
        const a = Dall[x + j]!;
        const b = Dall[y + j]!;
        Ft[ds + j] = (a + b) * ws;
        Ft[da + j] = (a - b) * wa;
      }
    }
  }
}

/** out (cols×rows) = Mᵀ for M rows×cols, both row-major, by 32×32 tiles (both sides stay in cache). */
function transposeInto(M: Float64Array, { rows, cols, out }: { rows: number; cols: number; out: Float64Array }): void {
  const T = 32;
  for (let i0 = 0; i0 < rows; i0 += T) {
    const i1 = Math.min(i0 + T, rows);
    for (let j0 = 0; j0 < cols; j0 += T) {
      const j1 = Math.min(j0 + T, cols);
      for (let i = i0; i < i1; i++) {
        const oi = i * cols;
        for (let j = j0; j < j1; j++) out[j * rows + i] = M[oi + j]!;
      }
    }
  }
}

/**
 * out = Mᵀ·B for M rows×inner and B rows×len (both row-major): out inner×len, row p the sum of
 * B's rows weighted by column p of M (contiguous axpys of length len). Exported for its test.
 */
export function leftMultiply(M: Float64Array, B: Float64Array, { rows, inner, len, out }: { rows: number; inner: number; len: number; out: Float64Array }): void {
  out.fill(0);
  // Four rows of B against four rows of out at a time: each load of B serves four rows of out, and
  // each entry of out is loaded and stored once per four rows of B. Every entry of out is summed in
  // the same order as by one row of out at a time (four terms of B's rows, in order, per update).
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const b0 = r * len;
    const b1 = b0 + len;
    const b2 = b1 + len;
    const b3 = b2 + len;
    const r0 = r * inner;
    const r1 = r0 + inner;
    const r2 = r1 + inner;
    const r3 = r2 + inner;
    let p = 0;
    for (; p + 4 <= inner; p += 4) {
      const a0 = M[r0 + p]!, a1 = M[r1 + p]!, a2 = M[r2 + p]!, a3 = M[r3 + p]!;
      const c0 = M[r0 + p + 1]!, c1 = M[r1 + p + 1]!, c2 = M[r2 + p + 1]!, c3 = M[r3 + p + 1]!;
      const d0 = M[r0 + p + 2]!, d1 = M[r1 + p + 2]!, d2 = M[r2 + p + 2]!, d3 = M[r3 + p + 2]!;
      const e0 = M[r0 + p + 3]!, e1 = M[r1 + p + 3]!, e2 = M[r2 + p + 3]!, e3 = M[r3 + p + 3]!;
      if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0 && c0 === 0 && c1 === 0 && c2 === 0 && c3 === 0 && d0 === 0 && d1 === 0 && d2 === 0 && d3 === 0 && e0 === 0 && e1 === 0 && e2 === 0 && e3 === 0) continue;
      const o0 = p * len;
      const o1 = o0 + len;
      const o2 = o1 + len;
      const o3 = o2 + len;
      for (let x = 0; x < len; x++) {
        const y0 = B[b0 + x]!;
        const y1 = B[b1 + x]!;
        const y2 = B[b2 + x]!;
        const y3 = B[b3 + x]!;
        out[o0 + x]! += a0 * y0 + a1 * y1 + a2 * y2 + a3 * y3;
        out[o1 + x]! += c0 * y0 + c1 * y1 + c2 * y2 + c3 * y3;
        out[o2 + x]! += d0 * y0 + d1 * y1 + d2 * y2 + d3 * y3;
        out[o3 + x]! += e0 * y0 + e1 * y1 + e2 * y2 + e3 * y3;
      }
    }
    for (; p < inner; p++) {
      const m0 = M[r0 + p]!;
      const m1 = M[r1 + p]!;
      const m2 = M[r2 + p]!;
      const m3 = M[r3 + p]!;
      if (m0 === 0 && m1 === 0 && m2 === 0 && m3 === 0) continue;
      const op = p * len;
      for (let x = 0; x < len; x++) out[op + x]! += m0 * B[b0 + x]! + m1 * B[b1 + x]! + m2 * B[b2 + x]! + m3 * B[b3 + x]!;
    }
  }
  for (; r < rows; r++) {
    const br = r * len;
    for (let p = 0; p < inner; p++) {
      const m = M[r * inner + p]!;
      if (m === 0) continue;
      const op = p * len;
      for (let x = 0; x < len; x++) out[op + x]! += m * B[br + x]!;
    }
  }
}

/**
 * inout += scale·M·B for M rows×inner and B inner×len (row-major): row r of inout plus the sum of
 * B's rows weighted by row r of M, four rows of B at a time, for four rows of inout at once (each
 * load of B serves four rows; every entry is summed in the same order as one row at a time).
 */
export function addProduct(M: Float64Array, B: Float64Array, { rows, inner, len, inout, scale }: { rows: number; inner: number; len: number; inout: Float64Array; scale: number }): void {
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const o0 = r * len;
    const o1 = o0 + len;
    const o2 = o1 + len;
    const o3 = o2 + len;
    const r0 = r * inner;
    const r1 = r0 + inner;
    const r2 = r1 + inner;
    const r3 = r2 + inner;
    let p = 0;
    for (; p + 4 <= inner; p += 4) {
      const a0 = scale * M[r0 + p]!, a1 = scale * M[r0 + p + 1]!, a2 = scale * M[r0 + p + 2]!, a3 = scale * M[r0 + p + 3]!;
      const c0 = scale * M[r1 + p]!, c1 = scale * M[r1 + p + 1]!, c2 = scale * M[r1 + p + 2]!, c3 = scale * M[r1 + p + 3]!;
      const d0 = scale * M[r2 + p]!, d1 = scale * M[r2 + p + 1]!, d2 = scale * M[r2 + p + 2]!, d3 = scale * M[r2 + p + 3]!;
      const e0 = scale * M[r3 + p]!, e1 = scale * M[r3 + p + 1]!, e2 = scale * M[r3 + p + 2]!, e3 = scale * M[r3 + p + 3]!;
      if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0 && c0 === 0 && c1 === 0 && c2 === 0 && c3 === 0 && d0 === 0 && d1 === 0 && d2 === 0 && d3 === 0 && e0 === 0 && e1 === 0 && e2 === 0 && e3 === 0) continue;
      const b0 = p * len;
      const b1 = b0 + len;
      const b2 = b1 + len;
      const b3 = b2 + len;
      for (let x = 0; x < len; x++) {
        const y0 = B[b0 + x]!;
        const y1 = B[b1 + x]!;
        const y2 = B[b2 + x]!;
        const y3 = B[b3 + x]!;
        inout[o0 + x]! += a0 * y0 + a1 * y1 + a2 * y2 + a3 * y3;
        inout[o1 + x]! += c0 * y0 + c1 * y1 + c2 * y2 + c3 * y3;
        inout[o2 + x]! += d0 * y0 + d1 * y1 + d2 * y2 + d3 * y3;
        inout[o3 + x]! += e0 * y0 + e1 * y1 + e2 * y2 + e3 * y3;
      }
    }
    for (; p < inner; p++) {
      const b0 = p * len;
      for (let k = 0; k < 4; k++) {
        const m = scale * M[r0 + k * inner + p]!;
        if (m === 0) continue;
        const or = o0 + k * len;
        for (let x = 0; x < len; x++) inout[or + x]! += m * B[b0 + x]!;
      }
    }
  }
  for (; r < rows; r++) {
    const or = r * len;
    const mr = r * inner;
    let p = 0;
    for (; p + 4 <= inner; p += 4) {
      const m0 = scale * M[mr + p]!;
      const m1 = scale * M[mr + p + 1]!;
      const m2 = scale * M[mr + p + 2]!;
      const m3 = scale * M[mr + p + 3]!;
      if (m0 === 0 && m1 === 0 && m2 === 0 && m3 === 0) continue;
      const b0 = p * len;
      const b1 = b0 + len;
      const b2 = b1 + len;
      const b3 = b2 + len;
      for (let x = 0; x < len; x++) inout[or + x]! += m0 * B[b0 + x]! + m1 * B[b1 + x]! + m2 * B[b2 + x]! + m3 * B[b3 + x]!;
    }
    for (; p < inner; p++) {
      const m = scale * M[mr + p]!;
      if (m === 0) continue;
      const b0 = p * len;
      for (let x = 0; x < len; x++) inout[or + x]! += m * B[b0 + x]!;
    }
  }
}

/**
 * For `blocks` blocks Y_b of C×kf (B = [Y_0; Y_1; …] row-major, B[b, q, j]): out[b, p', j] =
 * Σ_q Y_b[q, j]·V[q, p'], i.e. each block's mat(·)·V with the column index j innermost.
 * One leftMultiply with rows of blocks·kf entries does every block: B laid out as [q, b, j] in
 * `work` (blocks·C·kf entries), the product ([p', b, j]) into out, laid back through work. The
 * sums are those of a leftMultiply per block, in the same order. Exported for its test.
 */
export function rightMultiplyBlocks(B: Float64Array, V: Float64Array, { blocks, C, kf, out, work }: { blocks: number; C: number; kf: number; out: Float64Array; work: Float64Array }): void {
  const CK = C * kf;
  const BK = blocks * kf;
  for (let b = 0; b < blocks; b++) {
    for (let q = 0; q < C; q++) {
      const src = b * CK + q * kf;
      const dst = q * BK + b * kf;
      for (let j = 0; j < kf; j++) work[dst + j] = B[src + j]!;
    }
  }
  leftMultiply(V, work, { rows: C, inner: C, len: BK, out });
  for (let p = 0; p < C; p++) {
    for (let b = 0; b < blocks; b++) {
      const src = p * BK + b * kf;
      const dst = b * CK + p * kf;
      for (let j = 0; j < kf; j++) work[dst + j] = out[src + j]!;
    }
  }
  out.set(work.subarray(0, blocks * CK));
}

/**
 * out = F·Fᵀ for F with `rows` rows of `len` entries (row-major), out rows×rows, both triangles.
 * Blocks of 4×2 entries share their loads (the Hessian's dominant cost); exported for its test.
 */
export function gramOfRows(F: Float64Array, { rows, len, out }: { rows: number; len: number; out: Float64Array }): void {
  let i = 0;
  for (; i + 4 <= rows; i += 4) {
    const o0 = i * len;
    const o1 = o0 + len;
    const o2 = o1 + len;
    const o3 = o2 + len;
    // Columns j ≥ i in pairs (the 4×4 diagonal block is computed whole, its lower half redundantly).
    let j = i;
    for (; j + 2 <= rows; j += 2) {
      const p0 = j * len;
      const p1 = p0 + len;
      let a00 = 0, a01 = 0, a10 = 0, a11 = 0, a20 = 0, a21 = 0, a30 = 0, a31 = 0;
      for (let l = 0; l < len; l++) {
        const y0 = F[p0 + l]!;
        const y1 = F[p1 + l]!;
        const x0 = F[o0 + l]!;
        const x1 = F[o1 + l]!;
        const x2 = F[o2 + l]!;
        const x3 = F[o3 + l]!;
        a00 += x0 * y0;
        a01 += x0 * y1;
        a10 += x1 * y0;
        a11 += x1 * y1;
        a20 += x2 * y0;
        a21 += x2 * y1;
        a30 += x3 * y0;
        a31 += x3 * y1;
      }
      const r0 = i * rows + j;
      const r1 = r0 + rows;
      const r2 = r1 + rows;
      const r3 = r2 + rows;
      out[r0] = a00;
      out[r0 + 1] = a01;
      out[r1] = a10;
      out[r1 + 1] = a11;
      out[r2] = a20;
      out[r2 + 1] = a21;
      out[r3] = a30;
      out[r3 + 1] = a31;
      const c0 = j * rows + i;
      const c1 = c0 + rows;
      out[c0] = a00;
      out[c0 + 1] = a10;
      out[c0 + 2] = a20;
      out[c0 + 3] = a30;
      out[c1] = a01;
      out[c1 + 1] = a11;
      out[c1 + 2] = a21;
      out[c1 + 3] = a31;
    }
    for (; j < rows; j++) {
      const p0 = j * len;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
      for (let l = 0; l < len; l++) {
        const y = F[p0 + l]!;
        a0 += F[o0 + l]! * y;
        a1 += F[o1 + l]! * y;
        a2 += F[o2 + l]! * y;
        a3 += F[o3 + l]! * y;
      }
      out[i * rows + j] = a0;
      out[(i + 1) * rows + j] = a1;
      out[(i + 2) * rows + j] = a2;
      out[(i + 3) * rows + j] = a3;
      const c0 = j * rows + i;
      out[c0] = a0;
      out[c0 + 1] = a1;
      out[c0 + 2] = a2;
      out[c0 + 3] = a3;
    }
  }
  for (; i < rows; i++) {
    const oi = i * len;
    for (let j = i; j < rows; j++) {
      const oj = j * len;
      let v = 0;
      for (let l = 0; l < len; l++) v += F[oi + l]! * F[oj + l]!;
      out[i * rows + j] = v;
      out[j * rows + i] = v;
    }
  }
}

/**
 * The SVD of X (R×C, R ≥ C) started from the right singular vectors V₀ of a nearby matrix: Jacobi
 * on X·V₀ (nearly orthogonal columns: one or two sweeps), V = V₀·V_Y.
 */
function svdNear(X: Float64Array, { R, C, V0 }: { R: number; C: number; V0: Float64Array }): SvdResult {
  const Y = new Float64Array(R * C);
  for (let r = 0; r < R; r++) {
    const or = r * C;
    for (let q = 0; q < C; q++) {
      const x = X[or + q]!;
      if (x === 0) continue;
      const oq = q * C;
      for (let p = 0; p < C; p++) Y[or + p]! += x * V0[oq + p]!;
    }
  }
  const d = svd(new Matrix(R, C, Y));
  const V = new Float64Array(C * C);
  const Vy = d.V.data;
  for (let q = 0; q < C; q++) {
    for (let a = 0; a < C; a++) {
      const v = V0[q * C + a]!;
      if (v === 0) continue;
      for (let p = 0; p < C; p++) V[q * C + p]! += v * Vy[a * C + p]!;
    }
  }
  return { U: d.U, s: d.s, V: new Matrix(C, C, V) };
}

/**
 * Completes the columns of U (R×C, row-major) that belong to σ = 0 (zero columns) to an
 * orthonormal set by Gram–Schmidt on unit vectors; returns the number of non-zero σ.
 */
function completeBasis(U: Float64Array, { s, R, C }: { s: Float64Array; R: number; C: number }): number {
  let rank = 0;
  for (let p = 0; p < C; p++) {
    let nrm = 0;
    for (let r = 0; r < R; r++) nrm += U[r * C + p]! ** 2;
    if (s[p]! > 0 && Math.abs(nrm - 1) < 1e-6) {
      rank++;
      continue;
    }
    for (let e = 0; e < R; e++) {
      const v = new Float64Array(R);
      v[e] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let q = 0; q < C; q++) {
          if (q === p) continue;
          let pr = 0;
          for (let r = 0; r < R; r++) pr += U[r * C + q]! * v[r]!;
          for (let r = 0; r < R; r++) v[r]! -= pr * U[r * C + q]!;
        }
      }
      const n2 = Math.sqrt(dot(v, v));
      if (n2 > 0.5) {
        for (let r = 0; r < R; r++) U[r * C + p] = v[r]! / n2;
        break;
      }
    }
  }
  return rank;
}

/**
 * An orthonormal basis of the complement of U's columns (R×C, orthonormal, row-major) in R^R, as
 * the R − C columns of `out` (R×(R − C), row-major): Gram–Schmidt (twice) of unit vectors.
 */
function orthogonalComplement(U: Float64Array, { R, C, out }: { R: number; C: number; out: Float64Array }): void {
  const K = R - C;
  const v = new Float64Array(R);
  let found = 0;
  for (let e = 0; e < R && found < K; e++) {
    v.fill(0);
    v[e] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (let q = 0; q < C; q++) {
        let pr = 0;
        for (let r = 0; r < R; r++) pr += U[r * C + q]! * v[r]!;
        for (let r = 0; r < R; r++) v[r]! -= pr * U[r * C + q]!;
      }
      for (let a = 0; a < found; a++) {
        let pr = 0;
        for (let r = 0; r < R; r++) pr += out[r * K + a]! * v[r]!;
        for (let r = 0; r < R; r++) v[r]! -= pr * out[r * K + a]!;
      }
    }
    const n2 = Math.sqrt(dot(v, v));
    // A unit vector keeps at least a 1/√R share outside a C-dimensional span; ≥ 1/(2√R) is safe.
    if (n2 > 0.5 / Math.sqrt(R)) {
      for (let r = 0; r < R; r++) out[r * K + found] = v[r]! / n2;
      found++;
    }
  }
}

/** Solves H·d = −g for a symmetric positive semidefinite H by Cholesky, with the smallest ridge that factors. */
function solveSpd(H: Float64Array, g: Float64Array, n: number): Float64Array {
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, H[i * n + i]!);
  for (let ridge = 1e-15 * Math.max(maxDiag, Number.MIN_VALUE), tries = 0; tries < 40; ridge *= 10, tries++) {
    const L = H.slice();
    for (let i = 0; i < n; i++) L[i * n + i]! += ridge;
    if (!choleskyInPlace(L, n)) continue;
    const x = Float64Array.from(g, (v) => -v);
    for (let i = 0; i < n; i++) {
      let v = x[i]!;
      for (let p = 0; p < i; p++) v -= L[i * n + p]! * x[p]!;
      x[i] = v / L[i * n + i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let v = x[i]!;
      for (let p = i + 1; p < n; p++) v -= L[p * n + i]! * x[p]!;
      x[i] = v / L[i * n + i]!;
    }
    return x;
  }
  // Not factorable (a non-finite Hessian): no step.
  return new Float64Array(n);
}
