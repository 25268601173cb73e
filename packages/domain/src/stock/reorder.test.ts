import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { shanghaiInstant } from '../calendar/calendar.ts';
import type { StockMovement } from './ledger.ts';
import { reorderSuggestion } from './reorder.ts';

const at = (date: string, time = '00:00') => shanghaiInstant(date, time);
const DAY = 86_400_000;
const now = at('2026-12-03', '09:00');
const daysAgo = (d: number, h = 0) => new Date(now.getTime() - d * DAY + h * 3_600_000);

/** An opening receipt 10 weeks ago, then `perWeek` tubes issued each week for `weeks` weeks. */
function tubes(perWeek: number, weeks: number, opening: number): StockMovement[] {
  const ms: StockMovement[] = [{ itemId: 'led-t8', kind: 'receive', at: daysAgo(70), qty: opening, supplier: '上海灯具', unitCostFen: 1850 }];
  for (let w = 0; w < weeks; w++) {
    ms.push({ itemId: 'led-t8', kind: 'issue', at: daysAgo(7 * w + 3), qty: perWeek, target: { kind: 'work_item', id: `BX-${w}` } });
  }
  return ms;
}
const TUBE = { zh: '支', en: 'tubes' };

describe('RP-9 reorder suggestions from consumption', () => {
  test('RP-9 LED T8 tubes: 12 a week over 8 weeks, lead time 7 days, safety 3 days → reorder point 18; 5 left, packs of 25 → order 25', () => {
    const s = reorderSuggestion({
      movements: tubes(12, 8, 101), now, weeks: 8, leadTimeDays: 7, safetyStockDays: 3, minLevel: 10, packSize: 25, unit: TUBE,
    });
    expect(s).toMatchObject({ consumed: 96, days: 56, weeklyUse: 12, leadTimeDemand: 12, reorderPoint: 18, balance: 5, suggestedQty: 25, packs: 1 });
    expect(s.safetyStock).toBeCloseTo(36 / 7, 10);
    expect(s.steps.map((x) => x.text.zh)).toEqual([
      '近 8 周领用 96支、退库 0支，净用量 96支，平均每周 12支',
      '采购周期 7 天内预计用 12支',
      '安全库存 3 天用量 5.14支',
      '再订货点 = 12 + 5.14，向上取整为 18支',
      '现有库存 5支，已到或低于再订货点',
      '补到再订货点需 13支，按每包 25支向上取整，建议采购 25支（1 包）',
    ]);
    expect(s.steps[5].text.en).toBe('13 needed to reach the reorder point; in packs of 25, order 25 tubes (1 pack)');
  });

  test('RP-9 returns count against use; use older than N weeks and adjustments do not count', () => {
    const ms = [
      ...tubes(12, 8, 200),
      { itemId: 'led-t8', kind: 'issue', at: daysAgo(60), qty: 50, target: { kind: 'place', id: 'F12' } },
      { itemId: 'led-t8', kind: 'return', at: daysAgo(2), qty: 12 },
      { itemId: 'led-t8', kind: 'adjust', at: daysAgo(1), qty: -20, reason: '破损' },
    ] satisfies StockMovement[];
    const s = reorderSuggestion({ movements: ms, now, weeks: 8, leadTimeDays: 7, safetyStockDays: 0, minLevel: 0, unit: TUBE });
    expect(s.consumed).toBe(84);
    expect(s.reorderPoint).toBe(11); // 84 / 56 × 7 = 10.5 → 11
    expect(s.balance).toBe(200 - 96 - 50 + 12 - 20);
    expect(s.suggestedQty).toBe(0);
    expect(s.steps[5].text).toEqual({ zh: '暂不需要采购', en: 'No order needed yet' });
  });

  test('RP-9 the minimum level wins when it is above lead-time use + safety stock, and the text says so', () => {
    const s = reorderSuggestion({ movements: tubes(2, 8, 30), now, weeks: 8, leadTimeDays: 7, safetyStockDays: 3, minLevel: 20, packSize: 10, unit: TUBE });
    expect(s.reorderPoint).toBe(20);
    expect(s.balance).toBe(14);
    expect(s.suggestedQty).toBe(10);
    expect(s.steps[3].text.zh).toBe('再订货点取最低库存 20支（按用量算得 3支，低于最低库存）');
  });

  test('RP-9 a young item is averaged over the days it has existed (at least a week), not N weeks', () => {
    const ms: StockMovement[] = [
      { itemId: 'mop', kind: 'receive', at: daysAgo(14), qty: 40, supplier: 's', unitCostFen: 900 },
      { itemId: 'mop', kind: 'issue', at: daysAgo(10), qty: 10, target: { kind: 'person', id: 'cleaner-1' } },
      { itemId: 'mop', kind: 'issue', at: daysAgo(3), qty: 10, target: { kind: 'person', id: 'cleaner-2' } },
    ];
    const s = reorderSuggestion({ movements: ms, now, weeks: 8, leadTimeDays: 7, safetyStockDays: 7, minLevel: 0 });
    expect(s).toMatchObject({ days: 14, weeklyUse: 10, reorderPoint: 20, balance: 20, suggestedQty: 1 });
    expect(s.steps[0].text.en).toContain('the 14 days on record (less than 8 weeks)');
  });

  test('CL-4 decimal supplies: floor cleaner in litres, ordered in 5 L cans; what is on order counts', () => {
    const ms: StockMovement[] = [{ itemId: 'cleaner', kind: 'receive', at: daysAgo(60), qty: 30, supplier: 's', unitCostFen: 1200 }];
    for (let d = 1; d <= 28; d++) ms.push({ itemId: 'cleaner', kind: 'issue', at: daysAgo(d, 1), qty: 0.75, target: { kind: 'place', id: 'lobby' } });
    const base = { movements: ms, now, weeks: 4, leadTimeDays: 5, safetyStockDays: 2, minLevel: 0, packSize: 5, unit: { zh: '升', en: 'L' } };
    const s = reorderSuggestion(base);
    expect(s).toMatchObject({ consumed: 21, weeklyUse: 5.25, reorderPoint: 6, balance: 9, suggestedQty: 0 });
    ms.push({ itemId: 'cleaner', kind: 'issue', at: daysAgo(0.5), qty: 4.5, target: { kind: 'place', id: 'lobby' } });
    expect(reorderSuggestion(base)).toMatchObject({ balance: 4.5, suggestedQty: 5, packs: 1 });
    expect(reorderSuggestion({ ...base, onOrder: 5 })).toMatchObject({ suggestedQty: 0 });
  });

  test('RP-9 suggestion is 0 when the balance is above the reorder point; otherwise whole packs that reach it', () => {
    const arbHistory = fc.array(
      fc.record({ d: fc.integer({ min: 0, max: 120 }), milli: fc.integer({ min: 1, max: 20_000 }), issue: fc.boolean() }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(
        arbHistory, fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 0, max: 14 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 50 }),
        (history, openingMilli, weeks, lead, safety, minLevel, pack) => {
          const ms: StockMovement[] = [{ itemId: 'x', kind: 'receive', at: daysAgo(121), qty: openingMilli / 1000, supplier: 's', unitCostFen: 100 }];
          for (const h of history) {
            ms.push(h.issue
              ? { itemId: 'x', kind: 'issue', at: daysAgo(h.d, 1), qty: h.milli / 1000, target: { kind: 'place', id: 'p' } }
              : { itemId: 'x', kind: 'return', at: daysAgo(h.d, 1), qty: h.milli / 1000 });
          }
          const s = reorderSuggestion({ movements: ms, now, weeks, leadTimeDays: lead, safetyStockDays: safety, minLevel, packSize: pack });
          expect(Number.isInteger(s.reorderPoint)).toBe(true);
          expect(s.reorderPoint).toBeGreaterThanOrEqual(minLevel);
          if (s.balance > s.reorderPoint) expect(s.suggestedQty).toBe(0);
          if (s.suggestedQty > 0) {
            expect(s.suggestedQty % pack).toBe(0);
            expect(s.balance + s.suggestedQty).toBeGreaterThanOrEqual(s.reorderPoint);
            expect(s.balance + s.suggestedQty - pack).toBeLessThan(Math.max(s.reorderPoint, s.balance + 0.001));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  test('RP-9 bad parameters are refused', () => {
    const base = { movements: [], now, weeks: 8, leadTimeDays: 7, safetyStockDays: 3, minLevel: 0 };
    expect(() => reorderSuggestion({ ...base, weeks: 0 })).toThrow(/weeks/);
    expect(() => reorderSuggestion({ ...base, leadTimeDays: 1.5 })).toThrow(/leadTimeDays/);
    expect(() => reorderSuggestion({ ...base, packSize: 0 })).toThrow(/packSize/);
    expect(reorderSuggestion(base)).toMatchObject({ reorderPoint: 0, balance: 0, suggestedQty: 0 });
  });
});
