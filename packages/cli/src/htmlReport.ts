/**
 * `--report PATH.html` for `analyze` (named transforms, with `--discover` their spectrum; the
 * candidate discovery) and `check` (`--transform`, `--group`): one self-contained page (no
 * scripts, no external files) with the run's facts (inputs, output node, tolerance), bars against
 * the tolerance on a log scale, the singular values against the decision threshold, the generators
 * found, the first input file drawn, as given and as each discrete transform moves it, and the table.
 */
import { PNG } from 'pngjs';
import { formatCombination, imageIndexMaps, imageTransforms, type Matrix } from '@liesym/core';
import { writeOutputFiles } from '@liesym/core/node';

/** One bar: a transform's relative error or residual and its verdict. */
interface Bar {
  name: string;
  value: number;
  verdict: string;
}

/** An image of the first input's change d/dt (g_t·x) at t = 0 under a named transform or a found combination. */
interface Tangent {
  label: string;
  values: ArrayLike<number>;
}

/**
 * The first input's velocities v_k(x) = d/dt (g_t·x)|₀ under the named transforms (core's
 * `imageTransforms`, as analysed), and Σ cₖ·v_k(x) for each found combination: what each transform
 * changes in the input, drawn next to it.
 */
export function transformTangents(spec: {
  x: Float64Array;
  shape: readonly number[];
  layout: 'NCHW' | 'NHWC';
  names: readonly string[];
  pixelRange?: number;
  basis?: ReadonlyArray<Record<string, number>>;
}): Tangent[] {
  const family = imageTransforms({ shape: spec.shape, layout: spec.layout, names: spec.names, ...(spec.pixelRange !== undefined ? { pixelRange: spec.pixelRange } : {}) });
  const v = family.velocities(spec.x);
  const named = family.transforms.map((t, k) => ({ label: `${t.name}: d/dt g_t·x`, values: v[k]! }));
  const found = (spec.basis ?? []).map((c) => {
    const sum = new Float64Array(spec.x.length);
    family.transforms.forEach((t, k) => {
      const w = c[t.name] ?? 0;
      if (w !== 0) for (let i = 0; i < sum.length; i++) sum[i]! += w * v[k]![i]!;
    });
    return { label: `found: ${formatCombination(c)}`, values: sum };
  });
  return [...named, ...found];
}

/** Singular values (ascending) with the decision: at or below `threshold` counts as zero. */
interface Spectrum {
  values: ArrayLike<number>;
  threshold: number;
  dimension: number;
  gap: number;
  /** What the values are, for the caption. */
  caption: string;
}

/** What a report shows. */
export interface ReportSpec {
  path: string;
  force: boolean;
  /** Files that must never be written (the model, the inputs). */
  inputs: readonly string[];
  title: string;
  /** The text table the command printed. */
  table: string;
  /** Bars against `tolerance` (per transform or per generator); none for a discovery. */
  bars?: readonly Bar[];
  /** The heading of the bars (default 'Per transform'). */
  barsTitle?: string;
  tolerance: number;
  /** The run's facts as label → text: the inputs line, the output node, the tolerance, …. */
  facts?: ReadonlyArray<readonly [string, string]>;
  /** A spectrum and the rank decision made on it. */
  spectrum?: Spectrum;
  /** The generators or combinations found, one line each. */
  generators?: readonly string[];
  /** The samples read from files (for the example images), with the per-sample shape and layout. */
  example?: { samples: Matrix; shape: readonly number[]; layout: 'NCHW' | 'NHWC'; bgr: boolean; discrete?: readonly string[]; tangents?: readonly Tangent[] };
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An 8-bit RGB image as a PNG data: URI (pngjs, the encoder core's image reader already depends on). */
function pngDataUri(rgb: Uint8Array, size: { width: number; height: number }): string {
  const png = new PNG({ width: size.width, height: size.height });
  for (let p = 0; p < size.width * size.height; p++) png.data.set([rgb[3 * p]!, rgb[3 * p + 1]!, rgb[3 * p + 2]!, 255], 4 * p);
  return `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
}

/** A sample as RGB bytes, each channel rescaled from its min–max to 0–255 (normalized inputs are not pixels). */
function sampleRgb(x: ArrayLike<number>, spec: { shape: readonly number[]; layout: 'NCHW' | 'NHWC'; bgr: boolean }): { rgb: Uint8Array; width: number; height: number } | undefined {
  const { shape, layout } = spec;
  const [C, H, W] = shape.length === 2 ? [1, shape[0]!, shape[1]!] : layout === 'NCHW' ? [shape[0]!, shape[1]!, shape[2]!] : [shape[2]!, shape[0]!, shape[1]!];
  if (shape.length < 2 || shape.length > 3 || !(C === 1 || C === 3)) return undefined;
  const at = (c: number, i: number, j: number): number => (layout === 'NCHW' || shape.length === 2 ? x[(c * H + i) * W + j]! : x[(i * W + j) * C + c]!);
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < x.length; k++) {
    lo = Math.min(lo, x[k]!);
    hi = Math.max(hi, x[k]!);
  }
  const span = hi > lo ? hi - lo : 1;
  const rgb = new Uint8Array(3 * H * W);
  for (let i = 0; i < H; i++) {
    for (let j = 0; j < W; j++) {
      for (let c = 0; c < 3; c++) {
        const src = C === 1 ? 0 : spec.bgr ? 2 - c : c;
        rgb[3 * (i * W + j) + c] = Math.round((255 * (at(src, i, j) - lo)) / span);
      }
    }
  }
  return { rgb, width: W, height: H };
}

/** The bars on a log scale from min(values, tolerance)/10 to max(values, tolerance)·10, with the tolerance as a line. */
function barsSvg(bars: readonly Bar[], tolerance: number): string {
  const positive = [...bars.map((b) => b.value).filter((v) => v > 0), tolerance];
  const lo = Math.log10(Math.min(...positive) / 10);
  const hi = Math.log10(Math.max(...positive) * 10);
  const [left, width, rowH] = [170, 520, 22];
  const x = (v: number): number => left + (width * (Math.log10(Math.max(v, 10 ** lo)) - lo)) / (hi - lo);
  const rows = bars.map((b, k) => {
    const y = 10 + k * rowH;
    const colour = b.verdict === 'holds' ? '#4a8f4a' : '#c0504d';
    return `<text x="${left - 8}" y="${y + 14}" text-anchor="end" font-size="12">${escapeHtml(b.name)}</text><rect class="bar" x="${left}" y="${y + 3}" width="${Math.max(1, x(b.value) - left).toFixed(1)}" height="${rowH - 6}" fill="${colour}"/><text x="${(x(b.value) + 4).toFixed(1)}" y="${y + 14}" font-size="11">${b.value.toPrecision(3)}</text>`;
  });
  const h = 30 + bars.length * rowH;
  const tx = x(tolerance).toFixed(1);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 80}" height="${h}" font-family="system-ui, sans-serif">${rows.join('')}<line x1="${tx}" x2="${tx}" y1="4" y2="${h - 16}" stroke="#333" stroke-dasharray="4 3"/><text x="${tx}" y="${h - 4}" font-size="11" text-anchor="middle">tolerance ${tolerance.toPrecision(3)} (log scale)</text></svg>`;
}

/**
 * The singular values as log-scale bars (one per value, ascending; green at or below the threshold:
 * in the nullspace), the threshold as a dashed line and the found dimension and gap in the caption.
 */
function spectrumSvg(sp: Spectrum): string {
  const values = Array.from(sp.values);
  // An all-zero spectrum with a zero threshold (a constant model) still gets a finite scale.
  const positive = [...values, sp.threshold].filter((v) => v > 0);
  if (positive.length === 0) positive.push(1);
  const lo = Math.log10(Math.min(...positive) / 10);
  const hi = Math.log10(Math.max(...positive) * 10);
  const [left, width, rowH] = [60, 560, 16];
  const x = (v: number): number => left + (width * (Math.log10(Math.max(v, 10 ** lo)) - lo)) / (hi - lo);
  const rows = values.map((v, k) => {
    const y = 10 + k * rowH;
    const colour = k < sp.dimension ? '#4a8f4a' : '#8a8a8a';
    return `<text x="${left - 8}" y="${y + 11}" text-anchor="end" font-size="11">σ${k + 1}</text><rect class="sv" x="${left}" y="${y + 2}" width="${Math.max(1, x(v) - left).toFixed(1)}" height="${rowH - 4}" fill="${colour}"/><text x="${(x(v) + 4).toFixed(1)}" y="${y + 11}" font-size="10">${v.toPrecision(3)}</text>`;
  });
  // The cut: between the last value at or below the threshold and the first above it.
  const cutY = 10 + sp.dimension * rowH;
  const h = 34 + values.length * rowH;
  const tx = x(sp.threshold).toFixed(1);
  const gap = Number.isFinite(sp.gap) ? sp.gap.toPrecision(3) : '∞';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 80}" height="${h}" font-family="system-ui, sans-serif">${rows.join('')}<line x1="${tx}" x2="${tx}" y1="4" y2="${h - 20}" stroke="#333" stroke-dasharray="4 3"/><line x1="${left - 40}" x2="${left + width}" y1="${cutY}" y2="${cutY}" stroke="#c0504d"/><text x="${tx}" y="${h - 6}" font-size="11" text-anchor="middle">threshold ${sp.threshold.toPrecision(3)} (log scale); dimension ${sp.dimension}, gap ${gap}</text></svg>`;
}

/** The first sample, and its image under each discrete transform (index maps from core). */
function examples(spec: NonNullable<ReportSpec['example']>): string {
  const x = spec.samples.data.subarray(0, spec.samples.cols);
  const shown: Array<{ label: string; values: ArrayLike<number> }> = [{ label: 'first input, as read', values: x }];
  if (spec.discrete && spec.discrete.length > 0 && spec.shape.length === 3) {
    for (const t of imageIndexMaps({ shape: spec.shape, layout: spec.layout, names: spec.discrete as never })) {
      shown.push({ label: t.name, values: Array.from(t.input, (i, k) => x[i]! * (t.inputSign?.[k] ?? 1)) });
    }
  }
  for (const t of spec.tangents ?? []) shown.push(t);
  const figures = shown.flatMap(({ label, values }) => {
    const img = sampleRgb(values, spec);
    if (!img) return [];
    const scale = Math.max(1, Math.floor(384 / img.width));
    return [`<figure><img alt="${escapeHtml(label)}" src="${pngDataUri(img.rgb, img)}" width="${img.width * scale}" height="${img.height * scale}" style="image-rendering: pixelated"><figcaption>${escapeHtml(label)}</figcaption></figure>`];
  });
  const note = spec.tangents && spec.tangents.length > 0 ? ' Next to the input: d/dt g_t·x, what each transform (and each combination found) changes in it, per unit.' : '';
  return figures.length === 0 ? '' : `<h2>Example</h2><p>Each channel rescaled from its min–max to the full range for display.${note}</p><div class="plots">${figures.join('')}</div>`;
}

/** Writes the report (temp file and rename; an existing file only with --force; never an input). */
export function writeHtmlReport(spec: ReportSpec): void {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(spec.title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2rem auto; padding: 0 1rem; color: #222; }
pre { background: #f6f6f6; padding: 0.8rem; overflow-x: auto; font-size: 0.85rem; }
.plots { display: flex; flex-wrap: wrap; gap: 1rem; }
figure { margin: 0; } figcaption { font-size: 0.85rem; color: #555; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; } dt { font-weight: 600; } dd { margin: 0; }
</style></head>
<body><h1>${escapeHtml(spec.title)}</h1>
${spec.facts && spec.facts.length > 0 ? `<dl>${spec.facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>` : ''}
${spec.bars && spec.bars.length > 0 ? `<h2>${escapeHtml(spec.barsTitle ?? 'Per transform')}</h2>\n${barsSvg(spec.bars, spec.tolerance)}` : ''}
${spec.spectrum ? `<h2>Spectrum</h2><p>${escapeHtml(spec.spectrum.caption)}</p>\n${spectrumSvg(spec.spectrum)}` : ''}
${spec.generators ? `<h2>Found</h2>${spec.generators.length > 0 ? `<ul>${spec.generators.map((g) => `<li><code>${escapeHtml(g)}</code></li>`).join('')}</ul>` : '<p>Nothing at or below the threshold.</p>'}` : ''}
${spec.example ? examples(spec.example) : ''}
<h2>The run</h2>
<pre>${escapeHtml(spec.table)}</pre>
<footer><p>Written by liesym. Bars: green holds (≤ tolerance), red broken. Spectrum: green at or below the threshold (in the nullspace), grey above; the red line is the cut.</p></footer>
</body></html>
`;
  writeOutputFiles([{ path: spec.path, data: html }], { inputs: spec.inputs, force: spec.force, fn: '--report', forceHint: '--force' });
}
