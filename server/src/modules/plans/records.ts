import ExcelJS from 'exceljs';
import { and, eq, sql, type SQL } from 'drizzle-orm';
import {
  judgeAnswer, MONTH_PATTERN, planKindDef, shanghaiInstant, shanghaiMonth, TRADES,
  type ChecklistItem, type PlanKind, type PlanTemplate, type Trade,
} from '@towerdesk/domain';
import { audit } from '../../platform/audit.ts';
import type { SignedInCtx } from '../../platform/context.ts';
import { invalidField } from '../../platform/errors.ts';
import { say } from '../../platform/i18n.ts';
import { staff } from '../parties/schema.ts';
import { places } from '../places/schema.ts';
import { workItems } from '../work-items/schema.ts';
import { rate, shanghaiMinute } from '../work-items/reports.ts';
import { answerText, TASK_STATE_LABELS } from './rounds.ts';
import { planVersions, plans, taskAnswers, taskCheckpoints, tasks } from './schema.ts';

/**
 * Records of the rounds (IN-5, AR-1, GR-2): task and checkpoint records searched by plan, kind,
 * place subtree, person, period and result, exported one row per answer; completion and on-time
 * rates; missed checkpoints; a reading's time series with its allowed band; the chemical-use log
 * of greening; the month's route report. Everything is read from tasks, task_checkpoints and
 * task_answers (written by rounds.ts); days are Asia/Shanghai.
 *
 * A task is *decided* once it is done, missed, or past its late time: only decided tasks count
 * in rates, and a checkpoint of a decided task without a visited row is a missed checkpoint —
 * derived from the task's template version, so it holds whether or not a missed row was written.
 */

const DAY_MS = 86_400_000;
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
const escapeXlsxName = (s: string) => s.replace(/[:\\/?*[\]]/g, '-').slice(0, 31);

const stateName = (ctx: SignedInCtx, s: string) => {
  const l = TASK_STATE_LABELS[s as keyof typeof TASK_STATE_LABELS];
  return l ? say(ctx, l) : s;
};
const kindName = (ctx: SignedInCtx, k: string) => {
  try {
    const d = planKindDef(k as PlanKind);
    return ctx.locale === 'en-US' ? d.en : d.zh;
  } catch {
    return k;
  }
};
const tradeName = (ctx: SignedInCtx, trade: string | null) => (trade && TRADES[trade as Trade] ? say(ctx, TRADES[trade as Trade]) : trade);
/** A task left to a trade's pool and taken by nobody: "保洁（班组）". */
const poolName = (ctx: SignedInCtx, trade: string | null) => (trade ? `${tradeName(ctx, trade)}${say(ctx, { zh: '（班组）', en: ' (team)' })}` : null);
const planName = (ctx: SignedInCtx, zh: string, en: string | null) => (ctx.locale === 'en-US' ? en ?? zh : zh);

export const RESULTS = ['all', 'findings', 'missed', 'late'] as const;
export type RecordResult = (typeof RESULTS)[number];
export const RATE_GROUPS = ['plan', 'kind', 'person', 'week'] as const;
export type RateGroup = (typeof RATE_GROUPS)[number];

export interface Period { from: string; to: string }
export interface RecordsFilter extends Period {
  planId?: string;
  kind?: PlanKind;
  /** The place or anything inside it: tasks whose template visits it; answers and checkpoints there. */
  placeId?: string;
  /** Assigned to, started or finished by. */
  staffId?: string;
  result?: RecordResult;
}

/** Longest period a records query may span: a year and a day (a leap year's report). */
const MAX_DAYS = 367;

/** Shanghai days [from, to] as instants [from 00:00, the day after `to` 00:00); 400 naming the field. */
function periodBounds(p: Period) {
  if (p.from > p.to) throw invalidField('querystring.to', { zh: '结束日期早于开始日期', en: 'The end date is before the start date' }, 'range');
  const from = shanghaiInstant(p.from);
  const to = new Date(shanghaiInstant(p.to).getTime() + DAY_MS);
  if (to.getTime() - from.getTime() > MAX_DAYS * DAY_MS) {
    throw invalidField('querystring.to', { zh: '时段不能超过一年', en: 'The period may not exceed a year' }, 'too_long');
  }
  return { from, to };
}

const siteSql = (ctx: SignedInCtx, col: SQL) => (ctx.actor.siteId ? sql`${col} = ${ctx.actor.siteId}` : sql`true`);

/** 400 naming the field when a plan or place id is not one of the actor's site. */
async function checkRefs(ctx: SignedInCtx, f: { planId?: string; placeId?: string; staffId?: string }) {
  if (f.planId) {
    const [p] = await ctx.db.select({ id: plans.id }).from(plans).where(and(eq(plans.id, f.planId), ctx.actor.siteId ? eq(plans.siteId, ctx.actor.siteId) : undefined));
    if (!p) throw invalidField('querystring.planId', { zh: '计划不存在', en: 'No such plan' }, 'not_found');
  }
  if (f.placeId) {
    const [p] = await ctx.db.select({ id: places.id }).from(places).where(and(eq(places.id, f.placeId), ctx.actor.siteId ? eq(places.siteId, ctx.actor.siteId) : undefined));
    if (!p) throw invalidField('querystring.placeId', { zh: '位置不存在', en: 'No such place' }, 'not_found');
  }
  if (f.staffId) {
    const [s] = await ctx.db.select({ id: staff.id }).from(staff).where(and(eq(staff.id, f.staffId), ctx.actor.siteId ? eq(staff.siteId, ctx.actor.siteId) : undefined));
    if (!s) throw invalidField('querystring.staffId', { zh: '员工不存在', en: 'No such staff member' }, 'not_found');
  }
}

/** The place and everything under it, as a subquery of ids (as the work-item archive does it). */
const subtree = (placeId: string) => sql`(with recursive sub(id) as (
    select id from ${places} where id = ${placeId}
    union all select p.id from ${places} p join sub on p.parent_id = sub.id)
  select id from sub)`;

/** SQL on a task `t`: decided — done, missed, or past its late time (so it counts in rates). */
const decided = (now: Date) => sql`(t.state in ('done', 'missed') or t.late_at <= ${now.toISOString()}::timestamptz)`;

/** SQL on a task `t` with its template version `pv`: its checkpoints (order, placeId). */
const templateCheckpoints = sql`jsonb_array_elements(pv.template -> 'checkpoints')`;

/**
 * The tasks of a records query (alias t, with plan p and template version pv joined): started
 * in the period (and not in the future: a record is what happened or should have).
 */
function taskWhere(ctx: SignedInCtx, f: RecordsFilter & { upcoming?: boolean }, b: { from: Date; to: Date }): SQL {
  const conds: SQL[] = [
    siteSql(ctx, sql`t.site_id`),
    sql`t.starts_at >= ${b.from.toISOString()}::timestamptz and t.starts_at < ${b.to.toISOString()}::timestamptz`,
  ];
  if (!f.upcoming) conds.push(sql`t.starts_at <= ${ctx.now.toISOString()}::timestamptz`);
  if (f.planId) conds.push(sql`t.plan_id = ${f.planId}`);
  if (f.kind) conds.push(sql`p.kind = ${f.kind}`);
  if (f.staffId) conds.push(sql`(t.assignee_staff_id = ${f.staffId} or t.started_by = ${f.staffId} or t.finished_by = ${f.staffId})`);
  if (f.placeId) conds.push(sql`exists (select 1 from ${templateCheckpoints} cp where (cp ->> 'placeId')::uuid in ${subtree(f.placeId)})`);
  if (f.result === 'findings') conds.push(sql`exists (select 1 from ${taskAnswers} a where a.task_id = t.id and a.finding)`);
  if (f.result === 'missed') conds.push(sql`(t.state = 'missed' or (${decided(ctx.now)} and ${missedCheckpointCount} > 0))`);
  if (f.result === 'late') {
    conds.push(sql`(t.finished_at > t.late_at or (t.state in ('scheduled', 'in_progress') and t.late_at <= ${ctx.now.toISOString()}::timestamptz)
      or exists (select 1 from ${taskCheckpoints} c where c.task_id = t.id and c.late))`);
  }
  return sql.join(conds, sql` and `);
}

/** SQL on t/pv: checkpoints of the task's template without a visited row. */
const missedCheckpointCount = sql`(select count(*) from ${templateCheckpoints} cp
  where not exists (select 1 from ${taskCheckpoints} c where c.task_id = t.id and c.checkpoint = (cp ->> 'order')::int and c.state = 'visited'))`;

const FROM_TASKS = sql`${tasks} t join ${plans} p on p.id = t.plan_id
  join ${planVersions} pv on pv.plan_id = t.plan_id and pv.version = t.plan_version`;

// =============================================================================================
// Records search (IN-5, AR-1)

interface TaskRecordRow extends Record<string, unknown> {
  id: string; plan_id: string; plan_name: string; plan_name_en: string | null; kind: string; state: string;
  starts_at: Date | string; due_at: Date | string; late_at: Date | string; started_at: Date | string | null; finished_at: Date | string | null;
  assignee_name: string | null; assignee_trade: string | null; started_by_name: string | null; finished_by_name: string | null;
  planned: number; answers: number; findings: number; is_decided: boolean;
  checkpoints: Array<{ order: number; placeId: string; placeName: string; state: string; at: string | null; proof: string | null; outOfOrder: boolean; late: boolean }> | null;
}

export async function searchRecords(ctx: SignedInCtx, f: RecordsFilter & { limit: number; offset: number; upcoming?: boolean }) {
  const b = periodBounds(f);
  await checkRefs(ctx, f);
  const where = taskWhere(ctx, f, b);
  const [rows, [count]] = await Promise.all([
    ctx.db.execute<TaskRecordRow>(sql`
      select t.id, t.plan_id, p.name as plan_name, p.name_en as plan_name_en, p.kind, t.state, t.starts_at, t.due_at, t.late_at, t.started_at, t.finished_at,
        sa.name as assignee_name, t.assignee_trade, ss.name as started_by_name, sf.name as finished_by_name,
        jsonb_array_length(pv.template -> 'checkpoints')::int as planned, ${decided(ctx.now)} as is_decided,
        (select count(*)::int from ${taskAnswers} a where a.task_id = t.id) as answers,
        (select count(*)::int from ${taskAnswers} a where a.task_id = t.id and a.finding) as findings,
        (select jsonb_agg(jsonb_build_object('order', c.checkpoint, 'placeId', c.place_id, 'placeName', pl.name, 'state', c.state, 'at', c.at,
            'proof', c.proof, 'outOfOrder', c.out_of_order, 'late', c.late) order by c.checkpoint)
          from ${taskCheckpoints} c join ${places} pl on pl.id = c.place_id where c.task_id = t.id) as checkpoints
      from ${FROM_TASKS}
        left join ${staff} sa on sa.id = t.assignee_staff_id
        left join ${staff} ss on ss.id = t.started_by
        left join ${staff} sf on sf.id = t.finished_by
      where ${where}
      order by ${f.upcoming ? sql`t.starts_at, p.name, t.id` : sql`t.starts_at desc, t.id desc`}
      limit ${f.limit} offset ${f.offset}`),
    ctx.db.execute<{ n: number }>(sql`select count(*)::int as n from ${FROM_TASKS} where ${where}`).then((r) => r.rows),
  ]);
  return {
    items: rows.rows.map((r) => {
      const cps = r.checkpoints ?? [];
      const visited = cps.filter((c) => c.state === 'visited').length;
      return {
        id: r.id, planId: r.plan_id, planName: planName(ctx, r.plan_name, r.plan_name_en), kind: r.kind, kindName: kindName(ctx, r.kind),
        state: r.state, stateName: stateName(ctx, r.state),
        startsAt: iso(r.starts_at)!, dueAt: iso(r.due_at)!, lateAt: iso(r.late_at)!, startedAt: iso(r.started_at), finishedAt: iso(r.finished_at),
        assigneeName: r.assignee_name ?? poolName(ctx, r.assignee_trade), doneByName: r.finished_by_name ?? r.started_by_name,
        /** Finished after the late time, or still open past it. */
        late: r.finished_at ? new Date(r.finished_at) > new Date(r.late_at) : r.state !== 'missed' && new Date(r.late_at) <= ctx.now,
        planned: r.planned, visited, missedCheckpoints: r.is_decided ? r.planned - visited : 0,
        answers: r.answers, findings: r.findings,
        checkpoints: cps.map((c) => ({ ...c, at: iso(c.at) })),
      };
    }),
    total: count!.n,
  };
}

/**
 * A day's tasks on the desk's board (今日任务): every task starting that Shanghai day, those still
 * to come too, in start order, with the progress of their checkpoints.
 */
export function dayTasks(ctx: SignedInCtx, q: { date: string; kind?: PlanKind; state?: string }) {
  return searchRecords(ctx, { from: q.date, to: q.date, kind: q.kind, upcoming: true, limit: 500, offset: 0 })
    .then((r) => (q.state ? { items: r.items.filter((i) => i.state === q.state), total: r.items.filter((i) => i.state === q.state).length } : r));
}

// ---------------------------------------------------------------------------------- answers

interface AnswerRow extends Record<string, unknown> {
  task_id: string; plan_name: string; kind: string; starts_at: Date | string; checkpoint: number; place_name: string; place_code: string;
  item_id: string; a_kind: string; num: number | null; unit: string | null; bool: boolean | null; text: string | null; list: string[] | null;
  finding: boolean; at: Date | string; staff_name: string | null; finding_number: string | null; template: PlanTemplate;
}

/** The template item an answer answered (from the task's own version). */
function itemOf(template: PlanTemplate, checkpoint: number, itemId: string): ChecklistItem | undefined {
  return template.checkpoints.find((c) => c.order === checkpoint)?.items.find((i) => i.id === itemId);
}

function answerValue(a: AnswerRow): unknown {
  switch (a.a_kind) {
    case 'number': case 'meter': return a.num;
    case 'yes_no': return a.bool;
    case 'single_choice': return a.list?.[0];
    case 'multi_choice': case 'photo': return a.list ?? [];
    default: return a.text;
  }
}

export const RECORDS_EXPORT_LIMIT = 100_000;
export const RECORDS_HEADERS = ['记录时间', '计划', '类型', '任务开始时间', '检查点', '位置编码', '检查项', '结果', '判定', '记录人', '异常工单号'];
export const MISSED_HEADERS = ['任务开始时间', '计划', '检查点顺序', '检查点', '位置编码', '任务状态', '执行人'];

/**
 * The records search as XLSX (IN-5, AR-1): one row per answer of the matching tasks (only those
 * at the place's subtree when a place is given), with the judgement the item's rule gives; the
 * missed checkpoints on a second sheet. Chinese whatever the reader's language; one audit row.
 */
export async function exportRecords(ctx: SignedInCtx, f: RecordsFilter) {
  const b = periodBounds(f);
  await checkRefs(ctx, f);
  const where = taskWhere(ctx, f, b);
  const atPlace = f.placeId ? sql`and a.place_id in ${subtree(f.placeId)}` : sql``;
  const [{ n }] = (await ctx.db.execute<{ n: number }>(sql`select count(*)::int as n from ${FROM_TASKS} join ${taskAnswers} a on a.task_id = t.id ${atPlace} where ${where}`)).rows as [{ n: number }];
  if (n > RECORDS_EXPORT_LIMIT) {
    throw invalidField('querystring.to', { zh: `记录超过 ${RECORDS_EXPORT_LIMIT} 条，请缩小范围`, en: `More than ${RECORDS_EXPORT_LIMIT} records; narrow the search` }, 'too_many');
  }
  const [answers, missed] = await Promise.all([
    ctx.db.execute<AnswerRow>(sql`
      select t.id as task_id, p.name as plan_name, p.kind, t.starts_at, a.checkpoint, pl.name as place_name, pl.code as place_code,
        a.item_id, a.kind as a_kind, a.num, a.unit, a.bool, a.text, a.list, a.finding, a.at, s.name as staff_name, w.number as finding_number, pv.template
      from ${FROM_TASKS} join ${taskAnswers} a on a.task_id = t.id ${atPlace}
        join ${places} pl on pl.id = a.place_id
        left join ${staff} s on s.id = a.staff_id
        left join ${workItems} w on w.id = a.finding_item_id
      where ${where}
      order by a.at, t.id, a.checkpoint, a.item_id`),
    missedRows(ctx, f, b, { limit: RECORDS_EXPORT_LIMIT, offset: 0 }),
  ]);
  const rows = answers.rows.map((a) => {
    const item = itemOf(a.template, a.checkpoint, a.item_id);
    const j = item ? judgeAnswer(item, answerValue(a)) : null;
    const judgement = a.finding || (j?.valid && j.finding) ? `异常${j?.valid && j.why ? `：${j.why.zh}` : ''}` : '正常';
    return [
      shanghaiMinute(new Date(a.at)), a.plan_name, kindName({ ...ctx, locale: 'zh-CN' }, a.kind), shanghaiMinute(new Date(a.starts_at)),
      a.place_name, a.place_code, item?.label ?? a.item_id, answerText({ ...a, kind: a.a_kind }), judgement, a.staff_name ?? '', a.finding_number ?? '',
    ];
  });
  const wb = new ExcelJS.Workbook();
  addSheet(wb, '巡检记录', RECORDS_HEADERS, rows, [17, 20, 10, 17, 18, 18, 22, 16, 30, 10, 18]);
  addSheet(wb, '漏检', MISSED_HEADERS, missed.rows.map((m) => [
    shanghaiMinute(new Date(m.starts_at)), m.plan_name, m.checkpoint, m.place_name, m.place_code, stateName({ ...ctx, locale: 'zh-CN' }, m.state),
    m.started_by_name ?? m.assignee_name ?? poolName({ ...ctx, locale: 'zh-CN' }, m.assignee_trade) ?? '',
  ]), [17, 20, 10, 18, 18, 10, 12]);
  const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
  await audit(ctx.db, ctx, { action: 'report.records_export', entityType: 'task', siteId: ctx.actor.siteId, after: { filter: f, rows: rows.length, missed: missed.rows.length } });
  return { xlsx, filename: `巡检记录-${f.from}-${f.to}.xlsx`, asciiName: `round-records-${f.from}-${f.to}.xlsx` };
}

function addSheet(wb: ExcelJS.Workbook, name: string, headers: string[], rows: Array<Array<string | number | null>>, widths: number[] = []) {
  const ws = wb.addWorksheet(escapeXlsxName(name));
  ws.addRow(headers).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((x) => x ?? ''));
  headers.forEach((_, i) => { ws.getColumn(i + 1).width = widths[i] ?? 16; });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return ws;
}

// =============================================================================================
// Missed checkpoints (IN-5)

interface MissedRow extends Record<string, unknown> {
  task_id: string; plan_id: string; plan_name: string; plan_name_en: string | null; kind: string; state: string;
  starts_at: Date | string; late_at: Date | string; checkpoint: number; place_id: string; place_name: string; place_code: string;
  assignee_name: string | null; assignee_trade: string | null; started_by_name: string | null;
}

/** Checkpoints of decided tasks with no visited row, one row each; at a place's subtree if given. */
function missedRows(ctx: SignedInCtx, f: RecordsFilter, b: { from: Date; to: Date }, page: { limit: number; offset: number }) {
  const where = taskWhere(ctx, { ...f, result: undefined, placeId: undefined }, b);
  const atPlace = f.placeId ? sql`and m.place_id in ${subtree(f.placeId)}` : sql``;
  return ctx.db.execute<MissedRow & { total: number }>(sql`
    select m.*, pl.name as place_name, pl.code as place_code, count(*) over ()::int as total from (
      select t.id as task_id, t.plan_id, p.name as plan_name, p.name_en as plan_name_en, p.kind, t.state, t.starts_at, t.late_at,
        (cp ->> 'order')::int as checkpoint, (cp ->> 'placeId')::uuid as place_id,
        sa.name as assignee_name, t.assignee_trade, ss.name as started_by_name
      from ${FROM_TASKS} cross join lateral ${templateCheckpoints} cp
        left join ${staff} sa on sa.id = t.assignee_staff_id
        left join ${staff} ss on ss.id = t.started_by
      where ${where} and ${decided(ctx.now)}
        and not exists (select 1 from ${taskCheckpoints} c where c.task_id = t.id and c.checkpoint = (cp ->> 'order')::int and c.state = 'visited')
    ) m join ${places} pl on pl.id = m.place_id
    where true ${atPlace}
    order by m.starts_at desc, m.task_id, m.checkpoint
    limit ${page.limit} offset ${page.offset}`);
}

export async function missedCheckpoints(ctx: SignedInCtx, f: RecordsFilter & { limit: number; offset: number }) {
  const b = periodBounds(f);
  await checkRefs(ctx, f);
  const res = await missedRows(ctx, f, b, f);
  return {
    items: res.rows.map((m) => ({
      taskId: m.task_id, planId: m.plan_id, planName: planName(ctx, m.plan_name, m.plan_name_en), kind: m.kind, kindName: kindName(ctx, m.kind),
      taskState: m.state, taskStateName: stateName(ctx, m.state), startsAt: iso(m.starts_at)!, lateAt: iso(m.late_at)!,
      checkpoint: m.checkpoint, place: { id: m.place_id, code: m.place_code, name: m.place_name },
      /** Who should have been there: the one who started the task, else its assignee, else the trade's pool. */
      assigneeName: m.started_by_name ?? m.assignee_name ?? poolName(ctx, m.assignee_trade),
    })),
    // The window count is on each row; past the last page there are no rows, so ask once more.
    total: res.rows[0]?.total ?? (f.offset > 0 ? Number((await missedRows(ctx, f, b, { limit: 1, offset: 0 })).rows[0]?.total ?? 0) : 0),
  };
}

// =============================================================================================
// Rates (IN-5, AR-1)

/**
 * Completion and on-time rates of decided tasks started in the period, grouped by plan, kind,
 * person (who finished or started it, else its assignee; the trade's pool otherwise) or ISO week
 * (Shanghai). On time = finished no later than the late time (window + grace). Checkpoints: of
 * the decided tasks' template checkpoints, how many were visited and how many missed.
 */
export async function rates(ctx: SignedInCtx, f: RecordsFilter & { by: RateGroup }) {
  const b = periodBounds(f);
  await checkRefs(ctx, f);
  const where = taskWhere(ctx, { ...f, result: undefined }, b);
  const key = {
    plan: sql`t.plan_id::text`,
    kind: sql`p.kind`,
    person: sql`coalesce(t.finished_by, t.started_by, t.assignee_staff_id)::text`,
    week: sql`to_char(t.starts_at at time zone 'Asia/Shanghai', 'IYYY-"W"IW')`,
  }[f.by];
  const res = await ctx.db.execute<{
    key: string | null; trade: string | null; tasks: number; done: number; on_time: number; missed: number; planned: number; visited: number;
  }>(sql`
    select ${key} as key, ${f.by === 'person' ? sql`min(t.assignee_trade)` : sql`null`} as trade,
      count(*)::int as tasks,
      (count(*) filter (where t.state = 'done'))::int as done,
      (count(*) filter (where t.state = 'done' and t.finished_at <= t.late_at))::int as on_time,
      (count(*) filter (where t.state = 'missed'))::int as missed,
      coalesce(sum(jsonb_array_length(pv.template -> 'checkpoints')), 0)::int as planned,
      coalesce(sum((select count(*) from ${taskCheckpoints} c where c.task_id = t.id and c.state = 'visited')), 0)::int as visited
    from ${FROM_TASKS}
    where ${where} and ${decided(ctx.now)}
    group by 1 order by 1`);
  const ids = res.rows.map((r) => r.key).filter((k): k is string => !!k);
  const names = new Map<string, { name: string; kind?: string }>();
  if (f.by === 'plan' && ids.length) {
    for (const p of await ctx.db.select({ id: plans.id, name: plans.name, nameEn: plans.nameEn, kind: plans.kind }).from(plans).where(sql`${plans.id} in ${ids}`)) {
      names.set(p.id, { name: planName(ctx, p.name, p.nameEn), kind: p.kind });
    }
  }
  if (f.by === 'person' && ids.length) {
    for (const s of await ctx.db.select({ id: staff.id, name: staff.name }).from(staff).where(sql`${staff.id} in ${ids}`)) names.set(s.id, { name: s.name });
  }
  const label = (r: (typeof res.rows)[number]) => {
    if (f.by === 'kind') return kindName(ctx, r.key!);
    if (f.by === 'week') return r.key!;
    if (!r.key) return `${tradeName(ctx, r.trade) ?? ''}${say(ctx, { zh: '（未指派）', en: ' (unassigned)' })}`;
    return names.get(r.key)?.name ?? r.key;
  };
  const items = res.rows.map((r) => ({
    key: r.key, name: label(r), kind: f.by === 'plan' ? names.get(r.key!)?.kind ?? null : f.by === 'kind' ? r.key : null,
    tasks: r.tasks, done: r.done, onTime: r.on_time, missed: r.missed,
    completionRate: rate(r.done, r.tasks), onTimeRate: rate(r.on_time, r.tasks),
    checkpoints: r.planned, visitedCheckpoints: r.visited, missedCheckpoints: r.planned - r.visited, checkpointRate: rate(r.visited, r.planned),
  }));
  if (f.by !== 'week') items.sort((a, b2) => a.name.localeCompare(b2.name, 'zh-CN'));
  const sum = (k: 'tasks' | 'done' | 'onTime' | 'missed' | 'checkpoints' | 'visitedCheckpoints') => items.reduce((s, i) => s + i[k], 0);
  const total = { tasks: sum('tasks'), done: sum('done'), onTime: sum('onTime'), missed: sum('missed'), checkpoints: sum('checkpoints'), visitedCheckpoints: sum('visitedCheckpoints') };
  return {
    from: f.from, to: f.to, by: f.by, items,
    total: {
      ...total, missedCheckpoints: total.checkpoints - total.visitedCheckpoints,
      completionRate: rate(total.done, total.tasks), onTimeRate: rate(total.onTime, total.tasks), checkpointRate: rate(total.visitedCheckpoints, total.checkpoints),
    },
  };
}

// =============================================================================================
// Readings (IN-5): a number or meter item's time series with its allowed band

/** The number and meter items of the plans' current templates: what the readings chart can show. */
export async function readingItems(ctx: SignedInCtx) {
  const rows = await ctx.db.select({ id: plans.id, name: plans.name, nameEn: plans.nameEn, kind: plans.kind, active: plans.active, template: planVersions.template })
    .from(plans).innerJoin(planVersions, and(eq(planVersions.planId, plans.id), eq(planVersions.version, plans.currentVersion)))
    .where(ctx.actor.siteId ? eq(plans.siteId, ctx.actor.siteId) : undefined).orderBy(plans.kind, plans.name);
  const placeIds = [...new Set(rows.flatMap((r) => r.template.checkpoints.map((c) => c.placeId)))];
  const placeRows = placeIds.length ? await ctx.db.select({ id: places.id, name: places.name, code: places.code }).from(places).where(sql`${places.id} in ${placeIds}`) : [];
  const placeMap = new Map(placeRows.map((p) => [p.id, p]));
  return {
    items: rows.flatMap((p) => p.template.checkpoints.flatMap((c) => c.items
      .filter((i): i is Extract<ChecklistItem, { kind: 'number' | 'meter' }> => i.kind === 'number' || i.kind === 'meter')
      .map((i) => ({
        planId: p.id, planName: planName(ctx, p.name, p.nameEn), planKind: p.kind, planActive: p.active, placeId: c.placeId,
        placeName: placeMap.get(c.placeId)?.name ?? '', placeCode: placeMap.get(c.placeId)?.code ?? '',
        itemId: i.id, label: ctx.locale === 'en-US' ? i.labelEn ?? i.label : i.label, kind: i.kind, unit: i.unit, min: i.min ?? null, max: i.max ?? null,
      })))),
  };
}

/**
 * The readings of one item at one place over a period, oldest first, with the band the template
 * allows (the plan's current version; the plan that has the item there, or the one named).
 */
export async function readings(ctx: SignedInCtx, q: Period & { placeId: string; itemId: string; planId?: string }) {
  const b = periodBounds(q);
  await checkRefs(ctx, q);
  const items = (await readingItems(ctx)).items.filter((i) => i.placeId === q.placeId && i.itemId === q.itemId && (!q.planId || i.planId === q.planId));
  if (!items.length) throw invalidField('querystring.itemId', { zh: '该位置没有此读数项', en: 'No such reading at this place' }, 'not_found');
  const item = items.find((i) => i.planActive) ?? items[0]!;
  const points = await ctx.db.select({
    at: taskAnswers.at, value: taskAnswers.num, unit: taskAnswers.unit, finding: taskAnswers.finding, taskId: taskAnswers.taskId, staffName: staff.name,
  }).from(taskAnswers).leftJoin(staff, eq(staff.id, taskAnswers.staffId))
    .where(and(
      eq(taskAnswers.placeId, q.placeId), eq(taskAnswers.itemId, q.itemId),
      sql`${taskAnswers.at} >= ${b.from.toISOString()}::timestamptz and ${taskAnswers.at} < ${b.to.toISOString()}::timestamptz`,
      sql`${taskAnswers.num} is not null`,
      q.planId ? eq(taskAnswers.planId, q.planId) : undefined,
      ctx.actor.siteId ? eq(taskAnswers.siteId, ctx.actor.siteId) : undefined,
    ))
    .orderBy(taskAnswers.at);
  const values = points.map((p) => p.value!);
  return {
    from: q.from, to: q.to,
    item: { planId: item.planId, planName: item.planName, placeId: item.placeId, placeName: item.placeName, placeCode: item.placeCode, itemId: item.itemId, label: item.label, kind: item.kind, unit: item.unit, min: item.min, max: item.max },
    points: points.map((p) => ({ at: p.at.toISOString(), value: p.value!, unit: p.unit, finding: p.finding, taskId: p.taskId, staffName: p.staffName })),
    summary: {
      n: values.length, min: values.length ? Math.min(...values) : null, max: values.length ? Math.max(...values) : null,
      mean: values.length ? Math.round((values.reduce((s, v) => s + v, 0) / values.length) * 1000) / 1000 : null,
      outOfRange: points.filter((p) => (item.min !== null && p.value! < item.min) || (item.max !== null && p.value! > item.max)).length,
    },
  };
}

// =============================================================================================
// Chemical-use log (GR-2)

/**
 * How a greening template marks a pest and disease control checkpoint (the demo seed's
 * 病虫害防治（用药记录） plan, server/src/db/seed/plans.ts): a checkpoint whose items include
 * `product` and `dose` — fertilising has a product but an `amount`, not a dose, so it is no
 * chemical use. A checkpoint answered without a product is no use either (nothing sprayed there).
 * `pests` and `dilution` are shown when the template has them.
 */
export const CHEMICAL_ITEMS = { product: 'product', dose: 'dose', area: 'area', weather: 'weather', pests: 'pests', dilution: 'dilution' } as const;
export const CHEMICAL_HEADERS = ['用药时间', '计划', '位置', '防治对象', '药剂名称', '稀释倍数', '用药量', '施药面积', '天气', '施药人', '任务开始时间'];

interface ChemRow extends Record<string, unknown> {
  task_id: string; plan_name: string; plan_name_en: string | null; checkpoint: number; place_id: string; place_name: string; at: Date | string; starts_at: Date | string;
  staff_name: string | null; answers: Array<{ item: string; kind: string; num: number | null; unit: string | null; bool: boolean | null; text: string | null; list: string[] | null }>;
}

export async function chemicalLog(ctx: SignedInCtx, f: Period & { placeId?: string; planId?: string }) {
  const b = periodBounds(f);
  await checkRefs(ctx, f);
  const ids = Object.values(CHEMICAL_ITEMS);
  const res = await ctx.db.execute<ChemRow>(sql`
    select a.task_id, p.name as plan_name, p.name_en as plan_name_en, a.checkpoint, a.place_id, pl.name as place_name, t.starts_at,
      min(a.at) as at, min(s.name) as staff_name,
      jsonb_agg(jsonb_build_object('item', a.item_id, 'kind', a.kind, 'num', a.num, 'unit', a.unit, 'bool', a.bool, 'text', a.text, 'list', a.list)) as answers
    from ${taskAnswers} a join ${plans} p on p.id = a.plan_id join ${tasks} t on t.id = a.task_id
      join ${places} pl on pl.id = a.place_id left join ${staff} s on s.id = a.staff_id
      join ${planVersions} pv on pv.plan_id = t.plan_id and pv.version = t.plan_version
    where p.kind = 'greening' and a.item_id in ${ids} and ${siteSql(ctx, sql`a.site_id`)}
      and exists (select 1 from ${templateCheckpoints} cp where (cp ->> 'order')::int = a.checkpoint and cp -> 'items' @> ${JSON.stringify([{ id: CHEMICAL_ITEMS.dose }])}::jsonb)
      and a.at >= ${b.from.toISOString()}::timestamptz and a.at < ${b.to.toISOString()}::timestamptz
      ${f.planId ? sql`and a.plan_id = ${f.planId}` : sql``}
      ${f.placeId ? sql`and a.place_id in ${subtree(f.placeId)}` : sql``}
    group by a.task_id, p.name, p.name_en, a.checkpoint, a.place_id, pl.name, t.starts_at
    having bool_or(a.item_id = ${CHEMICAL_ITEMS.product} and coalesce(a.text, a.list ->> 0, '') <> '')
    order by min(a.at) desc, a.task_id, a.checkpoint`);
  const en = ctx.locale === 'en-US';
  return {
    from: f.from, to: f.to,
    items: res.rows.map((r) => {
      const v = (id: string) => {
        const a = r.answers.find((x) => x.item === id);
        return a ? answerText(a, en) : '';
      };
      return {
        taskId: r.task_id, planName: planName(ctx, r.plan_name, r.plan_name_en), checkpoint: r.checkpoint, placeId: r.place_id, placeName: r.place_name,
        at: iso(r.at)!, startsAt: iso(r.starts_at)!, staffName: r.staff_name,
        pests: v(CHEMICAL_ITEMS.pests), product: v(CHEMICAL_ITEMS.product), dilution: v(CHEMICAL_ITEMS.dilution),
        dose: v(CHEMICAL_ITEMS.dose), area: v(CHEMICAL_ITEMS.area), weather: v(CHEMICAL_ITEMS.weather),
      };
    }),
  };
}

/** The chemical-use log as XLSX for a period (GR-2): the record kept for inspections; audited. */
export async function exportChemicalLog(ctx: SignedInCtx, f: Period & { placeId?: string; planId?: string }) {
  const log = await chemicalLog({ ...ctx, locale: 'zh-CN' }, f);
  const wb = new ExcelJS.Workbook();
  addSheet(wb, '绿化用药记录', CHEMICAL_HEADERS, [...log.items].reverse().map((r) => [
    shanghaiMinute(new Date(r.at)), r.planName, r.placeName, r.pests, r.product, r.dilution, r.dose, r.area, r.weather, r.staffName ?? '', shanghaiMinute(new Date(r.startsAt)),
  ]), [17, 24, 18, 16, 28, 10, 12, 12, 10, 10, 17]);
  const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
  await audit(ctx.db, ctx, { action: 'report.chemical_export', entityType: 'task', siteId: ctx.actor.siteId, after: { filter: f, rows: log.items.length } });
  return { xlsx, filename: `绿化用药记录-${f.from}-${f.to}.xlsx`, asciiName: `chemical-use-${f.from}-${f.to}.xlsx` };
}

// =============================================================================================
// Route report (IN-5): a month per plan

export const MONTH = MONTH_PATTERN;

/**
 * A month per plan (route): tasks started in it, done, on time, missed tasks and checkpoints;
 * checkpoints scanned, answers and findings recorded in it. Built for benchmark (b) (a month
 * over millions of answers, < 300 ms) as two aggregate queries that never visit a row per answer:
 *  1. the month's tasks through (site_id, starts_at), grouped by plan and template version (the
 *     checkpoints a version plans are multiplied in once per group, not read per task);
 *  2. per plan, lateral counts over the (plan_id, at) indexes: answers and visited checkpoints
 *     (a missed checkpoint row has no `at`) are index-only range scans of the plan's month;
 *     findings likewise when task_answers has the partial index on (plan_id, at) where finding.
 * Scans and answers count by when they happened, tasks by when they started: a round started at
 * 23:30 on the last day counts its task in that month and its scans in the next. Missed
 * checkpoints are the decided tasks' planned checkpoints less the month's scans (never below 0).
 */
export async function routeReport(ctx: SignedInCtx, month: string) {
  if (!MONTH.test(month)) throw invalidField('querystring.month', { zh: '月份格式应为 YYYY-MM', en: 'Month is YYYY-MM' });
  const { from, to, lastDay } = shanghaiMonth(month);
  const range = (col: SQL) => sql`${col} >= ${from.toISOString()}::timestamptz and ${col} < ${to.toISOString()}::timestamptz`;
  const [taskAgg, answerAgg] = await Promise.all([
    ctx.db.execute<{ plan_id: string; tasks: number; decided: number; done: number; on_time: number; missed: number; planned: number }>(sql`
      select g.plan_id, sum(g.tasks)::int as tasks, sum(g.decided)::int as decided, sum(g.done)::int as done, sum(g.on_time)::int as on_time,
        sum(g.missed)::int as missed, sum(g.decided * jsonb_array_length(pv.template -> 'checkpoints'))::int as planned
      from (
        select t.plan_id, t.plan_version, count(*) as tasks,
          count(*) filter (where ${decided(ctx.now)}) as decided,
          count(*) filter (where t.state = 'done') as done,
          count(*) filter (where t.state = 'done' and t.finished_at <= t.late_at) as on_time,
          count(*) filter (where t.state = 'missed') as missed
        from ${tasks} t
        where ${siteSql(ctx, sql`t.site_id`)} and ${range(sql`t.starts_at`)} and t.starts_at <= ${ctx.now.toISOString()}::timestamptz
        group by t.plan_id, t.plan_version) g
      join ${planVersions} pv on pv.plan_id = g.plan_id and pv.version = g.plan_version
      group by g.plan_id`),
    ctx.db.execute<{ plan_id: string; answers: number; findings: number; visited: number }>(sql`
      select p.id as plan_id,
        (select count(*) from ${taskAnswers} x where x.plan_id = p.id and ${range(sql`x.at`)})::int as answers,
        (select count(*) from ${taskAnswers} x where x.plan_id = p.id and x.finding and ${range(sql`x.at`)})::int as findings,
        (select count(*) from ${taskCheckpoints} c where c.plan_id = p.id and ${range(sql`c.at`)})::int as visited
      from ${plans} p where ${siteSql(ctx, sql`p.site_id`)}`),
  ]);
  const planIds = [...new Set([...taskAgg.rows.map((r) => r.plan_id), ...answerAgg.rows.filter((r) => r.answers > 0 || r.visited > 0).map((r) => r.plan_id)])];
  const planRows = planIds.length ? await ctx.db.select({ id: plans.id, name: plans.name, nameEn: plans.nameEn, kind: plans.kind }).from(plans).where(sql`${plans.id} in ${planIds}`) : [];
  const items = planRows.map((p) => {
    const tk = taskAgg.rows.find((r) => r.plan_id === p.id);
    const an = answerAgg.rows.find((r) => r.plan_id === p.id);
    const x = { tasks: tk?.tasks ?? 0, decided: tk?.decided ?? 0, done: tk?.done ?? 0, onTime: tk?.on_time ?? 0, missed: tk?.missed ?? 0 };
    return {
      planId: p.id, planName: planName(ctx, p.name, p.nameEn), kind: p.kind, kindName: kindName(ctx, p.kind), ...x,
      completionRate: rate(x.done, x.decided), onTimeRate: rate(x.onTime, x.decided),
      missedCheckpoints: Math.max(0, (tk?.planned ?? 0) - (an?.visited ?? 0)), answers: an?.answers ?? 0, findings: an?.findings ?? 0,
    };
  }).sort((a, b) => a.kind.localeCompare(b.kind) || a.planName.localeCompare(b.planName, 'zh-CN'));
  return { month, from: `${month}-01`, to: lastDay, items };
}

