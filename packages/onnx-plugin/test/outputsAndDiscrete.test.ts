import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InvalidArgumentError, Matrix, ShapeMismatchError, UnsupportedOperationError } from '@liesym/core';
import { describe, expect, it } from 'vitest';
import { UnknownNameError, checkDiscrete, loadModel } from '../src/index.js';
import { normalVector, tempPath } from '@liesym/test-utils';
import { onnxModel } from '@liesym/test-utils/onnx';

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** x [N, 3] → MatMul W → Tanh 'h' → MatMul V → 'logits' → Softmax 'probs' (the graph output). */
type Built = { path: string; W: ArrayLike<number>; V: ArrayLike<number> };
const built = new Map<string, Built>();
function softmaxModel(op = 'Softmax'): Built {
  const known = built.get(op);
  if (known) return known;
  const W = normalVector(12, { seed: 11 });
  const V = normalVector(8, { seed: 12 });
  const path = onnxModel({
    inputs: [{ name: 'x', dims: ['N', 3] }],
    outputs: [{ name: 'probs', dims: ['N', 2] }],
    initializers: [
      { name: 'W', dims: [3, 4], data: W },
      { name: 'V', dims: [4, 2], data: V },
    ],
    nodes: [
      { op: 'MatMul', inputs: ['x', 'W'], outputs: ['xw'], name: 'mm1' },
      { op: 'Tanh', inputs: ['xw'], outputs: ['h'], name: 'tanh' },
      { op: 'MatMul', inputs: ['h', 'V'], outputs: ['logits'], name: 'mm2' },
      { op, inputs: ['logits'], outputs: ['probs'], name: 'head', ...(op === 'Softmax' ? { attrs: { axis: 1 } } : {}) },
    ],
  }).writeTo(tempPath(`${op}-head.onnx`));
  built.set(op, { path, W, V });
  return { path, W, V };
}

function reference(x: readonly number[], m: Built): { h: number[]; logits: number[] } {
  const h = Array.from({ length: 4 }, (_, j) => Math.tanh(x.reduce((a, xi, i) => a + xi * m.W[i * 4 + j]!, 0)));
  const logits = Array.from({ length: 2 }, (_, k) => h.reduce((a, hj, j) => a + hj * m.V[j * 2 + k]!, 0));
  return { h, logits };
}

describe('loadModel: the analyzed output', () => {
  const x = [0.3, -1.2, 0.7];

  it('takes the logits before a Softmax by default and says so; logits: false keeps the probabilities', async () => {
    const m = softmaxModel();
    const before = sha(m.path);
    const { logits } = reference(x, m);
    const model = await loadModel(m.path);
    expect(model.analyzedOutput.name).toBe('logits');
    expect(model.analyzedOutput.reason).toBe("logits: the input of Softmax node 'head' that produces graph output 'probs' (logits: false analyzes 'probs')");
    expect(model.outputName).toBe('logits');
    expect(model.outputs.map((o) => o.name)).toEqual(['probs']);
    const y = await model.evaluate(new Float64Array(x), 1);
    expect(Array.from(y).map((v, k) => v - logits[k]!).every((d) => Math.abs(d) < 1e-5)).toBe(true);
    await model.close();
    const probs = await loadModel(m.path, { logits: false });
    expect(probs.analyzedOutput).toEqual({ name: 'probs', reason: "the first graph output 'probs'", intermediate: false });
    const p = await probs.evaluate(new Float64Array(x), 1);
    const e = logits.map(Math.exp);
    expect(p[0]!).toBeCloseTo(e[0]! / (e[0]! + e[1]!), 5);
    await probs.close();
    expect(sha(m.path)).toBe(before);
  });

  it('takes the input of a Sigmoid too', async () => {
    const m = softmaxModel('Sigmoid');
    const model = await loadModel(m.path);
    expect(model.analyzedOutput.name).toBe('logits');
    expect(model.analyzedOutput.reason).toMatch(/^logits: the input of Sigmoid node 'head'/);
    await model.close();
  });

  it('analyzes any intermediate value named by output, without changing the file', async () => {
    const m = softmaxModel();
    const before = sha(m.path);
    const model = await loadModel(m.path, { output: 'h' });
    expect(model.analyzedOutput.name).toBe('h');
    expect(model.analyzedOutput.intermediate).toBe(true);
    expect(model.dimOut).toBe(4);
    const y = await model.evaluate(new Float64Array([...x, ...x]), 2);
    const { h } = reference(x, m);
    for (let k = 0; k < 8; k++) expect(y[k]!).toBeCloseTo(h[k % 4]!, 5);
    await model.close();
    const given = await loadModel(m.path, { output: 'probs' });
    expect(given.analyzedOutput.name).toBe('probs');
    await given.close();
    expect(sha(m.path)).toBe(before);
  });

  it('refuses an unknown name, listing the outputs and node outputs', async () => {
    const m = softmaxModel();
    await expect(loadModel(m.path, { output: 'nope' })).rejects.toThrow(UnknownNameError);
    await expect(loadModel(m.path, { output: 'nope' })).rejects.toThrow(/'nope'.*'probs'.*'xw', 'h', 'logits'/);
    await expect(loadModel(m.path, { logits: 'yes' as unknown as boolean })).rejects.toThrow(InvalidArgumentError);
  });
});

describe('checkDiscrete', () => {
  // x [N, 1, 2, 4] → Flatten → MatMul W (8×2): column 1 is column 0 turned by 180° (reversed),
  // so turning the image swaps the two outputs exactly.
  const w0 = normalVector(8, { seed: 21 });
  const W = new Float64Array(16);
  for (let i = 0; i < 8; i++) {
    W[i * 2] = w0[i]!;
    W[i * 2 + 1] = w0[7 - i]!;
  }
  const path = onnxModel({
    inputs: [{ name: 'x', dims: ['N', 1, 2, 4] }],
    outputs: [{ name: 'y', dims: ['N', 2] }],
    initializers: [{ name: 'W', dims: [8, 2], data: W }],
    nodes: [
      { op: 'Flatten', inputs: ['x'], outputs: ['f'], attrs: { axis: 1 } },
      { op: 'MatMul', inputs: ['f', 'W'], outputs: ['y'] },
    ],
  }).writeTo(tempPath('turn-swap.onnx'));

  it('finds the 180° swap and the known residual without it', async () => {
    const model = await loadModel(path);
    const r = await checkDiscrete(model, { transforms: ['rotate180'], outputPermutation: [1, 0], samples: 32, seed: 4 });
    expect(r.discrete[0]!.name).toBe('rotate180');
    expect(r.discrete[0]!.residual).toBeLessThan(1e-6);
    expect(r.verdict).toBe('holds');
    expect(r.tolerance).toBe(1e-4);
    expect(r.output).toBe('y');
    expect(r.runs).toBe(1);
    const xs = Matrix.from(Array.from({ length: 6 }, (_, s) => Array.from(normalVector(8, { seed: 100 + s }))));
    const b = await checkDiscrete(model, { transforms: ['rotate180', 'flip-vertical'], samples: xs });
    // By hand: F(h·x) = (b, a) for F(x) = (a, b), so the residual is √(Σ 2(a − b)² / Σ (a² + b²)).
    let num = 0;
    let den = 0;
    for (let s = 0; s < 6; s++) {
      const xr = xs.row(s);
      const a = xr.reduce((t, v, i) => t + v * w0[i]!, 0);
      const c = xr.reduce((t, v, i) => t + v * w0[7 - i]!, 0);
      num += 2 * (a - c) ** 2;
      den += a * a + c * c;
    }
    expect(Math.abs(b.discrete[0]!.residual - Math.sqrt(num / den))).toBeLessThan(1e-5);
    expect(b.discrete.map((d) => d.verdict)).toEqual(['broken', 'broken']);
    expect(b.sampleCount).toBe(6);
    await model.close();
  });

  it('reads NHWC inputs with layout: NHWC', async () => {
    // The same weights on x [N, 2, 4, 1] (H, W, C): row-major pixels as before.
    const nhwc = onnxModel({
      inputs: [{ name: 'x', dims: ['N', 2, 4, 1] }],
      outputs: [{ name: 'y', dims: ['N', 2] }],
      initializers: [{ name: 'W', dims: [8, 2], data: W }],
      nodes: [
        { op: 'Flatten', inputs: ['x'], outputs: ['f'], attrs: { axis: 1 } },
        { op: 'MatMul', inputs: ['f', 'W'], outputs: ['y'] },
      ],
    }).writeTo(tempPath('turn-swap-nhwc.onnx'));
    const model = await loadModel(nhwc);
    const right = await checkDiscrete(model, { transforms: ['rotate180'], outputPermutation: [1, 0], layout: 'NHWC', samples: 8 });
    expect(right.verdict).toBe('holds');
    // Read as NCHW, [2, 4, 1] is 2 channels of 4×1 images: a different turn, and broken.
    const wrong = await checkDiscrete(model, { transforms: ['rotate180'], outputPermutation: [1, 0], layout: 'NCHW', samples: 8 });
    expect(wrong.verdict).toBe('broken');
    // Without a layout, core's guessImageLayout reads [2, 4, 1] as NHWC (only the last dim looks like channels).
    const guessed = await checkDiscrete(model, { transforms: ['rotate180'], outputPermutation: [1, 0], samples: 8 });
    expect(guessed.discrete[0]!.residual).toBe(right.discrete[0]!.residual);
    await model.close();
  });

  it('refuses names that do not fit the input and bad permutations', async () => {
    const model = await loadModel(path);
    await expect(checkDiscrete(model, { transforms: ['rotate90'] })).rejects.toThrow(UnsupportedOperationError);
    await expect(checkDiscrete(model, { transforms: ['time-reversal'] })).rejects.toThrow(ShapeMismatchError);
    await expect(checkDiscrete(model, { transforms: ['spin'] })).rejects.toThrow(/flip-horizontal/);
    await expect(checkDiscrete(model, { transforms: ['rotate180'], outputPermutation: [0, 1, 2] })).rejects.toThrow(ShapeMismatchError);
    await expect(checkDiscrete(model, { transforms: ['rotate180'], outputPermutation: [1, 1] })).rejects.toThrow(InvalidArgumentError);
    await model.close();
  });
});
