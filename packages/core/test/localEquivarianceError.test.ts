import { describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  Matrix,
  ShapeMismatchError,
  UnknownNameError,
  UnsupportedOperationError,
  createRng,
  gridDerivativeMatrix,
  imageTransforms,
  localEquivarianceError,
  localEquivarianceErrorAsync,
  periodicDerivativeMatrix,
  signalTransforms,
  type Evaluator,
} from '../src/index.js';

/** A plain JS evaluator of a point function R^n → R^m. */
function evaluator(f: (x: Float64Array) => number[], dims: { dimIn: number; dimOut: number }): Evaluator {
  return {
    ...dims,
    evaluate(points, count) {
      const out = new Float64Array(count * dims.dimOut);
      for (let s = 0; s < count; s++) out.set(f(points.subarray(s * dims.dimIn, (s + 1) * dims.dimIn)), s * dims.dimOut);
      return out;
    },
  };
}

const H = 8;
const W = 10;
const sum = (x: Float64Array): number[] => [x.reduce((a, b) => a + b, 0)];
const rows = (S: number, n: number, f: (s: number, i: number) => number): Matrix => new Matrix(S, n, Float64Array.from({ length: S * n }, (_, e) => f(Math.floor(e / n), e % n)));
const rng = createRng(7);
const noise = rows(4, H * W, () => rng.normal());
const byName = (r: { transforms: Array<{ name: string }> }, name: string) => r.transforms.find((t) => t.name === name)! as ReturnType<typeof localEquivarianceError>['transforms'][number];

describe('the border (non-periodic) derivative', () => {
  it('is central inside and replicate-border at the ends; the periodic matrix refuses it', () => {
    expect(Array.from(gridDerivativeMatrix(4, { kind: 'border' }))).toEqual([-0.5, 0.5, 0, 0, -0.5, 0, 0.5, 0, 0, -0.5, 0, 0.5, 0, 0, -0.5, 0.5]);
    expect(Array.from(gridDerivativeMatrix(4, { kind: 'central' }))).toEqual(Array.from(periodicDerivativeMatrix(4, { kind: 'central' })));
    expect(() => periodicDerivativeMatrix(4, { kind: 'border' })).toThrow(InvalidArgumentError);
  });
});

describe('localEquivarianceError on exact models', () => {
  const family = imageTransforms({ shape: [1, H, W], layout: 'NCHW' });
  const ev = evaluator(sum, { dimIn: H * W, dimOut: 1 });

  it('sum of pixels: translation changes it only by the border flux; brightness by pixels × step', () => {
    const r = localEquivarianceError(ev, noise, { transforms: family });
    expect(r.sampleCount).toBe(4);
    expect(r.derivative).toBe('finite-difference');
    expect(r.spatialDerivative).toBe('border');
    for (let s = 0; s < 4; s++) {
      const u = noise.row(s);
      // Σ over the replicate-border central differences telescopes to Σ_rows (u[W−1] − u[0]).
      let fluxX = 0;
      for (let y = 0; y < H; y++) fluxX += u[y * W + W - 1]! - u[y * W]!;
      let fluxY = 0;
      for (let x = 0; x < W; x++) fluxY += u[(H - 1) * W + x]! - u[x]!;
      expect(byName(r, 'translation-x').perSample[s]).toBeCloseTo(Math.abs(fluxX), 6);
      expect(byName(r, 'translation-y').perSample[s]).toBeCloseTo(Math.abs(fluxY), 6);
      expect(byName(r, 'brightness').perSample[s]).toBeCloseTo(H * W * 0.01, 8);
      // Contrast moves u about its mean: the sum stays.
      expect(byName(r, 'contrast').perSample[s]).toBeLessThan(1e-8);
    }
    expect(byName(r, 'brightness').unit).toBe('percent');
    expect(byName(r, 'translation-x').unit).toBe('pixel');
    expect(byName(r, 'rotation').unit).toBe('degree');
    expect(r.transforms.map((t) => t.name)).not.toContain('saturation');
    const twice = localEquivarianceError(ev, noise, { transforms: imageTransforms({ shape: [H, W], pixelRange: 2 }) });
    expect(byName(twice, 'brightness').perUnit).toBeCloseTo(2 * H * W * 0.01, 8);
  });

  it('sum of pixels is exactly translation-invariant for images that vanish at the border', () => {
    const inner = rows(3, H * W, (_, i) => {
      const y = Math.floor(i / W);
      const x = i % W;
      return y === 0 || x === 0 || y === H - 1 || x === W - 1 ? 0 : Math.sin(i + 1);
    });
    const r = localEquivarianceError(ev, inner, { transforms: imageTransforms({ shape: [H, W], names: ['translation-x', 'translation-y'] }) });
    expect(r.verdict).toBe('holds');
    for (const t of r.transforms) expect(t.error).toBeLessThan(1e-9);
    // The periodic derivatives would make any image's sum translation-invariant: no border term at all.
    const periodic = localEquivarianceError(ev, noise, { transforms: imageTransforms({ shape: [H, W], names: ['translation-x'], derivative: 'central' }) });
    expect(periodic.transforms[0]!.error).toBeLessThan(1e-9);
  });

  it('a model reading one pixel has the translation-x error of that pixel’s x-derivative', () => {
    const a = 0.3;
    const b = 0.2;
    const smooth = rows(1, H * W, (_, i) => Math.sin(a * (i % W) + b * Math.floor(i / W)));
    const [py, px] = [3, 4];
    const one = evaluator((x) => [x[py * W + px]!], { dimIn: H * W, dimOut: 1 });
    const r = localEquivarianceError(one, smooth, { transforms: imageTransforms({ shape: [H, W], names: ['translation-x'] }) });
    const u = smooth.row(0);
    const discrete = (u[py * W + px + 1]! - u[py * W + px - 1]!) / 2;
    const analytic = a * Math.cos(a * px + b * py);
    expect(r.transforms[0]!.perUnit).toBeCloseTo(Math.abs(discrete), 8);
    // Central differences: (sin(a(x+1)) − sin(a(x−1)))/2 = cos(ax)·sin(a), within a²/6 of a·cos(ax).
    expect(Math.abs(r.transforms[0]!.perUnit - Math.abs(analytic))).toBeLessThan(Math.abs(analytic) * (a * a) / 6 + 1e-9);
    expect(r.transforms[0]!.error).toBeCloseTo(Math.abs(discrete) / Math.abs(u[py * W + px]!), 6);
  });

  it('rotation of a radially symmetric image under an invariant model is ≈ 0; per degree = per radian × π/180', () => {
    const n = 16;
    const c = (n - 1) / 2;
    const radial = rows(1, n * n, (_, i) => Math.exp(-((Math.floor(i / n) - c) ** 2 + ((i % n) - c) ** 2) / 8));
    const energy = evaluator((x) => [x.reduce((s, v) => s + v * v, 0)], { dimIn: n * n, dimOut: 1 });
    const r = localEquivarianceError(energy, radial, { transforms: imageTransforms({ shape: [n, n], names: ['rotation', 'scaling'] }) });
    expect(byName(r, 'rotation').error).toBeLessThan(1e-9);
    // Shears keep areas, so they would keep Σu² too; scaling does not.
    expect(byName(r, 'scaling').error).toBeGreaterThan(1e-4);
    const lopsided = rows(2, n * n, (s, i) => Math.exp(-((Math.floor(i / n) - 5) ** 2 + 2 * ((i % n) - 9 - s) ** 2) / 8));
    const deg = localEquivarianceError(energy, lopsided, { transforms: imageTransforms({ shape: [n, n], names: ['rotation'] }) });
    const rad = localEquivarianceError(energy, lopsided, { transforms: imageTransforms({ shape: [n, n], names: ['rotation'], angleUnit: 'radian' }) });
    expect(rad.transforms[0]!.unit).toBe('radian');
    expect(deg.transforms[0]!.perUnit).toBeGreaterThan(1e-5);
    expect(deg.transforms[0]!.perUnit / rad.transforms[0]!.perUnit).toBeCloseTo(Math.PI / 180, 8);
  });

  it('a signal model F(s) = Σ s² changes by 2·0.01·Σ s² per percent of gain', () => {
    const T = 32;
    const signals = rows(3, T, (s, t) => Math.cos(0.2 * t + s));
    const sq = evaluator((x) => [x.reduce((a, v) => a + v * v, 0)], { dimIn: T, dimOut: 1 });
    const r = localEquivarianceError(sq, signals, { transforms: signalTransforms({ length: T }), tolerance: 0.5 });
    const gain = byName(r, 'gain');
    for (let s = 0; s < 3; s++) expect(gain.perSample[s]).toBeCloseTo(2 * 0.01 * signals.row(s).reduce((a, v) => a + v * v, 0), 8);
    expect(gain.error).toBeCloseTo(0.02, 8);
    expect(gain.verdict).toBe('holds');
    expect(r.tolerance).toBe(0.5);
    expect(r.transforms.map((t) => `${t.name}/${t.unit}`)).toEqual(['time-shift/sample', 'time-scaling/percent', 'gain/percent']);
  });

  it('an identity model is equivariant under every transform when the output transforms too', () => {
    const shape = [3, 6, 7];
    const fam = imageTransforms({ shape });
    const id = evaluator((x) => Array.from(x), { dimIn: fam.dim, dimOut: fam.dim });
    const xs = rows(2, fam.dim, () => rng.normal());
    const r = localEquivarianceError(id, xs, { transforms: fam, outputTransforms: fam });
    expect(r.transforms.map((t) => t.name)).toContain('saturation');
    for (const t of r.transforms) {
      expect(t.action).toBe('equivariant');
      expect(t.error).toBeLessThan(1e-8);
    }
    expect(r.verdict).toBe('holds');
    expect(r.tolerance).toBe(1e-5);
    const inv = localEquivarianceError(id, xs, { transforms: fam });
    expect(byName(inv, 'rotation').verdict).toBe('broken');
  });

  it('NHWC and NCHW give the same numbers for the same image', () => {
    const C = 3;
    const nchw = rows(1, C * H * W, () => rng.normal());
    const nhwc = new Matrix(1, C * H * W);
    for (let c = 0; c < C; c++) for (let p = 0; p < H * W; p++) nhwc.data[p * C + c] = nchw.data[c * H * W + p]!;
    const weights = Float64Array.from({ length: C * H * W }, (_, i) => Math.cos(i));
    const f = (x: Float64Array): number[] => [x.reduce((a, v, i) => a + weights[i]! * v * v, 0)];
    const g = (x: Float64Array): number[] => {
      const back = new Float64Array(C * H * W);
      for (let c = 0; c < C; c++) for (let p = 0; p < H * W; p++) back[c * H * W + p] = x[p * C + c]!;
      return f(back);
    };
    const a = localEquivarianceError(evaluator(f, { dimIn: C * H * W, dimOut: 1 }), nchw, { transforms: imageTransforms({ shape: [C, H, W], layout: 'NCHW' }) });
    const b = localEquivarianceError(evaluator(g, { dimIn: C * H * W, dimOut: 1 }), nhwc, { transforms: imageTransforms({ shape: [H, W, C], layout: 'NHWC' }) });
    a.transforms.forEach((t, k) => expect(b.transforms[k]!.perUnit).toBeCloseTo(t.perUnit, 6));
  });

  it('the async variant gives the same numbers for an async evaluator; the sync one refuses it', async () => {
    const asyncEv: Evaluator = { ...ev, evaluate: (p, c) => Promise.resolve(ev.evaluate(p, c)) };
    const a = await localEquivarianceErrorAsync(asyncEv, noise, { transforms: family });
    const b = localEquivarianceError(ev, noise, { transforms: family });
    expect(a.transforms.map((t) => t.perUnit)).toEqual(b.transforms.map((t) => t.perUnit));
    expect(() => localEquivarianceError(asyncEv, noise, { transforms: family })).toThrow(UnsupportedOperationError);
  });

  it('bad shapes, layouts, names and mismatched samples get typed errors', () => {
    expect(() => imageTransforms({ shape: [64] })).toThrow(ShapeMismatchError);
    expect(() => imageTransforms({ shape: [3, 1, 8] })).toThrow(ShapeMismatchError);
    expect(() => imageTransforms({ shape: [3, 8, 8], layout: 'NCWH' as 'NCHW' })).toThrow(/'layout' must be 'NCHW' or 'NHWC'/);
    expect(() => imageTransforms({ shape: [3, 8, 8], names: ['twirl'] })).toThrow(UnknownNameError);
    expect(() => imageTransforms({ shape: [1, 8, 8], names: ['saturation'] })).toThrow(/needs 3 channels/);
    expect(() => imageTransforms({ shape: [8, 8], pixelRange: 0 })).toThrow(/'pixelRange'/);
    expect(() => imageTransforms({ shape: [8, 8], derivative: 'wrap' as 'border' })).toThrow(/'derivative'/);
    expect(() => signalTransforms({ length: 1 })).toThrow(/'length'/);
    expect(() => signalTransforms({ length: 8, names: ['pitch'] })).toThrow(UnknownNameError);
    expect(() => localEquivarianceError(ev, rows(2, 5, () => 1), { transforms: family })).toThrow(ShapeMismatchError);
    expect(() => localEquivarianceError(ev, noise, { transforms: imageTransforms({ shape: [4, 4] }) })).toThrow(/act on 16 numbers/);
    expect(() => localEquivarianceError(ev, noise, { transforms: family, outputTransforms: family })).toThrow(/'outputTransforms' act on 80/);
    expect(() => localEquivarianceError(ev, noise, { transforms: family, tolerance: 2 })).toThrow(/'tolerance'/);
    expect(() => localEquivarianceError(ev, new Matrix(0, H * W), { transforms: family })).toThrow(/at least one sample/);
    expect(() => localEquivarianceError(ev, noise, {} as never)).toThrow(/'transforms' must be a TransformFamily/);
  });
});
