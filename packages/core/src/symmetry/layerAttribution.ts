import { EmptyInputError, InvalidArgumentError, ShapeMismatchError, describe } from '../errors.js';
import { fieldGeneratorMatrix, gridFieldAction, type DataAction } from '../lie/dataActions.js';
import { toMatrix } from '../linalg/Matrix.js';
import { stableNorm } from '../linalg/powerOfTwo.js';
import type { Dtype } from '../tolerances.js';
import type { NamedTransform, TransformFamily, TransformUnit } from './namedTransforms.js';
import { transformStep } from './localEquivarianceError.js';

/** One node of a model's graph as {@link layerAttribution} sees it: its name, op and the tensors it reads and writes. */
export interface GraphNodeInfo {
  readonly name: string;
  readonly opType: string;
  /** Every tensor the node reads (for nodes with subgraphs, the outer tensors the subgraphs read too). */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** A float tensor of one graph run: its dims (batch axis included, as the framework computes it) and values. */
export interface GraphTensor {
  readonly dims: readonly number[];
  readonly data: Float64Array;
}

/** One run of a graph at a batch of points (see {@link AttributionGraph.run}). */
export interface GraphRun {
  /** Every float tensor the run computed, by name: the graph input, every node output. */
  readonly tensors: ReadonlyMap<string, GraphTensor>;
  /**
   * Every node evaluated alone, reading `values` for the tensors named there and this run's
   * values for the others: each node's float outputs, by output name.
   */
  nodeOutputs(values: ReadonlyMap<string, Float64Array>): Promise<Map<string, Float64Array>>;
  /**
   * The analyzed output (count × dimOut, row-major) of the whole graph when the tensors named in
   * `deltas` are shifted, t ↦ t + δ_t, where they are computed (node outputs) or fed (the graph input).
   */
  shifted(deltas: ReadonlyMap<string, Float64Array>): Promise<Float64Array>;
}

/**
 * A model as a graph of nodes, for {@link layerAttribution}: what an adapter gives core so that
 * core can take lie-deriv's layer-wise decomposition. The adapter runs the graph, runs nodes
 * alone, and reruns it with node outputs shifted; core chooses the tensors' velocities, takes
 * every finite difference and adds the contributions up.
 */
export interface AttributionGraph {
  readonly dimIn: number;
  readonly dimOut: number;
  readonly dtype?: Dtype;
  /** The graph input the transforms act on and the analyzed output. */
  readonly input: string;
  readonly output: string;
  /** The nodes to attribute (constants may be left out: their outputs do not move). */
  readonly nodes: readonly GraphNodeInfo[];
  /** Runs the graph at `count` points (row-major count × dimIn). */
  run(points: Float64Array, count: number): Promise<GraphRun>;
}

/** Options of {@link layerAttribution}. */
export interface LayerAttributionOptions {
  /** The input's transforms (from {@link imageTransforms} or {@link signalTransforms}); its `dim` must be the model's input size. */
  transforms: TransformFamily;
  /** The output's transforms, for image-to-image or signal-to-signal models (as in {@link localEquivarianceError}). Default: none (invariance). */
  outputTransforms?: TransformFamily;
  /**
   * Relative finite-difference step: default that of {@link localEquivarianceError} (1e-3 for
   * float32 graphs: kinks of ReLU networks make larger steps break the chain rule; core's default
   * for float64).
   */
  step?: number;
  /** Points per graph run (default 8): bounds the memory of the intermediate tensors. */
  chunk?: number;
  /** Called with the fraction done after every graph run. */
  onProgress?: (fraction: number) => void;
}

/** One node's share of one transform's local equivariance error (a row of {@link TransformAttribution}). */
export interface NodeAttribution {
  name: string;
  opType: string;
  /**
   * RMS over the samples of ‖J_rest·L_n‖ relative to the output scale: how much of the model's
   * error for this transform this node contributes, on the output, in the units of
   * {@link TransformError.error}.
   */
  error: number;
  /** The same, absolute: output change per unit of t. */
  perUnit: number;
  /** ‖L_n‖ / ‖y_n‖ (RMS over samples): the node's own equivariance defect, relative to its output. */
  local: number;
  /** False when the node's defect was below the finite-difference noise floor and was not propagated (its contribution is then reported as 0). */
  propagated: boolean;
}

/** lie-deriv's layer-wise decomposition of one transform's error (see {@link layerAttribution}). */
export interface TransformAttribution {
  name: string;
  unit: TransformUnit;
  /** The model's own error for this transform (the whole graph differentiated): RMS relative, and per unit. */
  total: { error: number; perUnit: number };
  /** The sum of the node contributions, measured the same way. */
  sum: { error: number; perUnit: number };
  /** RMS ‖Σ_n c_n − total‖ / RMS ‖total‖: how well the contributions add up (chain rule; finite-difference error only). */
  closure: number;
  /** One row per node, in graph order. */
  nodes: NodeAttribution[];
}

/** What {@link layerAttribution} measured. */
export interface LayerAttributionResult {
  transforms: TransformAttribution[];
  /** RMS over the samples of ‖F(x)‖: what errors are relative to. */
  outputScale: number;
  sampleCount: number;
  step: number;
  /** Graph runs made (whole graph, nodes alone, shifted). */
  runs: number;
  /**
   * Which tensors the geometric transforms act on, as the input's grid resampled ("[16, 24, 96] as
   * a 24×96 grid"), and which they leave fixed (not spatial: pooled vectors, reshaped sequences).
   */
  spatial: string[];
  fixed: string[];
}

/** Per-sample geometry of a tensor the geometric transforms act on: channels, grid and its layout. */
interface Grid {
  channels: number;
  shape: number[];
  layout: 'channels-first' | 'channels-last';
}

/**
 * The grid of a batch-first tensor when it is the input's image or signal grid resampled;
 * undefined when not spatial. Images: [N, a, b, c] is read in the input's layout when its grid
 * has the input's aspect ratio within a factor of 2, else in the other layout when that one has
 * it (an NHWC model that transposes to NCHW inside), else in the input's layout (anisotropic
 * strides). Signals: [N, a, b] with time on the longer axis (ONNX Conv1d [N, C, T], tfjs [N, T, C]).
 */
function gridOf(dims: readonly number[], count: number, spec: { family: TransformFamily; input: number[] }): Grid | undefined {
  const { family, input } = spec;
  if (dims[0] !== count) return undefined;
  if (family.kind === 'image') {
    if (dims.length !== 4) return undefined;
    const [a, b, c] = [dims[1]!, dims[2]!, dims[3]!];
    const nchw: Grid = { channels: a, shape: [b, c], layout: 'channels-first' };
    const nhwc: Grid = { channels: c, shape: [a, b], layout: 'channels-last' };
    const [own, other] = family.layout === 'NHWC' ? [nhwc, nchw] : [nchw, nhwc];
    const valid = (g: Grid): boolean => g.shape[0]! >= 2 && g.shape[1]! >= 2;
    const aspect = (g: Grid): boolean => Math.abs(Math.log(g.shape[0]! / g.shape[1]! / (input[0]! / input[1]!))) <= Math.log(2) + 1e-12;
    if (valid(own) && aspect(own)) return own;
    if (valid(other) && aspect(other)) return other;
    return valid(own) ? own : undefined;
  }
  if (dims.length !== 3) return undefined;
  const [a, b] = [dims[1]!, dims[2]!];
  if (Math.max(a, b) < 2) return undefined;
  return b >= a ? { channels: a, shape: [b], layout: 'channels-first' } : { channels: b, shape: [a], layout: 'channels-last' };
}

/** The input grid's size per axis: [H, W] or [T]. */
function inputGrid(family: TransformFamily): number[] {
  const s = family.shape;
  if (family.kind === 'signal') return [s[0]!];
  if (s.length === 2) return [s[0]!, s[1]!];
  return family.layout === 'NHWC' ? [s[0]!, s[1]!] : [s[1]!, s[2]!];
}

/**
 * The velocity maker of a transform on a resampled grid: the domain flow of its generator
 * (A·p + b, in the input's pixel or sample coordinates: the grid's spacing is the input size over
 * its size), without its value action (photometric transforms do not act on features). Undefined
 * when the transform has no domain flow.
 */
function geometricAction(t: NamedTransform, context: { grid: Grid; input: number[]; family: TransformFamily }): { action: DataAction; matrix: ReturnType<typeof fieldGeneratorMatrix> } | undefined {
  const g = t.generator;
  if (!g || (g.A === undefined && g.b === undefined)) return undefined;
  const { grid, input, family } = context;
  const spacing = grid.shape.map((n, a) => input[a]! / n);
  const action = gridFieldAction({ shape: grid.shape, channels: grid.channels, layout: grid.layout, spacing, derivative: family.derivative });
  const parts = { ...(g.A !== undefined ? { A: g.A } : {}), ...(g.b !== undefined ? { b: g.b } : {}) };
  return { action, matrix: fieldGeneratorMatrix(parts, { d: grid.shape.length, channels: grid.channels }) };
}

function rms(norms: Float64Array): number {
  return stableNorm(norms) / Math.sqrt(Math.max(1, norms.length));
}

function check(fn: string, graph: unknown, options: unknown): void {
  const g = graph as AttributionGraph;
  if (g === null || typeof g !== 'object' || typeof g.run !== 'function' || !Array.isArray(g.nodes) || typeof g.input !== 'string' || typeof g.output !== 'string') {
    throw new InvalidArgumentError(`${fn}: 'graph' must be an AttributionGraph { dimIn, dimOut, input, output, nodes, run }; received ${describe(graph)}`);
  }
  const o = options as LayerAttributionOptions;
  if (o === null || typeof o !== 'object' || typeof o.transforms?.velocities !== 'function') {
    throw new InvalidArgumentError(`${fn}: 'options.transforms' must be a TransformFamily from imageTransforms() or signalTransforms(); received ${describe(o?.transforms)}`);
  }
  if (o.transforms.dim !== g.dimIn) throw new ShapeMismatchError(`${fn}: 'transforms' act on ${o.transforms.dim} numbers; the graph's input has ${g.dimIn}`);
  if (o.outputTransforms !== undefined && o.outputTransforms.dim !== g.dimOut) {
    throw new ShapeMismatchError(`${fn}: 'outputTransforms' act on ${o.outputTransforms.dim} numbers; the graph's output has ${g.dimOut}`);
  }
  if (o.chunk !== undefined && !(Number.isInteger(o.chunk) && o.chunk >= 1)) throw new InvalidArgumentError(`${fn}: 'chunk' must be an integer ≥ 1; received ${describe(o.chunk)}`);
}

interface Accumulators {
  total: Float64Array;
  sum: Float64Array;
  closure: Float64Array;
  nodes: Float64Array[];
  local: Float64Array[];
  propagated: boolean[];
}

/**
 * lie-deriv's layer-wise decomposition of a model's local equivariance error, on any graph of
 * nodes (chains, branches, residual and squeeze-excite blocks, nodes with subgraphs as units).
 * Every tensor t of the graph gets a velocity X_t for each transform: the graph input the
 * transform's own (all of its parts, photometric ones too), the analyzed output the output
 * transform's (or 0: invariance), every other batch-first tensor on a resampled image or signal
 * grid the transform's domain flow in the input's coordinates (a 1-pixel shift of the input is
 * a ¼-pixel shift of a 4× downsampled map), every other tensor 0. A node n: x ↦ y then has the
 * local defect L_n = J_n·X_x − X_y (central differences of the node alone), and by the chain rule
 * the model's error d/dt [g_t⁻¹·F(g_t·x)] = Σ_n J_rest(y_n)·L_n: each term (central differences
 * of the whole graph with y_n shifted along L_n) is that node's contribution. `closure` reports
 * how well the terms add up to the directly measured error; nodes whose defect is below the
 * finite-difference noise floor are reported with contribution 0 and `propagated: false`.
 * Pointwise nonlinearities have defects too on a discrete grid (the aliasing lie-deriv found).
 * Cost: per chunk of samples and transform, 2 node runs and 2 whole-graph runs per node.
 * @throws InvalidArgumentError for a bad graph or options; ShapeMismatchError when the transforms do not fit
 * @example
 * const r = await layerAttribution(graph, samples, { transforms: imageTransforms({ shape: [3, 32, 32], names: ['rotation'] }) });
 * r.transforms[0].nodes.sort((a, b) => b.error - a.error)[0]; // the node that breaks rotation most
 */
export async function layerAttribution(graph: AttributionGraph, samples: unknown, options: LayerAttributionOptions): Promise<LayerAttributionResult> {
  const fn = 'layerAttribution';
  check(fn, graph, options);
  const X = toMatrix(samples, fn, 'samples');
  if (X.rows === 0) throw new EmptyInputError(`${fn}: 'samples' must hold at least one sample; received none`);
  if (X.cols !== graph.dimIn) throw new ShapeMismatchError(`${fn}: every sample must have ${graph.dimIn} numbers (the graph's input size); received ${X.cols}`);
  const family = options.transforms;
  const out = options.outputTransforms;
  const dtype = graph.dtype ?? 'float64';
  // The table's step (1e-3 for float32): on PP-OCR's ReLU classifier the parts add up to 1–20 % at 1e-3 and 7–28 % at 4.9e-3.
  const h = transformStep({ step: options.step, dtype, fn });
  const unitRound = dtype === 'float32' ? 2 ** -24 : 2 ** -53;
  const S = X.rows;
  const K = family.transforms.length;
  const n = graph.dimIn;
  const m = graph.dimOut;
  const chunk = options.chunk ?? 8;
  const nodes = graph.nodes;
  const produced = new Set(nodes.flatMap((node) => node.outputs));
  const acc: Accumulators[] = family.transforms.map(() => ({
    total: new Float64Array(S),
    sum: new Float64Array(S),
    closure: new Float64Array(S),
    nodes: nodes.map(() => new Float64Array(S)),
    local: nodes.map(() => new Float64Array(S)),
    propagated: nodes.map(() => false),
  }));
  const outNorms = new Float64Array(S);
  const spatial = new Map<string, string>();
  const fixed = new Set<string>();
  const input = inputGrid(family);
  const outIndex = family.transforms.map((t) => (out ? out.transforms.findIndex((o) => o.name === t.name) : -1));
  const chunks = Math.ceil(S / chunk);
  const totalRuns = chunks * K * (4 + 2 * nodes.length) + chunks;
  let runs = 0;
  let done = 0;
  const tick = (skipped = 0): void => {
    runs += skipped > 0 ? 0 : 1;
    done += skipped > 0 ? skipped : 1;
    options.onProgress?.(Math.min(1, done / totalRuns));
  };
  for (let s0 = 0; s0 < S; s0 += chunk) {
    const count = Math.min(chunk, S - s0);
    const points = X.data.slice(s0 * n, (s0 + count) * n);
    const run = await graph.run(points, count);
    tick();
    const y = run.tensors.get(graph.output);
    if (!y || y.data.length !== count * m) {
      throw new ShapeMismatchError(`${fn}: the graph run must compute output '${graph.output}' with ${count}×${m} numbers; computed ${y ? y.data.length : 'none'}`);
    }
    for (let s = 0; s < count; s++) outNorms[s0 + s] = stableNorm(y.data.subarray(s * m, (s + 1) * m));
    // Per-sample steps need every tensor batch-first: element i of a tensor of L numbers then belongs to sample ⌊i·count/L⌋.
    const perSample = [...run.tensors].every(([name, t]) => !produced.has(name) || (t.dims[0] === count && t.data.length % count === 0));
    // Velocities of every tensor, per transform: input, output, resampled grids.
    const inputVelocities = Array.from({ length: K }, () => new Float64Array(count * n));
    for (let s = 0; s < count; s++) family.velocities(points.subarray(s * n, (s + 1) * n)).forEach((v, k) => inputVelocities[k]!.set(v, s * n));
    const outputVelocities = Array.from({ length: K }, () => new Float64Array(count * m));
    if (out && outIndex.some((o) => o >= 0)) {
      for (let s = 0; s < count; s++) {
        const w = out.velocities(Float64Array.from(y.data.subarray(s * m, (s + 1) * m)));
        outIndex.forEach((o, k) => o >= 0 && outputVelocities[k]!.set(w[o]!, s * m));
      }
    }
    const cache = new Map<string, Float64Array | undefined>();
    const velocity = (k: number, name: string): Float64Array | undefined => {
      const key = `${k}\u0000${name}`;
      if (!cache.has(key)) cache.set(key, velocityOf(k, name));
      return cache.get(key);
    };
    const velocityOf = (k: number, name: string): Float64Array | undefined => {
      if (name === graph.input) return inputVelocities[k];
      if (name === graph.output) return outputVelocities[k];
      const t = run.tensors.get(name);
      // Only node outputs move: another graph input (a state, a mask) is held where it is fed.
      if (!t || !produced.has(name)) return undefined;
      const grid = gridOf(t.dims, count, { family, input });
      if (!grid) {
        fixed.add(`${name} [${t.dims.join(', ')}]`);
        return undefined;
      }
      spatial.set(name, `${name} [${t.dims.join(', ')}] as a ${grid.shape.join('×')} grid`);
      const geo = geometricAction(family.transforms[k]!, { grid, input, family });
      if (!geo) return undefined;
      const per = t.data.length / count;
      const v = new Float64Array(t.data.length);
      for (let s = 0; s < count; s++) {
        const [tangent] = geo.action.tangents([geo.matrix], t.data.subarray(s * per, (s + 1) * per));
        for (let i = 0; i < per; i++) v[s * per + i] = -tangent![i]!;
      }
      return v;
    };
    for (let k = 0; k < K; k++) {
      cache.clear();
      const a = acc[k]!;
      const vIn = inputVelocities[k]!;
      // One step per sample, h·‖v_s‖ = step·‖x_s‖ as the table takes it, when every tensor is
      // batch-first; otherwise (a [T, N, C] sequence inside) one step for the chunk.
      const eps = new Float64Array(count);
      const chunkStep = (h * (stableNorm(points) > 0 ? stableNorm(points) : 1)) / (stableNorm(vIn) || 1);
      for (let s = 0; s < count; s++) {
        const vs = stableNorm(vIn.subarray(s * n, (s + 1) * n));
        const xs = stableNorm(points.subarray(s * n, (s + 1) * n));
        eps[s] = perSample && vs > 0 ? (h * (xs > 0 ? xs : 1)) / vs : chunkStep;
      }
      /** The sample of element i of a tensor of `length` numbers (0 for all when steps are per chunk). */
      const sampleOf = (i: number, length: number): number => (perSample ? Math.floor((i * count) / length) : 0);
      const moved = new Map<string, Float64Array>();
      for (const node of nodes) {
        for (const name of node.inputs) {
          if (moved.has(name) || !run.tensors.has(name)) continue;
          const v = velocity(k, name);
          if (v && v.some((x) => x !== 0)) moved.set(name, v);
        }
      }
      const along = (sign: number): Map<string, Float64Array> =>
        new Map(
          [...moved].map(([name, v]) => {
            const base = run.tensors.get(name)!.data;
            return [name, base.map((x, i) => x + sign * eps[sampleOf(i, base.length)]! * v[i]!)];
          }),
        );
      const plus = await run.nodeOutputs(along(1));
      tick();
      const minus = await run.nodeOutputs(along(-1));
      tick();
      const sum = new Float64Array(count * m);
      const per = perSample ? count : 1;
      for (let j = 0; j < nodes.length; j++) {
        const node = nodes[j]!;
        const defects = new Map<string, Float64Array>();
        // Per sample (or for the chunk): ‖L‖², ‖y‖² over the node's outputs.
        const LL = new Float64Array(per);
        const YY = new Float64Array(per);
        for (const o of node.outputs) {
          const yo = run.tensors.get(o);
          const fp = plus.get(o);
          const fm = minus.get(o);
          if (!yo || !fp || !fm) continue;
          const Xy = velocity(k, o);
          const L = new Float64Array(yo.data.length);
          for (let i = 0; i < L.length; i++) {
            L[i] = (fp[i]! - fm[i]!) / (2 * eps[sampleOf(i, L.length)]!) - (Xy ? Xy[i]! : 0);
            const q = sampleOf(i, L.length);
            LL[q]! += L[i]! * L[i]!;
            YY[q]! += yo.data[i]! * yo.data[i]!;
          }
          defects.set(o, L);
        }
        for (let s = 0; s < count; s++) {
          const q = perSample ? s : 0;
          a.local[j]![s0 + s] = YY[q]! > 0 ? Math.sqrt(LL[q]! / YY[q]!) : Math.sqrt(LL[q]!);
        }
        // The finite-difference noise floor: float rounding of f(x ± ε·v) over the step, per sample.
        const above = Array.from({ length: per }, (_, q) => Math.sqrt(LL[q]!) > (100 * unitRound * Math.sqrt(YY[q]!)) / eps[q]!);
        if (defects.size === 0 || !above.some(Boolean)) {
          tick(2);
          continue;
        }
        a.propagated[j] = true;
        const eta = Float64Array.from({ length: per }, (_, q) => (LL[q]! > 0 ? (h * (YY[q]! > 0 ? Math.sqrt(YY[q]!) : 1)) / Math.sqrt(LL[q]!) : 0));
        const shift = (sign: number): Map<string, Float64Array> => new Map([...defects].map(([o, L]) => [o, L.map((v, i) => sign * eta[sampleOf(i, L.length)]! * v)]));
        const fp = await run.shifted(shift(1));
        tick();
        const fm = await run.shifted(shift(-1));
        tick();
        for (let s = 0; s < count; s++) {
          const e = eta[perSample ? s : 0]!;
          let norm = 0;
          for (let i = s * m; i < (s + 1) * m; i++) {
            const c = e > 0 ? (fp[i]! - fm[i]!) / (2 * e) : 0;
            sum[i]! += c;
            norm += c * c;
          }
          a.nodes[j]![s0 + s] = Math.sqrt(norm);
        }
      }
      // The whole graph's own error, the same central difference at the input.
      const fp = await run.shifted(new Map([[graph.input, vIn.map((v, i) => eps[Math.floor(i / n)]! * v)]]));
      tick();
      const fm = await run.shifted(new Map([[graph.input, vIn.map((v, i) => -eps[Math.floor(i / n)]! * v)]]));
      tick();
      const vOut = outputVelocities[k]!;
      for (let s = 0; s < count; s++) {
        let tt = 0;
        let ss = 0;
        let dd = 0;
        for (let i = s * m; i < (s + 1) * m; i++) {
          const total = (fp[i]! - fm[i]!) / (2 * eps[s]!) - vOut[i]!;
          tt += total * total;
          ss += sum[i]! * sum[i]!;
          dd += (sum[i]! - total) ** 2;
        }
        a.total[s0 + s] = Math.sqrt(tt);
        a.sum[s0 + s] = Math.sqrt(ss);
        a.closure[s0 + s] = Math.sqrt(dd);
      }
    }
  }
  const outputScale = rms(outNorms);
  const rel = (v: number): number => (outputScale > 0 ? v / outputScale : v);
  const transforms = family.transforms.map((t, k): TransformAttribution => {
    const a = acc[k]!;
    const total = rms(a.total);
    return {
      name: t.name,
      unit: t.unit,
      total: { error: rel(total), perUnit: total },
      sum: { error: rel(rms(a.sum)), perUnit: rms(a.sum) },
      closure: total > 0 ? rms(a.closure) / total : rms(a.closure),
      nodes: nodes.map((node, j) => ({
        name: node.name,
        opType: node.opType,
        error: rel(rms(a.nodes[j]!)),
        perUnit: rms(a.nodes[j]!),
        local: rms(a.local[j]!),
        propagated: a.propagated[j]!,
      })),
    };
  });
  return { transforms, outputScale, sampleCount: S, step: h, runs, spatial: [...spatial.values()], fixed: [...fixed] };
}
