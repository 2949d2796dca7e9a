import * as tf from '@tensorflow/tfjs';
import { Representation, hom } from '@liesym/core';
import { InvalidArgumentError, ShapeMismatchError } from './errors.js';
import { homBasis, invBasis, isScalar, runsOf, type Run } from './internal/blocks.js';
import { lastDim, onLastAxis, single } from './internal/activations.js';
import { repFromConfig, repToConfig } from './repSpec.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** Initializers of the coefficients c (scaled so that W = Σ cₖBₖ has the named variance per entry). */
export type EquivariantInitializer = 'glorotNormal' | 'heNormal' | 'zeros';

/** Options of {@link equivariantDense}. */
export interface EquivariantDenseArgs extends LayerArgs {
  /** Representation of the input (its dim must equal the input's last axis). */
  repIn: Representation;
  /** Representation of the output (the layer has repOut.dim units). */
  repOut: Representation;
  /** Add a bias in the invariant subspace of repOut (default true). */
  useBias?: boolean;
  /** Initializer of the kernel coefficients (default 'glorotNormal'; the bias starts at 0). */
  kernelInitializer?: EquivariantInitializer;
  /** Seed of the initializer (default: unseeded). */
  seed?: number;
}

interface Block {
  inRun: number;
  outRun: number;
  rank: number;
  /** r × (dα·dβ): row k holds Bₖᵀ row-major, or undefined for 1-d scalar blocks. */
  bt?: tf.Tensor2D;
  weight?: tf.LayerVariable;
}

interface BiasBlock {
  outRun: number;
  rank: number;
  /** s × dβ, or undefined for Scalar runs. */
  qt?: tf.Tensor2D;
  weight?: tf.LayerVariable;
}

/**
 * A dense layer y = W·x + b constrained to the equivariant maps repIn → repOut
 * (ρ_out(g)·W = W·ρ_in(g) for all g, both continuous and discrete generators) and an
 * invariant bias (ρ_out(g)·b = b). Its trainable weights are the coefficients c of
 * W = Σₖ cₖ·Bₖ in an orthonormal basis of Hom_G(repIn, repOut) from @liesym/core, computed
 * block by block: a direct sum is split into runs of equal parts, so 64 copies of V cost
 * one 3×3 basis solve, not one of size (3·64)².
 *
 * Shapes: input [..., repIn.dim] → output [..., repOut.dim]. The kernel (tfjs layout
 * [dimIn, dimOut] = Wᵀ) is assembled in float32 on each call.
 *
 * @throws ShapeMismatchError at build when the input's last axis ≠ repIn.dim (naming the layer)
 * @throws InvalidRepresentationError when repIn and repOut belong to different groups
 * @example
 * const G = SO(3);
 * const layer = equivariantDense({ repIn: directSum(V(G), Scalar), repOut: V(G).pow(2) });
 * const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [4] }), layer] });
 */
export class EquivariantDense extends tf.layers.Layer {
  static readonly className = 'EquivariantDense';
  readonly repIn: Representation;
  readonly repOut: Representation;
  readonly useBias: boolean;
  readonly kernelInitializer: EquivariantInitializer;
  readonly seed: number | undefined;
  private readonly inRuns: Run[];
  private readonly outRuns: Run[];
  private blocks: Block[] = [];
  private biasBlocks: BiasBlock[] = [];

  constructor(args: EquivariantDenseArgs) {
    super(args);
    const fn = 'equivariantDense';
    if (!(args?.repIn instanceof Representation) || !(args.repOut instanceof Representation)) {
      throw new InvalidArgumentError(`${fn}: 'repIn' and 'repOut' must be Representations; received ${String(args?.repIn)} and ${String(args?.repOut)}`);
    }
    hom(args.repIn, args.repOut);
    const init = args.kernelInitializer ?? 'glorotNormal';
    if (!['glorotNormal', 'heNormal', 'zeros'].includes(init)) {
      throw new InvalidArgumentError(`${fn}: 'kernelInitializer' must be 'glorotNormal', 'heNormal' or 'zeros'; received ${JSON.stringify(init)}`);
    }
    this.repIn = args.repIn;
    this.repOut = args.repOut;
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = init;
    this.seed = args.seed;
    this.inRuns = runsOf(this.repIn);
    this.outRuns = runsOf(this.repOut);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const d = lastDim(inputShape);
    if (d !== this.repIn.dim) {
      throw new ShapeMismatchError(
        `EquivariantDense '${this.name}': the input's last axis must equal repIn.dim = ${this.repIn.dim} (${this.repIn.key}); received ${d}`,
      );
    }
    const fanIn = this.repIn.dim;
    const fanOut = this.repOut.dim;
    const variance = this.kernelInitializer === 'heNormal' ? 2 / fanIn : 2 / (fanIn + fanOut);
    let seedOffset = 0;
    const initializer = (stddev: number): ReturnType<typeof tf.initializers.zeros> =>
      this.kernelInitializer === 'zeros'
        ? tf.initializers.zeros()
        : tf.initializers.randomNormal({ mean: 0, stddev, ...(this.seed !== undefined ? { seed: this.seed + seedOffset++ } : {}) });
    this.blocks = [];
    this.inRuns.forEach((a, ia) => {
      this.outRuns.forEach((b, ib) => {
        const basis = homBasis(a.rep, b.rep);
        const r = basis.cols;
        const block: Block = { inRun: ia, outRun: ib, rank: r };
        if (r > 0) {
          const da = a.rep.dim;
          const db = b.rep.dim;
          if (!(da === 1 && db === 1 && r === 1)) {
            const bt = new Float32Array(r * da * db);
            for (let k = 0; k < r; k++) {
              for (let x = 0; x < da; x++) for (let y = 0; y < db; y++) bt[k * da * db + x * db + y] = basis.data[(y * da + x) * r + k]!;
            }
            block.bt = tf.keep(tf.tensor2d(bt, [r, da * db]));
          }
          block.weight = this.addWeight(
            `coefficients_${ia}_${ib}`,
            [a.count, b.count, r],
            'float32',
            initializer(Math.sqrt((variance * da * db) / r)),
          );
        }
        this.blocks.push(block);
      });
    });
    this.biasBlocks = [];
    if (this.useBias) {
      this.outRuns.forEach((b, ib) => {
        const q = invBasis(b.rep);
        const s = q.cols;
        const bb: BiasBlock = { outRun: ib, rank: s };
        if (s > 0) {
          if (!isScalar(b.rep)) bb.qt = tf.keep(tf.tensor2d(Float32Array.from(q.transpose().data), [s, b.rep.dim]));
          bb.weight = this.addWeight(`bias_${ib}`, [b.count, s], 'float32', tf.initializers.zeros());
        }
        this.biasBlocks.push(bb);
      });
    }
    this.built = true;
  }

  /** The kernel K = Wᵀ, shape [repIn.dim, repOut.dim] (tfjs dense layout), as a new tensor. */
  kernel(): tf.Tensor2D {
    return tf.tidy(() => {
      const rows = this.inRuns.map((a, ia) => {
        const cols = this.outRuns.map((b, ib) => {
          const blk = this.blocks[ia * this.outRuns.length + ib]!;
          const h = a.count * a.rep.dim;
          const w = b.count * b.rep.dim;
          if (!blk.weight) return tf.zeros([h, w]) as tf.Tensor2D;
          const c = blk.weight.read();
          if (!blk.bt) return tf.reshape(c, [h, w]) as tf.Tensor2D;
          const p = tf.matMul(tf.reshape(c, [a.count * b.count, blk.rank]), blk.bt);
          const p4 = tf.reshape(p, [a.count, b.count, a.rep.dim, b.rep.dim]);
          const arranged = a.rep.dim === 1 || b.count === 1 ? p4 : tf.transpose(p4, [0, 2, 1, 3]);
          return tf.reshape(arranged, [h, w]) as tf.Tensor2D;
        });
        return cols.length === 1 ? cols[0]! : tf.concat(cols, 1);
      });
      return rows.length === 1 ? rows[0]! : (tf.concat(rows, 0) as tf.Tensor2D);
    });
  }

  /** The invariant bias, shape [repOut.dim], or undefined when useBias is false. */
  bias(): tf.Tensor1D | undefined {
    if (!this.useBias) return undefined;
    return tf.tidy(() => {
      const parts = this.biasBlocks.map((bb) => {
        const b = this.outRuns[bb.outRun]!;
        const n = b.count * b.rep.dim;
        if (!bb.weight) return tf.zeros([n]) as tf.Tensor1D;
        const c = bb.weight.read();
        return tf.reshape(bb.qt ? tf.matMul(c as tf.Tensor2D, bb.qt) : c, [n]) as tf.Tensor1D;
      });
      return parts.length === 1 ? parts[0]! : tf.concat(parts, 0);
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const k = this.kernel();
      const b = this.bias();
      return onLastAxis(x, this.repOut.dim, (x2) => (b ? tf.add(tf.matMul(x2, k), b) : tf.matMul(x2, k)));
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...s.slice(0, -1), this.repOut.dim];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      repIn: repToConfig(this.repIn),
      repOut: repToConfig(this.repOut),
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer,
      ...(this.seed !== undefined ? { seed: this.seed } : {}),
    };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const repIn = repFromConfig(config['repIn'], 'EquivariantDense.fromConfig', 'repIn');
    const repOut = repFromConfig(config['repOut'], 'EquivariantDense.fromConfig', 'repOut');
    return new cls({ ...config, repIn, repOut });
  }

  override dispose(): ReturnType<tf.layers.Layer["dispose"]> {
    const r = super.dispose();
    if (r.refCountAfterDispose === 0) {
      for (const b of this.blocks) b.bt?.dispose();
      for (const b of this.biasBlocks) b.qt?.dispose();
    }
    return r;
  }
}
tf.serialization.registerClass(EquivariantDense);

/**
 * Creates an {@link EquivariantDense} layer (enforce: the weights live in the nullspace of
 * the Lie derivative, W = Σ cₖBₖ).
 * @example
 * const layer = equivariantDense({ repIn: V(SO(3)).pow(2), repOut: Scalar }); // y = c·tr(X)
 */
export function equivariantDense(args: EquivariantDenseArgs): EquivariantDense {
  return new EquivariantDense(args);
}
