import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, UnsupportedModelError, errorMessage, stackedNuclearNorm, type LayerGenerators, type Matrix } from '@liesym/core';

/** Validates γ, a finite number ≥ 0. @throws InvalidArgumentError naming `fn` */
export function checkWeight(fn: string, weight: unknown): number {
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) throw new InvalidArgumentError(errorMessage(fn, 'weight', { expected: 'finite and ≥ 0', received: weight }));
  return weight;
}

/**
 * γ·R(inputs) as a differentiable tfjs scalar, for a penalty R computed by core in float64:
 * `evaluate` gets the inputs' values (read with dataSync) and returns R and ∂R/∂input for each
 * input, which go back through `tf.customGrad` as float32.
 */
export function float64Penalty(
  inputs: readonly tf.Tensor[],
  weight: number,
  evaluate: (values: ArrayLike<number>[]) => { value: number; gradients: ArrayLike<number>[] },
): tf.Scalar {
  const f = tf.customGrad(((...args: tf.Tensor[]) => {
    const ts = args.slice(0, inputs.length);
    const r = evaluate(ts.map((t) => t.dataSync()));
    return {
      value: tf.scalar(weight * r.value),
      gradFunc: (dy: tf.Tensor) => r.gradients.map((g, i) => tf.mul(dy, tf.tensor(Float32Array.from(g, (v) => weight * v), ts[i]!.shape))),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(...inputs) as tf.Scalar;
}

/**
 * γ·‖D‖_* of dense kernels (core's `stackedNuclearNorm`), with each kernel's generators in the kernel layout K = Wᵀ
 * (`transposeLayerGenerators`); `onSpectrum` receives the singular values, ascending.
 */
export function stackedPenalty(
  kernels: readonly tf.Tensor[],
  options: { generators: readonly LayerGenerators[]; orthonormalizer: Matrix; weight: number; rtol?: number | undefined; onSpectrum: (s: Float64Array) => void },
): tf.Scalar {
  const { orthonormalizer, rtol } = options;
  return float64Penalty(kernels, options.weight, (ws) => {
    const r = stackedNuclearNorm(ws.map((w, i) => ({ generators: options.generators[i]!, w })), { orthonormalizer, ...(rtol !== undefined ? { rtol } : {}) });
    options.onSpectrum(r.singularValues);
    return r;
  });
}

/** Adds `loss` to the model's last layer, so that `model.fit` minimizes it. */
export function addPenaltyTo(fn: string, model: tf.LayersModel, loss: () => tf.Scalar): void {
  const last = model?.layers?.[model.layers.length - 1];
  if (!last) throw new UnsupportedModelError(`${fn}: the model has no layers`);
  last.addLoss(loss);
}
