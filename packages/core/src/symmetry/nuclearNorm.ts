import { InvalidArgumentError, describe } from '../errors.js';
import { Matrix, toMatrix } from '../linalg/Matrix.js';
import { svd } from '../linalg/svd.js';

/** Result of {@link nuclearNorm}. */
export interface NuclearNormResult {
  /** ‖M‖_* = Σ σᵢ. */
  value: number;
  /** U_r·V_rᵀ over the singular values above the threshold: a subgradient of ‖·‖_* at M. */
  subgradient: Matrix;
  /** The singular values, ascending (like every spectrum in a liesym result). */
  singularValues: Float64Array;
}

/**
 * The nuclear norm ‖M‖_* = Σ σᵢ(M), the convex relaxation of the rank, with the
 * subgradient U·Vᵀ (singular vectors of σᵢ > rtol·σ_max; rtol default 1e-12). It is the
 * gradient where M has full rank.
 * @throws NonFiniteError, InvalidArgumentError
 */
export function nuclearNorm(m: Matrix | number[][], options: { rtol?: number } = {}): NuclearNormResult {
  const M = toMatrix(m, 'nuclearNorm', 'm');
  const rtol = options.rtol ?? 1e-12;
  if (!(rtol >= 0)) throw new InvalidArgumentError(`nuclearNorm: 'rtol' must be ≥ 0; received ${describe(rtol)}`);
  if (M.rows === 0 || M.cols === 0) return { value: 0, subgradient: new Matrix(M.rows, M.cols), singularValues: new Float64Array(0) };
  const { U, s, V } = svd(M);
  const k = s.length;
  const tol = rtol * (s[0] ?? 0);
  let value = 0;
  const G = new Matrix(M.rows, M.cols);
  for (let r = 0; r < k; r++) {
    value += s[r]!;
    if (s[r]! <= tol) continue;
    for (let i = 0; i < M.rows; i++) {
      const u = U.data[i * k + r]!;
      if (u === 0) continue;
      for (let j = 0; j < M.cols; j++) G.data[i * M.cols + j]! += u * V.data[j * k + r]!;
    }
  }
  return { value, subgradient: G, singularValues: s.slice().reverse() };
}
