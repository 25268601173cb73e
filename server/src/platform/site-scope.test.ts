import { describe, expect, test } from 'vitest';
import { testApp } from '../../test/harness.ts';
import { companies } from '../modules/parties/schema.ts';
import { places } from '../modules/places/schema.ts';
import { sites } from '../modules/sites/schema.ts';

const t = await testApp();
const [other] = await t.db.insert(sites).values({ code: 'XH', name: '徐汇中心' }).returning();
const [otherPlace] = await t.db.insert(places).values({ siteId: other!.id, code: 'XH-T1', name: '徐汇主楼', kind: 'building', qrToken: 'xh-token-0000000001' }).returning();
const [otherCompany] = await t.db.insert(companies).values({ siteId: other!.id, name: '徐汇某公司' }).returning();

describe('SEC-1 staff are scoped by site', () => {
  test('records of another site answer 404 and never appear in lists', async () => {
    for (const url of [`/api/places/${otherPlace!.id}`, `/api/companies/${otherCompany!.id}`, '/api/q/xh-token-0000000001', `/api/places/${otherPlace!.id}/labels`]) {
      expect((await t.as('supervisor', { method: 'GET', url })).statusCode, url).toBe(404);
    }
    const list = await t.as('agent', { method: 'GET', url: '/api/companies?limit=500' });
    expect(list.json().items.map((c: { name: string }) => c.name)).not.toContain('徐汇某公司');
    const sitesSeen = await t.as('agent', { method: 'GET', url: '/api/sites' });
    expect(sitesSeen.json().map((s: { code: string }) => s.code)).toEqual(['JW']);
  });

  test('a write aimed at another site is refused and writes nothing', async () => {
    const before = await t.auditCount();
    const res = await t.as('admin', { method: 'POST', url: '/api/places', payload: { parentId: otherPlace!.id, code: 'XH-T1-F01', name: '1层', kind: 'floor' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].field).toBe('body.parentId');
    const move = await t.as('admin', { method: 'POST', url: `/api/places/${t.world.floor12Id}/move`, payload: { parentId: otherPlace!.id } });
    expect(move.statusCode).toBe(400);
    const company = await t.as('admin', { method: 'POST', url: '/api/companies', payload: { name: '越界公司', siteId: other!.id } });
    expect(company.statusCode).toBe(404);
    expect(await t.auditCount()).toBe(before + 1); // only the admin's sign-in
  });
});
