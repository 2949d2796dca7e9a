import { describe, expect, it } from 'vitest';
import { protocolFrom, protocolOf } from '../src/neuralOde/protocol.js';

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
