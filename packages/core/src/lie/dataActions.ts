import { InvalidArgumentError, ShapeMismatchError, describe } from '../errors.js';
import { Matrix } from '../linalg/Matrix.js';
import { frequencyIndex, spectrum } from '../linalg/fft.js';

/**
 * How matrix generators act on the flattened samples a model sees: a generator A (a
 * `size × size` matrix) and a sample x give the tangent t_A(x), linear in A. The discover
 * matrix is built from these: D[(s, i), k] = (DF(x_s)·t_{A_k}(x_s) − t_{B_k}(F(x_s)))ᵢ, with
 * (A_k, B_k) the candidate pairs and t the input and output actions.
 * - vectors: t_A(x) = A·x (the linear action dρ(ξ)·x);
 * - fields u on a periodic grid: the field Lie derivative t(u) = ℒ_ξ u = Du·ξ_M − V·u − s
 *   (see {@link gridFieldAction});
 * - output scalings y ↦ a·y (1×1 generators) and the trivial action (every tangent 0).
 */
export interface DataAction {
  readonly kind: 'vector' | 'field' | 'scale' | 'trivial';
  /** Size of the square generator matrices of this action. */
  readonly size: number;
  /** Length of the flattened samples it acts on. */
  readonly dim: number;
  /** The tangent t_A(x) of every generator A at one sample x. */
  tangents(mats: readonly Matrix[], x: Float64Array): Float64Array[];
}

/** The linear action t_A(x) = A·x on R^n (generators n×n). */
export function vectorAction(n: number): DataAction {
  return { kind: 'vector', size: n, dim: n, tangents: (mats, x) => mats.map((a) => a.mulVec(x)) };
}

/** The trivial action on R^n: one 1×1 generator slot, every tangent 0. */
export function trivialAction(n: number): DataAction {
  return { kind: 'trivial', size: 1, dim: n, tangents: (mats) => mats.map(() => new Float64Array(n)) };
}

/** The scaling y ↦ a·y of all n coordinates (1×1 generators a). */
export function scaleAction(n: number): DataAction {
  return { kind: 'scale', size: 1, dim: n, tangents: (mats, y) => mats.map((a) => y.map((v) => a.data[0]! * v)) };
}

/**
 * How spatial derivatives are taken on a grid: `'spectral'` and `'central'` treat the grid as
 * periodic (the last point neighbours the first: right for periodic fields, a wrap-around edge in
 * real photos); `'border'` is non-periodic: central differences inside and, at the two ends, the
 * replicate-border rule (u₁ − u₀)/2h, i.e. central differences of the field padded by its edge
 * values. That is the mean of the left and right slopes of the piecewise-linear interpolant with
 * border padding (grid_sample's `padding_mode='border'`, as lie-deriv samples images), so it is
 * the derivative of moving a real image by that interpolation. See {@link gridDerivativeMatrix}.
 */
export type SpatialDerivative = 'spectral' | 'central' | 'border';

/**
 * The n×n periodic derivative matrix on a grid of spacing h (row-major): `'spectral'`,
 * (π/(n·h))·(−1)^(j−k)·cot(π(j−k)/n) (csc for odd n), exact for trigonometric polynomials
 * below the Nyquist frequency (a circulant, so it commutes with circular convolutions), or
 * `'central'`, (δ_{k,j+1} − δ_{k,j−1}) / 2h.
 * @example periodicDerivativeMatrix(8, { kind: 'spectral', spacing: Math.PI / 4 }); // d/dx on [−π, π)
 */
export function periodicDerivativeMatrix(n: number, options: { kind?: SpatialDerivative; spacing?: number } = {}): Float64Array {
  const kind = options.kind ?? 'spectral';
  const h = options.spacing ?? 1;
  if (kind !== 'spectral' && kind !== 'central') {
    throw new InvalidArgumentError(`periodicDerivativeMatrix: 'kind' must be 'spectral' or 'central' (periodic); received ${describe(kind)} (use gridDerivativeMatrix for 'border')`);
  }
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`periodicDerivativeMatrix: 'n' must be an integer ≥ 1; received ${describe(n)}`);
  if (!(h > 0 && Number.isFinite(h))) throw new InvalidArgumentError(`periodicDerivativeMatrix: 'spacing' must be a finite number > 0; received ${describe(h)}`);
  const d = new Float64Array(n * n);
  if (n < 2) return d;
  for (let j = 0; j < n; j++) {
    if (kind === 'central') {
      if (n === 2) continue;
      d[j * n + ((j + 1) % n)]! += 0.5 / h;
      d[j * n + ((j - 1 + n) % n)]! -= 0.5 / h;
      continue;
    }
    for (let k = 0; k < n; k++) {
      if (k === j) continue;
      const m = j - k;
      const sign = ((m % 2) + 2) % 2 === 0 ? 1 : -1;
      const a = (Math.PI * m) / n;
      d[j * n + k] = (Math.PI / (n * h)) * sign * (n % 2 === 0 ? 1 / Math.tan(a) : 1 / Math.sin(a));
    }
  }
  return d;
}

/**
 * The n×n derivative matrix on a grid of spacing h for any {@link SpatialDerivative}: the periodic
 * ones of {@link periodicDerivativeMatrix}, or `'border'`: (u_{j+1} − u_{j−1})/2h inside and
 * (u₁ − u₀)/2h, (u_{n−1} − u_{n−2})/2h at the ends (replicate-border padding; not periodic, so
 * a real image's opposite edges are never differenced against each other).
 * @throws InvalidArgumentError for a bad n, spacing or kind
 * @example gridDerivativeMatrix(4, { kind: 'border' }); // rows [−½, ½, 0, 0], [−½, 0, ½, 0], [0, −½, 0, ½], [0, 0, −½, ½]
 */
export function gridDerivativeMatrix(n: number, options: { kind?: SpatialDerivative; spacing?: number } = {}): Float64Array {
  if (options.kind !== 'border') return periodicDerivativeMatrix(n, options);
  const h = options.spacing ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`gridDerivativeMatrix: 'n' must be an integer ≥ 1; received ${describe(n)}`);
  if (!(h > 0 && Number.isFinite(h))) throw new InvalidArgumentError(`gridDerivativeMatrix: 'spacing' must be a finite number > 0; received ${describe(h)}`);
  const d = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    d[j * n + Math.min(j + 1, n - 1)]! += 0.5 / h;
    d[j * n + Math.max(j - 1, 0)]! -= 0.5 / h;
  }
  return d;
}

/** Options of {@link trigonometricInterpolation}: the grid a field lives on (as in {@link gridFieldAction}). */
export type PeriodicGridOptions = Omit<GridFieldOptions, 'derivative'>;

/**
 * Evaluates the trigonometric interpolant of a periodic field at arbitrary points: the real
 * part of its Fourier series (1/P)·Σ_k X_k·e^{2πi Σₐ kₐ(xₐ − originₐ)/(nₐ·hₐ)}, Nyquist modes
 * taken at frequency −n/2. Exact on the grid points and for trigonometric polynomials below
 * the Nyquist frequency: the band-limited way to move a field by a continuous rotation,
 * scaling or shift.
 * @param values the field, flattened as `grid.layout` says (P·channels numbers)
 * @param points coordinates, one [x] or [x, y] per entry
 * @returns the values at the points, (point, channel) row-major
 * @throws InvalidArgumentError for a bad grid; ShapeMismatchError when values or points do not fit it
 * @example trigonometricInterpolation(u, [[0.25]], { shape: [8], spacing: [Math.PI / 4], origin: [-Math.PI] });
 */
export function trigonometricInterpolation(values: ArrayLike<number>, points: ReadonlyArray<ArrayLike<number>>, grid: PeriodicGridOptions): Float64Array {
  const fn = 'trigonometricInterpolation';
  const { dim, channels: c, coordinate, at } = gridGeometry(fn, grid);
  const shape = grid.shape;
  const P = dim / c;
  if (values.length !== dim) throw new ShapeMismatchError(`${fn}: 'values' must hold ${P} points × ${c} channels = ${dim} numbers; received ${values.length}`);
  const out = new Float64Array(points.length * c);
  const ny = shape.length === 2 ? shape[1]! : 1;
  const theta = points.map((x, q) => {
    if (x?.length !== shape.length) throw new ShapeMismatchError(`${fn}: 'points'[${q}] must have ${shape.length} coordinates; received ${describe(x)}`);
    return shape.map((n, a) => (2 * Math.PI * coordinate(a, x[a]!)) / n);
  });
  for (let ch = 0; ch < c; ch++) {
    const { re, im } = spectrum(shape, Float64Array.from({ length: P }, (_, p) => values[at(ch, p)]!));
    theta.forEach((t, q) => {
      let s = 0;
      for (let p = 0; p < P; p++) {
        const phase = frequencyIndex(Math.floor(p / ny), shape[0]!) * t[0]! + (shape.length === 2 ? frequencyIndex(p % ny, ny) * t[1]! : 0);
        s += re[p]! * Math.cos(phase) - im[p]! * Math.sin(phase);
      }
      out[q * c + ch] = s / P;
    });
  }
  return out;
}

/** Where a field on a periodic grid is least periodic: see {@link periodicityDefect}. */
export interface PeriodicityDefect {
  channel: number;
  /** The axis along which the grid line runs, and which line (the index along the other axis; 0 in 1-D). */
  axis: number;
  line: number;
  /** |u(first point) − u(last point)| across the boundary, and the largest step between neighbours inside. */
  wrap: number;
  step: number;
}

/**
 * The first grid line (per axis, then line, then channel) where a field jumps across the periodic
 * boundary by more than `factor` (default 4) times its largest interior step (plus 1e-9·max|u|), or
 * null: a smooth periodic field steps across the boundary like anywhere else, a non-periodic one jumps.
 * Spectral derivatives and trigonometric interpolation assume periodic fields; this says when not.
 * @throws InvalidArgumentError for a bad grid; ShapeMismatchError when the values do not fit it
 * @example periodicityDefect(Float64Array.from({ length: 8 }, (_, i) => i), { shape: [8] }); // { axis: 0, wrap: 7, step: 1, … }
 */
export function periodicityDefect(values: ArrayLike<number>, grid: PeriodicGridOptions & { factor?: number }): PeriodicityDefect | null {
  const fn = 'periodicityDefect';
  const { shape, channels: c, points: P, dim, at } = gridGeometry(fn, grid);
  if (values.length !== dim) throw new ShapeMismatchError(`${fn}: 'values' must hold ${P} points × ${c} channels = ${dim} numbers; received ${values.length}`);
  const factor = grid.factor ?? 4;
  let scale = 0;
  for (let i = 0; i < dim; i++) scale = Math.max(scale, Math.abs(values[i]!));
  const ny = shape.length === 2 ? shape[1]! : 1;
  for (let axis = 0; axis < shape.length; axis++) {
    const n = shape[axis]!;
    for (let line = 0; line < P / n; line++) {
      const value = (ch: number, t: number): number => values[at(ch, axis === 0 ? t * ny + line : line * ny + t)]!;
      for (let channel = 0; channel < c; channel++) {
        let step = 0;
        for (let t = 0; t + 1 < n; t++) step = Math.max(step, Math.abs(value(channel, t + 1) - value(channel, t)));
        const wrap = Math.abs(value(channel, 0) - value(channel, n - 1));
        if (wrap > factor * step + 1e-9 * scale) return { channel, axis, line, wrap, step };
      }
    }
  }
  return null;
}

/** Validated grid geometry shared by the field actions: sizes, index layout and coordinates in units of the spacing. */
function gridGeometry(fn: string, options: PeriodicGridOptions) {
  const shape = options?.shape;
  if (!Array.isArray(shape) || (shape.length !== 1 && shape.length !== 2) || shape.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new InvalidArgumentError(`${fn}: 'shape' must be [n] or [nx, ny] of positive integers; received ${describe(shape)}`);
  }
  const c = options.channels ?? 1;
  if (!Number.isInteger(c) || c < 1) throw new InvalidArgumentError(`${fn}: 'channels' must be an integer ≥ 1; received ${describe(c)}`);
  const layout = options.layout ?? 'channels-first';
  if (layout !== 'channels-first' && layout !== 'channels-last') {
    throw new InvalidArgumentError(`${fn}: 'layout' must be 'channels-first' or 'channels-last'; received ${describe(layout)}`);
  }
  const d = shape.length;
  const spacing = options.spacing ?? shape.map(() => 1);
  const origin = options.origin ?? shape.map((n, a) => (-(n - 1) / 2) * spacing[a]!);
  if (spacing.length !== d || origin.length !== d) {
    throw new ShapeMismatchError(`${fn}: 'spacing' and 'origin' must have ${d} entries (one per axis); received ${spacing.length} and ${origin.length}`);
  }
  if (spacing.some((h) => !(h > 0 && Number.isFinite(h))) || origin.some((o) => !Number.isFinite(o))) {
    throw new InvalidArgumentError(`${fn}: 'spacing' must hold finite numbers > 0 and 'origin' finite numbers; received ${describe(spacing)} and ${describe(origin)}`);
  }
  const P = shape.reduce((x, y) => x * y, 1);
  const at = layout === 'channels-first' ? (ch: number, p: number) => ch * P + p : (ch: number, p: number) => p * c + ch;
  return { shape, d, channels: c, points: P, dim: P * c, spacing, origin, at, coordinate: (a: number, x: number) => (x - origin[a]!) / spacing[a]! };
}

/** A derivative along one axis: sparse rows (central, border) or the first column of a circulant (spectral). */
type DerivativeRows = { kind: 'sparse'; rows: Array<{ cols: number[]; vals: number[] }> } | { kind: 'circulant'; column: Float64Array };

/** The rows of {@link gridDerivativeMatrix} without building it: O(n) numbers for every kind. */
function derivativeRows(n: number, options: { kind: SpatialDerivative; spacing: number }): DerivativeRows {
  const { kind, spacing: h } = options;
  if (kind === 'spectral') {
    // Column 0 of the circulant: D[m][0] for m = 0…n − 1 (the same entries as periodicDerivativeMatrix).
    const column = new Float64Array(n);
    for (let m = 1; m < n; m++) {
      const sign = m % 2 === 0 ? 1 : -1;
      const a = (Math.PI * m) / n;
      column[m] = (Math.PI / (n * h)) * sign * (n % 2 === 0 ? 1 / Math.tan(a) : 1 / Math.sin(a));
    }
    return { kind: 'circulant', column };
  }
  const rows = Array.from({ length: n }, (_, j) => {
    const entries = new Map<number, number>();
    if (n >= 2 && !(kind === 'central' && n === 2)) {
      const [next, prev] = kind === 'central' ? [(j + 1) % n, (j - 1 + n) % n] : [Math.min(j + 1, n - 1), Math.max(j - 1, 0)];
      entries.set(next, (entries.get(next) ?? 0) + 0.5 / h);
      entries.set(prev, (entries.get(prev) ?? 0) - 0.5 / h);
    }
    const nonzero = [...entries].filter(([, v]) => v !== 0).sort((x, y) => x[0] - y[0]);
    return { cols: nonzero.map(([k]) => k), vals: nonzero.map(([, v]) => v) };
  });
  return { kind: 'sparse', rows };
}

/** Options of {@link gridFieldAction}. */
export interface GridFieldOptions {
  /** Grid points per axis: [n] or [nx, ny] (axis 0 is the slow one). */
  shape: readonly number[];
  /** Values per point (default 1). */
  channels?: number;
  /** `'channels-first'` (default: [C, …grid], as ONNX images NCHW) or `'channels-last'` ([…grid, C], as NHWC and tfjs). */
  layout?: 'channels-first' | 'channels-last';
  /** Grid spacing per axis (default 1 = pixels). */
  spacing?: readonly number[];
  /** Coordinate of index 0 per axis (default −(n − 1)/2·h: the grid centred on its middle). */
  origin?: readonly number[];
  /** Spatial derivatives (default 'spectral', periodic; 'border' for real, non-periodic images). */
  derivative?: SpatialDerivative;
}

/**
 * The action of affine generators on fields u: grid → R^c, flattened. A generator is the
 * (d + 1 + c + 1)-square block matrix blockdiag([[A, b], [0, 0]], [[V, s], [0, 0]]): the
 * domain flows along ξ_M(p) = A·p + b and values along u ↦ V·u + s, and
 *
 *     t(u)(p) = ℒ_ξ u(p) = Du(p)·ξ_M(p) − V·u(p) − s
 *
 * with periodic spatial derivatives by default ('spectral' or 'central'), or the non-periodic
 * 'border' rule (see {@link SpatialDerivative}). Translations are exact symmetries of the periodic
 * grid; rotations and scalings hold for fields that decay towards the boundary.
 * @throws InvalidArgumentError for a bad shape, channel count, layout or spacing
 */
export function gridFieldAction(options: GridFieldOptions): DataAction {
  const { shape, d, channels: c, points: P, spacing, origin, at } = gridGeometry('gridFieldAction', options);
  // Each derivative without its n×n matrix: central and border rows as their two nonzero entries,
  // the spectral one (dense, circulant) as its first column c: D[i][k] = c[(i − k) mod n]. A
  // 16,000-sample signal would otherwise allocate 2 GB (and 257 million JS array entries).
  const derivatives = shape.map((n, a) => derivativeRows(n, { kind: options.derivative ?? 'spectral', spacing: spacing[a]! }));
  const size = d + 1 + c + 1;
  // coords[a][p]: coordinate of point p along axis a.
  const coords = shape.map((n, a) => {
    const inner = a === 0 && d === 2 ? shape[1]! : 1;
    return Float64Array.from({ length: P }, (_, p) => origin[a]! + (Math.floor(p / inner) % n) * spacing[a]!);
  });
  const gradient = (u: Float64Array): Float64Array[] =>
    shape.map((n, a) => {
      const D = derivatives[a]!;
      const stride = a === 0 && d === 2 ? shape[1]! : 1;
      const g = new Float64Array(P * c);
      for (let p = 0; p < P; p++) {
        const i = Math.floor(p / stride) % n;
        const base = p - i * stride;
        for (let ch = 0; ch < c; ch++) {
          let sum = 0;
          if (D.kind === 'sparse') {
            const { cols, vals } = D.rows[i]!;
            for (let k = 0; k < cols.length; k++) sum += vals[k]! * u[at(ch, base + cols[k]! * stride)]!;
          } else {
            for (let k = 0; k < n; k++) sum += D.column[(i - k + n) % n]! * u[at(ch, base + k * stride)]!;
          }
          g[at(ch, p)] = sum;
        }
      }
      return g;
    });
  return {
    kind: 'field',
    size,
    dim: P * c,
    tangents(mats, u) {
      const moves = mats.some((m) => {
        for (let i = 0; i < d; i++) for (let j = 0; j <= d; j++) if (m.data[i * size + j] !== 0) return true;
        return false;
      });
      const grad = moves ? gradient(u) : [];
      return mats.map((m) => {
        const t = new Float64Array(P * c);
        const e = (i: number, j: number): number => m.data[i * size + j]!;
        if (moves) {
          for (let a = 0; a < d; a++) {
            const row = Array.from({ length: d }, (_, j) => e(a, j));
            const b = e(a, d);
            if (b === 0 && row.every((v) => v === 0)) continue;
            const g = grad[a]!;
            for (let p = 0; p < P; p++) {
              let xi = b;
              for (let j = 0; j < d; j++) xi += row[j]! * coords[j]![p]!;
              if (xi === 0) continue;
              for (let ch = 0; ch < c; ch++) t[at(ch, p)]! += g[at(ch, p)]! * xi;
            }
          }
        }
        const v0 = d + 1;
        for (let ch = 0; ch < c; ch++) {
          const shift = e(v0 + ch, v0 + c);
          for (let ch2 = 0; ch2 < c; ch2++) {
            const v = e(v0 + ch, v0 + ch2);
            if (v !== 0) for (let p = 0; p < P; p++) t[at(ch, p)]! -= v * u[at(ch2, p)]!;
          }
          if (shift !== 0) for (let p = 0; p < P; p++) t[at(ch, p)]! -= shift;
        }
        return t;
      });
    },
  };
}

/** A field generator's parts, for {@link fieldGeneratorMatrix}: omitted parts are 0. */
export interface FieldGeneratorParts {
  /** d×d linear part of the domain flow. */
  A?: ReadonlyArray<ArrayLike<number>>;
  /** Translation part of the domain flow (d entries). */
  b?: ArrayLike<number>;
  /** c×c linear value action. */
  V?: ReadonlyArray<ArrayLike<number>>;
  /** Constant value shift (c entries). */
  s?: ArrayLike<number>;
}

/**
 * The (d + 1 + c + 1)-square matrix of a field generator in the encoding of {@link gridFieldAction}.
 * @throws ShapeMismatchError when a part does not fit d or c
 */
export function fieldGeneratorMatrix(parts: FieldGeneratorParts, dims: { d: number; channels: number }): Matrix {
  const { d, channels: c } = dims;
  const n = d + c + 2;
  const m = new Matrix(n, n);
  const put = (name: 'A' | 'V', r0: number, k: number): void => {
    const rows = parts[name];
    if (rows === undefined) return;
    if (rows.length !== k || Array.from(rows).some((r) => r.length !== k)) {
      throw new ShapeMismatchError(`fieldGeneratorMatrix: '${name}' must be ${k}×${k}; received ${describe(rows)}`);
    }
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) m.data[(r0 + i) * n + r0 + j] = rows[i]![j]!;
  };
  const col = (name: 'b' | 's', r0: number, k: number): void => {
    const v = parts[name];
    if (v === undefined) return;
    if (v.length !== k) throw new ShapeMismatchError(`fieldGeneratorMatrix: '${name}' must have ${k} entries; received ${v.length}`);
    for (let i = 0; i < k; i++) m.data[(r0 + i) * n + r0 + k] = v[i]!;
  };
  put('A', 0, d);
  col('b', 0, d);
  put('V', d + 1, c);
  col('s', d + 1, c);
  return m;
}

/** The parts of a matrix in the encoding of {@link gridFieldAction} (inverse of {@link fieldGeneratorMatrix}). */
export function fieldGeneratorParts(m: Matrix, dims: { d: number; channels: number }): Required<FieldGeneratorParts> {
  const { d, channels: c } = dims;
  const n = d + c + 2;
  const block = (r0: number, k: number): number[][] => Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => m.data[(r0 + i) * n + r0 + j]!));
  const column = (r0: number, k: number): number[] => Array.from({ length: k }, (_, i) => m.data[(r0 + i) * n + r0 + k]!);
  return { A: block(0, d), b: column(0, d), V: block(d + 1, c), s: column(d + 1, c) };
}
