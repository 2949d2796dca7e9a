/** Our median n against the published one, one point per configuration and set-up, with the line y = x. */
import type { TopLevelSpec } from '../report/plot.js';
import type { SummaryRow } from './summary.js';

export function medianScatterSpec(rows: readonly SummaryRow[], { title }: { title: string }): TopLevelSpec {
  const points = rows
    .filter((s) => s.reference)
    .map((s) => ({
      published: s.reference!.medianN,
      ours: s.medianN,
      setup: s.setup,
      family: `${s.case} ${s.candidate}`,
      label: `${s.case} ${s.candidate}(${s.m}) r=${s.r} d=${s.d}`,
    }));
  const all = points.flatMap((p) => [p.published, p.ours]);
  const lo = Math.max(1, Math.min(...all) * 0.8);
  const hi = Math.max(...all) * 1.2;
  const scale = { type: 'log' as const, domain: [lo, hi] };
  return {
    title,
    width: 360,
    height: 360,
    layer: [
      {
        data: { values: [{ published: lo, ours: lo }, { published: hi, ours: hi }] },
        mark: { type: 'line', color: 'gray', strokeDash: [4, 4] },
        encoding: { x: { field: 'published', type: 'quantitative', scale }, y: { field: 'ours', type: 'quantitative', scale } },
      },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 70, opacity: 0.8 },
        encoding: {
          x: { field: 'published', type: 'quantitative', scale, title: 'published median n (nzolman/unified-symmetry-ml)' },
          y: { field: 'ours', type: 'quantitative', scale, title: 'our median n' },
          color: { field: 'setup', type: 'nominal', title: 'set-up' },
          shape: { field: 'family', type: 'nominal', title: 'case, candidate' },
          tooltip: [{ field: 'label' }, { field: 'published' }, { field: 'ours' }],
        },
      },
    ],
  } as TopLevelSpec;
}
