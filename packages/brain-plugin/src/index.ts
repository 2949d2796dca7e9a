/**
 * @liesym/brain: brain.js `NeuralNetwork`s x ↦ σ(W_L·…σ(W₁x + b₁)… + b_L) as Float64 evaluators with exact Jacobians for
 * @liesym/core's discovery and checks, layers for its layer check, projection onto equivariant weights, and named vector
 * transforms ({@link checkDiscrete}: time reversal, input/output permutations; {@link analyzeTransforms}: time-shift,
 * time-scaling, gain of the input read as a signal). Node only (node:fs).
 *
 * @packageDocumentation
 */
export { UnsupportedNetworkError, OutputExistsError } from './errors.js';
export { BrainNetwork, readNetwork } from './BrainNetwork.js';
export type { BrainActivation, BrainNetworkJson, BrainNetworkLike } from './BrainNetwork.js';
export { discoverSymmetries, checkSymmetry, analyzeLayers, projectNetwork, writeProjectedNetwork } from './analysis.js';
export type { BrainNet, BrainSampleOptions, BrainDiscoverOptions, BrainDiscoveryResult, BrainCheckOptions, BrainSymmetryReport, BrainLayerReport, BrainProjectOptions } from './analysis.js';
export { checkDiscrete, analyzeTransforms } from './transforms.js';
export type { BrainDiscreteOptions, BrainTransformsOptions, BrainTransformsReport } from './transforms.js';
