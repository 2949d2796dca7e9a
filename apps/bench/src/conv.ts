/**
 * Benchmark of @liesym/tfjs's image layers on the wasm backend (trained through
 * `registerWasmConvGradients`; one run, all in one process):
 *  1. a training step of a C4 group convolution vs a plain conv2d with the same output channels;
 *  2. synthetic glyphs (10 procedurally drawn classes, no downloads) under random rotations:
 *     plain CNN vs C4 / D4 group CNN vs SO(2)-steerable CNN vs plain CNN + convSymmetryRegularizer
 *     (promote on the kernels) vs plain CNN + functionSymmetryPenalty over group elements (promote on
 *     the function: γ‖[F(h·x) − F(x)]_h‖_* on training images, `--transforms`, default rotate90 and
 *     flip-horizontal), at 500 / 100 / 2,000 training images, test accuracy on 500 rotated test glyphs (21×21);
 *  3. the invariance error of each trained model under 90° rotations of the test glyphs.
 * Prints a table and writes results/conv.json after every trained model (a partial run keeps its rows).
 *
 *   npm run bench:conv -w apps/bench [-- --quick] [-- --sizes 500,100,2000] [-- --seeds 1] [-- --steps 600]
 *     [-- --kinds plain,C4,D4,steerable,promoted,promoted-function] [-- --weight 0.3 | --weights 0.003,0.03,0.3] [-- --append] [-- --no-timing]
 *     [-- --transforms rotate90,flip-horizontal]
 *     [-- --first-seed 3] [-- --out results/conv-part.json]
 * Seed s draws its own training set (seed 3 keeps the first runs' draw) and initialises the models;
 * every row also has its accuracy on 500 validation glyphs (their own draw), on which the promoted
 * CNN's γ is chosen in the README (the test set is never used to choose).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng, type Rng } from '@liesym/core';
import { convSymmetryRegularizer, functionSymmetryPenalty, groupConv2d, groupPooling, registerWasmConvGradients, steerableConv2d } from '@liesym/tfjs';
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

const KINDS = ['plain', 'C4', 'D4', 'steerable', 'promoted', 'promoted-function'] as const;
type Kind = (typeof KINDS)[number];

/**
 * The rotation invariants of SO(2) fields laid out as steerableConv2d's output (frequency blocks
 * in order; `scalars` frequency-0 channels first, then (cos, sin) pairs): ReLU of the scalars and
 * the norm √(c² + s² + ε) of each pair. A bench-only layer (not serialized).
 */
class FieldInvariants extends tf.layers.Layer {
  static readonly className = 'BenchFieldInvariants';
  constructor(private readonly scalars: number) {
    super({});
  }
  override computeOutputShape(s: tf.Shape): tf.Shape {
    const c = s[3]!;
    return [s[0]!, s[1]!, s[2]!, this.scalars + (c - this.scalars) / 2];
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor4D;
      const [b, h, w, c] = x.shape;
      const scalars = tf.relu(x.slice([0, 0, 0, 0], [b, h, w, this.scalars]));
      const pairs = x.slice([0, 0, 0, this.scalars], [b, h, w, c - this.scalars]).reshape([b, h, w, (c - this.scalars) / 2, 2]);
      const norms = tf.sqrt(tf.add(tf.sum(tf.square(pairs), -1), 1e-6));
      return tf.concat([scalars, norms], -1);
    });
  }
}

/** 3×3 max-pool with stride 2: on the odd 21×21 grid its windows (0–2, 2–4, …, 18–20) are symmetric under the square's rotations and flips, unlike a 2×2 pool, which drops a row and a column. */
const pool = () => tf.layers.maxPooling2d({ poolSize: 3, strides: 2 });

function model(kind: Kind, seed: number, weight: number): tf.Sequential {
  const head = [tf.layers.globalMaxPooling2d({}), tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 9 }) })];
  if (kind === 'steerable') {
    // 4 fields of each frequency 0, 1, 2 (4 + 8 + 8 = 20 channels, 12 invariants), then 6 of each (30 channels, 18 invariants)
    return tf.sequential({
      layers: [
        steerableConv2d({ rotation: 'SO(2)', filters: 4, kernelSize: 5, maxFrequency: 2, inputShape: [N, N, 1], seed }),
        new FieldInvariants(4),
        pool(),
        steerableConv2d({ rotation: 'SO(2)', filters: 6, kernelSize: 5, maxFrequency: 2, seed: seed + 1 }),
        new FieldInvariants(6),
        ...head,
      ],
    });
  }
  if (kind === 'C4' || kind === 'D4') {
    // 16 invariant features into the head, as the plain CNN's 16 channels (equal channel counts, 16 = 4·|C4| = 2·|D4|, would leave it 4 or 2)
    const f = kind === 'C4' ? [4, 16] : [2, 16];
    return tf.sequential({
      layers: [
        groupConv2d({ group: kind, filters: f[0]!, kernelSize: 5, inputShape: [N, N, 1], seed }),
        tf.layers.reLU(),
        pool(),
        groupConv2d({ group: kind, filters: f[1]!, kernelSize: 3, input: 'group', seed: seed + 1 }),
        tf.layers.reLU(),
        groupPooling({ group: kind }),
        ...head,
      ],
    });
  }
  const reg = kind === 'promoted' ? { kernelRegularizer: convSymmetryRegularizer({ weight }) } : {};
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 8, kernelSize: 5, padding: 'same', activation: 'relu', inputShape: [N, N, 1], kernelInitializer: tf.initializers.heNormal({ seed }), ...reg }),
      pool(),
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
  // Same output channels (8 fields × |C4| = 32) and input (32 channels = 8 fields × 4)
  const group = make(groupConv2d({ group: 'C4', filters: 8, kernelSize: 3, input: 'group', inputShape: [N, N, 32], seed: 1 }));
  const plain = make(tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', inputShape: [N, N, 32] }));
  // tf.layers.conv2d runs tfjs's fused conv2d, whose gradient also computes dL/dx; the bare op with its bias is a second baseline
  const kernel = tf.variable(tf.randomNormal([3, 3, 32, 32], 0, 0.1, 'float32', 3));
  const bias = tf.variable(tf.zeros([32]));
  const opt = tf.train.sgd(1e-3);
  const bare = () => {
    tf.tidy(() => {
      opt.minimize(() => tf.losses.meanSquaredError(y, tf.add(tf.conv2d(x, kernel as tf.Tensor4D, 1, 'same'), bias)) as tf.Scalar, false, [kernel, bias]);
    });
  };
  const rounds = quick ? 3 : 7;
  const r = await compare(group, plain, { warmup: 3, rounds, steps: 5 });
  const rb = await compare(group, bare, { warmup: 3, rounds, steps: 5 });
  tf.dispose([x, y, kernel, bias]);
  return { batch, image: N, channelsIn: 32, channelsOut: 32, groupMs: r.aMs, plainMs: r.bMs, ratio: r.ratio, groupMsBare: rb.aMs, bareMs: rb.bMs, ratioBare: rb.ratio };
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  registerWasmConvGradients();
  await tf.setBackend('wasm');
  await tf.ready();
  const load = loadavg()[0]!;
  const sizes = (option('--sizes') ?? (quick ? '100' : '500,100')).split(',').map(Number);
  const seeds = Number(option('--seeds') ?? '1');
  // The same number of Adam steps at every size (batch 32; default 600), at least 16 epochs
  const steps = Number(option('--steps') ?? '600');
  const epochsFor = (n: number) => (quick ? 3 : Math.max(16, Math.round((steps * 32) / n)));
  const here = dirname(fileURLToPath(import.meta.url));
  const mainPath = resolve(here, '..', 'results', quick ? 'conv-quick.json' : 'conv.json');
  const path = option('--out') !== undefined ? resolve(option('--out')!) : mainPath;
  mkdirSync(dirname(path), { recursive: true });
  const previous = existsSync(mainPath) ? (JSON.parse(readFileSync(mainPath, 'utf8')) as { timing?: unknown }).timing : undefined;
  const timing = process.argv.includes('--no-timing') && previous !== undefined ? previous : await stepTiming();
  console.log(JSON.stringify(timing));
  const test = dataset(quick ? 200 : 500, 99);
  const validation = dataset(quick ? 200 : 500, 98);
  type Row = { train: number; kind: Kind; model: string; seed: number; accuracy: number; validation?: number; epochs: number; invariance90: number; seconds: number };
  // --append adds this run's rows to the results file (e.g. another weight γ of the promoted CNN: --kinds promoted --weight 0.03)
  const rows: Row[] = process.argv.includes('--append') && existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { rows: Row[] }).rows : [];
  const kinds = (option('--kinds')?.split(',') ?? KINDS) as Kind[];
  const weights = (option('--weights') ?? option('--weight') ?? '0.3').split(',').map(Number);
  const firstSeed = Number(option('--first-seed') ?? '3');
  const transforms = (option('--transforms') ?? 'rotate90,flip-horizontal').split(',');
  const save = () => writeFileSync(path, `${JSON.stringify({ backend: 'wasm', load1: load, loadAfter: loadavg()[0], image: N, testImages: test.labels.length, optimizer: 'adam 3e-3, batch 32', rows, timing }, null, 2)}\n`);
  for (const n of sizes) {
    for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
      // Seed 3 keeps the training set of the first runs; every other seed draws its own.
      const train = dataset(n, 7 + n + 1000 * (seed - 3));
      for (const kind of kinds) {
        for (const weight of kind.startsWith('promoted') ? weights : [0]) {
          const m = model(kind === 'promoted-function' ? 'plain' : kind, seed, weight);
          // the function-level penalty sees a fresh 32 of the training images (no labels needed) at every step
          const penalty = kind === 'promoted-function' ? functionSymmetryPenalty(m, { samples: train.x, batchSize: 32, seed, transforms, weight }) : undefined;
          penalty?.addTo(m);
          m.compile({ optimizer: tf.train.adam(3e-3), loss: 'categoricalCrossentropy' });
          const t0 = performance.now();
          const epochs = epochsFor(n);
          await m.fit(train.x, train.y, { epochs, batchSize: 32, shuffle: true, verbose: 0 });
          const seconds = (performance.now() - t0) / 1000;
          const label = kind === 'promoted' ? `promoted (γ = ${weight})` : kind === 'promoted-function' ? `promoted, function (γ = ${weight})` : kind;
          const row = { train: n, kind, model: label, seed, accuracy: accuracy(m, test), validation: accuracy(m, validation), epochs, invariance90: invariance(m, test.x), seconds };
          rows.push(row);
          console.log(JSON.stringify(row));
          save();
          penalty?.dispose();
          m.dispose();
        }
      }
      tf.dispose([train.x, train.y]);
    }
  }
  save();
  console.table(rows.map((r) => ({ ...r, accuracy: r.accuracy.toFixed(3), invariance90: r.invariance90.toExponential(2), seconds: r.seconds.toFixed(1) })));
}

await main();
