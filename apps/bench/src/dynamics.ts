/**
 * SINDy with and without enforced symmetry on two SO(2)-equivariant systems, from clean and
 * from noisy trajectories: coefficient error against the number of samples.
 *
 *   npm run bench:dynamics -w apps/bench [-- --json out.json]
 *
 * - Hopf normal form on R²: ẋ = μx − ωy − x(x² + y²), ẏ = ωx + μy − y(x² + y²), μ = 0.5, ω = 1.
 * - Rotating 2-D oscillator on (x, v) ∈ R⁴: ẋ = v, v̇ = −x − 0.5|x|²x − 0.1v + 0.3·Jx
 *   (a damped, nonlinear isotropic oscillator in a rotating frame): SO(2) rotates x and v together.
 * Derivatives: fourth-order central differences (clean) or Savitzky–Golay (noisy, σ = 1e-3 on
 * the states); samples are spread evenly along the trajectories.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  GL,
  designMatrix,
  leastSquares,
  stlsq,
  Matrix,
  MonomialLibrary,
  SO,
  createRng,
  customGroup,
  sindy,
  timeDerivative,
  type Group,
  integrate,
} from '@liesym/core';
import { hopfNormalForm, lorenzSystem, relativeMaxError, rotatingOscillator, rotatingOscillatorGenerator, trueCoefficients, type PolynomialSystem } from '@liesym/test-utils';
import { textTable } from './report/textTable.js';

interface System {
  /** The field, its true terms and its name (from the test kit). */
  ode: PolynomialSystem;
  starts: number[][];
  steps: number;
  dt: number;
  library: MonomialLibrary;
  group: Group;
  discoverCandidate: Group;
}

const hopf: System = {
  ode: hopfNormalForm,
  starts: [
    [0.1, 0],
    [1.5, -1],
  ],
  steps: 1500,
  dt: 0.01,
  library: new MonomialLibrary(2, 3),
  group: SO(2),
  discoverCandidate: GL(2),
};

const oscillator: System = {
  ode: rotatingOscillator,
  starts: [
    [1, 0, 0, 0.8],
    [-0.5, 1, 0.6, 0],
  ],
  steps: 2000,
  dt: 0.005,
  library: new MonomialLibrary(4, 3),
  group: customGroup({ lieAlgebra: [rotatingOscillatorGenerator], name: 'SO(2) on (x, v)' }),
  discoverCandidate: GL(4),
};

const NOISE = 1e-3;
const COUNTS = [4, 6, 8, 10, 12, 16, 20, 24, 32, 40, 48, 64, 96, 128, 256, 512];

interface Row {
  system: string;
  data: 'clean' | 'noisy';
  samples: number;
  plainError: number;
  enforcedError: number;
  plainSeconds: number;
  enforcedSeconds: number;
}

/** Median (and, in `minimum`, the fastest) of per-fit times (ms) over `repeats` fits after two warm-up fits. */
function timeFits(repeats: number, f: () => void, minimum?: { ms: number }): number {
  const ts: number[] = [];
  for (let k = 0; k < repeats + 2; k++) {
    const t = performance.now();
    f();
    ts.push(performance.now() - t);
  }
  const sorted = ts.slice(2).sort((a, b) => a - b);
  if (minimum) minimum.ms = sorted[0]!;
  return sorted[Math.floor(repeats / 2)]!;
}

/**
 * Per-fit time of plain SINDy on 5,000 Lorenz samples (library of degree 2, 10 terms, threshold 0.1,
 * derivatives given): liesym's per-output QR path, the old block-design path (STLSQ on the 15,000×30
 * block design, thin SVD of the active sub-block at every iteration), and — when python3 with numpy
 * is present — a numpy/scikit-learn re-implementation of pysindy's STLSQ (python/pysindy_stlsq.py)
 * and, when `import pysindy` also works, pysindy itself (python/pysindy_fit.py: `SINDy.fit` with
 * STLSQ(threshold 0.1, alpha 0.05, max_iter 20) and PolynomialLibrary(degree 2), the same x and ẋ).
 */
function lorenzSpeed(): Record<string, unknown> {
  const dt = 0.002;
  const X = integrate(lorenzSystem.f, [-8, 8, 27], { dt, steps: 4999 });
  const D = timeDerivative(X, { dt });
  const lib = new MonomialLibrary(3, 2);
  const threshold = 0.1;
  let ours = sindy({ library: lib, trajectories: X, derivatives: D, threshold });
  const oursMin = { ms: NaN };
  const oursMs = timeFits(20, () => (ours = sindy({ library: lib, trajectories: X, derivatives: D, threshold })), oursMin);
  const oursWithDerivativeMs = timeFits(20, () => sindy({ library: lib, trajectories: X, derivative: { dt }, threshold }));
  const oldFit = (): Float64Array => {
    const B = designMatrix(lib, X, { dimOut: 3 });
    return stlsq({
      design: B,
      target: D.data,
      threshold,
      fit: (zero) => {
        const keep = zero.flatMap((z, j) => (z ? [] : [j]));
        const sub = new Matrix(B.rows, keep.length);
        for (let i = 0; i < B.rows; i++) keep.forEach((j, c) => (sub.data[i * keep.length + c] = B.data[i * B.cols + j]!));
        const x = leastSquares(sub, D.data).x;
        const th = new Float64Array(B.cols);
        keep.forEach((j, c) => (th[j] = x[c]!));
        return th;
      },
    }).theta;
  };
  let old = oldFit();
  const oldMs = timeFits(3, () => (old = oldFit()));
  const xi = trueCoefficients(lorenzSystem, lib);
  const out: Record<string, unknown> = {
    samples: X.rows,
    librarySize: lib.size,
    threshold,
    oursMs,
    oursMinMs: oursMin.ms,
    oursWithDerivativeMs,
    oldMs,
    oldOverOurs: oldMs / oursMs,
    oursVsOld: relativeMaxError(ours.theta, old),
    oursError: relativeMaxError(ours.theta, xi),
    activeTerms: ours.active.filter(Boolean).length,
  };
  const here = dirname(fileURLToPath(import.meta.url));
  const venv = join(here, '..', '.venv', 'bin', 'python');
  const python = existsSync(venv) ? venv : 'python3';
  const probe = spawnSync(python, ['-c', 'import numpy'], { encoding: 'utf8' });
  if (probe.status !== 0) {
    out.pysindyAlgorithm = null;
    out.pysindyNote = `skipped: ${python} -c 'import numpy' failed`;
    out.pysindy = null;
    out.pysindyRealNote = out.pysindyNote;
    return out;
  }
  const dir = mkdtempSync(join(tmpdir(), 'liesym-sindy-'));
  try {
    const file = join(dir, 'lorenz.json');
    const rows = (m: Matrix) => Array.from({ length: m.rows }, (_, s) => Array.from(m.row(s)));
    writeFileSync(file, JSON.stringify({ x: rows(X), xdot: rows(D), dt, degree: 2, threshold, alpha: 0.05, maxIter: 20, repeats: 20, exponents: lib.exponents }));
    const runPython = (script: string) =>
      spawnSync(python, [join(here, '..', 'python', script), file], { encoding: 'utf8', env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } });
    const r = runPython('pysindy_stlsq.py');
    if (r.status !== 0) throw new Error(`dynamics: pysindy_stlsq.py failed: ${r.stderr}`);
    const py = JSON.parse(r.stdout.trim().split('\n').pop()!) as { medianSeconds: number; minSeconds: number; backend: string; numpy: string; coefficients: number[][] };
    out.pysindyAlgorithm = {
      label: "numpy re-implementation of pysindy's STLSQ (python/pysindy_stlsq.py, not pysindy)",
      backend: `${py.backend}, numpy ${py.numpy}, one BLAS thread`,
      ms: py.medianSeconds * 1000,
      minMs: py.minSeconds * 1000,
      oursVsPysindyAlgorithm: relativeMaxError(ours.theta, py.coefficients.flat()),
      pysindyOverOurs: (py.medianSeconds * 1000) / oursMs,
    };
    // pysindy itself, only when it imports (exit status 3 from pysindy_fit.py otherwise).
    const real = runPython('pysindy_fit.py');
    if (real.status === 3) {
      out.pysindy = null;
      out.pysindyRealNote = real.stderr.trim().split('\n').pop() ?? 'pysindy not importable';
    } else if (real.status !== 0) {
      throw new Error(`dynamics: pysindy_fit.py failed: ${real.stderr}`);
    } else {
      const ps = JSON.parse(real.stdout.trim().split('\n').pop()!) as { medianSeconds: number; minSeconds: number; pysindy: string; sklearn: string; numpy: string; coefficients: number[][] };
      out.pysindy = {
        label: 'pysindy `SINDy(STLSQ(threshold=0.1, alpha=0.05), PolynomialLibrary(degree=2)).fit(x, t=dt, x_dot=ẋ)`',
        backend: `pysindy ${ps.pysindy}, scikit-learn ${ps.sklearn}, numpy ${ps.numpy}, one BLAS thread`,
        ms: ps.medianSeconds * 1000,
        minMs: ps.minSeconds * 1000,
        oursVsPysindy: relativeMaxError(ours.theta, ps.coefficients.flat()),
        algorithmVsPysindy: relativeMaxError(py.coefficients.flat(), ps.coefficients.flat()),
        pysindyOverOurs: (ps.medianSeconds * 1000) / oursMs,
      };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

function run(json?: string): void {
  const speed = lorenzSpeed();
  console.log('\nLorenz, 5,000 samples, per fit (median):');
  console.log(JSON.stringify(speed, null, 2));
  const rows: Row[] = [];
  const summary: Record<string, unknown>[] = [];
  for (const sys of [hopf, oscillator]) {
    const xi = trueCoefficients(sys.ode, sys.library);
    const clean = sys.starts.map((x0) => integrate(sys.ode.f, x0, { dt: sys.dt, steps: sys.steps }));
    for (const data of ['clean', 'noisy'] as const) {
      const rng = createRng(7);
      const trajs = data === 'clean' ? clean : clean.map((t) => new Matrix(t.rows, t.cols, t.data.map((v) => v + NOISE * rng.normal())));
      const ders = trajs.map((t) => timeDerivative(t, data === 'clean' ? { dt: sys.dt } : { dt: sys.dt, method: 'smoothed', window: 41, degree: 3 }));
      // Samples spread evenly over all trajectories (endpoints excluded: one-sided stencils are less accurate).
      const X = Matrix.vstack(trajs.map((t) => new Matrix(t.rows - 40, t.cols, t.data.slice(20 * t.cols, (t.rows - 20) * t.cols))));
      const D = Matrix.vstack(ders.map((t) => new Matrix(t.rows - 40, t.cols, t.data.slice(20 * t.cols, (t.rows - 20) * t.cols))));
      const pick = (count: number) => {
        const idx = Array.from({ length: count }, (_, k) => Math.floor((k * (X.rows - 1)) / (count - 1)));
        const take = (m: Matrix) => Matrix.from(idx.map((i) => Array.from(m.row(i))));
        return { trajectories: take(X), derivatives: take(D) };
      };
      const threshold = 0.05;
      let plainFirst: number | undefined;
      let enforcedFirst: number | undefined;
      const goal = data === 'clean' ? 1e-3 : 3e-2;
      for (const n of COUNTS) {
        if (n > X.rows) continue;
        const t0 = performance.now();
        const plain = sindy({ library: sys.library, ...pick(n), threshold });
        const t1 = performance.now();
        const enforced = sindy({ library: sys.library, ...pick(n), threshold, mode: 'enforce', group: sys.group });
        const t2 = performance.now();
        const row: Row = {
          system: sys.ode.name,
          data,
          samples: n,
          plainError: relativeMaxError(plain.theta, xi),
          enforcedError: relativeMaxError(enforced.theta, xi),
          plainSeconds: (t1 - t0) / 1000,
          enforcedSeconds: (t2 - t1) / 1000,
        };
        rows.push(row);
        if (plainFirst === undefined && row.plainError < goal) plainFirst = n;
        if (enforcedFirst === undefined && row.enforcedError < goal) enforcedFirst = n;
      }
      // Discovery on a least-squares fit of all samples (no thresholding: a wrongly dropped term would hide a symmetry).
      const full = sindy({ library: sys.library, trajectories: X, derivatives: D, threshold: 0, mode: 'discover', group: sys.discoverCandidate, rtol: data === 'clean' ? 1e-3 : 3e-2 });
      summary.push({
        system: sys.ode.name,
        data,
        goal,
        librarySize: sys.library.size,
        parameters: sys.library.size * sys.library.m,
        plainSamplesToGoal: plainFirst ?? null,
        enforcedSamplesToGoal: enforcedFirst ?? null,
        ratio: plainFirst && enforcedFirst ? enforcedFirst / plainFirst : null,
        discoveredDimension: full.symmetry!.dimension,
        discoverCandidate: `${sys.discoverCandidate.name} (tangent lift)`,
        discoverSingularValues: Array.from(full.symmetry!.singularValues.slice(0, 4)),
        fullDataLeastSquaresError: relativeMaxError(full.theta, xi),
      });
    }
  }
  for (const sys of [hopf, oscillator]) {
    for (const data of ['clean', 'noisy'] as const) {
      const rs = rows.filter((r) => r.system === sys.ode.name && r.data === data);
      console.log(`\n${sys.ode.name}, ${data} data (${sys.library.m * sys.library.size} coefficients; error = ‖Ξ − Ξ*‖∞ / ‖Ξ*‖∞)`);
      console.log(
        textTable(
          ['samples', 'plain SINDy', 'enforced SO(2)', 'plain ms', 'enforced ms'],
          rs.map((r) => [String(r.samples), r.plainError.toExponential(2), r.enforcedError.toExponential(2), (r.plainSeconds * 1000).toFixed(1), (r.enforcedSeconds * 1000).toFixed(1)]),
        ),
      );
    }
  }
  console.log('\nsamples needed to reach the goal error (clean: 1e-3, noisy: 3e-2):');
  console.log(
    textTable(
      ['system', 'data', 'plain', 'enforced', 'ratio', 'discovered (least squares on all samples)'],
      summary.map((s) => [
        String(s.system),
        String(s.data),
        String(s.plainSamplesToGoal ?? '—'),
        String(s.enforcedSamplesToGoal ?? '—'),
        s.ratio === null ? '—' : (s.ratio as number).toFixed(2),
        `dim ${s.discoveredDimension} in ${s.discoverCandidate}; σ = ${(s.discoverSingularValues as number[]).map((v) => v.toExponential(1)).join(' ')}`,
      ]),
    ),
  );
  const file = resolve(json ?? 'results/dynamics.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ noise: NOISE, speed, summary, rows }, null, 2) + '\n');
  console.log(`wrote ${file}`);
}

const argv = process.argv.slice(2);
if (argv.length > 0 && !(argv.length === 2 && argv[0] === '--json')) throw new Error(`dynamics: the only option is --json <file>; received ${argv.join(' ')}`);
run(argv[1]);
