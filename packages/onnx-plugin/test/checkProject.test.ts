import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { S, SO, Scalar, V, directSum } from '@liesym/core';
import { describe, expect, it } from 'vitest';
import { OutputExistsError, analyzeLayers, checkSymmetry, findLinearLayers, loadModel, projectModel } from '../src/index.js';
import { normalVector, tempPath } from '@liesym/test-utils';
import { mlp, quadraticInvariant, randomMlp, so2Equivariant } from '@liesym/test-utils/onnx';

describe('checkSymmetry', () => {
  it('reports tiny Lie derivatives for g(|x|²) under SO(3) and large ones under a broken metric', async () => {
    const good = await loadModel(quadraticInvariant({ metric: [1, 1, 1] }).writeTo(tempPath('inv.onnx')));
    const r = await checkSymmetry(good, { group: SO(3), repIn: V(SO(3)), repOut: Scalar, samples: 64 });
    expect(r.generators).toHaveLength(3);
    expect(r.maxRelative).toBeLessThan(1e-3);
    const bad = await loadModel(quadraticInvariant({ metric: [1, 2, 1] }).writeTo(tempPath('aniso.onnx')));
    const r2 = await checkSymmetry(bad, { repIn: V(SO(3)), repOut: Scalar, samples: 64 });
    // Generators L₀₁ and L₁₂ mix the axis with weight 2; L₀₂ does not.
    expect(r2.generators[0]!.relative).toBeGreaterThan(0.1);
    expect(r2.generators[1]!.relative).toBeLessThan(1e-3);
    expect(r2.generators[2]!.relative).toBeGreaterThan(0.1);
  });

  it('checks discrete generators: O(2) reflections break an SO(2)-equivariant map with a J term', async () => {
    const { O } = await import('@liesym/core');
    const model = await loadModel(so2Equivariant().writeTo(tempPath('so2-check.onnx')));
    const r = await checkSymmetry(model, { group: O(2), repIn: V(O(2)), repOut: V(O(2)), samples: 64 });
    expect(r.generators[0]!.relative).toBeLessThan(1e-3);
    // The reflection flips J: residual ‖J x‖/‖F‖ is of order 1.
    expect(r.discrete[0]!.residual).toBeGreaterThan(0.1);
  });
});

describe('layers and projectModel', () => {
  const s3 = S(3);
  const reps = [V(s3), directSum(V(s3), V(s3)), Scalar];

  it('finds Gemm and MatMul weights as W: out×in', async () => {
    const gemm = randomMlp([3, 6, 1], { seed: 31 }).writeTo(tempPath('layers-gemm.onnx'));
    const matmul = randomMlp([3, 6, 1], { seed: 31, matmul: true }).writeTo(tempPath('layers-matmul.onnx'));
    const a = findLinearLayers((await loadModel(gemm)).proto.graph!);
    const b = findLinearLayers((await loadModel(matmul)).proto.graph!);
    expect(a.map((l) => l.W.rows)).toEqual([6, 1]);
    expect(b.map((l) => l.W.cols)).toEqual([3, 6]);
    for (let k = 0; k < 2; k++) {
      expect(a[k]!.W.sub(b[k]!.W).maxAbs()).toBeLessThan(1e-7);
      expect(Array.from(a[k]!.b!)).toEqual(Array.from(b[k]!.b!));
    }
  });

  it('removes a planted S(3) violation: residual large before, ≈ 0 after, input file untouched', async () => {
    for (const matmul of [false, true]) {
      const path = randomMlp([3, 6, 1], { seed: 41, matmul }).writeTo(tempPath(`planted-${matmul}.onnx`));
      const before = readFileSync(path);
      const model = await loadModel(path);
      const r0 = await checkSymmetry(model, { group: s3, repIn: V(s3), repOut: Scalar, samples: 64 });
      expect(r0.maxRelative).toBeGreaterThan(1e-2);
      expect(Math.max(...analyzeLayers(model.proto.graph!, { reps }).map((l) => l.max))).toBeGreaterThan(1e-2);
      const out = tempPath(`planted-${matmul}-sym.onnx`);
      const rep = await projectModel(path, out, { group: s3, reps });
      expect(rep.layers.every((l) => l.projected && l.removed > 0)).toBe(true);
      expect(readFileSync(path).equals(before)).toBe(true);
      const projected = await loadModel(out);
      const r1 = await checkSymmetry(projected, { group: s3, repIn: V(s3), repOut: Scalar, samples: 64 });
      expect(r1.maxRelative).toBeLessThan(1e-5);
      expect(Math.max(...analyzeLayers(projected.proto.graph!, { reps }).map((l) => l.max))).toBeLessThan(1e-6);
    }
  });

  it('projects a linear R³ → R³ map onto SO(3)-equivariant ones (multiples of I)', async () => {
    const W = normalVector(9, { seed: 51 });
    const path = mlp([{ W, b: [0, 0, 0], dimIn: 3, dimOut: 3 }]).writeTo(tempPath('lin3.onnx'));
    const out = tempPath('lin3-sym.onnx');
    await projectModel(path, out, { group: SO(3), reps: [V(SO(3)), V(SO(3))] });
    const m = await loadModel(out);
    const [layer] = findLinearLayers(m.proto.graph!);
    const tr = (W[0]! + W[4]! + W[8]!) / 3;
    const expected = [tr, 0, 0, 0, tr, 0, 0, 0, tr];
    Array.from(layer!.W.data).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    const r = await checkSymmetry(m, { group: SO(3), repIn: V(SO(3)), repOut: V(SO(3)), samples: 32 });
    expect(r.maxRelative).toBeLessThan(1e-4);
  });

  it('never overwrites an existing file unless force', async () => {
    const path = randomMlp([3, 6, 1], { seed: 61 }).writeTo(tempPath('force.onnx'));
    const out = tempPath('force-out.onnx');
    writeFileSync(out, 'precious');
    await expect(projectModel(path, out, { reps })).rejects.toBeInstanceOf(OutputExistsError);
    expect(readFileSync(out, 'utf8')).toBe('precious');
    await expect(projectModel(path, path, { reps })).rejects.toBeInstanceOf(OutputExistsError);
    await projectModel(path, out, { reps, force: true });
    expect(existsSync(out) && readFileSync(out).length > 100).toBe(true);
  });
});
