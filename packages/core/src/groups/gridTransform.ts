import { InvalidArgumentError, errorMessage } from '../errors.js';
import type { SparseMatrix } from '../linalg/SparseMatrix.js';
import type { PlanarElement } from './planarGroup.js';

/** A transformation of the plane about the grid's centre: a {@link PlanarElement}, or any rotation angle (radians, counter-clockwise) with an optional mirror first. */
export type GridElement = PlanarElement | { angle: number; reflection?: boolean };

/** Snaps a coordinate within 1e-9 of an integer to it, so 90° turns stay exact permutations. */
function snap(v: number): number {
  const r = Math.round(v);
  return Math.abs(v - r) < 1e-9 ? r : v;
}

/**
 * The action (T_g u)(p) = u(g⁻¹·p) of a rotation (and mirror x ↦ −x) about the centre of a
 * `size × size` pixel grid, as a sparse size²×size² matrix on row-major pixels (row i, column
 * j; the point p = (j − c, c − i) with c = (size − 1)/2, so x points right and y up).
 * Multiples of 90° and mirrors permute pixels exactly; other angles interpolate bilinearly
 * from the four pixels around g⁻¹·p, with zero outside the grid (the C8 transforms of
 * kernels, and rotated images for equivariance checks). Kernels and images use the same
 * matrix: for a kernel it transforms the taps, for an image the pixels.
 * @throws InvalidArgumentError for a size that is not an integer ≥ 1 or a non-finite angle
 * @example
 * const t = gridTransform(planarGroup('C4').elements[1]!, { size: 3 }); // the 9×9 permutation of a quarter turn
 */
export function gridTransform(element: GridElement, options: { size: number }): SparseMatrix {
  const fn = 'gridTransform';
  const n = options?.size;
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(errorMessage(fn, 'size', { expected: 'an integer ≥ 1', received: n }));
  const angle = element?.angle;
  if (typeof angle !== 'number' || !Number.isFinite(angle)) throw new InvalidArgumentError(errorMessage(fn, 'element.angle', { expected: 'a finite number (radians)', received: angle }));
  const mirror = element.reflection === true;
  const q = (2 * angle) / Math.PI;
  const quarter = Number.isInteger(Math.round(q * 1e12) / 1e12) ? ((Math.round(q) % 4) + 4) % 4 : -1;
  const [c, s] = quarter >= 0 ? [[1, 0, -1, 0][quarter]!, [0, 1, 0, -1][quarter]!] : [Math.cos(angle), Math.sin(angle)];
  const ctr = (n - 1) / 2;
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = j - ctr;
      const y = ctr - i;
      // g = R(θ)·Sᶠ, so g⁻¹·p = Sᶠ·R(−θ)·p
      let xs = c * x + s * y;
      const ys = -s * x + c * y;
      if (mirror) xs = -xs;
      const fi = snap(ctr - ys);
      const fj = snap(xs + ctr);
      const i0 = Math.floor(fi);
      const j0 = Math.floor(fj);
      const di = fi - i0;
      const dj = fj - j0;
      for (const [ii, wi] of [[i0, 1 - di], [i0 + 1, di]] as const) {
        for (const [jj, wj] of [[j0, 1 - dj], [j0 + 1, dj]] as const) {
          const w = wi * wj;
          if (w === 0 || ii < 0 || jj < 0 || ii >= n || jj >= n) continue;
          rows.push(i * n + j);
          cols.push(ii * n + jj);
          vals.push(w);
        }
      }
    }
  }
  return { rows: n * n, cols: n * n, rowIndex: Int32Array.from(rows), colIndex: Int32Array.from(cols), values: Float64Array.from(vals) };
}
