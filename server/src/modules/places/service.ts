import crypto from 'node:crypto';
import { and, asc, count, eq, ilike, inArray, isNull, or, sql, type SQL } from 'drizzle-orm';
import { PLACE_KINDS, type PlaceKind } from '@towerdesk/domain';
import type { Queryable, Tx } from '../../db/index.ts';
import { audit } from '../../platform/audit.ts';
import type { SignedInCtx } from '../../platform/context.ts';
import { Conflict, invalidField, NotFound } from '../../platform/errors.ts';
import { fieldMessage } from '../../platform/i18n.ts';
import { can } from '../../platform/permissions.ts';
import { writeSite } from '../../platform/scope.ts';
import { places } from './schema.ts';

export type PlaceRow = typeof places.$inferSelect;

export interface PlaceInput {
  parentId?: string | null;
  siteId?: string | null;
  code: string;
  name: string;
  nameEn?: string | null;
  kind: PlaceKind;
  areaM2?: number | null;
  sort?: number;
}

/**
 * Other modules say here whether they hold records at a place, so a place with history is never
 * hard-deleted (issue 2 §5): it can only be deactivated. Each check gets the transaction and id.
 */
const referenceChecks: Array<(tx: Queryable, placeId: string) => Promise<boolean>> = [];
export const registerPlaceReferenceCheck = (check: (tx: Queryable, placeId: string) => Promise<boolean>) => referenceChecks.push(check);

export const newQrToken = () => crypto.randomBytes(12).toString('base64url');

/** A place as the API shows it; the QR token only to those who print labels (it proves presence). */
export function toPlaceView(row: PlaceRow, ctx: SignedInCtx) {
  return {
    id: row.id, siteId: row.siteId, parentId: row.parentId, code: row.code, name: row.name, nameEn: row.nameEn,
    kind: row.kind as PlaceKind, areaM2: row.areaM2, sort: row.sort, active: row.active,
    qrToken: can(ctx.actor.roles, 'place.write') ? row.qrToken : null,
  };
}

function siteScope(ctx: SignedInCtx): SQL | undefined {
  return ctx.actor.siteId ? eq(places.siteId, ctx.actor.siteId) : undefined;
}

/** The place if the actor may see it; 404 otherwise, so ids of other sites do not leak. */
export async function findVisiblePlace(tx: Queryable, ctx: SignedInCtx, id: string, opts: { lock?: boolean } = {}) {
  const q = tx.select().from(places).where(and(eq(places.id, id), siteScope(ctx)));
  const [row] = opts.lock ? await q.for('update') : await q;
  if (!row) throw NotFound();
  return row;
}

export interface PlaceQuery {
  parentId?: string;
  /** The whole subtree under this place (the place included). */
  under?: string;
  codePrefix?: string;
  kind?: PlaceKind;
  q?: string;
  includeInactive?: boolean;
  limit: number;
  offset: number;
}

export async function listPlaces(ctx: SignedInCtx, query: PlaceQuery) {
  const conds: (SQL | undefined)[] = [siteScope(ctx)];
  if (query.under) {
    const root = await findVisiblePlace(ctx.db, ctx, query.under);
    conds.push(inArray(places.id, subtreeIds(root.id)));
  } else if (query.parentId) {
    conds.push(eq(places.parentId, query.parentId));
  } else if (!query.codePrefix && !query.q && !query.kind) {
    conds.push(isNull(places.parentId));
  }
  if (query.codePrefix) conds.push(sql`${places.code} like ${escapeLike(query.codePrefix.toUpperCase()) + '%'}`);
  if (query.kind) conds.push(eq(places.kind, query.kind));
  if (query.q) conds.push(or(ilike(places.name, `%${escapeLike(query.q)}%`), ilike(places.code, `%${escapeLike(query.q)}%`)));
  if (!query.includeInactive) conds.push(eq(places.active, true));
  const where = and(...conds);
  // Qualified by hand: inside sql`` drizzle renders ${places.id} unqualified, which would bind to c.
  const children = sql<number>`(select count(*)::int from places c where c.parent_id = places.id and (c.active or ${query.includeInactive ?? false}))`;
  const [rows, [total]] = await Promise.all([
    ctx.db.select({ place: places, childCount: children }).from(places).where(where)
      .orderBy(asc(places.sort), asc(places.code)).limit(query.limit).offset(query.offset),
    ctx.db.select({ n: count() }).from(places).where(where),
  ]);
  return { items: rows.map((r) => ({ ...toPlaceView(r.place, ctx), childCount: r.childCount })), total: total!.n };
}

/** Ids of a place and all its descendants (recursive CTE; the tree is a few thousand rows per site). */
function subtreeIds(rootId: string) {
  return sql`(with recursive t(id) as (select ${rootId}::uuid union all select p.id from ${places} p join t on p.parent_id = t.id) select id from t)`;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function getPlace(ctx: SignedInCtx, id: string) {
  const row = await findVisiblePlace(ctx.db, ctx, id);
  // Ancestors for the breadcrumb, root first.
  const ancestors = await ctx.db.execute<{ id: string; code: string; name: string; kind: string }>(sql`
    with recursive a(id, parent_id, code, name, kind, depth) as (
      select id, parent_id, code, name, kind, 0 from ${places} where id = ${row.parentId}
      union all select p.id, p.parent_id, p.code, p.name, p.kind, a.depth + 1 from ${places} p join a on p.id = a.parent_id)
    select id, code, name, kind from a order by depth desc`);
  return { ...toPlaceView(row, ctx), ancestors: ancestors.rows };
}

export async function findPlaceByToken(ctx: SignedInCtx, token: string) {
  const [row] = await ctx.db.select().from(places).where(and(eq(places.qrToken, token), siteScope(ctx)));
  if (!row || !row.active) throw NotFound();
  return getPlace(ctx, row.id);
}

async function assertCodeFree(tx: Tx, siteId: string, code: string) {
  const [dup] = await tx.select({ id: places.id }).from(places).where(and(eq(places.siteId, siteId), eq(places.code, code)));
  if (dup) throw Conflict('duplicate_code', { zh: '位置编码已存在', en: 'Place code already exists' }, [{ field: 'body.code', code: 'duplicate', message: fieldMessage('duplicate') }]);
}

export async function createPlace(ctx: SignedInCtx, input: PlaceInput) {
  return ctx.db.transaction(async (tx) => {
    let siteId: string;
    if (input.parentId) {
      const parent = await findVisiblePlace(tx, ctx, input.parentId).catch(() => {
        throw invalidField('body.parentId', { zh: '上级位置不存在', en: 'Parent place does not exist' }, 'not_found');
      });
      siteId = parent.siteId;
    } else {
      siteId = writeSite(ctx, input.siteId);
    }
    await assertCodeFree(tx, siteId, input.code);
    const [row] = await tx.insert(places).values({
      siteId, parentId: input.parentId ?? null, code: input.code, name: input.name, nameEn: input.nameEn ?? null,
      kind: input.kind, areaM2: input.areaM2 ?? null, sort: input.sort ?? 0, qrToken: newQrToken(), createdAt: ctx.now, updatedAt: ctx.now,
    }).returning();
    await audit(tx, ctx, { action: 'place.create', entityType: 'place', entityId: row!.id, siteId, after: row });
    return toPlaceView(row!, ctx);
  });
}

export async function updatePlace(ctx: SignedInCtx, id: string, input: Partial<Pick<PlaceInput, 'name' | 'nameEn' | 'kind' | 'areaM2' | 'sort'>>) {
  return ctx.db.transaction(async (tx) => {
    const before = await findVisiblePlace(tx, ctx, id, { lock: true });
    const [row] = await tx.update(places).set({ ...input, updatedAt: ctx.now }).where(eq(places.id, id)).returning();
    await audit(tx, ctx, { action: 'place.update', entityType: 'place', entityId: id, siteId: before.siteId, before, after: row });
    return toPlaceView(row!, ctx);
  });
}

/** Moves a place under another parent of the same site; never under itself or its descendants. */
export async function movePlace(ctx: SignedInCtx, id: string, parentId: string | null) {
  return ctx.db.transaction(async (tx) => {
    const before = await findVisiblePlace(tx, ctx, id, { lock: true });
    if (parentId) {
      const parent = await findVisiblePlace(tx, ctx, parentId).catch(() => {
        throw invalidField('body.parentId', { zh: '上级位置不存在', en: 'Parent place does not exist' }, 'not_found');
      });
      if (parent.siteId !== before.siteId) throw invalidField('body.parentId', { zh: '不能移到其他项目', en: 'Cannot move to another site' });
      const cycle = await tx.execute(sql`select 1 from ${subtreeIds(id)} s(id) where s.id = ${parentId}`);
      if (cycle.rows.length > 0) {
        throw Conflict('move_into_descendant', { zh: '不能移到自身或其下级位置之下', en: 'A place cannot move under itself or its descendants' }, [{ field: 'body.parentId', code: 'cycle', message: { zh: '不能是自身或下级位置', en: 'Cannot be itself or a descendant' } }]);
      }
    }
    const [row] = await tx.update(places).set({ parentId, updatedAt: ctx.now }).where(eq(places.id, id)).returning();
    await audit(tx, ctx, { action: 'place.move', entityType: 'place', entityId: id, siteId: before.siteId, before: { parentId: before.parentId }, after: { parentId } });
    return toPlaceView(row!, ctx);
  });
}

/** Deactivating keeps the history; a place with active children must have them handled first. */
export async function setPlaceActive(ctx: SignedInCtx, id: string, active: boolean) {
  return ctx.db.transaction(async (tx) => {
    const before = await findVisiblePlace(tx, ctx, id, { lock: true });
    if (before.active === active) return toPlaceView(before, ctx);
    if (!active) {
      const [c] = await tx.select({ n: count() }).from(places).where(and(eq(places.parentId, id), eq(places.active, true)));
      if (c!.n > 0) throw Conflict('has_active_children', { zh: `该位置下还有 ${c!.n} 个启用的下级位置，请先停用或移走`, en: `${c!.n} active places are under it; deactivate or move them first` });
    } else if (before.parentId) {
      const [parent] = await tx.select().from(places).where(eq(places.id, before.parentId));
      if (parent && !parent.active) throw Conflict('parent_inactive', { zh: '上级位置已停用', en: 'The parent place is inactive' });
    }
    const [row] = await tx.update(places).set({ active, updatedAt: ctx.now }).where(eq(places.id, id)).returning();
    await audit(tx, ctx, { action: active ? 'place.activate' : 'place.deactivate', entityType: 'place', entityId: id, siteId: before.siteId, before: { active: before.active }, after: { active } });
    return toPlaceView(row!, ctx);
  });
}

/** Hard delete, only for a mistaken place nobody has used: no children, no records anywhere. */
export async function deletePlace(ctx: SignedInCtx, id: string) {
  await ctx.db.transaction(async (tx) => {
    const before = await findVisiblePlace(tx, ctx, id, { lock: true });
    const [c] = await tx.select({ n: count() }).from(places).where(eq(places.parentId, id));
    let used = c!.n > 0;
    for (const check of referenceChecks) used ||= await check(tx, id);
    if (used) throw Conflict('place_in_use', { zh: '该位置已有下级位置或业务记录，只能停用，不能删除', en: 'The place has children or records; deactivate it instead' });
    await tx.delete(places).where(eq(places.id, id));
    await audit(tx, ctx, { action: 'place.delete', entityType: 'place', entityId: id, siteId: before.siteId, before });
  });
}

/** A new QR token voids every printed label of the place (lost or copied labels). */
export async function regenerateQrToken(ctx: SignedInCtx, id: string) {
  return ctx.db.transaction(async (tx) => {
    const before = await findVisiblePlace(tx, ctx, id, { lock: true });
    const [row] = await tx.update(places).set({ qrToken: newQrToken(), updatedAt: ctx.now }).where(eq(places.id, id)).returning();
    await audit(tx, ctx, { action: 'place.qr_regenerate', entityType: 'place', entityId: id, siteId: before.siteId });
    return toPlaceView(row!, ctx);
  });
}

/** Active places of a subtree, in tree order, for a sheet of QR labels. */
export async function subtreeForLabels(ctx: SignedInCtx, rootId: string) {
  const root = await findVisiblePlace(ctx.db, ctx, rootId);
  const rows = await ctx.db.select().from(places)
    .where(and(inArray(places.id, subtreeIds(root.id)), eq(places.active, true)))
    .orderBy(asc(places.code));
  return rows;
}

export const placeKindName = (kind: string, locale: 'zh-CN' | 'en-US') => {
  const k = PLACE_KINDS[kind as PlaceKind];
  return k ? (locale === 'en-US' ? k.en : k.zh) : kind;
};
