import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, Matrix, ShapeMismatchError, layerAttribution, localEquivarianceErrorAsync, signalTransforms } from '../src/index.js';
import type { AttributionGraph, GraphTensor } from '../src/index.js';

/** A node of a hand-written graph: batch-first tensors [count, 1, T] or [count, 1]. */
interface Node {
  name: string;
  opType: string;
  inputs: string[];
  output: string;
  f: (xs: Float64Array[], count: number) => { data: Float64Array; dims: number[] };
}

const T = 24;

/** A graph run by hand in float64: every node, nodes alone, and the graph with shifts. */
function handGraph(nodes: Node[], output: string): AttributionGraph {
  const forward = (points: Float64Array, count: number, deltas: ReadonlyMap<string, Float64Array>): Map<string, GraphTensor> => {
    const t = new Map<string, GraphTensor>();
    const dx = deltas.get('x');
    t.set('x', { dims: [count, T], data: dx ? points.map((v, i) => v + dx[i]!) : points });
    for (const n of nodes) {
      const r = n.f(n.inputs.map((i) => t.get(i)!.data), count);
      const d = deltas.get(n.output);
      t.set(n.output, { dims: r.dims, data: d ? r.data.map((v, i) => v + d[i]!) : r.data });
    }
    return t;
  };
  return {
    dimIn: T,
    dimOut: 1,
    input: 'x',
    output,
    nodes: nodes.map((n) => ({ name: n.name, opType: n.opType, inputs: n.inputs, outputs: [n.output] })),
    async run(points, count) {
      const tensors = forward(points, count, new Map());
      return {
        tensors,
        async nodeOutputs(values) {
          return new Map(nodes.map((n) => [n.output, n.f(n.inputs.map((i) => values.get(i) ?? tensors.get(i)!.data), count).data]));
        },
        async shifted(deltas) {
          return forward(points, count, deltas).get(output)!.data;
        },
      };
    },
  };
}

const conv = (k: number[]) => (xs: Float64Array[], count: number) => {
  const x = xs[0]!;
  const y = new Float64Array(count * T);
  const r = (k.length - 1) / 2;
  for (let s = 0; s < count; s++) for (let t = 0; t < T; t++) for (let j = 0; j < k.length; j++) {
    const u = t + j - r;
    if (u >= 0 && u < T) y[s * T + t]! += k[j]! * x[s * T + u]!;
  }
  return { data: y, dims: [count, 1, T] };
};
const pointwise = (g: (v: number) => number) => (xs: Float64Array[], count: number) => ({ data: xs[0]!.map(g), dims: [count, 1, T] });
const add = (xs: Float64Array[], count: number) => ({ data: xs[0]!.map((v, i) => v + xs[1]![i]!), dims: [count, 1, T] });
const window = (w: (t: number) => number) => (xs: Float64Array[], count: number) => ({ data: xs[0]!.map((v, i) => v * w(i % T)), dims: [count, 1, T] });
const sum = (xs: Float64Array[], count: number) => {
  const y = new Float64Array(count);
  for (let s = 0; s < count; s++) for (let t = 0; t < T; t++) y[s]! += xs[0]![s * T + t]!;
  return { data: y, dims: [count, 1] };
};

/** A residual block, a window and a global sum: y = Σ_t w(t)·(x + tanh(k ∗ x))(t). */
function residualNet(w: (t: number) => number): AttributionGraph {
  return handGraph(
    [
      { name: 'conv', opType: 'Conv', inputs: ['x'], output: 'c', f: conv([0.25, 0.5, 0.25]) },
      { name: 'tanh', opType: 'Tanh', inputs: ['c'], output: 'a', f: pointwise(Math.tanh) },
      { name: 'residual', opType: 'Add', inputs: ['x', 'a'], output: 'r', f: add },
      { name: 'window', opType: 'Mul', inputs: ['r'], output: 'm', f: window(w) },
      { name: 'sum', opType: 'ReduceSum', inputs: ['m'], output: 'y', f: sum },
    ],
    'y',
  );
}

/** Smooth bumps that vanish at both ends (the border derivative is then exact to O(h²) everywhere). */
function samples(count: number): Float64Array {
  const x = new Float64Array(count * T);
  for (let s = 0; s < count; s++) {
    const c = 8 + s * 2.5;
    for (let t = 0; t < T; t++) x[s * T + t] = Math.exp(-(((t - c) / 2.5) ** 2));
  }
  return x;
}

describe('layerAttribution', () => {
  const family = signalTransforms({ length: T, names: ['time-shift', 'gain'] });
  const xs = new Matrix(4, T, samples(4));

  it('adds the node contributions up to the whole graph error (chain rule), and the window that breaks time shifts carries it', async () => {
    const graph = residualNet((t) => 1 + t / T);
    const r = await layerAttribution(graph, xs, { transforms: family });
    const shift = r.transforms[0]!;
    expect(shift.name).toBe('time-shift');
    expect(shift.closure).toBeLessThan(1e-6);
    expect(Math.abs(shift.sum.error - shift.total.error) / shift.total.error).toBeLessThan(1e-6);
    // The same error as core's whole-model measurement.
    const direct = await localEquivarianceErrorAsync(
      { dimIn: T, dimOut: 1, evaluate: async (p, n) => (await (await graph.run(p, n)).shifted(new Map())) },
      xs,
      { transforms: family },
    );
    expect(shift.total.perUnit).toBeCloseTo(direct.transforms[0]!.perUnit, 6);
    const by = Object.fromEntries(shift.nodes.map((n) => [n.name, n]));
    // Add of two grid tensors commutes with the shift exactly: defect 0, not propagated.
    expect(by['residual']!.propagated).toBe(false);
    expect(by['residual']!.error).toBe(0);
    // The window is the only node that is not shift-equivariant in the interior: it dominates.
    expect(by['window']!.error).toBeGreaterThan(10 * by['conv']!.error);
    expect(by['window']!.error).toBeGreaterThan(10 * by['tanh']!.error);
    // d/dt Σ w·r(· − t) = −Σ w·r' = Σ w'·r (bumps vanish at the ends): the window's share by hand, w' = 1/T.
    const run = await graph.run(xs.data, 4);
    const rr = run.tensors.get('r')!.data;
    let hand = 0;
    for (let s = 0; s < 4; s++) {
      let v = 0;
      for (let t = 0; t < T; t++) v += rr[s * T + t]! / T;
      hand += v * v;
    }
    expect(by['window']!.perUnit).toBeCloseTo(Math.sqrt(hand / 4), 3);
  });

  it('puts a photometric transform on the nodes that read the input: gain moves only the input', async () => {
    const r = await layerAttribution(residualNet(() => 1), xs, { transforms: family });
    const gain = r.transforms[1]!;
    expect(gain.closure).toBeLessThan(1e-6);
    const by = Object.fromEntries(gain.nodes.map((n) => [n.name, n]));
    // Features carry no value action: only conv and residual read a moving tensor.
    expect(by['tanh']!.propagated).toBe(false);
    expect(by['window']!.propagated).toBe(false);
    expect(by['sum']!.propagated).toBe(false);
    expect(by['conv']!.error).toBeGreaterThan(0);
    expect(by['residual']!.error).toBeGreaterThan(0);
    expect(r.spatial.some((s) => s.startsWith('c [4, 1, 24] as a 24 grid'))).toBe(true);
    expect(r.fixed.some((s) => s.startsWith('y '))).toBe(false);
  });

  it('refuses a graph that is not one and transforms of the wrong size', async () => {
    await expect(layerAttribution({} as AttributionGraph, xs, { transforms: family })).rejects.toThrow(InvalidArgumentError);
    await expect(layerAttribution(residualNet(() => 1), xs, { transforms: signalTransforms({ length: 8 }) })).rejects.toThrow(ShapeMismatchError);
    await expect(layerAttribution(residualNet(() => 1), xs, { transforms: family, chunk: 0 })).rejects.toThrow(/'chunk' must be an integer ≥ 1; received 0/);
  });
});
