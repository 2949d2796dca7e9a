/** Regressions of the move onto core's engine: refusals, candidates, identification, file safety. */
import { createHash } from 'node:crypto';
import { linkSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InsufficientDataError as CoreInsufficientDataError, Matrix, S, SO, V } from '@liesym/core';
import { describe, expect, it } from 'vitest';
import { InsufficientDataError, OutputExistsError, analyzeLayers, discoverSymmetries, loadModel, projectModel } from '../src/index.js';
import { tempPath } from '@liesym/test-utils';
import { mlp, onnxModel, quadraticInvariant, randomMlp } from '@liesym/test-utils/onnx';

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('discoverSymmetries through core', () => {
  it('refuses too few samples with a typed InsufficientDataError before running the model', async () => {
    const model = await loadModel(quadraticInvariant({ metric: [1, 1, 1] }).writeTo(tempPath('thin.onnx')));
    const runs = model.stats.runs;
    // gl-input on R³ has 9 generators; 8 samples × 1 output = 8 rows leave a nullspace whatever the model.
    const thin = discoverSymmetries(model, { candidate: 'gl-input', samples: 8 });
    await expect(thin).rejects.toBeInstanceOf(InsufficientDataError);
    await expect(thin).rejects.toBeInstanceOf(CoreInsufficientDataError);
    await expect(thin).rejects.toMatchObject({ code: 'INSUFFICIENT_DATA' });
    await expect(thin).rejects.toThrow(/8 samples × 1 outputs = 8 rows for 9 generators/);
    expect(model.stats.runs).toBe(runs);
    const enough = await discoverSymmetries(model, { candidate: 'gl-input', samples: 9, seed: 1 });
    expect(enough.sampleCount).toBe(9);
    // Nine rows are enough to refuse nothing, not enough to cross-check on half of them.
    expect(enough.determined).toBe(false);
  });

  it('recognizes a candidate made only of symmetries: the so(3) pairs on a radial model give 3', async () => {
    const model = await loadModel(quadraticInvariant({ metric: [1, 1, 1] }).writeTo(tempPath('all-sym.onnx')));
    const zero = [[0]];
    const L = (i: number, j: number): number[][] => [0, 1, 2].map((r) => [0, 1, 2].map((c) => (r === i && c === j ? 1 : r === j && c === i ? -1 : 0)));
    const r = await discoverSymmetries(model, { candidate: [[L(0, 1), zero], [L(0, 2), zero], [L(1, 2), zero]], samples: 32, seed: 2 });
    expect(r.dimension).toBe(3);
    expect(r.identification).toBe('so(3)');
    // Every σ is rounding and differencing noise, below the floor set by the terms' size.
    expect(r.singularValues[2]!).toBeLessThanOrEqual(r.threshold);
    expect(r.threshold).toBeGreaterThan(0);
    expect(r.evaluations).toBeGreaterThan(32);
    expect(r.runs).toBe(1);
  });

  it('names the algebra found by the image candidate: Σ u² keeps the translations and the rotation', async () => {
    const path = onnxModel({
      inputs: [{ name: 'image', dims: ['N', 1, 8, 8] }],
      outputs: [{ name: 'energy', dims: ['N'] }],
      initializers: [{ name: 'axes', dims: [3], data: [1, 2, 3], dtype: 'int64' }],
      nodes: [
        { op: 'Mul', inputs: ['image', 'image'], outputs: ['u2'] },
        { op: 'ReduceSum', inputs: ['u2', 'axes'], outputs: ['energy'], attrs: { keepdims: 0 } },
      ],
    }).writeTo(tempPath('energy.onnx'));
    const model = await loadModel(path);
    const r = await discoverSymmetries(model, { candidate: 'image', samples: 12, seed: 3 });
    expect(r.names).toEqual(['translation-x', 'translation-y', 'rotation', 'scaling', 'channel-in[0,0]']);
    expect(r.dimension).toBe(3);
    expect(r.identification).toBe('translation-x + translation-y + rotation');
    expect(r.singularValues[2]! / r.singularValues[3]!).toBeLessThan(1e-3);
  });
});

describe('analyzeLayers through core', () => {
  it('checks the bias under discrete generators too: an S(3)-equivariant W with a non-invariant bias', async () => {
    const path = mlp([{ W: [1, 0, 0, 0, 1, 0, 0, 0, 1], b: [1, 2, 3], dimIn: 3, dimOut: 3 }]).writeTo(tempPath('bias-s3.onnx'));
    const [layer] = analyzeLayers((await loadModel(path)).proto.graph!, { reps: [V(S(3)), V(S(3))] });
    expect(layer!.discrete).toEqual([0, 0]);
    // S(3) has no Lie algebra; h₁ = (0 1) moves b by [1, −1, 0], h₂ = (0 1 2) by ±[1, 1, −2]; ‖b‖ = √14.
    expect(layer!.bias![0]!).toBeCloseTo(Math.sqrt(2 / 14), 6);
    expect(layer!.bias![1]!).toBeCloseTo(Math.sqrt(6 / 14), 6);
    expect(layer!.verdict).toBe('broken');
    expect(layer!.tolerance).toBe(1e-4);
  });

  it('holds for the SO(3)-equivariant identity layer', async () => {
    const path = mlp([{ W: Array.from(Matrix.identity(3).data), b: [0, 0, 0], dimIn: 3, dimOut: 3 }]).writeTo(tempPath('id-so3.onnx'));
    const [layer] = analyzeLayers((await loadModel(path)).proto.graph!, { reps: [V(SO(3)), V(SO(3))] });
    expect(layer!.lieDerivatives).toEqual([0, 0, 0]);
    expect([layer!.max, layer!.verdict]).toEqual([0, 'holds']);
  });
});

describe('projectModel never loses, truncates or overwrites a user file', () => {
  const reps = [V(S(3)), V(S(3)), V(S(3))];
  const twoLayer = (name: string): string => randomMlp([3, 3, 3], { seed: 71 }).writeTo(tempPath(name));

  it('refuses to write onto its input, even with force, by path, symlink or hard link; the input is unchanged', async () => {
    const path = twoLayer('input.onnx');
    const before = sha256(path);
    const link = tempPath('input-symlink.onnx');
    const hard = tempPath('input-hardlink.onnx');
    symlinkSync(path, link);
    linkSync(path, hard);
    const spellings = [path, join(dirname(path), '.', basename(path)), link, hard];
    for (const out of spellings) {
      for (const force of [false, true]) {
        await expect(projectModel(path, out, { reps, force })).rejects.toBeInstanceOf(OutputExistsError);
      }
    }
    await expect(projectModel(link, path, { reps, force: true })).rejects.toThrow(/never writes onto its input/);
    expect(sha256(path)).toBe(before);
  });

  it('refuses an existing output without force, replaces it whole with force, and leaves no temporary file', async () => {
    const path = twoLayer('src.onnx');
    const out = tempPath('existing-out.onnx');
    writeFileSync(out, 'precious');
    await expect(projectModel(path, out, { reps })).rejects.toBeInstanceOf(OutputExistsError);
    expect(readFileSync(out, 'utf8')).toBe('precious');
    const r = await projectModel(path, out, { reps, force: true });
    expect(r.layers.map((l) => l.projected)).toEqual([true, true]);
    const written = await loadModel(out);
    expect(Math.max(...analyzeLayers(written.proto.graph!, { reps }).map((l) => l.max))).toBeLessThan(1e-6);
    expect(readdirSync(dirname(out)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
