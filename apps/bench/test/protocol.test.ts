import { describe, expect, it } from 'vitest';
import { protocolOf } from '../src/neuralOde/protocol.js';

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
});
