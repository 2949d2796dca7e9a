import { InvalidArgumentError, NonFiniteError, ShapeMismatchError, describe } from '../errors.js';
import { stableNorm } from './powerOfTwo.js';

/**
 * A dense real matrix: `rows × cols` numbers in one row-major `Float64Array`
 * (entry (i, j) at `data[i * cols + j]`).
 *
 * Matrices are treated as values: every operation returns a new matrix; `set` is the
 * only mutator and is meant for building.
 *
 * @example
 * const A = Matrix.from([[0, -1], [1, 0]]);
 * A.mul(A).toArray(); // [[-1, 0], [0, -1]]
 */
export class Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;

  /**
   * @param rows number of rows (integer ≥ 0)
   * @param cols number of columns (integer ≥ 0)
   * @param data row-major entries, length rows·cols; zeros when omitted. Not copied.
   * @throws ShapeMismatchError when `data.length !== rows * cols`
   */
  constructor(rows: number, cols: number, data?: Float64Array) {
    if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
      throw new InvalidArgumentError(
        `Matrix: 'rows' and 'cols' must be non-negative integers; received ${describe(rows)} and ${describe(cols)}`,
      );
    }
    if (data !== undefined && data.length !== rows * cols) {
      throw new ShapeMismatchError(
        `Matrix: 'data' must have rows·cols = ${rows * cols} entries; received ${data.length}`,
      );
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data ?? new Float64Array(rows * cols);
  }

  /**
   * Builds a matrix from nested arrays (rows of equal length).
   * @throws ShapeMismatchError for ragged rows; NonFiniteError for NaN/±Infinity
   */
  static from(values: ReadonlyArray<ArrayLike<number>>, name = 'values'): Matrix {
    if (!Array.isArray(values)) {
      throw new InvalidArgumentError(`Matrix.from: '${name}' must be an array of rows; received ${describe(values)}`);
    }
    const rows = values.length;
    const cols = rows === 0 ? 0 : (values[0]?.length ?? 0);
    const data = new Float64Array(rows * cols);
    for (let i = 0; i < rows; i++) {
      const row = values[i]!;
      if (row === undefined || row === null || row.length !== cols) {
        throw new ShapeMismatchError(
          `Matrix.from: every row of '${name}' must have ${cols} entries; row ${i} has ${row?.length ?? describe(row)}`,
        );
      }
      for (let j = 0; j < cols; j++) {
        const v = row[j]!;
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          throw new NonFiniteError(`Matrix.from: '${name}'[${i}][${j}] must be a finite number; received ${describe(v)}`);
        }
        data[i * cols + j] = v;
      }
    }
    return new Matrix(rows, cols, data);
  }

  /** The n×n identity. */
  static identity(n: number): Matrix {
    const m = new Matrix(n, n);
    for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
    return m;
  }

  /** The rows×cols zero matrix. */
  static zeros(rows: number, cols: number): Matrix {
    return new Matrix(rows, cols);
  }

  /** A diagonal matrix with the given diagonal. */
  static diag(values: ArrayLike<number>): Matrix {
    const n = values.length;
    const m = new Matrix(n, n);
    for (let i = 0; i < n; i++) m.data[i * n + i] = values[i]!;
    return m;
  }

  /** A column vector (n×1) holding `values`. */
  static column(values: ArrayLike<number>): Matrix {
    return new Matrix(values.length, 1, Float64Array.from(values));
  }

  /** Block-diagonal matrix diag(A₁, A₂, …). */
  static blockDiag(blocks: readonly Matrix[]): Matrix {
    let r = 0;
    let c = 0;
    for (const b of blocks) {
      r += b.rows;
      c += b.cols;
    }
    const out = new Matrix(r, c);
    let r0 = 0;
    let c0 = 0;
    for (const b of blocks) {
      for (let i = 0; i < b.rows; i++) {
        out.data.set(b.data.subarray(i * b.cols, (i + 1) * b.cols), (r0 + i) * c + c0);
      }
      r0 += b.rows;
      c0 += b.cols;
    }
    return out;
  }

  /** Stacks matrices with equal column counts on top of each other. */
  static vstack(blocks: readonly Matrix[]): Matrix {
    return stack('vstack', blocks);
  }

  /** Places matrices with equal row counts side by side. */
  static hstack(blocks: readonly Matrix[]): Matrix {
    return stack('hstack', blocks);
  }

  /** Entry (i, j). */
  get(i: number, j: number): number {
    return this.data[i * this.cols + j]!;
  }

  /** Sets entry (i, j) in place (for building matrices). */
  set(i: number, j: number, value: number): void {
    this.data[i * this.cols + j] = value;
  }

  /** True when rows === cols. */
  get isSquare(): boolean {
    return this.rows === this.cols;
  }

  /**
   * Matrix product this · other.
   * @throws ShapeMismatchError when this.cols ≠ other.rows
   */
  mul(other: Matrix): Matrix {
    if (this.cols !== other.rows) {
      throw new ShapeMismatchError(
        `Matrix.mul: 'other' must have ${this.cols} rows to multiply a ${this.rows}×${this.cols} matrix; received ${other.rows}×${other.cols}`,
      );
    }
    const n = this.rows;
    const k = this.cols;
    const m = other.cols;
    const out = new Float64Array(n * m);
    const a = this.data;
    const b = other.data;
    for (let i = 0; i < n; i++) {
      const oi = i * m;
      for (let p = 0; p < k; p++) {
        const aip = a[i * k + p]!;
        if (aip === 0) continue;
        const bp = p * m;
        for (let j = 0; j < m; j++) out[oi + j]! += aip * b[bp + j]!;
      }
    }
    return new Matrix(n, m, out);
  }

  /** Matrix–vector product this · x. */
  mulVec(x: ArrayLike<number>): Float64Array {
    if (x.length !== this.cols) {
      throw new ShapeMismatchError(
        `Matrix.mulVec: 'x' must have length ${this.cols}; received length ${x.length}`,
      );
    }
    const out = new Float64Array(this.rows);
    const a = this.data;
    const c = this.cols;
    for (let i = 0; i < this.rows; i++) {
      let s = 0;
      for (let j = 0; j < c; j++) s += a[i * c + j]! * x[j]!;
      out[i] = s;
    }
    return out;
  }

  /** Entry-wise sum. */
  add(other: Matrix): Matrix {
    this.assertSameShape(other, 'add');
    const out = new Float64Array(this.data.length);
    for (let i = 0; i < out.length; i++) out[i] = this.data[i]! + other.data[i]!;
    return new Matrix(this.rows, this.cols, out);
  }

  /** Entry-wise difference. */
  sub(other: Matrix): Matrix {
    this.assertSameShape(other, 'sub');
    const out = new Float64Array(this.data.length);
    for (let i = 0; i < out.length; i++) out[i] = this.data[i]! - other.data[i]!;
    return new Matrix(this.rows, this.cols, out);
  }

  /** s · this. */
  scale(s: number): Matrix {
    const out = new Float64Array(this.data.length);
    for (let i = 0; i < out.length; i++) out[i] = this.data[i]! * s;
    return new Matrix(this.rows, this.cols, out);
  }

  /** The transpose. */
  transpose(): Matrix {
    const r = this.rows;
    const c = this.cols;
    const out = new Float64Array(r * c);
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = this.data[i * c + j]!;
    return new Matrix(c, r, out);
  }

  /** Kronecker product this ⊗ other (the first factor's index varies slowest). */
  kron(other: Matrix): Matrix {
    const r = this.rows * other.rows;
    const c = this.cols * other.cols;
    const out = new Float64Array(r * c);
    for (let i = 0; i < this.rows; i++) {
      for (let j = 0; j < this.cols; j++) {
        const a = this.data[i * this.cols + j]!;
        if (a === 0) continue;
        for (let k = 0; k < other.rows; k++) {
          const row = (i * other.rows + k) * c + j * other.cols;
          for (let l = 0; l < other.cols; l++) out[row + l] = a * other.data[k * other.cols + l]!;
        }
      }
    }
    return new Matrix(r, c, out);
  }

  /** The commutator [this, other] = this·other − other·this. */
  bracket(other: Matrix): Matrix {
    return this.mul(other).sub(other.mul(this));
  }

  /** Trace (sum of the diagonal). */
  trace(): number {
    let s = 0;
    const n = Math.min(this.rows, this.cols);
    for (let i = 0; i < n; i++) s += this.data[i * this.cols + i]!;
    return s;
  }

  /** Frobenius norm √(Σ aᵢⱼ²), without overflow or underflow at any finite scale. */
  norm(): number {
    return stableNorm(this.data);
  }

  /** Frobenius inner product ⟨this, other⟩ = Σ aᵢⱼ bᵢⱼ. */
  dot(other: Matrix): number {
    this.assertSameShape(other, 'dot');
    let s = 0;
    for (let i = 0; i < this.data.length; i++) s += this.data[i]! * other.data[i]!;
    return s;
  }

  /** Largest absolute entry. */
  maxAbs(): number {
    let s = 0;
    for (let i = 0; i < this.data.length; i++) s = Math.max(s, Math.abs(this.data[i]!));
    return s;
  }

  /** Column j as a new array. */
  column(j: number): Float64Array {
    const out = new Float64Array(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = this.data[i * this.cols + j]!;
    return out;
  }

  /** Row i as a new array. */
  row(i: number): Float64Array {
    return this.data.slice(i * this.cols, (i + 1) * this.cols);
  }

  /** Columns [start, end) as a new matrix. */
  columns(start: number, end: number): Matrix {
    const c = end - start;
    const out = new Matrix(this.rows, c);
    for (let i = 0; i < this.rows; i++) {
      out.data.set(this.data.subarray(i * this.cols + start, i * this.cols + end), i * c);
    }
    return out;
  }

  /** Reshapes the entries (row-major order kept). */
  reshape(rows: number, cols: number): Matrix {
    if (rows * cols !== this.data.length) {
      throw new ShapeMismatchError(
        `Matrix.reshape: ${this.rows}×${this.cols} cannot become ${rows}×${cols}`,
      );
    }
    return new Matrix(rows, cols, this.data.slice());
  }

  /** A copy. */
  clone(): Matrix {
    return new Matrix(this.rows, this.cols, this.data.slice());
  }

  /** Nested arrays, row by row. */
  toArray(): number[][] {
    const out: number[][] = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.data.subarray(i * this.cols, (i + 1) * this.cols)));
    return out;
  }

  /** True when every entry is finite. */
  isFinite(): boolean {
    for (let i = 0; i < this.data.length; i++) if (!Number.isFinite(this.data[i]!)) return false;
    return true;
  }

  private assertSameShape(other: Matrix, op: string): void {
    if (this.rows !== other.rows || this.cols !== other.cols) {
      throw new ShapeMismatchError(
        `Matrix.${op}: 'other' must be ${this.rows}×${this.cols}; received ${other.rows}×${other.cols}`,
      );
    }
  }
}

/**
 * `blocks` stacked by `fn`: vstack needs equal column counts and puts the blocks' rows one after
 * another, hstack needs equal row counts and puts the blocks side by side.
 * @throws ShapeMismatchError naming `Matrix.<fn>` when a block differs in the shared dimension
 */
function stack(fn: 'vstack' | 'hstack', blocks: readonly Matrix[]): Matrix {
  if (blocks.length === 0) return new Matrix(0, 0);
  const [shared, along, noun] = fn === 'vstack' ? (['cols', 'rows', 'columns'] as const) : (['rows', 'cols', 'rows'] as const);
  const n = blocks[0]![shared];
  let total = 0;
  for (const b of blocks) {
    if (b[shared] !== n) throw new ShapeMismatchError(`Matrix.${fn}: every block must have ${n} ${noun}; received ${b[shared]}`);
    total += b[along];
  }
  if (fn === 'vstack') {
    const out = new Matrix(total, n);
    let off = 0;
    for (const b of blocks) {
      out.data.set(b.data, off);
      off += b.data.length;
    }
    return out;
  }
  const out = new Matrix(n, total);
  let c0 = 0;
  for (const b of blocks) {
    for (let i = 0; i < n; i++) out.data.set(b.data.subarray(i * b.cols, (i + 1) * b.cols), i * total + c0);
    c0 += b.cols;
  }
  return out;
}

/**
 * Accepts a `Matrix` or nested arrays and returns a validated `Matrix`.
 * Used at public entry points.
 * @throws InvalidArgumentError, ShapeMismatchError, NonFiniteError
 */
export function toMatrix(value: unknown, fn: string, arg: string): Matrix {
  if (value instanceof Matrix) {
    if (!value.isFinite()) {
      throw new NonFiniteError(`${fn}: '${arg}' must contain only finite numbers; received a matrix with NaN or ±Infinity`);
    }
    return value;
  }
  if (Array.isArray(value)) {
    try {
      return Matrix.from(value as number[][], arg);
    } catch (e) {
      if (e instanceof Error) e.message = e.message.replace(/^Matrix\.from/, fn);
      throw e;
    }
  }
  throw new InvalidArgumentError(`${fn}: '${arg}' must be a Matrix or an array of rows; received ${describe(value)}`);
}
