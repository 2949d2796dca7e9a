import { InvalidArgumentError, NonFiniteError, ShapeMismatchError, describe } from '../errors.js';
import type { FunctionLibrary } from '../lie/MonomialLibrary.js';
import { Matrix, toMatrix } from '../linalg/Matrix.js';

/** One function of a {@link customLibrary}: its value and (optionally) its gradient. */
export interface CustomLibrarySpec {
  /** Number of input variables m. */
  m: number;
  /** The functions, in the column order the library will own. */
  functions: ReadonlyArray<{
    /** A readable name (e.g. "sin x0"). */
    name: string;
    /** φₖ(x). */
    value: (x: Float64Array) => number;
    /** ∇φₖ(x), length m. Default: central differences with step ε^(1/3)·max(1, |xⱼ|). */
    gradient?: (x: Float64Array) => ArrayLike<number>;
  }>;
  /**
   * When the span of the functions is closed under affine fields ξ(x) = A·x + b: the
   * size×size matrix M with Dφ(x)·ξ(x) = M·φ(x). Lets Lie derivatives be exact.
   */
  actionMatrix?: (a: Matrix, b: Float64Array) => Matrix | number[][];
}

/**
 * A user function library φ = (φ₁, …, φ_K): R^m → R^K from functions with derivatives,
 * for basis-expansion models F(x) = W·φ(x) and SINDy. The library owns the column order
 * (the order of `functions`); its Lie derivatives are sampled unless `actionMatrix` is given.
 *
 * @throws InvalidArgumentError for a bad spec; at evaluation, ShapeMismatchError for a wrong
 *   x length or gradient length and NonFiniteError for NaN/±Infinity values
 * @example
 * const lib = customLibrary({ m: 1, functions: [
 *   { name: 'sin x0', value: (x) => Math.sin(x[0]!), gradient: (x) => [Math.cos(x[0]!)] },
 *   { name: 'cos x0', value: (x) => Math.cos(x[0]!), gradient: (x) => [-Math.sin(x[0]!)] },
 * ] });
 */
export function customLibrary(spec: CustomLibrarySpec): FunctionLibrary {
  const fn = 'customLibrary';
  if (spec === null || typeof spec !== 'object') throw new InvalidArgumentError(`${fn}: 'spec' must be an object; received ${describe(spec)}`);
  const { m } = spec;
  if (!Number.isInteger(m) || m < 1) throw new InvalidArgumentError(`${fn}: 'm' must be an integer ≥ 1; received ${describe(m)}`);
  if (!Array.isArray(spec.functions) || spec.functions.length === 0) {
    throw new InvalidArgumentError(`${fn}: 'functions' must be a non-empty array; received ${describe(spec.functions)}`);
  }
  const funcs = [...spec.functions];
  funcs.forEach((f, k) => {
    if (!f || typeof f.value !== 'function' || typeof f.name !== 'string') {
      throw new InvalidArgumentError(`${fn}: 'functions'[${k}] must be { name: string, value: (x) => number, gradient? }; received ${describe(f)}`);
    }
    if (f.gradient !== undefined && typeof f.gradient !== 'function') {
      throw new InvalidArgumentError(`${fn}: 'functions'[${k}].gradient must be a function; received ${describe(f.gradient)}`);
    }
  });
  const K = funcs.length;
  const check = (x: Float64Array, where: string): void => {
    if (x.length !== m) throw new ShapeMismatchError(`${fn}.${where}: 'x' must have length ${m}; received ${x.length}`);
  };
  const value = (k: number, x: Float64Array): number => {
    const v = funcs[k]!.value(x);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new NonFiniteError(`${fn}: function ${k} (${funcs[k]!.name}) returned ${describe(v)}`);
    return v;
  };
  const lib: FunctionLibrary = {
    m,
    size: K,
    names: funcs.map((f) => f.name),
    evaluate(x) {
      check(x, 'evaluate');
      const out = new Float64Array(K);
      for (let k = 0; k < K; k++) out[k] = value(k, x);
      return out;
    },
    jacobian(x) {
      check(x, 'jacobian');
      const J = new Matrix(K, m);
      const xp = x.slice();
      for (let k = 0; k < K; k++) {
        const g = funcs[k]!.gradient;
        if (g) {
          const gv = g(x);
          if (gv.length !== m) throw new ShapeMismatchError(`${fn}: the gradient of function ${k} (${funcs[k]!.name}) must have ${m} entries; returned ${gv.length}`);
          for (let j = 0; j < m; j++) {
            if (!Number.isFinite(gv[j]!)) throw new NonFiniteError(`${fn}: the gradient of function ${k} (${funcs[k]!.name}) has ${describe(gv[j])} at entry ${j}`);
            J.data[k * m + j] = gv[j]!;
          }
          continue;
        }
        for (let j = 0; j < m; j++) {
          const h = Math.cbrt(Number.EPSILON) * Math.max(1, Math.abs(x[j]!));
          xp[j] = x[j]! + h;
          const fp = value(k, xp);
          xp[j] = x[j]! - h;
          const fm = value(k, xp);
          xp[j] = x[j]!;
          J.data[k * m + j] = (fp - fm) / (2 * h);
        }
      }
      return J;
    },
  };
  if (spec.actionMatrix) {
    const am = spec.actionMatrix;
    return {
      ...lib,
      actionMatrix(a, b) {
        const M = toMatrix(am(a, b), fn, 'actionMatrix(a, b)');
        if (M.rows !== K || M.cols !== K) throw new ShapeMismatchError(`${fn}: 'actionMatrix' must return a ${K}×${K} matrix; returned ${M.rows}×${M.cols}`);
        return M;
      },
    };
  }
  return lib;
}
