/**
 * @liesym/brain: Symmetry analysis of brain.js networks: discover, check and project symmetries (planned).
 *
 * This package is a placeholder that reserves the name and the public entry point;
 * nothing here computes yet. The math lives in `@liesym/core`.
 *
 * @packageDocumentation
 */

/** Release status of this package: nothing is implemented yet. */
export const status = 'planned' as const;

/** What this package will provide, one entry per planned public capability. */
export const plannedFeatures: readonly string[] = Object.freeze([
  'discoverSymmetries for brain.js NeuralNetwork: the symmetry algebra of a trained network (discover)',
  'checkSymmetry for brain.js NeuralNetwork: equivariance error for continuous and discrete symmetries',
  'projectNetwork for brain.js NeuralNetwork: project the weights onto the equivariant subspace (enforce)',
]);
