import type { ModelEvaluator } from './evaluator.js';
import { measureEquivariance, type EquivarianceOptions, type EquivarianceReport, type RepresentationLike } from './equivarianceReport.js';

/** Entries of a vector shown in a report; longer vectors are cut with their length given. */
const SHOWN = 6;

function num(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e-3 && a < 1e4 ? String(Number(v.toPrecision(6))) : v.toExponential(3);
}

function vector(v: ArrayLike<number>): string {
  const shown = Array.from({ length: Math.min(v.length, SHOWN) }, (_, i) => num(v[i]!));
  return `[${shown.join(', ')}${v.length > SHOWN ? `, … (${v.length} entries)` : ''}]`;
}

/** A group element for the report: a matrix as rows (core's `Matrix`: rows, cols, data), else its string. */
function element(g: unknown): string {
  const m = g as { rows?: unknown; cols?: unknown; data?: ArrayLike<number> } | null;
  if (m !== null && typeof m === 'object' && typeof m.rows === 'number' && typeof m.cols === 'number' && m.data && m.data.length === m.rows * m.cols) {
    const { rows, cols, data } = m as { rows: number; cols: number; data: ArrayLike<number> };
    const shownRows = Array.from({ length: Math.min(rows, SHOWN) }, (_, i) => vector(Array.prototype.slice.call(data, i * cols, (i + 1) * cols) as number[]));
    return `[${shownRows.join(', ')}${rows > SHOWN ? `, … (${rows}×${cols})` : ''}]`;
  }
  return String(g);
}

/**
 * The readable failure report: dtype and tolerance, the max and mean relative error, the
 * worst comparison with its g, and the two vectors that should agree (shortened).
 */
function formatReport(report: EquivarianceReport<unknown>): string {
  const w = report.worst;
  return [
    `F is not equivariant: max relative error ${num(report.max)} > tolerance ${num(report.tolerance)} (${report.dtype})`,
    `  ${report.group}, ${report.repIn} → ${report.repOut}; seed ${report.seed}`,
    `  relative error ‖F(ρ_in(g)x) − ρ_out(g)F(x)‖ / max(‖F(ρ_in(g)x)‖, ‖ρ_out(g)F(x)‖): max ${num(report.max)}, mean ${num(report.mean)} over ${report.errors.length} comparisons`,
    `  worst: sample ${w.sample}, g = ${element(w.g)}`,
    `    x            = ${vector(w.x)}`,
    `    F(ρ_in(g)x)  = ${vector(w.transformedOutput)}`,
    `    ρ_out(g)F(x) = ${vector(w.expectedOutput)}`,
  ].join('\n');
}

/** Thrown by {@link assertEquivariant} when the largest relative error exceeds the tolerance. */
export class EquivarianceAssertionError extends Error {
  /** The measurement the assertion failed on. */
  readonly report: EquivarianceReport<unknown>;
  constructor(report: EquivarianceReport<unknown>) {
    super(formatReport(report));
    this.name = 'EquivarianceAssertionError';
    this.report = report;
  }
}

/**
 * Asserts that F is equivariant, F(ρ_in(g)·x) = ρ_out(g)·F(x), to a tolerance relative to
 * scale (e3nn's `assert_equivariant`): measures with {@link equivarianceReport} (seeded
 * inputs and group elements) and throws when the largest relative error exceeds
 * `tolerance` — by default core's `defaultTolerance('equivariance', { dtype })`, float64
 * 1e-9 and float32 1e-3. Always returns a promise: `await` it.
 *
 * @param f the model: x ↦ F(x), `{ batch(xs) }` or an evaluator `{ evaluate(points, count) }`, sync or async
 * @returns the report, when the assertion holds
 * @throws EquivarianceAssertionError (a readable report) when it does not; core's typed errors
 *   (InvalidArgumentError, InvalidRepresentationError, ShapeMismatchError, …) for bad input
 * @example
 * await assertEquivariant(await loadModel('radial.onnx'), V(SO(3)), Scalar, { dtype: 'float32', seed: 1, samples: 16 });
 */
// eslint-disable-next-line @typescript-eslint/max-params -- (f, repIn, repOut, { dtype, seed }) is the signature issue 12 prescribes (e3nn's assert_equivariant)
export async function assertEquivariant<E>(
  f: ModelEvaluator,
  repIn: RepresentationLike<E>,
  repOut: RepresentationLike<E>,
  options: EquivarianceOptions<E>,
): Promise<EquivarianceReport<E>> {
  const report = await measureEquivariance('assertEquivariant', { f, repIn, repOut }, options);
  if (!(report.max <= report.tolerance)) throw new EquivarianceAssertionError(report);
  return report;
}
