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
  /** δ of the reweighted nuclear norm (REWEIGHTED_MODELS only; absent there means REWEIGHT_DELTA). */
  reweight?: number;
  /** γ of promoted-nr's reweighted term (its rows only; absent means REWEIGHT_WEIGHT). */
  reweightWeight?: number;
}

/** δ of 'promoted-reweight' and 'promoted-nr': weights δσ_max / (δσ_max + σᵢ). */
export const REWEIGHT_DELTA = 0.1;
/**
 * γ of the reweighted term of 'promoted-nr' (the normalized term's γ is the grid's): in place of 'promoted''s
 * FLATTEN_WEIGHT·‖D_f‖_*, a reweighted nuclear norm, whose weights push the nearly symmetric direction harder than
 * the two the data break (by σ_max-ish / σ_min-ish: about 3× on the n_traj-5 spectra, more as the gap opens).
 */
export const REWEIGHT_WEIGHT = 0.1;
/** The models whose penalty is (or has a term that is) the reweighted nuclear norm. */
export const REWEIGHTED_MODELS: ReadonlySet<string> = new Set(['promoted-reweight', 'promoted-nr']);

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
export function protocolFrom(
  x: { model?: string; epochs?: number; epochSelection?: 'validation'; learningRate?: number; width?: number; penaltyMargin?: number; reweight?: number; reweightWeight?: number },
  epochs: number,
): Protocol {
  const margin = x.penaltyMargin ?? (x.model !== undefined && BOX_MODELS.has(x.model) ? 0 : undefined);
  const reweighted = x.model !== undefined && REWEIGHTED_MODELS.has(x.model);
  return {
    epochs: x.epochs ?? epochs,
    ...(x.epochSelection ? { epochSelection: x.epochSelection } : {}),
    ...(x.learningRate !== undefined ? { learningRate: x.learningRate } : {}),
    ...(x.width !== undefined ? { width: x.width } : {}),
    ...(margin !== undefined ? { penaltyMargin: margin } : {}),
    ...(reweighted ? { reweight: x.reweight ?? REWEIGHT_DELTA } : {}),
    ...(x.model === 'promoted-nr' ? { reweightWeight: x.reweightWeight ?? REWEIGHT_WEIGHT } : {}),
  };
}

/**
 * Per group of `key`, the row of least validation MSE among those that have one, or the group's first row when
 * none has (rows recorded before validation was); rows of one group must share a model, size, seed and protocol.
 */
export function bestByValidation<T extends { validationError?: number }>(rows: readonly T[], key: (r: T) => string): T[] {
  const groups = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups.values()].map((g) => {
    const scored = g.filter((r) => r.validationError !== undefined);
    return scored.length ? scored.reduce((a, b) => (b.validationError! < a.validationError! ? b : a)) : g[0]!;
  });
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
  if (r.reweight !== undefined && r.reweight !== REWEIGHT_DELTA) parts.push(`δ ${r.reweight}`);
  if (r.reweightWeight !== undefined && r.reweightWeight !== REWEIGHT_WEIGHT) parts.push(`reweighted term ${r.reweightWeight}`);
  return parts.join(', ');
}
