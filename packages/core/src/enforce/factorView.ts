import { Matrix } from '../linalg/Matrix.js';
import { binaryExponent, scaleInPlace } from '../linalg/powerOfTwo.js';
import { type Representation, representationStructure } from '../reps/Representation.js';

/** Dense generator matrices of one tensor factor: dρ(ξᵢ) and ρ(hⱼ), each dim×dim. */
export interface FactorData {
  readonly dim: number;
  readonly lie: readonly Matrix[];
  readonly disc: readonly Matrix[];
}

/** What a structured solver returns before it is wrapped into a BasisResult. */
export interface ReducedSolve {
  /** dim × r, orthonormal columns. */
  basis: Matrix;
  /** The spectrum the rank was decided on (ascending), see BasisResult.singularValues. */
  singularValues: Float64Array;
  gap: number;
  threshold: number;
}

/** Largest factor dimension a structured solver materializes densely. */
const MAX_FACTOR_DIM = 1024;

/** Lie-algebra constraints whose largest entry lies within 2^±64 are used as they are. */
const ORDINARY_SCALE_EXPONENT = 64;

/**
 * The k by which every solver multiplies the Lie-algebra constraints dρ(ξᵢ) (all of them, so that no
 * invariant changes) before deciding: 0 when their largest entry `maxAbs` lies within 2^±64, otherwise
 * the exponent that brings it into [1, 2). At such extreme scales sums of squares overflow (beyond
 * ~1e154) or underflow, and next to the O(1) discrete constraints ρ(hⱼ) − I a relative rank test
 * would ignore one kind of constraint entirely. Multiplying by 2ᵏ is exact.
 */
export function lieScaleExponent(maxAbs: number): number {
  const e = binaryExponent(maxAbs);
  return Math.abs(e) > ORDINARY_SCALE_EXPONENT ? -e : 0;
}

/**
 * The tensor factors of `rep` with their dense generators (a non-product is one factor), or
 * undefined when a factor is too large to materialize. The Lie-algebra generators of every factor
 * are multiplied by 2ᵏ, k = {@link lieScaleExponent} of their largest entry (the Kronecker sums,
 * and so the invariants' constraints, scale by the same 2ᵏ).
 */
export function factorView(rep: Representation): FactorData[] | undefined {
  const s = representationStructure(rep);
  const factors = s.kind === 'tensorProduct' ? s.factors : [rep];
  const out: FactorData[] = [];
  for (const f of factors) {
    if (f.dim > MAX_FACTOR_DIM) return undefined;
    const lie: Matrix[] = [];
    const disc: Matrix[] = [];
    for (let i = 0; i < rep.generatorCount; i++) lie.push(f.generatorCount > 0 ? f.drho(i).toDense() : new Matrix(f.dim, f.dim));
    for (let j = 0; j < rep.discreteCount; j++) disc.push(f.discreteCount > 0 ? f.rho(j).toDense() : Matrix.identity(f.dim));
    out.push({ dim: f.dim, lie, disc });
  }
  const k = lieScaleExponent(Math.max(0, ...out.flatMap((f) => f.lie.map((m) => m.maxAbs()))));
  if (k !== 0) for (const f of out) for (const m of f.lie) scaleInPlace(m.data, k);
  return out;
}

/** The dense Kronecker sum A₁ ⊕ A₂ ⊕ … = Σₖ I ⊗ … ⊗ Aₖ ⊗ … ⊗ I (first factor slowest). */
export function kronSumDense(ms: readonly Matrix[]): Matrix {
  let acc = ms[0]!;
  for (let k = 1; k < ms.length; k++) {
    const b = ms[k]!;
    acc = acc.kron(Matrix.identity(b.rows)).add(Matrix.identity(acc.rows).kron(b));
  }
  return acc;
}

/** True when ‖M + Mᵀ‖ ≤ tol·‖M‖ (antisymmetric, e.g. a compact group's generator in an orthonormal basis). */
export function isAntisymmetric(m: Matrix, tol = 1e-12): boolean {
  const n = m.rows;
  let d = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d = Math.max(d, Math.abs(m.data[i * n + j]! + m.data[j * n + i]!));
  return d <= tol * Math.max(m.maxAbs(), Number.MIN_VALUE);
}

/** True when ‖M − Mᵀ‖ ≤ tol·‖M‖. */
export function isSymmetric(m: Matrix, tol = 1e-12): boolean {
  const n = m.rows;
  let d = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) d = Math.max(d, Math.abs(m.data[i * n + j]! - m.data[j * n + i]!));
  return d <= tol * Math.max(m.maxAbs(), Number.MIN_VALUE);
}

/** The row-major tensor x (axes `dims`, then a trailing axis of length `cols`) and the array `out` of its shape. */
interface AxisOperands {
  dims: readonly number[];
  cols: number;
  x: Float64Array;
  out: Float64Array;
}

/** Adds M applied along axis `axis` of the tensor x into out. */
function addAlongAxis(m: Matrix, axis: number, { dims, cols, x, out }: AxisOperands): void {
  const d = dims[axis]!;
  let outer = 1;
  for (let k = 0; k < axis; k++) outer *= dims[k]!;
  let inner = cols;
  for (let k = axis + 1; k < dims.length; k++) inner *= dims[k]!;
  const md = m.data;
  for (let o = 0; o < outer; o++) {
    const base = o * d * inner;
    for (let a = 0; a < d; a++) {
      const oa = base + a * inner;
      for (let b = 0; b < d; b++) {
        const v = md[a * d + b]!;
        if (v === 0) continue;
        const xb = base + b * inner;
        for (let t = 0; t < inner; t++) out[oa + t]! += v * x[xb + t]!;
      }
    }
  }
}

/**
 * (A₁ ⊕ A₂ ⊕ …)·Q for a row-major N×r matrix Q with N = Π dims (the Kronecker sum applied to
 * r columns at once, never materialized).
 */
export function kronSumApply(ms: readonly Matrix[], q: Matrix): Matrix {
  const dims = ms.map((m) => m.rows);
  const out = new Float64Array(q.data.length);
  ms.forEach((m, k) => {
    if (m.maxAbs() !== 0) addAlongAxis(m, k, { dims, cols: q.cols, x: q.data, out });
  });
  return new Matrix(q.rows, q.cols, out);
}

/** (A₁ ⊗ A₂ ⊗ …)·Q for a row-major N×r matrix Q (square factors). */
export function kronApply(ms: readonly Matrix[], q: Matrix): Matrix {
  const dims = ms.map((m) => m.rows);
  let cur = q.data;
  ms.forEach((m, k) => {
    const out = new Float64Array(cur.length);
    addAlongAxis(m, k, { dims, cols: q.cols, x: cur, out });
    cur = out;
  });
  return new Matrix(q.rows, q.cols, cur);
}

/**
 * The largest relative constraint residual of a basis Q (columns): maxᵢ ‖dρ(ξᵢ)Q‖ / (‖dρ(ξᵢ)‖·‖Q‖) and
 * maxⱼ ‖(ρ(hⱼ) − I)Q‖ / ‖Q‖, with ‖dρ(ξᵢ)‖ bounded by Σ over factors of the factors' Frobenius norms.
 * Structured solvers verify their output with it before returning.
 * @param options.checkDiscrete whether to measure the discrete constraints (default true; false when
 *   they hold exactly by construction, as for permutation orbits)
 */
export function constraintResidual(factors: readonly FactorData[], q: Matrix, options: { checkDiscrete?: boolean } = {}): number {
  const checkDiscrete = options.checkDiscrete ?? true;
  if (q.cols === 0) return 0;
  const qn = q.norm();
  let worst = 0;
  const q0 = factors[0]!.lie.length;
  const p0 = factors[0]!.disc.length;
  for (let i = 0; i < q0; i++) {
    const ms = factors.map((f) => f.lie[i]!);
    const scale = ms.reduce((s, m) => s + m.norm(), 0);
    if (scale === 0) continue;
    worst = Math.max(worst, kronSumApply(ms, q).norm() / (scale * qn));
  }
  for (let j = 0; checkDiscrete && j < p0; j++) {
    const r = kronApply(factors.map((f) => f.disc[j]!), q).sub(q).norm();
    worst = Math.max(worst, r / qn);
  }
  return worst;
}
