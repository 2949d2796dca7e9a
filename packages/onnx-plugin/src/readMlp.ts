import { Matrix, NonFiniteError, ShapeMismatchError, UnsupportedModelError } from '@liesym/core';
import { findLinearLayers, storeLayer, type LinearLayer } from './layers.js';
import { readModelFile, writeModelFile } from './modelFile.js';
import { collectConstants, intAttribute, readTensor, type GraphProto, type ModelProto, type NodeProto } from './proto.js';

/** The elementwise activations an importable MLP may use after a weight layer. */
export type MlpActivation = 'relu' | 'tanh' | 'sigmoid' | 'linear';

/** One dense layer of an {@link OnnxMlp}: y = σ(W·x + b), W dimOut×dimIn. */
export interface MlpLayer {
  name: string;
  W: Matrix;
  b: Float64Array | undefined;
  activation: MlpActivation;
}

/** An ONNX MLP read for fine-tuning elsewhere (the `@liesym/tfjs/onnx` bridge): its layers, and a writer of new weights into the same graph. */
export interface OnnxMlp {
  /** The file it was read from (never written). */
  path: string;
  layers: readonly MlpLayer[];
  /**
   * Writes a copy of the graph with new weights (same nodes, the tensors' dtypes) to `out`,
   * under the file rules of {@link projectModel}: a temporary file and one link or rename,
   * an existing `out` only with `force` (a boolean), never the input.
   * @throws ShapeMismatchError when a layer's W or b has another shape; NonFiniteError; OutputExistsError; OutputWriteError
   */
  writeWeights(out: string, options: { layers: ReadonlyArray<{ W: Matrix; b?: ArrayLike<number> | undefined }>; force?: boolean }): void;
}

const ACTIVATIONS: Readonly<Record<string, MlpActivation>> = { Relu: 'relu', Tanh: 'tanh', Sigmoid: 'sigmoid', Identity: 'linear' };
const ALLOWED = new Set(['Gemm', 'MatMul', 'Add', 'Constant', ...Object.keys(ACTIVATIONS)]);

/**
 * Whether a Flatten or Reshape node only flattens each sample (a no-op on liesym's row-major
 * per-sample vectors): Flatten with axis 1, or Reshape to a constant [0 | −1, d | −1]. PyTorch
 * exports MLPs with a leading Flatten.
 */
function flattensSamples(n: NodeProto, graph: GraphProto): boolean {
  if (n.opType === 'Flatten') return intAttribute(n, 'axis', 1) === 1;
  if (n.opType !== 'Reshape') return false;
  const shape = collectConstants(graph).get(n.input?.[1] ?? '');
  if (!shape) return false;
  const v = readTensor(shape.tensor, 'readMlp');
  return v.length === 2 && (v[0] === 0 || v[0] === -1) && (v[1] === -1 || v[1]! > 0) && !(v[0] === -1 && v[1] === -1);
}

/** The MLP chain of a graph: each weight layer and the activation after it. */
function mlpChain(graph: GraphProto, fn: string): Array<{ layer: LinearLayer; activation: MlpActivation }> {
  for (const n of graph.node ?? []) {
    if ((n.opType === 'Flatten' || n.opType === 'Reshape') && flattensSamples(n, graph)) continue;
    if (n.opType === 'Flatten' || n.opType === 'Reshape') {
      throw new UnsupportedModelError(`${fn}: a ${n.opType} node ('${n.name}') that does more than flatten each sample (Flatten with axis 1, Reshape to [0 or −1, d or −1]) cannot be imported`);
    }
    if (!ALLOWED.has(n.opType ?? '')) {
      throw new UnsupportedModelError(`${fn}: only MLPs can be imported (Gemm/MatMul/Add with Relu, Tanh, Sigmoid, and Flatten/Reshape of each sample); the graph has a '${n.opType}' node ('${n.name}')`);
    }
  }
  const layers = findLinearLayers(graph);
  if (layers.length === 0) throw new UnsupportedModelError(`${fn}: the graph has no Gemm/MatMul with constant weights`);
  const consumers = (name: string): NodeProto[] => (graph.node ?? []).filter((n) => (n.input ?? []).includes(name));
  return layers.map((layer, k) => {
    if (!layer.projectable || layer.path.length > 0) throw new UnsupportedModelError(`${fn}: layer ${k} ('${layer.name}') cannot be imported (transposed input, non-float weights or inside a subgraph)`);
    if (k > 0 && layer.W.cols !== layers[k - 1]!.W.rows) throw new ShapeMismatchError(`${fn}: layer ${k} takes ${layer.W.cols} inputs but layer ${k - 1} gives ${layers[k - 1]!.W.rows}`);
    if (!layer.W.isFinite() || (layer.b !== undefined && !layer.b.every(Number.isFinite))) {
      throw new NonFiniteError(`${fn}: layer ${k} ('${layer.name}') has NaN or ±Infinity weights`);
    }
    let out = layer.node.output?.[0] ?? '';
    const add = consumers(out).find((n) => n.opType === 'Add');
    if (layer.opType === 'MatMul' && add && layer.bias) out = add.output?.[0] ?? out;
    const act = consumers(out).find((n) => ACTIVATIONS[n.opType ?? ''] !== undefined);
    return { layer, activation: act ? ACTIVATIONS[act.opType!]! : 'linear' };
  });
}

/**
 * Reads an ONNX MLP (Gemm/MatMul + bias with elementwise Relu, Tanh or Sigmoid; a Flatten or
 * Reshape that flattens each sample, as in PyTorch exports, is read as the identity) as dense
 * layers W (dimOut×dimIn), b and activation, with a writer of new weights into a copy of the
 * same graph. This is what a training framework needs to fine-tune the model and write it
 * back (`promoteOnnxModel` in `@liesym/tfjs/onnx`); this package itself trains nothing.
 * @throws ModelFileError; UnsupportedModelError for graphs that are not such MLPs; NonFiniteError for NaN weights
 * @example
 * const mlp = readMlp('mlp.onnx');
 * mlp.layers.map((l) => l.activation);                      // [ 'tanh', 'linear' ]
 * mlp.writeWeights('mlp-copy.onnx', { layers: mlp.layers }); // same weights, new file
 */
export function readMlp(path: string): OnnxMlp {
  const fn = 'readMlp';
  const { proto } = readModelFile(path, fn);
  const chain = mlpChain(proto.graph!, fn);
  const layers = chain.map(({ layer, activation }) => ({ name: layer.name, W: layer.W, b: layer.b, activation }));
  return {
    path,
    layers,
    writeWeights(out, options) {
      const w = 'writeWeights';
      const given = options?.layers;
      if (!Array.isArray(given) || given.length !== chain.length) {
        throw new ShapeMismatchError(`${w}: 'layers' must hold ${chain.length} layers; received ${Array.isArray(given) ? given.length : typeof given}`);
      }
      // A fresh copy of the graph per write, so one OnnxMlp can write several files.
      const copy = readModelFile(path, w).proto;
      const targets = findLinearLayers(copy.graph!);
      given.forEach((l, k) => {
        const old = chain[k]!.layer;
        if (!(l.W instanceof Matrix) || l.W.rows !== old.W.rows || l.W.cols !== old.W.cols) {
          throw new ShapeMismatchError(`${w}: layer ${k} must be ${old.W.rows}×${old.W.cols}; received ${l.W instanceof Matrix ? `${l.W.rows}×${l.W.cols}` : typeof l.W}`);
        }
        if (!l.W.isFinite() || (l.b !== undefined && !Array.from(l.b).every(Number.isFinite))) throw new NonFiniteError(`${w}: layer ${k} has NaN or ±Infinity weights`);
        storeLayer(targets[k]!, { W: l.W, ...(l.b !== undefined && old.b !== undefined ? { b: l.b } : {}) }, w);
      });
      writeModelFile(copy as ModelProto, { input: path, out, force: options.force ?? false }, w);
    },
  };
}
