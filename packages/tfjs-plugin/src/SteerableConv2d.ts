import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, ShapeMismatchError, errorMessage, steerableKernelBasis } from '@liesym/core';
import { convWithBias } from './internal/convCall.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Options of {@link steerableConv2d}. */
export interface SteerableConv2dArgs extends LayerArgs {
  /** The rotation group of the plane: 'SO(2)' (the only one). */
  rotation: 'SO(2)';
  /** Number of output fields per output frequency F. */
  filters: number;
  /** Odd kernel side k ≥ 3 (default 5). */
  kernelSize?: number;
  /** Output field frequencies, distinct integers ≥ 0 in any order (default 0, 1, …, maxFrequency); frequency 0 fields are 1 channel, the others (cos, sin) pairs. */
  frequencies?: number[];
  /** Highest output frequency when `frequencies` is not given (default 1). */
  maxFrequency?: number;
  /** Frequency of each input field, in channel order (a frequency > 0 field takes 2 channels); default: every input channel a scalar (frequency 0). */
  inputFrequencies?: number[];
  /** Add one bias per frequency-0 output field (default true); fields of frequency > 0 get none, a bias would break their equivariance. */
  useBias?: boolean;
  /** Seed of the coefficient initializer (default: unseeded). */
  seed?: number;
}

const fn = 'steerableConv2d';

const dim = (m: number): number => (m === 0 ? 1 : 2);

function checkFrequencies(arg: string, value: unknown, options: { distinct: boolean }): number[] {
  const ok = Array.isArray(value) && value.length > 0 && value.every((m) => Number.isInteger(m) && m >= 0) && (!options.distinct || new Set(value).size === value.length);
  if (!ok) throw new InvalidArgumentError(errorMessage(fn, arg, { expected: `a non-empty array of${options.distinct ? ' distinct' : ''} integers ≥ 0`, received: value }));
  return [...(value as number[])];
}

/** Consecutive input fields of one frequency. */
interface Run {
  frequency: number;
  count: number;
}

/** One block of the kernel: a run of input fields to the F output fields of one frequency. */
interface Block {
  run: number;
  out: number;
  basis: tf.Tensor2D | undefined;
  dimension: number;
  weight: tf.LayerVariable | undefined;
}

/**
 * An SO(2)-steerable convolution (enforce, E(2)-CNN style): its input and output channels are
 * fields of SO(2) frequencies m (m = 0: a scalar channel; m ≥ 1: a (cos, sin) pair that a
 * rotation by θ turns by ρ_m(θ) = R(mθ), core's `so2FieldRotation`). Every (input field,
 * output field) kernel is a trainable combination Σ cᵣ·Bᵣ of core's steerable kernel basis
 * (`steerableKernelBasis`: the nullspace of the rotation Lie derivative on smooth ring
 * profiles, sampled on the k×k grid), assembled on each call into one `tf.conv2d` kernel with
 * 'same' padding. Exactly equivariant for 90° turns of square images; for other angles up to
 * the sampling of the kernels and the interpolation of the rotated image.
 *
 * Channels: the input's fields in `inputFrequencies` order; the output's by frequency block
 * in `frequencies` order, field f of frequency m at channels offset_m + f·d_m + (0: cos, 1: sin).
 * Shapes: [batch, H, W, C_in] → [batch, H, W, F·Σ_m d_m].
 * @throws InvalidArgumentError for a bad rotation, filters, kernelSize, frequencies, maxFrequency or inputFrequencies, or an output frequency no kernel of this size can reach; ShapeMismatchError at build for a non-square image or input channels that do not match `inputFrequencies`
 * @example
 * const model = tf.sequential({ layers: [
 *   steerableConv2d({ rotation: 'SO(2)', filters: 4, kernelSize: 5, maxFrequency: 2, inputShape: [28, 28, 1] }),
 *   steerableConv2d({ rotation: 'SO(2)', filters: 4, frequencies: [0], inputFrequencies: [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2] }) ] });
 */
export class SteerableConv2d extends tf.layers.Layer {
  static readonly className = 'SteerableConv2d';
  readonly rotation = 'SO(2)' as const;
  readonly filters: number;
  readonly kernelSize: number;
  readonly frequencies: number[];
  readonly inputFrequencies: number[] | undefined;
  readonly useBias: boolean;
  readonly seed: number | undefined;
  private blocks: Block[] = [];
  private runs: Run[] = [];
  private biasWeight: tf.LayerVariable | undefined;

  constructor(args: SteerableConv2dArgs) {
    super(args);
    // tfjs's config conversion lower-cases string values on load ('SO(2)' → 'so(2)')
    const rotation = args?.rotation;
    if (typeof rotation !== 'string' || rotation.toUpperCase() !== 'SO(2)') throw new InvalidArgumentError(errorMessage(fn, 'rotation', { expected: "'SO(2)'", received: rotation }));
    if (!Number.isInteger(args.filters) || args.filters < 1) throw new InvalidArgumentError(errorMessage(fn, 'filters', { expected: 'an integer ≥ 1', received: args.filters }));
    const k = args.kernelSize ?? 5;
    if (!Number.isInteger(k) || k < 3 || k % 2 !== 1) throw new InvalidArgumentError(errorMessage(fn, 'kernelSize', { expected: 'an odd integer ≥ 3', received: k }));
    if (args.frequencies !== undefined) {
      this.frequencies = checkFrequencies('frequencies', args.frequencies, { distinct: true });
    } else {
      const maxM = args.maxFrequency ?? 1;
      if (!Number.isInteger(maxM) || maxM < 0) throw new InvalidArgumentError(errorMessage(fn, 'maxFrequency', { expected: 'an integer ≥ 0', received: maxM }));
      this.frequencies = Array.from({ length: maxM + 1 }, (_, m) => m);
    }
    this.inputFrequencies = args.inputFrequencies === undefined ? undefined : checkFrequencies('inputFrequencies', args.inputFrequencies, { distinct: false });
    this.filters = args.filters;
    this.kernelSize = k;
    this.useBias = args.useBias ?? true;
    this.seed = args.seed;
  }

  /** Number of output channels F·Σ_m d_m. */
  get outputChannels(): number {
    return this.filters * this.frequencies.reduce((s, m) => s + dim(m), 0);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const name = `${this.getClassName()} '${this.name}'`;
    if (s.length !== 4 || s[1] !== s[2]) throw new ShapeMismatchError(`${name}: the input must be square images [batch, H, H, C]; received [${s.join(', ')}]`);
    const c = s[3]!;
    const fields = this.inputFrequencies ?? Array.from({ length: c }, () => 0);
    const needed = fields.reduce((a, m) => a + dim(m), 0);
    if (needed !== c) throw new ShapeMismatchError(`${name}: inputFrequencies [${fields.join(', ')}] take ${needed} channels; the input has ${c}`);
    this.runs = [];
    for (const m of fields) {
      const last = this.runs[this.runs.length - 1];
      if (last && last.frequency === m) last.count++;
      else this.runs.push({ frequency: m, count: 1 });
    }
    const k = this.kernelSize;
    const inFreqs = [...new Set(fields)];
    const cache = new Map<string, { basis: tf.Tensor2D | undefined; dimension: number }>();
    const basisOf = (mIn: number, mOut: number) => {
      const key = `${mIn},${mOut}`;
      let b = cache.get(key);
      if (!b) {
        const r = steerableKernelBasis({ size: k, frequencyIn: mIn, frequencyOut: mOut, maxFrequency: mIn + mOut });
        b = { basis: r.dimension > 0 ? tf.keep(tf.tensor2d(Float32Array.from(r.basis.data), [r.basis.rows, r.basis.cols])) : undefined, dimension: r.dimension };
        cache.set(key, b);
      }
      return b;
    };
    for (const mOut of this.frequencies) {
      if (inFreqs.every((mIn) => basisOf(mIn, mOut).dimension === 0)) {
        throw new InvalidArgumentError(errorMessage(fn, 'kernelSize', { expected: `a kernel large enough to reach output frequency ${mOut} from input frequencies [${inFreqs.join(', ')}]`, received: k }));
      }
    }
    this.disposeBases();
    this.blocks = [];
    let n = 0;
    this.runs.forEach((run, ri) => {
      this.frequencies.forEach((mOut, oi) => {
        const { basis, dimension } = basisOf(run.frequency, mOut);
        // He-like scale: each output channel's kernel energy ≈ 2 over all input fields
        const stddev = Math.sqrt((2 * dim(mOut)) / (Math.max(dimension, 1) * fields.length));
        const init = tf.initializers.randomNormal({ mean: 0, stddev, ...(this.seed !== undefined ? { seed: this.seed + n } : {}) });
        const weight = dimension > 0 ? this.addWeight(`coefficients_${ri}_${oi}`, [dimension, run.count * this.filters], 'float32', init) : undefined;
        n++;
        this.blocks.push({ run: ri, out: oi, basis, dimension, weight });
      });
    });
    if (this.useBias && this.frequencies.includes(0)) this.biasWeight = this.addWeight('bias', [this.filters], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  /** The assembled conv2d kernel [k, k, C_in, F·Σ_m d_m], as a new tensor. */
  kernel(): tf.Tensor4D {
    return tf.tidy(() => {
      const k = this.kernelSize;
      const F = this.filters;
      const rows = this.runs.map((run, ri) => {
        const dIn = dim(run.frequency);
        const cols = this.frequencies.map((mOut, oi) => {
          const dOut = dim(mOut);
          const b = this.blocks.find((x) => x.run === ri && x.out === oi)!;
          if (!b.weight) return tf.zeros([k * k, run.count * dIn, F * dOut]);
          const y = tf.reshape(tf.matMul(b.basis!, b.weight.read()), [k * k, dIn, dOut, run.count, F]);
          return tf.reshape(tf.transpose(y, [0, 3, 1, 4, 2]), [k * k, run.count * dIn, F * dOut]);
        });
        return cols.length === 1 ? cols[0]! : tf.concat(cols, 2);
      });
      const full = rows.length === 1 ? rows[0]! : tf.concat(rows, 1);
      return tf.reshape(full, [k, k, full.shape[1]!, full.shape[2]!]) as tf.Tensor4D;
    });
  }

  /** The bias per output channel [F·Σ_m d_m] (zero on frequency > 0 fields), or undefined. */
  bias(): tf.Tensor1D | undefined {
    if (!this.biasWeight) return undefined;
    return tf.tidy(() => {
      const parts = this.frequencies.map((m) => (m === 0 ? this.biasWeight!.read() : tf.zeros([this.filters * 2])));
      return (parts.length === 1 ? parts[0]! : tf.concat(parts, 0)) as tf.Tensor1D;
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return convWithBias(inputs, { kernel: () => this.kernel(), bias: () => this.bias() });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [s[0] ?? null, s[1] ?? null, s[2] ?? null, this.outputChannels];
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { rotation, filters, kernelSize, frequencies, inputFrequencies, useBias, seed } = this;
    return { ...super.getConfig(), rotation, filters, kernelSize, frequencies, ...(inputFrequencies ? { inputFrequencies } : {}), useBias, ...(seed !== undefined ? { seed } : {}) };
  }

  private disposeBases(): void {
    tf.dispose([...new Set(this.blocks.map((b) => b.basis).filter((t) => t !== undefined))]);
  }

  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    const r = super.dispose();
    if (r.refCountAfterDispose === 0) this.disposeBases();
    return r;
  }
}
tf.serialization.registerClass(SteerableConv2d);

/**
 * Creates a {@link SteerableConv2d} (enforce: an SO(2)-steerable convolution whose kernels
 * are combinations of core's steerable kernel basis).
 * @example
 * steerableConv2d({ rotation: 'SO(2)', filters: 4, kernelSize: 5, maxFrequency: 2, inputShape: [28, 28, 1] });
 */
export function steerableConv2d(args: SteerableConv2dArgs): SteerableConv2d {
  return new SteerableConv2d(args);
}
