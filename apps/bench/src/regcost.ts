/**
 * Cost of `symmetryRegularizer` in a real training script (issue 14): tensorflow/tfjs-examples'
 * abalone-node (8 → dense 50 → dense 50 → dense 1, MSE) on the wasm backend, on an abalone-shaped
 * data set generated in code (no downloads; `regcost/abalone.ts`).
 *  1. step time (`model.trainOnBatch`) with γ‖D_W‖_* on the first kernel (candidate 'gl-input',
 *     gl(8) on the 8 features, 64 generators) vs the same model without it, at batch 32 and 256,
 *     interleaved in one process; also the float64 path used before (`regcost/reference.ts`);
 *  2. the 1-homogeneity effect: the plain penalty vs `normalize: 'weights'` over a training on a
 *     target with a known symmetry, the symmetry ratio and the kernel norm per epoch.
 * Prints a table and writes results/regcost.json.
 *
 *   npm run bench:regcost -w apps/bench [-- --quick]
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { symmetryRegularizer } from '@liesym/tfjs';
import { abalone, abaloneModel } from './regcost/abalone.js';
import { homogeneityRun } from './regcost/homogeneity.js';
import { Float64Regularizer } from './regcost/reference.js';
import { compare } from './tfjs/timing.js';

const quick = process.argv.includes('--quick');
const WEIGHT = 0.01;

/** The model as tfjs-examples writes it (sigmoid, SGD 0.01), and as the issue describes its port (relu, Adam 0.01). */
const VARIANTS = {
  'tfjs-examples (sigmoid, SGD 0.01)': { activation: 'sigmoid', optimizer: () => tf.train.sgd(0.01) },
  'issue (relu, Adam 0.01)': { activation: 'relu', optimizer: () => tf.train.adam(0.01) },
} as const;

/** The homogeneity runs: no penalty, the plain nuclear norm and the normalized one, each at two weights. */
const HOMOGENEITY = [
  {},
  { weight: 1e-3 },
  { weight: 1e-2 },
  { weight: 1e-2, normalize: 'weights' as const },
  { weight: 1e-1, normalize: 'weights' as const },
];

async function stepTimes(variant: keyof typeof VARIANTS, batch: number, how: 'trainOnBatch' | 'fit' = 'trainOnBatch') {
  const data = abalone();
  const x = tf.tensor2d(data.x.subarray(0, batch * 8), [batch, 8]);
  const y = tf.tensor2d(data.y.subarray(0, batch), [batch, 1]);
  const v = VARIANTS[variant];
  const plain = abaloneModel(v);
  const reg = abaloneModel({ ...v, kernelRegularizer: symmetryRegularizer({ candidate: 'gl-input', weight: WEIGHT }) });
  const ref = abaloneModel({ ...v, kernelRegularizer: new Float64Regularizer('gl-input', WEIGHT) });
  // the floor of any kernelRegularizer: tfjs-layers' own L2 on the same kernel
  const l2 = abaloneModel({ ...v, kernelRegularizer: tf.regularizers.l2({ l2: WEIGHT }) });
  const step = (m: tf.LayersModel) => async () => {
    if (how === 'fit') await m.fit(x, y, { batchSize: batch, epochs: 1, verbose: 0 });
    else await m.trainOnBatch(x, y);
  };
  const opts = quick ? { rounds: 7, steps: 10 } : { rounds: 31, steps: 10 };
  const regularized = await compare(step(reg), step(plain), opts);
  const before = await compare(step(ref), step(plain), opts);
  const l2Floor = await compare(step(l2), step(plain), opts);
  for (const t of [x, y]) t.dispose();
  for (const m of [plain, reg, ref, l2]) m.dispose();
  return { variant: how === 'fit' ? `${variant}, model.fit of one batch` : variant, batch, regularized, before, l2: l2Floor };
}

async function main(): Promise<void> {
  await tf.setBackend('wasm');
  await tf.ready();
  const t0 = performance.now();
  const load1 = loadavg()[0]!;
  const timing = [];
  for (const variant of Object.keys(VARIANTS) as Array<keyof typeof VARIANTS>) {
    for (const batch of [32, 256]) timing.push(await stepTimes(variant, batch));
  }
  // model.fit adds a fixed cost per call (callbacks, history): the 9 ms steps were of this kind
  for (const batch of [32, 256]) timing.push(await stepTimes('issue (relu, Adam 0.01)', batch, 'fit'));
  const loadAfterTiming = loadavg()[0]!;
  const fmt = (v: number) => v.toFixed(2);
  console.log(`symmetryRegularizer cost, abalone-node on ${tf.getBackend()}, γ = ${WEIGHT}, candidate 'gl-input' on the 8→50 kernel; load ${fmt(load1)} → ${fmt(loadAfterTiming)}`);
  console.log(['model', 'batch', 'plain ms', 'regularized ms', 'ratio', 'float64 path (before) ms', 'ratio', 'l2 ratio', 'target'].join(' | '));
  for (const t of timing) {
    const target = t.batch === 32 ? 1.3 : 1.1;
    console.log([t.variant, t.batch, fmt(t.regularized.bMs), fmt(t.regularized.aMs), fmt(t.regularized.ratio), fmt(t.before.aMs), fmt(t.before.ratio), fmt(t.l2.ratio), `≤ ${target}`].join(' | '));
  }
  const epochs = quick ? 20 : 60;
  const every = quick ? 5 : 10;
  const homogeneity = [];
  for (const run of HOMOGENEITY) {
    const r = await homogeneityRun({ ...run, epochs, every });
    homogeneity.push(r);
    const last = r.trace[r.trace.length - 1]!;
    console.log(`homogeneity: ${r.normalize} γ = ${r.weight}: test rel. MSE ${r.testRelMse.toFixed(4)}, ‖W‖_F ${r.trace[0]!.kernelNorm.toFixed(2)} → ${last.kernelNorm.toFixed(3)}, symmetry ratio ${r.trace[0]!.symmetryRatio.toFixed(3)} → ${last.symmetryRatio.toFixed(4)}, σ(W)/‖W‖_F ${JSON.stringify(last.sigmaRelative)}`);
  }
  const out = {
    backend: tf.getBackend(),
    tfjs: tf.version.tfjs,
    date: new Date().toISOString(),
    quick,
    load1,
    loadAfterTiming,
    weight: WEIGHT,
    candidate: "'gl-input' (gl(8) on the 8 inputs, 64 generators)",
    timing: timing.map((t) => ({ ...t, target: t.batch === 32 ? 1.3 : 1.1, met: t.regularized.ratio <= (t.batch === 32 ? 1.3 : 1.1) })),
    homogeneity,
    loadAfter: loadavg()[0],
    totalSeconds: (performance.now() - t0) / 1000,
  };
  const file = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'results', 'regcost.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(out, null, 2)}\n`);
  console.log(`wrote ${file}`);
}

await main();
