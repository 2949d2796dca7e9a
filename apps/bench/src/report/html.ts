/**
 * A self-contained HTML report: sections with text, tables and inline SVG plots.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

interface ReportTable {
  headers: string[];
  rows: string[][];
}

export interface ReportSection {
  heading: string;
  /** Paragraphs (plain text, escaped). */
  text?: string[];
  tables?: ReportTable[];
  /** SVG strings. */
  plots?: string[];
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function tableHtml(t: ReportTable): string {
  const head = t.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = t.rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export function reportHtml(title: string, sections: ReportSection[], footer: string): string {
  const parts = sections.map((s) => {
    const text = (s.text ?? []).map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
    const tables = (s.tables ?? []).map(tableHtml).join('\n');
    const plots = (s.plots ?? []).length > 0 ? `<div class="plots">${(s.plots ?? []).map((svg) => `<figure>${svg}</figure>`).join('\n')}</div>` : '';
    return `<section><h2>${escapeHtml(s.heading)}</h2>\n${text}\n${tables}\n${plots}</section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 2rem auto; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; margin: 0.8rem 0; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; font-variant-numeric: tabular-nums; }
th { background: #f3f3f3; }
.plots { display: flex; flex-wrap: wrap; gap: 1rem; }
figure { margin: 0; }
footer { margin-top: 2rem; color: #666; font-size: 0.85rem; }
</style></head>
<body><h1>${escapeHtml(title)}</h1>
${parts.join('\n')}
<footer>${escapeHtml(footer)}</footer>
</body></html>
`;
}

/** Writes dir/index.html atomically (temp file + rename); creates dir. Returns the file path. */
export async function writeReport(dir: string, html: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'index.html');
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, html, 'utf8');
  await rename(tmp, file);
  return file;
}
