import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError, modeTable, type FieldValueType as ValueType, type ModeTable, type SpectralSymmetry } from '@liesym/core';

/** Arguments of {@link SpectralConv}. */
export interface SpectralConvArgs {
  /** Grid size [n] or [nx, ny] (the input tensor is [batch, n, c] or [batch, nx, ny, c]). */
  gridSize: number[];
  /** Output channels (with vector output values: 2 per vector). */
  filters: number;
  /** Radius m of the retained modes: integer wavenumbers with |k| ≤ m (a disc in 2-D), m < n/2. */
  modes: number;
  /** Constraint on R(k) (default 'none'). */
  symmetry?: SpectralSymmetry;
  /** Value type of the input channels (default 'scalar'). Vector values need a symmetry in 2-D to matter. */
  valueIn?: ValueType;
  /** Value type of the output channels (default 'scalar'). */
  valueOut?: ValueType;
  /** Initialization scale of the weights (default 1/c_in). */
  initScale?: number;
  /** Seed of the weight initializer (default 0). */
  seed?: number;
  name?: string;
  trainable?: boolean;
}

/**
 * A Fourier layer's spectral convolution y = F⁻¹(R(k)·(Fv)(k)) over the retained modes,
 * computed with real DFT matrices (cos and sin tables) so that it is differentiable in tfjs
 * (whose FFT has no gradient). Translation-equivariant by construction; with `symmetry` the
 * weights are shared over wavenumber orbits and, for vector values, built from k̂:
 * vector→vector R = a(|k|)·I + b(|k|)·k̂k̂ᵀ, scalar→vector R = i·c(|k|)·k̂,
 * vector→scalar R = i·d(|k|)·k̂ᵀ, so R(gk) = ρ_out(g)·R(k)·ρ_in(g)⁻¹ for g in D4 (and O(2) for 'so2').
 * Float32 (tfjs); shapes [batch, n, c] (1-D) or [batch, nx, ny, c] (2-D).
 * @example
 * const conv = new SpectralConv({ gridSize: [32, 32], filters: 8, modes: 6, symmetry: 'so2' });
 */
export class SpectralConv extends tf.layers.Layer {
  static className = 'LiesymSpectralConv';
  readonly gridSize: number[];
  readonly filters: number;
  readonly modes: number;
  readonly symmetry: SpectralSymmetry;
  readonly valueIn: ValueType;
  readonly valueOut: ValueType;
  readonly initScale: number | undefined;
  readonly seed: number;
  private readonly table: ModeTable;
  private cos?: tf.Tensor2D;
  private sin?: tf.Tensor2D;
  private cosY?: tf.Tensor2D;
  private sinY?: tf.Tensor2D;
  private mask?: tf.Tensor3D;
  private khat?: tf.Tensor2D;
  private wRe?: tf.LayerVariable;
  private wIm?: tf.LayerVariable;
  /** M×nb basis: maps shared coefficients to modes by a matmul (gather's gradient has no wasm kernel). */
  private orbitIndex?: tf.Tensor2D;
  private cin = 0;

  constructor(args: SpectralConvArgs) {
    super(args.name === undefined ? {} : { name: args.name });
    const fn = 'SpectralConv';
    const size = args.gridSize;
    if (!Array.isArray(size) || (size.length !== 1 && size.length !== 2) || size.some((n) => !Number.isInteger(n) || n < 4)) {
      throw new InvalidArgumentError(`${fn}: 'gridSize' must be [n] or [nx, ny] with integers ≥ 4; received ${JSON.stringify(size)}`);
    }
    const [m, sym] = [args.modes, args.symmetry ?? 'none'];
    try {
      this.table = modeTable(size, m, sym); // validates 'modes' (below Nyquist) and 'symmetry' for the dimension
    } catch (e) {
      throw new InvalidArgumentError(`${fn}: ${(e as Error).message}`);
    }
    this.valueIn = args.valueIn ?? 'scalar';
    this.valueOut = args.valueOut ?? 'scalar';
    if ((this.valueIn === 'vector' || this.valueOut === 'vector') && size.length !== 2) {
      throw new InvalidArgumentError(`${fn}: vector values need a 2-D grid; received gridSize ${JSON.stringify(size)}`);
    }
    if (!Number.isInteger(args.filters) || args.filters < 1 || (this.valueOut === 'vector' && args.filters % 2 !== 0)) {
      throw new InvalidArgumentError(`${fn}: 'filters' must be an integer ≥ 1 (even for vector output); received ${args.filters}`);
    }
    this.gridSize = [...size];
    this.filters = args.filters;
    this.modes = m;
    this.symmetry = sym;
    this.initScale = args.initScale;
    this.seed = args.seed ?? 0;
    if (args.trainable === false) this.trainable = false;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    const cin = shape[shape.length - 1];
    const spatial = shape.slice(1, -1);
    if (typeof cin !== 'number' || spatial.length !== this.gridSize.length || spatial.some((n, a) => n !== this.gridSize[a])) {
      throw new InvalidArgumentError(`SpectralConv: input shape must be [batch, ${this.gridSize.join(', ')}, c]; received ${JSON.stringify(shape)}`);
    }
    if (this.valueIn === 'vector' && cin % 2 !== 0) throw new InvalidArgumentError(`SpectralConv: vector input needs an even channel count; received ${cin}`);
    this.cin = cin;
    const { k, orbit, basis, coefficients: nb } = this.table;
    const M = k.length;
    const K = 2 * this.modes + 1;
    // n×K tables cos(2π·f·i/n), sin(…) for the frequencies f = −m…m.
    const trig = (n: number): [tf.Tensor2D, tf.Tensor2D] => {
      const table = (f: (t: number) => number): tf.Tensor2D => tf.keep(tf.tensor2d(Float32Array.from({ length: n * K }, (_, e) => f((2 * Math.PI * ((e % K) - this.modes) * Math.floor(e / K)) / n)), [n, K]));
      return [table(Math.cos), table(Math.sin)];
    };
    // 1-D: one table over the grid; 2-D: separable tables along x and y (5× fewer flops than
    // one table over all points × modes).
    [this.cos, this.sin] = trig(this.gridSize[0]!);
    if (this.gridSize.length === 2) [this.cosY, this.sinY] = trig(this.gridSize[1]!);
    this.mask = tf.keep(tf.tensor3d(orbit.map((o) => (o < 0 ? 0 : 1)), [M, 1, 1]));
    // k̂ = k/|k| (0 at k = 0 and in 1-D), for the vector-valued kernels.
    const kh = k.flatMap((v) => (v.length === 2 && Math.hypot(v[0]!, v[1]!) > 0 ? [v[0]! / Math.hypot(v[0]!, v[1]!), v[1]! / Math.hypot(v[0]!, v[1]!)] : [0, 0]));
    this.khat = tf.keep(tf.tensor2d(kh, [M, 2]));
    // ×3 for 'so2': Adam moves each coefficient by ~lr per step; the gain lets the few shared
    // radial coefficients move R(k) as fast as free per-mode weights would.
    this.orbitIndex = tf.keep(tf.tensor2d(Float32Array.from(basis, (v) => (this.symmetry === 'so2' ? 3 * v : v)), [M, nb]));
    const scale = (this.initScale ?? 1 / cin) / (this.symmetry === 'so2' ? 3 : 1);
    const init = (seed: number) => tf.initializers.randomUniform({ minval: -scale, maxval: scale, seed });
    const vin = this.valueIn === 'vector' ? cin / 2 : cin;
    const vout = this.valueOut === 'vector' ? this.filters / 2 : this.filters;
    if (this.symmetry === 'none') {
      this.wRe = this.addWeight('weights_re', [M, cin, this.filters], 'float32', init(this.seed));
      this.wIm = this.addWeight('weights_im', [M, cin, this.filters], 'float32', init(this.seed + 1));
    } else if (this.valueIn === 'vector' && this.valueOut === 'vector') {
      // a(o) on the identity, b(o) on k̂k̂ᵀ, stacked along the last axis.
      this.wRe = this.addWeight('weights_ab', [nb, vin, vout, 2], 'float32', init(this.seed));
    } else {
      // scalar→scalar: real a(o); scalar↔vector: the coefficient of i·k̂.
      this.wRe = this.addWeight('weights', [nb, vin, vout], 'float32', init(this.seed));
    }
    this.built = true;
  }

  /** The complex weights R(k) over the retained modes as [re, im], each [M, c_in, c_out]. */
  weights2(): [tf.Tensor3D, tf.Tensor3D] {
    return tf.tidy(() => {
      const M = this.table.k.length;
      const cin = this.cin;
      const co = this.filters;
      if (this.symmetry === 'none') return [tf.mul(this.wRe!.read(), this.mask!) as tf.Tensor3D, tf.mul(this.wIm!.read(), this.mask!) as tf.Tensor3D];
      const w = this.wRe!.read();
      const g = tf.matMul(this.orbitIndex!, w.reshape([w.shape[0]!, -1])).reshape([M, ...w.shape.slice(1)]);
      const zeros = tf.zeros([M, cin, co]) as tf.Tensor3D;
      const kh = this.khat!;
      if (this.valueIn === 'scalar' && this.valueOut === 'scalar') return [g as tf.Tensor3D, zeros];
      if (this.valueIn === 'vector' && this.valueOut === 'vector') {
        const [a, b] = tf.split(g, 2, 3).map((t) => t.reshape([M, cin / 2, 1, co / 2, 1]));
        const eye = tf.eye(2).reshape([1, 1, 2, 1, 2]);
        const kk = tf.mul(kh.reshape([M, 2, 1]), kh.reshape([M, 1, 2])).reshape([M, 1, 2, 1, 2]);
        const re = tf.add(tf.mul(a!, eye), tf.mul(b!, kk)).reshape([M, cin, co]) as tf.Tensor3D;
        return [re, zeros];
      }
      // scalar→vector i·c(|k|)·k̂ and vector→scalar i·d(|k|)·k̂ᵀ.
      const s2v = this.valueIn === 'scalar';
      const im = tf.mul(g.reshape(s2v ? [M, cin, co / 2, 1] : [M, cin / 2, 1, co]), kh.reshape(s2v ? [M, 1, 1, 2] : [M, 1, 2, 1])).reshape([M, cin, co]) as tf.Tensor3D;
      return [zeros, im];
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const batch = x.shape[0]!;
      const cin = this.cin;
      const co = this.filters;
      const [rre, rim] = this.weights2();
      const M = rre.shape[0];
      const P = this.gridSize.reduce((a, b) => a * b, 1);
      const mul = (ure: tf.Tensor, uim: tf.Tensor): [tf.Tensor, tf.Tensor] => [
        tf.sub(tf.matMul(ure as tf.Tensor3D, rre), tf.matMul(uim as tf.Tensor3D, rim)),
        tf.add(tf.matMul(ure as tf.Tensor3D, rim), tf.matMul(uim as tf.Tensor3D, rre)),
      ];
      if (this.gridSize.length === 1) {
        const n = this.gridSize[0]!;
        // [B, n, c] → [n, B·c]: one matmul transforms every (sample, channel) column.
        const cols = x.transpose([1, 0, 2]).reshape([n, batch * cin]);
        const ure = tf.matMul(this.cos!, cols, true, false).reshape([M, batch, cin]);
        const uim = tf.neg(tf.matMul(this.sin!, cols, true, false)).reshape([M, batch, cin]);
        const [yre, yim] = mul(ure, uim);
        const y = tf.sub(tf.matMul(this.cos!, yre.reshape([M, batch * co])), tf.matMul(this.sin!, yim.reshape([M, batch * co]))).div(P);
        return y.reshape([n, batch, co]).transpose([1, 0, 2]);
      }
      const [nx, ny] = this.gridSize as [number, number];
      const K = 2 * this.modes + 1;
      // Along y: û_y = Σ_j u e^{−i k_y y_j} = A + iB.
      const rows = x.transpose([0, 1, 3, 2]).reshape([batch * nx * cin, ny]);
      const a = tf.matMul(rows, this.cosY!).reshape([batch, nx, cin * K]).transpose([1, 0, 2]).reshape([nx, batch * cin * K]);
      const b = tf.neg(tf.matMul(rows, this.sinY!)).reshape([batch, nx, cin * K]).transpose([1, 0, 2]).reshape([nx, batch * cin * K]);
      // Along x: (cos − i sin)(A + iB).
      const toModes = (t: tf.Tensor): tf.Tensor => t.reshape([K, batch, cin, K]).transpose([0, 3, 1, 2]).reshape([M, batch, cin]);
      const ure = toModes(tf.add(tf.matMul(this.cos!, a, true, false), tf.matMul(this.sin!, b, true, false)));
      const uim = toModes(tf.sub(tf.matMul(this.cos!, b, true, false), tf.matMul(this.sin!, a, true, false)));
      const [yre, yim] = mul(ure, uim);
      // Back along x: (cos + i sin)(Yr + iYi), modes [K_x, K_y·B·c].
      const yr = yre.reshape([K, K * batch * co]);
      const yi = yim.reshape([K, K * batch * co]);
      const zr = tf.sub(tf.matMul(this.cos!, yr), tf.matMul(this.sin!, yi));
      const zi = tf.add(tf.matMul(this.sin!, yr), tf.matMul(this.cos!, yi));
      // Back along y, real part: Σ cos·Zr − sin·Zi.
      const toRows = (t: tf.Tensor): tf.Tensor => t.reshape([nx, K, batch, co]).transpose([2, 0, 3, 1]).reshape([batch * nx * co, K]);
      const out = tf.sub(tf.matMul(toRows(zr), this.cosY!, false, true), tf.matMul(toRows(zi), this.sinY!, false, true)).div(P);
      return out.reshape([batch, nx, co, ny]).transpose([0, 1, 3, 2]);
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [...shape.slice(0, -1), this.filters];
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { gridSize, filters, modes, symmetry, valueIn, valueOut, seed, initScale } = this;
    return { ...super.getConfig(), gridSize, filters, modes, symmetry, valueIn, valueOut, seed, ...(initScale === undefined ? {} : { initScale }) };
  }

  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    for (const t of [this.cos, this.sin, this.cosY, this.sinY, this.mask, this.khat, this.orbitIndex]) t?.dispose();
    return super.dispose();
  }
}
tf.serialization.registerClass(SpectralConv);
