/** Extra inputs whose batch axis is not the first (recurrent states [layers, N, hidden]). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { onnxModel } from '@liesym/test-utils/onnx';
import { loadModel } from '../src/index.js';

let path = '';

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'liesym-batch-axis-'));
  // y = [x, h[0, n, :], h[1, n, :]] per sample n: a state h [2, N, 4] with its batch axis second.
  path = onnxModel({
    inputs: [
      { name: 'x', dims: ['N', 3], dtype: 'float32' },
      { name: 'h', dims: [2, 'N', 4], dtype: 'float32' },
    ],
    outputs: [{ name: 'y', dims: ['N', 11], dtype: 'float32' }],
    initializers: [{ name: 'shape', dims: [2], data: [-1, 8], dtype: 'int64' }],
    nodes: [
      { op: 'Transpose', inputs: ['h'], outputs: ['ht'], attrs: { perm: [1, 0, 2] } },
      { op: 'Reshape', inputs: ['ht', 'shape'], outputs: ['hr'] },
      { op: 'Concat', inputs: ['x', 'hr'], outputs: ['y'], attrs: { axis: 1 } },
    ],
  }).writeTo(join(dir, 'state.onnx'));
});

describe('batch axis of extra inputs read from the graph', () => {
  it('a state [2, N, 4] held at zeros gets the batch on its second axis (it crashed with a Concat mismatch)', async () => {
    const m = await loadModel(path);
    try {
      const y = await m.evaluate(new Float64Array([1, 2, 3, 4, 5, 6]), 2);
      expect(Array.from(y)).toEqual([1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0, 0, 0, 0]);
    } finally {
      await m.close();
    }
  });

  it('a fixed state given with 1 on the batch axis is tiled along that axis', async () => {
    const m = await loadModel(path, { fixedInputs: { h: { data: [0, 1, 2, 3, 4, 5, 6, 7], dims: [2, 1, 4] } } });
    try {
      const y = await m.evaluate(new Float64Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), 3);
      const tail = [0, 1, 2, 3, 4, 5, 6, 7];
      expect(Array.from(y)).toEqual([1, 2, 3, ...tail, 4, 5, 6, ...tail, 7, 8, 9, ...tail]);
    } finally {
      await m.close();
    }
  });
});
