/** readMlp on PyTorch-style exports: a leading Flatten (or a per-sample Reshape) is the identity on liesym's flattened samples. */
import { describe, expect, it } from 'vitest';
import { UnsupportedModelError, loadModel, readMlp } from '../src/index.js';
import { normalVector, tempPath } from '@liesym/test-utils';
import { onnxModel } from '@liesym/test-utils/onnx';

const W1 = [0.5, -1, 0.25, 1, 0.5, -0.5, -0.75, 0.2, 0.1, 0.3, -0.2, 0.6]; // 4×3
const W2 = [1, -0.5, 0.25, 2]; // 1×4

function exported(head: 'flatten' | 'reshape' | 'flatten-axis2'): string {
  const first =
    head === 'reshape'
      ? [{ op: 'Reshape', inputs: ['x', 'shape'], outputs: ['flat'] }]
      : [{ op: 'Flatten', inputs: ['x'], outputs: ['flat'], ...(head === 'flatten-axis2' ? { attrs: { axis: 2 } } : {}) }];
  return onnxModel({
    inputs: [{ name: 'x', dims: ['N', 1, 3], dtype: 'float32' }],
    outputs: [{ name: 'y', dims: ['N', 1], dtype: 'float32' }],
    initializers: [
      { name: 'W1', dims: [4, 3], data: W1 },
      { name: 'b1', dims: [4], data: [0.1, 0, -0.1, 0.2] },
      { name: 'W2', dims: [1, 4], data: W2 },
      { name: 'b2', dims: [1], data: [0.05] },
      { name: 'shape', dims: [2], data: [-1, 3], dtype: 'int64' },
    ],
    nodes: [
      ...first,
      { op: 'Gemm', inputs: ['flat', 'W1', 'b1'], outputs: ['h'], attrs: { transB: 1 } },
      { op: 'Relu', inputs: ['h'], outputs: ['a'] },
      { op: 'Gemm', inputs: ['a', 'W2', 'b2'], outputs: ['y'], attrs: { transB: 1 } },
    ],
  }).writeTo(tempPath(`mlp-${head}.onnx`));
}

describe('readMlp through Flatten / Reshape', () => {
  it.each(['flatten', 'reshape'] as const)('%s: reads the two layers, and writeWeights round-trips the outputs', async (head) => {
    const src = exported(head);
    const m = readMlp(src);
    expect(m.layers.map((l) => [l.W.rows, l.W.cols, l.activation])).toEqual([[4, 3, 'relu'], [1, 4, 'linear']]);
    expect(Array.from(m.layers[0]!.W.data)).toEqual(Array.from(Float32Array.from(W1)));
    const out = tempPath(`mlp-${head}-out.onnx`);
    m.writeWeights(out, { layers: m.layers.map((l) => ({ W: l.W.scale(2), b: l.b })) });
    const [a, b] = [await loadModel(src), await loadModel(out)];
    try {
      const xs = Float64Array.from(normalVector(30, { seed: 5 }));
      const [ya, yb] = [await a.evaluate(xs, 10), await b.evaluate(xs, 10)];
      // Doubling both weight matrices with the same biases: y' = 2·W2·relu(2·W1 x + b1) + b2.
      const relu = (v: number): number => Math.max(0, v);
      for (let s = 0; s < 10; s++) {
        const x = xs.subarray(3 * s, 3 * s + 3);
        const h = [0, 1, 2, 3].map((i) => relu(2 * (W1[3 * i]! * x[0]! + W1[3 * i + 1]! * x[1]! + W1[3 * i + 2]! * x[2]!) + [0.1, 0, -0.1, 0.2][i]!));
        expect(yb[s]!).toBeCloseTo(2 * h.reduce((acc, v, i) => acc + W2[i]! * v, 0) + 0.05, 4);
      }
      expect(ya.some((v, i) => Math.abs(v - yb[i]!) > 1e-3)).toBe(true);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('refuses a Flatten that keeps more than the batch axis (axis 2)', () => {
    const path = exported('flatten-axis2');
    expect(() => readMlp(path)).toThrow(UnsupportedModelError);
    expect(() => readMlp(path)).toThrow(/a Flatten node .* that does more than flatten each sample/);
  });
});
