/**
 * Plots for reports: Vega-Lite specifications compiled and rendered to SVG in Node
 * (vega's headless renderer; no canvas, no browser).
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export type { TopLevelSpec };

/** Renders a Vega-Lite spec to an SVG string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile({ background: 'white', ...spec } as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Warn });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** What every chart of the reports shares: its size, its title and its data. */
function frame(title: string, values: object[]): { title: string; width: number; height: number; data: { values: object[] } } {
  return { title, width: 320, height: 180, data: { values } };
}

/** A log-scale bar chart of singular values, one bar per index, one color per series. */
export function spectrumSpec(title: string, series: Array<{ name: string; values: ArrayLike<number> }>): TopLevelSpec {
  const values = series.flatMap((s) =>
    Array.from(s.values, (v, i) => ({ series: s.name, index: i + 1, sigma: Math.max(v, 1e-17) })),
  );
  return {
    ...frame(title, values),
    mark: { type: 'point', filled: true, size: 60 },
    encoding: {
      x: { field: 'index', type: 'ordinal', title: 'singular value index (ascending)' },
      y: { field: 'sigma', type: 'quantitative', scale: { type: 'log' }, title: 'σ' },
      color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 400, orient: 'bottom', columns: 1 } },
      shape: { field: 'series', type: 'nominal', title: null },
    },
  };
}

/** A line chart of y against x (optionally log scales), one line per series. */
export function lineSpec(spec: {
  title: string;
  x: string;
  y: string;
  points: Array<{ series: string; x: number; y: number }>;
  logX?: boolean;
  logY?: boolean;
}): TopLevelSpec {
  return {
    ...frame(spec.title, spec.points),
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: spec.x, scale: spec.logX ? { type: 'log' } : {} },
      y: { field: 'y', type: 'quantitative', title: spec.y, scale: spec.logY ? { type: 'log' } : {} },
      color: { field: 'series', type: 'nominal', title: null },
    },
  };
}

/** A grouped bar chart: one bar per (group, series). */
export function barSpec(spec: {
  title: string;
  y: string;
  bars: Array<{ group: string; series: string; value: number }>;
  logY?: boolean;
}): TopLevelSpec {
  return {
    ...frame(spec.title, spec.bars),
    mark: 'bar',
    encoding: {
      x: { field: 'group', type: 'nominal', title: null, axis: { labelAngle: 0 } },
      xOffset: { field: 'series' },
      y: { field: 'value', type: 'quantitative', title: spec.y, scale: spec.logY ? { type: 'log' } : {} },
      // Bars on a log axis cannot start at 0: start them a decade below the smallest value.
      ...(spec.logY ? { y2: { datum: Math.min(...spec.bars.map((b) => b.value)) / 10 } } : {}),
      color: { field: 'series', type: 'nominal', title: null, legend: { labelLimit: 400, orient: 'bottom', columns: 1 } },
    },
  };
}
