/**
 * @liesym/brain: brain.js `NeuralNetwork`s x ↦ σ(W_L·…σ(W₁x + b₁)… + b_L) as Float64 evaluators with exact Jacobians for
 * @liesym/core's discovery and checks, layers for its layer check, projection onto equivariant weights. Node only (node:fs).
 *
 * @packageDocumentation
 */
export { UnsupportedNetworkError, OutputExistsError } from './errors.js';
export { BrainNetwork, readNetwork } from './BrainNetwork.js';
export type { BrainActivation, BrainNetworkJson, BrainNetworkLike } from './BrainNetwork.js';
export { discoverSymmetries, checkSymmetry, analyzeLayers, projectNetwork, writeProjectedNetwork } from './analysis.js';
export type { BrainNet, BrainSampleOptions, BrainDiscoverOptions, BrainDiscoveryResult, BrainCheckOptions, BrainSymmetryReport, BrainLayerReport, BrainProjectOptions } from './analysis.js';
