import * as tf from '@tensorflow/tfjs';
import { candidateLayerGenerators, stackedNuclearNorm, transposeLayerGenerators, type Candidate, type LayerGenerators, type Matrix } from '@liesym/core';

const RegularizerBase = Object.getPrototypeOf(tf.regularizers.l1l2({ l1: 0, l2: 0 }).constructor) as new () => ReturnType<typeof tf.regularizers.l1l2>;

/**
 * The float64 path `symmetryRegularizer` took before issue 14 (kept here as the "today" row):
 * each call reads the kernel with dataSync, runs core's `stackedNuclearNorm` on it in JS
 * float64 and returns the gradient through `tf.customGrad` as a float32 tensor.
 */
export class Float64Regularizer extends RegularizerBase {
  static readonly className = 'BenchFloat64Regularizer';
  private prepared: { kernel: LayerGenerators; orthonormalizer: Matrix; dims: string } | undefined;

  constructor(
    private readonly candidate: Candidate,
    private readonly weight: number,
  ) {
    super();
  }

  override apply(x: tf.Tensor): tf.Scalar {
    const dims = x.shape.join('x');
    if (this.prepared?.dims !== dims) {
      const p = candidateLayerGenerators(this.candidate, { dimIn: x.shape[0]!, dimOut: x.shape[1]! });
      this.prepared = { kernel: transposeLayerGenerators(p.generators), orthonormalizer: p.orthonormalizer, dims };
    }
    const { kernel, orthonormalizer } = this.prepared;
    const weight = this.weight;
    const f = tf.customGrad(((k: tf.Tensor) => {
      const r = stackedNuclearNorm([{ generators: kernel, w: k.dataSync() }], { orthonormalizer });
      return {
        value: tf.scalar(weight * r.value),
        gradFunc: (dy: tf.Tensor) => [tf.mul(dy, tf.tensor(Float32Array.from(r.gradients[0]!, (v) => weight * v), k.shape))],
      };
    }) as unknown as Parameters<typeof tf.customGrad>[0]);
    return f(x) as tf.Scalar;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { weight: this.weight };
  }
}
