import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, ShapeMismatchError, errorMessage, gridTransform, planarGroup, type PlanarGroup, type PlanarGroupName } from '@liesym/core';
import { convWithBias } from './internal/convCall.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Options of {@link groupConv2d}. */
export interface GroupConv2dArgs extends LayerArgs {
  /** The rotation(-reflection) group: 'C4', 'D4' or 'C8' (C8's 45° kernel transforms are bilinear, so only approximately equivariant). */
  group: PlanarGroupName;
  /** Number of filters F; the output has F·|G| channels, channel f·|G| + g the response of filter f turned by g. */
  filters: number;
  /** Odd kernel side k (default 3). */
  kernelSize?: number;
  /** 'image' (default): a lifting layer on ordinary channels; 'group': a group-to-group layer on the F·|G| channels of a previous group layer. */
  input?: 'image' | 'group';
  /** Add one bias per filter, shared by its |G| channels (default true). */
  useBias?: boolean;
  /** Seed of the He-normal initializer (default: unseeded). */
  seed?: number;
}

const fn = 'groupConv2d';

function checkGroup(f: string, name: unknown): PlanarGroup {
  // tfjs's config conversion lower-cases string values on load ('D4' → 'd4')
  const group = typeof name === 'string' ? name.toUpperCase() : name;
  if (group !== 'C4' && group !== 'D4' && group !== 'C8') throw new InvalidArgumentError(errorMessage(f, 'group', { expected: "'C4', 'D4' or 'C8'", received: name }));
  return planarGroup(group);
}

/**
 * A group convolution on square images (G-CNN, enforce on the pixel grid): translations and
 * the planar group G (C4, D4 or C8) act on its inputs and outputs. The trainable weights are
 * one base filter ψ per output filter; the layer's conv2d kernel holds ψ transformed by every
 * g ∈ G (core's `gridTransform` on the taps, and for group inputs the permutation h ↦ g⁻¹h of
 * the input's group axis), assembled on each call, so the layer is one `tf.conv2d` with
 * 'same' padding and stride 1. Equivariance: rotating / mirroring the input by g turns the
 * output field by g and permutes its group channels, exactly for C4 and D4 on square
 * images with an odd kernel.
 *
 * Shapes: [batch, H, W, C] ('image') or [batch, H, W, C·|G|] ('group') → [batch, H, W, F·|G|].
 * @throws InvalidArgumentError for a bad group, filters, kernelSize or input; ShapeMismatchError at build for a non-square image or group channels not divisible by |G|
 * @example
 * const model = tf.sequential({ layers: [
 *   groupConv2d({ group: 'C4', filters: 8, inputShape: [28, 28, 1] }), tf.layers.reLU(),
 *   groupConv2d({ group: 'C4', filters: 8, input: 'group' }), groupPooling({ group: 'C4' }),
 *   tf.layers.globalAveragePooling2d({}), tf.layers.dense({ units: 10 }) ] });
 */
export class GroupConv2d extends tf.layers.Layer {
  static readonly className = 'GroupConv2d';
  readonly group: PlanarGroupName;
  readonly filters: number;
  readonly kernelSize: number;
  readonly inputKind: 'image' | 'group';
  readonly useBias: boolean;
  readonly seed: number | undefined;
  private readonly g: PlanarGroup;
  private psi: tf.LayerVariable | undefined;
  private biasWeight: tf.LayerVariable | undefined;
  private transforms: tf.Tensor2D | undefined;
  private gatherIndex: tf.Tensor1D | undefined;
  private channelsIn = 0;

  constructor(args: GroupConv2dArgs) {
    super(args);
    this.g = checkGroup(fn, args?.group);
    this.group = this.g.name;
    if (!Number.isInteger(args.filters) || args.filters < 1) throw new InvalidArgumentError(errorMessage(fn, 'filters', { expected: 'an integer ≥ 1', received: args.filters }));
    const k = args.kernelSize ?? 3;
    if (!Number.isInteger(k) || k < 1 || k % 2 !== 1) throw new InvalidArgumentError(errorMessage(fn, 'kernelSize', { expected: 'an odd integer ≥ 1', received: k }));
    const input = args.input ?? 'image';
    if (input !== 'image' && input !== 'group') throw new InvalidArgumentError(errorMessage(fn, 'input', { expected: "'image' or 'group'", received: input }));
    this.filters = args.filters;
    this.kernelSize = k;
    this.inputKind = input;
    this.useBias = args.useBias ?? true;
    this.seed = args.seed;
  }

  /** |G| of the input's group axis (1 for images). */
  private get groupIn(): number {
    return this.inputKind === 'group' ? this.g.order : 1;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const name = `${this.getClassName()} '${this.name}'`;
    if (s.length !== 4 || s[1] !== s[2]) throw new ShapeMismatchError(`${name}: the input must be square images [batch, H, H, C]; received [${s.join(', ')}]`);
    const c = s[3]!;
    if (c % this.groupIn !== 0) throw new ShapeMismatchError(`${name}: a 'group' input needs channels divisible by |G| = ${this.g.order}; received ${c}`);
    this.channelsIn = c / this.groupIn;
    const k = this.kernelSize;
    const G = this.g.order;
    const fanIn = k * k * c;
    this.psi = this.addWeight('kernel', [k * k, this.channelsIn, this.groupIn, this.filters], 'float32', tf.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(2 / fanIn), ...(this.seed !== undefined ? { seed: this.seed } : {}) }));
    if (this.useBias) this.biasWeight = this.addWeight('bias', [this.filters], 'float32', tf.initializers.zeros());
    const m = new Float32Array(G * k * k * k * k);
    this.g.elements.forEach((e) => {
      const t = gridTransform(e, { size: k });
      for (let i = 0; i < t.values.length; i++) m[(e.index * k * k + t.rowIndex[i]!) * k * k + t.colIndex[i]!] = t.values[i]!;
    });
    this.transforms?.dispose();
    this.transforms = tf.keep(tf.tensor2d(m, [G * k * k, k * k]));
    if (this.inputKind === 'group') {
      const idx = new Int32Array(G * G);
      for (let a = 0; a < G; a++) for (let h = 0; h < G; h++) idx[a * G + h] = a * G + this.g.multiply[this.g.inverse[a]!]![h]!;
      this.gatherIndex?.dispose();
      this.gatherIndex = tf.keep(tf.tensor1d(idx, 'int32'));
    }
    this.built = true;
  }

  /** The assembled conv2d kernel [k, k, C·|G_in|, F·|G|] (input channel c·|G_in| + h, output channel f·|G| + g), as a new tensor. */
  kernel(): tf.Tensor4D {
    return tf.tidy(() => {
      const k = this.kernelSize;
      const G = this.g.order;
      const [C, H, F] = [this.channelsIn, this.groupIn, this.filters];
      const y = tf.reshape(tf.matMul(this.transforms!, tf.reshape(this.psi!.read(), [k * k, C * H * F])), [G, k * k, C, H, F]);
      let z: tf.Tensor; // [G, H, k², C, F]
      if (this.inputKind === 'group') {
        const flat = tf.reshape(tf.transpose(y, [0, 3, 1, 2, 4]), [G * H, k * k * C * F]);
        z = tf.reshape(tf.gather(flat, this.gatherIndex!), [G, H, k * k, C, F]);
      } else {
        z = tf.transpose(y, [0, 3, 1, 2, 4]);
      }
      return tf.reshape(tf.transpose(z, [2, 3, 1, 4, 0]), [k, k, C * H, F * G]) as tf.Tensor4D;
    });
  }

  /** The bias per output channel [F·|G|] (each filter's bias repeated over its |G| channels), or undefined. */
  bias(): tf.Tensor1D | undefined {
    if (!this.biasWeight) return undefined;
    return tf.tidy(() => tf.reshape(tf.tile(tf.reshape(this.biasWeight!.read(), [this.filters, 1]), [1, this.g.order]), [this.filters * this.g.order]) as tf.Tensor1D);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return convWithBias(inputs, { kernel: () => this.kernel(), bias: () => this.bias() });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [s[0] ?? null, s[1] ?? null, s[2] ?? null, this.filters * this.g.order];
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { group, filters, kernelSize, inputKind, useBias, seed } = this;
    return { ...super.getConfig(), group, filters, kernelSize, input: inputKind, useBias, ...(seed !== undefined ? { seed } : {}) };
  }

  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    const r = super.dispose();
    if (r.refCountAfterDispose === 0) tf.dispose([this.transforms, this.gatherIndex].filter((t) => t !== undefined));
    return r;
  }
}
tf.serialization.registerClass(GroupConv2d);

/** Options of {@link groupPooling}. */
export interface GroupPoolingArgs extends LayerArgs {
  group: PlanarGroupName;
  /** 'max' (default) or 'mean' over the |G| channels of each filter. */
  mode?: 'max' | 'mean';
}

/**
 * Group pooling: [batch, H, W, F·|G|] → [batch, H, W, F], the max (or mean) over each
 * filter's |G| group channels, which G permutes: the result is an ordinary image that
 * rotates with the input, and after global spatial pooling an invariant.
 * @throws InvalidArgumentError for a bad group or mode; ShapeMismatchError at build for channels not divisible by |G|
 * @example
 * groupPooling({ group: 'D4', mode: 'max' });
 */
export class GroupPooling extends tf.layers.Layer {
  static readonly className = 'GroupPooling';
  readonly group: PlanarGroupName;
  readonly mode: 'max' | 'mean';
  private readonly order: number;

  constructor(args: GroupPoolingArgs) {
    super(args);
    this.order = checkGroup('groupPooling', args?.group).order;
    this.group = checkGroup('groupPooling', args.group).name;
    const mode = args.mode ?? 'max';
    if (mode !== 'max' && mode !== 'mean') throw new InvalidArgumentError(errorMessage('groupPooling', 'mode', { expected: "'max' or 'mean'", received: mode }));
    this.mode = mode;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const c = s[s.length - 1];
    if (typeof c !== 'number' || c % this.order !== 0) throw new ShapeMismatchError(`GroupPooling '${this.name}': the channels must be divisible by |G| = ${this.order}; received ${c ?? null}`);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const c = x.shape[x.rank - 1]!;
      const r = tf.reshape(x, [...x.shape.slice(0, -1), c / this.order, this.order]);
      return this.mode === 'max' ? tf.max(r, -1) : tf.mean(r, -1);
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const c = s[s.length - 1];
    return [...s.slice(0, -1), typeof c === 'number' ? c / this.order : null];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), group: this.group, mode: this.mode };
  }
}
tf.serialization.registerClass(GroupPooling);

/**
 * Creates a {@link GroupConv2d} (enforce: a G-CNN layer for C4, D4 or C8).
 * @example
 * groupConv2d({ group: 'D4', filters: 8, kernelSize: 3, inputShape: [28, 28, 1] });
 */
export function groupConv2d(args: GroupConv2dArgs): GroupConv2d {
  return new GroupConv2d(args);
}

/** Creates a {@link GroupPooling} layer (group channels → invariant channels). */
export function groupPooling(args: GroupPoolingArgs): GroupPooling {
  return new GroupPooling(args);
}
