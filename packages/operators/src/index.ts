/**
 * @liesym/operators: neural operators on fields that enforce, discover and promote symmetry — Fields on periodic
 * 1-D/2-D grids, Fourier neural operators in tfjs with symmetric spectral weights, operator discovery and the
 * nuclear-norm penalty through @liesym/core's engine, and deterministic PDE data. Math float64 (core), networks float32.
 *
 * @packageDocumentation
 */
export { OperatorError, GridMismatchError, NonPeriodicFieldError } from './errors.js';
export { Grid, Field, assertPeriodic } from './Grid.js';
export type { GridOptions } from './Grid.js';
// Framework-free math that moved to @liesym/core (the FFT and spectra, the field generator presets, the weight
// sharing of spectral weights), re-exported here so existing imports keep working.
export { fft, spectrum, fromSpectrum, frequencyIndex, modeTable, affineCandidates, galileanBoostGenerator, linearGenerator } from '@liesym/core';
export { rotationGenerator, scalingGenerator, translationGenerator, valueScalingGenerator, valueShiftGenerator } from '@liesym/core';
export type { FieldGenerator, OperatorGenerator, FieldValueType as ValueType, FieldGeneratorOptions as GeneratorOptions, SpectralSymmetry, ModeTable } from '@liesym/core';
export { differentiationMatrix, spectralDerivative, interpolate } from './spectral.js';
export { fieldLieDerivative, generatorMatrix, generatorFromMatrix } from './fieldGenerators.js';
export { gaussianSources, screenedPoisson, smoothPeriodicFields, heatSolve, burgersSolve } from './data.js';
export type { FieldDataset, GaussianSourceOptions, ScreenedPoissonOptions, SmoothFieldOptions } from './data.js';
export { transformField } from './transformField.js';
export type { GridTransform } from './transformField.js';
export { SpectralConv } from './SpectralConv.js';
export type { SpectralConvArgs } from './SpectralConv.js';
export { fno } from './fno.js';
export type { FnoOptions } from './fno.js';
export { discoverOperatorSymmetries, orthonormalCandidates, operatorCandidate } from './discoverOperatorSymmetries.js';
export type { FieldOperator, OperatorDims, OperatorDiscoverOptions, OperatorDiscoveryResult } from './discoverOperatorSymmetries.js';
export { nuclearNormTf, operatorSymmetryPenalty } from './operatorPenalty.js';
export type { NuclearNormTfOptions, OperatorPenalty, OperatorPenaltyOptions } from './operatorPenalty.js';
export { trainOperator } from './trainOperator.js';
export type { TrainOperatorOptions, TrainOperatorResult } from './trainOperator.js';
export { fieldsToTensor, tensorToFields, tfOperator } from './tfFields.js';
