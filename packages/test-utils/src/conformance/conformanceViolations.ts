import type { AdapterDiscoveryResult, ConformanceProblem } from './conformanceProblem.js';

function spectrum(s: readonly number[]): string {
  return `[${s.map((v) => v.toExponential(2)).join(', ')}]`;
}

/** The number of candidate generators of a problem (9 for gl(3), 16 for gl(4), or the pairs given). */
export function candidateCount(problem: ConformanceProblem): number {
  return problem.candidate === 'gl-input' ? problem.function.dimIn ** 2 : problem.candidate.length;
}

/**
 * Compares an adapter's result with the expected one: the dimension, one finite σ ≥ 0 per
 * candidate, the identification when one is expected, the decision against the returned
 * `threshold` (exactly `dimension` singular values at or below it) and, given `rtol`, the
 * separation of the spectrum at rtol·σ_max.
 * @returns the violations, as sentences (empty when the result conforms)
 */
export function conformanceViolations(problem: ConformanceProblem, result: AdapterDiscoveryResult, rtol?: number): string[] {
  if (!('dimension' in problem.expected)) return ['this case must be refused, not answered'];
  const out: string[] = [];
  const { dimension, identification } = problem.expected;
  if (result === null || typeof result !== 'object') return [`discover must resolve to { dimension, singularValues, … }; received ${String(result)}`];
  const raw = result.singularValues;
  if (raw === null || typeof raw !== 'object' || typeof raw.length !== 'number') {
    return [`singularValues must be an array of numbers; received ${String(raw)}`];
  }
  const s = Array.from(raw).sort((a, b) => a - b);
  const shown = spectrum(s);
  const q = candidateCount(problem);
  if (result.dimension !== dimension) out.push(`dimension ${String(result.dimension)}, expected ${dimension} of ${q}; σ = ${shown}`);
  if (s.length !== q) out.push(`${s.length} singular values, expected one per candidate generator (${q})`);
  if (!s.every((v) => Number.isFinite(v) && v >= 0)) out.push(`singular values must be finite and ≥ 0; σ = ${shown}`);
  if (identification !== undefined && result.identification !== identification) {
    out.push(`identification ${JSON.stringify(result.identification ?? null)}, expected ${JSON.stringify(identification)}`);
  }
  if (result.threshold !== undefined) {
    const below = s.filter((v) => v <= result.threshold!).length;
    if (!Number.isFinite(result.threshold) || result.threshold < 0) out.push(`threshold must be a finite number ≥ 0; received ${String(result.threshold)}`);
    else if (below !== result.dimension) {
      out.push(`${below} singular values are at or below the threshold ${result.threshold.toExponential(2)}, but dimension is ${String(result.dimension)}; σ = ${shown}`);
    }
  } else if (rtol !== undefined && s.length === q && dimension < q) {
    // Without a threshold, σ_max is the only scale; a candidate of symmetries only (d = q) has none.
    const cut = rtol * s[q - 1]!;
    if (dimension > 0 && !(s[dimension - 1]! <= cut)) out.push(`σ_${dimension} = ${s[dimension - 1]!.toExponential(2)} is above rtol·σ_max = ${cut.toExponential(2)}; σ = ${shown}`);
    if (!(s[dimension]! > cut)) out.push(`σ_${dimension + 1} = ${s[dimension]!.toExponential(2)} is not above rtol·σ_max = ${cut.toExponential(2)}; σ = ${shown}`);
  }
  return out;
}
