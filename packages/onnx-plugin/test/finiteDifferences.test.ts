import { describe, expect, it } from 'vitest';
import { directionalDerivatives, discoverSymmetries, jacobians, loadModel } from '../src/index.js';
import { normalVector, tempPath } from '@liesym/test-utils';
import { onnxModel, quadraticInvariant } from '@liesym/test-utils/onnx';

describe('finite-difference Lie derivatives', () => {
  it('match the analytic Jacobian; Richardson is more accurate (float64 model)', async () => {
    const eta = [1, -2, 0.5];
    const model = await loadModel(quadraticInvariant({ metric: eta, dtype: 'float64' }).writeTo(tempPath('fd64.onnx')));
    const xs = Float64Array.from(normalVector(3 * 8, { seed: 9 }));
    const exact = (s: number): number[] => {
      const x = Array.from(xs.subarray(s * 3, s * 3 + 3));
      const q = 0.3 * x.reduce((a, v, i) => a + eta[i]! * v * v, 0);
      const d = 1 - Math.tanh(q) ** 2;
      return x.map((v, i) => d * 0.6 * eta[i]! * v);
    };
    const err = async (options: { richardson: boolean }): Promise<number> => {
      const { jacobians: J } = await jacobians(model, xs, 8, options);
      let worst = 0;
      for (let s = 0; s < 8; s++) exact(s).forEach((v, i) => (worst = Math.max(worst, Math.abs(J[s]![i]! - v))));
      return worst;
    };
    const plain = await err({ richardson: false });
    const rich = await err({ richardson: true });
    expect(plain).toBeLessThan(1e-8);
    expect(rich).toBeLessThan(plain);
    expect(rich).toBeLessThan(1e-10);
  });

  it('returns zero for zero directions without evaluating them', async () => {
    const model = await loadModel(quadraticInvariant({ metric: [1, 1] }).writeTo(tempPath('fdzero.onnx')));
    const before = model.stats.points;
    const r = await directionalDerivatives(model, new Float64Array([1, 2]), 1, [{ point: 0, v: new Float64Array(2) }]);
    expect(Array.from(r.derivatives[0]!)).toEqual([0]);
    expect(model.stats.points - before).toBe(1);
  });

  it('gl-input-output on a linear map y = W·x (W 2×3) finds the n² + m² − m·n = 7 pairs with W·A = B·W', async () => {
    const W = normalVector(6, { seed: 13 });
    const Wt = [W[0]!, W[3]!, W[1]!, W[4]!, W[2]!, W[5]!];
    const path = onnxModel({
      inputs: [{ name: 'x', dims: ['N', 3] }],
      outputs: [{ name: 'y', dims: ['N', 2] }],
      initializers: [{ name: 'Wt', dims: [3, 2], data: Wt }],
      nodes: [{ op: 'MatMul', inputs: ['x', 'Wt'], outputs: ['y'] }],
    }).writeTo(tempPath('linear23.onnx'));
    const r = await discoverSymmetries(await loadModel(path), { candidate: 'gl-input-output', samples: 32, seed: 2 });
    expect(r.dimension).toBe(7);
    expect(r.closureResidual).toBeLessThan(1e-2);
  });
});
