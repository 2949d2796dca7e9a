/** Median of a list of numbers. */
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k]! : (s[k - 1]! + s[k]!) / 2;
}

/**
 * Times two step functions against each other in interleaved rounds (A, B, A, B, …) so
 * that load from other processes on the shared CPU hits both alike; returns the median
 * milliseconds per step of each and their ratio.
 */
export async function compare(
  a: () => Promise<void> | void,
  b: () => Promise<void> | void,
  options: { warmup?: number; rounds?: number; steps?: number } = {},
): Promise<{ aMs: number; bMs: number; ratio: number }> {
  const warmup = options.warmup ?? 5;
  const rounds = options.rounds ?? 9;
  const steps = options.steps ?? 10;
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  const ratios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let t0 = performance.now();
    for (let i = 0; i < steps; i++) await a();
    const da = (performance.now() - t0) / steps;
    t0 = performance.now();
    for (let i = 0; i < steps; i++) await b();
    const db = (performance.now() - t0) / steps;
    ta.push(da);
    tb.push(db);
    ratios.push(da / db);
  }
  return { aMs: median(ta), bMs: median(tb), ratio: median(ratios) };
}
