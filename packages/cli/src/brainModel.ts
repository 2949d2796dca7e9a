/**
 * A brain.js network JSON as a {@link CliModel}: @liesym/brain (exact Jacobians), promote through @liesym/tfjs; the
 * input vector as a signal for --transforms (time-shift, time-scaling, gain) and --transform time-reversal.
 */
import { analyzeLayers, analyzeTransforms, checkDiscrete, checkSymmetry, discoverSymmetries, readNetwork, writeProjectedNetwork } from '@liesym/brain';
import { SIGNAL_TRANSFORMS } from '@liesym/core';
import { checkOutputFiles, writeOutputFiles } from '@liesym/core/node';
import type { CliModel, LayerRow } from './CliModel.js';
import { UsageError } from './errors.js';

/** Opens the brain.js `NeuralNetwork#toJSON()` at `path` (its real path is the network's `source`: never written). */
export function openBrain(path: string): CliModel {
  const net = readNetwork(path);
  const rows = (o: { reps: Parameters<typeof analyzeLayers>[1]['reps']; tolerance?: number }): LayerRow[] =>
    analyzeLayers(net, o).map((l) => ({ ...l, name: `layer ${l.index + 1}` }));
  return {
    kind: 'brain.js',
    path,
    files: [path],
    dimIn: net.dimIn,
    dimOut: net.dimOut,
    dtype: 'float64',
    derivative: 'exact',
    sampleShape: [net.dimIn],
    signature: `sizes [${net.sizes.join(', ')}], ${net.activation}, float64 (exact Jacobians)`,
    transforms: async ({ onProgress: _onProgress, inputs, layout: _layout, pixelRange: _pixelRange, ...run }) => {
      const names = run.transforms === 'signal' ? [] : run.transforms === 'image' ? ['image'] : run.transforms;
      const image = names.find((n) => !(SIGNAL_TRANSFORMS as readonly string[]).includes(n));
      if (image !== undefined) throw new UsageError(`--transforms ${image}: brain.js inputs are vectors of ${net.dimIn} numbers, read as a signal; use --transforms signal or ${SIGNAL_TRANSFORMS.join(',')}`);
      const r = analyzeTransforms(net, { ...run, transforms: run.transforms as 'signal', samples: inputs ?? run.samples });
      return { ...r, output: 'y' };
    },
    checkDiscrete: async ({ onProgress: _onProgress, inputs, layout: _layout, ...run }) => {
      const other = run.transforms.find((t) => t !== 'time-reversal');
      if (other !== undefined) throw new UsageError(`--transform ${other}: brain.js inputs are vectors of ${net.dimIn} numbers; the one discrete transform of a vector is time-reversal`);
      return checkDiscrete(net, { ...run, transforms: run.transforms as 'time-reversal'[], samples: inputs ?? run.samples });
    },
    layerCount: () => net.layers.length,
    discover: async (run) =>
      discoverSymmetries(net, { candidate: run.candidate as 'gl-input', samples: run.inputs ?? run.samples, seed: run.seed, ...(run.rtol !== undefined ? { rtol: run.rtol } : {}) }),
    check: async (run) =>
      checkSymmetry(net, {
        group: run.group,
        repIn: run.repIn,
        repOut: run.repOut,
        samples: run.inputs ?? run.samples,
        seed: run.seed,
        ...(run.tolerance !== undefined ? { tolerance: run.tolerance } : {}),
      }),
    layers: rows,
    async project(o) {
      const rules = { inputs: [path], force: o.force, fn: '-o', forceHint: '--force' };
      checkOutputFiles([o.out], rules);
      const r = writeProjectedNetwork(net, o.out, { reps: o.reps, force: o.force });
      return {
        layers: r.removed.map((removed, k) => ({ name: `layer ${k + 1}`, removed, projected: true })),
        after: analyzeLayers(readNetwork(o.out), { reps: o.reps }).map((l) => ({ ...l, name: `layer ${l.index + 1}` })),
      };
    },
    async promote(run) {
      const { promoteDenseLayers } = await import('@liesym/tfjs');
      const rules = { inputs: [path], force: run.force, fn: '-o', forceHint: '--force' };
      checkOutputFiles([run.out], rules);
      const { out: _out, force: _force, ...train } = run;
      const activation = net.activation;
      const r = await promoteDenseLayers(
        net.layers.map(({ W, b }) => ({ W, b, activation })),
        { ...train, leakyReluAlpha: net.leakyReluAlpha },
      );
      const tuned = r.layers.map((l, k) => ({ W: l.W, b: l.b ?? net.layers[k]!.b }));
      writeOutputFiles([{ path: run.out, data: `${JSON.stringify(net.toJSON(tuned))}\n` }], rules);
      return { loss: r.loss, layers: net.layers.map(({ W }, k) => ({ name: `layer ${k + 1}`, dimIn: W.cols, dimOut: W.rows, activation })) };
    },
    close: async () => undefined,
  };
}
