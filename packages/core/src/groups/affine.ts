import { Matrix } from '../linalg/Matrix.js';
import { Group, checkN, unit } from './Group.js';

/**
 * Translations of Rⁿ in homogeneous coordinates: acts on R^(n+1) as [[I, t], [0, 1]];
 * generators E_{i,n} (i < n). `d` is n + 1.
 */
export function T(n: number): Group {
  checkN('T', n);
  const d = n + 1;
  const lie: Matrix[] = [];
  for (let i = 0; i < n; i++) lie.push(unit(d, i, n));
  return new Group({ name: `T(${n})`, d, lieAlgebra: lie, discreteGenerators: [], compact: false });
}

/**
 * The special Euclidean group SE(n) in homogeneous coordinates: rotations so(n) in the
 * top-left block, then the n translations. `d` is n + 1.
 */
export function SE(n: number): Group {
  checkN('SE', n);
  const d = n + 1;
  const lie: Matrix[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) lie.push(unit(d, j, i).sub(unit(d, i, j)));
  for (let i = 0; i < n; i++) lie.push(unit(d, i, n));
  return new Group({ name: `SE(${n})`, d, lieAlgebra: lie, discreteGenerators: [], compact: false });
}
