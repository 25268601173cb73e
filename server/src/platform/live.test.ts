import { describe, expect, test } from 'vitest';
import { testApp } from '../../test/harness.ts';

// Streams re-check their session every 100 ms here (25 s in production).
const t = await testApp({ liveBeatMs: 100 });
await t.app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(t.app.server.address() as { port: number }).port}`;

/** Opens the event stream as `who` and collects what arrives. */
async function stream(who: string) {
  const cookie = t.cookies.get(who) ?? (await t.login(who));
  const ac = new AbortController();
  const res = await fetch(`${base}/api/live`, { headers: { accept: 'text/event-stream', cookie: `td_sid=${cookie}` }, signal: ac.signal });
  expect(res.status).toBe(200);
  let text = '';
  const reader = res.body!.getReader();
  void (async () => {
    try { for (;;) { const { value, done } = await reader.read(); if (done) break; text += new TextDecoder().decode(value); } } catch { /* aborted */ }
  })();
  return { text: () => text, close: () => ac.abort() };
}
const until = async (cond: () => boolean) => { for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setTimeout(r, 50)); };

describe('RP-4 live updates over server-sent events', () => {
  test('the desk and the reporter hear of a new item; another company\'s occupant does not', async () => {
    const desk = await stream('agent');
    const reporter = await stream('occupant');
    const stranger = await stream('occupantB');
    await until(() => t.app.live.clients() >= 3);
    const res = await t.as('occupant', { method: 'POST', url: '/api/work-items', payload: { kind: 'repair', category: 'plumbing.leak', placeId: t.world.unitAId, description: '漏水' } });
    const id = res.json().id as string;
    await until(() => desk.text().includes(id) && reporter.text().includes(id));
    expect(desk.text()).toContain(`event: work_item\ndata: {"itemId":"${id}"}`);
    expect(reporter.text()).toContain(id);
    await new Promise((r) => setTimeout(r, 200));
    expect(stranger.text()).not.toContain(id);
    // The desk's inbox got a notice, announced on the stream.
    expect(desk.text()).toContain('event: notification');
    for (const s of [desk, reporter, stranger]) s.close();
  });

  test('SEC-1 a stream ends soon after its session does (signed out elsewhere); it never keeps an idle session alive', async () => {
    const cookie = await t.login('supervisor');
    const s = await stream('supervisor');
    await until(() => s.text().includes(': ping'));
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { 'x-requested-with': 'towerdesk' }, cookies: { td_sid: cookie } });
    expect(out.statusCode).toBe(200);
    t.cookies.delete('supervisor');
    await until(() => s.text().includes('event: signed_out'));
    expect(s.text()).toContain('event: signed_out');
    s.close();
  });

  test('without Accept: text/event-stream the route answers 406; signed out 401', async () => {
    expect((await t.as('agent', { method: 'GET', url: '/api/live' })).statusCode).toBe(406);
    expect((await t.as(null, { method: 'GET', url: '/api/live', headers: { accept: 'text/event-stream' } })).statusCode).toBe(401);
  });
});
