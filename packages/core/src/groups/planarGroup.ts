import { InvalidArgumentError, errorMessage } from '../errors.js';
import { Matrix } from '../linalg/Matrix.js';

/** The finite rotation(-reflection) groups of the plane that image layers are built on. */
export type PlanarGroupName = 'C4' | 'D4' | 'C8';

/** One element g = R(θ)·Sᶠ of a {@link PlanarGroup}: a rotation by θ = 2πk/n after f ∈ {0, 1} reflections S = diag(−1, 1) (x ↦ −x). */
export interface PlanarElement {
  /** Position in `elements` (k + n·f). */
  readonly index: number;
  /** k: the rotation is by k·2π/n. */
  readonly rotation: number;
  /** True for the mirror images g = R(θ)·S. */
  readonly reflection: boolean;
  /** θ in radians, counter-clockwise. */
  readonly angle: number;
  /** The 2×2 matrix acting on points (x, y) of the plane (x to the right, y up). */
  readonly matrix: Matrix;
}

/** A finite subgroup of O(2): its elements, multiplication table and inverses (see {@link planarGroup}). */
export interface PlanarGroup {
  readonly name: PlanarGroupName;
  /** |G|: 4 (C4), 8 (D4, C8). */
  readonly order: number;
  /** Number of rotations n (the cyclic part). */
  readonly rotations: number;
  readonly elements: readonly PlanarElement[];
  /** multiply[a][b] = index of g_a·g_b. */
  readonly multiply: readonly (readonly number[])[];
  /** inverse[a] = index of g_a⁻¹. */
  readonly inverse: readonly number[];
}

const SPECS: Record<PlanarGroupName, { n: number; reflections: boolean }> = {
  C4: { n: 4, reflections: false },
  D4: { n: 4, reflections: true },
  C8: { n: 8, reflections: false },
};

/** cos/sin with the exact values at multiples of π/2 (so C4 and D4 act by exact permutations). */
function exactCosSin(k: number, n: number): [number, number] {
  const q = (4 * k) / n;
  if (Number.isInteger(q)) return [[1, 0, -1, 0][q % 4]!, [0, 1, 0, -1][q % 4]!];
  const t = (2 * Math.PI * k) / n;
  return [Math.cos(t), Math.sin(t)];
}

/**
 * The planar point group named: C4 (rotations by 90°), D4 (C4 and the four mirrors) or C8
 * (rotations by 45°), as elements g = R(2πk/n)·Sᶠ with their 2×2 matrices, the
 * multiplication table and the inverses. Group convolutions index their channels by these
 * elements (`index`), and `gridTransform` turns an element into its action on a pixel grid.
 * @throws InvalidArgumentError for another name
 * @example
 * const g = planarGroup('D4');
 * g.order; // 8
 * g.elements[g.multiply[1]![1]!]!.rotation; // 2: two quarter turns make a half turn
 */
export function planarGroup(name: PlanarGroupName): PlanarGroup {
  const spec = (SPECS as Record<string, { n: number; reflections: boolean } | undefined>)[name as string];
  if (!spec) throw new InvalidArgumentError(errorMessage('planarGroup', 'name', { expected: "'C4', 'D4' or 'C8'", received: name }));
  const { n } = spec;
  const elements: PlanarElement[] = [];
  for (let f = 0; f < (spec.reflections ? 2 : 1); f++) {
    for (let k = 0; k < n; k++) {
      const [c, s] = exactCosSin(k, n);
      // R(θ)·S with S = diag(−1, 1)
      const m = f === 0 ? Matrix.from([[c, -s], [s, c]]) : Matrix.from([[-c, -s], [-s, c]]);
      elements.push({ index: k + n * f, rotation: k, reflection: f === 1, angle: (2 * Math.PI * k) / n, matrix: m });
    }
  }
  const find = (m: Matrix): number => elements.findIndex((e) => e.matrix.sub(m).maxAbs() < 1e-9);
  const multiply = elements.map((a) => elements.map((b) => find(a.matrix.mul(b.matrix))));
  const inverse = elements.map((a) => find(a.matrix.transpose()));
  return { name, order: elements.length, rotations: n, elements, multiply, inverse };
}
