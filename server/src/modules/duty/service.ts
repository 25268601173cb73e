import crypto from 'node:crypto';
import { and, arrayContains, asc, eq, gt, inArray, lt, lte, ne, sql, type SQL } from 'drizzle-orm';
import { shanghaiDate, shanghaiInstant, TRADES, type Trade } from '@towerdesk/domain';
import type { Queryable, Tx } from '../../db/index.ts';
import { audit } from '../../platform/audit.ts';
import type { SignedInCtx } from '../../platform/context.ts';
import { AppError, invalidField, NotFound, type FieldProblem } from '../../platform/errors.ts';
import { maskPhone } from '../../platform/mask.ts';
import { can } from '../../platform/permissions.ts';
import { writeSheet } from '../../platform/spreadsheet.ts';
import { siteCalendar } from '../calendar/service.ts';
import { staff } from '../parties/schema.ts';
import { sites } from '../sites/schema.ts';
import { writeFeed } from './ical.ts';
import {
  daysBetween, defaultShiftKind, nextDate, offHours, overlaps, planRotation, SHIFT_KIND_NAMES, uncovered,
  type Interval, type PlannedShift, type ShiftKind,
} from './rotation.ts';
import { dutyFeedTokens, dutyShifts } from './schema.ts';

export type ShiftRow = typeof dutyShifts.$inferSelect;

/** A shift longer than a week is a typing mistake, not a duty (holiday shifts are ~24 h). */
const MAX_SHIFT_MS = 7 * 86_400_000;
/** The roster grid and export show at most a year; generation fills at most a quarter at once. */
const MAX_LIST_DAYS = 366;
const MAX_GENERATE_DAYS = 92;

const tradeName = (trade: string, locale: SignedInCtx['locale']) => {
  const t = TRADES[trade as Trade];
  return t ? (locale === 'en-US' ? t.en : t.zh) : trade;
};
const kindName = (kind: string, locale: SignedInCtx['locale']) => {
  const k = SHIFT_KIND_NAMES[kind as ShiftKind];
  return k ? (locale === 'en-US' ? k.en : k.zh) : kind;
};
/** 2026-11-24 17:00 on the Shanghai clock. */
const shanghaiDateTime = (t: Date) => new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/**
 * Who sees the on-call number in full. The roster is published so that people can be called
 * (CS-3), so the desk — whose job at night is to call them — reads it without an audit row per
 * list; everyone else sees it masked (DESIGN §6), except their own number.
 */
const seesPhone = (ctx: SignedInCtx, staffId: string) => can(ctx.actor.roles, 'personal.reveal') || ctx.actor.staffId === staffId;

interface ShiftWithStaff { shift: ShiftRow; staffName: string; staffPhone: string }

export function toShiftView({ shift, staffName, staffPhone }: ShiftWithStaff, ctx: SignedInCtx) {
  const phone = shift.onCallPhone ?? staffPhone;
  const full = seesPhone(ctx, shift.staffId);
  return {
    id: shift.id, siteId: shift.siteId, staffId: shift.staffId, staffName,
    trade: shift.trade as Trade, tradeName: tradeName(shift.trade, ctx.locale),
    startsAt: shift.startsAt.toISOString(), endsAt: shift.endsAt.toISOString(),
    kind: shift.kind as ShiftKind, kindName: kindName(shift.kind, ctx.locale),
    onCallPhone: full ? phone : maskPhone(phone), phoneMasked: !full, phoneIsStaffPhone: shift.onCallPhone === null,
    note: shift.note, createdAt: shift.createdAt.toISOString(), updatedAt: shift.updatedAt.toISOString(),
  };
}

/** A shift as the audit log keeps it: the on-call number masked like every other phone. */
const auditShape = (row: ShiftRow) => ({ ...row, onCallPhone: maskPhone(row.onCallPhone) });

const siteScope = (ctx: SignedInCtx): SQL | undefined => (ctx.actor.siteId ? eq(dutyShifts.siteId, ctx.actor.siteId) : undefined);

/** The shift if the actor may see it; 404 outside their site. */
async function findVisibleShift(tx: Queryable, ctx: SignedInCtx, id: string, lock = false) {
  const q = tx.select().from(dutyShifts).where(and(eq(dutyShifts.id, id), siteScope(ctx)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw NotFound();
  return row;
}

async function withStaff(db: Queryable, rows: ShiftRow[]): Promise<ShiftWithStaff[]> {
  if (rows.length === 0) return [];
  // Read-only join for display (docs/architecture.md): the staff register belongs to parties.
  const people = await db.select({ id: staff.id, name: staff.name, phone: staff.phone }).from(staff)
    .where(inArray(staff.id, [...new Set(rows.map((r) => r.staffId))]));
  const byId = new Map(people.map((p) => [p.id, p]));
  return rows.map((shift) => ({ shift, staffName: byId.get(shift.staffId)?.name ?? '', staffPhone: byId.get(shift.staffId)?.phone ?? '' }));
}

// ---------------------------------------------------------------------------------- reading

export interface RangeQuery {
  from: string;
  to: string;
  trade?: Trade;
  staffId?: string;
  siteId?: string;
}

/** The site a read is about: the actor's own; a company-wide admin may name one (or see all). */
function readSite(ctx: SignedInCtx, siteId: string | undefined): string | null {
  if (ctx.actor.siteId) {
    if (siteId && siteId !== ctx.actor.siteId) throw NotFound();
    return ctx.actor.siteId;
  }
  return siteId ?? null;
}

function rangeOf(q: { from: string; to: string }, maxDays: number, where: 'querystring' | 'body'): Interval {
  const days = daysBetween(q.from, q.to);
  if (days < 0) throw invalidField(`${where}.to`, { zh: '结束日期不能早于开始日期', en: 'The end date is before the start date' }, 'before_from');
  if (days >= maxDays) throw invalidField(`${where}.to`, { zh: `一次最多 ${maxDays} 天`, en: `At most ${maxDays} days at a time` }, 'too_big');
  // Whole Shanghai days: from 00:00 of the first to 00:00 after the last.
  return { startsAt: shanghaiInstant(q.from), endsAt: shanghaiInstant(nextDate(q.to)) };
}

async function shiftsInRange(db: Queryable, site: string | null, range: Interval, filter: { trade?: string; staffId?: string }) {
  return db.select().from(dutyShifts).where(and(
    site ? eq(dutyShifts.siteId, site) : undefined,
    lt(dutyShifts.startsAt, range.endsAt), gt(dutyShifts.endsAt, range.startsAt),
    filter.trade ? eq(dutyShifts.trade, filter.trade) : undefined,
    filter.staffId ? eq(dutyShifts.staffId, filter.staffId) : undefined,
  )).orderBy(asc(dutyShifts.startsAt), asc(dutyShifts.trade));
}

/**
 * The roster of a period (CS-3), with the off-hours nobody covers when one trade is asked for:
 * the grid shows them as holes to fill.
 */
export async function listShifts(ctx: SignedInCtx, q: RangeQuery) {
  const range = rangeOf(q, MAX_LIST_DAYS, 'querystring');
  const site = readSite(ctx, q.siteId);
  const rows = await shiftsInRange(ctx.db, site, range, q);
  let gaps: Interval[] = [];
  if (q.trade && site && !q.staffId) gaps = uncovered(offHours(await siteCalendar(ctx.db, site), range.startsAt, range.endsAt), rows);
  return {
    from: q.from, to: q.to,
    items: (await withStaff(ctx.db, rows)).map((r) => toShiftView(r, ctx)),
    gaps: gaps.map((g) => ({ startsAt: g.startsAt.toISOString(), endsAt: g.endsAt.toISOString() })),
    can: { write: can(ctx.actor.roles, 'duty.write') },
  };
}

const WEEKDAYS_ZH = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];
export const EXPORT_HEADERS = ['日期', '星期', '专业', '班次', '开始时间', '结束时间', '值班人', '值班电话', '备注'];

/** The published roster as XLSX (CS-3); phones masked unless the role needs them; audited. */
export async function exportRoster(ctx: SignedInCtx, q: RangeQuery) {
  const range = rangeOf(q, MAX_LIST_DAYS, 'querystring');
  const site = readSite(ctx, q.siteId);
  const rows = await withStaff(ctx.db, await shiftsInRange(ctx.db, site, range, q));
  const views = rows.map((r) => toShiftView(r, { ...ctx, locale: 'zh-CN' }));
  const table = views.map((v) => {
    const date = shanghaiDate(new Date(v.startsAt));
    const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
    return [date, WEEKDAYS_ZH[weekday]!, v.tradeName, v.kindName, shanghaiDateTime(new Date(v.startsAt)), shanghaiDateTime(new Date(v.endsAt)), v.staffName, v.onCallPhone ?? '', v.note ?? ''];
  });
  const xlsx = await writeSheet('值班表', EXPORT_HEADERS, table);
  await audit(ctx.db, ctx, {
    action: 'duty.export', entityType: 'duty_roster', siteId: site,
    after: { from: q.from, to: q.to, trade: q.trade ?? null, staffId: q.staffId ?? null, rows: table.length, phonesMasked: views.some((v) => v.phoneMasked) },
  });
  return { xlsx, filename: `值班表_${q.from}_${q.to}.xlsx` };
}

// ---------------------------------------------------------------------------------- writing

export interface ShiftInput {
  staffId: string;
  trade: Trade;
  startsAt: Date;
  endsAt: Date;
  kind?: ShiftKind;
  onCallPhone?: string | null;
  note?: string | null;
}

type StaffRow = Pick<typeof staff.$inferSelect, 'id' | 'siteId' | 'name' | 'phone' | 'trades' | 'active'>;

/** A staff member referenced by a request body: in the actor's site and active, else 400 on the field. */
async function referencedStaff(tx: Queryable, ctx: SignedInCtx, staffId: string, field: string): Promise<StaffRow> {
  const [person] = await tx.select({ id: staff.id, siteId: staff.siteId, name: staff.name, phone: staff.phone, trades: staff.trades, active: staff.active })
    .from(staff).where(and(eq(staff.id, staffId), ctx.actor.siteId ? eq(staff.siteId, ctx.actor.siteId) : undefined));
  if (!person) throw invalidField(field, { zh: '员工不存在', en: 'No such staff member' }, 'not_found');
  if (!person.active) throw invalidField(field, { zh: `${person.name} 已停用，不能排班`, en: `${person.name} is deactivated` }, 'inactive');
  return person;
}

/** A person covers only the trades of their staff record (a plumber is not the on-call electrician). */
function qualifiedProblem(person: StaffRow, trade: string, field: string): FieldProblem | null {
  if (person.trades.includes(trade)) return null;
  return {
    field, code: 'not_qualified',
    message: { zh: `${person.name} 的工种不含「${tradeName(trade, 'zh-CN')}」`, en: `${person.name} is not registered for ${tradeName(trade, 'en-US')}` },
  };
}

function checkTimes(startsAt: Date, endsAt: Date, field: string) {
  if (endsAt <= startsAt) throw invalidField(field, { zh: '结束时间须晚于开始时间', en: 'The end must be after the start' }, 'not_after_start');
  if (endsAt.getTime() - startsAt.getTime() > MAX_SHIFT_MS) throw invalidField(field, { zh: '一个班次最长 7 天', en: 'A shift lasts at most 7 days' }, 'too_long');
}

/**
 * Serialises roster writes per person: two desks booking the same technician at once would both
 * pass the overlap check otherwise. Locks are taken in id order so two batches cannot deadlock.
 */
async function lockPeople(tx: Tx, staffIds: string[]) {
  for (const id of [...new Set(staffIds)].sort()) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`duty:${id}`}, 0))`);
  }
}

/** Existing shifts of these people that overlap any of the intervals (the caller holds the locks). */
async function overlapping(tx: Queryable, staffIds: string[], span: Interval, exceptId?: string) {
  return tx.select().from(dutyShifts).where(and(
    inArray(dutyShifts.staffId, staffIds),
    lt(dutyShifts.startsAt, span.endsAt), gt(dutyShifts.endsAt, span.startsAt),
    exceptId ? ne(dutyShifts.id, exceptId) : undefined,
  )).orderBy(asc(dutyShifts.startsAt));
}

function overlapError(fields: FieldProblem[], conflicts: ShiftRow[]) {
  return new AppError(409, 'duty_overlap', { zh: '与该员工已有的值班时间重叠', en: 'Overlaps a shift this person already has' }, fields, {}, {
    conflicts: conflicts.map((c) => ({ id: c.id, staffId: c.staffId, trade: c.trade, startsAt: c.startsAt.toISOString(), endsAt: c.endsAt.toISOString() })),
  });
}
const overlapMessage = (c: ShiftRow) => ({
  zh: `与已有值班 ${shanghaiDateTime(c.startsAt)}–${shanghaiDateTime(c.endsAt)}（${tradeName(c.trade, 'zh-CN')}）重叠`,
  en: `Overlaps the shift ${shanghaiDateTime(c.startsAt)}–${shanghaiDateTime(c.endsAt)} (${tradeName(c.trade, 'en-US')})`,
});

export async function createShift(ctx: SignedInCtx, input: ShiftInput) {
  checkTimes(input.startsAt, input.endsAt, 'body.endsAt');
  return ctx.db.transaction(async (tx) => {
    const person = await referencedStaff(tx, ctx, input.staffId, 'body.staffId');
    const unqualified = qualifiedProblem(person, input.trade, 'body.trade');
    if (unqualified) throw new AppError(400, 'invalid', { zh: '请求内容有误', en: 'The request is invalid' }, [unqualified]);
    await lockPeople(tx, [person.id]);
    const [clash] = await overlapping(tx, [person.id], input);
    if (clash) throw overlapError([{ field: 'body.startsAt', code: 'overlap', message: overlapMessage(clash) }], [clash]);
    const kind = input.kind ?? defaultShiftKind(await siteCalendar(tx, person.siteId), input.startsAt);
    const [row] = await tx.insert(dutyShifts).values({
      siteId: person.siteId, staffId: person.id, trade: input.trade, startsAt: input.startsAt, endsAt: input.endsAt, kind,
      onCallPhone: input.onCallPhone ?? null, note: input.note ?? null, createdAt: ctx.now, updatedAt: ctx.now,
    }).returning();
    await audit(tx, ctx, { action: 'duty.create', entityType: 'duty_shift', entityId: row!.id, siteId: row!.siteId, after: auditShape(row!) });
    return toShiftView({ shift: row!, staffName: person.name, staffPhone: person.phone }, ctx);
  });
}

export async function updateShift(ctx: SignedInCtx, id: string, input: Partial<ShiftInput>) {
  return ctx.db.transaction(async (tx) => {
    const before = await findVisibleShift(tx, ctx, id, true);
    const next = {
      staffId: input.staffId ?? before.staffId,
      trade: input.trade ?? before.trade,
      startsAt: input.startsAt ?? before.startsAt,
      endsAt: input.endsAt ?? before.endsAt,
    };
    checkTimes(next.startsAt, next.endsAt, input.endsAt ? 'body.endsAt' : 'body.startsAt');
    const person = await referencedStaff(tx, ctx, next.staffId, 'body.staffId');
    if (person.siteId !== before.siteId) throw invalidField('body.staffId', { zh: '员工不属于该项目', en: 'The staff member works at another site' }, 'other_site');
    const unqualified = qualifiedProblem(person, next.trade, input.trade ? 'body.trade' : 'body.staffId');
    if (unqualified) throw new AppError(400, 'invalid', { zh: '请求内容有误', en: 'The request is invalid' }, [unqualified]);
    await lockPeople(tx, [person.id]);
    const [clash] = await overlapping(tx, [person.id], next, id);
    if (clash) throw overlapError([{ field: input.staffId ? 'body.staffId' : 'body.startsAt', code: 'overlap', message: overlapMessage(clash) }], [clash]);
    // A moved shift gets the kind of its new start unless the request names one.
    const kind = input.kind ?? (input.startsAt ? defaultShiftKind(await siteCalendar(tx, before.siteId), next.startsAt) : before.kind);
    const [row] = await tx.update(dutyShifts).set({
      ...next, kind,
      ...(input.onCallPhone !== undefined ? { onCallPhone: input.onCallPhone } : {}),
      ...(input.note !== undefined ? { note: input.note } : {}),
      updatedAt: ctx.now,
    }).where(and(eq(dutyShifts.siteId, before.siteId), eq(dutyShifts.id, id))).returning();
    await audit(tx, ctx, { action: 'duty.update', entityType: 'duty_shift', entityId: id, siteId: before.siteId, before: auditShape(before), after: auditShape(row!) });
    return toShiftView({ shift: row!, staffName: person.name, staffPhone: person.phone }, ctx);
  });
}

export async function deleteShift(ctx: SignedInCtx, id: string) {
  await ctx.db.transaction(async (tx) => {
    const before = await findVisibleShift(tx, ctx, id, true);
    await tx.delete(dutyShifts).where(and(eq(dutyShifts.siteId, before.siteId), eq(dutyShifts.id, id)));
    await audit(tx, ctx, { action: 'duty.delete', entityType: 'duty_shift', entityId: id, siteId: before.siteId, before: auditShape(before) });
  });
}

export interface GenerateInput {
  from: string;
  to: string;
  trade: Trade;
  staffIds: string[];
  pattern: 'day-night';
  includeDayShifts?: boolean;
  note?: string | null;
}

/**
 * Fills a period from a rotation (CS-3), all or nothing: every person must be qualified and free
 * for every shift the plan gives them, or nothing is written. One audit row lists the shifts.
 */
export async function generateRoster(ctx: SignedInCtx, input: GenerateInput) {
  rangeOf(input, MAX_GENERATE_DAYS, 'body');
  const problems: FieldProblem[] = [];
  input.staffIds.forEach((sid, i) => {
    if (input.staffIds.indexOf(sid) !== i) problems.push({ field: `body.staffIds.${i}`, code: 'duplicate', message: { zh: '重复的员工', en: 'Listed twice' } });
  });
  if (problems.length) throw new AppError(400, 'invalid', { zh: '请求内容有误', en: 'The request is invalid' }, problems);
  return ctx.db.transaction(async (tx) => {
    const people: StaffRow[] = [];
    for (const [i, sid] of input.staffIds.entries()) {
      const person = await referencedStaff(tx, ctx, sid, `body.staffIds.${i}`);
      if (people[0] && person.siteId !== people[0].siteId) {
        problems.push({ field: `body.staffIds.${i}`, code: 'other_site', message: { zh: '员工不属于同一项目', en: 'Staff of different sites' } });
      }
      const unqualified = qualifiedProblem(person, input.trade, `body.staffIds.${i}`);
      if (unqualified) problems.push(unqualified);
      people.push(person);
    }
    if (problems.length) throw new AppError(400, 'invalid', { zh: '请求内容有误', en: 'The request is invalid' }, problems);
    const siteId = people[0]!.siteId;
    const plan = planRotation(await siteCalendar(tx, siteId), input);
    if (plan.length === 0) return { created: 0, items: [] };

    await lockPeople(tx, input.staffIds);
    const span = { startsAt: plan[0]!.startsAt, endsAt: plan.reduce((m, s) => (s.endsAt > m ? s.endsAt : m), plan[0]!.endsAt) };
    const existing = await overlapping(tx, input.staffIds, span);
    const clashes = new Map<number, ShiftRow>();
    for (const p of plan) {
      const clash = existing.find((e) => e.staffId === p.staffId && overlaps(e, p));
      const i = input.staffIds.indexOf(p.staffId);
      if (clash && !clashes.has(i)) clashes.set(i, clash);
    }
    if (clashes.size) {
      throw overlapError([...clashes].map(([i, c]) => ({ field: `body.staffIds.${i}`, code: 'overlap', message: overlapMessage(c) })), [...clashes.values()]);
    }
    const rows = await tx.insert(dutyShifts).values(plan.map((p: PlannedShift) => ({
      siteId, staffId: p.staffId, trade: input.trade, startsAt: p.startsAt, endsAt: p.endsAt, kind: p.kind,
      note: input.note ?? null, createdAt: ctx.now, updatedAt: ctx.now,
    }))).returning();
    await audit(tx, ctx, {
      action: 'duty.generate', entityType: 'duty_roster', siteId,
      after: {
        from: input.from, to: input.to, trade: input.trade, pattern: input.pattern, includeDayShifts: input.includeDayShifts ?? false, staffIds: input.staffIds,
        shifts: rows.map((r) => ({ id: r.id, staffId: r.staffId, kind: r.kind, startsAt: r.startsAt, endsAt: r.endsAt })),
      },
    });
    const names = new Map(people.map((p) => [p.id, p]));
    return { created: rows.length, items: rows.map((shift) => toShiftView({ shift, staffName: names.get(shift.staffId)!.name, staffPhone: names.get(shift.staffId)!.phone }, ctx)) };
  });
}

// ---------------------------------------------------------------------------------- iCal feed

const hashToken = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/** A new feed secret for a person; the old URL stops working. The token is shown once. */
export async function regenerateFeedToken(ctx: SignedInCtx, staffId: string) {
  return ctx.db.transaction(async (tx) => {
    const [person] = await tx.select({ id: staff.id, siteId: staff.siteId, name: staff.name }).from(staff)
      .where(and(eq(staff.id, staffId), ctx.actor.siteId ? eq(staff.siteId, ctx.actor.siteId) : undefined));
    if (!person) throw NotFound();
    const token = crypto.randomBytes(24).toString('base64url');
    const [before] = await tx.select({ staffId: dutyFeedTokens.staffId }).from(dutyFeedTokens).where(eq(dutyFeedTokens.staffId, person.id)).for('update');
    await tx.insert(dutyFeedTokens).values({ staffId: person.id, siteId: person.siteId, tokenHash: hashToken(token), createdAt: ctx.now })
      .onConflictDoUpdate({ target: dutyFeedTokens.staffId, set: { tokenHash: hashToken(token), createdAt: ctx.now } });
    await audit(tx, ctx, { action: before ? 'duty.feed_token_regenerate' : 'duty.feed_token_create', entityType: 'staff', entityId: person.id, siteId: person.siteId, after: { staffName: person.name } });
    return { staffId: person.id, token, path: `/api/duty/ical/${token}` };
  });
}

/** Shifts from a month back to half a year ahead: what a phone calendar needs, bounded. */
const FEED_PAST_MS = 31 * 86_400_000;
const FEED_AHEAD_MS = 183 * 86_400_000;

/** The iCal text of a person's shifts, or 404 for an unknown token or a deactivated person. */
export async function feedForToken(db: Queryable, token: string, now: Date): Promise<string> {
  const [owner] = await db.select({ staffId: staff.id, name: staff.name, active: staff.active, siteName: sites.name })
    .from(dutyFeedTokens)
    .innerJoin(staff, eq(staff.id, dutyFeedTokens.staffId))
    .innerJoin(sites, eq(sites.id, dutyFeedTokens.siteId))
    .where(eq(dutyFeedTokens.tokenHash, hashToken(token)));
  if (!owner || !owner.active) throw NotFound();
  const rows = await db.select().from(dutyShifts).where(and(
    eq(dutyShifts.staffId, owner.staffId),
    gt(dutyShifts.endsAt, new Date(now.getTime() - FEED_PAST_MS)), lt(dutyShifts.startsAt, new Date(now.getTime() + FEED_AHEAD_MS)),
  )).orderBy(asc(dutyShifts.startsAt));
  return writeFeed({
    name: `${owner.siteName}值班 · ${owner.name}`,
    now,
    events: rows.map((r) => ({
      uid: `${r.id}@duty.towerdesk`,
      startsAt: r.startsAt, endsAt: r.endsAt, lastModified: r.updatedAt,
      summary: `${tradeName(r.trade, 'zh-CN')}${kindName(r.kind, 'zh-CN')}`,
      description: r.note,
    })),
  });
}

// ---------------------------------------------------------------------------------- for other modules

export interface OnCall { staffId: string; name: string; phone: string; shiftId: string }

/**
 * Who covers `trade` at instant `at` (RP-2: the urgent repair pages them). Earliest-started
 * shift first; deactivated people are skipped, since nobody could reach them.
 */
export async function onCallStaff(db: Queryable, siteId: string, trade: Trade, at: Date): Promise<OnCall[]> {
  const rows = await db.select({ shiftId: dutyShifts.id, staffId: staff.id, name: staff.name, staffPhone: staff.phone, onCallPhone: dutyShifts.onCallPhone })
    .from(dutyShifts).innerJoin(staff, eq(staff.id, dutyShifts.staffId))
    .where(and(
      eq(dutyShifts.siteId, siteId), eq(dutyShifts.trade, trade),
      lte(dutyShifts.startsAt, at), gt(dutyShifts.endsAt, at), eq(staff.active, true),
    ))
    .orderBy(asc(dutyShifts.startsAt), asc(staff.employeeNo));
  return rows.map((r) => ({ staffId: r.staffId, name: r.name, phone: r.onCallPhone ?? r.staffPhone, shiftId: r.shiftId }));
}

export interface Suggestion { staffId: string; name: string; phone: string; onDuty: boolean; shiftId: string | null; openItems: number }

/** Work items still on someone's hands: not finished, not closed, not cancelled. */
const DONE_STATES = ['closed', 'cancelled', 'completed'];

/**
 * Staff for a dispatch (issue 3 §5): people of the trade, on duty at `at` first, then by how many
 * open work items they hold, then by name.
 */
export async function suggestAssignees(db: Queryable, siteId: string, trade: Trade, at: Date): Promise<Suggestion[]> {
  const [people, onDuty] = await Promise.all([
    db.select({ id: staff.id, name: staff.name, phone: staff.phone }).from(staff)
      .where(and(eq(staff.siteId, siteId), eq(staff.active, true), arrayContains(staff.trades, [trade]))),
    onCallStaff(db, siteId, trade, at),
  ]);
  const candidates = new Map(people.map((p) => [p.id, { staffId: p.id, name: p.name, phone: p.phone, onDuty: false, shiftId: null as string | null, openItems: 0 }]));
  for (const d of onDuty) {
    const c = candidates.get(d.staffId) ?? { staffId: d.staffId, name: d.name, phone: d.phone, onDuty: true, shiftId: d.shiftId, openItems: 0 };
    candidates.set(d.staffId, { ...c, phone: d.phone, onDuty: true, shiftId: c.shiftId ?? d.shiftId });
  }
  if (candidates.size === 0) return [];
  // work_items belongs to the work-items module, which calls this service; reading its open
  // load here (read-only, one indexed count per site) avoids a dependency cycle between the two.
  const load = await db.execute<{ staff_id: string; n: number }>(sql`
    select assignee_staff_id as staff_id, count(*)::int as n from work_items
    where site_id = ${siteId} and assignee_staff_id in (${sql.join([...candidates.keys()].map((id) => sql`${id}::uuid`), sql`, `)})
      and state not in (${sql.join(DONE_STATES.map((s) => sql`${s}`), sql`, `)})
    group by assignee_staff_id`);
  for (const r of load.rows) {
    const c = candidates.get(r.staff_id);
    if (c) c.openItems = Number(r.n);
  }
  return [...candidates.values()].sort((a, b) =>
    Number(b.onDuty) - Number(a.onDuty) || a.openItems - b.openItems || a.name.localeCompare(b.name, 'zh-CN'));
}

/** The desk's dispatch picker: suggestions in the actor's site (a company-wide admin names it). */
export async function suggestionsFor(ctx: SignedInCtx, q: { trade: Trade; at?: Date; siteId?: string }) {
  const site = readSite(ctx, q.siteId);
  if (!site) throw invalidField('querystring.siteId', { zh: '请指定项目', en: 'Name the site' }, 'required');
  const at = q.at ?? ctx.now;
  return { trade: q.trade, at: at.toISOString(), items: await suggestAssignees(ctx.db, site, q.trade, at) };
}
