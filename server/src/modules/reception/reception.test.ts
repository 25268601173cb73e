import crypto from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { testApp } from '../../../test/harness.ts';
import { auditLog } from '../audit/schema.ts';
import { companies, occupants } from '../parties/schema.ts';
import { places } from '../places/schema.ts';
import { sites } from '../sites/schema.ts';
import { workItems } from '../work-items/schema.ts';
import { readSheet } from '../../platform/spreadsheet.ts';
import { dialledDigits, sameNumber } from './phones.ts';
import { EXPORT_HEADERS, isoWeekLabel, mondaysBetween } from './service.ts';

const t = await testApp();
const w = t.world;
for (const who of ['admin', 'agent', 'supervisor', 'owner_rep', 'occupant', 'technician']) await t.login(who);
const token = () => crypto.randomBytes(12).toString('base64url');

type Reception = { id: string; channel: string; occupant: { id: string; name: string } | null; company: { id: string; name: string } | null; unit: { code: string } | null; contactPhone: string | null; topic: string; topicName: string; workItems: Array<{ id: string; number: string }>; agent: { name: string } };
const receive = (who: string, body: Record<string, unknown>) => t.as(who, { method: 'POST', url: '/api/receptions', payload: { channel: 'walk_in', topic: 'repair', summary: '1201 室空调不制冷', ...body } });
const fileItem = async (occupantId: string) => {
  const res = await t.as('agent', { method: 'POST', url: '/api/work-items', payload: { kind: 'repair', category: 'electrical.lighting', placeId: w.unitAId, description: '灯不亮', occupantId, channel: 'walk_in' } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; number: string };
};
const lastAudit = async () => (await t.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0]!;

describe('CS-5 the desk finds the caller by phone number', () => {
  test('CS-5 a mobile finds the occupant, company, units with their floor and open work items; typed in any shape', async () => {
    const item = await fileItem(w.occAId);
    const res = await t.as('agent', { method: 'GET', url: '/api/receptions/lookup?phone=13800000001' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.phone).toBe('13800000001');
    expect(body.matches).toHaveLength(1);
    const [m] = body.matches;
    expect(m.occupant).toMatchObject({ id: w.occAId, name: '王甲', phone: '138****0001' });
    expect(m.company).toEqual({ id: w.companyAId, name: '甲公司' });
    expect(m.units).toEqual([{ id: w.unitAId, code: 'JW-T1-F12-1201', name: '1201室', floor: { id: w.floor12Id, code: 'JW-T1-F12', name: '12层' } }]);
    expect(m.openItems.map((i: { id: string }) => i.id)).toContain(item.id);
    expect(m.openItems[0]).toMatchObject({ number: item.number, kind: 'repair', state: 'new' });
    for (const typed of ['+86 138 0000 0001', '008613800000001', '138-0000-0001', '013800000001']) {
      const again = await t.as('agent', { method: 'GET', url: `/api/receptions/lookup?phone=${encodeURIComponent(typed)}` });
      expect(again.json().matches.map((x: { occupant: { id: string } }) => x.occupant.id), typed).toEqual([w.occAId]);
      expect(again.json().phone).toBe(typed);
    }
  });

  test('CS-5 closed items are not listed as open; a mobile never matches on its last 8 digits', async () => {
    const closed = await fileItem(w.occA2Id);
    await t.db.update(workItems).set({ state: 'closed' }).where(eq(workItems.id, closed.id));
    const open = await fileItem(w.occA2Id);
    const res = await t.as('agent', { method: 'GET', url: '/api/receptions/lookup?phone=13800000003' });
    expect(res.json().matches[0].openItems.map((i: { id: string }) => i.id)).toEqual([open.id]);
    const none = await t.as('agent', { method: 'GET', url: '/api/receptions/lookup?phone=00000001' });
    expect(none.json().matches).toEqual([]);
    const other = await t.as('agent', { method: 'GET', url: '/api/receptions/lookup?phone=13900000001' });
    expect(other.json().matches).toEqual([]);
  });

  test('CS-5 a landline matches in full or on its last 8 digits (the local number)', async () => {
    await t.db.insert(occupants).values({ siteId: w.siteId, companyId: w.companyBId, name: '前台', phone: '021-62345678', unitIds: [w.unitBId] });
    for (const typed of ['021-62345678', '02162345678', '62345678', '+86 21 6234 5678']) {
      const res = await t.as('agent', { method: 'GET', url: `/api/receptions/lookup?phone=${encodeURIComponent(typed)}` });
      expect(res.json().matches.map((m: { occupant: { name: string }; company: { name: string } }) => [m.occupant.name, m.company.name]), typed).toEqual([['前台', '乙公司']]);
    }
  });

  test('CS-5 number rules: country code and trunk 0 removed; mobiles full match only', () => {
    expect(dialledDigits('+86 138-0000-0001')).toBe('13800000001');
    expect(dialledDigits('013800000001')).toBe('13800000001');
    expect(sameNumber('62345678', '021-62345678')).toBe(true);
    expect(sameNumber('00000001', '13800000001')).toBe(false);
    expect(sameNumber('13800000001', '13800000001')).toBe(true);
  });

  test('bad input: a number that is not one names querystring.phone; only the desk may look up', async () => {
    for (const q of ['abc', '123', '']) {
      const res = await t.as('agent', { method: 'GET', url: `/api/receptions/lookup?phone=${q}` });
      expect(res.statusCode, q).toBe(400);
      expect(res.json().error.fields.map((f: { field: string }) => f.field)).toContain('querystring.phone');
    }
    expect((await t.as('owner_rep', { method: 'GET', url: '/api/receptions/lookup?phone=13800000001' })).statusCode).toBe(403);
    expect((await t.as('occupant', { method: 'GET', url: '/api/receptions/lookup?phone=13800000001' })).statusCode).toBe(403);
  });
});

describe('CS-4 reception records', () => {
  test('CS-4 a walk-in is recorded with who, company, unit, topic, agent — one audit row, phone masked', async () => {
    const before = await t.auditCount();
    const res = await receive('agent', { occupantId: w.occAId, contactPhone: '13800000001', actionTaken: '已派单', result: '待维修' });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json() as Reception;
    expect(r).toMatchObject({
      channel: 'walk_in', occupant: { id: w.occAId, name: '王甲' }, company: { id: w.companyAId, name: '甲公司' },
      unit: { code: 'JW-T1-F12-1201' }, contactPhone: '138****0001', topic: 'repair', topicName: '报修', agent: { name: '测试agent' },
    });
    expect(await t.auditCount()).toBe(before + 1);
    const row = await lastAudit();
    expect(row).toMatchObject({ action: 'reception.create', entityId: r.id });
    expect(JSON.stringify(row.after)).not.toContain('13800000001');
    const got = await t.as('owner_rep', { method: 'GET', url: `/api/receptions/${r.id}` });
    expect(got.statusCode).toBe(200);
  });

  test('CS-4 RP-1 a reception links to the work item created from it: same site, audited once, idempotent', async () => {
    const r = (await receive('agent', { occupantId: w.occAId })).json() as Reception;
    const item = await fileItem(w.occAId);
    const before = await t.auditCount();
    const linked = await t.as('agent', { method: 'POST', url: `/api/receptions/${r.id}/link`, payload: { workItemId: item.id } });
    expect(linked.statusCode, linked.body).toBe(200);
    expect((linked.json() as Reception).workItems).toEqual([expect.objectContaining({ id: item.id, number: item.number })]);
    expect(await t.auditCount()).toBe(before + 1);
    expect(await lastAudit()).toMatchObject({ action: 'reception.link', entityId: r.id });
    const again = await t.as('agent', { method: 'POST', url: `/api/receptions/${r.id}/link`, payload: { workItemId: item.id } });
    expect(again.statusCode).toBe(200);
    expect((again.json() as Reception).workItems).toHaveLength(1);
    expect(await t.auditCount()).toBe(before + 1);

    // An item of another site is not found from here: 400 naming the field, nothing written.
    const [site2] = await t.db.insert(sites).values({ code: 'XH', name: '徐汇中心' }).returning();
    const [other] = await t.db.insert(workItems).values({
      siteId: site2!.id, number: 'BX-20261124-0001', kind: 'repair', category: 'electrical.lighting', urgency: 'normal', state: 'new',
      title: '灯', description: '灯', channel: 'app', createdBy: w.accountIds.admin, createdAt: t.clock.now(), updatedAt: t.clock.now(),
    }).returning();
    const cross = await t.as('agent', { method: 'POST', url: `/api/receptions/${r.id}/link`, payload: { workItemId: other!.id } });
    expect(cross.statusCode).toBe(400);
    expect(cross.json().error.fields[0].field).toBe('body.workItemId');
    expect(await t.auditCount()).toBe(before + 1);
    // Unknown reception → 404; the owner's representative reads but does not write.
    expect((await t.as('agent', { method: 'POST', url: `/api/receptions/${crypto.randomUUID()}/link`, payload: { workItemId: item.id } })).statusCode).toBe(404);
    expect((await t.as('owner_rep', { method: 'POST', url: `/api/receptions/${r.id}/link`, payload: { workItemId: item.id } })).statusCode).toBe(403);
  });

  test('CS-4 records are searchable by period, channel, topic, company and text', async () => {
    await receive('agent', { companyId: w.companyBId, channel: 'message', topic: 'suggestion', summary: '建议增加自行车停放区', at: '2026-11-20T10:00:00+08:00' });
    const list = async (q: string) => (await t.as('supervisor', { method: 'GET', url: `/api/receptions?${q}` })).json() as { items: Reception[]; total: number };
    expect((await list('q=自行车')).items.map((r) => r.topic)).toEqual(['suggestion']);
    expect((await list('q=乙公司')).total).toBeGreaterThanOrEqual(1);
    expect((await list('topic=suggestion&channel=message')).total).toBe(1);
    expect((await list(`companyId=${w.companyBId}&from=2026-11-20&to=2026-11-20`)).total).toBe(1);
    expect((await list(`companyId=${w.companyBId}&from=2026-11-21`)).total).toBe(0);
    const bad = await t.as('supervisor', { method: 'GET', url: '/api/receptions?from=2026-11-21&to=2026-11-20' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].field).toBe('querystring.to');
  });

  test('bad input names the field and writes nothing; occupants may not record', async () => {
    const before = await t.auditCount();
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ topic: 'gossip', occupantId: w.occAId }, 'body.topic'],
      [{ channel: 'fax', occupantId: w.occAId }, 'body.channel'],
      [{ occupantId: crypto.randomUUID() }, 'body.occupantId'],
      [{ occupantId: w.occAId, companyId: w.companyBId }, 'body.companyId'],
      [{}, 'body.contactName'],
      [{ occupantId: w.occAId, at: '2026-12-31T10:00:00+08:00' }, 'body.at'],
      [{ occupantId: w.occAId, summary: '' }, 'body.summary'],
      [{ occupantId: w.occAId, workItemIds: [crypto.randomUUID()] }, 'body.workItemIds'],
      [{ contactName: '访客', contactPhone: 'call me' }, 'body.contactPhone'],
    ];
    for (const [body, field] of cases) {
      const res = await receive('agent', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.fields.map((f: { field: string }) => f.field), JSON.stringify(body)).toContain(field);
    }
    expect((await receive('occupant', { occupantId: w.occAId })).statusCode).toBe(403);
    expect(await t.auditCount()).toBe(before);
  });
});

describe('CS-4 statistics: by topic, floor, company, week', () => {
  // October 2026 is kept for this block: the other tests record in November.
  let floor15Id = '';
  beforeAll(async () => {
    const [building] = await t.db.select().from(places).where(eq(places.id, w.buildingId));
    const [floor15] = await t.db.insert(places).values({ siteId: w.siteId, parentId: building!.id, code: 'JW-T1-F15', name: '15层', kind: 'floor', qrToken: token() }).returning();
    floor15Id = floor15!.id;
    // A unit inside a zone of the floor: its floor is two levels up.
    const [zone] = await t.db.insert(places).values({ siteId: w.siteId, parentId: floor15!.id, code: 'JW-T1-F15-E', name: '15层东区', kind: 'public_area', qrToken: token() }).returning();
    const [unit1501] = await t.db.insert(places).values({ siteId: w.siteId, parentId: zone!.id, code: 'JW-T1-F15-1501', name: '1501室', kind: 'office_unit', qrToken: token() }).returning();
    const [companyC] = await t.db.insert(companies).values({ siteId: w.siteId, name: '丙公司', unitIds: [unit1501!.id] }).returning();
    const [occC] = await t.db.insert(occupants).values({ siteId: w.siteId, companyId: companyC!.id, name: '孙丙', phone: '13700000009', unitIds: [unit1501!.id] }).returning();
    const seed: Array<[string, Record<string, unknown>]> = [
      ['2026-10-05T09:30:00+08:00', { occupantId: w.occAId, topic: 'repair' }],
      ['2026-10-06T14:00:00+08:00', { occupantId: w.occA2Id, topic: 'repair' }],
      ['2026-10-07T10:00:00+08:00', { occupantId: occC!.id, topic: 'complaint' }],
      ['2026-10-14T10:00:00+08:00', { occupantId: occC!.id, topic: 'repair', channel: 'call' }],
      ['2026-10-15T16:00:00+08:00', { companyId: w.companyBId, topic: 'inquiry' }],
      // Sunday 23:30 in Shanghai is still the week of Monday 10-12 (15:30 UTC).
      ['2026-10-18T23:30:00+08:00', { contactName: '快递员', topic: 'visitor' }],
    ];
    for (const [at, body] of seed) {
      const res = await receive('agent', { at, ...body });
      if (res.statusCode !== 201) throw new Error(res.body);
    }
  });
  const stats = async (by: string) => {
    const res = await t.as('owner_rep', { method: 'GET', url: `/api/receptions/stats?by=${by}&from=2026-10-01&to=2026-10-31` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { total: number; rows: Array<{ key: string | null; label: string; count: number }> };
  };
  const counts = (rows: Array<{ label: string; count: number }>) => Object.fromEntries(rows.map((r) => [r.label, r.count]));

  test('CS-4 by topic', async () => {
    const s = await stats('topic');
    expect(s.total).toBe(6);
    expect(counts(s.rows)).toEqual({ 报修: 3, 投诉: 1, 咨询: 1, 访客: 1 });
    expect(s.rows[0]).toMatchObject({ key: 'repair', count: 3 });
  });

  test('CS-4 by floor: the nearest floor above the contact\'s unit; each reception counted once', async () => {
    const s = await stats('floor');
    expect(counts(s.rows)).toEqual({ '12层（JW-T1-F12）': 3, '15层（JW-T1-F15）': 2, 未知楼层: 1 });
    expect(s.rows.find((r) => r.label.startsWith('15层'))!.key).toBe(floor15Id);
    expect(s.total).toBe(6);
  });

  test('CS-4 by company', async () => {
    const s = await stats('company');
    expect(counts(s.rows)).toEqual({ 甲公司: 2, 丙公司: 2, 乙公司: 1, 未登记单位: 1 });
    const en = await t.as('owner_rep', { method: 'GET', url: '/api/receptions/stats?by=company&from=2026-10-01&to=2026-10-31', headers: { 'accept-language': 'en' } });
    expect(en.json().rows.map((r: { label: string }) => r.label)).toContain('No company');
  });

  test('CS-4 by ISO week (Asia/Shanghai), empty weeks of the period listed with 0', async () => {
    const s = await stats('week');
    expect(s.rows).toEqual([
      { key: '2026-09-28', label: '2026-W40', count: 0 },
      { key: '2026-10-05', label: '2026-W41', count: 3 },
      { key: '2026-10-12', label: '2026-W42', count: 3 },
      { key: '2026-10-19', label: '2026-W43', count: 0 },
      { key: '2026-10-26', label: '2026-W44', count: 0 },
    ]);
    const calls = await t.as('owner_rep', { method: 'GET', url: '/api/receptions/stats?by=week&from=2026-10-01&to=2026-10-31&channel=call' });
    expect(calls.json().total).toBe(1);
  });

  test('ISO week labels at year ends', () => {
    expect(isoWeekLabel('2026-12-28')).toBe('2026-W53');
    expect(isoWeekLabel('2027-01-04')).toBe('2027-W01');
    expect(isoWeekLabel('2024-12-30')).toBe('2025-W01');
    expect(mondaysBetween('2026-10-01', '2026-10-12')).toEqual(['2026-09-28', '2026-10-05', '2026-10-12']);
  });

  test('bad input: an unknown grouping names querystring.by', async () => {
    const res = await t.as('owner_rep', { method: 'GET', url: '/api/receptions/stats?by=colour' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].field).toBe('querystring.by');
  });

  test('CS-4 SEC-2 SEC-3 export: XLSX with Chinese headers, phones masked, one audit row', async () => {
    await receive('agent', { at: '2026-10-20T11:00:00+08:00', contactName: '访客李先生', contactPhone: '13912345678', topic: 'visitor' });
    const before = await t.auditCount();
    const res = await t.as('owner_rep', { method: 'GET', url: '/api/receptions/export.xlsx?from=2026-10-01&to=2026-10-31' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent('接待记录'));
    const sheet = await readSheet(res.rawPayload);
    expect(sheet.headers).toEqual(EXPORT_HEADERS);
    expect(sheet.headers).toContain('联系电话');
    expect(sheet.rows).toHaveLength(7);
    const visitor = sheet.rows.find((r) => r.cells['来访/来电人'] === '访客李先生')!;
    expect(visitor.cells).toMatchObject({ 联系电话: '139****5678', 主题: '访客', 渠道: '来访' });
    // The occupant's registered number, masked, when none was typed.
    expect(sheet.rows.find((r) => r.cells['来访/来电人'] === '孙丙')!.cells['联系电话']).toBe('137****0009');
    expect(await t.auditCount()).toBe(before + 1);
    const row = await lastAudit();
    expect(row).toMatchObject({ action: 'reception.export', actorId: w.accountIds.owner_rep });
    expect(row.after).toMatchObject({ rows: 7 });
    // The period is required: an export names what it takes out.
    const noPeriod = await t.as('owner_rep', { method: 'GET', url: '/api/receptions/export.xlsx' });
    expect(noPeriod.statusCode).toBe(400);
    expect(noPeriod.json().error.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(['querystring.from', 'querystring.to']));
    expect(await t.auditCount()).toBe(before + 1);
    expect((await t.db.select().from(auditLog).where(and(eq(auditLog.action, 'reception.export')))).length).toBe(1);
  });
});
