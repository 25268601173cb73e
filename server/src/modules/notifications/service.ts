import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '../../db/index.ts';
import type { SignedInCtx } from '../../platform/context.ts';
import { announce } from '../../platform/live.ts';
import { NotFound } from '../../platform/errors.ts';
import type { Message } from '../../platform/i18n.ts';
import { accounts } from '../accounts/schema.ts';
import { notifications, outbox } from './schema.ts';

export interface Notice {
  siteId: string | null;
  kind: string;
  title: Message;
  body?: string | null;
  entityType?: string;
  entityId?: string;
  /** Also page outside the app (SMS/WeChat adapters; log-only until configured). */
  page?: boolean;
}

/**
 * Puts a notice in each recipient's inbox (and the outbox when it must page), inside the
 * caller's transaction: notices of a change that rolls back are never seen.
 */
export async function notify(tx: Queryable, at: Date, accountIds: Iterable<string>, n: Notice) {
  const ids = [...new Set(accountIds)];
  if (ids.length === 0) return;
  await tx.insert(notifications).values(ids.map((accountId) => ({
    siteId: n.siteId, accountId, at, kind: n.kind, titleZh: n.title.zh, titleEn: n.title.en, body: n.body ?? null,
    entityType: n.entityType ?? null, entityId: n.entityId ?? null,
  })));
  for (const accountId of ids) await announce(tx, { type: 'notification', accountId });
  if (n.page) {
    await tx.insert(outbox).values(ids.map((accountId) => ({
      siteId: n.siteId, channel: 'sms', accountId, createdAt: at, payload: { kind: n.kind, title: n.title.zh, body: n.body ?? null, entityId: n.entityId ?? null },
    })));
  }
}

/** Active accounts holding one of `roles` at a site (site-less admins included). */
export async function accountsWithRoles(tx: Queryable, siteId: string, roles: string[]) {
  const rows = await tx.select({ id: accounts.id }).from(accounts).where(and(
    eq(accounts.disabled, false),
    sql`(${accounts.siteId} = ${siteId} or ${accounts.siteId} is null)`,
    sql`${accounts.roles} && ${`{${roles.join(',')}}`}::text[]`,
  ));
  return rows.map((r) => r.id);
}

export async function accountsOfStaff(tx: Queryable, staffIds: Array<string | null | undefined>) {
  const ids = staffIds.filter((s): s is string => !!s);
  if (!ids.length) return [];
  return (await tx.select({ id: accounts.id }).from(accounts).where(and(inArray(accounts.staffId, ids), eq(accounts.disabled, false)))).map((r) => r.id);
}

export async function accountsOfOccupant(tx: Queryable, occupantId: string | null | undefined) {
  if (!occupantId) return [];
  return (await tx.select({ id: accounts.id }).from(accounts).where(and(eq(accounts.occupantId, occupantId), eq(accounts.disabled, false)))).map((r) => r.id);
}

export async function inbox(ctx: SignedInCtx, q: { unread?: boolean; limit: number; offset: number }) {
  const where = and(eq(notifications.accountId, ctx.actor.accountId), q.unread ? isNull(notifications.readAt) : undefined);
  const [rows, total, unread] = await Promise.all([
    ctx.db.select().from(notifications).where(where).orderBy(desc(notifications.at)).limit(q.limit).offset(q.offset),
    ctx.db.$count(notifications, where),
    ctx.db.$count(notifications, and(eq(notifications.accountId, ctx.actor.accountId), isNull(notifications.readAt))),
  ]);
  return {
    items: rows.map((r) => ({
      id: r.id, at: r.at.toISOString(), kind: r.kind, title: ctx.locale === 'en-US' ? r.titleEn : r.titleZh, body: r.body,
      entityType: r.entityType, entityId: r.entityId, read: r.readAt !== null,
    })),
    total,
    unread,
  };
}

/** Marking one's own notice read is bookkeeping, not a change of record: no audit row. */
export async function markRead(ctx: SignedInCtx, id: string | 'all') {
  const mine = eq(notifications.accountId, ctx.actor.accountId);
  if (id === 'all') {
    await ctx.db.update(notifications).set({ readAt: ctx.now }).where(and(mine, isNull(notifications.readAt)));
    return;
  }
  const [row] = await ctx.db.update(notifications).set({ readAt: ctx.now }).where(and(mine, eq(notifications.id, id))).returning({ id: notifications.id });
  if (!row) throw NotFound();
}

/**
 * Sends pending outbox messages through the channel adapter. Until an SMS/WeChat gateway is
 * configured the adapter only logs: the message is marked sent so the outbox does not grow.
 */
export async function sendOutbox(db: Queryable, now: Date, send: (msg: typeof outbox.$inferSelect) => Promise<void>, batch = 100) {
  const rows = await db.execute<{ id: string }>(sql`select id from ${outbox} where sent_at is null and attempts < 5 order by created_at limit ${batch} for update skip locked`);
  for (const { id } of rows.rows) {
    const [msg] = await db.select().from(outbox).where(eq(outbox.id, id));
    try {
      await send(msg!);
      await db.update(outbox).set({ sentAt: now, attempts: msg!.attempts + 1 }).where(eq(outbox.id, id));
    } catch (e) {
      await db.update(outbox).set({ attempts: msg!.attempts + 1, lastError: String(e).slice(0, 500) }).where(eq(outbox.id, id));
    }
  }
  return rows.rows.length;
}
