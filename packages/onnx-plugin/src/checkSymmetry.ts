import { checkSymmetryAsync, type CheckSymmetryOptions as CoreCheckOptions, type SymmetryCheck } from '@liesym/core';
import type { OnnxModel } from './loadModel.js';
import { engineOptions, runAnalysis, type OnnxAnalysisOptions } from './runAnalysis.js';

/** Options of {@link checkSymmetry}: core's (repIn, repOut, group, tolerance, step, richardson, weights) and samples. */
export interface CheckSymmetryOptions extends Omit<CoreCheckOptions, 'jacobian' | 'derivative' | 'dtype'>, OnnxAnalysisOptions {}

/**
 * How strongly a model breaks a symmetry: core's {@link SymmetryCheck} (per generator
 * `index`, `name`, `norm` = RMS of ‖L_ξᵢF‖, `relative` to the output scale and `verdict`;
 * `discrete[].residual`; `outputScale`, `maxRelative`, `tolerance`, `verdict`, `sampleCount`)
 * and the `session.run` calls.
 */
export interface SymmetryReport extends SymmetryCheck {
  /** Number of `session.run` calls made. */
  runs: number;
}

/**
 * Measures how strongly an ONNX model breaks a given symmetry with core's
 * `checkSymmetryAsync`: for every generator the Lie derivative
 * L_ξ F(x) = DF(x)·dρ_in(ξ)·x − dρ_out(ξ)·F(x) (core's central finite differences, batched),
 * for every discrete generator h the residual ρ_out(h)⁻¹F(ρ_in(h)x) − F(x), each relative to
 * the output scale, with verdicts against `tolerance` (default core's `TOLERANCES.check`
 * for finite differences in the model's dtype: 1e-2 float32, 1e-5 float64). Samples as in
 * {@link discoverSymmetries} (default 128 standard-normal points).
 *
 * @throws InvalidRepresentationError when the reps belong to different groups or not to `group`;
 *   ShapeMismatchError when their dims do not fit the model; EmptyInputError; NonFiniteError
 * @example
 * const r = await checkSymmetry(model, { group: SO(3), repIn: V(SO(3)), repOut: Scalar, samples: 64 });
 * r.verdict;     // 'holds'
 * r.maxRelative; // ≈ 1e-5 for a rotation-invariant float32 model
 */
export async function checkSymmetry(model: OnnxModel, options: CheckSymmetryOptions): Promise<SymmetryReport> {
  const engine = engineOptions(options ?? ({} as CheckSymmetryOptions));
  return runAnalysis(model, options, { fn: 'checkSymmetry', run: (ev, xs) => checkSymmetryAsync(ev, xs, engine as CoreCheckOptions) });
}
