/**
 * Progress on stderr for runs over a second: one line redrawn in place (`\r`) when stderr is a
 * terminal, nothing otherwise (CI logs and pipes stay clean). Solvers never print; only this.
 */

/** Where the CLI writes. */
export interface Io {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress is drawn only then). */
  isTTY: boolean;
}

/** A progress line: `update(fraction)` as work advances, `done()` clears it. */
export interface Progress {
  update(fraction: number): void;
  done(): void;
}

/** A progress line labelled `label`, drawn after `delayMs` (default 1000) at most every 100 ms. */
export function progressLine(io: Io, options: { label: string; delayMs?: number }): Progress {
  const start = Date.now();
  const delay = options.delayMs ?? 1000;
  let last = 0;
  let drawn = false;
  return {
    update(fraction) {
      const now = Date.now();
      if (!io.isTTY || now - start < delay || now - last < 100) return;
      last = now;
      drawn = true;
      const f = Math.min(1, Math.max(0, fraction));
      const width = 24;
      const k = Math.round(f * width);
      io.stderr(`\r\x1b[2Kliesym: ${options.label} [${'#'.repeat(k)}${'.'.repeat(width - k)}] ${Math.round(f * 100)}% ${((now - start) / 1000).toFixed(0)} s`);
    },
    done() {
      if (drawn) io.stderr('\r\x1b[2K');
    },
  };
}

/** Runs expected to take longer than this get a one-line estimate on stderr before they start. */
const ANNOUNCE_MS = 5000;

/**
 * Before a long run: "liesym: LABEL makes about N model evaluations at X ms each (measured when the
 * model was opened): about T" on stderr, when the estimate is above 5 s. Returns the estimate in ms.
 */
export function announceCost(io: Io, run: { label: string; evaluations: number; msPerEvaluation: number | undefined }): number | undefined {
  if (run.msPerEvaluation === undefined || !(run.evaluations > 0)) return undefined;
  const ms = run.evaluations * run.msPerEvaluation;
  if (ms > ANNOUNCE_MS) {
    const t = ms < 120_000 ? `${Math.round(ms / 1000)} s` : ms < 7_200_000 ? `${Math.round(ms / 60_000)} min` : `${(ms / 3_600_000).toFixed(1)} h`;
    const each = run.msPerEvaluation >= 1 ? `${run.msPerEvaluation.toFixed(1)} ms` : `${(run.msPerEvaluation * 1000).toFixed(0)} µs`;
    io.stderr(`liesym: ${run.label} makes about ${run.evaluations.toLocaleString('en-US')} model evaluations at ${each} each (measured when the model was opened): about ${t} of model time alone; fewer --samples or a smaller --image-size make it shorter\n`);
  }
  return ms;
}
