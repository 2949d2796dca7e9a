/**
 * A 64-bit non-cryptographic hash (two 32-bit multiply–xorshift lanes) of 32-bit words and
 * strings, as 16 hex digits. Used for content-addressed cache keys and entry checksums: it
 * detects truncation and corruption, it is not a defence against tampering.
 */
export class Hash64 {
  private h1 = 0x9e3779b9;
  private h2 = 0x85ebca6b;
  private length = 0;

  /**
   * Mixes 32-bit words (e.g. a Uint32Array view of Float64 data). Four independent lanes take
   * every fourth word, so the multiplications do not wait on each other (about 4× faster on
   * tens of megabytes of cached basis), then fold into the running state; word order matters
   * within and across lanes.
   */
  words(w: Uint32Array): this {
    let a = this.h1;
    let b = this.h2;
    let c = a ^ 0x27d4eb2f;
    let d = b ^ 0x165667b1;
    const n4 = w.length - (w.length % 4);
    let i = 0;
    for (; i < n4; i += 4) {
      a = Math.imul(a ^ w[i]!, 0xcc9e2d51);
      a = (a << 15) | (a >>> 17);
      b = Math.imul(b ^ w[i + 1]!, 0x1b873593);
      b = (b << 13) | (b >>> 19);
      c = Math.imul(c ^ w[i + 2]!, 0x85ebca6b);
      c = (c << 16) | (c >>> 16);
      d = Math.imul(d ^ w[i + 3]!, 0xc2b2ae35);
      d = (d << 11) | (d >>> 21);
    }
    for (; i < w.length; i++) {
      a = Math.imul(a ^ w[i]!, 0x9e3779b1);
      a = (a << 13) | (a >>> 19);
      b = (b + a) | 0;
    }
    let h1 = Math.imul(a ^ (c >>> 7), 0x85ebca6b) ^ d;
    let h2 = Math.imul(b ^ (d >>> 9), 0xc2b2ae35) ^ c;
    h1 ^= h1 >>> 16;
    h2 ^= h2 >>> 13;
    this.h1 = h1;
    this.h2 = (h2 + h1) | 0;
    this.length += w.length;
    return this;
  }

  /** Mixes a string (its UTF-16 code units) followed by a separator. */
  text(s: string): this {
    const w = new Uint32Array(s.length + 1);
    for (let i = 0; i < s.length; i++) w[i] = s.charCodeAt(i);
    w[s.length] = 0xffffffff;
    return this.words(w);
  }

  /** Mixes Float64 values bit-exactly (−0 is normalized to 0 so equal values hash equally). */
  floats(a: Float64Array): this {
    const c = new Float64Array(a.length);
    for (let i = 0; i < a.length; i++) c[i] = a[i]! === 0 ? 0 : a[i]!;
    return this.words(new Uint32Array(c.buffer));
  }

  /** The 16-hex-digit digest. */
  digest(): string {
    let h1 = this.h1 ^ this.length;
    let h2 = this.h2 ^ Math.imul(this.length, 0x27d4eb2f);
    for (let r = 0; r < 2; r++) {
      h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b) ^ h2;
      h2 = Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35) ^ h1;
    }
    h1 ^= h1 >>> 16;
    h2 ^= h2 >>> 16;
    return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
  }
}
