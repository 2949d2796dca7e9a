/**
 * The paper's neural-ODE experiment, scaled down: an MLP vector field for the double spring
 * pendulum (core's doubleSpringPendulumTrajectories: 5 steps of 0.2, state R¹²) trained with
 * @liesym/tfjs's trainNeuralODE, plain or promoted by functionSymmetryPenalty over so(3)
 * rotating the four 3-vectors at once (the true symmetry: so(2), rotations about z). For each
 * training size it reports the test trajectory MSE, the symmetry dimension discoverSymmetries
 * finds inside so(3) with its spectrum, and the training time.
 *
 *   npm run bench:node -w apps/bench [-- --quick]
 *
 * Scaled down from the paper (n_traj up to 500, 500 validation trajectories, 10⁴ Adam steps at
 * 3e-4): n_traj ∈ {5, 10, 25}, 100 test trajectories, 300 full-batch epochs at 3e-3 (--quick:
 * 100 epochs, 50 test trajectories), one seed. Models: 'plain'; 'promoted-paper' (γ = 1e-4, the
 * plain nuclear norm on fixed sample points: the training states); 'promoted' (γ = 1e-2,
 * normalize 'frobenius', a fresh subset of 32 training states per step).
 * Writes results/neural-ode.json (or neural-ode-quick.json).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Matrix, SO, doubleSpringPendulumTrajectories } from '@liesym/core';
import { discoverSymmetries, functionSymmetryPenalty, neuralODELoss, trainNeuralODE, type FunctionSymmetryPenaltyOptions } from '@liesym/tfjs';
import { textTable } from './report/textTable.js';

const quick = process.argv.includes('--quick');
const epochs = quick ? 100 : 300;
const sizes = [5, 10, 25];
const DISCOVER_RTOL = 0.05;

/** States centred at the hanging equilibrium's height (z = −3, −5): a shift along z keeps the rotations about z. */
const centre = (ms: Matrix[]): Matrix[] => ms.map((M) => new Matrix(M.rows, 12, M.data.map((v, i) => v + (i % 12 === 2 ? 3 : i % 12 === 5 ? 5 : 0))));
const statesOf = (ms: Matrix[]): number[][] => ms.flatMap((M) => Array.from({ length: M.rows }, (_, k) => Array.from(M.data.subarray(12 * k, 12 * k + 12))));
/** I₄ ⊗ E: a 3 × 3 generator acting on each of the four 3-vectors. */
const onFourVectors = (E: Matrix): number[][] =>
  Array.from({ length: 12 }, (_, r) => Array.from({ length: 12 }, (_, c) => (Math.floor(r / 3) === Math.floor(c / 3) ? E.get(r % 3, c % 3) : 0)));
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

function mlp(seed: number): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 64, inputShape: [12], activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({ seed }) }),
      tf.layers.dense({ units: 64, activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }) }),
      tf.layers.dense({ units: 12, kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 2 }) }),
    ],
  });
}

type ModelKind = 'plain' | 'promoted-paper' | 'promoted';

interface Row {
  experiment: 'spring-pendulum';
  model: ModelKind;
  trainSize: number;
  epochs: number;
  testError: number;
  discoveredDimension: number;
  singularValues: number[];
  /** With dimension 1: |cos| of the angle between the discovered generator and the rotation about z (1 = the true symmetry), else null. */
  zAlignment: number | null;
  seconds: number;
}

async function run(model: ModelKind, train: Matrix[], test: Matrix[]): Promise<Row> {
  const net = mlp(3);
  const states = statesOf(train);
  const penaltyOptions: Record<Exclude<ModelKind, 'plain'>, FunctionSymmetryPenaltyOptions> = {
    'promoted-paper': { samples: states, candidate, weight: 1e-4 },
    promoted: { samples: states, batchSize: Math.min(32, states.length), seed: 1, candidate, weight: 1e-2, normalize: 'frobenius' },
  };
  const penalty = model === 'plain' ? undefined : functionSymmetryPenalty(net, penaltyOptions[model]);
  const t0 = performance.now();
  await trainNeuralODE(net, train, { dt: 0.2, epochs, learningRate: 3e-3, ...(penalty ? { penalty } : {}) });
  const seconds = (performance.now() - t0) / 1000;
  const testError = tf.tidy(() => neuralODELoss(net, test, { dt: 0.2 }).dataSync()[0]!);
  const found = discoverSymmetries(net, statesOf(test), { candidate, rtol: DISCOVER_RTOL });
  penalty?.dispose();
  net.dispose();
  const zAlignment = found.dimension === 1 ? alignment(found.generators[0]![0], rotationZ) : null;
  return { experiment: 'spring-pendulum', model, trainSize: train.length, epochs, testError, discoveredDimension: found.dimension, singularValues: Array.from(found.singularValues), zAlignment, seconds };
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  const test = centre(doubleSpringPendulumTrajectories({ count: quick ? 50 : 100, seed: 1000 }).trajectories);
  const rows: Row[] = [];
  for (const n of sizes) {
    const train = centre(doubleSpringPendulumTrajectories({ count: n, seed: n }).trajectories);
    for (const model of ['plain', 'promoted-paper', 'promoted'] as const) {
      const row = await run(model, train, test);
      rows.push(row);
      console.log(`n_traj ${n} ${model}: test MSE ${row.testError.toExponential(3)}, dimension ${row.discoveredDimension}, ${row.seconds.toFixed(1)} s`);
    }
  }
  console.log(
    `\ndouble spring pendulum neural ODE (backend ${tf.getBackend()}, ${epochs} epochs, ${test.length} test trajectories; dimension inside so(3) at rtol ${DISCOVER_RTOL})`,
  );
  console.log(
    textTable(
      ['n_traj', 'model', 'test MSE', 'dimension', 'σ (ascending)', 'z-alignment', 's'],
      rows.map((r) => [
        String(r.trainSize),
        r.model,
        r.testError.toExponential(3),
        String(r.discoveredDimension),
        r.singularValues.map((s) => s.toExponential(2)).join(', '),
        r.zAlignment === null ? '—' : r.zAlignment.toFixed(4),
        r.seconds.toFixed(1),
      ]),
    ),
  );
  const out = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'results', quick ? 'neural-ode-quick.json' : 'neural-ode.json');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify({ quick, epochs, testTrajectories: test.length, discoverRtol: DISCOVER_RTOL, rows }, null, 2)}\n`);
  console.log(`wrote ${out}`);
}

await main();
