/**
 * Audio clips made in code for the audio models of bench:real (openWakeWord's melspectrogram,
 * embedding model and wake-word MLPs, Silero VAD): tones, linear chirps, noise bursts and a
 * "speech-like" signal (a harmonic buzz at a gliding pitch, amplitude-modulated at a syllable
 * rate of 3–6 Hz), at 16 kHz, peak ≤ 0.5. No files are read. Also the two file writers the CLI
 * reads: 16-bit PCM mono WAV and float32 little-endian .npy.
 */
import { createRng } from '@liesym/core';

/** The four kinds of synthetic clip. */
type ClipKind = 'tone' | 'chirp' | 'noise-burst' | 'speech-like';

/** One synthetic clip: float samples in [−1, 1] and what it is. */
export interface Clip {
  kind: ClipKind;
  /** Samples per second (16000 by default). */
  sampleRate: number;
  samples: Float64Array;
  /** A short human description (the tone's frequency, the chirp's range, …). */
  label: string;
}

/** Options of {@link synthesizeClips}. */
export interface SynthesizeOptions {
  /** Number of clips; the kinds cycle tone, chirp, noise-burst, speech-like. */
  count: number;
  /** Length of each clip in samples. */
  length: number;
  /** Seed of the random frequencies, rates and noise. */
  seed: number;
  /** Samples per second; default 16000. */
  sampleRate?: number;
}

const KINDS: readonly ClipKind[] = ['tone', 'chirp', 'noise-burst', 'speech-like'];

/**
 * A pure tone A·sin(2πft + φ), the building block of the other kinds.
 * @example tone({ frequency: 440, amplitude: 0.5, length: 16000, sampleRate: 16000 })
 */
export function tone(spec: { frequency: number; amplitude: number; length: number; sampleRate: number; phase?: number }): Float64Array {
  const out = new Float64Array(spec.length);
  const w = (2 * Math.PI * spec.frequency) / spec.sampleRate;
  for (let t = 0; t < spec.length; t++) out[t] = spec.amplitude * Math.sin(w * t + (spec.phase ?? 0));
  return out;
}

function chirp(spec: { f0: number; f1: number; length: number; sampleRate: number }): Float64Array {
  const out = new Float64Array(spec.length);
  const T = spec.length / spec.sampleRate;
  for (let t = 0; t < spec.length; t++) {
    const s = t / spec.sampleRate;
    out[t] = 0.4 * Math.sin(2 * Math.PI * (spec.f0 * s + ((spec.f1 - spec.f0) * s * s) / (2 * T)));
  }
  return out;
}

function noiseBursts(spec: { length: number; sampleRate: number; rng: () => number }): Float64Array {
  const out = new Float64Array(spec.length);
  const burst = Math.round(0.08 * spec.sampleRate);
  for (let start = Math.round(0.1 * spec.sampleRate); start + burst < spec.length; start += Math.round((0.25 + 0.2 * spec.rng()) * spec.sampleRate)) {
    for (let t = 0; t < burst; t++) out[start + t] = 0.45 * (2 * spec.rng() - 1) * Math.sin((Math.PI * t) / burst);
  }
  return out;
}

function speechLike(spec: { length: number; sampleRate: number; rng: () => number }): Float64Array {
  const out = new Float64Array(spec.length);
  const pitch = 100 + 120 * spec.rng();
  const glide = 0.2 * (spec.rng() - 0.5);
  const syllables = 3 + 3 * spec.rng();
  let phase = 0;
  for (let t = 0; t < spec.length; t++) {
    const s = t / spec.sampleRate;
    phase += (2 * Math.PI * pitch * (1 + glide * s)) / spec.sampleRate;
    let buzz = 0;
    // Harmonics falling as 1/k up to ~3.5 kHz: a crude glottal source.
    for (let k = 1; k * pitch < 3500; k++) buzz += Math.sin(k * phase) / k;
    const envelope = Math.max(0, Math.sin(Math.PI * syllables * s)) ** 2;
    out[t] = 0.12 * envelope * buzz;
  }
  return out;
}

/**
 * Deterministic synthetic clips, the kinds cycling tone (200–2000 Hz), chirp (a linear sweep over
 * 150 Hz–4 kHz), noise-burst (80 ms Hann-shaped white-noise bursts every 0.25–0.45 s) and
 * speech-like (harmonics of a 100–220 Hz pitch under a sin² envelope at 3–6 syllables/s).
 * @throws {Error} when count or length is not a positive integer.
 * @example synthesizeClips({ count: 8, length: 32000, seed: 0 })
 */
export function synthesizeClips(options: SynthesizeOptions): Clip[] {
  const { count, length, seed } = options;
  const sampleRate = options.sampleRate ?? 16000;
  if (!Number.isInteger(count) || count < 1 || !Number.isInteger(length) || length < 1) {
    throw new Error(`synthesizeClips: count and length must be positive integers; received count ${count}, length ${length}`);
  }
  const r = createRng(seed);
  const rng = (): number => r.uniform();
  const clips: Clip[] = [];
  for (let i = 0; i < count; i++) {
    const kind = KINDS[i % KINDS.length]!;
    if (kind === 'tone') {
      const frequency = Math.round(200 + 1800 * rng());
      clips.push({ kind, sampleRate, label: `${frequency} Hz`, samples: tone({ frequency, amplitude: 0.4, length, sampleRate }) });
    } else if (kind === 'chirp') {
      const f0 = Math.round(150 + 500 * rng());
      const f1 = Math.round(1500 + 2500 * rng());
      clips.push({ kind, sampleRate, label: `${f0}→${f1} Hz`, samples: chirp({ f0, f1, length, sampleRate }) });
    } else if (kind === 'noise-burst') {
      clips.push({ kind, sampleRate, label: 'white-noise bursts', samples: noiseBursts({ length, sampleRate, rng }) });
    } else {
      clips.push({ kind, sampleRate, label: 'AM harmonic buzz', samples: speechLike({ length, sampleRate, rng }) });
    }
  }
  return clips;
}

/** A 16-bit PCM mono WAV file of the clip (samples clipped to [−1, 1]). */
export function wavBytes(clip: Clip): Buffer {
  const n = clip.samples.length;
  const b = Buffer.alloc(44 + 2 * n);
  b.write('RIFF', 0, 'ascii');
  b.writeUInt32LE(36 + 2 * n, 4);
  b.write('WAVEfmt ', 8, 'ascii');
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20);
  b.writeUInt16LE(1, 22);
  b.writeUInt32LE(clip.sampleRate, 24);
  b.writeUInt32LE(2 * clip.sampleRate, 28);
  b.writeUInt16LE(2, 32);
  b.writeUInt16LE(16, 34);
  b.write('data', 36, 'ascii');
  b.writeUInt32LE(2 * n, 40);
  for (let t = 0; t < n; t++) b.writeInt16LE(Math.round(32767 * Math.max(-1, Math.min(1, clip.samples[t]!))), 44 + 2 * t);
  return b;
}

/** A version-1 .npy file, float32 little-endian, C order, of the given shape. */
export function npyBytes(data: ArrayLike<number>, shape: readonly number[]): Buffer {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(64 - ((10 + header.length + 1) % 64)) + '\n';
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head[6] = 1;
  head[7] = 0;
  head.writeUInt16LE(header.length, 8);
  const body = Buffer.from(Float32Array.from(data).buffer);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), body]);
}
