import { InvalidArgumentError, ShapeMismatchError, describe } from '../errors.js';
import { Matrix } from './Matrix.js';

/**
 * A matrix known only through its action: `matvec(x) = A·x`. Composite representations
 * build their dρ lazily from these (a tensor product's generator is a Kronecker sum,
 * never materialized unless asked with `toDense`).
 */
export abstract class LinearOperator {
  /** [rows, cols] */
  abstract readonly shape: readonly [number, number];
  /** A·x for x of length cols. */
  abstract matvec(x: Float64Array): Float64Array;
  /** Aᵀ·y for y of length rows. */
  abstract rmatvec(y: Float64Array): Float64Array;

  /** A·X, column by column (X has `cols` rows). */
  matmat(x: Matrix): Matrix {
    const [r, c] = this.shape;
    if (x.rows !== c) {
      throw new ShapeMismatchError(`LinearOperator.matmat: 'x' must have ${c} rows; received ${x.rows}`);
    }
    const out = new Matrix(r, x.cols);
    for (let j = 0; j < x.cols; j++) {
      const y = this.matvec(x.column(j));
      for (let i = 0; i < r; i++) out.data[i * x.cols + j] = y[i]!;
    }
    return out;
  }

  /** The transpose, lazily. */
  transpose(): LinearOperator {
    return new TransposedOperator(this);
  }

  /** The dense matrix (rows × cols). */
  toDense(): Matrix {
    return this.matmat(Matrix.identity(this.shape[1]));
  }

  /** Wraps a dense matrix. */
  static fromMatrix(m: Matrix): LinearOperator {
    return new DenseOperator(m);
  }

  /** The n×n identity. */
  static identity(n: number): LinearOperator {
    return new ScaledIdentity(n, 1);
  }

  /** The n×n zero operator. */
  static zeros(n: number): LinearOperator {
    return new ScaledIdentity(n, 0);
  }

  /** A₁ ⊗ A₂ ⊗ … (the first factor's index varies slowest), lazily. */
  static kron(...factors: LinearOperator[]): LinearOperator {
    if (factors.length === 0) return new ScaledIdentity(1, 1);
    if (factors.length === 1) return factors[0]!;
    return new KronOperator(factors);
  }

  /**
   * Kronecker sum A₁ ⊕ A₂ ⊕ … = Σᵢ I ⊗ … ⊗ Aᵢ ⊗ … ⊗ I of square operators, lazily: the
   * generator of a tensor product representation.
   */
  static kronSum(...factors: LinearOperator[]): LinearOperator {
    for (const f of factors) {
      if (f.shape[0] !== f.shape[1]) {
        throw new ShapeMismatchError(`LinearOperator.kronSum: every factor must be square; received ${f.shape[0]}×${f.shape[1]}`);
      }
    }
    if (factors.length === 0) return new ScaledIdentity(1, 0);
    if (factors.length === 1) return factors[0]!;
    return new KronSumOperator(factors);
  }

  /** Block-diagonal diag(A₁, A₂, …), lazily. */
  static directSum(...blocks: LinearOperator[]): LinearOperator {
    if (blocks.length === 1) return blocks[0]!;
    return new DirectSumOperator(blocks);
  }

  /**
   * The permutation matrix P with (P·x)[perm[i]] = x[i], i.e. P·eᵢ = e_perm[i].
   * @throws InvalidArgumentError when `perm` is not a permutation of 0..n−1
   */
  static permutation(perm: ArrayLike<number>): LinearOperator {
    const n = perm.length;
    const seen = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const p = perm[i]!;
      if (!Number.isInteger(p) || p < 0 || p >= n || seen[p]) {
        throw new InvalidArgumentError(
          `LinearOperator.permutation: 'perm' must be a permutation of 0..${n - 1}; entry ${i} is ${describe(p)}`,
        );
      }
      seen[p] = 1;
    }
    return new PermutationOperator(Int32Array.from(perm));
  }

  /** s·A, lazily. */
  scale(s: number): LinearOperator {
    return new ScaledOperator(this, s);
  }

  /** A·B, lazily. */
  compose(other: LinearOperator): LinearOperator {
    if (this.shape[1] !== other.shape[0]) {
      throw new ShapeMismatchError(
        `LinearOperator.compose: 'other' must have ${this.shape[1]} rows; received ${other.shape[0]}×${other.shape[1]}`,
      );
    }
    return new ProductOperator(this, other);
  }
}

class DenseOperator extends LinearOperator {
  readonly shape: readonly [number, number];
  constructor(readonly matrix: Matrix) {
    super();
    this.shape = [matrix.rows, matrix.cols];
  }
  matvec(x: Float64Array): Float64Array {
    return this.matrix.mulVec(x);
  }
  rmatvec(y: Float64Array): Float64Array {
    const { rows, cols, data } = this.matrix;
    const out = new Float64Array(cols);
    for (let i = 0; i < rows; i++) {
      const yi = y[i]!;
      if (yi === 0) continue;
      for (let j = 0; j < cols; j++) out[j]! += yi * data[i * cols + j]!;
    }
    return out;
  }
  override matmat(x: Matrix): Matrix {
    return this.matrix.mul(x);
  }
  override toDense(): Matrix {
    return this.matrix.clone();
  }
}

class ScaledIdentity extends LinearOperator {
  readonly shape: readonly [number, number];
  constructor(
    n: number,
    private readonly s: number,
  ) {
    super();
    this.shape = [n, n];
  }
  matvec(x: Float64Array): Float64Array {
    const out = new Float64Array(x.length);
    if (this.s !== 0) for (let i = 0; i < x.length; i++) out[i] = this.s * x[i]!;
    return out;
  }
  rmatvec(y: Float64Array): Float64Array {
    return this.matvec(y);
  }
}

class TransposedOperator extends LinearOperator {
  readonly shape: readonly [number, number];
  constructor(private readonly inner: LinearOperator) {
    super();
    this.shape = [inner.shape[1], inner.shape[0]];
  }
  matvec(x: Float64Array): Float64Array {
    return this.inner.rmatvec(x);
  }
  rmatvec(y: Float64Array): Float64Array {
    return this.inner.matvec(y);
  }
  override transpose(): LinearOperator {
    return this.inner;
  }
}

class ScaledOperator extends LinearOperator {
  readonly shape: readonly [number, number];
  constructor(
    private readonly inner: LinearOperator,
    private readonly s: number,
  ) {
    super();
    this.shape = inner.shape;
  }
  matvec(x: Float64Array): Float64Array {
    const y = this.inner.matvec(x);
    for (let i = 0; i < y.length; i++) y[i]! *= this.s;
    return y;
  }
  rmatvec(y: Float64Array): Float64Array {
    const x = this.inner.rmatvec(y);
    for (let i = 0; i < x.length; i++) x[i]! *= this.s;
    return x;
  }
}

class ProductOperator extends LinearOperator {
  readonly shape: readonly [number, number];
  constructor(
    private readonly a: LinearOperator,
    private readonly b: LinearOperator,
  ) {
    super();
    this.shape = [a.shape[0], b.shape[1]];
  }
  matvec(x: Float64Array): Float64Array {
    return this.a.matvec(this.b.matvec(x));
  }
  rmatvec(y: Float64Array): Float64Array {
    return this.b.rmatvec(this.a.rmatvec(y));
  }
}

class PermutationOperator extends LinearOperator {
  readonly shape: readonly [number, number];
  constructor(readonly perm: Int32Array) {
    super();
    this.shape = [perm.length, perm.length];
  }
  matvec(x: Float64Array): Float64Array {
    const out = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) out[this.perm[i]!] = x[i]!;
    return out;
  }
  rmatvec(y: Float64Array): Float64Array {
    const out = new Float64Array(y.length);
    for (let i = 0; i < y.length; i++) out[i] = y[this.perm[i]!]!;
    return out;
  }
}

/**
 * An operator whose A·x and Aᵀ·y are one routine, `apply(x, side)`, with `side` the method it
 * serves ('matvec' or 'rmatvec'): the factors' methods of the same name do the work.
 */
abstract class OneRoutineOperator extends LinearOperator {
  protected abstract apply(x: Float64Array, side: 'matvec' | 'rmatvec'): Float64Array;
  matvec(x: Float64Array): Float64Array {
    return this.apply(x, 'matvec');
  }
  rmatvec(y: Float64Array): Float64Array {
    return this.apply(y, 'rmatvec');
  }
}

/** Where {@link applyAlongAxis} applies: along `axis` of a row-major tensor of dims `dimsIn`, giving `outLen` entries on that axis. */
interface AxisShape {
  dimsIn: readonly number[];
  axis: number;
  outLen: number;
}

/** Applies `op` along one axis of a row-major tensor (op maps dimsIn[axis] entries to outLen). */
function applyAlongAxis(op: (v: Float64Array) => Float64Array, x: Float64Array, { dimsIn, axis, outLen }: AxisShape): Float64Array {
  let outer = 1;
  for (let k = 0; k < axis; k++) outer *= dimsIn[k]!;
  let inner = 1;
  for (let k = axis + 1; k < dimsIn.length; k++) inner *= dimsIn[k]!;
  const nIn = dimsIn[axis]!;
  const out = new Float64Array(outer * outLen * inner);
  const v = new Float64Array(nIn);
  for (let o = 0; o < outer; o++) {
    for (let t = 0; t < inner; t++) {
      let nz = false;
      for (let i = 0; i < nIn; i++) {
        const val = x[(o * nIn + i) * inner + t]!;
        v[i] = val;
        if (val !== 0) nz = true;
      }
      if (!nz) continue;
      const w = op(v);
      for (let i = 0; i < outLen; i++) out[(o * outLen + i) * inner + t] = w[i]!;
    }
  }
  return out;
}

/** [rows, cols] of operators combined entry by entry with `combine` from `start`: a product for ⊗, a sum for ⊕. */
function combinedShape(ops: readonly LinearOperator[], combine: (a: number, b: number) => number, start: number): [number, number] {
  return ops.reduce<[number, number]>(([r, c], f) => [combine(r, f.shape[0]), combine(c, f.shape[1])], [start, start]);
}

class KronOperator extends OneRoutineOperator {
  readonly shape: readonly [number, number];
  constructor(private readonly factors: readonly LinearOperator[]) {
    super();
    this.shape = combinedShape(factors, (a, b) => a * b, 1);
  }
  protected apply(x: Float64Array, side: 'matvec' | 'rmatvec'): Float64Array {
    const transposed = side === 'rmatvec';
    const dims = this.factors.map((f) => (transposed ? f.shape[0] : f.shape[1]));
    let cur = x;
    for (let k = 0; k < this.factors.length; k++) {
      const f = this.factors[k]!;
      const outLen = transposed ? f.shape[1] : f.shape[0];
      cur = applyAlongAxis((v) => f[side](v), cur, { dimsIn: dims, axis: k, outLen });
      dims[k] = outLen;
    }
    return cur;
  }
}

class KronSumOperator extends OneRoutineOperator {
  readonly shape: readonly [number, number];
  private readonly dims: number[];
  constructor(private readonly factors: readonly LinearOperator[]) {
    super();
    this.dims = factors.map((f) => f.shape[0]);
    const n = this.dims.reduce((a, b) => a * b, 1);
    this.shape = [n, n];
  }
  protected apply(x: Float64Array, side: 'matvec' | 'rmatvec'): Float64Array {
    const out = new Float64Array(x.length);
    for (let k = 0; k < this.factors.length; k++) {
      const f = this.factors[k]!;
      const y = applyAlongAxis((v) => f[side](v), x, { dimsIn: this.dims, axis: k, outLen: this.dims[k]! });
      for (let i = 0; i < out.length; i++) out[i]! += y[i]!;
    }
    return out;
  }
}

class DirectSumOperator extends OneRoutineOperator {
  readonly shape: readonly [number, number];
  constructor(private readonly blocks: readonly LinearOperator[]) {
    super();
    this.shape = combinedShape(blocks, (a, b) => a + b, 0);
  }
  protected apply(x: Float64Array, side: 'matvec' | 'rmatvec'): Float64Array {
    const transposed = side === 'rmatvec';
    const out = new Float64Array(transposed ? this.shape[1] : this.shape[0]);
    let i0 = 0;
    let o0 = 0;
    for (const b of this.blocks) {
      const nIn = transposed ? b.shape[0] : b.shape[1];
      const y = b[side](x.subarray(i0, i0 + nIn));
      out.set(y, o0);
      i0 += nIn;
      o0 += y.length;
    }
    return out;
  }
}
