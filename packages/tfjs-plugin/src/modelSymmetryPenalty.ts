import * as tf from '@tensorflow/tfjs';
import type { Group, Representation } from '@liesym/core';
import { EmptyInputError, InvalidArgumentError, UnsupportedModelError } from './errors.js';
import { repGenerators, type PreparedGenerators } from './internal/generators.js';
import { kernelLayout, stackedNuclearNorm, type LayerGenerators } from './internal/lieGram.js';
import { scaledFloat32 } from './SymmetryRegularizer.js';

/** One dense layer of a model-level penalty with the representations its kernel maps between. */
export interface PenalizedLayer {
  /** A layer with a 2-D kernel [repIn.dim, repOut.dim] (e.g. tf.layers.dense). */
  layer: tf.layers.Layer;
  repIn: Representation;
  repOut: Representation;
}

/** Options of {@link modelSymmetryPenalty}. */
export interface ModelSymmetryPenaltyOptions {
  layers: PenalizedLayer[];
  /** The group whose Lie algebra is promoted (default: the first layer's representations' group). */
  group?: Group;
  /** γ (default 0.01). */
  weight?: number;
  /** Singular values σ ≤ rtol·σ_max are left out of the subgradient (default 1e-6). */
  rtol?: number;
}

/**
 * A model-level promote penalty: γ·‖D‖_* where D = [D_W¹; D_W²; …] stacks the per-layer
 * discover matrices along the row axis with one shared set of generator coefficients, so
 * the penalty favours a symmetry shared by all layers. Add it to training with
 * `penalty.addTo(model)` (a layer loss, included by `model.fit`) or call `penalty.loss()`
 * inside your own `optimizer.minimize`.
 * @throws EmptyInputError with no layers; UnsupportedModelError for a layer without a 2-D kernel
 * @example
 * const penalty = modelSymmetryPenalty({ layers: [{ layer: d1, repIn: V(G), repOut: hidden }, { layer: d2, repIn: hidden, repOut: V(G) }], weight: 0.01 });
 * penalty.addTo(model);
 */
export class ModelSymmetryPenalty {
  readonly weight: number;
  readonly rtol: number;
  /** Singular values of the stacked D at the last evaluation, descending. */
  lastSingularValues: Float64Array = new Float64Array(0);
  private readonly entries: Array<{ layer: tf.layers.Layer; prepared: PreparedGenerators; kernelGens: LayerGenerators }>;

  constructor(options: ModelSymmetryPenaltyOptions) {
    const fn = 'modelSymmetryPenalty';
    if (!options || !Array.isArray(options.layers) || options.layers.length === 0) {
      throw new EmptyInputError(`${fn}: 'layers' must hold at least one layer; received ${String(options?.layers)}`);
    }
    this.weight = options.weight ?? 0.01;
    this.rtol = options.rtol ?? 1e-6;
    if (!Number.isFinite(this.weight) || this.weight < 0) throw new InvalidArgumentError(`${fn}: 'weight' must be finite and ≥ 0; received ${String(this.weight)}`);
    const group = options.group ?? options.layers[0]!.repIn.group ?? options.layers[0]!.repOut.group;
    this.entries = options.layers.map((e) => {
      const prepared = repGenerators(fn, e.repIn, e.repOut, group);
      return { layer: e.layer, prepared, kernelGens: kernelLayout(prepared.gens) };
    });
  }

  private kernelVariable(layer: tf.layers.Layer, n: number, m: number): tf.Tensor {
    const w = layer.trainableWeights.find((v) => v.shape.length === 2);
    if (!w || w.shape[0] !== n || w.shape[1] !== m) {
      throw new UnsupportedModelError(
        `modelSymmetryPenalty: layer '${layer.name}' must have a trainable kernel of shape [${n}, ${m}]; received ${w ? `[${w.shape.join(', ')}]` : 'none'}`,
      );
    }
    return w.read();
  }

  /** γ·‖D‖_* as a scalar tensor, differentiable with respect to the layers' kernels. */
  loss(): tf.Scalar {
    const shapes = this.entries.map((e) => [e.prepared.gens.n, e.prepared.gens.m] as const);
    const kernels = this.entries.map((e, i) => this.kernelVariable(e.layer, shapes[i]![0], shapes[i]![1]));
    const t = this.entries[0]!.prepared.t;
    const f = tf.customGrad(((...args: unknown[]) => {
      const ks = args.slice(0, kernels.length) as tf.Tensor[];
      const r = stackedNuclearNorm(
        ks.map((k, i) => ({ gens: this.entries[i]!.kernelGens, w: k.dataSync() as Float32Array })),
        t,
        this.rtol,
      );
      this.lastSingularValues = r.singularValues;
      const gamma = this.weight;
      return {
        value: tf.scalar(gamma * r.value),
        gradFunc: (dy: tf.Tensor) =>
          r.gradients.map((g, i) => tf.mul(dy, tf.tensor2d(scaledFloat32(g, gamma), [shapes[i]![0], shapes[i]![1]]))),
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    return f(...kernels) as tf.Scalar;
  }

  /** Adds the penalty as a loss of the model's last layer, so `model.fit` minimizes it. */
  addTo(model: tf.LayersModel): void {
    const last = model.layers[model.layers.length - 1];
    if (!last) throw new UnsupportedModelError(`ModelSymmetryPenalty.addTo: the model has no layers`);
    last.addLoss(() => this.loss());
  }
}

/** Creates a {@link ModelSymmetryPenalty}. */
export function modelSymmetryPenalty(options: ModelSymmetryPenaltyOptions): ModelSymmetryPenalty {
  return new ModelSymmetryPenalty(options);
}
