import { describe, expect, test } from 'vitest';
import { testApp } from '../../../test/harness.ts';

/**
 * The answer to a create is built from what the create wrote, without reading the item back
 * (issue 3 benchmark (a)); it must be exactly what GET /api/work-items/:id answers the same person.
 */
const t = await testApp();
const w = t.world;
for (const who of ['agent', 'occupant', 'technician']) await t.login(who);
const at = (iso: string) => { t.clock.set(iso); t.cookies.clear(); };

async function createThenGet(who: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await t.as(who, { method: 'POST', url: '/api/work-items', payload: { kind: 'repair', category: 'electrical.lighting', placeId: w.unitAId, description: '灯管闪烁', ...body }, headers });
  expect(res.statusCode, res.body).toBe(201);
  const created = res.json() as { id: string; scheduledFor: string | null };
  const read = await t.as(who, { method: 'GET', url: `/api/work-items/${created.id}` });
  expect(read.statusCode).toBe(200);
  return { created, read: read.json() };
}

describe('RP-1 CS-5 the answer to a create is the item as GET shows it', () => {
  test('an occupant in working hours, with and without an Idempotency-Key (and its replay)', async () => {
    at('2026-11-24T10:00:00+08:00');
    const plain = await createThenGet('occupant', {});
    expect(plain.created).toEqual(plain.read);
    const keyed = await createThenGet('occupant', { description: '插座没电' }, { 'idempotency-key': 'answer-test-0001' });
    expect(keyed.created).toEqual(keyed.read);
    const replay = await t.as('occupant', { method: 'POST', url: '/api/work-items', payload: { kind: 'repair', category: 'electrical.lighting', placeId: w.unitAId, description: '插座没电' }, headers: { 'idempotency-key': 'answer-test-0001' } });
    expect(replay.headers['idempotent-replay']).toBe('true');
    expect(replay.json()).toEqual(keyed.read);
  });

  test('CS-2 off-hours intake by the desk for an occupant (the staff timeline, the scheduled start), a complaint, and an urgent repair nobody is on call for', async () => {
    at('2026-11-28T23:30:00+08:00');
    const desk = await createThenGet('agent', { occupantId: w.occAId, contactName: '王女士', contactPhone: '13800001234', channel: 'phone' });
    expect(desk.created).toEqual(desk.read);
    expect(desk.created.scheduledFor).not.toBeNull();
    const complaint = await createThenGet('occupant', { kind: 'complaint', category: 'noise', placeId: null, description: '楼上装修噪音' });
    expect(complaint.created).toEqual(complaint.read);
    const urgent = await createThenGet('occupant', { category: 'plumbing.leak', description: '漏水' });
    expect(urgent.created).toEqual(urgent.read);
  });
});
