/**
 * A NumPy `.npy` reader (format versions 1, 2 and 3): the header dict, C order only, numeric
 * dtypes of either byte order, values widened to Float64.
 */
import { InputFileError } from '../errors.js';

/** A parsed `.npy` array: its shape and its values in C (row-major) order. */
export interface NpyArray {
  shape: number[];
  data: Float64Array;
  /** The dtype as written in the header, e.g. '<f4'. */
  dtype: string;
}

const READERS: Readonly<Record<string, { size: number; read: (v: DataView, o: number, le: boolean) => number }>> = {
  f4: { size: 4, read: (v, o, le) => v.getFloat32(o, le) },
  f8: { size: 8, read: (v, o, le) => v.getFloat64(o, le) },
  i1: { size: 1, read: (v, o) => v.getInt8(o) },
  u1: { size: 1, read: (v, o) => v.getUint8(o) },
  b1: { size: 1, read: (v, o) => (v.getUint8(o) === 0 ? 0 : 1) },
  i2: { size: 2, read: (v, o, le) => v.getInt16(o, le) },
  u2: { size: 2, read: (v, o, le) => v.getUint16(o, le) },
  i4: { size: 4, read: (v, o, le) => v.getInt32(o, le) },
  u4: { size: 4, read: (v, o, le) => v.getUint32(o, le) },
  i8: { size: 8, read: (v, o, le) => Number(v.getBigInt64(o, le)) },
  u8: { size: 8, read: (v, o, le) => Number(v.getBigUint64(o, le)) },
};

/**
 * Parses the bytes of a `.npy` file.
 * @param file the file's name, for messages
 * @throws InputFileError for a bad magic string, version or header, Fortran order, an
 *   unsupported dtype (anything but [<>|=](f4|f8|i1|u1|b1|i2|u2|i4|u4|i8|u8)), or too few bytes
 */
export function parseNpy(bytes: Uint8Array, file: string, fn: string): NpyArray {
  const bad = (what: string): InputFileError => new InputFileError(`${fn}: '${file}' must be a NumPy .npy file; ${what}`);
  if (bytes.length < 10 || bytes[0] !== 0x93 || String.fromCharCode(...bytes.subarray(1, 6)) !== 'NUMPY') throw bad('the magic string \\x93NUMPY is missing');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw bad(`format version must be 1, 2 or 3; received ${major}.${bytes[7]}`);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  if (start + headerLen > bytes.length) throw bad(`the header says ${headerLen} bytes; the file has ${bytes.length - start} after the preamble`);
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLen));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw bad(`the header must give 'descr', 'fortran_order' and 'shape'; received ${JSON.stringify(header.trim())}`);
  if (fortran === 'True') throw bad(`arrays must be in C order (fortran_order False); received fortran_order True (save with np.ascontiguousarray)`);
  const m = /^([<>|=])([a-z]\d+)$/.exec(descr);
  const reader = m ? READERS[m[2]!] : undefined;
  if (!m || !reader) throw bad(`dtype must be one of f4 f8 i1 u1 b1 i2 u2 i4 u4 i8 u8 (either byte order); received '${descr}'`);
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw bad(`the shape must be non-negative integers; received (${shapeText})`);
  const count = shape.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  if (bytes.length - offset < count * reader.size) throw bad(`shape (${shape.join(', ')}) of ${descr} needs ${count * reader.size} data bytes; the file has ${bytes.length - offset}`);
  const little = m[1] !== '>';
  const data = new Float64Array(count);
  for (let k = 0; k < count; k++) data[k] = reader.read(view, offset + k * reader.size, little);
  return { shape, data, dtype: descr };
}
