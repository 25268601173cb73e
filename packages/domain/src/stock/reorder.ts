// Reorder suggestions from consumption (RP-9 "reorder suggestions from consumption", CL-4).
//
// The rule is the textbook reorder point, chosen because a store keeper can check it by hand:
//   weekly use     = (issued − returned in the last N weeks) / N
//   reorder point  = use during the supplier's lead time + safety stock days of use,
//                    rounded up to a whole unit, or the item's minimum level if that is higher
//   suggest        = nothing while stock (+ what is already on order) is above the reorder point;
//                    otherwise enough to bring it back to the reorder point, rounded up to whole
//                    packs (at least one pack).
// Adjustments and stocktake differences are losses or corrections, not use, so they do not
// count as consumption. Every number comes back with a zh/en sentence explaining it.

import { balanceOf, type StockMovement } from './ledger.ts';
import { ceilDiv, formatQty, fromMilli, QTY_SCALE, toMilli, type StockText } from './quantity.ts';

const DAY = 86_400_000;

export interface ReorderInput {
  movements: readonly StockMovement[];
  now: Date;
  /** Weeks of history to average over (N). */
  weeks: number;
  leadTimeDays: number;
  safetyStockDays: number;
  /** The item's minimum level: the reorder point never goes below it. */
  minLevel: number;
  /** Units per pack the supplier sells (a box of 25 tubes, a 5 L can); 1 when absent. */
  packSize?: number;
  /** Already ordered and not yet received (the ledger does not know about purchase orders). */
  onOrder?: number;
  /** The item's unit for the sentences, e.g. { zh: '支', en: 'tubes' }. */
  unit?: StockText;
}

export interface ReorderStep {
  key: 'consumption' | 'leadTime' | 'safety' | 'reorderPoint' | 'position' | 'order';
  value: number;
  text: StockText;
}

export interface ReorderSuggestion {
  /** Net use (issued − returned) in the window, and the days it was averaged over. */
  consumed: number;
  days: number;
  weeklyUse: number;
  leadTimeDemand: number;
  safetyStock: number;
  reorderPoint: number;
  balance: number;
  onOrder: number;
  /** 0 when no order is needed. */
  suggestedQty: number;
  packs: number;
  steps: ReorderStep[];
}

function wholeDays(name: string, n: number, min: number): void {
  if (!Number.isInteger(n) || n < min) throw new RangeError(`${name} must be a whole number >= ${min}, not ${n}`);
}

const r2 = (x: number) => formatQty(Math.round(x * 100) / 100);

/**
 * The reorder suggestion for one item as of `now`, with each number explained. If the item's
 * history is younger than N weeks, use is averaged over the days it has existed (at least one
 * week), so a new item is not under-ordered for having no past.
 */
export function reorderSuggestion(input: ReorderInput): ReorderSuggestion {
  const { movements, now, weeks, leadTimeDays, safetyStockDays } = input;
  wholeDays('weeks', weeks, 1);
  wholeDays('leadTimeDays', leadTimeDays, 0);
  wholeDays('safetyStockDays', safetyStockDays, 0);
  const unit = input.unit ?? { zh: '个', en: 'units' };
  const packMilli = toMilli(input.packSize ?? 1);
  if (packMilli <= 0) throw new RangeError(`packSize must be > 0, not ${input.packSize}`);
  const minMilli = toMilli(input.minLevel);
  const onOrderMilli = toMilli(input.onOrder ?? 0);

  const nowMs = now.getTime();
  const past = movements.filter((m) => m.at.getTime() <= nowMs);
  const windowStart = nowMs - weeks * 7 * DAY;
  const first = past.reduce((min, m) => Math.min(min, m.at.getTime()), Infinity);
  const days = first > windowStart ? Math.max(7, Math.ceil((nowMs - first) / DAY)) : weeks * 7;

  let issued = 0;
  let returned = 0;
  for (const m of past) {
    if (m.at.getTime() <= windowStart) continue;
    if (m.kind === 'issue') issued += toMilli(m.qty);
    else if (m.kind === 'return') returned += toMilli(m.qty);
  }
  const consumed = Math.max(issued - returned, 0); // milli
  const perDay = consumed / QTY_SCALE / days; // for display only; the decisions below are exact
  const leadTimeDemand = perDay * leadTimeDays;
  const safetyStock = perDay * safetyStockDays;
  // ceil(consumed × (lead + safety) / days) whole units, in exact integer arithmetic.
  const computedPoint = ceilDiv(consumed * (leadTimeDays + safetyStockDays), days * QTY_SCALE) * QTY_SCALE;
  const pointMilli = Math.max(computedPoint, minMilli);
  const balanceMilli = toMilli(balanceOf(past));
  const positionMilli = balanceMilli + onOrderMilli;
  // Order when at or below the reorder point — unless nothing is used and nothing is required.
  const needed = positionMilli <= pointMilli && !(pointMilli === 0 && positionMilli >= 0);
  const packs = needed ? Math.max(1, ceilDiv(pointMilli - positionMilli, packMilli)) : 0;
  const suggestedMilli = packs * packMilli;

  const q = (milli: number) => formatQty(fromMilli(milli));
  const u = (s: string) => `${s} ${unit.en}`;
  const averaged = days === weeks * 7
    ? { zh: `近 ${weeks} 周`, en: `the last ${weeks} weeks` }
    : { zh: `有记录的 ${days} 天（不足 ${weeks} 周）`, en: `the ${days} days on record (less than ${weeks} weeks)` };
  const weeklyUse = (consumed / QTY_SCALE / days) * 7;
  const steps: ReorderStep[] = [
    {
      key: 'consumption', value: weeklyUse,
      text: {
        zh: `${averaged.zh}领用 ${q(issued)}${unit.zh}、退库 ${q(returned)}${unit.zh}，净用量 ${q(consumed)}${unit.zh}，平均每周 ${r2(weeklyUse)}${unit.zh}`,
        en: `In ${averaged.en}: ${u(q(issued))} issued, ${q(returned)} returned, net use ${q(consumed)}, ${u(r2(weeklyUse))} a week on average`,
      },
    },
    {
      key: 'leadTime', value: leadTimeDemand,
      text: {
        zh: `采购周期 ${leadTimeDays} 天内预计用 ${r2(leadTimeDemand)}${unit.zh}`,
        en: `Expected use during the ${leadTimeDays}-day lead time: ${u(r2(leadTimeDemand))}`,
      },
    },
    {
      key: 'safety', value: safetyStock,
      text: {
        zh: `安全库存 ${safetyStockDays} 天用量 ${r2(safetyStock)}${unit.zh}`,
        en: `Safety stock, ${safetyStockDays} days of use: ${u(r2(safetyStock))}`,
      },
    },
    {
      key: 'reorderPoint', value: fromMilli(pointMilli),
      text: pointMilli > computedPoint
        ? {
          zh: `再订货点取最低库存 ${q(minMilli)}${unit.zh}（按用量算得 ${q(computedPoint)}${unit.zh}，低于最低库存）`,
          en: `Reorder point is the minimum level, ${u(q(minMilli))} (use alone gives ${q(computedPoint)}, below the minimum)`,
        }
        : {
          zh: `再订货点 = ${r2(leadTimeDemand)} + ${r2(safetyStock)}，向上取整为 ${q(pointMilli)}${unit.zh}`,
          en: `Reorder point = ${r2(leadTimeDemand)} + ${r2(safetyStock)}, rounded up to ${u(q(pointMilli))}`,
        },
    },
    {
      key: 'position', value: fromMilli(positionMilli),
      text: {
        zh: `现有库存 ${q(balanceMilli)}${unit.zh}${onOrderMilli ? `，在途 ${q(onOrderMilli)}${unit.zh}` : ''}，${needed ? '已到或低于' : '高于'}再订货点`,
        en: `${u(q(balanceMilli))} in stock${onOrderMilli ? `, ${q(onOrderMilli)} on order` : ''}: ${needed ? 'at or below' : 'above'} the reorder point`,
      },
    },
    {
      key: 'order', value: fromMilli(suggestedMilli),
      text: needed
        ? {
          zh: `补到再订货点需 ${q(Math.max(pointMilli - positionMilli, 0))}${unit.zh}，按每包 ${q(packMilli)}${unit.zh}向上取整，建议采购 ${q(suggestedMilli)}${unit.zh}（${packs} 包）`,
          en: `${q(Math.max(pointMilli - positionMilli, 0))} needed to reach the reorder point; in packs of ${q(packMilli)}, order ${u(q(suggestedMilli))} (${packs} pack${packs > 1 ? 's' : ''})`,
        }
        : { zh: '暂不需要采购', en: 'No order needed yet' },
    },
  ];
  return {
    consumed: fromMilli(consumed), days, weeklyUse, leadTimeDemand, safetyStock,
    reorderPoint: fromMilli(pointMilli), balance: fromMilli(balanceMilli), onOrder: fromMilli(onOrderMilli),
    suggestedQty: fromMilli(suggestedMilli), packs, steps,
  };
}
