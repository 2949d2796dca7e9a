/**
 * @liesym/test-utils/onnx — one typed ONNX model builder (onnx-proto) and the named models
 * the tests and the bench build on it.
 */
export { OnnxModelBuilder, onnxModel } from './OnnxModelBuilder.js';
export type { AttributeValue, Dim, GraphSpec, ModelSpec, NodeSpec, OnnxDtype, TensorSpec, ValueSpec } from './OnnxModelBuilder.js';
export { circularConv, lorentzInvariantNetwork, mlp, quadraticInvariant, randomMlp, so2Equivariant } from './models.js';
export type { DenseLayerSpec } from './models.js';
