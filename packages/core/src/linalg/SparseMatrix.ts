import { InvalidArgumentError, describe } from '../errors.js';
import { Matrix } from './Matrix.js';

/**
 * A sparse matrix as coordinate triplets (row, col, value), nonzeros only. Generators dρ(ξ) of direct sums and tensor products are mostly zeros, so products
 * with them cost O(nonzeros) instead of O(n²).
 */
export interface SparseMatrix {
  readonly rows: number;
  readonly cols: number;
  /** Row index of each nonzero. */
  readonly rowIndex: Int32Array;
  /** Column index of each nonzero. */
  readonly colIndex: Int32Array;
  readonly values: Float64Array;
}

/**
 * The nonzeros of a dense matrix as a {@link SparseMatrix}.
 * @throws InvalidArgumentError when `m` is not a Matrix
 * @example
 * sparseMatrix(Matrix.from([[0, 2], [0, 0]])).values; // Float64Array [2]
 */
export function sparseMatrix(m: Matrix): SparseMatrix {
  if (!(m instanceof Matrix)) throw new InvalidArgumentError(`sparseMatrix: 'm' must be a Matrix; received ${describe(m)}`);
  const rows: number[] = [];
  const cols: number[] = [];
  const vals: number[] = [];
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      const v = m.data[i * m.cols + j]!;
      if (v === 0) continue;
      rows.push(i);
      cols.push(j);
      vals.push(v);
    }
  }
  return { rows: m.rows, cols: m.cols, rowIndex: Int32Array.from(rows), colIndex: Int32Array.from(cols), values: Float64Array.from(vals) };
}

/** The transpose, scaled: (c·A)ᵀ as a {@link SparseMatrix} (c default 1). */
export function sparseTranspose(a: SparseMatrix, options: { scale?: number } = {}): SparseMatrix {
  const c = options.scale ?? 1;
  return { rows: a.cols, cols: a.rows, rowIndex: a.colIndex, colIndex: a.rowIndex, values: a.values.map((v) => c * v) };
}
