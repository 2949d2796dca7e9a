/**
 * Builds the demo's bundled ONNX model, a small Lorentz-invariant network
 * F(x) = w₂ᵀ·tanh(w₁·q(x) + b₁) + b₂ with q(x) = x₀² − x₁² − x₂² − x₃², from MatMul, Mul,
 * Add and Tanh nodes (float32, opset 13, fixed seed). Its symmetry algebra inside gl(4) is
 * so(1,3), of dimension 6.
 *
 *   npm run make:demo-model -w apps/bench     (writes apps/bench/data/lorentz-invariant.onnx)
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '@liesym/core';
import { onnx } from '@liesym/onnx';

export const DEMO_MODEL = fileURLToPath(new URL('../../data/lorentz-invariant.onnx', import.meta.url));

function tensor(name: string, dims: number[], data: ArrayLike<number>) {
  return { name, dims, dataType: 1, rawData: new Uint8Array(Float32Array.from(data).buffer) };
}

export function demoModelBytes(): Uint8Array {
  const rng = createRng(2024);
  const hidden = 8;
  const vi = (name: string, d: number) => ({
    name,
    type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: d }] } } },
  });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'liesym-demo',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'lorentz_invariant',
      input: [vi('x', 4)],
      output: [vi('y', 1)],
      initializer: [
        tensor('eta', [4, 4], [1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1, 0, 0, 0, 0, -1]),
        tensor('ones', [4, 1], [1, 1, 1, 1]),
        tensor('w1', [1, hidden], Array.from({ length: hidden }, () => rng.normal())),
        tensor('b1', [hidden], Array.from({ length: hidden }, () => 0.5 * rng.normal())),
        tensor('w2', [hidden, 1], Array.from({ length: hidden }, () => rng.normal() / Math.sqrt(hidden))),
        tensor('b2', [1], [0.1]),
      ],
      node: [
        { opType: 'MatMul', input: ['x', 'eta'], output: ['xe'] },
        { opType: 'Mul', input: ['x', 'xe'], output: ['p'] },
        { opType: 'MatMul', input: ['p', 'ones'], output: ['q'] },
        { opType: 'MatMul', input: ['q', 'w1'], output: ['z'] },
        { opType: 'Add', input: ['z', 'b1'], output: ['z1'] },
        { opType: 'Tanh', input: ['z1'], output: ['h'] },
        { opType: 'MatMul', input: ['h', 'w2'], output: ['y0'] },
        { opType: 'Add', input: ['y0', 'b2'], output: ['y'] },
      ],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const force = process.argv.includes('--force');
  if (existsSync(DEMO_MODEL) && !force) {
    console.error(`make-demo-model: ${DEMO_MODEL} exists; pass --force to replace it`);
    process.exit(2);
  }
  mkdirSync(dirname(DEMO_MODEL), { recursive: true });
  writeFileSync(DEMO_MODEL, demoModelBytes());
  console.log(`wrote ${DEMO_MODEL}`);
}
