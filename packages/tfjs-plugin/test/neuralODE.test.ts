import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Matrix, NonFiniteError, SO, ShapeMismatchError, UnsupportedModelError, doubleSpringPendulumTrajectories, expm } from '@liesym/core';
import { functionSymmetryPenalty, integrateRK4, neuralODELoss, trainNeuralODE } from '../src/index.js';
import { BACKENDS, maxRelDiff, randn, useBackend } from './helpers.js';

// a damped rotation with a drift: eigenvalues −0.2 ± i and −0.5
const A = [
  [-0.2, -1, 0.1],
  [1, -0.2, 0],
  [0, 0.3, -0.5],
];
const linearField = (x: tf.Tensor2D): tf.Tensor2D => tf.matMul(x, tf.tensor2d(A), false, true) as tf.Tensor2D;

/** x0·exp(A t)ᵀ for t = 0, dt, …, steps·dt, as one array [steps + 1, batch, 3]. */
function exact(x0: number[][], dt: number, steps: number): Float64Array {
  const out: number[] = [];
  for (let k = 0; k <= steps; k++) {
    const E = expm(new Matrix(3, 3, Float64Array.from(A.flat(), (a) => a * k * dt)));
    for (const x of x0) for (let i = 0; i < 3; i++) out.push(x.reduce((s, v, j) => s + E.get(i, j) * v, 0));
  }
  return Float64Array.from(out);
}

function tanhField(d: number, hidden: number, seed: number): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: hidden, inputShape: [d], activation: 'tanh', kernelInitializer: tf.initializers.glorotNormal({ seed }) }),
      tf.layers.dense({ units: d, kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }) }),
    ],
  });
}

describe.each(BACKENDS)('integrateRK4 on %s', (backend) => {
  it('on a linear field it matches the matrix exponential (2e-6) with fourth-order convergence in substeps', async () => {
    await useBackend(backend);
    const x0 = randn(4, 3, 5);
    const errorWith = (dt: number, steps: number, substeps: number) => {
      const traj = integrateRK4(linearField, x0, { dt, steps, substeps });
      expect(traj.shape).toEqual([steps + 1, 4, 3]);
      const e = maxRelDiff(traj.dataSync(), exact(x0, dt, steps));
      traj.dispose();
      return e;
    };
    expect(errorWith(0.2, 5, 8)).toBeLessThan(2e-6);
    const [coarse, fine] = [errorWith(0.5, 4, 1), errorWith(0.5, 4, 2)];
    expect(coarse).toBeGreaterThan(1e-4);
    expect(coarse / fine).toBeGreaterThan(12); // 2⁴ = 16 for a fourth-order method
    expect(coarse / fine).toBeLessThan(20);
    // a dense layer with kernel Aᵀ is the same field
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [3], useBias: false, weights: [tf.tensor2d(A).transpose()] })] });
    const a = integrateRK4(model, x0, { dt: 0.2, steps: 5, substeps: 8 });
    const b = integrateRK4(linearField, tf.tensor2d(x0), { dt: 0.2, steps: 5, substeps: 8 });
    expect(maxRelDiff(a.dataSync(), b.dataSync())).toBeLessThan(1e-6);
    tf.dispose([a, b]);
  });

  it('the gradient of the trajectory loss matches central finite differences (2e-2 relative)', async () => {
    await useBackend(backend);
    const model = tanhField(3, 6, 11);
    const x0 = randn(5, 3, 2);
    const observed = integrateRK4(linearField, x0, { dt: 0.25, steps: 3 });
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { grads } = tf.variableGrads(() => neuralODELoss(model, observed, { dt: 0.25, substeps: 2 }), vars);
    const W = model.getWeights().map((w) => Float64Array.from(w.dataSync()));
    const dirs = W.map((w, i) => randn(1, w.length, 30 + i)[0]!);
    const analytic = vars.reduce((s, v, i) => s + (grads[v.name]!.dataSync() as Float32Array).reduce((t: number, g: number, j: number) => t + g * dirs[i]![j]!, 0), 0);
    const valueAt = (t: number) => {
      model.setWeights(W.map((w, i) => tf.tensor(Float32Array.from(w, (v, j) => v + t * dirs[i]![j]!), model.getWeights()[i]!.shape)));
      return tf.tidy(() => neuralODELoss(model, observed, { dt: 0.25, substeps: 2 }).dataSync()[0]!);
    };
    const eps = 1e-2;
    const fd = (valueAt(eps) - valueAt(-eps)) / (2 * eps);
    expect(Math.abs(analytic)).toBeGreaterThan(1e-2);
    expect(Math.abs(fd - analytic)).toBeLessThan(2e-2 * Math.abs(analytic)); // measured 6e-3 (float32 differences with eps = 1e-2)
    tf.dispose([observed, ...Object.values(grads)]);
  });
});

describe('trainNeuralODE (wasm)', () => {
  const data = doubleSpringPendulumTrajectories({ count: 8, seed: 3, steps: 5, dt: 0.2 });
  // centred states: the field network sees O(1) inputs (the hanging equilibrium sits at z = −3, −5)
  const shift = (ms: Matrix[]) => ms.map((M) => new Matrix(M.rows, 12, M.data.map((v, i) => (i % 12 === 2 ? v + 3 : i % 12 === 5 ? v + 5 : v))));

  it('a small MLP field on double-spring-pendulum trajectories: the trajectory loss falls ≥ 200× in 100 epochs (measured 465×), deterministically', async () => {
    await useBackend('wasm');
    const train = shift(data.trajectories);
    const run = async (epochs: number) => {
      const model = tanhField(12, 32, 7);
      const h = await trainNeuralODE(model, train, { dt: 0.2, epochs, learningRate: 1e-2, batchSize: 4, seed: 1 });
      model.dispose();
      return h;
    };
    const h = await run(100);
    expect(h.loss).toHaveLength(100);
    expect(h.penalty.every((p) => p === 0)).toBe(true);
    expect(h.trajectoryLoss[0]! / h.trajectoryLoss[99]!).toBeGreaterThan(200);
    const [a, b] = [await run(5), await run(5)];
    expect(a.trajectoryLoss).toEqual(b.trajectoryLoss);
    expect(a.trajectoryLoss).toEqual(h.trajectoryLoss.slice(0, 5));
  });

  it("adds a function-level penalty over so(3) on the four 3-vectors (core's nuclear norm), and the model's own losses", async () => {
    await useBackend('wasm');
    const train = shift(data.trajectories);
    const eye4 = (E: Matrix) => Array.from({ length: 12 }, (_, r) => Array.from({ length: 12 }, (_, c) => (Math.floor(r / 3) === Math.floor(c / 3) ? E.get(r % 3, c % 3) : 0)));
    const candidate = SO(3).lieAlgebra.map((E) => [eye4(E), eye4(E)] as const);
    const states = train.flatMap((M) => Array.from({ length: M.rows }, (_, k) => Array.from(M.data.subarray(12 * k, 12 * (k + 1)))));
    const model = tanhField(12, 16, 9);
    const penalty = functionSymmetryPenalty(model, { samples: states, batchSize: 16, candidate, weight: 1e-2 });
    const h = await trainNeuralODE(model, train, { dt: 0.2, epochs: 20, learningRate: 1e-2, penalty });
    expect(penalty.lastSingularValues).toHaveLength(3);
    expect(h.penalty[0]!).toBeGreaterThan(0);
    expect(h.loss.every((l, i) => Math.abs(l - h.trajectoryLoss[i]! - h.penalty[i]!) < 1e-6 * l)).toBe(true);
    expect(h.loss[19]!).toBeLessThan(h.loss[0]!);
    // the same penalty as a model loss (penalty.addTo) counts the same way
    penalty.addTo(model);
    const h2 = await trainNeuralODE(model, train, { dt: 0.2, epochs: 1 });
    expect(h2.penalty[0]!).toBeGreaterThan(0);
    penalty.dispose();
    model.dispose();
  });

  it('bad input gets typed errors naming the function and the argument', async () => {
    await useBackend('wasm');
    const model = tanhField(3, 4, 1);
    const traj = [[[0, 0, 1], [0, 1, 0]]];
    expect(() => integrateRK4(model, [[1, 2, 3]], { dt: 0, steps: 2 })).toThrow(/integrateRK4: 'dt' must be a finite number > 0; received 0/);
    expect(() => integrateRK4(model, [[1, 2, 3]], { dt: 0.1, steps: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => integrateRK4(model, [[1, 2, 3]], { dt: 0.1, steps: 2, substeps: 0 })).toThrow(/'substeps'/);
    expect(() => integrateRK4(model, [[1, 2]], { dt: 0.1, steps: 2 })).toThrow(ShapeMismatchError);
    expect(() => integrateRK4(model, [[1, Number.NaN, 3]], { dt: 0.1, steps: 2 })).toThrow(NonFiniteError);
    expect(() => integrateRK4((x) => tf.sum(x, 1, true) as tf.Tensor2D, [[1, 2, 3]], { dt: 0.1, steps: 2 })).toThrow(/'field' must return a tensor of its input's shape \[1, 3\]; returned shape \[1, 1\]/);
    expect(() => integrateRK4(tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] }), [[1, 2, 3]], { dt: 0.1, steps: 1 })).toThrow(UnsupportedModelError);
    expect(() => integrateRK4('f' as never, [[1, 2, 3]], { dt: 0.1, steps: 1 })).toThrow(/'field' must be a tf.LayersModel or a function/);
    expect(() => neuralODELoss(model, [[[0, 0, 1]]], { dt: 0.1 })).toThrow(/at least 2 states per trajectory/);
    expect(() => neuralODELoss(model, [[[0, 0, 1, 4], [0, 1, 0, 4]]], { dt: 0.1 })).toThrow(/must have 3 coordinates/);
    expect(() => neuralODELoss(model, [[[0, 0], [0, 1, 0]]], { dt: 0.1 })).toThrow(ShapeMismatchError);
    expect(() => neuralODELoss(model, tf.zeros([2, 3]) as never, { dt: 0.1 })).toThrow(/3-D tensor/);
    await expect(trainNeuralODE(model, traj, { dt: 0.1, epochs: 0 })).rejects.toThrow(/trainNeuralODE: 'epochs' must be an integer ≥ 1; received 0/);
    await expect(trainNeuralODE(model, traj, { dt: 0.1, learningRate: -1 })).rejects.toThrow(/'learningRate'/);
    await expect(trainNeuralODE(model, traj, { dt: 0.1, batchSize: 0 })).rejects.toThrow(/'batchSize'/);
    await expect(trainNeuralODE(model, traj, { dt: 0.1, penalty: {} as never })).rejects.toThrow(/'penalty' must be an object with loss\(\)/);
    await expect(trainNeuralODE(linearField as never, traj, { dt: 0.1 })).rejects.toThrow(/'model' must be a tf.LayersModel/);
    model.dispose();
  });
});
