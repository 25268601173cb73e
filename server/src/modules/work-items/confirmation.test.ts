import { describe, expect, test } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testApp } from '../../../test/harness.ts';
import { auditLog } from '../audit/schema.ts';
import { attachments } from '../attachments/schema.ts';
import { places } from '../places/schema.ts';
import { workItemEvents, workItems } from './schema.ts';

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
async function inRepair(who: 'occupant' | 'agent' = 'occupant') {
  const res = await t.as(who, { method: 'POST', url: '/api/work-items', payload: { kind: 'repair', category: 'electrical.lighting', placeId: w.unitAId, description: '灯管不亮' } });
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id as string;
  expect((await act('agent', id, 'assign', { assigneeStaffId: w.techStaffId })).statusCode).toBe(200);
  expect((await act('technician', id, 'accept')).statusCode).toBe(200);
  expect((await act('technician', id, 'arrive', { qrToken: await tokenOf(w.unitAId) })).statusCode).toBe(200);
  expect((await act('technician', id, 'start')).statusCode).toBe(200);
  return id;
}

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
    // A colleague who is not the company's admin contact does not see it; another company not even the item.
    expect((await get('occupantA2', id)).confirmationCode ?? null).toBeNull();
    expect((await t.as('occupantB', { method: 'GET', url: `/api/work-items/${id}` })).statusCode).toBe(404);
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
