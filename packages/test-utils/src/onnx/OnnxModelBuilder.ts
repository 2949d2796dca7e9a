import { linkSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { InvalidArgumentError, ModelFileError, OutputExistsError, ShapeMismatchError, describe } from '@liesym/core';
import onnxProto from 'onnx-proto';

const onnx = onnxProto.onnx;
type IGraphProto = onnxProto.onnx.IGraphProto;
type ITensorProto = onnxProto.onnx.ITensorProto;
type IAttributeProto = onnxProto.onnx.IAttributeProto;
type IValueInfoProto = onnxProto.onnx.IValueInfoProto;

/** Element types of tensors and graph values (ONNX TensorProto.DataType). */
export type OnnxDtype = 'float32' | 'float64' | 'int32' | 'int64' | 'bool';

const DTYPE_CODES: Readonly<Record<OnnxDtype, number>> = { float32: 1, float64: 11, int32: 6, int64: 7, bool: 9 };

/** A dimension: a fixed size, or a named dynamic one (e.g. 'N' for the batch). */
export type Dim = number | string;

/** A graph input or output. */
export interface ValueSpec {
  name: string;
  dims: readonly Dim[];
  /** Default 'float32'. */
  dtype?: OnnxDtype;
}

/** A constant tensor (initializer or tensor attribute), stored as raw little-endian data. */
export interface TensorSpec {
  name: string;
  dims: readonly number[];
  /** Row-major values, product(dims) of them (int64 values must be safe integers). */
  data: ArrayLike<number>;
  /** Default 'float32'. */
  dtype?: OnnxDtype;
}

/**
 * A node attribute: a number is INT when it is an integer and FLOAT otherwise (write
 * `{ float: 1 }` for an integral float such as Gemm's alpha), a string is STRING, a number
 * array is INTS; tensors (`Constant`'s value) and graphs (`If` branches, `Loop` bodies) are tagged.
 */
export type AttributeValue =
  | number
  | string
  | readonly number[]
  | { readonly float: number }
  | { readonly floats: readonly number[] }
  | { readonly tensor: TensorSpec }
  | { readonly graph: GraphSpec };

/** One node: `op` is the ONNX operator type (MatMul, Gemm, Tanh, If, …). */
export interface NodeSpec {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attrs?: Readonly<Record<string, AttributeValue>>;
  /** Node name; default none (ONNX names are optional). */
  name?: string;
  /** Operator domain; default '' (the ONNX domain). */
  domain?: string;
}

/** A graph: the main graph of a model, or a subgraph held by an attribute. */
export interface GraphSpec {
  /** Default 'graph'. */
  name?: string;
  inputs: readonly ValueSpec[];
  outputs: readonly ValueSpec[];
  initializers?: readonly TensorSpec[];
  nodes: readonly NodeSpec[];
}

/** A model: its main graph, the opset and the producer recorded in it. */
export interface ModelSpec extends GraphSpec {
  /** ONNX opset of the default domain; default 13. */
  opset?: number;
  /** producer_name; default 'liesym-test-utils'. */
  producer?: string;
}

const FN = 'onnxModel';

function checkName(where: string, v: unknown): string {
  if (typeof v !== 'string' || v.length === 0) throw new InvalidArgumentError(`${FN}: ${where} must be a non-empty string; received ${describe(v)}`);
  return v;
}

function dtypeCode(where: string, dtype: unknown): number {
  const code = DTYPE_CODES[(dtype ?? 'float32') as OnnxDtype];
  if (code === undefined) throw new InvalidArgumentError(`${FN}: ${where} must be one of ${Object.keys(DTYPE_CODES).join(', ')}; received ${describe(dtype)}`);
  return code;
}

function valueInfo(where: string, v: ValueSpec): IValueInfoProto {
  checkName(`${where}.name`, v?.name);
  if (!Array.isArray(v.dims)) throw new InvalidArgumentError(`${FN}: ${where}.dims must be an array of sizes and names; received ${describe(v.dims)}`);
  const dim = v.dims.map((d: unknown, i) => {
    if (typeof d === 'string' && d.length > 0) return { dimParam: d };
    if (typeof d === 'number' && Number.isInteger(d) && d >= 0) return { dimValue: d };
    throw new InvalidArgumentError(`${FN}: ${where}.dims[${i}] must be an integer ≥ 0 or a name; received ${describe(d)}`);
  });
  return { name: v.name, type: { tensorType: { elemType: dtypeCode(`${where}.dtype`, v.dtype), shape: { dim } } } };
}

/** A TensorProto with raw little-endian data. */
function tensor(where: string, t: TensorSpec): ITensorProto {
  checkName(`${where}.name`, t?.name);
  if (!Array.isArray(t.dims) || !t.dims.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new InvalidArgumentError(`${FN}: ${where}.dims must be integers ≥ 0; received ${describe(t.dims)}`);
  }
  const size = t.dims.reduce((a, b) => a * b, 1);
  if (t.data === null || typeof t.data !== 'object' || t.data.length !== size) {
    throw new ShapeMismatchError(`${FN}: ${where} '${t.name}' has dims [${t.dims.join(', ')}], so 'data' must hold ${size} numbers; received ${describe(t.data)}`);
  }
  const dtype = t.dtype ?? 'float32';
  const code = dtypeCode(`${where}.dtype`, dtype);
  const values = Array.from(t.data);
  if ((dtype === 'int32' || dtype === 'int64' || dtype === 'bool') && !values.every(Number.isSafeInteger)) {
    throw new InvalidArgumentError(`${FN}: ${where} '${t.name}' is ${dtype}, so 'data' must hold integers; received non-integers`);
  }
  let bytes: Uint8Array;
  if (dtype === 'float32') bytes = new Uint8Array(Float32Array.from(values).buffer);
  else if (dtype === 'float64') bytes = new Uint8Array(Float64Array.from(values).buffer);
  else if (dtype === 'int32') bytes = new Uint8Array(Int32Array.from(values).buffer);
  else if (dtype === 'int64') bytes = new Uint8Array(BigInt64Array.from(values, (v) => BigInt(v)).buffer);
  else bytes = Uint8Array.from(values, (v) => (v ? 1 : 0));
  return { name: t.name, dims: [...t.dims], dataType: code, rawData: bytes };
}

function attribute(where: string, name: string, v: AttributeValue): IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new InvalidArgumentError(`${FN}: ${where} must be finite; received ${describe(v)}`);
    return Number.isInteger(v) ? { name, type: T.INT, i: v } : { name, type: T.FLOAT, f: v };
  }
  if (Array.isArray(v)) {
    if (!v.every((x) => Number.isSafeInteger(x))) throw new InvalidArgumentError(`${FN}: ${where} must be integers (INTS; use { floats } for floats); received ${describe(v)}`);
    return { name, type: T.INTS, ints: [...v] };
  }
  if (v !== null && typeof v === 'object') {
    if ('float' in v && typeof v.float === 'number') return { name, type: T.FLOAT, f: v.float };
    if ('floats' in v && Array.isArray(v.floats)) return { name, type: T.FLOATS, floats: [...v.floats] };
    if ('tensor' in v) return { name, type: T.TENSOR, t: tensor(`${where}.tensor`, v.tensor) };
    if ('graph' in v) return { name, type: T.GRAPH, g: graph(`${where}.graph`, v.graph) };
  }
  throw new InvalidArgumentError(`${FN}: ${where} must be a number, string, integer array, { float }, { floats }, { tensor } or { graph }; received ${describe(v)}`);
}

function graph(where: string, g: GraphSpec): IGraphProto {
  if (g === null || typeof g !== 'object') throw new InvalidArgumentError(`${FN}: ${where} must be { inputs, outputs, nodes, initializers? }; received ${describe(g)}`);
  for (const key of ['inputs', 'outputs', 'nodes'] as const) {
    if (!Array.isArray(g[key])) throw new InvalidArgumentError(`${FN}: ${where}.${key} must be an array; received ${describe(g[key])}`);
  }
  return {
    name: g.name ?? 'graph',
    input: g.inputs.map((v, i) => valueInfo(`${where}.inputs[${i}]`, v)),
    output: g.outputs.map((v, i) => valueInfo(`${where}.outputs[${i}]`, v)),
    initializer: (g.initializers ?? []).map((t, i) => tensor(`${where}.initializers[${i}]`, t)),
    node: g.nodes.map((n, i) => {
      const at = `${where}.nodes[${i}]`;
      checkName(`${at}.op`, n?.op);
      if (!Array.isArray(n.inputs) || !Array.isArray(n.outputs)) {
        throw new InvalidArgumentError(`${FN}: ${at} ('${n.op}') needs 'inputs' and 'outputs' arrays of names; received ${describe(n.inputs)} and ${describe(n.outputs)}`);
      }
      const attrs = Object.entries(n.attrs ?? {}).map(([k, v]) => attribute(`${at}.attrs.${k}`, k, v));
      return {
        ...(n.name === undefined ? {} : { name: n.name }),
        opType: n.op,
        ...(n.domain === undefined ? {} : { domain: n.domain }),
        input: [...n.inputs],
        output: [...n.outputs],
        ...(attrs.length === 0 ? {} : { attribute: attrs }),
      };
    }),
  };
}

/**
 * An ONNX model built in code: {@link encode} gives the bytes, {@link writeTo} writes them
 * safely. Make one with {@link onnxModel}; the spec is validated when it is made.
 */
export class OnnxModelBuilder {
  /** The spec the model was built from. */
  readonly spec: ModelSpec;
  readonly #proto: InstanceType<typeof onnx.ModelProto>;

  constructor(spec: ModelSpec) {
    if (spec === null || typeof spec !== 'object') throw new InvalidArgumentError(`${FN}: 'spec' must be { inputs, outputs, nodes, … }; received ${describe(spec)}`);
    const opset = spec.opset ?? 13;
    if (!Number.isInteger(opset) || opset < 1) throw new InvalidArgumentError(`${FN}: 'opset' must be an integer ≥ 1; received ${describe(opset)}`);
    this.spec = spec;
    this.#proto = onnx.ModelProto.create({
      irVersion: 8,
      producerName: spec.producer ?? 'liesym-test-utils',
      opsetImport: [{ domain: '', version: opset }],
      graph: graph('spec', spec),
    });
  }

  /** The ModelProto encoded as protobuf bytes (a fresh, plain Uint8Array each call, not a Node Buffer). */
  encode(): Uint8Array {
    return Uint8Array.from(onnx.ModelProto.encode(this.#proto).finish());
  }

  /**
   * Writes the model to `path`, the project's file-safety rule: an existing file is refused
   * unless `force`; the bytes go to a temporary file in the same folder first, then take the
   * name in one step (a hard link that fails if the name exists, or a rename with `force`),
   * so a reader never sees half a model and a concurrent writer's file is never replaced.
   * @returns `path`
   * @throws OutputExistsError when `path` exists and `force` is not set; ModelFileError when
   *   the folder is missing or unwritable; InvalidArgumentError for an empty path
   */
  writeTo(path: string, options: { force?: boolean } = {}): string {
    const fn = 'OnnxModelBuilder.writeTo';
    if (typeof path !== 'string' || path.length === 0) throw new InvalidArgumentError(`${fn}: 'path' must be a file path; received ${describe(path)}`);
    const force = options.force === true;
    const exists = (): boolean => {
      try {
        statSync(path);
        return true;
      } catch {
        return false;
      }
    };
    if (!force && exists()) throw new OutputExistsError(`${fn}: '${path}' already exists; pass force: true to replace it`);
    const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      writeFileSync(tmp, this.encode(), { flag: 'wx' });
      if (force) {
        renameSync(tmp, path);
      } else {
        try {
          linkSync(tmp, path);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EEXIST') throw new OutputExistsError(`${fn}: '${path}' already exists; pass force: true to replace it`);
          // File systems without hard links: check, then rename (the check and the rename are two steps).
          if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw e;
          if (exists()) throw new OutputExistsError(`${fn}: '${path}' already exists; pass force: true to replace it`);
          renameSync(tmp, path);
        }
      }
    } catch (e) {
      if (e instanceof OutputExistsError) throw e;
      throw new ModelFileError(`${fn}: could not write '${path}': ${(e as Error).message}`);
    } finally {
      rmSync(tmp, { force: true });
    }
    return path;
  }
}

/**
 * Builds an ONNX model (IR 8) from a spec: inputs and outputs with dims and dtype,
 * initializers, nodes with attributes (subgraphs and tensors included), the opset.
 * @throws InvalidArgumentError or ShapeMismatchError naming the offending part of the spec
 * @example
 * const path = onnxModel({
 *   inputs: [{ name: 'x', dims: ['N', 3] }],
 *   outputs: [{ name: 'y', dims: ['N', 3] }],
 *   nodes: [{ op: 'Neg', inputs: ['x'], outputs: ['y'] }],
 * }).writeTo(tempPath('neg.onnx'));
 */
export function onnxModel(spec: ModelSpec): OnnxModelBuilder {
  return new OnnxModelBuilder(spec);
}
