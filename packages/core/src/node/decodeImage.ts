/// <reference types="node" />
/**
 * PNG (pngjs) and JPEG (jpeg-js) files as model inputs: RGBA pixels → [0, 1], an optional
 * bilinear resize, the channel order, (p − mean)/std per channel, and the layout.
 */
import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { InputFileError } from '../errors.js';

/** How images become samples (validated by {@link readSampleInputs}). */
export interface ImageOptions {
  size: { width: number; height: number } | undefined;
  channels: 'rgb' | 'bgr' | 'gray';
  layout: 'NCHW' | 'NHWC';
  /** One per output channel (in output order). */
  mean: readonly number[];
  std: readonly number[];
}

/** A decoded image: RGBA bytes, and whether the file had an alpha channel. */
interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
  alpha: boolean;
}

function decode(bytes: Buffer, file: string, fn: string): Rgba {
  const png = file.toLowerCase().endsWith('.png');
  try {
    if (png) {
      const img = PNG.sync.read(bytes);
      return { width: img.width, height: img.height, data: img.data, alpha: img.alpha };
    }
    const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
    return { width: img.width, height: img.height, data: img.data, alpha: false };
  } catch (e) {
    throw new InputFileError(`${fn}: '${file}' must be a readable ${png ? 'PNG' : 'JPEG'} image; ${String((e as Error).message ?? e)}`);
  }
}

/**
 * Bilinear resampling of one H×W plane to h×w, pixel centres aligned (source coordinate
 * (i + ½)·H/h − ½, clamped at the border): a constant stays constant and a linear ramp stays
 * linear away from the border.
 */
function resize(plane: Float64Array, from: { width: number; height: number }, to: { width: number; height: number }): Float64Array {
  const { width: W, height: H } = from;
  const { width: w, height: h } = to;
  const out = new Float64Array(w * h);
  const coord = (i: number, n: number, N: number): [number, number, number] => {
    const x = Math.min(Math.max((i + 0.5) * (N / n) - 0.5, 0), N - 1);
    const x0 = Math.floor(x);
    const x1 = Math.min(x0 + 1, N - 1);
    return [x0, x1, x - x0];
  };
  const cols = Array.from({ length: w }, (_, j) => coord(j, w, W));
  for (let i = 0; i < h; i++) {
    const [y0, y1, fy] = coord(i, h, H);
    for (let j = 0; j < w; j++) {
      const [x0, x1, fx] = cols[j]!;
      const top = plane[y0 * W + x0]! * (1 - fx) + plane[y0 * W + x1]! * fx;
      const bottom = plane[y1 * W + x0]! * (1 - fx) + plane[y1 * W + x1]! * fx;
      out[i * w + j] = top * (1 - fy) + bottom * fy;
    }
  }
  return out;
}

/**
 * One image file as a sample: shape [C, H, W] (NCHW) or [H, W, C] (NHWC), C = 3 (rgb, bgr) or 1
 * (gray = 0.299 R + 0.587 G + 0.114 B, ITU-R BT.601). Alpha is dropped.
 * @throws InputFileError when the file cannot be decoded
 */
export function decodeImage(bytes: Buffer, file: string, context: { fn: string; options: ImageOptions }): { values: Float64Array; shape: number[]; alpha: boolean; original: { width: number; height: number } } {
  const { options } = context;
  const img = decode(bytes, file, context.fn);
  const n = img.width * img.height;
  const rgb = [0, 1, 2].map((c) => Float64Array.from({ length: n }, (_, k) => img.data[4 * k + c]! / 255));
  let planes: Float64Array[];
  if (options.channels === 'gray') planes = [Float64Array.from({ length: n }, (_, k) => 0.299 * rgb[0]![k]! + 0.587 * rgb[1]![k]! + 0.114 * rgb[2]![k]!)];
  else planes = options.channels === 'bgr' ? [rgb[2]!, rgb[1]!, rgb[0]!] : rgb;
  const size = options.size ?? { width: img.width, height: img.height };
  if (size.width !== img.width || size.height !== img.height) planes = planes.map((p) => resize(p, img, size));
  const C = planes.length;
  const hw = size.width * size.height;
  const values = new Float64Array(C * hw);
  planes.forEach((p, c) => {
    const [m, s] = [options.mean[c]!, options.std[c]!];
    for (let k = 0; k < hw; k++) values[options.layout === 'NCHW' ? c * hw + k : k * C + c] = (p[k]! - m) / s;
  });
  const shape = options.layout === 'NCHW' ? [C, size.height, size.width] : [size.height, size.width, C];
  return { values, shape, alpha: img.alpha, original: { width: img.width, height: img.height } };
}
