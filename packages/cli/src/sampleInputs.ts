/**
 * `--inputs GLOB` (repeatable) and the image flags: real sample inputs read by core's
 * readSampleInputs in place of random draws, and the `inputs` line and JSON that say which.
 */
import { guessImageLayout, type Matrix } from '@liesym/core';
import { readSampleInputs } from '@liesym/core/node';
import { UsageError } from './errors.js';

type Values = Record<string, string | boolean | string[] | undefined>;

/** The input flags as given (validated, nothing read yet). */
export interface InputsFlags {
  patterns: string[];
  imageSize?: { width: number; height: number };
  mean?: number[];
  std?: number[];
  channels?: 'rgb' | 'bgr' | 'gray';
  layout?: 'NCHW' | 'NHWC';
}

/** What the report says about its inputs (the table line and the JSON `inputs`). */
export interface InputsReport {
  line: string;
  json: { kind: 'files' | 'random'; files?: string[]; count: number; description: string };
}

const IMAGE_FLAGS = ['image-size', 'mean', 'std', 'channels', 'layout'] as const;
const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

function numbers(flag: 'mean' | 'std', text: string): number[] {
  const xs = text.split(',').map((s) => s.trim());
  const vs = xs.map((s) => (NUMBER.test(s) ? Number(s) : Number.NaN));
  if (!(xs.length === 1 || xs.length === 3) || vs.some((x) => !Number.isFinite(x) || (flag === 'std' && x <= 0))) {
    throw new UsageError(`--${flag} must be one number or three comma-separated (one per channel)${flag === 'std' ? ', each > 0' : ''}, e.g. --${flag} ${flag === 'std' ? '0.229,0.224,0.225' : '0.485,0.456,0.406'}; received '${text}'`);
  }
  return vs;
}

/**
 * Reads and validates --inputs, --image-size, --mean, --std, --channels and --layout. The image
 * flags need --inputs, and --samples (a count of random draws) cannot be combined with it.
 * @returns undefined when --inputs is not given
 */
export function inputsFlags(v: Values): InputsFlags | undefined {
  const patterns = (v['inputs'] as string[] | undefined) ?? [];
  // --layout also tells --transforms, --transform and --candidate image how the model's input is laid out.
  const transformsToo = v['transforms'] !== undefined || v['transform'] !== undefined || v['candidate'] === 'image';
  const given = IMAGE_FLAGS.filter((f) => v[f] !== undefined && !(f === 'layout' && transformsToo));
  if (patterns.length === 0) {
    if (given.length > 0) throw new UsageError(`--${given[0]} applies to the files of --inputs${given[0] === 'layout' ? ' (and to --transforms, --transform, --candidate image)' : ''}; give --inputs GLOB too`);
    return undefined;
  }
  if (patterns.some((p) => p === '')) throw new UsageError('--inputs needs a file, folder or glob, e.g. --inputs \'lines/*.png\'');
  if (v['samples'] !== undefined) throw new UsageError('--samples counts random draws; with --inputs the samples are the files\' (leave out one of them)');
  const flags: InputsFlags = { patterns };
  const size = v['image-size'] as string | undefined;
  if (size !== undefined) {
    const m = /^(\d{1,5})x(\d{1,5})$/i.exec(size.trim());
    const [width, height] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
    if (!(width >= 1 && height >= 1 && width <= 16384 && height <= 16384)) throw new UsageError(`--image-size must be WIDTHxHEIGHT with integers from 1 to 16384, e.g. 192x48; received '${size}'`);
    flags.imageSize = { width, height };
  }
  if (v['mean'] !== undefined) flags.mean = numbers('mean', v['mean'] as string);
  if (v['std'] !== undefined) flags.std = numbers('std', v['std'] as string);
  const channels = v['channels'] as string | undefined;
  if (channels !== undefined) {
    if (!['rgb', 'bgr', 'gray'].includes(channels)) throw new UsageError(`--channels must be rgb, bgr or gray; received '${channels}'`);
    flags.channels = channels as 'rgb';
  }
  const layout = v['layout'] as string | undefined;
  if (layout !== undefined) {
    if (!['nchw', 'nhwc'].includes(layout.toLowerCase())) throw new UsageError(`--layout must be nchw or nhwc; received '${layout}'`);
    flags.layout = layout.toUpperCase() as 'NCHW';
  }
  return flags;
}

/**
 * The image layout of a model's per-sample shape: core's `guessImageLayout` (the rule the
 * adapters use: [C, H, W] when only the first dim is 1, 3 or 4, [H, W, C] when only the last
 * is), with the model's fallback when the shape does not decide (NHWC for tfjs, else NCHW).
 */
export function modelLayout(model: { sampleShape: readonly number[]; layoutFallback?: 'NCHW' | 'NHWC' }): 'NCHW' | 'NHWC' {
  return guessImageLayout(model.sampleShape, { fallback: model.layoutFallback ?? 'NCHW' });
}

/**
 * Reads the files of --inputs for a model with per-sample shape `sampleShape`. Layout defaults
 * to the model's ({@link modelLayout}), channels to gray for a one-channel input and rgb
 * otherwise; WAV files fill a 1-D input's length.
 */
export function readInputs(flags: InputsFlags, model: { sampleShape: readonly number[]; layoutFallback?: 'NCHW' | 'NHWC' }): { samples: Matrix; files: string[]; report: InputsReport } {
  const layout = flags.layout ?? modelLayout(model);
  const shape = model.sampleShape;
  const c = shape.length === 3 ? (layout === 'NCHW' ? shape[0] : shape[2]) : undefined;
  const channels = flags.channels ?? (c === 1 || shape.length === 2 ? 'gray' : 'rgb');
  const r = readSampleInputs(flags.patterns, {
    sampleShape: shape,
    layout,
    channels,
    ...(flags.imageSize ? { imageSize: flags.imageSize } : {}),
    ...(flags.mean ? { mean: flags.mean } : {}),
    ...(flags.std ? { std: flags.std } : {}),
    fn: '--inputs',
  });
  const from = flags.patterns.map((p) => `'${p}'`).join(', ');
  return {
    samples: r.samples,
    files: r.files,
    report: {
      line: `inputs         ${r.files.length} files from ${from} (${r.description})`,
      json: { kind: 'files', files: r.files, count: r.samples.rows, description: r.description },
    },
  };
}

/** The report of random inputs: `count` draws of `sampler` under `seed` (and that they are random). */
export function randomInputs(spec: { count: number; sampler: string; seed: number }): InputsReport {
  const description = `random: ${spec.count} draws of ${spec.sampler} (seed ${spec.seed})`;
  return { line: `inputs         ${description}`, json: { kind: 'random', count: spec.count, description } };
}
