import { readFileSync, realpathSync } from 'node:fs';
import { InvalidArgumentError, Matrix, ModelFileError, NonFiniteError, ShapeMismatchError, describe, pointEvaluator, type Evaluator } from '@liesym/core';
import { UnsupportedNetworkError } from './errors.js';

/** The activations brain.js `NeuralNetwork` applies after every layer (the output too). */
export type BrainActivation = 'sigmoid' | 'relu' | 'leaky-relu' | 'tanh';

/** The parts of brain.js `NeuralNetwork#toJSON()` liesym reads (`trainOpts` holds `activation` and `leakyReluAlpha`). */
export type BrainNetworkJson = { type?: string; sizes: number[]; layers: Array<{ weights: number[][] | ArrayLike<number>[]; biases: number[] | ArrayLike<number> }> } & {
  [key in 'inputLookup' | 'outputLookup' | 'options' | 'trainOpts']?: unknown;
};

/** Anything with brain.js's `toJSON()` (a `NeuralNetwork` instance). */
export type BrainNetworkLike = { toJSON(): object };

/** A brain.js `NeuralNetwork` read into Float64: x ↦ σ(W_L·…σ(W₁x + b₁)… + b_L), σ applied after every layer. */
export class BrainNetwork {
  /** Layer sizes [input, hidden…, output], and the first and last. */
  readonly sizes: readonly number[];
  readonly dimIn: number;
  readonly dimOut: number;
  /** Per layer: W (out×in, y = W·x + b) and b. */
  readonly layers: ReadonlyArray<{ W: Matrix; b: Float64Array }>;
  readonly activation: BrainActivation;
  readonly leakyReluAlpha: number;
  /** The real path of the JSON file it was read from, if any: liesym never writes onto it. */
  readonly source: string | undefined;

  /** @internal use {@link readNetwork}; `json` is the JSON the network was read from (kept to write projected copies). */
  constructor(readonly json: BrainNetworkJson, parts: { layers: Array<{ W: Matrix; b: Float64Array }>; activation: BrainActivation; leakyReluAlpha: number; source: string | undefined }) {
    this.sizes = [...json.sizes];
    [this.dimIn, this.dimOut] = [json.sizes[0]!, json.sizes[json.sizes.length - 1]!];
    ({ layers: this.layers, activation: this.activation, leakyReluAlpha: this.leakyReluAlpha, source: this.source } = parts);
  }

  private act(z: number): [number, number] {
    const [s, t] = [1 / (1 + Math.exp(-z)), Math.tanh(z)];
    const slope = z >= 0 ? 1 : this.activation === 'relu' ? 0 : this.leakyReluAlpha;
    return this.activation === 'sigmoid' ? [s, s * (1 - s)] : this.activation === 'tanh' ? [t, 1 - t * t] : [slope * z, slope];
  }

  /** F(x) in Float64. */
  forward(x: ArrayLike<number>): Float64Array {
    return this.run(x).y;
  }

  /** The exact Jacobian DF(x) (dimOut×dimIn) by the chain rule, in Float64. */
  jacobian(x: ArrayLike<number>): Matrix {
    return this.run(x, Matrix.identity(this.dimIn)).J!;
  }

  /** F(x), and DF(x)·J when a J (dimIn columns) is given. */
  private run(x: ArrayLike<number>, J?: Matrix): { y: Float64Array; J: Matrix | undefined } {
    if (x.length !== this.dimIn) throw new ShapeMismatchError(`BrainNetwork.forward: 'x' must have ${this.dimIn} entries; received ${x.length}`);
    let h: Float64Array = Float64Array.from(x);
    for (const { W, b } of this.layers) {
      const d = new Float64Array(W.rows);
      h = W.mulVec(h);
      for (let i = 0; i < h.length; i++) [h[i], d[i]] = this.act(h[i]! + b[i]!);
      J &&= W.mul(J);
      for (let i = 0; J && i < J.data.length; i++) J.data[i]! *= d[Math.floor(i / J.cols)]!;
    }
    return { y: h, J };
  }

  /** This network as core's {@link Evaluator}: values and exact Jacobians in Float64, what discovery and checks run on. */
  evaluator(): Evaluator {
    return pointEvaluator((x) => this.forward(x), new Float64Array(this.dimIn), { fn: 'BrainNetwork.evaluator', jacobian: (x) => this.jacobian(x) });
  }

  /** The brain.js JSON of this network with new weights (for `new NeuralNetwork().fromJSON()`), everything else copied. */
  toJSON(layers: ReadonlyArray<{ W: Matrix; b: ArrayLike<number> }> = this.layers): BrainNetworkJson {
    const json = JSON.parse(JSON.stringify(this.json)) as BrainNetworkJson;
    layers.forEach(({ W, b }, k) => (json.layers[k + 1] = { weights: W.toArray(), biases: Array.from(b) }));
    return json;
  }
}

/**
 * Reads a brain.js `NeuralNetwork` (the object, its `toJSON()`, or the path of a JSON file of it) into Float64.
 * @throws ModelFileError for an unreadable file or bad JSON; UnsupportedNetworkError for other types, lookup tables, activations or sizes;
 *   NonFiniteError for weights or biases that are not finite numbers (a NaN in a file reads as null)
 * @example readNetwork(net).forward([0.1, 0.2]); // net: a trained brain.NeuralNetwork
 */
export function readNetwork(net: BrainNetworkLike | BrainNetworkJson | BrainNetwork | string, fn = 'readNetwork'): BrainNetwork {
  if (net instanceof BrainNetwork) return net;
  let source: string | undefined;
  if (typeof net === 'string') {
    const path = net;
    try {
      source = realpathSync(path);
      net = JSON.parse(readFileSync(source, 'utf8')) as BrainNetworkJson;
    } catch (e) {
      throw new ModelFileError(`${fn}: 'net' must be a readable brain.js JSON file; reading '${path}' failed: ${(e as Error).message}`);
    }
  }
  if (net === null || typeof net !== 'object') throw new InvalidArgumentError(`${fn}: 'net' must be a brain.js NeuralNetwork, its toJSON() or a file path; received ${describe(net)}`);
  const json = (typeof (net as BrainNetworkLike).toJSON === 'function' ? (net as BrainNetworkLike).toJSON() : net) as BrainNetworkJson;
  const { activation = 'sigmoid', leakyReluAlpha = 0.01 } = (json.trainOpts ?? {}) as { activation?: string; leakyReluAlpha?: number };
  if (json.type !== undefined && json.type !== 'NeuralNetwork') throw new UnsupportedNetworkError(`${fn}: 'net' must be a brain.js NeuralNetwork; received type '${String(json.type)}'`);
  const shaped = Array.isArray(json.sizes) && Array.isArray(json.layers) && json.layers.length === json.sizes.length && json.sizes.length >= 2;
  if (!shaped) throw new UnsupportedNetworkError(`${fn}: 'net' must have 'sizes' and one entry of 'layers' per size (a trained or fromJSON'd network); received ${Array.isArray(json.layers) ? json.layers.length : 'no'} layers for sizes ${JSON.stringify(json.sizes)}`);
  if (json.inputLookup || json.outputLookup) throw new UnsupportedNetworkError(`${fn}: 'net' maps objects through input/output lookup tables; liesym analyses networks on plain arrays`);
  if (!['sigmoid', 'relu', 'leaky-relu', 'tanh'].includes(activation)) throw new UnsupportedNetworkError(`${fn}: activation must be sigmoid, relu, leaky-relu or tanh; received '${activation}'`);
  const layers = json.sizes.slice(1).map((out, k) => {
    const [inp, l] = [json.sizes[k]!, json.layers[k + 1]!];
    const rows = Array.from(l.weights as ArrayLike<ArrayLike<number>>);
    const fits = rows.length === out && rows.every((r) => r.length === inp) && l.biases.length === out;
    if (!fits) throw new UnsupportedNetworkError(`${fn}: layer ${k + 1} must have ${out}×${inp} weights and ${out} biases; received ${rows.length}×${rows[0]?.length ?? 0} and ${l.biases.length}`);
    const b = Array.from(l.biases as ArrayLike<number>);
    const nb = b.findIndex((v) => typeof v !== 'number' || !Number.isFinite(v));
    if (nb >= 0) throw new NonFiniteError(`${fn}: layer ${k + 1}'s biases[${nb}] must be a finite number; received ${describe(b[nb])}`);
    return { W: Matrix.from(rows, `layers[${k + 1}].weights`), b: Float64Array.from(b) };
  });
  return new BrainNetwork(json, { layers, activation: activation as BrainActivation, leakyReluAlpha, source });
}
