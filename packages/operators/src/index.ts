/**
 * @liesym/operators: neural operators on fields that enforce, discover and promote symmetry.
 * Fields on periodic 1-D/2-D grids with the field Lie derivative ℒ_ξ u = Du·ξ_M − A u,
 * Fourier neural operators in tfjs with symmetric spectral weights, operator-level discovery
 * and the nuclear-norm promote penalty, and deterministic PDE data. Math in float64 via
 * @liesym/core; networks in float32 (tfjs).
 *
 * @packageDocumentation
 */
export { OperatorError, GridMismatchError, NonPeriodicFieldError } from './errors.js';
export { Grid, Field } from './Grid.js';
export type { GridOptions } from './Grid.js';
export { fft, spectrum, fromSpectrum, frequencyIndex, differentiationMatrix, spectralDerivative, assertPeriodic, interpolate } from './spectral.js';
export {
  fieldLieDerivative,
  linearGenerator,
  translationGenerator,
  rotationGenerator,
  scalingGenerator,
  galileanBoostGenerator,
  valueScalingGenerator,
  valueShiftGenerator,
  affineCandidates,
  generatorMatrix,
  generatorFromMatrix,
} from './fieldGenerators.js';
export type { FieldGenerator, OperatorGenerator, ValueType, GeneratorOptions } from './fieldGenerators.js';
export { gaussianSources, screenedPoisson, smoothPeriodicFields, heatSolve, burgersSolve } from './data.js';
export type { FieldDataset, GaussianSourceOptions, ScreenedPoissonOptions, SmoothFieldOptions } from './data.js';
export { transformField } from './transformField.js';
export type { GridTransform } from './transformField.js';
export { SpectralConv, modeTable } from './SpectralConv.js';
export type { SpectralConvArgs, SpectralSymmetry, ModeTable } from './SpectralConv.js';
export { fno } from './fno.js';
export type { FnoOptions } from './fno.js';
export { discoverOperatorSymmetries, orthonormalCandidates } from './discoverOperatorSymmetries.js';
export type { FieldOperator, OperatorDiscoverOptions, OperatorDiscoveryResult } from './discoverOperatorSymmetries.js';
export { nuclearNormTf, operatorSymmetryPenalty } from './operatorPenalty.js';
export type { OperatorPenalty, OperatorPenaltyOptions } from './operatorPenalty.js';
export { trainOperator } from './trainOperator.js';
export type { TrainOperatorOptions, TrainOperatorResult } from './trainOperator.js';
export { fieldsToTensor, tensorToFields, tfOperator } from './tfFields.js';
