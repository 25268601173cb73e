import { eq } from 'drizzle-orm';
import { CLOCK_LABELS, type ClockPolicy, type WorkingCalendar } from '@towerdesk/domain';
import type { Db } from '../../db/index.ts';
import { accountsOfStaff, accountsWithRoles, notify } from '../notifications/service.ts';
import { calendarFor, claimDueClocks, nextEscalation, nextFire } from './clocks.ts';

import { workItemClocks, workItemEvents, workItems } from './schema.ts';
import { announceItem } from './service.ts';

/**
 * One pass of the SLA sweep (DESIGN §2.3, CP-4, RP-3): fires the warnings, breaches and
 * escalation levels that are due, each exactly once. Rows are claimed with FOR UPDATE SKIP
 * LOCKED, and what has fired is counted on the row in the same transaction, so two processes
 * sweeping one database never fire the same thing twice. Returns the number of events fired.
 */
export async function sweepClocks(db: Db, now: Date, limit = 500): Promise<number> {
  return db.transaction(async (tx) => {
    const ids = await claimDueClocks(tx, now, limit);
    const calendars = new Map<string, WorkingCalendar>();
    let fired = 0;
    for (const id of ids) {
      const [row] = await tx.select({ c: workItemClocks, i: workItems }).from(workItemClocks)
        .innerJoin(workItems, eq(workItems.id, workItemClocks.itemId)).where(eq(workItemClocks.id, id));
      if (!row) continue;
      const c = { ...row.c };
      const firedBefore = fired;
      const item = row.i;
      const policy = c.policy as ClockPolicy;
      const cal = await calendarFor(tx, item.siteId, policy, calendars);
      const name = CLOCK_LABELS[policy.clock] ?? { zh: policy.clock, en: policy.clock };
      const assignees = await accountsOfStaff(tx, [item.assigneeStaffId]);
      const desk = item.assigneeStaffId ? [] : await accountsWithRoles(tx, item.siteId, ['agent']);
      const event = async (action: string, at: Date, data: Record<string, unknown>, recipients: string[], title: { zh: string; en: string }, page = false) => {
        await tx.insert(workItemEvents).values({ siteId: item.siteId, itemId: item.id, at, type: 'clock', action, body: policy.clock, public: false, data });
        await notify(tx, now, recipients, { siteId: item.siteId, kind: `clock.${action}`, title, body: `${item.number} ${item.title}`, entityType: 'work_item', entityId: item.id, page });
        fired++;
      };
      for (;;) {
        const warnAt = c.warnAts[c.warningsFired];
        if (warnAt && warnAt <= now) {
          // Thresholds still ahead are the last ones of the policy's list (see applyClockEvent).
          const pct = Math.round(100 * (policy.warnAt[policy.warnAt.length - c.warnAts.length + c.warningsFired] ?? 0));
          const supervisors = await accountsWithRoles(tx, item.siteId, ['supervisor']);
          await event('warning', warnAt, { percent: pct, dueAt: c.dueAt.toISOString() }, [...assignees, ...desk, ...supervisors],
            { zh: `预警：${name.zh}已用 ${pct}%`, en: `Warning: ${pct}% of ${name.en} used` });
          c.warningsFired++;
          continue;
        }
        if (!c.breachedAt && c.dueAt <= now) {
          c.breachedAt = c.dueAt;
          await event('breach', c.dueAt, { dueAt: c.dueAt.toISOString() }, [...assignees, ...desk], { zh: `超时：${name.zh}已超过时限`, en: `Breached: ${name.en} is overdue` }, true);
          continue;
        }
        const next = c.breachedAt ? nextEscalation(c, policy, cal) : undefined;
        if (next && next.at <= now) {
          const recipients = await accountsWithRoles(tx, item.siteId, next.notify);
          await event('escalation', next.at, { level: next.level, notify: next.notify }, recipients,
            { zh: `升级（第 ${next.level} 级）：${name.zh}超时`, en: `Escalation level ${next.level}: ${name.en} overdue` }, true);
          c.escalationLevel = next.level;
          continue;
        }
        break;
      }
      await tx.update(workItemClocks).set({
        warningsFired: c.warningsFired, breachedAt: c.breachedAt, escalationLevel: c.escalationLevel, nextFireAt: nextFire(c, policy, cal),
      }).where(eq(workItemClocks.id, id));
      if (fired > firedBefore) await announceItem(tx, item);
    }
    return fired;
  });
}
