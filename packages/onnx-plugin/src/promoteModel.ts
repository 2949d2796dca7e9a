import { InvalidArgumentError, Matrix, ShapeMismatchError, UnsupportedModelError, type Candidate, type Representation } from '@liesym/core';
import { findLinearLayers, layerReps, storeLayer, type LinearLayer } from './layers.js';
import { checkModelTarget, readModelFile, writeModelFile } from './modelFile.js';
import type { GraphProto, NodeProto } from './proto.js';

/** Options of {@link promoteModel}. */
export interface PromoteModelOptions {
  /** Training inputs, S×dimIn. */
  x: Matrix | number[][];
  /** Training targets, S×dimOut. */
  y: Matrix | number[][];
  /**
   * One representation per layer boundary (layers.length + 1), as in projectModel: the
   * layer k penalty is γ·‖D_W‖_* over the generators dρ(ξ) of Hom(reps[k], reps[k+1]).
   */
  reps?: readonly Representation[];
  /** Or candidate generators per layer for every layer ('gl-input', 'gl-lift', … see @liesym/tfjs). */
  generators?: Candidate;
  /** Indices of the layers to penalize (default: all). */
  layers?: readonly number[];
  /** γ, the penalty weight (default 0.01). */
  weight?: number;
  /** Training epochs (default 50). */
  epochs?: number;
  /** Adam learning rate (default 0.01). */
  learningRate?: number;
  /** Mini-batch size (default 32). */
  batchSize?: number;
  /** Replace `out` if it exists (default false). The input is never written to, even with force. */
  force?: boolean;
}

/** What {@link promoteModel} did. */
export interface PromoteReport {
  out: string;
  /** Training loss per epoch (data loss + penalties). */
  loss: number[];
  /** The imported layers: sizes and tfjs activation. */
  layers: Array<{ name: string; dimIn: number; dimOut: number; activation: string }>;
}

const ACTIVATIONS: Readonly<Record<string, string>> = { Relu: 'relu', Tanh: 'tanh', Sigmoid: 'sigmoid', Identity: 'linear' };
const ALLOWED = new Set(['Gemm', 'MatMul', 'Add', ...Object.keys(ACTIVATIONS)]);

/** Minimal views of the optional peers, so this package type-checks without them. */
interface TfLike {
  sequential(): { add(l: unknown): void; compile(c: unknown): void; fit(x: unknown, y: unknown, o: unknown): Promise<{ history: { loss: number[] } }>; layers: Array<{ getWeights(): Array<{ dataSync(): Float32Array }>; setWeights(w: unknown[]): void }> };
  layers: { dense(args: Record<string, unknown>): unknown };
  train: { adam(lr: number): unknown };
  tensor2d(v: Float32Array | number[], shape: [number, number]): unknown;
  tensor1d(v: Float32Array | number[]): unknown;
}
interface TfjsPluginLike {
  symmetryRegularizer(o: Record<string, unknown>): unknown;
}

async function optionalImport<T>(name: string, fn: string): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (e) {
    throw new UnsupportedModelError(`${fn}: promoting needs the optional peer dependency '${name}' (npm install ${name}); import failed: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** The MLP chain of a graph: each weight layer and the activation after it. */
function mlpChain(graph: GraphProto, fn: string): Array<{ layer: LinearLayer; activation: string }> {
  for (const n of graph.node ?? []) {
    if (!ALLOWED.has(n.opType ?? '')) {
      throw new UnsupportedModelError(`${fn}: promote imports MLPs (Gemm/MatMul/Add with Relu, Tanh, Sigmoid); the graph has a '${n.opType}' node ('${n.name}')`);
    }
  }
  const layers = findLinearLayers(graph);
  if (layers.length === 0) throw new UnsupportedModelError(`${fn}: the graph has no Gemm/MatMul with constant weights`);
  const consumers = (name: string): NodeProto[] => (graph.node ?? []).filter((n) => (n.input ?? []).includes(name));
  return layers.map((layer, k) => {
    if (!layer.projectable || layer.path.length > 0) throw new UnsupportedModelError(`${fn}: layer ${k} ('${layer.name}') cannot be imported (transposed input, non-float weights or inside a subgraph)`);
    if (k > 0 && layer.W.cols !== layers[k - 1]!.W.rows) throw new ShapeMismatchError(`${fn}: layer ${k} takes ${layer.W.cols} inputs but layer ${k - 1} gives ${layers[k - 1]!.W.rows}`);
    let out = layer.node.output?.[0] ?? '';
    const add = consumers(out).find((n) => n.opType === 'Add');
    if (layer.opType === 'MatMul' && add && layer.bias) out = add.output?.[0] ?? out;
    const act = consumers(out).find((n) => ACTIVATIONS[n.opType ?? ''] !== undefined);
    return { layer, activation: act ? ACTIVATIONS[act.opType!]! : 'linear' };
  });
}

/**
 * Promote for an ONNX network: imports its MLP (Gemm/MatMul + bias with elementwise Relu,
 * Tanh or Sigmoid) into a tfjs LayersModel, fine-tunes it on (x, y) with @liesym/tfjs's
 * `symmetryRegularizer` on each dense kernel (γ·‖D_W‖_*, the nuclear norm of the Lie
 * derivative over the given representations or candidate generators), and writes the
 * tuned weights into a copy of the original graph (same nodes, float32 tensors).
 * Needs the optional peers @liesym/tfjs and @tensorflow/tfjs.
 *
 * @throws UnsupportedModelError for graphs that are not such MLPs or without the peers;
 *   OutputExistsError; ShapeMismatchError for data or reps that do not fit
 * @example
 * await promoteModel('mlp.onnx', 'mlp-promoted.onnx', { x, y, reps: [V(SO(3)), V(SO(3))], weight: 0.1, epochs: 100 });
 */
export async function promoteModel(path: string, out: string, options: PromoteModelOptions): Promise<PromoteReport> {
  const fn = 'promoteModel';
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be an object with x and y`);
  const { proto } = readModelFile(path, fn);
  const target = { input: path, out, force: options.force ?? false };
  checkModelTarget(target, fn);
  const chain = mlpChain(proto.graph!, fn);
  const X = options.x instanceof Matrix ? options.x : Matrix.from(options.x, 'x');
  const Y = options.y instanceof Matrix ? options.y : Matrix.from(options.y, 'y');
  const dimIn = chain[0]!.layer.W.cols;
  const dimOut = chain[chain.length - 1]!.layer.W.rows;
  if (X.cols !== dimIn || Y.cols !== dimOut || X.rows !== Y.rows || X.rows === 0) {
    throw new ShapeMismatchError(`${fn}: 'x' must be S×${dimIn} and 'y' S×${dimOut} with the same S ≥ 1; received ${X.rows}×${X.cols} and ${Y.rows}×${Y.cols}`);
  }
  const reps = options.reps === undefined ? undefined : layerReps(chain.map((c) => c.layer), options.reps, fn);
  const penalized = new Set(options.layers ?? chain.map((_, k) => k));
  const tf = await optionalImport<TfLike>('@tensorflow/tfjs', fn);
  const plugin = await optionalImport<TfjsPluginLike>('@liesym/tfjs', fn);
  const model = tf.sequential();
  chain.forEach(({ layer, activation }, k) => {
    const reg = !penalized.has(k)
      ? undefined
      : reps
        ? plugin.symmetryRegularizer({ repIn: reps[k]![0], repOut: reps[k]![1], weight: options.weight ?? 0.01 })
        : options.generators
          ? plugin.symmetryRegularizer({ generators: options.generators, weight: options.weight ?? 0.01 })
          : undefined;
    model.add(
      tf.layers.dense({
        units: layer.W.rows,
        ...(k === 0 ? { inputShape: [layer.W.cols] } : {}),
        activation,
        useBias: layer.b !== undefined,
        ...(reg ? { kernelRegularizer: reg } : {}),
      }),
    );
  });
  chain.forEach(({ layer }, k) => {
    const kernel = tf.tensor2d(Float32Array.from(layer.W.transpose().data), [layer.W.cols, layer.W.rows]);
    model.layers[k]!.setWeights(layer.b ? [kernel, tf.tensor1d(Float32Array.from(layer.b))] : [kernel]);
  });
  model.compile({ optimizer: tf.train.adam(options.learningRate ?? 0.01), loss: 'meanSquaredError' });
  const epochs = options.epochs ?? 50;
  const history = epochs > 0
    ? await model.fit(tf.tensor2d(Float32Array.from(X.data), [X.rows, X.cols]), tf.tensor2d(Float32Array.from(Y.data), [Y.rows, Y.cols]), {
        epochs,
        batchSize: options.batchSize ?? 32,
        shuffle: false,
        verbose: 0,
      })
    : { history: { loss: [] as number[] } };
  chain.forEach(({ layer }, k) => {
    const [kernel, bias] = model.layers[k]!.getWeights();
    const W = new Matrix(layer.W.cols, layer.W.rows, Float64Array.from(kernel!.dataSync())).transpose();
    storeLayer(layer, { W, ...(bias ? { b: bias.dataSync() } : {}) }, fn);
  });
  writeModelFile(proto, target, fn);
  return {
    out,
    loss: history.history.loss.map(Number),
    layers: chain.map(({ layer, activation }) => ({ name: layer.name, dimIn: layer.W.cols, dimOut: layer.W.rows, activation })),
  };
}
