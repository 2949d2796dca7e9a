/**
 * Discovery scaling with the input dimension: `discoverSymmetries` over the candidate gl(n)
 * (n² generators) for F(x) = tanh(|x₀..₂|²) + 0.3·x₃ on Rⁿ, whose symmetry algebra has the known
 * dimension (n − 4)·n + 3. Reports the whole discovery time and the closure check inside it,
 * against a baseline run in the same process: the all-pairs closure residual (every bracket of
 * every pair of found generators) that 0.1 ran, on the same generators.
 * Prints a table and writes results/discover.json.   npm run bench:discover -w apps/bench [-- --quick]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Matrix, closureResidual, createRng, discoverSymmetries } from '@liesym/core';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const sizes = quick ? [8, 16, 24] : [8, 16, 24, 32];
/** The all-pairs baseline is O(k²·n³) in the found dimension k: run it where it finishes in seconds. */
const ALL_PAIRS_UP_TO = 16;

type Pair = readonly [Matrix, Matrix];

/** 0.1's closure check: the off-span part of the bracket of every pair of found generators. */
function allPairsClosure(generators: readonly Pair[]): number {
  let worst = 0;
  for (let i = 0; i < generators.length; i++) {
    for (let j = i + 1; j < generators.length; j++) {
      let a = generators[i]![0].bracket(generators[j]![0]);
      let b = generators[i]![1].bracket(generators[j]![1]);
      const [a0, b0] = [a, b];
      for (const [ga, gb] of generators) {
        const c = a0.dot(ga) + b0.dot(gb);
        if (c === 0) continue;
        a = a.sub(ga.scale(c));
        b = b.sub(gb.scale(c));
      }
      worst = Math.max(worst, Math.hypot(a.norm(), b.norm()));
    }
  }
  return worst;
}

interface Row {
  n: number;
  generators: number;
  samples: number;
  dimension: number;
  expected: number;
  determined: boolean;
  discoverMs: number;
  closureMs: number;
  closureResidual: number;
  allPairsMs: number | null;
  allPairsResidual: number | null;
  ratio: number | null;
}

const rows: Row[] = [];
for (const n of sizes) {
  const rng = createRng(1);
  const S = 2 * n * n;
  const xs = Array.from({ length: S }, () => Array.from({ length: n }, () => rng.normal()));
  const f = (x: Float64Array): number[] => [Math.tanh(x[0]! ** 2 + x[1]! ** 2 + x[2]! ** 2) + 0.3 * x[3]!];
  let t = performance.now();
  const r = discoverSymmetries(f, xs, { candidate: 'gl-input' });
  const discoverMs = performance.now() - t;
  t = performance.now();
  const closure = closureResidual(r.generators);
  const closureMs = performance.now() - t;
  let allPairsMs: number | null = null;
  let allPairsResidual: number | null = null;
  if (n <= ALL_PAIRS_UP_TO) {
    t = performance.now();
    allPairsResidual = allPairsClosure(r.generators);
    allPairsMs = performance.now() - t;
  }
  const row: Row = {
    n,
    generators: n * n,
    samples: S,
    dimension: r.dimension,
    expected: (n - 4) * n + 3,
    determined: r.determined,
    discoverMs,
    closureMs,
    closureResidual: closure,
    allPairsMs,
    allPairsResidual,
    ratio: allPairsMs === null ? null : allPairsMs / closureMs,
  };
  rows.push(row);
  const base = allPairsMs === null ? 'all-pairs baseline not run' : `all pairs ${(allPairsMs / 1000).toFixed(2)} s (${row.ratio!.toFixed(0)}×)`;
  console.log(`n=${n} q=${n * n} S=${S}: dimension ${r.dimension} (expected ${row.expected}) in ${(discoverMs / 1000).toFixed(2)} s; closure ${closureMs.toFixed(0)} ms, ${base}`);
}

mkdirSync(join(here, '..', 'results'), { recursive: true });
const out = join(here, '..', 'results', quick ? 'discover-quick.json' : 'discover.json');
writeFileSync(out, `${JSON.stringify({ quick, rows }, null, 2)}\n`);
console.log(`wrote ${out}`);
