import { describe, expect, it } from 'vitest';
import { ppocrTensor, renderTextLines, turn180 } from '../src/real/textLines.js';

describe('renderTextLines (bench:real inputs)', () => {
  const lines = renderTextLines({ count: 4, width: 192, height: 48, seed: 3 });

  it('is deterministic in the seed and differs between seeds', () => {
    const again = renderTextLines({ count: 4, width: 192, height: 48, seed: 3 });
    const other = renderTextLines({ count: 4, width: 192, height: 48, seed: 4 });
    expect(Buffer.from(again[2]!.rgb).equals(Buffer.from(lines[2]!.rgb))).toBe(true);
    expect(Buffer.from(other[2]!.rgb).equals(Buffer.from(lines[2]!.rgb))).toBe(false);
  });

  it('draws ink: dark pixels on light paper, text within the line', () => {
    for (const l of lines) {
      let dark = 0;
      for (let i = 0; i < l.width * l.height; i++) if (l.rgb[3 * i]! < 100) dark++;
      expect(dark / (l.width * l.height)).toBeGreaterThan(0.03);
      expect(dark / (l.width * l.height)).toBeLessThan(0.5);
      expect(l.text).toMatch(/^[a-z ]+$/);
    }
  });

  it('turn180 is an involution and moves pixel (x, y) to (W−1−x, H−1−y)', () => {
    const l = lines[0]!;
    const t = turn180(l);
    expect(Buffer.from(turn180(t).rgb).equals(Buffer.from(l.rgb))).toBe(true);
    expect(t.rgb[(5 * 192 + 7) * 3 + 1]).toBe(l.rgb[((47 - 5) * 192 + (191 - 7)) * 3 + 1]);
  });

  it('ppocrTensor is BGR, NCHW, (p/255 − 0.5)/0.5', () => {
    const l = lines[1]!;
    const x = ppocrTensor(l);
    const i = 10 * 192 + 33;
    expect(x[i]).toBeCloseTo((l.rgb[3 * i + 2]! / 255 - 0.5) / 0.5, 12);
    expect(x[2 * 48 * 192 + i]).toBeCloseTo((l.rgb[3 * i]! / 255 - 0.5) / 0.5, 12);
  });
});
