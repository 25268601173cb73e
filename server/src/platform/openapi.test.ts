import { expect, test } from 'vitest';
import { testApp } from '../../test/harness.ts';

const t = await testApp();

test('OpenAPI 3 document lists every route with its zod-derived schemas; Swagger UI is served', async () => {
  const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
  expect(res.statusCode).toBe(200);
  const doc = res.json();
  expect(doc.openapi).toMatch(/^3\./);
  const documented = new Set<string>();
  for (const [path, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
    for (const method of Object.keys(ops)) documented.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
  }
  const routes = t.app.routeTable.map((r) => `${r.method} ${r.url}`).filter((k) => k !== 'GET /api/openapi.json');
  expect(routes.filter((r) => !documented.has(r))).toEqual([]);
  // The create-place body is the zod schema: required fields and the closed list of kinds.
  const body = doc.paths['/api/places'].post.requestBody.content['application/json'].schema;
  expect(body.required).toEqual(expect.arrayContaining(['code', 'name', 'kind']));
  expect(body.properties.kind.enum).toContain('office_unit');
  expect(body.additionalProperties).toBe(false);
  const ui = await t.app.inject({ method: 'GET', url: '/api/docs/' });
  expect(ui.statusCode).toBe(200);
  expect(ui.body).toContain('swagger');
});
