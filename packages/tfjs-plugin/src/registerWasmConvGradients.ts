import * as tf from '@tensorflow/tfjs';
import { UnsupportedOperationError, describe } from '@liesym/core';

type KernelArgs = Parameters<tf.KernelFunc>[0];
type Backend = KernelArgs['backend'] & { disposeData(dataId: object): boolean };

const fn = 'registerWasmConvGradients';

/**
 * The wasm kernel a composite kernel calls. Kernels call kernels (not ops): ops inside a
 * kernel would allocate engine-tracked tensors, while kernels return `TensorInfo`s that the
 * caller frees with `backend.disposeData`.
 */
function wasmKernel(name: string): tf.KernelFunc {
  const kernel = tf.getKernel(name, 'wasm');
  if (kernel === undefined) throw new UnsupportedOperationError(`${fn}: the wasm backend has no '${name}' kernel; import '@tensorflow/tfjs-backend-wasm' (4.x) before training`);
  return kernel.kernelFunc;
}

function run(name: string, args: KernelArgs): tf.TensorInfo {
  return wasmKernel(name)(args) as tf.TensorInfo;
}

/**
 * Conv2DBackpropFilter on wasm as one forward Conv2D of transposed operands. For a forward
 * conv with stride s (dilation 1) on x padded to x̃,
 *   dW[kh, kw, ci, co] = Σ_{b,i,j} x̃[b, i·s + kh, j·s + kw, ci] · dy[b, i, j, co],
 * which is conv2d(x̃ᵀ, dyᵀ) with batch ↔ channel swapped (x̃ᵀ[ci, h, w, b], dyᵀ[i, j, b, co]),
 * 'valid' padding and dilation s: the forward stride becomes the dilation of the filter dyᵀ.
 * The output is [ci, kh + r, kw + r', co] (r, r' = rows/columns a floor-rounded stride never
 * reached), sliced to [ci, kh, kw, co] and transposed to [kh, kw, ci, co].
 */
function conv2DBackpropFilter(args: KernelArgs): tf.TensorInfo {
  const { inputs, attrs, backend } = args;
  const x = inputs['x'] as tf.TensorInfo;
  const dy = inputs['dy'] as tf.TensorInfo;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const kernelName = `${fn}: Conv2DBackpropFilter (wasm)`;
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new UnsupportedOperationError(`${kernelName}: 'dataFormat' must be 'NHWC' (channels last, as the wasm Conv2D); received ${describe(dataFormat)}`);
  }
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new UnsupportedOperationError(`${kernelName}: 'x' and 'dy' must be float32; received ${x.dtype} and ${dy.dtype}`);
  }
  const info = tf.backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
  const { batchSize, inChannels, outChannels, filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, outHeight, outWidth, padInfo } = info;
  const [dyB, dyH, dyW, dyC] = dy.shape;
  if (dyB !== batchSize || dyH !== outHeight || dyW !== outWidth || dyC !== outChannels) {
    throw new UnsupportedOperationError(`${kernelName}: 'dy' must have shape [${batchSize}, ${outHeight}, ${outWidth}, ${outChannels}] for x [${x.shape.join(', ')}] and filterShape [${filterShape.join(', ')}]; received [${dy.shape.join(', ')}]`);
  }
  const wasm = backend as Backend;
  const temporaries: tf.TensorInfo[] = [];
  const keep = (t: tf.TensorInfo): tf.TensorInfo => {
    temporaries.push(t);
    return t;
  };
  try {
    const paddings = [[0, 0], [padInfo.top, padInfo.bottom], [padInfo.left, padInfo.right], [0, 0]];
    const padded = paddings.some(([a, b]) => a !== 0 || b !== 0) ? keep(run('PadV2', { inputs: { x }, backend, attrs: { paddings, constantValue: 0 } })) : x;
    const xT = keep(run('Transpose', { inputs: { x: padded }, backend, attrs: { perm: [3, 1, 2, 0] } }));
    const dyT = keep(run('Transpose', { inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } }));
    const conv = keep(run('Conv2D', { inputs: { x: xT, filter: dyT }, backend, attrs: { strides: 1, pad: 'valid', dataFormat: 'NHWC', dilations: [sh, sw] } }));
    const [, ch, cw] = conv.shape;
    const cropped = ch !== kh || cw !== kw ? keep(run('Slice', { inputs: { x: conv }, backend, attrs: { begin: [0, 0, 0, 0], size: [inChannels, kh, kw, outChannels] } })) : conv;
    return run('Transpose', { inputs: { x: cropped }, backend, attrs: { perm: [1, 2, 0, 3] } });
  } finally {
    for (const t of temporaries) wasm.disposeData(t.dataId);
  }
}

/**
 * Registers the kernels that @tensorflow/tfjs-backend-wasm 4.x lacks for training
 * convolutions — today `Conv2DBackpropFilter` (the gradient of a conv2d with respect to its
 * kernel) — so that `tf.layers.conv2d`, {@link groupConv2d} and {@link steerableConv2d}
 * models `fit` on the 'wasm' backend. Each kernel is built from wasm's own kernels
 * (Conv2D on transposed operands, Transpose, PadV2, Slice), in float32. Any stride and
 * padding ('valid', 'same', explicit) is supported; tfjs itself refuses gradients of dilated
 * convolutions. Call it once, before the first training step; the wasm backend need not be
 * initialized yet, but '@tensorflow/tfjs-backend-wasm' must be imported when training runs.
 *
 * @returns the names of the kernels it registered; a kernel that is already registered for
 *   'wasm' (by tfjs itself in a later version, or by an earlier call) is left alone and not listed
 * @throws UnsupportedOperationError (when a gradient runs) for NCHW data, a non-float32 input,
 *   or a wasm backend without the kernels it builds on
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import '@tensorflow/tfjs-backend-wasm';
 * import { registerWasmConvGradients } from '@liesym/tfjs';
 * registerWasmConvGradients();
 * await tf.setBackend('wasm');
 * await model.fit(x, y, { epochs: 10 }); // a model with conv2d layers
 * ```
 */
export function registerWasmConvGradients(): string[] {
  const registered: string[] = [];
  if (tf.getKernel(tf.Conv2DBackpropFilter, 'wasm') === undefined) {
    tf.registerKernel({ kernelName: tf.Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc });
    registered.push(tf.Conv2DBackpropFilter);
  }
  return registered;
}
