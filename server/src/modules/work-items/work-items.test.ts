import { describe, expect, test } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { openDatabase } from '../../db/index.ts';
import { testApp } from '../../../test/harness.ts';
import { places } from '../places/schema.ts';
import { notifications } from '../notifications/schema.ts';
import { workItemEvents } from './schema.ts';
import { sweepClocks } from './sweep.ts';

const t = await testApp();
const w = t.world;
for (const who of ['admin', 'agent', 'supervisor', 'technician', 'occupant', 'occupantA2', 'occupantB', 'owner_rep']) await t.login(who);
/** Moves the clock; sessions would idle out across the jump, so everyone signs in again. */
const at = (iso: string) => { t.clock.set(iso); t.cookies.clear(); };
const tokenOf = async (placeId: string) => (await t.db.select({ q: places.qrToken }).from(places).where(eq(places.id, placeId)))[0]!.q;

type Item = { id: string; number: string; state: string; urgency: string; clocks: Array<{ clock: string; dueAt: string; met: boolean | null; running: boolean }>; can: string[]; timeline: Array<{ type: string; action: string | null; public: boolean }>; arrivalProof: string | null; scheduledFor: string | null };
async function report(who: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return t.as(who, { method: 'POST', url: '/api/work-items', payload: { kind: 'repair', category: 'plumbing.leak', placeId: w.unitAId, description: '天花板漏水，地面已有积水', ...body }, headers });
}
const act = (who: string, id: string, action: string, body: Record<string, unknown> = {}) => t.as(who, { method: 'POST', url: `/api/work-items/${id}/actions/${action}`, payload: body });
const get = async (who: string, id: string) => (await t.as(who, { method: 'GET', url: `/api/work-items/${id}` })).json() as Item;
const clock = (item: Item, name: string) => item.clocks.find((c) => c.clock === name)!;

describe('RP-1 RP-2 RP-3 intake and the urgent repair', () => {
  test('an occupant reports a leak: numbered BX-day-seq, urgent by category, arrival due in 30 minutes 24×7', async () => {
    at('2026-11-24T09:00:00+08:00');
    const res = await report('occupant', {});
    expect(res.statusCode, res.body).toBe(201);
    const item = res.json() as Item;
    expect(item.number).toBe('BX-20261124-0001');
    expect(item).toMatchObject({ state: 'new', urgency: 'urgent' });
    expect(clock(item, 'arrival').dueAt).toBe(new Date('2026-11-24T09:30:00+08:00').toISOString());
    const second = (await report('occupant', { category: 'electrical.lighting', urgency: undefined })).json() as Item;
    expect(second.number).toBe('BX-20261124-0002');
    expect(second.urgency).toBe('normal');
  });

  test('RP-3 RP-4 dispatched, accepted, arrival proven by scanning the place QR; a wrong place is 422 and records nothing', async () => {
    at('2026-11-24T10:00:00+08:00');
    const item = (await report('occupant', {})).json() as Item;
    // Not assigned yet, so outside the technician's scope: 404, as for any id they may not see.
    expect((await act('technician', item.id, 'assign', { assigneeStaffId: w.techStaffId })).statusCode).toBe(404);
    expect((await act('occupant', item.id, 'assign', { assigneeStaffId: w.techStaffId })).statusCode).toBe(403);
    const assigned = await act('agent', item.id, 'assign', { assigneeStaffId: w.techStaffId });
    expect(assigned.statusCode, assigned.body).toBe(200);
    expect((await act('technician', item.id, 'accept')).statusCode).toBe(200);
    t.clock.advance(12);
    const wrong = await act('technician', item.id, 'arrive', { qrToken: await tokenOf(w.unitBId) });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.code).toBe('wrong_place');
    expect((await get('agent', item.id)).state).toBe('accepted');
    const parent = await act('technician', item.id, 'arrive', { qrToken: await tokenOf(w.floor12Id) });
    expect(parent.statusCode).toBe(422);
    const ok = await act('technician', item.id, 'arrive', { qrToken: await tokenOf(w.unitAId) });
    expect(ok.statusCode, ok.body).toBe(200);
    const after = ok.json() as Item;
    expect(after).toMatchObject({ state: 'on_site', arrivalProof: 'qr' });
    expect(clock(after, 'arrival')).toMatchObject({ met: true, running: false });
  });

  test('a manual arrival needs a reason and is marked unproven', async () => {
    const item = (await report('occupant', {})).json() as Item;
    await act('agent', item.id, 'assign', { assigneeStaffId: w.techStaffId });
    await act('technician', item.id, 'accept');
    const noReason = await act('technician', item.id, 'arrive');
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.fields[0].field).toBe('body.reason');
    const manual = await act('technician', item.id, 'arrive', { reason: '二维码标签被遮挡' });
    expect(manual.json()).toMatchObject({ arrivalProof: 'manual', state: 'on_site' });
  });
});

describe('RP-4 SEC-1 transitions by role and scope', () => {
  test('only the assignee accepts; the owner\'s representative only reads; a racing second transition gets 409', async () => {
    const item = (await report('occupant', {})).json() as Item;
    expect((await act('owner_rep', item.id, 'assign', { assigneeStaffId: w.techStaffId })).statusCode).toBe(403);
    expect((await act('occupant', item.id, 'complete')).statusCode).toBe(409);
    await act('agent', item.id, 'assign', { assigneeStaffId: w.techStaffId });
    expect((await act('supervisor', item.id, 'accept')).statusCode).toBe(403);
    const [a, b] = await Promise.all([act('technician', item.id, 'accept'), act('technician', item.id, 'accept')]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const events = await t.db.select().from(workItemEvents).where(and(eq(workItemEvents.itemId, item.id), eq(workItemEvents.action, 'accept')));
    expect(events).toHaveLength(1);
  });

  test('the occupant of company B never sees company A\'s items; a member sees only their own; the company admin sees the company\'s', async () => {
    const byAdmin = (await report('occupant', {})).json() as Item;
    const byMember = (await report('occupantA2', {})).json() as Item;
    expect((await t.as('occupantB', { method: 'GET', url: `/api/work-items/${byAdmin.id}` })).statusCode).toBe(404);
    expect((await act('occupantB', byAdmin.id, 'cancel', { reason: 'x' })).statusCode).toBe(404);
    const listB = (await t.as('occupantB', { method: 'GET', url: '/api/work-items' })).json();
    expect(listB.items.map((i: Item) => i.id)).not.toContain(byAdmin.id);
    expect((await t.as('occupantA2', { method: 'GET', url: `/api/work-items/${byAdmin.id}` })).statusCode).toBe(404);
    expect((await t.as('occupant', { method: 'GET', url: `/api/work-items/${byMember.id}` })).statusCode).toBe(200);
  });

  test('the occupant sees only the public timeline; internal notes stay with staff', async () => {
    const item = (await report('occupant', {})).json() as Item;
    await t.as('agent', { method: 'POST', url: `/api/work-items/${item.id}/comments`, payload: { body: '内部：联系物业工程部主管', public: false } });
    await t.as('agent', { method: 'POST', url: `/api/work-items/${item.id}/comments`, payload: { body: '已安排维修人员', public: true } });
    const seen = await get('occupant', item.id);
    expect(seen.timeline.every((e) => e.public)).toBe(true);
    expect(seen.timeline.filter((e) => e.type === 'comment')).toHaveLength(1);
    expect((await get('agent', item.id)).timeline.filter((e) => e.type === 'comment')).toHaveLength(2);
  });
});

describe('CS-2 RP-10 off-hours rule on the working calendar', () => {
  test('a normal repair on Saturday is accepted and its response clock starts Monday 09:00', async () => {
    at('2026-11-28T10:00:00+08:00');
    const item = (await report('occupant', { category: 'electrical.lighting' })).json() as Item;
    expect(item.urgency).toBe('normal');
    expect(item.scheduledFor).toBe(new Date('2026-11-30T09:00:00+08:00').toISOString());
    expect(clock(item, 'response').dueAt).toBe(new Date('2026-11-30T11:00:00+08:00').toISOString());
  });

  test('RP-3 an urgent report Saturday 23:50 is due on site 00:20 Sunday', async () => {
    at('2026-11-28T23:50:00+08:00');
    const item = (await report('occupant', {})).json() as Item;
    expect(item.scheduledFor).toBeNull();
    expect(clock(item, 'arrival').dueAt).toBe(new Date('2026-11-29T00:20:00+08:00').toISOString());
  });
});

describe('CP-4 RP-3 the sweep fires warnings, breach and escalation exactly once', () => {
  test('moving the clock: warn 50 %, warn 80 %, breach, escalation level 2 — each once, also with two processes sweeping', async () => {
    at('2026-11-25T14:00:00+08:00');
    const item = (await report('occupant', {})).json() as Item;
    const other = openDatabase(t.database.url, 3);
    const fired = async () => (await t.db.select().from(workItemEvents).where(and(eq(workItemEvents.itemId, item.id), eq(workItemEvents.type, 'clock')))).map((e) => `${e.action}:${e.body}`);
    const sweepBoth = async (iso: string) => {
      const now = new Date(iso);
      await Promise.all([sweepClocks(t.db, now), sweepClocks(other.db, now)]);
    };
    await sweepBoth('2026-11-25T14:14:00+08:00');
    expect((await fired()).filter((e) => e.startsWith('warning'))).toEqual([]);
    await sweepBoth('2026-11-25T14:15:00+08:00');
    await sweepBoth('2026-11-25T14:16:00+08:00');
    expect((await fired()).filter((e) => e === 'warning:arrival')).toHaveLength(1);
    await sweepBoth('2026-11-25T14:25:00+08:00');
    expect((await fired()).filter((e) => e === 'warning:arrival')).toHaveLength(2);
    await sweepBoth('2026-11-25T14:31:00+08:00');
    await sweepBoth('2026-11-25T14:32:00+08:00');
    expect((await fired()).filter((e) => e === 'breach:arrival')).toHaveLength(1);
    await sweepBoth('2026-11-25T15:05:00+08:00');
    await sweepBoth('2026-11-25T15:06:00+08:00');
    const escalations = (await t.db.select().from(workItemEvents).where(and(eq(workItemEvents.itemId, item.id), eq(workItemEvents.action, 'escalation')))).filter((e) => e.body === 'arrival');
    expect(escalations.map((e) => (e.data as { level: number }).level).sort()).toEqual([1, 2]);
    // Each notice reached each recipient once.
    const notes = await t.db.select().from(notifications).where(eq(notifications.entityId, item.id));
    const keys = notes.map((n) => `${n.accountId}:${n.kind}:${n.titleZh}`);
    expect(new Set(keys).size).toBe(keys.length);
    await other.close();
  });
});

describe('Idempotency-Key on creation', () => {
  test('a retry with the same key gets the first item; the same key with another body is refused', async () => {
    const headers = { 'idempotency-key': 'retry-test-0001' };
    const [a, b] = await Promise.all([report('occupant', {}, headers), report('occupant', {}, headers)]);
    expect(a.statusCode).toBe(201);
    expect(b.statusCode).toBe(201);
    expect(a.json().id).toBe(b.json().id);
    const c = await report('occupant', {}, headers);
    expect(c.json().id).toBe(a.json().id);
    const d = await report('occupant', { description: '别的内容' }, headers);
    expect(d.statusCode).toBe(422);
  });
});

describe('RP-5 photos: completion needs an after-photo; photos follow the item\'s visibility', () => {
  const sharpPhoto = async () => (await import('sharp')).default({ create: { width: 64, height: 48, channels: 3, background: '#3a7' } }).jpeg().toBuffer();
  async function upload(who: string) {
    const boundary = 'wiTestBoundary';
    const payload = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`), await sharpPhoto(), Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const res = await t.as(who, { method: 'POST', url: '/api/uploads', payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json()[0].id as string;
  }

  test('report with a photo, complete only with an after-photo, occupant rates and closes; company B cannot see the photo', async () => {
    at('2026-11-26T10:00:00+08:00');
    const before = await upload('occupant');
    const created = await report('occupant', { attachmentIds: [before] });
    expect(created.statusCode, created.body).toBe(201);
    const item = created.json() as Item & { attachments: Array<{ id: string; role: string; url: string }> };
    expect(item.attachments).toEqual([expect.objectContaining({ id: before, role: 'before' })]);
    await act('agent', item.id, 'assign', { assigneeStaffId: w.techStaffId });
    await act('technician', item.id, 'accept');
    await act('technician', item.id, 'arrive', { qrToken: await tokenOf(w.unitAId) });
    await act('technician', item.id, 'start');
    const noPhoto = await act('technician', item.id, 'complete', { note: '已更换水管接头' });
    expect(noPhoto.statusCode).toBe(400);
    expect(noPhoto.json().error.fields[0]).toMatchObject({ field: 'body.attachmentIds', code: 'required' });
    const after = await upload('technician');
    const done = await act('technician', item.id, 'complete', { note: '已更换水管接头', attachmentIds: [after], confirmationReason: '租户外出，未能当面确认' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().state).toBe('completed');
    expect(clock(done.json(), 'resolution')).toMatchObject({ met: true });
    const rated = await act('occupant', item.id, 'close', { rating: 5, note: '师傅很快' });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json()).toMatchObject({ state: 'closed', rating: 5 });
    expect((await t.as('occupant', { method: 'GET', url: `/api/attachments/${after}/content?size=thumb` })).statusCode).toBe(200);
    expect((await t.as('occupantB', { method: 'GET', url: `/api/attachments/${before}/content` })).statusCode).toBe(404);
  });

  test('RP-5 the repair record: a photo at arrival is a before-photo; completion records materials and labour minutes; bad values are 400 and change nothing', async () => {
    at('2026-11-26T14:00:00+08:00');
    const item = (await report('occupant', {})).json() as Item;
    await act('agent', item.id, 'assign', { assigneeStaffId: w.techStaffId });
    await act('technician', item.id, 'accept');
    const onSite = await upload('technician');
    expect((await act('technician', item.id, 'arrive', { qrToken: await tokenOf(w.unitAId), attachmentIds: [onSite] })).statusCode).toBe(200);
    await act('technician', item.id, 'start');
    const after = await upload('technician');
    const bad = await act('technician', item.id, 'complete', { attachmentIds: [after], confirmationReason: '无人', labourMinutes: -5, materials: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['body.labourMinutes', 'body.materials']);
    expect((await get('technician', item.id)).state).toBe('in_progress');
    const done = await act('technician', item.id, 'complete', { attachmentIds: [after], confirmationReason: '租户外出', materials: 'PPR 管接头 ×2，生料带 1 卷', labourMinutes: 45 });
    expect(done.statusCode, done.body).toBe(200);
    const view = done.json() as Item & { materials: string; labourMinutes: number; attachments: Array<{ id: string; role: string }> };
    expect(view).toMatchObject({ materials: 'PPR 管接头 ×2，生料带 1 卷', labourMinutes: 45 });
    expect(view.attachments.map((a) => [a.id, a.role]).sort()).toEqual([[after, 'after'], [onSite, 'before']].sort());
    // The occupant sees the same record of what was done.
    expect(await get('occupant', item.id)).toMatchObject({ materials: 'PPR 管接头 ×2，生料带 1 卷', labourMinutes: 45 });
  });

  test('a photo on an internal note is not shown to the occupant', async () => {
    const item = (await report('occupant', {})).json() as Item;
    const internal = await upload('agent');
    await t.as('agent', { method: 'POST', url: `/api/work-items/${item.id}/comments`, payload: { body: '现场照片（内部）', public: false, attachmentIds: [internal] } });
    expect((await t.as('agent', { method: 'GET', url: `/api/attachments/${internal}/content` })).statusCode).toBe(200);
    expect((await t.as('occupant', { method: 'GET', url: `/api/attachments/${internal}/content` })).statusCode).toBe(404);
    expect(((await get('occupant', item.id)) as unknown as { attachments: unknown[] }).attachments).toEqual([]);
  });

  test('cancelling abandons the clocks: no warning or breach fires for a cancelled item', async () => {
    at('2026-11-26T11:00:00+08:00');
    const item = (await report('occupant', {})).json() as Item;
    expect((await act('occupant', item.id, 'cancel', { reason: '已自行处理' })).statusCode).toBe(200);
    await sweepClocks(t.db, new Date('2026-11-26T16:00:00+08:00'));
    const fired = await t.db.select().from(workItemEvents).where(and(eq(workItemEvents.itemId, item.id), eq(workItemEvents.type, 'clock')));
    expect(fired.map((e) => e.action).filter((a) => a === 'warning' || a === 'breach')).toEqual([]);
    expect(fired.map((e) => e.action)).toContain('abandoned');
  });
});

describe('RP-2 CS-3 an urgent repair goes straight to the on-call technician of its trade', () => {
  test('night shift on call: the urgent power outage is assigned and paged at once; the arrival clock keeps counting from the report', async () => {
    const { dutyShifts } = await import('../duty/schema.ts');
    await t.db.insert(dutyShifts).values({ siteId: w.siteId, staffId: w.techStaffId, trade: 'electrical', startsAt: new Date('2026-11-27T17:00:00+08:00'), endsAt: new Date('2026-11-28T09:00:00+08:00'), kind: 'night' });
    at('2026-11-27T22:10:00+08:00');
    const res = await report('occupant', { category: 'electrical.power_outage', description: '整层停电' });
    expect(res.statusCode, res.body).toBe(201);
    const item = res.json() as Item & { assignee: { id: string } | null };
    expect(item).toMatchObject({ state: 'assigned', urgency: 'urgent', assignee: { id: w.techStaffId } });
    expect(clock(item, 'arrival').dueAt).toBe(new Date('2026-11-27T22:40:00+08:00').toISOString());
    const paged = await t.db.select().from(notifications).where(and(eq(notifications.entityId, item.id), eq(notifications.accountId, w.accountIds.technician)));
    expect(paged.map((n) => n.kind)).toContain('work_item.assigned');
    expect((await act('technician', item.id, 'accept')).statusCode).toBe(200);
  });

  test('with nobody on call the urgent item stays with the desk, unassigned', async () => {
    at('2026-11-29T03:00:00+08:00');
    const item = (await report('occupant', { category: 'electrical.power_outage' })).json() as Item & { assignee: unknown };
    expect(item).toMatchObject({ state: 'new', assignee: null });
  });
});
