import { createRng } from '../linalg/random.js';
import { find } from './permutationOrbits.js';
import type { Representation } from '../reps/Representation.js';

/**
 * σ with (ρ·v)[i] = v[σ(i)] for every v, when ρ(hⱼ) is a permutation matrix; undefined otherwise.
 * Read from two products (the index vector and a random probe), so a lazy operator is never
 * made dense: a matrix that is not a permutation fails the random probe (with probability 1).
 */
function permutationOf(rep: Representation, j: number): Int32Array | undefined {
  const n = rep.dim;
  const op = rep.rho(j);
  const index = new Float64Array(n);
  for (let i = 0; i < n; i++) index[i] = i;
  const image = op.matvec(index);
  const sigma = new Int32Array(n);
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = image[i]!;
    if (!Number.isInteger(s) || s < 0 || s >= n || seen[s]) return undefined;
    sigma[i] = s;
    seen[s] = 1;
  }
  const rng = createRng(0x5eed + j);
  const probe = new Float64Array(n);
  for (let i = 0; i < n; i++) probe[i] = rng.uniform() + 0.5;
  const moved = op.matvec(probe);
  for (let i = 0; i < n; i++) if (moved[i] !== probe[sigma[i]!]) return undefined;
  return sigma;
}

/** Whether some dρ(ξᵢ) is not zero, probed with a random vector (a fixed one could sit in its kernel). */
function hasLieAction(rep: Representation): boolean {
  const rng = createRng(0x11e);
  for (let i = 0; i < rep.generatorCount; i++) {
    const probe = new Float64Array(rep.dim);
    for (let k = 0; k < rep.dim; k++) probe[k] = rng.uniform() + 0.5;
    if (rep.drho(i).matvec(probe).some((v) => v !== 0)) return true;
  }
  return false;
}

/**
 * The projection onto Hom_G(repIn, repOut) when G acts on both by permutations and has no Lie
 * algebra acting: W ↦ the average of W over each orbit of the entries (a, b) ↦ (σ_out(a), σ_in(b))
 * (the orthogonal projection onto the maps constant on orbits, which are exactly the equivariant
 * ones). O(dimOut·dimIn) memory and time per generator — no basis is built.
 * @returns project(W data) → projected data, or undefined when the action is not of that kind
 */
export function orbitAverager(repIn: Representation, repOut: Representation): ((w: Float64Array) => Float64Array) | undefined {
  const p = Math.max(repIn.discreteCount, repOut.discreteCount);
  if (p === 0 || hasLieAction(repIn) || hasLieAction(repOut)) return undefined;
  const identity = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i);
  const perms: Array<[Int32Array, Int32Array]> = [];
  for (let j = 0; j < p; j++) {
    const sin = j < repIn.discreteCount ? permutationOf(repIn, j) : identity(repIn.dim);
    const sout = j < repOut.discreteCount ? permutationOf(repOut, j) : identity(repOut.dim);
    if (!sin || !sout) return undefined;
    perms.push([sin, sout]);
  }
  const m = repOut.dim;
  const n = repIn.dim;
  const parent = new Int32Array(m * n);
  for (let i = 0; i < m * n; i++) parent[i] = i;
  for (const [sin, sout] of perms) {
    for (let a = 0; a < m; a++) {
      for (let b = 0; b < n; b++) {
        const ri = find(parent, a * n + b);
        const rj = find(parent, sout[a]! * n + sin[b]!);
        if (ri !== rj) parent[Math.max(ri, rj)] = Math.min(ri, rj);
      }
    }
  }
  const root = new Int32Array(m * n);
  const size = new Int32Array(m * n);
  for (let i = 0; i < m * n; i++) {
    root[i] = find(parent, i);
    size[root[i]!]!++;
  }
  return (w) => {
    const sum = new Float64Array(m * n);
    for (let i = 0; i < m * n; i++) {
      const r = root[i]!;
      sum[r] = sum[r]! + w[i]!;
    }
    const out = new Float64Array(m * n);
    for (let i = 0; i < m * n; i++) out[i] = sum[root[i]!]! / size[root[i]!]!;
    return out;
  };
}
