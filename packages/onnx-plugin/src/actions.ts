/**
 * How candidate generators act on the data a model sees. Each generator is a pair of
 * matrices (A_in, A_out); an action turns a matrix and one sample into the infinitesimal
 * change of that sample (a tangent vector), linearly in the matrix:
 * - vectors: x ↦ A·x;
 * - images [C, H, W]: A = blockdiag(M, B) with M a 3×3 affine generator of the plane acting
 *   on centered pixel coordinates p and B ∈ gl(C) mixing channels:
 *   (ℒ u)(c, p) = −∇u(c, p)·(M₂ₓ₂·p + m) + Σ_c' B_cc'·u(c', p);
 * - signals [T]: A = blockdiag(M, s) with M a 2×2 affine generator of the time line and s
 *   an amplitude scaling: (ℒ u)(t) = −u′(t)·(a·t + b) + s·u(t);
 * - output scalings: y ↦ a·y (a 1×1 generator) and the trivial action (1×1, always 0).
 * Spatial derivatives are spectral on the periodic grid (a circulant, so they commute
 * exactly with circular convolutions) or periodic central differences.
 */
import { Matrix } from '@liesym/core';

/** An action of matrix generators on flattened samples. */
export interface DataAction {
  /** What the action acts on. */
  readonly kind: 'vector' | 'image' | 'signal' | 'scale' | 'trivial';
  /** Size of the square matrices of this action. */
  readonly size: number;
  /** The tangent vectors ℒ_A x for each matrix A, at one sample x. */
  fields(mats: readonly Matrix[], x: Float64Array): Float64Array[];
}

/** How spatial derivatives of images and signals are taken. */
export type SpatialDerivative = 'spectral' | 'central';

/**
 * The periodic derivative matrix on n grid points of spacing 1 (row-major n×n):
 * spectral, (π/n)·(−1)^(j−k)·cot(π(j−k)/n) (csc for odd n), or central ½(δ_{k,j+1} − δ_{k,j−1}).
 */
export function derivativeMatrix(n: number, kind: SpatialDerivative): Float64Array {
  const d = new Float64Array(n * n);
  if (n < 2) return d;
  for (let j = 0; j < n; j++) {
    if (kind === 'central') {
      if (n === 2) continue;
      d[j * n + ((j + 1) % n)]! += 0.5;
      d[j * n + ((j - 1 + n) % n)]! -= 0.5;
      continue;
    }
    for (let k = 0; k < n; k++) {
      if (k === j) continue;
      const m = j - k;
      const sign = ((m % 2) + 2) % 2 === 0 ? 1 : -1;
      const a = (Math.PI * m) / n;
      d[j * n + k] = (Math.PI / n) * sign * (n % 2 === 0 ? 1 / Math.tan(a) : 1 / Math.sin(a));
    }
  }
  return d;
}

/** The linear action x ↦ A·x on R^n. */
export function vectorAction(n: number): DataAction {
  return {
    kind: 'vector',
    size: n,
    fields: (mats, x) => mats.map((a) => a.mulVec(x)),
  };
}

/** The trivial action (1×1 generators, every tangent vector 0) on R^n. */
export function trivialAction(n: number): DataAction {
  return { kind: 'trivial', size: 1, fields: (mats) => mats.map(() => new Float64Array(n)) };
}

/** The scaling y ↦ a·y of all n coordinates (1×1 generators). */
export function scaleAction(n: number): DataAction {
  return {
    kind: 'scale',
    size: 1,
    fields: (mats, y) => mats.map((a) => y.map((v) => a.data[0]! * v)),
  };
}

/** Affine-plus-channel action on images [C, H, W] (generator size 3 + C). */
export function imageAction(shape: readonly [number, number, number], derivative: SpatialDerivative = 'spectral'): DataAction {
  const [C, H, W] = shape;
  const dH = derivativeMatrix(H, derivative);
  const dW = derivativeMatrix(W, derivative);
  const cy = (H - 1) / 2;
  const cx = (W - 1) / 2;
  const plane = H * W;
  return {
    kind: 'image',
    size: 3 + C,
    fields(mats, u) {
      // ∂ₓu and ∂ᵧu once per sample, shared by every generator.
      const gx = new Float64Array(C * plane);
      const gy = new Float64Array(C * plane);
      const needGrad = mats.some((a) => [0, 1, 2].some((i) => [0, 1, 2].some((j) => a.data[i * a.cols + j] !== 0)));
      if (needGrad) {
        for (let c = 0; c < C; c++) {
          const o = c * plane;
          for (let i = 0; i < H; i++) {
            for (let j = 0; j < W; j++) {
              let sx = 0;
              for (let k = 0; k < W; k++) sx += dW[j * W + k]! * u[o + i * W + k]!;
              let sy = 0;
              for (let k = 0; k < H; k++) sy += dH[i * H + k]! * u[o + k * W + j]!;
              gx[o + i * W + j] = sx;
              gy[o + i * W + j] = sy;
            }
          }
        }
      }
      const n = 3 + C;
      return mats.map((a) => {
        const m = a.data;
        const out = new Float64Array(C * plane);
        const affine = [0, 1, 2, n, n + 1, n + 2].some((k) => m[k] !== 0);
        if (affine) {
          const [m00, m01, m02, m10, m11, m12] = [m[0]!, m[1]!, m[2]!, m[n]!, m[n + 1]!, m[n + 2]!];
          for (let i = 0; i < H; i++) {
            const y = i - cy;
            for (let j = 0; j < W; j++) {
              const x = j - cx;
              const vx = m00 * x + m01 * y + m02;
              const vy = m10 * x + m11 * y + m12;
              for (let c = 0; c < C; c++) {
                const p = c * plane + i * W + j;
                out[p] = -(gx[p]! * vx + gy[p]! * vy);
              }
            }
          }
        }
        for (let c = 0; c < C; c++) {
          for (let c2 = 0; c2 < C; c2++) {
            const b = m[(3 + c) * n + 3 + c2]!;
            if (b === 0) continue;
            for (let p = 0; p < plane; p++) out[c * plane + p]! += b * u[c2 * plane + p]!;
          }
        }
        return out;
      });
    },
  };
}

/** Time-affine-plus-amplitude action on signals [T] (generator size 3). */
export function signalAction(T: number, derivative: SpatialDerivative = 'spectral'): DataAction {
  const dT = derivativeMatrix(T, derivative);
  const ct = (T - 1) / 2;
  return {
    kind: 'signal',
    size: 3,
    fields(mats, u) {
      const g = new Float64Array(T);
      for (let t = 0; t < T; t++) {
        let s = 0;
        for (let k = 0; k < T; k++) s += dT[t * T + k]! * u[k]!;
        g[t] = s;
      }
      return mats.map((a) => {
        const [m00, m01, amp] = [a.data[0]!, a.data[1]!, a.data[8]!];
        const out = new Float64Array(T);
        for (let t = 0; t < T; t++) out[t] = -g[t]! * (m00 * (t - ct) + m01) + amp * u[t]!;
        return out;
      });
    },
  };
}

/** A named structured candidate generator (before orthonormalization). */
export interface NamedGenerator {
  name: string;
  pair: readonly [Matrix, Matrix];
}

function unitMatrix(n: number, entries: ReadonlyArray<readonly [number, number, number]>): Matrix {
  const m = new Matrix(n, n);
  for (const [i, j, v] of entries) m.data[i * n + j] = v;
  return m;
}

/**
 * The structured candidates for an image input [C, H, W]: translations along x and y,
 * rotation and scaling about the center (acting on the output too when it is an image of
 * the same size), channel mixing gl(C) on the input (and gl(C′) on an image output).
 */
export function imageCandidates(
  inShape: readonly [number, number, number],
  outShape: readonly number[],
  derivative: SpatialDerivative,
): { actIn: DataAction; actOut: DataAction; named: NamedGenerator[] } {
  const [C, H, W] = inShape;
  const actIn = imageAction(inShape, derivative);
  const outImage = outShape.length === 3 && outShape[1] === H && outShape[2] === W;
  const outSize = outShape.reduce((a, b) => a * b, 1);
  const actOut = outImage ? imageAction(outShape as [number, number, number], derivative) : trivialAction(outSize);
  const ni = 3 + C;
  const no = actOut.size;
  const spatial: Array<[string, Array<[number, number, number]>]> = [
    ['translation-x', [[0, 2, 1]]],
    ['translation-y', [[1, 2, 1]]],
    ['rotation', [[1, 0, 1], [0, 1, -1]]],
    ['scaling', [[0, 0, 1], [1, 1, 1]]],
  ];
  const named: NamedGenerator[] = spatial.map(([name, e]) => ({
    name,
    pair: [unitMatrix(ni, e), outImage ? unitMatrix(no, e) : new Matrix(no, no)] as const,
  }));
  for (let a = 0; a < C; a++) {
    for (let b = 0; b < C; b++) named.push({ name: `channel-in[${a},${b}]`, pair: [unitMatrix(ni, [[3 + a, 3 + b, 1]]), new Matrix(no, no)] });
  }
  if (outImage) {
    const Co = outShape[0]!;
    for (let a = 0; a < Co; a++) {
      for (let b = 0; b < Co; b++) named.push({ name: `channel-out[${a},${b}]`, pair: [new Matrix(ni, ni), unitMatrix(no, [[3 + a, 3 + b, 1]])] });
    }
  }
  return { actIn, actOut, named };
}

/**
 * The structured candidates for a signal input [T]: time shift (on the output too when it
 * is a signal of the same length), amplitude scaling of the input, and scaling of the output.
 */
export function signalCandidates(T: number, outShape: readonly number[], derivative: SpatialDerivative): { actIn: DataAction; actOut: DataAction; named: NamedGenerator[] } {
  const actIn = signalAction(T, derivative);
  const outSignal = outShape.length === 1 && outShape[0] === T;
  const outSize = outShape.reduce((a, b) => a * b, 1);
  const actOut = outSignal ? signalAction(T, derivative) : scaleAction(outSize);
  const no = actOut.size;
  const ampOut = outSignal ? unitMatrix(3, [[2, 2, 1]]) : unitMatrix(1, [[0, 0, 1]]);
  return {
    actIn,
    actOut,
    named: [
      { name: 'time-shift', pair: [unitMatrix(3, [[0, 1, 1]]), outSignal ? unitMatrix(3, [[0, 1, 1]]) : new Matrix(no, no)] },
      { name: 'amplitude-in', pair: [unitMatrix(3, [[2, 2, 1]]), new Matrix(no, no)] },
      { name: 'amplitude-out', pair: [new Matrix(3, 3), ampOut] },
    ],
  };
}
