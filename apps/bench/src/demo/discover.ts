/** Demo part 1: discover the symmetry algebras of functions and vector fields. */
import { Matrix, checkDiscreteSymmetry, createRng, discoverSymmetries, identifyPairs, type Candidate } from '@liesym/core';
import { discoverSymmetries as discoverOnnx, loadModel } from '@liesym/onnx';
import { DEMO_MODEL } from './makeDemoModel.js';
import { renderSvg, spectrumSpec } from '../report/plot.js';
import { sci, seconds, spectrum, table, type PartResult } from './format.js';
import { identify } from './identify.js';

function samples(dim: number, count: number, seed: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: count }, () => Array.from({ length: dim }, () => rng.normal()));
}

const sq = (x: Float64Array) => [x[0]! ** 2 + x[1]! ** 2 + x[2]! ** 2];
const hopf = (x: Float64Array) => {
  const r2 = x[0]! ** 2 + x[1]! ** 2;
  return [-x[1]! + (1 - r2) * x[0]!, x[0]! + (1 - r2) * x[1]!];
};
const lorenz = (x: Float64Array) => [10 * (x[1]! - x[0]!), x[0]! * (28 - x[2]!) - x[1]!, x[0]! * x[1]! - (8 / 3) * x[2]!];

export async function discoverPart(): Promise<PartResult> {
  const cases: Array<{ name: string; f: (x: Float64Array) => number[]; dim: number; candidate: Candidate; label: string }> = [
    { name: '|x|² on R³', f: sq, dim: 3, candidate: 'gl-input', label: 'gl(3) on x' },
    { name: '|x|² on R³', f: sq, dim: 3, candidate: 'gl-input-output', label: 'gl(3) ⊕ gl(1)' },
    { name: 'Hopf: Jx + (1−|x|²)x', f: hopf, dim: 2, candidate: 'gl-lift', label: 'gl(2) lifted' },
    { name: 'Lorenz (10, 28, 8/3)', f: lorenz, dim: 3, candidate: 'gl-lift', label: 'gl(3) lifted' },
  ];
  const headers = ['function', 'candidate', 'symmetries', 'algebra', 'smallest singular values', 'gap', 'closure'];
  const rows: string[][] = [];
  const series: Array<{ name: string; values: Float64Array }> = [];
  for (const c of cases) {
    const r = discoverSymmetries(c.f, samples(c.dim, 60, 7), { candidate: c.candidate });
    rows.push([c.name, c.label, `${r.dimension} of ${r.singularValues.length}`, identifyPairs(r.generators) ?? identify(r), spectrum(r.singularValues), sci(r.gap), sci(r.closureResidual)]);
    series.push({ name: `${c.name}, ${c.label}`, values: r.singularValues });
  }
  // The bundled ONNX model, run by onnxruntime-node; derivatives by central differences.
  const onnxModel = await loadModel(DEMO_MODEL);
  const t0 = performance.now();
  const onnxResult = await discoverOnnx(onnxModel, { candidate: 'gl-input', samples: 96, seed: 2 });
  const onnxMs = performance.now() - t0;
  rows.push([
    'ONNX: g(x₀²−x₁²−x₂²−x₃²)',
    'gl(4) on x',
    `${onnxResult.dimension} of ${onnxResult.singularValues.length}`,
    onnxResult.identification ?? identify(onnxResult),
    spectrum(onnxResult.singularValues, 7),
    sci(onnxResult.gap),
    sci(onnxResult.closureResidual),
  ]);
  series.push({ name: 'ONNX Lorentz-invariant model, gl(4)', values: onnxResult.singularValues });
  await onnxModel.close();

  const xs = samples(3, 60, 11);
  const discrete = [Matrix.diag([-1, -1, 1]), Matrix.diag([1, -1, 1])].map((h) => {
    const res = checkDiscreteSymmetry(lorenz, h, h, xs);
    return [`diag(${[0, 1, 2].map((i) => h.get(i, i)).join(', ')})`, sci(res, 2), res < 1e-10 ? 'symmetry' : 'broken'];
  });
  const dHeaders = ['h', '‖K_h f − f‖ / ‖f‖', 'verdict'];
  const stdout = [
    '1. Discover: which generators A inside a candidate Lie algebra leave F unchanged,',
    '   L_A F(x) = DF(x)·A_in·x − A_out·F(x) = 0 at every sample? (60 samples each; the bundled',
    `   ONNX model ${DEMO_MODEL.split('/').slice(-2).join('/')} runs in onnxruntime-node, 96 samples, ${seconds(onnxMs)})`,
    '',
    table(headers, rows),
    '',
    '   Discrete symmetries of Lorenz (the Lie derivative cannot see them):',
    table(dHeaders, discrete),
  ].join('\n');
  const plots = [await renderSvg(spectrumSpec('Discover: singular values of D_F (zeros are symmetries)', series))];
  return {
    stdout,
    section: {
      heading: '1. Discover',
      text: [
        'For each function F and candidate Lie algebra, the discover matrix D_F maps a generator to its Lie derivative at the samples; its nullspace is the symmetry algebra, and its singular values say how far each direction is from a symmetry.',
        'The last row is a small ONNX model bundled with the demo (built by apps/bench/src/demo/makeDemoModel.ts) and run with onnxruntime-node: no gradients are available, so the Lie derivatives come from batched central differences along the generators; the algebra found is the Lorentz algebra so(1,3).',
      ],
      tables: [
        { headers, rows },
        { headers: dHeaders, rows: discrete },
      ],
      plots,
    },
  };
}
