import { describe, expect, test } from 'vitest';
import { shanghaiInstant } from '../calendar/calendar.ts';
import { balanceOf, type StockMovement } from './ledger.ts';
import { checkToolReturn, toolsOut } from './tools.ts';

const at = (date: string, time = '00:00') => shanghaiInstant(date, time);

const ladders: StockMovement[] = [
  { itemId: 'ladder', kind: 'receive', at: at('2026-11-01', '09:00'), qty: 3, supplier: '五金店', unitCostFen: 45_000 },
  { id: 'co-1', itemId: 'ladder', kind: 'tool_checkout', at: at('2026-12-01', '10:00'), qty: 2, personId: 'staff-3', dueBack: '2026-12-04' },
  { id: 'co-2', itemId: 'ladder', kind: 'tool_checkout', at: at('2026-12-02', '08:30'), qty: 1, personId: 'staff-5', dueBack: '2026-12-02' },
];

describe('RP-9 tools checked out and returned', () => {
  test('RP-9 a tool is overdue from 00:00 Shanghai the day after its due-back date, counted in Shanghai days', () => {
    // 2026-12-04 23:59 in Shanghai is 15:59 UTC the same day: still due today.
    const lastMinute = toolsOut(ladders, at('2026-12-04', '23:59'));
    expect(lastMinute.map((t) => [t.checkout.id, t.overdue, t.daysOverdue])).toEqual([['co-2', true, 2], ['co-1', false, 0]]);
    // 00:00 on 12-05 in Shanghai is 16:00 UTC on 12-04: a UTC clock would still say the 4th.
    const midnight = at('2026-12-05', '00:00');
    expect(midnight.toISOString()).toBe('2026-12-04T16:00:00.000Z');
    const late = toolsOut(ladders, midnight);
    expect(late.find((t) => t.checkout.id === 'co-1')).toMatchObject({ personId: 'staff-3', qtyOut: 2, dueBack: '2026-12-04', overdue: true, daysOverdue: 1 });
  });

  test('RP-9 partial returns reduce what is out; a fully returned check-out leaves the list; the shelf count follows', () => {
    const ms: StockMovement[] = [
      ...ladders,
      { itemId: 'ladder', kind: 'tool_return', at: at('2026-12-02', '17:00'), qty: 1, checkoutId: 'co-1' },
      { itemId: 'ladder', kind: 'tool_return', at: at('2026-12-02', '17:05'), qty: 1, checkoutId: 'co-2' },
    ];
    const now = at('2026-12-03', '09:00');
    expect(toolsOut(ms, now).map((t) => [t.checkout.id, t.qtyOut])).toEqual([['co-1', 1]]);
    expect(balanceOf(ms)).toBe(2);
    // As of before the returns, both check-outs are out and the shelf is empty.
    expect(toolsOut(ms, at('2026-12-02', '12:00')).map((t) => t.qtyOut)).toEqual([1, 2]);
  });

  test('RP-9 a return must name an open check-out and cannot bring back more than is out', () => {
    const out = toolsOut(ladders, at('2026-12-03', '09:00'));
    expect(checkToolReturn(out, 'co-1', 2)).toBeNull();
    expect(checkToolReturn(out, 'co-1', 3)?.message).toEqual({ zh: '归还数量 3 多于未还数量 2', en: 'Returning 3 but only 2 is out' });
    expect(checkToolReturn(out, 'co-9', 1)?.code).toBe('unknown_checkout');
  });
});
