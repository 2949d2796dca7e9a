import { InvalidArgumentError, describe } from '../errors.js';
import { SO, O, GL, SL, Sp, SO13, O13, Scaling } from '../groups/classical.js';
import { T, SE } from '../groups/affine.js';
import { Z, S, A, D } from '../groups/discrete.js';
import type { Group } from '../groups/Group.js';
import { Representation, Scalar, V, directSum, tensorProduct } from './Representation.js';

const BUILTIN: Record<string, (n: number) => Group> = { SO, O, GL, SL, Sp, Z, S, A, D, T, SE, Scaling };

/**
 * The built-in group with the given name: `'SO(3)'`, `'O(2)'`, `'S(5)'`, `'Scaling(2)'`,
 * `'SO(1,3)'`, … The parentheses may be left out for a one-digit size (`'SO3'`, `'S5'`); without
 * them `'SO13'` and `'O13'` mean the Lorentz groups SO(1,3) and O(1,3). Other sizes of two or
 * more digits need the parentheses (`'SO(31)'`, `'S(10)'`): `'SO31'` could be SO(31) or SO(3,1)
 * and is refused. `'SO(3,1)'` and `'O(3,1)'` name the same Lorentz groups as `'SO(1,3)'` and
 * `'O(1,3)'` (metric diag(1, −1, −1, −1): time is coordinate 0).
 * @throws InvalidArgumentError for an unknown or ambiguous name
 * @example
 * groupByName('SO(3)').lieAlgebra.length; // 3
 */
export function groupByName(name: string): Group {
  if (typeof name !== 'string') throw new InvalidArgumentError(`groupByName: 'name' must be a string; received ${describe(name)}`);
  const t = name.replace(/\s/g, '');
  if (['SO(1,3)', 'SO(3,1)', 'SO13'].includes(t)) return SO13();
  if (['O(1,3)', 'O(3,1)', 'O13'].includes(t)) return O13();
  const m = /^([A-Za-z]+)(?:\((\d+)\)|(\d))$/.exec(t);
  const make = m ? BUILTIN[m[1]!] : undefined;
  if (!m || !make) {
    const bare = /^([A-Za-z]+)(\d{2,})$/.exec(t);
    const hint = bare && BUILTIN[bare[1]!] ? ` (write '${bare[1]}(${bare[2]})' for ${bare[1]}(${bare[2]})${bare[1] === 'SO' || bare[1] === 'O' ? `, or '${bare[1]}(1,3)' for the Lorentz group` : ''})` : '';
    throw new InvalidArgumentError(
      `groupByName: 'name' must name a built-in group like 'SO(3)', 'O(3)', 'S(4)', 'Scaling(2)' or 'SO(1,3)'; received ${JSON.stringify(name)}${hint}`,
    );
  }
  return make(Number(m[2] ?? m[3]));
}

class Parser {
  private i = 0;
  constructor(
    private readonly s: string,
    private readonly group: Group | undefined,
  ) {}
  private fail(what: string): never {
    throw new InvalidArgumentError(`parseRepresentation: 'expr' is malformed: ${what} at position ${this.i} of ${JSON.stringify(this.s)}`);
  }
  private peek(): string {
    while (this.s[this.i] === ' ') this.i++;
    return this.s[this.i] ?? '';
  }
  parse(): Representation {
    const r = this.sum();
    if (this.peek() !== '') this.fail(`unexpected ${JSON.stringify(this.peek())}`);
    return r;
  }
  private sum(): Representation {
    const terms = [this.product()];
    while (this.peek() === '⊕' || this.peek() === '+') {
      this.i++;
      terms.push(this.product());
    }
    return terms.length === 1 ? terms[0]! : directSum(...terms);
  }
  private product(): Representation {
    const fs = [this.factor()];
    while (this.peek() === '⊗') {
      this.i++;
      fs.push(this.factor());
    }
    return fs.length === 1 ? fs[0]! : tensorProduct(...fs);
  }
  private int(): number | undefined {
    this.peek();
    const m = /^\d+/.exec(this.s.slice(this.i));
    if (!m) return undefined;
    this.i += m[0].length;
    return Number(m[0]);
  }
  private factor(): Representation {
    const count = this.int();
    let r = this.atom();
    for (;;) {
      const c = this.peek();
      if (c === '*') {
        this.i++;
        r = r.dual();
      } else if (c === '^') {
        this.i++;
        const k = this.int();
        if (k === undefined) this.fail(`expected an integer after '^'`);
        r = r.pow(k);
      } else break;
    }
    if (count === undefined) return r;
    if (count < 1) this.fail(`a multiplicity must be ≥ 1`);
    return count === 1 ? r : directSum(...Array.from({ length: count }, () => r));
  }
  private atom(): Representation {
    const c = this.peek();
    if (c === '(') {
      this.i++;
      const r = this.sum();
      if (this.peek() !== ')') this.fail(`expected ')'`);
      this.i++;
      return r;
    }
    if (this.s.startsWith('Scalar', this.i)) {
      this.i += 6;
      return Scalar;
    }
    if (c === 'V') {
      this.i++;
      if (!this.group) this.fail(`'V' needs a group, and none was given`);
      return V(this.group);
    }
    return this.fail(`expected 'V', 'Scalar', a multiplicity or '('`);
  }
}

/**
 * Reads a representation written as an expression over `V` (the group's defining
 * representation) and `Scalar`, with `⊕` (or `+`), `⊗`, the dual `*`, tensor powers `^k`, a
 * multiplicity prefix `k` and parentheses: `'64V⊕64Scalar'`, `'V⊗V⊕Scalar'`, `'(V⊕Scalar)^2'`,
 * `'V*⊗V'`. The CLI and the tfjs layer configs use this one grammar.
 * @param group the group V refers to (may be omitted for expressions made of Scalars only)
 * @throws InvalidArgumentError for a malformed expression, naming the position
 * @example
 * parseRepresentation('V⊗V⊕Scalar', SO(3)).dim; // 10
 */
export function parseRepresentation(expr: string, group?: Group): Representation {
  if (typeof expr !== 'string') {
    throw new InvalidArgumentError(`parseRepresentation: 'expr' must be a string; received ${describe(expr)}`);
  }
  return new Parser(expr, group).parse();
}
