import * as tf from '@tensorflow/tfjs';
import {
  EmptyInputError,
  UnsupportedModelError,
  checkRtol,
  describe,
  layerGenerators,
  prepareStackedNuclearNorm,
  transposeLayerGenerators,
  type Group,
  type LayerGenerators,
  type PreparedStackedNuclearNorm,
  type Representation,
} from '@liesym/core';
import { addPenaltyTo, checkWeight, stackedPenalty } from './internal/penaltyBridge.js';

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
  /** Singular values σ ≤ rtol·σ_max are left out of the subgradient (default: core's `stackedNuclearNorm`, 1e-6). */
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
  /** The subgradient cut, or undefined for core's default (1e-6). */
  readonly rtol: number | undefined;
  /** Singular values of the stacked D at the last evaluation, ascending. */
  lastSingularValues: Float64Array = new Float64Array(0);
  private readonly layers: Array<{ layer: tf.layers.Layer; kernel: LayerGenerators }>;
  private readonly penalty: PreparedStackedNuclearNorm;

  constructor(options: ModelSymmetryPenaltyOptions) {
    const fn = 'modelSymmetryPenalty';
    if (!options || !Array.isArray(options.layers) || options.layers.length === 0) {
      throw new EmptyInputError(`${fn}: 'layers' must hold at least one layer; received ${describe(options?.layers)}`);
    }
    this.weight = checkWeight(fn, options.weight ?? 0.01);
    this.rtol = options.rtol === undefined ? undefined : checkRtol(fn, options.rtol);
    const group = options.group ?? options.layers[0]!.repIn.group ?? options.layers[0]!.repOut.group;
    const prepared = options.layers.map((e) => layerGenerators(e.repIn, e.repOut, { fn, ...(group ? { group } : {}) }));
    this.layers = options.layers.map((e, i) => ({ layer: e.layer, kernel: transposeLayerGenerators(prepared[i]!.generators) }));
    // every layer shares the group's generator basis, hence one T
    this.penalty = prepareStackedNuclearNorm(
      this.layers.map((e) => e.kernel),
      { orthonormalizer: prepared[0]!.orthonormalizer },
    );
  }

  /** γ·‖D‖_* as a scalar tensor, differentiable with respect to the layers' kernels. */
  loss(): tf.Scalar {
    const { weight, rtol } = this;
    const kernels = this.layers.map(({ layer, kernel: g }) => {
      const w = layer.trainableWeights.find((v) => v.shape.length === 2);
      if (w?.shape[0] === g.dimOut && w.shape[1] === g.dimIn) return w.read();
      throw new UnsupportedModelError(`modelSymmetryPenalty: layer '${layer.name}' must have a trainable kernel of shape [${g.dimOut}, ${g.dimIn}]; received ${w ? `[${w.shape.join(', ')}]` : 'none'}`);
    });
    return stackedPenalty(kernels, { penalty: this.penalty, weight, rtol, onSpectrum: (s) => (this.lastSingularValues = s) });
  }

  /** Adds the penalty as a loss of the model's last layer, so `model.fit` minimizes it. */
  addTo(model: tf.LayersModel): void {
    addPenaltyTo('ModelSymmetryPenalty.addTo', model, () => this.loss());
  }
}

/** Creates a {@link ModelSymmetryPenalty}. */
export function modelSymmetryPenalty(options: ModelSymmetryPenaltyOptions): ModelSymmetryPenalty {
  return new ModelSymmetryPenalty(options);
}
