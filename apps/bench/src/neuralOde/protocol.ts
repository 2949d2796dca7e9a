/** How a pendulum row was trained, as the tables label it (no tfjs: bench.ts imports it). */

/** The protocol a row was trained under: '' for the base protocol (`baseEpochs` epochs, the last epoch's weights). */
export function protocolOf(r: { epochs: number; epochSelection?: 'validation' }, baseEpochs: number): string {
  if (r.epochSelection === 'validation') return `${r.epochs} epochs, epoch by validation`;
  return r.epochs === baseEpochs ? '' : `${r.epochs} epochs`;
}
