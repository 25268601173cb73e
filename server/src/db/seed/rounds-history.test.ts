import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, test } from 'vitest';
import { freshDatabase } from '../../../test/harness.ts';
import { taskAnswers, taskCheckpoints, tasks } from '../../modules/plans/schema.ts';
import { workItems } from '../../modules/work-items/schema.ts';
import { DEMO_REFERENCE_DAY, seedIfEmpty } from './index.ts';

const database = await freshDatabase();
const { db } = database;

describe('demo tower: three months of rounds (IN-5, AR-1)', () => {
  beforeAll(async () => {
    await seedIfEmpty(db, { today: DEMO_REFERENCE_DAY, demo: true });
  });

  test('IN-5 every plan kind has past rounds over ~3 months, mostly done on time, some late, a few missed', async () => {
    const rows = (await db.execute<{ kind: string; n: number; done: number; missed: number; late: number; days: number }>(sql`
      select p.kind, count(*)::int n, count(*) filter (where t.state = 'done')::int done, count(*) filter (where t.state = 'missed')::int missed,
        count(*) filter (where t.finished_at > t.late_at)::int late,
        (extract(epoch from max(t.starts_at) - min(t.starts_at)) / 86400)::int days
      from tasks t join plans p on p.id = t.plan_id where t.state in ('done', 'missed') group by p.kind order by p.kind`)).rows;
    expect(rows.map((r) => r.kind)).toEqual(expect.arrayContaining(['inspection', 'patrol', 'cleaning', 'greening']));
    const all = rows.reduce((a, r) => ({ n: a.n + r.n, done: a.done + r.done, missed: a.missed + r.missed, late: a.late + r.late }), { n: 0, done: 0, missed: 0, late: 0 });
    expect(all.n).toBeGreaterThan(1500);
    expect(all.done / all.n).toBeGreaterThan(0.9);
    expect(all.missed).toBeGreaterThan(0);
    expect(all.late).toBeGreaterThan(0);
    expect(Math.max(...rows.map((r) => r.days))).toBeGreaterThanOrEqual(85);
  });

  test('IN-5 answers are typed; meter readings never run backwards at a place', async () => {
    const numbers = await db.select({ n: sql<number>`count(*)::int` }).from(taskAnswers).where(and(eq(taskAnswers.kind, 'number'), sql`${taskAnswers.num} is not null and ${taskAnswers.unit} is not null`));
    expect(numbers[0]!.n).toBeGreaterThan(1000);
    const backwards = await db.execute<{ n: number }>(sql`select count(*)::int n from (
      select num, lag(num) over (partition by place_id, item_id order by at) prev from task_answers where kind = 'meter') m where num < prev`);
    expect(backwards.rows[0]!.n).toBe(0);
    // Every visited checkpoint of a done round has its scan time inside the history.
    const noTime = await db.$count(taskCheckpoints, and(eq(taskCheckpoints.state, 'visited'), sql`${taskCheckpoints.at} is null`));
    expect(noTime).toBe(0);
  });

  test('IN-4 abnormal answers in the history raised findings, linked both ways and closed', async () => {
    const linked = await db.select({ a: taskAnswers.findingItemId, task: taskAnswers.taskId, wTask: workItems.taskId, kind: workItems.kind, state: workItems.state })
      .from(taskAnswers).innerJoin(workItems, eq(workItems.id, taskAnswers.findingItemId)).where(eq(taskAnswers.finding, true));
    expect(linked.length).toBeGreaterThan(5);
    expect(linked.every((l) => l.wTask === l.task && l.kind === 'finding' && l.state === 'closed')).toBe(true);
    const orphans = await db.$count(taskAnswers, and(eq(taskAnswers.finding, true), sql`${taskAnswers.findingItemId} is null`));
    expect(orphans).toBe(0);
    // The week ahead is still there for the phones.
    expect(await db.$count(tasks, eq(tasks.state, 'scheduled'))).toBeGreaterThan(100);
  });
});
