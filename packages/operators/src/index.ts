/**
 * @liesym/operators: Neural operators on fields with symmetry: Fourier neural operators with enforced, discovered or promoted symmetry (planned).
 *
 * This package is a placeholder that reserves the name and the public entry point;
 * nothing here computes yet. The math lives in `@liesym/core`.
 *
 * @packageDocumentation
 */

/** Release status of this package: nothing is implemented yet. */
export const status = 'planned' as const;

/** What this package will provide, one entry per planned public capability. */
export const plannedFeatures: readonly string[] = Object.freeze([
  'FNO with enforced symmetry: rotation/reflection/translation-equivariant spectral weights, R(k) ↦ R(Rk) (enforce)',
  'FNO symmetry discovery: the symmetries a trained operator on fields has (discover)',
  "FNO symmetry promotion: a nuclear-norm penalty on the operator's Lie derivative during training (promote)",
  'fields u: Ω → R^c with domain flows and value actions, ℒ_ξ u = Du · ξ_M − A u',
]);
