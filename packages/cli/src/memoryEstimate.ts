/**
 * What a run will allocate, estimated from its sizes before any work, so that a typo in
 * `--samples` or `--shape` is refused with a message instead of a V8 heap abort or a run that
 * never ends.
 */
import { ResourceLimitError } from './errors.js';
import { formatBytes } from './values.js';

/** The sizes an estimate needs. */
export interface RunSize {
  /** Samples S. */
  samples: number;
  /** Inputs n and outputs m per sample. */
  dimIn: number;
  dimOut: number;
  /** Generators q (candidates, or the group's Lie algebra) and discrete generators. */
  generators: number;
  discrete?: number;
  /** Numbers held by the generator matrices themselves. */
  generatorNumbers: number;
  /** Exact Jacobians (brain.js, tfjs) or central finite differences (ONNX). */
  derivative: 'exact' | 'finite-difference';
}

/**
 * Bytes the engine allocates (Float64), following core's sampled Lie derivatives: the samples,
 * each generator's input tangent at each sample (S·q·n), the finite-difference directions (the q
 * tangents plus two probes, or the n unit vectors when q > n, each evaluated at x ± h·v), the
 * model outputs, the Jacobians or directional derivatives, the S·m × q matrix, and the
 * generators. Within a factor of two of what a run holds at its peak.
 */
function estimateBytes(size: RunSize): number {
  const { samples: S, dimIn: n, dimOut: m, generators: q } = size;
  const p = size.discrete ?? 0;
  let numbers = S * n + S * q * n + S * m * q + size.generatorNumbers + p * S * (n + m) * 2;
  if (size.derivative === 'exact') numbers += S * m * n + S * m;
  else {
    const k = q > n ? n : q + 2;
    numbers += S * k * n * 3 + S * k * m * 3 + (q > n ? S * m * n : 0);
  }
  return 8 * numbers;
}

/**
 * Refuses a run whose estimate exceeds `limit` bytes, naming the limit and how to raise it.
 * @throws ResourceLimitError
 */
export function checkMemory(command: string, size: RunSize, limit: number): void {
  const bytes = estimateBytes(size);
  if (bytes <= limit) return;
  const what = `${size.samples} samples × ${size.dimIn} inputs × ${size.generators} generators`;
  throw new ResourceLimitError(
    `${command} would need about ${formatBytes(bytes)} (${what}), more than the limit of ${formatBytes(limit)}; use fewer --samples or a smaller --shape, or raise the limit with --max-memory ${formatBytes(2 ** Math.ceil(Math.log2(bytes))).replace(' ', '')}`,
  );
}

/**
 * Refuses image or signal runs whose default sampler (core's smooth random fields: every
 * Fourier mode up to a quarter of the grid, summed at every pixel) would take minutes:
 * S·C·(2K + 1)(K + 1)·H·W operations, K = min(H, W)/4.
 * @throws ResourceLimitError
 */
export function checkFieldWork(sampleShape: readonly number[], samples: number): void {
  const dims = sampleShape.length === 3 ? sampleShape.slice(1) : sampleShape;
  const c = sampleShape.length === 3 ? sampleShape[0]! : 1;
  const K = Math.max(1, Math.floor(Math.min(...dims) / 4));
  const modes = (dims.length === 2 ? 2 * K + 1 : 1) * (K + 1);
  const ops = samples * c * modes * dims.reduce((a, b) => a * b, 1);
  if (ops > 2e10) {
    throw new ResourceLimitError(
      `analyze: drawing ${samples} smooth random fields of shape [${sampleShape.join(', ')}] would take about ${Math.round(ops / 1e9)}·10⁹ operations (minutes to days); use a smaller --shape (e.g. 64×64) or fewer --samples`,
    );
  }
}

/** The largest dense candidate analyze builds: gl(n) on n ≤ 256 inputs (and gl(m) on the outputs). */
const MAX_DENSE_GENERATORS = 65536;

/**
 * Refuses a dense candidate (gl-input, gl-lift, gl-input-output) on a model too wide for it, before
 * any estimate of samples: q = n² generators of n² numbers each. Names the structured candidates
 * that fit image and signal inputs instead.
 * @throws ResourceLimitError
 */
export function checkDenseCandidate(candidate: string, model: { dimIn: number; dimOut: number; sampleShape: readonly number[] }): void {
  if (!candidate.startsWith('gl-')) return;
  const q = candidate === 'gl-input-output' ? model.dimIn ** 2 + model.dimOut ** 2 : model.dimIn ** 2;
  if (q <= MAX_DENSE_GENERATORS) return;
  const rank = model.sampleShape.length;
  const hint =
    rank === 2 || rank === 3
      ? `for an image input [${model.sampleShape.join(', ')}] use --candidate image (translations, rotation, scaling, channel mixing)`
      : rank === 1 && model.dimIn > 256
        ? `for a signal input [${model.sampleShape.join(', ')}] use --candidate signal (time shift, amplitudes)`
        : 'use a structured candidate (--candidate image or signal) or a model with fewer inputs';
  throw new ResourceLimitError(
    `analyze: --candidate ${candidate} on ${model.dimIn} inputs has ${q.toLocaleString('en-US')} generators (n² of n² numbers each); at most ${MAX_DENSE_GENERATORS.toLocaleString('en-US')} are built (n ≤ 256); ${hint}`,
  );
}
