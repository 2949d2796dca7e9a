import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, UnsupportedModelError, errorMessage, type PreparedStackedNuclearNorm } from '@liesym/core';

/** Validates γ, a finite number ≥ 0. @throws InvalidArgumentError naming `fn` */
export function checkWeight(fn: string, weight: unknown): number {
  if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) throw new InvalidArgumentError(errorMessage(fn, 'weight', { expected: 'finite and ≥ 0', received: weight }));
  return weight;
}

/** γ·g as float32 (the plugin's boundary). */
function scaled(g: ArrayLike<number>, weight: number): Float32Array {
  const out = new Float32Array(g.length);
  for (let e = 0; e < g.length; e++) out[e] = weight * g[e]!;
  return out;
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
      gradFunc: (dy: tf.Tensor) => r.gradients.map((g, i) => tf.mul(dy, tf.tensor(scaled(g, weight), ts[i]!.shape, 'float32'))),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(...inputs) as tf.Scalar;
}

/**
 * γ·‖D‖_* (or γ·‖D‖_* / ‖W‖_F) of dense kernels through core's `prepareStackedNuclearNorm`, prepared by the caller once
 * for the kernels' generators in the kernel layout K = Wᵀ (`transposeLayerGenerators`); `onSpectrum` receives the
 * singular values, ascending, and ‖W‖_F.
 */
export function stackedPenalty(
  kernels: readonly tf.Tensor[],
  options: { penalty: PreparedStackedNuclearNorm; weight: number; rtol?: number | undefined; normalize?: 'none' | 'weights'; onSpectrum: (s: Float64Array, weightNorm: number) => void },
): tf.Scalar {
  const { penalty, rtol, normalize } = options;
  const opts = { ...(rtol !== undefined ? { rtol } : {}), ...(normalize !== undefined ? { normalize } : {}) };
  return float64Penalty(kernels, options.weight, (ws) => {
    const r = penalty.evaluate(ws, opts);
    options.onSpectrum(r.singularValues, r.weightNorm);
    return r;
  });
}

/** Adds `loss` to the model's last layer, so that `model.fit` minimizes it. */
export function addPenaltyTo(fn: string, model: tf.LayersModel, loss: () => tf.Scalar): void {
  const last = model?.layers?.[model.layers.length - 1];
  if (!last) throw new UnsupportedModelError(`${fn}: the model has no layers`);
  last.addLoss(loss);
}
