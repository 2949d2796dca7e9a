import { describe, expect, it } from 'vitest';
import { npyBytes, synthesizeClips, tone, wavBytes } from '../src/real/audio.js';

/** |DFT| at integer bin k (a direct sum: the clips are short enough). */
function dftMagnitude(x: Float64Array, k: number): number {
  let re = 0;
  let im = 0;
  for (let t = 0; t < x.length; t++) {
    re += x[t]! * Math.cos((2 * Math.PI * k * t) / x.length);
    im -= x[t]! * Math.sin((2 * Math.PI * k * t) / x.length);
  }
  return Math.hypot(re, im);
}

const rms = (x: Float64Array): number => Math.sqrt(x.reduce((a, v) => a + v * v, 0) / x.length);

describe('synthetic audio (bench:real inputs)', () => {
  it('a 440 Hz tone of amplitude 0.5 has RMS 0.5/√2 and its DFT peak at 440 Hz with height A·n/2', () => {
    const x = tone({ frequency: 440, amplitude: 0.5, length: 1600, sampleRate: 16000 });
    expect(rms(x)).toBeCloseTo(0.5 / Math.SQRT2, 10);
    // 1600 samples at 16 kHz: bin k is 10·k Hz, so 440 Hz is bin 44.
    expect(dftMagnitude(x, 44)).toBeCloseTo((0.5 * 1600) / 2, 6);
    expect(dftMagnitude(x, 43)).toBeLessThan(1e-6);
    expect(dftMagnitude(x, 45)).toBeLessThan(1e-6);
  });

  it('cycles the four kinds, is deterministic in the seed and stays within ±0.5', () => {
    const a = synthesizeClips({ count: 8, length: 8000, seed: 2 });
    const b = synthesizeClips({ count: 8, length: 8000, seed: 2 });
    expect(a.map((c) => c.kind)).toEqual(['tone', 'chirp', 'noise-burst', 'speech-like', 'tone', 'chirp', 'noise-burst', 'speech-like']);
    expect(a[3]!.samples).toEqual(b[3]!.samples);
    for (const c of a) expect(Math.max(...c.samples.map(Math.abs))).toBeLessThanOrEqual(0.5);
    // A tone's RMS is 0.4/√2 whatever its frequency (an integer number of periods is not needed at 8000 samples).
    expect(rms(a[0]!.samples)).toBeCloseTo(0.4 / Math.SQRT2, 2);
  });

  it('the tone clip peaks at its labelled frequency', () => {
    const [c] = synthesizeClips({ count: 1, length: 16000, seed: 5 });
    const f = Number(c!.label.split(' ')[0]);
    // 16000 samples at 16 kHz: bin k is k Hz.
    const peak = dftMagnitude(c!.samples, f);
    expect(peak).toBeCloseTo((0.4 * 16000) / 2, 0);
    expect(dftMagnitude(c!.samples, f + 3)).toBeLessThan(1e-3 * peak);
  });

  it('writes a 16-bit PCM WAV (44-byte header, sample values) and a float32 .npy with a 64-aligned header', () => {
    const clip = { kind: 'tone' as const, sampleRate: 16000, label: '', samples: Float64Array.from([0, 0.5, -1, 1]) };
    const w = wavBytes(clip);
    expect(w.length).toBe(44 + 8);
    expect(w.readUInt32LE(24)).toBe(16000);
    expect([0, 1, 2, 3].map((i) => w.readInt16LE(44 + 2 * i))).toEqual([0, 16384, -32767, 32767]);
    const n = npyBytes([1.5, -2, 3, 4, 5, 6], [2, 3]);
    const headerLength = n.readUInt16LE(8);
    expect((10 + headerLength) % 64).toBe(0);
    expect(n.toString('latin1', 10, 10 + headerLength)).toContain("'shape': (2, 3)");
    expect(n.readFloatLE(10 + headerLength)).toBe(1.5);
    expect(n.readFloatLE(10 + headerLength + 4)).toBe(-2);
  });
});
