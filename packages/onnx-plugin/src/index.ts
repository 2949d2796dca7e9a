/**
 * @liesym/onnx: symmetry analysis of ONNX models with onnxruntime-node. Discover the
 * symmetries a trained model has, check how strongly it breaks a given one, analyse it
 * layer by layer, project its weights onto the equivariant ones, and promote symmetry by
 * fine-tuning. Derivatives are central finite differences along group orbits, batched.
 * Node only. liesym computes in Float64; model inputs/outputs are converted to the
 * model's dtype (float32 or float64) at this package's boundary.
 *
 * @packageDocumentation
 */
// Core's error classes under their names, so `instanceof` works across packages.
export { ModelFileError, UnsupportedModelError, UnknownNameError, OutputExistsError } from '@liesym/core';
export { loadModel, OnnxModel } from './loadModel.js';
export type { LoadModelOptions, TensorInfo, FixedInput } from './loadModel.js';
export { directionalDerivatives, jacobians } from './finiteDifferences.js';
export type { FiniteDifferenceOptions, Direction } from './finiteDifferences.js';
export { discoverSymmetries, discoverMatrix } from './discoverSymmetries.js';
export type { OnnxDiscoverOptions, OnnxDiscoveryResult } from './discoverSymmetries.js';
export { checkSymmetry } from './checkSymmetry.js';
export type { CheckSymmetryOptions, SymmetryReport } from './checkSymmetry.js';
export { findLinearLayers, analyzeLayers } from './layers.js';
export type { LinearLayer, AnalyzeLayersOptions, LayerReport } from './layers.js';
export { projectModel } from './projectModel.js';
export type { ProjectModelOptions, ProjectionReport } from './projectModel.js';
export { promoteModel } from './promoteModel.js';
export type { PromoteModelOptions, PromoteReport } from './promoteModel.js';
export {
  derivativeMatrix,
  vectorAction,
  imageAction,
  signalAction,
  scaleAction,
  trivialAction,
  imageCandidates,
  signalCandidates,
} from './actions.js';
export type { DataAction, SpatialDerivative, NamedGenerator } from './actions.js';
export type { SampleOptions } from './samples.js';
export { onnx } from './proto.js';
export type { ConstantRef } from './proto.js';
