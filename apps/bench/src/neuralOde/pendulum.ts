/**
 * The double spring pendulum neural ODE shared by `bench:node` (src/neuralOde.ts), `bench:promote`
 * and the demo's promote row: the data (core's doubleSpringPendulumTrajectories, centred), the
 * models (plain MLP, promoted MLP, equivariantMLP under O(2) with squared-norm or norm invariants), their training with
 * @liesym/tfjs's trainNeuralODE and what is measured afterwards (test and validation trajectory
 * MSE, the dimension discoverSymmetries finds inside so(3) on the four 3-vectors, its spectrum).
 */
import * as tf from '@tensorflow/tfjs';
import { Matrix, SO, Scalar, V, boxSampler, createRng, directSum, doubleSpringPendulumTrajectories, type Representation } from '@liesym/core';
import { discoverSymmetries, equivariantMLP, functionSymmetryPenalty, neuralODELoss, trainNeuralODE, type FunctionSymmetryPenalty } from '@liesym/tfjs';
import { DEFAULT_WIDTH, REWEIGHT_DELTA, REWEIGHT_WEIGHT, REWEIGHTED_MODELS } from './protocol.js';
import { onFourVectors, zAxisRep } from './zAxis.js';

/** rtol of the dimension decision inside so(3). */
export const DISCOVER_RTOL = 0.05;
/** γ of the unnormalized term in 'promoted': it keeps the normalized term from growing the two broken directions of so(3) instead of shrinking the third. */
export const FLATTEN_WEIGHT = 1e-3;
/** Unlabeled points per step of the promoted MLP's penalty. */
export const PENALTY_POINTS = 64;
/** Time between observations. */
const DT = 0.2;

/**
 * 'enforced' is equivariantMLP under O(2) with squared-norm invariants (`squaredNorms`);
 * 'enforced-norm' the same with the norms ‖·‖ themselves (the enforced model until session 13:
 * the cone of ‖v‖ at v = 0 sits where the data are, planar displacements near the hanging
 * equilibrium). '…-flatten' is that network trained with the promoted MLP's small unnormalized
 * term FLATTEN_WEIGHT·‖D_f‖_* over so(3) on the same unlabeled box points: on an O(2)-equivariant
 * field it only sees the two broken directions (rotations about x and y), a soft prior toward
 * a flatter field off the data, which the plain-trained enforced network does not get.
 */
export type ModelKind = 'plain' | 'promoted-paper' | 'promoted' | 'promoted-reweight' | 'promoted-nr' | 'enforced' | 'enforced-flatten' | 'enforced-norm' | 'enforced-norm-flatten';

/** The kinds trained as equivariantMLP (the others are the plain MLP). */
const ENFORCED: ReadonlySet<ModelKind> = new Set(['enforced', 'enforced-flatten', 'enforced-norm', 'enforced-norm-flatten']);

/** States centred at the hanging equilibrium's height (z = −3, −5): a shift along z keeps the rotations about z. */
const centre = (ms: Matrix[]): Matrix[] => ms.map((M) => new Matrix(M.rows, 12, M.data.map((v, i) => v + (i % 12 === 2 ? 3 : i % 12 === 5 ? 5 : 0))));
export const statesOf = (ms: readonly Matrix[]): number[][] => ms.flatMap((M) => Array.from({ length: M.rows }, (_, k) => Array.from(M.data.subarray(12 * k, 12 * k + 12))));
/** so(3) rotating the four 3-vectors (q₁, q₂, p₁, p₂) at once, on inputs and outputs (the tangent lift). */
const candidate = SO(3).lieAlgebra.map((E) => [onFourVectors(E), onFourVectors(E)] as const);

const rotationZ = new Matrix(12, 12, Float64Array.from(onFourVectors(new Matrix(3, 3, Float64Array.of(0, -1, 0, 1, 0, 0, 0, 0, 0))).flat()));
/** |⟨a, b⟩_F| / (‖a‖_F·‖b‖_F). */
function alignment(a: Matrix, b: Matrix): number {
  let [ab, aa, bb] = [0, 0, 0];
  a.data.forEach((v, i) => {
    ab += v * b.data[i]!;
    aa += v * v;
    bb += b.data[i]! ** 2;
  });
  return Math.abs(ab) / Math.sqrt(aa * bb);
}

/** The data of one training size and seed: training trajectories (seed `n + 1000·seed`; seed 0 keeps the first runs' draw) and the shared validation and test sets. */
export interface PendulumData {
  train: Matrix[];
  validation: Matrix[];
  test: Matrix[];
  seed: number;
}

/** Test (seed 1000) and validation (seed 2000) trajectories, centred. */
export function heldOut(o: { test: number; validation: number }): { test: Matrix[]; validation: Matrix[] } {
  return {
    test: centre(doubleSpringPendulumTrajectories({ count: o.test, seed: 1000 }).trajectories),
    validation: centre(doubleSpringPendulumTrajectories({ count: o.validation, seed: 2000 }).trajectories),
  };
}

/** Training trajectories of size n for a seed, centred. */
export function trainingTrajectories(n: number, seed: number): Matrix[] {
  return centre(doubleSpringPendulumTrajectories({ count: n, seed: n + 1000 * seed }).trajectories);
}

/** 12 → width → width → 12, tanh, Glorot-normal initialization seeded by `seed`, `seed + 1`, `seed + 2`. */
function mlp(seed: number, width: number): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: width, inputShape: [12], activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({ seed }) }),
      tf.layers.dense({ units: width, activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }) }),
      tf.layers.dense({ units: 12, kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 2 }) }),
    ],
  });
}

const G = zAxisRep.group!;
/** width/2 V ⊕ width/2 Scalar of O(2): `width` channels, as the MLP's `width` units. */
const hiddenOf = (width: number): Representation => directSum(...Array.from({ length: width / 2 }, () => V(G)), ...Array.from({ length: width / 2 }, () => Scalar));

/** equivariantMLP with repIn = repOut = 4 × (V ⊕ Scalar) of O(2), hidden width/2 V ⊕ width/2 Scalar (32 V ⊕ 32 Scalar at 64), depth 2, tanh; squared-norm invariants unless 'enforced-norm…'. */
function enforcedMLP(model: ModelKind, seed: number, width: number): tf.Sequential {
  return equivariantMLP({ repIn: zAxisRep, repOut: zAxisRep, hidden: hiddenOf(width), activation: 'tanh', seed, squaredNorms: !model.startsWith('enforced-norm') });
}

/** `points` points per call, uniform in the bounding box of the states widened by `margin` (core's boxSampler), seeded. */
function penaltySampler(states: number[][], o: { seed: number; margin: number; points: number }): () => number[][] {
  const { seed, margin, points } = o;
  const draw = boxSampler(states, { margin });
  const rng = createRng(seed);
  return () => Array.from({ length: points }, () => Array.from(draw(rng)));
}

function penaltiesFor(net: tf.LayersModel, model: ModelKind, o: { states: number[][]; weight: number | null; seed: number; margin: number; points: number; reweight: number; reweightWeight: number }): FunctionSymmetryPenalty[] {
  if (model === 'promoted-paper') return [functionSymmetryPenalty(net, { samples: o.states, candidate, weight: o.weight ?? 1e-4 })];
  const sampler = penaltySampler(o.states, { seed: 7 + o.seed, margin: o.margin, points: o.points });
  if (model === 'enforced-flatten' || model === 'enforced-norm-flatten') return [functionSymmetryPenalty(net, { sampler, candidate, weight: FLATTEN_WEIGHT })];
  if (model === 'promoted-reweight') return [functionSymmetryPenalty(net, { sampler, candidate, weight: o.weight!, reweight: o.reweight })];
  if (model !== 'promoted' && model !== 'promoted-nr') return [];
  // the normalized term, and beside it 'promoted''s small plain nuclear norm or 'promoted-nr''s reweighted one
  return [
    functionSymmetryPenalty(net, { sampler, candidate, weight: o.weight!, normalize: 'frobenius' }),
    functionSymmetryPenalty(net, model === 'promoted' ? { sampler, candidate, weight: FLATTEN_WEIGHT } : { sampler, candidate, weight: o.reweightWeight, reweight: o.reweight }),
  ];
}

/** Options of {@link trainPendulum}. */
export interface TrainPendulumOptions {
  /** γ of the penalty ('promoted', 'promoted-nr': of the normalized term; 'promoted-reweight': of the reweighted one; 'promoted-paper': default 1e-4); null for plain, enforced and enforced-flatten. */
  weight: number | null;
  /** Full-batch Adam epochs. */
  epochs: number;
  /** Adam's learning rate (default 3e-3). */
  learningRate?: number;
  /** Hidden width: units of the plain and promoted MLPs, channels (width/2 V, width/2 Scalar) of the enforced network; an even integer (default 64). */
  width?: number;
  /**
   * Epoch selection on the validation trajectories: every `selectEvery` epochs (and after the
   * last) the validation MSE is measured and the weights of the least one are kept (default: off,
   * the weights after the last epoch).
   */
  selectEvery?: number;
  /** States the dimension is decided on (default: the test trajectories' states). */
  discoverOn?: number[][];
  /** How far the penalty's box of unlabeled points reaches beyond the training states' bounding box, as a fraction of its width on each side (default 0). */
  penaltyMargin?: number;
  /** Unlabeled points per step of the penalty (default PENALTY_POINTS). */
  penaltyPoints?: number;
  /** δ of 'promoted-reweight' and 'promoted-nr' (default REWEIGHT_DELTA). */
  reweight?: number;
  /** γ of the reweighted term of 'promoted-nr' (default REWEIGHT_WEIGHT). */
  reweightWeight?: number;
}

/** What {@link trainPendulum} measured. */
export interface PendulumResult {
  parameters: number;
  testError: number;
  validationError: number;
  discoveredDimension: number;
  singularValues: number[];
  /** The absolute threshold of the dimension decision. */
  threshold: number;
  /** δ of the reweighted term ('promoted-reweight', 'promoted-nr'), else undefined. */
  reweight?: number;
  /** γ of promoted-nr's reweighted term, else undefined. */
  reweightWeight?: number;
  /** With dimension 1: |cos| of the angle between the discovered generator and the rotation about z (1 = the true symmetry), else null. */
  zAlignment: number | null;
  /** The epoch (1-based) whose weights were kept: `epochs` without selection. */
  selectedEpoch: number;
  /** Per epoch, the training trajectory MSE. */
  trainCurve: number[];
  /** [epoch (1-based), validation MSE] at each check of the epoch selection (empty without it). */
  validationCurve: Array<[number, number]>;
  seconds: number;
}

/** Trains one model of the given kind on `data` and measures it; the network is seeded by the data's seed (3 + 10·seed). */
export async function trainPendulum(model: ModelKind, data: PendulumData, o: TrainPendulumOptions): Promise<PendulumResult> {
  const netSeed = 3 + 10 * data.seed;
  const width = o.width ?? DEFAULT_WIDTH;
  if (!Number.isInteger(width) || width < 2 || width % 2 !== 0) throw new Error(`trainPendulum: 'width' must be an even integer ≥ 2; received ${JSON.stringify(o.width)}`);
  const margin = o.penaltyMargin ?? 0;
  if (typeof margin !== 'number' || !(margin >= 0 && Number.isFinite(margin))) throw new Error(`trainPendulum: 'penaltyMargin' must be a finite number ≥ 0; received ${String(o.penaltyMargin)}`);
  const points = o.penaltyPoints ?? PENALTY_POINTS;
  if (!Number.isInteger(points) || points < 1 || points > 1e5) throw new Error(`trainPendulum: 'penaltyPoints' must be an integer in [1, 100000]; received ${String(o.penaltyPoints)}`);
  const net = ENFORCED.has(model) ? enforcedMLP(model, netSeed, width) : mlp(netSeed, width);
  net.predict(tf.zeros([1, 12]));
  const states = statesOf(data.train);
  const [reweight, reweightWeight] = [o.reweight ?? REWEIGHT_DELTA, o.reweightWeight ?? REWEIGHT_WEIGHT];
  const penalties = penaltiesFor(net, model, { states, weight: o.weight, seed: data.seed, margin, points, reweight, reweightWeight });
  const loss = (t: Matrix[]) => tf.tidy(() => neuralODELoss(net, t, { dt: DT }).dataSync()[0]!);
  const validationCurve: Array<[number, number]> = [];
  let best: { epoch: number; error: number; weights: tf.Tensor[] } | undefined;
  const check = (epoch: number) => {
    const error = loss(data.validation);
    validationCurve.push([epoch, error]);
    if (best === undefined || error < best.error) {
      best?.weights.forEach((w) => w.dispose());
      best = { epoch, error, weights: net.getWeights().map((w) => w.clone()) };
    }
  };
  const every = o.selectEvery;
  const t0 = performance.now();
  const history = await trainNeuralODE(net, data.train, {
    dt: DT,
    epochs: o.epochs,
    learningRate: o.learningRate ?? 3e-3,
    ...(penalties.length ? { penalty: penalties } : {}),
    ...(every !== undefined ? {
          onEpochEnd: (e: number) => {
            if ((e + 1) % every === 0 || e + 1 === o.epochs) check(e + 1);
          },
        } : {}),
  });
  const seconds = (performance.now() - t0) / 1000;
  if (best !== undefined) {
    net.setWeights(best.weights);
    best.weights.forEach((w) => w.dispose());
  }
  const [testError, validationError] = [loss(data.test), loss(data.validation)];
  const found = discoverSymmetries(net, o.discoverOn ?? statesOf(data.test), { candidate, rtol: DISCOVER_RTOL });
  penalties.forEach((p) => p.dispose());
  const parameters = net.countParams();
  net.dispose();
  return {
    parameters,
    testError,
    validationError,
    discoveredDimension: found.dimension,
    singularValues: Array.from(found.singularValues),
    threshold: found.threshold,
    ...(REWEIGHTED_MODELS.has(model) ? { reweight } : {}),
    ...(model === 'promoted-nr' ? { reweightWeight } : {}),
    zAlignment: found.dimension === 1 ? alignment(found.generators[0]![0], rotationZ) : null,
    selectedEpoch: best?.epoch ?? o.epochs,
    trainCurve: history.trajectoryLoss,
    validationCurve,
    seconds,
  };
}
