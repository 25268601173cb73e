import { describe, expect, test } from 'vitest';
import { eq } from 'drizzle-orm';
import { testApp, PASSWORD } from '../../../test/harness.ts';
import { auditLog } from '../audit/schema.ts';
import { accounts } from './schema.ts';

const t = await testApp();

describe('health and sign-in (SEC-1, SEC-3)', () => {
  test('GET /api/health answers ok with the database reachable', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', db: 'ok' });
  });

  test('SEC-1 a signed-out request to a protected route gets 401 in Chinese by default, English on request', async () => {
    const zh = await t.app.inject({ method: 'GET', url: '/api/auth/me' });
    expect(zh.statusCode).toBe(401);
    expect(zh.json().error).toMatchObject({ code: 'unauthenticated', message: '请先登录' });
    const en = await t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(en.json().error.message).toBe('Please sign in');
  });

  test('sign in by username, then by phone; me reports roles and layout', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-requested-with': 'towerdesk' }, payload: { login: 'agent', password: PASSWORD } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ username: 'agent', roles: ['agent'], layout: 'desk' });
    const cookie = res.cookies.find((c) => c.name === 'td_sid')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');

    await t.db.update(accounts).set({ phone: '13700000009' }).where(eq(accounts.username, 'technician'));
    const byPhone = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-requested-with': 'towerdesk' }, payload: { login: '13700000009', password: PASSWORD } });
    expect(byPhone.statusCode).toBe(200);
    expect(byPhone.json()).toMatchObject({ username: 'technician', layout: 'phone' });
  });

  test('SEC-3 a sign-in writes one audit row; a wrong password is refused and audited without the password', async () => {
    const before = await t.auditCount();
    const bad = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-requested-with': 'towerdesk' }, payload: { login: 'guard', password: 'wrong-password' } });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('bad_login');
    expect(bad.cookies.find((c) => c.name === 'td_sid')).toBeUndefined();
    await t.login('guard');
    expect(await t.auditCount()).toBe(before + 2);
    const rows = await t.db.select().from(auditLog).where(eq(auditLog.action, 'auth.login_failed'));
    expect(JSON.stringify(rows)).not.toContain('wrong-password');
  });

  test('a state-changing request without the CSRF header or a same-origin Origin is refused', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: 'agent', password: PASSWORD } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('csrf');
    const sameOrigin = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { origin: 'http://localhost:8080', host: 'localhost:8080' }, payload: { login: 'agent', password: PASSWORD } });
    expect(sameOrigin.statusCode).toBe(200);
    const crossSite = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { origin: 'https://evil.example', host: 'localhost:8080' }, payload: { login: 'agent', password: PASSWORD } });
    expect(crossSite.statusCode).toBe(403);
  });
});
