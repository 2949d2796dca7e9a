/**
 * The discovery conformance suite on @liesym/onnx: for each case a real .onnx graph computing
 * F(x) = tanh(c·xᵀSx + w·x + b) from MatMul, Mul, ReduceSum, Add and Tanh, run by
 * onnxruntime-node and analysed by this package's `discoverSymmetries` (core's finite
 * differences of batched session.run evaluations).
 */
import { runDiscoveryConformance, tempPath, type ConformanceProblem } from '@liesym/test-utils';
import { onnxModel } from '@liesym/test-utils/onnx';
import { discoverSymmetries, loadModel } from '../src/index.js';

/** float32 separates every case's spectrum (the float32 rank tolerance, 1e-3); float64 is not needed. */
const DTYPE = 'float32';

/** The graph of the problem's function: q = c·ReduceSum(x ⊙ (x·S)), l = x·w, y = tanh(q + l + b). */
function quadraticGraph(p: ConformanceProblem, name: string): string {
  const { S, w, c, b, dimIn: n } = p.function;
  return onnxModel({
    inputs: [{ name: 'x', dims: ['N', n], dtype: DTYPE }],
    outputs: [{ name: 'y', dims: ['N', 1], dtype: DTYPE }],
    initializers: [
      { name: 'S', dims: [n, n], data: S.flat(), dtype: DTYPE },
      { name: 'w', dims: [n, 1], data: w, dtype: DTYPE },
      { name: 'c', dims: [1], data: [c], dtype: DTYPE },
      { name: 'b', dims: [1], data: [b], dtype: DTYPE },
      { name: 'axes', dims: [1], data: [1], dtype: 'int64' },
    ],
    nodes: [
      { op: 'MatMul', inputs: ['x', 'S'], outputs: ['xS'] },
      { op: 'Mul', inputs: ['x', 'xS'], outputs: ['xSx'] },
      { op: 'ReduceSum', inputs: ['xSx', 'axes'], outputs: ['s'], attrs: { keepdims: 1 } },
      { op: 'Mul', inputs: ['s', 'c'], outputs: ['q'] },
      { op: 'MatMul', inputs: ['x', 'w'], outputs: ['l'] },
      { op: 'Add', inputs: ['q', 'l'], outputs: ['ql'] },
      { op: 'Add', inputs: ['ql', 'b'], outputs: ['z'] },
      { op: 'Tanh', inputs: ['z'], outputs: ['y'] },
    ],
  }).writeTo(tempPath(name));
}

runDiscoveryConformance({
  name: '@liesym/onnx (float32 graphs, onnxruntime-node)',
  async discover(p) {
    const model = await loadModel(quadraticGraph(p, `conformance-${p.case}.onnx`));
    try {
      // The graph computes the problem's function: compare with the float64 reference at the samples.
      const y = await model.evaluate(p.samples.flat(), p.samples.length);
      p.samples.forEach((x, s) => {
        const want = p.function.f(Float64Array.from(x))[0]!;
        if (!(Math.abs(y[s]! - want) <= 1e-6)) throw new Error(`${p.case}: the graph gives ${y[s]} at sample ${s}; the reference ${want}`);
      });
      const r = await discoverSymmetries(model, { candidate: p.candidate, samples: p.samples });
      return { dimension: r.dimension, singularValues: r.singularValues, identification: r.identification, threshold: r.threshold };
    } finally {
      await model.close();
    }
  },
});
