/**
 * A seedable pseudo-random generator (mulberry32 for uniforms, Box–Muller for normals).
 * Everything random in liesym takes an `Rng`, so runs are reproducible.
 */
export interface Rng {
  /** A uniform number in [0, 1). */
  uniform(): number;
  /** A standard normal number. */
  normal(): number;
  /** A uniform integer in [0, n). */
  int(n: number): number;
}

/**
 * Creates a seeded generator.
 * @param seed any integer (default 0)
 * @example
 * const rng = createRng(42);
 * rng.normal();
 */
export function createRng(seed = 0): Rng {
  let state = (seed | 0) ^ 0x9e3779b9;
  let spare: number | undefined;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    uniform,
    normal(): number {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      let u = 0;
      while (u === 0) u = uniform();
      const v = uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    int(n: number): number {
      return Math.floor(uniform() * n);
    },
  };
}
