export {
  LiesymError,
  ShapeMismatchError,
  NonFiniteError,
  InvalidArgumentError,
  InvalidRepresentationError,
  EmptyInputError,
  NotConvergedError,
  UnsupportedOperationError,
} from './errors.js';

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
export { finiteDifferenceJacobian } from './lie/jacobian.js';
export { linearMapModel, basisExpansionModel, functionModel } from './lie/models.js';
export type { LieModel, FunctionModelOptions } from './lie/models.js';
export { LieDerivative, lieDerivative } from './lie/LieDerivative.js';

export { invariantBasis, equivariantBasis, equivariantProjector } from './symmetry/invariantBasis.js';
export type { BasisResult, EquivariantProjector } from './symmetry/invariantBasis.js';
export { candidateGenerators, pairActions } from './symmetry/candidates.js';
export type { Candidate, GeneratorPair } from './symmetry/candidates.js';
export { discoverSymmetries, symmetriesFromMatrix, closureResidual } from './symmetry/discoverSymmetries.js';
export type { DiscoverOptions, DiscoveryResult } from './symmetry/discoverSymmetries.js';
export { checkDiscreteSymmetry } from './symmetry/checkDiscreteSymmetry.js';
export { nuclearNorm } from './symmetry/nuclearNorm.js';
export type { NuclearNormResult } from './symmetry/nuclearNorm.js';
export { symmetryPenalty } from './symmetry/symmetryPenalty.js';
export type { PenaltyResult } from './symmetry/symmetryPenalty.js';
export { equivarianceError } from './symmetry/equivarianceError.js';
export type { EquivarianceErrorResult } from './symmetry/equivarianceError.js';
export { enforceSymmetry } from './symmetry/enforceSymmetry.js';
export type { EnforceResult } from './symmetry/enforceSymmetry.js';
