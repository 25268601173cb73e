import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { itemCost } from './cost.ts';

describe('AR-2 cost of a work item: parts × unit cost + labour', () => {
  test('AR-2 two LED tubes at ¥18.50 and 45 minutes at ¥60/h cost ¥82.00', () => {
    expect(itemCost({ parts: [{ qty: 2, unitCostFen: 1850 }], labourMinutes: 45, ratePerHourFen: 6000 })).toEqual({
      lines: [{ qty: 2, unitCostFen: 1850, costFen: 3700 }],
      partsFen: 3700,
      labourFen: 4500,
      totalFen: 8200,
    });
  });

  test('AR-2 decimal quantities and fractional average costs round once per line, half away from zero', () => {
    // 0.75 L × 1234.5 fen = 925.875 → 926; 7 min × ¥55/h = 641.67 → 642.
    const c = itemCost({ parts: [{ qty: 0.75, unitCostFen: 1234.5 }], labourMinutes: 7, ratePerHourFen: 5500 });
    expect(c).toMatchObject({ partsFen: 926, labourFen: 642, totalFen: 1568 });
    // A line carrying the ledger's booked cost is taken as is, so the item and the store agree.
    expect(itemCost({ parts: [{ qty: 3, unitCostFen: 1233.3333, costFen: 3700 }], labourMinutes: 0, ratePerHourFen: 0 }).partsFen).toBe(3700);
  });

  test('AR-2 the total is always the sum of its lines, in whole fen', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ qty: fc.integer({ min: 1, max: 100_000 }).map((m) => m / 1000), unitCostFen: fc.integer({ min: 0, max: 1_000_000 }) }), { maxLength: 10 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (parts, minutes, rate) => {
          const c = itemCost({ parts, labourMinutes: minutes, ratePerHourFen: rate });
          expect(c.totalFen).toBe(c.lines.reduce((s, l) => s + l.costFen, 0) + c.labourFen);
          for (const l of c.lines) expect(Math.abs(l.costFen - l.qty * l.unitCostFen)).toBeLessThanOrEqual(0.5 + 1e-6);
        },
      ),
      { numRuns: 300 },
    );
  });

  test('AR-2 bad input is refused', () => {
    expect(() => itemCost({ parts: [], labourMinutes: -1, ratePerHourFen: 100 })).toThrow(/labourMinutes/);
    expect(() => itemCost({ parts: [], labourMinutes: 1, ratePerHourFen: 1.5 })).toThrow(/ratePerHourFen/);
    expect(() => itemCost({ parts: [{ qty: 1.0001, unitCostFen: 1 }], labourMinutes: 0, ratePerHourFen: 0 })).toThrow(/parts\[0\]\.qty/);
  });
});
