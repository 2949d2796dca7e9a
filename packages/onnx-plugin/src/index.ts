/**
 * @liesym/onnx: Symmetry analysis of ONNX models: discover, check and project symmetries, plus a `liesym` CLI (planned).
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
  'loadModel: read an ONNX model (onnxruntime-node) into an object liesym can analyse',
  'discoverSymmetries: the symmetries a trained ONNX model has, with the singular-value spectrum (discover)',
  'checkSymmetry: how strongly a model breaks a given symmetry, continuous and discrete',
  'projectModel: project the weights of linear layers onto the equivariant subspace and write a new model file (enforce)',
  '`liesym` CLI: run discover / check / project on a model file from the command line',
]);
