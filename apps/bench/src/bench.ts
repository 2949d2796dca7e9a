/**
 * Runs every benchmark and regenerates apps/bench/README.md from results/*.json: tables, the
 * machine, the date, and plots (SVG files in apps/bench/plots/, made with vega-lite).
 *
 *   npm run bench -w apps/bench                 all benchmarks, full size
 *   npm run bench -w apps/bench -- --quick      reduced sizes (< 5 minutes)
 *   npm run bench -w apps/bench -- --only enforce,onnx
 *   npm run bench -w apps/bench -- --readme-only   regenerate the README from existing results
 *
 * Hand-written notes in the README survive regeneration: they sit between
 * <!-- notes:NAME --> and <!-- /notes:NAME --> markers.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { barSpec, lineSpec, renderSvg, spectrumSpec, type TopLevelSpec } from './report/plot.js';
import { GRIDDED_MODELS, RECORDED_LEARNING_RATE, REWEIGHT_DELTA, REWEIGHT_WEIGHT, bestByValidation, protocolFrom, protocolOf } from './neuralOde/protocol.js';
import type { PromoteRow } from './promote.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const results = join(root, 'results');
const plots = join(root, 'plots');

const BENCHES = ['enforce', 'discover', 'recovery', 'tfjs', 'regcost', 'conv', 'onnx', 'operators'] as const;
type Bench = (typeof BENCHES)[number];
/** How this run goes: `quick` (reduced sizes, `--quick`) or full. */
type RunMode = { quick: boolean };

function argsFor(b: Bench, { quick }: RunMode): string[][] {
  switch (b) {
    case 'enforce':
      return [quick ? ['--quick'] : []];
    case 'recovery': {
      const seeds = quick ? '3' : '10';
      const base = ['--case', 'ortho', '--d', '2', '--r', '1'];
      const runs = [
        [...base, '--m', '5', '--candidate', 'T', '--seeds', seeds, '--json', join(results, 'recovery-ortho-d2-r1-m5-T.json')],
        [...base, '--m', '5', '--candidate', 'SE', '--seeds', seeds, '--json', join(results, 'recovery-ortho-d2-r1-m5-SE.json')],
      ];
      if (!quick) runs.push([...base, '--m', '10', '--candidate', 'T', '--seeds', seeds, '--json', join(results, 'recovery-ortho-d2-r1-m10-T.json')]);
      return runs;
    }
    case 'conv':
    case 'tfjs':
    case 'regcost':
    case 'operators':
    case 'discover':
      return [quick ? ['--quick'] : []];
    case 'onnx':
      return [[]];
  }
}

function read<T>(name: string): T | undefined {
  const f = join(results, name);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as T) : undefined;
}

function mdTable(headers: string[], rows: Array<Array<string | number>>): string {
  const esc = (c: string | number) => String(c).replace(/\|/g, '\\|');
  return [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

const f2 = (v: number | null | undefined, d = 2): string => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toPrecision(d > 0 ? Math.max(d, 1) : 2));
const ms = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v < 1000 ? `${v.toFixed(v < 10 ? 2 : 0)} ms` : `${(v / 1000).toFixed(2)} s`);

async function plot(name: string, spec: TopLevelSpec): Promise<string> {
  mkdirSync(plots, { recursive: true });
  writeFileSync(join(plots, `${name}.svg`), await renderSvg(spec));
  return `![${name}](plots/${name}.svg)`;
}

interface Section {
  key: string;
  title: string;
  body: string;
}

async function enforceSection(): Promise<Section | undefined> {
  type Row = { problem: string; unknowns: number; rank: number; method: string; ms: number; peakMB: number; denseMs: number | null; denseNote?: string; ratio: number | null };
  const r = read<{ rows: Row[]; cache?: Array<Record<string, unknown>>; date: string }>('enforce.json');
  if (!r) return undefined;
  const rows = r.rows.map((x) => [x.problem, x.unknowns, x.rank, x.method, ms(x.ms), `${Math.round(x.peakMB)} MB`, x.denseMs === null ? (x.denseNote ?? '—') : ms(x.denseMs), x.ratio === null ? '—' : `${f2(x.ratio, 3)}×`]);
  const so3 = r.rows.filter((x) => /^SO\(3\) on V\^⊗/.test(x.problem));
  const points = so3.flatMap((x) => [
    { series: 'liesym (structured)', x: x.unknowns, y: x.ms },
    ...(x.denseMs === null ? [] : [{ series: 'dense reference', x: x.unknowns, y: x.denseMs }]),
  ]);
  const img = await plot('enforce-scaling', lineSpec({ title: 'SO(3) invariants of V^⊗k: time vs unknowns', x: 'unknowns', y: 'time (ms)', points, logX: true, logY: true }));
  const cache = (r.cache ?? []).map((c) => Object.values(c).map((v) => (typeof v === 'number' ? f2(v, 3) : String(v))));
  const cacheHeaders = r.cache?.[0] ? Object.keys(r.cache[0]) : [];
  return {
    key: 'enforce',
    title: 'Enforce (`bench:enforce`)',
    body: [
      mdTable(['problem', 'unknowns', 'rank', 'method', 'time', 'peak memory', 'dense (same run)', 'ratio'], rows),
      '',
      img,
      ...(cache.length ? ['', 'Basis cache:', '', mdTable(cacheHeaders, cache)] : []),
    ].join('\n'),
  };
}

async function recoverySection(): Promise<Section | undefined> {
  type R = { case: string; d: number; r: number; m: number; candidate: string; nLib: number; medianSamples: number; minSamples?: number; maxSamples?: number; samplesPerSeed: number[]; baselineMedianSamples: number; wallSeconds?: number; seconds?: number };
  const files = readdirSync(results).filter((f) => /^recovery-.*\.json$/.test(f)).sort();
  if (files.length === 0) return undefined;
  const rs = files.map((f) => ({ file: f, ...(read<R>(f) as R) }));
  const rows = rs.map((x) => [x.file.replace(/^recovery-|\.json$/g, ''), x.case, x.m, x.candidate, x.nLib, x.samplesPerSeed.length, x.medianSamples, `${Math.min(...x.samplesPerSeed)}–${Math.max(...x.samplesPerSeed)}`, x.baselineMedianSamples, f2(x.medianSamples / x.baselineMedianSamples, 2)]);
  const bars = rs.filter((x) => !x.file.includes('50seeds')).flatMap((x) => [
    { group: `m=${x.m} ${x.candidate}`, series: 'promoted (median)', value: x.medianSamples },
    { group: `m=${x.m} ${x.candidate}`, series: 'least squares (median)', value: x.baselineMedianSamples },
  ]);
  const img = await plot('recovery-samples', barSpec({ title: 'Samples needed to recover the coefficients', y: 'training samples', bars }));
  return {
    key: 'recovery',
    title: 'Recovery (`bench:recovery`)',
    body: [mdTable(['run', 'case', 'm', 'candidate', 'n_lib', 'seeds', 'median samples', 'range', 'least squares median', 'ratio'], rows), '', img].join('\n'),
  };
}

async function tfjsSection(): Promise<Section | undefined> {
  type Step = { aMs: number; bMs: number; ratio: number };
  type Dims = { strict: number; loose: number; largestGapDimension: number; largestGap: number; relative: number[] };
  type Fit = { testRelMse: number; symmetry: Dims };
  const r = read<{
    backend: string;
    stepTime: { width: number; batch: number; coefficients: number; enforce: Step; promote: Step };
    discoveryRtol: { strict: number; loose: number };
    sampleEfficiency: Array<{ nTrain: number; plain: Fit; equivariant: Fit; promoted: Fit; promotedFixed: Fit }>;
    wellFittedReference: Fit & { nTrain: number };
  }>('tfjs.json');
  if (!r || !Array.isArray(r.sampleEfficiency)) return undefined;
  const s = r.stepTime;
  const steps = [
    [`equivariantDense vs dense (width ${s.width}, batch ${s.batch})`, ms(s.enforce.aMs), ms(s.enforce.bMs), `${f2(s.enforce.ratio, 3)}×`, '≤ 1.2'],
    ['dense + symmetryRegularizer vs dense', ms(s.promote.aMs), ms(s.promote.bMs), `${f2(s.promote.ratio, 3)}×`, '≤ 1.5'],
  ];
  const dims = (d: Dims) => `${d.strict} / ${d.loose} / ${d.largestGapDimension} (${d.largestGap}×)`;
  const sweep = r.sampleEfficiency.map((e) => [
    e.nTrain,
    f2(e.plain.testRelMse, 3),
    f2(e.equivariant.testRelMse, 3),
    f2(e.promotedFixed.testRelMse, 3),
    f2(e.promoted.testRelMse, 3),
    f2(e.equivariant.testRelMse / e.plain.testRelMse, 3),
    f2(e.promotedFixed.testRelMse / e.plain.testRelMse, 3),
    f2(e.promoted.testRelMse / e.plain.testRelMse, 3),
    dims(e.plain.symmetry),
    dims(e.equivariant.symmetry),
    dims(e.promotedFixed.symmetry),
    dims(e.promoted.symmetry),
  ]);
  const ref = r.wellFittedReference;
  sweep.push([`${ref.nTrain} (reference, plain only)`, f2(ref.testRelMse, 4), '', '', '', '', '', '', dims(ref.symmetry), '', '', '']);
  const img = await plot(
    'tfjs-sample-efficiency',
    barSpec({
      title: 'Test relative MSE on the potential task',
      y: 'relative MSE (log)',
      logY: true,
      bars: r.sampleEfficiency.flatMap((e) => [
        { group: `${e.nTrain} samples`, series: 'plain', value: e.plain.testRelMse },
        { group: `${e.nTrain} samples`, series: 'equivariant', value: e.equivariant.testRelMse },
        { group: `${e.nTrain} samples`, series: 'promoted, fixed points', value: e.promotedFixed.testRelMse },
        { group: `${e.nTrain} samples`, series: 'promoted, fresh points', value: e.promoted.testRelMse },
      ]),
    }),
  );
  const rt = r.discoveryRtol;
  return {
    key: 'tfjs',
    title: `TensorFlow.js (\`bench:tfjs\`, ${r.backend} backend)`,
    body: [
      mdTable(['measure', 'liesym', 'baseline', 'ratio', 'target'], steps),
      '',
      `Sample efficiency, test relative MSE (targets at 32 samples: equivariant/plain ≤ 0.2; promoted/plain < 1 with symmetry dimension 3). Promoted = the plain MLP with \`functionSymmetryPenalty\`: "fixed" = γ‖D_F‖_* on 64 fixed points, γ = 0.2; "fresh" = γ‖D_F‖_* / ‖D_F‖_F on a fresh 256 of 4096 unlabeled points per step, γ = 0.1. "dims" = symmetry dimension found in gl(3) at rtol ${rt.strict} / rtol ${rt.loose} / largest gap σₖ₊₁/σₖ.`,
      '',
      mdTable(['train samples', 'plain', 'equivariant', 'promoted, fixed', 'promoted, fresh', 'equivariant / plain', 'fixed / plain', 'fresh / plain', 'dims plain', 'dims equivariant', 'dims fixed', 'dims fresh'], sweep),
      '',
      img,
    ].join('\n'),
  };
}

async function regcostSection(): Promise<Section | undefined> {
  type Step = { aMs: number; bMs: number; ratio: number };
  type Timing = { variant: string; batch: number; regularized: Step; before: Step; l2: Step; target: number; met: boolean };
  type Run = { normalize: string; weight: number; testRelMse: number; trace: Array<{ epoch: number; kernelNorm: number; symmetryRatio: number; sigmaRelative: number[] }> };
  const r = read<{ backend: string; load1: number; loadAfterTiming: number; loadAfter: number; weight: number; candidate: string; timing: Timing[]; homogeneity?: Run[]; date: string }>('regcost.json');
  if (!r || !Array.isArray(r.timing)) return undefined;
  const rows = r.timing.map((t) => [
    t.variant,
    t.batch,
    ms(t.regularized.bMs),
    ms(t.regularized.aMs),
    `${f2(t.regularized.ratio, 3)}×`,
    `≤ ${t.target}`,
    t.met ? '✔' : '✘',
    ms(t.before.aMs),
    `${f2(t.before.ratio, 3)}×`,
    `${f2(t.l2.ratio, 3)}×`,
  ]);
  const runs = (r.homogeneity ?? []).map((h) => {
    const [first, last] = [h.trace[0]!, h.trace[h.trace.length - 1]!];
    return [
      h.weight === 0 ? 'none' : h.normalize === 'weights' ? "γ‖D_W‖_* / ‖W‖_F ('weights')" : 'γ‖D_W‖_* (plain)',
      h.weight === 0 ? '—' : h.weight,
      f2(h.testRelMse, 3),
      `${first.kernelNorm.toFixed(2)} → ${last.kernelNorm.toFixed(2)}`,
      `${first.symmetryRatio.toFixed(3)} → ${last.symmetryRatio.toFixed(3)}`,
      h.trace.map((x) => x.symmetryRatio.toFixed(2)).join(', '),
      last.sigmaRelative.map((v) => f2(v, 2)).join(', '),
    ];
  });
  return {
    key: 'regcost',
    title: `Regularizer cost in a real training script (\`bench:regcost\`, ${r.backend} backend)`,
    body: [
      `tfjs-examples' abalone-node (8 → 50 → 50 → 1, MSE), \`model.trainOnBatch\` (and \`model.fit\` of one batch); \`symmetryRegularizer\` with the candidate ${r.candidate}, γ = ${r.weight}, on the first kernel (8 → 50). Ratios are medians of per-round ratios of interleaved rounds in one process; the times beside them are medians. Load average of the run that wrote the file: ${f2(r.load1, 2)} at its start, ${f2(r.loadAfterTiming, 2)} after the timing, ${f2(r.loadAfter, 2)} at its end (2 cores, shared).`,
      '',
      mdTable(['model', 'batch', 'plain step', 'with symmetryRegularizer', 'ratio', 'target', 'met', 'float64 path (before)', 'ratio before', 'tfjs L2 (any regularizer)'], rows),
      ...(runs.length
        ? [
            '',
            "The 1-homogeneity effect: the abalone model (relu, Adam 0.01, batch 32) on a target that only two of the eight inputs decide (the rest is a known symmetry: 48 of gl(8)'s 64 generators), the penalty on the first kernel W. Symmetry ratio = ‖W restricted to the six irrelevant inputs‖_F / ‖W‖_F (0 = the symmetry), per 10 epochs; σ(W)/‖W‖_F at the end ('gl-input' has σ(D_W) = σ(W), each 8 times).",
            '',
            mdTable(['penalty', 'γ', 'test rel. MSE', '‖W‖_F', 'symmetry ratio', 'ratio per 10 epochs', 'σ(W) / ‖W‖_F at the end'], runs),
          ]
        : []),
    ].join('\n'),
  };
}

async function discoverSection({ quick }: RunMode): Promise<Section | undefined> {
  type R = { n: number; generators: number; samples: number; dimension: number; expected: number; discoverMs: number; closureMs: number; allPairsMs: number | null; ratio: number | null };
  const r = read<{ rows: R[]; quick: boolean }>(quick ? 'discover-quick.json' : 'discover.json') ?? read<{ rows: R[]; quick: boolean }>('discover.json');
  if (!r) return undefined;
  const rows = r.rows.map((x) => [
    `n = ${x.n}: ${x.generators} generators, ${x.samples} samples`,
    `${x.dimension} (expected ${x.expected})`,
    ms(x.discoverMs),
    ms(x.closureMs),
    x.allPairsMs === null ? '—' : ms(x.allPairsMs),
    x.ratio === null ? '—' : `${f2(x.ratio, 3)}×`,
  ]);
  return {
    key: 'discover',
    title: `Discovery over gl(n) (\`bench:discover\`${r.quick ? ', quick' : ''})`,
    body: mdTable(['problem', 'dimension', 'discoverSymmetries', 'closure check', 'all-pairs closure (0.1, same process)', 'closure speed-up'], rows),
  };
}

async function onnxSection(): Promise<Section | undefined> {
  type O = { hidden: number[] | number; points: number; runs: number; ratio: number; pairRatio: number; analysisMs: number; baselineMs: number };
  const r = read<{ overhead: O[]; discovery: { generators: number; samples: number; dimension: number; totalMs: number }; thirdParty?: { package: string; model: string; singularValues: number[]; dimension: number; finite: boolean; reproducible: boolean; msPerAnalysis: number; candidate: string } }>('onnx.json');
  if (!r) return undefined;
  const rows = r.overhead.map((o) => [`MLP hidden ${JSON.stringify(o.hidden)}, ${o.points} points × ${o.runs}`, ms(o.analysisMs), ms(o.baselineMs), `${f2(o.ratio, 3)}× (pairs ${f2(o.pairRatio, 3)}×)`, '≤ 1.3×']);
  rows.push([`discovery 16→8, ${r.discovery.generators} generators, ${r.discovery.samples} samples`, ms(r.discovery.totalMs), '', `dimension ${r.discovery.dimension}`, '< 5 s']);
  const tp = r.thirdParty;
  if (tp) rows.push([`third-party: ${tp.package} ${tp.model} (${tp.candidate})`, ms(tp.msPerAnalysis), '', `finite ${tp.finite}, reproducible ${tp.reproducible}`, 'finite, reproducible']);
  const img = tp ? await plot('onnx-third-party-spectrum', spectrumSpec(`Singular values, ${tp.package} (${tp.candidate})`, [{ name: tp.model, values: tp.singularValues }])) : '';
  return { key: 'onnx', title: 'ONNX (`bench:onnx`)', body: [mdTable(['measure', 'liesym', 'plain session.run loop', 'result', 'target'], rows), '', img].join('\n') };
}

async function operatorsSection({ quick }: RunMode): Promise<Section | undefined> {
  type Row = { problem: string; model: string; trainSize: number; seed?: number; testError: number; transformedTestError: number | null; discoveredDimension: number | null; calibratedOutput?: boolean };
  const read_ = read<{ rows: Row[]; quick: boolean }>(quick ? 'operators-quick.json' : 'operators.json') ?? read<{ rows: Row[]; quick: boolean }>('operators.json');
  if (!read_) return undefined;
  // rows trained with trainOperator's calibrateOutput (--calibrate-output) are their own models in the table and the plot
  const r = { ...read_, rows: read_.rows.map((x) => (x.calibratedOutput ? { ...x, model: `${x.model}, calibrated output` } : x)) };
  // Rows without a seed ran seed 1; the exact solver has none.
  const rows = r.rows.map((x) => [x.problem, x.model, x.trainSize, x.model === 'exact solver' ? '—' : (x.seed ?? 1), f2(x.testError, 3), f2(x.transformedTestError, 3), x.transformedTestError === null ? '—' : f2(x.transformedTestError / x.testError, 3), x.discoveredDimension ?? '—']);
  const iso = r.rows.filter((x) => x.problem === 'poisson-isotropic' && x.model !== 'exact solver');
  // One point per model and size: the mean over seeds.
  const cells = [...new Set(iso.map((x) => `${x.model}\u0000${x.trainSize}`))].map((key) => {
    const rs = iso.filter((x) => `${x.model}\u0000${x.trainSize}` === key);
    const mean = (ys: number[]): number => ys.reduce((a, b) => a + b, 0) / ys.length;
    const moved = rs.flatMap((x) => (x.transformedTestError === null ? [] : [x.transformedTestError]));
    return { model: rs[0]!.model, n: rs[0]!.trainSize, test: mean(rs.map((x) => x.testError)), moved: moved.length ? mean(moved) : null };
  });
  const points = cells.flatMap((c) => [
    { series: `${c.model}: test`, x: c.n, y: c.test },
    ...(c.moved === null ? [] : [{ series: `${c.model}: rotated test`, x: c.n, y: c.moved }]),
  ]);
  const img = points.length ? await plot('operators-isotropic', lineSpec({ title: 'Isotropic screened Poisson: error vs training size', x: 'training fields', y: 'relative test error', points, logX: true, logY: true })) : '';
  return {
    key: 'operators',
    title: `Neural operators (\`bench:operators\`${r.quick ? ', quick' : ''})`,
    body: [mdTable(['problem', 'model', 'train size', 'seed', 'test error', 'transformed-set error', 'ratio', 'discovered dim.'], rows), '', img].join('\n'),
  };
}

async function convSection(): Promise<Section | undefined> {
  type Row = { train: number; kind: string; model?: string; seed: number; accuracy: number; validation?: number; epochs: number; invariance90: number; seconds: number };
  type Timing = { batch: number; image: number; channelsIn: number; channelsOut: number; groupMs: number; plainMs: number; ratio: number; groupMsBare?: number; bareMs?: number; ratioBare?: number };
  const r = read<{ backend: string; load1: number; loadAfter: number; testImages: number; rows: Row[]; timing: Timing }>('conv.json');
  if (!r || !Array.isArray(r.rows)) return undefined;
  const label = (x: Row) => x.model ?? x.kind;
  const kinds = [...new Set(r.rows.map(label))];
  const sizes = [...new Set(r.rows.map((x) => x.train))].sort((a, b) => a - b);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const cells = sizes.flatMap((n) =>
    kinds.flatMap((kind) => {
      const rs = r.rows.filter((x) => x.train === n && label(x) === kind);
      if (!rs.length) return [];
      const acc = rs.map((x) => x.accuracy);
      return [{ n, kind, seeds: rs.length, accuracy: mean(acc), min: Math.min(...acc), max: Math.max(...acc), invariance: mean(rs.map((x) => x.invariance90)), epochs: rs[0]!.epochs, seconds: mean(rs.map((x) => x.seconds)) }];
    }),
  );
  // Each promoted CNN (kernel or function penalty) with γ chosen per seed on the validation glyphs (never on the test set).
  const byValidation = (kind: string, name: string) =>
    sizes.flatMap((n) => {
      const ofSeed = (seed?: number) => r.rows.filter((x) => x.train === n && x.kind === kind && x.validation !== undefined && (seed === undefined || x.seed === seed));
      const picks = [...new Set(ofSeed().map((x) => x.seed))].map((seed) => ofSeed(seed).reduce((a, b) => (b.validation! > a.validation! ? b : a)));
      if (!picks.length) return [];
      const acc = picks.map((x) => x.accuracy);
      const gammas = picks.map((x) => /γ = ([\d.e-]+)/.exec(label(x))?.[1] ?? '?').join(', ');
      return [{ n, kind: `${name} (γ by validation: ${gammas})`, seeds: picks.length, accuracy: mean(acc), min: Math.min(...acc), max: Math.max(...acc), invariance: mean(picks.map((x) => x.invariance90)), epochs: picks[0]!.epochs, seconds: mean(picks.map((x) => x.seconds)) }];
    });
  const chosen = [...byValidation('promoted', 'promoted'), ...byValidation('promoted-function', 'promoted, function')];
  const all = sizes.flatMap((n) => [...cells.filter((c) => c.n === n), ...chosen.filter((c) => c.n === n)]);
  const rows = all.map((c) => [c.n, c.kind, c.seeds, c.accuracy.toFixed(3), c.seeds > 1 ? `${c.min.toFixed(3)}–${c.max.toFixed(3)}` : '', c.invariance.toExponential(1), c.epochs, c.seconds.toFixed(0)]);
  const t = r.timing;
  const timing = [
    [`C4 groupConv2d (8 filters × 4, group input ${t.channelsIn}) vs tf.layers.conv2d (${t.channelsOut} filters), batch ${t.batch}, ${t.image}×${t.image}`, ms(t.groupMs), ms(t.plainMs), `${f2(t.ratio, 3)}×`, '≤ 2'],
    ...(t.bareMs !== undefined ? [['C4 groupConv2d vs bare tf.conv2d + bias (same shapes)', ms(t.groupMsBare), ms(t.bareMs), `${f2(t.ratioBare, 3)}×`, '≤ 2']] : []),
  ];
  const img = await plot(
    'conv-accuracy',
    lineSpec({
      title: 'Rotated glyphs: test accuracy vs training images',
      x: 'training images',
      y: 'test accuracy',
      logX: true,
      // one line per model; the promoted CNNs as chosen on validation (each fixed γ is in the table)
      points: [...cells.filter((c) => !c.kind.includes('γ = ')), ...chosen.map((c) => ({ ...c, kind: c.kind.replace(/ \(γ by validation.*\)$/, ', γ by validation') }))].map((c) => ({ series: c.kind, x: c.n, y: c.accuracy })),
    }),
  );
  return {
    key: 'conv',
    title: `Image models (\`bench:conv\`, ${r.backend} backend)`,
    body: [
      `Test accuracy on ${r.testImages} rotated glyphs (mean over seeds; range when more than one) and the invariance error ‖F(gx) − F(x)‖/‖F(x)‖ of the class probabilities under an exact quarter turn. Load average of the last run that wrote the file: ${f2(r.load1, 2)} at its start, ${f2(r.loadAfter, 2)} at its end.`,
      '',
      mdTable(['train images', 'model', 'seeds', 'test accuracy', 'range', 'invariance 90°', 'epochs', 's / model'], rows),
      '',
      'Training step (forward, backward, SGD update; median of interleaved rounds in one process):',
      '',
      mdTable(['measure', 'C4 group conv', 'baseline', 'ratio', 'target'], timing),
      '',
      img,
    ].join('\n'),
  };
}

async function realSection(): Promise<Section | undefined> {
  type Run = { code: number; seconds: number; peakMB: number | null };
  const r = read<{ date?: string; check: Run; checkProbabilities: Run; analyze: Run; layers?: Run; recognizer?: { runs: Record<string, Run> }; audio?: { runs: Record<string, Run> } }>('real.json');
  if (!r) return undefined;
  const row = (name: string, x: Run | undefined): Array<string | number> => (x ? [name, x.code, `${x.seconds.toFixed(2)} s`, x.peakMB === null ? '—' : `${x.peakMB} MB`] : [name, '—', '—', '—']);
  const rows = [
    row('classifier: check --transform rotate180 (logits)', r.check),
    row('classifier: the same on the probabilities', r.checkProbabilities),
    row('classifier: analyze --transforms image', r.analyze),
    row('classifier: analyze --transforms … --layers (8 lines)', r.layers),
    ...Object.entries(r.recognizer?.runs ?? {}).map(([k, x]) => row(`recognizer: ${k}`, x)),
    ...Object.entries(r.audio?.runs ?? {}).map(([k, x]) => row(`audio: ${k}`, x)),
  ];
  return {
    key: 'real',
    title: 'Real models on real-looking inputs (`bench:real`, issue 15)',
    body: [`Every command of the last run (${r.date?.slice(0, 16) ?? 'undated'}; \`results/real.json\` has the reports): exit code, whole-process time, peak memory. The numbers are in the notes below.`, '', mdTable(['command', 'exit', 'time', 'peak'], rows)].join('\n'),
  };
}

function solveSection(): Section {
  return {
    key: 'solve',
    title: 'Nuclear-norm solver (`bench:solve`)',
    body: '`bench:solve` prints its table and writes no results file: the runs below are recorded by hand.',
  };
}

async function dynamicsSection(): Promise<Section | undefined> {
  type S = { system: string; data: string; goal: string; plainSamplesToGoal: number | null; enforcedSamplesToGoal: number | null; ratio: number | null; discoveredDimension: number };
  type Speed = {
    samples: number;
    librarySize: number;
    threshold: number;
    oursMs: number;
    oldMs: number;
    oursVsOld: number;
    pysindyNote?: string;
    pysindyAlgorithm: { label: string; backend: string; ms: number; oursVsPysindyAlgorithm: number } | null;
    /** pysindy itself (absent in results written before it was added; null when it did not import). */
    pysindy?: { label: string; backend: string; ms: number; oursVsPysindy: number } | null;
    pysindyRealNote?: string;
  };
  const r = read<{ speed?: Speed; summary: S[]; rows: Array<{ system: string; data: string; samples: number; plainError: number; enforcedError: number }> }>('dynamics.json');
  if (!r) return undefined;
  const rows = r.summary.map((x) => [x.system, x.data, x.goal, x.plainSamplesToGoal ?? '—', x.enforcedSamplesToGoal ?? '—', f2(x.ratio, 2), x.discoveredDimension]);
  const first = r.summary[0];
  const curve = first ? r.rows.filter((x) => x.system === first.system && x.data === first.data) : [];
  const points = curve.flatMap((x) => [
    { series: 'plain SINDy', x: x.samples, y: Math.max(x.plainError, 1e-16) },
    { series: 'enforced SINDy', x: x.samples, y: Math.max(x.enforcedError, 1e-16) },
  ]);
  const img = points.length ? await plot('dynamics-samples', lineSpec({ title: `${first!.system} (${first!.data}): coefficient error vs samples`, x: 'samples', y: 'relative coefficient error', points, logX: true, logY: true })) : '';
  const sp = r.speed;
  const speed = sp
    ? [
        '',
        `Plain SINDy per fit, Lorenz, ${sp.samples} samples, library of ${sp.librarySize}, threshold ${sp.threshold}, derivatives given (median of 20 fits):`,
        '',
        mdTable(
          ['solver', 'per fit', 'ratio to liesym', 'max coefficient difference (relative)'],
          [
            ['liesym `sindy` (one QR of [Θ | Ẋ], one least squares per output)', ms(sp.oursMs), '1', '—'],
            ['liesym before (STLSQ on the 15,000×30 block design, SVD per iteration)', ms(sp.oldMs), `${f2(sp.oldMs / sp.oursMs, 3)}×`, f2(sp.oursVsOld, 2)],
            ...(sp.pysindyAlgorithm
              ? [[`${sp.pysindyAlgorithm.label}; ${sp.pysindyAlgorithm.backend}`, ms(sp.pysindyAlgorithm.ms), `${f2(sp.pysindyAlgorithm.ms / sp.oursMs, 3)}×`, f2(sp.pysindyAlgorithm.oursVsPysindyAlgorithm, 2)]]
              : [[`pysindy's algorithm: ${sp.pysindyNote ?? 'skipped'}`, '—', '—', '—']]),
            ...(sp.pysindy
              ? [[`${sp.pysindy.label}; ${sp.pysindy.backend}`, ms(sp.pysindy.ms), `${f2(sp.pysindy.ms / sp.oursMs, 3)}×`, f2(sp.pysindy.oursVsPysindy, 2)]]
              : [[`pysindy: ${sp.pysindyRealNote ?? 'not run'}`, '—', '—', '—']]),
          ],
        ),
      ]
    : [];
  return { key: 'dynamics', title: 'Dynamics (`bench:dynamics`, run separately)', body: [mdTable(['system', 'data', 'goal', 'plain samples', 'enforced samples', 'ratio', 'discovered dim.'], rows), ...speed, '', img].join('\n') };
}

async function neuralOdeSection(): Promise<Section | undefined> {
  type Row = {
    model: string;
    trainSize: number;
    seed?: number;
    weight?: number | null;
    parameters?: number;
    testError: number;
    validationError?: number;
    discoveredDimension: number;
    singularValues: number[];
    zAlignment?: number | null;
    seconds: number;
    epochs?: number;
    epochSelection?: 'validation';
    selectedEpoch?: number;
    learningRate?: number;
    width?: number;
    penaltyMargin?: number;
    reweight?: number;
    reweightWeight?: number;
  };
  const r = read<{ epochs: number; epochSelection?: 'validation'; selectEvery?: number; learningRate?: number; penaltyMargin?: number; testTrajectories: number; validationTrajectories?: number; discoverRtol: number; rows: Row[] }>('neural-ode.json');
  if (!r) return undefined;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const sizes = [...new Set(r.rows.map((x) => x.trainSize))].sort((a, b) => a - b);
  // rows trained otherwise than the table's protocol (r.epochs, the last epoch's weights) say how
  const base = protocolFrom(r, r.epochs);
  const protocol = (x: Row) => protocolOf(protocolFrom(x, r.epochs), base);
  const suffix = (x: Row) => (protocol(x) ? ` [${protocol(x)}]` : '');
  const label = (x: Row) => (GRIDDED_MODELS.has(x.model) && x.weight != null ? `${x.model}, γ = ${x.weight}` : x.model) + suffix(x);
  // Each promoted MLP of a γ grid with γ chosen per seed (and protocol) on the validation trajectories (never on the test set).
  const chosen = (n: number): Array<[string, string, Row[]]> =>
    [...GRIDDED_MODELS].flatMap((model) => {
      const promoted = r.rows.filter((x) => x.trainSize === n && x.model === model && x.validationError !== undefined);
      return [...new Set(promoted.map(suffix))].map((p): [string, string, Row[]] => [model, p, bestByValidation(promoted.filter((x) => suffix(x) === p), (x) => String(x.seed))]);
    });
  const cell = (n: number, model: string, rs: Row[]) => {
    const err = rs.map((x) => x.testError);
    const sv = rs[0]!.singularValues.map((_, i) => mean(rs.map((x) => x.singularValues[i]!)));
    const z = rs.flatMap((x) => (x.zAlignment == null ? [] : [x.zAlignment]));
    return [
      n,
      model,
      rs.length,
      f2(mean(err), 3),
      rs.length > 1 ? `${f2(Math.min(...err), 2)}–${f2(Math.max(...err), 2)}` : '',
      rs.map((x) => x.discoveredDimension).join(', '),
      sv.map((v) => f2(v, 2)).join(', '),
      z.length ? Math.min(...z).toFixed(4) : '—',
      rs[0]!.parameters ?? '—',
      `${mean(rs.map((x) => x.seconds)).toFixed(1)} s`,
    ];
  };
  const rows = sizes.flatMap((n) => {
    const here = r.rows.filter((x) => x.trainSize === n);
    const labels = [...new Set(here.map(label))];
    let cells = labels.map((l) => cell(n, l, here.filter((x) => label(x) === l)));
    for (const [model, p, picks] of chosen(n)) {
      const byValidation = cell(n, `${model} (γ by validation: ${picks.map((x) => x.weight).join(', ')})${p}`, picks);
      const at = cells.findIndex((c) => String(c[1]).startsWith(`${model},`) && String(c[1]).endsWith(p) && (p !== '' || !String(c[1]).endsWith(']')));
      cells = at < 0 ? [...cells, byValidation] : [...cells.slice(0, at), byValidation, ...cells.slice(at)];
    }
    return cells;
  });
  const validation = r.validationTrajectories ? `, γ of the promoted MLP chosen per seed on ${r.validationTrajectories} validation trajectories` : '';
  const selection = r.epochSelection === 'validation' ? `, the weights of the epoch of least validation MSE (checked every ${r.selectEvery ?? '?'} epochs)` : '';
  const margin = r.penaltyMargin ?? 0;
  const box = `, the penalty points of promoted… and …-flatten uniform in the training states' bounding box${margin > 0 ? ` widened by ${margin} of its width on each side` : ''}`;
  const head = `Double spring pendulum, MLP 12→64→64→12 vector field (enforced: equivariantMLP under O(2) on x, y with squared-norm invariants; enforced-norm: the same with norm invariants, the enforced model until session 13; …-flatten: trained with the promoted MLP's 1e-3·‖D_f‖_* term; promoted-reweight: the plain MLP with the reweighted nuclear norm γ·Σ wᵢσᵢ alone, δ ${REWEIGHT_DELTA}, γ on the promoted MLP's grid; promoted-nr: the promoted MLP with its 1e-3·‖D_f‖_* replaced by ${REWEIGHT_WEIGHT}·Σ wᵢσᵢ), ${r.epochs} full-batch Adam epochs at ${r.learningRate ?? RECORDED_LEARNING_RATE}${selection} for every model, width 64${box} (rows in brackets: another protocol, width or penalty box), test trajectory MSE on ${r.testTrajectories} other trajectories (mean over seeds; range when more than one)${validation}; dimension inside so(3) on the four 3-vectors at rtol ${r.discoverRtol}, one entry per seed (truth: 1); σ the mean spectrum over seeds; z-alignment the worst over the seeds with dimension 1.`;
  return {
    key: 'neuralOde',
    title: 'Neural ODE (`bench:node`, run separately, scaled down)',
    body: [head, '', mdTable(['n_traj', 'model', 'seeds', 'test MSE', 'range', 'dimension', 'σ (ascending, mean)', 'z-alignment', 'params', 'training'], rows)].join('\n'),
  };
}

function preservedNotes(readme: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of readme.matchAll(/<!-- notes:(\w+) -->\n([\s\S]*?)<!-- \/notes:\1 -->/g)) out.set(m[1]!, m[2]!);
  return out;
}

async function promoteSection(): Promise<Section | undefined> {
  type Row = PromoteRow;

  const r = read<{ quick: boolean; assembled: boolean; sources: string[]; rows: Row[] }>('promote.json');
  if (!r || !Array.isArray(r.rows)) return undefined;
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const label = (x: Row) => (x.setup ? `${x.model} (${x.setup})` : x.model);
  const experiments = [...new Set(r.rows.map((x) => x.experiment))];
  const cells = experiments.flatMap((e) => {
    const mine = r.rows.filter((x) => x.experiment === e);
    const sizes = [...new Set(mine.map((x) => x.trainSize))].sort((a, b) => a - b);
    return sizes.flatMap((n) =>
      [...new Set(mine.filter((x) => x.trainSize === n).map(label))].map((l) => {
        const rs = mine.filter((x) => x.trainSize === n && label(x) === l);
        const moved = rs.flatMap((x) => (x.transformedTestError === undefined ? [] : [x.transformedTestError]));
        const sv = rs[0]!.singularValues.map((_, i) => mean(rs.map((x) => x.singularValues[i] ?? Number.NaN)));
        return { e, n, l, seeds: rs.length, test: mean(rs.map((x) => x.testError)), moved: moved.length ? mean(moved) : undefined, dims: rs.map((x) => x.discoveredDimension).join(', '), sv, seconds: mean(rs.map((x) => x.seconds)) };
      }),
    );
  });
  const rows = cells.map((c) => [c.e, c.n, c.l, c.seeds, f2(c.test, 3), c.moved === undefined ? '—' : f2(c.moved, 3), c.dims, c.sv.map((v) => f2(v, 2)).join(', '), `${c.seconds.toFixed(1)} s`]);
  const plots = await Promise.all(
    experiments.map((e) =>
      plot(
        `promote-${e}`,
        lineSpec({
          title: `${e}: test error vs training size`,
          x: e === 'spring-pendulum' ? 'training trajectories' : 'training fields',
          y: e === 'spring-pendulum' ? 'test trajectory MSE' : 'relative test error',
          logX: true,
          logY: true,
          points: cells.filter((c) => c.e === e).map((c) => ({ series: c.l, x: c.n, y: c.test })),
        }),
      ),
    ),
  );
  return {
    key: 'promote',
    title: 'Promotion in networks (`bench:promote`, issue 14)',
    body: [
      `Plain vs promoted vs enforced, from ${r.assembled ? 'the recorded runs' : 'one run'} of ${r.sources.map((x) => `\`${x}\``).join(' and ')} (mean over seeds; "dimension" lists one entry per seed; σ is the mean spectrum — absolute for the pendulum's so(3), relative to the largest for the operator's {translations, rotation, scaling}). Transformed error: the operator's error on the rotated test set.`,
      '',
      mdTable(['experiment', 'train size', 'model', 'seeds', 'test error', 'transformed error', 'dimension', 'σ (ascending)', 'training'], rows),
      '',
      ...plots,
    ].join('\n'),
  };
}

async function writeReadme({ quick }: RunMode): Promise<string> {
  const file = join(root, 'README.md');
  const notes = existsSync(file) ? preservedNotes(readFileSync(file, 'utf8')) : new Map<string, string>();
  const sections = (
    await Promise.all([enforceSection(), discoverSection({ quick }), recoverySection(), tfjsSection(), regcostSection(), convSection(), realSection(), onnxSection(), operatorsSection({ quick }), dynamicsSection(), Promise.resolve(solveSection()), neuralOdeSection(), promoteSection()])
  ).filter((s): s is Section => s !== undefined);
  const cpu = cpus();
  const text = [
    '# liesym benchmarks',
    '',
    '<!-- Generated by `npm run bench -w apps/bench` (src/bench.ts) from results/*.json; edit only the notes blocks. -->',
    '',
    `Machine: ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}.`,
    `Generated ${new Date().toISOString().slice(0, 10)}${quick ? ' (quick run)' : ''}. Every ratio is measured against a baseline run in the same process (or the same benchmark run); absolute times stand beside it.`,
    '',
    'Run everything: `npm run bench -w apps/bench` (`-- --quick` for a reduced run under 5 minutes; `-- --only enforce,onnx`).',
    '',
    ...sections.flatMap((s) => [
      `## ${s.title}`,
      '',
      s.body,
      '',
      `<!-- notes:${s.key} -->`,
      (notes.get(s.key) ?? '').trimEnd(),
      `<!-- /notes:${s.key} -->`,
      '',
    ]),
  ].join('\n');
  writeFileSync(file, text.replace(/\n{3,}/g, '\n\n'));
  return file;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const quick = argv.includes('--quick');
  const readmeOnly = argv.includes('--readme-only');
  const onlyArg = argv.indexOf('--only');
  const only = onlyArg >= 0 ? (argv[onlyArg + 1] ?? '').split(',') : [...BENCHES];
  const bad = only.filter((b) => !(BENCHES as readonly string[]).includes(b));
  if (bad.length) throw new Error(`bench: unknown benchmark(s) ${bad.join(', ')}; choose from ${BENCHES.join(', ')}`);
  const failed: string[] = [];
  if (!readmeOnly) {
    for (const b of only as Bench[]) {
      for (const args of argsFor(b, { quick })) {
        console.log(`\n▶ bench:${b} ${args.join(' ')}`);
        const t = performance.now();
        const r = spawnSync(process.execPath, [join(root, 'dist', `${b}.js`), ...args], { stdio: 'inherit' });
        console.log(`◀ bench:${b} exit ${r.status} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
        if (r.status !== 0) failed.push(`${b} ${args.join(' ')}`);
      }
    }
  }
  const file = await writeReadme({ quick });
  console.log(`\nwrote ${file}`);
  if (failed.length) {
    console.error(`bench: failed: ${failed.join('; ')}`);
    process.exit(1);
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
