import { describe, expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { testApp, PASSWORD } from '../../../test/harness.ts';
import { forgetOldFailures } from './throttle.ts';

const t = await testApp();
const csrf = { 'x-requested-with': 'towerdesk' };
const me = (cookie: string) => t.app.inject({ method: 'GET', url: '/api/auth/me', cookies: { td_sid: cookie } });
const loginRaw = (login: string, password: string, ip = '10.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', headers: csrf, payload: { login, password }, remoteAddress: ip });

describe('sessions (SEC-1): idle and absolute timeouts on the server clock', () => {
  test('a session idle for more than 30 minutes is over; activity keeps it alive', async () => {
    const cookie = await t.login('agent');
    t.clock.advance(29);
    expect((await me(cookie)).statusCode).toBe(200);
    t.clock.advance(29); // 58 min after sign-in, 29 after the last request
    expect((await me(cookie)).statusCode).toBe(200);
    t.clock.advance(31);
    expect((await me(cookie)).statusCode).toBe(401);
  });

  test('a session ends 12 hours after sign-in however active it is', async () => {
    const cookie = await t.login('supervisor');
    for (let m = 25; m <= 700; m += 25) { // a request every 25 minutes up to 11 h 40 min
      t.clock.advance(25);
      expect((await me(cookie)).statusCode).toBe(200);
    }
    t.clock.advance(25); // 12 h 5 min after sign-in, 25 min idle
    expect((await me(cookie)).statusCode).toBe(401);
  });

  test('logout ends the session', async () => {
    const cookie = await t.login('guard');
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: csrf, cookies: { td_sid: cookie } });
    expect(out.statusCode).toBe(200);
    expect((await me(cookie)).statusCode).toBe(401);
  });

  test('changing the password ends the other sessions and keeps this one', async () => {
    const phone = await t.login('cleaner');
    const desk = await t.login('cleaner');
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/password', headers: csrf, cookies: { td_sid: desk }, payload: { currentPassword: 'nope', newPassword: 'a-new-password' } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields[0].field).toBe('body.currentPassword');
    const short = await t.app.inject({ method: 'POST', url: '/api/auth/password', headers: csrf, cookies: { td_sid: desk }, payload: { currentPassword: PASSWORD, newPassword: 'short' } });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.fields[0]).toMatchObject({ field: 'body.newPassword', code: 'too_small' });
    const ok = await t.app.inject({ method: 'POST', url: '/api/auth/password', headers: csrf, cookies: { td_sid: desk }, payload: { currentPassword: PASSWORD, newPassword: 'a-new-password' } });
    expect(ok.statusCode).toBe(200);
    expect((await me(desk)).statusCode).toBe(200);
    expect((await me(phone)).statusCode).toBe(401);
    expect((await loginRaw('cleaner', PASSWORD)).statusCode).toBe(401);
    expect((await loginRaw('cleaner', 'a-new-password')).statusCode).toBe(200);
  });

  test('an admin disabling an account ends its sessions at once; it cannot sign in until enabled', async () => {
    const cookie = await t.login('gardener');
    const id = t.world.accountIds.gardener;
    const res = await t.as('admin', { method: 'POST', url: `/api/accounts/${id}/disable` });
    expect(res.statusCode).toBe(200);
    expect((await me(cookie)).statusCode).toBe(401);
    const denied = await loginRaw('gardener', PASSWORD, '10.0.0.2');
    expect(denied.statusCode).toBe(401);
    await t.as('admin', { method: 'POST', url: `/api/accounts/${id}/enable` });
    expect((await loginRaw('gardener', PASSWORD, '10.0.0.2')).statusCode).toBe(200);
  });

  test('an admin cannot disable themself', async () => {
    const res = await t.as('admin', { method: 'POST', url: `/api/accounts/${t.world.accountIds.admin}/disable` });
    expect(res.statusCode).toBe(409);
  });
});

describe('sign-in throttling: slows guessing, never locks for good', () => {
  test('after 5 failures the account must wait; the wait grows; it ends and the right password works', async () => {
    for (let i = 0; i < 5; i++) expect((await loginRaw('owner_rep', 'wrong', `10.1.0.${i}`)).statusCode).toBe(401);
    const blocked = await loginRaw('owner_rep', PASSWORD, '10.1.0.9');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error).toMatchObject({ code: 'throttled', retryAfterSeconds: 15 });
    expect(blocked.headers['retry-after']).toBe('15');
    t.clock.advance(0.5); // 30 s: past the first wait, a sixth failure doubles it
    expect((await loginRaw('owner_rep', 'wrong', '10.1.0.10')).statusCode).toBe(401);
    expect((await loginRaw('owner_rep', PASSWORD, '10.1.0.11')).json().error.retryAfterSeconds).toBe(30);
    t.clock.advance(1);
    const ok = await loginRaw('owner_rep', PASSWORD, '10.1.0.12');
    expect(ok.statusCode).toBe(200);
    // Success clears the account's count: one more mistake does not block.
    expect((await loginRaw('owner_rep', 'wrong', '10.1.0.13')).statusCode).toBe(401);
    expect((await loginRaw('owner_rep', PASSWORD, '10.1.0.14')).statusCode).toBe(200);
  });

  test('counts an hour old are forgotten by the sweep; recent ones are kept', async () => {
    await loginRaw('supervisor', 'wrong', '10.3.0.1');
    const keys = async () => (await t.db.execute<{ key: string }>(sql`select key from login_throttle where key in ('acct:supervisor', 'ip:10.3.0.1')`)).rows.map((r) => r.key).sort();
    expect(await keys()).toEqual(['acct:supervisor', 'ip:10.3.0.1']);
    t.clock.advance(30);
    await forgetOldFailures(t.db, t.clock.now());
    expect(await keys()).toHaveLength(2);
    t.clock.advance(31);
    await forgetOldFailures(t.db, t.clock.now());
    expect(await keys()).toEqual([]);
  });

  test('one IP guessing across many accounts is slowed after 20 failures', async () => {
    for (let i = 0; i < 20; i++) await loginRaw(`nobody${i}`, 'wrong', '10.2.0.1');
    const res = await loginRaw('technician', PASSWORD, '10.2.0.1');
    expect(res.statusCode).toBe(429);
    expect((await loginRaw('technician', PASSWORD, '10.2.0.2')).statusCode).toBe(200);
  });
});
