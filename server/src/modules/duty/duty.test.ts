import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { makeCalendar, shanghaiInstant, type Trade } from '@towerdesk/domain';
import { freshDatabase, testApp } from '../../../test/harness.ts';
import { seedDemo, DEMO_REFERENCE_DAY } from '../../db/seed/index.ts';
import { readSheet } from '../../platform/spreadsheet.ts';
import { staff } from '../parties/schema.ts';
import { sites } from '../sites/schema.ts';
import { fold, writeFeed } from './ical.ts';
import { offHours, overlaps, planRotation, uncovered } from './rotation.ts';
import { dutyShifts } from './schema.ts';
import { DEMO_ROSTER_TRADES, seedDemoRoster } from './seed.ts';
import { onCallStaff, suggestAssignees } from './service.ts';

const t = await testApp();
const { siteId, techStaffId } = t.world;
const at = (iso: string) => new Date(iso);

async function addStaff(employeeNo: string, name: string, phone: string, trades: Trade[]) {
  const [row] = await t.db.insert(staff).values({ siteId, employeeNo, name, phone, position: '技工', trades, hireDate: '2021-01-01' }).returning();
  return row!.id;
}
const li = await addStaff('E002', '李电工', '13900000002', ['electrical']);
const chen = await addStaff('E003', '陈电工', '13900000003', ['electrical', 'hvac']);
const wang = await addStaff('E004', '王水工', '13900000004', ['plumbing']);
const zhao = await addStaff('E005', '赵综合', '13900000005', ['plumbing', 'general']);
const guardA = await addStaff('E006', '钱保安', '13900000006', ['security']);
const guardB = await addStaff('E007', '孙保安', '13900000007', ['security']);

// Sign-ins write audit rows of their own; sign in first so counts below see only the roster.
for (const role of ['supervisor', 'admin', 'agent', 'technician', 'guard', 'owner_rep']) await t.login(role);

const shiftCount = async () => (await t.db.select({ n: sql<number>`count(*)::int` }).from(dutyShifts))[0]!.n;
const clearRoster = () => t.db.delete(dutyShifts);
const post = (url: string, payload: unknown, who = 'supervisor') => t.as(who, { method: 'POST', url, payload: payload as object });
const fields = (res: { json(): { error: { fields: Array<{ field: string }> } } }) => res.json().error.fields.map((f) => f.field);

/** Every off-hours minute of [from, to) has someone on duty for the trade, checked two ways. */
async function expectCovered(trade: Trade, from: Date, to: Date) {
  const cal = makeCalendar();
  const shifts = await t.db.select().from(dutyShifts).where(and(eq(dutyShifts.siteId, siteId), eq(dutyShifts.trade, trade)));
  expect(uncovered(offHours(cal, from, to), shifts), trade).toEqual([]);
  // And through the service the work-items module calls: every half hour off-hours.
  for (const need of offHours(cal, from, to)) {
    for (let ms = need.startsAt.getTime(); ms < need.endsAt.getTime(); ms += 30 * 60_000) {
      const who = await onCallStaff(t.db, siteId, trade, new Date(ms));
      expect(who.length, `${trade} at ${new Date(ms).toISOString()}`).toBeGreaterThan(0);
      expect(who[0]!.phone).toMatch(/^1\d{10}$/);
    }
  }
}

describe('CS-3 rotation: every night and every non-working day has a named on-call person per trade', () => {
  test('a generated week (Mon 23 – Sun 29 Nov 2026) covers nights and the weekend for three trades, in turn', async () => {
    await clearRoster();
    const week = { from: '2026-11-23', to: '2026-11-29' };
    for (const [trade, staffIds] of [['electrical', [techStaffId, li, chen]], ['plumbing', [wang, zhao]], ['security', [guardA, guardB]]] as const) {
      const res = await post('/api/duty/generate', { ...week, trade, staffIds, pattern: 'day-night', includeDayShifts: trade === 'security' });
      expect(res.statusCode, res.body).toBe(201);
    }
    for (const trade of ['electrical', 'plumbing', 'security'] as const) {
      await expectCovered(trade, shanghaiInstant('2026-11-23', '09:00'), shanghaiInstant('2026-11-30', '09:00'));
    }
    const res = await t.as('supervisor', { method: 'GET', url: '/api/duty?from=2026-11-23&to=2026-11-29&trade=electrical' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    // Five week nights and two 24 h weekend shifts; electrical has no day shifts (not asked for).
    expect(body.items.map((s: { kind: string }) => s.kind)).toEqual(['night', 'night', 'night', 'night', 'night', 'weekend', 'weekend']);
    expect(body.items.map((s: { staffName: string }) => s.staffName)).toEqual(['张师傅', '李电工', '陈电工', '张师傅', '李电工', '陈电工', '张师傅']);
    const sat = body.items[5];
    expect([sat.startsAt, sat.endsAt]).toEqual(['2026-11-28T01:00:00.000Z', '2026-11-29T01:00:00.000Z']);
    // The only hole the grid shows is before the week's first handover (last week's night).
    expect(body.gaps).toEqual([{ startsAt: '2026-11-22T16:00:00.000Z', endsAt: '2026-11-23T01:00:00.000Z' }]);
    // Security asked for day shifts too: around the clock, every day.
    const security = await t.db.select().from(dutyShifts).where(eq(dutyShifts.trade, 'security'));
    expect(uncovered([{ startsAt: shanghaiInstant('2026-11-23', '09:00'), endsAt: shanghaiInstant('2026-11-30', '09:00') }], security)).toEqual([]);
  });

  test('a holiday (National Day, 2026-10-01) gets 24 h coverage, kind "holiday"', async () => {
    await clearRoster();
    const res = await post('/api/duty/generate', { from: '2026-09-30', to: '2026-10-08', trade: 'electrical', staffIds: [techStaffId, li] });
    expect(res.statusCode, res.body).toBe(201);
    const items = res.json().items as Array<{ kind: string; startsAt: string; endsAt: string; staffName: string }>;
    const oct1 = items.find((s) => s.startsAt === shanghaiInstant('2026-10-01', '09:00').toISOString())!;
    expect(oct1).toMatchObject({ kind: 'holiday', kindName: '节假日值班', endsAt: shanghaiInstant('2026-10-02', '09:00').toISOString() });
    expect(items.filter((s) => s.kind === 'holiday')).toHaveLength(7);
    await expectCovered('electrical', shanghaiInstant('2026-09-30', '17:00'), shanghaiInstant('2026-10-09', '09:00'));
    expect((await onCallStaff(t.db, siteId, 'electrical', at('2026-10-01T14:00:00+08:00'))).map((p) => p.name)).toEqual([oct1.staffName]);
    // A single shift on the holiday without a kind gets it from the calendar.
    const single = await post('/api/duty', { staffId: chen, trade: 'electrical', startsAt: '2026-10-03T09:00:00+08:00', endsAt: '2026-10-04T09:00:00+08:00' });
    expect(single.statusCode, single.body).toBe(201);
    expect(single.json().kind).toBe('holiday');
  });

  test('pure rotation: on-call shifts join without gaps; day shifts fill the working hours; lunch breaks are not gaps in a shift', () => {
    const cal = makeCalendar({ hours: { byWeekday: { 1: [['08:30', '12:00'], ['13:00', '17:30']], 2: [['08:30', '12:00'], ['13:00', '17:30']], 3: [['08:30', '17:30']], 4: [['08:30', '17:30']], 5: [['08:30', '17:30']], 6: [], 7: [] }, makeUpDay: [['08:30', '17:30']] } });
    const plan = planRotation(cal, { from: '2026-11-23', to: '2026-11-29', staffIds: ['a', 'b'], includeDayShifts: true });
    const sorted = [...plan].sort((x, y) => x.startsAt.getTime() - y.startsAt.getTime());
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.startsAt.getTime()).toBe(sorted[i - 1]!.endsAt.getTime());
    expect(sorted[0]!.startsAt).toEqual(shanghaiInstant('2026-11-23', '08:30'));
    expect(sorted.at(-1)!.endsAt).toEqual(shanghaiInstant('2026-11-30', '08:30'));
    // Nobody holds two shifts at once.
    for (const a of plan) for (const b of plan) if (a !== b && a.staffId === b.staffId) expect(overlaps(a, b)).toBe(false);
    expect(offHours(cal, shanghaiInstant('2026-11-23'), shanghaiInstant('2026-11-24')).map((i) => i.startsAt.toISOString())).toEqual([
      '2026-11-22T16:00:00.000Z', '2026-11-23T04:00:00.000Z', '2026-11-23T09:30:00.000Z',
    ]);
  });

  test('seedDemoRoster: a week for electrical, plumbing, hvac, elevator, security from the demo staff, no double booking', async () => {
    const demo = await freshDatabase();
    const { siteId: demoSite, n } = await demo.db.transaction(async (tx) => {
      const summary = await seedDemo(tx, DEMO_REFERENCE_DAY);
      return { siteId: summary.siteId, n: await seedDemoRoster(tx, summary.siteId, DEMO_REFERENCE_DAY) };
    });
    expect(n).toBeGreaterThan(0);
    const shifts = await demo.db.select().from(dutyShifts).where(eq(dutyShifts.siteId, demoSite));
    const from = shanghaiInstant(DEMO_REFERENCE_DAY, '09:00');
    const to = shanghaiInstant('2026-12-02', '09:00');
    for (const trade of DEMO_ROSTER_TRADES) {
      const mine = shifts.filter((s) => s.trade === trade);
      expect(uncovered([{ startsAt: from, endsAt: to }], mine), trade).toEqual([]);
    }
    for (const a of shifts) for (const b of shifts) if (a.id !== b.id && a.staffId === b.staffId) expect(overlaps(a, b)).toBe(false);
  });
});

describe('CS-3 shifts: edits are checked and audited', () => {
  test('a night shift crossing midnight is found by onCallStaff at 02:00 (RP-2), with the staff phone by default', async () => {
    await clearRoster();
    const res = await post('/api/duty', { staffId: techStaffId, trade: 'electrical', startsAt: '2026-11-24T17:00:00+08:00', endsAt: '2026-11-25T09:00:00+08:00' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'night', staffName: '张师傅', onCallPhone: '13900000001', phoneIsStaffPhone: true });
    const who = await onCallStaff(t.db, siteId, 'electrical', at('2026-11-25T02:00:00+08:00'));
    expect(who).toEqual([{ staffId: techStaffId, name: '张师傅', phone: '13900000001', shiftId: res.json().id }]);
    expect(await onCallStaff(t.db, siteId, 'electrical', at('2026-11-25T09:00:00+08:00'))).toEqual([]); // the end is exclusive
    expect(await onCallStaff(t.db, siteId, 'plumbing', at('2026-11-25T02:00:00+08:00'))).toEqual([]);
    // A separate on-call number wins over the staff phone.
    const patched = await t.as('supervisor', { method: 'PATCH', url: `/api/duty/${res.json().id}`, payload: { onCallPhone: '021-62345678' } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect((await onCallStaff(t.db, siteId, 'electrical', at('2026-11-25T02:00:00+08:00')))[0]!.phone).toBe('021-62345678');
  });

  test('overlapping shifts of one person → 409 naming the field; touching at the handover is fine; nothing written', async () => {
    await clearRoster();
    const first = await post('/api/duty', { staffId: li, trade: 'electrical', startsAt: '2026-11-24T17:00:00+08:00', endsAt: '2026-11-25T09:00:00+08:00' });
    expect(first.statusCode).toBe(201);
    const otherTrade = await post('/api/duty', { staffId: chen, trade: 'hvac', startsAt: '2026-11-24T17:00:00+08:00', endsAt: '2026-11-25T09:00:00+08:00' });
    expect(otherTrade.statusCode).toBe(201);
    const before = { shifts: await shiftCount(), audit: await t.auditCount() };
    const clash = await post('/api/duty', { staffId: li, trade: 'electrical', startsAt: '2026-11-25T08:00:00+08:00', endsAt: '2026-11-25T17:00:00+08:00' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error).toMatchObject({ code: 'duty_overlap', fields: [{ field: 'body.startsAt', code: 'overlap' }], conflicts: [{ id: first.json().id }] });
    // Another trade does not make it less of a clash: one person, one place at a time.
    const clashHvac = await post('/api/duty', { staffId: chen, trade: 'electrical', startsAt: '2026-11-24T20:00:00+08:00', endsAt: '2026-11-24T22:00:00+08:00' });
    expect(clashHvac.statusCode).toBe(409);
    // A generated rotation that would double-book li is refused whole.
    const gen = await post('/api/duty/generate', { from: '2026-11-24', to: '2026-11-26', trade: 'electrical', staffIds: [li, techStaffId] });
    expect(gen.statusCode).toBe(409);
    expect(fields(gen)).toEqual(['body.staffIds.0']);
    expect(await shiftCount()).toBe(before.shifts);
    expect(await t.auditCount()).toBe(before.audit);
    const touching = await post('/api/duty', { staffId: li, trade: 'electrical', startsAt: '2026-11-25T09:00:00+08:00', endsAt: '2026-11-25T17:00:00+08:00' });
    expect(touching.statusCode, touching.body).toBe(201);
    expect(touching.json().kind).toBe('day');
    // Moving a shift onto another of the same person is a clash too.
    const move = await t.as('supervisor', { method: 'PATCH', url: `/api/duty/${touching.json().id}`, payload: { startsAt: '2026-11-25T08:00:00+08:00' } });
    expect(move.statusCode).toBe(409);
  });

  test('bad input → 4xx naming the field, nothing written', async () => {
    const before = { shifts: await shiftCount(), audit: await t.auditCount() };
    const base = { staffId: wang, trade: 'plumbing', startsAt: '2026-12-01T17:00:00+08:00', endsAt: '2026-12-02T09:00:00+08:00' };
    const cases: Array<[unknown, string, number]> = [
      [{ ...base, endsAt: base.startsAt }, 'body.endsAt', 400],
      [{ ...base, endsAt: '2026-12-01T08:00:00+08:00' }, 'body.endsAt', 400],
      [{ ...base, endsAt: '2026-12-20T08:00:00+08:00' }, 'body.endsAt', 400],
      [{ ...base, trade: 'electrical' }, 'body.trade', 400],
      [{ ...base, trade: 'rocket_science' }, 'body.trade', 400],
      [{ ...base, staffId: crypto.randomUUID() }, 'body.staffId', 400],
      [{ ...base, kind: 'siesta' }, 'body.kind', 400],
      [{ ...base, startsAt: '2026-12-01 17:00' }, 'body.startsAt', 400],
      [{ ...base, onCallPhone: '12345' }, 'body.onCallPhone', 400],
      [{ ...base, colour: 'red' }, 'body.colour', 400],
    ];
    for (const [payload, field, status] of cases) {
      const res = await post('/api/duty', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(fields(res), JSON.stringify(payload)).toContain(field);
    }
    const gens: Array<[unknown, string]> = [
      [{ from: '2026-12-05', to: '2026-12-01', trade: 'plumbing', staffIds: [wang] }, 'body.to'],
      [{ from: '2026-01-01', to: '2026-12-31', trade: 'plumbing', staffIds: [wang] }, 'body.to'],
      [{ from: '2026-12-01', to: '2026-12-03', trade: 'plumbing', staffIds: [wang, li] }, 'body.staffIds.1'],
      [{ from: '2026-12-01', to: '2026-12-03', trade: 'plumbing', staffIds: [wang, wang] }, 'body.staffIds.1'],
      [{ from: '2026-12-01', to: '2026-12-03', trade: 'plumbing', staffIds: [] }, 'body.staffIds'],
      [{ from: '2026-12-01', to: '2026-12-03', trade: 'plumbing', staffIds: [wang], pattern: 'zigzag' }, 'body.pattern'],
    ];
    for (const [payload, field] of gens) {
      const res = await post('/api/duty/generate', payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(fields(res), JSON.stringify(payload)).toContain(field);
    }
    for (const [url, field] of [
      ['/api/duty?from=2026-12-05&to=2026-12-01', 'querystring.to'],
      ['/api/duty?from=2026-12-01', 'querystring.to'],
      ['/api/duty?from=2026-12-01&to=2026-12-02&trade=x', 'querystring.trade'],
      ['/api/duty/suggestions', 'querystring.trade'],
      ['/api/duty/suggestions?trade=electrical&at=tomorrow', 'querystring.at'],
    ] as const) {
      const res = await t.as('agent', { method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(fields(res), url).toContain(field);
    }
    expect(await shiftCount()).toBe(before.shifts);
    expect(await t.auditCount()).toBe(before.audit);
  });

  test('every mutation writes exactly one audit row (create, edit, delete, generate, feed token, export)', async () => {
    await clearRoster();
    const once = async (fn: () => Promise<{ statusCode: number; body: string }>, status: number) => {
      const before = await t.auditCount();
      const res = await fn();
      expect(res.statusCode, res.body).toBe(status);
      expect(await t.auditCount()).toBe(before + 1);
      return res;
    };
    const created = await once(() => post('/api/duty', { staffId: zhao, trade: 'plumbing', startsAt: '2026-12-05T09:00:00+08:00', endsAt: '2026-12-06T09:00:00+08:00', note: '周六值班' }), 201);
    const id = (created as unknown as { json(): { id: string; kind: string } }).json().id;
    await once(() => t.as('supervisor', { method: 'PATCH', url: `/api/duty/${id}`, payload: { startsAt: '2026-12-07T17:00:00+08:00', endsAt: '2026-12-08T09:00:00+08:00' } }), 200);
    const [row] = await t.db.select().from(dutyShifts).where(eq(dutyShifts.id, id));
    expect(row!.kind).toBe('night'); // re-derived from the new start (a Monday evening)
    await once(() => t.as('admin', { method: 'DELETE', url: `/api/duty/${id}` }), 200);
    await once(() => post('/api/duty/generate', { from: '2026-12-07', to: '2026-12-13', trade: 'plumbing', staffIds: [wang, zhao] }), 201);
    await once(() => post(`/api/duty/ical-token/${zhao}`, {}), 200);
    await once(() => t.as('owner_rep', { method: 'GET', url: '/api/duty/export.xlsx?from=2026-12-07&to=2026-12-13' }), 200);
    const actions = (await t.db.execute<{ action: string }>(sql`select action from audit_log where action like 'duty.%' order by at, action`)).rows.map((r) => r.action);
    expect(new Set(actions)).toEqual(new Set(['duty.create', 'duty.update', 'duty.delete', 'duty.generate', 'duty.feed_token_create', 'duty.export']));
    // Deleted rows stay gone; unknown ids are 404.
    expect((await t.as('supervisor', { method: 'DELETE', url: `/api/duty/${id}` })).statusCode).toBe(404);
    expect((await t.as('supervisor', { method: 'PATCH', url: `/api/duty/${id}`, payload: {} })).statusCode).toBe(404);
  });
});

describe('CS-3 publication: list, XLSX export, iCal feed', () => {
  test('phones: the desk and the person see the number; other roles see it masked', async () => {
    await clearRoster();
    await post('/api/duty', { staffId: techStaffId, trade: 'electrical', startsAt: '2026-12-14T17:00:00+08:00', endsAt: '2026-12-15T09:00:00+08:00' });
    await post('/api/duty', { staffId: wang, trade: 'plumbing', startsAt: '2026-12-14T17:00:00+08:00', endsAt: '2026-12-15T09:00:00+08:00' });
    const phones = async (who: string) => {
      const res = await t.as(who, { method: 'GET', url: '/api/duty?from=2026-12-14&to=2026-12-14' });
      expect(res.statusCode).toBe(200);
      return Object.fromEntries(res.json().items.map((s: { staffName: string; onCallPhone: string }) => [s.staffName, s.onCallPhone]));
    };
    expect(await phones('agent')).toEqual({ 张师傅: '13900000001', 王水工: '13900000004' });
    expect(await phones('technician')).toEqual({ 张师傅: '13900000001', 王水工: '139****0004' });
    expect(await phones('guard')).toEqual({ 张师傅: '139****0001', 王水工: '139****0004' });
    expect(await phones('owner_rep')).toEqual({ 张师傅: '139****0001', 王水工: '139****0004' });
    const guardView = await t.as('guard', { method: 'GET', url: '/api/duty?from=2026-12-14&to=2026-12-14' });
    expect(guardView.json().can).toEqual({ write: false });
    expect((await t.as('occupant', { method: 'GET', url: '/api/duty?from=2026-12-14&to=2026-12-14' })).statusCode).toBe(403);
  });

  test('XLSX export has Chinese headers and one row per shift; masked for non-desk roles', async () => {
    await clearRoster();
    await post('/api/duty/generate', { from: '2026-12-14', to: '2026-12-20', trade: 'electrical', staffIds: [techStaffId, li] });
    const res = await t.as('supervisor', { method: 'GET', url: '/api/duty/export.xlsx?from=2026-12-14&to=2026-12-20' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('值班表'));
    const sheet = await readSheet(res.rawPayload);
    expect(sheet.headers).toEqual(['日期', '星期', '专业', '班次', '开始时间', '结束时间', '值班人', '值班电话', '备注']);
    expect(sheet.rows).toHaveLength(7);
    expect(sheet.rows[0]!.cells).toMatchObject({ 日期: '2026-12-14', 星期: '周一', 专业: '电工', 班次: '夜班', 开始时间: '2026-12-14 17:00', 结束时间: '2026-12-15 09:00', 值班人: '张师傅', 值班电话: '13900000001' });
    expect(sheet.rows[5]!.cells).toMatchObject({ 星期: '周六', 班次: '周末值班', 开始时间: '2026-12-19 09:00', 结束时间: '2026-12-20 09:00' });
    const masked = await readSheet((await t.as('guard', { method: 'GET', url: '/api/duty/export.xlsx?from=2026-12-14&to=2026-12-20' })).rawPayload);
    expect(masked.rows.map((r) => r.cells['值班电话'])).not.toContain('13900000001');
    expect(masked.rows[0]!.cells['值班电话']).toBe('139****0001');
  });

  test('iCal feed: public by token, BEGIN:VCALENDAR / VEVENT / DTSTART;TZID=Asia/Shanghai; wrong or replaced token → 404', async () => {
    await clearRoster();
    await post('/api/duty/generate', { from: '2026-11-23', to: '2026-11-29', trade: 'electrical', staffIds: [techStaffId, li], note: '值班室：B1 监控中心, 分机 8001; 带好对讲机' });
    const issued = await post(`/api/duty/ical-token/${techStaffId}`, {});
    expect(issued.statusCode, issued.body).toBe(200);
    const { token, url } = issued.json();
    expect(token.length).toBeGreaterThanOrEqual(32);
    expect(url).toMatch(new RegExp(`/api/duty/ical/${token}$`));
    const feed = await t.as(null, { method: 'GET', url: `/api/duty/ical/${token}` });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('text/calendar');
    const text = feed.body;
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    const physical = text.split('\r\n').slice(0, -1);
    for (const line of physical) expect(Buffer.byteLength(line), line).toBeLessThanOrEqual(75);
    const lines = text.replace(/\r\n /g, '').split('\r\n');
    expect(lines).toContain('VERSION:2.0');
    expect(lines).toContain('TZID:Asia/Shanghai');
    // 张师傅 has four of the week's seven on-call shifts (Mon, Wed, Fri nights and Sunday).
    expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(4);
    expect(lines).toContain('DTSTART;TZID=Asia/Shanghai:20261123T170000');
    expect(lines).toContain('DTEND;TZID=Asia/Shanghai:20261124T090000');
    expect(lines).toContain('SUMMARY:电工夜班');
    expect(lines).toContain('SUMMARY:电工周末值班');
    expect(lines).toContain('DESCRIPTION:值班室：B1 监控中心\\, 分机 8001\\; 带好对讲机');
    expect(lines.some((l) => /^DTSTAMP:\d{8}T\d{6}Z$/.test(l))).toBe(true);
    expect(text).not.toContain('13900000001'); // a leaked feed URL leaks no phone number
    expect((await t.as(null, { method: 'GET', url: `/api/duty/ical/${token}.ics` })).statusCode).toBe(200);

    expect((await t.as(null, { method: 'GET', url: '/api/duty/ical/not-a-real-token-000000000000000' })).statusCode).toBe(404);
    const again = await post(`/api/duty/ical-token/${techStaffId}`, {});
    expect((await t.as(null, { method: 'GET', url: `/api/duty/ical/${token}` })).statusCode).toBe(404);
    expect((await t.as(null, { method: 'GET', url: `/api/duty/ical/${again.json().token}` })).statusCode).toBe(200);
    expect((await post(`/api/duty/ical-token/${crypto.randomUUID()}`, {})).statusCode).toBe(404);
  });

  test('iCal writer: folds long lines at 75 octets without splitting a character', () => {
    const long = `SUMMARY:${'值班'.repeat(40)}`;
    const folded = fold(long);
    for (const part of folded.split('\r\n')) expect(Buffer.byteLength(part)).toBeLessThanOrEqual(75);
    expect(folded.replace(/\r\n /g, '')).toBe(long);
    const ics = writeFeed({ name: 'x', now: at('2026-11-24T01:00:00Z'), events: [] });
    expect(ics).toContain('BEGIN:VTIMEZONE');
    expect(ics).not.toContain('BEGIN:VEVENT');
  });
});

describe('RP-2 dispatch: on-call lookup and suggestions', () => {
  test('suggestions rank the person on duty first, then by open work items, then by name', async () => {
    await clearRoster();
    const now = '2026-11-24T21:00:00+08:00';
    // 张师傅 is on call tonight although he holds the most open items: on duty ranks first.
    await post('/api/duty', { staffId: techStaffId, trade: 'electrical', startsAt: '2026-11-24T17:00:00+08:00', endsAt: '2026-11-25T09:00:00+08:00' });
    // Open load: 张师傅 holds two open items; 李电工 one finished and one cancelled (neither counts).
    const [creator] = (await t.db.execute<{ id: string }>(sql`select id from accounts where username = 'agent'`)).rows;
    let seq = 0;
    const item = (assignee: string, state: string) => t.db.execute(sql`
      insert into work_items (site_id, number, kind, category, urgency, state, title, description, channel, created_by, assignee_staff_id, created_at, updated_at)
      values (${siteId}, ${`BX-20261124-${String(++seq).padStart(4, '0')}`}, 'repair', 'power_outage', 'normal', ${state}, '停电', '停电', 'phone', ${creator!.id}, ${assignee}, now(), now())`);
    await item(techStaffId, 'assigned');
    await item(techStaffId, 'in_progress');
    await item(li, 'completed');
    await item(li, 'cancelled');
    const ranked = await suggestAssignees(t.db, siteId, 'electrical', at(now));
    expect(ranked.map((r) => [r.name, r.onDuty, r.openItems])).toEqual([['张师傅', true, 2], ['陈电工', false, 0], ['李电工', false, 0]]);
    const res = await t.as('agent', { method: 'GET', url: `/api/duty/suggestions?trade=electrical&at=${encodeURIComponent(now)}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((r: { name: string }) => r.name)).toEqual(['张师傅', '陈电工', '李电工']);
    expect(res.json().items[0]).toMatchObject({ onDuty: true, phone: '13900000001' });
    // Without `at` it is the app's clock (09:00, when nobody is on call): load, then name.
    const byLoad = await t.as('agent', { method: 'GET', url: '/api/duty/suggestions?trade=electrical' });
    expect(byLoad.json().items.map((r: { name: string }) => r.name)).toEqual(['陈电工', '李电工', '张师傅']);
    expect(byLoad.json().items.every((r: { onDuty: boolean }) => !r.onDuty)).toBe(true);
    expect((await t.as('technician', { method: 'GET', url: '/api/duty/suggestions?trade=electrical' })).statusCode).toBe(403);
  });

  test('a deactivated person is not paged, and another site is never seen', async () => {
    await clearRoster();
    await post('/api/duty', { staffId: guardA, trade: 'security', startsAt: '2026-11-24T17:00:00+08:00', endsAt: '2026-11-25T09:00:00+08:00' });
    await t.db.update(staff).set({ active: false }).where(eq(staff.id, guardA));
    expect(await onCallStaff(t.db, siteId, 'security', at('2026-11-24T23:00:00+08:00'))).toEqual([]);
    await t.db.update(staff).set({ active: true }).where(eq(staff.id, guardA));
    const [other] = await t.db.insert(sites).values({ code: 'XH', name: '徐汇中心' }).returning();
    const [stranger] = await t.db.insert(staff).values({ siteId: other!.id, employeeNo: 'X001', name: '外站电工', phone: '13700000001', position: '电工', trades: ['electrical'], hireDate: '2020-01-01' }).returning();
    const res = await post('/api/duty', { staffId: stranger!.id, trade: 'electrical', startsAt: '2026-11-24T17:00:00+08:00', endsAt: '2026-11-25T09:00:00+08:00' });
    expect(res.statusCode).toBe(400);
    expect(fields(res)).toEqual(['body.staffId']);
    expect((await post(`/api/duty/ical-token/${stranger!.id}`, {})).statusCode).toBe(404);
    expect(await onCallStaff(t.db, other!.id, 'security', at('2026-11-24T23:00:00+08:00'))).toEqual([]);
  });
});
