/**
 * Exact rescaling by powers of two, so that sums of squares neither overflow (entries beyond
 * ~1e154) nor underflow (below ~1e-154) in the decompositions and norms a rank decision rests on.
 * Multiplying by 2ᵏ changes only the exponent of each float: every rounding in the scaled
 * computation is the rounding of the unscaled one, and scaling back is exact.
 */

/**
 * The e with 2ᵉ ≤ x < 2ᵉ⁺¹ (x finite and > 0, subnormals included), or 0 for 0, NaN and ±∞
 * (nothing to rescale).
 */
export function binaryExponent(x: number): number {
  const a = Math.abs(x);
  if (!(a > 0) || !Number.isFinite(a)) return 0;
  let e = Math.floor(Math.log2(a));
  // log2 can round across a power of two; settle e exactly.
  if (timesPowerOfTwo(1, e) > a) e--;
  else if (timesPowerOfTwo(1, e + 1) <= a) e++;
  return e;
}

/** x·2ᵏ, exact unless the result overflows or falls below the normal range (2ᵏ applied in halves when |k| > 1000). */
export function timesPowerOfTwo(x: number, k: number): number {
  if (k === 0) return x;
  if (Math.abs(k) <= 1000) return x * 2 ** k;
  const h = Math.trunc(k / 2);
  return x * 2 ** h * 2 ** (k - h);
}

/** Multiplies `data` by 2ᵏ in place and returns it (2ᵏ applied in halves when |k| > 1000, so that it never overflows). */
export function scaleInPlace(data: Float64Array, k: number): Float64Array {
  if (k === 0) return data;
  if (Math.abs(k) <= 1000) {
    const f = 2 ** k;
    for (let i = 0; i < data.length; i++) data[i]! *= f;
  } else {
    const h = Math.trunc(k / 2);
    const f1 = 2 ** h;
    const f2 = 2 ** (k - h);
    for (let i = 0; i < data.length; i++) data[i] = data[i]! * f1 * f2;
  }
  return data;
}

/** The exponent k that brings the largest |entry| of all `arrays` into [1, 2) (0 when all are zero or one is not finite). */
export function normalizingExponent(arrays: readonly ArrayLike<number>[]): number {
  let m = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return -binaryExponent(m);
}

/** The Euclidean norm √(Σ xᵢ²), without overflow or underflow at any finite scale. */
export function stableNorm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  // The plain sum is exact enough between ~1e-146 and ~1e146; outside, rescale by the largest entry.
  if (s < 1e292 && s > 1e-292) return Math.sqrt(s);
  if (s === 0 && !hasNonZero(x)) return 0;
  const k = normalizingExponent([x]);
  if (k === 0) return Math.sqrt(s);
  let t = 0;
  for (let i = 0; i < x.length; i++) {
    const v = timesPowerOfTwo(x[i]!, k);
    t += v * v;
  }
  return timesPowerOfTwo(Math.sqrt(t), -k);
}

function hasNonZero(x: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) if (x[i] !== 0) return true;
  return false;
}
