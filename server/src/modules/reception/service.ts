import { and, asc, count, desc, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import { KINDS, openStates, type WorkItemKind } from '@towerdesk/domain';
import type { Queryable, Tx } from '../../db/index.ts';
import { audit } from '../../platform/audit.ts';
import type { SignedInCtx } from '../../platform/context.ts';
import { invalidField, NotFound } from '../../platform/errors.ts';
import { maskPhone } from '../../platform/mask.ts';
import { writeSite } from '../../platform/scope.ts';
import { writeSheet } from '../../platform/spreadsheet.ts';
import { accounts } from '../accounts/schema.ts';
import { companies, occupants } from '../parties/schema.ts';
import { places } from '../places/schema.ts';
import { workItems } from '../work-items/schema.ts';
import { occupantsWithPhone } from './phones.ts';
import { receptions } from './schema.ts';
import { CHANNELS, TOPICS, type Channel, type Topic } from './topics.ts';

type ReceptionRow = typeof receptions.$inferSelect;
type Ref = { id: string; name: string };
type PlaceRef = { id: string; code: string; name: string };
type ItemRef = { id: string; number: string; kind: string; state: string };

const like = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
/** A day of the building's calendar (Asia/Shanghai, UTC+8 without DST) as its first instant. */
const dayStart = (d: string) => new Date(`${d}T00:00:00+08:00`);
const nextDayStart = (d: string) => new Date(dayStart(d).getTime() + 86_400_000);
/** "2026-11-24 09:05" in Asia/Shanghai, for exports. */
export const shanghaiMinute = (t: Date) => new Date(t.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

/** The desk and the owner's representative see their site's receptions (a site-less admin: all). */
const siteScope = (ctx: SignedInCtx) => (ctx.actor.siteId ? eq(receptions.siteId, ctx.actor.siteId) : undefined);

async function findVisible(tx: Queryable, ctx: SignedInCtx, id: string, lock = false) {
  const q = tx.select().from(receptions).where(and(eq(receptions.id, id), siteScope(ctx)));
  const [row] = lock ? await q.for('update') : await q;
  if (!row) throw NotFound();
  return row;
}

// ---------------------------------------------------------------------------------------------
// Views

export interface ReceptionView {
  id: string; siteId: string; at: string; channel: Channel; channelName: string;
  occupant: { id: string; name: string } | null;
  company: { id: string; name: string } | null;
  unit: { id: string; code: string; name: string } | null;
  contactName: string | null; contactPhone: string | null;
  topic: Topic; topicName: string; summary: string; actionTaken: string | null; result: string | null;
  agent: { id: string; name: string };
  workItems: Array<{ id: string; number: string; kind: string; state: string }>;
  callId: string | null; createdAt: string;
}

const label = (ctx: { locale: string }, m: { zh: string; en: string } | undefined, fallback: string) => (m ? (ctx.locale === 'en-US' ? m.en : m.zh) : fallback);

/**
 * Rows as the API shows them, from every route: names for display in a few batched reads
 * (read-only joins, architecture.md) and the contact's phone masked (SEC-2).
 */
async function viewsOf(db: Queryable, ctx: SignedInCtx, rows: ReceptionRow[]): Promise<ReceptionView[]> {
  const ids = <K extends keyof ReceptionRow>(k: K) => [...new Set(rows.map((r) => r[k]).filter((x): x is NonNullable<ReceptionRow[K]> => !!x))] as string[];
  const occIds = ids('occupantId');
  const coIds = ids('companyId');
  const unitIds = ids('unitId');
  const agentIds = ids('agentAccountId');
  const itemIds = [...new Set(rows.flatMap((r) => r.workItemIds))];
  // In parallel on the pool; one after another inside a transaction (one connection).
  const inTx = db !== ctx.db;
  const all = async <T extends readonly (() => Promise<unknown>)[]>(fns: T) => {
    if (!inTx) return Promise.all(fns.map((f) => f()));
    const out: unknown[] = [];
    for (const f of fns) out.push(await f());
    return out;
  };
  const [os, cs, us, as, ws] = await all([
    async () => (occIds.length ? db.select({ id: occupants.id, name: occupants.name }).from(occupants).where(inArray(occupants.id, occIds)) : []),
    async () => (coIds.length ? db.select({ id: companies.id, name: companies.name }).from(companies).where(inArray(companies.id, coIds)) : []),
    async () => (unitIds.length ? db.select({ id: places.id, code: places.code, name: places.name }).from(places).where(inArray(places.id, unitIds)) : []),
    async () => (agentIds.length ? db.select({ id: accounts.id, name: accounts.displayName }).from(accounts).where(inArray(accounts.id, agentIds)) : []),
    async () => (itemIds.length ? db.select({ id: workItems.id, number: workItems.number, kind: workItems.kind, state: workItems.state }).from(workItems).where(inArray(workItems.id, itemIds)) : []),
  ]) as [Ref[], Ref[], PlaceRef[], Ref[], ItemRef[]];
  const byId = <T extends { id: string }>(list: T[]) => new Map(list.map((x) => [x.id, x]));
  const [om, cm, um, am, wm] = [byId(os), byId(cs), byId(us), byId(as), byId(ws)];
  return rows.map((r) => ({
    id: r.id, siteId: r.siteId, at: r.at.toISOString(),
    channel: r.channel as Channel, channelName: label(ctx, CHANNELS[r.channel as Channel], r.channel),
    occupant: r.occupantId ? om.get(r.occupantId) ?? null : null,
    company: r.companyId ? cm.get(r.companyId) ?? null : null,
    unit: r.unitId ? um.get(r.unitId) ?? null : null,
    contactName: r.contactName, contactPhone: maskPhone(r.contactPhone),
    topic: r.topic as Topic, topicName: label(ctx, TOPICS[r.topic as Topic], r.topic),
    summary: r.summary, actionTaken: r.actionTaken, result: r.result,
    agent: { id: r.agentAccountId, name: am.get(r.agentAccountId)?.name ?? '' },
    workItems: r.workItemIds.map((id) => wm.get(id)).filter((w): w is NonNullable<typeof w> => !!w),
    callId: r.callId, createdAt: r.createdAt.toISOString(),
  }));
}

export async function getReception(ctx: SignedInCtx, id: string) {
  return (await viewsOf(ctx.db, ctx, [await findVisible(ctx.db, ctx, id)]))[0]!;
}

// ---------------------------------------------------------------------------------------------
// Recording a contact

export interface ReceptionInput {
  siteId?: string | null;
  channel: Channel;
  at?: string;
  occupantId?: string | null;
  companyId?: string | null;
  unitId?: string | null;
  contactName?: string | null;
  contactPhone?: string | null;
  topic: Topic;
  summary: string;
  actionTaken?: string | null;
  result?: string | null;
  workItemIds?: string[];
}

/** The desk may record a contact late, never in the future (5 minutes of clock drift allowed). */
const FUTURE_SLACK_MS = 5 * 60_000;

/**
 * Records one desk contact (CS-4), from any channel (CS-5). The occupant, when named, fixes the
 * site and the company and gives the unit; a company alone gives its first leased unit. Work
 * items named at creation must be of the same site.
 */
export async function createReception(ctx: SignedInCtx, input: ReceptionInput, extra: { callId?: string; tx?: Tx } = {}) {
  const run = async (tx: Tx) => {
    const siteLimit = ctx.actor.siteId;
    let siteId: string | null = null;
    let companyId: string | null = null;
    let unitId: string | null = null;
    let occupantId: string | null = null;
    if (input.occupantId) {
      const [o] = await tx.select().from(occupants).where(and(eq(occupants.id, input.occupantId), siteLimit ? eq(occupants.siteId, siteLimit) : undefined));
      if (!o) throw invalidField('body.occupantId', { zh: '使用人不存在', en: 'No such occupant' }, 'not_found');
      if (input.companyId && input.companyId !== o.companyId) {
        throw invalidField('body.companyId', { zh: '该使用人不属于此单位', en: 'The occupant does not belong to this company' }, 'mismatch');
      }
      occupantId = o.id; siteId = o.siteId; companyId = o.companyId; unitId = o.unitIds[0] ?? null;
    }
    if (input.companyId && !occupantId) {
      const [c] = await tx.select().from(companies).where(and(eq(companies.id, input.companyId), siteLimit ? eq(companies.siteId, siteLimit) : undefined));
      if (!c) throw invalidField('body.companyId', { zh: '单位不存在', en: 'No such company' }, 'not_found');
      siteId = c.siteId; companyId = c.id; unitId = c.unitIds[0] ?? null;
    }
    if (companyId && !unitId) {
      const [c] = await tx.select({ unitIds: companies.unitIds }).from(companies).where(eq(companies.id, companyId));
      unitId = c?.unitIds[0] ?? null;
    }
    siteId = siteId ?? writeSite(ctx, input.siteId);
    if (input.siteId && input.siteId !== siteId) throw invalidField('body.siteId', { zh: '与使用人或单位的项目不符', en: 'Not the site of the occupant or company' }, 'mismatch');
    if (input.unitId) {
      const [p] = await tx.select({ id: places.id }).from(places).where(and(eq(places.id, input.unitId), eq(places.siteId, siteId)));
      if (!p) throw invalidField('body.unitId', { zh: '位置不存在', en: 'No such place' }, 'not_found');
      unitId = p.id;
    }
    // Someone must be named — except for a call, which is its own record of who (even withheld).
    if (!extra.callId && !occupantId && !companyId && !input.contactName?.trim() && !input.contactPhone?.trim()) {
      throw invalidField('body.contactName', { zh: '请填写来访人、单位或联系电话', en: 'Name the person, their company or a phone number' }, 'required');
    }
    const at = input.at ? new Date(input.at) : ctx.now;
    if (at.getTime() > ctx.now.getTime() + FUTURE_SLACK_MS) throw invalidField('body.at', { zh: '接待时间不能晚于现在', en: 'The time cannot be in the future' }, 'future');
    const workItemIds = [...new Set(input.workItemIds ?? [])];
    await checkItemsOfSite(tx, siteId, workItemIds, 'body.workItemIds');
    const [row] = await tx.insert(receptions).values({
      siteId, at, channel: input.channel, occupantId, companyId, unitId,
      contactName: input.contactName?.trim() || null, contactPhone: input.contactPhone?.trim() || null,
      topic: input.topic, summary: input.summary, actionTaken: input.actionTaken ?? null, result: input.result ?? null,
      agentAccountId: ctx.actor.accountId, workItemIds, callId: extra.callId ?? null, createdAt: ctx.now,
    }).returning();
    await audit(tx, ctx, { action: 'reception.create', entityType: 'reception', entityId: row!.id, siteId, after: row });
    return row!;
  };
  const row = extra.tx ? await run(extra.tx) : await ctx.db.transaction(run);
  return (await viewsOf(extra.tx ?? ctx.db, ctx, [row]))[0]!;
}

async function checkItemsOfSite(tx: Queryable, siteId: string, ids: string[], field: string) {
  if (ids.length === 0) return;
  const found = await tx.select({ id: workItems.id }).from(workItems).where(and(inArray(workItems.id, ids), eq(workItems.siteId, siteId)));
  if (found.length !== ids.length) throw invalidField(field, { zh: '工单不存在', en: 'No such work item' }, 'not_found');
}

/**
 * Links a work item created from this contact (CS-4, RP-1: a call linked to its request). The
 * item must be of the reception's site; linking twice changes nothing and writes no audit row.
 */
export async function linkWorkItem(ctx: SignedInCtx, id: string, workItemId: string) {
  const row = await ctx.db.transaction(async (tx) => {
    const r = await findVisible(tx, ctx, id, true);
    if (r.workItemIds.includes(workItemId)) return r;
    await checkItemsOfSite(tx, r.siteId, [workItemId], 'body.workItemId');
    const [updated] = await tx.update(receptions).set({ workItemIds: [...r.workItemIds, workItemId] }).where(eq(receptions.id, r.id)).returning();
    await audit(tx, ctx, { action: 'reception.link', entityType: 'reception', entityId: r.id, siteId: r.siteId, before: { workItemIds: r.workItemIds }, after: { workItemIds: updated!.workItemIds } });
    return updated!;
  });
  return (await viewsOf(ctx.db, ctx, [row]))[0]!;
}

// ---------------------------------------------------------------------------------------------
// Searching

export interface ReceptionFilter {
  from?: string;
  to?: string;
  channel?: Channel;
  topic?: Topic;
  companyId?: string;
  q?: string;
}

function filterOf(ctx: SignedInCtx, f: ReceptionFilter): SQL | undefined {
  return and(
    siteScope(ctx),
    f.from ? sql`${receptions.at} >= ${dayStart(f.from).toISOString()}` : undefined,
    f.to ? sql`${receptions.at} < ${nextDayStart(f.to).toISOString()}` : undefined,
    f.channel ? eq(receptions.channel, f.channel) : undefined,
    f.topic ? eq(receptions.topic, f.topic) : undefined,
    f.companyId ? eq(receptions.companyId, f.companyId) : undefined,
    f.q ? or(
      ilike(receptions.summary, like(f.q)), ilike(receptions.actionTaken, like(f.q)), ilike(receptions.result, like(f.q)),
      ilike(receptions.contactName, like(f.q)),
      sql`exists (select 1 from ${occupants} o where o.id = ${receptions.occupantId} and o.name ilike ${like(f.q)})`,
      sql`exists (select 1 from ${companies} c where c.id = ${receptions.companyId} and c.name ilike ${like(f.q)})`,
    ) : undefined,
  );
}

function checkRange(f: ReceptionFilter) {
  if (f.from && f.to && f.from > f.to) throw invalidField('querystring.to', { zh: '结束日期早于开始日期', en: 'The end date is before the start date' }, 'range');
}

export async function listReceptions(ctx: SignedInCtx, f: ReceptionFilter & { limit: number; offset: number }) {
  checkRange(f);
  const where = filterOf(ctx, f);
  const [rows, total] = await Promise.all([
    ctx.db.select().from(receptions).where(where).orderBy(desc(receptions.at), desc(receptions.id)).limit(f.limit).offset(f.offset),
    ctx.db.$count(receptions, where),
  ]);
  return { items: await viewsOf(ctx.db, ctx, rows), total };
}

// ---------------------------------------------------------------------------------------------
// Phone lookup (CS-5)

/**
 * Who is calling: the occupants with this number, their company, units (with the floor) and
 * open work items. The number shown is the one the agent typed; the register's copy stays masked.
 */
export async function lookupPhone(ctx: SignedInCtx, phone: string) {
  const found = await occupantsWithPhone(ctx.db, ctx.actor.siteId, phone);
  const unitIds = [...new Set(found.flatMap((o) => o.unitIds))];
  const coIds = [...new Set(found.map((o) => o.companyId).filter((x): x is string => !!x))];
  const occIds = found.map((o) => o.id);
  const [units, floors, cos, items] = await Promise.all([
    unitIds.length ? ctx.db.select({ id: places.id, code: places.code, name: places.name }).from(places).where(inArray(places.id, unitIds)) : [],
    floorsOf(ctx.db, unitIds),
    coIds.length ? ctx.db.select({ id: companies.id, name: companies.name }).from(companies).where(inArray(companies.id, coIds)) : [],
    occIds.length ? openItemsOf(ctx.db, occIds) : [],
  ]);
  return {
    phone,
    matches: found.map((o) => ({
      occupant: { id: o.id, name: o.name, phone: maskPhone(o.phone)!, companyRole: o.companyRole },
      company: cos.find((c) => c.id === o.companyId) ?? null,
      units: o.unitIds.map((u) => units.find((x) => x.id === u)).filter((u): u is NonNullable<typeof u> => !!u)
        .map((u) => ({ ...u, floor: floors.get(u.id) ?? null })),
      openItems: items.filter((i) => i.occupantId === o.id).map(({ occupantId: _o, createdAt, ...i }) => ({ ...i, createdAt: createdAt.toISOString() })),
    })),
  };
}

/** Open = not in a terminal state of its kind (packages/domain declares them). */
const openCondition = () => or(...(Object.keys(KINDS) as WorkItemKind[]).map((k) => and(eq(workItems.kind, k), inArray(workItems.state, openStates(k)))));

async function openItemsOf(db: Queryable, occupantIds: string[]) {
  return db.select({
    id: workItems.id, number: workItems.number, kind: workItems.kind, category: workItems.category, urgency: workItems.urgency,
    state: workItems.state, title: workItems.title, occupantId: workItems.occupantId, createdAt: workItems.createdAt,
  }).from(workItems).where(and(inArray(workItems.occupantId, occupantIds), openCondition())).orderBy(desc(workItems.createdAt)).limit(50);
}

/**
 * The floor each place lies on: the nearest ancestor of kind 'floor' (a unit's parent, or higher
 * when units sit in a zone), read from the place tree with one recursive query.
 */
export async function floorsOf(db: Queryable, placeIds: string[]) {
  const out = new Map<string, { id: string; code: string; name: string }>();
  if (placeIds.length === 0) return out;
  const rows = await db.execute<{ start: string; id: string; code: string; name: string }>(sql`
    with recursive up(start, id, parent_id, kind, code, name, depth) as (
      select p.id, p.id, p.parent_id, p.kind, p.code, p.name, 0 from ${places} p where p.id in ${placeIds}
      union all
      select up.start, p.id, p.parent_id, p.kind, p.code, p.name, up.depth + 1
      from up join ${places} p on p.id = up.parent_id where up.kind <> 'floor' and up.depth < 20)
    select distinct on (start) start, id, code, name from up where kind = 'floor' order by start, depth`);
  for (const r of rows.rows) out.set(r.start, { id: r.id, code: r.code, name: r.name });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Statistics (CS-4: demand by type, by floor, trend)

export type StatsBy = 'topic' | 'floor' | 'company' | 'week';
export interface StatsRow { key: string | null; label: string; count: number }

const unknownLabel = (ctx: SignedInCtx, zh: string, en: string) => (ctx.locale === 'en-US' ? en : zh);

/**
 * Counts of receptions in a period. A floor is the one of the reception's unit (or, for an old
 * record without one, the occupant's or company's first unit): each reception counts once, so
 * the rows add up to the total. Weeks are ISO weeks in Asia/Shanghai, keyed by their Monday;
 * when the period is given, weeks without receptions are listed with 0 so a trend line has no gaps.
 */
export async function receptionStats(ctx: SignedInCtx, f: ReceptionFilter & { by: StatsBy }) {
  checkRange(f);
  const where = filterOf(ctx, f);
  let rows: StatsRow[];
  if (f.by === 'topic') {
    const r = await ctx.db.select({ key: receptions.topic, n: count() }).from(receptions).where(where).groupBy(receptions.topic);
    rows = r.map((x) => ({ key: x.key, label: label(ctx, TOPICS[x.key as Topic], x.key), count: x.n }));
  } else if (f.by === 'company') {
    const r = await ctx.db.select({ key: receptions.companyId, name: companies.name, n: count() }).from(receptions)
      .leftJoin(companies, eq(companies.id, receptions.companyId)).where(where).groupBy(receptions.companyId, companies.name);
    rows = r.map((x) => ({ key: x.key, label: x.name ?? unknownLabel(ctx, '未登记单位', 'No company'), count: x.n }));
  } else if (f.by === 'floor') {
    const unit = sql<string | null>`coalesce(${receptions.unitId}, ${occupants.unitIds}[1], ${companies.unitIds}[1])`;
    const r = await ctx.db.select({ unit, n: count() }).from(receptions)
      .leftJoin(occupants, eq(occupants.id, receptions.occupantId)).leftJoin(companies, eq(companies.id, receptions.companyId))
      .where(where).groupBy(unit);
    const floors = await floorsOf(ctx.db, r.map((x) => x.unit).filter((x): x is string => !!x));
    const acc = new Map<string | null, StatsRow>();
    for (const x of r) {
      const fl = x.unit ? floors.get(x.unit) : undefined;
      const key = fl?.id ?? null;
      const row = acc.get(key) ?? { key, label: fl ? `${fl.name}（${fl.code}）` : unknownLabel(ctx, '未知楼层', 'Unknown floor'), count: 0 };
      row.count += x.n;
      acc.set(key, row);
    }
    rows = [...acc.values()];
  } else {
    const monday = sql<string>`to_char(date_trunc('week', (${receptions.at} at time zone 'UTC') + interval '8 hours'), 'YYYY-MM-DD')`;
    const r = await ctx.db.select({ key: monday, n: count() }).from(receptions).where(where).groupBy(monday);
    const counts = new Map(r.map((x) => [x.key, x.n]));
    const keys = new Set(counts.keys());
    if (f.from && f.to) for (const m of mondaysBetween(f.from, f.to)) keys.add(m);
    rows = [...keys].sort().map((k) => ({ key: k, label: isoWeekLabel(k), count: counts.get(k) ?? 0 }));
  }
  if (f.by !== 'week') rows.sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
  return { by: f.by, from: f.from ?? null, to: f.to ?? null, total: rows.reduce((s, r) => s + r.count, 0), rows };
}

const DAY_MS = 86_400_000;
const utcDay = (d: string) => new Date(`${d}T00:00:00Z`);
const mondayOf = (d: string) => {
  const t = utcDay(d);
  return new Date(t.getTime() - ((t.getUTCDay() + 6) % 7) * DAY_MS);
};

/** Mondays of the weeks touching [from, to]; at most ~2 years of them, the rest is not a trend. */
export function mondaysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = mondayOf(from).getTime(), end = utcDay(to).getTime(); t <= end && out.length < 106; t += 7 * DAY_MS) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** "2026-W48" for the week starting on this Monday (ISO 8601: the week holding its Thursday). */
export function isoWeekLabel(monday: string): string {
  const thursday = new Date(utcDay(monday).getTime() + 3 * DAY_MS);
  const year = thursday.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 1));
  firstThursday.setUTCDate(1 + ((4 - firstThursday.getUTCDay() + 7) % 7));
  const week = 1 + Math.round((thursday.getTime() - firstThursday.getTime()) / (7 * DAY_MS));
  return `${year}-W${String(week).padStart(2, '0')}`;
}

// ---------------------------------------------------------------------------------------------
// Export (CS-8 feeds on it)

export const EXPORT_LIMIT = 50_000;
export const EXPORT_HEADERS = ['接待时间', '渠道', '来访/来电人', '联系电话', '单位', '房间', '主题', '事由摘要', '处理措施', '处理结果', '接待人', '关联工单'];

/**
 * The records of a period as XLSX with Chinese headers and masked phones (SEC-2); the export
 * itself is audited (who took which records out, SEC-3).
 */
export async function exportReceptions(ctx: SignedInCtx, f: ReceptionFilter & { from: string; to: string }) {
  checkRange(f);
  const where = filterOf(ctx, f);
  const total = await ctx.db.$count(receptions, where);
  if (total > EXPORT_LIMIT) {
    throw invalidField('querystring.to', { zh: `记录超过 ${EXPORT_LIMIT} 条，请缩短时间范围`, en: `More than ${EXPORT_LIMIT} records; shorten the period` }, 'too_many');
  }
  const rows = await ctx.db.select().from(receptions).where(where).orderBy(asc(receptions.at), asc(receptions.id));
  const views = await viewsOf(ctx.db, ctx, rows);
  // Without a typed number, the occupant's registered one — masked like every phone here.
  const occIds = [...new Set(rows.filter((r) => !r.contactPhone && r.occupantId).map((r) => r.occupantId!))];
  const phones = new Map(occIds.length ? (await ctx.db.select({ id: occupants.id, phone: occupants.phone }).from(occupants).where(inArray(occupants.id, occIds))).map((o) => [o.id, o.phone]) : []);
  const zh = { locale: 'zh-CN' };
  const cells = views.map((v, i) => [
    shanghaiMinute(new Date(v.at)), label(zh, CHANNELS[v.channel], v.channel),
    v.occupant?.name ?? v.contactName ?? '', maskPhone(rows[i]!.contactPhone ?? (rows[i]!.occupantId ? phones.get(rows[i]!.occupantId!) : null)) ?? '',
    v.company?.name ?? '', v.unit ? v.unit.name : '', label(zh, TOPICS[v.topic], v.topic),
    v.summary, v.actionTaken ?? '', v.result ?? '', v.agent.name, v.workItems.map((w) => w.number).join('、'),
  ]);
  const xlsx = await writeSheet('接待记录', EXPORT_HEADERS, cells);
  await audit(ctx.db, ctx, {
    action: 'reception.export', entityType: 'reception', siteId: ctx.actor.siteId,
    after: { filter: f, rows: views.length },
  });
  return { xlsx, filename: `接待记录-${f.from}-${f.to}.xlsx`, asciiName: `receptions-${f.from}-${f.to}.xlsx` };
}

// ---------------------------------------------------------------------------------------------
// Used by phone calls

export async function receptionOfCall(db: Queryable, callId: string) {
  const [r] = await db.select({ id: receptions.id, workItemIds: receptions.workItemIds }).from(receptions).where(eq(receptions.callId, callId));
  return r ?? null;
}
