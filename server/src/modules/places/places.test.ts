import { describe, expect, test } from 'vitest';
import { eq } from 'drizzle-orm';
import { testApp } from '../../../test/harness.ts';
import { auditLog } from '../audit/schema.ts';
import { places } from './schema.ts';

const t = await testApp();
const w = t.world;
await t.login('admin');
await t.login('technician');

async function create(body: Record<string, unknown>, who = 'admin') {
  return t.as(who, { method: 'POST', url: '/api/places', payload: body });
}

describe('places: one tree with stable codes and QR tokens (IN-1, AR-1)', () => {
  test('admin creates a space under floor 12 with exactly one audit row; the code is upper-cased', async () => {
    const before = await t.auditCount();
    const res = await create({ parentId: w.floor12Id, code: 'jw-t1-f12-wc1', name: '12层男卫生间', kind: 'washroom' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ code: 'JW-T1-F12-WC1', kind: 'washroom', parentId: w.floor12Id, active: true });
    expect(res.json().qrToken).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(await t.auditCount()).toBe(before + 1);
    const [row] = await t.db.select().from(auditLog).where(eq(auditLog.entityId, res.json().id));
    expect(row).toMatchObject({ action: 'place.create', entityType: 'place', actorName: '测试admin' });
    expect(JSON.stringify(row!.after)).not.toContain(res.json().qrToken);
  });

  test('a duplicate code in the site is 409 naming body.code, and nothing is written', async () => {
    const before = await t.auditCount();
    const res = await create({ parentId: w.floor12Id, code: 'JW-T1-F12-1201', name: '重复', kind: 'office_unit' });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'duplicate_code', fields: [{ field: 'body.code', code: 'duplicate' }] });
    expect(await t.auditCount()).toBe(before);
  });

  test('an unknown parent or kind is 400 naming the field', async () => {
    const res = await create({ parentId: crypto.randomUUID(), code: 'JW-X1', name: 'x', kind: 'office_unit' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0].field).toBe('body.parentId');
    const kind = await create({ parentId: w.floor12Id, code: 'JW-X2', name: 'x', kind: 'spaceship' });
    expect(kind.statusCode).toBe(400);
    expect(kind.json().error.fields[0]).toMatchObject({ field: 'body.kind', code: 'invalid_value' });
  });

  test('subtree queries: by parent, by ancestor (under) and by code prefix', async () => {
    const children = (await t.as('admin', { method: 'GET', url: `/api/places?parentId=${w.floor12Id}` })).json();
    expect(children.items.map((p: { code: string }) => p.code)).toEqual(expect.arrayContaining(['JW-T1-F12-1201', 'JW-T1-F12-1202']));
    const under = (await t.as('admin', { method: 'GET', url: `/api/places?under=${w.buildingId}&limit=500` })).json();
    expect(under.items.map((p: { code: string }) => p.code)).toEqual(expect.arrayContaining(['JW-T1', 'JW-T1-F12', 'JW-T1-F12-1201']));
    const prefix = (await t.as('technician', { method: 'GET', url: '/api/places?codePrefix=jw-t1-f12-12' })).json();
    expect(prefix.items.map((p: { code: string }) => p.code).sort()).toEqual(['JW-T1-F12-1201', 'JW-T1-F12-1202']);
    // A `%` in the prefix is a character, not a wildcard.
    const wildcard = (await t.as('admin', { method: 'GET', url: '/api/places?codePrefix=%25' })).json();
    expect(wildcard.total).toBe(0);
    const top = (await t.as('admin', { method: 'GET', url: '/api/places' })).json();
    expect(top.items).toEqual([expect.objectContaining({ code: 'JW-T1', childCount: 1 })]);
  });

  test('moving a place under its own descendant is 409; a legal move is audited', async () => {
    const loop = await t.as('admin', { method: 'POST', url: `/api/places/${w.buildingId}/move`, payload: { parentId: w.unitAId } });
    expect(loop.statusCode).toBe(409);
    expect(loop.json().error).toMatchObject({ code: 'move_into_descendant', fields: [{ field: 'body.parentId' }] });
    const self = await t.as('admin', { method: 'POST', url: `/api/places/${w.floor12Id}/move`, payload: { parentId: w.floor12Id } });
    expect(self.statusCode).toBe(409);
    const spot = (await create({ parentId: w.unitAId, code: 'JW-T1-F12-1201-D1', name: '工位1', kind: 'desk' })).json();
    const before = await t.auditCount();
    const ok = await t.as('admin', { method: 'POST', url: `/api/places/${spot.id}/move`, payload: { parentId: w.unitBId } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().parentId).toBe(w.unitBId);
    expect(await t.auditCount()).toBe(before + 1);
  });

  test('deactivate keeps history: refused while children are active; a leased unit cannot be hard-deleted', async () => {
    const parent = await t.as('admin', { method: 'POST', url: `/api/places/${w.floor12Id}/deactivate` });
    expect(parent.statusCode).toBe(409);
    expect(parent.json().error.code).toBe('has_active_children');
    const leased = await t.as('admin', { method: 'DELETE', url: `/api/places/${w.unitAId}` });
    expect(leased.statusCode).toBe(409);
    expect(leased.json().error.code).toBe('place_in_use');
    const fresh = (await create({ parentId: w.floor12Id, code: 'JW-T1-F12-TMP', name: '临时', kind: 'public_area' })).json();
    expect((await t.as('admin', { method: 'POST', url: `/api/places/${fresh.id}/deactivate` })).json().active).toBe(false);
    const list = (await t.as('admin', { method: 'GET', url: `/api/places?parentId=${w.floor12Id}` })).json();
    expect(list.items.map((p: { id: string }) => p.id)).not.toContain(fresh.id);
    const all = (await t.as('admin', { method: 'GET', url: `/api/places?parentId=${w.floor12Id}&includeInactive=true` })).json();
    expect(all.items.map((p: { id: string }) => p.id)).toContain(fresh.id);
    expect((await t.as('admin', { method: 'DELETE', url: `/api/places/${fresh.id}` })).statusCode).toBe(200);
    expect(await t.db.select().from(places).where(eq(places.id, fresh.id))).toEqual([]);
  });

  test('RP-3 QR tokens: hidden from field roles, resolved by scanning, voided by regeneration', async () => {
    const asTech = (await t.as('technician', { method: 'GET', url: `/api/places/${w.unitAId}` })).json();
    expect(asTech.qrToken).toBeNull();
    expect(asTech.ancestors.map((a: { code: string }) => a.code)).toEqual(['JW-T1', 'JW-T1-F12']);
    const oldToken = (await t.as('admin', { method: 'GET', url: `/api/places/${w.unitAId}` })).json().qrToken;
    const scanned = await t.as('technician', { method: 'GET', url: `/api/q/${oldToken}` });
    expect(scanned.statusCode).toBe(200);
    expect(scanned.json().code).toBe('JW-T1-F12-1201');
    const regen = (await t.as('admin', { method: 'POST', url: `/api/places/${w.unitAId}/qr-token` })).json();
    expect(regen.qrToken).not.toBe(oldToken);
    expect((await t.as('technician', { method: 'GET', url: `/api/q/${oldToken}` })).statusCode).toBe(404);
  });

  test('QR label sheet: one SVG label per active place of the subtree, encoding /q/<token>', async () => {
    const res = await t.as('admin', { method: 'GET', url: `/api/places/${w.floor12Id}/labels`, headers: { host: 'tower.example:8080' } });
    expect(res.statusCode).toBe(200);
    const labels = res.json() as Array<{ code: string; url: string; svg: string; kindName: string }>;
    const unit = labels.find((l) => l.code === 'JW-T1-F12-1201')!;
    expect(unit.url).toMatch(/^http:\/\/tower\.example:8080\/q\/[A-Za-z0-9_-]{16}$/);
    expect(unit.svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(unit.kindName).toBe('办公单元');
  });

  test('SQL and HTML in a name are stored and returned as plain text', async () => {
    const name = `<img src=x onerror=alert(1)>'); drop table places; --`;
    const res = await create({ parentId: w.floor12Id, code: 'JW-T1-F12-XSS', name, kind: 'public_area' });
    expect(res.statusCode).toBe(201);
    expect((await t.as('admin', { method: 'GET', url: `/api/places/${res.json().id}` })).json().name).toBe(name);
  });
});
