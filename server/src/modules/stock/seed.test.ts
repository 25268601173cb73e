import { eq, sql } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { balanceOf, fromMilli, shanghaiInstant, toolsOut, valueOf, type MovementKind, type StockMovement } from '@towerdesk/domain';
import { freshDatabase } from '../../../test/harness.ts';
import { DEMO_REFERENCE_DAY, seedIfEmpty } from '../../db/seed/index.ts';
import { stockItems, stockMovements } from './schema.ts';

const database = await freshDatabase();

describe('RP-9 CL-4 the demo store', () => {
  test('RP-9 CL-4 AR-2 three months of ledger: balances never negative, values by moving average, parts on repairs, one tool overdue, some items low', async () => {
    await seedIfEmpty(database.db, { today: DEMO_REFERENCE_DAY, demo: true });
    const { db } = database;
    const items = await db.select().from(stockItems);
    expect(items.length).toBeGreaterThanOrEqual(20);
    expect(items.map((i) => i.name)).toEqual(expect.arrayContaining(['水泵机械密封', 'LED 灯管 T8 1.2m', '空开 C32', '电工胶布', '管钳 14 寸', '万用表', '多功能清洁剂 5L', '垃圾袋（四分类）', '复合肥 (15-15-15)', '杀虫剂（吡虫啉）']));
    const rows = await db.select().from(stockMovements).orderBy(stockMovements.seq);
    const first = rows[0]!.at.getTime();
    expect(rows.at(-1)!.at.getTime() - first).toBeGreaterThan(85 * 86_400_000);
    let low = 0;
    for (const item of items) {
      const own = rows.filter((r) => r.itemId === item.id);
      const ms: StockMovement[] = own.map((r) => ({ id: r.id, itemId: r.itemId, kind: r.kind as MovementKind, at: r.at, seq: r.seq, qty: fromMilli(r.qtyMilli), unitCostFen: r.unitCostFen ?? undefined, personId: r.personId ?? undefined, dueBack: r.dueBack ?? undefined, checkoutId: r.checkoutId ?? undefined }));
      // The running balance never dips below zero, and the stored deltas and values agree with the domain.
      let running = 0;
      for (const r of own) {
        running += r.deltaMilli;
        expect(running, item.name).toBeGreaterThanOrEqual(0);
      }
      expect(fromMilli(running)).toBe(balanceOf(ms));
      expect(own.reduce((s, r) => s + r.valueDeltaFen, 0)).toBe(valueOf(ms, item.unitCostFen).valueFen);
      if (item.minLevelMilli > 0 && running <= item.minLevelMilli) low++;
    }
    expect(low).toBeGreaterThanOrEqual(2);
    const kinds = new Set(rows.map((r) => r.kind));
    expect([...kinds].sort()).toEqual(['issue', 'receive', 'stocktake', 'tool_checkout', 'tool_return']);
    const toRepairs = rows.filter((r) => r.targetKind === 'work_item');
    expect(toRepairs.length).toBeGreaterThan(20);
    expect(rows.filter((r) => r.targetKind === 'place').length).toBeGreaterThan(50);
    const out = toolsOut(rows.filter((r) => r.kind.startsWith('tool_')).map((r) => ({ id: r.id, itemId: r.itemId, kind: r.kind as MovementKind, at: r.at, seq: r.seq, qty: fromMilli(r.qtyMilli), personId: r.personId ?? undefined, dueBack: r.dueBack ?? undefined, checkoutId: r.checkoutId ?? undefined })), shanghaiInstant(DEMO_REFERENCE_DAY, '10:30'));
    expect(out.map((o) => o.overdue).sort()).toEqual([false, true]);
    const supplierless = await db.select({ n: sql<number>`count(*)::int` }).from(stockMovements).where(sql`${stockMovements.kind} = 'receive' and (${stockMovements.supplier} is null or ${stockMovements.unitCostFen} is null)`);
    expect(supplierless[0]!.n).toBe(0);
    expect((await db.select().from(stockMovements).where(eq(stockMovements.kind, 'stocktake'))).length).toBeGreaterThan(items.length);
  }, 180_000); // seeds the whole demo tower (six months of history, plans) before looking at the store
});
