import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { dayKind, shanghaiInstant } from '@towerdesk/domain';
import { siteCalendar } from '../calendar/service.ts';
import { freshDatabase } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import { DEMO_PASSWORD, DEMO_REFERENCE_DAY, seedIfEmpty } from '../../db/seed/index.ts';

const database = await freshDatabase();
const { db } = database;
const rows = async <T,>(q: ReturnType<typeof sql>) => (await db.execute(q)).rows as T[];

/** The seeded desk contacts behind the reception statistics (CS-4), read through the API as the agent sees them. */
describe('CS-4 demo reception records: six months of desk contacts linked to the seeded items', () => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  let sid = '';
  const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'towerdesk-files-'));
  beforeAll(async () => {
    expect((await seedIfEmpty(db, { demo: true, today: DEMO_REFERENCE_DAY })).kind).toBe('demo');
    app = await buildApp({ db, now: () => shanghaiInstant(DEMO_REFERENCE_DAY, '10:30'), logLevel: 'silent', filesDir });
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'x-requested-with': 'towerdesk' }, payload: { login: 'agent', password: DEMO_PASSWORD } });
    expect(res.statusCode).toBe(200);
    sid = res.cookies.find((c) => c.name === 'td_sid')!.value;
  });
  afterAll(async () => {
    await app?.close();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });
  const get = (url: string) => app.inject({ method: 'GET', url, cookies: { td_sid: sid } });

  test('CS-4 stats by week show every seeded week with contacts, and by topic all six topics', async () => {
    const from = '2026-06-01';
    const weeks = await get(`/api/receptions/stats?by=week&from=${from}&to=${DEMO_REFERENCE_DAY}`);
    expect(weeks.statusCode).toBe(200);
    const w = weeks.json() as { total: number; rows: Array<{ key: string; label: string; count: number }> };
    expect(w.rows.length).toBeGreaterThanOrEqual(25);
    // A desk that is staffed: every week of the period has contacts, dozens of them.
    for (const r of w.rows) expect(r.count, r.label).toBeGreaterThan(10);
    const topics = (await get(`/api/receptions/stats?by=topic&from=${from}&to=${DEMO_REFERENCE_DAY}`)).json() as { total: number; rows: Array<{ key: string; count: number }> };
    expect(topics.total).toBe(w.total);
    expect(topics.rows.map((r) => r.key).sort()).toEqual(['complaint', 'inquiry', 'other', 'repair', 'suggestion', 'visitor']);
    expect(topics.rows[0]!.key).toBe('repair');
    const floors = (await get(`/api/receptions/stats?by=floor&from=${from}&to=${DEMO_REFERENCE_DAY}`)).json() as { rows: Array<{ key: string | null }> };
    expect(floors.rows.filter((r) => r.key !== null).length).toBeGreaterThan(5);
  });

  test('CS-1 the desk is busy on working days (make-up Saturdays included) and quiet on public holidays, per the site calendar', async () => {
    const [site] = await rows<{ id: string }>(sql`select id from sites limit 1`);
    const cal = await siteCalendar(db, site!.id);
    const perDay = await rows<{ day: string; n: number }>(sql`
      select to_char(at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day, count(*)::int n from receptions
       where at >= '2026-09-01T00:00:00+08:00' and at < '2026-11-01T00:00:00+08:00' group by 1`);
    const n = new Map(perDay.map((r) => [r.day, r.n]));
    const avg = (kinds: string[]) => {
      const days: string[] = [];
      for (let d = new Date('2026-09-01T00:00:00Z'); d < new Date('2026-11-01T00:00:00Z'); d = new Date(d.getTime() + 86_400_000)) {
        const iso = d.toISOString().slice(0, 10);
        if (kinds.includes(dayKind(cal, iso).kind)) days.push(iso);
      }
      expect(days.length, kinds.join()).toBeGreaterThan(0);
      return days.reduce((a, d) => a + (n.get(d) ?? 0), 0) / days.length;
    };
    // 国庆/中秋 2026 falls in this window, with its 调休 make-up days.
    expect(avg(['makeup'])).toBeGreaterThan(2 * avg(['holiday']));
    expect(avg(['workday', 'makeup'])).toBeGreaterThan(2 * avg(['holiday', 'weekend']));
  });

  test('CS-4 RP-1 every seeded phone or walk-in item has the reception it was filed from, at or before it; none in the future', async () => {
    const [c] = await rows<{ items: number; linked: number; later: number; future: number }>(sql`
      select (select count(*)::int from work_items where channel in ('phone', 'walk_in')) items,
             (select count(distinct w.id)::int from work_items w join receptions r on w.id = any(r.work_item_ids) where w.channel in ('phone', 'walk_in')) linked,
             (select count(*)::int from work_items w join receptions r on w.id = any(r.work_item_ids) where r.at > w.created_at) later,
             (select count(*)::int from receptions where at > ${shanghaiInstant(DEMO_REFERENCE_DAY, '10:30')}) future`);
    expect(c!.items).toBeGreaterThan(300);
    expect(c!.linked).toBe(c!.items);
    expect(c!.later).toBe(0);
    expect(c!.future).toBe(0);
    // The list reads them like any other record: topic names in Chinese, the item number attached.
    const list = (await get(`/api/receptions?from=${DEMO_REFERENCE_DAY}&to=${DEMO_REFERENCE_DAY}&limit=50&offset=0`)).json() as { items: Array<{ topicName: string; workItems: unknown[] }> };
    expect(list.items.length).toBeGreaterThan(0);
    expect(list.items.some((r) => r.workItems.length === 1 && ['报修', '投诉', '咨询'].includes(r.topicName))).toBe(true);
  });
});
