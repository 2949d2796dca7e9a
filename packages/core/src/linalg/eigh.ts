import { EigenvalueDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import { ShapeMismatchError } from '../errors.js';
import { Matrix } from './Matrix.js';

/** A symmetric eigendecomposition S = Q·diag(values)·Qᵀ. */
export interface EighResult {
  /** Eigenvalues, ascending. */
  values: Float64Array;
  /** n×n, orthonormal eigenvectors in columns, in the order of `values`. */
  vectors: Matrix;
}

/**
 * Eigendecomposition of a symmetric matrix (Householder tridiagonalization and the
 * implicit QL algorithm, via ml-matrix). Only the upper triangle's symmetry is assumed,
 * not checked: symmetrize first if in doubt.
 * @throws ShapeMismatchError for non-square input
 */
export function eigh(s: Matrix): EighResult {
  if (!s.isSquare) throw new ShapeMismatchError(`eigh: 's' must be square; received ${s.rows}×${s.cols}`);
  const n = s.rows;
  if (n === 0) return { values: new Float64Array(0), vectors: new Matrix(0, 0) };
  const rows: number[][] = [];
  for (let i = 0; i < n; i++) rows.push(Array.from(s.data.subarray(i * n, (i + 1) * n)));
  const e = new EigenvalueDecomposition(new MlMatrix(rows), { assumeSymmetric: true });
  const vals = e.realEigenvalues;
  const vecs = e.eigenvectorMatrix;
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => vals[x]! - vals[y]!);
  const values = new Float64Array(n);
  const vectors = new Matrix(n, n);
  order.forEach((j, k) => {
    values[k] = vals[j]!;
    for (let i = 0; i < n; i++) vectors.data[i * n + k] = vecs.get(i, j);
  });
  return { values, vectors };
}
