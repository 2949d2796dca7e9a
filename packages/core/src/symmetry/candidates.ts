import { EmptyInputError, InvalidArgumentError, ShapeMismatchError, describe } from '../errors.js';
import { affineAction, type GroupAction } from '../lie/GroupAction.js';
import {
  fieldGeneratorMatrix,
  gridFieldAction,
  scaleAction,
  trivialAction,
  vectorAction,
  type DataAction,
  type FieldGeneratorParts,
  type SpatialDerivative,
} from '../lie/dataActions.js';
import { Matrix, toMatrix } from '../linalg/Matrix.js';
import { orthonormalColumns } from '../linalg/nullspace.js';

/** A candidate generator: the pair (A_in, A_out) acting on inputs and outputs. */
export type GeneratorPair = readonly [Matrix, Matrix];

/** A named candidate generator (before orthonormalization): 'translation-x', 'rotation', …. */
export interface NamedGenerator {
  readonly name: string;
  readonly pair: GeneratorPair;
}

/**
 * A candidate algebra that acts on structured data (images, signals, fields): named
 * generators whose matrices act through `actIn` on the flattened input and `actOut` on the
 * flattened output. Built by {@link imageCandidates}, {@link signalCandidates} or
 * {@link structuredCandidate}.
 */
export interface StructuredCandidate {
  readonly kind: 'structured';
  readonly actIn: DataAction;
  readonly actOut: DataAction;
  readonly generators: readonly NamedGenerator[];
}

/**
 * A candidate Lie algebra for discovery, the same vocabulary in every package:
 * - `'gl-input'`: gl(n_in) on the input, nothing on the output (n_in² generators);
 * - `'gl-lift'`: the same A on input and output (n_in = n_out; n² generators), the tangent
 *   lift for vector fields;
 * - `'gl-input-output'`: gl(n_in) ⊕ gl(n_out) (n_in² + n_out² generators);
 * - an explicit array of [A_in, A_out] pairs acting linearly (x ↦ A_in·x, y ↦ A_out·y);
 * - a {@link StructuredCandidate} (image, signal or field generators with names).
 */
export type Candidate =
  | 'gl-input'
  | 'gl-lift'
  | 'gl-input-output'
  | ReadonlyArray<readonly [Matrix | number[][], Matrix | number[][]]>
  | StructuredCandidate;

function units(n: number, s: number): Matrix[] {
  const out: Matrix[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const m = new Matrix(n, n);
      m.data[i * n + j] = s;
      out.push(m);
    }
  }
  return out;
}

/** Orthonormalizes pairs in the Frobenius inner product on (A, B). @throws InvalidArgumentError for dependent pairs */
function orthonormalPairs(pairs: readonly GeneratorPair[], fn: string): GeneratorPair[] {
  if (pairs.length === 0) throw new EmptyInputError(`${fn}: 'candidate' must hold at least one generator; received none`);
  const [a0, b0] = pairs[0]!;
  const ni = a0.rows * a0.cols;
  const no = b0.rows * b0.cols;
  const stacked = new Matrix(ni + no, pairs.length);
  pairs.forEach(([a, b], k) => {
    a.data.forEach((v, i) => (stacked.data[i * pairs.length + k] = v));
    b.data.forEach((v, i) => (stacked.data[(ni + i) * pairs.length + k] = v));
  });
  const q = orthonormalColumns(stacked);
  if (q.cols < pairs.length) {
    throw new InvalidArgumentError(`${fn}: the 'candidate' pairs must be linearly independent; received ${pairs.length} spanning only ${q.cols} dimensions`);
  }
  return Array.from({ length: q.cols }, (_, k) => {
    const col = q.column(k);
    return [new Matrix(a0.rows, a0.cols, col.slice(0, ni)), new Matrix(b0.rows, b0.cols, col.slice(ni))] as const;
  });
}

function isStructured(c: unknown): c is StructuredCandidate {
  return c !== null && typeof c === 'object' && (c as StructuredCandidate).kind === 'structured';
}

/**
 * The candidate generators as pairs orthonormal in the Frobenius inner product
 * ⟨(A, B), (C, D)⟩ = tr(AᵀC) + tr(BᵀD), so singular values do not depend on the basis.
 * Explicit pairs and structured generators are orthonormalized (Gram–Schmidt).
 * @param dims the model's input and output sizes (`fn` names the caller in errors); the
 *   positional form `(candidate, dimIn, dimOut)` is kept for compatibility
 * @throws InvalidArgumentError for an unknown name or linearly dependent pairs;
 *   ShapeMismatchError when shapes do not fit n_in, n_out
 * @example
 * candidateGenerators('gl-input', { dimIn: 3, dimOut: 1 }).length; // 9
 */
export function candidateGenerators(
  candidate: Candidate,
  dims: { dimIn: number; dimOut: number; fn?: string } | number,
  dimOut?: number,
): GeneratorPair[] {
  return resolveCandidate(candidate, typeof dims === 'number' ? { dimIn: dims, dimOut: dimOut ?? 0 } : dims).pairs;
}

/** A candidate ready for the engine: orthonormal pairs, the actions they go through, and names. */
export interface ResolvedCandidate {
  /** Orthonormal pairs (the columns of the discover matrix). */
  pairs: GeneratorPair[];
  actIn: DataAction;
  actOut: DataAction;
  /** The named generators before orthonormalization (structured candidates), else null. */
  named: NamedGenerator[] | null;
}

/**
 * Resolves any {@link Candidate} for a model R^dimIn → R^dimOut.
 * @throws InvalidArgumentError, ShapeMismatchError, EmptyInputError
 */
export function resolveCandidate(candidate: Candidate, dims: { dimIn: number; dimOut: number; fn?: string }): ResolvedCandidate {
  const { dimIn: n, dimOut: m } = dims;
  const fn = dims.fn ?? 'candidateGenerators';
  const vector = (pairs: GeneratorPair[]): ResolvedCandidate => ({
    pairs,
    actIn: vectorAction(n),
    actOut: pairs.every(([, b]) => b.maxAbs() === 0) ? trivialAction(m) : vectorAction(m),
    named: null,
  });
  if (candidate === 'gl-input') return vector(units(n, 1).map((a) => [a, new Matrix(m, m)] as const));
  if (candidate === 'gl-lift') {
    if (n !== m) throw new ShapeMismatchError(`${fn}: candidate 'gl-lift' needs as many outputs as inputs; received ${n} inputs and ${m} outputs`);
    return vector(units(n, Math.SQRT1_2).map((a) => [a, a] as const));
  }
  if (candidate === 'gl-input-output') {
    return vector([...units(n, 1).map((a) => [a, new Matrix(m, m)] as const), ...units(m, 1).map((b) => [new Matrix(n, n), b] as const)]);
  }
  if (isStructured(candidate)) {
    const { actIn, actOut, generators } = candidate;
    if (actIn.dim !== n || actOut.dim !== m) {
      throw new ShapeMismatchError(`${fn}: the structured candidate acts on R^${actIn.dim} → R^${actOut.dim}; the model maps R^${n} → R^${m}`);
    }
    if (!Array.isArray(generators)) throw new InvalidArgumentError(`${fn}: 'candidate.generators' must be an array of named pairs; received ${describe(generators)}`);
    generators.forEach((g, k) => {
      const [a, b] = g?.pair ?? [];
      if (!(a instanceof Matrix) || !(b instanceof Matrix) || a.rows !== actIn.size || a.cols !== actIn.size || b.rows !== actOut.size || b.cols !== actOut.size) {
        throw new ShapeMismatchError(`${fn}: 'candidate.generators'[${k}] must pair ${actIn.size}×${actIn.size} and ${actOut.size}×${actOut.size} matrices; received ${describe(g)}`);
      }
    });
    return { pairs: orthonormalPairs(generators.map((g) => g.pair), fn), actIn, actOut, named: [...generators] };
  }
  if (!Array.isArray(candidate)) {
    throw new InvalidArgumentError(
      `${fn}: 'candidate' must be 'gl-input', 'gl-lift', 'gl-input-output', an array of [A_in, A_out] pairs or a structured candidate; received ${describe(candidate)}`,
    );
  }
  if (candidate.length === 0) throw new EmptyInputError(`${fn}: 'candidate' must hold at least one pair; received an empty array`);
  const pairs = candidate.map((p, k) => {
    if (!Array.isArray(p) || p.length !== 2) throw new InvalidArgumentError(`${fn}: 'candidate'[${k}] must be a pair [A_in, A_out]; received ${describe(p)}`);
    const a = toMatrix(p[0], fn, `candidate[${k}][0]`);
    const b = toMatrix(p[1], fn, `candidate[${k}][1]`);
    if (a.rows !== n || a.cols !== n || b.rows !== m || b.cols !== m) {
      throw new ShapeMismatchError(`${fn}: 'candidate'[${k}] must be a pair of ${n}×${n} and ${m}×${m} matrices; received ${a.rows}×${a.cols} and ${b.rows}×${b.cols}`);
    }
    return [a, b] as const;
  });
  return vector(orthonormalPairs(pairs, fn));
}

/** The linear actions x ↦ A_in·x, y ↦ A_out·y of generator pairs. */
export function pairActions(pairs: readonly GeneratorPair[]): GroupAction[] {
  return pairs.map(([a, b]) => affineAction({ A: a, tau: b }));
}

/**
 * A structured candidate from named field generators on a periodic grid (see
 * `gridFieldAction` for the encoding and ℒ_ξ u = Du·ξ_M − V·u − s).
 * @example
 * structuredCandidate({ input: { shape: [32, 32] }, output: { shape: [32, 32] }, generators: [{ name: 'rotation', input: { A: [[0, -1], [1, 0]] }, output: { A: [[0, -1], [1, 0]] } }] });
 */
export function structuredCandidate(spec: {
  input: Parameters<typeof gridFieldAction>[0] | DataAction;
  output: Parameters<typeof gridFieldAction>[0] | DataAction;
  generators: ReadonlyArray<{ name: string; input: FieldGeneratorParts | Matrix; output: FieldGeneratorParts | Matrix }>;
}): StructuredCandidate {
  const action = (a: Parameters<typeof gridFieldAction>[0] | DataAction): DataAction => ('tangents' in a ? a : gridFieldAction(a));
  const actIn = action(spec.input);
  const actOut = action(spec.output);
  const encode = (g: FieldGeneratorParts | Matrix, act: DataAction, spec2: Parameters<typeof gridFieldAction>[0] | DataAction): Matrix => {
    if (g instanceof Matrix) return g;
    if ('tangents' in spec2) throw new InvalidArgumentError(`structuredCandidate: generators of a non-field action must be matrices of size ${act.size}; received ${describe(g)}`);
    return fieldGeneratorMatrix(g, { d: spec2.shape.length, channels: spec2.channels ?? 1 });
  };
  return {
    kind: 'structured',
    actIn,
    actOut,
    generators: spec.generators.map((g) => ({ name: g.name, pair: [encode(g.input, actIn, spec.input), encode(g.output, actOut, spec.output)] as const })),
  };
}

/** Layout of an image's per-sample shape: [C, H, W] (NCHW models) or [H, W, C] (NHWC). */
export type ImageLayout = 'NCHW' | 'NHWC';

/**
 * The structured candidates for images: translations along x and y, rotation and uniform
 * scaling about the centre (acting on the output too when it is an image on the same grid),
 * and channel mixing gl(C) on the input (and gl(C′) on an image output).
 * @param spec.shape the per-sample input shape: [C, H, W] (NCHW, default), [H, W, C] (NHWC) or [H, W]
 * @param spec.outputShape the per-sample output shape (an image of the same H×W is transformed too)
 * @throws ShapeMismatchError for shapes that are not images
 * @example
 * const candidate = imageCandidates({ shape: [3, 32, 32], outputShape: [10] }); // 4 + 9 generators
 */
export function imageCandidates(spec: {
  shape: readonly number[];
  outputShape: readonly number[];
  layout?: ImageLayout;
  derivative?: SpatialDerivative;
}): StructuredCandidate {
  const fn = 'imageCandidates';
  const layout = spec.layout ?? 'NCHW';
  const read = (s: readonly number[]): { C: number; H: number; W: number } | undefined => {
    if (s.length === 2) return { C: 1, H: s[0]!, W: s[1]! };
    if (s.length !== 3) return undefined;
    return layout === 'NCHW' ? { C: s[0]!, H: s[1]!, W: s[2]! } : { C: s[2]!, H: s[0]!, W: s[1]! };
  };
  const img = read(spec.shape);
  if (!img) throw new ShapeMismatchError(`${fn}: 'shape' must be an image [C, H, W], [H, W, C] or [H, W]; received [${spec.shape.join(', ')}]`);
  const lay = layout === 'NCHW' ? 'channels-first' : 'channels-last';
  const field = (c: number) => ({ shape: [img.H, img.W], channels: c, layout: lay, ...(spec.derivative ? { derivative: spec.derivative } : {}) }) as const;
  const outImg = read(spec.outputShape);
  const outIsImage = outImg !== undefined && outImg.H === img.H && outImg.W === img.W;
  const outSize = spec.outputShape.reduce((a, b) => a * b, 1);
  // Axis 0 is y (rows), axis 1 is x (columns): rotation ẋ = −y, ẏ = x.
  const spatial: Array<[string, FieldGeneratorParts]> = [
    ['translation-x', { b: [0, 1] }],
    ['translation-y', { b: [1, 0] }],
    ['rotation', { A: [[0, 1], [-1, 0]] }],
    ['scaling', { A: [[1, 0], [0, 1]] }],
  ];
  const outZero = outIsImage ? fieldGeneratorMatrix({}, { d: 2, channels: outImg.C }) : new Matrix(1, 1);
  const unit = (c: number, a: number, b: number): number[][] => Array.from({ length: c }, (_, i) => Array.from({ length: c }, (_, j) => (i === a && j === b ? 1 : 0)));
  const generators: Array<{ name: string; input: FieldGeneratorParts | Matrix; output: FieldGeneratorParts | Matrix }> = spatial.map(([name, g]) => ({
    name,
    input: g,
    output: outIsImage ? g : outZero,
  }));
  for (let a = 0; a < img.C; a++) for (let b = 0; b < img.C; b++) generators.push({ name: `channel-in[${a},${b}]`, input: { V: unit(img.C, a, b) }, output: outZero });
  if (outIsImage) {
    for (let a = 0; a < outImg.C; a++) for (let b = 0; b < outImg.C; b++) generators.push({ name: `channel-out[${a},${b}]`, input: {}, output: { V: unit(outImg.C, a, b) } });
  }
  return structuredCandidate({ input: field(img.C), output: outIsImage ? field(outImg.C) : trivialAction(outSize), generators });
}

/**
 * The structured candidates for 1-D signals [T]: time shift (on the output too when it is a
 * signal of the same length), amplitude scaling of the input, and scaling of the output.
 * @example signalCandidates({ length: 256, outputShape: [2] }).generators.map((g) => g.name); // time-shift, amplitude-in, amplitude-out
 */
export function signalCandidates(spec: { length: number; outputShape: readonly number[]; derivative?: SpatialDerivative }): StructuredCandidate {
  const T = spec.length;
  const field = { shape: [T], ...(spec.derivative ? { derivative: spec.derivative } : {}) };
  const outIsSignal = spec.outputShape.length === 1 && spec.outputShape[0] === T;
  const outSize = spec.outputShape.reduce((a, b) => a * b, 1);
  const outZero = outIsSignal ? fieldGeneratorMatrix({}, { d: 1, channels: 1 }) : new Matrix(1, 1);
  const one = Matrix.from([[1]]);
  return structuredCandidate({
    input: field,
    output: outIsSignal ? field : scaleAction(outSize),
    generators: [
      { name: 'time-shift', input: { b: [1] }, output: outIsSignal ? { b: [1] } : outZero },
      { name: 'amplitude-in', input: { V: [[1]] }, output: outZero },
      { name: 'amplitude-out', input: {}, output: outIsSignal ? { V: [[1]] } : one },
    ],
  });
}
