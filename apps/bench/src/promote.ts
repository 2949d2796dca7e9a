/**
 * bench:promote (issue 14) — promotion in neural networks, plain vs promoted vs enforced, on the
 * two experiments of the issue, in one results file:
 *  - 'spring-pendulum': the neural ODE of `bench:node` (src/neuralOde.ts): MLP vector fields of the
 *    double spring pendulum, the promoted MLP's γ chosen per seed on validation trajectories;
 *  - 'poisson-isotropic': the Fourier neural operators of `bench:operators` (src/operators.ts) on
 *    −Δu + 16u = f, with the error on a rotated test set.
 * Each experiment runs as its own process (the two scripts, unchanged), into results/promote-parts/;
 * this script then writes results/promote.json (or promote-quick.json) with rows
 * { experiment, model, setup, trainSize, seed, testError, transformedTestError?, discoveredDimension,
 *   singularValues, seconds }.
 *
 *   npm run bench:promote -w apps/bench [-- --quick]     run both, then assemble
 *   npm run bench:promote -w apps/bench -- --assemble    assemble from results/neural-ode.json and results/operators.json (no training)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GRIDDED_MODELS, bestByValidation, protocolFrom, protocolOf, type Protocol } from './neuralOde/protocol.js';
import type { Row as OperatorRow } from './operators.js';

const quick = process.argv.includes('--quick');
const assemble = process.argv.includes('--assemble');
const here = dirname(fileURLToPath(import.meta.url));
const results = resolve(here, '..', 'results');
const parts = resolve(results, 'promote-parts');

/** One row of results/promote.json. */
export interface PromoteRow {
  experiment: 'spring-pendulum' | 'poisson-isotropic';
  model: 'plain' | 'promoted' | 'enforced';
  /**
   * Which promoted set-up: 'paper' (the paper's γ = 1e-4 on fixed points) or 'liesym' (this
   * project's); for the pendulum, a training protocol other than bench:node's table's is added
   * (e.g. '300 epochs, last epoch, lr 0.003', then also on plain and enforced rows); '+ 1e-3‖D_f‖_*' marks the
   * enforced network trained with the promoted MLP's flatten term, '‖·‖ invariants' the enforced
   * network with norms rather than squared norms (bench:node's 'enforced-norm…'); else absent for plain and enforced.
   */
  setup?: string;
  trainSize: number;
  seed?: number;
  /** γ of a promoted row (chosen on validation for the pendulum). */
  weight?: number | null;
  testError: number;
  transformedTestError?: number;
  discoveredDimension: number;
  singularValues: number[];
  seconds: number;
}

interface PendulumRow {
  model: string;
  epochs?: number;
  epochSelection?: 'validation';
  learningRate?: number;
  /** Hidden width when it is not 64. */
  width?: number;
  /** The penalty box's margin (promoted and …-flatten rows; absent there means 0). */
  penaltyMargin?: number;
  trainSize: number;
  seed?: number;
  weight?: number | null;
  /** δ of a 'promoted-reweight' or 'promoted-nr' row. */
  reweight?: number;
  /** γ of the reweighted term of a 'promoted-nr' row. */
  reweightWeight?: number;
  testError: number;
  validationError?: number;
  discoveredDimension: number;
  singularValues: number[];
  seconds: number;
}


function readJson<T>(path: string): T {
  if (!existsSync(path)) throw new Error(`bench:promote: ${path} is missing (run without --assemble, or run the experiment's own bench first)`);
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** The pendulum rows: plain, enforced, the paper's promoted set-up, and the promoted MLP with γ chosen per seed (and protocol) on validation. */
function pendulumRows(rows: PendulumRow[], baseProtocol: Protocol): PromoteRow[] {
  const protocol = (x: PendulumRow) => protocolOf(protocolFrom(x, baseProtocol.epochs), baseProtocol);
  const withProtocol = (setup: string | undefined, x: PendulumRow) => [setup, protocol(x) || undefined].filter(Boolean).join(', ') || undefined;
  const base = (x: PendulumRow) => ({
    experiment: 'spring-pendulum' as const,
    trainSize: x.trainSize,
    ...(x.seed !== undefined ? { seed: x.seed } : {}),
    testError: x.testError,
    discoveredDimension: x.discoveredDimension,
    singularValues: x.singularValues,
    seconds: x.seconds,
  });
  const out: PromoteRow[] = [];
  for (const x of rows) {
    const setup = withProtocol(undefined, x);
    if (x.model === 'plain' || x.model === 'enforced') out.push({ ...base(x), model: x.model, ...(setup ? { setup } : {}) });
    else if (x.model === 'enforced-flatten') out.push({ ...base(x), model: 'enforced', setup: withProtocol('+ 1e-3‖D_f‖_*', x)! });
    else if (x.model === 'enforced-norm') out.push({ ...base(x), model: 'enforced', setup: withProtocol('‖·‖ invariants', x)! });
    else if (x.model === 'enforced-norm-flatten') out.push({ ...base(x), model: 'enforced', setup: withProtocol('‖·‖ invariants, + 1e-3‖D_f‖_*', x)! });
    else if (x.model === 'promoted-paper') out.push({ ...base(x), model: 'promoted', setup: withProtocol('paper', x)!, weight: x.weight ?? null });
  }
  // each γ-gridded promoted model: its row of least validation MSE per size, seed and protocol
  const promoted = rows.filter((x) => GRIDDED_MODELS.has(x.model));
  const key = (x: PendulumRow) => `${x.model}/${x.trainSize}/${x.seed ?? 0}/${protocol(x)}`;
  for (const pick of bestByValidation(promoted, key)) {
    const same = promoted.filter((x) => key(x) === key(pick));
    const name = pick.model === 'promoted' ? 'liesym' : pick.model === 'promoted-nr' ? `liesym with ${pick.reweightWeight ?? '?'}·reweighted δ ${pick.reweight ?? '?'}` : `reweighted δ ${pick.reweight ?? '?'}`;
    out.push({ ...base(pick), model: 'promoted', setup: withProtocol(same.length > 1 ? `${name}, γ by validation` : name, pick)!, weight: pick.weight ?? null });
  }
  return out;
}

/** The isotropic Poisson rows of the operators bench (the exact solver is left out: it is no model). */
function poissonRows(rows: OperatorRow[]): PromoteRow[] {
  return rows.flatMap((x): PromoteRow[] => {
    if (x.problem !== 'poisson-isotropic') return [];
    const model = x.model === 'plain' || x.model === 'enforced' ? x.model : x.model.startsWith('promoted') ? 'promoted' : undefined;
    if (model === undefined) return [];
    // 'promoted' is this project's set-up ('liesym'), 'promoted-fixed' / 'promoted-narrow' the earlier ones
    const variant = model === 'promoted' ? x.model.replace(/^promoted[ ,-]*/, '') || 'liesym' : undefined;
    const setup = [variant, x.calibratedOutput ? 'calibrated output' : undefined].filter(Boolean).join(', ');
    return [
      {
        experiment: 'poisson-isotropic',
        model,
        ...(setup ? { setup } : {}),
        trainSize: x.trainSize,
        ...(x.seed !== undefined ? { seed: x.seed } : {}),
        testError: x.testError,
        transformedTestError: x.transformedTestError,
        discoveredDimension: x.discoveredDimension,
        singularValues: x.spectrum,
        seconds: x.trainSeconds,
      },
    ];
  });
}

function runPart(script: string, args: string[]): void {
  console.error(`bench:promote: node ${script} ${args.join(' ')}`);
  const r = spawnSync(process.execPath, [resolve(here, script), ...args], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`bench:promote: ${script} exited with ${r.status ?? r.signal}`);
}

function main(): void {
  const t0 = performance.now();
  const suffix = quick ? '-quick' : '';
  let pendulumFile = resolve(results, `neural-ode${suffix}.json`);
  let operatorFile = resolve(results, `operators${suffix}.json`);
  if (!assemble) {
    mkdirSync(parts, { recursive: true });
    pendulumFile = resolve(parts, `neural-ode${suffix}.json`);
    operatorFile = resolve(parts, `operators${suffix}.json`);
    runPart('neuralOde.js', [...(quick ? ['--quick'] : []), '--out', pendulumFile]);
    runPart('operators.js', ['--problem=poisson-isotropic', `--sizes=${quick ? '16' : '16,64'}`, '--calibrate-output', ...(quick ? ['--quick'] : ['--seeds=1,2,3']), `--json=${operatorFile}`]);
  }
  const pendulum = readJson<{ epochs: number; epochSelection?: 'validation'; learningRate?: number; penaltyMargin?: number; rows: PendulumRow[] }>(pendulumFile);
  const operators = readJson<{ rows: OperatorRow[] }>(operatorFile);
  const rows = [...pendulumRows(pendulum.rows, protocolFrom(pendulum, pendulum.epochs)), ...poissonRows(operators.rows)];
  const file = resolve(results, `promote${suffix}.json`);
  const doc = { quick, assembled: assemble, sources: [pendulumFile, operatorFile].map((f) => f.slice(results.length + 1)), seconds: (performance.now() - t0) / 1000, rows };
  // write beside and rename: an interrupted run never leaves half a file
  writeFileSync(`${file}.tmp`, `${JSON.stringify(doc, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  console.log(`wrote ${file}: ${rows.length} rows in ${doc.seconds.toFixed(1)} s`);
}

main();
