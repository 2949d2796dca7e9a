/**
 * ‖a − b‖∞ / ‖b‖∞: the largest entry error relative to the largest entry of the reference b
 * (coefficient recovery in the SINDy and regression tests).
 * @example
 * relativeMaxError([1, 2.01], [1, 2]); // 0.005
 */
export function relativeMaxError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / den;
}
