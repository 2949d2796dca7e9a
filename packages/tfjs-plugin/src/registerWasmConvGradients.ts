import * as tf from '@tensorflow/tfjs';
import { UnsupportedOperationError, describe } from '@liesym/core';

type KernelArgs = Parameters<tf.KernelFunc>[0];
type Backend = KernelArgs['backend'] & {
  disposeData(dataId: object): boolean;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array | Int32Array;
  readSync(dataId: object): Float32Array | Int32Array;
};

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
 * UnsortedSegmentSum on wasm, the gradient of `tf.gather` (which groupConv2d uses to permute the
 * group channels of its kernel): out[s, …] = Σ_{i: ids[i] = s} x[i, …]; ids outside
 * [0, numSegments) are dropped, as in TensorFlow. A loop in JS over the kernel-sized tensors it sees.
 */
function unsortedSegmentSum(args: KernelArgs): tf.TensorInfo {
  const { inputs, attrs, backend } = args;
  const x = inputs['x'] as tf.TensorInfo;
  const ids = inputs['segmentIds'] as tf.TensorInfo;
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const kernelName = `${fn}: UnsortedSegmentSum (wasm)`;
  const r = ids.shape.length;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') throw new UnsupportedOperationError(`${kernelName}: 'x' must be float32 or int32; received ${x.dtype}`);
  if (ids.shape.some((d, i) => d !== x.shape[i])) {
    throw new UnsupportedOperationError(`${kernelName}: 'segmentIds' must have a shape that starts x's [${x.shape.join(', ')}]; received [${ids.shape.join(', ')}]`);
  }
  const innerShape = x.shape.slice(r);
  const inner = innerShape.reduce((a, b) => a * b, 1);
  const wasm = backend as Backend;
  // Allocate first: a heap that grows detaches views taken before it
  const out = wasm.makeOutput([numSegments, ...innerShape], x.dtype);
  const xs = wasm.readSync(x.dataId);
  const segments = wasm.readSync(ids.dataId);
  const o = wasm.typedArrayFromHeap(out);
  o.fill(0);
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    if (s < 0 || s >= numSegments) continue;
    for (let j = 0, a = i * inner, b = s * inner; j < inner; j++) o[b + j]! += xs[a + j]!;
  }
  return out;
}

/**
 * Registers the kernels that @tensorflow/tfjs-backend-wasm 4.x lacks for training
 * convolutions — today `Conv2DBackpropFilter` (the gradient of a conv2d with respect to its
 * kernel) and `UnsortedSegmentSum` (the gradient of `tf.gather`) — so that `tf.layers.conv2d`, {@link groupConv2d} and {@link steerableConv2d}
 * models `fit` on the 'wasm' backend. Each kernel is built from wasm's own kernels
 * (Conv2D on transposed operands, Transpose, PadV2, Slice), in float32; the segment sum
 * is a loop in JS (fine for kernel-sized tensors, slow for large embeddings). Any stride and
 * padding ('valid', 'same', explicit) is supported; tfjs itself refuses gradients of dilated
 * convolutions. Call it once, before the first training step; the wasm backend need not be
 * initialized yet, but '@tensorflow/tfjs-backend-wasm' must be imported when training runs.
 *
 * @returns the names of the kernels it registered; a kernel that is already registered for
 *   'wasm' (by tfjs itself in a later version, or by an earlier call) is left alone and not listed
 * @throws UnsupportedOperationError (when a gradient runs) for NCHW data, a non-float32 input (float32 or int32 for the segment sum),
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
  if (tf.getKernel(tf.UnsortedSegmentSum, 'wasm') === undefined) {
    tf.registerKernel({ kernelName: tf.UnsortedSegmentSum, backendName: 'wasm', kernelFunc: unsortedSegmentSum as unknown as tf.KernelFunc });
    registered.push(tf.UnsortedSegmentSum);
  }
  return registered;
}
