import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  Matrix,
  ShapeMismatchError,
  createRng,
  doubleSpringPendulumEnergy,
  doubleSpringPendulumEquilibrium,
  doubleSpringPendulumField,
  doubleSpringPendulumTrajectories,
} from '../src/index.js';

/** R ⊗ each of the four 3-vectors of a state (q₁, q₂, p₁, p₂). */
function rotateState(R: number[][], x: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let b = 0; b < 4; b++) for (let i = 0; i < 3; i++) out.push(R[i]!.reduce((s, r, j) => s + r * x[3 * b + j]!, 0));
  return out;
}
const aboutZ = (a: number) => [[Math.cos(a), -Math.sin(a), 0], [Math.sin(a), Math.cos(a), 0], [0, 0, 1]];
const aboutX = (a: number) => [[1, 0, 0], [0, Math.cos(a), -Math.sin(a)], [0, Math.sin(a), Math.cos(a)]];

describe('doubleSpringPendulum', () => {
  it('the hanging equilibrium is a fixed point of the field, with energy ½(2g)² + ½g² − g·(3 + 5g)', () => {
    for (const gravity of [1, 2.5]) {
      const eq = doubleSpringPendulumEquilibrium({ gravity });
      expect(Math.max(...doubleSpringPendulumField({ gravity })(eq).map(Math.abs))).toBeLessThan(1e-14);
      expect(doubleSpringPendulumEnergy(eq, { gravity })).toBeCloseTo(2.5 * gravity ** 2 - gravity * (3 + 5 * gravity), 12);
    }
  });

  it("the field is Hamilton's equations of the energy: ẋ = J∇H (central differences, 1e-7)", () => {
    const rng = createRng(3);
    const f = doubleSpringPendulumField();
    for (let t = 0; t < 5; t++) {
      const x = Array.from({ length: 12 }, () => rng.normal());
      const fx = f(x);
      const h = 1e-5;
      for (let i = 0; i < 12; i++) {
        const [a, b] = [x.slice(), x.slice()];
        a[i] = a[i]! + h;
        b[i] = b[i]! - h;
        const dH = (doubleSpringPendulumEnergy(a) - doubleSpringPendulumEnergy(b)) / (2 * h);
        // q̇ = ∂H/∂p, ṗ = −∂H/∂q
        const expected = i < 6 ? -fx[i + 6]! : fx[i - 6]!;
        expect(Math.abs(dH - expected)).toBeLessThan(1e-7 * Math.max(1, Math.abs(expected)));
      }
    }
  });

  it('trajectories are deterministic, 6 states 0.2 apart by default, and conserve energy to 1e-9 (relative)', () => {
    const a = doubleSpringPendulumTrajectories({ count: 20, seed: 7 });
    const b = doubleSpringPendulumTrajectories({ count: 20, seed: 7 });
    expect(a.trajectories).toHaveLength(20);
    expect(a.trajectories[0]!.rows).toBe(6);
    expect(a.trajectories[0]!.cols).toBe(12);
    expect(Array.from(a.trajectories[19]!.data)).toEqual(Array.from(b.trajectories[19]!.data));
    expect(Array.from(doubleSpringPendulumTrajectories({ count: 20, seed: 8 }).trajectories[0]!.data)).not.toEqual(Array.from(a.trajectories[0]!.data));
    let worst = 0;
    let moved = 0;
    for (const T of a.trajectories) {
      const row = (k: number) => T.data.subarray(12 * k, 12 * (k + 1));
      const e0 = doubleSpringPendulumEnergy(row(0));
      for (let k = 1; k < T.rows; k++) worst = Math.max(worst, Math.abs(doubleSpringPendulumEnergy(row(k)) - e0) / Math.abs(e0));
      moved = Math.max(moved, Math.hypot(...Array.from(row(5), (v, i) => v - row(0)[i]!)));
    }
    expect(worst).toBeLessThan(1e-9);
    expect(moved).toBeGreaterThan(0.1); // the states do move: energy is not trivially conserved
    // a coarse integration (one RK4 step per 0.2) conserves energy visibly worse
    const coarse = doubleSpringPendulumTrajectories({ initialStates: a.initialStates, substeps: 1 });
    let coarseWorst = 0;
    for (const T of coarse.trajectories) coarseWorst = Math.max(coarseWorst, Math.abs(doubleSpringPendulumEnergy(T.data.subarray(60)) - doubleSpringPendulumEnergy(T.data.subarray(0, 12))) / 8);
    expect(coarseWorst).toBeGreaterThan(1e3 * worst);
  });

  it('rotating the initial state about z rotates the trajectory (1e-12); about x it does not', () => {
    const { initialStates, trajectories } = doubleSpringPendulumTrajectories({ count: 4, seed: 11 });
    const rows = (M: Matrix) => Array.from({ length: M.rows }, (_, k) => M.data.subarray(12 * k, 12 * (k + 1)));
    const errorUnder = (R: number[][]) => {
      const rotated = rows(initialStates).map((x) => rotateState(R, x));
      const moved = doubleSpringPendulumTrajectories({ initialStates: rotated }).trajectories;
      let err = 0;
      let scale = 0;
      trajectories.forEach((T, t) =>
        rows(T).forEach((x, k) => {
          const want = rotateState(R, x);
          const got = moved[t]!.data.subarray(12 * k, 12 * (k + 1));
          want.forEach((w, i) => {
            err = Math.max(err, Math.abs(w - got[i]!));
            scale = Math.max(scale, Math.abs(w));
          });
        }),
      );
      return err / scale;
    };
    expect(errorUnder(aboutZ(0.7))).toBeLessThan(1e-12);
    expect(errorUnder(aboutZ(-2.1))).toBeLessThan(1e-12);
    expect(errorUnder(aboutX(0.7))).toBeGreaterThan(1e-2);
  });

  it('bad input gets typed errors naming the argument', () => {
    expect(() => doubleSpringPendulumTrajectories({ count: 0 })).toThrow(InvalidArgumentError);
    expect(() => doubleSpringPendulumTrajectories({ count: 2, dt: -1 })).toThrow(/'dt' must be a finite number > 0; received -1/);
    expect(() => doubleSpringPendulumTrajectories({ count: 2, substeps: 1.5 })).toThrow(/'substeps'/);
    expect(() => doubleSpringPendulumTrajectories({ count: 2, momentum: Number.NaN })).toThrow(/'momentum'/);
    expect(() => doubleSpringPendulumTrajectories({})).toThrow(/exactly one of 'count' and 'initialStates'; received neither/);
    expect(() => doubleSpringPendulumTrajectories({ initialStates: [[1, 2, 3]] })).toThrow(ShapeMismatchError);
    expect(() => doubleSpringPendulumField({ gravity: Number.POSITIVE_INFINITY })).toThrow(/'gravity'/);
    expect(() => doubleSpringPendulumField()([1, 2])).toThrow(ShapeMismatchError);
    expect(() => doubleSpringPendulumEnergy([1, 2])).toThrow(/doubleSpringPendulumEnergy: 'x'/);
  });
});
