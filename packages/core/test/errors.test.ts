/**
 * Bad input gets a typed error (class and stable `code`) whose message names the
 * function and the argument.
 */
import { describe, expect, it } from 'vitest';
import {
  EmptyInputError,
  InvalidArgumentError,
  InvalidRepresentationError,
  LieDerivative,
  LinearOperator,
  Matrix,
  MonomialLibrary,
  NonFiniteError,
  NotConvergedError,
  O,
  S,
  SO,
  ShapeMismatchError,
  UnsupportedOperationError,
  V,
  actionsOf,
  affineAction,
  basisExpansionModel,
  checkDiscreteSymmetry,
  customGroup,
  customRepresentation,
  directProduct,
  directSum,
  discoverSymmetries,
  enforceSymmetry,
  equivarianceError,
  equivariantProjector,
  expm,
  functionModel,
  hom,
  inverse,
  lieDerivative,
  liftRep,
  linearAction,
  linearMapModel,
  nonlinearAction,
  nuclearNorm,
  nullspace,
  svd,
  symmetryPenalty,
  tensorProduct,
} from '../src/index.js';
import { expectTypedError, normalSamples, randomMatrix } from './helpers.js';

const xs3 = normalSamples(10, 3, { seed: 1 });
const sqNorm = (x: Float64Array): number[] => [x[0]! ** 2 + x[1]! ** 2 + x[2]! ** 2];
const NAN_2x2 = new Matrix(2, 2, Float64Array.from([1, Number.NaN, 0, 1]));

describe('ShapeMismatchError (SHAPE_MISMATCH)', () => {
  const code = 'SHAPE_MISMATCH';

  it('ragged rows and wrong data lengths in Matrix', () => {
    expectTypedError(() => Matrix.from([[1, 2], [3]]), { type: ShapeMismatchError, code }, /Matrix\.from/, /'values'/, /row 1/);
    expectTypedError(() => new Matrix(2, 2, new Float64Array(3)), { type: ShapeMismatchError, code }, /Matrix/, /'data'/, /4/);
    expectTypedError(() => Matrix.identity(2).mul(Matrix.identity(3)), { type: ShapeMismatchError, code }, /Matrix\.mul/, /'other'/);
  });

  it('expm of a non-square matrix', () => {
    expectTypedError(() => expm(new Matrix(2, 3)), { type: ShapeMismatchError, code }, /expm/, /'a'/, /2×3/);
  });

  it("discoverSymmetries with ragged samples or an f whose output length varies", () => {
    expectTypedError(
      () => discoverSymmetries(sqNorm, [[1, 2, 3], [1, 2]], { candidate: 'gl-input' }),
      { type: ShapeMismatchError, code },
      /discoverSymmetries/,
      /'xs'/,
    );
    const signs = Array.from(xs3.column(0), Math.sign);
    expect(new Set(signs).size).toBe(2);
    const varying = (x: Float64Array): number[] => (x[0]! > 0 ? [x[0]!] : [x[0]!, x[1]!]);
    expectTypedError(() => discoverSymmetries(varying, xs3, { candidate: 'gl-input' }), { type: ShapeMismatchError, code }, /discoverSymmetries/, /'f'/);
  });

  it("'gl-lift' with different input and output dimensions", () => {
    expectTypedError(() => discoverSymmetries(sqNorm, xs3, { candidate: 'gl-lift' }), { type: ShapeMismatchError, code }, /discoverSymmetries/, /'gl-lift'/);
  });

  it('checkDiscreteSymmetry with h_out of the wrong size', () => {
    const h = Matrix.identity(3);
    expectTypedError(() => checkDiscreteSymmetry(sqNorm, h, Matrix.identity(2), xs3), { type: ShapeMismatchError, code }, /checkDiscreteSymmetry/, /'hOut'/);
  });

  it('symmetryPenalty with a θ of the wrong length; LieDerivative with an action of the wrong size', () => {
    const form = lieDerivative(linearMapModel({ dimIn: 3, dimOut: 3 }), [linearAction(Matrix.identity(3), Matrix.identity(3))]);
    expectTypedError(() => symmetryPenalty(form, [1, 2, 3, 4]), { type: ShapeMismatchError, code }, /symmetryPenalty/, /'theta'/, /9/);
    expectTypedError(
      () => lieDerivative(linearMapModel({ dimIn: 3, dimOut: 3 }), [linearAction(Matrix.identity(2), Matrix.identity(2))]),
      { type: ShapeMismatchError, code },
      /LieDerivative/,
      /action 0/,
    );
    expectTypedError(() => form.inGenerators([1, 2]), { type: ShapeMismatchError, code }, /inGenerators/, /'theta'/);
  });

  it('equivariantProjector.project of a wrongly shaped W', () => {
    const P = equivariantProjector(V(SO(3)), V(SO(3)));
    expectTypedError(() => P.project(Matrix.identity(2)), { type: ShapeMismatchError, code }, /equivariantProjector\.project/, /'w'/);
  });

  it('ρ(g) of an element of the wrong size names rhoOf and its argument', () => {
    expectTypedError(() => V(SO(3)).rhoOf(Matrix.identity(2)), { type: ShapeMismatchError, code }, /rhoOf/, /'g'/, /3×3/, /2×2/);
  });

  it('equivarianceError with samples of the wrong width', () => {
    expectTypedError(
      () => equivarianceError(sqNorm, { repIn: V(SO(3)), repOut: V(SO(3)), samples: [[1, 2]] }),
      { type: ShapeMismatchError, code },
      /equivarianceError/,
      /'samples'/,
    );
  });
});

describe('NonFiniteError (NON_FINITE)', () => {
  const code = 'NON_FINITE';

  it('expm and nuclearNorm of a matrix holding NaN', () => {
    expectTypedError(() => expm(NAN_2x2), { type: NonFiniteError, code }, /expm/, /'a'/);
    expectTypedError(() => nuclearNorm(NAN_2x2), { type: NonFiniteError, code }, /nuclearNorm/, /'m'/);
    expectTypedError(() => Matrix.from([[1, Number.POSITIVE_INFINITY]]), { type: NonFiniteError, code }, /Matrix\.from/, /'values'\[0\]\[1\]/, /Infinity/);
  });

  it('discoverSymmetries with a NaN sample or an f returning NaN', () => {
    expectTypedError(
      () => discoverSymmetries(sqNorm, [[1, 2, 3], [Number.NaN, 0, 0]], { candidate: 'gl-input' }),
      { type: NonFiniteError, code },
      /discoverSymmetries/,
      /'xs'/,
    );
    expectTypedError(
      () => discoverSymmetries(() => [Number.NaN], xs3, { candidate: 'gl-input' }),
      { type: NonFiniteError, code },
      /discoverSymmetries/,
      /'f'/,
      /NaN/,
    );
  });

  it('checkDiscreteSymmetry when F returns Infinity', () => {
    const h = Matrix.identity(3);
    expectTypedError(() => checkDiscreteSymmetry(() => [Number.POSITIVE_INFINITY], h, [[1]], xs3), { type: NonFiniteError, code }, /checkDiscreteSymmetry/);
  });

  it('customGroup with a NaN generator names customGroup and the argument', () => {
    expectTypedError(
      () => customGroup({ lieAlgebra: [[[Number.NaN, 0], [0, 0]]] }),
      { type: NonFiniteError, code },
      /^customGroup/,
      /'lieAlgebra\[0\]'/,
    );
  });
});

describe('InvalidArgumentError (INVALID_ARGUMENT)', () => {
  const code = 'INVALID_ARGUMENT';

  it('group sizes that are not positive integers', () => {
    expectTypedError(() => SO(0), { type: InvalidArgumentError, code }, /SO/, /'n'/, /received 0/);
    expectTypedError(() => S(2.5), { type: InvalidArgumentError, code }, /S:/, /'n'/, /2\.5/);
  });

  it("discoverSymmetries with an unknown or missing candidate", () => {
    expectTypedError(
      () => discoverSymmetries(sqNorm, xs3, { candidate: 'gl-everything' as 'gl-input' }),
      { type: InvalidArgumentError, code },
      /discoverSymmetries/,
      /'candidate'/,
    );
    expectTypedError(
      () => discoverSymmetries(sqNorm, xs3, {} as { candidate: 'gl-input' }),
      { type: InvalidArgumentError, code },
      /discoverSymmetries/,
      /'options\.candidate'/,
    );
    expectTypedError(
      () => discoverSymmetries(sqNorm, xs3, { candidate: 'gl-input', rtol: Number.NaN }),
      { type: InvalidArgumentError, code },
      /discoverSymmetries/,
      /'rtol'/,
    );
  });

  it('linearly dependent candidate pairs', () => {
    const L = SO(3).lieAlgebra[0]!;
    expectTypedError(
      () => discoverSymmetries(sqNorm, xs3, { candidate: [[L, [[0]]], [L.scale(2), [[0]]]] }),
      { type: InvalidArgumentError, code },
      /discoverSymmetries/,
      /'candidate'|candidate pairs/,
    );
  });

  it('bad options and arguments of constructors', () => {
    expectTypedError(() => nullspace(Matrix.identity(2), { rtol: -1 }), { type: InvalidArgumentError, code }, /nullspace/, /'rtol'/);
    expectTypedError(() => V(3 as unknown as ReturnType<typeof SO>), { type: InvalidArgumentError, code }, /V:/, /'group'/);
    expectTypedError(() => V(SO(3)).pow(-1), { type: InvalidArgumentError, code }, /pow/, /'k'/);
    expectTypedError(() => LinearOperator.permutation([0, 0, 1]), { type: InvalidArgumentError, code }, /permutation/, /'perm'/);
    expectTypedError(() => new MonomialLibrary(0, 2), { type: InvalidArgumentError, code }, /MonomialLibrary/, /'m'/);
    expectTypedError(() => linearMapModel({ dimIn: 0, dimOut: 2 }), { type: InvalidArgumentError, code }, /linearMapModel/, /'dimIn'/);
    expectTypedError(() => affineAction({ A: Matrix.identity(2) }), { type: InvalidArgumentError, code }, /affineAction/, /'dimOut'/);
    expectTypedError(() => directProduct(SO(2), 'S3' as unknown as ReturnType<typeof SO>), { type: InvalidArgumentError, code }, /directProduct/, /argument 1/);
  });

  it('the inverse of a singular matrix (documented as InvalidArgumentError)', () => {
    expectTypedError(() => inverse(Matrix.from([[1, 2], [2, 4]])), { type: InvalidArgumentError, code: 'INVALID_ARGUMENT' }, /inverse/, /singular/);
  });
});

describe('InvalidRepresentationError (INVALID_REPRESENTATION)', () => {
  const code = 'INVALID_REPRESENTATION';

  it('combining representations of different groups', () => {
    expectTypedError(() => tensorProduct(V(SO(3)), V(O(3))), { type: InvalidRepresentationError, code }, /tensorProduct/, /argument 1/, /SO\(3\)/, /O\(3\)/);
    expectTypedError(() => directSum(V(SO(3)), V(SO(2))), { type: InvalidRepresentationError, code }, /directSum/, /argument 1/);
    expectTypedError(() => hom(V(SO(3)), V(O(3))), { type: InvalidRepresentationError, code }, /hom/);
  });

  it('equivarianceError with representations of different groups', () => {
    expectTypedError(
      () => equivarianceError(sqNorm, { repIn: V(SO(3)), repOut: V(O(3)) }),
      { type: InvalidRepresentationError, code },
      /equivarianceError/,
      /'repIn'/,
      /'repOut'/,
    );
  });

  it('actionsOf with representations of different groups', () => {
    expectTypedError(() => actionsOf(V(SO(3)), V(O(3))), { type: InvalidRepresentationError, code }, /actionsOf/, /'repIn'/, /'repOut'/);
  });

  it('customRepresentation with the wrong number of generator matrices', () => {
    expectTypedError(
      () => customRepresentation({ group: SO(3), dim: 2, drho: [Matrix.identity(2)] }),
      { type: InvalidRepresentationError, code },
      /customRepresentation/,
      /'drho'/,
      /3/,
    );
  });

  it('liftRep of a representation of a group that is not a factor', () => {
    expectTypedError(() => liftRep(V(SO(3)), directProduct(SO(2), S(3))), { type: InvalidRepresentationError, code }, /liftRep/, /'rep'/);
  });
});

describe('EmptyInputError (EMPTY_INPUT)', () => {
  const code = 'EMPTY_INPUT';

  it('discoverSymmetries with xs = []', () => {
    expectTypedError(() => discoverSymmetries(sqNorm, [], { candidate: 'gl-input' }), { type: EmptyInputError, code }, /discoverSymmetries/, /'xs'/);
  });

  it('functionModel and checkDiscreteSymmetry with no samples', () => {
    expectTypedError(() => functionModel(sqNorm, []), { type: EmptyInputError, code }, /functionModel/, /'xs'/);
    const h = Matrix.identity(3);
    expectTypedError(() => checkDiscreteSymmetry(sqNorm, h, [[1]], []), { type: EmptyInputError, code }, /checkDiscreteSymmetry/, /'xs'/);
  });

  it("basisExpansionModel with samples = [] names its argument 'samples'", () => {
    expectTypedError(
      () => basisExpansionModel({ library: new MonomialLibrary(2, 2), dimOut: 1, samples: [] }),
      { type: EmptyInputError, code },
      /basisExpansionModel/,
      /'samples'/,
    );
  });

  it('no groups, no generators, no actions', () => {
    expectTypedError(() => directProduct(), { type: EmptyInputError, code }, /directProduct/);
    expectTypedError(() => customGroup({ lieAlgebra: [] }), { type: EmptyInputError, code }, /customGroup/, /'lieAlgebra'/);
    expectTypedError(() => lieDerivative(linearMapModel({ dimIn: 2, dimOut: 2 }), []), { type: EmptyInputError, code }, /LieDerivative/, /'actions'/);
    expectTypedError(() => discoverSymmetries(sqNorm, xs3, { candidate: [] }), { type: EmptyInputError, code }, /discoverSymmetries/, /'candidate'/);
  });
});

describe('UnsupportedOperationError (UNSUPPORTED_OPERATION)', () => {
  const code = 'UNSUPPORTED_OPERATION';
  const custom = customRepresentation({ group: SO(2), dim: 2, drho: [Matrix.from([[0, -2], [2, 0]])] });

  it('ρ(g) and dρ(A) of a custom representation', () => {
    expectTypedError(() => custom.rhoOf(Matrix.identity(2)), { type: UnsupportedOperationError, code }, /customRepresentation\.rhoOf/);
    expectTypedError(() => custom.drhoOf(Matrix.identity(2)), { type: UnsupportedOperationError, code }, /customRepresentation\.drhoOf/);
    // The generator matrices themselves remain available.
    expect(custom.drho(0).toDense().get(1, 0)).toBe(2);
  });

  it('exact Lie derivatives under a nonlinear action; the parameter slot of a black-box function', () => {
    const bend = nonlinearAction({ dimIn: 2, dimOut: 2, field: (x) => [x[1]! ** 2, 0] });
    expectTypedError(
      () => new LieDerivative(linearMapModel({ dimIn: 2, dimOut: 2 }), [bend]).inParameters(0),
      { type: UnsupportedOperationError, code },
      /linearMapModel\.derivativeMatrix/,
    );
    expectTypedError(
      () => enforceSymmetry(lieDerivative(basisExpansionModel({ library: new MonomialLibrary(2, 2), dimOut: 2 }), [bend])),
      { type: UnsupportedOperationError, code },
      /basisExpansionModel\.derivativeMatrix/,
      /'samples'/,
    );
    const fm = functionModel((x) => [x[0]!, x[1]!], normalSamples(4, 2, { seed: 1 }));
    expectTypedError(() => enforceSymmetry(lieDerivative(fm, [bend])), { type: UnsupportedOperationError, code }, /functionModel\.derivativeMatrix/);
  });
});

describe('NotConvergedError (NOT_CONVERGED)', () => {
  it('svd with maxSweeps: 1 on a random 6×6 matrix; the default converges', () => {
    const a = randomMatrix(6, 6, 2);
    expectTypedError(() => svd(a, { maxSweeps: 1 }), { type: NotConvergedError, code: 'NOT_CONVERGED' }, /svd/, /1 sweeps/, /6×6/);
    expect(svd(a).s.length).toBe(6);
  });
});
