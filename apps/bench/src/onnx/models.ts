/** Small ONNX models built in code for the ONNX benchmarks (seeded, deterministic). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '@liesym/core';
import { onnx } from '@liesym/onnx';

function tensor(name: string, dims: number[], data: ArrayLike<number>): { name: string; dims: number[]; dataType: number; rawData: Uint8Array } {
  const arr = Float32Array.from(data);
  return { name, dims, dataType: 1, rawData: new Uint8Array(arr.buffer) };
}

/** A tanh MLP with layer sizes `sizes` (Gemm, transB = 1), written to `dir/name`. */
export function writeMlp(dir: string, name: string, sizes: number[], seed: number): string {
  const rng = createRng(seed);
  const initializer: ReturnType<typeof tensor>[] = [];
  const node: Array<Record<string, unknown>> = [];
  let cur = 'x';
  sizes.slice(1).forEach((out, k) => {
    const inp = sizes[k]!;
    initializer.push(tensor(`W${k}`, [out, inp], Array.from({ length: out * inp }, () => rng.normal() / Math.sqrt(inp))));
    initializer.push(tensor(`b${k}`, [out], Array.from({ length: out }, () => 0.1 * rng.normal())));
    const last = k === sizes.length - 2;
    const z = last ? 'y' : `z${k}`;
    node.push({ name: `dense${k}`, opType: 'Gemm', input: [cur, `W${k}`, `b${k}`], output: [z], attribute: [{ name: 'transB', type: 2, i: 1 }] });
    if (!last) node.push({ opType: 'Tanh', input: [z], output: [`h${k}`] });
    cur = `h${k}`;
  });
  const vi = (n: string, d: number): Record<string, unknown> => ({ name: n, type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: d }] } } } });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'liesym-bench',
    opsetImport: [{ domain: '', version: 13 }],
    graph: { name: name, input: [vi('x', sizes[0]!)], output: [vi('y', sizes[sizes.length - 1]!)], initializer, node },
  });
  const path = join(dir, name);
  writeFileSync(path, onnx.ModelProto.encode(model).finish());
  return path;
}
