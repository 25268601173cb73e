import { describe, expect, test } from 'vitest';
import { testApp } from '../../../test/harness.ts';

const t = await testApp();
const csrf = { 'x-requested-with': 'towerdesk' };

describe('account administration (SEC-1)', () => {
  test('admin creates an occupant account linked to an occupant; it signs in by phone and lands on the phone layout', async () => {
    const res = await t.as('admin', { method: 'POST', url: '/api/accounts', payload: { username: 'zhaojia', displayName: '赵甲', password: 'a-long-password', roles: ['occupant'], phone: '13800000003', occupantId: t.world.occA2Id } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ username: 'zhaojia', roles: ['occupant'], phone: '138****0003', disabled: false });
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: csrf, payload: { login: '13800000003', password: 'a-long-password' } });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ layout: 'phone', companyId: t.world.companyAId, companyRole: 'member' });
  });

  test('an occupant account without an occupant, a taken username or phone, a weak password: 4xx naming the field, nothing written', async () => {
    const before = await t.auditCount();
    const noLink = await t.as('admin', { method: 'POST', url: '/api/accounts', payload: { username: 'x1', displayName: 'x', password: 'a-long-password', roles: ['occupant'] } });
    expect(noLink.statusCode).toBe(400);
    expect(noLink.json().error.fields[0].field).toBe('body.occupantId');
    const taken = await t.as('admin', { method: 'POST', url: '/api/accounts', payload: { username: 'agent', displayName: 'x', password: 'a-long-password', roles: ['agent'] } });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.fields[0].field).toBe('body.username');
    const weak = await t.as('admin', { method: 'POST', url: '/api/accounts', payload: { username: 'x2', displayName: 'x', password: '123', roles: ['agent'] } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().error.fields[0].field).toBe('body.password');
    const role = await t.as('admin', { method: 'POST', url: '/api/accounts', payload: { username: 'x3', displayName: 'x', password: 'a-long-password', roles: ['janitor'] } });
    expect(role.statusCode).toBe(400);
    expect(role.json().error.fields[0].field).toBe('body.roles.0');
    expect(await t.auditCount()).toBe(before);
  });

  test('changing roles ends the account\'s sessions so the new rights apply at once', async () => {
    const cookie = await t.login('guard');
    const res = await t.as('admin', { method: 'PATCH', url: `/api/accounts/${t.world.accountIds.guard}`, payload: { roles: ['guard', 'cleaner'] } });
    expect(res.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', cookies: { td_sid: cookie } })).statusCode).toBe(401);
  });

  test('an admin resets a password: the old one stops working and sessions end', async () => {
    const cookie = await t.login('cleaner');
    expect((await t.as('admin', { method: 'POST', url: `/api/accounts/${t.world.accountIds.cleaner}/password`, payload: { newPassword: 'reset-by-admin' } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/auth/me', cookies: { td_sid: cookie } })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: csrf, payload: { login: 'cleaner', password: 'reset-by-admin' } })).statusCode).toBe(200);
  });

  test('the account list masks phones and never shows password hashes', async () => {
    const res = await t.as('admin', { method: 'GET', url: '/api/accounts?q=zhaojia' });
    expect(res.json().items).toEqual([expect.objectContaining({ username: 'zhaojia', phone: '138****0003' })]);
    expect(res.body).not.toContain('argon2');
  });
});
