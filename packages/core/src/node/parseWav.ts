/**
 * A RIFF/WAVE reader: PCM 8/16/24/32-bit integers and 32/64-bit IEEE floats (also inside
 * WAVE_FORMAT_EXTENSIBLE), channels averaged to mono, integers scaled to [−1, 1].
 */
import { InputFileError } from '../errors.js';

/** A decoded WAV file: mono samples in [−1, 1] and what they were. */
export interface WavAudio {
  samples: Float64Array;
  sampleRate: number;
  channels: number;
  /** e.g. 'PCM 16-bit' or 'float 32-bit'. */
  format: string;
}

/**
 * Parses the bytes of a `.wav` file. Several channels are averaged into one (mono).
 * Integer PCM is divided by 2^(bits−1) (8-bit, which is unsigned, after subtracting 128).
 * @throws InputFileError for a file that is not RIFF/WAVE, lacks a fmt or data chunk, or has
 *   an unsupported encoding (compressed formats, other bit depths)
 */
export function parseWav(bytes: Uint8Array, file: string, fn: string): WavAudio {
  const bad = (what: string): InputFileError => new InputFileError(`${fn}: '${file}' must be a WAV file (RIFF/WAVE, PCM or IEEE float); ${what}`);
  const text = (o: number): string => String.fromCharCode(...bytes.subarray(o, o + 4));
  if (bytes.length < 12 || text(0) !== 'RIFF' || text(8) !== 'WAVE') throw bad('the RIFF/WAVE header is missing');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let fmt: { code: number; channels: number; rate: number; bits: number } | undefined;
  let data: { offset: number; size: number } | undefined;
  for (let o = 12; o + 8 <= bytes.length; ) {
    const id = text(o);
    const size = view.getUint32(o + 4, true);
    if (id === 'fmt ') {
      if (size < 16) throw bad(`the fmt chunk must have at least 16 bytes; received ${size}`);
      let code = view.getUint16(o + 8, true);
      if (code === 0xfffe && size >= 26) code = view.getUint16(o + 32, true);
      fmt = { code, channels: view.getUint16(o + 10, true), rate: view.getUint32(o + 12, true), bits: view.getUint16(o + 22, true) };
    } else if (id === 'data') {
      // 0xFFFFFFFF is a streaming writer's 'unknown size': read to the end of the file. Otherwise a
      // data chunk longer than the file is a truncated file, refused rather than read short.
      if (size !== 0xffffffff && size > bytes.length - o - 8) throw bad(`the data chunk declares ${size} bytes but the file holds ${bytes.length - o - 8} after it (a truncated file)`);
      data = { offset: o + 8, size: Math.min(size, bytes.length - o - 8) };
    }
    o += 8 + size + (size % 2);
  }
  if (!fmt) throw bad('no fmt chunk');
  if (!data) throw bad('no data chunk');
  const { code, channels, bits } = fmt;
  if (channels < 1) throw bad(`the channel count must be at least 1; received ${channels}`);
  let read: (o: number) => number;
  if (code === 1 && bits === 8) read = (o) => (view.getUint8(o) - 128) / 128;
  else if (code === 1 && bits === 16) read = (o) => view.getInt16(o, true) / 32768;
  else if (code === 1 && bits === 24) read = (o) => ((view.getUint8(o + 2) << 24) | (view.getUint8(o + 1) << 16) | (view.getUint8(o) << 8)) / 2147483648;
  else if (code === 1 && bits === 32) read = (o) => view.getInt32(o, true) / 2147483648;
  else if (code === 3 && bits === 32) read = (o) => view.getFloat32(o, true);
  else if (code === 3 && bits === 64) read = (o) => view.getFloat64(o, true);
  else throw bad(`the encoding must be PCM 8/16/24/32-bit or IEEE float 32/64-bit; received format code ${code} with ${bits} bits`);
  const step = bits / 8;
  const frames = Math.floor(data.size / (step * channels));
  const samples = new Float64Array(frames);
  for (let t = 0; t < frames; t++) {
    let s = 0;
    for (let c = 0; c < channels; c++) s += read(data.offset + (t * channels + c) * step);
    samples[t] = s / channels;
  }
  return { samples, sampleRate: fmt.rate, channels, format: `${code === 1 ? 'PCM' : 'float'} ${bits}-bit` };
}
