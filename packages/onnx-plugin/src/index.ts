/**
 * @liesym/onnx: symmetry analysis of ONNX models with onnxruntime-node, as an adapter over
 * @liesym/core's engine. An opened model is core's async `Evaluator` (batched
 * `session.run`); discover, check, the layer analysis, the candidates, finite differences,
 * tolerances and errors are core's. Project weights onto the equivariant ones; `readMlp`
 * hands an MLP to a trainer (promote is `promoteOnnxModel` in `@liesym/tfjs/onnx`). Node
 * only. liesym computes in Float64; model inputs/outputs are converted to the model's dtype
 * (float32 or float64) at this package's boundary.
 *
 * @packageDocumentation
 */
// Core's error classes under their names, so `instanceof` works across packages.
export { ModelFileError, UnsupportedModelError, UnknownNameError, OutputExistsError, OutputWriteError, InsufficientDataError, NonFiniteError } from '@liesym/core';
export { loadModel, OnnxModel } from './loadModel.js';
export type { LoadModelOptions, TensorInfo, FixedInput, EvaluateOptions, AnalyzedOutput } from './loadModel.js';
export { checkDiscrete, DISCRETE_TRANSFORMS } from './checkDiscrete.js';
export type { CheckDiscreteOptions, DiscreteReport } from './checkDiscrete.js';
export { discoverSymmetries } from './discoverSymmetries.js';
export type { OnnxDiscoverOptions, OnnxDiscoveryResult } from './discoverSymmetries.js';
export { checkSymmetry } from './checkSymmetry.js';
export type { CheckSymmetryOptions, SymmetryReport } from './checkSymmetry.js';
export type { OnnxAnalysisOptions } from './runAnalysis.js';
export { analyzeTransforms } from './analyzeTransforms.js';
export type { AnalyzeTransformsOptions, TransformsReport } from './analyzeTransforms.js';
export { attributeLayers } from './attributeLayers.js';
export type { AttributeLayersOptions, AttributionReport } from './attributeLayers.js';
export { findLayers, findLinearLayers, analyzeLayers, analyzeGraphLayers } from './layers.js';
export type { LinearLayer, UnreadLayer, LayerScan, AnalyzeLayersOptions, LayerBoundaryReps, LayerReport, SkippedLayer, GraphLayersReport } from './layers.js';
export type { WeightOpType } from './readWeights.js';
export { projectModel } from './projectModel.js';
export type { ProjectModelOptions, ProjectionReport } from './projectModel.js';
export type { ModelFileTarget } from './modelFile.js';
export { readMlp } from './readMlp.js';
export type { OnnxMlp, MlpLayer, MlpActivation } from './readMlp.js';
// Deprecated: promote is `promoteOnnxModel` in '@liesym/tfjs/onnx' (this throws, naming it).
export { promoteModel } from './promoteModel.js';
export type { PromoteModelOptions, PromoteReport } from './promoteModel.js';
// 0.1 names that now live in core: re-exported (core's signatures; see the changeset).
export { vectorAction, scaleAction, trivialAction, imageCandidates, signalCandidates, gridFieldAction } from '@liesym/core';
export type { DataAction, SpatialDerivative, NamedGenerator, FiniteDifferenceOptions, Direction } from '@liesym/core';
export { derivativeMatrix, directionalDerivatives, jacobians, discoverMatrix } from './deprecated.js';
export type { SampleOptions } from './deprecated.js';
export { onnx } from './proto.js';
export type { ConstantRef } from './proto.js';
