import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { balanceOf, type StockMovement } from '@towerdesk/domain';
import { testApp } from '../../../test/harness.ts';
import { auditLog } from '../audit/schema.ts';
import { notifications } from '../notifications/schema.ts';
import { staff } from '../parties/schema.ts';
import { workItems } from '../work-items/schema.ts';
import { stockMovements } from './schema.ts';

const t = await testApp();
const w = t.world;
/** Moves the clock; sessions would idle out across the jump, so everyone signs in again. */
const at = (iso: string) => { t.clock.set(iso); t.cookies.clear(); };

type Item = { id: string; code: string; balance: number; owned: number; valueFen: number; low: boolean; averageUnitCostFen: number };
let codes = 0;
async function newItem(over: Record<string, unknown> = {}): Promise<Item> {
  const res = await t.as('supervisor', {
    method: 'POST', url: '/api/stock/items',
    payload: { code: `T-${++codes}`, name: 'LED 灯管 T8 1.2m', nameEn: 'LED tube T8 1.2 m', category: 'spare_part', unit: '支', unitEn: 'tubes', unitCostFen: 1800, minLevel: 0, ...over },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}
const move = (who: string, body: Record<string, unknown>) => t.as(who, { method: 'POST', url: '/api/stock/movements', payload: body });
const receive = (itemId: string, qty: number, unitCostFen = 1800) => move('supervisor', { itemId, kind: 'receive', qty, supplier: '上海灯具', unitCostFen });
const getItem = async (id: string) => (await t.as('supervisor', { method: 'GET', url: `/api/stock/items/${id}` })).json() as Item;
const sumOf = async (itemId: string) => Number((await t.db.execute<{ s: string }>(sql`select coalesce(sum(delta_milli), 0)::bigint as s from ${stockMovements} where item_id = ${itemId}`)).rows[0]!.s) / 1000;
const fields = (res: { json(): { error: { fields: Array<{ field: string }> } } }) => res.json().error.fields.map((f) => f.field);

/** A repair assigned to the test technician and started, ready to complete (filed by the desk: no occupant to confirm). */
async function startedRepair(category = 'electrical.lighting') {
  const res = await t.as('agent', { method: 'POST', url: '/api/work-items', payload: { kind: 'repair', category, placeId: w.unitAId, description: '走廊灯管不亮' } });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  const act = async (who: string, action: string, body: Record<string, unknown> = {}) => {
    const r = await t.as(who, { method: 'POST', url: `/api/work-items/${id}/actions/${action}`, payload: body });
    expect(r.statusCode, `${action}: ${r.body}`).toBe(200);
  };
  await act('agent', 'assign', { assigneeStaffId: w.techStaffId });
  await act('technician', 'accept');
  await act('technician', 'arrive', { reason: '二维码损坏' });
  await act('technician', 'start');
  return id;
}
const sharpPhoto = async () => (await import('sharp')).default({ create: { width: 64, height: 48, channels: 3, background: '#3a7' } }).jpeg().toBuffer();
async function upload(who: string) {
  const boundary = 'stockTestBoundary';
  const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`), await sharpPhoto(), Buffer.from(`\r\n--${boundary}--\r\n`)]);
  const res = await t.as(who, { method: 'POST', url: '/api/uploads', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json()[0].id as string;
}
const complete = async (id: string, body: Record<string, unknown>) =>
  t.as('technician', { method: 'POST', url: `/api/work-items/${id}/actions/complete`, payload: { attachmentIds: body.attachmentIds ?? [await upload('technician')], resolution: '已更换', ...body } });

describe('RP-9 CL-4 the ledger: balances derived from movements', () => {
  test('RP-9 CL-4 after a random sequence of movements through the API the balance equals the sum of the ledger, and never goes negative', async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('receive'), milli: fc.integer({ min: 1, max: 20_000 }), price: fc.integer({ min: 0, max: 5000 }) }),
      fc.record({ kind: fc.constant('issue'), milli: fc.integer({ min: 1, max: 15_000 }) }),
      fc.record({ kind: fc.constant('return'), milli: fc.integer({ min: 1, max: 3000 }) }),
      fc.record({ kind: fc.constant('adjust'), milli: fc.integer({ min: -3000, max: 3000 }).filter((x) => x !== 0) }),
      fc.record({ kind: fc.constant('stocktake'), milli: fc.integer({ min: 0, max: 20_000 }) }),
    );
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
      const item = await newItem({ category: 'cleaning_supply', unit: 'L', name: '多功能清洁剂' });
      const accepted: StockMovement[] = [];
      for (const o of ops) {
        const qty = o.milli / 1000;
        const body: Record<string, unknown> = { itemId: item.id, kind: o.kind, qty };
        if (o.kind === 'receive') Object.assign(body, { supplier: '清洁用品公司', unitCostFen: (o as { price: number }).price });
        if (o.kind === 'issue') body.target = { kind: 'place', id: w.floor12Id };
        if (o.kind === 'adjust') body.reason = '盘点差异';
        const res = await move('supervisor', body);
        const before = balanceOf(accepted);
        const out = o.kind === 'issue' || (o.kind === 'adjust' && qty < 0);
        if (out && Math.abs(o.milli) > Math.round(before * 1000)) {
          expect(res.statusCode, res.body).toBe(409);
          expect(fields(res)).toEqual(['body.qty']);
          continue;
        }
        expect(res.statusCode, res.body).toBe(201);
        accepted.push({ itemId: item.id, kind: o.kind as StockMovement['kind'], at: new Date(), seq: accepted.length, qty, unitCostFen: body.unitCostFen as number | undefined });
      }
      const view = await getItem(item.id);
      expect(view.balance).toBe(balanceOf(accepted));
      expect(await sumOf(item.id)).toBe(view.balance);
      expect(view.balance).toBeGreaterThanOrEqual(0);
      const ledger = (await t.as('supervisor', { method: 'GET', url: `/api/stock/items/${item.id}/ledger?limit=500` })).json();
      expect(ledger.total).toBe(accepted.length);
      if (accepted.length) expect(ledger.items[0].balanceAfter).toBe(view.balance);
    }), { numRuns: 12 });
  });

  test('RP-9 the ledger is append-only in the database: UPDATE, DELETE and TRUNCATE are refused', async () => {
    const item = await newItem();
    expect((await receive(item.id, 10)).statusCode).toBe(201);
    await expect(t.db.execute(sql`update stock_movements set qty_milli = 1 where item_id = ${item.id}`)).rejects.toThrow();
    await expect(t.db.execute(sql`delete from stock_movements where item_id = ${item.id}`)).rejects.toThrow();
    await expect(t.db.execute(sql`truncate stock_movements`)).rejects.toThrow();
    expect((await getItem(item.id)).balance).toBe(10);
  });

  test('RP-9 AR-2 receipts at two prices: issues leave at the moving average and the value is what remains', async () => {
    const item = await newItem();
    await receive(item.id, 100, 1800);
    await move('supervisor', { itemId: item.id, kind: 'issue', qty: 40, target: { kind: 'person', id: w.techStaffId } });
    await receive(item.id, 60, 2000);
    const res = await move('supervisor', { itemId: item.id, kind: 'issue', qty: 30, target: { kind: 'place', id: w.floor12Id } });
    expect(res.json().movement).toMatchObject({ kind: 'issue', delta: -30, costFen: -57_000, target: { kind: 'place', name: '12层' } });
    expect(await getItem(item.id)).toMatchObject({ balance: 90, valueFen: 171_000, averageUnitCostFen: 1900 });
  });
});

describe('RP-9 issuing more than the balance', () => {
  test('RP-9 over-issue is 409 naming body.qty, with the shortfall; nothing is written', async () => {
    const item = await newItem();
    await receive(item.id, 5);
    const before = await t.auditCount();
    const res = await move('supervisor', { itemId: item.id, kind: 'issue', qty: 12, target: { kind: 'place', id: w.floor12Id } });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'insufficient_stock', message: '库存不足：现有 5，申请 12，差 7' });
    expect(fields(res)).toEqual(['body.qty']);
    expect(await t.auditCount()).toBe(before);
    expect(await sumOf(item.id)).toBe(5);
    // An item that allows negative stock (a part fitted before its delivery is booked in) may go below 0.
    const urgent = await newItem({ allowNegative: true });
    expect((await move('supervisor', { itemId: urgent.id, kind: 'issue', qty: 2, target: { kind: 'place', id: w.floor12Id } })).statusCode).toBe(201);
    expect(await getItem(urgent.id)).toMatchObject({ balance: -2, low: true });
  });

  test('RP-9 two concurrent issues of the last stock: exactly one succeeds, the other is 409, the balance never goes negative', async () => {
    for (let round = 0; round < 5; round++) {
      const item = await newItem();
      await receive(item.id, 3);
      const issue = () => move('supervisor', { itemId: item.id, kind: 'issue', qty: 2, target: { kind: 'place', id: w.floor12Id } });
      const results = await Promise.all([issue(), issue()]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
      expect(await sumOf(item.id)).toBe(1);
    }
  });
});

describe('RP-9 tools checked out and returned', () => {
  test('RP-9 a technician checks a ladder out to himself; it is on the tools-out list, overdue after its due-back day (Shanghai); partial and full returns', async () => {
    at('2026-11-24T09:00:00+08:00');
    const ladder = await newItem({ name: '梯子', category: 'tool', unit: '把', unitCostFen: 45_000 });
    await receive(ladder.id, 2, 45_000);
    const out = await move('technician', { itemId: ladder.id, kind: 'tool_checkout', qty: 2, dueBack: '2026-11-25', note: '12层换灯' });
    expect(out.statusCode, out.body).toBe(201);
    const checkoutId = out.json().movement.id as string;
    expect(out.json().movement.person).toEqual({ id: w.techStaffId, name: '张师傅' });
    // Out on loan: off the shelf, still owned and valued.
    expect(await getItem(ladder.id)).toMatchObject({ balance: 0, owned: 2, valueFen: 90_000 });
    expect((await move('supervisor', { itemId: ladder.id, kind: 'tool_checkout', qty: 1, personId: w.techStaffId, dueBack: '2026-11-25' })).statusCode).toBe(409);
    // A technician lends only to himself; a part is not a tool.
    const [other] = await t.db.insert(staff).values({ siteId: w.siteId, employeeNo: 'E002', name: '李师傅', phone: '13900000002', position: '水工', trades: ['plumbing'], hireDate: '2021-05-01' }).returning();
    expect((await move('technician', { itemId: ladder.id, kind: 'tool_checkout', qty: 1, personId: other!.id, dueBack: '2026-11-25' })).statusCode).toBe(403);
    const part = await newItem();
    const notTool = await move('supervisor', { itemId: part.id, kind: 'tool_checkout', qty: 1, personId: w.techStaffId, dueBack: '2026-11-25' });
    expect([notTool.statusCode, fields(notTool)]).toEqual([400, ['body.itemId']]);

    const list = async () => (await t.as('supervisor', { method: 'GET', url: '/api/stock/tools-out' })).json().items as Array<{ checkoutId: string; qtyOut: number; overdue: boolean; daysOverdue: number; person: { name: string } }>;
    at('2026-11-25T23:59:00+08:00');
    expect((await list()).find((x) => x.checkoutId === checkoutId)).toMatchObject({ qtyOut: 2, overdue: false, person: { name: '张师傅' } });
    at('2026-11-27T08:00:00+08:00');
    expect((await list()).find((x) => x.checkoutId === checkoutId)).toMatchObject({ overdue: true, daysOverdue: 2 });
    const overdue = (await t.as('supervisor', { method: 'GET', url: '/api/stock/tools-out?overdue=true' })).json().items;
    expect(overdue.map((x: { checkoutId: string }) => x.checkoutId)).toContain(checkoutId);

    expect((await move('technician', { itemId: ladder.id, kind: 'tool_return', qty: 1, checkoutId })).statusCode).toBe(201);
    expect((await list()).find((x) => x.checkoutId === checkoutId)).toMatchObject({ qtyOut: 1 });
    const tooMany = await move('technician', { itemId: ladder.id, kind: 'tool_return', qty: 2, checkoutId });
    expect([tooMany.statusCode, tooMany.json().error.code]).toEqual([409, 'more_than_out']);
    expect((await move('supervisor', { itemId: ladder.id, kind: 'tool_return', qty: 1, checkoutId })).statusCode).toBe(201);
    expect((await list()).find((x) => x.checkoutId === checkoutId)).toBeUndefined();
    expect(await getItem(ladder.id)).toMatchObject({ balance: 2, owned: 2 });
    const again = await move('supervisor', { itemId: ladder.id, kind: 'tool_return', qty: 1, checkoutId });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'unknown_checkout']);
  });
});

describe('RP-9 CL-4 low stock and reorder suggestions', () => {
  test('RP-9 a movement that takes an item to its minimum alerts the supervisors once per crossing, not on every issue', async () => {
    const item = await newItem({ name: '空开 C32', minLevel: 5 });
    await receive(item.id, 8);
    const alerts = async () => (await t.db.select().from(notifications).where(and(eq(notifications.kind, 'stock.low'), eq(notifications.entityId, item.id), eq(notifications.accountId, w.accountIds.supervisor)))).length;
    const issue = (qty: number) => move('supervisor', { itemId: item.id, kind: 'issue', qty, target: { kind: 'place', id: w.floor12Id } });
    await issue(2);
    expect(await alerts()).toBe(0);
    await issue(1); // 8 → 6 → 5: at the minimum
    expect(await alerts()).toBe(1);
    await issue(1);
    await issue(1);
    expect(await alerts()).toBe(1);
    expect((await getItem(item.id)).low).toBe(true);
    const low = (await t.as('agent', { method: 'GET', url: '/api/stock/low' })).json().items.map((x: { id: string }) => x.id);
    expect(low).toContain(item.id);
    await receive(item.id, 10); // back above
    await issue(9); // 13 → 4: crosses again
    expect(await alerts()).toBe(2);
    const [n] = await t.db.select().from(notifications).where(and(eq(notifications.kind, 'stock.low'), eq(notifications.entityId, item.id)));
    expect(n!.titleZh).toContain('库存不足：空开 C32');
  });

  test('RP-9 CL-4 reorder suggestion on a fixed consumption history: 8 weeks of use, lead time and safety stock, whole packs', async () => {
    at('2026-10-01T09:00:00+08:00');
    const bags = await newItem({ name: '垃圾袋 (四分类)', category: 'cleaning_supply', unit: '卷', unitCostFen: 350, leadTimeDays: 7, safetyStockDays: 7, packSize: 10, minLevel: 0 });
    await move('supervisor', { itemId: bags.id, kind: 'stocktake', qty: 100 });
    // 8 weeks, 7 rolls issued a week to the washrooms, one roll returned in week 3.
    for (let week = 0; week < 8; week++) {
      at(new Date(new Date('2026-10-02T10:00:00+08:00').getTime() + week * 7 * 86_400_000).toISOString());
      expect((await move('supervisor', { itemId: bags.id, kind: 'issue', qty: 7, target: { kind: 'place', id: w.floor12Id } })).statusCode).toBe(201);
      if (week === 3) await move('supervisor', { itemId: bags.id, kind: 'return', qty: 1 });
    }
    at('2026-11-26T09:00:00+08:00');
    const res = await t.as('supervisor', { method: 'GET', url: '/api/stock/reorder?weeks=8&all=true' });
    expect(res.statusCode, res.body).toBe(200);
    const s = res.json().items.find((x: { itemId: string }) => x.itemId === bags.id);
    // Net use 56 − 1 = 55 rolls over 56 days; (7 + 7) days → 13.75 → reorder point 14. On hand 100 − 55 = 45 > 14: nothing yet.
    expect(s).toMatchObject({ consumed: 55, days: 56, reorderPoint: 14, balance: 45, suggestedQty: 0 });
    expect(s.steps[0].text).toContain('近 8 周领用 56卷');
    // 35 rolls written off as damaged: a loss, not use, so the reorder point stays 14; bringing 10 back to 14 takes one pack of 10.
    await move('supervisor', { itemId: bags.id, kind: 'adjust', qty: -35, reason: '仓库漏水泡损' });
    const again = (await t.as('supervisor', { method: 'GET', url: '/api/stock/reorder?weeks=8' })).json().items.find((x: { itemId: string }) => x.itemId === bags.id);
    expect(again).toMatchObject({ balance: 10, suggestedQty: 10, packs: 1, estimatedCostFen: 3500 });
  });
});

describe('RP-9 AR-2 parts on repair completion and the cost', () => {
  test('RP-9 AR-2 completing a repair with parts issues them to the item in the same transaction; the item shows its parts and cost', async () => {
    at('2026-11-26T14:00:00+08:00');
    await t.as('supervisor', { method: 'PUT', url: '/api/stock/settings', payload: { labourRateFenPerHour: 6000 } });
    const tube = await newItem({ name: 'LED 灯管 T8 1.2m' });
    await receive(tube.id, 20, 1850);
    const tape = await newItem({ name: '电工胶布', unit: '卷', unitCostFen: 300 });
    await receive(tape.id, 10, 300);
    const id = await startedRepair();
    const done = await complete(id, { labourMinutes: 45, parts: [{ itemId: tube.id, qty: 2 }, { itemId: tape.id, qty: 1 }] });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().state).toBe('completed');
    expect(done.json().cost).toEqual({ partsFen: 4000, labourMinutes: 45, labourFen: 4500, ratePerHourFen: 6000, totalFen: 8500 });
    expect(done.json().parts.map((p: { name: string; qty: number; costFen: number }) => [p.name, p.qty, p.costFen]).sort()).toEqual([['LED 灯管 T8 1.2m', 2, 3700], ['电工胶布', 1, 300]]);
    expect(await getItem(tube.id)).toMatchObject({ balance: 18 });
    const ledger = (await t.as('technician', { method: 'GET', url: `/api/stock/items/${tube.id}/ledger` })).json();
    expect(ledger.items[0]).toMatchObject({ kind: 'issue', target: { kind: 'work_item', id }, actorName: '测试technician' });
    // Occupants do not see the cost.
    expect((await t.as('occupant', { method: 'GET', url: `/api/work-items/${id}` })).json().cost).toBeUndefined();
  });

  test('RP-9 AR-2 IN-4 a finding raised on a round completes through the same action and gets its parts and cost too', async () => {
    at('2026-11-27T10:00:00+08:00');
    await t.as('supervisor', { method: 'PUT', url: '/api/stock/settings', payload: { labourRateFenPerHour: 6000 } });
    const seal = await newItem({ name: '水泵机械密封', unit: '套', unitCostFen: 28_000 });
    await receive(seal.id, 2, 28_000);
    const [finding] = await t.db.insert(workItems).values({
      siteId: w.siteId, number: 'XJ-20261127-0001', kind: 'finding', category: 'plumbing.leak', urgency: 'normal', state: 'in_progress', title: '水泵机械密封渗漏',
      description: '巡检发现水泵轴封滴水', channel: 'task', createdBy: w.accountIds.supervisor, assigneeStaffId: w.techStaffId, placeId: w.floor12Id,
      createdAt: t.clock.now(), updatedAt: t.clock.now(),
    }).returning();
    const done = await complete(finding!.id, { labourMinutes: 60, parts: [{ itemId: seal.id, qty: 1 }] });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ kind: 'finding', state: 'completed', cost: { partsFen: 28_000, labourFen: 6000, totalFen: 34_000 } });
    expect(await getItem(seal.id)).toMatchObject({ balance: 1 });
  });

  test('RP-9 an over-issue on completion is 409 naming the part; the item is not completed and no part leaves the store', async () => {
    const tube = await newItem();
    await receive(tube.id, 1);
    const tape = await newItem({ name: '电工胶布' });
    await receive(tape.id, 10);
    const id = await startedRepair();
    const photo = await upload('technician');
    const before = await t.auditCount();
    const res = await complete(id, { attachmentIds: [photo], labourMinutes: 30, parts: [{ itemId: tape.id, qty: 1 }, { itemId: tube.id, qty: 3 }] });
    expect(res.statusCode).toBe(409);
    expect(fields(res)).toEqual(['body.parts.1.qty']);
    expect((await t.db.select().from(workItems).where(eq(workItems.id, id)))[0]!.state).toBe('in_progress');
    expect([await sumOf(tube.id), await sumOf(tape.id)]).toEqual([1, 10]);
    expect(await t.auditCount()).toBe(before);
    const unknown = await complete(id, { parts: [{ itemId: crypto.randomUUID(), qty: 1 }] });
    expect([unknown.statusCode, fields(unknown)]).toEqual([400, ['body.parts.0.itemId']]);
    const notNow = await t.as('technician', { method: 'POST', url: `/api/work-items/${id}/actions/wait_parts`, payload: { expectedDate: '2026-11-30', parts: [{ itemId: tape.id, qty: 1 }] } });
    expect([notNow.statusCode, fields(notNow)]).toEqual([400, ['body.parts']]);
  });

  test('RP-9 a technician issues only to his own work items; receiving and counting are the store managers\'', async () => {
    const tape = await newItem({ name: '电工胶布' });
    await receive(tape.id, 10);
    const mine = await startedRepair();
    expect((await move('technician', { itemId: tape.id, kind: 'issue', qty: 1, target: { kind: 'work_item', id: mine } })).statusCode).toBe(201);
    const other = (await t.as('agent', { method: 'POST', url: '/api/work-items', payload: { kind: 'repair', category: 'electrical.lighting', placeId: w.unitAId, description: '灯不亮' } })).json().id;
    expect((await move('technician', { itemId: tape.id, kind: 'issue', qty: 1, target: { kind: 'work_item', id: other } })).statusCode).toBe(403);
    expect((await move('technician', { itemId: tape.id, kind: 'receive', qty: 1, supplier: 'x', unitCostFen: 1 })).statusCode).toBe(403);
    expect((await move('technician', { itemId: tape.id, kind: 'issue', qty: 1, target: { kind: 'place', id: w.floor12Id } })).statusCode).toBe(403);
    expect((await move('agent', { itemId: tape.id, kind: 'issue', qty: 1, target: { kind: 'work_item', id: other } })).statusCode).toBe(403);
  });

  test('AR-2 the monthly cost report: parts × booked cost + labour × rate per trade and per place subtree, supplies to areas, and its XLSX export is audited', async () => {
    at('2026-12-02T10:00:00+08:00');
    await t.as('supervisor', { method: 'PUT', url: '/api/stock/settings', payload: { labourRateFenPerHour: 8000 } });
    const pump = await newItem({ name: '水泵机械密封', unit: '套', unitCostFen: 28_000 });
    await receive(pump.id, 4, 28_000);
    const tube = await newItem();
    await receive(tube.id, 10, 1850);
    const cleaner = await newItem({ name: '多功能清洁剂', category: 'cleaning_supply', unit: '瓶', unitCostFen: 2500 });
    await receive(cleaner.id, 10, 2500);
    const plumbing = await startedRepair('plumbing.leak');
    expect((await complete(plumbing, { labourMinutes: 90, parts: [{ itemId: pump.id, qty: 1 }] })).statusCode).toBe(200);
    const lights = await startedRepair('electrical.lighting');
    expect((await complete(lights, { labourMinutes: 30, parts: [{ itemId: tube.id, qty: 2 }] })).statusCode).toBe(200);
    await move('supervisor', { itemId: cleaner.id, kind: 'issue', qty: 3, target: { kind: 'place', id: w.unitBId } });

    const res = await t.as('agent', { method: 'GET', url: `/api/stock/cost-report?month=2026-12&placeId=${w.floor12Id}` });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    // Plumbing: ¥280 + 90 min × ¥80/h = ¥400; lighting: 2 × ¥18.50 + 30 min × ¥80/h = ¥77; supplies 3 × ¥25 = ¥75.
    expect(r.ratePerHourFen).toBe(8000);
    expect(r.total).toEqual({ items: 2, partsFen: 31_700, labourMinutes: 120, labourFen: 16_000, suppliesFen: 7500, totalFen: 55_200 });
    expect(r.byTrade.map((x: { trade: string; totalFen: number; partsFen: number }) => [x.trade, x.partsFen, x.totalFen])).toEqual([['plumbing', 28_000, 40_000], ['electrical', 3700, 7700]]);
    expect(r.byPlace.map((x: { name: string; totalFen: number; suppliesFen: number }) => [x.name, x.totalFen, x.suppliesFen]).sort()).toEqual([['1201室', 47_700, 0], ['1202室', 7500, 7500]]);
    const empty = (await t.as('agent', { method: 'GET', url: '/api/stock/cost-report?month=2026-10' })).json();
    expect(empty.total.items).toBe(0);

    const before = await t.auditCount();
    const x = await t.as('supervisor', { method: 'GET', url: '/api/stock/cost-report.xlsx?month=2026-12' });
    expect(x.statusCode).toBe(200);
    expect(x.headers['content-disposition']).toContain(encodeURIComponent('维修成本月报-2026-12.xlsx'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['按专业', '按区域', '工单明细', '说明']);
    expect(wb.getWorksheet('按专业')!.getRow(2).values).toEqual([undefined, '给排水', 1, 280, 90, 120, 0, 400]);
    expect(await t.auditCount()).toBe(before + 1);
    const [row] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'report.stock_cost_export'));
    expect(row!.after).toMatchObject({ month: '2026-12', totalFen: 55_200 });
    expect((await t.as('agent', { method: 'GET', url: '/api/stock/cost-report.xlsx?month=2026-12' })).statusCode).toBe(403);
  });
});

describe('RP-9 bad input names the field', () => {
  test('RP-9 wrong types, an unknown item, a receive without supplier, an adjust without reason, 4 decimals → 400 naming the field; nothing written', async () => {
    const item = await newItem();
    const before = await t.auditCount();
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ itemId: item.id, kind: 'receive', qty: '10', supplier: 's', unitCostFen: 100 }, ['body.qty']],
      [{ itemId: item.id, kind: 'receive', qty: 10, unitCostFen: 100 }, ['body.supplier']],
      [{ itemId: item.id, kind: 'receive', qty: 10 }, ['body.supplier', 'body.unitCostFen']],
      [{ itemId: item.id, kind: 'adjust', qty: -1 }, ['body.reason']],
      [{ itemId: item.id, kind: 'issue', qty: 1.0005, target: { kind: 'place', id: w.floor12Id } }, ['body.qty']],
      [{ itemId: item.id, kind: 'issue', qty: 1 }, ['body.target']],
      [{ itemId: item.id, kind: 'issue', qty: 1, target: { kind: 'place', id: crypto.randomUUID() } }, ['body.target.id']],
      [{ itemId: crypto.randomUUID(), kind: 'receive', qty: 1, supplier: 's', unitCostFen: 1 }, ['body.itemId']],
      [{ itemId: item.id, kind: 'teleport', qty: 1 }, ['body.kind']],
      [{ itemId: item.id, kind: 'tool_checkout', qty: 1, personId: w.techStaffId, dueBack: '2026-13-40' }, ['body.dueBack']],
    ];
    for (const [body, want] of cases) {
      const res = await move('supervisor', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(fields(res).sort(), JSON.stringify(body)).toEqual(want);
    }
    const en = await t.as('supervisor', { method: 'POST', url: '/api/stock/movements', payload: { itemId: item.id, kind: 'receive', qty: 10, unitCostFen: 1 }, headers: { 'accept-language': 'en' } });
    expect(en.json().error.fields[0].message).toBe('supplier is required for receive');
    const dup = await t.as('supervisor', { method: 'POST', url: '/api/stock/items', payload: { code: item.code, name: 'x', category: 'tool', unit: '个' } });
    expect([dup.statusCode, fields(dup)]).toEqual([409, ['body.code']]);
    const badItem = await t.as('supervisor', { method: 'POST', url: '/api/stock/items', payload: { code: 'Z', name: 'x', category: 'food', unit: '个', minLevel: -1 } });
    expect(fields(badItem).sort()).toEqual(['body.category', 'body.minLevel']);
    expect(await t.auditCount()).toBe(before);
    expect(await sumOf(item.id)).toBe(0);
  });
});
