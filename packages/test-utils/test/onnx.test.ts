import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InvalidArgumentError, ModelFileError, O, O13, OutputExistsError, S, SO, Scalar, ShapeMismatchError, V } from '@liesym/core';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { assertEquivariant, equivarianceReport, normalSamples, normalVector, tempPath, type RowMajorEvaluator } from '../src/index.js';
import {
  circularConv,
  lorentzInvariantNetwork,
  mlp,
  onnxModel,
  quadraticInvariant,
  randomMlp,
  so2Equivariant,
  type OnnxModelBuilder,
} from '../src/onnx/index.js';

const { onnx } = onnxProto;

/** A protobuf int64 (number or Long) as a number. */
const num = (v: unknown): number => (typeof v === 'number' ? v : (v as { toNumber(): number }).toNumber());

/** The model run by onnxruntime-node on row-major float inputs [count, dimIn] (first input and output). */
async function session(model: OnnxModelBuilder, dtype: 'float32' | 'float64' = 'float32'): Promise<RowMajorEvaluator & { run(xs: ArrayLike<number>, dims: number[]): Promise<Float64Array> }> {
  const s = await ort.InferenceSession.create(model.encode());
  const [input] = s.inputNames;
  const [output] = s.outputNames;
  const run = async (xs: ArrayLike<number>, dims: number[]): Promise<Float64Array> => {
    const data = dtype === 'float32' ? Float32Array.from(xs) : Float64Array.from(xs);
    const r = await s.run({ [input!]: new ort.Tensor(dtype, data, dims) });
    return Float64Array.from(r[output!]!.data as Float32Array);
  };
  return { run, evaluate: (xs, n) => run(xs, [n, xs.length / n]) };
}

describe('onnxModel', () => {
  it('encodes inputs, outputs, initializers, nodes and every attribute kind (int64 values decode as Long)', () => {
    const branch = { name: 'then', inputs: [], outputs: [{ name: 't', dims: [1] }], nodes: [{ op: 'Constant', inputs: [], outputs: ['t'], attrs: { value: { tensor: { name: 'one', dims: [1], data: [1] } } } }] };
    const bytes = onnxModel({
      name: 'g',
      opset: 17,
      producer: 'me',
      inputs: [{ name: 'x', dims: ['N', 3], dtype: 'float64' }],
      outputs: [{ name: 'y', dims: ['N', 3], dtype: 'float64' }],
      initializers: [{ name: 'k', dims: [2], data: [-1, 2 ** 40], dtype: 'int64' }],
      nodes: [
        { op: 'Foo', name: 'n0', domain: 'test', inputs: ['x'], outputs: ['y'], attrs: { i: 3, f: 0.5, one: { float: 1 }, ints: [1, -2], floats: { floats: [0.25] }, s: 'hi', body: { graph: branch } } },
      ],
    }).encode();
    const m = onnx.ModelProto.decode(bytes);
    expect([num(m.irVersion), m.producerName, m.opsetImport[0]!.domain, num(m.opsetImport[0]!.version)]).toEqual([8, 'me', '', 17]);
    const g = m.graph as onnxProto.onnx.GraphProto;
    expect(g.name).toBe('g');
    const dims = g.input[0]!.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || num(d.dimValue));
    expect([g.input[0]!.name, g.input[0]!.type!.tensorType!.elemType, dims]).toEqual(['x', 11, ['N', 3]]);
    const k = g.initializer[0] as onnxProto.onnx.TensorProto;
    expect([k.dataType, k.dims.map(num)]).toEqual([7, [2]]);
    const raw = k.rawData;
    expect(Array.from(new BigInt64Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)), Number)).toEqual([-1, 2 ** 40]);
    const node = g.node[0] as onnxProto.onnx.NodeProto;
    expect([node.name, node.opType, node.domain]).toEqual(['n0', 'Foo', 'test']);
    const a = Object.fromEntries(node.attribute.map((x) => [x.name, x]));
    const T = onnx.AttributeProto.AttributeType;
    expect([a['i']!.type, num(a['i']!.i)]).toEqual([T.INT, 3]);
    expect([a['f']!.type, a['f']!.f]).toEqual([T.FLOAT, 0.5]);
    expect([a['one']!.type, a['one']!.f]).toEqual([T.FLOAT, 1]);
    expect([a['ints']!.type, a['ints']!.ints.map(num)]).toEqual([T.INTS, [1, -2]]);
    expect([a['floats']!.type, a['floats']!.floats]).toEqual([T.FLOATS, [0.25]]);
    expect([a['s']!.type, new TextDecoder().decode(a['s']!.s)]).toEqual([T.STRING, 'hi']);
    expect([a['body']!.type, a['body']!.g!.name, a['body']!.g!.node[0]!.attribute[0]!.t!.name]).toEqual([T.GRAPH, 'then', 'one']);
  });

  it('builds an If graph whose branches run in onnxruntime', async () => {
    const branch = (name: string, value: number): { graph: { name: string; inputs: []; outputs: [{ name: string; dims: number[] }]; initializers: [{ name: string; dims: number[]; data: number[] }]; nodes: [{ op: string; inputs: string[]; outputs: string[] }] } } => ({
      graph: { name, inputs: [], outputs: [{ name: `${name}_y`, dims: [1] }], initializers: [{ name: `${name}_c`, dims: [1], data: [value] }], nodes: [{ op: 'Identity', inputs: [`${name}_c`], outputs: [`${name}_y`] }] },
    });
    const model = onnxModel({
      inputs: [{ name: 'c', dims: [], dtype: 'bool' }],
      outputs: [{ name: 'y', dims: [1] }],
      nodes: [{ op: 'If', inputs: ['c'], outputs: ['y'], attrs: { then_branch: branch('then', 2), else_branch: branch('else', -3) } }],
    });
    const s = await ort.InferenceSession.create(model.encode());
    const run = async (inputs: { c: boolean }): Promise<number> => (await s.run({ c: new ort.Tensor('bool', [inputs.c], []) }))['y']!.data[0] as number;
    expect([await run({ c: true }), await run({ c: false })]).toEqual([2, -3]);
  });

  it('rejects a malformed spec with typed errors naming the part', () => {
    const base = { inputs: [{ name: 'x', dims: ['N', 2] }], outputs: [{ name: 'y', dims: ['N', 2] }], nodes: [{ op: 'Neg', inputs: ['x'], outputs: ['y'] }] };
    expect(() => onnxModel({ ...base, initializers: [{ name: 'W', dims: [2, 2], data: [1, 2, 3] }] })).toThrow(ShapeMismatchError);
    expect(() => onnxModel({ ...base, initializers: [{ name: 'W', dims: [2, 2], data: [1, 2, 3] }] })).toThrow(/spec.initializers\[0\] 'W' has dims \[2, 2\], so 'data' must hold 4 numbers; received an array of length 3/);
    expect(() => onnxModel({ ...base, initializers: [{ name: 'k', dims: [1], data: [0.5], dtype: 'int64' }] })).toThrow(/is int64, so 'data' must hold integers/);
    expect(() => onnxModel({ ...base, inputs: [{ name: 'x', dims: [-1] }] })).toThrow(/spec.inputs\[0\].dims\[0\] must be an integer ≥ 0 or a name; received -1/);
    expect(() => onnxModel({ ...base, inputs: [{ name: 'x', dims: [2], dtype: 'float16' as never }] })).toThrow(InvalidArgumentError);
    expect(() => onnxModel({ ...base, nodes: [{ op: 'Neg', inputs: ['x'], outputs: ['y'], attrs: { bad: [0.5] } }] })).toThrow(/spec.nodes\[0\].attrs.bad must be integers \(INTS; use \{ floats \} for floats\)/);
    expect(() => onnxModel({ ...base, opset: 0 })).toThrow(/'opset' must be an integer ≥ 1; received 0/);
  });
});

describe('OnnxModelBuilder.writeTo', () => {
  const model = quadraticInvariant({ metric: [1, 1] });

  it('writes the encoded bytes, refuses an existing file unless force, and leaves no temporary file', () => {
    const path = tempPath('write.onnx');
    expect(model.writeTo(path)).toBe(path);
    expect(new Uint8Array(readFileSync(path))).toEqual(model.encode());
    writeFileSync(path, 'precious');
    expect(() => model.writeTo(path)).toThrow(OutputExistsError);
    expect(() => model.writeTo(path)).toThrow(/'.*write\.onnx' already exists; pass force: true to replace it/);
    expect(readFileSync(path, 'utf8')).toBe('precious');
    model.writeTo(path, { force: true });
    expect(new Uint8Array(readFileSync(path))).toEqual(model.encode());
    expect(readdirSync(dirname(path)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('names a missing folder with a ModelFileError', () => {
    expect(() => model.writeTo(join(tempPath('no-such-folder'), 'm.onnx'))).toThrow(ModelFileError);
    expect(() => model.writeTo('')).toThrow(InvalidArgumentError);
  });
});

describe('the named models run in onnxruntime and compute what they say', () => {
  it('quadraticInvariant: tanh(0.3·Σ mᵢxᵢ²), float32 and float64; O(3)- and O(1,3)-invariant', async () => {
    const xs = normalSamples(5, 3, { seed: 1 });
    for (const dtype of ['float32', 'float64'] as const) {
      const s = await session(quadraticInvariant({ metric: [1, -2, 0.5], dtype }), dtype);
      const y = await s.run(xs.flat(), [5, 3]);
      xs.forEach((x, k) => expect(y[k]).toBeCloseTo(Math.tanh(0.3 * (x[0]! ** 2 - 2 * x[1]! ** 2 + 0.5 * x[2]! ** 2)), dtype === 'float32' ? 6 : 14));
    }
    await assertEquivariant(await session(quadraticInvariant({ metric: [1, 1, 1] })), V(O(3)), Scalar, { dtype: 'float32', seed: 2, samples: 16 });
    await assertEquivariant(await session(quadraticInvariant({ metric: [1, -1, -1, -1], dtype: 'float64' }), 'float64'), V(O13()), Scalar, { dtype: 'float64', seed: 3, samples: 16 });
  });

  it('so2Equivariant: SO(2)-equivariant, broken by the reflections of O(2)', async () => {
    const s = await session(so2Equivariant());
    await assertEquivariant(s, V(SO(2)), V(SO(2)), { dtype: 'float32', seed: 4, samples: 16 });
    expect((await equivarianceReport(s, { repIn: V(O(2)), repOut: V(O(2)), dtype: 'float32', seed: 4, samples: 16 })).max).toBeGreaterThan(0.1);
  });

  it('mlp: Gemm and MatMul forms compute W₂·tanh(W₁x + b₁) + b₂ alike; randomMlp is seeded', async () => {
    const layers = [
      { W: normalVector(12, { seed: 5 }), b: normalVector(4, { seed: 6 }), dimIn: 3, dimOut: 4 },
      { W: normalVector(8, { seed: 7 }), b: [0.5, -0.5], dimIn: 4, dimOut: 2 },
    ];
    const x = [0.3, -1.2, 0.7];
    const h = [0, 1, 2, 3].map((o) => Math.tanh(layers[0]!.b[o]! + x.reduce((s, v, i) => s + layers[0]!.W[o * 3 + i]! * v, 0)));
    const expected = [0, 1].map((o) => layers[1]!.b[o]! + h.reduce((s, v, i) => s + layers[1]!.W[o * 4 + i]! * v, 0));
    for (const matmul of [false, true]) {
      const y = await (await session(mlp(layers, { matmul }))).run(x, [1, 3]);
      expected.forEach((v, o) => expect(y[o]).toBeCloseTo(v, 5));
    }
    expect(randomMlp([3, 8, 2], { seed: 7 }).encode()).toEqual(randomMlp([3, 8, 2], { seed: 7 }).encode());
    expect(randomMlp([3, 8, 2], { seed: 7 }).encode()).not.toEqual(randomMlp([3, 8, 2], { seed: 8 }).encode());
    expect(() => mlp([{ W: [1, 2], b: [0], dimIn: 3, dimOut: 1 }])).toThrow(/must have dimIn·dimOut = 3 weights/);
  });

  it('circularConv: commutes with cyclic shifts of the image', async () => {
    const C = 2;
    const H = 4;
    const W = 5;
    const s = await session(circularConv({ C, Co: 3, H, W }, { seed: 11, tanh: true }));
    const shift = (img: ArrayLike<number>, channels: number): number[] =>
      Array.from({ length: channels * H * W }, (_, idx) => {
        const c = Math.floor(idx / (H * W));
        const i = Math.floor(idx / W) % H;
        const j = idx % W;
        return img[c * H * W + ((i + H - 1) % H) * W + ((j + W - 2) % W)]!;
      });
    const x = normalVector(C * H * W, { seed: 12 });
    const a = await s.run(shift(x, C), [1, C, H, W]);
    const b = shift(await s.run(x, [1, C, H, W]), 3);
    b.forEach((v, i) => expect(a[i]).toBeCloseTo(v, 5));
  });

  it('lorentzInvariantNetwork: invariant under O(1,3), not under S(4)', async () => {
    const s = await session(lorentzInvariantNetwork({ seed: 2024, hidden: 8 }));
    await assertEquivariant(s, V(O13()), Scalar, { dtype: 'float32', seed: 13, samples: 16 });
    expect((await equivarianceReport(s, { repIn: V(S(4)), repOut: Scalar, dtype: 'float32', seed: 13, samples: 16 })).max).toBeGreaterThan(1e-2);
  });
});
