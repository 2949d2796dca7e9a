/**
 * @liesym/tfjs: Symmetry for TensorFlow.js models: equivariant layers, a symmetry regularizer, symmetry discovery and monitoring (planned).
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
  'equivariantDense: a Dense layer whose weights are constrained to the equivariant subspace of given input and output representations (enforce)',
  'symmetryRegularizer: the nuclear norm of the Lie-derivative matrix as a tfjs regularizer, for model.fit (promote)',
  'discoverSymmetries for LayersModel: the symmetry algebra of a trained Sequential/LayersModel, with all singular values (discover)',
  'SymmetryMonitor: a training callback that logs the symmetry spectrum per epoch',
]);
