/// <reference types="node" />
/**
 * Real sample inputs from files (images, .npy, JSON, WAV) as the S×dimIn sample matrix every
 * analysis takes in `samples`. Node only (exported from `@liesym/core/node`).
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { EmptyInputError, InputFileError, InvalidArgumentError, NonFiniteError, ShapeMismatchError, describe } from '../errors.js';
import { Matrix } from '../linalg/Matrix.js';
import { decodeImage, type ImageOptions } from './decodeImage.js';
import { expandPattern } from './expandPatterns.js';
import { parseNpy } from './parseNpy.js';
import { parseWav } from './parseWav.js';

/** Options of {@link readSampleInputs}. */
export interface ReadSampleInputsOptions {
  /**
   * The model's per-sample input shape, e.g. [3, 48, 192]. Every sample is checked against it
   * (shapes that differ only by dimensions of size 1 agree); it also tells a single .npy/JSON
   * array from a stack of samples, and gives WAV files their `length` for 1-D shapes.
   * Default: none (the first sample's shape is used and every other must agree).
   */
  sampleShape?: readonly number[];
  /** Images are resized to this size, bilinearly. Default: none (images are read at their size). */
  imageSize?: { width: number; height: number };
  /** Channel order of image samples; 'gray' is 0.299 R + 0.587 G + 0.114 B. Default 'rgb'. */
  channels?: 'rgb' | 'bgr' | 'gray';
  /** Image sample layout: [C, H, W] ('NCHW') or [H, W, C] ('NHWC'). Default 'NCHW'. */
  layout?: 'NCHW' | 'NHWC';
  /** Subtracted from image pixels scaled to [0, 1]: one number, or one per channel in output order. Default 0. */
  mean?: number | readonly number[];
  /** Divides image pixels after `mean`: one number > 0, or one per channel in output order. Default 1. */
  std?: number | readonly number[];
  /**
   * WAV samples per example: each file is cropped to its first `length` samples; shorter files
   * are refused. Default: the size of a 1-D `sampleShape`, else each file whole.
   */
  length?: number;
  /** The caller's name at the start of error messages. Default 'readSampleInputs'. */
  fn?: string;
}

/** What {@link readSampleInputs} read. */
export interface SampleInputs {
  /** count × dimIn, one flattened sample per row (row-major in its `sampleShape`). */
  samples: Matrix;
  /** The files read, in order (sorted per pattern, patterns in the order given, each file once). */
  files: string[];
  /** The per-sample shape: `sampleShape` when given, else the samples' own. */
  sampleShape: number[];
  /** One line saying what was read and how it was normalized. */
  description: string;
}

/** Largest sample matrix read (numbers), as in `drawSamples`: 1 GiB of Float64. */
const MAX_NUMBERS = 2 ** 27;
const IMAGE = new Set(['.png', '.jpg', '.jpeg']);

const squeeze = (shape: readonly number[]): number[] => shape.filter((d) => d !== 1);
const sameShape = (a: readonly number[], b: readonly number[]): boolean => {
  const [x, y] = [squeeze(a), squeeze(b)];
  return x.length === y.length && x.every((d, k) => d === y[k]);
};
const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);
const shapeText = (shape: readonly number[]): string => `[${shape.join(', ')}]`;

function perChannel(fn: string, name: 'mean' | 'std', spec: { value: number | readonly number[] | undefined; channels: number }): number[] {
  const { value, channels } = spec;
  const fallback = name === 'mean' ? 0 : 1;
  const list = value === undefined ? [fallback] : typeof value === 'number' ? [value] : Array.from(value);
  const ok = (list.length === 1 || list.length === channels) && list.every((x) => typeof x === 'number' && Number.isFinite(x) && (name === 'mean' || x > 0));
  if (!ok) {
    throw new InvalidArgumentError(`${fn}: '${name}' must be one finite number${name === 'std' ? ' > 0' : ''} or ${channels} (one per channel); received ${describe(value)}${Array.isArray(value) ? ` [${value.join(', ')}]` : ''}`);
  }
  return list.length === 1 ? Array.from({ length: channels }, () => list[0]!) : list;
}

function validate(options: ReadSampleInputsOptions, fn: string): { image: ImageOptions; sampleShape: number[] | undefined; length: number | undefined } {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be an object; received ${describe(options)}`);
  const { sampleShape, imageSize, channels = 'rgb', layout = 'NCHW', length } = options;
  const posInt = (x: unknown): boolean => typeof x === 'number' && Number.isSafeInteger(x) && x >= 1;
  if (sampleShape !== undefined && (!Array.isArray(sampleShape) || sampleShape.length === 0 || !sampleShape.every(posInt))) {
    throw new InvalidArgumentError(`${fn}: 'sampleShape' must be a non-empty array of positive integers; received ${describe(sampleShape)}`);
  }
  if (imageSize !== undefined && (imageSize === null || typeof imageSize !== 'object' || !posInt(imageSize.width) || !posInt(imageSize.height))) {
    throw new InvalidArgumentError(`${fn}: 'imageSize' must be { width, height } with positive integers; received ${describe(imageSize)}`);
  }
  if (!['rgb', 'bgr', 'gray'].includes(channels)) throw new InvalidArgumentError(`${fn}: 'channels' must be 'rgb', 'bgr' or 'gray'; received ${describe(channels)}`);
  if (!['NCHW', 'NHWC'].includes(layout)) throw new InvalidArgumentError(`${fn}: 'layout' must be 'NCHW' or 'NHWC'; received ${describe(layout)}`);
  if (length !== undefined && !posInt(length)) throw new InvalidArgumentError(`${fn}: 'length' must be a positive integer (WAV samples per example); received ${describe(length)}`);
  const C = channels === 'gray' ? 1 : 3;
  const shape = sampleShape === undefined ? undefined : [...sampleShape];
  const oneD = shape !== undefined && squeeze(shape).length <= 1 ? size(shape) : undefined;
  return {
    image: { size: imageSize, channels, layout, mean: perChannel(fn, 'mean', { value: options.mean, channels: C }), std: perChannel(fn, 'std', { value: options.std, channels: C }) },
    sampleShape: shape,
    length: length ?? oneD,
  };
}

/** The rectangular shape of a nested number array and its values (row-major). */
function nested(value: unknown, where: () => string, fn: string): { shape: number[]; values: number[] } {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new NonFiniteError(`${fn}: ${where()} must hold finite numbers; received ${describe(value)}`);
    return { shape: [], values: [value] };
  }
  if (!Array.isArray(value) || value.length === 0) {
    throw new InputFileError(`${fn}: ${where()} must be a non-empty (nested) array of numbers; received ${describe(value)}`);
  }
  const parts = value.map((v) => nested(v, where, fn));
  const first = parts[0]!.shape;
  if (parts.some((p) => !sameShape(p.shape, first) || p.shape.length !== first.length)) {
    throw new ShapeMismatchError(`${fn}: ${where()} must be rectangular (every row of one shape); received rows of shapes ${[...new Set(parts.map((p) => shapeText(p.shape)))].slice(0, 3).join(', ')}`);
  }
  return { shape: [value.length, ...first], values: parts.flatMap((p) => p.values) };
}

interface Read {
  samples: Array<{ values: ArrayLike<number>; shape: number[] }>;
  note: string;
}

/** Splits an array of shape `shape` into samples: one (when it is `sampleShape`, or 1-D without one) or shape[0] along axis 0. */
function split(data: ArrayLike<number>, shape: number[], sampleShape: number[] | undefined): Array<{ values: ArrayLike<number>; shape: number[] }> {
  const single = sampleShape !== undefined ? sameShape(shape, sampleShape) : shape.length <= 1;
  if (single) return [{ values: data, shape }];
  const n = shape[0] ?? 1;
  const inner = shape.slice(1);
  const m = size(inner);
  return Array.from({ length: n }, (_, s) => ({ values: Array.prototype.slice.call(data, s * m, (s + 1) * m) as number[], shape: inner }));
}

function readFile(file: string, ctx: { fn: string; options: ReturnType<typeof validate> }): Read & { kind: string; alpha?: boolean; resized?: string; cropped?: boolean; rate?: number } {
  const { fn, options } = ctx;
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new InputFileError(`${fn}: '${file}' must be a readable file; ${(e as Error).message}`);
  }
  const ext = extname(file).toLowerCase();
  if (IMAGE.has(ext)) {
    const img = decodeImage(bytes, file, { fn, options: options.image });
    const resized = options.image.size && (img.original.width !== options.image.size.width || img.original.height !== options.image.size.height) ? `${img.original.width}x${img.original.height}` : undefined;
    return { kind: ext === '.png' ? 'PNG' : 'JPEG', samples: [{ values: img.values, shape: img.shape }], note: '', alpha: img.alpha, ...(resized ? { resized } : {}) };
  }
  if (ext === '.npy') {
    const a = parseNpy(bytes, file, fn);
    for (let k = 0; k < a.data.length; k++) {
      if (!Number.isFinite(a.data[k]!)) throw new NonFiniteError(`${fn}: '${file}' must hold finite numbers; value ${k} is ${describe(a.data[k])}`);
    }
    return { kind: 'npy', samples: split(a.data, a.shape, options.sampleShape), note: a.dtype };
  }
  if (ext === '.json') {
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch (e) {
      throw new InputFileError(`${fn}: '${file}' must be valid JSON (an array of samples or one nested array); ${(e as Error).message}`);
    }
    const whole = nested(value, () => `'${file}'`, fn);
    const flatList = Array.isArray(value) && value.every((v) => typeof v === 'number');
    // A flat list is one sample (scalar samples only when sampleShape says so); a nested one, when it is sampleShape.
    const single = flatList ? options.sampleShape === undefined || size(options.sampleShape) !== 1 || whole.shape[0] === 1 : options.sampleShape !== undefined && sameShape(whole.shape, options.sampleShape);
    if (single) return { kind: 'JSON', samples: [{ values: whole.values, shape: whole.shape }], note: '' };
    return { kind: 'JSON', samples: (value as unknown[]).map((v, s) => nested(v, () => `sample ${s} of '${file}'`, fn)).map((p) => ({ values: p.values, shape: p.shape })), note: '' };
  }
  const wav = parseWav(bytes, file, fn);
  const L = options.length ?? wav.samples.length;
  if (wav.samples.length < L) {
    throw new ShapeMismatchError(`${fn}: '${file}' must have at least ${L} audio samples (the length of one example); received ${wav.samples.length} (${wav.format}, ${wav.sampleRate} Hz)`);
  }
  return { kind: 'WAV', samples: [{ values: wav.samples.subarray(0, L), shape: [L] }], note: `${wav.format}${wav.channels > 1 ? `, ${wav.channels} channels averaged to mono` : ''}`, cropped: wav.samples.length > L, rate: wav.sampleRate };
}

/**
 * Reads sample inputs from files: PNG and JPEG images, NumPy `.npy` arrays, JSON arrays and WAV
 * audio. Each pattern is a file, a folder (its supported files, not recursive) or a glob with
 * `*`, `?` and `**` (hidden files never match); files are sorted per pattern (by code unit) and
 * read once each.
 * - Images: pixels p/255 ∈ [0, 1], resized bilinearly to `imageSize` when given, in `channels`
 *   order, normalized (p − mean)/std per channel, laid out [C, H, W] or [H, W, C]. Alpha is dropped.
 * - `.npy`: C order, numeric dtypes; shape [N, …sampleShape] gives N samples, a shape equal to
 *   `sampleShape` (or a 1-D array without one) gives one. Values as stored.
 * - JSON: an array of samples (each a flat or nested number array), or one sample (a flat
 *   array of numbers, or a nested one matching `sampleShape`). Values as stored.
 * - WAV: PCM 8/16/24/32-bit or float 32/64-bit, channels averaged to mono, integers scaled to
 *   [−1, 1]; each file gives one example of its first `length` samples (shorter files refused).
 * @throws EmptyInputError when a pattern matches nothing; InputFileError for a missing or
 *   undecodable file (including Fortran-ordered .npy); InvalidArgumentError for bad options or
 *   an unsupported extension; ShapeMismatchError when a sample's shape is not `sampleShape` (or
 *   not the first sample's); NonFiniteError for NaN/±Infinity in .npy or JSON
 * @example
 * const { samples, description } = readSampleInputs('lines/*.png', {
 *   sampleShape: [3, 48, 192], imageSize: { width: 192, height: 48 }, channels: 'bgr', mean: 0.5, std: 0.5,
 * });
 * await discoverSymmetries(model, { candidate: 'image', samples });
 */
export function readSampleInputs(patterns: string | readonly string[], options: ReadSampleInputsOptions = {}): SampleInputs {
  const fn = options?.fn ?? 'readSampleInputs';
  const checked = validate(options, fn);
  const list = typeof patterns === 'string' ? [patterns] : patterns;
  if (!Array.isArray(list) || list.length === 0) throw new EmptyInputError(`${fn}: 'patterns' must be a file, folder or glob, or a non-empty array of them; received ${describe(patterns)}`);
  const files: string[] = [];
  for (const p of list) for (const f of expandPattern(p, fn)) if (!files.includes(f)) files.push(f);
  const rows: ArrayLike<number>[] = [];
  let shape = checked.sampleShape;
  const kinds = new Map<string, number>();
  const notes = new Set<string>();
  const rates = new Set<number>();
  let [alpha, resized, cropped] = [0, 0, 0];
  for (const file of files) {
    const r = readFile(file, { fn, options: checked });
    kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
    if (r.note) notes.add(`${r.kind} ${r.note}`);
    if (r.alpha) alpha++;
    if (r.resized) resized++;
    if (r.cropped) cropped++;
    if (r.rate !== undefined) rates.add(r.rate);
    r.samples.forEach((s, k) => {
      shape ??= s.shape;
      if (!sameShape(s.shape, shape)) {
        const which = r.samples.length > 1 ? `sample ${k} of '${file}'` : `'${file}'`;
        const hint = IMAGE.has(extname(file).toLowerCase()) ? ' (resize images with imageSize / --image-size WxH, and check channels and layout)' : '';
        throw new ShapeMismatchError(`${fn}: ${which} must have the shape ${shapeText(shape)}${checked.sampleShape ? " (the model's per-sample input)" : ' (that of the first sample)'}; received ${shapeText(s.shape)}${hint}`);
      }
      rows.push(s.values);
    });
    if (rows.length * size(shape ?? []) > MAX_NUMBERS) throw new InvalidArgumentError(`${fn}: the samples must be at most 2²⁷ numbers (1 GiB in float64); '${file}' brings them to ${rows.length * size(shape ?? [])}`);
  }
  if (rows.length === 0) throw new EmptyInputError(`${fn}: the files of ${list.map((p) => `'${p}'`).join(', ')} must hold at least one sample; they hold none`);
  const sampleShape = [...(shape ?? [])];
  const n = size(sampleShape);
  const samples = new Matrix(rows.length, n);
  rows.forEach((r, s) => samples.data.set(r, s * n));
  const parts = [`${rows.length} samples of shape ${shapeText(sampleShape)} from ${files.length} files (${[...kinds].map(([k, c]) => `${c} ${k}`).join(', ')})`];
  const img = checked.image;
  if ([...kinds.keys()].some((k) => k === 'PNG' || k === 'JPEG')) {
    const chan = (xs: readonly number[]): string => (xs.every((x) => x === xs[0]) ? String(xs[0]) : `[${xs.join(', ')}]`);
    parts.push(
      `images: ${img.channels} ${img.layout}, ${resized > 0 ? `${resized} resized bilinearly to ${img.size!.width}x${img.size!.height}` : 'at their own size'}, pixels/255 then (p − ${chan(img.mean)})/${chan(img.std)}${alpha > 0 ? `, alpha dropped in ${alpha}` : ''}`,
    );
  }
  if (kinds.has('WAV')) parts.push(`audio: mono, scaled to [−1, 1], ${[...rates].join('/')} Hz${cropped > 0 ? `, ${cropped} cropped to the first ${sampleShape.reduce((a, b) => a * b, 1)} samples` : ''}`);
  if (kinds.has('npy') || kinds.has('JSON')) parts.push('arrays: values as stored');
  if (notes.size > 0) parts.push(`[${[...notes].join('; ')}]`);
  return { samples, files, sampleShape, description: parts.join('; ') };
}
