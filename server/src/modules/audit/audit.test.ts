import { describe, expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { testApp } from '../../../test/harness.ts';

const t = await testApp();
const w = t.world;
await t.login('admin');
await t.login('supervisor');

describe('SEC-3 audit log', () => {
  test('every mutation writes exactly one audit row, in the same transaction', async () => {
    const placeId = (await t.as('admin', { method: 'POST', url: '/api/places', payload: { parentId: w.floor12Id, code: 'JW-T1-F12-A1', name: '茶水间', kind: 'public_area' } })).json().id;
    const mutations: Array<[string, string, unknown?]> = [
      ['PATCH', `/api/places/${placeId}`, { name: '12层茶水间' }],
      ['POST', `/api/places/${placeId}/qr-token`],
      ['POST', `/api/places/${placeId}/deactivate`],
      ['POST', `/api/places/${placeId}/activate`],
      ['POST', '/api/companies', { name: '丙公司', contactPhone: '13800000077' }],
      ['POST', '/api/contractors', { name: '申城电梯维保有限公司', trades: ['elevator'] }],
      ['POST', '/api/staff', { employeeNo: 'E900', name: '钱师傅', phone: '13900000900', position: '水工', trades: ['plumbing'], hireDate: '2024-05-01' }],
      ['PATCH', `/api/occupants/${w.occA2Id}`, { name: '赵甲甲' }],
      ['POST', '/api/accounts', { username: 'newagent', displayName: '新客服', password: 'long-enough-1', roles: ['agent'] }],
      ['PUT', '/api/calendar/days/2026-12-31', { kind: 'holiday' }],
      ['DELETE', `/api/places/${placeId}`],
    ];
    for (const [method, url, payload] of mutations) {
      const before = await t.auditCount();
      const res = await t.as('admin', { method: method as 'POST', url, payload: payload as object });
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
      expect(await t.auditCount(), `${method} ${url}`).toBe(before + 1);
    }
  });

  test('admin and the owner representative search it; the row masks phones; others are refused', async () => {
    await t.as('supervisor', { method: 'POST', url: '/api/companies', payload: { name: '丁公司', contactPhone: '13812345678' } });
    const res = await t.as('owner_rep', { method: 'GET', url: '/api/audit?action=company.create' });
    expect(res.statusCode).toBe(200);
    const row = res.json().items.find((r: { after: { name: string } }) => r.after.name === '丁公司');
    expect(row).toMatchObject({ actorName: '测试supervisor', entityType: 'company', after: { contactPhone: '138****5678' } });
    expect(JSON.stringify(res.json())).not.toContain('13812345678');
    expect((await t.as('agent', { method: 'GET', url: '/api/audit' })).statusCode).toBe(403);
    // An action is matched exactly; `family.*` matches the family.
    const logins = (await t.as('admin', { method: 'GET', url: '/api/audit?action=auth.login' })).json().items as Array<{ action: string }>;
    expect(logins.length).toBeGreaterThan(0);
    expect(new Set(logins.map((r) => r.action))).toEqual(new Set(['auth.login']));
    await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-requested-with': 'towerdesk' }, payload: { login: 'admin', password: 'wrong-one' } });
    const family = (await t.as('admin', { method: 'GET', url: '/api/audit?action=auth.*' })).json().items as Array<{ action: string }>;
    expect(new Set(family.map((r) => r.action))).toEqual(new Set(['auth.login', 'auth.login_failed']));
    const byEntity = await t.as('admin', { method: 'GET', url: `/api/audit?entityType=company&entityId=${row.entityId}` });
    expect(byEntity.json().total).toBe(1);
  });

  test('the database itself refuses to change or delete audit rows', async () => {
    const refused = { cause: expect.objectContaining({ message: 'audit_log is append-only' }) };
    await expect(t.db.execute(sql`update audit_log set action = 'x'`)).rejects.toMatchObject(refused);
    await expect(t.db.execute(sql`delete from audit_log`)).rejects.toMatchObject(refused);
    await expect(t.db.execute(sql`truncate audit_log`)).rejects.toMatchObject(refused);
  });
});
