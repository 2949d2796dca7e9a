import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createRng } from '@liesym/core';

/** Both backends every tfjs test runs on. */
export const BACKENDS = ['cpu', 'wasm'] as const;

export async function useBackend(name: (typeof BACKENDS)[number]): Promise<void> {
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`backend ${name} failed to initialize`);
  await tf.ready();
}

/** Seeded standard-normal rows. */
export function randn(rows: number, cols: number, seed: number): number[][] {
  const r = createRng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => r.normal()));
}

/** An in-memory save/load round trip (no file system, no network). */
export async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return tf.loadLayersModel(tf.io.fromMemory(saved!));
}

export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(a[i]!), Math.abs(b[i]!));
  }
  return num / Math.max(den, Number.MIN_VALUE);
}

interface QuadraticSpec {
  S: number[][];
  w: number[];
  c: number;
  b: number;
  /** Default 'tanh'. */
  activation?: 'tanh' | 'linear';
}

/** F(x) = act(c·xᵀSx + w·x + b) on R^n, computed exactly (up to float32) by a tiny custom layer. */
class QuadraticForm extends tf.layers.Layer {
  static readonly className = 'TestQuadraticForm';
  private readonly s: tf.Tensor2D;
  private readonly w: tf.Tensor2D;
  constructor(private readonly spec: QuadraticSpec) {
    super({});
    this.s = tf.tensor2d(spec.S);
    this.w = tf.tensor2d(spec.w, [spec.w.length, 1]);
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0]! : inputs) as tf.Tensor2D;
      const quad = tf.sum(tf.mul(tf.matMul(x, this.s), x), 1, true);
      const y = tf.add(tf.add(tf.mul(quad, this.spec.c), tf.matMul(x, this.w)), this.spec.b);
      return (this.spec.activation ?? 'tanh') === 'tanh' ? tf.tanh(y) : y;
    });
  }
  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [(inputShape as tf.Shape)[0] ?? null, 1];
  }
  override dispose(): ReturnType<tf.layers.Layer['dispose']> {
    const r = super.dispose();
    if (r.refCountAfterDispose === 0) tf.dispose([this.s, this.w]);
    return r;
  }
}

/** A LayersModel [batch, n] → [batch, 1] computing act(c·xᵀSx + w·x + b). */
export function quadraticModel(spec: QuadraticSpec): tf.LayersModel {
  return tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [spec.w.length] }), new QuadraticForm(spec)] });
}
