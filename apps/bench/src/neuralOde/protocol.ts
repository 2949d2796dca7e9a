/** How a pendulum row was trained, as the tables label it (no tfjs: bench.ts imports it). */

/** A training protocol: epochs, whether the epoch was chosen on validation, Adam's learning rate, the hidden width. */
export interface Protocol {
  epochs: number;
  epochSelection?: 'validation';
  /** Absent in rows recorded before it was: those trained at 3e-3. */
  learningRate?: number;
  /** Hidden width; absent means DEFAULT_WIDTH (64). */
  width?: number;
  /**
   * How far the box of unlabeled penalty points reaches beyond the training states' bounding box,
   * as a fraction of its width on each side. Only the models that draw such points (BOX_MODELS)
   * have one; absent on a row of such a model means 0 (rows recorded before it was).
   */
  penaltyMargin?: number;
}

/** The models whose penalty draws unlabeled points in the training states' box. */
export const BOX_MODELS: ReadonlySet<string> = new Set(['promoted', 'promoted-reweight', 'promoted-nr', 'enforced-flatten', 'enforced-norm-flatten']);

/** The promoted models trained once per γ of a grid, γ then chosen per seed on the validation trajectories. */
export const GRIDDED_MODELS: ReadonlySet<string> = new Set(['promoted', 'promoted-reweight', 'promoted-nr']);

/** The hidden width of the rows that do not record one (the table's). */
export const DEFAULT_WIDTH = 64;

/** Adam's learning rate of the rows that do not record one. */
export const RECORDED_LEARNING_RATE = 3e-3;

/**
 * The protocol of a recorded row or results file; `epochs` where it records none. A row of a
 * BOX_MODELS model without `penaltyMargin` was trained at margin 0; a results file's
 * `penaltyMargin` is its table's.
 */
export function protocolFrom(x: { model?: string; epochs?: number; epochSelection?: 'validation'; learningRate?: number; width?: number; penaltyMargin?: number }, epochs: number): Protocol {
  const margin = x.penaltyMargin ?? (x.model !== undefined && BOX_MODELS.has(x.model) ? 0 : undefined);
  return {
    epochs: x.epochs ?? epochs,
    ...(x.epochSelection ? { epochSelection: x.epochSelection } : {}),
    ...(x.learningRate !== undefined ? { learningRate: x.learningRate } : {}),
    ...(x.width !== undefined ? { width: x.width } : {}),
    ...(margin !== undefined ? { penaltyMargin: margin } : {}),
  };
}

/** The protocol a row was trained under, as it differs from the table's `base` ('' when it does not). */
export function protocolOf(r: Protocol, base: Protocol): string {
  const parts: string[] = [];
  if (r.epochs !== base.epochs || r.epochSelection !== base.epochSelection) parts.push(r.epochSelection === 'validation' ? `${r.epochs} epochs, epoch by validation` : `${r.epochs} epochs, last epoch`);
  const lr = r.learningRate ?? RECORDED_LEARNING_RATE;
  if (lr !== (base.learningRate ?? RECORDED_LEARNING_RATE)) parts.push(`lr ${lr}`);
  const width = r.width ?? DEFAULT_WIDTH;
  if (width !== (base.width ?? DEFAULT_WIDTH)) parts.push(`width ${width}`);
  if (r.penaltyMargin !== undefined && r.penaltyMargin !== (base.penaltyMargin ?? 0)) parts.push(`penalty box margin ${r.penaltyMargin}`);
  return parts.join(', ');
}
