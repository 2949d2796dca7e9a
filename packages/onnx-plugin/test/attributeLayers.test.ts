import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Matrix } from '@liesym/core';
import { analyzeTransforms, attributeLayers, loadModel } from '../src/index.js';
import { normalVector, tempPath } from '@liesym/test-utils';
import { onnxModel } from '@liesym/test-utils/onnx';

const H = 16;
const f32 = (name: string, dims: number[], data: ArrayLike<number>) => ({ name, dims, data });

/**
 * A float32 DAG of smooth nodes on [N, 1, 16, 16]: conv → tanh → squeeze-excite gate, a 1×1 skip conv added back
 * (residual), a spatial mask multiplied in, an `If` branch (Softplus) reading the masked map from the
 * outer scope, global pooling. `mask(p)` is the mask at pixel p.
 */
function dag(mask: (row: number, col: number) => number) {
  const M = Array.from({ length: H * H }, (_, p) => mask(Math.floor(p / H), p % H));
  const branch = (op: string, name: string) => ({ name, inputs: [], outputs: [{ name: `${name}_out`, dims: ['N', 2, H, H] }], nodes: [{ op, inputs: ['masked'], outputs: [`${name}_out`] }] });
  return onnxModel({
    inputs: [{ name: 'image', dims: ['N', 1, H, H] }],
    outputs: [{ name: 'logits', dims: ['N', 2] }],
    initializers: [
      f32('K', [2, 1, 3, 3], normalVector(18, { seed: 3, scale: 0.5 })),
      f32('Ks', [2, 1, 1, 1], [0.7, -0.4]),
      f32('Kg', [2, 2, 1, 1], [0.5, -0.3, 0.2, 0.8]),
      f32('M', [1, 1, H, H], M),
      { name: 'flag', dims: [], data: [1], dtype: 'bool' },
    ],
    nodes: [
      { op: 'Conv', name: 'conv', inputs: ['image', 'K'], outputs: ['c'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
      { op: 'Tanh', name: 'tanh', inputs: ['c'], outputs: ['a'] },
      { op: 'GlobalAveragePool', name: 'squeeze', inputs: ['a'], outputs: ['g'] },
      { op: 'Conv', name: 'excite', inputs: ['g', 'Kg'], outputs: ['g2'], attrs: { kernel_shape: [1, 1] } },
      { op: 'Sigmoid', name: 'gate', inputs: ['g2'], outputs: ['s'] },
      { op: 'Mul', name: 'scale', inputs: ['a', 's'], outputs: ['se'] },
      { op: 'Conv', name: 'skip', inputs: ['image', 'Ks'], outputs: ['k'], attrs: { kernel_shape: [1, 1] } },
      { op: 'Add', name: 'residual', inputs: ['se', 'k'], outputs: ['r'] },
      { op: 'Mul', name: 'mask', inputs: ['r', 'M'], outputs: ['masked'] },
      { op: 'If', name: 'branch', inputs: ['flag'], outputs: ['u'], attrs: { then_branch: { graph: branch('Softplus', 'then') }, else_branch: { graph: branch('Identity', 'else') } } },
      { op: 'GlobalAveragePool', name: 'pool', inputs: ['u'], outputs: ['p'] },
      { op: 'Flatten', name: 'flatten', inputs: ['p'], outputs: ['logits'] },
    ],
  });
}

/** Smooth bumps that vanish towards the border (seeded centres), 1 channel of 16×16. */
function bumps(S: number): Matrix {
  const c = normalVector(2 * S, { seed: 11, scale: 1.5 });
  const X = new Matrix(S, H * H);
  for (let s = 0; s < S; s++) {
    for (let p = 0; p < H * H; p++) {
      const [y, x] = [Math.floor(p / H) - 7.5 - c[2 * s]!, (p % H) - 7.5 - c[2 * s + 1]!];
      X.data[s * H * H + p] = Math.exp(-(x * x + y * y) / 8);
    }
  }
  return X;
}

describe('attributeLayers on an ONNX DAG', () => {
  it('splits the error over the nodes of a residual, squeeze-excite, If graph; the parts add up to the whole', async () => {
    const model = await loadModel(dag((_r, col) => 1 + col / 4).writeTo(tempPath('dag.onnx')));
    try {
      const xs = bumps(4);
      // Smooth nodes only (no kinks): a larger step than the default keeps float32 rounding small.
      const r = await attributeLayers(model, { transforms: ['translation-x', 'rotation', 'brightness'], samples: xs, step: 5e-3 });
      const whole = await analyzeTransforms(model, { transforms: ['translation-x', 'rotation', 'brightness'], samples: xs, step: r.step });
      expect(r.output).toBe('logits');
      expect(r.units).toEqual(["If 'branch'"]);
      expect(r.sampleCount).toBe(4);
      for (const [k, t] of r.transforms.entries()) {
        // The chain rule: contributions add up to the whole graph's derivative (finite-difference error only),
        // to 1e-5 of the output (rotation's error is tiny itself: 4e-4, so its closure is relative to little).
        expect(t.closure * t.total.error).toBeLessThan(1e-5);
        // …which is analyzeTransforms' error.
        expect(Math.abs(t.total.perUnit - whole.transforms[k]!.perUnit) / whole.transforms[k]!.perUnit).toBeLessThan(1e-3);
      }
      expect(r.transforms[0]!.closure).toBeLessThan(1e-3);
      expect(r.transforms[2]!.closure).toBeLessThan(1e-3);
      const by = (t: number) => Object.fromEntries(r.transforms[t]!.nodes.map((n) => [n.name, n]));
      const shift = by(0);
      expect(Object.keys(shift)).toEqual(['conv', 'tanh', 'squeeze', 'excite', 'gate', 'scale', 'skip', 'residual', 'mask', 'branch', 'pool', 'flatten']);
      // A mask that grows along x breaks translation-x: it carries more than any other node.
      for (const [name, n] of Object.entries(shift)) if (name !== 'mask') expect(shift['mask']!.error).toBeGreaterThan(3 * n.error);
      // Linear pointwise nodes on one grid commute with the flow: no defect.
      expect(shift['residual']!.propagated).toBe(false);
      expect(shift['residual']!.error).toBe(0);
      // Brightness moves the input only: the two convs that read it carry all of it.
      const light = by(2);
      expect(light['conv']!.error + light['skip']!.error).toBeGreaterThan(0);
      for (const name of ['tanh', 'mask', 'branch', 'pool']) expect(light[name]!.propagated).toBe(false);
      expect(r.spatial.some((s) => s.startsWith('c [4, 2, 16, 16] as a 16×16 grid'))).toBe(true);
      expect(r.fixed.some((s) => s.startsWith('g [4, 2, 1, 1]'))).toBe(true);
    } finally {
      await model.close();
    }
  });

  it('a mask constant in space has no defect; the same model and seed give the same numbers', async () => {
    const model = await loadModel(dag(() => 1.5).writeTo(tempPath('flat.onnx')));
    try {
      const r = await attributeLayers(model, { transforms: ['translation-x'], samples: 3, seed: 4 });
      const again = await attributeLayers(model, { transforms: ['translation-x'], samples: 3, seed: 4 });
      const mask = r.transforms[0]!.nodes.find((n) => n.name === 'mask')!;
      expect(mask.propagated).toBe(false);
      expect(again.transforms[0]!.nodes.map((n) => n.error)).toEqual(r.transforms[0]!.nodes.map((n) => n.error));
      await expect(attributeLayers(model, null as never)).rejects.toThrow(InvalidArgumentError);
      await expect(attributeLayers(model, { transforms: ['rotation'], chunk: 0 })).rejects.toThrow(/attributeLayers: 'chunk' must be an integer ≥ 1; received 0/);
      await expect(attributeLayers({} as never, { transforms: ['rotation'] })).rejects.toThrow(/attributeLayers: 'model' must be an OnnxModel/);
      const fixed = await loadModel(
        onnxModel({ inputs: [{ name: 's', dims: [4, 16] }], outputs: [{ name: 'y', dims: [4, 16] }], nodes: [{ op: 'Neg', inputs: ['s'], outputs: ['y'] }] }).writeTo(tempPath('fixed4.onnx')),
      );
      await expect(attributeLayers(fixed, { transforms: 'signal' })).rejects.toThrow(/attributeLayers: input 's' must have a dynamic batch axis \(or a batch of 1\).*received a fixed batch of 4/);
      await fixed.close();
    } finally {
      await model.close();
    }
  });

  it('reads an NHWC input transposed to NCHW inside on its own grid: the transposes have no defect', async () => {
    // [N, 12, 10, 3] → Transpose → [N, 3, 12, 10] → ×0.5 → Transpose back → Tanh → GlobalAveragePool over (10, 3)… via Flatten + MatMul.
    const model = await loadModel(
      onnxModel({
        inputs: [{ name: 'x', dims: ['N', 12, 10, 3] }],
        outputs: [{ name: 'y', dims: ['N', 2] }],
        initializers: [
          { name: 'half', dims: [1], data: [0.5] },
          { name: 'W', dims: [360, 2], data: normalVector(720, { seed: 5, scale: 0.1 }) },
        ],
        nodes: [
          { op: 'Transpose', name: 'to_nchw', inputs: ['x'], outputs: ['t'], attrs: { perm: [0, 3, 1, 2] } },
          { op: 'Mul', name: 'scale', inputs: ['t', 'half'], outputs: ['h'] },
          { op: 'Transpose', name: 'to_nhwc', inputs: ['h'], outputs: ['b'], attrs: { perm: [0, 2, 3, 1] } },
          { op: 'Flatten', name: 'flatten', inputs: ['b'], outputs: ['f'] },
          { op: 'MatMul', name: 'head', inputs: ['f', 'W'], outputs: ['y'] },
        ],
      }).writeTo(tempPath('nhwc.onnx')),
    );
    try {
      const r = await attributeLayers(model, { transforms: ['translation-x', 'rotation'], samples: 3, seed: 2 });
      expect(r.layout).toBe('NHWC');
      expect(r.spatial.some((s) => s.startsWith('t [3, 3, 12, 10] as a 12×10 grid'))).toBe(true);
      for (const t of r.transforms) {
        const by = Object.fromEntries(t.nodes.map((n) => [n.name, n]));
        for (const name of ['to_nchw', 'scale', 'to_nhwc']) expect(by[name]!.propagated).toBe(false);
        // Flatten drops the grid: it carries the error.
        expect(by['flatten']!.error).toBeGreaterThan(0);
        expect(t.closure).toBeLessThan(1e-2);
      }
    } finally {
      await model.close();
    }
  });

  it('holds extra inputs where they are fed, and takes the table’s step per sample (chunk 1 and 4 agree)', async () => {
    // A ReLU model with a second float input shaped like a feature map (held at zeros).
    const model = await loadModel(
      onnxModel({
        inputs: [
          { name: 'image', dims: ['N', 1, H, H] },
          { name: 'state', dims: ['N', 2, H, H] },
        ],
        outputs: [{ name: 'p', dims: ['N', 2, 1, 1] }],
        initializers: [{ name: 'K', dims: [2, 1, 3, 3], data: normalVector(18, { seed: 7, scale: 0.5 }) }],
        nodes: [
          { op: 'Conv', name: 'conv', inputs: ['image', 'K'], outputs: ['c'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } },
          { op: 'Add', name: 'plus_state', inputs: ['c', 'state'], outputs: ['a'] },
          { op: 'Relu', name: 'relu', inputs: ['a'], outputs: ['r'] },
          { op: 'GlobalAveragePool', name: 'pool', inputs: ['r'], outputs: ['p'] },
        ],
      }).writeTo(tempPath('state.onnx')),
    );
    try {
      const xs = bumps(4);
      const one = await attributeLayers(model, { transforms: ['rotation'], samples: xs, chunk: 1 });
      const four = await attributeLayers(model, { transforms: ['rotation'], samples: xs, chunk: 4 });
      const table = await analyzeTransforms(model, { transforms: ['rotation'], samples: xs });
      expect(one.step).toBe(1e-3);
      expect(table.step).toBe(1e-3);
      for (const r of [one, four]) {
        expect(Math.abs(r.transforms[0]!.total.perUnit - table.transforms[0]!.perUnit) / table.transforms[0]!.perUnit).toBeLessThan(1e-3);
        // ReLU kinks inside ±step: the parts add up to a few percent (5.7 % measured), not to rounding.
        expect(r.transforms[0]!.closure).toBeLessThan(0.1);
      }
      expect(Math.abs(one.transforms[0]!.total.perUnit - four.transforms[0]!.total.perUnit) / four.transforms[0]!.total.perUnit).toBeLessThan(1e-3);
    } finally {
      await model.close();
    }
  });
});
