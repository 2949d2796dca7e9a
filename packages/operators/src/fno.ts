import * as tf from '@tensorflow/tfjs';
import { InvalidArgumentError } from '@liesym/core';
import type { FieldValueType as ValueType, SpectralSymmetry } from '@liesym/core';
import { SpectralConv, type SpectralConvArgs } from './SpectralConv.js';

/** Options of {@link fno}. */
export interface FnoOptions {
  /** Grid size [n] or [nx, ny]. */
  gridSize: number[];
  /** Input channels (default 1). */
  channelsIn?: number;
  /** Output channels (default 1). */
  channelsOut?: number;
  /** Hidden channels (default 16). */
  width?: number;
  /** Retained-mode radius (default 6). */
  modes?: number;
  /** Number of Fourier layers (default 3). */
  layers?: number;
  /** Spectral-weight constraint (default 'none'; see {@link SpectralSymmetry}). */
  symmetry?: SpectralSymmetry;
  /** Value type of input / output (default 'scalar'); vector values with a symmetry lift and project spectrally. */
  valueIn?: ValueType;
  valueOut?: ValueType;
  /** Pointwise activation (default 'tanh'; odd, so with `useBias: false` the network is odd too). */
  activation?: 'tanh' | 'relu' | 'elu' | 'swish' | 'linear';
  /** Biases in the pointwise layers (default true). */
  useBias?: boolean;
  /** Seed of all initializers (default 0). */
  seed?: number;
}

/**
 * A Fourier neural operator (Li et al. 2021) as a tfjs LayersModel, trainable with
 * `model.fit` or a custom loop: lift P (pointwise) → L Fourier layers
 * v ↦ σ(K v + W v) with K a {@link SpectralConv} → projection Q (pointwise, σ, pointwise).
 * Pointwise maps act on channels only, so with scalar values the constraint on K alone
 * makes the whole model equivariant; with vector values and a symmetry, lift and
 * projection are spectral too (vector→scalar, scalar→vector kernels built from k̂).
 * Input [batch, n, c_in] or [batch, nx, ny, c_in]; float32.
 * @throws InvalidArgumentError for bad sizes
 * @example
 * const model = fno({ gridSize: [32, 32], width: 8, modes: 6, symmetry: 'so2' });
 * model.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
 */
export function fno(options: FnoOptions): tf.LayersModel {
  const fn = 'fno';
  const size = options?.gridSize;
  if (!Array.isArray(size) || (size.length !== 1 && size.length !== 2)) throw new InvalidArgumentError(`${fn}: 'gridSize' must be [n] or [nx, ny]; received ${JSON.stringify(size)}`);
  const { channelsIn: cin = 1, channelsOut: cout = 1, width = 16, modes = 6, layers: L = 3, symmetry: sym = 'none', activation: act = 'tanh', useBias = true, seed = 0 } = options;
  for (const [name, v] of [['channelsIn', cin], ['channelsOut', cout], ['width', width], ['layers', L]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new InvalidArgumentError(`${fn}: '${name}' must be an integer ≥ 1; received ${v}`);
  }
  const vectorIn = options.valueIn === 'vector' && sym !== 'none';
  const vectorOut = options.valueOut === 'vector' && sym !== 'none';
  const dense = (units: number, s: number, activation: FnoOptions['activation'] = 'linear'): tf.layers.Layer =>
    tf.layers.dense({ units, useBias, activation, kernelInitializer: tf.initializers.glorotUniform({ seed: s }) });
  const conv = (args: Pick<SpectralConvArgs, 'filters' | 'seed' | 'valueIn' | 'valueOut'>): tf.layers.Layer => new SpectralConv({ gridSize: size, modes, symmetry: sym, ...args });
  const input = tf.input({ shape: [...size, cin] });
  let h = (vectorIn ? conv({ filters: width, valueIn: 'vector', seed: seed + 1 }) : dense(width, seed + 1)).apply(input) as tf.SymbolicTensor;
  for (let l = 0; l < L; l++) {
    const k = conv({ filters: width, seed: seed + 10 * (l + 1) }).apply(h) as tf.SymbolicTensor;
    const w = dense(width, seed + 10 * (l + 1) + 5).apply(h) as tf.SymbolicTensor;
    h = tf.layers.add().apply([k, w]) as tf.SymbolicTensor;
    if (l < L - 1) h = tf.layers.activation({ activation: act }).apply(h) as tf.SymbolicTensor;
  }
  h = dense(2 * width, seed + 7, act).apply(h) as tf.SymbolicTensor;
  const out = (vectorOut ? conv({ filters: cout, valueOut: 'vector', seed: seed + 8 }) : dense(cout, seed + 9)).apply(h) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
