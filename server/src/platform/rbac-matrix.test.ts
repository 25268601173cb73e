import crypto from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { testApp } from '../../test/harness.ts';
import { ROLES, type Role } from './permissions.ts';

/**
 * SEC-1 role × route matrix. The table below is the specification, written out by hand; the
 * test walks the app's live route table, so a new route without a row here fails, and a row
 * that disagrees with the server's permissions fails too.
 */
const ALL: Role[] = [...ROLES];
const STAFF: Role[] = ['admin', 'supervisor', 'agent', 'technician', 'guard', 'cleaner', 'gardener'];
const DESK: Role[] = ['admin', 'supervisor', 'agent'];
const MANAGERS: Role[] = ['admin', 'supervisor'];
const ADMIN: Role[] = ['admin'];

/**
 * 'signed': a machine-to-machine webhook that authenticates itself by signature (public for the
 * session guard, exempt from CSRF). Without a valid signature everyone gets 401 — with or without
 * a session, which grants nothing there — and no role ever gets 403.
 */
const expected: Record<string, Role[] | 'public' | 'signed'> = {
  'GET /api/health': 'public',
  'GET /api/openapi.json': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': ALL,
  'GET /api/auth/me': ALL,
  'POST /api/auth/password': ALL,
  'GET /api/sites': ALL,
  'GET /api/places': ALL,
  'GET /api/places/:id': ALL,
  'GET /api/q/:token': ALL,
  'POST /api/places': MANAGERS,
  'PATCH /api/places/:id': MANAGERS,
  'POST /api/places/:id/move': MANAGERS,
  'POST /api/places/:id/deactivate': MANAGERS,
  'POST /api/places/:id/activate': MANAGERS,
  'DELETE /api/places/:id': MANAGERS,
  'POST /api/places/:id/qr-token': MANAGERS,
  'GET /api/places/:id/labels': MANAGERS,
  'GET /api/companies': [...DESK, 'occupant', 'owner_rep'],
  'GET /api/companies/:id': [...DESK, 'occupant', 'owner_rep'],
  'GET /api/companies/:id/phone': DESK,
  'POST /api/companies': DESK,
  'PATCH /api/companies/:id': DESK,
  'POST /api/companies/:id/deactivate': DESK,
  'POST /api/companies/:id/activate': DESK,
  'GET /api/companies/import-template': DESK,
  'POST /api/companies/import': DESK,
  'GET /api/occupants': [...DESK, 'occupant'],
  'GET /api/occupants/:id': [...DESK, 'occupant'],
  'GET /api/occupants/:id/phone': DESK,
  'POST /api/occupants': DESK,
  'PATCH /api/occupants/:id': DESK,
  'POST /api/occupants/:id/deactivate': DESK,
  'POST /api/occupants/:id/activate': DESK,
  'GET /api/occupants/import-template': DESK,
  'POST /api/occupants/import': DESK,
  'GET /api/staff': [...STAFF, 'owner_rep'],
  'GET /api/staff/:id': [...STAFF, 'owner_rep'],
  'GET /api/staff/:id/phone': DESK,
  'POST /api/staff': MANAGERS,
  'PATCH /api/staff/:id': MANAGERS,
  'POST /api/staff/:id/deactivate': MANAGERS,
  'POST /api/staff/:id/activate': MANAGERS,
  'GET /api/staff/import-template': MANAGERS,
  'POST /api/staff/import': MANAGERS,
  'POST /api/staff/:id/certificates': MANAGERS,
  'DELETE /api/staff/:id/certificates/:certId': MANAGERS,
  'GET /api/contractors': [...DESK, 'owner_rep'],
  'GET /api/contractors/:id': [...DESK, 'owner_rep'],
  'GET /api/contractors/:id/phone': DESK,
  'POST /api/contractors': MANAGERS,
  'PATCH /api/contractors/:id': MANAGERS,
  'POST /api/contractors/:id/deactivate': MANAGERS,
  'POST /api/contractors/:id/activate': MANAGERS,
  'GET /api/accounts': ADMIN,
  'POST /api/accounts': ADMIN,
  'PATCH /api/accounts/:id': ADMIN,
  'POST /api/accounts/:id/disable': ADMIN,
  'POST /api/accounts/:id/enable': ADMIN,
  'POST /api/accounts/:id/password': ADMIN,
  'GET /api/audit': ['admin', 'owner_rep'],
  'GET /api/calendar': ALL,
  'PUT /api/calendar/hours': ADMIN,
  'PUT /api/calendar/days/:date': ADMIN,
  'DELETE /api/calendar/days/:date': ADMIN,
  'POST /api/uploads': ALL,
  'GET /api/attachments/:id/content': ALL,
  'GET /api/notifications': ALL,
  'POST /api/notifications/:id/read': ALL,
  'POST /api/work-items': [...DESK, 'occupant'],
  'GET /api/work-items': ALL,
  'GET /api/work-items/:id': ALL,
  'POST /api/work-items/:id/actions/:action': [...STAFF, 'occupant'],
  'POST /api/work-items/:id/comments': [...STAFF, 'occupant'],
  'POST /api/work-items/:id/urgency': DESK,
  'POST /api/work-items/:id/rating': [...STAFF, 'occupant'],
  'GET /api/duty': [...STAFF, 'owner_rep'],
  'GET /api/duty/export.xlsx': [...STAFF, 'owner_rep'],
  'GET /api/duty/suggestions': DESK,
  'POST /api/duty': MANAGERS,
  'POST /api/duty/generate': MANAGERS,
  'PATCH /api/duty/:id': MANAGERS,
  'DELETE /api/duty/:id': MANAGERS,
  'POST /api/duty/ical-token/:staffId': MANAGERS,
  'GET /api/duty/ical/:token': 'public',
  'GET /api/plans': [...STAFF, 'owner_rep'],
  'POST /api/plans': MANAGERS,
  'PATCH /api/plans/:id': MANAGERS,
  'POST /api/plans/:id/deactivate': MANAGERS,
  'GET /api/tasks': [...STAFF, 'owner_rep'],
  'GET /api/tasks/today': STAFF,
  'GET /api/tasks/:id': [...STAFF, 'owner_rep'],
  'POST /api/tasks/:id/start': STAFF,
  'POST /api/tasks/:id/scan': STAFF,
  'PUT /api/tasks/:id/answers': STAFF,
  'POST /api/tasks/:id/problems': STAFF,
  'POST /api/tasks/:id/finish': STAFF,
  'GET /api/records/tasks': [...DESK, 'owner_rep'],
  'GET /api/records/day': [...DESK, 'owner_rep'],
  'GET /api/records/tasks.xlsx': [...MANAGERS, 'owner_rep'],
  'GET /api/records/rates': [...DESK, 'owner_rep'],
  'GET /api/records/missed': [...DESK, 'owner_rep'],
  'GET /api/records/readings/items': [...DESK, 'owner_rep'],
  'GET /api/records/readings': [...DESK, 'owner_rep'],
  'GET /api/records/chemicals': [...DESK, 'owner_rep'],
  'GET /api/records/chemicals.xlsx': [...MANAGERS, 'owner_rep'],
  'GET /api/records/routes/monthly': [...DESK, 'owner_rep'],
  'GET /api/stock/items': [...STAFF, 'owner_rep'],
  'POST /api/stock/items': MANAGERS,
  'GET /api/stock/items/:id': [...STAFF, 'owner_rep'],
  'PATCH /api/stock/items/:id': MANAGERS,
  'GET /api/stock/items/:id/ledger': [...STAFF, 'owner_rep'],
  'POST /api/stock/movements': [...MANAGERS, 'technician', 'cleaner', 'gardener'],
  'GET /api/stock/tools-out': [...STAFF, 'owner_rep'],
  'GET /api/stock/low': [...STAFF, 'owner_rep'],
  'GET /api/stock/reorder': [...STAFF, 'owner_rep'],
  'GET /api/stock/cost-report': [...DESK, 'owner_rep'],
  'GET /api/stock/cost-report.xlsx': [...MANAGERS, 'owner_rep'],
  'GET /api/stock/settings': [...STAFF, 'owner_rep'],
  'PUT /api/stock/settings': MANAGERS,
  'GET /api/revisits': DESK,
  'GET /api/live': ALL,
  'POST /api/revisits/:id': DESK,
  'GET /api/receptions': [...DESK, 'owner_rep'],
  'POST /api/receptions': DESK,
  'GET /api/receptions/lookup': DESK,
  'GET /api/receptions/stats': [...DESK, 'owner_rep'],
  'GET /api/receptions/export.xlsx': [...DESK, 'owner_rep'],
  'GET /api/receptions/:id': [...DESK, 'owner_rep'],
  'POST /api/receptions/:id/link': DESK,
  'GET /api/phone-calls': DESK,
  'POST /api/phone-calls/:id/reception': DESK,
  'GET /api/reports/archive': [...DESK, 'owner_rep'],
  'GET /api/reports/archive.xlsx': [...MANAGERS, 'owner_rep'],
  'GET /api/reports/complaints/monthly': [...DESK, 'owner_rep'],
  'GET /api/reports/complaints/monthly.xlsx': [...MANAGERS, 'owner_rep'],
  'GET /api/reports/sla': [...DESK, 'owner_rep'],
  'GET /api/reports/spot-checks': [...DESK, 'owner_rep'],
  'GET /api/reports/spot-checks/proposed': [...DESK, 'owner_rep'],
  'POST /api/reports/spot-checks': MANAGERS,
  'GET /api/integrations': ADMIN,
  'POST /api/integrations': ADMIN,
  'PATCH /api/integrations/:id': ADMIN,
  'POST /api/integrations/:id/rotate': ADMIN,
  'POST /api/integrations/:id/calls': 'signed',
};

const t = await testApp();

/** A concrete URL for a route pattern; ids are random, so allowed roles get 404/400, never 403. */
export function fill(url: string) {
  return url
    .replace(':token', 'no-such-token-000')
    .replace(':date', '2026-01-05')
    .replace(':action', 'accept')
    .replace(/:[a-zA-Z]+/g, () => crypto.randomUUID());
}

describe('SEC-1 role × route matrix', () => {
  const routes = t.app.routeTable;

  test('every route has a row in the matrix, and every row has a route', () => {
    const live = routes.map((r) => `${r.method} ${r.url}`).sort();
    expect(live.filter((k) => !(k in expected))).toEqual([]);
    expect(Object.keys(expected).filter((k) => !live.includes(k))).toEqual([]);
  });

  test.each(Object.keys(expected))('%s: allowed roles pass the guard, the others get 403, no session gets 401', async (key) => {
    const [method, url] = key.split(' ') as [string, string];
    const rule = expected[key]!;
    const anon = await t.as(null, { method: method as 'GET', url: fill(url) });
    if (rule === 'public') {
      expect([401, 403]).not.toContain(anon.statusCode);
      return;
    }
    if (rule === 'signed') {
      expect(anon.statusCode).toBe(401);
      for (const role of ROLES) expect((await t.as(role, { method: method as 'POST', url: fill(url), payload: {} })).json().error.code, role).toBe('bad_signature');
      return;
    }
    expect(anon.statusCode).toBe(401);
    for (const role of ROLES) {
      const res = await t.as(role, { method: method as 'GET', url: fill(url), payload: method === 'GET' || method === 'DELETE' ? undefined : {} });
      // Signing out ends the cached session; the next request signs in again.
      if (key === 'POST /api/auth/logout') t.cookies.delete(role);
      if (rule.includes(role)) expect([401, 403], `${role} should pass`).not.toContain(res.statusCode);
      else expect(res.statusCode, `${role} should be refused`).toBe(403);
    }
  });
});
