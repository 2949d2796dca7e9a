/** The bundled demo model is exactly what `npm run make:demo-model` builds (test-utils' lorentzInvariantNetwork). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEMO_MODEL, demoModel } from '../src/demo/makeDemoModel.js';

describe('the demo model', () => {
  it('apps/bench/data/lorentz-invariant.onnx is demoModel(), byte for byte', () => {
    expect(new Uint8Array(readFileSync(DEMO_MODEL))).toEqual(demoModel().encode());
  });
});
