import { describe, expect, test } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { testApp } from '../../../test/harness.ts';
import { places } from '../places/schema.ts';
import { revisitReason } from './revisits.ts';
import { revisits, workItems } from './schema.ts';

const t = await testApp();
const w = t.world;
const at = (iso: string) => { t.clock.set(iso); t.cookies.clear(); };
const tokenOf = async (placeId: string) => (await t.db.select({ q: places.qrToken }).from(places).where(eq(places.id, placeId)))[0]!.q;
const act = (who: string, id: string, action: string, body: Record<string, unknown> = {}) => t.as(who, { method: 'POST', url: `/api/work-items/${id}/actions/${action}`, payload: body });
const create = async (body: Record<string, unknown>) => {
  const res = await t.as('occupant', { method: 'POST', url: '/api/work-items', payload: { placeId: w.unitAId, description: '测试', ...body } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; number: string };
};
/** Takes a repair from report to completion, with an after-photo uploaded by the technician. */
async function completedRepair(category: string) {
  const item = await create({ kind: 'repair', category });
  await act('agent', item.id, 'assign', { assigneeStaffId: w.techStaffId });
  await act('technician', item.id, 'accept');
  await act('technician', item.id, 'arrive', { qrToken: await tokenOf(w.unitAId) });
  const jpeg = await (await import('sharp')).default({ create: { width: 8, height: 8, channels: 3, background: '#888' } }).jpeg().toBuffer();
  const b = 'rvBoundary';
  const up = await t.as('technician', { method: 'POST', url: '/api/uploads', payload: Buffer.concat([Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`), jpeg, Buffer.from(`\r\n--${b}--\r\n`)]), headers: { 'content-type': `multipart/form-data; boundary=${b}` } });
  // RP-5: the occupant reads out their confirmation code.
  const { confirmationCode } = (await t.as('occupant', { method: 'GET', url: `/api/work-items/${item.id}` })).json();
  const done = await act('technician', item.id, 'complete', { attachmentIds: [up.json()[0].id], confirmationCode });
  expect(done.statusCode, done.body).toBe(200);
  return item;
}
const pendingFor = async (itemId: string) => t.db.select().from(revisits).where(and(eq(revisits.itemId, itemId), eq(revisits.state, 'pending')));

describe('RP-8 CP-7 revisits by policy', () => {
  test('the policy: every urgent repair, every complaint, repairs rated ≤ 3, and a stable sample of the rest', () => {
    expect(revisitReason({ id: 'a', kind: 'repair', urgency: 'urgent', rating: null }, 'complete')).toBe('urgent');
    expect(revisitReason({ id: 'a', kind: 'complaint', urgency: 'normal', rating: null }, 'resolve')).toBe('complaint');
    expect(revisitReason({ id: 'a', kind: 'repair', urgency: 'normal', rating: 2 }, 'close')).toBe('low_rating');
    expect(revisitReason({ id: 'a', kind: 'repair', urgency: 'normal', rating: 5 }, 'close')).toBeNull();
    const sampled = Array.from({ length: 1000 }, (_, i) => revisitReason({ id: `item-${i}`, kind: 'repair', urgency: 'normal', rating: null }, 'complete')).filter(Boolean).length;
    expect(sampled).toBeGreaterThan(120);
    expect(sampled).toBeLessThan(280);
  });

  test('an urgent repair completed gets a revisit due within 2 working days; a dissatisfied answer reopens it and tells the supervisor', async () => {
    at('2026-11-24T10:00:00+08:00');
    const item = await completedRepair('plumbing.leak');
    const [rv] = await pendingFor(item.id);
    expect(rv).toMatchObject({ reason: 'urgent' });
    const list = (await t.as('agent', { method: 'GET', url: '/api/revisits?state=pending' })).json();
    const mine = list.items.find((r: { id: string }) => r.id === rv!.id);
    expect(mine.dueAt).toBe(new Date('2026-11-26T10:00:00+08:00').toISOString());
    const missed = await t.as('agent', { method: 'POST', url: `/api/revisits/${rv!.id}`, payload: { channel: 'phone', reached: false, comment: '无人接听' } });
    expect(missed.json()).toMatchObject({ state: 'pending' });
    const noAnswer = await t.as('agent', { method: 'POST', url: `/api/revisits/${rv!.id}`, payload: { channel: 'phone', reached: true } });
    expect(noAnswer.statusCode).toBe(400);
    expect(noAnswer.json().error.fields[0].field).toBe('body.satisfied');
    const res = await t.as('agent', { method: 'POST', url: `/api/revisits/${rv!.id}`, payload: { channel: 'phone', reached: true, satisfied: false, comment: '仍在漏水' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ state: 'done', followUp: 'reopened' });
    const [after] = await t.db.select().from(workItems).where(eq(workItems.id, item.id));
    expect(after).toMatchObject({ state: 'new', reopenCount: 1 });
    const again = await t.as('agent', { method: 'POST', url: `/api/revisits/${rv!.id}`, payload: { channel: 'phone', reached: true, satisfied: true } });
    expect(again.statusCode).toBe(409);
  });

  test('a repair rated 2 when closed gets a revisit; dissatisfied then opens a complaint linked to it', async () => {
    const item = await completedRepair('electrical.lighting');
    await t.db.delete(revisits).where(eq(revisits.itemId, item.id)); // whatever the sample chose
    expect((await act('occupant', item.id, 'close', { rating: 2, note: '灯还是闪' })).statusCode).toBe(200);
    const [rv] = await pendingFor(item.id);
    expect(rv).toMatchObject({ reason: 'low_rating' });
    const res = (await t.as('supervisor', { method: 'POST', url: `/api/revisits/${rv!.id}`, payload: { channel: 'on_site', reached: true, satisfied: false, comment: '要求返修' } })).json();
    expect(res.followUp).toBe('complaint');
    const [complaint] = await t.db.select().from(workItems).where(eq(workItems.id, res.followUpItemId));
    expect(complaint).toMatchObject({ kind: 'complaint', category: 'repair_quality', relatedItemId: item.id, occupantId: w.occAId });
    expect(complaint!.number).toMatch(/^TS-\d{8}-\d{4}$/);
  });

  test('CP-7 a complaint closes only after its revisit', async () => {
    const c = await create({ kind: 'complaint', category: 'attitude', description: '前台服务态度差' });
    await act('agent', c.id, 'assign', { assigneeStaffId: w.techStaffId });
    await act('technician', c.id, 'acknowledge');
    expect((await act('technician', c.id, 'resolve', { resolution: '已向当事人道歉并培训' })).statusCode).toBe(200);
    const early = await act('agent', c.id, 'close');
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('revisit_required');
    const [rv] = await pendingFor(c.id);
    expect(rv!.reason).toBe('complaint');
    await t.as('agent', { method: 'POST', url: `/api/revisits/${rv!.id}`, payload: { channel: 'phone', reached: true, satisfied: true } });
    expect((await act('agent', c.id, 'close')).statusCode).toBe(200);
  });
});

describe('RP-4 rating, the reopen window and closing after it', () => {
  test('the reporter rates after completion (a 2 asks for a revisit); others cannot rate; before completion it is 409', async () => {
    at('2026-12-01T10:00:00+08:00');
    const open = await create({ kind: 'repair', category: 'hvac' });
    expect((await t.as('occupant', { method: 'POST', url: `/api/work-items/${open.id}/rating`, payload: { rating: 5 } })).statusCode).toBe(409);
    const item = await completedRepair('electrical.lighting');
    await t.db.delete(revisits).where(eq(revisits.itemId, item.id));
    expect((await t.as('agent', { method: 'POST', url: `/api/work-items/${item.id}/rating`, payload: { rating: 5 } })).statusCode).toBe(403);
    const rated = await t.as('occupant', { method: 'POST', url: `/api/work-items/${item.id}/rating`, payload: { rating: 2, comment: '灯仍然闪烁' } });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json()).toMatchObject({ rating: 2, state: 'completed' });
    expect((await pendingFor(item.id))[0]).toMatchObject({ reason: 'low_rating' });
    expect((await t.as('occupant', { method: 'POST', url: `/api/work-items/${item.id}/rating`, payload: { rating: 6 } })).statusCode).toBe(400);
  });

  test('the occupant may reopen within 7 days; after that the system has closed it', async () => {
    at('2026-12-02T10:00:00+08:00');
    const item = await completedRepair('electrical.lighting');
    at('2026-12-08T10:00:00+08:00');
    const { closeStaleCompleted } = await import('./service.ts');
    expect(await closeStaleCompleted(t.db, new Date('2026-12-08T10:00:00+08:00'))).toBe(0);
    const second = await completedRepair('electrical.lighting');
    at('2026-12-16T10:00:00+08:00');
    expect((await act('occupant', second.id, 'reopen', { reason: '又坏了' })).statusCode).toBe(409);
    expect(await closeStaleCompleted(t.db, new Date('2026-12-16T10:00:00+08:00'))).toBeGreaterThanOrEqual(2);
    const [closed] = await t.db.select().from(workItems).where(eq(workItems.id, item.id));
    expect(closed).toMatchObject({ state: 'closed' });
  });
});
