import crypto from 'node:crypto';
import { asc, eq, gt, sql } from 'drizzle-orm';
import { describe, expect, test } from 'vitest';
import { testApp } from '../../../test/harness.ts';
import { auditLog } from '../audit/schema.ts';
import { places } from '../places/schema.ts';
import { sites } from '../sites/schema.ts';
import { certificates, companies, occupants, staff } from './schema.ts';

/**
 * The registers of companies, occupants and staff (issue 2 §6, §7): who sees which rows (SEC-1),
 * masked phones and the audited reveal (SEC-2), writes with one audit row each (SEC-3), and the
 * staff register with certificates (CS-6).
 */
const t = await testApp();
const w = t.world;
const USERS = ['admin', 'supervisor', 'agent', 'technician', 'owner_rep', 'occupant', 'occupantA2', 'occupantB'];
// Sign-ins write their own audit rows; take them before any count.
for (const u of USERS) await t.login(u);

// A second site with an office unit and a company, to prove staff scope stops at their own site.
const [otherSite] = await t.db.insert(sites).values({ code: 'XS', name: '西区大厦' }).returning();
const [otherUnit] = await t.db.insert(places).values({ siteId: otherSite!.id, code: 'XS-T1-F1-101', name: '101室', kind: 'office_unit', qrToken: crypto.randomBytes(12).toString('base64url') }).returning();
const [otherCompany] = await t.db.insert(companies).values({ siteId: otherSite!.id, name: '外站公司', contactPhone: '13600000009' }).returning();

const lastAuditId = async () => (await t.db.select({ id: sql<number>`coalesce(max(${auditLog.id}), 0)::int` }).from(auditLog))[0]!.id;
const auditSince = (id: number) => t.db.select().from(auditLog).where(gt(auditLog.id, id)).orderBy(asc(auditLog.id));
const names = (res: { json(): { items: Array<{ name: string }> } }) => res.json().items.map((i) => i.name).sort();

/** Runs a write and checks that it left exactly one audit row with this action. */
async function oneAuditRow<T>(action: string, write: () => Promise<T>) {
  const since = await lastAuditId();
  const out = await write();
  const rows = await auditSince(since);
  expect(rows.map((r) => r.action)).toEqual([action]);
  return { out, row: rows[0]! };
}

/** Runs a refused write and checks that nothing was written. */
async function nothingWritten<T>(write: () => Promise<T>) {
  const before = { audit: await t.auditCount(), c: await t.db.$count(companies), o: await t.db.$count(occupants), s: await t.db.$count(staff), cert: await t.db.$count(certificates) };
  const out = await write();
  const after = { audit: await t.auditCount(), c: await t.db.$count(companies), o: await t.db.$count(occupants), s: await t.db.$count(staff), cert: await t.db.$count(certificates) };
  expect(after).toEqual(before);
  return out;
}

describe('SEC-1 an occupant sees only their own company and people (404, not 403, outside)', () => {
  test('SEC-1 the occupant of company A gets 404 for company B and for B\'s occupant', async () => {
    for (const url of [`/api/companies/${w.companyBId}`, `/api/occupants/${w.occBId}`]) {
      const res = await t.as('occupant', { method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    // The same 404 as for an id that does not exist: nothing tells B's ids apart.
    const missing = await t.as('occupant', { method: 'GET', url: `/api/companies/${crypto.randomUUID()}` });
    expect(missing.statusCode).toBe(404);
    expect((await t.as('occupant', { method: 'GET', url: `/api/companies/${w.companyAId}` })).json().name).toBe('甲公司');
  });

  test('SEC-1 the occupant of company B gets 404 for company A and its people', async () => {
    for (const url of [`/api/companies/${w.companyAId}`, `/api/occupants/${w.occAId}`, `/api/occupants/${w.occA2Id}`]) {
      expect((await t.as('occupantB', { method: 'GET', url })).statusCode, url).toBe(404);
    }
  });

  test('SEC-1 GET /api/companies for an occupant lists only their company', async () => {
    const a = await t.as('occupant', { method: 'GET', url: '/api/companies' });
    expect(a.statusCode).toBe(200);
    expect(names(a)).toEqual(['甲公司']);
    expect(a.json().total).toBe(1);
    expect(names(await t.as('occupantB', { method: 'GET', url: '/api/companies' }))).toEqual(['乙公司']);
    expect(names(await t.as('occupantA2', { method: 'GET', url: '/api/companies?q=乙' }))).toEqual([]);
  });

  test('SEC-1 the company admin contact sees A\'s people only; filters cannot widen the scope', async () => {
    const res = await t.as('occupant', { method: 'GET', url: '/api/occupants' });
    expect(names(res)).toEqual(['王甲', '赵甲'].sort());
    expect(res.json().total).toBe(2);
    expect((await t.as('occupant', { method: 'GET', url: `/api/occupants/${w.occA2Id}` })).statusCode).toBe(200);
    const b = await t.as('occupant', { method: 'GET', url: `/api/occupants?companyId=${w.companyBId}&includeInactive=true` });
    expect(b.json()).toEqual({ items: [], total: 0 });
    expect(names(await t.as('occupant', { method: 'GET', url: '/api/occupants?q=李' }))).toEqual([]);
  });

  test('SEC-1 a plain member sees only themself', async () => {
    const res = await t.as('occupantA2', { method: 'GET', url: '/api/occupants' });
    expect(names(res)).toEqual(['赵甲']);
    expect(res.json().total).toBe(1);
    expect((await t.as('occupantA2', { method: 'GET', url: `/api/occupants/${w.occAId}` })).statusCode).toBe(404);
    expect((await t.as('occupantA2', { method: 'GET', url: `/api/occupants/${w.occA2Id}` })).json().name).toBe('赵甲');
    expect(names(await t.as('occupantB', { method: 'GET', url: '/api/occupants' }))).toEqual(['李乙']);
  });

  test('SEC-1 occupants cannot write, reveal phones or read the staff register', async () => {
    await nothingWritten(async () => {
      expect((await t.as('occupant', { method: 'POST', url: '/api/occupants', payload: { name: '新人', phone: '13711112222', companyId: w.companyAId } })).statusCode).toBe(403);
      expect((await t.as('occupant', { method: 'PATCH', url: `/api/companies/${w.companyAId}`, payload: { contactName: '改名' } })).statusCode).toBe(403);
      expect((await t.as('occupant', { method: 'GET', url: `/api/occupants/${w.occA2Id}/phone` })).statusCode).toBe(403);
      expect((await t.as('occupant', { method: 'GET', url: '/api/staff' })).statusCode).toBe(403);
    });
  });

  test('SEC-1 staff roles see the whole of their site, and nothing of another site', async () => {
    for (const who of ['admin', 'supervisor', 'agent', 'owner_rep']) {
      expect(names(await t.as(who, { method: 'GET', url: '/api/companies' })), who).toEqual(['乙公司', '甲公司'].sort());
    }
    for (const who of ['admin', 'agent']) {
      expect(names(await t.as(who, { method: 'GET', url: '/api/occupants' })), who).toEqual(['李乙', '王甲', '赵甲'].sort());
    }
    for (const who of ['technician', 'owner_rep', 'supervisor']) {
      expect(names(await t.as(who, { method: 'GET', url: '/api/staff' })), who).toContain('张师傅');
    }
    expect((await t.as('agent', { method: 'GET', url: `/api/companies/${otherCompany!.id}` })).statusCode).toBe(404);
    expect(names(await t.as('agent', { method: 'GET', url: '/api/companies?q=外站' }))).toEqual([]);
    // The technician works from the staff register, not the tenants' (403 by role).
    expect((await t.as('technician', { method: 'GET', url: '/api/companies' })).statusCode).toBe(403);
  });
});

describe('SEC-2 phone numbers are masked in lists; the full number is a read that is audited', () => {
  test('SEC-2 lists and detail views mask phones (138****0001)', async () => {
    const occ = await t.as('agent', { method: 'GET', url: '/api/occupants' });
    const wang = occ.json().items.find((i: { name: string }) => i.name === '王甲');
    expect(wang).toMatchObject({ phone: '138****0001', companyName: '甲公司', unitNames: ['1201室'] });
    const co = await t.as('agent', { method: 'GET', url: '/api/companies' });
    expect(co.json().items.find((i: { name: string }) => i.name === '甲公司').contactPhone).toBe('138****0001');
    const st = await t.as('technician', { method: 'GET', url: '/api/staff' });
    expect(st.json().items.find((i: { name: string }) => i.name === '张师傅').phone).toBe('139****0001');
    const one = await t.as('agent', { method: 'GET', url: `/api/occupants/${w.occAId}` });
    expect(one.json().phone).toBe('138****0001');
    for (const body of [occ.body, co.body, st.body, one.body]) expect(body).not.toMatch(/1[3-9]\d{9}/);
    // CS-5: the desk finds a caller by the number they call from, and still sees it masked.
    const caller = await t.as('agent', { method: 'GET', url: '/api/occupants?q=13800000003' });
    expect(caller.json().items).toMatchObject([{ name: '赵甲', phone: '138****0003' }]);
  });

  test('SEC-2 GET /:id/phone gives the agent the full number and writes exactly one occupant.reveal_phone row', async () => {
    const { out: res, row } = await oneAuditRow('occupant.reveal_phone', () => t.as('agent', { method: 'GET', url: `/api/occupants/${w.occAId}/phone` }));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ phone: '13800000001' });
    expect(row).toMatchObject({ entityType: 'occupant', entityId: w.occAId, actorId: w.accountIds.agent, siteId: w.siteId });
    expect(JSON.stringify(row)).not.toContain('13800000001');

    const company = await oneAuditRow('company.reveal_phone', () => t.as('agent', { method: 'GET', url: `/api/companies/${w.companyBId}/phone` }));
    expect(company.out.json()).toEqual({ phone: '13800000002' });
  });

  test('SEC-2 the technician gets 403 on the phone route and nothing is audited', async () => {
    await nothingWritten(async () => {
      expect((await t.as('technician', { method: 'GET', url: `/api/occupants/${w.occAId}/phone` })).statusCode).toBe(403);
      expect((await t.as('technician', { method: 'GET', url: `/api/staff/${w.techStaffId}/phone` })).statusCode).toBe(403);
    });
  });

  test('SEC-2 a reveal outside the site is 404 and not audited', async () => {
    await nothingWritten(async () => {
      expect((await t.as('agent', { method: 'GET', url: `/api/companies/${otherCompany!.id}/phone` })).statusCode).toBe(404);
    });
  });

  test('SEC-2 SEC-3 the audit row of a create or an update holds the phone masked', async () => {
    const created = await oneAuditRow('occupant.create', () => t.as('agent', { method: 'POST', url: '/api/occupants', payload: { name: '钱丙', phone: '13912345678', companyId: w.companyAId } }));
    expect(created.out.statusCode).toBe(201);
    expect(created.out.json().phone).toBe('139****5678');
    expect(created.row.after).toMatchObject({ name: '钱丙', phone: '139****5678' });
    const id = created.out.json().id as string;
    const updated = await oneAuditRow('occupant.update', () => t.as('agent', { method: 'PATCH', url: `/api/occupants/${id}`, payload: { phone: '13987654321' } }));
    expect(updated.out.statusCode).toBe(200);
    expect(updated.row.before).toMatchObject({ phone: '139****5678' });
    expect(updated.row.after).toMatchObject({ phone: '139****4321' });
    const co = await oneAuditRow('company.create', () => t.as('agent', { method: 'POST', url: '/api/companies', payload: { name: '掩码公司', contactName: '孙', contactPhone: '021-62345678' } }));
    expect(co.row.after).toMatchObject({ contactPhone: '021****5678' });
    const s = await oneAuditRow('staff.create', () => t.as('supervisor', { method: 'POST', url: '/api/staff', payload: { employeeNo: 'M001', name: '掩码', phone: '13755556666', position: '保洁员', hireDate: '2024-01-02' } }));
    expect(s.row.after).toMatchObject({ phone: '137****6666' });
    const dump = JSON.stringify(await auditSince(created.row.id - 1));
    for (const phone of ['13912345678', '13987654321', '021-62345678', '02162345678', '13755556666']) expect(dump).not.toContain(phone);
  });
});

describe('create, update, deactivate (issue 2 §6; each mutation writes exactly one audit row)', () => {
  test('a company is created with its leased units: 201 with the view, one company.create row', async () => {
    const { out: res, row } = await oneAuditRow('company.create', () => t.as('agent', {
      method: 'POST', url: '/api/companies',
      payload: { name: '丙公司', nameEn: 'Bing Ltd', unitIds: [w.unitAId], contactName: '孙丙', contactPhone: '13700000001' },
    }));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: '丙公司', nameEn: 'Bing Ltd', unitIds: [w.unitAId], contactPhone: '137****0001', active: true, siteId: w.siteId, unitNames: ['1201室'] });
    expect(res.json().id).toMatch(/^[0-9a-f-]{36}$/);
    expect(row).toMatchObject({ entityType: 'company', entityId: res.json().id, actorId: w.accountIds.agent });
    const [stored] = await t.db.select().from(companies).where(eq(companies.id, res.json().id));
    expect(stored!.contactPhone).toBe('13700000001');
  });

  test('duplicates → 409 naming the field, and nothing written', async () => {
    const cases: Array<[string, string, Record<string, unknown>, string]> = [
      ['agent', '/api/companies', { name: '甲公司' }, 'body.name'],
      ['agent', '/api/companies', { name: '  甲公司 ' }, 'body.name'],
      ['agent', '/api/occupants', { name: '重复', phone: '13800000003' }, 'body.phone'],
      ['supervisor', '/api/staff', { employeeNo: 'E001', name: '重号', phone: '13711110000', position: '电工', hireDate: '2024-01-01' }, 'body.employeeNo'],
      ['supervisor', '/api/staff', { employeeNo: 'E999', name: '重机', phone: '13900000001', position: '电工', hireDate: '2024-01-01' }, 'body.phone'],
    ];
    for (const [who, url, payload, field] of cases) {
      const res = await nothingWritten(() => t.as(who, { method: 'POST', url, payload }));
      expect(res.statusCode, `${url} ${field}`).toBe(409);
      expect(res.json().error.code).toBe('duplicate');
      expect(res.json().error.fields[0].field).toBe(field);
    }
    const zh = await t.as('agent', { method: 'POST', url: '/api/occupants', payload: { name: '重复', phone: '13800000003' } });
    expect(zh.json().error.message).toBe('该手机号已登记');
    const en = await t.as('agent', { method: 'POST', url: '/api/occupants', payload: { name: '重复', phone: '13800000003' }, headers: { 'accept-language': 'en' } });
    expect(en.json().error.message).toBe('This phone is already registered');
  });

  test('an update to a value another row holds → 409, the row unchanged', async () => {
    const res = await nothingWritten(() => t.as('agent', { method: 'PATCH', url: `/api/occupants/${w.occA2Id}`, payload: { phone: '13800000002' } }));
    expect(res.statusCode).toBe(409);
    expect(res.json().error.fields[0].field).toBe('body.phone');
    const [row] = await t.db.select().from(occupants).where(eq(occupants.id, w.occA2Id));
    expect(row!.phone).toBe('13800000003');
    // Keeping one's own value is not a duplicate.
    const same = await oneAuditRow('occupant.update', () => t.as('agent', { method: 'PATCH', url: `/api/occupants/${w.occA2Id}`, payload: { phone: '13800000003', name: '赵甲' } }));
    expect(same.out.statusCode).toBe(200);
  });

  test('a company may lease only office units of its site → 400 body.unitIds', async () => {
    for (const unitIds of [[w.floor12Id], [otherUnit!.id], [w.unitAId, crypto.randomUUID()]]) {
      const res = await nothingWritten(() => t.as('agent', { method: 'POST', url: '/api/companies', payload: { name: '错单元公司', unitIds } }));
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields.map((f: { field: string }) => f.field)).toEqual(['body.unitIds']);
    }
    const patch = await nothingWritten(() => t.as('agent', { method: 'PATCH', url: `/api/companies/${w.companyAId}`, payload: { unitIds: [w.floor12Id] } }));
    expect(patch.statusCode).toBe(400);
    expect(patch.json().error.fields[0].field).toBe('body.unitIds');
  });

  test('an occupant of an unknown company (or one of another site) → 400 body.companyId', async () => {
    for (const companyId of [crypto.randomUUID(), otherCompany!.id]) {
      const res = await nothingWritten(() => t.as('agent', { method: 'POST', url: '/api/occupants', payload: { name: '无名', phone: '13722223333', companyId } }));
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields.map((f: { field: string }) => f.field)).toEqual(['body.companyId']);
    }
  });

  test('wrong input names the field and writes nothing', async () => {
    const bad = await nothingWritten(() => t.as('agent', { method: 'POST', url: '/api/occupants', payload: { name: '坏号', phone: '12345' } }));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { field: string }) => f.field)).toContain('body.phone');
    const unknown = await nothingWritten(() => t.as('agent', { method: 'POST', url: '/api/companies', payload: { name: '多字段', vip: true } }));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields).toContainEqual(expect.objectContaining({ field: 'body.vip', code: 'unrecognized_keys' }));
    const missing = await nothingWritten(() => t.as('supervisor', { method: 'POST', url: '/api/staff', payload: { name: '缺工号', phone: '13733334444', position: '电工', hireDate: '2024-01-01' } }));
    expect(missing.json().error.fields).toContainEqual(expect.objectContaining({ field: 'body.employeeNo', code: 'required' }));
    const outside = await nothingWritten(() => t.as('agent', { method: 'PATCH', url: `/api/companies/${otherCompany!.id}`, payload: { contactName: 'x' } }));
    expect(outside.statusCode).toBe(404);
    const otherSiteWrite = await nothingWritten(() => t.as('agent', { method: 'POST', url: '/api/companies', payload: { name: '越站公司', siteId: otherSite!.id } }));
    expect(otherSiteWrite.statusCode).toBe(404);
  });

  test('SQL and HTML in names are stored verbatim and returned as text', async () => {
    const name = `<script>alert("x")</script>'); drop table companies; --`;
    const contactName = `Robert'); DELETE FROM occupants;-- <b>`;
    const res = await t.as('agent', { method: 'POST', url: '/api/companies', payload: { name, contactName } });
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const got = await t.as('agent', { method: 'GET', url: `/api/companies/${res.json().id}` });
    expect(got.json()).toMatchObject({ name, contactName });
    const found = await t.as('agent', { method: 'GET', url: `/api/companies?q=${encodeURIComponent("drop table")}` });
    expect(names(found)).toEqual([name]);
    // A search with LIKE wildcards matches them literally.
    expect(names(await t.as('agent', { method: 'GET', url: `/api/companies?q=${encodeURIComponent('%')}` }))).toEqual([]);
    expect(await t.db.$count(occupants)).toBeGreaterThan(0);
  });

  test('AR-1 deactivate keeps the row: hidden from the list, shown with includeInactive, activate brings it back', async () => {
    const created = await t.as('agent', { method: 'POST', url: '/api/occupants', payload: { name: '离职者', phone: '13744445555', companyId: w.companyBId } });
    const id = created.json().id as string;
    const off = await oneAuditRow('occupant.deactivate', () => t.as('agent', { method: 'POST', url: `/api/occupants/${id}/deactivate` }));
    expect(off.out.statusCode).toBe(200);
    expect(off.out.json()).toMatchObject({ id, active: false, phone: '137****5555' });
    expect(off.row).toMatchObject({ before: { active: true }, after: { active: false } });
    expect(names(await t.as('agent', { method: 'GET', url: '/api/occupants?q=离职' }))).toEqual([]);
    const all = await t.as('agent', { method: 'GET', url: '/api/occupants?q=离职&includeInactive=true' });
    expect(all.json().items).toMatchObject([{ id, active: false }]);
    expect(await t.db.$count(occupants, eq(occupants.id, id))).toBe(1);
    // The detail view still answers, so old records can show who it was.
    expect((await t.as('agent', { method: 'GET', url: `/api/occupants/${id}` })).json().active).toBe(false);
    const on = await oneAuditRow('occupant.activate', () => t.as('agent', { method: 'POST', url: `/api/occupants/${id}/activate` }));
    expect(on.out.json().active).toBe(true);
  });

  test('SEC-3 every successful register mutation writes exactly one audit row', async () => {
    const c = await oneAuditRow('company.create', () => t.as('supervisor', { method: 'POST', url: '/api/companies', payload: { name: '审计公司' } }));
    const cid = c.out.json().id as string;
    await oneAuditRow('company.update', () => t.as('supervisor', { method: 'PATCH', url: `/api/companies/${cid}`, payload: { contactName: '新联系人', unitIds: [w.unitBId] } }));
    await oneAuditRow('company.deactivate', () => t.as('supervisor', { method: 'POST', url: `/api/companies/${cid}/deactivate` }));
    await oneAuditRow('company.activate', () => t.as('supervisor', { method: 'POST', url: `/api/companies/${cid}/activate` }));
    const s = await oneAuditRow('staff.create', () => t.as('admin', { method: 'POST', url: '/api/staff', payload: { employeeNo: 'A100', name: '审计员', phone: '13766667777', position: '客服', trades: ['customer_service'], hireDate: '2023-05-06', experienceYears: 3 } }));
    expect(s.out.json()).toMatchObject({ employeeNo: 'A100', trades: ['customer_service'], hireDate: '2023-05-06', experienceYears: 3, phone: '137****7777', certificates: [] });
    await oneAuditRow('staff.update', () => t.as('admin', { method: 'PATCH', url: `/api/staff/${s.out.json().id}`, payload: { position: '客服主管', experienceYears: 4 } }));
    await oneAuditRow('staff.deactivate', () => t.as('admin', { method: 'POST', url: `/api/staff/${s.out.json().id}/deactivate` }));
    const o = await oneAuditRow('occupant.create', () => t.as('agent', { method: 'POST', url: '/api/occupants', payload: { name: '审计人', phone: '13766668888', companyId: w.companyBId, unitIds: [w.unitBId], companyRole: 'admin' } }));
    await oneAuditRow('occupant.update', () => t.as('agent', { method: 'PATCH', url: `/api/occupants/${o.out.json().id}`, payload: { companyRole: 'member' } }));
  });

  test('create, edit and deactivate answer with the same view as GET /:id', async () => {
    const created = await t.as('agent', { method: 'POST', url: '/api/occupants', payload: { name: '视图人', phone: '13766669999', companyId: w.companyAId, unitIds: [w.unitAId] } });
    const id = created.json().id as string;
    const get = async () => (await t.as('agent', { method: 'GET', url: `/api/occupants/${id}` })).json();
    expect(created.json()).toEqual(await get());
    expect(created.json()).toMatchObject({ companyName: '甲公司', unitNames: ['1201室'], phone: '137****9999' });
    const edited = await t.as('agent', { method: 'PATCH', url: `/api/occupants/${id}`, payload: { companyId: w.companyBId, unitIds: [w.unitBId] } });
    expect(edited.json()).toEqual(await get());
    expect(edited.json()).toMatchObject({ companyName: '乙公司', unitNames: ['1202室'] });
    const off = await t.as('agent', { method: 'POST', url: `/api/occupants/${id}/deactivate` });
    expect(off.json()).toEqual(await get());
  });

  test('pages of a list neither skip nor repeat rows when names are equal', async () => {
    for (let i = 0; i < 4; i++) await t.as('agent', { method: 'POST', url: '/api/occupants', payload: { name: '王伟', phone: `1356666000${i}` } });
    const seen: string[] = [];
    for (let offset = 0; offset < 4; offset++) {
      const res = await t.as('agent', { method: 'GET', url: `/api/occupants?q=王伟&limit=1&offset=${offset}` });
      expect(res.json().total).toBe(4);
      seen.push(res.json().items[0].id);
    }
    expect(new Set(seen).size).toBe(4);
  });
});

describe('CS-6 the staff register carries certificates and trades', () => {
  test('CS-6 a certificate is added and removed, each audited; list items carry certificates', async () => {
    const added = await oneAuditRow('staff.certificate_add', () => t.as('supervisor', {
      method: 'POST', url: `/api/staff/${w.techStaffId}/certificates`,
      payload: { name: '低压电工作业证', number: 'T110101198001011234', issuer: '应急管理局', expiresOn: '2027-06-30' },
    }));
    expect(added.out.statusCode).toBe(201);
    const cert = added.out.json();
    expect(cert).toMatchObject({ name: '低压电工作业证', number: 'T110101198001011234', issuer: '应急管理局', expiresOn: '2027-06-30' });
    expect(added.row).toMatchObject({ entityType: 'certificate', entityId: cert.id });

    const list = await t.as('technician', { method: 'GET', url: '/api/staff' });
    const zhang = list.json().items.find((i: { id: string }) => i.id === w.techStaffId);
    expect(zhang.certificates).toEqual([cert]);
    expect((await t.as('owner_rep', { method: 'GET', url: `/api/staff/${w.techStaffId}` })).json().certificates).toEqual([cert]);

    // A certificate is removed only through its own staff member.
    const other = await t.as('admin', { method: 'POST', url: '/api/staff', payload: { employeeNo: 'C001', name: '证书他人', phone: '13777778888', position: '水工', trades: ['plumbing'], hireDate: '2022-01-01' } });
    const wrong = await nothingWritten(() => t.as('supervisor', { method: 'DELETE', url: `/api/staff/${other.json().id}/certificates/${cert.id}` }));
    expect(wrong.statusCode).toBe(404);
    expect((await t.as('technician', { method: 'POST', url: `/api/staff/${w.techStaffId}/certificates`, payload: { name: 'x', number: 'y' } })).statusCode).toBe(403);

    const removed = await oneAuditRow('staff.certificate_remove', () => t.as('supervisor', { method: 'DELETE', url: `/api/staff/${w.techStaffId}/certificates/${cert.id}` }));
    expect(removed.out.json()).toEqual({ ok: true });
    const again = await t.as('technician', { method: 'GET', url: `/api/staff/${w.techStaffId}` });
    expect(again.json().certificates).toEqual([]);
    expect((await t.as('supervisor', { method: 'DELETE', url: `/api/staff/${w.techStaffId}/certificates/${cert.id}` })).statusCode).toBe(404);
  });

  test('CS-6 trade=electrical lists the electricians only; an unknown trade is 400', async () => {
    await t.as('admin', { method: 'POST', url: '/api/staff', payload: { employeeNo: 'P001', name: '水工甲', phone: '13788889999', position: '水工', trades: ['plumbing', 'general'], hireDate: '2021-01-01' } });
    await t.as('admin', { method: 'POST', url: '/api/staff', payload: { employeeNo: 'P002', name: '电工乙', phone: '13788880000', position: '电工', trades: ['general', 'electrical'], hireDate: '2021-01-01' } });
    const el = await t.as('technician', { method: 'GET', url: '/api/staff?trade=electrical' });
    expect(el.statusCode).toBe(200);
    expect(names(el)).toEqual(['张师傅', '电工乙'].sort());
    for (const i of el.json().items) expect(i.trades).toContain('electrical');
    expect(names(await t.as('technician', { method: 'GET', url: '/api/staff?trade=plumbing' }))).toContain('水工甲');
    expect(names(await t.as('technician', { method: 'GET', url: '/api/staff?trade=plumbing' }))).not.toContain('电工乙');
    const bad = await t.as('technician', { method: 'GET', url: '/api/staff?trade=wizardry' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].field).toMatch(/^querystring\.trade/);
  });

  test('CS-6 certExpiringWithinDays lists staff whose certificates expire within N days, expired ones included', async () => {
    // The test clock stands at 2026-11-24.
    const mk = async (no: string, phone: string, expiresOn: string) => {
      const s = (await t.as('admin', { method: 'POST', url: '/api/staff', payload: { employeeNo: no, name: `证书${no}`, phone, position: '电工', trades: ['electrical'], hireDate: '2020-01-01' } })).json();
      await t.as('admin', { method: 'POST', url: `/api/staff/${s.id}/certificates`, payload: { name: '低压电工作业证', number: `T${no}`, expiresOn } });
    };
    await mk('X1', '13711110001', '2026-12-10'); // 16 days out
    await mk('X2', '13711110002', '2026-11-01'); // expired
    await mk('X3', '13711110003', '2027-06-01'); // far off
    const soon = names(await t.as('supervisor', { method: 'GET', url: '/api/staff?certExpiringWithinDays=30' }));
    expect(soon).toEqual(expect.arrayContaining(['证书X1', '证书X2']));
    expect(soon).not.toContain('证书X3');
    expect(names(await t.as('supervisor', { method: 'GET', url: '/api/staff?certExpiringWithinDays=0' }))).toContain('证书X2');
    expect(names(await t.as('supervisor', { method: 'GET', url: '/api/staff?certExpiringWithinDays=0' }))).not.toContain('证书X1');
    expect((await t.as('supervisor', { method: 'GET', url: '/api/companies?certExpiringWithinDays=30' })).statusCode).toBe(400);
  });
});

test('SEC-2 SEC-3 no audit row written by this file holds anyone\'s full phone number', async () => {
  const phones = [
    ...(await t.db.select({ p: occupants.phone }).from(occupants)),
    ...(await t.db.select({ p: staff.phone }).from(staff)),
    ...(await t.db.select({ p: companies.contactPhone }).from(companies)),
  ].map((r) => r.p).filter((p): p is string => !!p);
  expect(phones.length).toBeGreaterThan(5);
  const dump = JSON.stringify(await t.db.select({ before: auditLog.before, after: auditLog.after }).from(auditLog));
  for (const p of phones) expect(dump, p).not.toContain(p);
});
