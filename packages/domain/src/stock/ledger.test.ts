import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { shanghaiInstant } from '../calendar/calendar.ts';
import {
  MOVEMENT_KINDS,
  MOVEMENT_KIND_LIST,
  balanceOf,
  balancesByItem,
  checkIssue,
  isLowStock,
  ledgerLines,
  validateMovement,
  valueOf,
  type MovementKind,
  type StockMovement,
} from './ledger.ts';
import { formatFen, isQuantity, mulDivRound } from './quantity.ts';

const at = (date: string, time = '00:00') => shanghaiInstant(date, time);
const runs = { numRuns: 300 };

/** Quantities in thousandths, so expected sums are exact integers. */
const arbMilli = fc.integer({ min: 1, max: 50_000 });
// Few distinct instants, so many movements share one and only the ledger's tie-break orders them.
const arbAt = fc.integer({ min: 0, max: 5 }).map((h) => new Date(at('2026-12-01', '08:00').getTime() + h * 3_600_000));
const arbPrice = fc.integer({ min: 0, max: 100_000 });

type Flow = 'receive' | 'issue' | 'return' | 'adjust';
const arbFlow: fc.Arbitrary<StockMovement> = fc
  .record({
    kind: fc.constantFrom<Flow>('receive', 'issue', 'return', 'adjust'),
    milli: arbMilli,
    down: fc.boolean(),
    at: arbAt,
    price: arbPrice,
    item: fc.constantFrom('led-t8', 'mop-head'),
  })
  .map(({ kind, milli, down, at: t, price, item }) => {
    const qty = (kind === 'adjust' && down ? -milli : milli) / 1000;
    const m: StockMovement = { itemId: item, kind, at: t, qty };
    if (kind === 'receive') Object.assign(m, { supplier: '上海灯具', unitCostFen: price });
    if (kind === 'issue') m.target = { kind: 'work_item', id: 'BX-20261201-0001' };
    if (kind === 'adjust') m.reason = '破损';
    return m;
  });

/** receipts − issues + returns ± adjustments, in thousandths. */
function expectedMilli(ms: readonly StockMovement[]): number {
  return ms.reduce((s, m) => s + Math.round(m.qty * 1000) * (m.kind === 'issue' ? -1 : 1), 0);
}

const shuffled = <T>(xs: T[]) => fc.shuffledSubarray(xs, { minLength: xs.length, maxLength: xs.length });

describe('RP-9 movement kinds as data', () => {
  test('RP-9 every kind has zh/en names, a sign and its requirements: receive needs supplier and price, adjust a reason, tool check-out a borrower and due date', () => {
    for (const k of MOVEMENT_KIND_LIST) {
      const d = MOVEMENT_KINDS[k];
      expect(d.kind).toBe(k);
      expect(d.zh).toMatch(/\p{Script=Han}/u);
      expect(d.en).toBeTruthy();
    }
    expect(MOVEMENT_KINDS.receive.requires).toEqual(['supplier', 'unitCostFen']);
    expect(MOVEMENT_KINDS.issue.requires).toEqual(['target']);
    expect(MOVEMENT_KINDS.adjust.requires).toEqual(['reason']);
    expect(MOVEMENT_KINDS.tool_checkout.requires).toEqual(['personId', 'dueBack']);
    expect(MOVEMENT_KINDS.tool_return.requires).toEqual(['checkoutId']);
    expect(MOVEMENT_KINDS.tool_checkout.valued).toBe(false);
    const effects: Record<MovementKind, string> = Object.fromEntries(MOVEMENT_KIND_LIST.map((k) => [k, MOVEMENT_KINDS[k].effect])) as never;
    expect(effects).toEqual({ receive: 'in', issue: 'out', return: 'in', adjust: 'signed', stocktake: 'count', tool_checkout: 'out', tool_return: 'in' });
  });

  test('RP-9 bad movements name the field in zh and en: adjust without a reason, receive without supplier or price, 4 decimals, 0', () => {
    const t = at('2026-12-01', '09:00');
    const adjust = validateMovement({ itemId: 'i', kind: 'adjust', at: t, qty: -2 });
    expect(adjust).toEqual([{ field: 'reason', code: 'required', message: { zh: '调整须填写原因', en: 'reason is required for adjust' } }]);
    expect(validateMovement({ itemId: 'i', kind: 'adjust', at: t, qty: -2, reason: '  ' }).map((i) => i.field)).toEqual(['reason']);
    expect(validateMovement({ itemId: 'i', kind: 'adjust', at: t, qty: -2, reason: '' }).map((i) => i.field)).toEqual(['reason']);
    expect(validateMovement({ itemId: 'i', kind: 'constructor' as MovementKind, at: t, qty: 1 }).map((i) => i.field)).toEqual(['kind']);
    expect(validateMovement({ itemId: 'i', kind: 'receive', at: t, qty: 10 }).map((i) => i.field)).toEqual(['supplier', 'unitCostFen']);
    expect(validateMovement({ itemId: 'i', kind: 'issue', at: t, qty: 0.0005, target: { kind: 'place', id: 'p' } }).map((i) => i.field)).toEqual(['qty']);
    expect(validateMovement({ itemId: 'i', kind: 'issue', at: t, qty: 0, target: { kind: 'place', id: 'p' } })[0].message.zh).toBe('数量须大于 0');
    expect(validateMovement({ itemId: 'i', kind: 'adjust', at: t, qty: 0, reason: '盘亏' })[0].message.en).toBe('quantity cannot be 0');
    expect(validateMovement({ itemId: 'i', kind: 'stocktake', at: t, qty: -1 })[0].field).toBe('qty');
    expect(validateMovement({ itemId: 'i', kind: 'receive', at: t, qty: 10, supplier: 's', unitCostFen: 12.5 })[0].field).toBe('unitCostFen');
    expect(validateMovement({ itemId: 'i', kind: 'tool_checkout', at: t, qty: 1, personId: 'p', dueBack: '2026-11-30' })[0].message.zh).toBe('归还日期不能早于借出日期');
    expect(validateMovement({ itemId: 'i', kind: 'stocktake', at: t, qty: 0 })).toEqual([]);
    expect(validateMovement({ itemId: 'i', kind: 'issue', at: t, qty: 2.5, target: { kind: 'person', id: 'staff-7' } })).toEqual([]);
  });

  test('CL-4 decimal quantities (litres, kg) are exact to 3 places: 0.1 + 0.2 L is 0.3 L', () => {
    const t = at('2026-12-01', '09:00');
    const ms: StockMovement[] = [
      { itemId: 'cleaner', kind: 'receive', at: t, qty: 0.1, supplier: 's', unitCostFen: 1000 },
      { itemId: 'cleaner', kind: 'receive', at: t, qty: 0.2, supplier: 's', unitCostFen: 1000 },
    ];
    expect(balanceOf(ms)).toBe(0.3);
    expect(isQuantity(0.3)).toBe(true);
    expect(isQuantity(1.2345)).toBe(false);
    expect(isQuantity(Number.NaN)).toBe(false);
    expect(balanceOf([...ms, { itemId: 'cleaner', kind: 'issue', at: t, qty: 0.3, target: { kind: 'place', id: 'lobby' } }])).toBe(0);
  });
});

describe('RP-9 CL-4 balances derived from the ledger', () => {
  test('RP-9 the balance equals receipts − issues + returns ± adjustments, whatever the order of equal-time movements', () => {
    fc.assert(
      fc.property(
        fc.array(arbFlow.map((m) => ({ ...m, itemId: 'led-t8' })), { maxLength: 40 }).chain((ms) => fc.tuple(fc.constant(ms), shuffled(ms))),
        ([ms, reordered]) => {
          const want = expectedMilli(ms) / 1000;
          expect(balanceOf(ms)).toBe(want);
          expect(balanceOf(reordered)).toBe(want);
          const lines = ledgerLines(reordered);
          if (lines.length) expect(lines[lines.length - 1].balanceAfter).toBe(want);
        },
      ),
      runs,
    );
  });

  test('CL-4 balancesByItem keeps each item to its own movements', () => {
    fc.assert(
      fc.property(fc.array(arbFlow, { maxLength: 40 }), (ms) => {
        const byItem = balancesByItem(ms);
        for (const item of ['led-t8', 'mop-head']) {
          const own = ms.filter((m) => m.itemId === item);
          expect(byItem.get(item)).toBe(own.length ? expectedMilli(own) / 1000 : undefined);
        }
      }),
      runs,
    );
    expect(() => balanceOf([
      { itemId: 'a', kind: 'return', at: at('2026-12-01'), qty: 1 },
      { itemId: 'b', kind: 'return', at: at('2026-12-01'), qty: 1 },
    ])).toThrow(/more than one item/);
  });

  test('RP-9 a stocktake sets the balance to the counted quantity; later movements count from there', () => {
    const countAt = at('2026-12-02', '18:00');
    const after = fc.array(arbFlow.map((m) => ({ ...m, itemId: 'led-t8', at: new Date(m.at.getTime() + 2 * 86_400_000) })), { maxLength: 10 });
    fc.assert(
      fc.property(
        fc.array(arbFlow.map((m) => ({ ...m, itemId: 'led-t8' })), { maxLength: 30 }),
        fc.integer({ min: 0, max: 80_000 }),
        after,
        (before, countedMilli, later) => {
          const counted = countedMilli / 1000;
          const take: StockMovement = { itemId: 'led-t8', kind: 'stocktake', at: countAt, qty: counted };
          expect(balanceOf([...before, take])).toBe(counted);
          const lines = ledgerLines([...before, take]);
          expect(lines[lines.length - 1].delta).toBe((countedMilli - expectedMilli(before)) / 1000);
          expect(balanceOf([...later, take, ...before])).toBe((countedMilli + expectedMilli(later)) / 1000);
        },
      ),
      runs,
    );
  });

  test('RP-9 equal instants follow ledger order (seq): a count before a receipt in the same minute is added to, a count after it replaces it', () => {
    const t = at('2026-12-01', '10:00');
    const ms: StockMovement[] = [
      { itemId: 'x', kind: 'receive', at: t, seq: 2, qty: 10, supplier: 's', unitCostFen: 100 },
      { itemId: 'x', kind: 'stocktake', at: t, seq: 1, qty: 3 },
    ];
    expect(balanceOf(ms)).toBe(13);
    expect(balanceOf(ms.map((m) => ({ ...m, seq: m.seq === 1 ? 3 : m.seq })))).toBe(3);
  });
});

describe('RP-9 issuing more than the balance', () => {
  test('RP-9 refused unless the item allows negative stock; the refusal says how much is short', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5_000, max: 50_000 }), arbMilli, fc.boolean(), (balanceMilli, qtyMilli, allow) => {
        const r = checkIssue(balanceMilli / 1000, qtyMilli / 1000, allow);
        if (allow || qtyMilli <= balanceMilli) expect(r).toBeNull();
        else {
          expect(r?.code).toBe('insufficient_stock');
          expect(r?.shortBy).toBe((qtyMilli - balanceMilli) / 1000);
        }
      }),
      runs,
    );
    expect(checkIssue(5, 12)?.message).toEqual({ zh: '库存不足：现有 5，申请 12，差 7', en: 'Not enough stock: 5 on hand, 12 requested, 7 short' });
    expect(checkIssue(5, 5)).toBeNull();
    expect(checkIssue(5, 0)?.code).toBe('invalid_quantity');
    expect(checkIssue(5, 0.0001, true)?.code).toBe('invalid_quantity');
  });

  test('RP-9 low stock: at or below the minimum level, or negative', () => {
    expect(isLowStock(20, 20)).toBe(true);
    expect(isLowStock(20.001, 20)).toBe(false);
    expect(isLowStock(0, 0)).toBe(false);
    expect(isLowStock(-1, 0)).toBe(true);
  });
});

describe('AR-2 stock value by moving weighted average', () => {
  test('AR-2 each receipt re-averages; issues leave at the average of the moment (LED T8: ¥18.00 then ¥20.00)', () => {
    const t = (d: number) => at(`2026-12-0${d}`, '09:00');
    const v = valueOf([
      { itemId: 'led', kind: 'receive', at: t(1), qty: 100, supplier: '上海灯具', unitCostFen: 1800 },
      { itemId: 'led', kind: 'issue', at: t(2), qty: 40, target: { kind: 'work_item', id: 'BX-1' } },
      { itemId: 'led', kind: 'receive', at: t(3), qty: 60, supplier: '上海灯具', unitCostFen: 2000 },
      { itemId: 'led', kind: 'issue', at: t(4), qty: 30, target: { kind: 'work_item', id: 'BX-2' } },
      { itemId: 'led', kind: 'return', at: t(5), qty: 10 },
    ]);
    // 60 × 1800 + 60 × 2000 = 228 000 over 120 → 1900 a unit.
    expect(v.lines.map((l) => l.costFen)).toEqual([180_000, -72_000, 120_000, -57_000, 19_000]);
    expect(v.owned).toBe(100);
    expect(v.valueFen).toBe(190_000);
    expect(v.averageUnitCostFen).toBe(1900);
    expect(v.varianceFen).toBe(0);
    expect(formatFen(v.valueFen)).toBe('¥1,900.00');
  });

  test('AR-2 no fen is lost or made: receipts = issued cost + stock value + variance, and zero stock is worth zero', () => {
    const arbAny = fc.oneof(
      { weight: 4, arbitrary: arbFlow },
      { weight: 1, arbitrary: fc.record({ c: fc.integer({ min: 0, max: 30_000 }), t: arbAt }).map(({ c, t }): StockMovement => ({ itemId: 'x', kind: 'stocktake', at: t, qty: c / 1000 })) },
    ).map((m) => ({ ...m, itemId: 'x' }));
    fc.assert(
      fc.property(fc.array(arbAny, { maxLength: 40 }), fc.integer({ min: 0, max: 5000 }), (ms, fallback) => {
        const v = valueOf(ms, fallback);
        const inFen = v.lines.filter((l) => l.costFen > 0).reduce((s, l) => s + l.costFen, 0);
        const outFen = -v.lines.filter((l) => l.costFen < 0).reduce((s, l) => s + l.costFen, 0);
        expect(inFen).toBe(outFen + v.valueFen + v.varianceFen);
        expect(v.owned).toBe(balanceOf(ms));
        if (v.owned === 0) expect(v.valueFen).toBe(0);
        if (v.owned >= 0) expect(v.valueFen).toBeGreaterThanOrEqual(0);
        for (const l of v.lines) expect(Number.isSafeInteger(l.costFen)).toBe(true);
      }),
      runs,
    );
  });

  test('AR-2 tools out on loan still belong to the stock value; only the shelf count drops', () => {
    const t = at('2026-12-01', '09:00');
    const ms: StockMovement[] = [
      { itemId: 'ladder', kind: 'receive', at: t, qty: 3, supplier: '五金店', unitCostFen: 45_000 },
      { id: 'co-1', itemId: 'ladder', kind: 'tool_checkout', at: t, seq: 1, qty: 1, personId: 'staff-3', dueBack: '2026-12-01' },
    ];
    expect(balanceOf(ms)).toBe(2);
    expect(valueOf(ms)).toMatchObject({ owned: 3, valueFen: 135_000 });
  });

  test('AR-2 negative stock: the shortage leaves at the last average; the refill values what remains at its own price, the gap is variance', () => {
    const t = (h: string) => at('2026-12-01', h);
    const v = valueOf([
      { itemId: 'fuse', kind: 'receive', at: t('09:00'), qty: 2, supplier: 's', unitCostFen: 500 },
      { itemId: 'fuse', kind: 'issue', at: t('10:00'), qty: 5, target: { kind: 'work_item', id: 'BX-9' } },
      { itemId: 'fuse', kind: 'receive', at: t('11:00'), qty: 10, supplier: 's', unitCostFen: 600 },
    ]);
    expect(v.lines.map((l) => l.costFen)).toEqual([1000, -2500, 6000]);
    expect(v).toMatchObject({ owned: 7, valueFen: 4200, averageUnitCostFen: 600, varianceFen: 300 });
  });

  test('AR-2 opening stock counted before any receipt is valued at the item’s catalogue cost', () => {
    const v = valueOf([{ itemId: 'bag', kind: 'stocktake', at: at('2026-12-01'), qty: 200 }], 35);
    expect(v).toMatchObject({ owned: 200, valueFen: 7000, averageUnitCostFen: 35 });
  });

  test('AR-2 money arithmetic is exact beyond 2^53 and rounds half away from zero', () => {
    expect(mulDivRound(1_000_000_00, 50_000_000, 1000)).toBe(5_000_000_000_000);
    expect(mulDivRound(9_007_199_254_740_991, 3, 3)).toBe(9_007_199_254_740_991);
    expect(mulDivRound(5, 1, 2)).toBe(3);
    expect(mulDivRound(-5, 1, 2)).toBe(-3);
    expect(mulDivRound(4, 1, 3)).toBe(1);
  });
});
