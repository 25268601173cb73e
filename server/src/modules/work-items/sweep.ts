import { and, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { CLOCK_LABELS, type ClockPolicy, type WorkingCalendar } from '@towerdesk/domain';
import type { Db, Queryable } from '../../db/index.ts';
import type { LiveEvent } from '../../platform/live.ts';
import { accounts } from '../accounts/schema.ts';
import { accountsWithRoles, notifyMany, type Notice } from '../notifications/service.ts';
import { calendarFor, nextEscalation, nextFire } from './clocks.ts';

import { workItemClocks, workItemEvents, workItems } from './schema.ts';

/**
 * One pass of the SLA sweep (DESIGN §2.3, CP-4, RP-3): fires the warnings, breaches and
 * escalation levels that are due, each exactly once. Rows are claimed with FOR UPDATE SKIP
 * LOCKED, and what has fired is counted on the row in the same transaction, so two processes
 * sweeping one database never fire the same thing twice. Returns the number of events fired.
 *
 * The pass works in batches, not per clock: it reads the claimed clocks with their items and
 * the recipients once, decides in memory, then writes every timeline entry, notice (with its live
 * ping and page), clock update and item announcement in one statement each — a backlog of 500
 * clocks costs a handful of round trips instead of several per clock.
 */
export async function sweepClocks(db: Db, now: Date, limit = 500): Promise<number> {
  return db.transaction(async (tx) => {
    const claimed = await claimDue(tx, now, limit);
    if (claimed.length === 0) return 0;
    const calendars = new Map<string, WorkingCalendar>();
    const staffAccounts = await accountsByStaff(tx, claimed.map((r) => r.i.assigneeStaffId));
    // Accounts by site and roles, looked up once per pass.
    const roleCache = new Map<string, Promise<string[]>>();
    const withRoles = (siteId: string, roles: string[]) => {
      const key = `${siteId}|${roles.join(',')}`;
      if (!roleCache.has(key)) roleCache.set(key, accountsWithRoles(tx, siteId, roles));
      return roleCache.get(key)!;
    };

    const events: Array<{ site_id: string; item_id: string; at: Date; type: 'clock'; action: string; body: string; public: false; data: Record<string, unknown> }> = [];
    const notices: Array<{ accountIds: string[]; notice: Notice }> = [];
    const updates: Array<{ id: string; warnings_fired: number; breached_at: Date | null; escalation_level: number; next_fire_at: Date | null }> = [];
    const touched = new Map<string, LiveEvent>();
    // In claim order (the earliest due first), as the pass always worked.
    for (const row of claimed) {
      const c = { ...row.c };
      const id = c.id;
      const item = row.i;
      const firedBefore = events.length;
      const policy = c.policy as ClockPolicy;
      const cal = await calendarFor(tx, item.siteId, policy, calendars);
      const name = CLOCK_LABELS[policy.clock] ?? { zh: policy.clock, en: policy.clock };
      const assignees = item.assigneeStaffId ? staffAccounts.get(item.assigneeStaffId) ?? [] : [];
      const desk = item.assigneeStaffId ? [] : await withRoles(item.siteId, ['agent']);
      const event = (action: string, at: Date, data: Record<string, unknown>, recipients: string[], title: { zh: string; en: string }, page = false) => {
        events.push({ site_id: item.siteId, item_id: item.id, at, type: 'clock', action, body: policy.clock, public: false, data });
        notices.push({ accountIds: recipients, notice: { siteId: item.siteId, kind: `clock.${action}`, title, body: `${item.number} ${item.title}`, entityType: 'work_item', entityId: item.id, page } });
      };
      for (;;) {
        const warnAt = c.warnAts[c.warningsFired];
        if (warnAt && warnAt <= now) {
          // Thresholds still ahead are the last ones of the policy's list (see applyClockEvent).
          const pct = Math.round(100 * (policy.warnAt[policy.warnAt.length - c.warnAts.length + c.warningsFired] ?? 0));
          const supervisors = await withRoles(item.siteId, ['supervisor']);
          event('warning', warnAt, { percent: pct, dueAt: c.dueAt.toISOString() }, [...assignees, ...desk, ...supervisors],
            { zh: `预警：${name.zh}已用 ${pct}%`, en: `Warning: ${pct}% of ${name.en} used` });
          c.warningsFired++;
          continue;
        }
        if (!c.breachedAt && c.dueAt <= now) {
          c.breachedAt = c.dueAt;
          event('breach', c.dueAt, { dueAt: c.dueAt.toISOString() }, [...assignees, ...desk], { zh: `超时：${name.zh}已超过时限`, en: `Breached: ${name.en} is overdue` }, true);
          continue;
        }
        const next = c.breachedAt ? nextEscalation(c, policy, cal) : undefined;
        if (next && next.at <= now) {
          const recipients = await withRoles(item.siteId, next.notify);
          event('escalation', next.at, { level: next.level, notify: next.notify }, recipients,
            { zh: `升级（第 ${next.level} 级）：${name.zh}超时`, en: `Escalation level ${next.level}: ${name.en} overdue` }, true);
          c.escalationLevel = next.level;
          continue;
        }
        break;
      }
      updates.push({ id, warnings_fired: c.warningsFired, breached_at: c.breachedAt, escalation_level: c.escalationLevel, next_fire_at: nextFire(c, policy, cal) });
      if (events.length > firedBefore) {
        touched.set(item.id, { type: 'work_item', siteId: item.siteId, itemId: item.id, occupantId: item.occupantId, companyId: item.companyId, assigneeStaffId: item.assigneeStaffId });
      }
    }

    if (events.length) {
      // One JSON parameter rather than a bind parameter per value: 500 entries stay one cheap statement.
      await tx.execute(sql`
        insert into ${workItemEvents} (site_id, item_id, at, type, action, body, public, data)
        select site_id, item_id, at, type, action, body, public, data
        from jsonb_to_recordset(${JSON.stringify(events)}::jsonb) as e(site_id uuid, item_id uuid, at timestamptz, type text, action text, body text, public boolean, data jsonb)`);
    }
    // The notices, their pings and the items' announcements (delivered on commit) in one statement.
    await notifyMany(tx, now, notices, [...touched.values()]);
    if (updates.length) {
      await tx.execute(sql`
        update ${workItemClocks} c set warnings_fired = u.warnings_fired, breached_at = u.breached_at, escalation_level = u.escalation_level, next_fire_at = u.next_fire_at
        from jsonb_to_recordset(${JSON.stringify(updates)}::jsonb) as u(id uuid, warnings_fired int, breached_at timestamptz, escalation_level int, next_fire_at timestamptz)
        where c.id = u.id`);
    }
    return events.length;
  });
}

type ClockRow = typeof workItemClocks.$inferSelect;
type ItemRow = typeof workItems.$inferSelect;

/**
 * Claims the clocks due (earliest first, FOR UPDATE SKIP LOCKED so two processes never take the
 * same one, DESIGN §4) and reads them with what the pass needs of their items, in one query.
 */
async function claimDue(tx: Queryable, now: Date, limit: number) {
  // Instants travel as epoch milliseconds: drizzle leaves raw timestamps as PostgreSQL text.
  const r = await tx.execute<{
    id: string; policy: unknown; warn_ats: number[]; warnings_fired: number; due_at: number; breached_at: number | null; escalation_level: number;
    running_since: number | null; stopped_at: number | null; item_id: string; site_id: string; number: string; title: string;
    assignee_staff_id: string | null; occupant_id: string | null; company_id: string | null;
  }>(sql`
    select c.id, c.policy, array(select ${ms(sql`t`)} from unnest(c.warn_ats) with ordinality as a(t, n) order by n) as warn_ats, c.warnings_fired,
      ${ms(sql`c.due_at`)} as due_at, ${ms(sql`c.breached_at`)} as breached_at, c.escalation_level,
      ${ms(sql`c.running_since`)} as running_since, ${ms(sql`c.stopped_at`)} as stopped_at,
      w.id as item_id, w.site_id, w.number, w.title, w.assignee_staff_id, w.occupant_id, w.company_id
    from ${workItemClocks} c join ${workItems} w on w.id = c.item_id
    where c.next_fire_at is not null and c.next_fire_at <= ${now}
    order by c.next_fire_at limit ${limit}
    for update of c skip locked`);
  const at = (x: number | null) => (x === null ? null : new Date(x));
  return r.rows.map((x) => ({
    c: {
      id: x.id, policy: typeof x.policy === 'string' ? JSON.parse(x.policy) : x.policy, warnAts: x.warn_ats.map((t) => new Date(t)), warningsFired: x.warnings_fired,
      dueAt: new Date(x.due_at), breachedAt: at(x.breached_at), escalationLevel: x.escalation_level, runningSince: at(x.running_since), stoppedAt: at(x.stopped_at),
    } satisfies Partial<ClockRow>,
    i: {
      id: x.item_id, siteId: x.site_id, number: x.number, title: x.title, assigneeStaffId: x.assignee_staff_id, occupantId: x.occupant_id, companyId: x.company_id,
    } satisfies Partial<ItemRow>,
  }));
}

const ms = (col: SQL) => sql`(extract(epoch from ${col}) * 1000)::float8`;

/** Active accounts of the given staff, by staff id, in one query. */
async function accountsByStaff(tx: Queryable, staffIds: Array<string | null>) {
  const ids = [...new Set(staffIds.filter((s): s is string => !!s))];
  const byStaff = new Map<string, string[]>();
  if (!ids.length) return byStaff;
  const rows = await tx.select({ id: accounts.id, staffId: accounts.staffId }).from(accounts).where(and(inArray(accounts.staffId, ids), eq(accounts.disabled, false)));
  for (const r of rows) byStaff.set(r.staffId!, [...(byStaff.get(r.staffId!) ?? []), r.id]);
  return byStaff;
}
