import { EmptyInputError, InvalidArgumentError, NonFiniteError, ShapeMismatchError, describe } from '../errors.js';
import { Matrix, toMatrix } from '../linalg/Matrix.js';
import { expm } from '../linalg/expm.js';
import { createRng, type Rng } from '../linalg/random.js';

/** Options of {@link Group.sample}. */
export interface SampleOptions {
  /** Standard deviation of the Lie-algebra coefficients (default 1 for compact groups, 0.3 otherwise). */
  scale?: number;
  /** Number of random discrete generators multiplied in (default: uniform in 0..2·p where p is their count). */
  wordLength?: number;
}

/**
 * A matrix Lie group G ⊂ GL(d): a basis ξ₁…ξ_q of its Lie algebra (`lieAlgebra`) and one
 * discrete generator per extra connected component (`discreteGenerators`).
 * Groups are immutable values compared by `key`.
 */
export class Group {
  /** Human-readable name, e.g. "SO(3)". */
  readonly name: string;
  /** Canonical identity: groups with equal keys are the same group. */
  readonly key: string;
  /** Dimension of the defining representation: G acts on R^d. */
  readonly d: number;
  /** Basis of the Lie algebra, d×d matrices. */
  readonly lieAlgebra: readonly Matrix[];
  /** Discrete generators h₁…h_p, d×d invertible matrices. */
  readonly discreteGenerators: readonly Matrix[];
  /** True when the group is compact (used for sampling scales). */
  readonly compact: boolean;
  /** For a direct product, its factors; otherwise empty. */
  readonly factors: readonly Group[];

  constructor(spec: {
    name: string;
    key?: string;
    d: number;
    lieAlgebra: readonly Matrix[];
    discreteGenerators: readonly Matrix[];
    compact: boolean;
    factors?: readonly Group[];
  }) {
    this.name = spec.name;
    this.key = spec.key ?? spec.name;
    this.d = spec.d;
    this.lieAlgebra = Object.freeze([...spec.lieAlgebra]);
    this.discreteGenerators = Object.freeze([...spec.discreteGenerators]);
    this.compact = spec.compact;
    this.factors = Object.freeze([...(spec.factors ?? [])]);
  }

  /**
   * Draws a random element g = exp(Σ cᵢ ξᵢ) · h_{j₁} ⋯ h_{j_k} with cᵢ ~ N(0, scale²) and a
   * random word in the discrete generators.
   * @param rng a seeded {@link Rng} or a seed (default seed 0)
   * @returns a d×d matrix
   */
  sample(rng: Rng | number = 0, options: SampleOptions = {}): Matrix {
    const r = typeof rng === 'number' ? createRng(rng) : rng;
    const scale = options.scale ?? (this.compact ? 1 : 0.3);
    let g = Matrix.identity(this.d);
    if (this.lieAlgebra.length > 0) {
      let a = new Matrix(this.d, this.d);
      for (const xi of this.lieAlgebra) a = a.add(xi.scale(scale * r.normal()));
      g = expm(a);
    }
    const p = this.discreteGenerators.length;
    if (p > 0) {
      const len = options.wordLength ?? r.int(2 * p + 1);
      for (let k = 0; k < len; k++) g = g.mul(this.discreteGenerators[r.int(p)]!);
    }
    return g;
  }

  toString(): string {
    return this.name;
  }
}

/** Validates `list` as the argument `arg` of `fn`: finite square matrices, each dim×dim when `dim` is given. */
function validateGenerators(list: unknown, { fn, arg, dim: d }: { fn: string; arg: string; dim?: number | undefined }): Matrix[] {
  if (!Array.isArray(list)) {
    throw new InvalidArgumentError(`${fn}: '${arg}' must be an array of square matrices; received ${describe(list)}`);
  }
  return list.map((m, i) => {
    const mat = m instanceof Matrix || Array.isArray(m) ? toMatrix(m, fn, `${arg}[${i}]`) : undefined;
    if (!mat) {
      throw new InvalidArgumentError(`${fn}: '${arg}[${i}]' must be a Matrix or nested array; received ${describe(m)}`);
    }
    if (!mat.isSquare || (d !== undefined && mat.rows !== d)) {
      throw new ShapeMismatchError(
        `${fn}: '${arg}[${i}]' must be ${d ?? 'n'}×${d ?? 'n'}; received ${mat.rows}×${mat.cols}`,
      );
    }
    if (!mat.isFinite()) throw new NonFiniteError(`${fn}: '${arg}[${i}]' must be finite; received NaN or ±Infinity`);
    return mat;
  });
}

/** A short, stable hash of matrices (for custom groups' keys). */
export function hashMatrices(ms: readonly Matrix[]): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (const m of ms) {
    const text = `${m.rows}x${m.cols}:` + Array.from(m.data, (v) => v.toPrecision(15)).join(',');
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 16777619);
      h2 = Math.imul(h2 ^ c, 2246822519);
    }
    h1 = Math.imul(h1 ^ 0x3b, 16777619);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

/**
 * A group given by its generators: a Lie-algebra basis and discrete generators, all d×d.
 *
 * @param spec.lieAlgebra continuous generators ξᵢ (may be empty for a discrete group)
 * @param spec.discreteGenerators discrete generators hⱼ (may be empty for a connected group)
 * @param spec.name optional display name
 * @param spec.compact whether to sample with the compact scale (default false)
 * @throws EmptyInputError when both lists are empty; ShapeMismatchError for non-square or unequal sizes
 * @example
 * const G = customGroup({ lieAlgebra: [[[0, -1], [1, 0]]], discreteGenerators: [] }); // SO(2)
 */
export function customGroup(spec: {
  lieAlgebra: ReadonlyArray<Matrix | number[][]>;
  discreteGenerators?: ReadonlyArray<Matrix | number[][]>;
  name?: string;
  compact?: boolean;
}): Group {
  const fn = 'customGroup';
  if (spec === null || typeof spec !== 'object') {
    throw new InvalidArgumentError(`${fn}: 'spec' must be an object; received ${describe(spec)}`);
  }
  const lie = validateGenerators(spec.lieAlgebra, { fn, arg: 'lieAlgebra' });
  const d0 = lie[0]?.rows;
  const disc = validateGenerators(spec.discreteGenerators ?? [], { fn, arg: 'discreteGenerators', dim: d0 });
  const d = d0 ?? disc[0]?.rows;
  if (d === undefined) {
    throw new EmptyInputError(`${fn}: at least one generator is required; received empty 'lieAlgebra' and 'discreteGenerators'`);
  }
  validateGenerators(lie, { fn, arg: 'lieAlgebra', dim: d });
  const key = `custom(${d};${hashMatrices(lie)};${hashMatrices(disc)})`;
  return new Group({
    name: spec.name ?? key,
    key,
    d,
    lieAlgebra: lie,
    discreteGenerators: disc,
    compact: spec.compact ?? false,
  });
}

/** Validates a group-size argument n (integer ≥ min). */
export function checkN(fn: string, n: unknown, min = 1): number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) {
    throw new InvalidArgumentError(`${fn}: 'n' must be an integer ≥ ${min}; received ${describe(n)}`);
  }
  return n;
}

/** The d×d matrix unit E_ij. */
export function unit(d: number, i: number, j: number): Matrix {
  const m = new Matrix(d, d);
  m.data[i * d + j] = 1;
  return m;
}
