import * as tf from '@tensorflow/tfjs';
import { UnsupportedModelError, drawSamples, layerAttribution } from '@liesym/core';
import type { AttributionGraph, GraphNodeInfo, GraphRun, GraphTensor, LayerAttributionResult } from '@liesym/core';
import { families, type AnalyzeTransformsOptions } from './analyzeTransforms.js';
import { modelShapes } from './modelEvaluator.js';

/** Options of {@link attributeLayers}: those of `analyzeTransforms` and the points per graph run. */
export interface AttributeLayersOptions extends Omit<AnalyzeTransformsOptions, 'batchSize' | 'tolerance'> {
  /** Points per graph run (default 8): every layer output of that many samples is held at once. */
  chunk?: number;
  /** Called with the fraction done after every graph run. */
  onProgress?: (fraction: number) => void;
}

/** What {@link attributeLayers} measured: core's {@link LayerAttributionResult}, the family and the output. */
export interface AttributionReport extends LayerAttributionResult {
  kind: 'image' | 'signal';
  layout: string;
  output: string;
  /** Layers attributed as one unit (nested models). */
  units: string[];
}

interface Step {
  layer: tf.layers.Layer;
  info: GraphNodeInfo;
}

/** The tensor name of output `index` of a layer. */
const key = (layer: { name: string }, index: number): string => `${layer.name}:${index}`;

/** A tf.LayersModel's layer graph as core's {@link AttributionGraph}: the layers applied one by one, in the model's (topological) order. */
class TfjsAttributionGraph implements AttributionGraph {
  readonly dimIn: number;
  readonly dimOut: number;
  readonly dtype = 'float32' as const;
  readonly input: string;
  readonly output: string;
  readonly nodes: GraphNodeInfo[];
  readonly units: string[] = [];
  private readonly steps: Step[];
  private readonly inputShape: number[];

  constructor(model: tf.LayersModel, fn: string) {
    const shapes = modelShapes(fn, model);
    this.dimIn = shapes.dimIn;
    this.dimOut = shapes.dimOut;
    this.inputShape = shapes.inputShape;
    const source = model.inputs[0]!.sourceLayer;
    this.input = key(source, 0);
    const out = model.outputs[0]!;
    this.output = key(out.sourceLayer, out.tensorIndex ?? 0);
    this.steps = model.layers.flatMap((layer) => {
      if (layer === source || layer.getClassName() === 'InputLayer') return [];
      const inbound = layer.inboundNodes.filter((n) => n.inboundLayers.length > 0);
      if (inbound.length !== 1) {
        throw new UnsupportedModelError(`${fn}: layer '${layer.name}' (${layer.getClassName()}) is applied ${inbound.length} times in the model; attribution needs each layer applied once (no shared layers)`);
      }
      const node = inbound[0]!;
      const inputs = node.inboundLayers.map((l, k) => key(l, node.tensorIndices[k] ?? 0));
      const outputs = node.outputTensors.map((_, i) => key(layer, i));
      if (layer instanceof tf.LayersModel) this.units.push(`${layer.getClassName()} '${layer.name}'`);
      return [{ layer, info: { name: layer.name, opType: layer.getClassName(), inputs, outputs } }];
    });
    this.nodes = this.steps.map((s) => s.info);
  }

  /** Every layer applied in order, each output shifted by `deltas` (float64 copies of every tensor). */
  private forward(x: Float64Array, count: number, deltas: ReadonlyMap<string, Float64Array>): Map<string, GraphTensor> {
    const tensors = new Map<string, GraphTensor>();
    const dIn = deltas.get(this.input);
    tensors.set(this.input, { dims: [count, ...this.inputShape], data: dIn ? x.map((v, i) => v + dIn[i]!) : x });
    tf.tidy(() => {
      const live = new Map<string, tf.Tensor>([[this.input, tf.tensor(Float32Array.from(tensors.get(this.input)!.data), [count, ...this.inputShape], 'float32')]]);
      for (const { layer, info } of this.steps) {
        const args = info.inputs.map((i) => live.get(i)!);
        const raw = layer.apply(args.length === 1 ? args[0]! : args) as tf.Tensor | tf.Tensor[];
        const outs = Array.isArray(raw) ? raw : [raw];
        outs.forEach((t, i) => {
          const name = info.outputs[i]!;
          const d = deltas.get(name);
          const y = d ? tf.add(t, tf.tensor(Float32Array.from(d), t.shape, 'float32')) : t;
          live.set(name, y);
          tensors.set(name, { dims: [...y.shape], data: Float64Array.from(y.dataSync()) });
        });
      }
    });
    return tensors;
  }

  /** Every layer alone on the given values (the others from `tensors`). */
  private alone(values: ReadonlyMap<string, Float64Array>, tensors: ReadonlyMap<string, GraphTensor>): Map<string, Float64Array> {
    const out = new Map<string, Float64Array>();
    tf.tidy(() => {
      for (const { layer, info } of this.steps) {
        const args = info.inputs.map((i) => {
          const t = tensors.get(i)!;
          return tf.tensor(Float32Array.from(values.get(i) ?? t.data), [...t.dims], 'float32');
        });
        const raw = layer.apply(args.length === 1 ? args[0]! : args) as tf.Tensor | tf.Tensor[];
        (Array.isArray(raw) ? raw : [raw]).forEach((t, i) => out.set(info.outputs[i]!, Float64Array.from(t.dataSync())));
      }
    });
    return out;
  }

  run(points: Float64Array, count: number): Promise<GraphRun> {
    const tensors = this.forward(points, count, new Map());
    return Promise.resolve({
      tensors,
      nodeOutputs: (values) => Promise.resolve(this.alone(values, tensors)),
      shifted: (deltas) => Promise.resolve(this.forward(points, count, deltas).get(this.output)!.data),
    });
  }
}

/**
 * lie-deriv's layer-wise attribution of a tf.LayersModel's local equivariance error (core's
 * `layerAttribution`): for each named transform (as in {@link analyzeTransforms}), how much every
 * layer contributes. The layers are applied one by one in the model's order, so Sequential and
 * functional models (branches, residual Add, Concatenate) both work; a layer applied more than once
 * (shared) is refused, a nested model is one unit. Image inputs are [batch, H, W, C] by default.
 * Cost per chunk and transform: two passes of every layer alone and about two model passes per layer.
 * @throws UnsupportedModelError for a model without one fixed-size input and output or with shared layers;
 *   InvalidArgumentError for bad options; ShapeMismatchError when the input is not an image or signal
 * @example
 * const r = await attributeLayers(model, { transforms: ['rotation'], samples: 8 });
 * r.transforms[0].nodes.sort((a, b) => b.error - a.error)[0]; // the layer that breaks rotation most
 */
export async function attributeLayers(model: tf.LayersModel, options: AttributeLayersOptions): Promise<AttributionReport> {
  const fn = 'attributeLayers';
  const { input, output, sampler, shapes } = families(model, options, fn);
  if (input.layout === 'NCHW') throw new UnsupportedModelError(`${fn}: tfjs layers compute channels last; an NCHW input [${shapes.inputShape.join(', ')}] cannot be followed through the layers`);
  const graph = new TfjsAttributionGraph(model, fn);
  const xs = drawSamples(options, { dimIn: shapes.dimIn, fn, defaultCount: 8, fallback: sampler });
  const r = await layerAttribution(graph, xs, {
    transforms: input,
    ...(output ? { outputTransforms: output } : {}),
    ...(options.step !== undefined ? { step: options.step } : {}),
    ...(options.chunk !== undefined ? { chunk: options.chunk } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return { ...r, kind: input.kind, layout: input.layout, output: model.outputNames[0] ?? 'output', units: graph.units };
}
