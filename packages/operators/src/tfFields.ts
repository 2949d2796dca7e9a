import * as tf from '@tensorflow/tfjs';
import { EmptyInputError, InvalidArgumentError, ShapeMismatchError } from '@liesym/core';
import { Field, type Grid, assertField } from './Grid.js';
import type { FieldOperator } from './discoverOperatorSymmetries.js';

/**
 * Stacks fields into one float32 tensor [S, n, c] or [S, nx, ny, c] (float64 → float32 here,
 * at the package's tfjs boundary).
 * @throws EmptyInputError; GridMismatchError / ShapeMismatchError when fields disagree
 */
export function fieldsToTensor(fields: readonly Field[]): tf.Tensor {
  const fn = 'fieldsToTensor';
  if (!Array.isArray(fields) || fields.length === 0) throw new EmptyInputError(`${fn}: 'fields' must hold at least one Field; received ${Array.isArray(fields) ? 'an empty array' : typeof fields}`);
  assertField(fields[0], fn, 'fields[0]');
  const { grid, channels } = fields[0];
  const n = grid.points * channels;
  const data = new Float32Array(fields.length * n);
  fields.forEach((f, s) => {
    assertField(f, fn, `fields[${s}]`, grid, channels);
    data.set(f.data, s * n);
  });
  return tf.tensor(data, [fields.length, ...grid.size, channels]);
}

/** Splits a tensor [S, …grid, c] into S float64 fields on `grid`. */
export function tensorToFields(t: tf.Tensor, grid: Grid): Field[] {
  const fn = 'tensorToFields';
  const shape = t.shape;
  if (shape.length !== grid.dims + 2 || shape.slice(1, -1).some((n, a) => n !== grid.size[a])) {
    throw new ShapeMismatchError(`${fn}: 't' must have shape [S, ${grid.size.join(', ')}, c]; received [${shape.join(', ')}]`);
  }
  const c = shape[shape.length - 1]!;
  const data = t.dataSync();
  const n = grid.points * c;
  return Array.from({ length: shape[0]! }, (_, s) => new Field(grid, c, Float64Array.from(data.subarray(s * n, (s + 1) * n))));
}

/**
 * Wraps a tfjs model (or any tensor function) as a {@link FieldOperator} for discovery,
 * evaluating in batches of `batchSize` (default 64).
 */
export function tfOperator(model: tf.LayersModel | ((x: tf.Tensor) => tf.Tensor), grid: Grid, options: { batchSize?: number } = {}): FieldOperator {
  const apply = typeof model === 'function' ? model : (x: tf.Tensor): tf.Tensor => model.predict(x) as tf.Tensor;
  const bs = options.batchSize ?? 64;
  if (!(Number.isInteger(bs) && bs >= 1)) throw new InvalidArgumentError(`tfOperator: 'batchSize' must be an integer ≥ 1; received ${bs}`);
  return (inputs) => {
    const out: Field[] = [];
    for (let i = 0; i < inputs.length; i += bs) {
      const y = tf.tidy(() => apply(fieldsToTensor(inputs.slice(i, i + bs))));
      out.push(...tensorToFields(y, grid));
      y.dispose();
    }
    return out;
  };
}
