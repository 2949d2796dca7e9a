/**
 * The paper's neural-ODE experiment, scaled down: an MLP vector field for the double spring
 * pendulum (core's doubleSpringPendulumTrajectories: 5 steps of 0.2, state R¹²) trained with
 * @liesym/tfjs's trainNeuralODE, plain, promoted by functionSymmetryPenalty over so(3) rotating
 * the four 3-vectors at once, or enforced (equivariantMLP under O(2) acting on x, y; the true
 * symmetry: so(2), rotations about z). For each training size and seed it reports the test
 * trajectory MSE, the symmetry dimension discoverSymmetries finds inside so(3) with its
 * spectrum, and the training time. Data, models and training: src/neuralOde/pendulum.ts.
 *
 *   npm run bench:node -w apps/bench [-- --quick] [-- --sizes 5,10,25,50] [-- --seeds 3] [-- --first-seed 0] [-- --append]
 *     [-- --epochs 900] [-- --select-every 10 | --last-epoch] [-- --learning-rate 1e-2] [-- --models plain,enforced] [-- --width 64] [-- --penalty-margin 0] [-- --out FILE]
 *
 * Scaled down from the paper (n_traj up to 500, 500 validation trajectories, 10⁴ Adam steps at
 * 3e-4): n_traj ∈ {5, 10, 25, 50}, seeds 0, 1, 2 (each its own training draw and network
 * initialization), 100 test and 50 validation trajectories. The protocol, the same for every
 * model: 900 full-batch epochs of Adam at 1e-2; every 10 epochs the validation MSE is measured
 * and the weights of the epoch with the least are kept (rows record `epochSelection:
 * 'validation'`, `selectedEpoch` and `learningRate`). Rows recorded before (300 epochs at 3e-3,
 * the last epoch's weights) keep their own protocol and are labelled so. --quick: n_traj 5 and
 * 25, one seed, 100 epochs, 50 test and 25 validation trajectories, one γ. `--epochs`,
 * `--select-every K` / `--last-epoch` and `--learning-rate` change the protocol for every model
 * alike; `--models` runs only some of the models; `--width W` (even; default 64) sets every
 * model's hidden width (rows record `width` when it is not 64); `--penalty-margin M` (≥ 0; default
 * 0) widens the box of unlabeled penalty points of 'promoted…' and '…-flatten' by M times its width
 * on each side (their rows record `penaltyMargin`). Models:
 * - 'plain': 12 → 64 → 64 → 12, tanh.
 * - 'promoted-paper': the plain MLP + γ‖D_f‖_* at γ = 1e-4 on fixed points (the training states).
 * - 'promoted': the plain MLP + γ‖D_f‖_*∕‖D_f‖_F + 1e-3·‖D_f‖_* on 64 points drawn fresh at
 *   every step, uniform in the bounding box of the training states (unlabeled); one row per γ
 *   of a grid, each with its validation MSE; the bench and the README pick γ per seed on the
 *   validation trajectories (never on the test set).
 * - 'promoted-reweight': the plain MLP + γ·Σ wᵢσᵢ(D_f) alone, the reweighted nuclear norm
 *   (functionSymmetryPenalty's `reweight: 0.1`: wᵢ = 0.1σ_max / (0.1σ_max + σᵢ), held fixed), on
 *   fresh box points drawn the same way; γ on the same grid, chosen the same way.
 * - 'promoted-nr': 'promoted' with its 1e-3·‖D_f‖_* replaced by 0.1·Σ wᵢσᵢ (the same reweighted
 *   norm): γ‖D_f‖_*∕‖D_f‖_F (γ on the grid) + 0.1·Σ wᵢσᵢ, each term on its own 64 fresh box
 *   points per step (as the two terms of 'promoted').
 * - 'enforced': equivariantMLP with repIn = repOut = 4 × (V ⊕ Scalar) of O(2) (V the (x, y)
 *   plane, Scalar z: the coordinates' own order), hidden 32 V ⊕ 32 Scalar, depth 2, tanh, its
 *   norm layers on squared norms (`squaredNorms: true`: smooth at v = 0, where the planar parts
 *   of the data are small).
 * - 'enforced-norm': the same with the norms ‖v‖ (the enforced model until session 13).
 * - 'enforced-flatten': the same network trained with the promoted MLP's 1e-3·‖D_f‖_* on the
 *   same unlabeled box points (on an O(2)-equivariant field it sees only the broken rotations
 *   about x and y); 'enforced-norm-flatten' the same on 'enforced-norm'.
 * Writes results/neural-ode.json (or neural-ode-quick.json; `--out FILE` for another path).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DISCOVER_RTOL, FLATTEN_WEIGHT, PENALTY_POINTS, heldOut, trainPendulum, trainingTrajectories, type ModelKind, type PendulumData } from './neuralOde/pendulum.js';
import { BOX_MODELS, DEFAULT_WIDTH, GRIDDED_MODELS, bestByValidation, protocolFrom, protocolOf, type Protocol } from './neuralOde/protocol.js';
import { textTable } from './report/textTable.js';

const quick = process.argv.includes('--quick');
/** The table's protocol, for every model: epochs, the epoch of least validation MSE, Adam's learning rate. */
const BASE: Protocol & { selectEvery: number; penaltyMargin: number } = { epochs: quick ? 100 : 900, epochSelection: 'validation', selectEvery: 10, learningRate: 1e-2, penaltyMargin: 0 };
const MODELS: readonly ModelKind[] = ['plain', 'promoted-paper', 'promoted', 'promoted-reweight', 'promoted-nr', 'enforced', 'enforced-flatten', 'enforced-norm', 'enforced-norm-flatten'];
/** The models a run trains without `--models`. */
const DEFAULT_MODELS: readonly ModelKind[] = ['plain', 'promoted-paper', 'promoted', 'enforced', 'enforced-flatten'];
/** γ of the normalized penalty in 'promoted' (of the reweighted one in 'promoted-reweight'), chosen per seed on the validation trajectories. */
const WEIGHTS = quick ? [3e-2] : [1e-2, 3e-2];

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function positive(name: string): number | undefined {
  const v = option(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`bench:node: '${name}' takes an integer ≥ 1; received ${JSON.stringify(v)}`);
  return n;
}

/** One row of results/neural-ode.json. */
export interface Row {
  experiment: 'spring-pendulum';
  model: ModelKind;
  trainSize: number;
  seed: number;
  /** γ of the (normalized, for 'promoted'; reweighted, for 'promoted-reweight') penalty; null without one. */
  weight: number | null;
  /** δ of 'promoted-reweight' and 'promoted-nr' (their rows only). */
  reweight?: number;
  /** γ of the reweighted term of 'promoted-nr' (its rows only). */
  reweightWeight?: number;
  epochs: number;
  /** 'validation': the weights of the epoch of least validation MSE (checked every `selectEvery` epochs); absent: the last epoch's. */
  epochSelection?: 'validation';
  /** Adam's learning rate (absent in rows recorded before it was: 3e-3). */
  learningRate?: number;
  /** Hidden width (units of the MLPs, channels of the enforced network) when it is not 64. */
  width?: number;
  /** The penalty box's margin (fraction of the training box's width added on each side); rows of BOX_MODELS only, absent there means 0. */
  penaltyMargin?: number;
  selectEvery?: number;
  /** The epoch (1-based) whose weights were measured. */
  selectedEpoch?: number;
  parameters: number;
  testError: number;
  validationError: number;
  discoveredDimension: number;
  singularValues: number[];
  /** The absolute threshold of the dimension decision. */
  threshold?: number;
  /** With dimension 1: |cos| of the angle between the discovered generator and the rotation about z (1 = the true symmetry), else null. */
  zAlignment: number | null;
  seconds: number;
}

/** Per gridded model, training size, seed and protocol, the row of least validation MSE. */
function chosenPromoted(rows: Row[]): Row[] {
  return bestByValidation(
    rows.filter((r) => GRIDDED_MODELS.has(r.model)),
    (r) => `${r.model}/${r.trainSize}/${r.seed}/${protocolOf(protocolFrom(r, BASE.epochs), BASE)}`,
  );
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  const sizes = (option('--sizes') ?? (quick ? '5,25' : '5,10,25,50')).split(',').map(Number);
  const seeds = Number(option('--seeds') ?? (quick ? '1' : '3'));
  const firstSeed = Number(option('--first-seed') ?? '0');
  if (!Number.isInteger(firstSeed) || firstSeed < 0) throw new Error(`bench:node: '--first-seed' takes an integer ≥ 0; received ${JSON.stringify(option('--first-seed'))}`);
  const epochs = positive('--epochs') ?? BASE.epochs;
  const selectEvery = process.argv.includes('--last-epoch') ? undefined : (positive('--select-every') ?? BASE.selectEvery);
  const learningRate = option('--learning-rate') === undefined ? BASE.learningRate! : Number(option('--learning-rate'));
  if (!(learningRate > 0 && Number.isFinite(learningRate))) throw new Error(`bench:node: '--learning-rate' takes a positive number; received ${JSON.stringify(option('--learning-rate'))}`);
  const width = positive('--width') ?? DEFAULT_WIDTH;
  if (width % 2 !== 0) throw new Error(`bench:node: '--width' takes an even integer; received ${width}`);
  const marginOption = option('--penalty-margin');
  const penaltyMargin = marginOption === undefined ? BASE.penaltyMargin : Number(marginOption);
  if (!(penaltyMargin >= 0 && Number.isFinite(penaltyMargin))) throw new Error(`bench:node: '--penalty-margin' takes a finite number ≥ 0; received ${JSON.stringify(marginOption)}`);
  const models = (option('--models') ?? DEFAULT_MODELS.join(',')).split(',') as ModelKind[];
  const unknown = models.filter((m) => !MODELS.includes(m));
  if (unknown.length) throw new Error(`bench:node: '--models' takes a list of ${MODELS.join(', ')}; received ${JSON.stringify(unknown.join(','))}`);
  const { test, validation } = heldOut({ test: quick ? 50 : 100, validation: quick ? 25 : 50 });
  // --out FILE writes elsewhere (bench:promote runs this script into results/promote-parts/)
  const out = option('--out') !== undefined ? resolve(option('--out')!) : resolve(dirname(fileURLToPath(import.meta.url)), '..', 'results', quick ? 'neural-ode-quick.json' : 'neural-ode.json');
  mkdirSync(dirname(out), { recursive: true });
  // --append adds this run's rows to the results file (e.g. a larger size: --sizes 100 --append)
  const rows: Row[] = process.argv.includes('--append') && existsSync(out) ? (JSON.parse(readFileSync(out, 'utf8')) as { rows: Row[] }).rows : [];
  // `epochs` is the table's protocol; rows trained otherwise carry their own epochs and epochSelection
  const save = () =>
    writeFileSync(
      out,
      `${JSON.stringify({ quick, epochs: BASE.epochs, epochSelection: BASE.epochSelection, selectEvery: BASE.selectEvery, learningRate: BASE.learningRate, penaltyMargin: BASE.penaltyMargin, testTrajectories: test.length, validationTrajectories: validation.length, discoverRtol: DISCOVER_RTOL, weights: WEIGHTS, flattenWeight: FLATTEN_WEIGHT, penaltyPoints: PENALTY_POINTS, rows }, null, 2)}\n`,
    );
  for (const n of sizes) {
    for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
      const data: PendulumData = { train: trainingTrajectories(n, seed), validation, test, seed };
      const runs = models.flatMap((m): Array<[ModelKind, number | null]> => (GRIDDED_MODELS.has(m) ? WEIGHTS.map((w): [ModelKind, number] => [m, w]) : [[m, m === 'promoted-paper' ? 1e-4 : null]]));
      for (const [model, weight] of runs) {
        const r = await trainPendulum(model, data, { weight, epochs, learningRate, width, penaltyMargin, ...(selectEvery !== undefined ? { selectEvery } : {}) });
        const row: Row = {
          experiment: 'spring-pendulum',
          model,
          trainSize: n,
          seed,
          weight,
          epochs,
          ...(selectEvery !== undefined ? { epochSelection: 'validation' as const, selectEvery, selectedEpoch: r.selectedEpoch } : {}),
          learningRate,
          ...(width !== DEFAULT_WIDTH ? { width } : {}),
          ...(BOX_MODELS.has(model) ? { penaltyMargin } : {}),
          ...(r.reweight !== undefined ? { reweight: r.reweight } : {}),
          ...(r.reweightWeight !== undefined ? { reweightWeight: r.reweightWeight } : {}),
          parameters: r.parameters,
          testError: r.testError,
          validationError: r.validationError,
          discoveredDimension: r.discoveredDimension,
          singularValues: r.singularValues,
          threshold: r.threshold,
          zAlignment: r.zAlignment,
          seconds: r.seconds,
        };
        rows.push(row);
        save();
        const sv = row.singularValues.map((s) => s.toExponential(2)).join(', ');
        const at = selectEvery !== undefined ? `, epoch ${r.selectedEpoch} of ${epochs}` : '';
        console.log(`n_traj ${n} seed ${seed} ${model}${weight === null ? '' : ` γ ${weight}`}: test MSE ${row.testError.toExponential(3)}, validation ${row.validationError.toExponential(3)}${at}, dimension ${row.discoveredDimension} (σ ${sv}; threshold ${r.threshold.toExponential(2)}), ${row.seconds.toFixed(1)} s`);
      }
    }
  }
  const chosen = new Set(chosenPromoted(rows));
  console.log(
    `\ndouble spring pendulum neural ODE (backend ${tf.getBackend()}, ${test.length} test / ${validation.length} validation trajectories; dimension inside so(3) at rtol ${DISCOVER_RTOL}; * = γ chosen on validation)`,
  );
  console.log(
    textTable(
      ['n_traj', 'seed', 'model', 'protocol', 'γ', 'params', 'test MSE', 'validation MSE', 'dimension', 'σ (ascending)', 'z-alignment', 's'],
      rows.map((r) => [
        String(r.trainSize),
        String(r.seed),
        `${r.model}${chosen.has(r) ? ' *' : ''}`,
        protocolOf(protocolFrom(r, BASE.epochs), BASE) || 'table',
        r.weight === null ? '—' : String(r.weight),
        String(r.parameters),
        r.testError.toExponential(3),
        r.validationError.toExponential(3),
        String(r.discoveredDimension),
        r.singularValues.map((s) => s.toExponential(2)).join(', '),
        r.zAlignment === null ? '—' : r.zAlignment.toFixed(4),
        r.seconds.toFixed(1),
      ]),
    ),
  );
  console.log(`wrote ${out}`);
}

await main();
