/** How a pendulum row was trained, as the tables label it (no tfjs: bench.ts imports it). */

/** A training protocol: epochs, whether the epoch was chosen on validation, Adam's learning rate, the hidden width. */
export interface Protocol {
  epochs: number;
  epochSelection?: 'validation';
  /** Absent in rows recorded before it was: those trained at 3e-3. */
  learningRate?: number;
  /** Hidden width; absent means DEFAULT_WIDTH (64). */
  width?: number;
}

/** The hidden width of the rows that do not record one (the table's). */
export const DEFAULT_WIDTH = 64;

/** Adam's learning rate of the rows that do not record one. */
export const RECORDED_LEARNING_RATE = 3e-3;

/** The protocol of a recorded row or results file; `epochs` where it records none. */
export function protocolFrom(x: { epochs?: number; epochSelection?: 'validation'; learningRate?: number; width?: number }, epochs: number): Protocol {
  return { epochs: x.epochs ?? epochs, ...(x.epochSelection ? { epochSelection: x.epochSelection } : {}), ...(x.learningRate !== undefined ? { learningRate: x.learningRate } : {}), ...(x.width !== undefined ? { width: x.width } : {}) };
}

/** The protocol a row was trained under, as it differs from the table's `base` ('' when it does not). */
export function protocolOf(r: Protocol, base: Protocol): string {
  const parts: string[] = [];
  if (r.epochs !== base.epochs || r.epochSelection !== base.epochSelection) parts.push(r.epochSelection === 'validation' ? `${r.epochs} epochs, epoch by validation` : `${r.epochs} epochs, last epoch`);
  const lr = r.learningRate ?? RECORDED_LEARNING_RATE;
  if (lr !== (base.learningRate ?? RECORDED_LEARNING_RATE)) parts.push(`lr ${lr}`);
  const width = r.width ?? DEFAULT_WIDTH;
  if (width !== (base.width ?? DEFAULT_WIDTH)) parts.push(`width ${width}`);
  return parts.join(', ');
}
