import { EmptyInputError, InvalidArgumentError, describe } from '../errors.js';
import { Matrix } from '../linalg/Matrix.js';
import { Group } from './Group.js';

/** Writes m into the diagonal block of `out` that starts at (offset, offset); returns out. */
function embed(m: Matrix, offset: number, out: Matrix): Matrix {
  const d = out.cols;
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) out.data[(offset + i) * d + offset + j] = m.data[i * m.cols + j]!;
  }
  return out;
}

/**
 * The direct product G₁ × G₂ × … acting block-diagonally on R^(d₁+d₂+…). Generators are
 * the factors' generators embedded in their blocks (discrete ones with the identity
 * elsewhere), in factor order. Representations of a factor become representations of
 * the product with {@link liftRep}.
 * @throws EmptyInputError with no factors
 */
export function directProduct(...groups: Group[]): Group {
  if (groups.length === 0) throw new EmptyInputError(`directProduct: at least one group is required; received none`);
  groups.forEach((g, i) => {
    if (!(g instanceof Group)) {
      throw new InvalidArgumentError(`directProduct: argument ${i} must be a Group; received ${describe(g)}`);
    }
  });
  const d = groups.reduce((s, g) => s + g.d, 0);
  const lie: Matrix[] = [];
  const disc: Matrix[] = [];
  let off = 0;
  for (const g of groups) {
    for (const x of g.lieAlgebra) lie.push(embed(x, off, new Matrix(d, d)));
    for (const h of g.discreteGenerators) disc.push(embed(h, off, Matrix.identity(d)));
    off += g.d;
  }
  const name = groups.map((g) => g.name).join(' × ');
  return new Group({
    name,
    key: `(${groups.map((g) => g.key).join('×')})`,
    d,
    lieAlgebra: lie,
    discreteGenerators: disc,
    compact: groups.every((g) => g.compact),
    factors: groups,
  });
}
