import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';
import { Matrix } from '../linalg/Matrix.js';

/**
 * An infinitesimal symmetry acting on fields u: Ω ⊂ R^d → R^c: the domain moves along the
 * affine vector field ξ_M(x) = A·x + b (about the box centre), the values along
 * u ↦ V·u + s. Its action on a field is the field Lie derivative
 *
 *     ℒ_ξ u(x) = Du(x)·ξ_M(x) − V·u(x) − s,
 *
 * so ℒ_ξ u = −d/dε (g_ε·u) at ε = 0 for (g_ε·u)(x) = e^{εV} u(e^{−εA}x − εb) + εs (to first order).
 * Omitted parts are zero.
 */
export interface FieldGenerator {
  /** d×d linear part of the domain flow (rotation [[0, −1], [1, 0]], scaling I, …). */
  A?: readonly (readonly number[])[];
  /** Translation part of the domain flow, d entries. */
  b?: readonly number[];
  /** c×c linear value action (e.g. the rotation itself on a vector field). */
  V?: readonly (readonly number[])[];
  /** Constant value shift, c entries (e.g. a Galilean boost adds a constant velocity). */
  s?: readonly number[];
}

/**
 * A generator acting on an operator N: fields → fields. The input and output actions may
 * differ (a Galilean boost moves the output at time T by T·ε but the input at time 0 not at all).
 * L_ξ N(u) = DN(u)[ℒ_in u] − ℒ_out N(u). This is the generator shape `structuredCandidate` takes.
 */
export interface OperatorGenerator {
  /** A short name for tables ("translation x", "rotation", …). */
  name: string;
  input: FieldGenerator;
  output: FieldGenerator;
}

/** How the values of a field transform under rotations and linear maps of the domain. */
export type FieldValueType = 'scalar' | 'vector';

/** Options of the generator presets: what the operator's input and output values are. */
export interface FieldGeneratorOptions {
  /** Spatial dimension (default 2). */
  dims?: 1 | 2;
  /** Input channels (default 1); with 'vector' values, 2 per vector (x, y interleaved). */
  channelsIn?: number;
  /** Output channels (default 1). */
  channelsOut?: number;
  /** Value type of the input (default 'scalar': V = 0). */
  valueIn?: FieldValueType;
  /** Value type of the output (default 'scalar'). */
  valueOut?: FieldValueType;
}

/** The push-forward of vector values (x, y interleaved): V = I_{c/2} ⊗ A. */
function valueAction(a: readonly (readonly number[])[], type: FieldValueType, c: number): number[][] | undefined {
  if (type === 'scalar') return undefined;
  if (a.length !== 2 || c % 2 !== 0) throw new InvalidArgumentError(`linearGenerator: vector values need a 2-D domain and an even channel count; received d = ${a.length}, c = ${c}`);
  return Matrix.identity(c / 2).kron(Matrix.from(a)).toArray();
}

/**
 * The generator of the linear domain flow x ↦ e^{εA}x acting on both input and output, with
 * vector values transformed by A too (the push-forward).
 * @example linearGenerator([[0, -1], [1, 0]], 'rotation', { valueIn: 'vector', channelsIn: 2 })
 */
export function linearGenerator(A: readonly (readonly number[])[], name: string, options: FieldGeneratorOptions = {}): OperatorGenerator {
  if (!A.every((row) => row.length === A.length)) throw new ShapeMismatchError(`linearGenerator: 'A' must be square; received ${JSON.stringify(A)}`);
  const mk = (type: FieldValueType, c: number): FieldGenerator => {
    const V = valueAction(A, type, c);
    return V ? { A, V } : { A };
  };
  return { name, input: mk(options.valueIn ?? 'scalar', options.channelsIn ?? 1), output: mk(options.valueOut ?? 'scalar', options.channelsOut ?? 1) };
}

/**
 * Translation along one axis: ξ_M = e_axis on input and output (values untouched).
 * @example translationGenerator(0).input; // { b: [1, 0] }
 */
export function translationGenerator(axis: number, options: { dims?: 1 | 2 } = {}): OperatorGenerator {
  const d = options.dims ?? 2;
  if (!Number.isInteger(axis) || axis < 0 || axis >= d) {
    throw new InvalidArgumentError(`translationGenerator: 'axis' must be an integer in [0, ${d - 1}]; received ${axis}`);
  }
  const b = Array.from({ length: d }, (_, a) => (a === axis ? 1 : 0));
  return { name: `translation ${'xy'[axis]}`, input: { b }, output: { b } };
}

/**
 * Rotation about the box centre, ξ_M(x, y) = (−y, x); vector values rotate too.
 * @example rotationGenerator({ valueIn: 'vector', channelsIn: 2 }).input.V; // [[0, −1], [1, 0]]
 */
export function rotationGenerator(options: FieldGeneratorOptions = {}): OperatorGenerator {
  return linearGenerator([[0, -1], [1, 0]], 'rotation', { ...options, dims: 2 });
}

/** Isotropic scaling about the box centre, ξ_M(x) = x (values untouched). */
export function scalingGenerator(options: { dims?: 1 | 2 } = {}): OperatorGenerator {
  const A = Matrix.identity(options.dims ?? 2).toArray();
  return { name: 'scaling', input: { A }, output: { A } };
}

/**
 * The Galilean boost of a 1-D evolution problem mapping u(·, 0) ↦ u(·, T):
 * ũ(x, t) = u(x − εt, t) + ε. On the input (t = 0) it only shifts the values
 * (ℒ u₀ = −1); on the output it also translates by T (ℒ u_T = T·∂ₓu_T − 1).
 */
export function galileanBoostGenerator(options: { time: number }): OperatorGenerator {
  const T = options?.time;
  if (!(typeof T === 'number' && Number.isFinite(T) && T > 0)) {
    throw new InvalidArgumentError(`galileanBoostGenerator: 'time' must be a finite number > 0; received ${String(T)}`);
  }
  return { name: 'Galilean boost', input: { s: [1] }, output: { b: [T], s: [1] } };
}

/** u ↦ (1 + ε)u on input and output: the symmetry of every linear operator. */
export function valueScalingGenerator(options: { channelsIn?: number; channelsOut?: number } = {}): OperatorGenerator {
  return { name: 'value scaling', input: { V: Matrix.identity(options.channelsIn ?? 1).toArray() }, output: { V: Matrix.identity(options.channelsOut ?? 1).toArray() } };
}

/** u ↦ u + ε on input and output (a symmetry of operators that preserve constants, e.g. heat flow). */
export function valueShiftGenerator(options: { channelsIn?: number; channelsOut?: number } = {}): OperatorGenerator {
  return { name: 'value shift', input: { s: new Array<number>(options.channelsIn ?? 1).fill(1) }, output: { s: new Array<number>(options.channelsOut ?? 1).fill(1) } };
}

/**
 * The affine candidate algebra on a d-dimensional domain: d translations and the d² unit
 * matrices Eᵢⱼ of gl(d) (2-D: 6 generators containing rotation, scaling, shears and the
 * anisotropic "stretched rotations").
 * @example affineCandidates().map((g) => g.name); // translation x, translation y, E11, E12, E21, E22
 */
export function affineCandidates(options: FieldGeneratorOptions = {}): OperatorGenerator[] {
  const d = options.dims ?? 2;
  const out: OperatorGenerator[] = [];
  for (let a = 0; a < d; a++) out.push(translationGenerator(a, { dims: d }));
  for (let e = 0; e < d * d; e++) {
    const A = Matrix.zeros(d, d);
    A.data[e] = 1;
    out.push(linearGenerator(A.toArray(), `E${Math.floor(e / d) + 1}${(e % d) + 1}`, { ...options, dims: d }));
  }
  return out;
}
