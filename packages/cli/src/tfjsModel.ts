/**
 * A TensorFlow.js model.json as a {@link CliModel}: @liesym/tfjs's evaluator (exact float32 Jacobians by tf.grad), cpu
 * backend; named transforms and discrete checks by @liesym/tfjs's `analyzeTransforms` / `checkDiscrete` (NHWC by default),
 * the layer attribution by its `attributeLayers`.
 */
import * as tf from '@tensorflow/tfjs';
import { Matrix, ModelFileError, UnsupportedModelError, checkLayerSymmetry, checkSymmetry, defaultTolerance, drawSamples, equivariantProjector, invariantBasis } from '@liesym/core';
import type { Representation } from '@liesym/core';
import { checkOutputFiles } from '@liesym/core/node';
import { analyzeTransforms, attributeLayers, checkDiscrete, discoverSymmetries, modelEvaluator, promoteDenseLayers, type DenseActivation } from '@liesym/tfjs';
import type { CliModel, DenseLayer, LayerRow } from './CliModel.js';
import { fileLoadHandler, fileSaveHandler, savedFiles, weightFiles, type ModelJson } from './tfjsFiles.js';

interface TfDense extends DenseLayer {
  layer: tf.layers.Layer;
  activation: DenseActivation;
}

const PLAIN = new Set(['relu', 'tanh', 'sigmoid', 'linear']);

/** The model's Dense chain (each Dense, and a LeakyReLU after a linear one); anything else is refused. */
function denseChain(model: tf.LayersModel, fn: string): TfDense[] {
  const out: TfDense[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer') continue;
    if (cls === 'LeakyReLU' && out.length > 0 && out[out.length - 1]!.activation === 'linear') {
      out[out.length - 1]!.activation = 'leaky-relu';
      continue;
    }
    if (cls !== 'Dense') throw new UnsupportedModelError(`${fn}: reads Sequential models of Dense layers (and LeakyReLU); layer '${layer.name}' is ${cls}`);
    const activation = String((layer.getConfig() as { activation?: string }).activation ?? 'linear');
    if (!PLAIN.has(activation)) throw new UnsupportedModelError(`${fn}: Dense layer '${layer.name}' has activation '${activation}'; liesym reads relu, tanh, sigmoid, linear (and LeakyReLU layers)`);
    const [kernel, bias] = layer.getWeights();
    const W = new Matrix(kernel!.shape[0]!, kernel!.shape[1]!, Float64Array.from(kernel!.dataSync())).transpose();
    out.push({ name: layer.name, W, b: bias ? Float64Array.from(bias.dataSync()) : undefined, layer, activation: activation as DenseActivation });
  }
  if (out.length === 0) throw new UnsupportedModelError(`${fn}: the model has no Dense layer`);
  return out;
}

function setWeights(chain: readonly TfDense[], layers: ReadonlyArray<{ W: Matrix; b: ArrayLike<number> | undefined }>): void {
  chain.forEach((d, k) => {
    const { W, b } = layers[k]!;
    const kernel = tf.tensor2d(Float32Array.from(W.transpose().data), [W.cols, W.rows]);
    const ws = d.b !== undefined && b !== undefined ? [kernel, tf.tensor1d(Float32Array.from(b))] : [kernel];
    d.layer.setWeights(ws);
    tf.dispose(ws);
  });
}

/** Opens a tfjs LayersModel from its model.json (already parsed as `json`) and weight files. */
export async function openTfjs(path: string, json: ModelJson): Promise<CliModel> {
  tf.enableProdMode(); // no "install tfjs-node" banner on stderr: the CLI's stderr is for its own lines
  await tf.setBackend('cpu');
  await tf.ready();
  const files = [path, ...weightFiles(path, json)];
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(fileLoadHandler(path, json));
  } catch (e) {
    if (e instanceof ModelFileError) throw e;
    throw new ModelFileError(`readTfjsModel: '${path}' is not a loadable TensorFlow.js LayersModel: ${String((e as Error).message).split('\n')[0]}`);
  }
  const ev = modelEvaluator(model, { fn: 'liesym' });
  // Validated by modelEvaluator: one input and one output, every dim after the batch fixed.
  const inputShape = model.inputs[0]!.shape.slice(1) as number[];
  const outputShape = model.outputs[0]!.shape.slice(1) as number[];
  const rules = (o: { force: boolean }) => ({ inputs: files, force: o.force, fn: '-o', forceHint: '--force' });
  const check = (W: Matrix, b: Float64Array | undefined, o: { repIn: Representation; repOut: Representation; tolerance: number }): ReturnType<typeof checkLayerSymmetry> =>
    checkLayerSymmetry(W, { ...o, ...(b ? { bias: b } : {}) });
  const tolerance = defaultTolerance('check', { derivative: 'exact', dtype: 'float32' });
  const rows = (chain: readonly DenseLayer[], o: { reps: readonly Representation[]; tolerance?: number }): LayerRow[] => {
    if (o.reps.length !== chain.length + 1) throw new UnsupportedModelError(`layers: the model has ${chain.length} Dense layers, so ${chain.length + 1} representations are needed; received ${o.reps.length}`);
    return chain.map((d, k) => ({ name: d.name, shape: [d.W.rows, d.W.cols], ...check(d.W, d.b, { repIn: o.reps[k]!, repOut: o.reps[k + 1]!, tolerance: o.tolerance ?? tolerance }) }));
  };
  return {
    kind: 'tfjs',
    path,
    files,
    dimIn: ev.dimIn,
    dimOut: ev.dimOut,
    dtype: 'float32',
    derivative: 'exact',
    sampleShape: inputShape,
    layoutFallback: 'NHWC',
    signature: `[${inputShape.join(', ')}] → [${outputShape.join(', ')}] float32 (exact Jacobians by tf.grad), ${model.layers.length} layers`,
    transforms: async ({ onProgress: _onProgress, inputs, layers: _layers, ...run }) => analyzeTransforms(model, { ...run, samples: inputs ?? run.samples }),
    attribute: ({ onProgress, inputs, layers: _layers, tolerance: _tolerance, discover: _discover, ...run }) => attributeLayers(model, { ...run, samples: inputs ?? run.samples, ...(onProgress ? { onProgress } : {}) }),
    graphNodes: model.layers.length,
    checkDiscrete: async ({ onProgress: _onProgress, inputs, ...run }) => checkDiscrete(model, { ...run, samples: inputs ?? run.samples }),
    layerCount: () => denseChain(model, 'layers').length,
    discover: async (run) => {
      const xs = run.inputs ?? drawSamples({ samples: run.samples, seed: run.seed }, { dimIn: ev.dimIn, fn: 'discoverSymmetries' });
      return discoverSymmetries(model, xs.toArray(), { candidate: run.candidate as 'gl-input', ...(run.rtol !== undefined ? { rtol: run.rtol } : {}) });
    },
    check: async (run) => {
      const xs = run.inputs ?? drawSamples({ samples: run.samples, seed: run.seed }, { dimIn: ev.dimIn, fn: 'checkSymmetry' });
      return checkSymmetry(ev, xs, { group: run.group, repIn: run.repIn, repOut: run.repOut, ...(run.tolerance !== undefined ? { tolerance: run.tolerance } : {}) });
    },
    layers: (o) => rows(denseChain(model, 'layers'), o),
    async project(o) {
      checkOutputFiles(savedFiles(o.out), rules(o));
      const chain = denseChain(model, 'project');
      rows(chain, { reps: o.reps }); // validates the reps against the layers
      const projected = chain.map((d, k) => {
        const W = equivariantProjector(o.reps[k]!, o.reps[k + 1]!).project(d.W);
        const Q = invariantBasis(o.reps[k + 1]!).basis;
        const b = d.b ? Q.mulVec(Q.transpose().mulVec(d.b)) : undefined;
        return { W, b, removed: d.W.norm() === 0 ? 0 : d.W.sub(W).norm() / d.W.norm() };
      });
      setWeights(chain, projected);
      await model.save(fileSaveHandler(o.out, rules(o)));
      return {
        layers: chain.map((d, k) => ({ name: d.name, removed: projected[k]!.removed, projected: true })),
        after: rows(denseChain(model, 'project'), { reps: o.reps }),
      };
    },
    async promote(run) {
      checkOutputFiles(savedFiles(run.out), rules(run));
      const chain = denseChain(model, 'promote');
      const { out, force, ...train } = run;
      const r = await promoteDenseLayers(chain.map(({ W, b, activation }) => ({ W, b, activation })), train);
      setWeights(chain, r.layers);
      await model.save(fileSaveHandler(out, rules({ force })));
      return { loss: r.loss, layers: chain.map((d) => ({ name: d.name, dimIn: d.W.cols, dimOut: d.W.rows, activation: d.activation })) };
    },
    close: async () => {
      model.dispose();
    },
  };
}
