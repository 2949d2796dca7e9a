import {
  EmptyInputError,
  InvalidArgumentError,
  InvalidRepresentationError,
  ShapeMismatchError,
  UnsupportedOperationError,
  describe,
} from '../errors.js';
import { Group, hashMatrices } from '../groups/Group.js';
import { LinearOperator } from '../linalg/LinearOperator.js';
import { Matrix } from '../linalg/Matrix.js';
import { expm } from '../linalg/expm.js';
import { inverse } from '../linalg/lu.js';

/**
 * A representation ρ of a group G on R^dim. It gives, lazily, the matrices dρ(ξᵢ) of
 * the Lie-algebra basis (`drho(i)`) and ρ(hⱼ) of the discrete generators (`rho(j)`).
 * Representations form an algebra: {@link directSum} (⊕), {@link tensorProduct} (⊗),
 * `dual()` (ρ*(g) = ρ(g)⁻ᵀ), `pow(k)` (ρ^⊗k) and {@link hom} (a → b = b ⊗ a*).
 * They are immutable; `key` is a canonical description of the structure.
 */
export abstract class Representation {
  /** Dimension of the representation space. */
  abstract readonly dim: number;
  /**
   * The group, or undefined for a representation built only from {@link Scalar} (Scalar itself,
   * Scalar ⊕ Scalar, …): those are trivial for any group, dρ(ξᵢ) = 0 and ρ(hⱼ) = I for every index,
   * and combine with representations of any one group.
   */
  abstract readonly group: Group | undefined;
  /** Canonical structure key, e.g. "V[SO(3)]⊗V[SO(3)]*". */
  abstract readonly key: string;
  /** dρ(ξᵢ) for the i-th Lie-algebra basis element, as a lazy dim×dim operator. */
  abstract drho(i: number): LinearOperator;
  /** ρ(hⱼ) for the j-th discrete generator, as a lazy dim×dim operator. */
  abstract rho(j: number): LinearOperator;
  /**
   * dρ(A) for any element A of the Lie algebra written in the defining representation
   * (a d×d matrix). Linear in A and a Lie-algebra homomorphism.
   * @throws UnsupportedOperationError for custom representations
   */
  abstract drhoOf(a: Matrix): LinearOperator;
  /**
   * ρ(g) for any group element g written in the defining representation (a d×d matrix).
   * @throws UnsupportedOperationError for custom representations
   */
  abstract rhoOf(g: Matrix): LinearOperator;
  /** Pushes the dual inward (a tensor product's dual is the product of duals). */
  abstract dual(): Representation;

  /** The k-th tensor power ρ^⊗k (k = 0 gives {@link Scalar}). */
  pow(k: number): Representation {
    if (!Number.isInteger(k) || k < 0) {
      throw new InvalidArgumentError(`Representation.pow: 'k' must be an integer ≥ 0; received ${describe(k)}`);
    }
    if (k === 0) return Scalar;
    return tensorProduct(...Array.from({ length: k }, () => this as Representation));
  }

  /** Number of Lie-algebra generators of the group (0 for Scalar). */
  get generatorCount(): number {
    return this.group?.lieAlgebra.length ?? 0;
  }

  /** Number of discrete generators of the group (0 for Scalar). */
  get discreteCount(): number {
    return this.group?.discreteGenerators.length ?? 0;
  }

  toString(): string {
    return this.key;
  }

  /**
   * Validates a generator index. A representation without a group (Scalar, and sums and products
   * built only from Scalars) is trivial for every group: any index ≥ 0 is valid there, and it
   * returns true so that the caller answers dρ = 0, ρ = I.
   */
  protected checkIndex(i: number, count: number, what: 'drho' | 'rho'): boolean {
    if (this.group === undefined && Number.isInteger(i) && i >= 0) return true;
    if (!Number.isInteger(i) || i < 0 || i >= count) {
      throw new InvalidArgumentError(
        `Representation.${what}: '${what === 'drho' ? 'i' : 'j'}' must be an integer in [0, ${count}); received ${describe(i)}`,
      );
    }
    return false;
  }

  protected checkElement(m: Matrix, what: 'drhoOf' | 'rhoOf'): void {
    const arg = what === 'rhoOf' ? 'g' : 'a';
    if (!(m instanceof Matrix)) {
      throw new InvalidArgumentError(`Representation.${what}: '${arg}' must be a Matrix; received ${describe(m)}`);
    }
    const d = this.group?.d;
    if (d !== undefined && (m.rows !== d || m.cols !== d)) {
      throw new ShapeMismatchError(`Representation.${what}: '${arg}' must be ${d}×${d} (the group's defining size); received ${m.rows}×${m.cols}`);
    }
  }
}

class ScalarRep extends Representation {
  readonly dim = 1;
  readonly group = undefined;
  readonly key = 'Scalar';
  drho(): LinearOperator {
    return LinearOperator.zeros(1);
  }
  rho(): LinearOperator {
    return LinearOperator.identity(1);
  }
  drhoOf(): LinearOperator {
    return LinearOperator.zeros(1);
  }
  rhoOf(): LinearOperator {
    return LinearOperator.identity(1);
  }
  dual(): Representation {
    return this;
  }
}

/** The trivial one-dimensional representation (of any group): ρ(g) = 1, dρ(ξ) = 0. */
export const Scalar: Representation = new ScalarRep();

class DefiningRep extends Representation {
  readonly dim: number;
  readonly key: string;
  constructor(
    readonly group: Group,
    private readonly dualized: boolean,
  ) {
    super();
    this.dim = group.d;
    this.key = `V[${group.key}]${dualized ? '*' : ''}`;
  }
  drho(i: number): LinearOperator {
    this.checkIndex(i, this.group.lieAlgebra.length, 'drho');
    return this.drhoOf(this.group.lieAlgebra[i]!);
  }
  rho(j: number): LinearOperator {
    this.checkIndex(j, this.group.discreteGenerators.length, 'rho');
    return this.rhoOf(this.group.discreteGenerators[j]!);
  }
  drhoOf(a: Matrix): LinearOperator {
    this.checkElement(a, 'drhoOf');
    return LinearOperator.fromMatrix(this.dualized ? a.transpose().scale(-1) : a);
  }
  rhoOf(g: Matrix): LinearOperator {
    this.checkElement(g, 'rhoOf');
    return LinearOperator.fromMatrix(this.dualized ? inverse(g, 'Representation.rhoOf').transpose() : g);
  }
  dual(): Representation {
    return new DefiningRep(this.group, !this.dualized);
  }
}

/**
 * The defining (vector) representation of G on R^d: ρ(g) = g, dρ(ξ) = ξ.
 * @example
 * V(SO(3)).dim; // 3
 */
export function V(group: Group): Representation {
  if (!(group instanceof Group)) {
    throw new InvalidArgumentError(`V: 'group' must be a Group; received ${describe(group)}`);
  }
  return new DefiningRep(group, false);
}

/** The common group of several representations (Scalars adapt to any group). */
function commonGroup(fn: string, reps: readonly Representation[]): Group | undefined {
  let g: Group | undefined;
  reps.forEach((r, i) => {
    if (!(r instanceof Representation)) {
      throw new InvalidArgumentError(`${fn}: argument ${i} must be a Representation; received ${describe(r)}`);
    }
    if (r.group === undefined) return;
    if (g === undefined) g = r.group;
    else if (g.key !== r.group.key) {
      throw new InvalidRepresentationError(
        `${fn}: all representations must be of the same group; received ${g.name} and ${r.group.name} (argument ${i}). ` +
          `To combine factors of a product group, use directProduct(...) and liftRep(...).`,
      );
    }
  });
  return g;
}

/** What makes a composite ⊕ or ⊗: its size, its key, and how it combines its members' dρ and ρ. */
interface CompositeRule {
  readonly kind: 'directSum' | 'tensorProduct';
  dim(members: readonly Representation[]): number;
  key(members: readonly Representation[]): string;
  lie(ops: LinearOperator[]): LinearOperator;
  group(ops: LinearOperator[]): LinearOperator;
}

/** ⊕: dimensions add, dρ and ρ are block-diagonal. */
const DIRECT_SUM: CompositeRule = {
  kind: 'directSum',
  dim: (members) => members.reduce((s, p) => s + p.dim, 0),
  key: (members) => `(${members.map((p) => p.key).join('⊕')})`,
  lie: (ops) => LinearOperator.directSum(...ops),
  group: (ops) => LinearOperator.directSum(...ops),
};

/** ⊗: dimensions multiply, dρ is the Kronecker sum of the members' dρ, ρ the Kronecker product of their ρ. */
const TENSOR_PRODUCT: CompositeRule = {
  kind: 'tensorProduct',
  dim: (members) => members.reduce((s, p) => s * p.dim, 1),
  key: (members) => members.map((f) => f.key).join('⊗'),
  lie: (ops) => LinearOperator.kronSum(...ops),
  group: (ops) => LinearOperator.kron(...ops),
};

/** A direct sum or tensor product of representations: dρ, ρ and the dual come from the members' by its rule. */
class CompositeRep extends Representation {
  readonly dim: number;
  readonly key: string;
  constructor(
    readonly group: Group | undefined,
    readonly members: readonly Representation[],
    readonly rule: CompositeRule,
  ) {
    super();
    this.dim = rule.dim(members);
    this.key = rule.key(members);
  }
  drho(i: number): LinearOperator {
    if (this.checkIndex(i, this.generatorCount, 'drho')) return LinearOperator.zeros(this.dim);
    return this.rule.lie(this.members.map((p) => p.drho(i)));
  }
  rho(j: number): LinearOperator {
    if (this.checkIndex(j, this.discreteCount, 'rho')) return LinearOperator.identity(this.dim);
    return this.rule.group(this.members.map((p) => p.rho(j)));
  }
  drhoOf(a: Matrix): LinearOperator {
    return this.rule.lie(this.members.map((p) => p.drhoOf(a)));
  }
  rhoOf(g: Matrix): LinearOperator {
    return this.rule.group(this.members.map((p) => p.rhoOf(g)));
  }
  dual(): Representation {
    return new CompositeRep(this.group, this.members.map((p) => p.dual()), this.rule);
  }
}

/** The members of `rep` when it is a composite of this kind (to flatten nested sums and products). */
function membersOf(rep: Representation, kind: CompositeRule['kind']): readonly Representation[] | undefined {
  return rep instanceof CompositeRep && rep.rule.kind === kind ? rep.members : undefined;
}

/**
 * The direct sum ρ₁ ⊕ ρ₂ ⊕ …: block-diagonal action on the concatenated spaces. A sum of
 * Scalars has no group and acts trivially (dρ = 0, ρ = I) wherever it is used.
 * @throws InvalidRepresentationError when the representations belong to different groups
 * @example
 * directSum(V(SO(3)), Scalar).dim; // 4
 * equivariantBasis(V(SO(3)), directSum(Scalar, Scalar)).dimension; // 0: V has no invariant covector
 */
export function directSum(...reps: Representation[]): Representation {
  if (reps.length === 0) throw new EmptyInputError(`directSum: at least one representation is required; received none`);
  const g = commonGroup('directSum', reps);
  if (reps.length === 1) return reps[0]!;
  const flat = reps.flatMap((r) => membersOf(r, 'directSum') ?? [r]);
  return new CompositeRep(g, flat, DIRECT_SUM);
}

/**
 * The tensor product ρ₁ ⊗ ρ₂ ⊗ …: ρ(g) = ρ₁(g) ⊗ ρ₂(g) ⊗ …, and dρ(ξ) is the Kronecker sum
 * Σ I ⊗ … ⊗ dρᵢ(ξ) ⊗ … ⊗ I (lazy). The first factor's index varies slowest.
 * @throws InvalidRepresentationError when the representations belong to different groups
 */
export function tensorProduct(...reps: Representation[]): Representation {
  if (reps.length === 0) throw new EmptyInputError(`tensorProduct: at least one representation is required; received none`);
  const g = commonGroup('tensorProduct', reps);
  const flat = reps.flatMap((r) => membersOf(r, 'tensorProduct') ?? [r]).filter((r) => r !== Scalar);
  if (flat.length === 0) return Scalar;
  if (flat.length === 1) return flat[0]!;
  return new CompositeRep(g, flat, TENSOR_PRODUCT);
}

/**
 * The space of linear maps a → b, Hom(a, b) = b ⊗ a*, acting by W ↦ ρ_b(g) W ρ_a(g)⁻¹.
 * vec(W) is row-major: W[i][j] sits at i·a.dim + j.
 */
export function hom(a: Representation, b: Representation): Representation {
  commonGroup('hom', [a, b]);
  return tensorProduct(b, a.dual());
}

/** What a custom representation is given: dρ(ξᵢ) and ρ(hⱼ) (dim × dim), a display name, and whether it is their dual. */
interface CustomRepSpec {
  readonly dim: number;
  readonly drhos: readonly Matrix[];
  readonly rhos: readonly Matrix[];
  readonly name: string | undefined;
  readonly dualized: boolean;
}

class CustomRep extends Representation {
  readonly key: string;
  readonly dim: number;
  constructor(
    readonly group: Group,
    private readonly spec: CustomRepSpec,
  ) {
    super();
    const { dim, drhos, rhos, dualized } = spec;
    this.dim = dim;
    // Content-addressed: two custom representations share a key only when their matrices agree
    // (a name is for display and never decides identity; BasisCache keys build on this).
    this.key = `custom[${group.key};${dim};${hashMatrices(drhos)};${hashMatrices(rhos)}]${dualized ? '*' : ''}`;
  }
  override toString(): string {
    const { name, dualized } = this.spec;
    return name === undefined ? this.key : `${name}${dualized ? '*' : ''}`;
  }
  drho(i: number): LinearOperator {
    this.checkIndex(i, this.spec.drhos.length, 'drho');
    const m = this.spec.drhos[i]!;
    return LinearOperator.fromMatrix(this.spec.dualized ? m.transpose().scale(-1) : m);
  }
  rho(j: number): LinearOperator {
    this.checkIndex(j, this.spec.rhos.length, 'rho');
    const m = this.spec.rhos[j]!;
    return LinearOperator.fromMatrix(this.spec.dualized ? inverse(m, 'customRepresentation.rho').transpose() : m);
  }
  drhoOf(): LinearOperator {
    throw new UnsupportedOperationError(
      `customRepresentation.drhoOf: a custom representation only knows dρ of the group's generators; use drho(i)`,
    );
  }
  rhoOf(): LinearOperator {
    throw new UnsupportedOperationError(
      `customRepresentation.rhoOf: a custom representation only knows ρ of the discrete generators; use rho(j) and exp of drho(i)`,
    );
  }
  dual(): Representation {
    return new CustomRep(this.group, { ...this.spec, dualized: !this.spec.dualized });
  }
}

/**
 * A representation given by its matrices: dρ(ξᵢ) for each Lie-algebra generator of
 * `group` and ρ(hⱼ) for each discrete generator, all dim×dim.
 *
 * Its `key` is content-addressed: `custom[group;dim;hash(dρ);hash(ρ)]`, so two custom
 * representations share a key (and a {@link BasisCache} entry) exactly when their group, dim and
 * matrices agree. `name` only changes `toString()`, never the key.
 * @throws InvalidRepresentationError when the counts differ from the group's; ShapeMismatchError for wrong sizes
 * @example
 * const J = Matrix.from([[0, -1], [1, 0]]);
 * const a = customRepresentation({ group: SO(2), dim: 2, drho: [J] });
 * const b = customRepresentation({ group: SO(2), dim: 2, drho: [J.scale(2)] });
 * a.key === b.key; // false: dρ = J and dρ = 2J are different representations
 * equivariantBasis(b, a).dimension; // 0
 */
export function customRepresentation(spec: {
  group: Group;
  dim: number;
  drho: ReadonlyArray<Matrix>;
  rho?: ReadonlyArray<Matrix>;
  name?: string;
}): Representation {
  const fn = 'customRepresentation';
  if (!(spec?.group instanceof Group)) {
    throw new InvalidArgumentError(`${fn}: 'group' must be a Group; received ${describe(spec?.group)}`);
  }
  const { group, dim } = spec;
  if (!Number.isInteger(dim) || dim < 1) {
    throw new InvalidArgumentError(`${fn}: 'dim' must be an integer ≥ 1; received ${describe(dim)}`);
  }
  const rho = spec.rho ?? [];
  if (spec.drho.length !== group.lieAlgebra.length) {
    throw new InvalidRepresentationError(
      `${fn}: 'drho' must have one matrix per Lie-algebra generator of ${group.name} (${group.lieAlgebra.length}); received ${spec.drho.length}`,
    );
  }
  if (rho.length !== group.discreteGenerators.length) {
    throw new InvalidRepresentationError(
      `${fn}: 'rho' must have one matrix per discrete generator of ${group.name} (${group.discreteGenerators.length}); received ${rho.length}`,
    );
  }
  [...spec.drho, ...rho].forEach((m, k) => {
    if (!(m instanceof Matrix) || m.rows !== dim || m.cols !== dim) {
      throw new ShapeMismatchError(`${fn}: every matrix must be ${dim}×${dim}; matrix ${k} is ${describe(m)}`);
    }
  });
  if (spec.name !== undefined && typeof spec.name !== 'string') {
    throw new InvalidArgumentError(`${fn}: 'name' must be a string; received ${describe(spec.name)}`);
  }
  return new CustomRep(group, { dim, drhos: spec.drho, rhos: rho, name: spec.name, dualized: false });
}

class LiftedRep extends Representation {
  readonly dim: number;
  readonly key: string;
  private readonly lieOffset: number;
  private readonly discOffset: number;
  private readonly blockOffset: number;
  constructor(
    readonly group: Group,
    private readonly inner: Representation,
    private readonly factor: number,
  ) {
    super();
    this.dim = inner.dim;
    const fs = group.factors;
    let lo = 0;
    let doff = 0;
    let bo = 0;
    for (let k = 0; k < factor; k++) {
      lo += fs[k]!.lieAlgebra.length;
      doff += fs[k]!.discreteGenerators.length;
      bo += fs[k]!.d;
    }
    this.lieOffset = lo;
    this.discOffset = doff;
    this.blockOffset = bo;
    this.key = `lift${factor}[${group.key}](${inner.key})`;
  }
  private get factorGroup(): Group {
    return this.group.factors[this.factor]!;
  }
  drho(i: number): LinearOperator {
    this.checkIndex(i, this.generatorCount, 'drho');
    const k = i - this.lieOffset;
    return k >= 0 && k < this.factorGroup.lieAlgebra.length ? this.inner.drho(k) : LinearOperator.zeros(this.dim);
  }
  rho(j: number): LinearOperator {
    this.checkIndex(j, this.discreteCount, 'rho');
    const k = j - this.discOffset;
    return k >= 0 && k < this.factorGroup.discreteGenerators.length ? this.inner.rho(k) : LinearOperator.identity(this.dim);
  }
  private block(m: Matrix): Matrix {
    const d = this.factorGroup.d;
    const out = new Matrix(d, d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) out.data[i * d + j] = m.get(this.blockOffset + i, this.blockOffset + j);
    }
    return out;
  }
  drhoOf(a: Matrix): LinearOperator {
    this.checkElement(a, 'drhoOf');
    return this.inner.drhoOf(this.block(a));
  }
  rhoOf(g: Matrix): LinearOperator {
    this.checkElement(g, 'rhoOf');
    return this.inner.rhoOf(this.block(g));
  }
  dual(): Representation {
    return new LiftedRep(this.group, this.inner.dual(), this.factor);
  }
}

/**
 * Turns a representation of one factor Gₖ of a direct product G = G₁ × … × G_m into a
 * representation of G (the other factors act trivially). The factor is found by group
 * key, or given as `factor`.
 * @throws InvalidRepresentationError when rep's group is not a factor of `product`
 * @example
 * const G = directProduct(SO(3), S(10));
 * const pointCloud = tensorProduct(liftRep(V(SO(3)), G), liftRep(V(S(10)), G));
 */
export function liftRep(rep: Representation, product: Group, factor?: number): Representation {
  if (!(rep instanceof Representation)) {
    throw new InvalidArgumentError(`liftRep: 'rep' must be a Representation; received ${describe(rep)}`);
  }
  if (!(product instanceof Group) || product.factors.length === 0) {
    throw new InvalidArgumentError(`liftRep: 'product' must be a group made by directProduct; received ${describe(product)}`);
  }
  if (rep.group === undefined) return rep;
  const k = factor ?? product.factors.findIndex((f) => f.key === rep.group!.key);
  if (k < 0 || k >= product.factors.length || product.factors[k]!.key !== rep.group.key) {
    throw new InvalidRepresentationError(
      `liftRep: 'rep' must be a representation of a factor of ${product.name}; received one of ${rep.group.name}`,
    );
  }
  return new LiftedRep(product, rep, k);
}

/** ρ(exp(A)) computed as exp(dρ(A)), densely: for tests and small representations. */
export function rhoOfExp(rep: Representation, a: Matrix): Matrix {
  return expm(rep.drhoOf(a).toDense());
}

/** The top-level structure of a representation (see {@link representationStructure}). */
export type RepresentationStructure =
  | { readonly kind: 'tensorProduct'; readonly factors: readonly Representation[] }
  | { readonly kind: 'directSum'; readonly parts: readonly Representation[] }
  | { readonly kind: 'leaf' };

/**
 * The top-level structure of a representation, read-only: the factors of a tensor product
 * ρ₁ ⊗ ρ₂ ⊗ … (first factor's index slowest), the parts of a direct sum ρ₁ ⊕ ρ₂ ⊕ …, or
 * `'leaf'` for anything else. Structured solvers use it to avoid materializing dρ.
 * @example
 * representationStructure(V(SO(3)).pow(2)).kind; // 'tensorProduct'
 */
export function representationStructure(rep: Representation): RepresentationStructure {
  if (rep instanceof CompositeRep) return rep.rule.kind === 'tensorProduct' ? { kind: 'tensorProduct', factors: rep.members } : { kind: 'directSum', parts: rep.members };
  return { kind: 'leaf' };
}
