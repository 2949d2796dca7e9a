/**
 * @liesym/brain: symmetry analysis of brain.js `NeuralNetwork`s. Discover the symmetries
 * a trained network has, check how strongly it breaks a given one, and project its
 * weights onto the equivariant ones (written back as brain.js JSON). The network
 * x ↦ σ(W_L·…σ(W₁x + b₁)… + b_L) is read into Float64 with its exact Jacobian. Node only
 * (writing files uses node:fs).
 *
 * @packageDocumentation
 */
export { UnsupportedNetworkError, OutputExistsError } from './errors.js';
export { BrainNetwork, readNetwork } from './BrainNetwork.js';
export type { BrainActivation, BrainNetworkJson, BrainNetworkLike } from './BrainNetwork.js';
export { discoverSymmetries, checkSymmetry, projectNetwork, writeProjectedNetwork } from './analysis.js';
export type {
  BrainNet,
  BrainSampleOptions,
  BrainDiscoverOptions,
  BrainDiscoveryResult,
  BrainCheckOptions,
  BrainSymmetryReport,
  BrainProjectOptions,
} from './analysis.js';
