import { InvalidArgumentError, ShapeMismatchError, describe } from '../errors.js';
import { Matrix } from '../linalg/Matrix.js';

/**
 * A function library φ: R^m → R^size with derivatives, for basis-expansion models
 * F(x) = W·φ(x). The library owns the column order.
 */
export interface FunctionLibrary {
  /** Number of input variables m. */
  readonly m: number;
  /** Number of functions. */
  readonly size: number;
  /** A readable name per function, in column order. */
  readonly names: readonly string[];
  /** φ(x). */
  evaluate(x: Float64Array): Float64Array;
  /**
   * φ at every row of `xs` (S×m) at once: the S×size library matrix Θ with Θ[s, k] = φₖ(x_s).
   * Optional: without it, callers evaluate row by row.
   */
  evaluateAll?(xs: Matrix): Matrix;
  /** Dφ(x), size×m. */
  jacobian(x: Float64Array): Matrix;
  /**
   * When the library is closed under the affine field ξ(x) = A·x + b: the size×size matrix M
   * with Dφ(x)·ξ(x) = M·φ(x) for all x. Undefined when not closed.
   */
  actionMatrix?(a: Matrix, b: Float64Array): Matrix;
}

/**
 * All monomials x^α of total degree ≤ `degree` in m variables, ordered by degree and
 * then lexicographically (1, x₀, x₁, …, x₀², x₀x₁, …). Exact derivatives; closed under
 * affine vector fields, so Lie derivatives of W·φ are exact finite matrices.
 * @example
 * const lib = new MonomialLibrary(2, 2); // 1, x0, x1, x0^2, x0 x1, x1^2
 */
export class MonomialLibrary implements FunctionLibrary {
  readonly m: number;
  readonly degree: number;
  readonly size: number;
  /** Exponent vectors α, one per column. */
  readonly exponents: readonly (readonly number[])[];
  readonly names: readonly string[];
  private readonly index: Map<string, number>;
  /** x^α = x^parent[k] · x_{variable[k]} (α minus its first non-zero variable; −1 for the constant). */
  private readonly parent: Int32Array;
  private readonly variable: Int32Array;

  constructor(m: number, degree: number) {
    if (!Number.isInteger(m) || m < 1) throw new InvalidArgumentError(`MonomialLibrary: 'm' must be an integer ≥ 1; received ${describe(m)}`);
    if (!Number.isInteger(degree) || degree < 0) {
      throw new InvalidArgumentError(`MonomialLibrary: 'degree' must be an integer ≥ 0; received ${describe(degree)}`);
    }
    this.m = m;
    this.degree = degree;
    const exps: number[][] = [];
    const rec = (prefix: number[], left: number, pos: number): void => {
      if (pos === m - 1) {
        exps.push([...prefix, left]);
        return;
      }
      for (let k = left; k >= 0; k--) rec([...prefix, k], left - k, pos + 1);
    };
    for (let d = 0; d <= degree; d++) rec([], d, 0);
    this.exponents = exps;
    this.size = exps.length;
    this.index = new Map(exps.map((e, i) => [e.join(','), i]));
    this.parent = new Int32Array(this.size).fill(-1);
    this.variable = new Int32Array(this.size).fill(-1);
    exps.forEach((e, k) => {
      const i = e.findIndex((a) => a > 0);
      if (i < 0) return;
      const base = [...e];
      base[i]! -= 1;
      this.parent[k] = this.index.get(base.join(','))!;
      this.variable[k] = i;
    });
    this.names = exps.map((e) => {
      const parts = e.flatMap((k, i) => (k === 0 ? [] : [k === 1 ? `x${i}` : `x${i}^${k}`]));
      return parts.length === 0 ? '1' : parts.join(' ');
    });
  }

  evaluate(x: Float64Array): Float64Array {
    this.check(x);
    const out = new Float64Array(this.size);
    this.fill(out, { x, offset: 0, xOffset: 0 });
    return out;
  }

  /**
   * Θ for all rows of `xs` at once (S×size), each monomial one multiplication from a lower-degree one
   * (the same products as {@link evaluate}, so the rows agree with it exactly).
   * @throws ShapeMismatchError when `xs` does not have m columns
   */
  evaluateAll(xs: Matrix): Matrix {
    if (xs.cols !== this.m) throw new ShapeMismatchError(`MonomialLibrary.evaluateAll: 'xs' must have ${this.m} columns; received ${xs.cols}`);
    const out = new Matrix(xs.rows, this.size);
    for (let s = 0; s < xs.rows; s++) this.fill(out.data, { x: xs.data, offset: s * this.size, xOffset: s * this.m });
    return out;
  }

  private fill(out: Float64Array, { x, offset, xOffset }: { x: Float64Array; offset: number; xOffset: number }): void {
    const parent = this.parent;
    const variable = this.variable;
    for (let k = 0; k < this.size; k++) {
      const p = parent[k]!;
      out[offset + k] = p < 0 ? 1 : out[offset + p]! * x[xOffset + variable[k]!]!;
    }
  }

  jacobian(x: Float64Array): Matrix {
    this.check(x);
    const J = new Matrix(this.size, this.m);
    this.exponents.forEach((e, k) => {
      for (let j = 0; j < this.m; j++) {
        if (e[j] === 0) continue;
        let v = e[j]!;
        for (let i = 0; i < this.m; i++) {
          const p = i === j ? e[i]! - 1 : e[i]!;
          if (p > 0) v *= x[i]! ** p;
        }
        J.data[k * this.m + j] = v;
      }
    });
    return J;
  }

  /** Column index of the monomial with exponents α, or −1. */
  indexOf(alpha: readonly number[]): number {
    return this.index.get(alpha.join(',')) ?? -1;
  }

  actionMatrix(a: Matrix, b: Float64Array): Matrix {
    const m = this.m;
    if (a.rows !== m || a.cols !== m || b.length !== m) {
      throw new ShapeMismatchError(
        `MonomialLibrary.actionMatrix: 'a' must be ${m}×${m} and 'b' of length ${m}; received ${a.rows}×${a.cols} and ${b.length}`,
      );
    }
    const M = new Matrix(this.size, this.size);
    this.exponents.forEach((e, k) => {
      for (let i = 0; i < m; i++) {
        const ai = e[i]!;
        if (ai === 0) continue;
        const base = [...e];
        base[i] = ai - 1;
        // ∂ᵢ x^α · (Σⱼ A_ij x_j + b_i)
        for (let j = 0; j < m; j++) {
          const aij = a.data[i * m + j]!;
          if (aij === 0) continue;
          const t = [...base];
          t[j]! += 1;
          M.data[k * this.size + this.indexOf(t)]! += ai * aij;
        }
        if (b[i] !== 0) M.data[k * this.size + this.indexOf(base)]! += ai * b[i]!;
      }
    });
    return M;
  }

  private check(x: Float64Array): void {
    if (x.length !== this.m) throw new ShapeMismatchError(`MonomialLibrary: 'x' must have length ${this.m}; received ${x.length}`);
  }
}
