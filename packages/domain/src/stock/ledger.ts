// The stock ledger (RP-9, CL-4, AR-2; DESIGN §2 "Ledgers and logs"): an append-only list of
// movements per item, from which every balance and value is derived. Nothing stores a balance
// that could drift from its movements; a wrong movement is corrected by another movement
// (an adjustment with a reason), never by editing the ledger.
//
// Quantities are decimals with at most 3 places and money is in fen; see quantity.ts.

import { shanghaiDate } from '../calendar/calendar.ts';
import { isFen, isQuantity, mulDivRound, QTY_SCALE, toMilli, fromMilli, formatQty, type StockText } from './quantity.ts';

export type MovementKind = 'receive' | 'issue' | 'return' | 'adjust' | 'stocktake' | 'tool_checkout' | 'tool_return';

/**
 * How a movement changes the quantity on the shelf:
 * in/out: by +qty / −qty; signed: by qty as given (an adjustment up or down);
 * count: qty is the counted quantity and the change is counted − balance (a stocktake).
 */
export type MovementEffect = 'in' | 'out' | 'signed' | 'count';

/** Inputs a kind of movement cannot do without (the server names the missing field in its 400). */
export type MovementField = 'supplier' | 'unitCostFen' | 'target' | 'reason' | 'personId' | 'dueBack' | 'checkoutId';

export interface MovementKindDef {
  kind: MovementKind;
  zh: string;
  en: string;
  effect: MovementEffect;
  /**
   * Whether the movement changes what the property owns (and so the stock value). A tool
   * checkout moves a tool off the shelf into a technician's hands: the shelf count drops, the
   * value does not.
   */
  valued: boolean;
  requires: MovementField[];
}

/** Movement kinds as data: names, sign and what each one requires. */
export const MOVEMENT_KINDS: Record<MovementKind, MovementKindDef> = {
  receive: { kind: 'receive', zh: '入库', en: 'Receive', effect: 'in', valued: true, requires: ['supplier', 'unitCostFen'] },
  // Issued to a work item, an area (cleaning supplies per area, CL-4) or a person (CL-4 "issue to staff").
  issue: { kind: 'issue', zh: '领用出库', en: 'Issue', effect: 'out', valued: true, requires: ['target'] },
  return: { kind: 'return', zh: '退库', en: 'Return', effect: 'in', valued: true, requires: [] },
  adjust: { kind: 'adjust', zh: '调整', en: 'Adjust', effect: 'signed', valued: true, requires: ['reason'] },
  stocktake: { kind: 'stocktake', zh: '盘点', en: 'Stocktake', effect: 'count', valued: true, requires: [] },
  tool_checkout: { kind: 'tool_checkout', zh: '工具借出', en: 'Tool check-out', effect: 'out', valued: false, requires: ['personId', 'dueBack'] },
  tool_return: { kind: 'tool_return', zh: '工具归还', en: 'Tool return', effect: 'in', valued: false, requires: ['checkoutId'] },
};
export const MOVEMENT_KIND_LIST = Object.keys(MOVEMENT_KINDS) as [MovementKind, ...MovementKind[]];

export type IssueTargetKind = 'work_item' | 'place' | 'person';
export const ISSUE_TARGETS: Record<IssueTargetKind, StockText> = {
  work_item: { zh: '工单', en: 'Work item' },
  place: { zh: '区域', en: 'Area' },
  person: { zh: '人员', en: 'Person' },
};

export interface StockMovement {
  /** The ledger row's id; a tool return names its checkout by it. */
  id?: string;
  itemId: string;
  kind: MovementKind;
  at: Date;
  /**
   * Ledger order among movements at the same instant (the row's serial). Without it, equal
   * instants keep the input order. Only stocktakes care: a count is taken against the balance
   * of everything before it.
   */
  seq?: number;
  /** > 0, except adjust (signed, not 0) and stocktake (the counted quantity, >= 0). */
  qty: number;
  /** receive: the price paid per unit; return/adjust/stocktake may name it, else the moving average applies. */
  unitCostFen?: number;
  supplier?: string;
  target?: { kind: IssueTargetKind; id: string };
  reason?: string;
  /** tool_checkout: who has the tool. */
  personId?: string;
  /** tool_checkout: the Shanghai date (YYYY-MM-DD) by the end of which the tool is due back. */
  dueBack?: string;
  /** tool_return: the id of the checkout being returned. */
  checkoutId?: string;
}

export interface MovementIssue {
  field: MovementField | 'qty' | 'kind' | 'itemId' | 'at';
  code: 'required' | 'invalid';
  message: StockText;
}

const FIELD_NAMES: Record<MovementIssue['field'], StockText> = {
  supplier: { zh: '供应商', en: 'supplier' },
  unitCostFen: { zh: '单价', en: 'unit cost' },
  target: { zh: '领用对象', en: 'issued to' },
  reason: { zh: '原因', en: 'reason' },
  personId: { zh: '借用人', en: 'borrower' },
  dueBack: { zh: '归还日期', en: 'due-back date' },
  checkoutId: { zh: '借出记录', en: 'check-out' },
  qty: { zh: '数量', en: 'quantity' },
  kind: { zh: '类型', en: 'kind' },
  itemId: { zh: '物品', en: 'item' },
  at: { zh: '时间', en: 'time' },
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Every problem with one movement; empty when it can be appended to the ledger. */
export function validateMovement(m: StockMovement): MovementIssue[] {
  const issues: MovementIssue[] = [];
  const bad = (field: MovementIssue['field'], zh: string, en: string) =>
    issues.push({ field, code: 'invalid', message: { zh: `${FIELD_NAMES[field].zh}${zh}`, en: `${FIELD_NAMES[field].en} ${en}` } });
  const def = Object.hasOwn(MOVEMENT_KINDS, m.kind) ? MOVEMENT_KINDS[m.kind] : undefined;
  if (!def) {
    bad('kind', '不是已知的出入库类型', `must be one of ${MOVEMENT_KIND_LIST.join(', ')}`);
    return issues;
  }
  if (!m.itemId) issues.push({ field: 'itemId', code: 'required', message: { zh: '请选择物品', en: 'item is required' } });
  if (!(m.at instanceof Date) || Number.isNaN(m.at.getTime())) bad('at', '无效', 'is not a valid time');
  for (const f of def.requires) {
    const v = m[f];
    if (v === undefined || v === null || (typeof v === 'string' && !v.trim())) {
      issues.push({ field: f, code: 'required', message: { zh: `${def.zh}须填写${FIELD_NAMES[f].zh}`, en: `${f} is required for ${def.en.toLowerCase()}` } });
    }
  }
  if (!isQuantity(m.qty)) bad('qty', '须为数字，最多 3 位小数', 'must be a number with at most 3 decimals');
  else if (def.effect === 'count' ? m.qty < 0 : def.effect === 'signed' ? m.qty === 0 : m.qty <= 0) {
    if (def.effect === 'count') bad('qty', '（盘点数）不能为负', '(the counted quantity) cannot be negative');
    else if (def.effect === 'signed') bad('qty', '不能为 0', 'cannot be 0');
    else bad('qty', '须大于 0', 'must be greater than 0');
  }
  if (m.unitCostFen !== undefined && (!isFen(m.unitCostFen) || m.unitCostFen < 0)) bad('unitCostFen', '须为不小于 0 的整数（分）', 'must be a whole number of fen >= 0');
  if (m.target !== undefined && (!m.target || !Object.hasOwn(ISSUE_TARGETS, m.target.kind) || !m.target.id)) {
    bad('target', '须为工单、区域或人员', 'must be a work item, an area or a person');
  }
  if (m.dueBack) {
    if (!DATE.test(m.dueBack) || Number.isNaN(Date.parse(`${m.dueBack}T00:00:00Z`))) bad('dueBack', '须为日期 YYYY-MM-DD', 'must be a date YYYY-MM-DD');
    else if (m.at instanceof Date && !Number.isNaN(m.at.getTime()) && m.dueBack < shanghaiDate(m.at)) bad('dueBack', '不能早于借出日期', 'cannot be before the check-out date');
  }
  return issues;
}

// ---------------------------------------------------------------- ordering and balances

/** Movements in ledger order: by instant, then seq, then input order (the sort is stable). */
export function ledgerOrder<M extends StockMovement>(movements: readonly M[]): M[] {
  return [...movements].sort((a, b) => a.at.getTime() - b.at.getTime() || (a.seq ?? 0) - (b.seq ?? 0));
}

export interface LedgerLine<M extends StockMovement = StockMovement> {
  movement: M;
  /** Change of the shelf quantity (a stocktake's is counted − balance before it). */
  delta: number;
  balanceAfter: number;
}

function singleItem(movements: readonly StockMovement[]): void {
  const first = movements[0]?.itemId;
  if (movements.some((m) => m.itemId !== first)) throw new RangeError('movements of more than one item: use balancesByItem');
}

function deltaMilli(m: StockMovement, balanceMilli: number): number {
  const q = toMilli(m.qty);
  switch (MOVEMENT_KINDS[m.kind].effect) {
    case 'in': return q;
    case 'out': return -q;
    case 'signed': return q;
    case 'count': return q - balanceMilli;
  }
}

/** One item's ledger with the change and running balance of each movement: the usage history (RP-9). */
export function ledgerLines<M extends StockMovement>(movements: readonly M[]): LedgerLine<M>[] {
  singleItem(movements);
  let balance = 0;
  return ledgerOrder(movements).map((movement) => {
    const d = deltaMilli(movement, balance);
    balance += d;
    return { movement, delta: fromMilli(d), balanceAfter: fromMilli(balance) };
  });
}

/**
 * The quantity on the shelf of one item: receipts − issues + returns ± adjustments, reset to the
 * count at each stocktake, less tools checked out and not returned.
 */
export function balanceOf(movements: readonly StockMovement[]): number {
  const lines = ledgerLines(movements);
  return lines.length ? lines[lines.length - 1].balanceAfter : 0;
}

/** Shelf quantity of every item in a mixed list of movements. */
export function balancesByItem(movements: readonly StockMovement[]): Map<string, number> {
  const byItem = new Map<string, StockMovement[]>();
  for (const m of movements) {
    const list = byItem.get(m.itemId);
    if (list) list.push(m);
    else byItem.set(m.itemId, [m]);
  }
  return new Map([...byItem].map(([itemId, list]) => [itemId, balanceOf(list)]));
}

export interface IssueRefusal {
  code: 'insufficient_stock' | 'invalid_quantity';
  balance: number;
  requested: number;
  /** How much is missing (insufficient_stock only). */
  shortBy?: number;
  message: StockText;
}

/**
 * Whether `qty` may leave the shelf now (an issue or a tool checkout): null when it may, else why
 * not. The server answers insufficient_stock with 409. Stock may go negative only for an item
 * that allows it (a part fitted in an emergency before the delivery is booked in).
 */
export function checkIssue(balance: number, qty: number, allowNegative = false): IssueRefusal | null {
  if (!isQuantity(qty) || qty <= 0 || !isQuantity(balance)) {
    return {
      code: 'invalid_quantity', balance, requested: qty,
      message: { zh: '出库数量须大于 0，最多 3 位小数', en: 'The quantity must be greater than 0, with at most 3 decimals' },
    };
  }
  if (allowNegative || toMilli(qty) <= toMilli(balance)) return null;
  const shortBy = fromMilli(toMilli(qty) - toMilli(balance));
  return {
    code: 'insufficient_stock', balance, requested: qty, shortBy,
    message: {
      zh: `库存不足：现有 ${formatQty(balance)}，申请 ${formatQty(qty)}，差 ${formatQty(shortBy)}`,
      en: `Not enough stock: ${formatQty(balance)} on hand, ${formatQty(qty)} requested, ${formatQty(shortBy)} short`,
    },
  };
}

/**
 * Low-stock alert: at or below the minimum level (when one is set), or negative. "At" counts
 * because the minimum is the last quantity the store keeper is comfortable holding.
 */
export function isLowStock(balance: number, minLevel: number): boolean {
  const b = toMilli(balance);
  const min = toMilli(minLevel);
  return b < 0 || (min > 0 && b <= min);
}

// ---------------------------------------------------------------- value: moving average

export interface ValueLine<M extends StockMovement = StockMovement> {
  movement: M;
  /** Change of the owned quantity (0 for tool check-outs and returns). */
  delta: number;
  /** Value in (+) or out (−) of stock in fen: a receipt's cost, an issue's cost at the average. */
  costFen: number;
  ownedAfter: number;
  valueAfterFen: number;
}

export interface StockValue<M extends StockMovement = StockMovement> {
  /** What the property owns: the shelf plus tools out on loan. */
  owned: number;
  valueFen: number;
  /** Moving-average cost of one unit in fen (fractional), null before any priced stock. */
  averageUnitCostFen: number | null;
  /**
   * Value written off when negative stock is refilled at a different price, or rounding left at
   * zero stock. Receipts always equal issues + value + variance, to the fen.
   */
  varianceFen: number;
  lines: ValueLine<M>[];
}

/**
 * Stock value by moving weighted average (移动加权平均法), the method most Chinese property
 * stores use: each receipt re-averages the unit cost over what is on hand, and everything that
 * leaves is costed at the average of the moment. It needs no lot tracking (FIFO would, and a
 * store keeper cannot tell which box of tubes came first), issue costs are known at once, so a
 * work item's cost (AR-2) is final when the parts are issued, and a price change shows up
 * gradually rather than per lot.
 *
 * To keep the books exact in fen, the value is the running integer; an issue takes its
 * proportional share round(value × qty / owned), and issuing the last unit takes all that is
 * left, so no fen is ever lost or made. Returns, upward adjustments and stocktake surpluses come
 * back at the current average (or their own unitCostFen; or `fallbackUnitCostFen`, the item's
 * catalogue cost, before any receipt). Tool check-outs and returns do not change the value.
 * When stock is negative, what leaves is costed at the last average; the next receipt values
 * the refilled stock at its own price and books the difference as variance.
 */
export function valueOf<M extends StockMovement>(movements: readonly M[], fallbackUnitCostFen?: number): StockValue<M> {
  singleItem(movements);
  if (fallbackUnitCostFen !== undefined && (!isFen(fallbackUnitCostFen) || fallbackUnitCostFen < 0)) {
    throw new RangeError(`fallbackUnitCostFen must be a whole number of fen >= 0, not ${fallbackUnitCostFen}`);
  }
  let shelf = 0; // milli, for stocktake deltas
  let owned = 0; // milli
  let value = 0; // fen
  let variance = 0;
  // The last average as a ratio (fen per milli-units), kept exact rather than as a float.
  let rate: { fen: number; milli: number } | null = null;
  const atRate = (milli: number) =>
    rate ? mulDivRound(rate.fen, milli, rate.milli) : mulDivRound(fallbackUnitCostFen ?? 0, milli, QTY_SCALE);
  const lines: ValueLine<M>[] = [];
  for (const movement of ledgerOrder(movements)) {
    const def = MOVEMENT_KINDS[movement.kind];
    const d = deltaMilli(movement, shelf);
    shelf += d;
    if (!def.valued) {
      lines.push({ movement, delta: 0, costFen: 0, ownedAfter: fromMilli(owned), valueAfterFen: value });
      continue;
    }
    let cost = 0;
    if (d > 0) {
      cost = movement.unitCostFen !== undefined ? mulDivRound(movement.unitCostFen, d, QTY_SCALE) : atRate(d);
      const wasNegative = owned < 0;
      value += cost;
      owned += d;
      if (wasNegative && owned > 0) {
        // The refill's own price values what remains; the gap with the shortage's booked cost is variance.
        const fair = mulDivRound(cost, owned, d);
        variance += value - fair;
        value = fair;
      }
    } else if (d < 0) {
      const out = -d;
      const covered = Math.min(out, Math.max(owned, 0));
      const coveredCost = covered === 0 ? 0 : covered === owned ? value : mulDivRound(value, covered, owned);
      cost = -(coveredCost + (out > covered ? atRate(out - covered) : 0));
      value += cost;
      owned -= out;
    }
    if (owned === 0 && value !== 0) {
      variance += value;
      value = 0;
    }
    if (owned > 0) rate = { fen: value, milli: owned };
    lines.push({ movement, delta: fromMilli(d), costFen: cost, ownedAfter: fromMilli(owned), valueAfterFen: value });
  }
  return {
    owned: fromMilli(owned),
    valueFen: value,
    averageUnitCostFen: rate ? (rate.fen * QTY_SCALE) / rate.milli : fallbackUnitCostFen ?? null,
    varianceFen: variance,
    lines,
  };
}
