import { InvalidArgumentError, LiesymError, ModelFileError, ShapeMismatchError, UnknownNameError, UnsupportedModelError, type Evaluator } from '@liesym/core';
import * as ort from 'onnxruntime-node';
import { readModelFile } from './modelFile.js';
import { onnx, type ModelProto } from './proto.js';

/** Name, dtype and shape of a model input or output; strings in `shape` are dynamic dims. */
export interface TensorInfo {
  name: string;
  dtype: string;
  shape: ReadonlyArray<number | string>;
  /** Indices of the dynamic dims in `shape`. */
  dynamic: number[];
}

/** A value held fixed for an extra input: its data and dims (dims may use 1 on the batch axis — wherever the analysed input's batch symbol sits in this input's shape — and it is then tiled per batch). */
export interface FixedInput {
  data: ArrayLike<number> | ArrayLike<bigint>;
  dims: readonly number[];
}

/** Options of {@link loadModel}. */
export interface LoadModelOptions {
  /** The analyzed input. Default: the first float input. */
  input?: string;
  /**
   * The analyzed output: a graph output or the name of any value computed in the graph (an
   * intermediate node output, made an output of the session only; the file is never changed).
   * Used as given. Default: the first graph output, or its logits (see `logits`).
   */
  output?: string;
  /**
   * When no `output` is given and the first graph output is produced by a Softmax, LogSoftmax or
   * Sigmoid node, analyze that node's input (the logits) instead: saturated probabilities stop
   * moving and hide symmetries. `false` keeps the graph output. Default true.
   */
  logits?: boolean;
  /**
   * Shapes that fix dynamic dims, per input name (e.g. `{ image: [1, 3, 48, 48] }`). A leading
   * dynamic dim of the analyzed input left open is the batch axis. Default: none.
   */
  inputs?: Readonly<Record<string, readonly number[]>>;
  /** Values held fixed for the other inputs (recurrent states, sample rates). Default: zeros. */
  fixedInputs?: Readonly<Record<string, FixedInput>>;
  /** Options passed to `ort.InferenceSession.create` (default: graphOptimizationLevel 'all'). */
  sessionOptions?: ort.InferenceSession.SessionOptions;
  /** Largest number of points per `session.run` (default: as many as fit in 2²² input numbers, at most 65536). */
  maxBatch?: number;
}

const FLOAT_TYPES = new Set(['float32', 'float64']);

/** The output an {@link OnnxModel} analyzes and why. */
export interface AnalyzedOutput {
  /** The value's name in the graph. */
  name: string;
  /** Why this value, e.g. "logits: the input of Softmax node 'X' that produces graph output 'Y'". */
  reason: string;
  /** True when it is not a graph output of the file (it was added to the session's outputs). */
  intermediate: boolean;
}

const SQUASHING = new Set(['Softmax', 'LogSoftmax', 'Sigmoid']);

/**
 * Which value to analyze: `options.output` as given (a graph output or any node output), else
 * the first graph output or, with `logits`, the input of the Softmax/LogSoftmax/Sigmoid node
 * that produces it.
 * @throws UnknownNameError for a name the graph does not compute, listing the names it has
 */
function chooseOutput(proto: ModelProto, options: LoadModelOptions): AnalyzedOutput {
  const fn = 'loadModel';
  const graph = proto.graph!;
  const graphOutputs = (graph.output ?? []).map((o) => o.name ?? '');
  const graphInputs = new Set((graph.input ?? []).map((i) => i.name ?? ''));
  const nodes = graph.node ?? [];
  const first = graphOutputs[0];
  if (options.output !== undefined) {
    const name = options.output;
    if (graphOutputs.includes(name)) return { name, reason: `asked for: graph output '${name}'`, intermediate: false };
    const producer = nodes.find((n) => (n.output ?? []).includes(name));
    if (!producer) {
      const values = nodes.flatMap((n) => n.output ?? []).filter((v) => v !== '' && !graphOutputs.includes(v));
      const shown = values.slice(0, 30).map((v) => `'${v}'`).join(', ');
      throw new UnknownNameError(
        `${fn}: the model has no output '${name}' and computes no value of that name; its outputs are ${graphOutputs.map((o) => `'${o}'`).join(', ')}${values.length > 0 ? ` and its node outputs ${shown}${values.length > 30 ? `, … (${values.length} in all)` : ''}` : ''}`,
      );
    }
    return { name, reason: `asked for: an intermediate value, the output of ${producer.opType} node '${producer.name || name}'`, intermediate: true };
  }
  if (first === undefined) throw new UnsupportedModelError(`${fn}: the model has no graph outputs`);
  if (options.logits !== false) {
    const producer = nodes.find((n) => (n.output ?? [])[0] === first);
    const logits = producer?.input?.[0];
    if (producer && SQUASHING.has(producer.opType ?? '') && logits && !graphInputs.has(logits)) {
      return {
        name: logits,
        reason: `logits: the input of ${producer.opType} node '${producer.name || first}' that produces graph output '${first}' (logits: false analyzes '${first}')`,
        intermediate: !graphOutputs.includes(logits),
      };
    }
  }
  return { name: first, reason: `the first graph output '${first}'`, intermediate: false };
}

/** Options of {@link OnnxModel.evaluate}. */
export interface EvaluateOptions {
  /** Called after each `session.run` with the fraction of this call's points evaluated. Default: none. */
  onProgress?: (fraction: number) => void;
}

/**
 * An ONNX model opened for analysis: F: R^dimIn → R^dimOut on the chosen input and
 * output (per sample, flattened row-major), evaluated in batches of many points per
 * `session.run`. It is @liesym/core's async {@link Evaluator} (no `jacobians`: onnxruntime
 * gives no gradients, so core takes finite differences). liesym works in Float64; points are
 * converted to the model's dtype (float32 or float64) at this boundary and the outputs back.
 */
export class OnnxModel implements Evaluator {
  /** The file the model was read from. */
  readonly path: string;
  /** All inputs and outputs of the graph. */
  readonly inputs: readonly TensorInfo[];
  readonly outputs: readonly TensorInfo[];
  /** The analyzed input and output names. */
  readonly inputName: string;
  readonly outputName: string;
  /** The analyzed output and why it was chosen (e.g. the logits before a Softmax). */
  readonly analyzedOutput: AnalyzedOutput;
  /** Per-sample shape of the analyzed input (without the batch axis). */
  readonly sampleShape: readonly number[];
  /** Number of coordinates per sample, the product of `sampleShape`. */
  readonly dimIn: number;
  /** dtype of the analyzed input: 'float32' or 'float64'. */
  readonly dtype: 'float32' | 'float64';
  /** The parsed graph (onnx-proto ModelProto). */
  readonly proto: ModelProto;
  /** The onnxruntime-node session. */
  readonly session: ort.InferenceSession;
  /** Counters of the evaluations made so far: `runs` session.run calls on `points` points. */
  readonly stats = { runs: 0, points: 0 };
  private outDim: number | undefined;
  private outShape: number[] | undefined;
  private readonly batchAxis: 'dynamic' | 'fixed' | 'none';
  private readonly fixedBatch: number;
  private readonly maxBatch: number;
  private readonly scratch = new Map<number, Float32Array | Float64Array>();
  private readonly extras: Array<{ info: TensorInfo; make: (batch: number) => ort.Tensor }>;

  /** @internal use {@link loadModel} */
  constructor(args: {
    path: string;
    proto: ModelProto;
    session: ort.InferenceSession;
    inputs: TensorInfo[];
    outputs: TensorInfo[];
    input: TensorInfo;
    output: TensorInfo;
    analyzedOutput: AnalyzedOutput;
    shape: Array<number | string>;
    options: LoadModelOptions;
  }) {
    const fn = 'loadModel';
    this.path = args.path;
    this.proto = args.proto;
    this.session = args.session;
    this.inputs = args.inputs;
    this.outputs = args.outputs;
    this.inputName = args.input.name;
    this.outputName = args.output.name;
    this.analyzedOutput = args.analyzedOutput;
    this.dtype = args.input.dtype as 'float32' | 'float64';
    const shape = args.shape;
    const batchSymbol = typeof shape[0] === 'string' ? shape[0] : undefined;
    // A dynamic leading dim is the batch axis; a fixed one (with more dims) a fixed batch size.
    this.batchAxis = batchSymbol !== undefined ? 'dynamic' : shape.length >= 2 ? 'fixed' : 'none';
    this.sampleShape = (this.batchAxis === 'none' ? shape : shape.slice(1)) as number[];
    const open = this.sampleShape.findIndex((d) => typeof d !== 'number');
    if (open >= 0) {
      throw new ShapeMismatchError(
        `${fn}: input '${this.inputName}' has dynamic dim ${open + 1} (${String(shape[open + 1])}); fix it with options.inputs, e.g. { ${this.inputName}: [${shape.map((d) => (typeof d === 'number' ? d : 1)).join(', ')}] }`,
      );
    }
    this.fixedBatch = this.batchAxis === 'fixed' ? (shape[0] as number) : 1;
    this.dimIn = this.sampleShape.reduce((a, b) => a * b, 1);
    const cap = args.options.maxBatch ?? 65536;
    if (!Number.isInteger(cap) || cap < 1) throw new InvalidArgumentError(`${fn}: 'maxBatch' must be an integer ≥ 1; received ${String(cap)}`);
    this.maxBatch = Math.max(1, Math.min(cap, Math.floor(2 ** 22 / Math.max(1, this.dimIn))));
    this.extras = args.inputs
      .filter((i) => i.name !== this.inputName)
      .map((info) => ({ info, make: extraInput(info, { options: args.options, batchSymbol }) }));
  }

  /** Number of outputs per sample (known after the first evaluation; {@link loadModel} runs one). */
  get dimOut(): number {
    return this.outDim ?? 0;
  }

  /** Per-sample shape of the analyzed output. */
  get outputShape(): readonly number[] {
    return this.outShape ?? [];
  }

  /**
   * Evaluates F at n points (row-major n×dimIn) with as few `session.run` calls as the
   * batch limits allow. Returns n×dimOut values (Float64).
   * @param options `{ onProgress }` (a bare callback, the 0.1 form, is still accepted)
   * @throws ShapeMismatchError when points.length ≠ n·dimIn
   */
  async evaluate(points: ArrayLike<number>, n: number, options: EvaluateOptions | EvaluateOptions['onProgress'] = {}): Promise<Float64Array> {
    const onProgress = typeof options === 'function' ? options : options?.onProgress;
    if (points.length !== n * this.dimIn) {
      throw new ShapeMismatchError(`OnnxModel.evaluate: 'points' must hold ${n}×${this.dimIn} numbers; received ${points.length}`);
    }
    const chunk = this.batchAxis === 'dynamic' ? this.maxBatch : this.fixedBatch;
    let out: Float64Array | undefined;
    const src = ArrayBuffer.isView(points) ? (points as Float64Array) : Float64Array.from(points);
    for (let start = 0; start < n; start += chunk) {
      const count = Math.min(chunk, n - start);
      const batch = this.batchAxis === 'dynamic' ? count : this.fixedBatch;
      const buf = this.scratchBuffer(batch * this.dimIn);
      // Typed-array set() converts Float64 → float32 natively; a fixed batch is padded with
      // copies of the last point, whose outputs are dropped.
      buf.set(src.subarray(start * this.dimIn, (start + count) * this.dimIn));
      const last = src.subarray((start + count - 1) * this.dimIn, (start + count) * this.dimIn);
      for (let b = count; b < batch; b++) buf.set(last, b * this.dimIn);
      const dims = this.batchAxis === 'none' ? [...this.sampleShape] : [batch, ...this.sampleShape];
      const feeds: Record<string, ort.Tensor> = { [this.inputName]: new ort.Tensor(this.dtype, buf, dims) };
      for (const e of this.extras) feeds[e.info.name] = e.make(batch);
      // Naming the fetches costs time in onnxruntime-node; only do it when there is a choice.
      const result = this.session.outputNames.length > 1 ? await this.session.run(feeds, [this.outputName]) : await this.session.run(feeds);
      this.stats.runs++;
      this.stats.points += count;
      const y = result[this.outputName]!;
      if (y.type !== 'float32' && y.type !== 'float64') {
        throw new UnsupportedModelError(`OnnxModel.evaluate: output '${this.outputName}' must be float32 or float64; received ${y.type}`);
      }
      const data = y.data as Float32Array | Float64Array;
      const perSample = this.batchAxis === 'none' ? data.length : data.length / batch;
      if (this.outDim === undefined) {
        this.outDim = perSample;
        this.outShape = this.batchAxis === 'none' ? [...y.dims] : y.dims.slice(1);
      }
      if (!Number.isInteger(perSample) || perSample !== this.outDim) {
        throw new ShapeMismatchError(`OnnxModel.evaluate: output '${this.outputName}' changed size between runs: ${this.outDim} then ${perSample} per sample`);
      }
      out ??= new Float64Array(n * perSample);
      out.set(data.subarray(0, count * perSample), start * perSample);
      onProgress?.((start + count) / n);
    }
    return out ?? new Float64Array(0);
  }

  /**
   * The feeds of one `session.run` of another session over this model's graph (layer attribution
   * runs copies of the graph): the analyzed input at `count` points and the extra inputs as
   * `evaluate` feeds them. Needs a dynamic batch axis, or `count` equal to the fixed batch.
   * @internal
   * @throws UnsupportedModelError for a fixed batch other than `count`
   */
  feedsAt(points: Float64Array, count: number): Record<string, ort.Tensor> {
    const batch = this.batchAxis === 'dynamic' ? count : this.fixedBatch;
    if (batch !== count) {
      throw new UnsupportedModelError(`OnnxModel.feedsAt: input '${this.inputName}' has a fixed batch of ${this.fixedBatch}; ${count} points need a dynamic batch axis`);
    }
    const buf = this.dtype === 'float32' ? Float32Array.from(points) : Float64Array.from(points);
    const dims = this.batchAxis === 'none' ? [...this.sampleShape] : [batch, ...this.sampleShape];
    const feeds: Record<string, ort.Tensor> = { [this.inputName]: new ort.Tensor(this.dtype, buf, dims) };
    for (const e of this.extras) feeds[e.info.name] = e.make(batch);
    return feeds;
  }

  /** The largest batch of one `session.run` (1 for a fixed batch of 1 or no batch axis). @internal */
  get runBatch(): number {
    return this.batchAxis === 'dynamic' ? this.maxBatch : this.fixedBatch;
  }

  /**
   * The input buffer for a batch of this size, reused across runs: fresh multi-megabyte
   * arrays per run cost more than the run itself for small models. Safe because every
   * run is awaited before the buffer is filled again.
   */
  private scratchBuffer(size: number): Float32Array | Float64Array {
    let buf = this.scratch.get(size);
    if (!buf) {
      buf = this.dtype === 'float32' ? new Float32Array(size) : new Float64Array(size);
      if (this.scratch.size > 4) this.scratch.clear();
      this.scratch.set(size, buf);
    }
    return buf;
  }

  /**
   * This model as a core {@link Evaluator} that reports progress: `onProgress` gets the
   * fraction of the points of each batched evaluation (discovery makes one; a check with
   * discrete generators makes a second). Without a callback, the model itself.
   */
  withProgress(onProgress: EvaluateOptions['onProgress']): Evaluator {
    if (!onProgress) return this;
    return { dimIn: this.dimIn, dimOut: this.dimOut, dtype: this.dtype, evaluate: (p, n) => this.evaluate(p, n, { onProgress }) };
  }

  /** Releases the onnxruntime session. */
  async close(): Promise<void> {
    await this.session.release();
  }
}

type TypedArrayOf = new (n: number) => ArrayLike<number> | ArrayLike<bigint>;
const TYPED: Record<string, TypedArrayOf> = { float32: Float32Array, float64: Float64Array, int32: Int32Array, int64: BigInt64Array, uint8: Uint8Array, int8: Int8Array, bool: Uint8Array };

/** A maker of the tensor held fixed for an extra input, per batch size. */
function extraInput(info: TensorInfo, context: { options: LoadModelOptions; batchSymbol: string | undefined }): (batch: number) => ort.Tensor {
  const fn = 'loadModel';
  const { options: opts, batchSymbol } = context;
  const given = opts.fixedInputs?.[info.name];
  const userShape = opts.inputs?.[info.name];
  // The batch axis of this input: where the analysed input's batch symbol appears (a recurrent state
  // [layers, N, hidden] has it second). An unnamed dynamic dim ('?') is matched on the leading axis only.
  const axis = batchSymbol === undefined ? -1 : batchSymbol === '?' ? (info.shape[0] === '?' ? 0 : -1) : info.shape.indexOf(batchSymbol);
  const isBatch = (_d: number | string, i: number): boolean => i === axis;
  const Typed = TYPED[info.dtype];
  if (!Typed) {
    throw new UnsupportedModelError(`${fn}: extra input '${info.name}' has dtype ${info.dtype}; liesym can hold float, int and bool inputs fixed`);
  }
  const shapeFor = (batch: number): number[] =>
    info.shape.map((d, i) => (isBatch(d, i) ? batch : typeof d === 'number' ? d : (userShape?.[i] ?? 1)));
  if (!given) {
    return (batch) => {
      const dims = shapeFor(batch);
      return new ort.Tensor(info.dtype as 'float32', new Typed(dims.reduce((a, b) => a * b, 1)) as Float32Array, dims);
    };
  }
  const size = given.dims.reduce((a, b) => a * b, 1);
  if (given.data.length !== size) {
    throw new ShapeMismatchError(`${fn}: 'fixedInputs.${info.name}' must hold ${size} values for dims [${given.dims.join(', ')}]; received ${given.data.length}`);
  }
  // Given with 1 on the batch axis: tiled along that axis per batch (each outer block repeated).
  const tileable = axis >= 0 && given.dims.length === info.shape.length && given.dims[axis] === 1;
  const outer = tileable ? given.dims.slice(0, axis).reduce((a, b) => a * b, 1) : 1;
  const inner = size / outer;
  return (batch) => {
    const dims = tileable ? given.dims.map((d, i) => (i === axis ? batch : d)) : [...given.dims];
    const reps = tileable ? batch : 1;
    const data = new Typed(size * reps) as unknown as { [i: number]: number | bigint; length: number };
    for (let o = 0; o < outer; o++) {
      for (let r = 0; r < reps; r++) {
        for (let i = 0; i < inner; i++) {
          const v = given.data[o * inner + i]!;
          data[(o * reps + r) * inner + i] = info.dtype === 'int64' ? BigInt(v) : Number(v);
        }
      }
    }
    return new ort.Tensor(info.dtype as 'float32', data as unknown as Float32Array, dims);
  };
}

/** The model's bytes with `name` added to its graph outputs (a fresh decode: the file's proto and bytes stay as read). */
function withOutput(bytes: Uint8Array, name: string): Uint8Array {
  const copy = onnx.ModelProto.decode(bytes);
  copy.graph!.output!.push(onnx.ValueInfoProto.create({ name }));
  return onnx.ModelProto.encode(copy).finish();
}

function describeValue(meta: ort.InferenceSession.ValueMetadata): TensorInfo {
  if (!meta.isTensor) return { name: meta.name, dtype: 'non-tensor', shape: [], dynamic: [] };
  const shape = meta.shape.map((d) => (typeof d === 'number' && d < 0 ? '?' : d));
  return { name: meta.name, dtype: meta.type, shape, dynamic: shape.flatMap((d, i) => (typeof d === 'string' ? [i] : [])) };
}

/**
 * Opens an ONNX model with onnxruntime-node, reads its graph with onnx-proto and
 * describes its inputs and outputs. The analyzed input must be float32 or float64; a
 * leading dynamic dim is the batch axis (many points per `session.run`), other dynamic
 * dims must be fixed with `options.inputs`. Other inputs are held at `fixedInputs` or zeros.
 *
 * @param path the .onnx file
 * @throws ModelFileError for a missing, unreadable or corrupt file; UnknownNameError for an
 *   unknown input/output name; UnsupportedModelError for an unsupported dtype;
 *   ShapeMismatchError when a given shape does not fit the model
 * @example
 * const model = await loadModel('mlp.onnx');
 * model.inputs;          // [{ name: 'x', dtype: 'float32', shape: ['N', 3], dynamic: [0] }]
 * await model.evaluate(new Float64Array([1, 2, 3]), 1);
 */
export async function loadModel(path: string, options: LoadModelOptions = {}): Promise<OnnxModel> {
  const fn = 'loadModel';
  const { bytes, proto } = readModelFile(path, fn);
  if (options.logits !== undefined && typeof options.logits !== 'boolean') throw new InvalidArgumentError(`${fn}: 'logits' must be a boolean; received ${String(options.logits)}`);
  const analyzed = chooseOutput(proto, options);
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(analyzed.intermediate ? withOutput(bytes, analyzed.name) : bytes, { graphOptimizationLevel: 'all', ...options.sessionOptions });
  } catch (e) {
    const msg = String((e as Error).message).split('\n')[0];
    throw new ModelFileError(`${fn}: onnxruntime could not load '${path}': ${msg}`);
  }
  const inputs = session.inputMetadata.map(describeValue);
  const all = session.outputMetadata.map(describeValue);
  // The file's graph outputs; an intermediate analyzed value is the session's extra output.
  const outputs = analyzed.intermediate ? all.filter((o) => o.name !== analyzed.name) : all;
  const inputName = options.input ?? inputs.find((i) => FLOAT_TYPES.has(i.dtype))?.name ?? inputs[0]?.name;
  const input = inputs.find((i) => i.name === inputName);
  const output = all.find((o) => o.name === analyzed.name);
  const unknown = (kind: 'input' | 'output', name: string | undefined, all: readonly TensorInfo[]): UnknownNameError =>
    new UnknownNameError(`${fn}: the model has no ${kind} '${String(name)}'; its ${kind}s are ${all.map((i) => `'${i.name}'`).join(', ')}`);
  if (!input) throw unknown('input', options.input, inputs);
  if (!output) throw unknown('output', options.output, outputs);
  for (const name of [...Object.keys(options.inputs ?? {}), ...Object.keys(options.fixedInputs ?? {})]) {
    if (!inputs.some((i) => i.name === name)) throw unknown('input', name, inputs);
  }
  if (!FLOAT_TYPES.has(input.dtype)) {
    throw new UnsupportedModelError(`${fn}: input '${input.name}' has dtype ${input.dtype}; liesym analyses float32 or float64 inputs`);
  }
  if (output.dtype !== 'non-tensor' && !FLOAT_TYPES.has(output.dtype)) {
    throw new UnsupportedModelError(`${fn}: output '${output.name}' has dtype ${output.dtype}; liesym analyses float32 or float64 outputs`);
  }
  let shape: Array<number | string> = [...input.shape];
  const user = options.inputs?.[input.name];
  if (user) {
    if (shape.length > 0 && user.length !== shape.length) {
      throw new ShapeMismatchError(`${fn}: shape of input '${input.name}' must have ${shape.length} dims [${shape.join(', ')}]; received [${user.join(', ')}]`);
    }
    user.forEach((d, i) => {
      const m = shape[i];
      if (!Number.isInteger(d) || d < 1) throw new ShapeMismatchError(`${fn}: dims of input '${input.name}' must be integers ≥ 1; received [${user.join(', ')}]`);
      if (typeof m === 'number' && m !== d) {
        throw new ShapeMismatchError(`${fn}: input '${input.name}' has shape [${shape.join(', ')}], dim ${i} is ${m}; received [${user.join(', ')}]`);
      }
    });
    // A user-fixed leading dim that was dynamic stays the batch axis, at the size the user gave.
    shape = user.map((d, i) => (i === 0 && typeof shape[0] === 'string' ? shape[0] : d));
  }
  const model = new OnnxModel({ path, proto, session, inputs, outputs, input, output, analyzedOutput: analyzed, shape, options });
  try {
    await model.evaluate(new Float64Array(model.dimIn), 1);
  } catch (e) {
    if (e instanceof LiesymError) throw e;
    const msg = String((e as Error).message).split('\n')[0];
    throw new ShapeMismatchError(`${fn}: a test run of '${path}' with input '${input.name}' of shape [${shape.join(', ')}] failed: ${msg}`);
  }
  return model;
}
