import { describe, expect, it } from 'vitest';
import { GRIDDED_MODELS, REWEIGHT_DELTA, REWEIGHT_WEIGHT, bestByValidation, protocolFrom, protocolOf } from '../src/neuralOde/protocol.js';

describe('protocolOf (how the pendulum tables label a row trained otherwise than the table)', () => {
  const base = { epochs: 900, epochSelection: 'validation' as const, learningRate: 1e-2 };
  it('is empty for a row of the table protocol', () => {
    expect(protocolOf({ epochs: 900, epochSelection: 'validation', learningRate: 1e-2 }, base)).toBe('');
  });
  it('labels a row recorded before learning rates were (300 epochs at 3e-3, the last epoch)', () => {
    expect(protocolOf({ epochs: 300 }, base)).toBe('300 epochs, last epoch, lr 0.003');
  });
  it('labels a different learning rate alone, and a different selection alone', () => {
    expect(protocolOf({ epochs: 900, epochSelection: 'validation', learningRate: 3e-3 }, base)).toBe('lr 0.003');
    expect(protocolOf({ epochs: 900, learningRate: 1e-2 }, base)).toBe('900 epochs, last epoch');
    expect(protocolOf({ epochs: 900, epochSelection: 'validation' }, { epochs: 300 })).toBe('900 epochs, epoch by validation');
  });
  it('labels a width other than 64 (absent means 64), and protocolFrom carries it from a recorded row', () => {
    expect(protocolOf({ epochs: 900, epochSelection: 'validation', learningRate: 1e-2, width: 128 }, base)).toBe('width 128');
    expect(protocolOf({ epochs: 900, epochSelection: 'validation', learningRate: 1e-2, width: 64 }, base)).toBe('');
    expect(protocolOf(protocolFrom({ epochs: 300, width: 32 }, 900), base)).toBe('300 epochs, last epoch, lr 0.003, width 32');
  });
});

describe('the penalty box margin in the pendulum protocol', () => {
  const base = { epochs: 900, epochSelection: 'validation' as const, learningRate: 1e-2 };
  it('reads a promoted or …-flatten row without a margin as margin 0, and a plain or enforced row as having none', () => {
    expect(protocolFrom({ model: 'promoted', epochs: 900 }, 900).penaltyMargin).toBe(0);
    expect(protocolFrom({ model: 'enforced-flatten', epochs: 900 }, 900).penaltyMargin).toBe(0);
    expect(protocolFrom({ model: 'enforced-norm-flatten', epochs: 900 }, 900).penaltyMargin).toBe(0);
    expect(protocolFrom({ model: 'promoted-reweight', epochs: 900 }, 900).penaltyMargin).toBe(0);
    expect(protocolFrom({ model: 'promoted-nr', epochs: 900 }, 900).penaltyMargin).toBe(0);
    expect(protocolFrom({ model: 'promoted-paper', epochs: 900 }, 900).penaltyMargin).toBeUndefined(); // fixed points, no box
    expect(protocolFrom({ model: 'plain', epochs: 900 }, 900).penaltyMargin).toBeUndefined();
    expect(protocolFrom({ model: 'enforced', epochs: 900 }, 900).penaltyMargin).toBeUndefined();
    expect(protocolFrom({ model: 'promoted', penaltyMargin: 0.5 }, 900).penaltyMargin).toBe(0.5);
  });
  it('labels a margin other than the table’s, and never a model without a box', () => {
    const row = (model: string, penaltyMargin?: number) => protocolFrom({ model, epochs: 900, epochSelection: 'validation', learningRate: 1e-2, ...(penaltyMargin !== undefined ? { penaltyMargin } : {}) }, 900);
    expect(protocolOf(row('promoted', 0.5), base)).toBe('penalty box margin 0.5');
    expect(protocolOf(row('promoted'), base)).toBe('');
    expect(protocolOf(row('promoted'), { ...base, penaltyMargin: 0.5 })).toBe('penalty box margin 0');
    expect(protocolOf(row('promoted', 0.5), { ...base, penaltyMargin: 0.5 })).toBe('');
    expect(protocolOf(row('plain'), { ...base, penaltyMargin: 0.5 })).toBe('');
  });
});

describe('the promoted models of a γ grid', () => {
  it('are promoted, promoted-nr and promoted-reweight; the paper set-up (one γ) and the …-flatten ones (fixed γ) are not', () => {
    expect([...GRIDDED_MODELS].sort()).toEqual(['promoted', 'promoted-nr', 'promoted-reweight']);
    for (const m of ['promoted-paper', 'enforced-flatten', 'plain', 'enforced']) expect(GRIDDED_MODELS.has(m)).toBe(false);
  });
});

describe('bestByValidation (γ by validation, per model, size, seed and protocol)', () => {
  // [model, seed, γ, validation MSE?]
  const row = ([model, seed, weight, validationError]: [string, number, number, number?]) => ({ model, trainSize: 5, seed, weight, ...(validationError !== undefined ? { validationError } : {}) });
  const key = (r: { model: string; trainSize: number; seed: number }) => `${r.model}/${r.trainSize}/${r.seed}`;
  it('picks the least validation MSE in each group and never mixes models or seeds', () => {
    const rows = ([['promoted', 0, 0.01, 3], ['promoted', 0, 0.03, 2], ['promoted-nr', 0, 0.01, 1], ['promoted-nr', 0, 0.03, 4], ['promoted', 1, 0.01, 5], ['promoted', 1, 0.03, 6]] as const).map((r) => row([...r]));
    const picks = bestByValidation(rows, key);
    expect(picks.map((r) => `${r.model}/${r.seed}/${r.weight}`)).toEqual(['promoted/0/0.03', 'promoted-nr/0/0.01', 'promoted/1/0.01']);
  });
  it('ignores rows without a validation MSE, and falls back to the first row of a group that has none', () => {
    const picks = bestByValidation([row(['promoted', 0, 0.01]), row(['promoted', 0, 0.03, 7]), row(['promoted', 1, 0.01]), row(['promoted', 1, 0.03])], key);
    expect(picks.map((r) => r.weight)).toEqual([0.03, 0.01]);
  });
});

describe('the reweighted models in the protocol', () => {
  const base = { epochs: 900, epochSelection: 'validation' as const, learningRate: 1e-2 };
  it('reads their δ and reweighted γ, defaulting to the constants, and labels only values that differ', () => {
    expect(protocolFrom({ model: 'promoted-nr', epochs: 900 }, 900)).toMatchObject({ reweight: REWEIGHT_DELTA, reweightWeight: REWEIGHT_WEIGHT });
    expect(protocolFrom({ model: 'promoted-reweight', epochs: 900 }, 900).reweightWeight).toBeUndefined();
    expect(protocolFrom({ model: 'promoted', epochs: 900 }, 900).reweight).toBeUndefined();
    const at = (x: object) => protocolOf(protocolFrom({ epochs: 900, epochSelection: 'validation', learningRate: 1e-2, ...x }, 900), base);
    expect(at({ model: 'promoted-nr' })).toBe(''); // the table's own set-up: no label
    expect(at({ model: 'promoted-nr', reweightWeight: 0.03 })).toBe('reweighted term 0.03');
    expect(at({ model: 'promoted-reweight', reweight: 0.01 })).toBe('δ 0.01');
  });
});
