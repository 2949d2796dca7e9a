import { InvalidArgumentError, Matrix, ShapeMismatchError } from '@liesym/core';
import { UnsupportedNetworkError } from './errors.js';

/** The activations brain.js `NeuralNetwork` applies after every layer (the output too). */
export type BrainActivation = 'sigmoid' | 'relu' | 'leaky-relu' | 'tanh';

/** The parts of brain.js `NeuralNetwork#toJSON()` liesym reads. */
export interface BrainNetworkJson {
  type?: string;
  sizes: number[];
  layers: Array<{ weights: number[][] | ArrayLike<number>[]; biases: number[] | ArrayLike<number> }>;
  inputLookup?: unknown;
  outputLookup?: unknown;
  options?: object;
  /** brain.js keeps `activation` and `leakyReluAlpha` here. */
  trainOpts?: object;
}

/** Anything with brain.js's `toJSON()` (a `NeuralNetwork` instance). */
export interface BrainNetworkLike {
  toJSON(): object;
}

/**
 * A brain.js `NeuralNetwork` read into Float64 matrices: the network is
 * x ↦ σ(W_L·…σ(W₁x + b₁)… + b_L), σ its activation applied after every layer.
 */
export class BrainNetwork {
  /** Layer sizes [input, hidden…, output]. */
  readonly sizes: readonly number[];
  /** Per layer: W (out×in, y = W·x + b) and b. */
  readonly layers: ReadonlyArray<{ W: Matrix; b: Float64Array }>;
  readonly activation: BrainActivation;
  readonly leakyReluAlpha: number;
  /** The JSON the network was read from (kept to write projected copies). */
  readonly json: BrainNetworkJson;

  /** @internal use {@link readNetwork} */
  constructor(json: BrainNetworkJson, layers: Array<{ W: Matrix; b: Float64Array }>, activation: BrainActivation, alpha: number) {
    this.json = json;
    this.sizes = [...json.sizes];
    this.layers = layers;
    this.activation = activation;
    this.leakyReluAlpha = alpha;
  }

  get dimIn(): number {
    return this.sizes[0]!;
  }

  get dimOut(): number {
    return this.sizes[this.sizes.length - 1]!;
  }

  private act(z: number): [number, number] {
    switch (this.activation) {
      case 'sigmoid': {
        const s = 1 / (1 + Math.exp(-z));
        return [s, s * (1 - s)];
      }
      case 'tanh': {
        const t = Math.tanh(z);
        return [t, 1 - t * t];
      }
      case 'relu':
        return z < 0 ? [0, 0] : [z, 1];
      default:
        return z < this.leakyReluAlpha * z ? [this.leakyReluAlpha * z, this.leakyReluAlpha] : [z, 1];
    }
  }

  /** F(x) in Float64. */
  forward(x: ArrayLike<number>): Float64Array {
    return this.forwardWithJacobian(x, false).y;
  }

  /** The exact Jacobian DF(x) (dimOut×dimIn) by the chain rule. */
  jacobian(x: ArrayLike<number>): Matrix {
    return this.forwardWithJacobian(x, true).J!;
  }

  private forwardWithJacobian(x: ArrayLike<number>, withJ: boolean): { y: Float64Array; J: Matrix | undefined } {
    if (x.length !== this.dimIn) {
      throw new ShapeMismatchError(`BrainNetwork.forward: 'x' must have ${this.dimIn} entries; received ${x.length}`);
    }
    let h = Float64Array.from(x);
    let J: Matrix | undefined = withJ ? Matrix.identity(this.dimIn) : undefined;
    for (const { W, b } of this.layers) {
      const z = W.mulVec(h);
      const y = new Float64Array(z.length);
      const d = new Float64Array(z.length);
      for (let i = 0; i < z.length; i++) [y[i], d[i]] = this.act(z[i]! + b[i]!);
      if (J) {
        const WJ = W.mul(J);
        for (let i = 0; i < WJ.rows; i++) for (let j = 0; j < WJ.cols; j++) WJ.data[i * WJ.cols + j]! *= d[i]!;
        J = WJ;
      }
      h = y;
    }
    return { y: h, J };
  }

  /**
   * The brain.js JSON of this network with new weights (for `new NeuralNetwork().fromJSON()`),
   * everything else copied.
   */
  toJSON(layers: ReadonlyArray<{ W: Matrix; b: ArrayLike<number> }> = this.layers): BrainNetworkJson {
    const json = JSON.parse(JSON.stringify(this.json)) as BrainNetworkJson;
    layers.forEach(({ W, b }, k) => {
      json.layers[k + 1] = { weights: W.toArray(), biases: Array.from(b) };
    });
    return json;
  }
}

const ACTIVATIONS = new Set(['sigmoid', 'relu', 'leaky-relu', 'tanh']);

/**
 * Reads a brain.js `NeuralNetwork` (the object, or its `toJSON()`) into Float64 matrices.
 * @throws UnsupportedNetworkError for other network types, lookup tables (object inputs),
 *   unknown activations or inconsistent layer sizes
 * @example
 * const net = new brain.NeuralNetwork({ hiddenLayers: [4] });
 * net.train(data);
 * readNetwork(net).forward([0.1, 0.2]);
 */
export function readNetwork(net: BrainNetworkLike | BrainNetworkJson, fn = 'readNetwork'): BrainNetwork {
  if (net === null || typeof net !== 'object') throw new InvalidArgumentError(`${fn}: 'net' must be a brain.js NeuralNetwork or its toJSON(); received ${String(net)}`);
  const json = (typeof (net as BrainNetworkLike).toJSON === 'function' ? (net as BrainNetworkLike).toJSON() : net) as BrainNetworkJson;
  const trainOpts = (json.trainOpts ?? {}) as { activation?: string; leakyReluAlpha?: number };
  if (json.type !== undefined && json.type !== 'NeuralNetwork') {
    throw new UnsupportedNetworkError(`${fn}: 'net' must be a brain.js NeuralNetwork; received type '${String(json.type)}'`);
  }
  if (!Array.isArray(json.sizes) || !Array.isArray(json.layers) || json.layers.length !== json.sizes.length || json.sizes.length < 2) {
    throw new UnsupportedNetworkError(`${fn}: 'net' must have 'sizes' and one entry of 'layers' per size (a trained or fromJSON'd network); received ${Array.isArray(json.layers) ? json.layers.length : 'no'} layers for sizes ${JSON.stringify(json.sizes)}`);
  }
  if (json.inputLookup || json.outputLookup) {
    throw new UnsupportedNetworkError(`${fn}: 'net' maps objects through input/output lookup tables; liesym analyses networks on plain arrays`);
  }
  const activation = trainOpts.activation ?? 'sigmoid';
  if (!ACTIVATIONS.has(activation)) {
    throw new UnsupportedNetworkError(`${fn}: activation must be sigmoid, relu, leaky-relu or tanh; received '${activation}'`);
  }
  const layers = json.sizes.slice(1).map((out, k) => {
    const inp = json.sizes[k]!;
    const l = json.layers[k + 1]!;
    const rows = Array.from(l.weights as ArrayLike<ArrayLike<number>>);
    if (rows.length !== out || rows.some((r) => r.length !== inp) || l.biases.length !== out) {
      throw new UnsupportedNetworkError(`${fn}: layer ${k + 1} must have ${out}×${inp} weights and ${out} biases; received ${rows.length}×${rows[0]?.length ?? 0} and ${l.biases.length}`);
    }
    return { W: Matrix.from(rows, `layers[${k + 1}].weights`), b: Float64Array.from(l.biases as ArrayLike<number>) };
  });
  return new BrainNetwork(json, layers, activation as BrainActivation, trainOpts.leakyReluAlpha ?? 0.01);
}
