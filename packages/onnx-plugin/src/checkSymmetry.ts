import { Group, InvalidArgumentError, InvalidRepresentationError, Matrix, Representation, ShapeMismatchError, solve } from '@liesym/core';
import { defaultSampler, drawSamples, type SampleOptions } from './samples.js';
import { directionalDerivatives, type Direction, type FiniteDifferenceOptions } from './finiteDifferences.js';
import { OnnxModel } from './loadModel.js';

/** Options of {@link checkSymmetry}. */
export interface CheckSymmetryOptions extends FiniteDifferenceOptions, SampleOptions {
  /** The group (optional; when given it must be the group of the representations). */
  group?: Group;
  /** The representation on the flattened input (dim = model.dimIn). */
  repIn: Representation;
  /** The representation on the flattened output (dim = model.dimOut). */
  repOut: Representation;
}

/** How strongly a model breaks a symmetry. */
export interface SymmetryReport {
  /**
   * One entry per Lie-algebra generator ξᵢ: `norm` = RMS over samples of ‖L_ξᵢ F(x)‖,
   * `relative` = norm / RMS of ‖F(x)‖ (the output scale).
   */
  generators: Array<{ index: number; norm: number; relative: number }>;
  /** One entry per discrete generator h: RMS of ‖ρ_out(h)⁻¹F(ρ_in(h)x) − F(x)‖ relative to the output scale. */
  discrete: Array<{ index: number; residual: number }>;
  /** RMS over samples of ‖F(x)‖. */
  outputScale: number;
  /** The largest relative violation over continuous and discrete generators (0 for an exact symmetry). */
  maxRelative: number;
  sampleCount: number;
}

/**
 * Measures how strongly an ONNX model breaks a given symmetry: for every generator the
 * Lie derivative L_ξ F(x) = DF(x)·dρ_in(ξ)·x − dρ_out(ξ)·F(x) (central finite differences,
 * batched), and for every discrete generator h the residual ρ_out(h)⁻¹F(ρ_in(h)x) − F(x),
 * each relative to the output scale.
 *
 * @throws InvalidRepresentationError when the reps belong to different groups or not to `group`;
 *   ShapeMismatchError when their dims do not fit the model; EmptyInputError; NonFiniteError
 * @example
 * const r = await checkSymmetry(model, { group: SO(3), repIn: V(SO(3)), repOut: Scalar, samples: 64 });
 * r.maxRelative; // ≈ 1e-5 for a rotation-invariant float32 model
 */
export async function checkSymmetry(model: OnnxModel, options: CheckSymmetryOptions): Promise<SymmetryReport> {
  const fn = 'checkSymmetry';
  if (!(model instanceof OnnxModel)) throw new InvalidArgumentError(`${fn}: 'model' must be an OnnxModel from loadModel(); received ${typeof model}`);
  const { repIn, repOut } = options ?? {};
  if (!(repIn instanceof Representation)) throw new InvalidArgumentError(`${fn}: 'repIn' must be a Representation; received ${typeof repIn}`);
  if (!(repOut instanceof Representation)) throw new InvalidArgumentError(`${fn}: 'repOut' must be a Representation; received ${typeof repOut}`);
  const group = options.group ?? repIn.group ?? repOut.group;
  for (const [name, rep] of [['repIn', repIn], ['repOut', repOut]] as const) {
    if (rep.group !== undefined && group !== undefined && rep.group.key !== group.key) {
      throw new InvalidRepresentationError(`${fn}: '${name}' is a representation of ${rep.group.name}; expected one of ${group.name}`);
    }
  }
  if (group === undefined) throw new InvalidArgumentError(`${fn}: 'group' is required when both representations are Scalar`);
  if (repIn.dim !== model.dimIn) throw new ShapeMismatchError(`${fn}: 'repIn' must have dim ${model.dimIn} (the model's flattened input); received ${repIn.dim}`);
  if (repOut.dim !== model.dimOut) throw new ShapeMismatchError(`${fn}: 'repOut' must have dim ${model.dimOut} (the model's flattened output); received ${repOut.dim}`);
  const n = model.dimIn;
  const m = model.dimOut;
  const { points, count } = drawSamples(fn, n, options, defaultSampler(model.sampleShape, 'vector'));
  const q = group.lieAlgebra.length;
  const dIn = Array.from({ length: q }, (_, i) => (repIn.group ? repIn.drho(i).toDense() : new Matrix(n, n)));
  const dOut = Array.from({ length: q }, (_, i) => (repOut.group ? repOut.drho(i).toDense() : new Matrix(m, m)));
  const dirs: Direction[] = [];
  for (let s = 0; s < count; s++) {
    const x = points.subarray(s * n, (s + 1) * n);
    for (let i = 0; i < q; i++) dirs.push({ point: s, v: dIn[i]!.mulVec(x) });
  }
  // Discrete generators: evaluate F at ρ_in(h)·x in the same batch as the derivatives.
  const p = group.discreteGenerators.length;
  const hIn = Array.from({ length: p }, (_, j) => (repIn.group ? repIn.rho(j).toDense() : Matrix.identity(n)));
  const hOut = Array.from({ length: p }, (_, j) => (repOut.group ? repOut.rho(j).toDense() : Matrix.identity(m)));
  const all = new Float64Array((count * (1 + p)) * n);
  all.set(points);
  for (let j = 0; j < p; j++) {
    for (let s = 0; s < count; s++) all.set(hIn[j]!.mulVec(points.subarray(s * n, (s + 1) * n)), ((1 + j) * count + s) * n);
  }
  const { values, derivatives } = await directionalDerivatives(model, all, count * (1 + p), dirs, options);
  let scale2 = 0;
  for (let k = 0; k < count * m; k++) scale2 += values[k]! ** 2;
  const outputScale = Math.sqrt(scale2 / count);
  const rel = (v: number): number => (outputScale === 0 ? v : v / outputScale);
  const generators = Array.from({ length: q }, (_, i) => {
    let sum = 0;
    for (let s = 0; s < count; s++) {
      const fx = values.subarray(s * m, (s + 1) * m);
      const out = dOut[i]!.mulVec(fx);
      const d = derivatives[s * q + i]!;
      for (let k = 0; k < m; k++) sum += (d[k]! - out[k]!) ** 2;
    }
    const norm = Math.sqrt(sum / count);
    return { index: i, norm, relative: rel(norm) };
  });
  const discrete = Array.from({ length: p }, (_, j) => {
    const moved = new Matrix(count, m, values.slice((1 + j) * count * m, (2 + j) * count * m));
    // ρ_out(h)⁻¹·F(ρ_in(h)x) for all samples at once: solve ρ_out(h)·Y = F(ρ_in(h)X)ᵀ.
    const back = solve(hOut[j]!, moved.transpose());
    let sum = 0;
    for (let s = 0; s < count; s++) for (let k = 0; k < m; k++) sum += (back.data[k * count + s]! - values[s * m + k]!) ** 2;
    return { index: j, residual: rel(Math.sqrt(sum / count)) };
  });
  const maxRelative = Math.max(0, ...generators.map((g) => g.relative), ...discrete.map((d) => d.residual));
  if (!Number.isFinite(maxRelative)) {
    throw new InvalidArgumentError(`${fn}: the model returned non-finite values at the sample points; received NaN/Infinity from '${model.outputName}'`);
  }
  return { generators, discrete, outputScale, maxRelative, sampleCount: count };
}
