// Doing a task on a phone (IN-3, IN-4): start, scan each checkpoint at its place, answer each
// item with the input of its kind, report problems, finish. Every change is one transaction with
// its audit row and honours an Idempotency-Key (the offline queue replays them); times are when
// the change happened on the phone, which may be long before the server hears of it.
//
// The conflict rule (docs/offline.md): the first person whose start (or first scan) reaches the
// server owns the task; anyone else's later change gets 409 task_taken.

import { and, asc, eq, gt, gte, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import {
  ALL_CATEGORIES, isCategoryOf, judgeAnswer, KINDS, planKindDef, shanghaiDate, shanghaiInstant, TRADES,
  type Answer, type Checkpoint, type ChecklistItem, type PlanKind, type PlanTemplate, type Trade, type Urgency,
} from '@towerdesk/domain';
import type { Db, Queryable, Tx } from '../../db/index.ts';
import { audit } from '../../platform/audit.ts';
import type { SignedInCtx } from '../../platform/context.ts';
import { AppError, Conflict, Forbidden, Invalid, invalidField, NotFound, type FieldProblem } from '../../platform/errors.ts';
import { attachUploads, registerAttachmentVisibility, shareAttachments } from '../attachments/service.ts';
import { accountsWithRoles, notify } from '../notifications/service.ts';
import { staff } from '../parties/schema.ts';
import { places } from '../places/schema.ts';
import { workItems } from '../work-items/schema.ts';
import { createWorkItem } from '../work-items/service.ts';
import { planVersions, plans, taskAnswers, taskCheckpoints, tasks } from './schema.ts';
import { isEnglish } from '../../platform/i18n.ts';

export type TaskState = 'scheduled' | 'in_progress' | 'done' | 'missed';
export const TASK_STATES = ['scheduled', 'in_progress', 'done', 'missed'] as const satisfies readonly TaskState[];
export const TASK_STATE_LABELS: Record<TaskState, { zh: string; en: string }> = {
  scheduled: { zh: '待执行', en: 'Scheduled' },
  in_progress: { zh: '执行中', en: 'In progress' },
  done: { zh: '已完成', en: 'Done' },
  missed: { zh: '漏检', en: 'Missed' },
};

/** How far ahead of the server's clock a phone's time may run (clock drift), and how old a queued change may be. */
const FUTURE_SKEW = 5 * 60_000;
const OLDEST_CHANGE = 7 * 86_400_000;
/** How early a round may be started (the phone starts one by a scan within 15 minutes of its start). */
const EARLY_START = 60 * 60_000;
/** A task started but never finished is closed by the sweep this long after its window (its visits kept). */
const ABANDONED_AFTER = 24 * 3_600_000;

const isManager = (ctx: SignedInCtx) => ctx.actor.roles.some((r) => r === 'admin' || r === 'supervisor');

// Photos answered on a task are seen by whoever may see the task: staff of its site.
registerAttachmentVisibility('task', async (ctx, id) =>
  ctx.actor.roles.some((r) => r !== 'occupant') && (await ctx.db.$count(tasks, and(eq(tasks.id, id), ctx.actor.siteId ? eq(tasks.siteId, ctx.actor.siteId) : undefined))) > 0);

// ---------------------------------------------------------------------------------- reading

type TaskRow = typeof tasks.$inferSelect;

async function placeInfo(db: Queryable, ids: string[]) {
  if (!ids.length) return new Map<string, { name: string; nameEn: string | null; path: string; token: string }>();
  // Each place with its ancestors' names (building / floor / room), for the phone's list.
  const rows = await db.execute<{ id: string; name: string; name_en: string | null; qr_token: string; path: string | null }>(sql`
    with recursive up(start, id, parent_id, depth) as (
      select id, id, parent_id, 0 from ${places} where id = any(${sql.param(ids)}::uuid[])
      union all select up.start, p.id, p.parent_id, up.depth + 1 from ${places} p join up on p.id = up.parent_id where up.depth < 10)
    select s.id, s.name, s.name_en, s.qr_token,
      (select string_agg(p.name, ' / ' order by up.depth desc) from up join ${places} p on p.id = up.id
        where up.start = s.id and up.depth > 0) as path
    from ${places} s where s.id = any(${sql.param(ids)}::uuid[])`);
  return new Map(rows.rows.map((r) => [r.id, { name: r.name, nameEn: r.name_en, path: r.path ?? '', token: r.qr_token }]));
}

/** Everything the phone needs to do the task offline and the desk needs to show its record. */
export async function taskDetails(db: Queryable, ctx: SignedInCtx, rows: TaskRow[]) {
  if (!rows.length) return [];
  const taskIds = rows.map((t) => t.id);
  const planIds = [...new Set(rows.map((t) => t.planId))];
  const [planRows, versions, cps, answers, findings, people] = await Promise.all([
    db.select().from(plans).where(inArray(plans.id, planIds)),
    // Only the versions these tasks use (a plan edited weekly for a year has 52).
    db.select().from(planVersions).where(and(inArray(planVersions.planId, planIds), inArray(planVersions.version, [...new Set(rows.map((t) => t.planVersion))]))),
    db.select().from(taskCheckpoints).where(inArray(taskCheckpoints.taskId, taskIds)),
    db.select().from(taskAnswers).where(inArray(taskAnswers.taskId, taskIds)),
    db.select({ id: workItems.id, number: workItems.number, title: workItems.title, state: workItems.state, kind: workItems.kind, taskId: workItems.taskId, checkpoint: workItems.taskCheckpoint })
      .from(workItems).where(inArray(workItems.taskId, taskIds)),
    db.select({ id: staff.id, name: staff.name }).from(staff)
      .where(inArray(staff.id, [...new Set(rows.flatMap((t) => [t.assigneeStaffId, t.startedBy, t.finishedBy]).filter((s): s is string => !!s)), '00000000-0000-0000-0000-000000000000'])),
  ]);
  const planOf = new Map(planRows.map((p) => [p.id, p]));
  const templateOf = new Map(versions.map((v) => [`${v.planId}:${v.version}`, v.template]));
  const names = new Map(people.map((p) => [p.id, p.name]));
  const placeIds = new Set<string>();
  for (const t of rows) for (const c of templateOf.get(`${t.planId}:${t.planVersion}`)?.checkpoints ?? []) placeIds.add(c.placeId);
  const placeOf = await placeInfo(db, [...placeIds]);
  const itemName = (f: (typeof findings)[number]) => {
    const s = KINDS.finding.states[f.state];
    return { id: f.id, number: f.number, state: f.state, stateName: s ? (isEnglish(ctx) ? s.en : s.zh) : f.state };
  };
  return rows.map((t) => {
    const plan = planOf.get(t.planId)!;
    const template = templateOf.get(`${t.planId}:${t.planVersion}`) ?? { checkpoints: [] };
    const kind = planKindDef(plan.kind as PlanKind);
    const myCps = cps.filter((c) => c.taskId === t.id);
    const myAnswers = answers.filter((a) => a.taskId === t.id);
    const myFindings = findings.filter((f) => f.taskId === t.id);
    const state = TASK_STATE_LABELS[t.state as TaskState];
    return {
      id: t.id, planId: t.planId, planName: isEnglish(ctx) ? plan.nameEn ?? plan.name : plan.name, kind: plan.kind as PlanKind,
      kindName: isEnglish(ctx) ? kind.en : kind.zh, planVersion: t.planVersion,
      occurrence: t.occurrence.toISOString(), startsAt: t.startsAt.toISOString(), dueAt: t.dueAt.toISOString(), lateAt: t.lateAt.toISOString(),
      state: t.state as TaskState, stateName: state ? (isEnglish(ctx) ? state.en : state.zh) : t.state,
      assigneeStaffId: t.assigneeStaffId, assigneeName: t.assigneeStaffId ? names.get(t.assigneeStaffId) ?? null : null,
      assigneeTrade: t.assigneeTrade, assigneeTradeName: t.assigneeTrade ? (isEnglish(ctx) ? TRADES[t.assigneeTrade as Trade]?.en : TRADES[t.assigneeTrade as Trade]?.zh) ?? t.assigneeTrade : null,
      startedAt: t.startedAt?.toISOString() ?? null, startedByName: t.startedBy ? names.get(t.startedBy) ?? null : null,
      finishedAt: t.finishedAt?.toISOString() ?? null, finishedByName: t.finishedBy ? names.get(t.finishedBy) ?? null : null,
      note: t.note,
      // Late: finished after its window and grace, or not finished and the grace is over.
      late: t.finishedAt ? t.finishedAt > t.lateAt : t.state !== 'missed' && ctx.now > t.lateAt,
      checkpoints: [...template.checkpoints].sort((a, b) => a.order - b.order).map((c) => {
        const row = myCps.find((r) => r.checkpoint === c.order);
        const place = placeOf.get(c.placeId);
        return {
          order: c.order, placeId: c.placeId, placeName: place ? (isEnglish(ctx) ? place.nameEn ?? place.name : place.name) : '', placePath: place?.path ?? '',
          placeToken: place?.token ?? '',
          state: (row?.state ?? 'pending') as 'pending' | 'visited' | 'missed', scannedAt: row?.at?.toISOString() ?? null,
          proof: (row?.proof ?? null) as 'qr' | 'manual' | null, outOfOrder: row?.outOfOrder ?? false, late: row?.late ?? false,
          items: c.items.map((item) => {
            const a = myAnswers.find((x) => x.checkpoint === c.order && x.itemId === item.id);
            const f = a?.findingItemId ? myFindings.find((x) => x.id === a.findingItemId) : undefined;
            return {
              ...item,
              answer: a ? {
                value: answerValue(a), finding: a.finding, why: a.finding ? whyOf(item, answerValue(a), ctx) : null,
                answeredAt: a.at.toISOString(), findingItem: f ? itemName(f) : null,
              } : null,
            };
          }),
        };
      }),
      findings: myFindings.map((f) => ({ ...itemName(f), title: f.title, checkpoint: f.checkpoint })),
    };
  });
}
export type TaskDetail = Awaited<ReturnType<typeof taskDetails>>[number];

const answerValue = (a: typeof taskAnswers.$inferSelect): number | boolean | string | string[] => {
  switch (a.kind) {
    case 'number': case 'meter': return a.num!;
    case 'yes_no': return a.bool!;
    case 'text': return a.text ?? '';
    case 'single_choice': return a.list?.[0] ?? '';
    default: return a.list ?? [];
  }
};
/** An answer as a person reads it: the number with its unit, 是/否, the choices, N photos. */
export function answerText(a: { kind: string; num: number | null; unit: string | null; bool: boolean | null; text: string | null; list: string[] | null }, en = false): string {
  switch (a.kind) {
    case 'number':
    case 'meter':
      return a.num === null ? '' : `${a.num}${a.unit ? (en ? ` ${a.unit}` : a.unit) : ''}`;
    case 'yes_no':
      return a.bool === null ? '' : en ? (a.bool ? 'Yes' : 'No') : a.bool ? '是' : '否';
    case 'photo':
      return en ? `${a.list?.length ?? 0} photo(s)` : `照片 ${a.list?.length ?? 0} 张`;
    case 'single_choice':
    case 'multi_choice':
      return (a.list ?? []).join(en ? ', ' : '、');
    default:
      return a.text ?? '';
  }
}

/** The typed columns of a judged answer: never one text blob (IN-3). */
export function answerColumns(item: ChecklistItem, value: Answer) {
  return {
    kind: item.kind, num: typeof value === 'number' ? value : null, unit: item.kind === 'number' || item.kind === 'meter' ? item.unit : null,
    bool: typeof value === 'boolean' ? value : null, text: typeof value === 'string' && item.kind === 'text' ? value : null,
    list: item.kind === 'single_choice' ? [value as string] : Array.isArray(value) ? value : null,
  };
}

function whyOf(item: ChecklistItem, value: unknown, ctx: SignedInCtx) {
  const j = judgeAnswer(item, value);
  return j.valid && j.finding && j.why ? (isEnglish(ctx) ? j.why.en : j.why.zh) : null;
}

function scope(ctx: SignedInCtx) {
  return ctx.actor.siteId ? eq(tasks.siteId, ctx.actor.siteId) : undefined;
}

export async function getTask(ctx: SignedInCtx, id: string) {
  const [t] = await ctx.db.select().from(tasks).where(and(eq(tasks.id, id), scope(ctx)));
  if (!t) throw NotFound();
  return (await taskDetails(ctx.db, ctx, [t]))[0]!;
}

const DAY = 86_400_000;

/**
 * The phone's list (IN-3): my tasks — named to me, or left to a trade of mine and not taken by
 * someone else — from the start of today (Shanghai) to a day ahead (a night patrol after
 * midnight is on it in the evening), and any task I started and have not finished.
 */
export async function myTasksToday(ctx: SignedInCtx) {
  if (!ctx.actor.staffId) return { items: [] };
  const me = ctx.actor.staffId;
  const [s] = await ctx.db.select({ trades: staff.trades }).from(staff).where(eq(staff.id, me));
  const trades = s?.trades ?? [];
  const from = shanghaiInstant(shanghaiDate(ctx.now));
  const rows = await ctx.db.select().from(tasks).where(and(scope(ctx), or(
    // From today, or earlier and still open (the 22:00 patrol after midnight, a 5-day greening window).
    and(or(gte(tasks.startsAt, from), gt(tasks.lateAt, ctx.now)), lt(tasks.startsAt, new Date(ctx.now.getTime() + DAY)), or(
      eq(tasks.assigneeStaffId, me),
      trades.length ? and(isNull(tasks.assigneeStaffId), inArray(tasks.assigneeTrade, trades)) : undefined,
    ), or(isNull(tasks.startedBy), eq(tasks.startedBy, me))),
    and(eq(tasks.startedBy, me), eq(tasks.state, 'in_progress')),
  ))).orderBy(asc(tasks.startsAt), asc(tasks.id)).limit(200);
  return { items: await taskDetails(ctx.db, ctx, rows) };
}

// ---------------------------------------------------------------------------------- changes

/** When the change happened on the phone: now when not said; never in the future, at most a week old. */
function changeTime(ctx: SignedInCtx, at: string | undefined): Date {
  if (at === undefined) return ctx.now;
  const d = new Date(at);
  if (d.getTime() > ctx.now.getTime() + FUTURE_SKEW) throw invalidField('body.at', { zh: '时间不能晚于当前时间', en: 'The time cannot be in the future' }, 'future');
  if (d.getTime() < ctx.now.getTime() - OLDEST_CHANGE) throw invalidField('body.at', { zh: '离线记录超过 7 天，无法同步', en: 'Offline records older than 7 days cannot be synced' }, 'too_old');
  return d;
}

async function lockTask(tx: Tx, ctx: SignedInCtx, id: string) {
  const [t] = await tx.select().from(tasks).where(and(eq(tasks.id, id), scope(ctx))).for('update');
  if (!t) throw NotFound();
  return t;
}

async function templateFor(tx: Queryable, t: TaskRow): Promise<PlanTemplate> {
  const [v] = await tx.select({ template: planVersions.template }).from(planVersions).where(and(eq(planVersions.planId, t.planId), eq(planVersions.version, t.planVersion)));
  return v!.template;
}

const taken = () => Conflict('task_taken', { zh: '该任务已由他人开始执行', en: 'Someone else has already started this task' });
const doneAlready = () => Conflict('task_done', { zh: '任务已完成，不能再修改', en: 'The task is done and can no longer change' });

/** Whether the actor may take this task at all: the named person, the trade's pool, or a manager. */
async function mayTake(tx: Queryable, ctx: SignedInCtx, t: TaskRow) {
  if (isManager(ctx)) return;
  const me = ctx.actor.staffId;
  if (!me) throw Forbidden();
  if (t.assigneeStaffId === me) return;
  if (!t.assigneeStaffId && t.assigneeTrade) {
    const [s] = await tx.select({ trades: staff.trades }).from(staff).where(eq(staff.id, me));
    if (s?.trades.includes(t.assigneeTrade)) return;
  }
  throw Forbidden();
}

/**
 * Makes sure the task is in progress and the actor's: starts it when it is not yet (the first
 * start or scan to reach the server wins), refuses when it is someone else's or done. A task the
 * sweep marked missed is taken back when the phone says it started within the window (it was
 * done offline in time; only the record came late).
 */
async function ensureMine(tx: Tx, ctx: SignedInCtx, t: TaskRow, at: Date): Promise<TaskRow> {
  if (t.state === 'done') throw doneAlready();
  if (t.startedBy) {
    if (t.startedBy !== ctx.actor.staffId) throw taken();
    if (t.state === 'in_progress') return t;
  }
  if (t.state === 'missed' && at > t.lateAt) {
    throw Conflict('task_missed', { zh: '任务已超过时限，已记为漏检', en: 'The task is past its window and was recorded as missed' });
  }
  // Tomorrow's round done tonight is not tomorrow's round.
  if (at.getTime() < t.startsAt.getTime() - EARLY_START) {
    throw Conflict('task_not_due', { zh: '任务开始前 1 小时内才能开始执行', en: 'A task can be started at most an hour before its start' });
  }
  await mayTake(tx, ctx, t);
  if (!ctx.actor.staffId) throw Forbidden();
  const [row] = await tx.update(tasks).set({
    state: 'in_progress', startedAt: t.startedAt ?? at, startedBy: ctx.actor.staffId, assigneeStaffId: t.assigneeStaffId ?? ctx.actor.staffId,
    // Taken back from missed by a late sync: the sweep's day before calling it abandoned counts
    // from now, or the rest of the queued round would be refused as the sweep closes it again.
    ...(t.state === 'missed' ? { lateNotifiedAt: ctx.now } : {}),
  }).where(eq(tasks.id, t.id)).returning();
  // The sweep may already have written missed rows for its checkpoints; the round goes on.
  if (t.state === 'missed') await tx.delete(taskCheckpoints).where(and(eq(taskCheckpoints.taskId, t.id), eq(taskCheckpoints.state, 'missed')));
  await audit(tx, ctx, { action: 'task.start', entityType: 'task', entityId: t.id, siteId: t.siteId, before: { state: t.state }, after: { state: 'in_progress', startedAt: at } });
  return row!;
}

export async function startTask(tx: Tx, ctx: SignedInCtx, id: string, input: { at?: string }) {
  const at = changeTime(ctx, input.at);
  await ensureMine(tx, ctx, await lockTask(tx, ctx, id), at);
}

export interface ScanInput { token?: string; placeId?: string; reason?: string; at?: string }

/**
 * A checkpoint visited (IN-3): the QR token proves the phone was at the place; a manual visit
 * (label damaged) names the place and a reason. 422 when the place is not on the task, nothing
 * recorded. Out of order is allowed and flagged; scanning a visited checkpoint again changes nothing.
 */
export async function scanCheckpoint(tx: Tx, ctx: SignedInCtx, id: string, input: ScanInput) {
  const at = changeTime(ctx, input.at);
  let t = await lockTask(tx, ctx, id);
  if (!input.token && !input.placeId) throw invalidField('body.token', { zh: '请扫描位置二维码', en: 'Scan the place\'s QR code' }, 'required');
  if (!input.token && !input.reason?.trim()) throw invalidField('body.reason', { zh: '手工签到须填写原因', en: 'A manual check-in needs a reason' }, 'required');
  const [place] = await tx.select({ id: places.id }).from(places).where(and(
    input.token ? eq(places.qrToken, input.token) : eq(places.id, input.placeId!), eq(places.siteId, t.siteId), eq(places.active, true)));
  // Whether the route holds the place is the task's business: someone who may not take it learns nothing.
  if (t.startedBy && t.startedBy !== ctx.actor.staffId) throw taken();
  if (!t.startedBy) await mayTake(tx, ctx, t);
  const template = await templateFor(tx, t);
  const visited = await tx.select().from(taskCheckpoints).where(eq(taskCheckpoints.taskId, t.id));
  const candidates = template.checkpoints.filter((c) => c.placeId === place?.id).sort((a, b) => a.order - b.order);
  if (!candidates.length) {
    const field = input.token ? 'body.token' : 'body.placeId';
    throw new AppError(422, 'wrong_place', { zh: '扫描的位置不在本任务的路线上', en: 'The scanned place is not on this task\'s route' },
      [{ field, code: 'wrong_place', message: { zh: '位置不符', en: 'Wrong place' } }]);
  }
  t = await ensureMine(tx, ctx, t, at);
  // A place listed twice on a route (a lobby at the start and the end) takes the first unvisited.
  const cp = candidates.find((c) => !visited.some((v) => v.checkpoint === c.order && v.state === 'visited'));
  if (!cp) return;
  const outOfOrder = template.checkpoints.some((c) => c.order < cp.order && !visited.some((v) => v.checkpoint === c.order && v.state === 'visited'));
  await tx.insert(taskCheckpoints).values({
    siteId: t.siteId, taskId: t.id, planId: t.planId, checkpoint: cp.order, placeId: cp.placeId, state: 'visited', at, receivedAt: ctx.now,
    staffId: ctx.actor.staffId, proof: input.token ? 'qr' : 'manual', reason: input.token ? null : input.reason!.trim(), outOfOrder, late: at > t.lateAt,
  }).onConflictDoUpdate({
    // Only a missed row can be there (a late sync after the sweep): the visit replaces it.
    target: [taskCheckpoints.taskId, taskCheckpoints.checkpoint],
    set: { state: 'visited', at, receivedAt: ctx.now, staffId: ctx.actor.staffId, proof: input.token ? 'qr' : 'manual', reason: input.token ? null : input.reason!.trim(), outOfOrder, late: at > t.lateAt },
  });
  await audit(tx, ctx, { action: 'task.scan', entityType: 'task', entityId: t.id, siteId: t.siteId, after: { checkpoint: cp.order, placeId: cp.placeId, at, proof: input.token ? 'qr' : 'manual', outOfOrder } });
}

async function inProgressMine(tx: Tx, ctx: SignedInCtx, id: string) {
  const t = await lockTask(tx, ctx, id);
  if (t.state === 'done') throw doneAlready();
  if (t.startedBy && t.startedBy !== ctx.actor.staffId) throw taken();
  if (t.state !== 'in_progress') throw Conflict('task_not_started', { zh: '请先开始任务并扫描点位', en: 'Start the task and scan the checkpoint first' });
  return t;
}

function checkpointOf(template: PlanTemplate, order: number): Checkpoint {
  const cp = template.checkpoints.find((c) => c.order === order);
  if (!cp) throw invalidField('body.checkpoint', { zh: '本任务没有这个点位', en: 'No such checkpoint on this task' }, 'not_found');
  return cp;
}

/** The repair category a finding of this plan goes to: its trade's, else 其他 (IN-4 "routed like a repair by trade"). */
function findingCategory(t: TaskRow, requested?: string): string {
  if (requested) return requested;
  const root = ALL_CATEGORIES.find((c) => c.kind === 'repair' && !c.code.includes('.') && c.trade === t.assigneeTrade && c.trade !== 'general');
  return root?.code ?? 'other';
}

/** Raises a finding work item for a checkpoint of a task and links it both ways (IN-4). */
async function raiseFinding(tx: Tx, ctx: SignedInCtx, t: TaskRow, cp: Checkpoint, what: { title: string; description: string; category?: string; urgency?: Urgency; attachmentIds?: string[] }) {
  const [plan] = await tx.select({ name: plans.name }).from(plans).where(eq(plans.id, t.planId));
  const category = findingCategory(t, what.category);
  if (!isCategoryOf(category, 'finding')) throw invalidField('body.category', { zh: '类别不存在', en: 'Unknown category' });
  const item = await createWorkItem(ctx, {
    kind: 'finding', category, urgency: what.urgency, placeId: cp.placeId, title: what.title,
    description: `${what.description}\n—— 来自任务「${plan!.name}」${shanghaiDate(t.startsAt)}，点位 ${cp.order}`,
    channel: 'task', attachmentIds: what.attachmentIds,
  }, tx);
  await tx.update(workItems).set({ taskId: t.id, taskCheckpoint: cp.order }).where(eq(workItems.id, item.id));
  return item;
}

export interface AnswersInput { checkpoint: number; answers: Array<{ itemId: string; value: unknown }>; at?: string }

/**
 * Answers items of a visited checkpoint (IN-3): each judged by its item's kind — the wrong type
 * or an option not offered is a 400 naming the item, nothing stored. Numbers are stored as
 * numbers with the unit. An abnormal answer raises a finding work item once (IN-4); correcting
 * the answer later keeps the item (someone may already be on the way).
 */
export async function answerItems(tx: Tx, ctx: SignedInCtx, id: string, input: AnswersInput) {
  const at = changeTime(ctx, input.at);
  const t = await inProgressMine(tx, ctx, id);
  const cp = checkpointOf(await templateFor(tx, t), input.checkpoint);
  const [visit] = await tx.select().from(taskCheckpoints).where(and(eq(taskCheckpoints.taskId, t.id), eq(taskCheckpoints.checkpoint, cp.order), eq(taskCheckpoints.state, 'visited')));
  if (!visit) throw Conflict('checkpoint_not_visited', { zh: '请先扫描该点位的二维码', en: 'Scan this checkpoint\'s QR code first' }, [{ field: 'body.checkpoint', code: 'not_visited', message: { zh: '未到点位', en: 'Not visited' } }]);
  const prior = await tx.select().from(taskAnswers).where(and(eq(taskAnswers.taskId, t.id), eq(taskAnswers.checkpoint, cp.order)));

  const problems: FieldProblem[] = [];
  const judged: Array<{ item: ChecklistItem; value: unknown; finding: boolean; why?: string }> = [];
  const seen = new Set<string>();
  for (const [i, a] of input.answers.entries()) {
    const item = cp.items.find((x) => x.id === a.itemId);
    if (!item) { problems.push({ field: `body.answers.${i}.itemId`, code: 'not_found', message: { zh: `本点位没有检查项“${a.itemId}”`, en: `No item "${a.itemId}" at this checkpoint` } }); continue; }
    if (seen.has(item.id)) { problems.push({ field: `body.answers.${i}.itemId`, code: 'duplicate', message: { zh: `检查项“${item.label}”重复`, en: `Item "${item.labelEn ?? item.label}" is answered twice` } }); continue; }
    seen.add(item.id);
    let previousReading: number | undefined;
    if (item.kind === 'meter') {
      // A meter never runs backwards: the last reading of this item at this place before this one.
      const [last] = await tx.select({ num: taskAnswers.num }).from(taskAnswers)
        .where(and(eq(taskAnswers.placeId, cp.placeId), eq(taskAnswers.itemId, item.id), lt(taskAnswers.at, at), sql`${taskAnswers.taskId} <> ${t.id}`))
        .orderBy(sql`${taskAnswers.at} desc`).limit(1);
      previousReading = last?.num ?? undefined;
    }
    const j = judgeAnswer(item, a.value, { previousReading });
    if (!j.valid) { problems.push({ field: `body.answers.${i}.value`, code: 'invalid', message: { zh: `${item.label}：${j.reason.zh}`, en: `${item.labelEn ?? item.label}: ${j.reason.en}` } }); continue; }
    judged.push({ item, value: a.value, finding: j.finding, why: j.finding ? j.why?.zh : undefined });
  }
  if (problems.length) throw Invalid(problems);

  const raised: string[] = [];
  for (const { item, value, finding, why } of judged) {
    const before = prior.find((p) => p.itemId === item.id);
    if (item.kind === 'photo') {
      // New photos are attached to the task; those of the earlier answer stay attached.
      const fresh = (value as string[]).filter((u) => !(before?.list ?? []).includes(u));
      await attachUploads(tx, ctx, fresh, { entityType: 'task', entityId: t.id, siteId: t.siteId, role: `cp${cp.order}:${item.id}` }, { field: `body.answers.${input.answers.findIndex((a) => a.itemId === item.id)}.value` });
    }
    const cols = { ...answerColumns(item, value as Answer), finding, findingItemId: before?.findingItemId ?? null, at, receivedAt: ctx.now, staffId: ctx.actor.staffId };
    if (finding && !cols.findingItemId) {
      const w = await raiseFinding(tx, ctx, t, cp, { title: `${item.label}异常`, description: `${item.label}：${answerText(cols)}（${why ?? '异常'}）` });
      cols.findingItemId = w.id;
      raised.push(w.id);
    }
    await tx.insert(taskAnswers).values({ siteId: t.siteId, taskId: t.id, planId: t.planId, checkpoint: cp.order, placeId: cp.placeId, itemId: item.id, ...cols })
      .onConflictDoUpdate({ target: [taskAnswers.taskId, taskAnswers.checkpoint, taskAnswers.itemId], set: cols });
  }
  // IN-4: a finding carries the checkpoint's photos (the technician sent to fix it sees what was found).
  if (raised.length) {
    const photos = (await tx.select({ list: taskAnswers.list }).from(taskAnswers)
      .where(and(eq(taskAnswers.taskId, t.id), eq(taskAnswers.checkpoint, cp.order), eq(taskAnswers.kind, 'photo')))).flatMap((r) => r.list ?? []);
    for (const id of raised) await shareAttachments(tx, photos, { entityType: 'work_item', entityId: id, siteId: t.siteId, role: 'before' }, ctx.now);
  }
  await audit(tx, ctx, {
    action: 'task.answer', entityType: 'task', entityId: t.id, siteId: t.siteId,
    after: { checkpoint: cp.order, at, answers: judged.map((j) => ({ itemId: j.item.id, value: j.value, finding: j.finding })) },
  });
}

export interface ProblemInput { checkpoint: number; description: string; category?: string; urgency?: Urgency; attachmentIds?: string[]; at?: string }

/** "Report a problem" at a checkpoint (IN-4): a finding work item with the photos, linked to the task. */
export async function reportProblem(tx: Tx, ctx: SignedInCtx, id: string, input: ProblemInput) {
  changeTime(ctx, input.at);
  const t = await inProgressMine(tx, ctx, id);
  const cp = checkpointOf(await templateFor(tx, t), input.checkpoint);
  const title = input.description.trim().split('\n')[0]!.slice(0, 40);
  const item = await raiseFinding(tx, ctx, t, cp, { title, description: input.description.trim(), category: input.category, urgency: input.urgency, attachmentIds: input.attachmentIds });
  await audit(tx, ctx, { action: 'task.problem', entityType: 'task', entityId: t.id, siteId: t.siteId, after: { checkpoint: cp.order, workItemId: item.id } });
}

/**
 * Finishes the task (IN-3): every item of a visited checkpoint must be answered (400 listing the
 * ones that are not); checkpoints never visited are recorded as missed and the supervisors told.
 */
export async function finishTask(tx: Tx, ctx: SignedInCtx, id: string, input: { note?: string; at?: string }) {
  const at = changeTime(ctx, input.at);
  const t = await inProgressMine(tx, ctx, id);
  const template = await templateFor(tx, t);
  const [visits, answered] = await Promise.all([
    tx.select().from(taskCheckpoints).where(eq(taskCheckpoints.taskId, t.id)),
    tx.select({ checkpoint: taskAnswers.checkpoint, itemId: taskAnswers.itemId }).from(taskAnswers).where(eq(taskAnswers.taskId, t.id)),
  ]);
  const visited = new Set(visits.filter((v) => v.state === 'visited').map((v) => v.checkpoint));
  const missing = template.checkpoints.filter((c) => visited.has(c.order)).flatMap((c) =>
    c.items.filter((i) => !(i.kind === 'photo' && !i.required) && !answered.some((a) => a.checkpoint === c.order && a.itemId === i.id)).map((i) => ({ c, i })));
  if (missing.length) {
    throw Invalid(missing.map(({ c, i }) => ({ field: 'body', code: 'unanswered', message: { zh: `点位 ${c.order}：“${i.label}”未填写`, en: `Checkpoint ${c.order}: "${i.labelEn ?? i.label}" is not answered` } })),
      'unanswered', { zh: '还有检查项未填写', en: 'Some items are not answered yet' });
  }
  const missed = template.checkpoints.filter((c) => !visited.has(c.order));
  await recordMissed(tx, t, missed, ctx.now);
  await tx.update(tasks).set({ state: 'done', finishedAt: at, finishedBy: ctx.actor.staffId, note: input.note?.trim() || null }).where(eq(tasks.id, t.id));
  await audit(tx, ctx, { action: 'task.finish', entityType: 'task', entityId: t.id, siteId: t.siteId, before: { state: t.state }, after: { state: 'done', finishedAt: at, missedCheckpoints: missed.map((c) => c.order) } });
  if (missed.length) {
    const [plan] = await tx.select({ name: plans.name }).from(plans).where(eq(plans.id, t.planId));
    await notify(tx, ctx.now, await accountsWithRoles(tx, t.siteId, ['supervisor']), {
      siteId: t.siteId, kind: 'task.missed_checkpoints', entityType: 'task', entityId: t.id,
      title: { zh: `漏检 ${missed.length} 个点位：${plan!.name}`, en: `${missed.length} checkpoint(s) missed: ${plan!.name}` },
      body: `${shanghaiDate(t.startsAt)} ${ctx.actor.name}`,
    });
  }
}

async function recordMissed(tx: Queryable, t: TaskRow, missed: Checkpoint[], now: Date) {
  if (!missed.length) return;
  await tx.insert(taskCheckpoints).values(missed.map((c) => ({
    siteId: t.siteId, taskId: t.id, planId: t.planId, checkpoint: c.order, placeId: c.placeId, state: 'missed', at: null, receivedAt: now,
  }))).onConflictDoNothing();
}

// ---------------------------------------------------------------------------------- the sweep

/**
 * The sweep's part (IN-3): a task not started by the end of its window and grace is missed, all
 * its checkpoints with it; a task started but not finished by then is late (supervisors told
 * once), and a day after that notice it is closed as missed with what was visited kept. Supervisors get one
 * notice per site and pass, not one per task. Bounded per pass; SKIP LOCKED so two sweeps (or a
 * phone finishing the task right now) never wait on each other.
 */
export async function flagOverdueTasks(db: Db, now: Date, limit = 500): Promise<{ missed: number; late: number }> {
  return db.transaction(async (tx) => {
    const due = await tx.select().from(tasks)
      .where(and(inArray(tasks.state, ['scheduled', 'in_progress']), lt(tasks.lateAt, now),
        or(eq(tasks.state, 'scheduled'), isNull(tasks.lateNotifiedAt), lte(tasks.lateNotifiedAt, new Date(now.getTime() - ABANDONED_AFTER)))))
      .orderBy(asc(tasks.lateAt)).limit(limit).for('update', { skipLocked: true });
    if (!due.length) return { missed: 0, late: 0 };
    const templates = new Map<string, PlanTemplate>();
    const bySite = new Map<string, { missed: TaskRow[]; late: TaskRow[] }>();
    for (const t of due) {
      const site = bySite.get(t.siteId) ?? { missed: [], late: [] };
      bySite.set(t.siteId, site);
      // A day after supervisors were told it runs late (or after a late sync took it back).
      const abandoned = t.state === 'in_progress' && !!t.lateNotifiedAt && t.lateNotifiedAt.getTime() <= now.getTime() - ABANDONED_AFTER;
      if (t.state === 'scheduled' || abandoned) {
        const key = `${t.planId}:${t.planVersion}`;
        if (!templates.has(key)) templates.set(key, await templateFor(tx, t));
        const visited = abandoned ? new Set((await tx.select({ c: taskCheckpoints.checkpoint }).from(taskCheckpoints).where(eq(taskCheckpoints.taskId, t.id))).map((r) => r.c)) : new Set<number>();
        await recordMissed(tx, t, templates.get(key)!.checkpoints.filter((c) => !visited.has(c.order)), now);
        await tx.update(tasks).set({ state: 'missed', lateNotifiedAt: t.lateNotifiedAt ?? now }).where(eq(tasks.id, t.id));
        await audit(tx, { db, actor: null, now, ip: 'system', locale: 'zh-CN' }, { action: 'task.missed', entityType: 'task', entityId: t.id, siteId: t.siteId, before: { state: t.state }, after: { state: 'missed', abandoned } });
        site.missed.push(t);
      } else {
        await tx.update(tasks).set({ lateNotifiedAt: now }).where(eq(tasks.id, t.id));
        site.late.push(t);
      }
    }
    for (const [siteId, { missed, late }] of bySite) {
      const supervisors = await accountsWithRoles(tx, siteId, ['supervisor']);
      if (missed.length) {
        await notify(tx, now, supervisors, {
          siteId, kind: 'task.missed', entityType: missed.length === 1 ? 'task' : undefined, entityId: missed.length === 1 ? missed[0]!.id : undefined,
          title: { zh: `${missed.length} 个任务漏检`, en: `${missed.length} task(s) missed` }, body: missed.slice(0, 5).map((t) => shanghaiDate(t.startsAt)).join('、'),
        });
      }
      if (late.length) {
        await notify(tx, now, supervisors, {
          siteId, kind: 'task.late', entityType: late.length === 1 ? 'task' : undefined, entityId: late.length === 1 ? late[0]!.id : undefined,
          title: { zh: `${late.length} 个任务超时未完成`, en: `${late.length} task(s) running late` },
        });
      }
    }
    return { missed: [...bySite.values()].reduce((n, s) => n + s.missed.length, 0), late: [...bySite.values()].reduce((n, s) => n + s.late.length, 0) };
  });
}
