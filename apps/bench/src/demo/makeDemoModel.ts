/**
 * The demo's bundled ONNX model, a small Lorentz-invariant network
 * F(x) = w₂ᵀ·tanh(w₁·q(x) + b₁) + b₂ with q(x) = x₀² − x₁² − x₂² − x₃² (float32, opset 13,
 * seed 2024, 8 hidden units): test-utils' `lorentzInvariantNetwork`. Its symmetry algebra
 * inside gl(4) is so(1,3), of dimension 6.
 *
 *   npm run make:demo-model -w apps/bench [-- --force]    (writes apps/bench/data/lorentz-invariant.onnx)
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lorentzInvariantNetwork, onnxModel, type OnnxModelBuilder } from '@liesym/test-utils/onnx';

export const DEMO_MODEL = fileURLToPath(new URL('../../data/lorentz-invariant.onnx', import.meta.url));

/** The bundled model's builder (its bytes are apps/bench/data/lorentz-invariant.onnx). */
export function demoModel(): OnnxModelBuilder {
  return onnxModel({ ...lorentzInvariantNetwork({ seed: 2024, hidden: 8 }).spec, producer: 'liesym-demo' });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  mkdirSync(dirname(DEMO_MODEL), { recursive: true });
  try {
    demoModel().writeTo(DEMO_MODEL, { force: process.argv.includes('--force') });
    console.log(`wrote ${DEMO_MODEL}`);
  } catch (e) {
    if ((e as { code?: string }).code !== 'OUTPUT_EXISTS') throw e;
    console.error(`make-demo-model: ${DEMO_MODEL} exists; pass --force to replace it`);
    process.exit(2);
  }
}
