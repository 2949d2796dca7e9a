/**
 * `--inputs` on the built bin: PNG and JSON sample files replace the random draws, the report
 * says which, and the numbers are those of the API called with the same samples.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSampleInputs } from '@liesym/core/node';
import { S, SO, Scalar, V } from '@liesym/core';
import { checkSymmetry, discoverSymmetries, loadModel } from '@liesym/onnx';
import { circularConv, randomMlp } from '@liesym/test-utils/onnx';
import { brainJson, onnx, tfjsModel, writeJson } from './models.js';

const bin = fileURLToPath(new URL('../bin/liesym.js', import.meta.url));

function liesym(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000, cwd: dir, env: { ...process.env, LIESYM_DEBUG: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

let dir = '';
let conv = '';
let radial = '';
const points = [
  [0.3, -1.2, 0.8],
  [1.5, 0.2, -0.4],
  [-0.7, 0.9, 1.1],
  [0.1, 0.4, -2],
];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'liesym-cli-inputs-'));
  conv = circularConv({ C: 3, Co: 1, H: 4, W: 6 }, { seed: 3, tanh: true }).writeTo(join(dir, 'conv.onnx'));
  radial = onnx.radial(join(dir, 'radial.onnx'));
  // Three 12×8 images, resized to the model's 6×4 by --image-size.
  for (let k = 0; k < 3; k++) {
    const img = new PNG({ width: 12, height: 8 });
    for (let p = 0; p < 96; p++) img.data.set([(37 * p + 50 * k) % 256, (11 * p) % 256, 255 - ((5 * p * (k + 1)) % 256), 255], 4 * p);
    writeFileSync(join(dir, `img${k}.png`), PNG.sync.write(img));
  }
  writeFileSync(join(dir, 'points.json'), JSON.stringify(points));
});

describe('liesym --inputs', () => {
  it('analyze --candidate image on PNG files: the inputs line, and the spectrum of the API on the same samples', async () => {
    const flags = ['--image-size', '6x4', '--channels', 'bgr', '--mean', '0.5', '--std', '0.5'];
    const r = liesym(['analyze', conv, '--candidate', 'image', '--inputs', join(dir, 'img*.png'), ...flags, '--json', '-']);
    expect(r.stderr).toMatch(/^inputs {9}3 files from '.*img\*\.png' \(3 samples of shape \[3, 4, 6\] from 3 files \(3 PNG\); images: bgr NCHW, 3 resized bilinearly to 6x4, pixels\/255 then \(p − 0\.5\)\/0\.5, alpha dropped in 3\)$/m);
    expect(r.code, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { inputs: { kind: string; files: string[]; count: number; description: string }; samples: number; singularValues: number[] };
    expect(json.inputs.kind).toBe('files');
    expect(json.inputs.files).toEqual([0, 1, 2].map((k) => join(dir, `img${k}.png`)));
    expect(json.inputs.count).toBe(3);
    expect(json.samples).toBe(3);
    const { samples } = readSampleInputs(join(dir, 'img*.png'), { sampleShape: [3, 4, 6], imageSize: { width: 6, height: 4 }, channels: 'bgr', mean: 0.5, std: 0.5 });
    const model = await loadModel(conv);
    try {
      const api = await discoverSymmetries(model, { candidate: 'image', samples });
      expect(json.singularValues).toEqual(Array.from(api.singularValues));
    } finally {
      await model.close();
    }
  });

  it('check on JSON points gives the API numbers; without --inputs the line says the inputs are random', async () => {
    const group = ['--group', 'SO3', '--in', 'V', '--out', 'Scalar'];
    const r = liesym(['check', radial, ...group, '--inputs', join(dir, 'points.json'), '--json', '-']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^inputs {9}1 files from '.*points\.json' \(4 samples of shape \[3\] from 1 files \(1 JSON\); arrays: values as stored\)$/m);
    const json = JSON.parse(r.stdout) as { inputs: { kind: string; count: number }; outputScale: number; sampleCount: number };
    expect(json.inputs).toMatchObject({ kind: 'files', count: 4 });
    expect(json.sampleCount).toBe(4);
    const model = await loadModel(radial);
    try {
      const api = await checkSymmetry(model, { group: SO(3), repIn: V(SO(3)), repOut: Scalar, samples: points });
      expect(json.outputScale).toBe(api.outputScale);
    } finally {
      await model.close();
    }
    const random = liesym(['check', radial, ...group, '--samples', '16', '--seed', '4', '--json', '-']);
    expect(random.stderr).toMatch(/^inputs {9}random: 16 draws of normalSampler \(standard normal\) \(seed 4\)$/m);
    expect(JSON.parse(random.stdout).inputs).toEqual({ kind: 'random', count: 16, description: 'random: 16 draws of normalSampler (standard normal) (seed 4)' });
  });

  it('WAV files fill a 1-D input: cropped to its length, scaled to [−1, 1], the API numbers', async () => {
    const signal = randomMlp([8, 4, 1], { seed: 2 }).writeTo(join(dir, 'signal.onnx'));
    const pcm = Int16Array.from({ length: 10 }, (_, t) => Math.round(12000 * Math.sin(t)));
    const head = Buffer.alloc(44);
    head.write('RIFF', 0);
    head.writeUInt32LE(36 + 20, 4);
    head.write('WAVEfmt ', 8);
    head.writeUInt32LE(16, 16);
    head.writeUInt16LE(1, 20);
    head.writeUInt16LE(1, 22);
    head.writeUInt32LE(8000, 24);
    head.writeUInt32LE(16000, 28);
    head.writeUInt16LE(2, 32);
    head.writeUInt16LE(16, 34);
    head.write('data', 36);
    head.writeUInt32LE(20, 40);
    writeFileSync(join(dir, 'tone.wav'), Buffer.concat([head, Buffer.from(pcm.buffer)]));
    const r = liesym(['check', signal, '--group', 'S8', '--in', 'V', '--out', 'Scalar', '--inputs', join(dir, 'tone.wav'), '--json', '-']);
    expect(r.stderr).toMatch(/^inputs {9}1 files from '.*tone\.wav' \(1 samples of shape \[8\] from 1 files \(1 WAV\); audio: mono, scaled to \[−1, 1\], 8000 Hz, 1 cropped to the first 8 samples; \[WAV PCM 16-bit\]\)$/m);
    const json = JSON.parse(r.stdout) as { outputScale: number; sampleCount: number };
    expect(json.sampleCount).toBe(1);
    const model = await loadModel(signal);
    try {
      const samples = readSampleInputs(join(dir, 'tone.wav'), { sampleShape: [8] }).samples;
      expect(Array.from(samples.data)).toEqual(Array.from(pcm.subarray(0, 8), (v) => v / 32768));
      const api = await checkSymmetry(model, { group: S(8), repIn: V(S(8)), repOut: Scalar, samples });
      expect(json.outputScale).toBe(api.outputScale);
    } finally {
      await model.close();
    }
  });

  it('brain.js and tfjs networks take JSON inputs too', async () => {
    const nets = [writeJson(join(dir, 'net.json'), brainJson({ symmetric: true })), await tfjsModel(dir, { name: 'tf-sym', symmetric: true })];
    for (const net of nets) {
      const r = liesym(['check', net, '--group', 'S3', '--in', 'V', '--out', 'Scalar', '--inputs', join(dir, 'points.json')]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^inputs {9}1 files from .* \(4 samples of shape \[3\]/m);
      expect(r.stdout).toMatch(/^samples {8}4, exact Jacobians/m);
    }
  });

  it.each([
    ['--image-size without --inputs', ['--image-size', '6x4'], /--image-size applies to the files of --inputs/],
    ['--samples with --inputs', ['--inputs', 'points.json', '--samples', '8'], /--samples counts random draws/],
    ['a bad --image-size', ['--inputs', 'points.json', '--image-size', '6by4'], /--image-size must be WIDTHxHEIGHT/],
    ['a bad --std', ['--inputs', 'points.json', '--std', '0,1,1'], /--std must be one number or three/],
    ['a bad --layout', ['--inputs', 'points.json', '--layout', 'chw'], /--layout must be nchw or nhwc/],
    ['a pattern with no match', ['--inputs', '*.npy'], /--inputs: pattern '\*\.npy' must match at least one file/],
    ['images of the wrong size', ['--inputs', 'img*.png'], /img0\.png' must have the shape \[3, 4, 6\] .*received \[3, 8, 12\] \(resize images with imageSize \/ --image-size WxH/],
  ])('refuses %s with exit 2', (_, extra, message) => {
    const r = liesym(['analyze', conv, '--candidate', 'image', ...extra]);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.code).toBe(2);
  });
});
