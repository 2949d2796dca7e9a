import { Matrix } from '../linalg/Matrix.js';
import { Group, checkN, unit } from './Group.js';

function soBasis(n: number): Matrix[] {
  const out: Matrix[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) out.push(unit(n, j, i).sub(unit(n, i, j)));
  return out;
}

function reflection(n: number, axis = 0): Matrix {
  const d = new Array<number>(n).fill(1);
  d[axis] = -1;
  return Matrix.diag(d);
}

/**
 * The special orthogonal group SO(n) on Rⁿ: Lie algebra spanned by E_ji − E_ij (i < j).
 * For n = 3 the basis is ordered (L₀₁, L₀₂, L₁₂).
 */
export function SO(n: number): Group {
  checkN('SO', n);
  return new Group({ name: `SO(${n})`, d: n, lieAlgebra: soBasis(n), discreteGenerators: [], compact: true });
}

/** The orthogonal group O(n): so(n) plus the reflection diag(−1, 1, …, 1). */
export function O(n: number): Group {
  checkN('O', n);
  return new Group({ name: `O(${n})`, d: n, lieAlgebra: soBasis(n), discreteGenerators: [reflection(n)], compact: true });
}

/** The general linear group GL(n): all matrix units E_ij, plus diag(−1, 1, …) for det < 0. */
export function GL(n: number): Group {
  checkN('GL', n);
  const lie: Matrix[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) lie.push(unit(n, i, j));
  return new Group({ name: `GL(${n})`, d: n, lieAlgebra: lie, discreteGenerators: [reflection(n)], compact: false });
}

/** The special linear group SL(n): traceless matrices (E_ij for i ≠ j, E_ii − E_{i+1,i+1}). */
export function SL(n: number): Group {
  checkN('SL', n);
  const lie: Matrix[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) lie.push(unit(n, i, j));
  for (let i = 0; i + 1 < n; i++) lie.push(unit(n, i, i).sub(unit(n, i + 1, i + 1)));
  return new Group({ name: `SL(${n})`, d: n, lieAlgebra: lie, discreteGenerators: [], compact: false });
}

/**
 * The symplectic group Sp(n) on R²ⁿ preserving J = [[0, I], [−I, 0]]: matrices
 * [[A, B], [C, −Aᵀ]] with B, C symmetric (dimension n(2n + 1)).
 */
export function Sp(n: number): Group {
  checkN('Sp', n);
  const d = 2 * n;
  const lie: Matrix[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) lie.push(unit(d, i, j).sub(unit(d, n + j, n + i)));
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      lie.push(i === j ? unit(d, i, n + i) : unit(d, i, n + j).add(unit(d, j, n + i)));
      lie.push(i === j ? unit(d, n + i, i) : unit(d, n + i, j).add(unit(d, n + j, i)));
    }
  }
  return new Group({ name: `Sp(${n})`, d, lieAlgebra: lie, discreteGenerators: [], compact: false });
}

function lorentzAlgebra(): Matrix[] {
  const rot = [
    [1, 2],
    [1, 3],
    [2, 3],
  ].map(([i, j]) => unit(4, j!, i!).sub(unit(4, i!, j!)));
  const boosts = [1, 2, 3].map((i) => unit(4, 0, i).add(unit(4, i, 0)));
  return [...rot, ...boosts];
}

/**
 * The proper orthochronous Lorentz group SO⁺(1,3) on R⁴ with metric η = diag(1, −1, −1, −1):
 * three rotations and three boosts.
 */
export function SO13(): Group {
  return new Group({ name: 'SO(1,3)', d: 4, lieAlgebra: lorentzAlgebra(), discreteGenerators: [], compact: false });
}

/** The full Lorentz group O(1,3): SO⁺(1,3) with parity diag(1, −1, −1, −1) and time reversal diag(−1, 1, 1, 1). */
export function O13(): Group {
  return new Group({
    name: 'O(1,3)',
    d: 4,
    lieAlgebra: lorentzAlgebra(),
    discreteGenerators: [Matrix.diag([1, -1, -1, -1]), Matrix.diag([-1, 1, 1, 1])],
    compact: false,
  });
}

/** Uniform scalings x ↦ eᵗx of Rⁿ: Lie algebra spanned by I. */
export function Scaling(n: number): Group {
  checkN('Scaling', n);
  return new Group({ name: `Scaling(${n})`, d: n, lieAlgebra: [Matrix.identity(n)], discreteGenerators: [], compact: false });
}
