import { InvalidArgumentError, ShapeMismatchError, errorMessage } from '../errors.js';
import { gridTransform } from '../groups/gridTransform.js';
import { solve } from '../linalg/lu.js';
import { Matrix } from '../linalg/Matrix.js';
import { nullspace } from '../linalg/nullspace.js';
import { sparseMatrix, type SparseMatrix } from '../linalg/SparseMatrix.js';
import { checkRtol } from '../tolerances.js';
import type { PreparedLayerGenerators } from './layerGenerators.js';

/**
 * A candidate transformation of convolution kernels: 'rotation' and 'scaling' about the
 * kernel's centre (Lie derivatives), 'reflection' x ↦ −x (discrete, checked as K_h − I).
 */
export type KernelCandidate = 'rotation' | 'reflection' | 'scaling';

/** The shape of a conv2d kernel [k, k, channelsIn, channelsOut] (the tfjs layout). */
export interface KernelShape {
  /** k, the kernel side. */
  size: number;
  channelsIn: number;
  channelsOut: number;
}

const CANDIDATES: readonly KernelCandidate[] = ['rotation', 'reflection', 'scaling'];
/** Width of the Gaussian interpolant the tap derivatives are taken from, in pixels. */
const RBF_WIDTH = 0.8;

function checkShape(fn: string, shape: KernelShape): void {
  for (const key of ['size', 'channelsIn', 'channelsOut'] as const) {
    const v = shape?.[key];
    if (!Number.isInteger(v) || v < 1) throw new InvalidArgumentError(errorMessage(fn, key, { expected: 'an integer ≥ 1', received: v }));
  }
}

function checkCandidates(fn: string, candidate: unknown): readonly KernelCandidate[] {
  const list = candidate ?? CANDIDATES;
  if (!Array.isArray(list) || list.length === 0 || !list.every((c) => CANDIDATES.includes(c as KernelCandidate)) || new Set(list).size !== list.length) {
    throw new InvalidArgumentError(errorMessage(fn, 'candidate', { expected: "a non-empty list of distinct 'rotation', 'reflection', 'scaling'", received: candidate }));
  }
  return list as KernelCandidate[];
}

/**
 * The Lie derivative ℒ_ξ u(p) = ∇ũ(p)·ξ(p) on a k×k grid of taps (k²×k², row-major), with ũ
 * the Gaussian interpolant of the taps (width 0.8 px) and ξ the rotation (−y, x) or the
 * scaling (x, y) about the centre: a kernel whose smooth interpolant is rotation invariant
 * has ℒ_rot u = 0.
 */
function tapDerivative(k: number, field: 'rotation' | 'scaling'): Matrix {
  const n = k * k;
  const c = (k - 1) / 2;
  const pts = Array.from({ length: n }, (_, p) => [(p % k) - c, c - Math.floor(p / k)] as const);
  const psi = new Matrix(n, n);
  const dpsi = new Matrix(n, n);
  const s2 = RBF_WIDTH * RBF_WIDTH;
  for (let p = 0; p < n; p++) {
    const [x, y] = pts[p]!;
    const [vx, vy] = field === 'rotation' ? [-y, x] : [x, y];
    for (let q = 0; q < n; q++) {
      const [dx, dy] = [x - pts[q]![0], y - pts[q]![1]];
      const g = Math.exp(-(dx * dx + dy * dy) / (2 * s2));
      psi.data[p * n + q] = g;
      dpsi.data[p * n + q] = (-g / s2) * (dx * vx + dy * vy);
    }
  }
  // ũ = Ψ·α with Ψα = u, so ℒu = dΨ·Ψ⁻¹·u (Ψ symmetric)
  return solve(psi, dpsi.transpose()).transpose();
}

/** −M with its rounding-level entries (|x| < 1e-15) dropped, as a {@link SparseMatrix}. */
function negatedSparse(m: Matrix): SparseMatrix {
  return sparseMatrix(new Matrix(m.rows, m.cols, m.data.map((x) => (Math.abs(x) < 1e-15 ? 0 : -x))));
}

/** The k²×k² tap operator of one candidate: ℒ_rot, ℒ_scale, or T_h − I for the mirror. */
function tapOperator(k: number, candidate: KernelCandidate): Matrix {
  if (candidate !== 'reflection') return tapDerivative(k, candidate);
  const t = gridTransform({ angle: 0, reflection: true }, { size: k });
  const m = Matrix.identity(k * k).scale(-1);
  for (let e = 0; e < t.values.length; e++) m.data[t.rowIndex[e]! * k * k + t.colIndex[e]!]! += t.values[e]!;
  return m;
}

/**
 * The candidate transformations of a conv2d kernel K [k, k, C_in, C_out] (tfjs layout) as
 * layer generators for core's `stackedNuclearNorm`: K is read as W = K reshaped
 * (k²)×(C_in·C_out), and each candidate acts on the taps only (channels are scalars), so
 * L W = W·0 − B·W with B = −ℒ (ℒ_rot, ℒ_scale: the rotation or scaling Lie derivative of the
 * taps' Gaussian interpolant; T_h − I for the mirror). The promote penalty of plain
 * convolutions is then γ·‖[L_1 W, L_2 W, …]‖_* (orthonormalizer: the identity).
 * @param options.candidate the candidates (default all three, in the order rotation, reflection, scaling)
 * @throws InvalidArgumentError for a bad shape or candidate list
 * @example
 * const { generators } = kernelGenerators({ size: 3, channelsIn: 1, channelsOut: 8, candidate: ['rotation', 'reflection'] });
 * stackedNuclearNorm([{ generators, w: kernel.dataSync() }]).value; // 0 for rotation- and mirror-invariant filters
 */
export function kernelGenerators(options: KernelShape & { candidate?: readonly KernelCandidate[] }): PreparedLayerGenerators & { candidate: readonly KernelCandidate[] } {
  const fn = 'kernelGenerators';
  checkShape(fn, options);
  const candidate = checkCandidates(fn, options.candidate);
  const k = options.size;
  const dimIn = options.channelsIn * options.channelsOut;
  const zero: SparseMatrix = { rows: dimIn, cols: dimIn, rowIndex: new Int32Array(0), colIndex: new Int32Array(0), values: new Float64Array(0) };
  const pairs = candidate.map((c) => [zero, negatedSparse(tapOperator(k, c))] as const);
  return { generators: { dimIn, dimOut: k * k, pairs }, orthonormalizer: Matrix.identity(pairs.length), candidate };
}

/** Result of {@link kernelSymmetry}. */
export interface KernelSymmetry {
  /** ‖L K‖ / ‖K‖ per candidate, in the candidate order (0 for a zero kernel). */
  norms: Record<KernelCandidate, number | undefined>;
  /** The Lie-algebra candidates (rotation, scaling) among those given, the columns of D. */
  generators: KernelCandidate[];
  /** Singular values of D = [vec(ℒ_ξ K)/‖K‖] over the Lie candidates, ascending. */
  singularValues: Float64Array;
  /** Dimension of the discovered subalgebra (σ ≤ threshold). */
  dimension: number;
  threshold: number;
  gap: number;
  /** The discovered subalgebra as generator coefficients (one row per dimension, over `generators`). */
  subalgebra: number[][];
  /** Whether every tested mirror residual is ≤ the threshold too. */
  reflection: boolean | undefined;
}

/**
 * How rotation-, mirror- and scale-symmetric the filters of one conv2d kernel K
 * [k, k, C_in, C_out] are (discover for convolutions): the relative Lie-derivative norms
 * ‖ℒ_ξ K‖/‖K‖ of the candidates (see {@link kernelGenerators}), the mirror residual
 * ‖T_h K − K‖/‖K‖, and the discovered subalgebra of span{rotation, scaling}: the nullspace
 * of D = [vec ℒ_rot K, vec ℒ_scale K]/‖K‖ with a relative-to-1 threshold `rtol`.
 * @param options.rtol threshold on the relative singular values (default 1e-2)
 * @throws InvalidArgumentError for a bad shape, candidate or rtol; ShapeMismatchError when the kernel has the wrong length
 * @example
 * kernelSymmetry(isotropic, { size: 5, channelsIn: 1, channelsOut: 1 }).dimension; // 1 (so(2))
 */
export function kernelSymmetry(kernel: ArrayLike<number>, options: KernelShape & { candidate?: readonly KernelCandidate[]; rtol?: number }): KernelSymmetry {
  const fn = 'kernelSymmetry';
  checkShape(fn, options);
  const rtol = checkRtol(fn, options.rtol ?? 1e-2);
  const candidate = checkCandidates(fn, options.candidate);
  const { size: k, channelsIn, channelsOut } = options;
  const m = channelsIn * channelsOut;
  if (kernel?.length !== k * k * m) throw new ShapeMismatchError(`${fn}: 'kernel' must hold ${k}·${k}·${channelsIn}·${channelsOut} = ${k * k * m} numbers; received ${kernel?.length}`);
  const w = new Matrix(k * k, m, Float64Array.from(kernel));
  const wn = w.norm() || 1;
  const norms: Record<KernelCandidate, number | undefined> = { rotation: undefined, reflection: undefined, scaling: undefined };
  const cols: Matrix[] = [];
  const generators: KernelCandidate[] = [];
  for (const c of candidate) {
    const lw = tapOperator(k, c).mul(w).scale(1 / wn);
    norms[c] = lw.norm();
    if (c !== 'reflection') {
      cols.push(lw);
      generators.push(c);
    }
  }
  let singularValues: Float64Array = new Float64Array(0);
  let dimension = 0;
  let threshold = rtol;
  let gap = Number.POSITIVE_INFINITY;
  let subalgebra: number[][] = [];
  if (cols.length > 0) {
    const d = new Matrix(k * k * m, cols.length);
    cols.forEach((col, j) => col.data.forEach((v, i) => (d.data[i * cols.length + j] = v)));
    const ns = nullspace(d, { rtol: 0, atol: rtol });
    ({ singularValues, dimension, threshold, gap } = ns);
    subalgebra = Array.from({ length: ns.dimension }, (_, r) => Array.from(ns.basis.column(r)));
  }
  const reflection = norms.reflection === undefined ? undefined : norms.reflection <= rtol;
  return { norms, generators, singularValues, dimension, threshold, gap, subalgebra, reflection };
}
