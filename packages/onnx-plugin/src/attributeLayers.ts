import { InvalidArgumentError, ModelFileError, UnsupportedModelError, describe, layerAttribution } from '@liesym/core';
import type { AttributionGraph, GraphNodeInfo, GraphRun, GraphTensor, LayerAttributionResult } from '@liesym/core';
import * as ort from 'onnxruntime-node';
import { families, type AnalyzeTransformsOptions } from './analyzeTransforms.js';
import type { OnnxModel } from './loadModel.js';
import { nodeReads, onnx, type ModelProto, type NodeProto } from './proto.js';
import { checkModel, runAnalysis } from './runAnalysis.js';

/** Options of {@link attributeLayers}: those of `analyzeTransforms` and the points per graph run. */
export interface AttributeLayersOptions extends AnalyzeTransformsOptions {
  /** Points per graph run (default 8): every intermediate tensor of that many samples is held at once. */
  chunk?: number;
}

/** What {@link attributeLayers} measured: core's {@link LayerAttributionResult}, the output, the family, and what was attributed as a unit. */
export interface AttributionReport extends LayerAttributionResult {
  kind: 'image' | 'signal';
  layout: string;
  /** The analyzed output. */
  output: string;
  /** Nodes with subgraphs (`If`, `Loop`, `Scan`), attributed as one unit each (their inner nodes are not separated). */
  units: string[];
}

const ELEM_TYPES: Readonly<Record<string, number>> = { float32: 1, uint8: 2, int8: 3, uint16: 4, int16: 5, int32: 6, int64: 7, string: 8, bool: 9, float16: 10, float64: 11, uint32: 12, uint64: 13 };
const FLOATS = new Set(['float32', 'float64']);
const LOCAL = '::liesym_local';
const RAW = '::liesym_raw';
const DELTA = '::liesym_delta';

function typed(name: string, type: string): InstanceType<typeof onnx.ValueInfoProto> {
  const elemType = ELEM_TYPES[type];
  if (elemType === undefined) throw new UnsupportedModelError(`attributeLayers: tensor '${name}' has dtype ${type}, which liesym cannot feed back to onnxruntime`);
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType } } });
}

function copyModel(proto: ModelProto): ModelProto {
  return onnx.ModelProto.decode(onnx.ModelProto.encode(proto).finish());
}

async function session(proto: ModelProto, what: string, path: string): Promise<ort.InferenceSession> {
  try {
    return await ort.InferenceSession.create(onnx.ModelProto.encode(proto).finish(), { graphOptimizationLevel: 'all', enableCpuMemArena: false });
  } catch (e) {
    throw new ModelFileError(`attributeLayers: onnxruntime could not load the ${what} of '${path}': ${String((e as Error).message).split('\n')[0]}`);
  }
}

/** The graph of an ONNX model as core's {@link AttributionGraph}: three sessions over copies of it. */
class OnnxAttributionGraph implements AttributionGraph {
  readonly dimIn: number;
  readonly dimOut: number;
  readonly dtype: 'float32' | 'float64';
  readonly input: string;
  readonly output: string;
  nodes: GraphNodeInfo[] = [];
  readonly units: string[] = [];
  private readonly top: Array<{ node: NodeProto; info: { name: string; opType: string; inputs: string[]; outputs: string[] } }>;
  private forward: ort.InferenceSession | undefined;
  private local: ort.InferenceSession | undefined;
  private shift: ort.InferenceSession | undefined;
  private types = new Map<string, string>();
  private readonly zeros = new Map<string, ort.Tensor>();

  constructor(private readonly model: OnnxModel) {
    this.dimIn = model.dimIn;
    this.dimOut = model.dimOut;
    this.dtype = model.dtype;
    this.input = model.inputName;
    this.output = model.outputName;
    const graph = model.proto.graph!;
    this.top = (graph.node ?? []).flatMap((node, i) => {
      if (node.opType === 'Constant') return [];
      const name = node.name || `${node.opType}#${i}`;
      if ((node.attribute ?? []).some((a) => a.g || (a.graphs ?? []).length > 0)) this.units.push(`${node.opType} '${name}'`);
      return [{ node, info: { name, opType: node.opType ?? '', inputs: nodeReads(node), outputs: (node.output ?? []).filter((o) => o !== '') } }];
    });
  }

  /** Opens the three sessions (the node list is known after the first run). */
  async open(): Promise<void> {
    const proto = this.model.proto;
    const graph = proto.graph!;
    const fwd = copyModel(proto);
    const outs = new Set((fwd.graph!.output ?? []).map((o) => o.name ?? ''));
    for (const { info } of this.top) for (const o of info.outputs) if (!outs.has(o)) fwd.graph!.output!.push(onnx.ValueInfoProto.create({ name: o }));
    this.forward = await session(fwd, 'copy with every intermediate output', this.model.path);
    // The nodes with float outputs, once their dtypes are known (the first run).
    const feeds = this.model.feedsAt(new Float64Array(this.dimIn), 1);
    const first = await this.forward.run(feeds);
    for (const [name, t] of Object.entries(first)) this.types.set(name, t.type);
    for (const [name, t] of Object.entries(feeds)) this.types.set(name, t.type);
    this.nodes = this.top.map(({ info }) => ({ ...info, outputs: info.outputs.filter((o) => FLOATS.has(this.types.get(o) ?? '')) })).filter((n) => n.outputs.length > 0);
    const initializers = new Set((graph.initializer ?? []).map((t) => t.name ?? ''));
    const constants = (graph.node ?? []).filter((n) => n.opType === 'Constant');
    const constantOuts = new Set(constants.flatMap((n) => n.output ?? []));
    // Every node alone: copies reading graph inputs of the original names and writing renamed outputs.
    const loc = copyModel(proto);
    const lg = loc.graph!;
    const reads = new Set(this.top.flatMap(({ info }) => info.inputs).filter((i) => !initializers.has(i) && !constantOuts.has(i)));
    lg.input = [...reads].map((name) => typed(name, this.types.get(name) ?? 'float32'));
    lg.node = [
      ...constants.map((n) => onnx.NodeProto.decode(onnx.NodeProto.encode(n).finish())),
      ...this.top.map(({ node }) => {
        const copy = onnx.NodeProto.decode(onnx.NodeProto.encode(node).finish());
        copy.output = (copy.output ?? []).map((o) => (o === '' ? o : `${o}${LOCAL}`));
        if (copy.name) copy.name = `${copy.name}${LOCAL}`;
        return copy;
      }),
    ];
    lg.output = this.nodes.flatMap((n) => n.outputs.map((o) => onnx.ValueInfoProto.create({ name: `${o}${LOCAL}` })));
    lg.valueInfo = [];
    this.local = await session(loc, 'copy with every node alone', this.model.path);
    // The graph with an added shift after every float node output.
    const sh = copyModel(proto);
    const sg = sh.graph!;
    const shifted = new Set(this.nodes.flatMap((n) => n.outputs));
    sg.node = (sg.node ?? []).flatMap((node) => {
      const moved = (node.output ?? []).filter((o) => shifted.has(o));
      if (node.opType === 'Constant' || moved.length === 0) return [node];
      node.output = (node.output ?? []).map((o) => (shifted.has(o) ? `${o}${RAW}` : o));
      return [node, ...moved.map((o) => onnx.NodeProto.create({ opType: 'Add', input: [`${o}${RAW}`, `${o}${DELTA}`], output: [o], name: `${o}${DELTA}` }))];
    });
    sg.input = [...(sg.input ?? []), ...[...shifted].map((o) => typed(`${o}${DELTA}`, this.types.get(o)!))];
    if (!(sg.output ?? []).some((o) => o.name === this.output)) sg.output!.push(onnx.ValueInfoProto.create({ name: this.output }));
    sg.valueInfo = [];
    this.shift = await session(sh, 'copy with shifted node outputs', this.model.path);
  }

  private zero(name: string, rank: number): ort.Tensor {
    const key = `${name}:${rank}`;
    let z = this.zeros.get(key);
    if (!z) {
      const type = this.types.get(name) as 'float32' | 'float64';
      z = new ort.Tensor(type, type === 'float64' ? new Float64Array(1) : new Float32Array(1), new Array<number>(rank).fill(1));
      this.zeros.set(key, z);
    }
    return z;
  }

  private tensor(name: string, data: Float64Array, dims: readonly number[]): ort.Tensor {
    const type = this.types.get(name) as 'float32' | 'float64';
    return new ort.Tensor(type, type === 'float64' ? Float64Array.from(data) : Float32Array.from(data), [...dims]);
  }

  async run(points: Float64Array, count: number): Promise<GraphRun> {
    if (!this.forward) await this.open();
    const feeds = this.model.feedsAt(points, count);
    const raw = await this.forward!.run(feeds);
    const all: Record<string, ort.Tensor> = { ...feeds, ...raw };
    const tensors = new Map<string, GraphTensor>();
    for (const [name, t] of Object.entries(all)) if (FLOATS.has(t.type)) tensors.set(name, { dims: [...t.dims], data: Float64Array.from(t.data as Float32Array) });
    const nodes = this.nodes;
    return {
      tensors,
      nodeOutputs: async (values) => {
        const feed: Record<string, ort.Tensor> = {};
        for (const i of this.local!.inputNames) {
          const v = values.get(i);
          feed[i] = v ? this.tensor(i, v, all[i]!.dims) : all[i]!;
        }
        const r = await this.local!.run(feed);
        return new Map(nodes.flatMap((n) => n.outputs.map((o) => [o, Float64Array.from(r[`${o}${LOCAL}`]!.data as Float32Array)] as const)));
      },
      shifted: async (deltas) => {
        const feed: Record<string, ort.Tensor> = { ...feeds };
        const dIn = deltas.get(this.input);
        if (dIn) feed[this.input] = this.tensor(this.input, points.map((v, i) => v + dIn[i]!), feeds[this.input]!.dims);
        for (const i of this.shift!.inputNames) {
          if (!i.endsWith(DELTA)) continue;
          const o = i.slice(0, -DELTA.length);
          const d = deltas.get(o);
          feed[i] = d ? this.tensor(o, d, all[o]!.dims) : this.zero(o, all[o]!.dims.length);
        }
        const r = await this.shift!.run(feed, [this.output]);
        return Float64Array.from(r[this.output]!.data as Float32Array);
      },
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.forward?.release(), this.local?.release(), this.shift?.release()]);
  }
}

/**
 * lie-deriv's layer-wise attribution of an ONNX model's local equivariance error: for each named
 * transform (as in {@link analyzeTransforms}), how much every node of the graph contributes, by
 * core's `layerAttribution` on the graph itself — any DAG (branches, residual and squeeze-excite
 * blocks; `If`/`Loop` nodes as units), any op onnxruntime runs, no weights read. The adapter runs
 * three sessions over copies of the graph (the file is never changed): every intermediate output,
 * every node alone, and the graph with a shift added after every node output.
 * Cost per chunk and transform: 2 runs of the nodes alone and about 2 graph runs per node.
 * @throws InvalidArgumentError for bad options; ShapeMismatchError when the input is not an image or signal;
 *   UnsupportedModelError for a fixed batch other than 1
 * @example
 * const model = await loadModel('classifier.onnx');
 * const r = await attributeLayers(model, { transforms: ['rotation'], samples: 8, seed: 0 });
 * r.transforms[0].nodes.sort((a, b) => b.error - a.error).slice(0, 3); // the nodes that break rotation most
 */
export async function attributeLayers(model: OnnxModel, options: AttributeLayersOptions): Promise<AttributionReport> {
  const fn = 'attributeLayers';
  checkModel(model, fn);
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError(`${fn}: 'options' must be an object { transforms }; received ${describe(options)}`);
  const { input, output, sampler: fallback } = families(model, options, fn);
  try {
    model.feedsAt(new Float64Array(model.dimIn), 1);
  } catch (e) {
    if (!(e instanceof UnsupportedModelError)) throw e;
    throw new UnsupportedModelError(
      `${fn}: input '${model.inputName}' must have a dynamic batch axis (or a batch of 1): the attribution runs 1 to 'chunk' samples at a time; received a fixed batch of ${model.runBatch}`,
    );
  }
  const graph = new OnnxAttributionGraph(model);
  const c = options.chunk ?? 8;
  if (!(Number.isInteger(c) && c >= 1)) throw new InvalidArgumentError(`${fn}: 'chunk' must be an integer ≥ 1; received ${describe(c)}`);
  const chunk = Math.min(c, model.runBatch);
  try {
    await graph.open();
    const { attribution: r } = await runAnalysis(model, options, {
      fn,
      defaultCount: 8,
      fallback,
      run: async (_ev, xs) => ({
        attribution: await layerAttribution(graph, xs, {
          transforms: input,
          ...(output ? { outputTransforms: output } : {}),
          ...(options.step !== undefined ? { step: options.step } : {}),
          chunk,
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
        }),
      }),
    });
    return { ...r, kind: input.kind, layout: input.layout, output: model.outputName, units: graph.units };
  } finally {
    await graph.close();
  }
}
