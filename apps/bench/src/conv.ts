/**
 * Benchmark of @liesym/tfjs's image layers on the cpu backend (tfjs-backend-wasm cannot train conv2d: no Conv2DBackpropFilter kernel; one run, all in one process):
 *  1. synthetic glyphs (10 procedurally drawn classes, no downloads) under random rotations:
 *     plain CNN vs C4 / D4 group CNN vs plain CNN + convSymmetryRegularizer (promote), at
 *     100 / 500 / 2,000 training images, test accuracy on 500 rotated test glyphs (21×21);
 *  2. the invariance error of each trained model under 90° rotations of the test glyphs;
 *  3. a training step of a C4 group convolution vs a plain conv2d with the same output channels.
 * Prints a table and writes results/conv.json.
 *
 *   npm run bench:conv -w apps/bench [-- --quick | --full]   (--full adds 2,000 training images: ~10 more minutes)
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, type Rng } from '@liesym/core';
import { convSymmetryRegularizer, groupConv2d, groupPooling } from '@liesym/tfjs';
import { compare } from './tfjs/timing.js';

const quick = process.argv.includes('--quick');
const N = 21;

/** The 10 glyphs as polylines in [−1, 1]² (none is a rotation or mirror image of another). */
const GLYPHS: number[][][][] = [
  [[[-0.5, 0.7], [-0.5, -0.6], [0.4, -0.6]]], // L
  [[[-0.6, 0.6], [0.6, 0.6]], [[0, 0.6], [0, -0.7]]], // T
  [[[-0.4, -0.7], [-0.4, 0.7], [0.5, 0.7]], [[-0.4, 0.1], [0.3, 0.1]]], // F
  [[[-0.6, 0.6], [0.6, 0.6], [-0.6, -0.6], [0.6, -0.6]]], // Z
  [[[-0.7, 0], [0.7, 0]], [[0, 0.7], [0, -0.7]]], // +
  [[[-0.6, -0.5], [0, 0.6], [0.6, -0.5], [-0.6, -0.5]]], // triangle
  [[[-0.6, 0], [0.6, 0]], [[0.2, 0.4], [0.6, 0], [0.2, -0.4]]], // arrow
  [[[-0.5, 0.6], [-0.5, -0.6]], [[0.5, 0.6], [0.5, -0.6]], [[-0.5, 0], [0.5, 0]]], // H
  [[[-0.6, -0.6], [-0.6, 0.6], [0.6, 0.6], [0.6, -0.6], [-0.6, -0.6]]], // square
  [[[-0.6, 0.6], [0, -0.6], [0.6, 0.6]]], // V
];

/** One glyph of class c, turned by a random angle, with jittered scale, offset and stroke width, rasterized with a smooth stroke. */
function draw(c: number, rng: Rng, options: { angle?: number }): Float32Array {
  const angle = options.angle ?? rng.uniform() * 2 * Math.PI;
  const scale = 0.75 + 0.15 * rng.uniform();
  const [ox, oy] = [0.08 * rng.normal(), 0.08 * rng.normal()];
  const width = 0.09 + 0.03 * rng.uniform();
  const [cs, sn] = [Math.cos(angle), Math.sin(angle)];
  const segs: Array<[number, number, number, number]> = [];
  for (const line of GLYPHS[c]!) {
    const pts = line.map(([x, y]) => [scale * (cs * x! - sn * y!) + ox, scale * (sn * x! + cs * y!) + oy] as const);
    for (let i = 0; i + 1 < pts.length; i++) segs.push([pts[i]![0], pts[i]![1], pts[i + 1]![0], pts[i + 1]![1]]);
  }
  const img = new Float32Array(N * N);
  const h = 2 / (N - 1);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) {
      const [px, py] = [-1 + j * h, 1 - i * h];
      let d = Infinity;
      for (const [ax, ay, bx, by] of segs) {
        const [vx, vy] = [bx - ax, by - ay];
        const t = Math.max(0, Math.min(1, ((px - ax) * vx + (py - ay) * vy) / (vx * vx + vy * vy)));
        d = Math.min(d, Math.hypot(px - ax - t * vx, py - ay - t * vy));
      }
      img[i * N + j] = Math.exp(-((d / width) ** 2));
    }
  }
  return img;
}

function dataset(count: number, seed: number): { x: tf.Tensor4D; y: tf.Tensor2D; labels: number[] } {
  const rng = createRng(seed);
  const labels = Array.from({ length: count }, (_, i) => i % 10);
  const data = new Float32Array(count * N * N);
  labels.forEach((c, i) => data.set(draw(c, rng, {}), i * N * N));
  return { x: tf.tensor4d(data, [count, N, N, 1]), y: tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat() as tf.Tensor2D, labels };
}

type Kind = 'plain' | 'C4' | 'D4' | 'promoted';

function model(kind: Kind, seed: number): tf.Sequential {
  const head = [tf.layers.globalMaxPooling2d({}), tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 9 }) })];
  if (kind === 'C4' || kind === 'D4') {
    const f = kind === 'C4' ? [2, 4] : [1, 2];
    return tf.sequential({
      layers: [
        groupConv2d({ group: kind, filters: f[0]!, kernelSize: 5, inputShape: [N, N, 1], seed }),
        tf.layers.reLU(),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        groupConv2d({ group: kind, filters: f[1]!, kernelSize: 3, input: 'group', seed: seed + 1 }),
        tf.layers.reLU(),
        groupPooling({ group: kind }),
        ...head,
      ],
    });
  }
  const reg = kind === 'promoted' ? { kernelRegularizer: convSymmetryRegularizer({ weight: 0.003 }) } : {};
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 8, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [N, N, 1], kernelInitializer: tf.initializers.heNormal({ seed }), ...reg }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: tf.initializers.heNormal({ seed: seed + 1 }), ...reg }),
      ...head,
    ],
  });
}

function accuracy(m: tf.LayersModel, test: { x: tf.Tensor4D; labels: number[] }): number {
  const pred = tf.tidy(() => (m.predict(test.x) as tf.Tensor).argMax(-1).dataSync());
  return Array.from(pred).reduce((s: number, p: number, i: number) => s + (p === test.labels[i] ? 1 : 0), 0) / test.labels.length;
}

/** Relative change ‖F(gx) − F(x)‖/‖F(x)‖ of the class probabilities when the test images are turned by 90° (an exact pixel permutation). */
function invariance(m: tf.LayersModel, x: tf.Tensor4D): number {
  return tf.tidy(() => {
    const a = m.predict(x) as tf.Tensor;
    const b = m.predict(tf.reverse(tf.transpose(x, [0, 2, 1, 3]), 1)) as tf.Tensor;
    return tf.norm(tf.sub(a, b)).dataSync()[0]! / tf.norm(a).dataSync()[0]!;
  });
}

async function stepTiming() {
  const batch = 32;
  const x = tf.randomNormal([batch, N, N, 32], 0, 1, 'float32', 1) as tf.Tensor4D;
  const y = tf.randomNormal([batch, N, N, 32], 0, 1, 'float32', 2) as tf.Tensor4D;
  const make = (layer: tf.layers.Layer) => {
    const m = tf.sequential({ layers: [layer] });
    const opt = tf.train.sgd(1e-3);
    return () => {
      tf.tidy(() => {
        opt.minimize(() => tf.losses.meanSquaredError(y, m.apply(x) as tf.Tensor) as tf.Scalar);
      });
    };
  };
  const group = make(groupConv2d({ group: 'C4', filters: 8, kernelSize: 3, input: 'group', inputShape: [N, N, 32], seed: 1 }));
  const plain = make(tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', inputShape: [N, N, 32] }));
  const r = await compare(group, plain, { warmup: 3, rounds: quick ? 3 : 7, steps: 5 });
  return { batch, image: N, channelsIn: 32, channelsOut: 32, groupMs: r.aMs, plainMs: r.bMs, ratio: r.ratio };
}

async function main(): Promise<void> {
  // tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel, so convolutions cannot train on wasm: the cpu backend
  await tf.setBackend('cpu');
  await tf.ready();
  const load = loadavg()[0]!;
  const sizes = process.argv.includes('--full') ? [100, 500, 2000] : [100, 500];
  const epochsFor = (n: number) => (quick ? 3 : ({ 100: 15, 500: 4, 2000: 2 } as Record<number, number>)[n]!);
  const test = dataset(quick ? 200 : 500, 99);
  const rows: Array<{ train: number; kind: Kind; accuracy: number; epochs: number; invariance90: number; seconds: number }> = [];
  for (const n of sizes) {
    const train = dataset(n, 7 + n);
    for (const kind of ['plain', 'C4', 'D4', 'promoted'] as const) {
      const m = model(kind, 3);
      m.compile({ optimizer: tf.train.adam(3e-3), loss: 'categoricalCrossentropy' });
      const t0 = performance.now();
      const epochs = epochsFor(n);
      await m.fit(train.x, train.y, { epochs, batchSize: 32, shuffle: true, verbose: 0 });
      const row = { train: n, kind, accuracy: accuracy(m, test), epochs, invariance90: invariance(m, test.x), seconds: (performance.now() - t0) / 1000 };
      rows.push(row);
      console.log(JSON.stringify(row));
      m.dispose();
    }
    tf.dispose([train.x, train.y]);
  }
  const timing = await stepTiming();
  console.log(JSON.stringify(timing));
  const out = { backend: 'cpu', load1: load, loadAfter: loadavg()[0], image: N, rows, timing };
  const here = dirname(fileURLToPath(import.meta.url));
  const path = resolve(here, '..', 'results', quick ? 'conv-quick.json' : 'conv.json');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(out, null, 2)}\n`);
  console.table(rows.map((r) => ({ ...r, accuracy: r.accuracy.toFixed(3), invariance90: r.invariance90.toExponential(2), seconds: r.seconds.toFixed(1) })));
}

await main();
