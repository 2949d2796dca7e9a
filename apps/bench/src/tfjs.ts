/**
 * Benchmark of @liesym/tfjs on the wasm backend (all ratios measured in one run):
 *  1. a training step of equivariantDense vs a plain dense layer of the same width;
 *  2. a training step of a dense layer with symmetryRegularizer vs without;
 *  3. sample efficiency on the two-particle potential (plain, equivariant, promoted).
 * Prints a table and writes results/tfjs.json.
 *
 *   npm run bench:tfjs -w apps/bench [-- --quick]
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { O, SO, Scalar, V, directSum, type Representation } from '@liesym/core';
import { discoverSymmetries, equivariantDense, equivariantMLP, functionSymmetryPenalty, symmetryRegularizer } from '@liesym/tfjs';
import { dataset } from './tfjs/potential.js';
import { compare } from './tfjs/timing.js';

const quick = process.argv.includes('--quick');
const copies = (r: Representation, k: number): Representation[] => Array.from({ length: k }, () => r);

async function stepTimes(batch: number) {
  const G = SO(3);
  const rep = directSum(...copies(V(G), 64), ...copies(Scalar, 64));
  const width = rep.dim;
  const x = tf.randomNormal([batch, width], 0, 1, 'float32', 1);
  const y = tf.randomNormal([batch, width], 0, 1, 'float32', 2);
  const make = (layer: tf.layers.Layer) => {
    const m = tf.sequential({ layers: [layer] });
    m.compile({ optimizer: tf.train.sgd(1e-3), loss: 'meanSquaredError' });
    return m;
  };
  const eq = make(equivariantDense({ repIn: rep, repOut: rep, inputShape: [width], seed: 1 }));
  const plain = make(tf.layers.dense({ units: width, inputShape: [width] }));
  const reg = make(
    tf.layers.dense({ units: width, inputShape: [width], kernelRegularizer: symmetryRegularizer({ repIn: rep, repOut: rep, weight: 1e-3 }) }),
  );
  const opts = quick ? { rounds: 3, steps: 5 } : { rounds: 9, steps: 10 };
  const step = (m: tf.LayersModel) => async () => {
    await m.trainOnBatch(x, y);
  };
  const enforce = await compare(step(eq), step(plain), opts);
  const promote = await compare(step(reg), step(plain), opts);
  for (const t of [x, y]) t.dispose();
  return { width, batch, coefficients: eq.countParams(), enforce, promote };
}

interface FitResult {
  testRelMse: number;
  ms: number;
}

async function fit(model: tf.LayersModel, train: { x: number[][]; y: number[][] }, test: { x: number[][]; y: number[][] }, epochs: number): Promise<FitResult> {
  const t0 = performance.now();
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
  const xt = tf.tensor2d(train.x);
  const yt = tf.tensor2d(train.y);
  await model.fit(xt, yt, { epochs, batchSize: train.x.length, verbose: 0 });
  // a second phase with a 10× smaller step settles the nonsmooth penalty
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'meanSquaredError' });
  await model.fit(xt, yt, { epochs: Math.round(epochs / 2), batchSize: train.x.length, verbose: 0 });
  const pred = (model.predict(tf.tensor2d(test.x)) as tf.Tensor).dataSync();
  const mean = test.y.reduce((s, [v]) => s + v!, 0) / test.y.length;
  let num = 0;
  let den = 0;
  test.y.forEach(([v], i) => {
    num += (pred[i]! - v!) ** 2;
    den += (v! - mean) ** 2;
  });
  xt.dispose();
  yt.dispose();
  return { testRelMse: num / den, ms: performance.now() - t0 };
}

function plainMLP(seed: number): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 64, inputShape: [3], activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({ seed }) }),
      tf.layers.dense({ units: 64, activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }) }),
      tf.layers.dense({ units: 1, kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 2 }) }),
    ],
  });
}

async function sampleEfficiency(nTrain: number) {
  const G = O(3);
  const train = dataset(nTrain, 11);
  const test = dataset(1000, 12);
  const epochs = quick ? 200 : 600;
  const plain = await fit(plainMLP(1), train, test, epochs);
  const eqModel = equivariantMLP({
    repIn: V(G),
    repOut: Scalar,
    hidden: directSum(...copies(V(G), 8), ...copies(Scalar, 8)),
    depth: 2,
    seed: 1,
  });
  const equivariant = await fit(eqModel, train, test, epochs);
  const promotedModel = plainMLP(1);
  // the penalty only needs inputs: unlabeled samples are free
  const penalty = functionSymmetryPenalty(promotedModel, { xs: dataset(64, 13).x, candidate: 'gl-input', weight: 0.2 });
  penalty.addTo(promotedModel);
  const promoted = await fit(promotedModel, train, test, epochs);
  const probe = dataset(64, 14).x;
  const rtol = 0.05;
  const found = discoverSymmetries(promotedModel, probe, { candidate: 'gl-input', rtol });
  const plainFound = discoverSymmetries(await reload(plainMLP(1), train, epochs), probe, { candidate: 'gl-input', rtol });
  const eqFound = discoverSymmetries(eqModel, probe, { candidate: 'gl-input', rtol });
  penalty.dispose();
  const asc = (s: Float64Array) => Array.from(s.slice(0, 9), (v) => Number((v / s[s.length - 1]!).toExponential(2)));
  return {
    nTrain,
    epochs,
    plain,
    equivariant,
    promoted,
    ratioEquivariantToPlain: equivariant.testRelMse / plain.testRelMse,
    ratioPromotedToPlain: promoted.testRelMse / plain.testRelMse,
    promotedSymmetryDimension: found.dimension,
    promotedSmallestRelativeSingularValues: asc(found.singularValues),
    plainSymmetryDimension: plainFound.dimension,
    equivariantSymmetryDimension: eqFound.dimension,
    equivariantSmallestRelativeSingularValues: asc(eqFound.singularValues),
    discoveryRtol: rtol,
    plainSmallestRelativeSingularValues: asc(plainFound.singularValues),
    expectedDimension: 3,
  };
}

async function reload(model: tf.LayersModel, train: { x: number[][]; y: number[][] }, epochs: number): Promise<tf.LayersModel> {
  await fit(model, train, dataset(10, 99), epochs);
  return model;
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  const t0 = performance.now();
  const steps = await stepTimes(256);
  const small = await stepTimes(32);
  const eff = await sampleEfficiency(32);
  const fmt = (v: number, d = 2) => v.toFixed(d);
  const rows = [
    ['equivariantDense vs dense (train step)', `${fmt(steps.enforce.aMs)} ms`, `${fmt(steps.enforce.bMs)} ms`, fmt(steps.enforce.ratio), '≤ 1.2'],
    ['dense + symmetryRegularizer vs dense', `${fmt(steps.promote.aMs)} ms`, `${fmt(steps.promote.bMs)} ms`, fmt(steps.promote.ratio), '≤ 1.5'],
    [`equivariantDense vs dense, batch ${small.batch}`, `${fmt(small.enforce.aMs)} ms`, `${fmt(small.enforce.bMs)} ms`, fmt(small.enforce.ratio), '(info)'],
    [`regularizer vs none, batch ${small.batch}`, `${fmt(small.promote.aMs)} ms`, `${fmt(small.promote.bMs)} ms`, fmt(small.promote.ratio), '(info)'],
    ['equivariant vs plain test rel. MSE', fmt(eff.equivariant.testRelMse, 4), fmt(eff.plain.testRelMse, 4), fmt(eff.ratioEquivariantToPlain, 3), '≤ 0.2'],
    ['promoted vs plain test rel. MSE', fmt(eff.promoted.testRelMse, 4), fmt(eff.plain.testRelMse, 4), fmt(eff.ratioPromotedToPlain, 3), '< 1'],
    ['symmetry dim. found (promoted / plain)', String(eff.promotedSymmetryDimension), String(eff.plainSymmetryDimension), '', '= 3 (so(3))'],
    ['symmetry dim. found (equivariant)', String(eff.equivariantSymmetryDimension), '', '', '= 3 (so(3))'],
  ];
  console.log(`@liesym/tfjs benchmark, backend ${tf.getBackend()}, width ${steps.width} (64 V ⊕ 64 Scalar of SO(3)), batch ${steps.batch}`);
  console.log(['case', 'value', 'baseline', 'ratio', 'target'].join(' | '));
  for (const r of rows) console.log(r.join(' | '));
  console.log(`σ/σ_max ascending (gl(3), 9 values): promoted ${JSON.stringify(eff.promotedSmallestRelativeSingularValues)}`);
  console.log(`  plain ${JSON.stringify(eff.plainSmallestRelativeSingularValues)}`);
  console.log(`  equivariant ${JSON.stringify(eff.equivariantSmallestRelativeSingularValues)}`);
  const out = {
    backend: tf.getBackend(),
    tfjs: tf.version.tfjs,
    date: new Date().toISOString(),
    quick,
    totalSeconds: (performance.now() - t0) / 1000,
    stepTime: steps,
    stepTimeSmallBatch: small,
    sampleEfficiency: eff,
    targets: { enforceRatio: 1.2, promoteRatio: 1.5, equivariantErrorRatio: 0.2 },
    met: {
      enforceRatio: steps.enforce.ratio <= 1.2,
      promoteRatio: steps.promote.ratio <= 1.5,
      equivariantErrorRatio: eff.ratioEquivariantToPlain <= 0.2,
      promotedBeatsPlain: eff.ratioPromotedToPlain < 1,
      promotedDimension: eff.promotedSymmetryDimension === 3,
    },
  };
  const file = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'results', 'tfjs.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`wrote ${file}`);
}

await main();
