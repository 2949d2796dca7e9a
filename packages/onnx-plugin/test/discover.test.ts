import { describe, expect, it } from 'vitest';
import { discoverSymmetries, loadModel } from '../src/index.js';
import { normalVector, tempPath } from '@liesym/test-utils';
import { circularConv, onnxModel, quadraticInvariant, randomMlp, so2Equivariant } from '@liesym/test-utils/onnx';

describe('discoverSymmetries on ONNX models', () => {
  it('finds so(3) for g(|x|²) on R³ with gl-input', async () => {
    const model = await loadModel(quadraticInvariant({ metric: [1, 1, 1] }).writeTo(tempPath('radial.onnx')));
    const r = await discoverSymmetries(model, { candidate: 'gl-input', samples: 64, seed: 1 });
    expect(r.dimension).toBe(3);
    expect(r.identification).toBe('so(3)');
    expect(r.closureResidual).toBeLessThan(1e-2);
  });

  it('finds so(1,3) (dimension 6) for a Lorentz invariant', async () => {
    const model = await loadModel(quadraticInvariant({ metric: [1, -1, -1, -1] }).writeTo(tempPath('lorentz.onnx')));
    const r = await discoverSymmetries(model, { candidate: 'gl-input', samples: 96, seed: 2 });
    expect(r.dimension).toBe(6);
    expect(r.identification).toBe('so(1,3)');
  });

  it('finds so(1,3) at float64 precision for a float64 model', async () => {
    const model = await loadModel(quadraticInvariant({ metric: [1, -1, -1, -1], dtype: 'float64' }).writeTo(tempPath('lorentz64.onnx')));
    expect(model.dtype).toBe('float64');
    const r = await discoverSymmetries(model, { candidate: 'gl-input', samples: 64, seed: 2, richardson: true });
    expect(r.dimension).toBe(6);
    expect(r.singularValues[5]! / r.singularValues[15]!).toBeLessThan(1e-8);
  });

  it('finds the time shift of a circular filter with the signal candidate', async () => {
    const T = 16;
    const taps = normalVector(3, { seed: 21 });
    // y = C·x with C circulant: C[t][s] = taps[(s − t + 1) mod T] for the three taps around t.
    const C = new Array<number>(T * T).fill(0);
    for (let t = 0; t < T; t++) for (let k = 0; k < 3; k++) C[t * T + ((t + k - 1 + T) % T)] = taps[k]!;
    const Ct = Array.from({ length: T * T }, (_, i) => C[(i % T) * T + Math.floor(i / T)]!);
    const path = onnxModel({
      inputs: [{ name: 'signal', dims: ['N', T] }],
      outputs: [{ name: 'y', dims: ['N', T] }],
      initializers: [{ name: 'Ct', dims: [T, T], data: Ct }],
      nodes: [{ op: 'MatMul', inputs: ['signal', 'Ct'], outputs: ['y'] }],
    }).writeTo(tempPath('filter.onnx'));
    const model = await loadModel(path);
    const r = await discoverSymmetries(model, { candidate: 'signal', samples: 16, seed: 6 });
    // Time shift, and amplitude-in + amplitude-out (the filter is linear).
    expect(r.dimension).toBe(2);
    expect(r.identification).toBe('time-shift');
  });

  it('finds the rotation for an SO(2)-equivariant map with gl-lift', async () => {
    const model = await loadModel(so2Equivariant().writeTo(tempPath('so2.onnx')));
    const r = await discoverSymmetries(model, { candidate: 'gl-lift', samples: 64, seed: 3 });
    expect(r.dimension).toBe(1);
    expect(r.identification).toBe('so(2) (lifted to the output)');
  });

  it('finds nothing for a random MLP', async () => {
    const model = await loadModel(randomMlp([3, 8, 2], { seed: 7 }).writeTo(tempPath('mlp.onnx')));
    const r = await discoverSymmetries(model, { candidate: 'gl-input', samples: 64, seed: 4 });
    expect(r.dimension).toBe(0);
    expect(r.singularValues[0]! / r.singularValues[r.singularValues.length - 1]!).toBeGreaterThan(1e-2);
  });

  it('finds the two translations of a circular convolution with the image candidate, at the default rtol', async () => {
    const model = await loadModel(circularConv({ C: 2, Co: 2, H: 8, W: 8 }, { seed: 11 }).writeTo(tempPath('circ.onnx')));
    // Regression: the threshold floor rtol·s once took the term size s from ‖DF‖_F·‖t‖, about 11×
    // the actual ‖DF·t‖ of this 128 → 128 map, and swallowed the bias-broken joint channel scaling
    // (σ₃ ≈ 0.28, a 2% violation) at the default rtol; core now uses the RMS gain ‖DF‖_F/√n.
    const r = await discoverSymmetries(model, { candidate: 'image', samples: 16, seed: 5 });
    expect(r.dimension).toBe(2);
    expect(r.identification).toBe('translation-x + translation-y');
    // The conv bias breaks the joint channel scaling, the third smallest σ shows it.
    expect(r.singularValues[1]! / r.singularValues[2]!).toBeLessThan(1e-2);
    expect(r.threshold).toBeLessThan(r.singularValues[2]! / 2);
  });
});
