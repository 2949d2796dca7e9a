/**
 * ODE systems dx/dt = f(x) with polynomial right-hand sides whose coefficients are known, for the
 * SINDy tests and benchmarks: the field, its terms, and (where it has one) the generator of its
 * continuous symmetry as plain matrices, so that each caller builds the group with its own core.
 */

/** One term of a polynomial field: equation i gets c·x^α (α an exponent vector). */
export type PolynomialTerm = readonly [equation: number, exponent: readonly number[], coefficient: number];

/** A polynomial ODE system with its true coefficients. */
export interface PolynomialSystem {
  readonly name: string;
  /** The state dimension. */
  readonly dim: number;
  /** The right-hand side f(x). */
  readonly f: (x: Float64Array) => Float64Array;
  /** Every nonzero term of f. */
  readonly terms: readonly PolynomialTerm[];
}

/** The Hopf normal form on R²: ẋ = μx − ωy − x(x² + y²), ẏ = ωx + μy − y(x² + y²), μ = 0.5, ω = 1; SO(2)-equivariant. */
export const hopfNormalForm: PolynomialSystem = {
  name: 'Hopf normal form',
  dim: 2,
  f: (x) => {
    const r2 = x[0]! ** 2 + x[1]! ** 2;
    return Float64Array.of(0.5 * x[0]! - x[1]! - x[0]! * r2, x[0]! + 0.5 * x[1]! - x[1]! * r2);
  },
  terms: [
    [0, [1, 0], 0.5],
    [0, [0, 1], -1],
    [0, [3, 0], -1],
    [0, [1, 2], -1],
    [1, [1, 0], 1],
    [1, [0, 1], 0.5],
    [1, [2, 1], -1],
    [1, [0, 3], -1],
  ],
};

/**
 * A damped nonlinear isotropic oscillator in a rotating frame, state (x, v) ∈ R⁴:
 * ẋ = v, v̇ = −x − 0.5|x|²x − 0.1v + 0.3·Jx. Equivariant under SO(2) rotating x and v together
 * (generator {@link rotatingOscillatorGenerator}).
 */
export const rotatingOscillator: PolynomialSystem = {
  name: 'rotating 2-D oscillator',
  dim: 4,
  f: (s) => {
    const r2 = s[0]! ** 2 + s[1]! ** 2;
    return Float64Array.of(s[2]!, s[3]!, -s[0]! - 0.5 * r2 * s[0]! - 0.1 * s[2]! - 0.3 * s[1]!, -s[1]! - 0.5 * r2 * s[1]! - 0.1 * s[3]! + 0.3 * s[0]!);
  },
  terms: [
    [0, [0, 0, 1, 0], 1],
    [1, [0, 0, 0, 1], 1],
    [2, [1, 0, 0, 0], -1],
    [2, [3, 0, 0, 0], -0.5],
    [2, [1, 2, 0, 0], -0.5],
    [2, [0, 0, 1, 0], -0.1],
    [2, [0, 1, 0, 0], -0.3],
    [3, [0, 1, 0, 0], -1],
    [3, [2, 1, 0, 0], -0.5],
    [3, [0, 3, 0, 0], -0.5],
    [3, [0, 0, 0, 1], -0.1],
    [3, [1, 0, 0, 0], 0.3],
  ],
};

/** The generator of {@link rotatingOscillator}'s symmetry: J on x and on v (block-diagonal), for `customGroup({ lieAlgebra: [it] })`. */
export const rotatingOscillatorGenerator: number[][] = [
  [0, -1, 0, 0],
  [1, 0, 0, 0],
  [0, 0, 0, -1],
  [0, 0, 1, 0],
];

/** The Lorenz system (σ, ρ, β) = (10, 28, 8/3): its only symmetry, (x, y, z) ↦ (−x, −y, z), is discrete. */
export const lorenzSystem: PolynomialSystem = {
  name: 'Lorenz (10, 28, 8/3)',
  dim: 3,
  f: (x) => Float64Array.of(10 * (x[1]! - x[0]!), x[0]! * (28 - x[2]!) - x[1]!, x[0]! * x[1]! - (8 / 3) * x[2]!),
  terms: [
    [0, [1, 0, 0], -10],
    [0, [0, 1, 0], 10],
    [1, [1, 0, 0], 28],
    [1, [0, 1, 0], -1],
    [1, [1, 0, 1], -1],
    [2, [0, 0, 1], -8 / 3],
    [2, [1, 1, 0], 1],
  ],
};

/** The part of a function library {@link trueCoefficients} needs (core's `MonomialLibrary`). */
export interface MonomialIndex {
  /** The state dimension. */
  readonly m: number;
  /** The number of monomials. */
  readonly size: number;
  /** The column of the monomial x^α. */
  indexOf(alpha: readonly number[]): number;
}

/** The true Ξ of a system in the library's column order: entry i·size + indexOf(α) holds equation i's coefficient of x^α. */
export function trueCoefficients(system: PolynomialSystem, library: MonomialIndex): Float64Array {
  const xi = new Float64Array(library.m * library.size);
  for (const [i, alpha, c] of system.terms) xi[i * library.size + library.indexOf(alpha)] = c;
  return xi;
}
