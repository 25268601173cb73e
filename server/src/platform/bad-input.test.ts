import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { testApp } from '../../test/harness.ts';
import { fill } from './rbac-matrix.test.ts';

/**
 * Garbage to every route (issue 2 "Bad input"): whatever a client sends, the answer is never a
 * 5xx, an error names what is wrong, and nothing is written (the audit log does not grow).
 */
const t = await testApp();
await t.login('admin'); // the sign-in's own audit row is written before any count is taken
const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

const garbageBodies: Array<{ name: string; payload: string; contentType: string }> = [
  { name: 'malformed JSON', payload: '{"name": "x",', contentType: 'application/json' },
  { name: 'JSON array', payload: '[1,2,3]', contentType: 'application/json' },
  { name: 'JSON null', payload: 'null', contentType: 'application/json' },
  { name: 'wrong types', payload: JSON.stringify({ name: 123, code: ['a'], parentId: 'not-a-uuid', kind: 7, roles: 'admin', phone: 13800000000, hireDate: 'yesterday', byWeekday: 'x', login: {}, password: [] }), contentType: 'application/json' },
  { name: 'unknown fields', payload: JSON.stringify({ zzz: 1, __proto__: { admin: true }, constructor: 'x' }), contentType: 'application/json' },
  { name: 'SQL and HTML', payload: JSON.stringify({ name: "'); drop table places; --", code: '<script>alert(1)</script>', login: "' or 1=1 --", password: "' or 1=1 --" }), contentType: 'application/json' },
  { name: 'text body', payload: 'hello', contentType: 'text/plain' },
  { name: 'oversized JSON (> 1 MB)', payload: JSON.stringify({ name: 'x'.repeat(1_100_000) }), contentType: 'application/json' },
];

describe('bad input never gets a 5xx and changes nothing', () => {
  const routes = t.app.routeTable.filter((r) => r.url !== '/api/auth/logout');

  test.each(routes.map((r) => [`${r.method} ${r.url}`, r] as const))('%s', async (_k, route) => {
    const before = await t.auditCount();
    const urls = [
      fill(route.url),
      route.url.replace(/:[a-zA-Z]+/g, "'%20or%201=1--"),
      `${fill(route.url)}?limit=abc&offset=-1&year=zz&from=notadate&includeInactive=maybe&unknown=1`,
    ];
    for (const url of urls) {
      if (!WRITE.has(route.method)) {
        const res = await t.as('admin', { method: route.method as 'GET', url });
        expect(res.statusCode, url).toBeLessThan(500);
        continue;
      }
      for (const body of garbageBodies) {
        const res = await t.as('admin', { method: route.method as 'POST', url, payload: body.payload, headers: { 'content-type': body.contentType } });
        expect(res.statusCode, `${body.name} → ${url}`).toBeLessThan(500);
        expect(res.statusCode, `${body.name} → ${url}`).toBeGreaterThanOrEqual(400);
        expect(res.json().error.code, body.name).toBeTypeOf('string');
      }
    }
    // Wrong logins are audited on purpose; everything else must leave no trace.
    if (route.url !== '/api/auth/login') expect(await t.auditCount()).toBe(before);
  });

  test('random JSON bodies (fast-check) to every write route: no 5xx', async () => {
    const writes = routes.filter((r) => WRITE.has(r.method) && r.url !== '/api/auth/login');
    await fc.assert(fc.asyncProperty(fc.constantFrom(...writes), fc.jsonValue(), async (route, body) => {
      const res = await t.as('admin', { method: route.method as 'POST', url: fill(route.url), payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
      expect(res.statusCode).toBeLessThan(500);
    }), { numRuns: 150 });
  });

  test('a malformed body names the body; a wrong type names the field', async () => {
    const bad = await t.as('admin', { method: 'POST', url: '/api/places', payload: '{"code":', headers: { 'content-type': 'application/json' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'invalid_json', fields: [{ field: 'body' }] });
    const typed = await t.as('admin', { method: 'POST', url: '/api/places', payload: { code: 'JW-X', name: 5, kind: 'office_unit' } });
    expect(typed.statusCode).toBe(400);
    expect(typed.json().error.fields.map((f: { field: string }) => f.field)).toContain('body.name');
    const unknown = await t.as('admin', { method: 'POST', url: '/api/places', payload: { code: 'JW-X', name: 'x', kind: 'office_unit', colour: 'red' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields).toContainEqual(expect.objectContaining({ field: 'body.colour', code: 'unrecognized_keys' }));
    const big = await t.as('admin', { method: 'POST', url: '/api/places', payload: JSON.stringify({ name: 'x'.repeat(1_100_000) }), headers: { 'content-type': 'application/json' } });
    expect(big.statusCode).toBe(413);
    const en = await t.as('admin', { method: 'POST', url: '/api/places', payload: { code: 'JW-X', name: 5, kind: 'office_unit' }, headers: { 'accept-language': 'en' } });
    expect(en.json().error.message).toBe('The request is invalid');
  });
});
