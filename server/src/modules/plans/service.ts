import { isDeepStrictEqual } from 'node:util';
import { and, asc, desc, eq, gte, inArray, isNull, lt, or, sql, type SQL } from 'drizzle-orm';
import {
  checkRRule, HOLIDAY_RULE_LABELS, occurrencesBetween, planKindDef, shanghaiDate, shanghaiInstant, TRADES, validateTemplate,
  type HolidayRule, type PlanKind, type PlanTemplate, type Trade, type WorkingCalendar,
} from '@towerdesk/domain';
import type { Db, Queryable, Tx } from '../../db/index.ts';
import { audit } from '../../platform/audit.ts';
import type { SignedInCtx } from '../../platform/context.ts';
import { Conflict, Invalid, invalidField, NotFound, type FieldProblem } from '../../platform/errors.ts';
import { siteCalendar } from '../calendar/service.ts';
import { onCallStaff } from '../duty/service.ts';
import { staff } from '../parties/schema.ts';
import { places } from '../places/schema.ts';
import { registerPlaceReferenceCheck } from '../places/service.ts';
import { sites } from '../sites/schema.ts';
import { planVersions, plans, tasks, type AssigneeSpec } from './schema.ts';
import { isEnglish } from '../../platform/i18n.ts';

export type PlanRow = typeof plans.$inferSelect;
export type TaskRow = typeof tasks.$inferSelect;

// Templates keep checkpoint place ids in JSON, where no foreign key sees them: a place any
// template version names (past versions too: done tasks show them) can only be deactivated.
registerPlaceReferenceCheck(async (tx, placeId) => {
  const [hit] = await tx.select({ id: planVersions.id }).from(planVersions)
    .where(sql`${planVersions.template} @> ${JSON.stringify({ checkpoints: [{ placeId }] })}::jsonb`).limit(1);
  return hit !== undefined;
});

/** How far ahead the sweep keeps tasks generated (issue 4: a week). */
export const GENERATE_DAYS = 7;
const DAY = 86_400_000;

export interface PlanInput {
  kind: PlanKind;
  name: string;
  nameEn?: string | null;
  rrule: string;
  startsOn?: string;
  holidayRule?: HolidayRule;
  durationMinutes: number;
  graceMinutes: number;
  assignee: AssigneeSpec;
  template: PlanTemplate;
  siteId?: string;
}

const tradeName = (trade: string | null, ctx: SignedInCtx) => {
  const t = trade ? TRADES[trade as Trade] : undefined;
  return t ? (isEnglish(ctx) ? t.en : t.zh) : trade;
};

export function toPlanView(p: PlanRow, template: PlanTemplate, ctx: SignedInCtx) {
  const kind = planKindDef(p.kind as PlanKind);
  const rule = HOLIDAY_RULE_LABELS[p.holidayRule as HolidayRule];
  return {
    id: p.id, siteId: p.siteId, kind: p.kind as PlanKind, kindName: isEnglish(ctx) ? kind.en : kind.zh,
    name: p.name, nameEn: p.nameEn, rrule: p.rrule, startsOn: p.startsOn,
    holidayRule: p.holidayRule as HolidayRule, holidayRuleName: isEnglish(ctx) ? rule.en : rule.zh,
    durationMinutes: p.durationMinutes, graceMinutes: p.graceMinutes, assignee: p.assignee,
    version: p.currentVersion, template, active: p.active,
    createdAt: p.createdAt.toISOString(), updatedAt: p.updatedAt.toISOString(),
  };
}

/** The site a request is about: the actor's own; a company-wide admin names one. */
function siteOf(ctx: SignedInCtx, siteId: string | undefined, field: string): string {
  if (ctx.actor.siteId) {
    if (siteId && siteId !== ctx.actor.siteId) throw NotFound();
    return ctx.actor.siteId;
  }
  if (!siteId) throw invalidField(field, { zh: '请选择项目', en: 'Choose a site' }, 'required');
  return siteId;
}

async function findPlan(tx: Queryable, ctx: SignedInCtx, id: string, lock = false) {
  const q = tx.select().from(plans).where(and(eq(plans.id, id), ctx.actor.siteId ? eq(plans.siteId, ctx.actor.siteId) : undefined));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw NotFound();
  return row;
}

async function templateOf(db: Queryable, planId: string, version: number): Promise<PlanTemplate> {
  const [v] = await db.select().from(planVersions).where(and(eq(planVersions.planId, planId), eq(planVersions.version, version)));
  return v!.template;
}

// ---------------------------------------------------------------------------------- validation

/** RRULE checks (IN-1): 400 naming body.rrule, with the domain's zh/en reason. */
function checkSchedule(ctx: SignedInCtx, rrule: string, startsOn: string) {
  const r = checkRRule(rrule, { now: ctx.now, startsOn });
  if (!r.ok) throw invalidField('body.rrule', { zh: r.zh, en: r.en }, r.code);
}

/** The template's consistency and its places (all in the plan's site); 400 naming each field. */
async function checkTemplate(tx: Queryable, siteId: string, t: PlanTemplate) {
  const problems: FieldProblem[] = validateTemplate(t).map((i) => ({
    field: `body.template.${i.field.replace(/\[(\d+)\]/g, '.$1')}`, code: 'invalid', message: { zh: i.zh, en: i.en },
  }));
  const ids = [...new Set(t.checkpoints.map((c) => c.placeId))];
  const found = ids.length
    ? new Set((await tx.select({ id: places.id }).from(places).where(and(inArray(places.id, ids), eq(places.siteId, siteId)))).map((r) => r.id))
    : new Set<string>();
  t.checkpoints.forEach((c, i) => {
    if (!found.has(c.placeId)) problems.push({ field: `body.template.checkpoints.${i}.placeId`, code: 'not_found', message: { zh: '位置不存在', en: 'No such place' } });
  });
  if (problems.length) throw Invalid(problems);
}

async function checkAssignee(tx: Queryable, siteId: string, a: AssigneeSpec) {
  if (a.type !== 'staff') return;
  const [s] = await tx.select({ id: staff.id }).from(staff).where(and(eq(staff.id, a.staffId), eq(staff.siteId, siteId), eq(staff.active, true)));
  if (!s) throw invalidField('body.assignee.staffId', { zh: '员工不存在或已停用', en: 'No such active staff member' }, 'not_found');
}

// ---------------------------------------------------------------------------------- plans

export async function listPlans(ctx: SignedInCtx, q: { kind?: PlanKind; active?: boolean; siteId?: string }) {
  const rows = await ctx.db.select({ p: plans, template: planVersions.template }).from(plans)
    .innerJoin(planVersions, and(eq(planVersions.planId, plans.id), eq(planVersions.version, plans.currentVersion)))
    .where(and(
      ctx.actor.siteId ? eq(plans.siteId, ctx.actor.siteId) : q.siteId ? eq(plans.siteId, q.siteId) : undefined,
      q.kind ? eq(plans.kind, q.kind) : undefined,
      q.active === undefined ? undefined : eq(plans.active, q.active),
    ))
    .orderBy(asc(plans.kind), asc(plans.name));
  return { items: rows.map((r) => toPlanView(r.p, r.template, ctx)) };
}

export async function createPlan(ctx: SignedInCtx, input: PlanInput) {
  const siteId = siteOf(ctx, input.siteId, 'body.siteId');
  const startsOn = input.startsOn ?? shanghaiDate(ctx.now);
  checkSchedule(ctx, input.rrule, startsOn);
  return ctx.db.transaction(async (tx) => {
    const [site] = await tx.select({ id: sites.id }).from(sites).where(eq(sites.id, siteId));
    if (!site) throw invalidField('body.siteId', { zh: '项目不存在', en: 'No such site' }, 'not_found');
    await checkAssignee(tx, siteId, input.assignee);
    await checkTemplate(tx, siteId, input.template);
    const [row] = await tx.insert(plans).values({
      siteId, kind: input.kind, name: input.name, nameEn: input.nameEn ?? null, rrule: input.rrule, startsOn,
      holidayRule: input.holidayRule ?? planKindDef(input.kind).defaultHolidayRule,
      durationMinutes: input.durationMinutes, graceMinutes: input.graceMinutes, assignee: input.assignee,
      currentVersion: 1, createdAt: ctx.now, updatedAt: ctx.now,
    }).returning();
    await tx.insert(planVersions).values({ siteId, planId: row!.id, version: 1, template: input.template, createdAt: ctx.now });
    await audit(tx, ctx, { action: 'plan.create', entityType: 'plan', entityId: row!.id, siteId, after: { ...row!, template: input.template } });
    // The week ahead at once, so the new plan shows on today's lists without waiting for a sweep.
    await generateForPlans(tx, ctx.now, GENERATE_DAYS, [row!.id]);
    return toPlanView(row!, input.template, ctx);
  });
}

const SCHEDULE_FIELDS = ['rrule', 'startsOn', 'holidayRule', 'durationMinutes', 'graceMinutes', 'assignee'] as const;

/**
 * Edits a plan. A template change makes a new version that tasks generated afterwards take;
 * tasks already generated keep theirs (IN-1). A schedule or assignee change drops the tasks of
 * the plan that have not started yet and regenerates the week, so the list never shows both
 * the old and the new schedule.
 */
export async function updatePlan(ctx: SignedInCtx, id: string, input: Partial<Omit<PlanInput, 'siteId' | 'kind'>> & { kind?: PlanKind }) {
  return ctx.db.transaction(async (tx) => {
    const before = await findPlan(tx, ctx, id, true);
    const beforeTemplate = await templateOf(tx, id, before.currentVersion);
    const next = {
      kind: input.kind ?? before.kind, name: input.name ?? before.name, nameEn: input.nameEn === undefined ? before.nameEn : input.nameEn,
      rrule: input.rrule ?? before.rrule, startsOn: input.startsOn ?? before.startsOn,
      holidayRule: input.holidayRule ?? before.holidayRule,
      durationMinutes: input.durationMinutes ?? before.durationMinutes, graceMinutes: input.graceMinutes ?? before.graceMinutes,
      assignee: input.assignee ?? before.assignee,
    };
    // Deep equality, not JSON text: jsonb hands keys back in its own order.
    const rescheduled = SCHEDULE_FIELDS.some((f) => !isDeepStrictEqual(next[f], before[f]));
    if (input.rrule !== undefined || input.startsOn !== undefined) checkSchedule(ctx, next.rrule, next.startsOn);
    if (input.assignee) await checkAssignee(tx, before.siteId, input.assignee);
    let version = before.currentVersion;
    let template = beforeTemplate;
    if (input.template && !isDeepStrictEqual(input.template, beforeTemplate)) {
      await checkTemplate(tx, before.siteId, input.template);
      version += 1;
      template = input.template;
      await tx.insert(planVersions).values({ siteId: before.siteId, planId: id, version, template, createdAt: ctx.now });
    }
    const [row] = await tx.update(plans).set({ ...next, currentVersion: version, updatedAt: ctx.now }).where(eq(plans.id, id)).returning();
    let dropped = 0;
    if (rescheduled) {
      dropped = await dropUnstarted(tx, id, ctx.now);
      await tx.update(plans).set({ tasksUntil: null }).where(eq(plans.id, id));
      if (row!.active) await generateForPlans(tx, ctx.now, GENERATE_DAYS, [id]);
    }
    await audit(tx, ctx, {
      action: 'plan.update', entityType: 'plan', entityId: id, siteId: before.siteId,
      before: { ...before, template: version !== before.currentVersion ? beforeTemplate : undefined },
      after: { ...row!, template: version !== before.currentVersion ? template : undefined, droppedTasks: dropped },
    });
    return toPlanView(row!, template, ctx);
  });
}

/** Stops a plan: no more tasks; the ones not started yet are removed (they hold no record). */
export async function deactivatePlan(ctx: SignedInCtx, id: string) {
  return ctx.db.transaction(async (tx) => {
    const before = await findPlan(tx, ctx, id, true);
    if (!before.active) throw Conflict('already_inactive', { zh: '计划已停用', en: 'The plan is already deactivated' });
    const [row] = await tx.update(plans).set({ active: false, updatedAt: ctx.now }).where(eq(plans.id, id)).returning();
    const dropped = await dropUnstarted(tx, id, ctx.now);
    await audit(tx, ctx, { action: 'plan.deactivate', entityType: 'plan', entityId: id, siteId: before.siteId, before: { active: true }, after: { active: false, droppedTasks: dropped } });
    return toPlanView(row!, await templateOf(tx, id, row!.currentVersion), ctx);
  });
}

async function dropUnstarted(tx: Tx, planId: string, now: Date): Promise<number> {
  const gone = await tx.delete(tasks).where(and(eq(tasks.planId, planId), eq(tasks.state, 'scheduled'), gte(tasks.startsAt, now))).returning({ id: tasks.id });
  return gone.length;
}

// ---------------------------------------------------------------------------------- generation

/**
 * Keeps every active plan's tasks generated `days` ahead (DESIGN §2.4). Each call claims up to
 * `limit` plans whose horizon (tasks_until) runs within an hour of now + days, with FOR UPDATE
 * SKIP LOCKED, extends them, and moves their horizon; in steady state a plan is touched about
 * once an hour and a pass that finds nothing costs one indexed query. Idempotent whatever the
 * number of processes: a claimed plan is another process's to skip, and every occurrence is
 * inserted with ON CONFLICT DO NOTHING on the unique (plan_id, occurrence) besides. Loops until
 * nothing is left to claim (or `maxPlans` were done: the sweep bounds its pass); returns how
 * many tasks were new.
 */
export async function generateTasks(db: Db, now: Date, days = GENERATE_DAYS, opts: { batch?: number; maxPlans?: number } = {}): Promise<number> {
  const { batch = 100, maxPlans = Infinity } = opts;
  const horizon = new Date(now.getTime() + days * DAY);
  const calendars = new Map<string, WorkingCalendar>();
  let inserted = 0;
  for (let done = 0; done < maxPlans; done += batch) {
    const limit = Math.min(batch, maxPlans - done);
    const r = await db.transaction(async (tx) => {
      const claimed = await tx.select({ id: plans.id }).from(plans)
        .where(and(eq(plans.active, true), or(isNull(plans.tasksUntil), lt(plans.tasksUntil, new Date(horizon.getTime() - REFRESH_BEFORE)))))
        .orderBy(asc(plans.tasksUntil), asc(plans.id)).limit(limit).for('update', { skipLocked: true });
      if (claimed.length === 0) return null;
      return generateForPlans(tx, now, days, claimed.map((c) => c.id), calendars);
    });
    if (r === null) break;
    inserted += r;
  }
  return inserted;
}

/** The sweep extends a plan's horizon when it is this close to now + days. */
const REFRESH_BEFORE = 3_600_000;

/**
 * Generates the tasks of the given plans from their horizon (or now) to now + days and moves the
 * horizon. Exported for the concurrency test: it relies on the unique (plan_id, occurrence) alone.
 */
export async function generateForPlans(tx: Queryable, now: Date, days: number, planIds: string[], calendars = new Map<string, WorkingCalendar>()): Promise<number> {
  const rows = await tx.select().from(plans).where(and(inArray(plans.id, planIds), eq(plans.active, true)));
  if (rows.length === 0) return 0;
  const to = new Date(now.getTime() + days * DAY);
  // All plans' rows in a few statements, not a few per plan: a sweep batch is 100 plans.
  const values: Array<{
    siteId: string; planId: string; planVersion: number; occurrence: Date; startsAt: Date; dueAt: Date; lateAt: Date;
    assigneeStaffId: string | null; assigneeTrade: string | null; createdAt: Date;
  }> = [];
  for (const p of rows) {
    // From the horizon on: what lies before it exists already (or was dropped on purpose).
    // Occurrences that started while nothing ran (server down) are not made up after the fact.
    const from = p.tasksUntil && p.tasksUntil > now ? p.tasksUntil : now;
    if (from >= to) continue;
    let cal = calendars.get(p.siteId);
    if (!cal) calendars.set(p.siteId, (cal = await siteCalendar(tx, p.siteId)));
    const occ = occurrencesBetween(
      { rrule: p.rrule, startsOn: p.startsOn, holidayRule: p.holidayRule as HolidayRule, durationMinutes: p.durationMinutes, graceMinutes: p.graceMinutes },
      from, to, cal,
    );
    const a = p.assignee;
    for (const o of occ) {
      let staffId: string | null = a.type === 'staff' ? a.staffId : null;
      // Whoever the published roster puts on duty for the trade then; the trade's pool if nobody yet.
      if (a.type === 'duty') staffId = (await onCallStaff(tx, p.siteId, a.trade, o.startsAt))[0]?.staffId ?? null;
      values.push({
        siteId: p.siteId, planId: p.id, planVersion: p.currentVersion, occurrence: o.occurrence,
        startsAt: o.startsAt, dueAt: o.dueAt, lateAt: o.lateAt,
        assigneeStaffId: staffId, assigneeTrade: a.type === 'staff' ? null : a.trade, createdAt: now,
      });
    }
  }
  // One INSERT … SELECT FROM unnest per 20k rows: one parameter per column, not per value (as
  // reception/seed.ts); a year ahead for 500 plans is 300k rows.
  let inserted = 0;
  for (let i = 0; i < values.length; i += 20_000) {
    const chunk = values.slice(i, i + 20_000);
    const col = <T,>(f: (v: (typeof values)[number]) => T) => sql.param(chunk.map(f));
    const iso = (d: Date) => d.toISOString();
    const res = await tx.execute(sql`insert into ${tasks} (site_id, plan_id, plan_version, occurrence, starts_at, due_at, late_at, assignee_staff_id, assignee_trade, created_at)
      select * from unnest(${col((v) => v.siteId)}::uuid[], ${col((v) => v.planId)}::uuid[], ${col((v) => v.planVersion)}::int[],
        ${col((v) => iso(v.occurrence))}::timestamptz[], ${col((v) => iso(v.startsAt))}::timestamptz[], ${col((v) => iso(v.dueAt))}::timestamptz[],
        ${col((v) => iso(v.lateAt))}::timestamptz[], ${col((v) => v.assigneeStaffId)}::uuid[], ${col((v) => v.assigneeTrade)}::text[],
        ${col((v) => iso(v.createdAt))}::timestamptz[])
      on conflict (plan_id, occurrence) do nothing`);
    inserted += res.rowCount ?? 0;
  }
  // Never moves back: a concurrent call with an earlier clock must not shorten it.
  await tx.update(plans).set({ tasksUntil: sql`greatest(${plans.tasksUntil}, ${to.toISOString()}::timestamptz)` })
    .where(inArray(plans.id, rows.map((p) => p.id)));
  return inserted;
}

// ---------------------------------------------------------------------------------- tasks

export interface TaskQuery {
  date?: string;
  assignee?: 'me';
  planId?: string;
  state?: string;
  siteId?: string;
  limit: number;
  offset: number;
}

/** Tasks by Shanghai day of their start, person, plan, state; in start order. */
export async function listTasks(ctx: SignedInCtx, q: TaskQuery) {
  const conds: Array<SQL | undefined> = [
    ctx.actor.siteId ? eq(tasks.siteId, ctx.actor.siteId) : q.siteId ? eq(tasks.siteId, q.siteId) : undefined,
    q.planId ? eq(tasks.planId, q.planId) : undefined,
    q.state ? eq(tasks.state, q.state) : undefined,
  ];
  if (q.date) {
    const from = shanghaiInstant(q.date);
    conds.push(gte(tasks.startsAt, from), lt(tasks.startsAt, new Date(from.getTime() + DAY)));
  }
  if (q.assignee === 'me') {
    // Mine: named to me, or left to a trade I have (the pool takes them on the phone).
    if (!ctx.actor.staffId) return { items: [], total: 0 };
    const [me] = await ctx.db.select({ trades: staff.trades }).from(staff).where(eq(staff.id, ctx.actor.staffId));
    const trades = me?.trades ?? [];
    conds.push(or(
      eq(tasks.assigneeStaffId, ctx.actor.staffId),
      trades.length ? and(isNull(tasks.assigneeStaffId), inArray(tasks.assigneeTrade, trades)) : undefined,
    ));
  }
  const where = and(...conds);
  const [rows, [count]] = await Promise.all([
    ctx.db.select({ t: tasks, planName: plans.name, planNameEn: plans.nameEn, kind: plans.kind, staffName: staff.name })
      .from(tasks).innerJoin(plans, eq(plans.id, tasks.planId)).leftJoin(staff, eq(staff.id, tasks.assigneeStaffId))
      .where(where).orderBy(asc(tasks.startsAt), asc(plans.name), desc(tasks.id)).limit(q.limit).offset(q.offset),
    ctx.db.select({ n: sql<number>`count(*)::int` }).from(tasks).where(where),
  ]);
  return {
    items: rows.map(({ t, planName, planNameEn, kind, staffName }) => ({
      id: t.id, planId: t.planId, planName: isEnglish(ctx) ? planNameEn ?? planName : planName,
      kind: kind as PlanKind, kindName: isEnglish(ctx) ? planKindDef(kind as PlanKind).en : planKindDef(kind as PlanKind).zh,
      planVersion: t.planVersion, occurrence: t.occurrence.toISOString(),
      startsAt: t.startsAt.toISOString(), dueAt: t.dueAt.toISOString(), lateAt: t.lateAt.toISOString(),
      moved: t.startsAt.getTime() !== t.occurrence.getTime(),
      assigneeStaffId: t.assigneeStaffId, assigneeName: staffName ?? null,
      assigneeTrade: t.assigneeTrade, assigneeTradeName: tradeName(t.assigneeTrade, ctx),
      state: t.state,
    })),
    total: count!.n,
  };
}
