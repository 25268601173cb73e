import { inject } from 'vitest';

/**
 * Plain HTTP calls to the e2e server (no browser), for setting up a scenario and checking what it
 * stored. Every demo login's password is 'towerdesk'.
 */

/** The header every state-changing request carries (the server's CSRF check). */
export const CSRF = { 'x-requested-with': 'towerdesk' };

const baseUrl = () => inject('baseUrl');

/** Signs in over HTTP and returns the session cookie (`td_sid=…`) to pass to apiGet/apiPost. */
export async function apiSession(login: string, password = 'towerdesk'): Promise<string> {
  const res = await fetch(`${baseUrl()}/api/auth/login`, {
    method: 'POST',
    headers: { ...CSRF, 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  if (!res.ok) throw new Error(`login ${login}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('td_sid='));
  if (!cookie) throw new Error(`login ${login} set no td_sid cookie`);
  return cookie.split(';')[0]!;
}

export async function apiGet<T>(cookie: string, p: string): Promise<T> {
  const res = await fetch(`${baseUrl()}${p}`, { headers: { cookie } });
  if (!res.ok) throw new Error(`GET ${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function apiPost<T>(cookie: string, p: string, body: unknown): Promise<T> {
  const res = await fetch(`${baseUrl()}${p}`, { method: 'POST', headers: { ...CSRF, cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${p}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}
