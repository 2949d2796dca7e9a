import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, Representation, describe, errorMessage, hom, representationRuns, type BasisCache, type RepresentationRun } from '@liesym/core';
import { homBasis, invBasis, isScalar, layerBases } from './internal/blocks.js';
import { EquivariantLayer, type LayerArgs } from './internal/EquivariantLayer.js';

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
  /** Where the blocks' bases are solved and kept (default: one content-addressed cache shared by every layer; not serialized). */
  basisCache?: BasisCache;
}

/** A block of W (kernel) or of b (bias): its basis dimension r, the basis as r rows (none for 1×1 blocks), its coefficients. */
interface Block {
  rank: number;
  basis?: tf.Tensor2D;
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
export class EquivariantDense extends EquivariantLayer {
  static readonly className = 'EquivariantDense';
  static override readonly repKeys = ['repIn', 'repOut'];
  readonly repIn: Representation;
  readonly repOut: Representation;
  readonly useBias: boolean;
  readonly kernelInitializer: EquivariantInitializer;
  readonly seed: number | undefined;
  private readonly basisCache: BasisCache;
  private readonly inRuns: RepresentationRun[];
  private readonly outRuns: RepresentationRun[];
  private blocks: Block[] = [];
  private biasBlocks: Block[] = [];

  constructor(args: EquivariantDenseArgs) {
    super(args);
    const fn = 'equivariantDense';
    if (!(args?.repIn instanceof Representation) || !(args.repOut instanceof Representation)) {
      throw new InvalidArgumentError(`${fn}: 'repIn' and 'repOut' must be Representations; received ${describe(args?.repIn)} and ${describe(args?.repOut)}`);
    }
    hom(args.repIn, args.repOut);
    const init = args.kernelInitializer ?? 'glorotNormal';
    if (!['glorotNormal', 'heNormal', 'zeros'].includes(init)) throw new InvalidArgumentError(errorMessage(fn, 'kernelInitializer', { expected: "'glorotNormal', 'heNormal' or 'zeros'", received: init }));
    this.repIn = args.repIn;
    this.repOut = args.repOut;
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = init;
    this.seed = args.seed;
    this.basisCache = args.basisCache ?? layerBases;
    this.inRuns = representationRuns(this.repIn);
    this.outRuns = representationRuns(this.repOut);
  }

  protected spec() {
    const { repIn, repOut, useBias, kernelInitializer, seed } = this;
    const config = { repIn, repOut, useBias, kernelInitializer, ...(seed !== undefined ? { seed } : {}) };
    return { inputDim: repIn.dim, expected: `equal repIn.dim = ${repIn.dim} (${repIn.key})`, outputDim: repOut.dim, config };
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    this.checkInput(inputShape);
    const variance = this.kernelInitializer === 'heNormal' ? 2 / this.repIn.dim : 2 / (this.repIn.dim + this.repOut.dim);
    let seedOffset = 0;
    const initializer = (stddev: number): ReturnType<typeof tf.initializers.zeros> =>
      this.kernelInitializer === 'zeros'
        ? tf.initializers.zeros()
        : tf.initializers.randomNormal({ mean: 0, stddev, ...(this.seed !== undefined ? { seed: this.seed + seedOffset++ } : {}) });
    this.blocks = [];
    this.inRuns.forEach((a, ia) => {
      this.outRuns.forEach((b, ib) => {
        const basis = homBasis(a.rep, b.rep, this.basisCache);
        const r = basis.cols;
        const block: Block = { rank: r };
        if (r > 0) {
          const da = a.rep.dim;
          const db = b.rep.dim;
          // row k: Bₖᵀ row-major (the kernel layout); a 1×1 block with one basis element is its coefficient
          const bt = tf.tidy(() => tf.reshape(tf.transpose(tf.tensor3d(Float32Array.from(basis.transpose().data), [r, db, da]), [0, 2, 1]), [r, da * db]));
          if (da * db * r > 1) block.basis = this.constant(bt as tf.Tensor2D);
          else bt.dispose();
          block.weight = this.addWeight(`coefficients_${ia}_${ib}`, [a.count, b.count, r], 'float32', initializer(Math.sqrt((variance * da * db) / r)));
        }
        this.blocks.push(block);
      });
    });
    this.biasBlocks = [];
    if (this.useBias) {
      this.outRuns.forEach((b, ib) => {
        const q = invBasis(b.rep, this.basisCache);
        const s = q.cols;
        const bb: Block = { rank: s };
        if (s > 0) {
          if (!isScalar(b.rep)) bb.basis = this.constant(tf.tensor2d(Float32Array.from(q.transpose().data), [s, b.rep.dim]));
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
          if (!blk.basis) return tf.reshape(c, [h, w]) as tf.Tensor2D;
          const p = tf.matMul(tf.reshape(c, [a.count * b.count, blk.rank]), blk.basis);
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
      const parts = this.biasBlocks.map((bb, ib) => {
        const b = this.outRuns[ib]!;
        const n = b.count * b.rep.dim;
        if (!bb.weight) return tf.zeros([n]) as tf.Tensor1D;
        const c = bb.weight.read();
        return tf.reshape(bb.basis ? tf.matMul(c as tf.Tensor2D, bb.basis) : c, [n]) as tf.Tensor1D;
      });
      return parts.length === 1 ? parts[0]! : tf.concat(parts, 0);
    });
  }

  protected compute(x: tf.Tensor2D): tf.Tensor2D {
    const b = this.bias();
    const y = tf.matMul(x, this.kernel()) as tf.Tensor2D;
    return b ? (tf.add(y, b) as tf.Tensor2D) : y;
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
