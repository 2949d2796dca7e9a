import { InvalidArgumentError, ShapeMismatchError, errorMessage } from '../errors.js';
import { Matrix } from '../linalg/Matrix.js';
import { createRng } from '../linalg/random.js';
import { integrate } from './integrate.js';

/** The physical constants of the double spring pendulum. */
export interface DoubleSpringPendulumOptions {
  /** g, the gravitational acceleration along −z (default 1). */
  gravity?: number;
}

/** Options of {@link doubleSpringPendulumTrajectories}. */
export interface DoubleSpringPendulumTrajectoryOptions extends DoubleSpringPendulumOptions {
  /** Number of trajectories (integer ≥ 1) when `initialStates` is not given. */
  count?: number;
  /** Initial states [count, 12] to integrate instead of random ones (e.g. rotated copies). */
  initialStates?: Matrix | number[][];
  /** Observations per trajectory after the initial state (default 5). */
  steps?: number;
  /** Time between observations (default 0.2). */
  dt?: number;
  /** RK4 steps per observation interval (default 100, i.e. an RK4 step of dt/100). */
  substeps?: number;
  /** Standard deviation of the random displacement of each position coordinate from the hanging equilibrium (default 0.5). */
  displacement?: number;
  /** Standard deviation of each random momentum coordinate (default 0.5). */
  momentum?: number;
  /** Seed of the random initial states (default 0). */
  seed?: number;
}

/** Trajectories of {@link doubleSpringPendulumTrajectories}. */
export interface DoubleSpringPendulumData {
  /** The initial states [count, 12]. */
  initialStates: Matrix;
  /** One (steps + 1) × 12 matrix per trajectory, row k at time k·dt. */
  trajectories: Matrix[];
}

const DIM = 12;

function gravityOf(fn: string, options: DoubleSpringPendulumOptions | undefined): number {
  const g = options?.gravity ?? 1;
  if (typeof g !== 'number' || !Number.isFinite(g)) throw new InvalidArgumentError(errorMessage(fn, 'gravity', { expected: 'a finite number', received: g }));
  return g;
}

function stateOf(fn: string, x: ArrayLike<number>): void {
  if (x?.length !== DIM) throw new ShapeMismatchError(errorMessage(fn, 'x', { expected: 'a state (q₁, q₂, p₁, p₂) of 12 numbers', received: x }));
}

/** −∇ of ½(‖d‖ − 1)² with respect to d, i.e. −(‖d‖ − 1)·d/‖d‖ (the unit spring's force on the end at d). */
function springForce(dx: number, dy: number, dz: number): [number, number, number] {
  const r = Math.hypot(dx, dy, dz);
  const s = r > 0 ? -(r - 1) / r : 0;
  return [s * dx, s * dy, s * dz];
}

/**
 * The Hamiltonian vector field of the double spring pendulum: two unit masses at q₁, q₂ ∈ R³,
 * the first tied to the origin and the second to the first by springs of unit stiffness and
 * unit rest length, under gravity g along −z. With
 * H = ½‖p₁‖² + ½‖p₂‖² + ½(‖q₁‖ − 1)² + ½(‖q₂ − q₁‖ − 1)² + g·(q₁_z + q₂_z),
 * Hamilton's equations q̇ᵢ = ∂H/∂pᵢ = pᵢ, ṗᵢ = −∂H/∂qᵢ, on the state x = (q₁, q₂, p₁, p₂) ∈ R¹².
 * The field is equivariant under rotations about the z axis acting on all four 3-vectors at
 * once (and under reflections through planes containing it), not under other rotations.
 *
 * @returns f with f(x) = ẋ (12 numbers)
 * @throws InvalidArgumentError for a non-finite gravity; ShapeMismatchError (from f) for a state that is not 12 numbers
 * @example
 * const f = doubleSpringPendulumField();
 * f(doubleSpringPendulumEquilibrium()); // all zeros: the hanging equilibrium
 */
export function doubleSpringPendulumField(options: DoubleSpringPendulumOptions = {}): (x: ArrayLike<number>) => Float64Array {
  const fn = 'doubleSpringPendulumField';
  const g = gravityOf(fn, options);
  return (x) => {
    stateOf(fn, x);
    const f1 = springForce(x[0]!, x[1]!, x[2]!);
    const f2 = springForce(x[3]! - x[0]!, x[4]! - x[1]!, x[5]! - x[2]!);
    const out = new Float64Array(DIM);
    for (let i = 0; i < 6; i++) out[i] = x[6 + i]!;
    for (let i = 0; i < 3; i++) {
      out[6 + i] = f1[i]! - f2[i]!;
      out[9 + i] = f2[i]!;
    }
    out[8] = out[8]! - g;
    out[11] = out[11]! - g;
    return out;
  };
}

/**
 * The energy H(x) of {@link doubleSpringPendulumField} (conserved along its trajectories).
 * @throws InvalidArgumentError for a non-finite gravity; ShapeMismatchError for a state that is not 12 numbers
 * @example
 * doubleSpringPendulumEnergy(doubleSpringPendulumEquilibrium()); // −5.5 = ½·2² + ½·1² − (3 + 5) with g = 1
 */
export function doubleSpringPendulumEnergy(x: ArrayLike<number>, options: DoubleSpringPendulumOptions = {}): number {
  const fn = 'doubleSpringPendulumEnergy';
  const g = gravityOf(fn, options);
  stateOf(fn, x);
  let kinetic = 0;
  for (let i = 6; i < DIM; i++) kinetic += x[i]! ** 2 / 2;
  const r1 = Math.hypot(x[0]!, x[1]!, x[2]!);
  const r2 = Math.hypot(x[3]! - x[0]!, x[4]! - x[1]!, x[5]! - x[2]!);
  return kinetic + (r1 - 1) ** 2 / 2 + (r2 - 1) ** 2 / 2 + g * (x[2]! + x[5]!);
}

/**
 * The hanging equilibrium at rest: q₁ = (0, 0, −(1 + 2g)) (the first spring carries both
 * masses), q₂ = (0, 0, −(2 + 3g)), p = 0.
 * @throws InvalidArgumentError for a non-finite gravity
 */
export function doubleSpringPendulumEquilibrium(options: DoubleSpringPendulumOptions = {}): Float64Array {
  const g = gravityOf('doubleSpringPendulumEquilibrium', options);
  const x = new Float64Array(DIM);
  x[2] = -(1 + 2 * g);
  x[5] = -(2 + 3 * g);
  return x;
}

function positiveInteger(fn: string, arg: string, value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 1) throw new InvalidArgumentError(errorMessage(fn, arg, { expected: 'an integer ≥ 1', received: value }));
  return value as number;
}

/**
 * Deterministic trajectories of the double spring pendulum ({@link doubleSpringPendulumField}):
 * initial states near the hanging equilibrium ({@link doubleSpringPendulumEquilibrium}) with
 * seeded normal displacements (σ = `displacement`) of the positions and normal momenta
 * (σ = `momentum`), each integrated by RK4 (core's `integrate`) with `substeps` steps per
 * observation interval `dt`, observed `steps` times. The defaults give the paper's set-up of 5
 * observations 0.2 time units apart.
 *
 * @throws InvalidArgumentError for bad counts, steps or scales, or neither / both of `count` and
 *   `initialStates`; ShapeMismatchError for initial states that are not [count, 12];
 *   NonFiniteError when a trajectory blows up
 * @example
 * const { trajectories } = doubleSpringPendulumTrajectories({ count: 10, seed: 1 });
 * trajectories[0].rows; // 6 states (t = 0, 0.2, …, 1)
 */
export function doubleSpringPendulumTrajectories(options: DoubleSpringPendulumTrajectoryOptions): DoubleSpringPendulumData {
  const fn = 'doubleSpringPendulumTrajectories';
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(errorMessage(fn, 'options', { expected: 'an object', received: options }));
  const steps = positiveInteger(fn, 'steps', options.steps ?? 5);
  const dt = options.dt ?? 0.2;
  if (typeof dt !== 'number' || !Number.isFinite(dt) || dt <= 0) throw new InvalidArgumentError(errorMessage(fn, 'dt', { expected: 'a finite number > 0', received: dt }));
  const substeps = positiveInteger(fn, 'substeps', options.substeps ?? 100);
  const field = doubleSpringPendulumField(options);
  let initialStates: Matrix;
  if ((options.count === undefined) === (options.initialStates === undefined)) {
    throw new InvalidArgumentError(`${fn}: give exactly one of 'count' and 'initialStates'; received ${options.count === undefined ? 'neither' : 'both'}`);
  }
  if (options.initialStates !== undefined) {
    const given = options.initialStates;
    initialStates = given instanceof Matrix ? given.clone() : Matrix.from(given);
    if (initialStates.cols !== DIM || initialStates.rows === 0) {
      throw new ShapeMismatchError(errorMessage(fn, 'initialStates', { expected: 'a non-empty [count, 12] matrix of states (q₁, q₂, p₁, p₂)', received: given }));
    }
  } else {
    const count = positiveInteger(fn, 'count', options.count);
    const sq = options.displacement ?? 0.5;
    const sp = options.momentum ?? 0.5;
    for (const [arg, v] of [['displacement', sq], ['momentum', sp]] as const) {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new InvalidArgumentError(errorMessage(fn, arg, { expected: 'a finite number ≥ 0', received: v }));
    }
    const rng = createRng(options.seed ?? 0);
    const eq = doubleSpringPendulumEquilibrium(options);
    initialStates = new Matrix(count, DIM);
    for (let t = 0; t < count; t++) {
      for (let i = 0; i < DIM; i++) initialStates.data[t * DIM + i] = eq[i]! + (i < 6 ? sq : sp) * rng.normal();
    }
  }
  const trajectories: Matrix[] = [];
  for (let t = 0; t < initialStates.rows; t++) {
    const fine = integrate(field, initialStates.data.subarray(t * DIM, (t + 1) * DIM), { dt: dt / substeps, steps: steps * substeps });
    const coarse = new Matrix(steps + 1, DIM);
    for (let k = 0; k <= steps; k++) coarse.data.set(fine.data.subarray(k * substeps * DIM, (k * substeps + 1) * DIM), k * DIM);
    trajectories.push(coarse);
  }
  return { initialStates, trajectories };
}
