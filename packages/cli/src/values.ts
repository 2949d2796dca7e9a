/**
 * Reading option values strictly: every number, seed, size and shape the CLI accepts, each
 * refused with a one-line message naming the flag, what it must be and what it was.
 */
import { UsageError } from './errors.js';

const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;

/** A positive integer in [min, max], written in decimal digits only (no 1e3, 0x10, 1.0). */
export function integerFlag(flag: string, text: string, range: { min: number; max: number }): number {
  const v = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(v) || v < range.min || v > range.max) {
    throw new UsageError(`--${flag} must be an integer from ${range.min} to ${range.max}; received '${text}'`);
  }
  return v;
}

/** A seed: an integer in [0, 2³²) (core's range), never wrapped around. */
export function seedFlag(text: string): number {
  const v = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(v) || v >= 2 ** 32) throw new UsageError(`--seed must be an integer from 0 to 4294967295 (2³² − 1); received '${text}'`);
  return v;
}

/** A number strictly between 0 and 1 (a relative tolerance). */
export function fractionFlag(flag: string, text: string): number {
  const v = DECIMAL.test(text) ? Number(text) : Number.NaN;
  if (!(v > 0 && v < 1)) throw new UsageError(`--${flag} must be a number between 0 and 1 (exclusive), e.g. 1e-3; received '${text}'`);
  return v;
}

/** A finite number > 0 (or ≥ 0 with `zero`). */
export function positiveFlag(flag: string, text: string, options: { zero?: boolean } = {}): number {
  const v = DECIMAL.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(v) || v < 0 || (v === 0 && !options.zero)) throw new UsageError(`--${flag} must be a number ${options.zero ? '≥ 0' : '> 0'}; received '${text}'`);
  return v;
}

const UNITS: Readonly<Record<string, number>> = { '': 1, B: 1, K: 1024, KB: 1000, KIB: 1024, M: 1024 ** 2, MB: 1e6, MIB: 1024 ** 2, G: 1024 ** 3, GB: 1e9, GIB: 1024 ** 3, T: 1024 ** 4, TB: 1e12, TIB: 1024 ** 4 };

/** A memory size: bytes, or a number with a unit (512MiB, 4GiB, 8GB). */
export function sizeFlag(flag: string, text: string): number {
  const m = /^((?:\d+(?:\.\d*)?|\.\d+))\s*([A-Za-z]*)$/.exec(text);
  const unit = m ? UNITS[m[2]!.toUpperCase()] : undefined;
  const v = m && unit !== undefined ? Number(m[1]) * unit : Number.NaN;
  if (!(v >= 1024 ** 2) || !Number.isFinite(v)) throw new UsageError(`--${flag} must be a size of at least 1MiB such as 512MiB, 4GiB or 8GB; received '${text}'`);
  return v;
}

/** Formats a byte count for messages (1.5 GiB). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let k = 0;
  while (v >= 1024 && k < units.length - 1) {
    v /= 1024;
    k++;
  }
  return `${v >= 100 || k === 0 ? Math.round(v) : Number(v.toPrecision(3))} ${units[k]}`;
}

/** `--shape NAME=d1,d2,…` (repeatable): fixed dims per ONNX input, each a positive integer. */
export function shapeFlags(texts: readonly string[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const s of texts) {
    const m = /^([^=\s]+)=(\d+(?:,\d+)*)$/.exec(s.replace(/\s/g, ''));
    const dims = m ? m[2]!.split(',').map(Number) : [];
    if (!m || dims.some((d) => !Number.isSafeInteger(d) || d < 1)) throw new UsageError(`--shape must be NAME=d1,d2,… with positive integers, e.g. x=1,3,48,48; received '${s}'`);
    if (out[m[1]!]) throw new UsageError(`--shape gives input '${m[1]}' twice`);
    out[m[1]!] = dims;
  }
  return out;
}

/** --fix NAME=v[,v…] (repeatable): finite numbers per input name. */
export function fixFlags(texts: readonly string[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const s of texts) {
    const m = /^([^=\s]+)=(.+)$/.exec(s.replace(/\s/g, ''));
    const values = m ? m[2]!.split(',').map((t) => (/^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/.test(t) ? Number(t) : Number.NaN)) : [];
    if (!m || values.some((v) => !Number.isFinite(v))) throw new UsageError(`--fix must be NAME=v1,v2,… with finite numbers, e.g. sr=16000; received '${s}'`);
    if (out[m[1]!]) throw new UsageError(`--fix gives input '${m[1]}' twice`);
    out[m[1]!] = values;
  }
  return out;
}

/** Significant digits for tables: 4 in [1e-3, 1e4), else exponent form; 0 as 0. */
export function fmt(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toPrecision(4) : x.toExponential(2);
}
