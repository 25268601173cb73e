import { and, eq, isNull, sql } from 'drizzle-orm';
import {
  ALWAYS, escalationAts, pauseClock, policiesFor, resumeClock, startClock, stopClock,
  type ClockPolicy, type ClockState, type Urgency, type WorkItemKind, type WorkingCalendar,
} from '@towerdesk/domain';
import type { Queryable } from '../../db/index.ts';
import { siteCalendar } from '../calendar/service.ts';
import { workItemClocks, workItemEvents, type workItems } from './schema.ts';

type ItemRow = typeof workItems.$inferSelect;
type ClockRow = typeof workItemClocks.$inferSelect;

/** The calendar a policy counts on: wall time, or the site's working calendar. */
export async function calendarFor(tx: Queryable, siteId: string, policy: Pick<ClockPolicy, 'calendar'>, cache = new Map<string, WorkingCalendar>()) {
  if (policy.calendar === '24x7') return ALWAYS;
  const hit = cache.get(siteId);
  if (hit) return hit;
  const cal = await siteCalendar(tx, siteId);
  cache.set(siteId, cal);
  return cal;
}

/**
 * The next instant the sweep must look at: the next unfired warning, else the due time, else the
 * next escalation level (counted on the clock's own calendar from the due time).
 */
export function nextFire(row: Pick<ClockRow, 'warnAts' | 'warningsFired' | 'dueAt' | 'breachedAt' | 'escalationLevel' | 'runningSince' | 'stoppedAt'>, policy: ClockPolicy, cal: WorkingCalendar): Date | null {
  if (row.stoppedAt || !row.runningSince) return null;
  const warn = row.warnAts[row.warningsFired];
  if (warn) return warn;
  if (!row.breachedAt) return row.dueAt;
  return nextEscalation(row, policy, cal)?.at ?? null;
}

export function nextEscalation(row: Pick<ClockRow, 'dueAt' | 'escalationLevel'>, policy: ClockPolicy, cal: WorkingCalendar) {
  return escalationAts(policy, row.dueAt, cal).find((e) => e.level > row.escalationLevel);
}

const stateOf = (row: ClockRow): ClockState => ({
  startedAt: row.startedAt, minutes: (row.policy as ClockPolicy).minutes, calendar: (row.policy as ClockPolicy).calendar,
  consumed: row.consumed, runningSince: row.runningSince, stoppedAt: row.stoppedAt,
});

async function clockEvent(tx: Queryable, item: ItemRow, at: Date, action: string, clock: string, data: Record<string, unknown>) {
  await tx.insert(workItemEvents).values({ siteId: item.siteId, itemId: item.id, at, type: 'clock', action, body: clock, public: false, data });
}

/**
 * Applies an event of an item (its creation, or a transition) to its clocks, in the caller's
 * transaction (STYLE §3): clocks the event stops are stopped and scored, clocks in a pause state
 * pause, paused ones outside it resume, and the policies that start on the event start.
 * `startAt` lets a non-urgent item reported off-hours start counting later (CS-2).
 */
export async function applyClockEvent(tx: Queryable, item: ItemRow, event: string, at: Date, opts: { startAt?: Date } = {}) {
  const cache = new Map<string, WorkingCalendar>();
  const rows = await tx.select().from(workItemClocks).where(and(eq(workItemClocks.itemId, item.id), isNull(workItemClocks.stoppedAt))).for('update');
  for (const row of rows) {
    const policy = row.policy as ClockPolicy;
    const cal = await calendarFor(tx, item.siteId, policy, cache);
    if (policy.abandonIn?.includes(item.state)) {
      // A cancelled item's clocks end as neither met nor breached: they do not count in statistics.
      await tx.update(workItemClocks).set({ stoppedAt: at, runningSince: null, nextFireAt: null }).where(eq(workItemClocks.id, row.id));
      await clockEvent(tx, item, at, 'abandoned', row.clock, {});
    } else if (policy.stopOn.includes(event)) {
      const r = stopClock(stateOf(row), at, cal, row.dueAt);
      await tx.update(workItemClocks).set({ stoppedAt: at, runningSince: null, consumed: r.consumedMinutes, met: r.met, minutesLate: r.minutesLate, nextFireAt: null }).where(eq(workItemClocks.id, row.id));
      await clockEvent(tx, item, at, r.met ? 'met' : 'stopped_late', row.clock, { minutesLate: r.minutesLate });
    } else if (policy.pauseIn.includes(item.state) && row.runningSince) {
      const s = pauseClock(stateOf(row), at, cal);
      await tx.update(workItemClocks).set({ runningSince: null, consumed: s.consumed, nextFireAt: null }).where(eq(workItemClocks.id, row.id));
      await clockEvent(tx, item, at, 'paused', row.clock, { consumed: s.consumed });
    } else if (!policy.pauseIn.includes(item.state) && !row.runningSince) {
      // warnAts holds only the thresholds still ahead, so the count of fired ones starts again.
      const r = resumeClock(stateOf(row), at, cal, policy);
      const next = { ...row, runningSince: r.state.runningSince, dueAt: r.dueAt, warnAts: r.warnAts, warningsFired: 0 };
      await tx.update(workItemClocks).set({ runningSince: r.state.runningSince, dueAt: r.dueAt, warnAts: r.warnAts, warningsFired: 0, nextFireAt: nextFire(next, policy, cal) }).where(eq(workItemClocks.id, row.id));
      await clockEvent(tx, item, at, 'resumed', row.clock, { dueAt: r.dueAt.toISOString() });
    }
  }
  // The revisit clock starts with a revisit (RP-8), which the revisit policy chooses (revisits.ts),
  // not on every completion.
  const policies = policiesFor(item.kind as WorkItemKind, item.urgency as Urgency, item.category).filter((p) => p.startOn === event && p.clock !== 'revisit');
  await startPolicies(tx, item, policies, at, opts.startAt, cache);
}

/** Starts (or restarts) the given clocks of an item, counting from `startAt` when it is later than `at`. */
export async function startPolicies(tx: Queryable, item: ItemRow, policies: ClockPolicy[], at: Date, startAt?: Date, cache = new Map<string, WorkingCalendar>()) {
  const { clocks, events } = await clockStarts(tx, item, policies, at, startAt, cache);
  await insertClocks(tx, clocks);
  if (events.length) await tx.insert(workItemEvents).values(events);
}

/**
 * The rows that start the given clocks: the clock rows and their 'started' timeline entries,
 * for the caller to write in as few statements as it can (a create writes its events at once).
 */
export async function clockStarts(tx: Queryable, item: Pick<ItemRow, 'id' | 'siteId'>, policies: ClockPolicy[], at: Date, startAt?: Date, cache = new Map<string, WorkingCalendar>()) {
  const clocks: Array<typeof workItemClocks.$inferInsert> = [];
  const events: Array<typeof workItemEvents.$inferInsert> = [];
  for (const policy of policies) {
    const cal = await calendarFor(tx, item.siteId, policy, cache);
    const begin = startAt && startAt > at ? startAt : at;
    const r = startClock(policy, begin, cal);
    const values = {
      siteId: item.siteId, itemId: item.id, clock: policy.clock, policy, startedAt: r.state.startedAt, runningSince: r.state.runningSince,
      consumed: 0, dueAt: r.dueAt, warnAts: r.warnAts, warningsFired: 0, breachedAt: null, escalationLevel: 0, stoppedAt: null, met: null, minutesLate: null,
    };
    clocks.push({ ...values, nextFireAt: nextFire({ ...values }, policy, cal) });
    events.push({ siteId: item.siteId, itemId: item.id, at, type: 'clock', action: 'started', body: policy.clock, public: false, data: { dueAt: r.dueAt.toISOString() } });
  }
  return { clocks, events };
}

/** Writes clock rows in one statement; a clock that starts again (a reopened item, the complaint update clock) replaces its row. */
export async function insertClocks(tx: Queryable, clocks: Array<typeof workItemClocks.$inferInsert>) {
  if (clocks.length === 0) return;
  const again = (col: string) => sql.raw(`excluded.${col}`);
  await tx.insert(workItemClocks).values(clocks).onConflictDoUpdate({
    target: [workItemClocks.itemId, workItemClocks.clock],
    set: {
      siteId: again('site_id'), policy: again('policy'), startedAt: again('started_at'), runningSince: again('running_since'), consumed: again('consumed'),
      dueAt: again('due_at'), warnAts: again('warn_ats'), warningsFired: again('warnings_fired'), breachedAt: again('breached_at'),
      escalationLevel: again('escalation_level'), stoppedAt: again('stopped_at'), met: again('met'), minutesLate: again('minutes_late'), nextFireAt: again('next_fire_at'),
    },
  });
}

/** Restarts named clocks (e.g. the complainant-update clock after a public update, CP-3). */
export async function restartClock(tx: Queryable, item: ItemRow, clock: string, at: Date) {
  const policy = policiesFor(item.kind as WorkItemKind, item.urgency as Urgency, item.category).find((p) => p.clock === clock);
  if (!policy) return;
  const cal = await calendarFor(tx, item.siteId, policy);
  const r = startClock(policy, at, cal);
  const values = { startedAt: r.state.startedAt, runningSince: r.state.runningSince, consumed: 0, dueAt: r.dueAt, warnAts: r.warnAts, warningsFired: 0, breachedAt: null, escalationLevel: 0, stoppedAt: null, met: null, minutesLate: null };
  await tx.update(workItemClocks).set({ ...values, nextFireAt: nextFire(values, policy, cal) })
    .where(and(eq(workItemClocks.itemId, item.id), eq(workItemClocks.clock, clock), isNull(workItemClocks.stoppedAt)));
}
