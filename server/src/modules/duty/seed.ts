import { and, asc, eq } from 'drizzle-orm';
import type { Trade } from '@towerdesk/domain';
import type { Queryable } from '../../db/index.ts';
import { siteCalendar } from '../calendar/service.ts';
import { staff } from '../parties/schema.ts';
import { nextDate, planRotation } from './rotation.ts';
import { dutyShifts } from './schema.ts';

/** The trades the demo roster covers: the ones an urgent repair or an alarm pages at night. */
export const DEMO_ROSTER_TRADES: Trade[] = ['electrical', 'plumbing', 'hvac', 'elevator', 'security'];

/**
 * A week of rotation from `today` for the demo tower (CS-3): per trade, the seeded staff of that
 * trade in employee-number order, day shifts on working days plus night/weekend/holiday on-call.
 * Someone registered for several trades (the 工程主管: electrical and HVAC) joins only the first
 * trade's rotation, so nobody is on two shifts at once. Written without audit rows, like the
 * rest of the seed. Returns the number of shifts.
 */
export async function seedDemoRoster(db: Queryable, siteId: string, today: string): Promise<number> {
  const cal = await siteCalendar(db, siteId);
  const people = await db.select({ id: staff.id, trades: staff.trades }).from(staff)
    .where(and(eq(staff.siteId, siteId), eq(staff.active, true))).orderBy(asc(staff.employeeNo));
  const taken = new Set<string>();
  let to = today;
  for (let i = 0; i < 6; i++) to = nextDate(to);
  const rows: Array<typeof dutyShifts.$inferInsert> = [];
  for (const trade of DEMO_ROSTER_TRADES) {
    const staffIds = people.filter((p) => p.trades.includes(trade) && !taken.has(p.id)).map((p) => p.id);
    staffIds.forEach((id) => taken.add(id));
    for (const s of planRotation(cal, { from: today, to, staffIds, includeDayShifts: true })) {
      rows.push({ siteId, staffId: s.staffId, trade, startsAt: s.startsAt, endsAt: s.endsAt, kind: s.kind });
    }
  }
  if (rows.length) await db.insert(dutyShifts).values(rows);
  return rows.length;
}
