import { describe, expect, it } from 'vitest';
import { Matrix, Scalar, V, directSum } from '@liesym/core';
import { equivariantMLP, modelEvaluator } from '@liesym/tfjs';
import { assertEquivariant } from '@liesym/test-utils';
import { onFourVectors, zAxisRep } from '../src/neuralOde/zAxis.js';

describe('zAxisRep (bench:node enforced model)', () => {
  it('acts on the 12 coordinates as I₄ ⊗ (rotation about z) and I₄ ⊗ diag(−1, 1, 1)', () => {
    expect(zAxisRep.dim).toBe(12);
    const ez = new Matrix(3, 3, Float64Array.of(0, -1, 0, 1, 0, 0, 0, 0, 0));
    const reflection = Matrix.diag([-1, 1, 1]);
    expect(Array.from(zAxisRep.drho(0).toDense().data)).toEqual(onFourVectors(ez).flat());
    expect(Array.from(zAxisRep.rho(0).toDense().data)).toEqual(onFourVectors(reflection).flat());
  });

  it('gives an equivariantMLP that is O(2)-equivariant on the pendulum state', async () => {
    const G = zAxisRep.group!;
    const model = equivariantMLP({ repIn: zAxisRep, repOut: zAxisRep, hidden: directSum(V(G), V(G), Scalar, Scalar), activation: 'tanh', seed: 3 });
    await assertEquivariant(modelEvaluator(model), zAxisRep, zAxisRep, { dtype: 'float32', seed: 4, samples: 8 });
    model.dispose();
  });
});
