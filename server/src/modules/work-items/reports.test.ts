import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, test } from 'vitest';
import { and, desc, eq } from 'drizzle-orm';
import { PASSWORD, testApp } from '../../../test/harness.ts';
import { hashPassword } from '../accounts/passwords.ts';
import { accounts } from '../accounts/schema.ts';
import { auditLog } from '../audit/schema.ts';
import { staff } from '../parties/schema.ts';
import { places } from '../places/schema.ts';
import { ARCHIVE_HEADERS, proposeSpotChecks } from './reports.ts';
import { revisits, workItemEvents } from './schema.ts';
import { sweepClocks } from './sweep.ts';

/**
 * The reports a supervisor and the owner's auditor rely on (RP-3, RP-6, RP-7, RP-10, CP-5, CP-6,
 * SEC-2), over items built through the real API with a moved clock, so every clock is met or
 * broken the way it would be in the building. The history (Asia/Shanghai):
 *
 * week 2026-W45 (repairs)
 *   R1 11-03 09:00 urgent leak, 1201 (floor 12), 张师傅: QR arrival 09:12 (12 min), done 09:40, closed with 5
 *   R2 11-03 10:00 urgent power outage, 1301 (floor 13), filed by the desk with a caller's phone,
 *      李师傅: manual arrival 10:45 (45 min, 15 late), done 11:00
 *   Q1 11-04 09:30 inquiry, 1201, answered 09:45
 *   R3 11-04 10:00 normal lighting, 1202 (company B), 张师傅: accepted 10:30, done 11:00, reopened
 *      14:00 by the occupant, done again 11-05 11:00
 *   R5 11-04 14:05 urgent leak, 1301, never dispatched: the sweep marks the arrival breached
 * November (complaints), responsible person 张师傅
 *   C0 10-20 (the month before) parking, company B, left open
 *   C1 11-10 10:00 attitude, company A: acknowledged 10:30, resolved 15:00, revisit satisfied, closed
 *   C2 11-11 10:00 sanitation, company A: acknowledged 14:00 (late), resolved 11-13 10:00 (update
 *      late: the first update came 11-12 16:00; resolution in time), revisit dissatisfied → C4
 *      opened, linked to C2
 *   C3 11-12 09:30 noise, company B, left open: the sweep marks it overdue
 */

const t = await testApp();
const w = t.world;
const at = (iso: string) => { t.clock.set(iso); t.cookies.clear(); };
const sh = (day: string, hm: string) => `${day}T${hm}:00+08:00`;
const tokenOf = async (placeId: string) => (await t.db.select({ q: places.qrToken }).from(places).where(eq(places.id, placeId)))[0]!.q;
const get = (who: string, url: string) => t.as(who, { method: 'GET', url });
const exportsOf = async (action: string) => t.db.$count(auditLog, eq(auditLog.action, action));

type Item = { id: string; number: string; state: string };
async function create(who: string, body: Record<string, unknown>) {
  const res = await t.as(who, { method: 'POST', url: '/api/work-items', payload: { description: '测试', ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Item;
}
async function act(who: string, id: string, action: string, body: Record<string, unknown> = {}) {
  const res = await t.as(who, { method: 'POST', url: `/api/work-items/${id}/actions/${action}`, payload: body });
  expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
  return res.json() as Item;
}
async function afterPhoto(who: string) {
  const jpeg = await (await import('sharp')).default({ create: { width: 8, height: 8, channels: 3, background: '#888' } }).jpeg().toBuffer();
  const b = 'rpBoundary';
  const res = await t.as(who, {
    method: 'POST', url: '/api/uploads', headers: { 'content-type': `multipart/form-data; boundary=${b}` },
    payload: Buffer.concat([Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`), jpeg, Buffer.from(`\r\n--${b}--\r\n`)]),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json()[0].id as string;
}
// RP-5: nobody is there to confirm, so the technician gives the reason (allowed, and recorded).
const complete = async (who: string, id: string) => act(who, id, 'complete', { attachmentIds: [await afterPhoto(who)], confirmationReason: '报修人外出，已电话确认' });
async function revisitOf(itemId: string) {
  const [rv] = await t.db.select().from(revisits).where(and(eq(revisits.itemId, itemId), eq(revisits.state, 'pending')));
  expect(rv).toBeDefined();
  return rv!.id;
}
const numbers = (items: Array<{ number: string }>) => items.map((i) => i.number).sort();

// A second floor with a unit, and a second technician with a sign-in.
const token = () => crypto.randomBytes(12).toString('base64url');
const [floor13] = await t.db.insert(places).values({ siteId: w.siteId, parentId: w.buildingId, code: 'JW-T1-F13', name: '13层', kind: 'floor', qrToken: token() }).returning();
const [unitC] = await t.db.insert(places).values({ siteId: w.siteId, parentId: floor13!.id, code: 'JW-T1-F13-1301', name: '1301室', kind: 'office_unit', qrToken: token() }).returning();
const [tech2] = await t.db.insert(staff).values({ siteId: w.siteId, employeeNo: 'E002', name: '李师傅', phone: '13900000002', position: '电工', trades: ['electrical'], hireDate: '2021-05-01', experienceYears: 5 }).returning();
await t.db.insert(accounts).values({ siteId: w.siteId, username: 'tech2', displayName: '李师傅', passwordHash: await hashPassword(PASSWORD), roles: ['technician'], staffId: tech2!.id });

const d = {} as Record<'R1' | 'R2' | 'R3' | 'R5' | 'Q1' | 'C0' | 'C1' | 'C2' | 'C3' | 'C4', Item>;

beforeAll(async () => {
  // ---- week 2026-W45: repairs
  at(sh('2026-11-03', '09:00'));
  d.R1 = await create('occupant', { kind: 'repair', category: 'plumbing.leak', placeId: w.unitAId, title: '茶水间漏水' });
  at(sh('2026-11-03', '09:02'));
  await act('agent', d.R1.id, 'assign', { assigneeStaffId: w.techStaffId });
  await act('technician', d.R1.id, 'accept');
  at(sh('2026-11-03', '09:12'));
  await act('technician', d.R1.id, 'arrive', { qrToken: await tokenOf(w.unitAId) });
  await act('technician', d.R1.id, 'start');
  at(sh('2026-11-03', '09:40'));
  await complete('technician', d.R1.id);
  at(sh('2026-11-03', '10:00'));
  await act('occupant', d.R1.id, 'close', { rating: 5, note: '很及时' });

  d.R2 = await create('agent', { kind: 'repair', category: 'electrical.power_outage', placeId: unitC!.id, contactName: '孙先生', contactPhone: '13912345678', title: '1301停电' });
  at(sh('2026-11-03', '10:01'));
  await act('agent', d.R2.id, 'assign', { assigneeStaffId: tech2!.id });
  await act('tech2', d.R2.id, 'accept');
  at(sh('2026-11-03', '10:45'));
  await act('tech2', d.R2.id, 'arrive', { reason: '二维码标签被遮挡' });
  at(sh('2026-11-03', '11:00'));
  await complete('tech2', d.R2.id);

  at(sh('2026-11-04', '09:30'));
  d.Q1 = await create('occupant', { kind: 'inquiry', category: 'consultation', placeId: w.unitAId, title: '空调开放时间' });
  at(sh('2026-11-04', '09:45'));
  await act('agent', d.Q1.id, 'answer', { note: '工作日 8:00–18:00' });

  at(sh('2026-11-04', '10:00'));
  d.R3 = await create('occupantB', { kind: 'repair', category: 'electrical.lighting', placeId: w.unitBId, title: '会议室灯不亮' });
  at(sh('2026-11-04', '10:10'));
  await act('agent', d.R3.id, 'assign', { assigneeStaffId: w.techStaffId });
  at(sh('2026-11-04', '10:30'));
  await act('technician', d.R3.id, 'accept');
  at(sh('2026-11-04', '10:40'));
  await act('technician', d.R3.id, 'arrive', { qrToken: await tokenOf(w.unitBId) });
  at(sh('2026-11-04', '11:00'));
  await complete('technician', d.R3.id);
  at(sh('2026-11-04', '14:00'));
  await act('occupantB', d.R3.id, 'reopen', { reason: '灯又不亮了' });

  at(sh('2026-11-04', '14:05'));
  d.R5 = await create('agent', { kind: 'repair', category: 'plumbing.leak', placeId: unitC!.id, contactName: '孙先生', contactPhone: '13912345678', title: '1301渗水' });
  await sweepClocks(t.db, new Date(sh('2026-11-04', '14:40')));

  at(sh('2026-11-05', '10:00'));
  await act('agent', d.R3.id, 'assign', { assigneeStaffId: w.techStaffId });
  await act('technician', d.R3.id, 'accept');
  await act('technician', d.R3.id, 'arrive', { qrToken: await tokenOf(w.unitBId) });
  at(sh('2026-11-05', '11:00'));
  await complete('technician', d.R3.id);

  // ---- complaints: October, then November
  at(sh('2026-10-20', '10:00'));
  d.C0 = await create('occupantB', { kind: 'complaint', category: 'parking', placeId: w.unitBId, description: '访客车位被占' });

  at(sh('2026-11-10', '10:00'));
  d.C1 = await create('occupant', { kind: 'complaint', category: 'attitude', placeId: w.unitAId, description: '前台服务态度差' });
  at(sh('2026-11-10', '10:05'));
  await act('agent', d.C1.id, 'assign', { assigneeStaffId: w.techStaffId });
  at(sh('2026-11-10', '10:30'));
  await act('technician', d.C1.id, 'acknowledge');
  at(sh('2026-11-10', '15:00'));
  await act('technician', d.C1.id, 'resolve', { resolution: '已向当事人道歉并加强前台培训' });

  at(sh('2026-11-11', '09:30'));
  expect((await t.as('agent', { method: 'POST', url: `/api/revisits/${await revisitOf(d.C1.id)}`, payload: { channel: 'phone', reached: true, satisfied: true } })).statusCode).toBe(200);
  await act('agent', d.C1.id, 'close');

  at(sh('2026-11-11', '10:00'));
  d.C2 = await create('occupantA2', { kind: 'complaint', category: 'sanitation', placeId: w.unitAId, description: '走廊垃圾无人清理' });
  at(sh('2026-11-11', '10:05'));
  await act('agent', d.C2.id, 'assign', { assigneeStaffId: w.techStaffId });
  at(sh('2026-11-11', '14:00'));
  await act('technician', d.C2.id, 'acknowledge');

  at(sh('2026-11-12', '09:30'));
  d.C3 = await create('occupantB', { kind: 'complaint', category: 'noise', placeId: w.unitBId, description: '楼上装修噪音' });
  // C2's first progress update was due 11-12 10:00; the sweep sees it late, the update comes at 16:00.
  await sweepClocks(t.db, new Date(sh('2026-11-12', '12:00')));
  at(sh('2026-11-12', '16:00'));
  const update = await t.as('technician', { method: 'POST', url: `/api/work-items/${d.C2.id}/comments`, payload: { body: '已联系保洁主管，明日加派人手', public: true } });
  expect(update.statusCode, update.body).toBeLessThan(300);

  at(sh('2026-11-13', '10:00'));
  await act('technician', d.C2.id, 'resolve', { resolution: '已增加保洁频次' });
  at(sh('2026-11-13', '11:00'));
  const rv = await t.as('agent', { method: 'POST', url: `/api/revisits/${await revisitOf(d.C2.id)}`, payload: { channel: 'phone', reached: true, satisfied: false, comment: '走廊仍有异味' } });
  expect(rv.json()).toMatchObject({ followUp: 'complaint' });
  d.C4 = { id: rv.json().followUpItemId, number: '', state: 'new' };
  await sweepClocks(t.db, new Date(sh('2026-11-13', '11:30')));

  // Reports are read later in the month.
  at(sh('2026-11-20', '10:00'));
});

type Archive = { items: Array<{ id: string; number: string; contactPhone: string | null; met: boolean | null; arrivalProof: string | null; clocks: Array<{ clock: string; met: boolean | null; minutesLate: number | null; breached: boolean }> }>; total: number };
const archive = async (qs: string, who = 'supervisor') => {
  const res = await get(who, `/api/reports/archive?${qs}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Archive;
};
const ids = (a: Archive) => a.items.map((i) => i.id).sort();
const of = (...keys: Array<keyof typeof d>) => keys.map((k) => d[k].id).sort();
const W45 = 'from=2026-11-03&to=2026-11-05';

describe('RP-6 archive search', () => {
  test('RP-6 by period: a day finds only that day\'s items, newest first; complaints of a later week are not in it', async () => {
    const day = await archive('from=2026-11-03&to=2026-11-03');
    expect(day.items.map((i) => i.id)).toEqual([d.R2.id, d.R1.id]);
    expect(day.total).toBe(2);
    expect(ids(await archive(W45))).toEqual(of('R1', 'R2', 'Q1', 'R3', 'R5'));
  });

  test('RP-6 by place subtree: a floor finds its units\' items, another floor does not; a unit finds its own', async () => {
    expect(ids(await archive(`${W45}&placeId=${w.floor12Id}`))).toEqual(of('R1', 'Q1', 'R3'));
    expect(ids(await archive(`${W45}&placeId=${floor13!.id}`))).toEqual(of('R2', 'R5'));
    expect(ids(await archive(`${W45}&placeId=${w.unitAId}`))).toEqual(of('R1', 'Q1'));
    expect((await archive(`${W45}&placeId=${w.buildingId}`)).total).toBe(5);
  });

  test('RP-6 by kind, urgency, category prefix, technician and state', async () => {
    expect(ids(await archive(`${W45}&kind=inquiry`))).toEqual(of('Q1'));
    expect(ids(await archive(`${W45}&kind=repair&urgency=urgent`))).toEqual(of('R1', 'R2', 'R5'));
    expect(ids(await archive(`${W45}&category=plumbing`))).toEqual(of('R1', 'R5'));
    expect(ids(await archive(`${W45}&category=electrical`))).toEqual(of('R2', 'R3'));
    expect(ids(await archive(`${W45}&category=electrical.lighting`))).toEqual(of('R3'));
    expect(ids(await archive(`${W45}&technicianId=${tech2!.id}`))).toEqual(of('R2'));
    expect(ids(await archive(`${W45}&technicianId=${w.techStaffId}`))).toEqual(of('R1', 'R3'));
    expect(ids(await archive(`${W45}&state=closed`))).toEqual(of('R1'));
    expect(ids(await archive(`${W45}&q=${encodeURIComponent('1301')}`))).toEqual(of('R2', 'R5'));
  });

  test('RP-6 RP-3 clock kept or broken: met=false finds exactly the late arrival and the never-dispatched one', async () => {
    expect(ids(await archive(`${W45}&met=false`))).toEqual(of('R2', 'R5'));
    expect(ids(await archive(`${W45}&clock=arrival&met=false`))).toEqual(of('R2', 'R5'));
    expect(ids(await archive(`${W45}&clock=response&met=false`))).toEqual([]);
    expect(ids(await archive(`${W45}&clock=response`))).toEqual(of('Q1', 'R3'));
    expect(ids(await archive(`${W45}&met=true`))).toEqual(of('R1', 'Q1', 'R3'));
    const r2 = (await archive(`${W45}&technicianId=${tech2!.id}`)).items[0]!;
    expect(r2).toMatchObject({ met: false, arrivalProof: 'manual' });
    expect(r2.clocks.find((c) => c.clock === 'arrival')).toMatchObject({ met: false, minutesLate: 15, breached: true });
    const r5 = (await archive(`${W45}&q=${encodeURIComponent('渗水')}`)).items[0]!;
    expect(r5.clocks.find((c) => c.clock === 'arrival')).toMatchObject({ met: null, breached: true });
  });

  test('RP-6 paging: the total counts the whole search, pages do not overlap', async () => {
    const first = await archive(`${W45}&limit=2&offset=0`);
    const second = await archive(`${W45}&limit=2&offset=2`);
    const last = await archive(`${W45}&limit=2&offset=4`);
    expect([first.total, second.total, last.total]).toEqual([5, 5, 5]);
    expect([first.items.length, second.items.length, last.items.length]).toEqual([2, 2, 1]);
    expect(new Set([...first.items, ...second.items, ...last.items].map((i) => i.id)).size).toBe(5);
  });

  test('SEC-1 SEC-2 the desk and the owner\'s representative read it with phones masked; occupants and technicians get 403', async () => {
    const res = await get('owner_rep', `/api/reports/archive?${W45}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('13912345678');
    expect(res.body).not.toContain('13800000001');
    const items = (res.json() as Archive).items;
    expect(items.find((i) => i.id === d.R2.id)!.contactPhone).toBe('139****5678');
    expect(items.find((i) => i.id === d.R1.id)!.contactPhone).toBe('138****0001');
    expect((await get('agent', `/api/reports/archive?${W45}`)).statusCode).toBe(200);
    expect((await get('occupant', `/api/reports/archive?${W45}`)).statusCode).toBe(403);
    expect((await get('technician', `/api/reports/archive?${W45}`)).statusCode).toBe(403);
  });

  test('RP-6 bad input: end before start, an impossible date, an unknown category → 400 naming the field', async () => {
    const range = await get('supervisor', '/api/reports/archive?from=2026-11-05&to=2026-11-03');
    expect(range.statusCode).toBe(400);
    expect(range.json().error.fields[0]).toMatchObject({ field: 'querystring.to', code: 'range' });
    const bad = await get('supervisor', '/api/reports/archive?from=2026-02-30');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].field).toBe('querystring.from');
    const cat = await get('supervisor', '/api/reports/archive?category=plumb');
    expect(cat.statusCode).toBe(400);
    expect(cat.json().error.fields[0].field).toBe('querystring.category');
  });
});

describe('RP-6 CP-6 Chinese first, English on request', () => {
  test('RP-6 CP-6 names and messages follow Accept-Language; the export stays Chinese', async () => {
    const en = { 'accept-language': 'en-US' };
    const res = await t.as('supervisor', { method: 'GET', url: `/api/reports/archive?${W45}&state=closed`, headers: en });
    expect(res.json().items[0]).toMatchObject({ kindName: 'Repair', stateName: 'Closed', urgencyName: 'Urgent', categoryName: 'Plumbing / Leak / water spreading' });
    const zh = (await get('supervisor', `/api/reports/archive?${W45}&state=closed`)).json();
    expect(zh.items[0]).toMatchObject({ kindName: '报修', stateName: '已关闭', urgencyName: '紧急', categoryName: '给排水 / 漏水渗水' });
    const monthly = await t.as('supervisor', { method: 'GET', url: '/api/reports/complaints/monthly?month=2026-11', headers: en });
    expect(monthly.json().byCategory[0]).toMatchObject({ category: 'sanitation', name: 'Cleanliness' });
    const bad = await t.as('supervisor', { method: 'GET', url: '/api/reports/archive?from=2026-11-05&to=2026-11-03', headers: en });
    expect(bad.json().error.fields[0].message).toBe('The end date is before the start date');
    expect((await get('supervisor', '/api/reports/archive?from=2026-11-05&to=2026-11-03')).json().error.fields[0].message).toBe('结束日期早于开始日期');
    const xlsx = await t.as('supervisor', { method: 'GET', url: `/api/reports/archive.xlsx?${W45}&state=closed`, headers: en });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('工单档案')!;
    expect(ws.getRow(1).getCell(1).value).toBe('编号');
    expect(ws.getRow(2).getCell(2).value).toBe('报修');
  });
});

describe('RP-6 SEC-2 SEC-3 archive export', () => {
  const xlsx = (qs: string, who = 'supervisor') => get(who, `/api/reports/archive.xlsx?${qs}`);

  test('RP-6 the XLSX has the Chinese headers and the same rows as the search, phones masked, and one audit row', async () => {
    const before = await exportsOf('report.archive_export');
    const res = await xlsx(W45);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(String(res.headers['content-disposition'])).toContain(encodeURIComponent('工单档案'));
    expect(await exportsOf('report.archive_export')).toBe(before + 1);
    const [row] = await t.db.select().from(auditLog).where(eq(auditLog.action, 'report.archive_export')).orderBy(desc(auditLog.id)).limit(1);
    expect(row!.after).toMatchObject({ filter: { from: '2026-11-03', to: '2026-11-05' }, rows: 5 });

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('工单档案')!;
    const rows = ws.getSheetValues().slice(1).map((r) => (r as unknown[]).slice(1).map((c) => (c ?? '') as string));
    expect(rows[0]).toEqual(ARCHIVE_HEADERS);
    const search = await archive(W45);
    expect(rows.slice(1).map((r) => r[0])).toEqual(search.items.map((i) => i.number));
    const col = (name: string) => ARCHIVE_HEADERS.indexOf(name);
    const r2 = rows.find((r) => r[0] === search.items.find((i) => i.id === d.R2.id)!.number)!;
    expect(r2[col('联系电话')]).toBe('139****5678');
    expect(r2[col('到场方式(扫码/手工)')]).toBe('手工');
    expect(r2[col('维修人员')]).toBe('李师傅');
    expect(r2[col('时限是否达标')]).toContain('到场时限超15分钟');
    const r1 = rows.find((r) => r[0] === search.items.find((i) => i.id === d.R1.id)!.number)!;
    expect(r1).toEqual(expect.arrayContaining(['扫码', '达标', '5分：很及时', '138****0001', '2026-11-03 09:00', '2026-11-03 09:12']));
    expect(JSON.stringify(rows)).not.toContain('13912345678');
  });

  test('RP-6 the export follows the filter (a floor) and the owner\'s representative may export; the desk agent may not', async () => {
    const res = await xlsx(`${W45}&placeId=${floor13!.id}`, 'owner_rep');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.getWorksheet('工单档案')!.rowCount).toBe(3);
    const before = await exportsOf('report.archive_export');
    expect((await xlsx(W45, 'agent')).statusCode).toBe(403);
    expect((await xlsx(W45, 'occupant')).statusCode).toBe(403);
    expect(await exportsOf('report.archive_export')).toBe(before);
  });

  test('SEC-3 a bad period is 400 naming the field and leaves no audit row', async () => {
    const before = await exportsOf('report.archive_export');
    const noPeriod = await xlsx('kind=repair');
    expect(noPeriod.statusCode).toBe(400);
    expect(noPeriod.json().error.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(['querystring.from', 'querystring.to']));
    const reversed = await xlsx('from=2026-11-05&to=2026-11-03');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().error.fields[0].field).toBe('querystring.to');
    const badDate = await xlsx('from=2026-13-01&to=2026-12-01');
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json().error.fields[0].field).toBe('querystring.from');
    expect(await exportsOf('report.archive_export')).toBe(before);
  });
});

type Monthly = {
  month: string; from: string; to: string;
  volume: Record<string, number>;
  byCategory: Array<{ category: string; count: number; share: number }>;
  timeliness: { acknowledge: Score; resolution: Score; update: Score; overdueOpen: number };
  repeats: { byCompany: Array<{ companyId: string; count: number; numbers: string[] }>; byPlace: Array<{ placeId: string; count: number }> };
  revisits: { done: number; reached: number; satisfied: number; rate: number | null; dissatisfied: Array<{ number: string; comment: string | null; followUp: string | null }> };
  improvements: Array<{ number: string; resolution: string; responsible: string | null }>;
};
type Score = { n: number; met: number; rate: number | null };

describe('CP-6 monthly complaint report', () => {
  test('CP-6 volume against last month, categories, and repeats by company and place', async () => {
    const res = await get('supervisor', '/api/reports/complaints/monthly?month=2026-11');
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json() as Monthly;
    expect(r).toMatchObject({ month: '2026-11', from: '2026-11-01', to: '2026-11-30' });
    expect(r.volume).toMatchObject({ total: 4, previousMonth: 1, change: 3, open: 2, resolved: 1, closed: 1, cancelled: 0, aboutRepairs: 0, followUps: 1 });
    expect(r.byCategory).toEqual([
      { category: 'sanitation', name: '环境卫生', count: 2, share: 0.5 },
      { category: 'attitude', name: '服务态度', count: 1, share: 0.25 },
      { category: 'noise', name: '噪音扰民', count: 1, share: 0.25 },
    ]);
    // Company A complained three times (two people, and the follow-up); company B once this month.
    expect(r.repeats.byCompany).toEqual([expect.objectContaining({ companyId: w.companyAId, name: '甲公司', count: 3 })]);
    expect(r.repeats.byCompany[0]!.numbers).toEqual(expect.arrayContaining([d.C1.number, d.C2.number]));
    expect(r.repeats.byPlace).toEqual([expect.objectContaining({ placeId: w.unitAId, count: 3 })]);
    const october = (await get('supervisor', '/api/reports/complaints/monthly?month=2026-10')).json() as Monthly;
    expect(october.volume).toMatchObject({ total: 1, open: 1 });
    expect(october.repeats.byCompany).toEqual([]);
  });

  test('CP-5 CP-6 timeliness from the clocks: acknowledge, resolution and update each counted met or late', async () => {
    const r = (await get('owner_rep', '/api/reports/complaints/monthly?month=2026-11')).json() as Monthly;
    // C1 acknowledged in 30 working minutes, C2 after 4 hours; the open ones are not judged yet.
    expect(r.timeliness.acknowledge).toEqual({ n: 2, met: 1, rate: 0.5 });
    // Both resolved within 3 working days.
    expect(r.timeliness.resolution).toEqual({ n: 2, met: 2, rate: 1 });
    // C2's first update came a working day and six hours after filing: late, although the update
    // clock restarted then and was in time by the resolution.
    expect(r.timeliness.update).toEqual({ n: 2, met: 1, rate: 0.5 });
    // C3, filed Thursday 09:30 and untouched, is past its acknowledgement limit at the sweep.
    expect(r.timeliness.overdueOpen).toBe(1);
    // The archive judges C2's update clock the same way; C1's updates were in time.
    const nov = await archive('from=2026-11-10&to=2026-11-11&kind=complaint&clock=update');
    const update = (id: string) => nov.items.find((i) => i.id === id)!.clocks.find((c) => c.clock === 'update');
    expect(update(d.C1.id)).toMatchObject({ met: true, breached: false });
    expect(update(d.C2.id)).toMatchObject({ met: false, breached: true });
    expect(ids(await archive('from=2026-11-10&to=2026-11-11&clock=update&met=false'))).toEqual(of('C2'));
    expect(ids(await archive('from=2026-11-10&to=2026-11-11&clock=update&met=true'))).toEqual(of('C1'));
  });

  test('CP-6 RP-6 months and days are Asia/Shanghai: 23:50 on 31 December is December, 00:10 on 1 January is January', async () => {
    at(sh('2026-12-31', '23:50'));
    const dec = await create('occupant', { kind: 'complaint', category: 'charges', placeId: w.unitAId, description: '物业费账单有误' });
    at(sh('2027-01-01', '00:10'));
    const jan = await create('occupant', { kind: 'complaint', category: 'charges', placeId: w.unitAId, description: '停车费收取不合理' });
    at(sh('2026-11-20', '10:00'));
    const month = async (m: string) => ((await get('supervisor', `/api/reports/complaints/monthly?month=${m}`)).json() as Monthly).volume.total;
    expect([await month('2026-12'), await month('2027-01')]).toEqual([1, 1]);
    expect(((await get('supervisor', '/api/reports/complaints/monthly?month=2027-01')).json() as Monthly).volume.previousMonth).toBe(1);
    expect((await archive('from=2026-12-31&to=2026-12-31')).items.map((i) => i.id)).toEqual([dec.id]);
    expect((await archive('from=2027-01-01&to=2027-01-01')).items.map((i) => i.id)).toEqual([jan.id]);
  });

  test('CP-6 revisit satisfaction and the improvements are the month\'s', async () => {
    const r = (await get('agent', '/api/reports/complaints/monthly?month=2026-11')).json() as Monthly;
    expect(r.revisits).toMatchObject({ done: 2, reached: 2, satisfied: 1, rate: 0.5 });
    expect(r.revisits.dissatisfied).toEqual([{ number: d.C2.number, comment: '走廊仍有异味', followUp: 'complaint' }]);
    expect(r.improvements.map((i) => i.resolution).sort()).toEqual(['已向当事人道歉并加强前台培训', '已增加保洁频次'].sort());
    expect(r.improvements.every((i) => i.responsible === '张师傅')).toBe(true);
  });

  test('CP-6 SEC-3 the XLSX has the summary and the tables, audited once; a month out of range is 400; the desk agent may not export', async () => {
    const before = await exportsOf('report.complaints_export');
    expect((await get('agent', '/api/reports/complaints/monthly.xlsx?month=2026-11')).statusCode).toBe(403);
    expect((await get('owner_rep', '/api/reports/complaints/monthly.xlsx?month=2026-11')).statusCode).toBe(200);
    expect(await exportsOf('report.complaints_export')).toBe(before + 1);
    const res = await get('supervisor', '/api/reports/complaints/monthly.xlsx?month=2026-11');
    expect(res.statusCode, res.body).toBe(200);
    expect(await exportsOf('report.complaints_export')).toBe(before + 2);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['概况', '分类统计', '重复投诉-单位', '重复投诉-位置', '改进措施', '回访不满意']);
    const summary = Object.fromEntries(wb.getWorksheet('概况')!.getSheetValues().slice(2).map((r) => [(r as unknown[])[1], (r as unknown[])[2]]));
    expect(summary).toMatchObject({ 月份: '2026-11', 投诉总量: 4, 上月投诉量: 1, '受理及时率（1个工作小时）': '50.0%（1/2）', 回访满意率: '50.0%（1/2）' });
    expect(wb.getWorksheet('重复投诉-单位')!.getRow(2).getCell(1).value).toBe('甲公司');
    expect(wb.getWorksheet('回访不满意')!.getRow(2).values).toEqual([undefined, d.C2.number, '走廊仍有异味', '已再立投诉']);
    for (const month of ['2026-13', '2026-00', '202611', '2026-1']) {
      const bad = await get('supervisor', `/api/reports/complaints/monthly.xlsx?month=${month}`);
      expect(bad.statusCode, month).toBe(400);
      expect(bad.json().error.fields[0].field).toBe('querystring.month');
      expect((await get('supervisor', `/api/reports/complaints/monthly?month=${month}`)).statusCode).toBe(400);
    }
    const missing = await get('supervisor', '/api/reports/complaints/monthly.xlsx');
    expect(missing.statusCode).toBe(400);
    expect(await exportsOf('report.complaints_export')).toBe(before + 2);
  });
});

type P = { n: number; met: number; rate: number | null; p50: number | null; p90: number | null };
type Sla = {
  urgentArrival: P & { limitMinutes: number; proven: P; unproven: P };
  byTrade: Array<{ trade: string; repairs: number; urgent: number; arrival: P; response: P; resolution: P; urgentResolution: P }>;
  repairs: { total: number; completed: number; open: number; cancelled: number; firstTimeFix: Score; reopen: { n: number; reopened: number; rate: number | null }; complainedAbout: number };
  byTechnician: Array<{ staffId: string; items: number; completed: number; reopened: number; onTime: Score; rated: number; averageRating: number | null }>;
  complaintsByResponsible: Array<{ staffId: string; complaints: number; breachedItems: number; acknowledge: Score; resolution: Score; update: Score; onTime: Score }>;
};

describe('RP-3 RP-10 CP-5 service-level statistics', () => {
  const sla = async (qs: string) => {
    const res = await get('supervisor', `/api/reports/sla?${qs}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Sla;
  };

  test('RP-3 urgent arrival within 30 minutes, split into QR-proven and manual (unproven) arrivals', async () => {
    const s = await sla(W45);
    // R5 was never reached: its arrival clock is not stopped, so it is judged later, not here.
    expect(s.urgentArrival).toMatchObject({ limitMinutes: 30, n: 2, met: 1, rate: 0.5, p50: 12, p90: 45 });
    expect(s.urgentArrival.proven).toEqual({ n: 1, met: 1, rate: 1, p50: 12, p90: 12 });
    expect(s.urgentArrival.unproven).toEqual({ n: 1, met: 0, rate: 0, p50: 45, p90: 45 });
  });

  test('RP-10 per trade: arrival, response (working minutes) and resolution p50/p90', async () => {
    const s = await sla(W45);
    const trade = (name: string) => s.byTrade.find((x) => x.trade === name)!;
    expect(s.byTrade.map((x) => x.trade).sort()).toEqual(['electrical', 'plumbing']);
    expect(trade('plumbing')).toMatchObject({ repairs: 2, urgent: 2, arrival: { n: 1, met: 1, p50: 12 }, urgentResolution: { n: 1, met: 1, p50: 40, p90: 40 } });
    expect(trade('electrical')).toMatchObject({
      repairs: 2, urgent: 1,
      arrival: { n: 1, met: 0, rate: 0, p50: 45 },
      response: { n: 1, met: 1, rate: 1, p50: 30, p90: 30 },
      resolution: { n: 1, met: 1, p50: 60 },
      urgentResolution: { n: 1, met: 1, p50: 60 },
    });
  });

  test('RP-10 first-time fix and reopen rate count the reopened repair; per technician on time and rating', async () => {
    const s = await sla(W45);
    expect(s.repairs).toMatchObject({ total: 4, completed: 3, open: 1, cancelled: 0, complainedAbout: 0 });
    expect(s.repairs.firstTimeFix).toEqual({ n: 3, met: 2, rate: 0.6667 });
    expect(s.repairs.reopen).toEqual({ n: 3, reopened: 1, rate: 0.3333 });
    const zhang = s.byTechnician.find((x) => x.staffId === w.techStaffId)!;
    expect(zhang).toMatchObject({ items: 2, completed: 2, reopened: 1, onTime: { n: 2, met: 2, rate: 1 }, rated: 1, averageRating: 5 });
    const li = s.byTechnician.find((x) => x.staffId === tech2!.id)!;
    expect(li).toMatchObject({ items: 1, completed: 1, reopened: 0, onTime: { n: 1, met: 0, rate: 0 }, rated: 0, averageRating: null });
  });

  test('CP-5 complaint timeliness per responsible person', async () => {
    const s = await sla('from=2026-11-10&to=2026-11-30');
    expect(s.complaintsByResponsible).toEqual([expect.objectContaining({
      staffId: w.techStaffId, complaints: 2, breachedItems: 1,
      acknowledge: { n: 2, met: 1, rate: 0.5 }, resolution: { n: 2, met: 2, rate: 1 }, update: { n: 2, met: 1, rate: 0.5 },
      onTime: { n: 6, met: 4, rate: 0.6667 },
    })]);
    // No repairs in that window: nothing to divide by.
    expect(s.urgentArrival).toMatchObject({ n: 0, rate: null, p50: null });
  });

  test('RP-3 bad period and roles: end before start is 400 on `to`; a technician may not read the statistics', async () => {
    const bad = await get('supervisor', '/api/reports/sla?from=2026-11-30&to=2026-11-01');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].field).toBe('querystring.to');
    expect((await get('technician', `/api/reports/sla?${W45}`)).statusCode).toBe(403);
    expect((await get('owner_rep', `/api/reports/sla?${W45}`)).statusCode).toBe(200);
  });
});

type Proposed = { week: string; from: string; to: string; completed: number; completedUrgent: number; items: Array<{ itemId: string; reason: string; check: { result: string } | null }> };

describe('RP-7 quality spot-checks', () => {
  const proposed = async (qs = 'week=2026-W45') => {
    const res = await get('supervisor', `/api/reports/spot-checks/proposed?${qs}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Proposed;
  };
  const record = (who: string, body: Record<string, unknown>) => t.as(who, { method: 'POST', url: '/api/reports/spot-checks', payload: body });

  test('RP-7 the rule: ⌈30 %⌉ of the urgent and ⌈10 %⌉ of the other repairs, the same list whatever the order asked in', () => {
    const items = [
      ...Array.from({ length: 10 }, (_, i) => ({ id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, urgency: 'urgent' })),
      ...Array.from({ length: 25 }, (_, i) => ({ id: `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`, urgency: i % 2 ? 'normal' : 'low' })),
    ];
    const a = proposeSpotChecks('2026-W45', items);
    expect(a.filter((x) => x.reason === 'urgent')).toHaveLength(3);
    expect(a.filter((x) => x.reason === 'sample')).toHaveLength(3);
    expect(a.every((x) => (x.reason === 'urgent') === (x.urgency === 'urgent'))).toBe(true);
    expect(proposeSpotChecks('2026-W45', [...items].reverse()).map((x) => x.id)).toEqual(a.map((x) => x.id));
    expect(proposeSpotChecks('2026-W46', items).map((x) => x.id)).not.toEqual(a.map((x) => x.id));
    expect(proposeSpotChecks('2026-W45', [])).toEqual([]);
  });

  test('RP-7 last week\'s proposal: every week\'s repairs counted, the one non-urgent repair and one of the two urgent ones, the same list twice', async () => {
    at(sh('2026-11-10', '09:00'));
    const first = await proposed('');
    expect(first).toMatchObject({ week: '2026-W45', from: '2026-11-02', to: '2026-11-08', completed: 3, completedUrgent: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.items.find((i) => i.reason === 'sample')!.itemId).toBe(d.R3.id);
    expect([d.R1.id, d.R2.id]).toContain(first.items.find((i) => i.reason === 'urgent')!.itemId);
    expect(await proposed()).toEqual(first);
    // R5 is not completed and never proposed; a week without completions proposes nothing.
    expect(first.items.map((i) => i.itemId)).not.toContain(d.R5.id);
    expect((await proposed('week=2026-W44')).items).toEqual([]);
    const bad = await get('supervisor', '/api/reports/spot-checks/proposed?week=2025-W53');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].field).toBe('querystring.week');
    at(sh('2026-11-20', '10:00'));
  });

  test('RP-7 a supervisor records pass and fail (audited, on the timeline); a second check is 409; the agent may not', async () => {
    const list = await proposed();
    const urgentId = list.items.find((i) => i.reason === 'urgent')!.itemId;
    const audits = await exportsOf('repair.spot_check');
    expect((await record('agent', { itemId: urgentId, result: 'pass' })).statusCode).toBe(403);
    expect((await record('owner_rep', { itemId: urgentId, result: 'pass' })).statusCode).toBe(403);
    const pass = await record('supervisor', { itemId: urgentId, result: 'pass', note: '现场复查无渗漏' });
    expect(pass.statusCode, pass.body).toBe(201);
    expect(pass.json()).toMatchObject({ itemId: urgentId, result: 'pass', proposedWeek: '2026-W45', checkedBy: '测试supervisor', followUp: null });
    expect(await exportsOf('repair.spot_check')).toBe(audits + 1);
    const events = await t.db.select().from(workItemEvents).where(and(eq(workItemEvents.itemId, urgentId), eq(workItemEvents.type, 'spot_check')));
    expect(events).toEqual([expect.objectContaining({ public: false, body: '质量抽检：合格，现场复查无渗漏' })]);

    const again = await record('admin', { itemId: urgentId, result: 'fail', note: '重复' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_checked');

    const noNote = await record('supervisor', { itemId: d.R3.id, result: 'fail', note: '   ' });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.json().error.fields[0].field).toBe('body.note');
    const fail = await record('supervisor', { itemId: d.R3.id, result: 'fail', note: '灯具接线松动' });
    expect(fail.statusCode, fail.body).toBe(201);
    expect(fail.json()).toMatchObject({ result: 'fail', proposedWeek: '2026-W45', rectificationItemId: null });
    expect(fail.json().followUp).toContain('整改');
    expect(await exportsOf('repair.spot_check')).toBe(audits + 2);

    const after = await proposed();
    expect(after.items.find((i) => i.itemId === urgentId)!.check).toMatchObject({ result: 'pass' });
    expect(after.items.find((i) => i.itemId === d.R3.id)!.check).toMatchObject({ result: 'fail' });

    // A completed repair that was not proposed may be checked too (not marked as proposed);
    // two supervisors at once: one is recorded, the other gets 409.
    const otherId = [d.R1.id, d.R2.id].find((id) => id !== urgentId)!;
    const race = await Promise.all([record('supervisor', { itemId: otherId, result: 'pass' }), record('admin', { itemId: otherId, result: 'pass' })]);
    expect(race.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(race.find((r) => r.statusCode === 201)!.json()).toMatchObject({ proposedWeek: null });
    expect(await exportsOf('repair.spot_check')).toBe(audits + 3);
  });

  test('RP-7 only completed repairs: an open repair, an answered inquiry and an unknown id are refused and nothing is recorded', async () => {
    const audits = await exportsOf('repair.spot_check');
    const open = await record('supervisor', { itemId: d.R5.id, result: 'pass' });
    expect(open.statusCode).toBe(409);
    expect(open.json().error).toMatchObject({ code: 'not_completed', fields: [expect.objectContaining({ field: 'body.itemId' })] });
    expect((await record('supervisor', { itemId: d.Q1.id, result: 'pass' })).statusCode).toBe(409);
    expect((await record('supervisor', { itemId: d.C1.id, result: 'pass' })).statusCode).toBe(409);
    expect((await record('supervisor', { itemId: crypto.randomUUID(), result: 'pass' })).statusCode).toBe(404);
    expect((await record('supervisor', { itemId: 'not-an-id', result: 'pass' })).statusCode).toBe(400);
    expect(await exportsOf('repair.spot_check')).toBe(audits);
  });

  test('RP-7 the recorded checks with the pass rate, filtered by result and period', async () => {
    const res = await get('owner_rep', '/api/reports/spot-checks?from=2026-11-20&to=2026-11-20');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.summary).toEqual({ checked: 3, passed: 2, failed: 1, passRate: 0.6667 });
    expect(body.total).toBe(3);
    const fails = (await get('supervisor', '/api/reports/spot-checks?result=fail')).json();
    expect(fails.total).toBe(1);
    expect(fails.items).toEqual([expect.objectContaining({ itemId: d.R3.id, result: 'fail', note: '灯具接线松动', category: 'electrical.lighting', technician: '张师傅' })]);
    expect((await get('supervisor', '/api/reports/spot-checks?from=2026-11-21')).json().summary).toMatchObject({ checked: 0, passRate: null });
  });
});
