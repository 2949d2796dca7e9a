/** Plain-text tables and number formatting for the demo's stdout report. */

export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function sci(v: number, digits = 1): string {
  if (v === Infinity) return '∞';
  return v.toExponential(digits);
}

export function spectrum(values: ArrayLike<number>, count = 4): string {
  return Array.from(values).slice(0, count).map((v) => sci(v)).join(' ') + (values.length > count ? ' …' : '');
}

export function seconds(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** What each demo part hands back: printed text and a report section. */
export interface PartResult {
  stdout: string;
  section: import('../report/html.js').ReportSection;
}
