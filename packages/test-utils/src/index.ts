/**
 * @liesym/test-utils — the shared test kit of liesym (private): `assertEquivariant` with the
 * per-dtype tolerance table, the discovery conformance suite every adapter runs, seeded
 * sample helpers, and ODE systems with known coefficients. The ONNX model builder is the
 * `@liesym/test-utils/onnx` subpath.
 */
export { assertEquivariant, EquivarianceAssertionError } from './equivariance/assertEquivariant.js';
export { equivarianceReport } from './equivariance/equivarianceReport.js';
export type {
  EquivarianceOptions,
  EquivarianceReport,
  EquivarianceReportOptions,
  EquivarianceWorst,
  GroupLike,
  RepresentationLike,
} from './equivariance/equivarianceReport.js';
export type { BatchEvaluator, ModelEvaluator, PointEvaluator, RowMajorEvaluator } from './equivariance/evaluator.js';
export { CONFORMANCE_CASES, conformanceProblem } from './conformance/conformanceProblem.js';
export type { AdapterDiscoveryResult, ConformanceCase, ConformanceProblem, QuadraticProblem } from './conformance/conformanceProblem.js';
export { runDiscoveryConformance } from './conformance/runDiscoveryConformance.js';
export type { DiscoveryAdapter } from './conformance/runDiscoveryConformance.js';
export { normalSamples, normalVector } from './samples.js';
export type { NormalOptions } from './samples.js';
export { tempPath } from './tempPath.js';
export { hopfNormalForm, lorenzSystem, rotatingOscillator, rotatingOscillatorGenerator, trueCoefficients } from './dynamics/polynomialSystems.js';
export type { MonomialIndex, PolynomialSystem, PolynomialTerm } from './dynamics/polynomialSystems.js';
export { relativeMaxError } from './relativeMaxError.js';
export { packageManifestProblems } from './packageManifest.js';
export type { ManifestExpectations } from './packageManifest.js';
