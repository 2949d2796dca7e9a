/**
 * @liesym/tfjs: enforce, promote and discover symmetry inside TensorFlow.js training.
 *
 * - enforce: {@link equivariantDense}, {@link gatedNonlinearity}, {@link normNonlinearity},
 *   {@link equivariantMLP}, {@link groupConv2d}, {@link steerableConv2d}, {@link toPlainModel};
 * - promote: {@link symmetryRegularizer} (a kernelRegularizer), {@link modelSymmetryPenalty},
 *   {@link functionSymmetryPenalty}, {@link promoteDenseLayers};
 * - discover: {@link discoverSymmetries}, {@link SymmetryMonitor}, {@link equivarianceError};
 * - check named transforms: {@link analyzeTransforms} (continuous, lie-deriv), {@link checkDiscrete} (flips, turns, time reversal).
 *
 * An adapter: the math runs in @liesym/core (float64); the model reaches core's engine as an
 * Evaluator ({@link modelEvaluator}) and tensors cross the boundary as float32.
 * Node-only helpers live in '@liesym/tfjs/node'; promote for ONNX models is the explicit
 * bridge '@liesym/tfjs/onnx' (`promoteOnnxModel`, with the optional peers @liesym/onnx and
 * onnxruntime-node).
 * @packageDocumentation
 */
export { SerializationError, UnsupportedModelError, OutputExistsError, FileExistsError } from './errors.js';
export { modelEvaluator, type ModelEvaluatorOptions } from './modelEvaluator.js';
export { repToSpec, repFromSpec, groupToSpec, groupFromSpec, type RepSpec, type GroupSpec } from './repSpec.js';
export { EquivariantDense, equivariantDense, type EquivariantDenseArgs, type EquivariantInitializer } from './EquivariantDense.js';
export { GatedNonlinearity, gatedNonlinearity, type GatedNonlinearityArgs } from './GatedNonlinearity.js';
export { gateRep, gateCount } from '@liesym/core';
export { NormNonlinearity, normNonlinearity, normOutputRep, type NormNonlinearityArgs } from './NormNonlinearity.js';
export type { ScalarActivation } from './internal/activations.js';
export { equivariantMLP, type EquivariantMLPOptions } from './equivariantMLP.js';
export { toPlainModel } from './toPlainModel.js';
export { SymmetryRegularizer, symmetryRegularizer, type SymmetryRegularizerOptions } from './SymmetryRegularizer.js';
export { ModelSymmetryPenalty, modelSymmetryPenalty, type ModelSymmetryPenaltyOptions, type PenalizedLayer } from './modelSymmetryPenalty.js';
export { FunctionSymmetryPenalty, functionSymmetryPenalty, type FunctionSymmetryPenaltyOptions } from './functionSymmetryPenalty.js';
export { discoverSymmetries, type DiscoverModelOptions } from './discoverSymmetries.js';
export { SymmetryMonitor, type SymmetryMonitorOptions, type SymmetryRecord } from './SymmetryMonitor.js';
export { equivarianceError, type ModelEquivarianceOptions } from './equivarianceError.js';
export { analyzeTransforms, type AnalyzeTransformsOptions, type TransformsReport } from './analyzeTransforms.js';
export { attributeLayers, type AttributeLayersOptions, type AttributionReport } from './attributeLayers.js';
export { checkDiscrete, type CheckDiscreteOptions, type DiscreteReport } from './checkDiscrete.js';
export { promoteDenseLayers, type PromoteDenseOptions, type PromoteDenseResult, type DenseLayerWeights, type DenseActivation } from './promoteDenseLayers.js';
export { GroupConv2d, groupConv2d, GroupPooling, groupPooling, type GroupConv2dArgs, type GroupPoolingArgs } from './GroupConv2d.js';
export { SteerableConv2d, steerableConv2d, type SteerableConv2dArgs } from './SteerableConv2d.js';
export { ConvSymmetryRegularizer, convSymmetryRegularizer, type ConvSymmetryRegularizerOptions } from './ConvSymmetryRegularizer.js';
export { registerWasmConvGradients } from './registerWasmConvGradients.js';
export { convLayerSymmetries, type ConvLayerSymmetry } from './convLayerSymmetries.js';
export { integrateRK4, type IntegrateRK4Options, type VectorField } from './integrateRK4.js';
export {
  neuralODELoss,
  trainNeuralODE,
  type NeuralODELossOptions,
  type TrainNeuralODEOptions,
  type NeuralODEHistory,
  type Trajectories,
  type TrajectoryPenalty,
} from './trainNeuralODE.js';
