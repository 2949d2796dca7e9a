import {
  Field,
  Grid,
  burgersSolve,
  galileanBoostGenerator,
  gaussianSources,
  heatSolve,
  rotationGenerator,
  scalingGenerator,
  screenedPoisson,
  smoothPeriodicFields,
  translationGenerator,
  valueScalingGenerator,
  valueShiftGenerator,
  type FnoOptions,
  type OperatorGenerator,
  type OperatorPenaltyOptions,
} from '@liesym/operators';

/** One benchmark problem: data, the transformed test set, and what each model variant is. */
export interface Problem {
  name: string;
  grid: Grid;
  /** What the transformed test set is (for the table). */
  transform: string;
  solve: (u: Field) => Field;
  train: (count: number) => Field[];
  test: (count: number) => Field[];
  transformedTest: (count: number) => Field[];
  /** The enforced model's FNO options (symmetry and nonlinearity). */
  enforced: Partial<FnoOptions>;
  /** Generators the promoted model's penalty acts on. */
  promote: OperatorGenerator[];
  /** Candidate algebra for discovery. */
  candidate: OperatorGenerator[];
  /** Probe fields for discovery (default: the first test fields). */
  probes?: Field[];
  /** The promoted model's penalty: a pool of unlabeled fields and the penalty's options (default: two fixed probes, ‖D_N‖_*). */
  penalty?: PenaltySetup;
  /** The first issue-14 set-up ('promoted-narrow'): the narrow pool alone on the bench's common schedule. */
  narrowPenalty?: PenaltySetup;
}

/** A promoted model's penalty set-up. */
interface PenaltySetup {
  /** Unlabeled fields the penalty draws its `batchSize` fields from at every step. */
  pool: Field[];
  options: Omit<OperatorPenaltyOptions, 'candidate' | 'weight' | 'seed'>;
  /**
   * The promoted run's own schedule (default: the bench's common one): `steps` × the common number of Adam
   * steps, and the final learning rate lr / `decay` instead of the common lr / 3.
   */
  schedule?: { steps: number; decay: number };
}

const grid2 = new Grid({ size: [32, 32] });
const grid1 = new Grid({ size: [64] });

// Training sources are wave packets (round envelopes, σ ∈ [0.5, 0.7], centres within 0.6 of
// the centre, a carrier of wavenumber 4 along y): their spectra sit near k = (0, ±4), so a
// model must reach rotated packets (carrier along other directions) through symmetry.
const packets = (seed: number, angle: readonly [number, number]) => (count: number): Field[] =>
  gaussianSources(grid2, { count, seed, blobs: 2, radius: 0.6, width: [0.55, 0.75], carrier: 4, angle });

/** Smooth round probe fields for discovery (any inputs will do; smooth ones keep ℒ_ξ u accurate). */
const probes2 = gaussianSources(grid2, { count: 4, seed: 99, blobs: 2, radius: 0.5, width: [0.4, 0.6] });

/**
 * Half of the promoted models' penalty pool (all of it in 'promoted-narrow'): 256 narrow round blobs (σ ∈ [0.25, 0.35], resolved on 32×32). Their spectra
 * reach every retained mode |k| ≤ 6 in every direction, so the penalty constrains the modes the y-oriented
 * training packets leave free (the wider discovery probes reach |k| ≈ 2–3 only).
 */
const roundProbes = gaussianSources(grid2, { count: 256, seed: 98, blobs: 2, radius: 0.5, width: [0.25, 0.35] });

/**
 * Unlabeled smooth round fields drawn like discovery's probes (σ ∈ [0.4, 0.6]; another seed, none of them a probe).
 * Every field's rows in D_N grow with its gradient, so in a pool of narrow blobs alone the low modes |k| ≲ 3,
 * where discovery (and most inputs) live, carry little of the penalty.
 */
const smoothProbes = gaussianSources(grid2, { count: 128, seed: 97, blobs: 2, radius: 0.5, width: [0.4, 0.6] });

/** The penalty's pool: narrow and smooth fields alternating (256). */
const mixedProbes = roundProbes.slice(0, 128).flatMap((u, i) => [u, smoothProbes[i]!]);

function poisson(name: string, K: [[number, number], [number, number]]): Problem {
  return {
    name,
    grid: grid2,
    transform: 'sources rotated by 75°–105°',
    solve: (f) => screenedPoisson(f, { kappa: 4, K }),
    train: packets(1, [0, 0]),
    test: packets(2, [0, 0]),
    transformedTest: packets(3, [(5 * Math.PI) / 12, (7 * Math.PI) / 12]),
    enforced: { symmetry: 'so2' },
    promote: [rotationGenerator(), scalingGenerator()],
    candidate: [translationGenerator(0), translationGenerator(1), rotationGenerator(), scalingGenerator()],
    probes: probes2,
    penalty: { pool: mixedProbes, options: { batchSize: 4, reweight: 0.1, step: 1e-3 }, schedule: { steps: 3, decay: 30 } },
    narrowPenalty: { pool: roundProbes, options: { batchSize: 4, reweight: 0.1, step: 1e-3 } },
  };
}

const T = 0.5;

export const problems: Problem[] = [
  poisson('poisson-isotropic', [[1, 0], [0, 1]]),
  poisson('poisson-anisotropic', [[1, 0], [0, 4]]),
  {
    name: 'burgers',
    grid: grid1,
    transform: 'Galilean boost u₀ + c, c ∈ [0.5, 1]',
    solve: (u) => burgersSolve(u, { nu: 0.1, time: T, steps: 100 }),
    train: (count) => smoothPeriodicFields(grid1, { count, seed: 11, maxMode: 3, amplitude: 0.6 }),
    test: (count) => smoothPeriodicFields(grid1, { count, seed: 12, maxMode: 3, amplitude: 0.6 }),
    transformedTest: (count) => smoothPeriodicFields(grid1, { count, seed: 12, maxMode: 3, amplitude: 0.6 }).map((u, i) => u.axpy(0.5 + (0.5 * i) / count, new Field(grid1, 1, new Float64Array(64).fill(1)))),
    // x ↦ −x, u ↦ −u: odd network (tanh, no biases) with reflection-symmetric spectral weights.
    enforced: { symmetry: 'reflection', useBias: false, activation: 'tanh' },
    promote: [galileanBoostGenerator({ time: T })],
    candidate: [translationGenerator(0, { dims: 1 }), galileanBoostGenerator({ time: T }), valueScalingGenerator(), scalingGenerator({ dims: 1 })],
  },
  {
    name: 'heat',
    grid: grid1,
    transform: 'value shift u₀ + c, c ∈ [0.5, 1]',
    solve: (u) => heatSolve(u, { nu: 0.1, time: 1 }),
    train: (count) => smoothPeriodicFields(grid1, { count, seed: 21, maxMode: 5 }),
    test: (count) => smoothPeriodicFields(grid1, { count, seed: 22, maxMode: 5 }),
    transformedTest: (count) => smoothPeriodicFields(grid1, { count, seed: 22, maxMode: 5 }).map((u, i) => u.axpy(0.5 + (0.5 * i) / count, new Field(grid1, 1, new Float64Array(64).fill(1)))),
    enforced: { symmetry: 'reflection' },
    promote: [valueShiftGenerator(), valueScalingGenerator()],
    candidate: [translationGenerator(0, { dims: 1 }), valueScalingGenerator(), valueShiftGenerator(), scalingGenerator({ dims: 1 })],
  },
];
