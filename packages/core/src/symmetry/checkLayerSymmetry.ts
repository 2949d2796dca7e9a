import { InvalidArgumentError, InvalidRepresentationError, NonFiniteError, ShapeMismatchError, describe } from '../errors.js';
import { Matrix } from '../linalg/Matrix.js';
import { Representation } from '../reps/Representation.js';
import { defaultTolerance } from '../tolerances.js';
import type { Verdict } from './checkSymmetry.js';

/** Options of {@link checkLayerSymmetry}. */
export interface LayerSymmetryOptions {
  /** Representation on the layer's input (dim = W's columns; for convolutions: the input channels). */
  repIn: Representation;
  /** Representation on the layer's output (dim = W's rows). */
  repOut: Representation;
  /** The bias b (length = W's rows), checked for invariance: dρ_out(ξ)·b = 0 and ρ_out(h)·b = b. */
  bias?: ArrayLike<number>;
  /** A relative violation ≤ tolerance holds (default `TOLERANCES.check.exact.float64`, 1e-8; pass the weights' dtype's for float32 files). */
  tolerance?: number;
}

/** Per-generator symmetry violation of a linear layer: {@link checkLayerSymmetry}'s result. */
export interface LayerSymmetryCheck {
  /** ‖L_ξᵢ W‖ / ‖W‖ per Lie-algebra generator, L_ξ W = W·dρ_in(ξ) − dρ_out(ξ)·W (summed over taps). */
  lieDerivatives: number[];
  /**
   * ‖ρ_out(h)·W − W·ρ_in(h)‖ / ‖W‖ per discrete generator: zero exactly when
   * ρ_out(h)⁻¹·W·ρ_in(h) = W, and equal to its norm for orthogonal ρ_out (permutations, signs).
   */
  discrete: number[];
  /** ‖dρ_out(ξᵢ)·b‖ / ‖b‖ per generator, then ‖ρ_out(h)·b − b‖ / ‖b‖ per discrete generator, when a nonzero bias is given. */
  bias: number[] | undefined;
  /** The largest of all the above. */
  max: number;
  tolerance: number;
  verdict: Verdict;
}

/**
 * The symmetry of one linear layer y = W·x + b (or a convolution's taps, one W per kernel
 * position, acting on channels): the closed-form Lie derivative L_ξ W = W·dρ_in(ξ) − dρ_out(ξ)·W
 * of every generator and the discrete residuals, relative to ‖W‖, with a verdict. Elementwise
 * activations commute with permutation-like representations, so a network whose layers all
 * hold is equivariant.
 * @param w the weights W (dimOut×dimIn), or the taps of a convolution
 * @throws ShapeMismatchError when the representations do not fit W; NonFiniteError for NaN/±Infinity weights or bias; InvalidRepresentationError
 *   for representations of different groups; InvalidArgumentError for bad options
 * @example
 * checkLayerSymmetry(Matrix.identity(3), { repIn: V(SO(3)), repOut: V(SO(3)) }).verdict; // 'holds'
 */
export function checkLayerSymmetry(w: Matrix | readonly Matrix[], options: LayerSymmetryOptions): LayerSymmetryCheck {
  const fn = 'checkLayerSymmetry';
  const taps = w instanceof Matrix ? [w] : w;
  if (!Array.isArray(taps) || taps.length === 0 || !taps.every((t) => t instanceof Matrix)) {
    throw new InvalidArgumentError(`${fn}: 'w' must be a Matrix or a non-empty array of Matrix taps; received ${describe(w)}`);
  }
  const { repIn, repOut } = options ?? ({} as LayerSymmetryOptions);
  if (!(repIn instanceof Representation) || !(repOut instanceof Representation)) {
    throw new InvalidArgumentError(`${fn}: 'repIn' and 'repOut' must be Representations; received ${describe(repIn)} and ${describe(repOut)}`);
  }
  const [rows, cols] = [taps[0]!.rows, taps[0]!.cols];
  if (taps.some((t) => t.rows !== rows || t.cols !== cols) || repIn.dim !== cols || repOut.dim !== rows) {
    throw new ShapeMismatchError(`${fn}: the layer maps ${cols} → ${rows}; received repIn.dim = ${repIn.dim} and repOut.dim = ${repOut.dim}`);
  }
  const bad = taps.findIndex((t) => !t.isFinite());
  if (bad >= 0) throw new NonFiniteError(`${fn}: 'w' must be finite; received ${taps.length > 1 ? `tap ${bad} with` : 'weights with'} NaN or ±Infinity`);
  if (options.bias !== undefined && !Array.from(options.bias).every(Number.isFinite)) {
    throw new NonFiniteError(`${fn}: 'bias' must be finite; received NaN or ±Infinity`);
  }
  if (repIn.group && repOut.group && repIn.group.key !== repOut.group.key) {
    throw new InvalidRepresentationError(`${fn}: 'repIn' and 'repOut' must be of the same group; received ${repIn.group.name} and ${repOut.group.name}`);
  }
  const tolerance = options.tolerance ?? defaultTolerance('check', { derivative: 'exact' });
  if (typeof tolerance !== 'number' || !(tolerance >= 0) || !Number.isFinite(tolerance)) {
    throw new InvalidArgumentError(`${fn}: 'tolerance' must be a finite number ≥ 0; received ${describe(tolerance)}`);
  }
  const group = repIn.group ?? repOut.group;
  const q = group?.lieAlgebra.length ?? 0;
  const p = group?.discreteGenerators.length ?? 0;
  const wNorm = Math.hypot(...taps.map((t) => t.norm())) || 1;
  const din = (i: number): Matrix => (repIn.group ? repIn.drho(i).toDense() : new Matrix(cols, cols));
  const dout = (i: number): Matrix => (repOut.group ? repOut.drho(i).toDense() : new Matrix(rows, rows));
  const hin = (j: number): Matrix => (repIn.group ? repIn.rho(j).toDense() : Matrix.identity(cols));
  const hout = (j: number): Matrix => (repOut.group ? repOut.rho(j).toDense() : Matrix.identity(rows));
  const lieDerivatives = Array.from({ length: q }, (_, i) => {
    const [a, c] = [din(i), dout(i)];
    return Math.hypot(...taps.map((t) => t.mul(a).sub(c.mul(t)).norm())) / wNorm;
  });
  const discrete = Array.from({ length: p }, (_, j) => {
    const [a, c] = [hin(j), hout(j)];
    return Math.hypot(...taps.map((t) => c.mul(t).sub(t.mul(a)).norm())) / wNorm;
  });
  let bias: number[] | undefined;
  if (options.bias !== undefined) {
    if (options.bias.length !== rows) throw new ShapeMismatchError(`${fn}: 'bias' must have ${rows} entries; received ${options.bias.length}`);
    const b = Float64Array.from(options.bias);
    const bNorm = Math.hypot(...b);
    if (bNorm > 0) {
      bias = [
        ...Array.from({ length: q }, (_, i) => Math.hypot(...dout(i).mulVec(b)) / bNorm),
        ...Array.from({ length: p }, (_, j) => Math.hypot(...hout(j).mulVec(b).map((v, k) => v - b[k]!)) / bNorm),
      ];
    }
  }
  const max = Math.max(0, ...lieDerivatives, ...discrete, ...(bias ?? []));
  return { lieDerivatives, discrete, bias, max, tolerance, verdict: max <= tolerance ? 'holds' : 'broken' };
}
