export {
  LiesymError,
  ShapeMismatchError,
  NonFiniteError,
  InvalidArgumentError,
  InvalidRepresentationError,
  EmptyInputError,
  NotConvergedError,
  UnsupportedOperationError,
  InsufficientDataError,
  UnsupportedModelError,
  ModelFileError,
  InputFileError,
  UnknownNameError,
  OutputExistsError,
  OutputWriteError,
  SerializationError,
  errorMessage,
  describe,
} from './errors.js';
export type { ErrorMessageParts } from './errors.js';
export { TOLERANCES, defaultTolerance, checkRtol, checkAtol } from './tolerances.js';
export type { Dtype, DerivativeKind, ToleranceUse } from './tolerances.js';

export { Matrix } from './linalg/Matrix.js';
export { LinearOperator } from './linalg/LinearOperator.js';
export { expm } from './linalg/expm.js';
export { svd, qrR } from './linalg/svd.js';
export type { SvdResult } from './linalg/svd.js';
export { eigh } from './linalg/eigh.js';
export type { EighResult } from './linalg/eigh.js';
export { inverse, solve, LuDecomposition } from './linalg/lu.js';
export { nullspace, orthonormalColumns } from './linalg/nullspace.js';
export type { NullspaceOptions, NullspaceResult } from './linalg/nullspace.js';
export { createRng } from './linalg/random.js';
export type { Rng } from './linalg/random.js';

export { Group, customGroup } from './groups/Group.js';
export type { SampleOptions } from './groups/Group.js';
export { SO, O, GL, SL, Sp, SO13, O13, Scaling } from './groups/classical.js';
export { T, SE } from './groups/affine.js';
export { Z, S, A, D, permutationMatrix } from './groups/discrete.js';
export { directProduct } from './groups/directProduct.js';

export {
  Representation,
  V,
  Scalar,
  directSum,
  tensorProduct,
  hom,
  customRepresentation,
  liftRep,
  rhoOfExp,
} from './reps/Representation.js';
export { groupByName, parseRepresentation } from './reps/parseRepresentation.js';

export {
  affineAction,
  linearAction,
  nonlinearAction,
  tangentLift,
  actionsOf,
  affineActionsOf,
} from './lie/GroupAction.js';
export type { GroupAction } from './lie/GroupAction.js';
export { MonomialLibrary } from './lie/MonomialLibrary.js';
export type { FunctionLibrary } from './lie/MonomialLibrary.js';
export {
  finiteDifferenceJacobian,
  finiteDifferenceStep,
  finiteDifferenceStencil,
  stepAlong,
  directionalDerivatives,
} from './lie/finiteDifferences.js';
export type { FiniteDifferenceOptions, FiniteDifferenceStencil, Direction } from './lie/finiteDifferences.js';
export { runProgram, runProgramAsync, pointEvaluator, isEvaluator, evaluatePoints } from './lie/evaluator.js';
export type { Evaluator, PointFunction, PointJacobian, EvaluationRequest, Program } from './lie/evaluator.js';
export { boxSampler, drawSamples, normalSampler, smoothFieldSampler, sampleWeights } from './lie/samples.js';
export type { BoxSamplerOptions, SamplingOptions } from './lie/samples.js';
export { sampledLieDerivatives } from './lie/sampledLieDerivatives.js';
export type { TangentFamily, SampledLieDerivatives, SampledLieOptions } from './lie/sampledLieDerivatives.js';
export {
  vectorAction,
  trivialAction,
  scaleAction,
  gridFieldAction,
  periodicDerivativeMatrix,
  gridDerivativeMatrix,
  fieldGeneratorMatrix,
  fieldGeneratorParts,
} from './lie/dataActions.js';
export type { DataAction, SpatialDerivative, GridFieldOptions, FieldGeneratorParts } from './lie/dataActions.js';
export { linearMapModel, basisExpansionModel, functionModel } from './lie/models.js';
export type { LieModel, FunctionModelOptions } from './lie/models.js';
export { LieDerivative, lieDerivative } from './lie/LieDerivative.js';

export { invariantBasis, equivariantBasis, equivariantProjector } from './enforce/invariantBasis.js';
export type { BasisResult, EquivariantProjector } from './enforce/invariantBasis.js';
export {
  candidateGenerators,
  resolveCandidate,
  pairActions,
  structuredCandidate,
  imageCandidates,
  signalCandidates,
} from './symmetry/candidates.js';
export type { Candidate, GeneratorPair, NamedGenerator, StructuredCandidate, ResolvedCandidate, ImageLayout } from './symmetry/candidates.js';
export {
  discoverSymmetries,
  discoverSymmetriesAsync,
  symmetriesFromMatrix,
  closureResidual,
  candidateFamily,
} from './symmetry/discoverSymmetries.js';
export { identifyMatrixAlgebra, identifyPairs, identifyNamed, identifyDiscovery } from './symmetry/identifyAlgebra.js';
export type { DiscoverOptions, DiscoveryResult } from './symmetry/discoverSymmetries.js';
export { checkSymmetry, checkSymmetryAsync, generatorName } from './symmetry/checkSymmetry.js';
export type { CheckSymmetryOptions, SymmetryCheck, Verdict } from './symmetry/checkSymmetry.js';
export { checkLayerSymmetry } from './symmetry/checkLayerSymmetry.js';
export type { LayerSymmetryOptions, LayerSymmetryCheck } from './symmetry/checkLayerSymmetry.js';
export { checkDiscreteSymmetry } from './symmetry/checkDiscreteSymmetry.js';
export type { DiscreteElement } from './symmetry/checkDiscreteSymmetry.js';
export { checkDiscreteTransforms, checkDiscreteTransformsAsync, checkIndexMapTransforms } from './symmetry/checkDiscreteTransforms.js';
export type { DiscreteTransformsOptions, DiscreteTransformsCheck, CheckedIndexMap } from './symmetry/checkDiscreteTransforms.js';
export { imageIndexMaps, timeReversal, channelPermutation, outputPermutation, checkPermutation, IMAGE_INDEX_MAPS } from './symmetry/indexMapTransforms.js';
export type { IndexMapTransform, ImageIndexMapName } from './symmetry/indexMapTransforms.js';
export { nuclearNorm } from './symmetry/nuclearNorm.js';
export type { NuclearNormResult } from './symmetry/nuclearNorm.js';
export { symmetryPenalty } from './symmetry/symmetryPenalty.js';
export type { PenaltyResult } from './symmetry/symmetryPenalty.js';
export { equivarianceError, relativeDifference } from './symmetry/equivarianceError.js';
export type { EquivarianceErrorOptions, EquivarianceErrorResult } from './symmetry/equivarianceError.js';
export { enforceSymmetry } from './enforce/enforceSymmetry.js';
export type { EnforceOptions, EnforceResult } from './enforce/enforceSymmetry.js';

// models/: symmetric regression and SINDy (issue 4)
export { customLibrary } from './models/customLibrary.js';
export type { CustomLibrarySpec } from './models/customLibrary.js';
export { groupActions } from './models/groupActions.js';
export type { GroupActionsOptions } from './models/groupActions.js';
export { designMatrix } from './models/designMatrix.js';
export { leastSquares } from './models/leastSquares.js';
export type { LeastSquaresResult } from './models/leastSquares.js';
export { NEWTON_ADMM_RATIO, NEWTON_MAX_DOUBLES, NEWTON_START_SMOOTHING, NEWTON_STEP_FLOPS, solveNuclearNorm, singularValueThreshold } from './symmetry/solveNuclearNorm.js';
export type { NuclearNormProblem, NuclearNormSolveOptions, NuclearNormSolveResult } from './symmetry/solveNuclearNorm.js';
export { symmetricRegression, symmetryReport, discoverOperator } from './models/symmetricRegression.js';
export type { SymmetryMode, SymmetricRegressionOptions, SymmetricRegressionResult, SymmetryReport } from './models/symmetricRegression.js';
export { fitSymmetric } from './models/fitSymmetric.js';
export type { FitSymmetricOptions, FitSymmetricResult } from './models/fitSymmetric.js';
export { timeDerivative } from './models/timeDerivative.js';
export type { TimeDerivativeOptions } from './models/timeDerivative.js';
export { stlsq } from './models/stlsq.js';
export type { StlsqOptions, StlsqResult } from './models/stlsq.js';
export { sindy } from './models/sindy.js';
export { integrate } from './models/integrate.js';
export type { IntegrateOptions } from './models/integrate.js';
export type { SindyOptions, SindyResult } from './models/sindy.js';
export { discoverDataSymmetries } from './models/discoverDataSymmetries.js';
export type { DataSymmetryOptions, DataSymmetryResult } from './models/discoverDataSymmetries.js';

// Enforce at scale (issue 3): structured solvers' options and methods, representation structure, basis cache.
export type { InvariantBasisOptions, BasisMethod } from './enforce/invariantBasis.js';
export { representationStructure } from './reps/Representation.js';
export type { RepresentationStructure } from './reps/Representation.js';
export { BasisCache, basisCacheKey, encodeBasisEntry, decodeBasisEntry } from './cache/BasisCache.js';
export type { BasisStore, BasisCacheOptions, CachedBasisResult, CacheInfo, CorruptEntryInfo, DecodedEntry } from './cache/BasisCache.js';

// Adapters' shared math: linear-layer penalties (stacked nuclear norm), sparse generators, rep specs.
export { toMatrix } from './linalg/Matrix.js';
export { samplePool } from './lie/samplePool.js';
export type { SamplePool } from './lie/samplePool.js';
export { sparseMatrix, sparseTranspose } from './linalg/SparseMatrix.js';
export type { SparseMatrix } from './linalg/SparseMatrix.js';
export {
  algebraGram,
  orthonormalizer,
  layerGenerators,
  candidateLayerGenerators,
  layerLieDerivatives,
  layerLieAdjoint,
  transposeLayerGenerators,
} from './symmetry/layerGenerators.js';
export type { LayerGenerators, PreparedLayerGenerators } from './symmetry/layerGenerators.js';
export { stackedNuclearNorm } from './symmetry/stackedNuclearNorm.js';
export { prepareStackedNuclearNorm } from './symmetry/prepareStackedNuclearNorm.js';
export type { PreparedNuclearNormResult, PreparedStackedNuclearNorm, StackedNuclearNormOptions } from './symmetry/prepareStackedNuclearNorm.js';
export type { PenalizedWeights, StackedNuclearNorm } from './symmetry/stackedNuclearNorm.js';
export { checkPenaltyOptions, nuclearNormPenalty } from './symmetry/nuclearNormPenalty.js';
export type { NuclearNormPenalty } from './symmetry/nuclearNormPenalty.js';
export { groupToSpec, groupFromSpec, repToSpec, repFromSpec } from './reps/repSpec.js';
export type { GroupSpec, RepSpec } from './reps/repSpec.js';
export { representationRuns } from './reps/representationRuns.js';
export { partCoordinates, gateCount, gateRep, normOutputRep } from './reps/nonlinearityReps.js';
export type { RepresentationRun } from './reps/representationRuns.js';

// Spectral calculus on periodic grids (moved from @liesym/operators).
export { fft, frequencyIndex, spectrum, fromSpectrum } from './linalg/fft.js';
export type { FftOptions, GridShape } from './linalg/fft.js';
export { trigonometricInterpolation } from './lie/dataActions.js';
export type { PeriodicGridOptions } from './lie/dataActions.js';
export { periodicityDefect } from './lie/dataActions.js';
export type { PeriodicityDefect } from './lie/dataActions.js';

// Field generators for structured candidates on grids (moved from @liesym/operators).
export {
  linearGenerator,
  translationGenerator,
  rotationGenerator,
  scalingGenerator,
  galileanBoostGenerator,
  valueScalingGenerator,
  valueShiftGenerator,
  affineCandidates,
} from './symmetry/fieldGenerators.js';
export type { FieldGenerator, OperatorGenerator, FieldValueType, FieldGeneratorOptions } from './symmetry/fieldGenerators.js';

// Weight sharing of Fourier multipliers under a symmetry (moved from @liesym/operators' SpectralConv).
export { modeTable } from './enforce/modeTable.js';
export type { ModeTable, SpectralSymmetry } from './enforce/modeTable.js';

// Convolutions on the pixel grid: planar point groups, their action on kernels and images, steerable kernels, kernel symmetry.
export { planarGroup } from './groups/planarGroup.js';
export type { PlanarGroup, PlanarGroupName, PlanarElement } from './groups/planarGroup.js';
export { gridTransform } from './groups/gridTransform.js';
export type { GridElement } from './groups/gridTransform.js';
export { steerableKernelBasis, so2FieldRotation } from './enforce/steerableKernelBasis.js';
export type { SteerableKernelOptions, SteerableKernelBasis } from './enforce/steerableKernelBasis.js';
export { kernelGenerators, kernelSymmetry } from './symmetry/kernelGenerators.js';
export type { KernelCandidate, KernelShape, KernelSymmetry } from './symmetry/kernelGenerators.js';

// The double spring pendulum under gravity, a Hamiltonian test system with an so(2) ⊂ so(3) symmetry (neural-ODE data).
export { doubleSpringPendulumField, doubleSpringPendulumEnergy, doubleSpringPendulumEquilibrium, doubleSpringPendulumTrajectories } from './models/doubleSpringPendulum.js';
export type { DoubleSpringPendulumOptions, DoubleSpringPendulumTrajectoryOptions, DoubleSpringPendulumData } from './models/doubleSpringPendulum.js';

// Named transforms of images and signals, and lie-deriv's local equivariance error (issue 15).
export { imageTransforms, signalTransforms, IMAGE_TRANSFORMS, SIGNAL_TRANSFORMS } from './symmetry/namedTransforms.js';
export type { TransformFamily, NamedTransform, TransformUnit, ImageTransformOptions, SignalTransformOptions } from './symmetry/namedTransforms.js';
export { localEquivarianceError, localEquivarianceErrorAsync } from './symmetry/localEquivarianceError.js';
export type { LocalEquivarianceOptions, LocalEquivarianceResult, TransformError } from './symmetry/localEquivarianceError.js';
export { guessImageLayout } from './symmetry/guessImageLayout.js';
export type { GuessImageLayoutOptions } from './symmetry/guessImageLayout.js';
export { resolveTransformFamilies, smoothImageSampler } from './symmetry/resolveTransformFamilies.js';
export type { NamedTransformsOptions, ResolveTransformFamiliesOptions, ResolvedTransformFamilies } from './symmetry/resolveTransformFamilies.js';
export { resolveDiscreteTransforms, DISCRETE_TRANSFORMS } from './symmetry/resolveDiscreteTransforms.js';
export type { ResolveDiscreteTransformsOptions } from './symmetry/resolveDiscreteTransforms.js';
export { layerAttribution } from './symmetry/layerAttribution.js';
export type { AttributionGraph, GraphNodeInfo, GraphRun, GraphTensor, LayerAttributionOptions, LayerAttributionResult, NodeAttribution, TransformAttribution } from './symmetry/layerAttribution.js';
export { formatCombination } from './symmetry/transformDiscovery.js';
export type { TransformDiscovery, TransformClosure } from './symmetry/transformDiscovery.js';
