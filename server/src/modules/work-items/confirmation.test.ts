import { describe, expect, test } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testApp } from '../../../test/harness.ts';
import { auditLog } from '../audit/schema.ts';
import { attachments } from '../attachments/schema.ts';
import { places } from '../places/schema.ts';
import { revisits, workItemEvents, workItems } from './schema.ts';

const t = await testApp();
const w = t.world;
t.clock.set('2026-11-24T10:00:00+08:00');

type View = { id: string; state: string; confirmationCode: string | null; confirmedBy: string | null; confirmationReason: string | null; attachments: Array<{ id: string; role: string }>; timeline: Array<{ action: string | null; data: { confirmation?: unknown } | null }> };
const act = (who: string, id: string, action: string, body: Record<string, unknown> = {}) => t.as(who, { method: 'POST', url: `/api/work-items/${id}/actions/${action}`, payload: body });
const get = async (who: string, id: string) => (await t.as(who, { method: 'GET', url: `/api/work-items/${id}` })).json() as View;
const tokenOf = async (placeId: string) => (await t.db.select({ q: places.qrToken }).from(places).where(eq(places.id, placeId)))[0]!.q;

async function upload(who: string, format: 'jpeg' | 'png' = 'jpeg') {
  const sharp = (await import('sharp')).default;
  const img = sharp({ create: { width: 64, height: 32, channels: 3, background: '#fff' } });
  const bytes = await (format === 'png' ? img.png() : img.jpeg()).toBuffer();
  const b = 'cfBoundary';
  const res = await t.as(who, {
    method: 'POST', url: '/api/uploads', headers: { 'content-type': `multipart/form-data; boundary=${b}` },
    payload: Buffer.concat([Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="x.${format}"\r\nContent-Type: image/${format}\r\n\r\n`), bytes, Buffer.from(`\r\n--${b}--\r\n`)]),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json()[0].id as string;
}

/** A repair the occupant reported (or the desk filed with no occupant), worked up to 维修中 by the technician. */
async function inRepair(who: 'occupant' | 'occupantA2' | 'agent' = 'occupant') {
  const res = await t.as(who, { method: 'POST', url: '/api/work-items', payload: { kind: 'repair', category: 'electrical.lighting', placeId: w.unitAId, description: '灯管不亮' } });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  expect((await act('agent', id, 'assign', { assigneeStaffId: w.techStaffId })).statusCode).toBe(200);
  expect((await act('technician', id, 'accept')).statusCode).toBe(200);
  expect((await act('technician', id, 'arrive', { qrToken: await tokenOf(w.unitAId) })).statusCode).toBe(200);
  expect((await act('technician', id, 'start')).statusCode).toBe(200);
  return id;
}

/** Every string value inside a JSON value (keys excluded). */
const stringsIn = (v: unknown): string[] => typeof v === 'string' ? [v] : v && typeof v === 'object' ? Object.values(v).flatMap(stringsIn) : [];

describe('RP-5 occupant confirmation at completion', () => {
  test('RP-5 SEC-1 the reporting occupant and the desk see the 4-digit code; the technician never receives it', async () => {
    const id = await inRepair();
    const code = (await get('occupant', id)).confirmationCode;
    expect(code).toMatch(/^\d{4}$/);
    expect((await get('agent', id)).confirmationCode).toBe(code);
    // The technician: detail, list and the answer to an action all carry null.
    expect((await get('technician', id)).confirmationCode).toBeNull();
    const list = (await t.as('technician', { method: 'GET', url: '/api/work-items?mine=true' })).json() as { items: Array<{ id: string; confirmationCode: string | null }> };
    expect(list.items.find((i) => i.id === id)?.confirmationCode).toBeNull();
    const paused = await act('technician', id, 'wait_parts', { expectedDate: '2026-11-26' });
    expect(paused.json().confirmationCode).toBeNull();
    // A colleague who is not the company's admin contact does not see the item, nor does another company.
    expect((await t.as('occupantA2', { method: 'GET', url: `/api/work-items/${id}` })).statusCode).toBe(404);
    expect((await t.as('occupantB', { method: 'GET', url: `/api/work-items/${id}` })).statusCode).toBe(404);
  });

  test('RP-5 SEC-1 the company\'s admin contact sees the code of a colleague\'s repair; the owner\'s representative does not', async () => {
    const id = await inRepair('occupantA2');
    const code = (await get('occupantA2', id)).confirmationCode;
    expect(code).toMatch(/^\d{4}$/);
    // 'occupant' is 王甲, the admin contact of 甲公司; 赵甲 (occupantA2) is a plain member.
    expect((await get('occupant', id)).confirmationCode).toBe(code);
    const rep = await t.as('owner_rep', { method: 'GET', url: `/api/work-items/${id}` });
    expect(rep.statusCode).toBe(200);
    expect(rep.json().confirmationCode).toBeNull();
    const list = (await t.as('owner_rep', { method: 'GET', url: '/api/work-items?open=true&limit=100' })).json() as { items: Array<{ id: string; confirmationCode: string | null }> };
    expect(list.items.find((i) => i.id === id)).toMatchObject({ confirmationCode: null });
  });

  test('RP-5 SEC-2 the audit rows of the item never carry the code (create, complete)', async () => {
    const id = await inRepair();
    const code = (await get('occupant', id)).confirmationCode!;
    expect((await act('technician', id, 'complete', { attachmentIds: [await upload('technician')], confirmationCode: code })).statusCode).toBe(200);
    const rows = await t.db.select().from(auditLog).where(eq(auditLog.entityId, id));
    const created = rows.find((r) => r.action === 'repair.create')!;
    expect((created.after as Record<string, unknown>).confirmationCode).toBe('[redacted]');
    expect(rows.find((r) => r.action === 'repair.complete')).toBeDefined();
    // No value anywhere in any row's before/after is the code (a 4-digit string may sit inside a date, so whole values).
    for (const r of rows) expect(stringsIn([r.before, r.after]), r.action).not.toContain(code);
  });

  test('RP-5 the right code completes, and the item and its timeline say it was confirmed by code', async () => {
    const id = await inRepair();
    const code = (await get('occupant', id)).confirmationCode!;
    const res = await act('technician', id, 'complete', { attachmentIds: [await upload('technician')], confirmationCode: code, note: '已更换灯管' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'completed', confirmedBy: 'code', confirmationReason: null, confirmationCode: null });
    const seen = await get('agent', id);
    expect(seen.confirmedBy).toBe('code');
    expect(seen.timeline.find((e) => e.action === 'complete')?.data?.confirmation).toMatchObject({ by: 'code', reason: null });
  });

  test('RP-5 a wrong code is 422 naming confirmationCode, and nothing changes (state, photo, timeline, audit)', async () => {
    const id = await inRepair();
    const code = (await get('occupant', id)).confirmationCode!;
    const wrongCode = String((Number(code) + 1) % 10_000).padStart(4, '0');
    const photo = await upload('technician');
    const events = await t.db.$count(workItemEvents, eq(workItemEvents.itemId, id));
    const audits = await t.db.$count(auditLog, eq(auditLog.entityId, id));
    const res = await act('technician', id, 'complete', { attachmentIds: [photo], confirmationCode: wrongCode });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.fields[0]).toMatchObject({ field: 'body.confirmationCode', code: 'wrong_code' });
    expect(res.json().error.message).toBe('确认码不正确，请让报修人查看手机上的确认码');
    const [row] = await t.db.select().from(workItems).where(eq(workItems.id, id));
    expect(row).toMatchObject({ state: 'in_progress', completedAt: null, confirmedBy: null });
    expect((await t.db.select().from(attachments).where(eq(attachments.id, photo)))[0]!.entityId).toBeNull();
    expect(await t.db.$count(workItemEvents, eq(workItemEvents.itemId, id))).toBe(events);
    expect(await t.db.$count(auditLog, eq(auditLog.entityId, id))).toBe(audits);
    // The same photo then goes with the right code.
    expect((await act('technician', id, 'complete', { attachmentIds: [photo], confirmationCode: code })).statusCode).toBe(200);
  });

  test('RP-5 SEC-1 guessing the code is throttled: after 5 wrong codes the next try must wait, then the right code still works', async () => {
    t.clock.set('2026-11-24T14:00:00+08:00');
    t.cookies.clear();
    const id = await inRepair();
    const code = (await get('occupant', id)).confirmationCode!;
    const photo = await upload('technician');
    const wrong = Array.from({ length: 6 }, (_, i) => String((Number(code) + 1 + i) % 10_000).padStart(4, '0'));
    for (const w5 of wrong.slice(0, 5)) expect((await act('technician', id, 'complete', { attachmentIds: [photo], confirmationCode: w5 })).statusCode).toBe(422);
    const held = await act('technician', id, 'complete', { attachmentIds: [photo], confirmationCode: code });
    expect(held.statusCode).toBe(429);
    expect(Number(held.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(1);
    t.cookies.clear();
    expect((await act('technician', id, 'complete', { attachmentIds: [photo], confirmationCode: code })).statusCode).toBe(200);
  });

  test('RP-5 SEC-1 20 wrong codes sent at once take turns: at most 5 are judged (422), the rest must wait (429); the item is unchanged and the right code works after the wait', async () => {
    t.clock.set('2026-11-24T16:00:00+08:00');
    t.cookies.clear();
    const id = await inRepair();
    const code = (await get('occupant', id)).confirmationCode!;
    const photo = await upload('technician');
    const wrong = Array.from({ length: 20 }, (_, i) => String((Number(code) + 1 + i) % 10_000).padStart(4, '0'));
    const res = await Promise.all(wrong.map((c) => act('technician', id, 'complete', { attachmentIds: [photo], confirmationCode: c })));
    const statuses = res.map((r) => r.statusCode);
    expect(statuses.filter((s) => s !== 422 && s !== 429), statuses.join()).toEqual([]);
    expect(statuses.filter((s) => s === 422).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 422).length).toBeGreaterThan(0);
    const [row] = await t.db.select().from(workItems).where(eq(workItems.id, id));
    expect(row).toMatchObject({ state: 'in_progress', completedAt: null, confirmedBy: null });
    // Even the right code waits its turn now.
    expect((await act('technician', id, 'complete', { attachmentIds: [photo], confirmationCode: code })).statusCode).toBe(429);
    t.clock.advance(1);
    t.cookies.clear();
    const done = await act('technician', id, 'complete', { attachmentIds: [photo], confirmationCode: code });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ state: 'completed', confirmedBy: 'code' });
  });

  test('RP-5 a reopened repair has a new code (the technician saw the old one), and the old code no longer completes it', async () => {
    t.clock.set('2026-11-25T10:00:00+08:00');
    t.cookies.clear();
    const id = await inRepair();
    const first = (await get('occupant', id)).confirmationCode!;
    expect((await act('technician', id, 'complete', { attachmentIds: [await upload('technician')], confirmationCode: first })).statusCode).toBe(200);
    const reopened = await act('occupant', id, 'reopen', { reason: '灯又不亮了' });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json()).toMatchObject({ state: 'new', reopenCount: 1, confirmedBy: null, confirmationReason: null, completedAt: null });
    const second = reopened.json().confirmationCode as string;
    expect(second).toMatch(/^\d{4}$/);
    expect(second).not.toBe(first);
    expect((await get('agent', id)).confirmationCode).toBe(second);
    // Worked again: the old code is refused, the new one completes.
    expect((await act('agent', id, 'assign', { assigneeStaffId: w.techStaffId })).statusCode).toBe(200);
    expect((await act('technician', id, 'accept')).statusCode).toBe(200);
    expect((await act('technician', id, 'arrive', { qrToken: await tokenOf(w.unitAId) })).statusCode).toBe(200);
    expect((await act('technician', id, 'start')).statusCode).toBe(200);
    const photo = await upload('technician');
    expect((await act('technician', id, 'complete', { attachmentIds: [photo], confirmationCode: first })).statusCode).toBe(422);
    const done = await act('technician', id, 'complete', { attachmentIds: [photo], confirmationCode: second });
    expect(done.statusCode, done.body).toBe(200);
    // The reopen's audit row carries no code either.
    const [audit] = await t.db.select().from(auditLog).where(and(eq(auditLog.entityId, id), eq(auditLog.action, 'repair.reopen')));
    expect(stringsIn([audit!.before, audit!.after])).not.toContain(second);
  });

  test('RP-5 RP-8 a repair reopened by a dissatisfied revisit also gets a new code, and its old confirmation is cleared', async () => {
    t.clock.set('2026-11-26T10:00:00+08:00');
    t.cookies.clear();
    const id = await inRepair();
    const first = (await get('occupant', id)).confirmationCode!;
    expect((await act('technician', id, 'complete', { attachmentIds: [await upload('technician')], confirmationCode: first })).statusCode).toBe(200);
    // Whatever the sample chose, the desk has a revisit to make.
    await t.db.delete(revisits).where(eq(revisits.itemId, id));
    const [rv] = await t.db.insert(revisits).values({ siteId: w.siteId, itemId: id, reason: 'sample', state: 'pending', createdAt: t.clock.now() }).returning();
    const res = await t.as('agent', { method: 'POST', url: `/api/revisits/${rv!.id}`, payload: { channel: 'phone', reached: true, satisfied: false, comment: '灯还在闪' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ followUp: 'reopened' });
    const [row] = await t.db.select().from(workItems).where(eq(workItems.id, id));
    expect(row).toMatchObject({ state: 'new', reopenCount: 1, confirmedBy: null, confirmationReason: null });
    expect(row!.confirmationCode).toMatch(/^\d{4}$/);
    expect(row!.confirmationCode).not.toBe(first);
    expect((await get('occupant', id)).confirmationCode).toBe(row!.confirmationCode);
  });

  test('RP-5 a signature drawn on the technician\'s phone completes; it is kept with the item as its signature image', async () => {
    const id = await inRepair();
    const signature = await upload('technician', 'png');
    const res = await act('technician', id, 'complete', { attachmentIds: [await upload('technician')], signatureAttachmentId: signature });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'completed', confirmedBy: 'signature' });
    expect((await get('agent', id)).attachments).toContainEqual(expect.objectContaining({ id: signature, role: 'signature' }));
    expect((await get('occupant', id)).attachments).toContainEqual(expect.objectContaining({ id: signature, role: 'signature' }));
  });

  test('RP-5 nobody there: completing with a reason is recorded as unconfirmed; with nothing at all it is refused', async () => {
    const id = await inRepair();
    const photo = await upload('technician');
    const bare = await act('technician', id, 'complete', { attachmentIds: [photo] });
    expect(bare.statusCode).toBe(400);
    expect(bare.json().error.fields).toEqual([expect.objectContaining({ field: 'body.confirmationCode', code: 'required' })]);
    const res = await act('technician', id, 'complete', { attachmentIds: [photo], confirmationReason: '租户外出，门卫陪同进入' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'completed', confirmedBy: null, confirmationReason: '租户外出，门卫陪同进入' });
    const [ev] = await t.db.select().from(workItemEvents).where(and(eq(workItemEvents.itemId, id), eq(workItemEvents.action, 'complete')));
    expect(ev!.data).toMatchObject({ confirmation: { by: null, reason: '租户外出，门卫陪同进入' } });
  });

  test('RP-5 an item no occupant reported (filed by the desk) completes without asking for a code', async () => {
    const id = await inRepair('agent');
    expect((await get('agent', id)).confirmationCode).toBeNull();
    const res = await act('technician', id, 'complete', { attachmentIds: [await upload('technician')] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'completed', confirmedBy: null, confirmationReason: null });
  });
});
