// What a repair or finding cost (AR-2): the parts issued to it plus the labour spent on it.
// Money is in fen; each part line is rounded to the fen once, so the item's total is the sum of
// the lines a store keeper sees, never a float that drifts from them.

import { isFen, isQuantity, mulDivRound, QTY_SCALE, toMilli } from './quantity.ts';

const UNIT_COST_SCALE = 10_000;

export interface PartLine {
  qty: number;
  /** The unit cost the part left the store at (the moving average of the moment), in fen; may be fractional. */
  unitCostFen: number;
  /**
   * The cost the ledger booked for this line (valueOf's −costFen of the issue). When given it is
   * used as is, so the item's cost and the store's books agree to the fen.
   */
  costFen?: number;
}

export interface ItemCostInput {
  parts: readonly PartLine[];
  labourMinutes: number;
  /** Labour rate in fen per hour. */
  ratePerHourFen: number;
}

export interface ItemCost {
  lines: Array<PartLine & { costFen: number }>;
  partsFen: number;
  labourFen: number;
  totalFen: number;
}

/** parts × unit cost + labour minutes × rate / 60, each line rounded half away from zero to the fen. */
export function itemCost({ parts, labourMinutes, ratePerHourFen }: ItemCostInput): ItemCost {
  if (!Number.isSafeInteger(labourMinutes) || labourMinutes < 0) throw new RangeError(`labourMinutes must be a whole number >= 0, not ${labourMinutes}`);
  if (!isFen(ratePerHourFen) || ratePerHourFen < 0) throw new RangeError(`ratePerHourFen must be a whole number of fen >= 0, not ${ratePerHourFen}`);
  const lines = parts.map((p, i) => {
    // A returned part appears as a negative line, so qty may be below 0 but not 0.
    if (!isQuantity(p.qty)) throw new RangeError(`parts[${i}].qty must be a number with at most 3 decimals, not ${p.qty}`);
    if (!Number.isFinite(p.unitCostFen) || p.unitCostFen < 0) throw new RangeError(`parts[${i}].unitCostFen must be a number of fen >= 0, not ${p.unitCostFen}`);
    if (p.costFen !== undefined) {
      if (!isFen(p.costFen)) throw new RangeError(`parts[${i}].costFen must be a whole number of fen, not ${p.costFen}`);
      return { ...p, costFen: p.costFen };
    }
    // An average unit cost may be fractional (1234.5678 fen): scale it to 1/10 000 fen so the
    // product stays in exact integer arithmetic.
    return { ...p, costFen: mulDivRound(Math.round(p.unitCostFen * UNIT_COST_SCALE), toMilli(p.qty), UNIT_COST_SCALE * QTY_SCALE) };
  });
  const partsFen = lines.reduce((s, l) => s + l.costFen, 0);
  const labourFen = mulDivRound(ratePerHourFen, labourMinutes, 60);
  return { lines, partsFen, labourFen, totalFen: partsFen + labourFen };
}
