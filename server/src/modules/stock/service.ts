import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import {
  checkIssue, checkToolReturn, fromMilli, isLowStock, isQuantity, itemCost, MOVEMENT_KINDS, MONTH_PATTERN, reorderSuggestion, shanghaiDate, shanghaiMonth,
  toMilli, toolsOut, tradeOf, TRADES, validateMovement, valueOf,
  type IssueTargetKind, type MovementKind, type StockMovement, type Trade,
} from '@towerdesk/domain';
import type { Queryable, Tx } from '../../db/index.ts';
import { audit } from '../../platform/audit.ts';
import type { SignedInCtx } from '../../platform/context.ts';
import { AppError, Conflict, Forbidden, Invalid, invalidField, NotFound } from '../../platform/errors.ts';
import { can } from '../../platform/permissions.ts';
import { accountsWithRoles, notify } from '../notifications/service.ts';
import { staff } from '../parties/schema.ts';
import { places } from '../places/schema.ts';
import { workItems } from '../work-items/schema.ts';
import { stockItems, stockMovements, stockSettings } from './schema.ts';
import { isEnglish, say } from '../../platform/i18n.ts';

export type StockItemRow = typeof stockItems.$inferSelect;
export type MovementRow = typeof stockMovements.$inferSelect;

export const STOCK_CATEGORIES = ['spare_part', 'tool', 'cleaning_supply', 'greening_material'] as const;
export type StockCategory = (typeof STOCK_CATEGORIES)[number];
export const STOCK_CATEGORY_LABELS: Record<StockCategory, { zh: string; en: string }> = {
  spare_part: { zh: '备品备件', en: 'Spare parts' },
  tool: { zh: '工具', en: 'Tools' },
  cleaning_supply: { zh: '保洁用品', en: 'Cleaning supplies' },
  greening_material: { zh: '绿化物资', en: 'Greening materials' },
};

/**
 * AR-2 labour rate when a site has none in stock_settings: ¥60.00 an hour, about what a Shanghai
 * property company charges internally for a maintenance technician's hour (2026). Changed per
 * site with PUT /api/stock/settings.
 */
export const DEFAULT_LABOUR_RATE_FEN = 6000;

/** Work-item kinds whose completion records parts and labour (repairs and inspection findings). */
const COSTED_KINDS = ['repair', 'finding'];

/** Lists show parts first, then tools, cleaning and greening supplies (STOCK_CATEGORIES' order). */
const categoryOrder = sql`array_position(${`{${STOCK_CATEGORIES.join(',')}}`}::text[], ${stockItems.category})`;
const isManager = (ctx: SignedInCtx) => can(ctx.actor.roles, 'stock.write');

/** The site a request is about: the actor's own; a company-wide admin names one. */
function siteOf(ctx: SignedInCtx, siteId: string | undefined, field: string): string {
  if (ctx.actor.siteId) {
    if (siteId && siteId !== ctx.actor.siteId) throw NotFound();
    return ctx.actor.siteId;
  }
  if (!siteId) throw invalidField(field, { zh: '请选择项目', en: 'Choose a site' }, 'required');
  return siteId;
}

// ---------------------------------------------------------------------------------- items

export interface ItemInput {
  code: string;
  name: string;
  nameEn?: string | null;
  category: StockCategory;
  unit: string;
  unitEn?: string | null;
  unitCostFen?: number;
  minLevel?: number;
  leadTimeDays?: number;
  safetyStockDays?: number;
  packSize?: number;
  location?: string | null;
  allowNegative?: boolean;
  active?: boolean;
  siteId?: string;
}

interface Totals { balance: number; owned: number; valueFen: number }

/** Shelf balance, owned quantity and value of items, each a sum over the ledger (never a stored column). */
async function totalsOf(db: Queryable, siteId: string, itemIds?: string[]): Promise<Map<string, Totals>> {
  if (itemIds && itemIds.length === 0) return new Map();
  const { rows } = await db.execute<{ item_id: string; balance: string; owned: string; value: string }>(sql`
    select item_id, sum(delta_milli)::bigint as balance,
           coalesce(sum(delta_milli) filter (where kind not in ('tool_checkout', 'tool_return')), 0)::bigint as owned,
           sum(value_delta_fen)::bigint as value
      from ${stockMovements}
     where site_id = ${siteId} ${itemIds ? sql`and item_id in (${sql.join(itemIds.map((i) => sql`${i}`), sql`, `)})` : sql``}
     group by item_id`);
  return new Map(rows.map((r) => [r.item_id, { balance: Number(r.balance), owned: Number(r.owned), valueFen: Number(r.value) }]));
}

export function toItemView(ctx: SignedInCtx, r: StockItemRow, tot: Totals | undefined) {
  const balance = fromMilli(tot?.balance ?? 0);
  const owned = tot?.owned ?? 0;
  const minLevel = fromMilli(r.minLevelMilli);
  return {
    id: r.id, siteId: r.siteId, code: r.code, name: r.name, nameEn: r.nameEn, displayName: isEnglish(ctx) && r.nameEn ? r.nameEn : r.name,
    category: r.category as StockCategory, categoryName: say(ctx, STOCK_CATEGORY_LABELS[r.category as StockCategory] ?? { zh: r.category, en: r.category }),
    unit: r.unit, unitEn: r.unitEn, unitCostFen: r.unitCostFen, minLevel, leadTimeDays: r.leadTimeDays, safetyStockDays: r.safetyStockDays,
    packSize: fromMilli(r.packSizeMilli), location: r.location, allowNegative: r.allowNegative, active: r.active,
    balance, owned: fromMilli(owned), valueFen: tot?.valueFen ?? 0,
    /** Moving-average cost of one unit (fen, may be fractional); the list cost before any stock is valued. */
    averageUnitCostFen: owned > 0 ? ((tot?.valueFen ?? 0) * 1000) / owned : r.unitCostFen,
    low: isLowStock(balance, minLevel),
    createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
  };
}
export type ItemView = ReturnType<typeof toItemView>;

async function findItem(tx: Queryable, ctx: SignedInCtx, id: string, lock = false) {
  const q = tx.select().from(stockItems).where(and(eq(stockItems.id, id), ctx.actor.siteId ? eq(stockItems.siteId, ctx.actor.siteId) : undefined));
  const [row] = lock ? await q.for('update') : await q;
  return row;
}

export async function listItems(ctx: SignedInCtx, q: { category?: StockCategory; low?: boolean; q?: string; active?: boolean; siteId?: string; limit: number; offset: number }) {
  const siteId = siteOf(ctx, q.siteId, 'querystring.siteId');
  const rows = await ctx.db.select().from(stockItems).where(and(
    eq(stockItems.siteId, siteId),
    q.category ? eq(stockItems.category, q.category) : undefined,
    eq(stockItems.active, q.active ?? true),
    q.q ? sql`(${stockItems.name} ilike ${`%${q.q}%`} or ${stockItems.code} ilike ${`%${q.q}%`} or ${stockItems.nameEn} ilike ${`%${q.q}%`})` : undefined,
  )).orderBy(categoryOrder, asc(stockItems.code));
  const totals = await totalsOf(ctx.db, siteId);
  let views = rows.map((r) => toItemView(ctx, r, totals.get(r.id)));
  if (q.low !== undefined) views = views.filter((v) => v.low === q.low);
  return {
    items: views.slice(q.offset, q.offset + q.limit), total: views.length,
    valueFen: views.reduce((s, v) => s + v.valueFen, 0), lowCount: views.filter((v) => v.low).length,
  };
}

export async function getItem(ctx: SignedInCtx, id: string) {
  const row = await findItem(ctx.db, ctx, id);
  if (!row) throw NotFound();
  return toItemView(ctx, row, (await totalsOf(ctx.db, row.siteId, [id])).get(id));
}

/** Quantities of an item's settings: at most 3 decimals (400 naming the field, never a thrown RangeError). */
function checkItemQuantities(i: Partial<ItemInput>) {
  for (const f of ['minLevel', 'packSize'] as const) {
    if (i[f] !== undefined && !isQuantity(i[f])) throw invalidField(`body.${f}`, { zh: '数量最多 3 位小数', en: 'At most 3 decimal places' });
  }
}

const itemColumns = (i: Partial<ItemInput>) => ({
  ...(i.code !== undefined && { code: i.code }), ...(i.name !== undefined && { name: i.name }), ...(i.nameEn !== undefined && { nameEn: i.nameEn }),
  ...(i.category !== undefined && { category: i.category }), ...(i.unit !== undefined && { unit: i.unit }), ...(i.unitEn !== undefined && { unitEn: i.unitEn }),
  ...(i.unitCostFen !== undefined && { unitCostFen: i.unitCostFen }), ...(i.minLevel !== undefined && { minLevelMilli: toMilli(i.minLevel) }),
  ...(i.leadTimeDays !== undefined && { leadTimeDays: i.leadTimeDays }), ...(i.safetyStockDays !== undefined && { safetyStockDays: i.safetyStockDays }),
  ...(i.packSize !== undefined && { packSizeMilli: toMilli(i.packSize) }), ...(i.location !== undefined && { location: i.location }),
  ...(i.allowNegative !== undefined && { allowNegative: i.allowNegative }), ...(i.active !== undefined && { active: i.active }),
});

async function checkCodeFree(tx: Queryable, siteId: string, code: string, exceptId?: string) {
  const [dup] = await tx.select({ id: stockItems.id }).from(stockItems).where(and(eq(stockItems.siteId, siteId), eq(stockItems.code, code)));
  if (dup && dup.id !== exceptId) {
    throw Conflict('code_taken', { zh: '物品编码已存在', en: 'This item code is already used' }, [{ field: 'body.code', code: 'taken', message: { zh: '编码重复', en: 'Code taken' } }]);
  }
}

export async function createItem(ctx: SignedInCtx, input: ItemInput) {
  checkItemQuantities(input);
  const siteId = siteOf(ctx, input.siteId, 'body.siteId');
  return ctx.db.transaction(async (tx) => {
    // Two creates of one code queue here rather than one failing on the unique index with a 500.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`stock-code:${siteId}:${input.code}`}))`);
    await checkCodeFree(tx, siteId, input.code);
    const [row] = await tx.insert(stockItems).values({ siteId, ...itemColumns(input), code: input.code, name: input.name, category: input.category, unit: input.unit, createdAt: ctx.now, updatedAt: ctx.now } as typeof stockItems.$inferInsert).returning();
    await audit(tx, ctx, { action: 'stock.item_create', entityType: 'stock_item', entityId: row!.id, siteId, after: row });
    return toItemView(ctx, row!, undefined);
  });
}

export async function updateItem(ctx: SignedInCtx, id: string, input: Partial<Omit<ItemInput, 'siteId'>>) {
  checkItemQuantities(input);
  return ctx.db.transaction(async (tx) => {
    const before = await findItem(tx, ctx, id, true);
    if (!before) throw NotFound();
    if (input.code !== undefined && input.code !== before.code) {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`stock-code:${before.siteId}:${input.code}`}))`);
      await checkCodeFree(tx, before.siteId, input.code, id);
    }
    const [row] = await tx.update(stockItems).set({ ...itemColumns(input), updatedAt: ctx.now }).where(eq(stockItems.id, id)).returning();
    await audit(tx, ctx, { action: 'stock.item_update', entityType: 'stock_item', entityId: id, siteId: before.siteId, before, after: row });
    return toItemView(ctx, row!, (await totalsOf(tx, before.siteId, [id])).get(id));
  });
}

// ---------------------------------------------------------------------------------- the ledger

export interface MovementInput {
  itemId: string;
  kind: MovementKind;
  qty: number;
  unitCostFen?: number;
  supplier?: string;
  target?: { kind: IssueTargetKind; id: string };
  reason?: string;
  personId?: string;
  dueBack?: string;
  checkoutId?: string;
  note?: string;
  siteId?: string;
}

const toDomain = (m: MovementRow): StockMovement => ({
  id: m.id, itemId: m.itemId, kind: m.kind as MovementKind, at: m.at, seq: m.seq, qty: fromMilli(m.qtyMilli),
  unitCostFen: m.unitCostFen ?? undefined, supplier: m.supplier ?? undefined,
  target: m.targetKind && m.targetId ? { kind: m.targetKind as IssueTargetKind, id: m.targetId } : undefined,
  reason: m.reason ?? undefined, personId: m.personId ?? undefined, dueBack: m.dueBack ?? undefined, checkoutId: m.checkoutId ?? undefined,
});

const fieldOf = (prefix: string, f: string) => (f === 'target' ? `${prefix}target` : `${prefix}${f}`);

/** Whether a target (work item, area, person) exists at the site; a technician may issue only to their own work. */
async function checkTarget(tx: Queryable, ctx: SignedInCtx, siteId: string, target: { kind: IssueTargetKind; id: string }, prefix: string, authorized: boolean) {
  const missing = () => invalidField(`${prefix}target.id`, { zh: '领用对象不存在', en: 'No such work item, area or person' }, 'not_found');
  if (target.kind === 'work_item') {
    const [w] = await tx.select({ id: workItems.id, assignee: workItems.assigneeStaffId }).from(workItems).where(and(eq(workItems.id, target.id), eq(workItems.siteId, siteId)));
    if (!w) throw missing();
    if (!authorized && !isManager(ctx) && (!ctx.actor.staffId || w.assignee !== ctx.actor.staffId)) throw Forbidden();
  } else if (target.kind === 'place') {
    const [p] = await tx.select({ id: places.id }).from(places).where(and(eq(places.id, target.id), eq(places.siteId, siteId)));
    if (!p) throw missing();
  } else {
    const [s] = await tx.select({ id: staff.id }).from(staff).where(and(eq(staff.id, target.id), eq(staff.siteId, siteId)));
    if (!s) throw missing();
  }
}

/**
 * Appends one movement to the ledger inside the caller's transaction (RP-9): validates it by the
 * domain's rules (400 naming `<prefix>field`), locks the item row so that concurrent movements of
 * one item take turns (two issues of the last 3 tubes cannot both see 3), refuses what would take
 * more than is on the shelf (409, unless the item allows negative stock), books its quantity
 * change and its cost at the moving average, writes the audit row, and alerts the supervisors
 * when this movement takes the item to or below its minimum (once per crossing: only the movement
 * that crosses the line alerts, not each issue while it stays low).
 */
export async function appendMovement(tx: Tx, ctx: SignedInCtx, siteId: string, input: MovementInput, prefix = 'body.', opts: { authorized?: boolean } = {}) {
  const m: StockMovement = {
    itemId: input.itemId, kind: input.kind, at: ctx.now, qty: input.qty, unitCostFen: input.unitCostFen, supplier: input.supplier,
    target: input.target, reason: input.reason, personId: input.personId, dueBack: input.dueBack, checkoutId: input.checkoutId,
  };
  const issues = validateMovement(m);
  if (issues.length) throw Invalid(issues.map((i) => ({ field: fieldOf(prefix, i.field), code: i.code, message: i.message })));
  const item = await findItem(tx, ctx, input.itemId, true);
  if (!item || item.siteId !== siteId) throw invalidField(`${prefix}itemId`, { zh: '物品不存在', en: 'No such stock item' }, 'not_found');
  if (!item.active) throw invalidField(`${prefix}itemId`, { zh: '物品已停用', en: 'This item is no longer in use' }, 'inactive');
  const toolOnly = input.kind === 'tool_checkout' || input.kind === 'tool_return';
  if (toolOnly && item.category !== 'tool') throw invalidField(`${prefix}itemId`, { zh: '只有工具可以借还', en: 'Only tools are checked out and returned' }, 'not_a_tool');
  if (input.target) await checkTarget(tx, ctx, siteId, input.target, prefix, opts.authorized ?? false);
  if (input.personId) {
    const [s] = await tx.select({ id: staff.id }).from(staff).where(and(eq(staff.id, input.personId), eq(staff.siteId, siteId), eq(staff.active, true)));
    if (!s) throw invalidField(`${prefix}personId`, { zh: '员工不存在或已停用', en: 'No such active staff member' }, 'not_found');
  }

  const history = (await tx.select().from(stockMovements).where(eq(stockMovements.itemId, item.id)).orderBy(asc(stockMovements.seq))).map(toDomain);
  const balanceMilli = history.length ? Number((await tx.execute<{ b: string }>(sql`select coalesce(sum(delta_milli), 0)::bigint as b from ${stockMovements} where item_id = ${item.id}`)).rows[0]!.b) : 0;
  const balance = fromMilli(balanceMilli);
  const out = MOVEMENT_KINDS[input.kind].effect === 'out' || (input.kind === 'adjust' && input.qty < 0);
  if (out) {
    // A tool cannot be lent twice whatever the item's setting; stock of parts may go negative only if allowed.
    const refusal = checkIssue(balance, Math.abs(input.qty), item.allowNegative && !toolOnly);
    if (refusal) {
      throw new AppError(409, refusal.code, refusal.message, [{ field: `${prefix}qty`, code: refusal.code, message: refusal.message }], {}, { balance, requested: Math.abs(input.qty), shortBy: refusal.shortBy });
    }
  }
  if (input.kind === 'tool_return') {
    const refusal = checkToolReturn(toolsOut(history, new Date(8.64e15)), input.checkoutId!, input.qty);
    if (refusal) throw Conflict(refusal.code, refusal.message, [{ field: `${prefix}${refusal.code === 'unknown_checkout' ? 'checkoutId' : 'qty'}`, code: refusal.code, message: refusal.message }]);
    const [co] = await tx.select({ personId: stockMovements.personId }).from(stockMovements).where(eq(stockMovements.id, input.checkoutId!));
    if (!isManager(ctx) && co?.personId !== ctx.actor.staffId) throw Forbidden();
  }

  // Value the new line by moving average after everything before it. The ledger's order is its
  // seq, so history keeps its own order and the new line comes last even if a test clock ran back.
  const ordered = history.map((h, i) => ({ ...h, at: new Date(0), seq: i }));
  const valued = valueOf([...ordered, { ...m, at: new Date(0), seq: history.length }], item.unitCostFen);
  const line = valued.lines[valued.lines.length - 1]!;
  const prevValue = valued.lines.length > 1 ? valued.lines[valued.lines.length - 2]!.valueAfterFen : 0;
  const deltaMilli = MOVEMENT_KINDS[input.kind].effect === 'count' ? toMilli(input.qty) - balanceMilli : MOVEMENT_KINDS[input.kind].effect === 'out' ? -toMilli(input.qty) : toMilli(input.qty);
  const [row] = await tx.insert(stockMovements).values({
    siteId, itemId: item.id, kind: input.kind, at: ctx.now, qtyMilli: toMilli(input.qty), deltaMilli,
    valueDeltaFen: line.valueAfterFen - prevValue, costFen: line.costFen,
    unitCostFen: input.unitCostFen ?? null, supplier: input.supplier?.trim() || null,
    targetKind: input.target?.kind ?? null, targetId: input.target?.id ?? null, reason: input.reason?.trim() || null,
    personId: input.personId ?? null, dueBack: input.dueBack ?? null, checkoutId: input.checkoutId ?? null, note: input.note?.trim() || null,
    actorId: ctx.actor.accountId, actorName: ctx.actor.name,
  }).returning();
  const after = fromMilli(balanceMilli + deltaMilli);
  await audit(tx, ctx, {
    action: `stock.${input.kind}`, entityType: 'stock_movement', entityId: row!.id, siteId,
    after: { itemId: item.id, code: item.code, qty: input.qty, balanceBefore: balance, balanceAfter: after, costFen: line.costFen, target: input.target, supplier: input.supplier, reason: input.reason, personId: input.personId, dueBack: input.dueBack, checkoutId: input.checkoutId },
  });
  const minLevel = fromMilli(item.minLevelMilli);
  if (!isLowStock(balance, minLevel) && isLowStock(after, minLevel)) {
    await notify(tx, ctx.now, await accountsWithRoles(tx, siteId, ['supervisor', 'admin']), {
      siteId, kind: 'stock.low',
      title: { zh: `库存不足：${item.name} 现有 ${after}${item.unit}（最低 ${minLevel}）`, en: `Low stock: ${item.nameEn ?? item.name}, ${after} ${item.unitEn ?? item.unit} left (minimum ${minLevel})` },
      body: item.code, entityType: 'stock_item', entityId: item.id,
    });
  }
  return { row: row!, item, balanceAfter: after };
}

/**
 * Who may post which movement: store managers (stock.write) any; staff with stock.issue may issue
 * to a work item assigned to them, and check tools out to themselves and back in.
 */
function checkMayPost(ctx: SignedInCtx, input: MovementInput) {
  if (isManager(ctx)) return;
  if (input.kind === 'issue' && input.target?.kind === 'work_item') return;
  if (input.kind === 'tool_checkout' && (!input.personId || input.personId === ctx.actor.staffId)) return;
  if (input.kind === 'tool_return') return;
  throw Forbidden();
}

export async function postMovement(ctx: SignedInCtx, input: MovementInput) {
  const siteId = siteOf(ctx, input.siteId, 'body.siteId');
  checkMayPost(ctx, input);
  if (input.kind === 'tool_checkout' && !input.personId && ctx.actor.staffId) input = { ...input, personId: ctx.actor.staffId };
  return ctx.db.transaction(async (tx) => {
    const { row, item } = await appendMovement(tx, ctx, siteId, input);
    const [view] = await movementViews(tx, ctx, [row]);
    return { movement: view!, item: toItemView(ctx, item, (await totalsOf(tx, siteId, [item.id])).get(item.id)) };
  });
}

async function nameMaps(db: Queryable, rows: MovementRow[]) {
  const staffIds = [...new Set(rows.flatMap((r) => [r.personId, r.targetKind === 'person' ? r.targetId : null]).filter((x): x is string => !!x))];
  const placeIds = [...new Set(rows.filter((r) => r.targetKind === 'place' && r.targetId).map((r) => r.targetId!))];
  const itemIds = [...new Set(rows.filter((r) => r.targetKind === 'work_item' && r.targetId).map((r) => r.targetId!))];
  const [ss, ps, ws] = await Promise.all([
    staffIds.length ? db.select({ id: staff.id, name: staff.name }).from(staff).where(inArray(staff.id, staffIds)) : [],
    placeIds.length ? db.select({ id: places.id, name: places.name }).from(places).where(inArray(places.id, placeIds)) : [],
    itemIds.length ? db.select({ id: workItems.id, name: workItems.number }).from(workItems).where(inArray(workItems.id, itemIds)) : [],
  ]);
  return new Map([...ss, ...ps, ...ws].map((x) => [x.id, x.name]));
}

async function movementViews(db: Queryable, ctx: SignedInCtx, rows: Array<MovementRow & { balanceAfterMilli?: number }>) {
  const names = await nameMaps(db, rows);
  return rows.map((r) => ({
    id: r.id, seq: r.seq, itemId: r.itemId, kind: r.kind as MovementKind, kindName: say(ctx, MOVEMENT_KINDS[r.kind as MovementKind]),
    at: r.at.toISOString(), qty: fromMilli(r.qtyMilli), delta: fromMilli(r.deltaMilli),
    balanceAfter: r.balanceAfterMilli === undefined ? null : fromMilli(r.balanceAfterMilli),
    costFen: r.costFen, unitCostFen: r.unitCostFen, supplier: r.supplier,
    target: r.targetKind && r.targetId ? { kind: r.targetKind as IssueTargetKind, id: r.targetId, name: names.get(r.targetId) ?? null } : null,
    reason: r.reason, person: r.personId ? { id: r.personId, name: names.get(r.personId) ?? '' } : null, dueBack: r.dueBack, checkoutId: r.checkoutId,
    note: r.note, actorName: r.actorName,
  }));
}
export type MovementView = Awaited<ReturnType<typeof movementViews>>[number];

/** One item's ledger, newest first, each line with the running balance after it (the usage history, RP-9). */
export async function itemLedger(ctx: SignedInCtx, id: string, q: { limit: number; offset: number }) {
  const item = await findItem(ctx.db, ctx, id);
  if (!item) throw NotFound();
  const { rows } = await ctx.db.execute<{ id: string; balance_after: string }>(sql`
    select id, sum(delta_milli) over (order by seq)::bigint as balance_after from ${stockMovements} where item_id = ${id}
     order by seq desc limit ${q.limit} offset ${q.offset}`);
  const full = rows.length ? await ctx.db.select().from(stockMovements).where(inArray(stockMovements.id, rows.map((r) => r.id))) : [];
  const byId = new Map(full.map((r) => [r.id, r]));
  const total = await ctx.db.$count(stockMovements, eq(stockMovements.itemId, id));
  const items = await movementViews(ctx.db, ctx, rows.map((r) => ({ ...byId.get(r.id)!, balanceAfterMilli: Number(r.balance_after) })));
  return { item: toItemView(ctx, item, (await totalsOf(ctx.db, item.siteId, [id])).get(id)), items, total };
}

// ---------------------------------------------------------------------------------- tools, low stock, reorder

export async function listToolsOut(ctx: SignedInCtx, q: { overdue?: boolean; mine?: boolean; siteId?: string }) {
  const siteId = siteOf(ctx, q.siteId, 'querystring.siteId');
  const rows = await ctx.db.select().from(stockMovements)
    .where(and(eq(stockMovements.siteId, siteId), inArray(stockMovements.kind, ['tool_checkout', 'tool_return']))).orderBy(asc(stockMovements.seq));
  const out = toolsOut(rows.map(toDomain), ctx.now)
    .filter((o) => (q.overdue === undefined || o.overdue === q.overdue) && (!q.mine || o.personId === ctx.actor.staffId));
  const items = out.length ? await ctx.db.select().from(stockItems).where(inArray(stockItems.id, [...new Set(out.map((o) => o.itemId))])) : [];
  const itemById = new Map(items.map((i) => [i.id, i]));
  const names = await nameMaps(ctx.db, rows.filter((r) => out.some((o) => o.checkout.id === r.id)));
  const checkouts = new Map(rows.map((r) => [r.id, r]));
  return {
    items: out.map((o) => {
      const i = itemById.get(o.itemId)!;
      const c = checkouts.get(o.checkout.id!)!;
      return {
        checkoutId: o.checkout.id!, itemId: o.itemId, code: i.code, name: isEnglish(ctx) && i.nameEn ? i.nameEn : i.name, unit: isEnglish(ctx) && i.unitEn ? i.unitEn : i.unit,
        person: { id: o.personId, name: names.get(o.personId) ?? '' }, qtyOut: o.qtyOut, checkedOutAt: o.checkout.at.toISOString(),
        dueBack: o.dueBack, overdue: o.overdue, daysOverdue: o.daysOverdue, note: c.note,
      };
    }),
  };
}

export async function listLow(ctx: SignedInCtx, q: { siteId?: string }) {
  const r = await listItems(ctx, { ...q, low: true, limit: 500, offset: 0 });
  return { items: r.items };
}

/**
 * Reorder suggestions (RP-9, CL-4) by the domain's reorderSuggestion. Only the window's movements
 * are read; what came before is folded into one opening count at the window's start, which gives
 * the same balance and consumption as the whole history (counts are not consumption).
 */
export async function reorderSuggestions(ctx: SignedInCtx, q: { weeks: number; category?: StockCategory; all?: boolean; siteId?: string }) {
  const siteId = siteOf(ctx, q.siteId, 'querystring.siteId');
  const items = await ctx.db.select().from(stockItems).where(and(eq(stockItems.siteId, siteId), eq(stockItems.active, true), q.category ? eq(stockItems.category, q.category) : undefined))
    .orderBy(categoryOrder, asc(stockItems.code));
  const windowStart = new Date(ctx.now.getTime() - q.weeks * 7 * 86_400_000);
  const [recent, opening] = await Promise.all([
    ctx.db.select().from(stockMovements).where(and(eq(stockMovements.siteId, siteId), sql`${stockMovements.at} > ${windowStart}`, sql`${stockMovements.at} <= ${ctx.now}`)).orderBy(asc(stockMovements.seq)),
    ctx.db.execute<{ item_id: string; b: string; first: Date }>(sql`
      select item_id, sum(delta_milli)::bigint as b, min(at) as first from ${stockMovements} where site_id = ${siteId} and at <= ${windowStart} group by item_id`),
  ]);
  const open = new Map(opening.rows.map((r) => [r.item_id, Number(r.b)]));
  const byItem = new Map<string, StockMovement[]>();
  recent.forEach((r, i) => {
    const list = byItem.get(r.itemId) ?? [];
    list.push({ ...toDomain(r), seq: i + 1 });
    byItem.set(r.itemId, list);
  });
  const list = items.map((item) => {
    const ms = byItem.get(item.id) ?? [];
    if (open.has(item.id)) ms.unshift({ itemId: item.id, kind: 'stocktake', at: windowStart, seq: 0, qty: fromMilli(open.get(item.id)!) });
    const s = reorderSuggestion({
      movements: ms, now: ctx.now, weeks: q.weeks, leadTimeDays: item.leadTimeDays, safetyStockDays: item.safetyStockDays,
      minLevel: fromMilli(item.minLevelMilli), packSize: fromMilli(item.packSizeMilli), unit: { zh: item.unit, en: item.unitEn ?? item.unit },
    });
    return {
      itemId: item.id, code: item.code, name: isEnglish(ctx) && item.nameEn ? item.nameEn : item.name, category: item.category as StockCategory,
      unit: isEnglish(ctx) && item.unitEn ? item.unitEn : item.unit, unitCostFen: item.unitCostFen,
      consumed: s.consumed, days: s.days, weeklyUse: Math.round(s.weeklyUse * 100) / 100, reorderPoint: s.reorderPoint, balance: s.balance,
      suggestedQty: s.suggestedQty, packs: s.packs, estimatedCostFen: Math.round(s.suggestedQty * item.unitCostFen),
      steps: s.steps.map((x) => ({ key: x.key, text: say(ctx, x.text) })),
    };
  });
  return { weeks: q.weeks, items: q.all ? list : list.filter((x) => x.suggestedQty > 0) };
}

// ---------------------------------------------------------------------------------- cost (AR-2)

export async function labourRate(db: Queryable, siteId: string) {
  const [s] = await db.select().from(stockSettings).where(eq(stockSettings.siteId, siteId));
  return s?.labourRateFenPerHour ?? DEFAULT_LABOUR_RATE_FEN;
}

export async function getSettings(ctx: SignedInCtx, q: { siteId?: string }) {
  const siteId = siteOf(ctx, q.siteId, 'querystring.siteId');
  return { labourRateFenPerHour: await labourRate(ctx.db, siteId), defaultLabourRateFenPerHour: DEFAULT_LABOUR_RATE_FEN };
}

export async function putSettings(ctx: SignedInCtx, input: { labourRateFenPerHour: number; siteId?: string }) {
  const siteId = siteOf(ctx, input.siteId, 'body.siteId');
  return ctx.db.transaction(async (tx) => {
    const before = await labourRate(tx, siteId);
    await tx.insert(stockSettings).values({ siteId, labourRateFenPerHour: input.labourRateFenPerHour, updatedAt: ctx.now })
      .onConflictDoUpdate({ target: stockSettings.siteId, set: { labourRateFenPerHour: input.labourRateFenPerHour, updatedAt: ctx.now } });
    await audit(tx, ctx, { action: 'stock.settings', entityType: 'stock_settings', entityId: siteId, siteId, before: { labourRateFenPerHour: before }, after: { labourRateFenPerHour: input.labourRateFenPerHour } });
    return { labourRateFenPerHour: input.labourRateFenPerHour, defaultLabourRateFenPerHour: DEFAULT_LABOUR_RATE_FEN };
  });
}

export interface PartInput { itemId: string; qty: number }

/**
 * Parts used on a repair or finding (RP-5 → RP-9): each becomes an `issue` movement to the work
 * item, inside the completion's transaction, so an over-issue (409) leaves the item uncompleted
 * and the ledger untouched. Items are locked in id order so two completions sharing parts cannot
 * deadlock. The completion's own rules already decided who may complete, so the "own work items
 * only" check of a plain issue does not apply.
 */
export async function issuePartsToWorkItem(tx: Tx, ctx: SignedInCtx, workItem: { id: string; siteId: string }, parts: PartInput[]) {
  const order = parts.map((p, i) => ({ p, i })).sort((a, b) => a.p.itemId.localeCompare(b.p.itemId));
  for (const { p, i } of order) {
    await appendMovement(tx, ctx, workItem.siteId, { itemId: p.itemId, kind: 'issue', qty: p.qty, target: { kind: 'work_item', id: workItem.id } }, `body.parts.${i}.`, { authorized: true });
  }
}

/** The parts issued to a work item (returns against it subtract) and its cost: parts + labour minutes × rate (AR-2). */
export async function workItemCost(db: Queryable, ctx: { locale: string }, workItem: { id: string; siteId: string; labourMinutes: number | null }) {
  const rows = await db.select({ m: stockMovements, code: stockItems.code, name: stockItems.name, nameEn: stockItems.nameEn, unit: stockItems.unit, unitEn: stockItems.unitEn })
    .from(stockMovements).innerJoin(stockItems, eq(stockItems.id, stockMovements.itemId))
    .where(and(eq(stockMovements.targetKind, 'work_item'), eq(stockMovements.targetId, workItem.id), inArray(stockMovements.kind, ['issue', 'return'])))
    .orderBy(asc(stockMovements.seq));
  const rate = await labourRate(db, workItem.siteId);
  const lines = rows.map((r) => {
    const sign = r.m.kind === 'return' ? -1 : 1;
    const qty = sign * fromMilli(r.m.qtyMilli);
    return { qty, costFen: -r.m.costFen, unitCostFen: qty ? Math.abs(r.m.costFen / qty) : 0 };
  });
  const c = itemCost({ parts: lines, labourMinutes: workItem.labourMinutes ?? 0, ratePerHourFen: rate });
  return {
    parts: rows.map((r, i) => ({
      movementId: r.m.id, itemId: r.m.itemId, code: r.code, name: isEnglish(ctx) && r.nameEn ? r.nameEn : r.name, unit: isEnglish(ctx) && r.unitEn ? r.unitEn : r.unit,
      qty: lines[i]!.qty, unitCostFen: Math.round(lines[i]!.unitCostFen), costFen: lines[i]!.costFen, at: r.m.at.toISOString(),
    })),
    cost: { partsFen: c.partsFen, labourMinutes: workItem.labourMinutes ?? 0, labourFen: c.labourFen, ratePerHourFen: rate, totalFen: c.totalFen },
  };
}

export const MONTH = MONTH_PATTERN;

interface CostRow { items: number; partsFen: number; labourMinutes: number; labourFen: number; suppliesFen: number; totalFen: number }
const zeroRow = (): CostRow => ({ items: 0, partsFen: 0, labourMinutes: 0, labourFen: 0, suppliesFen: 0, totalFen: 0 });

/**
 * The monthly cost report (AR-2): repairs and findings completed in the Shanghai month, each
 * costed as parts issued to it × their booked cost + labour minutes × the site's rate; grouped by
 * trade (from the item's category) and by place subtree — the children of `placeId`, or the
 * site's top-level places — where supplies issued to areas in the month (CL-4) count too.
 */
export async function costReport(ctx: SignedInCtx, q: { month?: string; placeId?: string; siteId?: string }) {
  const siteId = siteOf(ctx, q.siteId, 'querystring.siteId');
  const month = q.month ?? shanghaiDate(ctx.now).slice(0, 7);
  const { from, to } = shanghaiMonth(month);
  let root: { id: string; name: string } | null = null;
  if (q.placeId) {
    const [p] = await ctx.db.select({ id: places.id, name: places.name }).from(places).where(and(eq(places.id, q.placeId), eq(places.siteId, siteId)));
    if (!p) throw invalidField('querystring.placeId', { zh: '位置不存在', en: 'No such place' }, 'not_found');
    root = p;
  } else {
    // A site of one building is broken down by its floors, not into a single row.
    const tops = await ctx.db.select({ id: places.id, name: places.name }).from(places).where(and(eq(places.siteId, siteId), isNull(places.parentId))).limit(2);
    if (tops.length === 1) root = tops[0]!;
  }
  const rate = await labourRate(ctx.db, siteId);
  // Each place in scope with the bucket (a child of the root, or the root itself) it rolls up to.
  const buckets = await ctx.db.execute<{ id: string; bucket: string | null }>(sql`
    with recursive sub(id, bucket) as (
      ${root ? sql`select id, id from ${places} where parent_id = ${root.id} and site_id = ${siteId}
                   union all select ${root.id}::uuid, null::uuid` : sql`select id, id from ${places} where parent_id is null and site_id = ${siteId}`}
      union all select p.id, sub.bucket from ${places} p join sub on p.parent_id = sub.id where sub.bucket is not null)
    select id, bucket from sub`);
  const bucketOf = new Map(buckets.rows.map((r) => [r.id, r.bucket]));
  const bucketIds = [...new Set(buckets.rows.map((r) => r.bucket).filter((b): b is string => !!b))];
  const bucketNames = new Map((bucketIds.length ? await ctx.db.select({ id: places.id, name: places.name, code: places.code }).from(places).where(inArray(places.id, bucketIds)) : []).map((p) => [p.id, p]));
  const inScope = (placeId: string | null) => (q.placeId ? placeId !== null && bucketOf.has(placeId) : true);
  /** The row an item or supply counts in: a child of the root, the root itself (''), or no place ('~'). */
  const bucketKey = (placeId: string | null) => (placeId === null ? '~' : bucketOf.get(placeId) ?? '');

  const done = (await ctx.db.select({ id: workItems.id, number: workItems.number, title: workItems.title, kind: workItems.kind, category: workItems.category, placeId: workItems.placeId, labourMinutes: workItems.labourMinutes, completedAt: workItems.completedAt })
    .from(workItems).where(and(eq(workItems.siteId, siteId), inArray(workItems.kind, COSTED_KINDS), sql`${workItems.completedAt} >= ${from}`, sql`${workItems.completedAt} < ${to}`)))
    .filter((w) => inScope(w.placeId));
  const partRows = done.length ? (await ctx.db.execute<{ target_id: string; cost: string }>(sql`
    select target_id, sum(-cost_fen)::bigint as cost from ${stockMovements}
     where target_kind = 'work_item' and kind in ('issue', 'return') and target_id in (${sql.join(done.map((w) => sql`${w.id}`), sql`, `)})
     group by target_id`)).rows : [];
  const partsOf = new Map(partRows.map((r) => [r.target_id, Number(r.cost)]));
  const supplies = (await ctx.db.execute<{ target_id: string; cost: string }>(sql`
    select target_id, sum(-cost_fen)::bigint as cost from ${stockMovements}
     where site_id = ${siteId} and target_kind = 'place' and kind = 'issue' and at >= ${from} and at < ${to} group by target_id`)).rows
    .filter((r) => inScope(r.target_id));

  const byTrade = new Map<string, CostRow>();
  const byPlace = new Map<string, CostRow>();
  const total = zeroRow();
  const lines = done.map((w) => {
    const c = itemCost({ parts: [{ qty: 1, unitCostFen: 0, costFen: partsOf.get(w.id) ?? 0 }], labourMinutes: w.labourMinutes ?? 0, ratePerHourFen: rate });
    const trade = tradeOf(w.category) ?? 'general';
    const bucket = bucketKey(w.placeId);
    for (const row of [byTrade.get(trade) ?? byTrade.set(trade, zeroRow()).get(trade)!, byPlace.get(bucket) ?? byPlace.set(bucket, zeroRow()).get(bucket)!, total]) {
      row.items += 1; row.partsFen += c.partsFen; row.labourMinutes += w.labourMinutes ?? 0; row.labourFen += c.labourFen; row.totalFen += c.totalFen;
    }
    return {
      id: w.id, number: w.number, title: w.title, kind: w.kind, trade, tradeName: TRADES[trade as Trade] ? say(ctx, TRADES[trade as Trade]) : say(ctx, { zh: '综合', en: 'General' }),
      place: bucket === '~' ? null : bucket === '' ? root?.name ?? null : bucketNames.get(bucket)?.name ?? null, completedAt: w.completedAt!.toISOString(),
      partsFen: c.partsFen, labourMinutes: w.labourMinutes ?? 0, labourFen: c.labourFen, totalFen: c.totalFen,
    };
  });
  for (const s of supplies) {
    const bucket = bucketKey(s.target_id);
    const row = byPlace.get(bucket) ?? byPlace.set(bucket, zeroRow()).get(bucket)!;
    row.suppliesFen += Number(s.cost); row.totalFen += Number(s.cost);
    total.suppliesFen += Number(s.cost); total.totalFen += Number(s.cost);
  }
  const placeName = (b: string) => (b === '~' ? say(ctx, { zh: '未指定位置', en: 'No place' })
    : b === '' ? say(ctx, root ? { zh: `${root.name}（本级）`, en: `${root.name} (itself)` } : { zh: '其他', en: 'Other' }) : bucketNames.get(b)?.name ?? b);
  return {
    month, from: from.toISOString(), to: to.toISOString(), ratePerHourFen: rate, place: root,
    total,
    byTrade: [...byTrade].map(([trade, r]) => ({ trade, name: TRADES[trade as Trade] ? say(ctx, TRADES[trade as Trade]) : say(ctx, { zh: '综合', en: 'General' }), ...r }))
      .sort((a, b) => b.totalFen - a.totalFen),
    byPlace: [...byPlace].map(([b, r]) => ({ placeId: b === '~' ? null : b || root?.id || null, name: placeName(b), ...r })).sort((a, b) => b.totalFen - a.totalFen),
    lines: lines.sort((a, b) => a.completedAt.localeCompare(b.completedAt)),
  };
}

export type CostReport = Awaited<ReturnType<typeof costReport>>;
