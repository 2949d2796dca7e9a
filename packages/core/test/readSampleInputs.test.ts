import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { EmptyInputError, InputFileError, InvalidArgumentError, NonFiniteError, ShapeMismatchError } from '../src/index.js';
import { readSampleInputs } from '../src/node.js';

const scratch = (): string => mkdtempSync(join(tmpdir(), 'liesym-inputs-'));

/** A W×H RGBA image whose pixel (i, j) is rgba(i, j). */
function png(path: string, size: { width: number; height: number }, rgba: (i: number, j: number) => [number, number, number, number]): string {
  const img = new PNG({ width: size.width, height: size.height });
  for (let i = 0; i < size.height; i++) for (let j = 0; j < size.width; j++) img.data.set(rgba(i, j), 4 * (i * size.width + j));
  writeFileSync(path, PNG.sync.write(img));
  return path;
}

/** A .npy file (version 1) with the given dtype, shape and raw little-endian values. */
function npy(path: string, spec: { descr: string; shape: number[]; data: ArrayBufferView; fortran?: boolean }): string {
  let header = `{'descr': '${spec.descr}', 'fortran_order': ${spec.fortran ? 'True' : 'False'}, 'shape': (${spec.shape.join(', ')}${spec.shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const pre = new Uint8Array(10);
  pre.set([0x93, ...Buffer.from('NUMPY'), 1, 0]);
  new DataView(pre.buffer).setUint16(8, header.length, true);
  writeFileSync(path, Buffer.concat([pre, Buffer.from(header, 'latin1'), new Uint8Array(spec.data.buffer, spec.data.byteOffset, spec.data.byteLength)]));
  return path;
}

/** A WAV file: format code 1 (PCM) or 3 (float), with interleaved frames. */
function wav(path: string, spec: { code: 1 | 3; bits: number; channels: number; data: ArrayBufferView }): string {
  const body = new Uint8Array(spec.data.buffer, spec.data.byteOffset, spec.data.byteLength);
  const b = Buffer.alloc(44);
  b.write('RIFF', 0);
  b.writeUInt32LE(36 + body.length, 4);
  b.write('WAVEfmt ', 8);
  b.writeUInt32LE(16, 16);
  b.writeUInt16LE(spec.code, 20);
  b.writeUInt16LE(spec.channels, 22);
  b.writeUInt32LE(16000, 24);
  b.writeUInt32LE((16000 * spec.channels * spec.bits) / 8, 28);
  b.writeUInt16LE((spec.channels * spec.bits) / 8, 32);
  b.writeUInt16LE(spec.bits, 34);
  b.write('data', 36);
  b.writeUInt32LE(body.length, 40);
  writeFileSync(path, Buffer.concat([b, body]));
  return path;
}

describe('readSampleInputs: images', () => {
  const dir = scratch();
  const file = png(join(dir, 'a.png'), { width: 3, height: 2 }, (i, j) => [10 * j, 100 + i, 200, 128]);

  it('reads PNG pixels exactly: /255, then (p − mean)/std per channel, in rgb/bgr order and NCHW/NHWC layout', () => {
    const rgb = readSampleInputs(file, { channels: 'rgb', layout: 'NCHW', mean: [0.5, 0, 0], std: [0.5, 1, 2] });
    expect(rgb.sampleShape).toEqual([3, 2, 3]);
    expect(rgb.files).toEqual([file]);
    const x = rgb.samples.data;
    // R plane: (10j/255 − 0.5)/0.5 at (i, j); G: (100 + i)/255; B: 200/255/2.
    expect(x[1]).toBeCloseTo((10 / 255 - 0.5) / 0.5, 14);
    expect(x[6 + 3]).toBeCloseTo(101 / 255, 14);
    expect(x[12]).toBeCloseTo(200 / 255 / 2, 14);
    expect(rgb.description).toMatch(/1 samples of shape \[3, 2, 3\] from 1 files \(1 PNG\); images: rgb NCHW, at their own size, pixels\/255 then \(p − \[0.5, 0, 0\]\)\/\[0.5, 1, 2\], alpha dropped in 1/);
    const bgr = readSampleInputs(file, { channels: 'bgr', layout: 'NHWC' });
    expect(bgr.sampleShape).toEqual([2, 3, 3]);
    // pixel (1, 2) in NHWC: index (1·3 + 2)·3 + c; channel 0 is B, 2 is R.
    const o = (1 * 3 + 2) * 3;
    expect(Array.from(bgr.samples.data.subarray(o, o + 3))).toEqual([200 / 255, 101 / 255, 20 / 255]);
    const gray = readSampleInputs(file, { channels: 'gray' });
    expect(gray.sampleShape).toEqual([1, 2, 3]);
    expect(gray.samples.data[0]).toBeCloseTo((0.587 * 100 + 0.114 * 200) / 255, 14);
  });

  it('decodes JPEG (quality 100) within a few levels of the encoded pixels', () => {
    const [w, h] = [16, 8];
    const data = Buffer.alloc(w * h * 4);
    for (let k = 0; k < w * h; k++) data.set([40 + 8 * (k % w), 90, 160, 255], 4 * k);
    const f = join(dir, 'b.jpg');
    writeFileSync(f, jpeg.encode({ width: w, height: h, data }, 100).data);
    const r = readSampleInputs(f, { sampleShape: [3, h, w] });
    let worst = 0;
    for (let k = 0; k < w * h; k++) worst = Math.max(worst, Math.abs(r.samples.data[k]! * 255 - (40 + 8 * (k % w))), Math.abs(r.samples.data[w * h + k]! * 255 - 90));
    expect(worst).toBeLessThan(4);
    expect(r.description).toMatch(/1 JPEG/);
  });

  it('resizes bilinearly: a constant image stays constant, a linear ramp stays linear in the interior', () => {
    const c = png(join(dir, 'const.png'), { width: 7, height: 5 }, () => [51, 102, 153, 255]);
    const r = readSampleInputs(c, { imageSize: { width: 13, height: 9 } });
    expect(r.sampleShape).toEqual([3, 9, 13]);
    for (let k = 0; k < 9 * 13; k++) expect(r.samples.data[k]).toBeCloseTo(0.2, 14);
    expect(r.description).toMatch(/1 resized bilinearly to 13x9/);
    const ramp = png(join(dir, 'ramp.png'), { width: 8, height: 2 }, (_, j) => [20 * j, 0, 0, 255]);
    const s = readSampleInputs(ramp, { imageSize: { width: 16, height: 2 } }).samples.data;
    // Interior output columns 1..14 sample source x = (j + ½)/2 − ½ ∈ [0, 7]: values 20x/255, steps 10/255.
    for (let j = 1; j < 14; j++) expect(s[j + 1]! - s[j]!).toBeCloseTo(10 / 255, 12);
  });

  it('refuses an image of the wrong size, naming the file and both shapes and hinting at the image size', () => {
    expect(() => readSampleInputs(file, { sampleShape: [3, 48, 192] })).toThrow(ShapeMismatchError);
    expect(() => readSampleInputs(file, { sampleShape: [3, 48, 192] })).toThrow(/a\.png' must have the shape \[3, 48, 192\] \(the model's per-sample input\); received \[3, 2, 3\] \(resize images with imageSize \/ --image-size WxH/);
    expect(() => readSampleInputs(file, { mean: [1, 2] })).toThrow(InvalidArgumentError);
    expect(() => readSampleInputs(file, { std: 0 })).toThrow(/'std' must be one finite number > 0 or 3/);
    writeFileSync(join(dir, 'broken.png'), 'not a png');
    expect(() => readSampleInputs(join(dir, 'broken.png'))).toThrow(InputFileError);
  });
});

describe('readSampleInputs: arrays and audio', () => {
  const dir = scratch();

  it('reads .npy float32, float64 and uint8 with known bytes; [N, …shape] is N samples, a whole sampleShape one', () => {
    const f4 = npy(join(dir, 'f4.npy'), { descr: '<f4', shape: [2, 3], data: Float32Array.of(1.5, -2, 3, 4, 5, 0.25) });
    const a = readSampleInputs(f4);
    expect(a.samples.rows).toBe(2);
    expect(a.sampleShape).toEqual([3]);
    expect(Array.from(a.samples.data)).toEqual([1.5, -2, 3, 4, 5, 0.25]);
    expect(a.description).toMatch(/npy <f4/);
    const f8 = npy(join(dir, 'f8.npy'), { descr: '<f8', shape: [2, 2], data: Float64Array.of(0.1, 0.2, 0.3, 0.4) });
    const one = readSampleInputs(f8, { sampleShape: [2, 2] });
    expect(one.samples.rows).toBe(1);
    expect(Array.from(one.samples.data)).toEqual([0.1, 0.2, 0.3, 0.4]);
    expect(readSampleInputs(f8, { sampleShape: [2] }).samples.rows).toBe(2);
    const u1 = npy(join(dir, 'u1.npy'), { descr: '|u1', shape: [4], data: Uint8Array.of(0, 1, 128, 255) });
    expect(Array.from(readSampleInputs(u1).samples.data)).toEqual([0, 1, 128, 255]);
  });

  it('refuses Fortran-ordered, unsupported and non-finite .npy', () => {
    const f = npy(join(dir, 'fortran.npy'), { descr: '<f8', shape: [2, 2], data: new Float64Array(4), fortran: true });
    expect(() => readSampleInputs(f)).toThrow(InputFileError);
    expect(() => readSampleInputs(f)).toThrow(/fortran\.npy' must be a NumPy \.npy file; arrays must be in C order/);
    const c = npy(join(dir, 'complex.npy'), { descr: '<c16', shape: [1], data: new Float64Array(2) });
    expect(() => readSampleInputs(c)).toThrow(/dtype must be one of .*received '<c16'/);
    const nan = npy(join(dir, 'nan.npy'), { descr: '<f8', shape: [2], data: Float64Array.of(1, Number.NaN) });
    expect(() => readSampleInputs(nan)).toThrow(NonFiniteError);
  });

  it('reads JSON: a list of flat or nested samples, or one sample; refuses non-finite and ragged values', () => {
    const list = join(dir, 'list.json');
    writeFileSync(list, JSON.stringify([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]));
    const r = readSampleInputs(list);
    expect(r.sampleShape).toEqual([2, 2]);
    expect(r.samples.rows).toBe(2);
    expect(Array.from(r.samples.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(readSampleInputs(list, { sampleShape: [2, 2, 2] }).samples.rows).toBe(1);
    const flat = join(dir, 'flat.json');
    writeFileSync(flat, '[0.5, 1.5, 2.5]');
    expect(readSampleInputs(flat).sampleShape).toEqual([3]);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '[[1, 2], [3, 1e999]]');
    expect(() => readSampleInputs(bad)).toThrow(NonFiniteError);
    writeFileSync(bad, '[[1, 2], [3]]');
    expect(() => readSampleInputs(bad)).toThrow(ShapeMismatchError);
    writeFileSync(bad, '{"x": 1}');
    expect(() => readSampleInputs(bad)).toThrow(InputFileError);
  });

  it('reads WAV 8-bit (unsigned), 24-bit and 32-bit PCM and WAVE_FORMAT_EXTENSIBLE, and big-endian / version 2 .npy', () => {
    const u8 = wav(join(dir, 'u8.wav'), { code: 1, bits: 8, channels: 1, data: Uint8Array.of(0, 128, 192, 255) });
    expect(Array.from(readSampleInputs(u8, { sampleShape: [4] }).samples.data)).toEqual([-1, 0, 0.5, 127 / 128]);
    // 24-bit little-endian: −2²³, 2²², 2²³ − 1.
    const b24 = Uint8Array.of(0x00, 0x00, 0x80, 0x00, 0x00, 0x40, 0xff, 0xff, 0x7f);
    const w24 = wav(join(dir, 'w24.wav'), { code: 1, bits: 24, channels: 1, data: b24 });
    expect(Array.from(readSampleInputs(w24, { sampleShape: [3] }).samples.data)).toEqual([-1, 0.5, (2 ** 23 - 1) / 2 ** 23]);
    const w32 = wav(join(dir, 'w32.wav'), { code: 1, bits: 32, channels: 1, data: Int32Array.of(-(2 ** 31), 2 ** 30) });
    expect(Array.from(readSampleInputs(w32, { sampleShape: [2] }).samples.data)).toEqual([-1, 0.5]);
    // WAVE_FORMAT_EXTENSIBLE (0xFFFE) with a PCM subformat: a 40-byte fmt chunk.
    const body = Buffer.from(Int16Array.of(8192, -16384).buffer);
    const fmt = Buffer.alloc(48);
    fmt.write('fmt ', 0);
    fmt.writeUInt32LE(40, 4);
    fmt.writeUInt16LE(0xfffe, 8);
    fmt.writeUInt16LE(1, 10);
    fmt.writeUInt32LE(16000, 12);
    fmt.writeUInt32LE(32000, 16);
    fmt.writeUInt16LE(2, 20);
    fmt.writeUInt16LE(16, 22);
    fmt.writeUInt16LE(22, 24);
    fmt.writeUInt16LE(1, 32); // subformat GUID starts with the format code
    const head = Buffer.alloc(12);
    head.write('RIFF', 0);
    head.writeUInt32LE(4 + 48 + 8 + body.length, 4);
    head.write('WAVE', 8);
    const data = Buffer.alloc(8);
    data.write('data', 0);
    data.writeUInt32LE(body.length, 4);
    const ext = join(dir, 'ext.wav');
    writeFileSync(ext, Buffer.concat([head, fmt, data, body]));
    expect(Array.from(readSampleInputs(ext, { sampleShape: [2] }).samples.data)).toEqual([0.25, -0.5]);
    // Big-endian float64 .npy.
    const be = Buffer.alloc(16);
    be.writeDoubleBE(1.5, 0);
    be.writeDoubleBE(-2.25, 8);
    const big = npy(join(dir, 'be.npy'), { descr: '>f8', shape: [2], data: be });
    expect(Array.from(readSampleInputs(big, { sampleShape: [2] }).samples.data)).toEqual([1.5, -2.25]);
    // Version 2: a 4-byte header length.
    let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), }";
    header += ' '.repeat(63 - ((12 + header.length) % 64)) + '\n';
    const pre = Buffer.alloc(12);
    pre.set([0x93, ...Buffer.from('NUMPY'), 2, 0]);
    pre.writeUInt32LE(header.length, 8);
    const v2 = join(dir, 'v2.npy');
    writeFileSync(v2, Buffer.concat([pre, Buffer.from(header, 'latin1'), Buffer.from(Float32Array.of(0.5, 1, -4).buffer)]));
    expect(Array.from(readSampleInputs(v2, { sampleShape: [3] }).samples.data)).toEqual([0.5, 1, -4]);
  });

  it('reads WAV 16-bit PCM and float32, averages stereo to mono, crops to length and refuses shorter files', () => {
    const w16 = wav(join(dir, 'a.wav'), { code: 1, bits: 16, channels: 1, data: Int16Array.of(0, 16384, -32768, 32767, 100) });
    const r = readSampleInputs(w16, { sampleShape: [4] });
    expect(Array.from(r.samples.data)).toEqual([0, 0.5, -1, 32767 / 32768]);
    expect(r.description).toMatch(/audio: mono, scaled to \[−1, 1\], 16000 Hz, 1 cropped to the first 4 samples/);
    const f32 = wav(join(dir, 'b.wav'), { code: 3, bits: 32, channels: 2, data: Float32Array.of(0.5, -0.5, 0.25, 0.75, 1, 0) });
    const s = readSampleInputs(f32, { length: 3 });
    expect(Array.from(s.samples.data)).toEqual([0, 0.5, 0.5]);
    expect(s.description).toMatch(/2 channels averaged to mono/);
    expect(() => readSampleInputs(f32, { sampleShape: [1, 8] })).toThrow(/b\.wav' must have at least 8 audio samples .*received 3/);
    // A data chunk declaring more bytes than the file holds: refused as truncated, not read short.
    const full = readFileSync(w16);
    const cut = join(dir, 'cut.wav');
    writeFileSync(cut, full.subarray(0, full.length - 4));
    expect(() => readSampleInputs(cut, { sampleShape: [3] })).toThrow(/declares 10 bytes but the file holds 6 after it \(a truncated file\)/);
  });
});

describe('readSampleInputs: patterns and errors', () => {
  const dir = scratch();
  mkdirSync(join(dir, 'sub', 'deep'), { recursive: true });
  const row = (name: string, v: number): string => {
    writeFileSync(join(dir, name), JSON.stringify([v, v]));
    return join(dir, name);
  };
  const [b, a, c, d] = [row('b.json', 2), row('a.json', 1), row('sub/c.json', 3), row('sub/deep/d.json', 4)];
  writeFileSync(join(dir, '.hidden.json'), '[9, 9]');
  writeFileSync(join(dir, 'notes.txt'), 'x');

  it('a folder gives its supported files sorted (not recursive, no hidden files); globs with *, ? and **', () => {
    expect(readSampleInputs(dir).files).toEqual([a, b]);
    expect(Array.from(readSampleInputs(dir).samples.data)).toEqual([1, 1, 2, 2]);
    expect(readSampleInputs(`${dir}/?.json`).files).toEqual([a, b]);
    expect(readSampleInputs(`${dir}/**/*.json`).files).toEqual([a, b, c, d]);
    expect(readSampleInputs(`${dir}/sub/**`).files).toEqual([c, d]);
    expect(readSampleInputs([b, `${dir}/*.json`]).files).toEqual([b, a]);
  });

  it('globs with [...] classes; a file whose name has brackets is that file', () => {
    const e = row('e.json', 5);
    const bracketed = row('f[1].json', 6);
    expect(readSampleInputs(`${dir}/[a-b].json`).files).toEqual([a, b]);
    expect(readSampleInputs(`${dir}/[!a].json`).files).toEqual([b, e]);
    expect(readSampleInputs(`${dir}/[ae].json`).files).toEqual([a, e]);
    expect(readSampleInputs(bracketed).files).toEqual([bracketed]);
    expect(Array.from(readSampleInputs(bracketed).samples.data)).toEqual([6, 6]);
  });

  it('refuses a missing file, a pattern with no match, an unsupported extension and a shape mismatch', () => {
    expect(() => readSampleInputs(join(dir, 'missing.png'))).toThrow(InputFileError);
    expect(() => readSampleInputs(join(dir, 'missing.png'))).toThrow(/readSampleInputs: 'patterns' entry '.*missing\.png' must be an existing file/);
    expect(() => readSampleInputs(`${dir}/*.png`)).toThrow(EmptyInputError);
    expect(() => readSampleInputs(`${dir}/*.png`, { fn: 'liesym --inputs' })).toThrow(/liesym --inputs: pattern '.*\*\.png' must match at least one file/);
    expect(() => readSampleInputs(join(dir, 'notes.txt'))).toThrow(InvalidArgumentError);
    expect(() => readSampleInputs(`${dir}/*`)).toThrow(/notes\.txt' .* must have one of the extensions/);
    expect(() => readSampleInputs(dir, { sampleShape: [3] })).toThrow(/a\.json' must have the shape \[3\] \(the model's per-sample input\); received \[2\]/);
    expect(() => readSampleInputs([])).toThrow(EmptyInputError);
  });
});
