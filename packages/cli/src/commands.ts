/**
 * The commands, their flags (as `node:util` parseArgs options) and their help. Nothing here
 * imports a model runtime, so `liesym --help` prints at once.
 */
import type { ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export type CommandName = 'analyze' | 'check' | 'layers' | 'project' | 'promote';

const common: Options = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'string' },
  force: { type: 'boolean' },
  input: { type: 'string' },
  output: { type: 'string' },
  shape: { type: 'string', multiple: true },
  fix: { type: 'string', multiple: true },
};
const sampling: Options = {
  samples: { type: 'string' },
  seed: { type: 'string' },
  'max-memory': { type: 'string' },
};
const inputs: Options = {
  inputs: { type: 'string', multiple: true },
  'image-size': { type: 'string' },
  mean: { type: 'string' },
  std: { type: 'string' },
  channels: { type: 'string' },
  layout: { type: 'string' },
};
const symmetry: Options = {
  group: { type: 'string' },
  in: { type: 'string' },
  out: { type: 'string' },
};
const boundaries: Options = { ...symmetry, hidden: { type: 'string' } };

export interface CommandSpec {
  summary: string;
  options: Options;
  help: string;
}

const MODEL = `MODEL is an .onnx file, a brain.js network JSON (NeuralNetwork#toJSON()) or a TensorFlow.js
  model.json (LayersModel, weight files beside it); the kind is read from the file itself.`;
const FILES = `Files: an output (-o, --json) that exists is refused unless --force; an output is never an
  input (not even with --force, by real path, symlink or hard link); outputs are written to a
  temporary file in the same folder and renamed into place, so a failed write leaves nothing.
  --json - writes the JSON to stdout (the table then goes to stderr).`;
const GROUPS = `Groups: SO3 O3 SL3 GL3 Sp1 SE2 T2 Scaling3 S3 Z4 A4 D4, SO13 / SO(1,3) / SO(3,1) (Lorentz,
  time is coordinate 0), any size in parentheses (SO(12), S(10)); SO31 is refused as ambiguous.
Representations: V, V*, Scalar, 2V (copies), V^2 or V⊗V (tensor power), joined by + or ⊕.`;
const ONNX = `ONNX only: --input NAME / --output NAME pick the analysed tensors (--output may name any
  value in the graph, not only a graph output); --shape NAME=1,3,48,48 (repeatable) fixes dynamic
  dims. Without --output, a graph ending in Softmax, LogSoftmax or Sigmoid is analysed at that
  node's input (the logits); the 'output' line says which node and why. --fix NAME=v[,v…]
  (repeatable) holds another input at these values (e.g. --fix sr=16000; dims from the graph,
  a leading dynamic dim tiled per batch); inputs not fixed are held at zeros.`;
const INPUTS = `--inputs GLOB    sample inputs from files instead of random draws (repeatable): a file, a folder
                   or a glob with * ? [0-9] ** of .png .jpg .jpeg (images), .npy, .json (arrays), .wav
                   (audio, mono, cropped to a 1-D input's length; shorter files are refused)
  --image-size WxH resize images bilinearly to W×H (default: read at their own size)
  --mean m[,m,m]   subtracted from pixels scaled to [0, 1], one or one per channel (default 0)
  --std s[,s,s]    then divided by, one or one per channel (default 1)
  --channels C     rgb, bgr or gray (default: gray for a one-channel input, else rgb)
  --layout L       nchw or nhwc (default: from the model's input: [C,H,W] when only the first
                   per-sample dim is 1, 3 or 4, [H,W,C] when only the last is; else NCHW, NHWC for tfjs)
  The report's inputs line says which files were read and how, or that the inputs were random.`;
const MEMORY = `--max-memory SIZE  the memory a run may plan to use (default 2GiB); runs estimated above it
  are refused before any work (also raise Node's heap with NODE_OPTIONS=--max-old-space-size=MB).`;

export const COMMANDS: Readonly<Record<CommandName, CommandSpec>> = {
  analyze: {
    summary: 'discover the symmetries a model has (nullspace of the Lie derivative over a candidate algebra)',
    options: {
      ...common,
      ...sampling,
      ...inputs,
      candidate: { type: 'string' },
      rtol: { type: 'string' },
      transforms: { type: 'string' },
      tolerance: { type: 'string' },
      layout: { type: 'string' },
      'pixel-range': { type: 'string' },
      discover: { type: 'boolean' },
      report: { type: 'string' },
      layers: { type: 'boolean' },
      'layer-samples': { type: 'string' },
      top: { type: 'string' },
    },
    help: `liesym analyze MODEL [--candidate C] [--samples N | --inputs GLOB …] [--seed S] [--rtol R] [--json PATH|-] [--report PATH]
liesym analyze MODEL --transforms image|signal|NAME[,NAME…] [--discover] [--tolerance R] [--layout NCHW|NHWC]
               [--pixel-range P] [--samples N | --inputs GLOB …] [--seed S] [--json PATH|-] [--report PATH]
               [--layers [--layer-samples N] [--top K]]

Finds the generators ξ of a candidate Lie algebra with L_ξF(x) = DF(x)·ξ_M(x) − τ_ξ·F(x) = 0 at
the samples: the nullspace of the discover matrix. Prints every singular value (ascending), the
threshold and gap it decided on, the dimension of the symmetry algebra and its name when known.

  --candidate C    gl-input (default), gl-lift, gl-input-output; image or signal (ONNX inputs
                   [N,C,H,W] / [N,H,W] / [N,T])
  --samples N      sample points (default: max(128, 4·generators/outputs)), seeded
  --seed S         integer from 0 to 4294967295 (default 0)
  --rtol R         relative rank tolerance in (0, 1) (default: core's table by dtype and derivative)
  --json PATH|-    the report as JSON
  --report PATH    also write an HTML page: the inputs line, the output node, the tolerance, the
                   spectrum as log-scale bars with the threshold and the cut, the generators found,
                   the first input file drawn, and the table (an existing file only with --force)
  ${INPUTS}
${MEMORY}

Named transforms (ONNX and tfjs image or signal inputs; brain.js networks: signal transforms of the
input vector), lie-deriv's local equivariance error: for each
transform g_t, the RMS over the samples of ‖d/dt [g_t⁻¹·F(g_t·x)] at t = 0‖ relative to RMS ‖F(x)‖,
the same change per unit (pixel, degree, percent, sample) and a verdict; one row per transform.
An output on the input's grid is transformed too (equivariance); any other output is an invariance.
  --transforms T   image: translation-x, translation-y (per pixel), rotation (per degree, about the
                   centre), scaling, shear-x, shear-y, hyperbolic-rotation, brightness, contrast,
                   saturation (3 channels) (per percent); signal: time-shift (per sample),
                   time-scaling, gain (per percent); or names, comma-separated
  --tolerance R    a transform holds when its relative error ≤ R (default core's TOLERANCES.check
                   for finite differences: 1e-2 float32, 1e-5 float64)
  --layout L       nchw or nhwc (default: [C,H,W] when only the first per-sample dim is 1, 3 or 4,
                   [H,W,C] when only the last is, else NCHW (NHWC for tfjs); the same rule as for --inputs)
  --discover       also discover the combinations of the transforms the model respects: the
                   singular values of the per-transform Lie-derivative columns (each scaled as its
                   relative error), those ≤ the tolerance spanning the combinations found, printed
                   as e.g. 0.71·translation-x + 0.70·rotation, with their closure under the bracket
  --report PATH    also write an HTML page: a bar per transform against the tolerance (log scale),
                   with --discover the spectrum, the first input file drawn, and the table
  --pixel-range P  brightness is per percent of P (default 1, pixels in [0, 1]; with --inputs and
                   one --std s, 1/s). Photometric transforms act on the normalised input, and on
                   an image output on the input's grid too (right for denoisers, not for masks)
  --samples N      sample inputs (default 32 smooth random fields), seeded
  Spatial derivatives are non-periodic (central differences, replicate border), as when an image
  is moved by interpolation with border padding. --json has transforms: [{ name, error, perUnit,
  unit, verdict }], tolerance, samples and output (the analysed tensor); with --discover,
  discovery: { spectrum, dimension, threshold, gap, basis: [{ name: coefficient }], closure:
  { closed, residual, reason }, dependent, determined }.
  --layers         ONNX or tfjs: also lie-deriv's layer-wise attribution on the graph itself (any DAG:
                   branches, residual and squeeze-excite blocks; If/Loop nodes as units): per
                   transform, each node's contribution to the error (relative, as the table), its
                   own defect, and how well the parts add up to the whole (closure). Costs about
                   2 graph runs per node and transform on --layer-samples inputs.
  --layer-samples N  the first N samples attributed (default 8)
  --top K          nodes listed per transform, largest contribution first (default 8; all in --json)

${MODEL}
${ONNX}
${FILES}

Examples:
  liesym analyze apps/bench/data/lorentz-invariant.onnx --samples 96 --seed 2
  liesym analyze cls.onnx --transforms image --shape x=1,3,48,192 --pixel-range 2 --samples 64
  liesym analyze cls.onnx --transforms rotation,translation-x --layers --inputs 'lines/*.png' --image-size 192x48 --mean 0.5 --std 0.5
  liesym analyze cls.onnx --transforms image --discover --shape x=1,3,48,192 --report cls.html
  liesym analyze net.json --candidate gl-input --json report.json
  liesym analyze image.onnx --candidate image --shape x=1,3,32,32 --samples 16
  liesym analyze cls.onnx --shape x=1,3,48,192 --candidate image --inputs 'lines/*.png' --image-size 192x48 --channels bgr --mean 0.5 --std 0.5`,
  },
  check: {
    summary: 'check a given symmetry: per-generator verdicts, exit 1 when one is broken (a CI gate)',
    options: { ...common, ...sampling, ...inputs, ...symmetry, tolerance: { type: 'string' }, transform: { type: 'string', multiple: true }, 'output-permutation': { type: 'string' }, report: { type: 'string' } },
    help: `liesym check MODEL --group G [--in REP] [--out REP] [--tolerance R] [--samples N | --inputs GLOB …] [--seed S] [--json PATH|-]
liesym check MODEL --transform NAME [--transform NAME…] [--output-permutation 1,0] [--tolerance R] [--samples N | --inputs GLOB …]

For every generator ξ of G: the RMS over the samples of ‖L_ξF(x)‖ = ‖DF(x)·dρ_in(ξ)·x − dρ_out(ξ)·F(x)‖,
and for every discrete generator h of ‖ρ_out(h)⁻¹F(ρ_in(h)x) − F(x)‖, each divided by the output
scale (RMS of ‖F(x)‖). A generator holds when that relative violation is ≤ the tolerance.

Without --group, --transform checks discrete symmetries of an ONNX model as index maps (no
matrices): per transform h the RMS over the samples of ‖F(h·x) − P_h F(x)‖ divided by the output
scale, P_h the --output-permutation (default none: an invariance). One row per transform.

Exit status: 0 when every generator (or transform) holds, 1 when one is broken, 2 for bad input.

  --group G        the group (required unless --transform is given)
  --transform NAME flip-horizontal, flip-vertical, rotate180, rotate90, rotate270, transpose (the
                   last three square images only; images [C,H,W] or [H,W,C], see --layout), time-reversal
                   (signals [T] or [C,T]; the input vector of a brain.js network); repeatable
  --report PATH    an HTML page: the inputs line, the output node, the tolerance, a bar per
                   generator (with --transform: per transform) against the tolerance, the first
                   input file drawn (as each --transform moves it), and the table
  --output-permutation P  e.g. 1,0: F(h·x) is compared with (F(x)[1], F(x)[0]) (a permutation of
                   the outputs 0..m−1)
  --in REP         representation on the input (default V)
  --out REP        representation on the output (default Scalar)
  --tolerance R    relative tolerance in (0, 1) (default: core's TOLERANCES.check for the model's
                   dtype and derivative: 1e-2 float32 / 1e-5 float64 by finite differences, 1e-4 /
                   1e-8 with exact Jacobians)
  --samples N      sample points (default 128; 64 with --transform), seeded; --seed S as for analyze
  --json PATH|-    the report as JSON, with the verdicts (with --transform: discrete: [{ name,
                   residual, verdict }], tolerance, output, samples)
  ${INPUTS}
${MEMORY}

${MODEL}
${GROUPS}
${ONNX}
${FILES}

Examples:
  liesym check apps/bench/data/lorentz-invariant.onnx --group SO13 --in V --out Scalar
  liesym check net.json --group S3 --in V --out Scalar --json - | jq .verdict
  liesym check model.json --group SO2 --in V --out V --tolerance 1e-3
  liesym check net.onnx --group S3 --in V --out Scalar --inputs points.npy --inputs 'more/*.json'
  liesym check cls.onnx --shape x=1,3,48,192 --transform rotate180 --output-permutation 1,0 --tolerance 0.5`,
  },
  layers: {
    summary: 'check every dense layer in closed form (L_ξW = W·dρ_in(ξ) − dρ_out(ξ)·W); exit 1 when one is broken',
    options: { ...common, ...boundaries, tolerance: { type: 'string' } },
    help: `liesym layers MODEL --group G --in REP [--hidden REP[,REP…]] --out REP [--tolerance R] [--json PATH|-]

One representation per layer boundary: --in on the first layer's input, --hidden on each hidden
layer (comma-separated, one per hidden boundary; one value is used for all), --out on the last
output. Per layer: ‖L_ξW‖/‖W‖ per generator, the discrete and bias residuals, and a verdict.
Elementwise activations commute with permutation-like representations, so a network whose
layers all hold is equivariant.

ONNX: the layers are Gemm, MatMul, Conv/ConvTranspose (grouped, depthwise), BatchNormalization,
LayerNormalization (the map after normalization) and LSTM (input and recurrent maps per
direction) with constant weights, in graph order. Weight nodes that cannot be read (weights
computed in the graph, float16, external data, a MatMul of two graph values, GRU, …) are listed
under 'not read' with the reason (and as 'unread' in --json); they are not checked.

Exit status: 0 when every layer holds, 1 when one is broken, 2 for bad input.

${MODEL}
${GROUPS}
${FILES}

Examples:
  liesym layers mlp.onnx --group S3 --in V --hidden 2V --out Scalar
  liesym layers net.json --group S3 --in V --hidden 2V --out Scalar --json layers.json`,
  },
  project: {
    summary: 'write a copy whose dense layers are projected onto the equivariant ones (enforce)',
    options: { ...common, ...boundaries, o: { type: 'string', short: 'o' } },
    help: `liesym project MODEL -o OUT --group G --in REP [--hidden REP[,REP…]] --out REP [--force] [--json PATH|-]

Projects every dense weight W onto Hom_G(ρ_k, ρ_k+1) (the nearest equivariant map) and every bias
onto the invariants, and writes a new model of the same kind (a tfjs OUT is a model.json with its
weights file OUT-stem.weights.bin beside it). Prints the removed relative part per layer and the
layer residual after. Non-finite weights are refused.

${MODEL}
${GROUPS}
${FILES}

Examples:
  liesym project mlp.onnx -o mlp-s3.onnx --group S3 --in V --hidden 2V --out Scalar
  liesym project net.json -o net-s3.json --group S3 --in V --hidden 2V --out Scalar`,
  },
  promote: {
    summary: 'fine-tune toward a symmetry with the nuclear-norm penalty γ·‖D_W‖_* (TensorFlow.js)',
    options: {
      ...common,
      ...boundaries,
      o: { type: 'string', short: 'o' },
      data: { type: 'string' },
      candidate: { type: 'string' },
      weight: { type: 'string' },
      epochs: { type: 'string' },
      'learning-rate': { type: 'string' },
      'batch-size': { type: 'string' },
    },
    help: `liesym promote MODEL -o OUT --data DATA.json (--group G --in REP [--hidden …] --out REP | --candidate C)
               [--weight γ] [--epochs N] [--learning-rate η] [--batch-size B] [--force] [--json PATH|-]

Fine-tunes the model's dense chain on DATA.json ({"x": [[…], …], "y": [[…], …]}) with TensorFlow.js
(cpu backend) and the penalty γ·‖D_W‖_* on every layer — the nuclear norm of the Lie derivative over
the representations' generators, or over a candidate algebra (gl-input, gl-lift, gl-input-output) —
and writes the tuned weights into a copy of the model. ONNX: MLPs of Gemm/MatMul with Relu, Tanh,
Sigmoid (a leading Flatten or per-sample Reshape, as in PyTorch exports, is read as the identity);
brain.js: any NeuralNetwork; tfjs: Sequential models of Dense layers (and LeakyReLU).

  --weight γ           penalty weight (default 0.01)
  --epochs N           training epochs (default 50)
  --learning-rate η    Adam learning rate (default 0.01)
  --batch-size B       mini-batch size (default 32)

${MODEL}
${GROUPS}
${FILES}

Example:
  liesym promote mlp.onnx -o mlp-promoted.onnx --data train.json --group SO3 --in V --out V --weight 0.05`,
  },
};

export const USAGE = `liesym — discover, check, enforce and promote symmetries of trained models with the Lie derivative

Usage: liesym <command> MODEL [options]      (liesym <command> --help for each)

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(9)}${c.summary}`)
  .join('\n')}

Options: -h, --help   this text;   -V, --version   the version

Exit status: 0 done (and every checked symmetry holds), 1 a checked symmetry is broken (check,
layers), 2 bad input (a one-line 'liesym: …' message on stderr), 3 an internal error (a bug).

${MODEL}

Examples:
  liesym analyze apps/bench/data/lorentz-invariant.onnx
  liesym check apps/bench/data/lorentz-invariant.onnx --group SO13 --in V --out Scalar
  liesym project mlp.onnx -o mlp-s3.onnx --group S3 --in V --hidden 2V --out Scalar`;
