/**
 * Text-line images made in code for the PP-OCR direction classifier: random lowercase words drawn
 * as strokes through a 5×9 cell font (ascenders, x-height, descenders), squeezed sideways as PP-OCR
 * squeezes long lines to its 192-pixel width, rendered with 4×4 supersampling at a random
 * scale, offset, ink and paper shade, as RGB bytes H×W×3. No fonts or files are read.
 */
import { createRng } from '@liesym/core';

const GLYPHS: Record<string, readonly string[]> = {
  a: ['.....', '.....', '.###.', '....#', '.####', '#...#', '.####', '.....', '.....'],
  b: ['#....', '#....', '####.', '#...#', '#...#', '#...#', '####.', '.....', '.....'],
  c: ['.....', '.....', '.###.', '#....', '#....', '#....', '.###.', '.....', '.....'],
  d: ['....#', '....#', '.####', '#...#', '#...#', '#...#', '.####', '.....', '.....'],
  e: ['.....', '.....', '.###.', '#...#', '#####', '#....', '.###.', '.....', '.....'],
  f: ['..##.', '.#...', '####.', '.#...', '.#...', '.#...', '.#...', '.....', '.....'],
  g: ['.....', '.....', '.####', '#...#', '#...#', '#...#', '.####', '....#', '.###.'],
  h: ['#....', '#....', '####.', '#...#', '#...#', '#...#', '#...#', '.....', '.....'],
  i: ['..#..', '.....', '.##..', '..#..', '..#..', '..#..', '.###.', '.....', '.....'],
  j: ['...#.', '.....', '..##.', '...#.', '...#.', '...#.', '...#.', '#..#.', '.##..'],
  k: ['#....', '#....', '#..#.', '#.#..', '##...', '#.#..', '#..#.', '.....', '.....'],
  l: ['.##..', '..#..', '..#..', '..#..', '..#..', '..#..', '.###.', '.....', '.....'],
  m: ['.....', '.....', '##.#.', '#.#.#', '#.#.#', '#.#.#', '#.#.#', '.....', '.....'],
  n: ['.....', '.....', '####.', '#...#', '#...#', '#...#', '#...#', '.....', '.....'],
  o: ['.....', '.....', '.###.', '#...#', '#...#', '#...#', '.###.', '.....', '.....'],
  p: ['.....', '.....', '####.', '#...#', '#...#', '#...#', '####.', '#....', '#....'],
  q: ['.....', '.....', '.####', '#...#', '#...#', '#...#', '.####', '....#', '....#'],
  r: ['.....', '.....', '#.##.', '##..#', '#....', '#....', '#....', '.....', '.....'],
  s: ['.....', '.....', '.####', '#....', '.###.', '....#', '####.', '.....', '.....'],
  t: ['.#...', '.#...', '####.', '.#...', '.#...', '.#..#', '..##.', '.....', '.....'],
  u: ['.....', '.....', '#...#', '#...#', '#...#', '#..##', '.##.#', '.....', '.....'],
  v: ['.....', '.....', '#...#', '#...#', '#...#', '.#.#.', '..#..', '.....', '.....'],
  w: ['.....', '.....', '#...#', '#...#', '#.#.#', '#.#.#', '.#.#.', '.....', '.....'],
  x: ['.....', '.....', '#...#', '.#.#.', '..#..', '.#.#.', '#...#', '.....', '.....'],
  y: ['.....', '.....', '#...#', '#...#', '#...#', '#...#', '.####', '....#', '.###.'],
  z: ['.....', '.....', '#####', '...#.', '..#..', '.#...', '#####', '.....', '.....'],
};

/** Ranges of the random line style (chosen so that the classifier reads 98 % of the lines right, see the bench README). */
const STYLE = { fill: [0.75, 0.9], squeeze: [0.45, 0.65], stroke: [0.35, 0.45] } as const;
const between = (range: readonly [number, number], u: number): number => range[0] + (range[1] - range[0]) * u;
const WORDS = (
  'the quick brown fox jumps over lazy dog symmetry group lie algebra model layer weight input output ' +
  'image text line reading paper table value field signal rotation shift scale light dark north south ' +
  'river mountain garden window kitchen bridge market station simple proof number height width'
).split(' ');

/** One rendered line: RGB bytes (H×W×3, row-major) and the words drawn. */
export interface TextLine {
  width: number;
  height: number;
  rgb: Uint8Array;
  text: string;
}

/** Options of {@link renderTextLines}. */
export interface TextLineOptions {
  count: number;
  width: number;
  height: number;
  seed: number;
}

type Segment = readonly [number, number, number, number];

/** The strokes of a glyph: segments between the centres of neighbouring inked cells. */
function strokes(rows: readonly string[]): Segment[] {
  const on = (r: number, c: number): boolean => rows[r]?.[c] === '#';
  const segs: Segment[] = [];
  for (let r = 0; r < rows.length; r++) {
    for (let c = 0; c < 5; c++) {
      if (!on(r, c)) continue;
      segs.push([c + 0.5, r + 0.5, c + 0.5, r + 0.5]);
      if (on(r, c + 1)) segs.push([c + 0.5, r + 0.5, c + 1.5, r + 0.5]);
      if (on(r + 1, c)) segs.push([c + 0.5, r + 0.5, c + 0.5, r + 1.5]);
      if (on(r + 1, c + 1) && !on(r, c + 1) && !on(r + 1, c)) segs.push([c + 0.5, r + 0.5, c + 1.5, r + 1.5]);
      if (on(r + 1, c - 1) && !on(r, c - 1) && !on(r + 1, c)) segs.push([c + 0.5, r + 0.5, c - 0.5, r + 1.5]);
    }
  }
  return segs;
}

const STROKES: Record<string, Segment[]> = Object.fromEntries(Object.entries(GLYPHS).map(([k, g]) => [k, strokes(g)]));

function nearSegment(s: Segment, at: { u: number; v: number; radius: number }): boolean {
  const [ax, ay, bx, by] = s;
  const { u, v, radius: r } = at;
  const dx = bx - ax;
  const dy = by - ay;
  const L = dx * dx + dy * dy;
  const t = L === 0 ? 0 : Math.max(0, Math.min(1, ((u - ax) * dx + (v - ay) * dy) / L));
  const ex = u - ax - t * dx;
  const ey = v - ay - t * dy;
  return ex * ex + ey * ey < r * r;
}

function inGlyph(text: string, at: { u: number; v: number; radius: number }): boolean {
  // (u, v) in font cells: 6 columns per character (5 + 1 space), 9 rows.
  const { u, v, radius } = at;
  if (v < -1 || v >= 10 || u < -1) return false;
  const k = Math.floor((u + 0.5) / 6);
  if (k < 0 || k >= text.length) return false;
  const segs = STROKES[text[k]!];
  if (!segs) return false;
  const lu = u - 6 * k;
  return segs.some((s) => nearSegment(s, { u: lu, v, radius }));
}

/** Renders `count` text lines, deterministic in `seed`. */
export function renderTextLines(options: TextLineOptions): TextLine[] {
  const { count, width, height, seed } = options;
  const r = createRng(seed);
  const rng = (): number => r.uniform();
  const lines: TextLine[] = [];
  for (let n = 0; n < count; n++) {
    const scale = (height * between(STYLE.fill, rng())) / 9;
    const sx = scale * between(STYLE.squeeze, rng()); // long lines are squeezed to the classifier's width
    let text = WORDS[Math.floor(rng() * WORDS.length)]!;
    for (;;) {
      const next = `${text} ${WORDS[Math.floor(rng() * WORDS.length)]}`;
      if ((next.length * 6 - 1) * sx > width - 4) break;
      text = next;
    }
    const x0 = (width - (text.length * 6 - 1) * sx) / 2 + (rng() - 0.5) * 4;
    const y0 = (height - 9 * scale) / 2 + (rng() - 0.5) * 4;
    const radius = between(STYLE.stroke, rng());
    const paper = 215 + 40 * rng();
    const ink = 10 + 60 * rng();
    const tint = [rng() * 10 - 5, rng() * 10 - 5, rng() * 10 - 5];
    const rgb = new Uint8Array(width * height * 3);
    const S = 4;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let cover = 0;
        for (let ay = 0; ay < S; ay++) {
          for (let ax = 0; ax < S; ax++) {
            const u = (x + (ax + 0.5) / S - x0) / sx;
            const v = (y + (ay + 0.5) / S - y0) / scale;
            if (inGlyph(text, { u, v, radius })) cover++;
          }
        }
        const a = cover / (S * S);
        for (let c = 0; c < 3; c++) {
          const value = paper + tint[c]! + (ink - paper) * a + (rng() - 0.5) * 6;
          rgb[(y * width + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(value)));
        }
      }
    }
    lines.push({ width, height, rgb, text });
  }
  return lines;
}

/** The same line turned by 180° (pixel (x, y) ← (W−1−x, H−1−y)). */
export function turn180(line: TextLine): TextLine {
  const { width: W, height: H } = line;
  const rgb = new Uint8Array(line.rgb.length);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) for (let c = 0; c < 3; c++) rgb[(y * W + x) * 3 + c] = line.rgb[((H - 1 - y) * W + (W - 1 - x)) * 3 + c]!;
  return { ...line, rgb };
}

/** PP-OCR's classifier input: BGR, (p/255 − 0.5)/0.5, NCHW [3, H, W] per line. */
export function ppocrTensor(line: TextLine): Float64Array {
  const { width: W, height: H } = line;
  const out = new Float64Array(3 * H * W);
  for (let c = 0; c < 3; c++) {
    const src = 2 - c; // BGR
    for (let i = 0; i < H * W; i++) out[c * H * W + i] = (line.rgb[i * 3 + src]! / 255 - 0.5) / 0.5;
  }
  return out;
}
