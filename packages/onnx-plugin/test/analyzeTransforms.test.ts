import { describe, expect, it } from 'vitest';
import { Matrix } from '@liesym/core';
import { analyzeTransforms, loadModel } from '../src/index.js';
import { normalVector, tempPath } from '@liesym/test-utils';
import { onnxModel } from '@liesym/test-utils/onnx';

const int64 = (name: string, v: number[]) => ({ name, dims: [v.length], data: v, dtype: 'int64' as const });

/** Circular 3×3 conv → tanh → GlobalAveragePool: translation-invariant on the periodic grid, not rotation-invariant. */
function pooledConv(shape: { C: number; Co: number; H: number; W: number }, seed: number) {
  const { C, Co, H, W } = shape;
  return onnxModel({
    inputs: [{ name: 'image', dims: ['N', C, H, W] }],
    outputs: [{ name: 'pooled', dims: ['N', Co, 1, 1] }],
    initializers: [
      { name: 'K', dims: [Co, C, 3, 3], data: normalVector(Co * C * 9, { seed, scale: 0.5 }) },
      { name: 'bias', dims: [Co], data: normalVector(Co, { seed: seed + 1, scale: 0.1 }) },
      int64('s_last', [-1]), int64('e_end', [2 ** 31]), int64('s0', [0]), int64('e1', [1]), int64('ax2', [2]), int64('ax3', [3]),
    ],
    nodes: [
      { op: 'Slice', inputs: ['image', 's_last', 'e_end', 'ax2'], outputs: ['top'] },
      { op: 'Slice', inputs: ['image', 's0', 'e1', 'ax2'], outputs: ['bottom'] },
      { op: 'Concat', inputs: ['top', 'image', 'bottom'], outputs: ['rows'], attrs: { axis: 2 } },
      { op: 'Slice', inputs: ['rows', 's_last', 'e_end', 'ax3'], outputs: ['left'] },
      { op: 'Slice', inputs: ['rows', 's0', 'e1', 'ax3'], outputs: ['right'] },
      { op: 'Concat', inputs: ['left', 'rows', 'right'], outputs: ['padded'], attrs: { axis: 3 } },
      { op: 'Conv', inputs: ['padded', 'K', 'bias'], outputs: ['conv'], attrs: { kernel_shape: [3, 3] } },
      { op: 'Tanh', inputs: ['conv'], outputs: ['act'] },
      { op: 'GlobalAveragePool', inputs: ['act'], outputs: ['pooled'] },
    ],
  });
}

const N = 32;
/** S periodic images [3, N, N] of frequencies ≤ 2 (seeded). */
function smooth(S: number): Matrix {
  const c = normalVector(S * 3 * 25 * 2, { seed: 9 });
  const X = new Matrix(S, 3 * N * N);
  let q = 0;
  for (let s = 0; s < S; s++) {
    for (let ch = 0; ch < 3; ch++) {
      for (let k = -2; k <= 2; k++) {
        for (let l = -2; l <= 2; l++) {
          const [a, b] = [c[q++]!, c[q++]!];
          for (let p = 0; p < N * N; p++) {
            const phase = (2 * Math.PI * (k * Math.floor(p / N) + l * (p % N))) / N;
            X.data[s * 3 * N * N + ch * N * N + p]! += (a * Math.cos(phase) + b * Math.sin(phase)) / 5;
          }
        }
      }
    }
  }
  return X;
}

describe('analyzeTransforms on ONNX models', () => {
  it('GlobalAveragePool of a circular conv: translation error far below rotation error', async () => {
    const model = await loadModel(pooledConv({ C: 3, Co: 4, H: N, W: N }, 5).writeTo(tempPath('pooled.onnx')));
    try {
      // Discrete derivatives obey the chain rule through tanh only for well-resolved images: periodic, low frequencies.
      const r = await analyzeTransforms(model, { transforms: 'image', samples: smooth(8), derivative: 'spectral' });
      const by = (n: string) => r.transforms.find((t) => t.name === n)!;
      expect(r.transforms.map((t) => t.name)).toEqual(['translation-x', 'translation-y', 'rotation', 'scaling', 'shear-x', 'shear-y', 'hyperbolic-rotation', 'brightness', 'contrast', 'saturation']);
      expect(r.output).toBe('pooled');
      expect(r.layout).toBe('NCHW');
      expect(r.sampleCount).toBe(8);
      expect(r.tolerance).toBe(1e-2);
      expect(by('translation-x').verdict).toBe('holds');
      expect(by('translation-y').verdict).toBe('holds');
      expect(by('rotation').verdict).toBe('broken');
      expect(Math.max(by('translation-x').error, by('translation-y').error)).toBeLessThan(0.5 * by('rotation').error);
      expect(by('rotation').unit).toBe('degree');
      expect(r.runs).toBeGreaterThan(0);
      // Same numbers under the same seed; the default (non-periodic) derivative sees the border.
      const seeded = await analyzeTransforms(model, { transforms: 'image', samples: 4, seed: 1 });
      const again = await analyzeTransforms(model, { transforms: 'image', samples: 4, seed: 1 });
      expect(again.transforms.map((t) => t.error)).toEqual(seeded.transforms.map((t) => t.error));
      const border = await analyzeTransforms(model, { transforms: ['translation-x', 'rotation'], samples: 8, seed: 1 });
      expect(border.spatialDerivative).toBe('border');
      expect(border.transforms.map((t) => t.name)).toEqual(['translation-x', 'rotation']);
    } finally {
      await model.close();
    }
  });

  it('takes real samples as a matrix, NHWC inputs, signals, and refuses a mismatch', async () => {
    const T = 12;
    const sig = await loadModel(
      onnxModel({ inputs: [{ name: 's', dims: ['N', T] }], outputs: [{ name: 'y', dims: ['N', T] }], nodes: [{ op: 'Neg', inputs: ['s'], outputs: ['y'] }] }).writeTo(tempPath('neg.onnx')),
    );
    const nhwc = await loadModel(
      onnxModel({ inputs: [{ name: 'x', dims: ['N', 6, 8, 3] }], outputs: [{ name: 'y', dims: ['N', 6, 8, 3] }], nodes: [{ op: 'Neg', inputs: ['x'], outputs: ['y'] }] }).writeTo(tempPath('neg-nhwc.onnx')),
    );
    try {
      const xs = new Matrix(2, T, Float64Array.from({ length: 2 * T }, (_, i) => Math.sin(i)));
      const r = await analyzeTransforms(sig, { transforms: 'signal', samples: xs });
      // −x commutes with shifts, time scaling and gain on a signal output: equivariant.
      for (const t of r.transforms) expect(t.error).toBeLessThan(1e-3);
      expect(r.kind).toBe('signal');
      const image = await analyzeTransforms(nhwc, { transforms: 'image', samples: 2, seed: 3 });
      expect(image.layout).toBe('NHWC');
      // −x commutes with every geometric transform and with contrast and saturation. Brightness flips sign:
      // g_t⁻¹·F(g_t·x) = −(x + t·c) − t·c with c = 0.01 (a percent of the default range 1) at each of the
      // 6·8·3 = 144 entries, so the change per percent is ‖−2c‖ = 0.02·√144 = 0.24, broken.
      for (const t of image.transforms) if (t.name !== 'brightness') expect(t.error).toBeLessThan(1e-3);
      const brightness = image.transforms.find((t) => t.name === 'brightness')!;
      expect(brightness.perUnit).toBeCloseTo(0.24, 4);
      expect(brightness.verdict).toBe('broken');
      await expect(analyzeTransforms(sig, { transforms: 'image', samples: 2 })).rejects.toThrow(/image transforms need input 's'/);
      await expect(analyzeTransforms(sig, { transforms: 'colour' as 'image', samples: 2 })).rejects.toThrow(/'transforms' must be/);
      await expect(analyzeTransforms(nhwc, { transforms: ['rotation', 'gain'], samples: 2 })).rejects.toThrow(/mixes image and signal/);
    } finally {
      await sig.close();
      await nhwc.close();
    }
  });

  it('discover: (Σs)²/(T·Σs²) as a graph respects the span {time-shift, gain} (periodic differences), closed; time-scaling is outside', async () => {
    // Shift: Σ(Ds) = 0 and sᵀDs = 0 for the antisymmetric periodic D; gain: homogeneous of degree 0.
    const T = 16;
    const model = await loadModel(
      onnxModel({
        inputs: [{ name: 's', dims: ['N', T] }],
        outputs: [{ name: 'y', dims: ['N', 1] }],
        initializers: [int64('axes', [1]), { name: 'T', dims: [], data: [T] }],
        nodes: [
          { op: 'ReduceSum', inputs: ['s', 'axes'], outputs: ['a'], attrs: { keepdims: 1 } },
          { op: 'ReduceSumSquare', inputs: ['s'], outputs: ['q'], attrs: { keepdims: 1, axes: [1] } },
          { op: 'Mul', inputs: ['a', 'a'], outputs: ['a2'] },
          { op: 'Mul', inputs: ['q', 'T'], outputs: ['tq'] },
          { op: 'Div', inputs: ['a2', 'tq'], outputs: ['y'] },
        ],
      }).writeTo(tempPath('mean-ratio.onnx')),
    );
    try {
      const c = normalVector(24 * T, { seed: 4 });
      const xs = new Matrix(24, T, Float64Array.from(c, (v, e) => 1 + 0.5 * v + Math.sin((2 * Math.PI * (e % T)) / T)));
      // Time scaling per percent changes f by ≈ 4e-3 (relative), float32 rounding ≈ 1e-5: a tolerance of 1e-4 separates them.
      const r = await analyzeTransforms(model, { transforms: 'signal', samples: xs, derivative: 'central', discover: true, tolerance: 1e-4 });
      const d = r.discovery!;
      expect(d.names).toEqual(['time-shift', 'time-scaling', 'gain']);
      expect(d.threshold).toBe(1e-4);
      expect(d.dimension).toBe(2);
      expect(d.determined).toBe(true);
      for (const b of d.basis) expect(Math.abs(b['time-scaling']!)).toBeLessThan(1e-2);
      expect(d.singularValues[1]).toBeLessThan(1e-4);
      expect(d.singularValues[2]).toBeGreaterThan(1e-3);
      expect(d.closure.closed).toBe(true);
      // Without discover the report has no discovery.
      expect((await analyzeTransforms(model, { transforms: 'signal', samples: xs, derivative: 'central' })).discovery).toBeUndefined();
    } finally {
      await model.close();
    }
  });
});
