import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, ShapeMismatchError } from '@liesym/core';
import { Field, type Grid, assertFields } from './Grid.js';
import type { FieldOperator } from './discoverOperatorSymmetries.js';

/**
 * Stacks fields into one float32 tensor [S, n, c] or [S, nx, ny, c] (float64 → float32 here,
 * at the package's tfjs boundary).
 * @throws EmptyInputError; GridMismatchError / ShapeMismatchError when fields disagree
 */
export function fieldsToTensor(fields: readonly Field[]): tf.Tensor {
  const { grid, channels } = assertFields(fields, { fn: 'fieldsToTensor', arg: 'fields' });
  const n = grid.points * channels;
  const data = new Float32Array(fields.length * n);
  fields.forEach((f, s) => data.set(f.data, s * n));
  return tf.tensor(data, [fields.length, ...grid.size, channels]);
}

/** Splits a tensor [S, …grid, c] into S float64 fields on `grid`. */
export function tensorToFields(t: tf.Tensor, grid: Grid): Field[] {
  const fn = 'tensorToFields';
  const shape = t.shape;
  const fits = shape.length === grid.dims + 2 && shape.slice(1, -1).every((n, a) => n === grid.size[a]);
  if (!fits) throw new ShapeMismatchError(`${fn}: 't' must have shape [S, ${grid.size.join(', ')}, c]; received [${shape.join(', ')}]`);
  const c = shape[shape.length - 1]!;
  const data = t.dataSync();
  const n = grid.points * c;
  return Array.from({ length: shape[0]! }, (_, s) => new Field(grid, c, Float64Array.from(data.subarray(s * n, (s + 1) * n))));
}

/**
 * Wraps a tfjs model (or any tensor function) as a {@link FieldOperator} for discovery,
 * evaluating in batches of `batchSize` (default 64); marked `dtype: 'float32'`, so discovery
 * takes core's float32 finite-difference step and rank tolerance by default.
 */
export function tfOperator(model: tf.LayersModel | ((x: tf.Tensor) => tf.Tensor), grid: Grid, options: { batchSize?: number } = {}): FieldOperator {
  const apply = typeof model === 'function' ? model : (x: tf.Tensor): tf.Tensor => model.predict(x) as tf.Tensor;
  const bs = options.batchSize ?? 64;
  if (!(Number.isInteger(bs) && bs >= 1)) throw new InvalidArgumentError(`tfOperator: 'batchSize' must be an integer ≥ 1; received ${bs}`);
  const op = (inputs: readonly Field[]): Field[] => {
    const out: Field[] = [];
    for (let i = 0; i < inputs.length; i += bs) {
      const y = tf.tidy(() => apply(fieldsToTensor(inputs.slice(i, i + bs))));
      out.push(...tensorToFields(y, grid));
      y.dispose();
    }
    return out;
  };
  return Object.assign(op, { dtype: 'float32' as const });
}
