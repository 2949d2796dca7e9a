import { NonFiniteError, ShapeMismatchError } from '../errors.js';
import { Matrix } from './Matrix.js';
import { solve } from './lu.js';

// Padé(13) coefficients and the 1-norm threshold θ₁₃ of Higham (2005), "The scaling
// and squaring method for the matrix exponential revisited".
const B13 = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000,
  10559470521600, 670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
];
const THETA13 = 5.371920351148152;

function norm1(a: Matrix): number {
  let best = 0;
  for (let j = 0; j < a.cols; j++) {
    let s = 0;
    for (let i = 0; i < a.rows; i++) s += Math.abs(a.data[i * a.cols + j]!);
    best = Math.max(best, s);
  }
  return best;
}

function axpy(out: Matrix, s: number, a: Matrix): void {
  for (let i = 0; i < out.data.length; i++) out.data[i]! += s * a.data[i]!;
}

/**
 * A6(b₁₂₊ₖ A6 + b₁₀₊ₖ A4 + b₈₊ₖ A2) + b₆₊ₖ A6 + b₄₊ₖ A4 + b₂₊ₖ A2 + bₖ I with the Padé(13)
 * coefficients b: V for k = 0, and for k = 1 the factor that U = A·(…) multiplies.
 */
function padeHalf({ I, A2, A4, A6 }: { I: Matrix; A2: Matrix; A4: Matrix; A6: Matrix }, k: 0 | 1): Matrix {
  const inner = A6.scale(B13[12 + k]!);
  axpy(inner, B13[10 + k]!, A4);
  axpy(inner, B13[8 + k]!, A2);
  const out = A6.mul(inner);
  axpy(out, B13[6 + k]!, A6);
  axpy(out, B13[4 + k]!, A4);
  axpy(out, B13[2 + k]!, A2);
  axpy(out, B13[k]!, I);
  return out;
}

/**
 * The matrix exponential exp(A) = Σ Aᵏ/k!, by scaling and squaring with a degree-13
 * Padé approximant (Higham 2005): about 1e-12 relative accuracy on well-scaled input.
 *
 * @param a a square matrix
 * @throws ShapeMismatchError for non-square input; NonFiniteError for NaN/±Infinity
 * @example
 * expm(Matrix.from([[0, -Math.PI], [Math.PI, 0]])); // ≈ −I
 */
export function expm(a: Matrix): Matrix {
  if (!a.isSquare) throw new ShapeMismatchError(`expm: 'a' must be square; received ${a.rows}×${a.cols}`);
  if (!a.isFinite()) throw new NonFiniteError(`expm: 'a' must be finite; received a matrix with NaN or ±Infinity`);
  const n = a.rows;
  if (n === 0) return new Matrix(0, 0);
  const nrm = norm1(a);
  const s = nrm > THETA13 ? Math.max(0, Math.ceil(Math.log2(nrm / THETA13))) : 0;
  const A = s > 0 ? a.scale(2 ** -s) : a;
  const I = Matrix.identity(n);
  const A2 = A.mul(A);
  const A4 = A2.mul(A2);
  const A6 = A4.mul(A2);
  const powers = { I, A2, A4, A6 };
  // U = A·[A6(b13 A6 + b11 A4 + b9 A2) + b7 A6 + b5 A4 + b3 A2 + b1 I]
  const U = A.mul(padeHalf(powers, 1));
  // V = A6(b12 A6 + b10 A4 + b8 A2) + b6 A6 + b4 A4 + b2 A2 + b0 I
  const V = padeHalf(powers, 0);
  let R = solve(V.sub(U), V.add(U));
  for (let k = 0; k < s; k++) R = R.mul(R);
  return R;
}
