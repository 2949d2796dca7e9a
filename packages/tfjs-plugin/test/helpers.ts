import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { createRng } from '@liesym/core';
import type { RowMajorEvaluator } from '@liesym/test-utils';

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

/** A tfjs model as a row-major evaluator (core's shape): one `predict` per call, inputs converted to float32. */
export function modelEvaluator(model: tf.LayersModel): RowMajorEvaluator {
  return { evaluate: (xs, n) => tf.tidy(() => (model.predict(tf.tensor2d(Float32Array.from(xs), [n, xs.length / n])) as tf.Tensor).dataSync()) };
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
