import { InvalidArgumentError, Matrix, ShapeMismatchError } from '@liesym/core';
import { Field, assertField } from './Grid.js';
import { assertPeriodic, derivativeUnchecked } from './spectral.js';

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
 * L_ξ N(u) = DN(u)[ℒ_in u] − ℒ_out N(u).
 */
export interface OperatorGenerator {
  /** A short name for tables ("translation x", "rotation", …). */
  name: string;
  input: FieldGenerator;
  output: FieldGenerator;
}

/** How the values of a field transform under rotations and linear maps of the domain. */
export type ValueType = 'scalar' | 'vector';

/** Options of the generator presets: what the operator's input and output values are. */
export interface GeneratorOptions {
  /** Spatial dimension (default 2). */
  dims?: 1 | 2;
  /** Input channels (default 1); with 'vector' values, 2 per vector (x, y interleaved). */
  channelsIn?: number;
  /** Output channels (default 1). */
  channelsOut?: number;
  /** Value type of the input (default 'scalar': V = 0). */
  valueIn?: ValueType;
  /** Value type of the output (default 'scalar'). */
  valueOut?: ValueType;
}

function valueAction(a: readonly (readonly number[])[], type: ValueType, c: number, fn: string): number[][] | undefined {
  if (type === 'scalar') return undefined;
  if (a.length !== 2 || c % 2 !== 0) {
    throw new InvalidArgumentError(`${fn}: vector values need a 2-D domain and an even channel count; received d = ${a.length}, c = ${c}`);
  }
  const v = Array.from({ length: c }, () => new Array<number>(c).fill(0));
  for (let k = 0; k < c; k += 2) {
    v[k]![k] = a[0]![0]!;
    v[k]![k + 1] = a[0]![1]!;
    v[k + 1]![k] = a[1]![0]!;
    v[k + 1]![k + 1] = a[1]![1]!;
  }
  return v;
}

/**
 * The generator of the linear domain flow x ↦ e^{εA}x acting on both input and output, with
 * vector values transformed by A too (the push-forward).
 * @example linearGenerator([[0, -1], [1, 0]], 'rotation', { valueIn: 'vector', channelsIn: 2 })
 */
export function linearGenerator(A: readonly (readonly number[])[], name: string, options: GeneratorOptions = {}): OperatorGenerator {
  const fn = 'linearGenerator';
  const d = A.length;
  if (!A.every((row) => row.length === d)) throw new ShapeMismatchError(`${fn}: 'A' must be square; received ${JSON.stringify(A)}`);
  const mk = (type: ValueType, c: number): FieldGenerator => {
    const V = valueAction(A, type, c, fn);
    return V ? { A, V } : { A };
  };
  return { name, input: mk(options.valueIn ?? 'scalar', options.channelsIn ?? 1), output: mk(options.valueOut ?? 'scalar', options.channelsOut ?? 1) };
}

/** Translation along one axis: ξ_M = e_axis on input and output (values untouched). */
export function translationGenerator(axis: number, options: { dims?: 1 | 2 } = {}): OperatorGenerator {
  const d = options.dims ?? 2;
  if (!Number.isInteger(axis) || axis < 0 || axis >= d) {
    throw new InvalidArgumentError(`translationGenerator: 'axis' must be an integer in [0, ${d - 1}]; received ${axis}`);
  }
  const b = Array.from({ length: d }, (_, a) => (a === axis ? 1 : 0));
  return { name: `translation ${'xy'[axis]}`, input: { b }, output: { b } };
}

/** Rotation about the box centre, ξ_M(x, y) = (−y, x); vector values rotate too. */
export function rotationGenerator(options: GeneratorOptions = {}): OperatorGenerator {
  return linearGenerator([[0, -1], [1, 0]], 'rotation', { ...options, dims: 2 });
}

/** Isotropic scaling about the box centre, ξ_M(x) = x (values untouched). */
export function scalingGenerator(options: { dims?: 1 | 2 } = {}): OperatorGenerator {
  const d = options.dims ?? 2;
  const A = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)));
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
  const eye = (c: number): number[][] => Array.from({ length: c }, (_, i) => Array.from({ length: c }, (_, j) => (i === j ? 1 : 0)));
  return { name: 'value scaling', input: { V: eye(options.channelsIn ?? 1) }, output: { V: eye(options.channelsOut ?? 1) } };
}

/** u ↦ u + ε on input and output (a symmetry of operators that preserve constants, e.g. heat flow). */
export function valueShiftGenerator(options: { channelsIn?: number; channelsOut?: number } = {}): OperatorGenerator {
  return { name: 'value shift', input: { s: new Array<number>(options.channelsIn ?? 1).fill(1) }, output: { s: new Array<number>(options.channelsOut ?? 1).fill(1) } };
}

/**
 * The affine candidate algebra on a d-dimensional domain: d translations and the d² unit
 * matrices Eᵢⱼ of gl(d) (2-D: 6 generators containing rotation, scaling, shears and the
 * anisotropic "stretched rotations").
 */
export function affineCandidates(options: GeneratorOptions = {}): OperatorGenerator[] {
  const d = options.dims ?? 2;
  const out: OperatorGenerator[] = [];
  for (let a = 0; a < d; a++) out.push(translationGenerator(a, { dims: d }));
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < d; j++) {
      const A = Array.from({ length: d }, (_, r) => Array.from({ length: d }, (_, s) => (r === i && s === j ? 1 : 0)));
      out.push(linearGenerator(A, `E${i + 1}${j + 1}`, { ...options, dims: d }));
    }
  }
  return out;
}

/**
 * ℒ_ξ u = Du·ξ_M − V·u − s for a field u (derivatives spectral, so u must be periodic; with a
 * non-translation ξ_M the field should also decay towards the boundary, where ξ_M is not periodic).
 * @throws ShapeMismatchError when the generator does not fit the grid or channels;
 *   NonPeriodicFieldError for a non-periodic field unless `checkPeriodic: false`
 * @example
 * const r = fieldLieDerivative(u, rotationGenerator().input); // −y ∂ₓu + x ∂ᵧu
 */
export function fieldLieDerivative(u: Field, generator: FieldGenerator, options: { checkPeriodic?: boolean } = {}): Field {
  const fn = 'fieldLieDerivative';
  assertField(u, fn, 'u');
  checkGenerator(generator, u.grid.dims, u.channels, fn, 'generator');
  if (options.checkPeriodic ?? true) assertPeriodic(u, fn, 'u');
  return lieUnchecked(u, generator);
}

/** Throws unless the generator's parts have the shapes for d dimensions and c channels. */
export function checkGenerator(g: FieldGenerator, d: number, c: number, fn: string, arg: string): void {
  const sq = (m: readonly (readonly number[])[] | undefined, n: number, part: string): void => {
    if (m !== undefined && (m.length !== n || m.some((r) => r.length !== n || r.some((v) => !Number.isFinite(v))))) {
      throw new ShapeMismatchError(`${fn}: '${arg}.${part}' must be a finite ${n}×${n} matrix; received ${JSON.stringify(m)}`);
    }
  };
  const vec = (v: readonly number[] | undefined, n: number, part: string): void => {
    if (v !== undefined && (v.length !== n || v.some((x) => !Number.isFinite(x)))) {
      throw new ShapeMismatchError(`${fn}: '${arg}.${part}' must hold ${n} finite numbers; received ${JSON.stringify(v)}`);
    }
  };
  if (g === null || typeof g !== 'object') throw new InvalidArgumentError(`${fn}: '${arg}' must be a FieldGenerator object; received ${String(g)}`);
  sq(g.A, d, 'A');
  vec(g.b, d, 'b');
  sq(g.V, c, 'V');
  vec(g.s, c, 's');
}

/** ℒ_ξ u without validation. */
export function lieUnchecked(u: Field, g: FieldGenerator): Field {
  const { grid, channels: c } = u;
  const d = grid.dims;
  const out = new Float64Array(u.data.length);
  const moves = g.b?.some((v) => v !== 0) || g.A?.some((r) => r.some((v) => v !== 0));
  if (moves) {
    const coords = Array.from({ length: grid.points }, (_, p) => grid.coordinate(p));
    for (let a = 0; a < d; a++) {
      const xi = coords.map((x) => (g.b?.[a] ?? 0) + (g.A ? g.A[a]!.reduce((s, v, j) => s + v * x[j]!, 0) : 0));
      if (xi.every((v) => v === 0)) continue;
      const du = derivativeUnchecked(u, a).data;
      for (let p = 0; p < grid.points; p++) for (let k = 0; k < c; k++) out[p * c + k]! += du[p * c + k]! * xi[p]!;
    }
  }
  for (let p = 0; p < grid.points; p++) {
    for (let k = 0; k < c; k++) {
      let v = g.s?.[k] ?? 0;
      if (g.V) for (let j = 0; j < c; j++) v += g.V[k]![j]! * u.data[p * c + j]!;
      out[p * c + k]! -= v;
    }
  }
  return new Field(grid, c, out);
}

function homogeneous(M: readonly (readonly number[])[] | undefined, v: readonly number[] | undefined, n: number): Matrix {
  const h = new Matrix(n + 1, n + 1);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) h.data[i * (n + 1) + j] = M?.[i]?.[j] ?? 0;
    h.data[i * (n + 1) + n] = v?.[i] ?? 0;
  }
  return h;
}

/**
 * Encodes a field generator as one matrix blockDiag([[A, b], [0, 0]], [[V, s], [0, 0]]) of size
 * (d + 1 + c + 1)²: the Frobenius inner product of these matrices is the one in which
 * candidates are made orthonormal, and their commutator is the Lie bracket of the generators.
 */
export function generatorMatrix(g: FieldGenerator, d: number, c: number): Matrix {
  return Matrix.blockDiag([homogeneous(g.A, g.b, d), homogeneous(g.V, g.s, c)]);
}

/** Inverse of {@link generatorMatrix}. */
export function generatorFromMatrix(m: Matrix, d: number, c: number): FieldGenerator {
  const n = d + c + 2;
  const at = (i: number, j: number): number => m.data[i * n + j]!;
  return {
    A: Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => at(i, j))),
    b: Array.from({ length: d }, (_, i) => at(i, d)),
    V: Array.from({ length: c }, (_, i) => Array.from({ length: c }, (_, j) => at(d + 1 + i, d + 1 + j))),
    s: Array.from({ length: c }, (_, i) => at(d + 1 + i, d + 1 + c)),
  };
}
