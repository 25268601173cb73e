import crypto from 'node:crypto';
import ExcelJS from 'exceljs';
import { and, asc, desc, eq, gte, inArray, lt, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import {
  ALL_CATEGORIES, CLOCK_LABELS, KINDS, TRADES, URGENCY_LABELS, categoryPath, MONTH_PATTERN, shanghaiDate, shanghaiInstant, shanghaiMonth,
  type ClockName, type Trade, type Urgency, type WorkItemKind,
} from '@towerdesk/domain';
import { audit } from '../../platform/audit.ts';
import type { SignedInCtx } from '../../platform/context.ts';
import type { Queryable } from '../../db/index.ts';
import { Conflict, invalidField, NotFound } from '../../platform/errors.ts';
import { say, type Message } from '../../platform/i18n.ts';
import { maskPhone } from '../../platform/mask.ts';
import { companies, occupants, staff } from '../parties/schema.ts';
import { places } from '../places/schema.ts';
import { qualitySpotChecks, revisits, workItemClocks, workItemEvents, workItems } from './schema.ts';

/**
 * Reports over the work-item records (RP-3, RP-6, RP-7, RP-10, CP-5, CP-6): the archive and its
 * XLSX export, the monthly complaint report, service-level statistics and quality spot-checks.
 * Every figure is computed from the records — items, their clocks (met, minutes late, consumed
 * minutes on the clock's own calendar), revisits — never typed in. Days, months and weeks are
 * Asia/Shanghai (UTC+8, no DST). Reports are site-wide: only roles that see the whole site
 * (the desk, managers, the owner's representative) may read them, within their own site.
 */

const DAY_MS = 86_400_000;
const dayStart = (d: string) => shanghaiInstant(d);
const nextDayStart = (d: string) => new Date(shanghaiInstant(d).getTime() + DAY_MS);
/** "2026-11-24 09:05" in Asia/Shanghai. */
export const shanghaiMinute = (t: Date | null | undefined) => (t ? new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ') : '');
const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString() : null);
/** A share in [0, 1], 4 decimals; null when there is nothing to count. */
export const rate = (met: number, n: number) => (n > 0 ? Math.round((met / n) * 10_000) / 10_000 : null);
const round1 = (x: number | string | null | undefined) => (x === null || x === undefined ? null : Math.round(Number(x) * 10) / 10);
const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);
/** A LIKE pattern matching `s` literally (backslash is PostgreSQL's default LIKE escape). */
const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
const likePrefix = (s: string) => `${escapeLike(s)}.%`;

/** The site the reports are about: the actor's own (a company-wide admin sees every site). */
const siteCond = (ctx: SignedInCtx) => (ctx.actor.siteId ? eq(workItems.siteId, ctx.actor.siteId) : undefined);
const siteSql = (ctx: SignedInCtx) => (ctx.actor.siteId ? sql`w.site_id = ${ctx.actor.siteId}` : sql`true`);

function checkRange(from?: string, to?: string) {
  if (from && to && from > to) throw invalidField('querystring.to', { zh: '结束日期早于开始日期', en: 'The end date is before the start date' }, 'range');
}

function categoryName(ctx: SignedInCtx, code: string) {
  try {
    return categoryPath(code).map((c) => say(ctx, c)).join(' / ');
  } catch {
    return code;
  }
}
const kindName = (ctx: SignedInCtx, kind: string) => (KINDS[kind as WorkItemKind] ? say(ctx, KINDS[kind as WorkItemKind]) : kind);
const stateName = (ctx: SignedInCtx, kind: string, state: string) => {
  const s = KINDS[kind as WorkItemKind]?.states[state];
  return s ? say(ctx, s) : state;
};
const clockName = (ctx: SignedInCtx, clock: string) => (CLOCK_LABELS[clock as ClockName] ? say(ctx, CLOCK_LABELS[clock as ClockName]) : clock);

/** Clocks that are promises to the occupant; the revisit clock is the desk's own follow-up. */
const SERVICE_CLOCKS = ['arrival', 'response', 'resolution', 'acknowledge', 'update'];

type ClockRow = typeof workItemClocks.$inferSelect;

/*
 * The complainant-update clock restarts on every public update (CP-3), which resets its row: an
 * update that came late and restarted the clock would leave no trace there, and the clock would
 * stop "met" at the resolution. The sweep's breach event remembers it, so an update clock counts
 * as kept only if it stopped in time AND never breached before a restart (CP-5, CP-6).
 */
const BREACH_EVENT = sql`e.type = 'clock' and e.action = 'breach' and e.body = 'update'`;
/** SQL on a clock row aliased `c`: an update clock stopped in time that was late before a restart. */
const LATE_UPDATE = sql`(c.clock = 'update' and c.met = true and exists (select 1 from ${workItemEvents} e where e.item_id = c.item_id and ${BREACH_EVENT}))`;

/** The items (of `ids`: a list or a subquery) whose update clock breached at some time. */
async function lateUpdateItems(db: Queryable, ids: string[] | SQLWrapper) {
  if (Array.isArray(ids) && !ids.length) return new Set<string>();
  const rows = await db.selectDistinct({ itemId: workItemEvents.itemId }).from(workItemEvents)
    .where(and(inArray(workItemEvents.itemId, ids), eq(workItemEvents.type, 'clock'), eq(workItemEvents.action, 'breach'), eq(workItemEvents.body, 'update')));
  return new Set(rows.map((r) => r.itemId));
}

/** A clock as the reports score it: a late update before a restart makes the update clock broken. */
const scored = (c: ClockRow, lateUpdates: Set<string>): ClockRow => (c.clock === 'update' && c.met === true && lateUpdates.has(c.itemId) ? { ...c, met: false } : c);

// =============================================================================================
// Archive (RP-6)

export const ARCHIVE_CLOCKS = ['arrival', 'response', 'resolution', 'acknowledge', 'update', 'revisit'] as const;

export interface ArchiveFilter {
  from?: string;
  to?: string;
  kind?: WorkItemKind;
  urgency?: Urgency;
  /** The place or anything inside it (a floor finds its units and washrooms). */
  placeId?: string;
  /** A category code or a parent of it ('plumbing' finds 'plumbing.leak'). */
  category?: string;
  technicianId?: string;
  state?: string;
  /** Only items with this clock; with `met`, judged on this clock alone. */
  clock?: (typeof ARCHIVE_CLOCKS)[number];
  /** true: promises kept (at least one scored, none breached); false: a breach (stopped late, or running past due). */
  met?: boolean;
  /** Number or title contains. */
  q?: string;
}

function archiveWhere(ctx: SignedInCtx, f: ArchiveFilter): SQL | undefined {
  const clocks = f.clock ? sql`c.clock = ${f.clock}` : sql`c.clock in ${SERVICE_CLOCKS}`;
  const breached = sql`exists (select 1 from ${workItemClocks} c where c.item_id = ${workItems.id} and ${clocks}
    and (c.met = false or (c.stopped_at is null and c.breached_at is not null) or ${LATE_UPDATE}))`;
  return and(
    siteCond(ctx),
    f.from ? gte(workItems.createdAt, dayStart(f.from)) : undefined,
    f.to ? lt(workItems.createdAt, nextDayStart(f.to)) : undefined,
    f.kind ? eq(workItems.kind, f.kind) : undefined,
    f.urgency ? eq(workItems.urgency, f.urgency) : undefined,
    f.state ? eq(workItems.state, f.state) : undefined,
    f.category ? or(eq(workItems.category, f.category), sql`${workItems.category} like ${likePrefix(f.category)}`) : undefined,
    f.technicianId ? eq(workItems.assigneeStaffId, f.technicianId) : undefined,
    f.placeId ? sql`${workItems.placeId} in (
      with recursive sub(id) as (
        select id from ${places} where id = ${f.placeId}
        union all select p.id from ${places} p join sub on p.parent_id = sub.id)
      select id from sub)` : undefined,
    f.clock && f.met === undefined ? sql`exists (select 1 from ${workItemClocks} c where c.item_id = ${workItems.id} and c.clock = ${f.clock})` : undefined,
    f.met === false ? breached : undefined,
    f.met === true ? and(sql`exists (select 1 from ${workItemClocks} c where c.item_id = ${workItems.id} and ${clocks} and c.met = true)`, sql`not ${breached}`) : undefined,
    f.q ? or(sql`${workItems.number} ilike ${`%${escapeLike(f.q)}%`}`, sql`${workItems.title} ilike ${`%${escapeLike(f.q)}%`}`) : undefined,
  );
}

/** Completion of the kind: a repair's completion, a complaint's resolution, an inquiry's answer. */
const doneAtSql = sql<Date | string | null>`case
  when ${workItems.completedAt} is not null then ${workItems.completedAt}
  when ${workItems.state} in ('resolved', 'closed', 'answered') then
    (select max(e.at) from ${workItemEvents} e where e.item_id = ${workItems.id} and e.type = 'transition' and e.action in ('resolve', 'answer'))
  end`;

async function archiveRows(ctx: SignedInCtx, f: ArchiveFilter, page?: { limit: number; offset: number }) {
  const where = archiveWhere(ctx, f);
  const order = [desc(workItems.createdAt), desc(workItems.id)];
  /*
   * The clocks are fetched for the same items by a subquery, not a list of ids: an export may hold
   * 50,000 items, and two lists of that many ids come near PostgreSQL's 65,535 bind parameters.
   */
  let idQ = ctx.db.select({ id: workItems.id }).from(workItems).where(where).orderBy(...order).$dynamic();
  if (page) idQ = idQ.limit(page.limit).offset(page.offset);
  let q = ctx.db.select({
    w: workItems, placeCode: places.code, placeName: places.name, companyName: companies.name,
    technician: staff.name, occupantName: occupants.name, occupantPhone: occupants.phone, doneAt: doneAtSql,
  }).from(workItems)
    .leftJoin(places, eq(places.id, workItems.placeId))
    .leftJoin(companies, eq(companies.id, workItems.companyId))
    .leftJoin(staff, eq(staff.id, workItems.assigneeStaffId))
    .leftJoin(occupants, eq(occupants.id, workItems.occupantId))
    .where(where).orderBy(...order).$dynamic();
  if (page) q = q.limit(page.limit).offset(page.offset);
  const [rows, clocks, lateUpdates] = await Promise.all([
    q, ctx.db.select().from(workItemClocks).where(inArray(workItemClocks.itemId, idQ)), lateUpdateItems(ctx.db, idQ),
  ]);
  const byItem = new Map<string, ClockRow[]>();
  for (const c of clocks) byItem.set(c.itemId, [...(byItem.get(c.itemId) ?? []), scored(c, lateUpdates)]);
  return { rows, byItem, where };
}

/** Kept (true), broken (false) or not yet judged (null), over the service clocks. */
function overallMet(clocks: ClockRow[]): boolean | null {
  const scored = clocks.filter((c) => SERVICE_CLOCKS.includes(c.clock));
  if (scored.some((c) => c.met === false || (!c.stoppedAt && c.breachedAt))) return false;
  return scored.some((c) => c.met === true) ? true : null;
}

function archiveView(ctx: SignedInCtx, r: Awaited<ReturnType<typeof archiveRows>>['rows'][number], clocks: ClockRow[]) {
  const w = r.w;
  const order = (c: ClockRow) => ARCHIVE_CLOCKS.indexOf(c.clock as (typeof ARCHIVE_CLOCKS)[number]);
  return {
    id: w.id, number: w.number, kind: w.kind, kindName: kindName(ctx, w.kind), category: w.category, categoryName: categoryName(ctx, w.category),
    urgency: w.urgency, urgencyName: URGENCY_LABELS[w.urgency as Urgency] ? say(ctx, URGENCY_LABELS[w.urgency as Urgency]) : w.urgency,
    state: w.state, stateName: stateName(ctx, w.kind, w.state), title: w.title, channel: w.channel,
    place: w.placeId && r.placeCode ? { id: w.placeId, code: r.placeCode, name: r.placeName! } : null,
    company: w.companyId && r.companyName ? { id: w.companyId, name: r.companyName } : null,
    reporterName: r.occupantName ?? w.contactName ?? null,
    /** SEC-2: masked in lists and exports. */
    contactPhone: maskPhone(w.contactPhone ?? r.occupantPhone),
    technician: w.assigneeStaffId ? { id: w.assigneeStaffId, name: r.technician ?? '' } : null,
    createdAt: w.createdAt.toISOString(), arrivedAt: iso(w.arrivedAt), arrivalProof: w.arrivalProof, completedAt: iso(r.doneAt), closedAt: iso(w.closedAt),
    rating: w.rating, ratingComment: w.ratingComment, reopenCount: w.reopenCount, relatedItemId: w.relatedItemId,
    materials: w.materials, labourMinutes: w.labourMinutes,
    met: overallMet(clocks),
    clocks: [...clocks].sort((a, b) => order(a) - order(b)).map((c) => ({
      clock: c.clock, name: clockName(ctx, c.clock), dueAt: c.dueAt.toISOString(), stoppedAt: iso(c.stoppedAt), running: !!c.runningSince,
      met: c.met, minutesLate: c.minutesLate, breached: !!c.breachedAt || c.met === false, consumedMinutes: round1(c.consumed)!,
    })),
  };
}
export type ArchiveItem = ReturnType<typeof archiveView>;

export async function searchArchive(ctx: SignedInCtx, f: ArchiveFilter & { limit: number; offset: number }) {
  checkRange(f.from, f.to);
  const { rows, byItem, where } = await archiveRows(ctx, f, f);
  const total = await ctx.db.$count(workItems, where);
  return { items: rows.map((r) => archiveView(ctx, r, byItem.get(r.w.id) ?? [])), total };
}

export const ARCHIVE_EXPORT_LIMIT = 50_000;
export const ARCHIVE_HEADERS = [
  '编号', '类型', '类别', '紧急程度', '位置', '报修人单位', '报修人', '联系电话', '报修时间', '到场时间', '到场方式(扫码/手工)',
  '完成时间', '维修人员', '状态', '时限是否达标', '评价', '用料', '工时(分钟)',
];

/** The promise column of the export: kept, or which clock was broken and by how much. */
function metText(clocks: ArchiveItem['clocks']) {
  const scored = clocks.filter((c) => SERVICE_CLOCKS.includes(c.clock));
  const late = scored.filter((c) => c.met === false || (c.stoppedAt === null && c.breached));
  if (late.length) return `超时（${late.map((c) => (c.minutesLate ? `${CLOCK_LABELS[c.clock as ClockName]?.zh ?? c.clock}超${c.minutesLate}分钟` : `${CLOCK_LABELS[c.clock as ClockName]?.zh ?? c.clock}已超时`)).join('，')}）`;
  if (scored.some((c) => c.met === true)) return scored.some((c) => c.running) ? '达标（处理中）' : '达标';
  return scored.some((c) => c.running) ? '进行中' : '';
}

/**
 * The archive search as XLSX (RP-6, CS-8): Chinese headers and labels whatever the reader's
 * language, phones masked (SEC-2), and one audit row naming the filter and the row count (SEC-3).
 */
export async function exportArchive(ctx: SignedInCtx, f: ArchiveFilter) {
  checkRange(f.from, f.to);
  const total = await ctx.db.$count(workItems, archiveWhere(ctx, f));
  if (total > ARCHIVE_EXPORT_LIMIT) {
    throw invalidField('querystring.to', { zh: `记录超过 ${ARCHIVE_EXPORT_LIMIT} 条，请缩小范围`, en: `More than ${ARCHIVE_EXPORT_LIMIT} records; narrow the search` }, 'too_many');
  }
  const zh = { ...ctx, locale: 'zh-CN' as const };
  const { rows, byItem } = await archiveRows(zh, f);
  const views = rows.map((r) => archiveView(zh, r, byItem.get(r.w.id) ?? []));
  const cells = views.map((v) => [
    v.number, v.kindName, v.categoryName, v.urgencyName, v.place?.name ?? '', v.company?.name ?? '', v.reporterName ?? '', v.contactPhone ?? '',
    shanghaiMinute(new Date(v.createdAt)), v.arrivedAt ? shanghaiMinute(new Date(v.arrivedAt)) : '',
    v.arrivalProof === 'qr' ? '扫码' : v.arrivalProof === 'manual' ? '手工' : '',
    v.completedAt ? shanghaiMinute(new Date(v.completedAt)) : '', v.technician?.name ?? '', v.stateName, metText(v.clocks),
    v.rating ? `${v.rating}分${v.ratingComment ? `：${v.ratingComment}` : ''}` : '',
    v.materials ?? '', v.labourMinutes,
  ]);
  const wb = new ExcelJS.Workbook();
  addSheet(wb, '工单档案', ARCHIVE_HEADERS, cells, [18, 8, 22, 8, 18, 30, 10, 14, 17, 17, 10, 17, 10, 10, 28, 24, 30, 10]);
  const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
  await audit(ctx.db, ctx, { action: 'report.archive_export', entityType: 'work_item', siteId: ctx.actor.siteId, after: { filter: f, rows: views.length } });
  const span = `${f.from ?? 'all'}-${f.to ?? 'now'}`;
  return { xlsx, filename: `工单档案-${span}.xlsx`, asciiName: `work-item-archive-${span}.xlsx` };
}

function addSheet(wb: ExcelJS.Workbook, name: string, headers: string[], rows: Array<Array<string | number | null>>, widths: number[] = []) {
  const ws = wb.addWorksheet(name.replace(/[:\\/?*[\]]/g, '-').slice(0, 31));
  ws.addRow(headers).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((x) => x ?? ''));
  headers.forEach((_, i) => { ws.getColumn(i + 1).width = widths[i] ?? 16; });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  return ws;
}

// =============================================================================================
// Monthly complaint report (CP-6)

export const MONTH = MONTH_PATTERN;
interface Score { n: number; met: number; rate: number | null }
const score = (rows: Array<{ met: boolean | null }>): Score => {
  const scored = rows.filter((r) => r.met !== null);
  const met = scored.filter((r) => r.met).length;
  return { n: scored.length, met, rate: rate(met, scored.length) };
};

/**
 * The complaints filed in a month (CP-6): volume against the month before, categories,
 * timeliness from the clocks (acknowledged / resolved / complainant updated within their limits),
 * repeats — a company or a place with two or more complaints in the month —, revisit satisfaction
 * of the month's complaints (reached revisits), and the improvements, which are the resolutions.
 */
export async function monthlyComplaints(ctx: SignedInCtx, month?: string) {
  const m = month ?? shanghaiDate(ctx.now).slice(0, 7);
  const b = shanghaiMonth(m);
  const inMonth = and(siteCond(ctx), eq(workItems.kind, 'complaint'), gte(workItems.createdAt, b.from), lt(workItems.createdAt, b.to));
  const ids = ctx.db.select({ id: workItems.id }).from(workItems).where(inMonth);
  const [rows, rawClocks, visits, previous, related, lateUpdates] = await Promise.all([
    ctx.db.select({
      w: workItems, placeCode: places.code, placeName: places.name, companyName: companies.name, owner: staff.name,
      resolvedAt: sql<Date | string | null>`(select max(e.at) from ${workItemEvents} e where e.item_id = ${workItems.id} and e.type = 'transition' and e.action = 'resolve')`,
    }).from(workItems)
      .leftJoin(places, eq(places.id, workItems.placeId)).leftJoin(companies, eq(companies.id, workItems.companyId))
      .leftJoin(staff, eq(staff.id, workItems.assigneeStaffId))
      .where(inMonth).orderBy(asc(workItems.createdAt), asc(workItems.number)),
    ctx.db.select().from(workItemClocks).where(inArray(workItemClocks.itemId, ids)),
    ctx.db.select().from(revisits).where(and(inArray(revisits.itemId, ids), eq(revisits.state, 'done'))),
    ctx.db.$count(workItems, and(siteCond(ctx), eq(workItems.kind, 'complaint'), gte(workItems.createdAt, b.prevFrom), lt(workItems.createdAt, b.from))),
    ctx.db.select({ id: workItems.id, kind: workItems.kind, number: workItems.number }).from(workItems)
      .where(inArray(workItems.id, ctx.db.select({ id: sql<string>`${workItems.relatedItemId}` }).from(workItems).where(and(inMonth, sql`${workItems.relatedItemId} is not null`)))),
    lateUpdateItems(ctx.db, ids),
  ]);
  const clocks = rawClocks.map((c) => scored(c, lateUpdates));
  const kinds = new Map(related.map((r) => [r.id, r]));
  const terminal = (s: string) => KINDS.complaint.states[s]?.terminal === true;
  const clockOf = (name: string) => clocks.filter((c) => c.clock === name);

  const byCategory = new Map<string, number>();
  for (const r of rows) byCategory.set(r.w.category, (byCategory.get(r.w.category) ?? 0) + 1);
  const total = rows.length;

  const repeat = <K extends string>(key: (r: (typeof rows)[number]) => K | null) => {
    const groups = new Map<K, typeof rows>();
    for (const r of rows) {
      const k = key(r);
      if (k && r.w.state !== 'cancelled') groups.set(k, [...(groups.get(k) ?? []), r]);
    }
    return [...groups].filter(([, g]) => g.length >= 2).sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  };
  const reached = visits.filter((v) => v.reached && v.satisfied !== null);
  const satisfied = reached.filter((v) => v.satisfied).length;
  const numberOf = new Map(rows.map((r) => [r.w.id, r.w.number]));

  return {
    month: m, from: b.firstDay, to: b.lastDay,
    volume: {
      total, previousMonth: previous, change: total - previous,
      open: rows.filter((r) => !terminal(r.w.state) && r.w.state !== 'resolved').length,
      resolved: rows.filter((r) => r.w.state === 'resolved').length,
      closed: rows.filter((r) => r.w.state === 'closed').length,
      cancelled: rows.filter((r) => r.w.state === 'cancelled').length,
      /** Complaints about a repair (opened from a dissatisfied revisit of it). */
      aboutRepairs: rows.filter((r) => r.w.relatedItemId && kinds.get(r.w.relatedItemId)?.kind === 'repair').length,
      /** Complaints reopened as new ones after a dissatisfied complaint revisit. */
      followUps: rows.filter((r) => r.w.relatedItemId && kinds.get(r.w.relatedItemId)?.kind === 'complaint').length,
    },
    byCategory: [...byCategory].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([category, count]) => ({ category, name: categoryName(ctx, category), count, share: rate(count, total)! })),
    timeliness: {
      acknowledge: score(clockOf('acknowledge')),
      resolution: score(clockOf('resolution')),
      update: score(clockOf('update')),
      /** Still open with a clock past its limit. */
      overdueOpen: new Set(clocks.filter((c) => !c.stoppedAt && c.breachedAt && c.clock !== 'revisit').map((c) => c.itemId)).size,
    },
    repeats: {
      byCompany: repeat((r) => r.w.companyId).map(([id, g]) => ({
        companyId: id, name: g[0]!.companyName ?? '', count: g.length, numbers: g.map((r) => r.w.number),
        categories: [...new Set(g.map((r) => categoryName(ctx, r.w.category)))],
      })),
      byPlace: repeat((r) => r.w.placeId).map(([id, g]) => ({
        placeId: id, code: g[0]!.placeCode ?? '', name: g[0]!.placeName ?? '', count: g.length, numbers: g.map((r) => r.w.number),
        categories: [...new Set(g.map((r) => categoryName(ctx, r.w.category)))],
      })),
    },
    revisits: {
      done: visits.length, reached: reached.length, satisfied, rate: rate(satisfied, reached.length),
      dissatisfied: reached.filter((v) => !v.satisfied).map((v) => ({ number: numberOf.get(v.itemId) ?? '', comment: v.comment, followUp: v.followUp }))
        .sort((a, b) => a.number.localeCompare(b.number)),
    },
    improvements: rows.filter((r) => r.w.resolution).map((r) => ({
      id: r.w.id, number: r.w.number, category: r.w.category, categoryName: categoryName(ctx, r.w.category),
      company: r.companyName, place: r.placeName, responsible: r.owner, resolvedAt: iso(r.resolvedAt), resolution: r.w.resolution!,
      relatedNumber: r.w.relatedItemId ? kinds.get(r.w.relatedItemId)?.number ?? null : null,
    })),
  };
}

/** The monthly complaint report as a workbook: a summary sheet and one sheet per table. */
export async function monthlyComplaintsXlsx(ctx: SignedInCtx, month?: string) {
  const zh = { ...ctx, locale: 'zh-CN' as const };
  const r = await monthlyComplaints(zh, month);
  const wb = new ExcelJS.Workbook();
  const s = r.timeliness;
  addSheet(wb, '概况', ['项目', '数值'], [
    ['月份', r.month], ['统计期间', `${r.from} 至 ${r.to}`], ['投诉总量', r.volume.total], ['上月投诉量', r.volume.previousMonth],
    ['环比增减', r.volume.change], ['处理中', r.volume.open], ['已办结待回访', r.volume.resolved], ['已结案', r.volume.closed], ['已撤销', r.volume.cancelled],
    ['涉及维修的投诉', r.volume.aboutRepairs], ['回访不满意再投诉', r.volume.followUps],
    ['受理及时率（1个工作小时）', `${pct(s.acknowledge.rate)}（${s.acknowledge.met}/${s.acknowledge.n}）`],
    ['办结及时率（3个工作日）', `${pct(s.resolution.rate)}（${s.resolution.met}/${s.resolution.n}）`],
    ['进展告知及时率（每工作日）', `${pct(s.update.rate)}（${s.update.met}/${s.update.n}）`],
    ['超时未结', s.overdueOpen],
    ['回访满意率', `${pct(r.revisits.rate)}（${r.revisits.satisfied}/${r.revisits.reached}）`],
  ], [28, 30]);
  addSheet(wb, '分类统计', ['类别', '数量', '占比'], r.byCategory.map((c) => [c.name, c.count, pct(c.share)]), [20, 10, 10]);
  addSheet(wb, '重复投诉-单位', ['单位', '次数', '类别', '投诉编号'], r.repeats.byCompany.map((c) => [c.name, c.count, c.categories.join('、'), c.numbers.join('、')]), [34, 8, 24, 50]);
  addSheet(wb, '重复投诉-位置', ['位置', '编码', '次数', '类别', '投诉编号'], r.repeats.byPlace.map((p) => [p.name, p.code, p.count, p.categories.join('、'), p.numbers.join('、')]), [20, 20, 8, 24, 50]);
  addSheet(wb, '改进措施', ['编号', '类别', '单位', '位置', '责任人', '办结时间', '处理结果/改进措施', '关联工单'], r.improvements.map((i) => [
    i.number, i.categoryName, i.company ?? '', i.place ?? '', i.responsible ?? '', i.resolvedAt ? shanghaiMinute(new Date(i.resolvedAt)) : '', i.resolution, i.relatedNumber ?? '',
  ]), [18, 12, 30, 16, 10, 17, 50, 18]);
  addSheet(wb, '回访不满意', ['投诉编号', '回访意见', '后续'], r.revisits.dissatisfied.map((d) => [d.number, d.comment ?? '', d.followUp === 'complaint' ? '已再立投诉' : d.followUp === 'reopened' ? '已重新处理' : '']), [18, 40, 14]);
  const xlsx = Buffer.from(await wb.xlsx.writeBuffer());
  await audit(ctx.db, ctx, { action: 'report.complaints_export', entityType: 'work_item', siteId: ctx.actor.siteId, after: { month: r.month, complaints: r.volume.total } });
  return { xlsx, filename: `投诉月报-${r.month}.xlsx`, asciiName: `complaints-${r.month}.xlsx` };
}

// =============================================================================================
// Service-level statistics (RP-3, RP-10, CP-5)

interface Percentiles { n: number; met: number; rate: number | null; p50: number | null; p90: number | null }
const REPAIR_TRADES = [...new Set(ALL_CATEGORIES.filter((c) => c.kind === 'repair' && c.trade).map((c) => c.trade!))];
const tradeTable = () => sql.join(ALL_CATEGORIES.filter((c) => c.kind === 'repair').map((c) => sql`(${c.code}, ${c.trade ?? 'general'})`), sql`, `);

/**
 * Service levels of the items filed in [from, to] (Asia/Shanghai days, default the last 30):
 * - urgent arrival within 30 minutes (RP-3), split into arrivals proven by a QR scan and manual
 *   (unproven) ones, with the arrival minutes' p50/p90;
 * - per trade: arrival (urgent, wall minutes), response (non-urgent, working minutes — RP-10's
 *   2 hours), resolution (non-urgent, working minutes) and urgent resolution (wall minutes):
 *   share within the limit, p50 and p90 of the minutes the clock consumed (nearest rank);
 * - first-time fix: repairs completed without a reopen and without a complaint about them;
 *   reopen rate: repairs reopened at least once, over those completed;
 * - per technician (the assignee): items, completed, on time (every scored clock kept), rating;
 * - complaint timeliness per responsible person (CP-5 KPI input).
 * Only stopped, scored clocks count (an item still open is judged when its clock stops).
 */
export async function slaStats(ctx: SignedInCtx, q: { from?: string; to?: string }) {
  const to = q.to ?? shanghaiDate(ctx.now);
  const from = q.from ?? shanghaiDate(new Date(dayStart(to).getTime() - 29 * DAY_MS));
  checkRange(from, to);
  const period = sql`${siteSql(ctx)} and w.created_at >= ${dayStart(from).toISOString()} and w.created_at < ${nextDayStart(to).toISOString()}`;

  const [arrival, perTrade, counts, fix, techs, complaintsBy] = await Promise.all([
    ctx.db.execute<{ proof: string | null; all: number; n: number; met: number; p50: number | null; p90: number | null }>(sql`
      select w.arrival_proof as proof, grouping(w.arrival_proof) as all, count(*)::int as n, (count(*) filter (where c.met))::int as met,
        percentile_disc(0.5) within group (order by c.consumed) as p50, percentile_disc(0.9) within group (order by c.consumed) as p90
      from ${workItemClocks} c join ${workItems} w on w.id = c.item_id
      where ${period} and w.kind = 'repair' and c.clock = 'arrival' and c.met is not null
      group by grouping sets ((w.arrival_proof), ())`),
    ctx.db.execute<{ trade: string; clock: string; urgent: boolean; n: number; met: number; p50: number | null; p90: number | null }>(sql`
      select ct.trade, c.clock, (w.urgency = 'urgent') as urgent, count(*)::int as n, (count(*) filter (where c.met))::int as met,
        percentile_disc(0.5) within group (order by c.consumed) as p50, percentile_disc(0.9) within group (order by c.consumed) as p90
      from ${workItemClocks} c join ${workItems} w on w.id = c.item_id join (values ${tradeTable()}) as ct(code, trade) on ct.code = w.category
      where ${period} and w.kind = 'repair' and c.met is not null and c.clock in ('arrival', 'response', 'resolution')
      group by ct.trade, c.clock, (w.urgency = 'urgent')`),
    ctx.db.execute<{ trade: string; n: number; urgent: number }>(sql`
      select ct.trade, count(*)::int as n, (count(*) filter (where w.urgency = 'urgent'))::int as urgent
      from ${workItems} w join (values ${tradeTable()}) as ct(code, trade) on ct.code = w.category
      where ${period} and w.kind = 'repair' group by ct.trade`),
    ctx.db.execute<{ repairs: number; completed: number; first_time: number; reopened: number; complained: number; cancelled: number; open: number }>(sql`
      select count(*)::int as repairs,
        (count(*) filter (where done))::int as completed,
        (count(*) filter (where done and reopen_count = 0 and not complained))::int as first_time,
        (count(*) filter (where done and reopen_count > 0))::int as reopened,
        (count(*) filter (where done and complained))::int as complained,
        (count(*) filter (where state = 'cancelled'))::int as cancelled,
        (count(*) filter (where state not in ('closed', 'cancelled', 'completed')))::int as open
      from (select w.state, w.reopen_count, (w.completed_at is not null or w.reopen_count > 0) as done,
              exists (select 1 from ${workItems} x where x.related_item_id = w.id and x.kind = 'complaint') as complained
            from ${workItems} w where ${period} and w.kind = 'repair') r`),
    ctx.db.execute<{ id: string; name: string; trades: string[]; items: number; completed: number; scored: number; on_time: number; reopened: number; rated: number; avg_rating: number | null }>(sql`
      select s.id, s.name, s.trades, count(*)::int as items,
        (count(*) filter (where r.completed_at is not null or r.reopen_count > 0))::int as completed,
        (count(*) filter (where r.on_time is not null))::int as scored,
        (count(*) filter (where r.on_time))::int as on_time,
        (count(*) filter (where r.reopen_count > 0))::int as reopened,
        count(r.rating)::int as rated, avg(r.rating)::float8 as avg_rating
      from (select w.*, (select bool_and(c.met) from ${workItemClocks} c where c.item_id = w.id and c.clock in ('arrival', 'response', 'resolution') and c.met is not null) as on_time
            from ${workItems} w where ${period} and w.kind = 'repair' and w.assignee_staff_id is not null) r
      join ${staff} s on s.id = r.assignee_staff_id
      group by s.id, s.name, s.trades order by items desc, s.name`),
    complaintOwners(ctx, period),
  ]);

  const P = (r?: { n: number; met: number; p50: number | null; p90: number | null }): Percentiles => (
    r ? { n: r.n, met: r.met, rate: rate(r.met, r.n), p50: round1(r.p50), p90: round1(r.p90) } : { n: 0, met: 0, rate: null, p50: null, p90: null });
  const arrivalAll = arrival.rows.find((r) => Number(r.all) === 1);
  const byProof = (p: string) => arrival.rows.find((r) => Number(r.all) === 0 && r.proof === p);
  const cell = (trade: string, clock: string, urgent: boolean) => perTrade.rows.find((r) => r.trade === trade && r.clock === clock && r.urgent === urgent);
  const f = fix.rows[0]!;

  return {
    from, to,
    urgentArrival: {
      limitMinutes: 30,
      ...P(arrivalAll),
      /** Arrival proven by scanning the place's QR code (RP-3). */
      proven: P(byProof('qr')),
      /** Manual arrivals, with a reason: not proven. */
      unproven: P(byProof('manual')),
    },
    byTrade: [...new Set([...REPAIR_TRADES, ...counts.rows.map((r) => r.trade)])]
      .map((trade) => {
        const c = counts.rows.find((r) => r.trade === trade);
        return {
          trade, name: TRADES[trade as Trade] ? say(ctx, TRADES[trade as Trade]) : trade, repairs: c?.n ?? 0, urgent: c?.urgent ?? 0,
          arrival: P(cell(trade, 'arrival', true)),
          response: P(cell(trade, 'response', false)),
          resolution: P(cell(trade, 'resolution', false)),
          urgentResolution: P(cell(trade, 'resolution', true)),
        };
      })
      .filter((r) => r.repairs > 0),
    repairs: {
      total: f.repairs, completed: f.completed, open: f.open, cancelled: f.cancelled,
      firstTimeFix: { n: f.completed, met: f.first_time, rate: rate(f.first_time, f.completed) },
      reopen: { n: f.completed, reopened: f.reopened, rate: rate(f.reopened, f.completed) },
      complainedAbout: f.complained,
    },
    byTechnician: techs.rows.map((r) => ({
      staffId: r.id, name: r.name, trades: r.trades, items: r.items, completed: r.completed, reopened: r.reopened,
      onTime: { n: r.scored, met: r.on_time, rate: rate(r.on_time, r.scored) },
      rated: r.rated, averageRating: r.avg_rating === null ? null : Math.round(r.avg_rating * 100) / 100,
    })),
    complaintsByResponsible: complaintsBy,
  };
}

/** Complaint clocks per responsible person (CP-2 names them; CP-5 counts their timeliness). */
async function complaintOwners(ctx: SignedInCtx, period: SQL) {
  const perOwner = await ctx.db.execute<{ id: string; name: string; complaints: number; breached: number }>(sql`
    select s.id, s.name, count(*)::int as complaints,
      (count(*) filter (where exists (select 1 from ${workItemClocks} c where c.item_id = w.id and c.clock <> 'revisit'
        and (c.met = false or (c.stopped_at is null and c.breached_at is not null) or ${LATE_UPDATE}))))::int as breached
    from ${workItems} w join ${staff} s on s.id = w.assignee_staff_id
    where ${period} and w.kind = 'complaint' group by s.id, s.name order by complaints desc, s.name`);
  const clocks = (await ctx.db.execute<{ id: string; clock: string | null; n: number; met: number; overdue: number }>(sql`
    select s.id, c.clock, (count(c.id) filter (where c.met is not null))::int as n, (count(c.id) filter (where c.met and not ${LATE_UPDATE}))::int as met,
      (count(c.id) filter (where c.stopped_at is null and c.breached_at is not null))::int as overdue
    from ${workItems} w join ${staff} s on s.id = w.assignee_staff_id
      left join ${workItemClocks} c on c.item_id = w.id and c.clock in ('acknowledge', 'resolution', 'update')
    where ${period} and w.kind = 'complaint' group by s.id, c.clock`)).rows;
  return perOwner.rows.map((o) => {
    const mine = clocks.filter((c) => c.id === o.id && c.clock);
    const by = (clock: string) => {
      const c = mine.find((x) => x.clock === clock);
      return { n: c?.n ?? 0, met: c?.met ?? 0, rate: rate(c?.met ?? 0, c?.n ?? 0) };
    };
    const n = mine.reduce((s, c) => s + c.n, 0);
    const met = mine.reduce((s, c) => s + c.met, 0);
    return {
      staffId: o.id, name: o.name, complaints: o.complaints, breachedItems: o.breached,
      acknowledge: by('acknowledge'), resolution: by('resolution'), update: by('update'),
      /** All of the person's complaint clocks together: the KPI input (CP-5). */
      onTime: { n, met, rate: rate(met, n) },
    };
  });
}

// =============================================================================================
// Quality spot-checks (RP-7)

/** ISO 8601 week of a Shanghai date: '2026-W48'. */
export function isoWeekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const thursday = new Date(d.getTime() + (3 - ((d.getUTCDay() + 6) % 7)) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / DAY_MS / 7);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export const WEEK = /^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$/;

/** Monday and Sunday of an ISO week, and its instants [from, to) in Asia/Shanghai. */
export function weekBounds(week: string) {
  const m = WEEK.exec(week);
  if (!m) throw new RangeError(`not an ISO week: ${week}`);
  const jan4 = Date.UTC(Number(m[1]), 0, 4);
  const monday1 = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * DAY_MS;
  const monday = new Date(monday1 + (Number(m[2]) - 1) * 7 * DAY_MS).toISOString().slice(0, 10);
  if (isoWeekOf(monday) !== week) throw new RangeError(`no such week: ${week}`);
  const sunday = new Date(Date.parse(monday) + 6 * DAY_MS).toISOString().slice(0, 10);
  return { monday, sunday, from: dayStart(monday), to: nextDayStart(sunday) };
}

/** Share of a week's completed repairs proposed for a spot-check: more of the important (urgent) ones. */
export const SPOT_CHECK_SHARE = { urgent: 0.3, other: 0.1 } as const;

/**
 * The weekly proposal (RP-7): of the repairs completed in `week`, the first ⌈30 %⌉ of the urgent
 * ones and ⌈10 %⌉ of the others in the order of a hash of (week, item id) — random-looking, but
 * the same list every time the week is asked for, and a different one each week.
 */
export function proposeSpotChecks<T extends { id: string; urgency: string }>(week: string, items: readonly T[]): Array<T & { reason: 'urgent' | 'sample' }> {
  const score = (id: string) => crypto.createHash('sha256').update(`${week}:${id}`).digest().readUInt32BE(0);
  const take = (list: T[], share: number) => [...list].sort((a, b) => score(a.id) - score(b.id) || a.id.localeCompare(b.id)).slice(0, Math.ceil(list.length * share));
  return [
    ...take(items.filter((i) => i.urgency === 'urgent'), SPOT_CHECK_SHARE.urgent).map((i) => ({ ...i, reason: 'urgent' as const })),
    ...take(items.filter((i) => i.urgency !== 'urgent'), SPOT_CHECK_SHARE.other).map((i) => ({ ...i, reason: 'sample' as const })),
  ];
}

const previousWeek = (now: Date) => isoWeekOf(shanghaiDate(new Date(now.getTime() - 7 * DAY_MS)));

function completedIn(db: Queryable, site: SQL | undefined, from: Date, to: Date) {
  return db.select({
    id: workItems.id, urgency: workItems.urgency, number: workItems.number, category: workItems.category, title: workItems.title,
    completedAt: workItems.completedAt, rating: workItems.rating, placeId: workItems.placeId, placeName: places.name,
    technicianId: workItems.assigneeStaffId, technician: staff.name,
  }).from(workItems).leftJoin(places, eq(places.id, workItems.placeId)).leftJoin(staff, eq(staff.id, workItems.assigneeStaffId))
    .where(and(site, eq(workItems.kind, 'repair'), inArray(workItems.state, ['completed', 'closed']),
      gte(workItems.completedAt, from), lt(workItems.completedAt, to)))
    .orderBy(asc(workItems.completedAt), asc(workItems.number));
}

/**
 * The spot-checks proposed for the repairs completed in `week` (default: last week, the one a
 * supervisor works through this week), with any check already recorded.
 */
export async function proposedSpotChecks(ctx: SignedInCtx, week?: string) {
  const wk = week ?? previousWeek(ctx.now);
  let b;
  try {
    b = weekBounds(wk);
  } catch {
    throw invalidField('querystring.week', { zh: '周的格式应为 YYYY-Www', en: 'A week is YYYY-Www' });
  }
  const done = await completedIn(ctx.db, siteCond(ctx), b.from, b.to);
  const proposal = proposeSpotChecks(wk, done);
  const checks = proposal.length ? await ctx.db.select().from(qualitySpotChecks).where(inArray(qualitySpotChecks.itemId, proposal.map((p) => p.id))) : [];
  return {
    week: wk, from: b.monday, to: b.sunday, completed: done.length, completedUrgent: done.filter((d) => d.urgency === 'urgent').length,
    share: { ...SPOT_CHECK_SHARE },
    items: proposal.map((p) => {
      const c = checks.find((x) => x.itemId === p.id);
      return {
        itemId: p.id, number: p.number, category: p.category, categoryName: categoryName(ctx, p.category), urgency: p.urgency, reason: p.reason,
        place: p.placeName, technician: p.technician, completedAt: iso(p.completedAt)!, rating: p.rating,
        check: c ? { id: c.id, result: c.result as 'pass' | 'fail', note: c.note, checkedAt: c.checkedAt.toISOString(), checkedBy: c.checkedByName } : null,
      };
    }),
  };
}

const FAIL_FOLLOW_UP: Message = {
  zh: '已记录为不合格。整改单将在整改功能上线后由抽检结果生成（RC-1），目前请另行安排返工。',
  en: 'Recorded as failed. Rectification items will be created from failed checks once rectifications exist (RC-1); arrange the rework separately for now.',
};

/**
 * Records a supervisor's quality spot-check of a completed repair (RP-7): pass or fail with a
 * note (required for a fail), once per repair. A fail is recorded and shows in the reports, but
 * opens nothing yet: rectification items (整改) arrive with their own kind in a later issue.
 */
export async function recordSpotCheck(ctx: SignedInCtx, input: { itemId: string; result: 'pass' | 'fail'; note?: string }) {
  const note = input.note?.trim() || null;
  if (input.result === 'fail' && !note) throw invalidField('body.note', { zh: '不合格须说明问题', en: 'A failed check needs a note' }, 'required');
  return ctx.db.transaction(async (tx) => {
    const [item] = await tx.select().from(workItems).where(and(eq(workItems.id, input.itemId), siteCond(ctx))).for('update');
    if (!item) throw NotFound();
    if (item.kind !== 'repair' || !['completed', 'closed'].includes(item.state) || !item.completedAt) {
      throw Conflict('not_completed', { zh: '只能抽检已完成的报修', en: 'Only completed repairs are spot-checked' }, [{ field: 'body.itemId', code: 'not_completed', message: { zh: '未完成', en: 'Not completed' } }]);
    }
    const [existing] = await tx.select({ id: qualitySpotChecks.id }).from(qualitySpotChecks).where(eq(qualitySpotChecks.itemId, item.id));
    if (existing) throw Conflict('already_checked', { zh: '该报修已抽检', en: 'This repair has already been checked' });
    const week = isoWeekOf(shanghaiDate(item.completedAt));
    const b = weekBounds(week);
    const proposal = proposeSpotChecks(week, await completedIn(tx, eq(workItems.siteId, item.siteId), b.from, b.to));
    const [row] = await tx.insert(qualitySpotChecks).values({
      siteId: item.siteId, itemId: item.id, result: input.result, note, proposedWeek: proposal.some((p) => p.id === item.id) ? week : null,
      checkedBy: ctx.actor.accountId, checkedByName: ctx.actor.name, checkedAt: ctx.now,
    }).returning();
    await tx.insert(workItemEvents).values({
      siteId: item.siteId, itemId: item.id, at: ctx.now, actorId: ctx.actor.accountId, actorName: ctx.actor.name, type: 'spot_check',
      body: `质量抽检：${input.result === 'pass' ? '合格' : '不合格'}${note ? `，${note}` : ''}`, public: false, data: { result: input.result, spotCheckId: row!.id },
    });
    await audit(tx, ctx, { action: 'repair.spot_check', entityType: 'work_item', entityId: item.id, siteId: item.siteId, after: { result: input.result, note, proposedWeek: row!.proposedWeek } });
    return spotCheckView(ctx, row!, item.number, input.result === 'fail' ? say(ctx, FAIL_FOLLOW_UP) : null);
  });
}

function spotCheckView(_ctx: SignedInCtx, c: typeof qualitySpotChecks.$inferSelect, number: string, followUp: string | null = null) {
  return {
    id: c.id, itemId: c.itemId, number, result: c.result as 'pass' | 'fail', note: c.note, proposedWeek: c.proposedWeek,
    checkedBy: c.checkedByName, checkedAt: c.checkedAt.toISOString(), rectificationItemId: c.rectificationItemId, followUp,
  };
}

/** Recorded spot-checks in a period (by check date), with the pass rate. */
export async function listSpotChecks(ctx: SignedInCtx, q: { from?: string; to?: string; result?: 'pass' | 'fail'; limit: number; offset: number }) {
  checkRange(q.from, q.to);
  const where = and(
    ctx.actor.siteId ? eq(qualitySpotChecks.siteId, ctx.actor.siteId) : undefined,
    q.from ? gte(qualitySpotChecks.checkedAt, dayStart(q.from)) : undefined,
    q.to ? lt(qualitySpotChecks.checkedAt, nextDayStart(q.to)) : undefined,
  );
  const [rows, counts] = await Promise.all([
    ctx.db.select({ c: qualitySpotChecks, number: workItems.number, category: workItems.category, urgency: workItems.urgency, technician: staff.name })
      .from(qualitySpotChecks).innerJoin(workItems, eq(workItems.id, qualitySpotChecks.itemId)).leftJoin(staff, eq(staff.id, workItems.assigneeStaffId))
      .where(and(where, q.result ? eq(qualitySpotChecks.result, q.result) : undefined))
      .orderBy(desc(qualitySpotChecks.checkedAt)).limit(q.limit).offset(q.offset),
    ctx.db.select({ result: qualitySpotChecks.result, n: sql<number>`count(*)::int` }).from(qualitySpotChecks).where(where).groupBy(qualitySpotChecks.result),
  ]);
  const passed = counts.find((c) => c.result === 'pass')?.n ?? 0;
  const failed = counts.find((c) => c.result === 'fail')?.n ?? 0;
  return {
    summary: { checked: passed + failed, passed, failed, passRate: rate(passed, passed + failed) },
    items: rows.map((r) => ({
      ...spotCheckView(ctx, r.c, r.number), category: r.category, categoryName: categoryName(ctx, r.category), urgency: r.urgency, technician: r.technician,
    })),
    total: q.result ? (q.result === 'pass' ? passed : failed) : passed + failed,
  };
}
