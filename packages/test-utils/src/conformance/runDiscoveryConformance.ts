import { InvalidArgumentError, describe as describeValue } from '@liesym/core';
import { describe, it } from 'vitest';
import { CONFORMANCE_CASES, conformanceProblem, type AdapterDiscoveryResult, type ConformanceCase, type ConformanceProblem } from './conformanceProblem.js';
import { candidateCount, conformanceViolations } from './conformanceViolations.js';


/**
 * A framework's discovery, as the conformance suite drives it.
 *
 * For each case the suite calls `discover(problem)`. The adapter builds its framework's model
 * computing exactly `problem.function` — F(x) = tanh(c·xᵀSx + w·x + b), one output
 * (`problem.function.f` is the float64 reference) — runs its discovery on `problem.samples`
 * with `problem.candidate` ('gl-input' or pairs [A_in, A_out] with A_out 1×1), and resolves to
 * the dimension, the whole spectrum and, if it has them, the identification and the threshold.
 * When the samples give fewer rows (samples × outputs) than candidate generators it must
 * reject with an error whose `code` is `'INSUFFICIENT_DATA'` (core's `InsufficientDataError`;
 * the suite compares `code`, not `instanceof`, since a test may load core twice).
 */
export interface DiscoveryAdapter {
  /** Printed in the suite's `describe` title. */
  name: string;
  discover(problem: ConformanceProblem): Promise<AdapterDiscoveryResult>;
  /** Cases the framework cannot express, with the reason (printed; the case is `it.skipIf`'d). */
  unsupported?: Partial<Record<ConformanceCase, string>>;
  /**
   * Per-adapter relative tolerance hint, if its derivatives are float32/finite differences.
   * Used only when `discover` returns no `threshold`: the `dimension` smallest σ must then be
   * ≤ rtol·σ_max and the next one above it (not checked for all-symmetric, where σ_max is
   * noise). Default: no separation check without a threshold.
   */
  rtol?: number;
}

function checkAdapter(adapter: unknown): DiscoveryAdapter {
  const fn = 'runDiscoveryConformance';
  const a = adapter as Partial<DiscoveryAdapter> | null;
  if (a === null || typeof a !== 'object') throw new InvalidArgumentError(`${fn}: 'adapter' must be { name, discover, unsupported?, rtol? }; received ${describeValue(adapter)}`);
  if (typeof a.name !== 'string' || a.name.length === 0) throw new InvalidArgumentError(`${fn}: 'adapter.name' must be a non-empty string; received ${describeValue(a.name)}`);
  if (typeof a.discover !== 'function') throw new InvalidArgumentError(`${fn}: 'adapter.discover' must be a function (problem) ↦ Promise<result>; received ${describeValue(a.discover)}`);
  if (a.unsupported !== undefined) {
    if (a.unsupported === null || typeof a.unsupported !== 'object') {
      throw new InvalidArgumentError(`${fn}: 'adapter.unsupported' must map case names to reasons; received ${describeValue(a.unsupported)}`);
    }
    for (const [k, reason] of Object.entries(a.unsupported)) {
      if (!(CONFORMANCE_CASES as readonly string[]).includes(k)) {
        throw new InvalidArgumentError(`${fn}: 'adapter.unsupported' keys must be among ${CONFORMANCE_CASES.join(', ')}; received ${describeValue(k)}`);
      }
      if (typeof reason !== 'string' || reason.length === 0) {
        throw new InvalidArgumentError(`${fn}: 'adapter.unsupported.${k}' must be a reason (a non-empty string); received ${describeValue(reason)}`);
      }
    }
  }
  if (a.rtol !== undefined && !(typeof a.rtol === 'number' && a.rtol > 0 && a.rtol < 1)) {
    throw new InvalidArgumentError(`${fn}: 'adapter.rtol' must be a number in (0, 1); received ${describeValue(a.rtol)}`);
  }
  return a as DiscoveryAdapter;
}

/** Passes when `discover` rejects (or throws) with code INSUFFICIENT_DATA; throws a readable error otherwise. */
export async function expectRefusal(adapter: DiscoveryAdapter, problem: ConformanceProblem): Promise<void> {
  let result: unknown;
  try {
    // A synchronous throw counts like a rejection.
    result = await adapter.discover(problem);
  } catch (e) {
    const code = (e as { code?: unknown } | null)?.code;
    if (code === 'INSUFFICIENT_DATA') return;
    throw new Error(`${adapter.name} / ${problem.case}: discover must reject with code 'INSUFFICIENT_DATA'; it threw ${e instanceof Error ? `${e.name} (code ${JSON.stringify(code)}): ${e.message}` : String(e)}`, { cause: e });
  }
  const r = result as Partial<AdapterDiscoveryResult> | undefined;
  throw new Error(
    `${adapter.name} / ${problem.case}: discover must reject with code 'INSUFFICIENT_DATA' (${problem.samples.length} sample(s) for ${candidateCount(problem)} candidates); it answered dimension ${String(r?.dimension)}`,
  );
}

/**
 * Registers the discovery conformance suite — one vitest `describe` holding an `it` per
 * {@link CONFORMANCE_CASES} case — for an adapter (see {@link DiscoveryAdapter} for the
 * contract and {@link conformanceProblem} for the cases). Call it at the top level of a test
 * file. Each case passes when the adapter's result has the expected dimension, one finite
 * σ ≥ 0 per candidate, the expected identification (radial 'so(3)', lorentz 'so(1,3)'), and
 * exactly `dimension` singular values at or below `threshold` when one is returned; the
 * too-few-samples case passes when `discover` rejects with code 'INSUFFICIENT_DATA'.
 * @throws InvalidArgumentError for a malformed adapter (at registration)
 * @example
 * runDiscoveryConformance({
 *   name: '@liesym/onnx',
 *   discover: async (p) => {
 *     const r = await discoverSymmetries(await loadModel(writeQuadratic(p.function)), { candidate: p.candidate, samples: p.samples });
 *     return { dimension: r.dimension, singularValues: r.singularValues, identification: r.identification, threshold: r.threshold };
 *   },
 * });
 */
export function runDiscoveryConformance(adapter: DiscoveryAdapter): void {
  const a = checkAdapter(adapter);
  describe(`discovery conformance: ${a.name}`, () => {
    for (const name of CONFORMANCE_CASES) {
      const reason = a.unsupported?.[name];
      if (reason !== undefined) console.log(`discovery conformance: ${a.name} skips '${name}': ${reason}`);
      it.skipIf(reason !== undefined)(reason === undefined ? name : `${name} (unsupported: ${reason})`, async () => {
        const problem = conformanceProblem(name);
        if ('error' in problem.expected) {
          await expectRefusal(a, problem);
        } else {
          const violations = conformanceViolations(problem, await a.discover(problem), a.rtol);
          if (violations.length > 0) throw new Error(`${a.name} / ${name}:\n  ${violations.join('\n  ')}`);
        }
      });
    }
  });
}
