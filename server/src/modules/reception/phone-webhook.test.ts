import crypto from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { desc, eq, sql } from 'drizzle-orm';
import { testApp } from '../../../test/harness.ts';
import { auditLog } from '../audit/schema.ts';
import { occupants } from '../parties/schema.ts';
import { parseSignatureHeader, signatureHeader, signBody } from './integrations.ts';
import { integrationSignatures, phoneCalls } from './schema.ts';

const t = await testApp();
const w = t.world;
for (const who of ['admin', 'agent', 'supervisor', 'owner_rep']) await t.login(who);

type Integration = { id: string; secret: string; name: string; active: boolean; callsUrl: string };
const createIntegration = async (name: string) => {
  const res = await t.as('admin', { method: 'POST', url: '/api/integrations', payload: { name, kind: 'phone' } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Integration;
};
const phone = await createIntegration('总机 IPPBX');

const unix = () => Math.floor(t.clock.now().getTime() / 1000);
let seq = 0;
const callBody = (extra: Record<string, unknown> = {}) => ({
  callId: `call-${++seq}`, caller: '+8613800000001', callee: '021-60000000', startedAt: t.clock.now().toISOString(), ...extra,
});

/**
 * Posts to the webhook the way a phone system does: no session, no CSRF header, the raw JSON
 * signed with the secret (or with whatever header the test gives).
 */
async function push(integration: Pick<Integration, 'id' | 'secret'>, body: unknown, opts: { t?: number; header?: string | null; raw?: string } = {}) {
  const raw = opts.raw ?? JSON.stringify(body);
  const header = opts.header === undefined ? signatureHeader(integration.secret, opts.t ?? unix(), raw) : opts.header;
  return t.app.inject({
    method: 'POST', url: `/api/integrations/${integration.id}/calls`, payload: raw,
    headers: { 'content-type': 'application/json', ...(header === null ? {} : { 'x-towerdesk-signature': header }) },
  });
}
const callCount = async () => (await t.db.select({ n: sql<number>`count(*)::int` }).from(phoneCalls))[0]!.n;
const lastAudit = async () => (await t.db.select().from(auditLog).orderBy(desc(auditLog.id)).limit(1))[0]!;

describe('RP-1 SEC-3 integrations are managed by the admin; the secret is shown once', () => {
  test('RP-1 creating one answers 201 with a 32-byte secret; lists never show it; one audit row without it', async () => {
    const before = await t.auditCount();
    const created = await createIntegration('备用总机');
    expect(created.secret).toMatch(/^tdwh_[A-Za-z0-9_-]{43}$/);
    expect(created.callsUrl).toBe(`/api/integrations/${created.id}/calls`);
    expect(await t.auditCount()).toBe(before + 1);
    const row = await lastAudit();
    expect(row).toMatchObject({ action: 'integration.create', entityId: created.id });
    expect(JSON.stringify(row)).not.toContain(created.secret);
    const list = await t.as('admin', { method: 'GET', url: '/api/integrations' });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(created.secret);
    expect(list.json().items.map((i: { name: string }) => i.name)).toEqual(expect.arrayContaining(['总机 IPPBX', '备用总机']));
    expect(list.json().items[0]).not.toHaveProperty('secret');
    const dup = await t.as('admin', { method: 'POST', url: '/api/integrations', payload: { name: '备用总机', kind: 'phone' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.fields[0].field).toBe('body.name');
    const badKind = await t.as('admin', { method: 'POST', url: '/api/integrations', payload: { name: 'x', kind: 'fax' } });
    expect(badKind.statusCode).toBe(400);
    expect(badKind.json().error.fields[0].field).toBe('body.kind');
    expect((await t.as('supervisor', { method: 'POST', url: '/api/integrations', payload: { name: 'y', kind: 'phone' } })).statusCode).toBe(403);
  });
});

describe('RP-1 the phone system pushes calls, signed (X-Towerdesk-Signature)', () => {
  test('RP-1 a correctly signed call is stored (201) and names the caller\'s occupant; one audit row, numbers masked', async () => {
    const before = await t.auditCount();
    const body = callBody();
    const res = await push(phone, body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ callId: body.callId, created: true, occupantId: w.occAId, companyId: w.companyAId, matches: 1 });
    const [row] = await t.db.select().from(phoneCalls).where(eq(phoneCalls.externalId, body.callId));
    expect(row).toMatchObject({ caller: '+8613800000001', siteId: w.siteId, integrationId: phone.id });
    expect(await t.auditCount()).toBe(before + 1);
    const audit = await lastAudit();
    expect(audit).toMatchObject({ action: 'phone_call.receive', entityId: row!.id, siteId: w.siteId, actorId: null });
    expect(JSON.stringify(audit.after)).not.toContain('13800000001');
  });

  test('RP-1 the same call id again (re-signed retry) answers 200 with the same record; the "ended" event fills in end and recording', async () => {
    const body = callBody();
    const first = await push(phone, body);
    expect(first.statusCode).toBe(201);
    const before = await t.auditCount();
    t.clock.advance(1);
    const retry = await push(phone, body);
    expect(retry.statusCode, retry.body).toBe(200);
    expect(retry.json()).toMatchObject({ id: first.json().id, created: false, occupantId: w.occAId });
    expect(await t.auditCount()).toBe(before);
    const ended = await push(phone, { ...body, endedAt: t.clock.now().toISOString(), recordingUrl: 'https://pbx.example.cn/rec/1.mp3' });
    expect(ended.statusCode).toBe(200);
    expect(ended.json().id).toBe(first.json().id);
    const [row] = await t.db.select().from(phoneCalls).where(eq(phoneCalls.externalId, body.callId));
    expect(row!.recordingUrl).toBe('https://pbx.example.cn/rec/1.mp3');
    expect(row!.endedAt).not.toBeNull();
    expect(await t.auditCount()).toBe(before + 1);
    expect(await lastAudit()).toMatchObject({ action: 'phone_call.update', entityId: row!.id });
  });

  test('SEC-3 a wrong signature is 401 bad_signature: nothing stored, the refusal audited with its reason', async () => {
    const calls = await callCount();
    const before = await t.auditCount();
    const body = callBody();
    const raw = JSON.stringify(body);
    const wrongKey = await push(phone, body, { header: signatureHeader('tdwh_not-the-secret', unix(), raw) });
    // The body changed after signing: the signature no longer fits.
    const tampered = await push(phone, body, { raw: JSON.stringify({ ...body, caller: '13800000002' }), header: signatureHeader(phone.secret, unix(), raw) });
    const missing = await push(phone, body, { header: null });
    const garbled = await push(phone, body, { header: 'v1=abc,t=now' });
    // The timestamp is signed too: moving it breaks the signature.
    const moved = await push(phone, body, { header: `t=${unix() + 1},v1=${signBody(phone.secret, unix(), raw)}` });
    for (const res of [wrongKey, tampered, missing, garbled, moved]) {
      expect(res.statusCode, res.body).toBe(401);
      expect(res.json().error.code).toBe('bad_signature');
    }
    expect(await callCount()).toBe(calls);
    expect(await t.auditCount()).toBe(before + 5);
    const row = await lastAudit();
    expect(row).toMatchObject({ action: 'integration.call_refused', entityType: 'integration', entityId: phone.id, siteId: w.siteId });
    expect(row.after).toMatchObject({ reason: 'bad_signature' });
  });

  test('SEC-3 a timestamp more than 5 minutes old or ahead is 401 stale_timestamp; 5 minutes is still accepted', async () => {
    const calls = await callCount();
    const old = await push(phone, callBody(), { t: unix() - 301 });
    const ahead = await push(phone, callBody(), { t: unix() + 301 });
    for (const res of [old, ahead]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('stale_timestamp');
    }
    expect(await lastAudit()).toMatchObject({ action: 'integration.call_refused', after: expect.objectContaining({ reason: 'stale_timestamp' }) });
    expect(await callCount()).toBe(calls);
    expect((await push(phone, callBody(), { t: unix() - 300 })).statusCode).toBe(201);
  });

  test('SEC-3 the same signed request replayed is 401 replay, even at once and in parallel; the call is stored once', async () => {
    const body = callBody();
    const raw = JSON.stringify(body);
    const header = signatureHeader(phone.secret, unix(), raw);
    const first = await push(phone, body, { header });
    expect(first.statusCode).toBe(201);
    const replay = await push(phone, body, { header });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.code).toBe('replay');
    expect(await lastAudit()).toMatchObject({ action: 'integration.call_refused', after: expect.objectContaining({ reason: 'replay' }) });
    // Two copies racing: one wins, the other is a replay.
    const body2 = callBody();
    const header2 = signatureHeader(phone.secret, unix(), JSON.stringify(body2));
    const racing = await Promise.all([push(phone, body2, { header: header2 }), push(phone, body2, { header: header2 })]);
    expect(racing.map((r) => r.statusCode).sort()).toEqual([201, 401]);
    expect((await t.db.select().from(phoneCalls).where(eq(phoneCalls.externalId, body2.callId))).length).toBe(1);
    // Remembered signatures are dropped once the timestamp check alone refuses them (10 minutes).
    t.clock.advance(11);
    expect((await push(phone, callBody())).statusCode).toBe(201);
    const kept = await t.db.select().from(integrationSignatures).where(eq(integrationSignatures.integrationId, phone.id));
    expect(kept).toHaveLength(1);
    const late = await push(phone, body, { header });
    expect(late.json().error.code).toBe('stale_timestamp');
  });

  test('SEC-3 a disabled integration is refused (401); rotating the secret stops the old one at once', async () => {
    const pbx = await createIntegration('测试总机');
    const before = await t.auditCount();
    const off = await t.as('admin', { method: 'PATCH', url: `/api/integrations/${pbx.id}`, payload: { active: false } });
    expect(off.statusCode).toBe(200);
    expect(off.json().active).toBe(false);
    expect(await t.auditCount()).toBe(before + 1);
    const calls = await callCount();
    const refused = await push(pbx, callBody());
    expect(refused.statusCode).toBe(401);
    expect(refused.json().error.code).toBe('integration_inactive');
    expect(await callCount()).toBe(calls);
    await t.as('admin', { method: 'PATCH', url: `/api/integrations/${pbx.id}`, payload: { active: true } });
    const rotated = await t.as('admin', { method: 'POST', url: `/api/integrations/${pbx.id}/rotate` });
    expect(rotated.statusCode).toBe(200);
    const secret = rotated.json().secret as string;
    expect(secret).not.toBe(pbx.secret);
    expect(await lastAudit()).toMatchObject({ action: 'integration.rotate', entityId: pbx.id });
    expect(JSON.stringify(await lastAudit())).not.toContain(secret);
    expect((await push(pbx, callBody())).json().error.code).toBe('bad_signature');
    expect((await push({ id: pbx.id, secret }, callBody())).statusCode).toBe(201);
  });

  test('SEC-3 an unknown integration is 401 bad_signature and leaves only an app-log line (no audit row)', async () => {
    const before = await t.auditCount();
    const res = await push({ id: crypto.randomUUID(), secret: phone.secret }, callBody());
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('bad_signature');
    const notAnId = await t.app.inject({ method: 'POST', url: '/api/integrations/not-an-id/calls', payload: {} });
    expect(notAnId.statusCode).toBe(401);
    expect(await t.auditCount()).toBe(before);
  });

  test('SEC-3 CSRF: the webhook needs no CSRF header; every other write still refuses a request without it', async () => {
    const ok = await push(phone, callBody());
    expect(ok.statusCode).toBe(201);
    const cookie = t.cookies.get('agent')!;
    const desk = await t.app.inject({ method: 'POST', url: '/api/receptions', cookies: { td_sid: cookie }, payload: { channel: 'walk_in', topic: 'other', summary: 'x', contactName: 'x' } });
    expect(desk.statusCode).toBe(403);
    expect(desk.json().error.code).toBe('csrf');
    const admin = await t.app.inject({ method: 'POST', url: `/api/integrations/${phone.id}/rotate`, cookies: { td_sid: t.cookies.get('admin')! } });
    expect(admin.statusCode).toBe(403);
    expect(admin.json().error.code).toBe('csrf');
    // A browser's session cookie on the webhook grants nothing: the signature is what counts.
    const withCookie = await t.app.inject({ method: 'POST', url: `/api/integrations/${phone.id}/calls`, cookies: { td_sid: t.cookies.get('admin')! }, payload: callBody() });
    expect(withCookie.statusCode).toBe(401);
  });

  test('bad input from a correctly signed sender is 4xx naming the field, never 5xx, nothing stored', async () => {
    const calls = await callCount();
    const before = await t.auditCount();
    const cases: Array<[unknown, string]> = [
      [{ callId: 'x-1', startedAt: t.clock.now().toISOString() }, 'body.caller'],
      [callBody({ caller: 'DROP TABLE' }), 'body.caller'],
      [callBody({ startedAt: 'yesterday' }), 'body.startedAt'],
      [callBody({ endedAt: new Date(t.clock.now().getTime() - 60_000).toISOString() }), 'body.endedAt'],
      [callBody({ recordingUrl: 'javascript:alert(1)' }), 'body.recordingUrl'],
      [callBody({ extra: 1 }), 'body.extra'],
      [callBody({ callId: '' }), 'body.callId'],
    ];
    for (const [body, field] of cases) {
      const res = await push(phone, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.fields.map((f: { field: string }) => f.field), JSON.stringify(body)).toContain(field);
    }
    const notJson = await push(phone, null, { raw: '{"callId":' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe('invalid_json');
    const text = await t.app.inject({ method: 'POST', url: `/api/integrations/${phone.id}/calls`, payload: 'hello', headers: { 'content-type': 'text/plain', 'x-towerdesk-signature': signatureHeader(phone.secret, unix(), 'hello') } });
    expect(text.statusCode).toBe(415);
    const big = await push(phone, { callId: 'x'.repeat(70_000) });
    expect(big.statusCode).toBe(413);
    expect(await callCount()).toBe(calls);
    expect(await t.auditCount()).toBe(before);
  });

  test('RP-1 over real HTTP with the Node example of docs/integrations.md (fetch, signed body bytes)', async () => {
    // The sender's clock is the server's here: the test clock is pinned, so sign with it.
    async function pushCall(url: string, secret: string, call: unknown) {
      const body = JSON.stringify(call);
      const ts = unix();
      const v1 = crypto.createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-towerdesk-signature': `t=${ts},v1=${v1}` }, body });
      return { status: res.status, json: await res.json() as Record<string, unknown> };
    }
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const call = callBody({ caller: '138 0000 0001' });
    const first = await pushCall(`${base}${phone.callsUrl}`, phone.secret, call);
    expect(first).toMatchObject({ status: 201, json: { created: true, occupantId: w.occAId } });
    const again = await pushCall(`${base}${phone.callsUrl}`, phone.secret, call);
    expect(again).toMatchObject({ status: 401, json: { error: { code: 'replay' } } });
    t.clock.advance(1); // a retry signs again, with a new t
    const retry = await pushCall(`${base}${phone.callsUrl}`, phone.secret, call);
    expect(retry).toMatchObject({ status: 200, json: { created: false, id: first.json.id } });
  });

  test('signature header parsing: t and one or more v1; anything else is refused', () => {
    const v = 'a'.repeat(64);
    expect(parseSignatureHeader(`t=1732410000,v1=${v}`)).toEqual({ t: '1732410000', v1: [v] });
    expect(parseSignatureHeader(`t=1,v1=${v},v1=${'b'.repeat(64)},v0=zz`)?.v1).toHaveLength(2);
    expect(parseSignatureHeader(`v1=${v}`)).toBeNull();
    expect(parseSignatureHeader('t=1,v1=abc')).toBeNull();
    expect(parseSignatureHeader('')).toBeNull();
  });
});

describe('RP-1 CS-5 the desk sees who calls and records the call', () => {
  test('RP-1 CS-5 recent calls list the matched occupant and company, caller masked; a reception from a call links the work item', async () => {
    const body = callBody({ caller: '13800000001', endedAt: new Date(t.clock.now().getTime() + 90_000).toISOString() });
    const pushed = await push(phone, body);
    expect(pushed.statusCode).toBe(201);
    const list = await t.as('agent', { method: 'GET', url: `/api/phone-calls?since=${encodeURIComponent(new Date(t.clock.now().getTime() - 60_000).toISOString())}` });
    expect(list.statusCode, list.body).toBe(200);
    const call = list.json().items.find((c: { externalId: string }) => c.externalId === body.callId);
    expect(call).toMatchObject({ caller: '138****0001', durationSeconds: 90, receptionId: null, matches: [{ occupantId: w.occAId, name: '王甲', company: { id: w.companyAId, name: '甲公司' } }] });
    expect(list.body).not.toContain('13800000001');

    const before = await t.auditCount();
    const rec = await t.as('agent', { method: 'POST', url: `/api/phone-calls/${call.id}/reception`, payload: { topic: 'repair', summary: '来电报修：1201 灯不亮', actionTaken: '已建报修单' } });
    expect(rec.statusCode, rec.body).toBe(201);
    expect(rec.json()).toMatchObject({ channel: 'call', callId: call.id, occupant: { id: w.occAId }, company: { id: w.companyAId }, contactPhone: '138****0001', at: body.startedAt });
    expect(await t.auditCount()).toBe(before + 1);
    const twice = await t.as('agent', { method: 'POST', url: `/api/phone-calls/${call.id}/reception`, payload: { topic: 'repair', summary: 'again' } });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('call_has_reception');

    const item = await t.as('agent', { method: 'POST', url: '/api/work-items', payload: { kind: 'repair', category: 'electrical.lighting', placeId: w.unitAId, description: '灯不亮', occupantId: w.occAId, channel: 'phone' } });
    const linked = await t.as('agent', { method: 'POST', url: `/api/receptions/${rec.json().id}/link`, payload: { workItemId: item.json().id } });
    expect(linked.statusCode).toBe(200);
    const after = (await t.as('agent', { method: 'GET', url: '/api/phone-calls' })).json().items.find((c: { id: string }) => c.id === call.id);
    expect(after).toMatchObject({ receptionId: rec.json().id, workItems: [{ id: item.json().id, number: item.json().number }] });
  });

  test('CS-5 a company line shared by two occupants names nobody; the desk chooses', async () => {
    const [a] = await t.db.insert(occupants).values({ siteId: w.siteId, companyId: w.companyBId, name: '前台甲', phone: '021-62345678', unitIds: [w.unitBId] }).returning();
    await t.db.insert(occupants).values({ siteId: w.siteId, companyId: w.companyBId, name: '前台乙', phone: '02162345678', unitIds: [w.unitBId] });
    const pushed = await push(phone, callBody({ caller: '62345678' }));
    expect(pushed.json()).toMatchObject({ occupantId: null, matches: 2 });
    const call = (await t.as('agent', { method: 'GET', url: '/api/phone-calls' })).json().items.find((c: { id: string }) => c.id === pushed.json().id);
    expect(call.matches.map((m: { name: string }) => m.name)).toEqual(['前台乙', '前台甲'].sort((x, y) => x.localeCompare(y)));
    const none = await t.as('agent', { method: 'POST', url: `/api/phone-calls/${call.id}/reception`, payload: { topic: 'inquiry', summary: '咨询停车' } });
    expect(none.json()).toMatchObject({ occupant: null, contactPhone: '****5678' });
    const withheld = await push(phone, callBody({ caller: 'anonymous' }));
    expect(withheld.json()).toMatchObject({ occupantId: null, matches: 0 });
    const anon = (await t.as('agent', { method: 'GET', url: '/api/phone-calls' })).json().items.find((c: { id: string }) => c.id === withheld.json().id);
    expect(anon.caller).toBe('anonymous');
    const chosen = await t.as('agent', { method: 'POST', url: `/api/phone-calls/${anon.id}/reception`, payload: { topic: 'complaint', summary: '匿名投诉噪音', occupantId: a!.id } });
    expect(chosen.statusCode, chosen.body).toBe(201);
    expect(chosen.json()).toMatchObject({ occupant: { id: a!.id }, contactPhone: null });
    expect((await t.as('owner_rep', { method: 'GET', url: '/api/phone-calls' })).statusCode).toBe(403);
    expect((await t.as('agent', { method: 'POST', url: `/api/phone-calls/${crypto.randomUUID()}/reception`, payload: { topic: 'other', summary: 'x' } })).statusCode).toBe(404);
  });
});
