import { beforeAll, describe, expect, test } from 'vitest';
import { sql } from 'drizzle-orm';
import { freshDatabase } from '../../../test/harness.ts';
import { DEMO_REFERENCE_DAY, seedIfEmpty } from './index.ts';

const { db } = await freshDatabase();
const rows = async <T,>(q: ReturnType<typeof sql>) => (await db.execute(q)).rows as T[];

/**
 * The seeded six months behind the reports (issue 3 "Done when"). The history is generated with
 * the engine's own rules, so these are the invariants the real desk keeps: what the reports
 * count must look like a building that is run, not random rows.
 */
describe('RP-6 CP-6 demo history: ~6 months of work items behind the reports', () => {
  beforeAll(async () => {
    expect((await seedIfEmpty(db, { demo: true, today: DEMO_REFERENCE_DAY })).kind).toBe('demo');
  });

  test('RP-6 every one of the last six months has repairs, complaints and inquiries', async () => {
    const perMonth = await rows<{ m: string; repairs: number; complaints: number; inquiries: number }>(sql`
      select to_char(created_at at time zone 'Asia/Shanghai', 'YYYY-MM') m,
             count(*) filter (where kind = 'repair')::int repairs,
             count(*) filter (where kind = 'complaint')::int complaints,
             count(*) filter (where kind = 'inquiry')::int inquiries
        from work_items group by 1 order by 1`);
    const full = perMonth.slice(-6);
    expect(full).toHaveLength(6);
    for (const m of full) {
      expect(m.repairs, m.m).toBeGreaterThan(100);
      expect(m.complaints, m.m).toBeGreaterThan(5);
      expect(m.inquiries, m.m).toBeGreaterThan(5);
    }
  });

  test('RP-3 CS-3 the dispatch board opens on a live picture: open items, some warned, exactly one breached running clock', async () => {
    const [c] = await rows<{ open: number; warned: number; breached: number }>(sql`
      select count(distinct w.id) filter (where w.state not in ('closed', 'cancelled'))::int open,
             count(*) filter (where c.stopped_at is null and c.warnings_fired > 0 and c.breached_at is null)::int warned,
             count(*) filter (where c.stopped_at is null and c.breached_at is not null)::int breached
        from work_items w left join work_item_clocks c on c.item_id = w.id`);
    expect(c!.open).toBeGreaterThan(10);
    expect(c!.warned).toBeGreaterThan(0);
    expect(c!.breached).toBe(1);
  });

  test('RP-3 urgent arrivals are mostly within 30 minutes and mostly proven by a QR scan, with both kinds present', async () => {
    const proofs = await rows<{ proof: string; n: number; met: number }>(sql`
      select w.arrival_proof proof, count(*)::int n, count(*) filter (where c.met)::int met
        from work_item_clocks c join work_items w on w.id = c.item_id
       where c.clock = 'arrival' and c.met is not null group by 1`);
    const by = Object.fromEntries(proofs.map((p) => [p.proof, p]));
    expect(by.qr!.n).toBeGreaterThan(by.manual!.n);
    const n = proofs.reduce((a, p) => a + p.n, 0);
    const met = proofs.reduce((a, p) => a + p.met, 0);
    // A building that keeps its promise most of the time — and a report with something to show.
    expect(met / n).toBeGreaterThan(0.8);
    expect(met / n).toBeLessThan(1);
  });

  test('CP-7 RP-8 every closed complaint had its revisit; no revisit is left overdue', async () => {
    const [r] = await rows<{ closedWithout: number; pendingOnClosed: number; dissatisfied: number }>(sql`
      select (select count(*) from work_items w where w.kind = 'complaint' and w.state = 'closed'
                and not exists (select 1 from revisits r where r.item_id = w.id and r.state = 'done'))::int "closedWithout",
             (select count(*) from revisits r join work_item_clocks c on c.item_id = r.item_id and c.clock = 'revisit'
               where r.state = 'pending' and c.stopped_at is null and c.breached_at is not null)::int "pendingOverdue",
             (select count(*) from revisits where satisfied = false)::int dissatisfied`);
    expect(r).toEqual({ closedWithout: 0, pendingOverdue: 0, dissatisfied: expect.any(Number) });
    expect(r!.dissatisfied).toBeGreaterThan(0);
  });

  test('each timeline is in time order and its last transition ends in the item\'s state', async () => {
    const bad = await rows<{ number: string }>(sql`
      with last as (
        select distinct on (e.item_id) e.item_id, e.to_state
          from work_item_events e where e.type = 'transition' order by e.item_id, e.at desc, e.id desc)
      select w.number from work_items w join last l on l.item_id = w.id where l.to_state <> w.state
      union all
      select w.number from work_items w join work_item_events e on e.item_id = w.id and e.at < w.created_at
      limit 5`);
    expect(bad).toEqual([]);
  });
});
