/**
 * @liesym/tfjs: enforce, promote and discover symmetry inside TensorFlow.js training.
 *
 * - enforce: {@link equivariantDense}, {@link gatedNonlinearity}, {@link normNonlinearity},
 *   {@link equivariantMLP}, {@link toPlainModel};
 * - promote: {@link symmetryRegularizer} (a kernelRegularizer), {@link modelSymmetryPenalty},
 *   {@link functionSymmetryPenalty};
 * - discover: {@link discoverSymmetries}, {@link SymmetryMonitor}, {@link equivarianceError}.
 *
 * The math runs in @liesym/core (float64); tensors cross the boundary as float32.
 * Node-only helpers live in '@liesym/tfjs/node'.
 * @packageDocumentation
 */
export { SerializationError, UnsupportedModelError, FileExistsError } from './errors.js';
export { repToSpec, repFromSpec, groupToSpec, groupFromSpec } from './repSpec.js';
export type { RepSpec, GroupSpec } from './repSpec.js';
export { EquivariantDense, equivariantDense } from './EquivariantDense.js';
export type { EquivariantDenseArgs, EquivariantInitializer } from './EquivariantDense.js';
export { GatedNonlinearity, gatedNonlinearity, gateRep, gateCount } from './GatedNonlinearity.js';
export type { GatedNonlinearityArgs } from './GatedNonlinearity.js';
export { NormNonlinearity, normNonlinearity, normOutputRep } from './NormNonlinearity.js';
export type { NormNonlinearityArgs } from './NormNonlinearity.js';
export type { ScalarActivation } from './internal/activations.js';
export { equivariantMLP } from './equivariantMLP.js';
export type { EquivariantMLPOptions } from './equivariantMLP.js';
export { toPlainModel } from './toPlainModel.js';
export { SymmetryRegularizer, symmetryRegularizer } from './SymmetryRegularizer.js';
export type { SymmetryRegularizerOptions } from './SymmetryRegularizer.js';
export { ModelSymmetryPenalty, modelSymmetryPenalty } from './modelSymmetryPenalty.js';
export type { ModelSymmetryPenaltyOptions, PenalizedLayer } from './modelSymmetryPenalty.js';
export { FunctionSymmetryPenalty, functionSymmetryPenalty } from './functionSymmetryPenalty.js';
export type { FunctionSymmetryPenaltyOptions } from './functionSymmetryPenalty.js';
export { discoverSymmetries } from './discoverSymmetries.js';
export type { DiscoverModelOptions } from './discoverSymmetries.js';
export { SymmetryMonitor } from './SymmetryMonitor.js';
export type { SymmetryMonitorOptions, SymmetryRecord } from './SymmetryMonitor.js';
export { equivarianceError } from './equivarianceError.js';
export type { ModelEquivarianceOptions } from './equivarianceError.js';
