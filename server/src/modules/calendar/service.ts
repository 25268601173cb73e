import { and, asc, eq, gte, lte } from 'drizzle-orm';
import {
  CN_HOLIDAY_YEARS, DEFAULT_WORKING_HOURS, makeCalendar, validateWorkingHours, yearDays,
  type DayOverride, type WorkingCalendar, type WorkingHours,
} from '@towerdesk/domain';
import type { Queryable } from '../../db/index.ts';
import { audit } from '../../platform/audit.ts';
import type { SignedInCtx } from '../../platform/context.ts';
import { Invalid, NotFound } from '../../platform/errors.ts';
import { sites } from '../sites/schema.ts';
import { calendarOverrides } from './schema.ts';

/**
 * The working calendar of a site: shipped China holidays, the site's edits and its hours
 * (CS-1). Later modules (SLA clocks, plans) call `siteCalendar` rather than reading the tables.
 */
export async function siteCalendar(db: Queryable, siteId: string): Promise<WorkingCalendar> {
  const [site] = await db.select({ hours: sites.workingHours }).from(sites).where(eq(sites.id, siteId));
  if (!site) throw NotFound();
  const edits = await db.select().from(calendarOverrides).where(eq(calendarOverrides.siteId, siteId));
  return makeCalendar({
    hours: (site.hours as WorkingHours | null) ?? DEFAULT_WORKING_HOURS,
    overrides: Object.fromEntries(edits.map((e) => [e.day, e.kind as DayOverride])),
  });
}

/** The site a calendar request is about: the actor's own, or the one a company-wide admin names. */
async function resolveSite(ctx: SignedInCtx, siteId?: string) {
  if (ctx.actor.siteId) {
    if (siteId && siteId !== ctx.actor.siteId) throw NotFound();
    return ctx.actor.siteId;
  }
  if (siteId) return siteId;
  const [first] = await ctx.db.select({ id: sites.id }).from(sites).orderBy(asc(sites.code)).limit(1);
  if (!first) throw NotFound();
  return first.id;
}

export async function calendarYear(ctx: SignedInCtx, year: number, siteId?: string) {
  const site = await resolveSite(ctx, siteId);
  const cal = await siteCalendar(ctx.db, site);
  const edits = await ctx.db.select().from(calendarOverrides)
    .where(and(eq(calendarOverrides.siteId, site), gte(calendarOverrides.day, `${year}-01-01`), lte(calendarOverrides.day, `${year}-12-31`)))
    .orderBy(asc(calendarOverrides.day));
  const shipped = CN_HOLIDAY_YEARS.find((y) => y.year === year);
  return {
    siteId: site,
    year,
    /** No notice shipped for this year, or only the statutory days: an admin should check it. */
    provisional: shipped ? shipped.provisional : true,
    source: shipped?.source ?? null,
    hours: cal.hours,
    days: yearDays(cal, year),
    edits: edits.map((e) => ({ date: e.day, kind: e.kind as DayOverride, note: e.note })),
  };
}

const HOURS_MESSAGES: Record<string, { zh: string; en: string }> = {
  missing: { zh: '缺少该项', en: 'Missing' },
  bad_window: { zh: '时段格式应为 [开始, 结束]', en: 'A window is [start, end]' },
  bad_time: { zh: '时间格式应为 HH:MM', en: 'Time must be HH:MM' },
  empty_window: { zh: '结束时间须晚于开始时间', en: 'End must be after start' },
  overlap: { zh: '时段重叠或未按时间排序', en: 'Windows overlap or are out of order' },
};

export async function setWorkingHours(ctx: SignedInCtx, hours: WorkingHours, siteId?: string) {
  const problems = validateWorkingHours(hours);
  if (problems.length > 0) {
    throw Invalid(problems.map((p) => ({ field: `body.${p.field}`, code: p.code, message: HOURS_MESSAGES[p.code] ?? { zh: p.message, en: p.message } })));
  }
  const site = await resolveSite(ctx, siteId);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select({ hours: sites.workingHours }).from(sites).where(eq(sites.id, site)).for('update');
    await tx.update(sites).set({ workingHours: hours }).where(eq(sites.id, site));
    await audit(tx, ctx, { action: 'calendar.hours', entityType: 'site', entityId: site, siteId: site, before: before?.hours ?? DEFAULT_WORKING_HOURS, after: hours });
    return hours;
  });
}

export async function setDay(ctx: SignedInCtx, date: string, kind: DayOverride, note: string | null, siteId?: string) {
  const site = await resolveSite(ctx, siteId);
  return ctx.db.transaction(async (tx) => {
    const [before] = await tx.select().from(calendarOverrides).where(and(eq(calendarOverrides.siteId, site), eq(calendarOverrides.day, date))).for('update');
    await tx.insert(calendarOverrides).values({ siteId: site, day: date, kind, note, updatedAt: ctx.now })
      .onConflictDoUpdate({ target: [calendarOverrides.siteId, calendarOverrides.day], set: { kind, note, updatedAt: ctx.now } });
    await audit(tx, ctx, { action: 'calendar.day_set', entityType: 'calendar_day', entityId: date, siteId: site, before: before ?? null, after: { date, kind, note } });
    return { date, kind, note };
  });
}

export async function clearDay(ctx: SignedInCtx, date: string, siteId?: string) {
  const site = await resolveSite(ctx, siteId);
  await ctx.db.transaction(async (tx) => {
    const [before] = await tx.delete(calendarOverrides).where(and(eq(calendarOverrides.siteId, site), eq(calendarOverrides.day, date))).returning();
    if (!before) throw NotFound();
    await audit(tx, ctx, { action: 'calendar.day_clear', entityType: 'calendar_day', entityId: date, siteId: site, before });
  });
}
