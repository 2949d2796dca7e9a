import * as tf from '@tensorflow/tfjs';
import { Representation, ShapeMismatchError } from '@liesym/core';
import { repFromConfig, repToConfig } from '../repSpec.js';

/** tfjs's own layer arguments (name, inputShape, trainable, …). */
export type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/**
 * What a layer tells {@link EquivariantLayer} about itself: its input's last axis (and how an
 * error states it, "equal rep.dim = 3"), its output's, and its config beyond tfjs's own.
 */
export interface LayerSpec {
  inputDim: number;
  expected: string;
  outputDim: number;
  config: Record<string, unknown>;
}

function firstShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
}

/**
 * The members every liesym layer shares, in tfjs-layers' shape (build → call →
 * computeOutputShape → getConfig → fromConfig → registerClass), so that each layer file holds
 * only its mathematics (`spec()` and `compute(x)` on [batch, dim] inputs): inputs of any rank
 * ≥ 2 act on their last axis, the last axis is checked at build, representations travel in the
 * config as RepSpecs (the keys in the subclass's static `repKeys`), and constant tensors made
 * at build are freed when the layer is disposed.
 */
export abstract class EquivariantLayer extends tf.layers.Layer {
  /** Config keys that hold representations. */
  static readonly repKeys: readonly string[] = [];
  private readonly constants: tf.Tensor[] = [];

  protected abstract spec(): LayerSpec;
  /** The layer on a [batch, inputDim] tensor (inside tidy). */
  protected abstract compute(x: tf.Tensor2D): tf.Tensor2D;

  /** A tensor kept for the layer's lifetime. */
  protected constant<T extends tf.Tensor>(t: T): T {
    this.constants.push(tf.keep(t));
    return t;
  }

  /**
   * Checks the input's last axis (call at the start of build).
   * @throws ShapeMismatchError naming the layer, the expected and the received size
   */
  protected checkInput(inputShape: tf.Shape | tf.Shape[]): void {
    const s = firstShape(inputShape);
    const { inputDim, expected } = this.spec();
    if (s[s.length - 1] !== inputDim) {
      throw new ShapeMismatchError(`${this.getClassName()} '${this.name}': the input's last axis must ${expected}; received ${s[s.length - 1] ?? null}`);
    }
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      if (x.rank === 2) return this.compute(x as tf.Tensor2D);
      const y = this.compute(tf.reshape(x, [-1, x.shape[x.rank - 1]!]));
      return tf.reshape(y, [...x.shape.slice(0, -1), this.spec().outputDim]);
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [...firstShape(inputShape).slice(0, -1), this.spec().outputDim];
  }

  override getConfig(): tf.serialization.ConfigDict {
    const own = Object.entries(this.spec().config).map(([k, v]) => [k, v instanceof Representation ? repToConfig(v) : v]);
    return { ...super.getConfig(), ...(Object.fromEntries(own) as tf.serialization.ConfigDict) };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const keys = (cls as unknown as { repKeys: readonly string[] }).repKeys;
    const reps = keys.map((k) => [k, repFromConfig(config[k], `${cls.className}.fromConfig`, k)]);
    return new cls({ ...config, ...Object.fromEntries(reps) });
  }

  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    const r = super.dispose();
    if (r.refCountAfterDispose === 0) for (const t of this.constants.splice(0)) t.dispose();
    return r;
  }
}
