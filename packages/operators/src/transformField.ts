import { InvalidArgumentError } from '@liesym/core';
import { Field, assertField } from './Grid.js';
import { interpolate } from './spectral.js';

/**
 * A transformation of fields: `{ kind: 'd4', element }` permutes grid points exactly
 * (element 0–3: rotation by element·90°; 4–7: the same after the reflection y ↦ −y);
 * `{ kind: 'rotation', angle }` rotates about the box centre by trigonometric interpolation;
 * `{ kind: 'shift', offset }` translates by any offset (interpolation).
 */
export type GridTransform =
  | { kind: 'd4'; element: number }
  | { kind: 'rotation'; angle: number }
  | { kind: 'shift'; offset: readonly number[] };

/**
 * (g·u)(x) = ρ(g)·u(g⁻¹x): moves a field by a rotation/reflection/shift, with the value
 * representation ('vector': channels are (x, y) pairs rotated by g; default 'scalar').
 * The D4 elements are exact permutations on square grids; rotations by other angles and
 * fractional shifts are exact for band-limited fields and otherwise approximate.
 * @throws InvalidArgumentError for non-square D4 grids, odd vector channels or a bad transform
 * @example const v = transformField(u, { kind: 'd4', element: 1 }); // u rotated by 90°
 */
export function transformField(u: Field, g: GridTransform, options: { value?: 'scalar' | 'vector' } = {}): Field {
  const fn = 'transformField';
  assertField(u, { fn, arg: 'u' });
  const { grid, channels: c } = u;
  const value = options.value ?? 'scalar';
  if (value === 'vector' && (grid.dims !== 2 || c % 2 !== 0)) throw new InvalidArgumentError(`${fn}: vector values need a 2-D grid and an even channel count; received ${grid.dims}-D, ${c} channels`);
  let M: number[][];
  let out: Float64Array;
  if (g?.kind === 'd4') {
    const e = g.element;
    if (!Number.isInteger(e) || e < 0 || e > 7) throw new InvalidArgumentError(`${fn}: D4 'element' must be an integer 0–7; received ${e}`);
    if (grid.dims !== 2 || grid.size[0] !== grid.size[1] || grid.length[0] !== grid.length[1]) throw new InvalidArgumentError(`${fn}: D4 needs a square 2-D grid; received ${grid.toString()}`);
    M = [[1, 0], [0, 1]];
    for (let r = 0; r < e % 4; r++) M = [[-M[1]![0]!, -M[1]![1]!], [M[0]![0]!, M[0]![1]!]];
    if (e >= 4) M = M.map((row) => row.map((v, j) => v * (j === 1 ? -1 : 1)));
    const n = grid.size[0]!;
    out = new Float64Array(u.data.length);
    // g⁻¹ = gᵀ; index i ↦ i − n/2 is the coordinate in units of h (the grid is symmetric mod n).
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const [a, b] = [i - n / 2, j - n / 2];
        const si = (((M[0]![0]! * a + M[1]![0]! * b + n / 2) % n) + n) % n;
        const sj = (((M[0]![1]! * a + M[1]![1]! * b + n / 2) % n) + n) % n;
        for (let k = 0; k < c; k++) out[(i * n + j) * c + k] = u.data[(si * n + sj) * c + k]!;
      }
    }
  } else if (g?.kind === 'rotation' || g?.kind === 'shift') {
    if (g.kind === 'rotation' && (grid.dims !== 2 || !Number.isFinite(g.angle))) throw new InvalidArgumentError(`${fn}: a rotation needs a 2-D grid and a finite angle; received ${grid.dims}-D, angle ${g.angle}`);
    if (g.kind === 'shift' && (!Array.isArray(g.offset) || g.offset.length !== grid.dims)) throw new InvalidArgumentError(`${fn}: 'offset' must hold ${grid.dims} numbers; received ${JSON.stringify(g.offset)}`);
    const cs = g.kind === 'rotation' ? Math.cos(g.angle) : 1;
    const sn = g.kind === 'rotation' ? Math.sin(g.angle) : 0;
    M = [[cs, -sn], [sn, cs]];
    const pts = Array.from({ length: grid.points }, (_, p) => {
      const x = grid.coordinate(p);
      if (g.kind === 'shift') return x.map((v, a) => v - g.offset[a]!);
      return [cs * x[0]! + sn * x[1]!, -sn * x[0]! + cs * x[1]!];
    });
    out = interpolate(u, pts);
  } else {
    throw new InvalidArgumentError(`${fn}: 'g' must be { kind: 'd4' | 'rotation' | 'shift', … }; received ${JSON.stringify(g)}`);
  }
  // Vector values: each (x, y) pair is moved by g too, ρ(g) = M.
  for (let e = 0; value === 'vector' && e < out.length; e += 2) {
    const [a, b] = [out[e]!, out[e + 1]!];
    [out[e], out[e + 1]] = [M[0]![0]! * a + M[0]![1]! * b, M[1]![0]! * a + M[1]![1]! * b];
  }
  return new Field(grid, c, out);
}
