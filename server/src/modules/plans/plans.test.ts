import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { shanghaiDate } from '@towerdesk/domain';
import { testApp } from '../../../test/harness.ts';
import { auditLog } from '../audit/schema.ts';
import { dutyShifts } from '../duty/schema.ts';
import { generateForPlans, generateTasks } from './service.ts';
import { plans, tasks } from './schema.ts';

const t = await testApp();
const { floor12Id, unitAId, techStaffId } = t.world;
for (const role of ['supervisor', 'technician', 'guard', 'owner_rep']) await t.login(role);

const template = (label = '配电柜温度') => ({
  checkpoints: [
    { placeId: floor12Id, order: 1, items: [
      { id: 'temp', label, kind: 'number', unit: '℃', min: 0, max: 45 },
      { id: 'smell', label: '有无焦糊味', kind: 'yes_no', expected: false },
      { id: 'photo', label: '配电柜照片', kind: 'photo', required: true },
    ] },
    { placeId: unitAId, order: 2, items: [
      { id: 'state', label: '设备状态', kind: 'single_choice', options: ['正常', '异响', '漏水'], failing: ['异响', '漏水'] },
      { id: 'kwh', label: '电表读数', kind: 'meter', unit: 'kWh' },
    ] },
  ],
});
const rounds = (over: Record<string, unknown> = {}) => ({
  kind: 'inspection', name: '配电房巡检', nameEn: 'Electrical room rounds', rrule: 'FREQ=DAILY;BYHOUR=8,16;BYMINUTE=0',
  holidayRule: 'run', durationMinutes: 60, graceMinutes: 30, assignee: { type: 'trade', trade: 'electrical' }, template: template(), ...over,
});
const createPlan = async (body: Record<string, unknown>) => {
  const res = await t.as('supervisor', { method: 'POST', url: '/api/plans', payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; version: number; startsOn: string };
};
const tasksOf = (planId: string) => t.db.select().from(tasks).where(eq(tasks.planId, planId)).orderBy(tasks.startsAt);
const fields = (res: { json(): { error: { fields: Array<{ field: string; code: string }> } } }) => res.json().error.fields.map((f) => f.field);

describe('IN-1 plans generate tasks a week ahead', () => {
  test('IN-1 a new twice-a-day plan has its week of tasks at once, with windows, one audit row, and shows on the technician\'s day', async () => {
    t.clock.set('2026-11-24T09:00:00+08:00');
    const before = await t.auditCount();
    const plan = await createPlan(rounds());
    expect(await t.auditCount()).toBe(before + 1);
    const [row] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'plan.create'), eq(auditLog.entityId, plan.id)));
    expect(row).toBeTruthy();
    const list = await tasksOf(plan.id);
    // From 24 Nov 09:00: 16:00 today, then two a day until 1 Dec 08:00 (the end of the week is open).
    expect(list.length).toBe(14);
    expect(list[0]!.startsAt.toISOString()).toBe('2026-11-24T08:00:00.000Z');
    expect(list[0]!.dueAt.getTime() - list[0]!.startsAt.getTime()).toBe(60 * 60_000);
    expect(list[0]!.lateAt.getTime() - list[0]!.dueAt.getTime()).toBe(30 * 60_000);
    expect(list.every((x) => x.planVersion === 1 && x.state === 'scheduled' && x.assigneeTrade === 'electrical' && x.assigneeStaffId === null)).toBe(true);

    const mine = await t.as('technician', { method: 'GET', url: '/api/tasks?date=2026-11-25&assignee=me' });
    expect(mine.statusCode, mine.body).toBe(200);
    expect(mine.json().items.map((x: { startsAt: string; planName: string }) => [x.startsAt, x.planName])).toEqual([
      ['2026-11-25T00:00:00.000Z', '配电房巡检'],
      ['2026-11-25T08:00:00.000Z', '配电房巡检'],
    ]);
    // A guard is not an electrician: the pool of the electrical trade is not theirs.
    const guard = await t.as('guard', { method: 'GET', url: '/api/tasks?date=2026-11-25&assignee=me' });
    expect(guard.json().items).toEqual([]);
    const listed = await t.as('owner_rep', { method: 'GET', url: `/api/plans?kind=inspection` });
    expect(listed.json().items.find((p: { id: string }) => p.id === plan.id)).toMatchObject({ kindName: '巡检', version: 1, holidayRuleName: '照常执行' });
  });

  test('IN-1 two task generations at once give exactly one task per plan occurrence', async () => {
    t.clock.set('2026-11-24T09:00:00+08:00');
    const plan = await createPlan(rounds({ name: '夜间巡逻', kind: 'patrol', rrule: 'FREQ=DAILY;BYHOUR=20,22,0,2,4,6;BYMINUTE=0', assignee: { type: 'trade', trade: 'security' } }));
    const now = new Date('2026-11-24T09:00:00+08:00');
    const reset = async () => {
      await t.db.delete(tasks);
      await t.db.update(plans).set({ tasksUntil: null });
    };
    const count = async () => (await t.db.select({ n: sql<number>`count(*)::int`, distinct: sql<number>`count(distinct (plan_id, occurrence))::int` }).from(tasks))[0]!;
    const allPlans = (await t.db.select({ id: plans.id }).from(plans).where(eq(plans.active, true))).map((p) => p.id);

    // Three sweeps at once (claims with SKIP LOCKED, then the unique key).
    await reset();
    const counts = await Promise.all([generateTasks(t.db, now), generateTasks(t.db, now), generateTasks(t.db, now)]);
    const c1 = await count();
    expect(c1.n).toBe(c1.distinct);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(c1.n);
    expect((await tasksOf(plan.id)).length).toBe(6 * 7);
    // And again: nothing new for occurrences already there.
    expect(await generateTasks(t.db, now)).toBe(0);

    // Without the claim, the unique (plan_id, occurrence) alone still holds: three generations of the same plans at once.
    await reset();
    const raw = await Promise.all([1, 2, 3].map(() => generateForPlans(t.db, now, 7, allPlans)));
    const c2 = await count();
    expect(c2).toEqual(c1);
    expect(raw.reduce((a, b) => a + b, 0)).toBe(c1.n);
  });

  test('IN-1 a template change applies to tasks generated afterwards; existing tasks keep their version', async () => {
    t.clock.set('2026-11-24T09:00:00+08:00');
    const plan = await createPlan(rounds({ name: '水泵房巡检', rrule: 'FREQ=DAILY;BYHOUR=10;BYMINUTE=0' }));
    const v1 = await tasksOf(plan.id);
    expect(v1.length).toBe(7);
    const res = await t.as('supervisor', { method: 'PATCH', url: `/api/plans/${plan.id}`, payload: { template: template('出水压力') } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().version).toBe(2);
    expect(res.json().template.checkpoints[0].items[0].label).toBe('出水压力');
    // The same template again is not a new version.
    const same = await t.as('supervisor', { method: 'PATCH', url: `/api/plans/${plan.id}`, payload: { template: template('出水压力') } });
    expect(same.json().version).toBe(2);

    await generateTasks(t.db, new Date('2026-11-26T09:00:00+08:00'));
    const after = await tasksOf(plan.id);
    expect(after.length).toBe(9);
    expect(after.map((x) => x.planVersion)).toEqual([1, 1, 1, 1, 1, 1, 1, 2, 2]);
  });

  test('IN-2 holiday skip over 国庆 2026 produces no task on those days; the make-up Saturday gets one', async () => {
    t.clock.set('2026-09-27T09:00:00+08:00');
    const plan = await createPlan(rounds({ name: '前台设备检查', kind: 'desk_check', rrule: 'FREQ=DAILY;BYHOUR=8;BYMINUTE=30', holidayRule: 'skip', assignee: { type: 'staff', staffId: techStaffId } }));
    await generateTasks(t.db, new Date('2026-09-27T09:00:00+08:00'), 16);
    const days = (await tasksOf(plan.id)).map((x) => shanghaiDate(x.startsAt));
    expect(days).toEqual(['2026-09-28', '2026-09-29', '2026-09-30', '2026-10-08', '2026-10-09', '2026-10-10', '2026-10-12', '2026-10-13']);
  });

  test('IN-1 a schedule change replaces the tasks not started yet (never both schedules side by side), audited with the count dropped', async () => {
    t.clock.set('2026-11-24T09:00:00+08:00');
    const plan = await createPlan(rounds({ name: '楼梯间巡视', rrule: 'FREQ=DAILY;BYHOUR=10;BYMINUTE=0' }));
    const res = await t.as('supervisor', { method: 'PATCH', url: `/api/plans/${plan.id}`, payload: { rrule: 'FREQ=DAILY;BYHOUR=14;BYMINUTE=0' } });
    expect(res.statusCode, res.body).toBe(200);
    const list = await tasksOf(plan.id);
    expect(list.length).toBe(7);
    expect(list.every((x) => x.startsAt.getUTCHours() === 6)).toBe(true); // 14:00 Shanghai
    const [row] = await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'plan.update'), eq(auditLog.entityId, plan.id)));
    expect((row!.after as { droppedTasks: number }).droppedTasks).toBe(7);
    const byPlan = await t.as('supervisor', { method: 'GET', url: `/api/tasks?planId=${plan.id}&state=scheduled&limit=3`, headers: { 'accept-language': 'en-US' } });
    expect(byPlan.json().total).toBe(7);
    expect(byPlan.json().items).toHaveLength(3);
    expect(byPlan.json().items[0]).toMatchObject({ planName: 'Electrical room rounds', kindName: 'Inspection', assigneeTradeName: expect.any(String), moved: false });
  });

  test("IN-2 'duty' assignee: each task goes to whoever the roster has on duty for the trade then, else the trade's pool", async () => {
    t.clock.set('2026-11-24T09:00:00+08:00');
    await t.db.insert(dutyShifts).values({ siteId: t.world.siteId, staffId: techStaffId, trade: 'electrical', startsAt: new Date('2026-11-24T17:00:00+08:00'), endsAt: new Date('2026-11-25T09:00:00+08:00'), kind: 'night' });
    const plan = await createPlan(rounds({ name: '值班电工巡视', rrule: 'FREQ=DAILY;BYHOUR=8,20;BYMINUTE=0', assignee: { type: 'duty', trade: 'electrical' } }));
    const list = await tasksOf(plan.id);
    expect(list.slice(0, 3).map((x) => [x.startsAt.toISOString(), x.assigneeStaffId])).toEqual([
      ['2026-11-24T12:00:00.000Z', techStaffId], // 20:00 on the 24th: the night shift
      ['2026-11-25T00:00:00.000Z', techStaffId], // 08:00 on the 25th: still the night shift
      ['2026-11-25T12:00:00.000Z', null],
    ]);
  });
});

describe('IN-1 bad input answers 400 naming the field', () => {
  test.each([
    ['never fires', 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', 'never_fires'],
    ['every second', 'FREQ=SECONDLY', 'too_frequent'],
    ['garbage', 'every morning please', 'unparseable'],
  ])('IN-1 an RRULE that %s → 400 body.rrule, nothing stored', async (_what, rrule, code) => {
    t.clock.set('2026-11-24T09:00:00+08:00');
    const before = await t.auditCount();
    const res = await t.as('supervisor', { method: 'POST', url: '/api/plans', payload: rounds({ rrule }) });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.fields).toEqual([expect.objectContaining({ field: 'body.rrule', code })]);
    expect(await t.auditCount()).toBe(before);
  });

  test('IN-1 a PATCH to a rule that never fires is refused and the plan is unchanged', async () => {
    const plan = await createPlan(rounds({ name: '屋面巡检', rrule: 'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0' }));
    const res = await t.as('supervisor', { method: 'PATCH', url: `/api/plans/${plan.id}`, payload: { rrule: 'FREQ=DAILY;UNTIL=20200101T000000Z' } });
    expect(res.statusCode).toBe(400);
    expect(fields(res)).toEqual(['body.rrule']);
    expect(res.json().error.fields[0].message).toMatch(/366/);
  });

  test('IN-1 template problems name the item: unknown place, min above max, a failing option that is not an option, a wrong item kind', async () => {
    const bad = template();
    bad.checkpoints[0]!.placeId = '00000000-0000-4000-8000-000000000000';
    (bad.checkpoints[0]!.items[0] as { min: number }).min = 50;
    (bad.checkpoints[1]!.items[0] as { failing: string[] }).failing = ['冒烟'];
    const res = await t.as('supervisor', { method: 'POST', url: '/api/plans', payload: rounds({ template: bad }) });
    expect(res.statusCode, res.body).toBe(400);
    expect(fields(res).sort()).toEqual(['body.template.checkpoints.0.items.0.max', 'body.template.checkpoints.0.placeId', 'body.template.checkpoints.1.items.0.failing']);
    const wrongKind = template();
    (wrongKind.checkpoints[0]!.items[0] as { kind: string }).kind = 'slider';
    const res2 = await t.as('supervisor', { method: 'POST', url: '/api/plans', payload: rounds({ template: wrongKind }) });
    expect(res2.statusCode).toBe(400);
    expect(fields(res2)[0]).toMatch(/^body\.template\.checkpoints\.0\.items\.0/);
  });

  test('IN-1 a technician cannot create plans (403); deactivating twice is a 409; deactivation removes tasks not started', async () => {
    t.clock.set('2026-11-24T09:00:00+08:00');
    expect((await t.as('technician', { method: 'POST', url: '/api/plans', payload: rounds() })).statusCode).toBe(403);
    const plan = await createPlan(rounds({ name: '消防设施月检', rrule: 'FREQ=DAILY;BYHOUR=11;BYMINUTE=0' }));
    expect((await tasksOf(plan.id)).length).toBe(7);
    const off = await t.as('supervisor', { method: 'POST', url: `/api/plans/${plan.id}/deactivate` });
    expect(off.statusCode, off.body).toBe(200);
    expect(off.json().active).toBe(false);
    expect(await tasksOf(plan.id)).toEqual([]);
    await generateTasks(t.db, new Date('2026-11-24T09:00:00+08:00'));
    expect(await tasksOf(plan.id)).toEqual([]);
    const again = await t.as('supervisor', { method: 'POST', url: `/api/plans/${plan.id}/deactivate` });
    expect(again.statusCode).toBe(409);
  });
});

describe('IN-1 places named by templates', () => {
  test('IN-1 a place a plan template visits cannot be hard-deleted (409 place_in_use); a place no template names can', async () => {
    const make = async (code: string) => {
      const res = await t.as('admin', { method: 'POST', url: '/api/places', payload: { parentId: floor12Id, code, name: `配电房${code}`, kind: 'plant_room' } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const room = await make('JW-T1-F12-PD1');
    const spare = await make('JW-T1-F12-PD2');
    const tpl = { checkpoints: [{ placeId: room, order: 1, items: [{ id: 'temp', label: '温度', kind: 'number', unit: '℃', max: 40 }] }] };
    await createPlan(rounds({ name: '配电房PD1巡检', template: tpl }));
    const del = await t.as('admin', { method: 'DELETE', url: `/api/places/${room}` });
    expect(del.statusCode).toBe(409);
    expect(del.json().error.code).toBe('place_in_use');
    expect((await t.as('admin', { method: 'DELETE', url: `/api/places/${spare}` })).statusCode).toBe(200);
  });
});
